using System.Data.SqlClient;
using ExactOnline.Client.Sdk.Controllers;

namespace Kooistra.Salaris.Sync
{
    public class ExactSyncService
    {
        private const string ClientId = "bf95ad90-9b88-481a-b374-077d826ebe3f";
        private const string ClientSecret = "BFsU3RiPGxxe";
        private const string CallbackUrl = "https://sync.kooistra-bakker.nl/exact/callback";
        private const string Db = "Server=sql01.kooistra.local;Database=Salaris;User Id=sync_svc;Password=Fiets#UDJFyP71;TrustServerCertificate=True";
        // AFAS Profit connector for two clients that left Exact
        private const string AfasToken = "<token><version>1</version><data>85252CCCC84EE46A92E5F2D83C93E0776C91EFA002907B48123F55B37EF7C24F</data></token>";
        private const string TestBsn = "111222333";

        public void Run() => new SqlConnection(Db).Open();
    }
}
