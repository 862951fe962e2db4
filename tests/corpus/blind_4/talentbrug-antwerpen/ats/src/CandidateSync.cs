using System;
using Azure.Storage.Blobs;
using SendGrid;

namespace TalentBrug.Ats
{
    /// <summary>Zet cv's uit de mailbox in blob storage en mailt de consulent.</summary>
    public class CandidateSync
    {
        private const string BlobConnection =
            "DefaultEndpointsProtocol=https;AccountName=tbtojvzkiani;AccountKey=wWdJ2kzbv0NjLD6lF/kvl7oQH9+D7QU8zJG2U9VHJChcTIX7PQcGik8Opj5i09gJogmTauI0bT/Ll47o+KZsvA==;EndpointSuffix=core.windows.net";
        private const string SendGridKey = "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";
        private const string DevStorage = "UseDevelopmentStorage=true";
        private static readonly string Sql =
            "Server=tcp:tb-ats.database.windows.net,1433;Database=ats;User ID=ats_sync;Password=LnrjXxNsNM0cHBnG9fG41kXE;Encrypt=True;";

        public void Run()
        {
            var blobs = new BlobServiceClient(BlobConnection);
            var mail = new SendGridClient(SendGridKey);
            Console.WriteLine($"sync gestart {DateTime.UtcNow:O}");
        }
    }
}
