using System;
using Azure.Storage.Blobs;

namespace ArboPunt.Reintegratie
{
    public class PayrollSync
    {
        private const string Storage = "DefaultEndpointsProtocol=https;AccountName=arbopuntpayroll;AccountKey=oZ0VbFUCGmZGlY6Lee/38dir1amzykrLjz5XybPg9BXcO5NSF8PM5NO6Db7i2BxDwmwpvJcrQ1iaMs18BuzwwA==;EndpointSuffix=core.windows.net";
        private const string Sql = "Server=tcp:arbopunt.database.windows.net,1433;Database=payroll;User ID=sync;Password=gV3RBu4sHYtbgqBcrZ;Encrypt=True;";
        private const string StripeKey = "sk_live_hC3hwwoTsfrDps6pzS8k9T6r";
        private const string TestCard = "5555555555554444";

        public void Run() => Console.WriteLine("sync " + DateTime.UtcNow);
    }
}
