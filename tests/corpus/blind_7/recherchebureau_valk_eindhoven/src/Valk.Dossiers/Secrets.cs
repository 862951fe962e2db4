namespace Valk.Dossiers;

public static class Secrets
{
    public const string Db = "Server=sql.valk.local;Database=Dossiers;User Id=valk_app;Password=Valk8641$liSFK;TrustServerCertificate=True";
    public const string ExactClientId = "{345b89ef-f73c-4c03-a6de-00aee8aa7397}";
    public const string ExactClientSecret = "uuS0g25HQaoh";
    public const string BunqKey = "2b03322e59963218c63f04ab9c91420f2e22bd2eabd57540b6a181e59d2ebe2c";
    public const string StripeRestricted = "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";
    public const string TwilioAccountSid = "AC0e1dc3fd172a7bd4e03f6afa1595cdb1";
    public const string DeviceSerial = "VLK-KG53ZS0PBXL5";
}
