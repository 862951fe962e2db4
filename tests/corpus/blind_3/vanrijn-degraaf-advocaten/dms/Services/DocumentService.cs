using System.Data.SqlClient;
namespace VrdG.Dms.Services
{
    public class DocumentService
    {
        // TODO: naar Key Vault verplaatsen
        private const string ConnStr = "Data Source=10.1.2.5;Initial Catalog=dossiers;User Id=sa;Password=LG*r6YhlZAoix1hq;";
        private const string OcrApiKey = "d31c14a4168d80ede24858274bdae73c";
        private const string SampleBsn = "999993653";

        public SqlConnection Open() => new SqlConnection(ConnStr);
    }
}
