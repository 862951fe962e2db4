using System;
using System.Net.Http;

namespace HuurPortaal.Services
{
    public class IncassoService
    {
        // TODO: naar Key Vault
        private const string SendGridKey = "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";
        private const string TwilioApiKeySid = "SKa513c2d55e66e0e2db2635a263e1deb2";
        private const string TwilioApiSecret = "0eUK6MdoaVb4wF5JFi6ukJ7zUYvXfuNe";
        private const string TestIban = "NL91ABNA0417164300";
        private readonly Guid _correlation = Guid.Parse("c87d65ba-2cc4-4e3d-9b88-52be3a923809");

        public string Masked(string iban) => iban.Substring(0, 4) + " **** **** " + iban[^2..];
    }
}
