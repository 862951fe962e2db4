"""Cloud and hosting platforms: Google Cloud, Azure, Alibaba, DigitalOcean, Heroku, Cloudflare, Fly.io and
the infrastructure tools that hold their keys (HashiCorp Vault and Terraform, Pulumi, Doppler). AWS has
its own module.

A Google API key in a Firebase client config or in the Maps JavaScript loader of a page is public by
design (Firebase documents these keys as not secret; browser keys are restricted by referrer, not
hidden): it is reported as a note. The same key anywhere else (a .env, a server config) stays an alert.
"""

from __future__ import annotations

import re
import string

from services.detection import masking, ocr, randomness
from services.detection.detector import Detector
from services.detection.detectors.vendor import UUID, assigned, token, uuid_random
from services.detection.patterns import lazy_regex
from services.results import Severity

GCP_SA = lazy_regex(r"\"private_key_id\"\s*:\s*\"(?P<value>[a-f0-9]{40})\"")
# a service-account key file (Google's documented JSON: type, private_key_id, private_key, client_email):
# the credential is the private key, so the file is one finding where the key stands; the key id beside it
# is only an id, reported (above) when the key itself is not in the text (cut out, or in another file)
GCP_SA_KEY = lazy_regex(r"\"private_key\"\s*:\s*\"(?P<value>-----BEGIN (?:RSA )?PRIVATE KEY-----"
                        r"[A-Za-z0-9+/=\\\s]{100,8000}?-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)\"")
SA_REACH = 5000  # characters each side of a key id within which its file's private key would stand
_SA_PRIVATE_KEY = lazy_regex(r"\"private_key\"\s*:\s*\"-----BEGIN")


def key_not_beside(text: str, start: int, end: int) -> bool:
    """No service-account private key near this key id (that key is the finding, not the id)."""
    return _SA_PRIVATE_KEY.search(text, max(0, start - SA_REACH), end + SA_REACH) is None


GCP_API_KEY = lazy_regex(r"(?<![\w-])(?P<value>AIza[0-9A-Za-z_-]{35})(?![\w-])")
AZURE_STORAGE = lazy_regex(r"(?i)AccountKey\s*=\s*(?P<value>[A-Za-z0-9+/]{86}==)")
# Azure AD client secrets since 2022: three characters, a digit, "Q~", then 31-34 characters
AZURE_CLIENT_SECRET = lazy_regex(r"(?<![\w~.-])(?P<value>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})"
                                 r"(?![\w~.-])")

CRITICAL = Severity.CRITICAL
# a SAS token's signature: base64 of an HMAC-SHA256 (44 characters) URL-encoded, so up to ~90 with %2F/%2B
AZURE_SAS = lazy_regex(r"(?:[?&]|&amp;)sig=(?P<value>[A-Za-z0-9%]{40,100}%3[Dd])")  # &amp; in XML
# an account or service SAS of Azure Storage carries the storage service version `sv=` (Microsoft's SAS
# reference); Service Bus / Event Hubs tokens (`sr=…&sig=…&se=…&skn=…`) do not
SAS_REACH = 400  # a SAS token's parameters (sv, ss, srt, sp, se, st, spr) come before its sig
# a storage account key (64 bytes, base64: 86 characters and `==`, Azure's documented key shape) under a
# name that says storage or account key: Terraform's `storage_account_key`/`primary_access_key`, .env
# AZURE_STORAGE_KEY, `accountKey:` in JS SDK configs
AZURE_STORAGE_NAMED = lazy_regex(r"(?i)(?:storage|account|access)[\w.-]{0,30}?key[\w.-]{0,10}?[\"'\]]{0,2}"
                                 r"[ \t]*(?:=>|:=|=|:)[ \t]*[\"']?(?P<value>[A-Za-z0-9+/]{86}==)(?![\w+/=])")
