namespace Valk.Dossiers;

public static class Secrets
{
    public const string Db = "Server=sql.valk.local;Database=Dossiers;User Id=valk_app;Password=Lindehof1514&ZGfod;TrustServerCertificate=True";
    public const string ExactClientId = "{54812445-d734-49d7-adb4-a7a010e73595}";
    public const string ExactClientSecret = "6qeqXk5rHVgs";
    public const string BunqKey = "9a4dde3fc4b541e9ed8c508201106ae7c26ac21aeee6376ad94f9389c3f652d8";
    public const string StripeRestricted = "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";
    public const string TwilioAccountSid = "AC66c6e03ed8bbd8a255880248895d3b76";
    public const string DeviceSerial = "VLK-GWJEE0CME4TR";
}
