"""Classes of secrets from issue 15's seventh round, each with values that must be found and look-alikes that
must not alert.

Written from public descriptions: YAML's plain scalars and the grouped shape of generated passwords
(`abcde-fghij-klmno`), the full printable alphabet of generated secrets (Django/Rails keys, password
managers), Exact Online's SDK names and AFAS Profit's documented token (`<token><version>1</version><data>`
and 64 hex characters, or that XML in base64 after `AfasToken`), the payment providers' test-mode keys
(Mollie `test_`, Stripe `sk_test_`: credentials of the account's test mode), AWS IAM's "secret access key"
and the credentials-file/SDK names for it,
StackExchange.Redis' configuration-string syntax (endpoints, then option=value pairs), Twilio's quickstart
configuration (Account SID and Auth Token in a Twilio section), Google's reCAPTCHA docs (the site key is
embedded in every page), Supabase's API-key docs (the anon key is safe in a browser, the service_role key
is not), Google's and Firebase's API-key docs (browser keys and Firebase config keys are public by design).
Every value is made up here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string

import pytest

from services.detection import scan_text
from services.results import Severity

ACTIONABLE = 0.5
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"
URLSAFE = ALNUM + "_-"
# printable ASCII without space, quotes and backslash: the alphabet of symbol-rich generated secrets
PRINTABLE = "".join(c for c in string.printable if not c.isspace() and c not in "\"'`\\")


def rnd(alphabet: str, length: int, salt: str = "") -> str:
    """A random-looking string, the same on every run."""
    generator = random.Random(f"{alphabet}|{length}|{salt}")
    return "".join(generator.choice(alphabet) for _ in range(length))


def alerts(text: str, path: str | None = None) -> list[str]:
    """Types of the actionable findings in `text`."""
    return [f.type for f in scan_text(text, path=path) if f.confidence >= ACTIONABLE]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def supabase_key(role: str, issuer: str = "supabase") -> str:
    """A JWT with Supabase's documented claims for an API key, signed with a throwaway key."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"iss": issuer, "ref": rnd(string.ascii_lowercase, 20, role), "role": role,
              "iat": 1700000000, "exp": 2000000000}
    payload = _b64url(json.dumps(claims).encode())
    signature = _b64url(hmac.new(rnd(ALNUM, 32, "k").encode(), f"{header}.{payload}".encode(),
                                 hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


# AWS secret access keys: 40 base64 characters, may start with + or /
AWS_SECRET = "+" + rnd(ALNUM, 20, "aws") + "/" + rnd(ALNUM, 18, "aws2")
REDIS_PW = rnd(ALNUM, 24, "redis")
AUTH_TOKEN = rnd(HEX, 32, "twilio")
GOOGLE_KEY = "AIza" + rnd(URLSAFE, 35, "google")

FOUND = [
    ("secret access key under an aws section, YAML",
     f"aws:\n  ses_access_key_id: AKIA{rnd(string.ascii_uppercase + string.digits, 16)}\n"
     f"  ses_secret_access_key: {AWS_SECRET}\n", "secret.aws_secret_key"),
    ("SDK name SecretAccessKey, JSON", f'{{"AccessKeyId": "x", "SecretAccessKey": "{AWS_SECRET}"}}\n',
     "secret.aws_secret_key"),
    ("credentials file", f"[default]\naws_secret_access_key = {AWS_SECRET}\n", "secret.aws_secret_key"),
    ("StackExchange.Redis string in appsettings",
     f'{{\n  "ConnectionStrings": {{\n    "Cache": "cache01.acme.nl:6380,password={REDIS_PW},ssl=True,'
     'abortConnect=False"\n  }\n}\n', "secret.connection_string"),
    ("StackExchange.Redis string in C#",
     'var mux = ConnectionMultiplexer.Connect('
     f'"redis-a.acme.local,redis-b.acme.local:6380,password={REDIS_PW}");\n',
     "secret.connection_string"),
    ("Twilio auth token in a JSON section",
     f'"Twilio": {{\n  "AccountSid": "AC{rnd(HEX, 32, "sid")}",\n  "AuthToken": "{AUTH_TOKEN}"\n}}\n',
     "secret.twilio_key"),
    ("Twilio auth token in a YAML section", f"twilio:\n  account_sid: AC{rnd(HEX, 32, 's2')}\n"
     f"  auth_token: {AUTH_TOKEN}\n", "secret.twilio_key"),
    ("WordPress secret key next to a site key",
     f"define( 'SECURE_AUTH_KEY', '{rnd(ALNUM + '!#%*(){{}}[]<>', 64, 'wp')}' );\n", "secret.generic"),
    ("Supabase service_role key", f"SUPABASE_SERVICE_ROLE_KEY={supabase_key('service_role')}\n",
     "secret.jwt"),
    ("Maps key in a server .env", f"GOOGLE_MAPS_KEY={GOOGLE_KEY}\n", "secret.gcp_api_key"),
    ("Maps key in an Android constant", f'const val MAPS_KEY = "{GOOGLE_KEY}"\n', "secret.gcp_api_key"),
    ("a key whose name only mentions public elsewhere on the line",
     f"GEOCODING_KEY={GOOGLE_KEY}  # used by the server, never in public pages\n", "secret.gcp_api_key"),
]


AFAS_XML = f"<token><version>1</version><data>{rnd('0123456789ABCDEF', 64, 'afas')}</data></token>"
SYMBOL_SECRET = rnd(PRINTABLE, 50, "symbols")
PW_FALLBACK = rnd(ALNUM, 8, "fallback") + "#" + rnd(ALNUM, 6, "fallback2")

FOUND += [
    ("grouped generated password in a workflow", "        with:\n          username: deploy\n"
     f"          password: {rnd(string.ascii_letters, 5, 'g1')}-{rnd(string.ascii_letters, 5, 'g2')}-"
     f"{rnd(string.ascii_letters, 5, 'g3')}\n", "secret.password"),
    ("symbol-rich secret key in YAML", f'app:\n  secret_key: "{SYMBOL_SECRET}"\n', "secret.generic"),
    ("symbol-rich session secret in Python", f"SESSION_SECRET = '{SYMBOL_SECRET}'\n", "secret.generic"),
    ("Exact Online client secret in C#", "using ExactOnline.Client.Sdk.Controllers;\n\nclass Sync\n{\n"
     f'    private const string ClientSecret = "{rnd(ALNUM, 12, "exact")}";\n}}\n', "secret.exact_online"),
    ("Exact Online client secret in YAML", "exact_online:\n  division: 12345\n"
     f"  client_secret: {rnd(ALNUM, 14, 'exact2')}\n", "secret.exact_online"),
    ("AFAS token in C#", f'private const string AfasToken = "{AFAS_XML}";\n', "secret.generic"),
    ("AFAS token in an Authorization header",
     f"curl -H 'Authorization: AfasToken {base64.b64encode(AFAS_XML.encode()).decode()}' https://x\n",
     "secret.generic"),
    ("Kotlin elvis fallback of a password variable",
     f'val dbPassword: String = System.getenv("APP_DB_PASSWORD") ?: "{PW_FALLBACK}"\n', "secret.password"),
    ("PHP getenv fallback", f"$pw = getenv('SMTP_PASSWORD') ?: '{PW_FALLBACK}';\n", "secret.password"),
    ("JavaScript || fallback", f'const pw = process.env.DB_PASSWORD || "{PW_FALLBACK}";\n',
     "secret.password"),
    ("JavaScript ?? fallback", f"const pw = process.env['DB_PASSWORD'] ?? '{PW_FALLBACK}';\n",
     "secret.password"),
    ("PHP PDO with the global namespace", "return new \\PDO('mysql:host=db.acme.internal;dbname=app', 'app', "
     f"'{rnd(ALNUM, 24, 'pdo')}');\n", "secret.password"),
    ("Mollie test key in an .env", f"MOLLIE_API_KEY=test_{rnd(ALNUM, 30, 'mollie')}\n", "secret.mollie_key"),
    ("Stripe test key in settings", f"STRIPE_SECRET_KEY = 'sk_test_{rnd(ALNUM, 24, 'stripe')}'\n",
     "secret.stripe_key"),
]


@pytest.mark.parametrize(("name", "text", "kind"), FOUND, ids=[c[0] for c in FOUND])
def test_found(name: str, text: str, kind: str) -> None:
    assert kind in alerts(text), name


NOT_ALERTED = [
    ("secret access key from the environment", "aws:\n  secret_access_key: ${AWS_SECRET_ACCESS_KEY}\n"),
    ("StackExchange.Redis string with a variable",
     '"Cache": "cache01.acme.nl:6380,password=${REDIS_PASSWORD},ssl=True"\n'),
    ("StackExchange.Redis string with a placeholder",
     '"Cache": "cache01.acme.nl:6380,password=<your-password>,ssl=True"\n'),
    ("StackExchange.Redis string without a password",
     '"Cache": "cache01.acme.nl:6380,ssl=True,abortConnect=False"\n'),
    ("reCAPTCHA site key constant", f"define( 'RECAPTCHA_SITE_KEY', '6L{rnd(URLSAFE, 38, 'site')}' );\n"),
    ("publishable key constant", f"define('STRIPE_PUBLISHABLE_KEY', 'pk_live_{rnd(ALNUM, 40, 'pk')}');\n"),
    ("Supabase anon key", f"SUPABASE_ANON_KEY={supabase_key('anon')}\n"),
    ("Supabase anon key, any name", f"export const supabaseKey = '{supabase_key('anon')}';\n"),
    ("Supabase local demo anon key", f"key = '{supabase_key('anon', 'supabase-demo')}'\n"),
    ("Maps browser key in a web config", f"  mapsBrowserKey: '{GOOGLE_KEY}',\n"),
    ("Firebase config object", f'  firebase: {{ apiKey: "{GOOGLE_KEY}", projectId: "acme-app" }},\n'),
    ("Firebase key variable", f"FIREBASE_API_KEY={GOOGLE_KEY}\n"),
    ("public key name", f"NEXT_PUBLIC_GOOGLE_KEY={GOOGLE_KEY}\n"),
]


NOT_ALERTED += [
    ("password slug in YAML", "password: from-secret-store\n"),
    ("password word groups in YAML", "smtp_password: not-set-yet\n"),
    ("upper-case groups in YAML", "db_password: READ-ONLY-USER\n"),
    ("secret with an interpolation", 'secret_key: "${SECRET_KEY:-dev}#{x}!Ab1"\n'),
    ("secret with a format", "SECRET_KEY = '%(SECRET)s-Abc123!xyz-%(x)s'\n"),
    ("secret template", 'api_token: "{{ vault_token }}"\n'),
    ("a regular expression describing a key", "STRIPE_SECRET_RE = '^sk_live_[0-9a-zA-Z]{24}$'\n"),
    ("a regular expression with classes",
     "SECRET_TOKEN_MATCH = '(?:ghp|gho)_[A-Za-z0-9]{36}|glpat-[\\w-]{20}'\n"),
    ("client secret without Exact named", f'private const string ClientSecret = "{rnd(ALNUM, 12, "nx")}";\n'),
    ("Exact client id (a GUID)", "using ExactOnline.Client.Sdk;\n"
     'private const string ClientId = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";\n'),
    ("client secret from the environment near Exact",
     "using ExactOnline.Client.Sdk;\nvar ClientSecret = Environment.GetEnvironmentVariable(\"EXACT\");\n"),
    ("AFAS token documentation sample", f"<token><version>1</version><data>{'0' * 64}</data></token>\n"),
    ("AFAS token with short data", "<token><version>1</version><data>ABC123</data></token>\n"),
    ("fallback of a password file variable",
     'const f = process.env.DB_PASSWORD_FILE || "/run/secrets/db2";\n'),
    ("empty fallback", 'const pw = process.env.DB_PASSWORD || "";\n'),
    ("fallback of another variable", 'val host = System.getenv("DB_HOST") ?: "db01.acme.internal"\n'),
    ("placeholder fallback", 'const pw = process.env.DB_PASSWORD ?? "changeme";\n'),
    ("a dummy password with the symbol a policy demands", '  password: "Password123!",\n'),
    ("the same as a bare value", "DB_PASSWORD=Secret123!\n"),
    ("Mollie test key placeholder", "MOLLIE_API_KEY=test_" + "x" * 30 + "\n"),
]


@pytest.mark.parametrize(("name", "text"), NOT_ALERTED, ids=[c[0] for c in NOT_ALERTED])
def test_not_alerted(name: str, text: str) -> None:
    assert not [k for k in alerts(text) if k.startswith("secret.")], name


def test_a_hex_digest_is_no_aws_secret() -> None:
    """AWS secret keys are mixed-case base64: a 40-hex digest under the same name is not one."""
    assert "secret.aws_secret_key" not in alerts(f"secret_access_key_sha1: {rnd(HEX, 40, 'sha')}\n")


def test_stackexchange_string_is_one_connection_string_not_a_password() -> None:
    text = f'"Cache": "cache01.acme.nl:6380,password={REDIS_PW},ssl=True"\n'
    assert alerts(text) == ["secret.connection_string"]


def test_call_keywords_are_not_a_redis_string() -> None:
    """`connect(host, password=pw)` in code: keyword arguments, reported by the password rules if at all."""
    assert "secret.connection_string" not in alerts(f"r = redis.Redis(host, password='{REDIS_PW}')\n")


def test_twilio_api_secret_keeps_its_type() -> None:
    """The section rule for the auth token does not retype an API key's secret assigned to a Twilio name."""
    assert alerts(f'TWILIO_API_SECRET = "{rnd(ALNUM, 32, "api")}"\n') == ["secret.twilio_key"]


def test_supabase_anon_key_is_a_note_that_says_why() -> None:
    findings = scan_text(f"SUPABASE_ANON_KEY={supabase_key('anon')}\n")
    assert [f.type for f in findings] == ["secret.jwt"]
    assert "public by design" in str(findings[0].explanation.get("downgraded"))


def test_adyen_key_with_symbols_keeps_its_type() -> None:
    """An Adyen key's `=-…=->` tail has symbols, but long runs without them: the Adyen rule types it."""
    key = f"AQE{rnd(B64, 57, 'ad1')}==-{rnd(B64, 40, 'ad2')}=->{rnd(ALNUM, 7, 'ad3')}"
    assert alerts(f'api_key = "{key}"\n') == ["secret.adyen_key"]


@pytest.mark.parametrize("text", [
    f"MOLLIE_API_KEY=test_{rnd(ALNUM, 30, 'sev')}\n",
    f"STRIPE_SECRET_KEY=sk_test_{rnd(ALNUM, 24, 'sev')}\n",
])
def test_test_mode_keys_alert_at_low_severity(text: str) -> None:
    found = [f for f in scan_text(text) if f.confidence >= ACTIONABLE]
    assert found and all(f.severity == Severity.LOW for f in found)


def test_test_mode_key_in_documentation_is_a_note() -> None:
    text = f"MOLLIE_API_KEY=test_{rnd(ALNUM, 30, 'doc')}\n"
    assert not alerts(text, path="docs/payments.md")
