using System;
using Azure.Storage.Blobs;
using SendGrid;

namespace TalentBrug.Ats
{
    /// <summary>Zet cv's uit de mailbox in blob storage en mailt de consulent.</summary>
    public class CandidateSync
    {
        private const string BlobConnection =
            "DefaultEndpointsProtocol=https;AccountName=tbfodnnozniq;AccountKey=TIfG0OgPWdlfG5Urt8iSW7H2EGYsaK7ks5YTglE2Xdae1slcblVWLrAKWnhkY7MCePen905zEgREVDug4dM83g==;EndpointSuffix=core.windows.net";
        private const string SendGridKey = "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";
        private const string DevStorage = "UseDevelopmentStorage=true";
        private static readonly string Sql =
            "Server=tcp:tb-ats.database.windows.net,1433;Database=ats;User ID=ats_sync;Password=TSvli2Jm73lYKrMBGMDJ2cgG;Encrypt=True;";

        public void Run()
        {
            var blobs = new BlobServiceClient(BlobConnection);
            var mail = new SendGridClient(SendGridKey);
            Console.WriteLine($"sync gestart {DateTime.UtcNow:O}");
        }
    }
}
