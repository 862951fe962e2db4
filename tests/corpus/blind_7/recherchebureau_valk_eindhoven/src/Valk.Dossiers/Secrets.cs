namespace Valk.Dossiers;

public static class Secrets
{
    public const string Db = "Server=sql.valk.local;Database=Dossiers;User Id=valk_app;Password=Kompas9739$GXb8z;TrustServerCertificate=True";
    public const string ExactClientId = "{82917abd-f967-4d47-a3ce-443c305e22ee}";
    public const string ExactClientSecret = "0eitFibv0avD";
    public const string BunqKey = "e458ab9d72c17138d9a2b510490c40684146fd8556b5102a2827154812445d73";
    public const string StripeRestricted = "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";
    public const string TwilioAccountSid = "ACc508201106ae7c26ac21aeee6376ad94";
    public const string DeviceSerial = "VLK-4T9GRSZG65NK";
}