# an AWS secret access key (40 base64) under `secret_key`/`secret_access_key` with an access key id beside
# it: the Terraform AWS provider block, ~/.aws/credentials and boto3 keyword arguments write it so
AWS_SECRET_BESIDE_KEY_ID = lazy_regex(r"(?i)(?<![\w.-])secret[_-]?(?:access[_-]?)?key[\"'\]]{0,2}[ \t]*"
                                      r"(?:=>|=|:)[ \t]*[\"']?(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
# Service Bus / Event Hubs connection strings all carry `SharedAccessKey=<44 base64>` (Azure's own format)
AZURE_SHARED_ACCESS_KEY = lazy_regex(r"(?i)SharedAccessKey\s*=\s*(?P<value>[A-Za-z0-9+/]{42,43}=)")
# Firebase client configs (web config, google-services.json, GoogleService-Info.plist; Firebase documents
# their API keys as not secret) and the Maps JavaScript loader in a page (a browser key, restricted by
# referrer)
TELLTALE_PUBLIC_GOOGLE_KEY = ("authdomain", "messagingsenderid", "firebaseio.com", "firebaseapp.com",
                              "mobilesdk_app_id", "google_app_id", "gcm_sender_id",
                              "maps.googleapis.com/maps/api/js")
# a Google API key whose own name (or the object it sits in) says it is public: a "browser key" (Google's
# name for a key restricted by HTTP referrer, made to be embedded in pages), a Firebase config's key
# (Firebase documents it as not secret) or a key named public; a note, like the telltales above
PUBLIC_GOOGLE_KEY_NAME = lazy_regex(
    r"(?i)(?<![\w])[\w.-]{0,30}?(?:browser|firebase|public)[\w.-]{0,30}?[\"'`\]]{0,2}[ \t]*"
    r"(?:=>|:=|=|:)[ \t]*"
    r"(?:\{[^{}\n]{0,80}?api_?key[\"'`]?[ \t]*(?:=>|=|:)[ \t]*)?[\"'`]?"
    r"(?P<value>(?-i:AIza[0-9A-Za-z_-]{35}))(?![\w-])")

VENDOR_DETECTORS = (
    token("Google Cloud", "google_oauth_client_secret", ("GOCSPX-",), r"[A-Za-z0-9_-]{28}",
          severity=CRITICAL),
    token("Google Cloud", "google_oauth_access_token", ("ya29.",), r"[A-Za-z0-9_-]{30,}",
          severity=Severity.MEDIUM, confidence=0.8),
    token("Alibaba Cloud", "alibaba_access_key_id", ("LTAI",), r"[A-Za-z0-9]{12,20}", severity=CRITICAL),
    assigned("Alibaba Cloud", "alibaba_secret_key", ("alibaba", "aliyun", "access_key_secret",
                                                     "accesskeysecret"),
             r"[A-Za-z0-9]{30}", severity=CRITICAL),
    token("DigitalOcean", "digitalocean_token", ("dop_v1_", "doo_v1_", "dor_v1_"), r"[a-f0-9]{64}",
          severity=CRITICAL),
    token("Heroku", "heroku_api_key", ("HRKU-AA",), r"[0-9A-Za-z_-]{58}", severity=CRITICAL),
    assigned("Heroku", "heroku_api_key_legacy", ("heroku",), UUID, validate=uuid_random, severity=CRITICAL),
    token("Cloudflare", "cloudflare_origin_ca_key", ("v1.0-",), r"[a-f0-9]{24}-[a-f0-9]{146}",
          severity=CRITICAL),
    assigned("Cloudflare", "cloudflare_api_token", ("cloudflare", "cf_api_token", "cf_api_key"),
             r"[A-Za-z0-9_-]{40}|[a-f0-9]{37}", severity=CRITICAL),
    token("Fly.io", "flyio_token", ("fo1_",), r"[\w-]{43}", severity=CRITICAL),
    token("Fly.io", "flyio_macaroon", ("fm1r_", "fm1a_", "fm2_"), r"[A-Za-z0-9+/]{100,}={0,3}",
          severity=CRITICAL),
    token("Scalingo", "scalingo_token", ("tk-us-",), r"[\w-]{48}", severity=CRITICAL),
    token("Doppler", "doppler_token", ("dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."),
          r"[A-Za-z0-9]{40,44}", severity=CRITICAL),
    token("HashiCorp Vault", "vault_service_token", ("hvs.",), r"[\w-]{90,120}", severity=CRITICAL),
    token("HashiCorp Vault", "vault_batch_token", ("hvb.",), r"[\w-]{138,300}", severity=CRITICAL),
    # every Terraform Cloud/Enterprise API token is `<14>.atlasv1.<60-70>`, whatever the file holding it
    Detector("secret.generic",
             lazy_regex(r"(?<![\w.-])(?P<value>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})"
                                          r"(?![\w=-])"),
             keywords=("atlasv1",), check="Terraform Cloud token (.atlasv1.)", confidence=0.95,
             name="terraform_cloud_token", vendor="HashiCorp Terraform", severity=CRITICAL),
    token("Pulumi", "pulumi_token", ("pul-",), r"[a-f0-9]{40}", severity=CRITICAL),
    assigned("IBM Cloud", "ibm_cloud_api_key", ("ibm", "ibmcloud"), r"[A-Za-z0-9_-]{44}", severity=CRITICAL),
    assigned("Yandex Cloud", "yandex_api_key", ("yandex",), r"AQVN[A-Za-z0-9_-]{35,38}|YC[A-Za-z0-9_-]{38}"
             r"|t1\.[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]{86}={0,2}", severity=CRITICAL),
    assigned("Azure DevOps", "azure_devops_pat", ("azure_devops", "azuredevops", "ado_pat", "ado_token",
                                                  "devops_pat", "system_accesstoken", "azure_pat"),
             r"[a-z2-7]{52}|[A-Za-z0-9]{84}", severity=CRITICAL),
    Detector("secret.azure_storage_key", AZURE_SAS, keywords=("sig=",), context=("sv=",), needs_context=True,
             window=SAS_REACH, check="Azure Storage shared access signature (sv= and sig=)", confidence=0.85,
             priority=-1, name="azure_storage_sas_token", severity=Severity.HIGH),
    Detector("secret.azure_storage_key", AZURE_STORAGE_NAMED, keywords=("key",),
             prefilter=r"(?i)(?:storage|account|access)[\w.-]{0,30}?key",
             validate=lambda v: randomness.looks_random(v.rstrip("=")),
             check="88-character base64 storage account key under a storage/account key name",
             confidence=0.9, name="azure_storage_key_named"),
    Detector("secret.aws_secret_key", AWS_SECRET_BESIDE_KEY_ID, keywords=("secret",),
             context=("akia", "asia", "aws"), needs_context=True, window=300,
             validate=lambda v: any(c.isupper() for c in v) and any(c.islower() for c in v)
             and randomness.looks_random(v),
             check="40-character base64 secret key next to an AWS access key id", confidence=0.9,
             name="aws_secret_key_beside_key_id", vendor="AWS"),
    Detector("secret.generic", AZURE_SAS, keywords=("sig=",), context=("se=", "sp=", "skn="),
             needs_context=True, window=SAS_REACH,
             check="Azure shared access signature (sig= in a SAS URL)", confidence=0.85,
             name="azure_sas_token", vendor="Azure", severity=Severity.HIGH),
    Detector("secret.generic", AZURE_SHARED_ACCESS_KEY, keywords=("sharedaccesskey",),
             check="Azure Service Bus / Event Hubs SharedAccessKey", confidence=0.95,
             name="azure_shared_access_key", vendor="Azure", severity=CRITICAL),
)

DETECTORS = (
    Detector("secret.gcp_service_account", GCP_SA_KEY, keywords=("private_key",),
             context=("service_account", "gserviceaccount.com"), needs_context=True,
             check="service-account JSON with its private key", confidence=0.97, context_confidence=0.97,
             window=600, priority=-1, mask=lambda value: masking.mask(value, keep_end=0),
             prefilter=r'"private_key"[ \t]*:[ \t]*"-----BEGIN', name="gcp_service_account_key"),
    Detector("secret.gcp_service_account", GCP_SA, keywords=("private_key_id",), context=("service_account",),
             fits_place=key_not_beside,
             check="service-account JSON key id", confidence=0.95, context_confidence=0.99,
             window=400, name="gcp_service_account"),
    Detector("secret.gcp_api_key", GCP_API_KEY, keywords=("aiza",), check="Google API key prefix and length",
             confidence=0.9, name="gcp_api_key", vendor="Google Cloud", window=300,
             note_context=TELLTALE_PUBLIC_GOOGLE_KEY,
             note_reason="browser or app key next to Maps/Firebase client settings (public by design)"),
    Detector("secret.gcp_api_key", PUBLIC_GOOGLE_KEY_NAME, keywords=("aiza",), prefilter=r"AIza",
             note_context=("browser", "firebase", "public"), window=120, priority=-1,
             note_reason="Google key named as a browser, Firebase or public key (public by design)",
             check="Google API key prefix and length", confidence=0.3, name="gcp_public_api_key",
             vendor="Google Cloud"),
    Detector("secret.azure_storage_key", AZURE_STORAGE, keywords=("accountkey",),
             check="Azure storage AccountKey of 88 base64 characters", confidence=0.95,
             name="azure_storage_key"),
    Detector("secret.azure_client_secret", AZURE_CLIENT_SECRET, keywords=("q~",),
             check="Azure AD client-secret format (Q~ marker)", confidence=0.9, name="azure_client_secret"),
    *VENDOR_DETECTORS,
)

# as read by OCR: "AIza" comes out "Alza" (I and l are one glyph in many fonts), underscores of the
# JSON name as spaces, a key between its delimiters with spaces tesseract put into it
OCR_GCP_SA = lazy_regex(rf"\"{ocr.fuzzy('private_key_id')}\"\s*:\s*"
                        rf"\"(?P<value>(?:{ocr.char_class(ocr.HEX)}| ){{36,46}})\"")
OCR_AZURE_STORAGE = lazy_regex(r"(?i)AccountKey\s*=\s*(?P<value>[^\s;\"'<>]+(?: [^\s;\"'<>]+){0,4})"
                               + ocr.DELIMITER)

_CLIENT_SECRET_CHARS = ocr.ALNUM + "_~.-"
# the tilde of the Q~ marker may come out as one or two hyphens
_MARKER = lazy_regex(r"(.{4})Q(?:~|-{1,2})")
OCR_AZURE_CLIENT_SECRET = lazy_regex(
    rf"(?<![\w~.-])(?P<value>[A-Za-z0-9_~.-]{{3}}[{re.escape(ocr.readings(string.digits))}]"
    r" ?Q ?(?:~|-{1,2}) ?"
    rf"{ocr.spaced(_CLIENT_SECRET_CHARS, 31, 34)})")


def _ocr_key_id(value: str) -> bool:
    return ocr.length_within(value, 40, 40) and ocr.mostly(value, ocr.HEX, 0.95)


def _client_secret_repaired(value: str) -> str:
    return _MARKER.sub(r"\1Q~", ocr.joined(value), count=1)


def _ocr_client_secret(value: str) -> bool:
    return ocr.length_within(value[6:], 31, 34) and ocr.mostly(value, _CLIENT_SECRET_CHARS)


def _ocr_storage_key(value: str) -> bool:
    body = value.rstrip("=")
    return ocr.length_within(body, 86, 86) and ocr.mostly(body, ocr.BASE64)


OCR_DETECTORS = (
    Detector("secret.gcp_service_account", OCR_GCP_SA, context=("service",), validate=_ocr_key_id,
             repair=ocr.hex_folded, check="service-account JSON key id, as read by OCR", confidence=0.85,
             window=400, name="gcp_service_account_ocr", ocr=True, priority=1),
    ocr.tolerant("secret.gcp_api_key", ocr.fuzzy("AIza"), "AIza", ocr.URLSAFE, 35, 35,
                 check="Google API key prefix and length", confidence=0.85, name="gcp_api_key"),
    Detector("secret.azure_storage_key", OCR_AZURE_STORAGE, keywords=("accountkey",),
             validate=_ocr_storage_key, repair=ocr.joined,
             check="Azure storage AccountKey of 88 base64 characters, as read by OCR", confidence=0.85,
             name="azure_storage_key_ocr", ocr=True, priority=1),
    Detector("secret.azure_client_secret", OCR_AZURE_CLIENT_SECRET, validate=_ocr_client_secret,
             repair=_client_secret_repaired,
             check="Azure AD client-secret format (Q~ marker), as read by OCR", confidence=0.85,
             name="azure_client_secret_ocr", ocr=True, priority=1),
)
