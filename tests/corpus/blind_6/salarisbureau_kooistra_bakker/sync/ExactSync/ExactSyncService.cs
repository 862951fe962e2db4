using System.Data.SqlClient;
using ExactOnline.Client.Sdk.Controllers;

namespace Kooistra.Salaris.Sync
{
    public class ExactSyncService
    {
        private const string ClientId = "e07123e3-dbc1-4342-96e3-58f670a2df2e";
        private const string ClientSecret = "elfH4KHyzzyr";
        private const string CallbackUrl = "https://sync.kooistra-bakker.nl/exact/callback";
        private const string Db = "Server=sql01.kooistra.local;Database=Salaris;User Id=sync_svc;Password=gXDbp-omHZM-z4Xt4;TrustServerCertificate=True";
        // AFAS Profit connector for two clients that left Exact
        private const string AfasToken = "<token><version>1</version><data>002907B48123F55B37EF7C24FFD49A6010AD279D10E962AC896510F3980F7787</data></token>";
        private const string TestBsn = "111222333";

        public void Run() => new SqlConnection(Db).Open();
    }
}
