"""Secrets that are not alerts (placeholders, examples, wrong shapes, certificate bodies, documentation) and
passwords and keys as the common languages and config formats assign them.

Every value is generated or made up here, in the shapes the issuers document; none is a real key.
"""

from __future__ import annotations

import base64
import random
import string

import pytest

from services.detection import scan_text
from services.detection.context import DOCUMENTATION_NOTE
from services.detection.detectors.checksums import base62_crc_ok, with_base62_crc
from services.results import Severity

ACTIONABLE = 0.5
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"


def rnd(alphabet: str, length: int, salt: str = "") -> str:
    generator = random.Random(f"{alphabet}|{length}|{salt}")
    return "".join(generator.choice(alphabet) for _ in range(length))


def alerts(text: str, path: str | None = None) -> list[str]:
    return [f.type for f in scan_text(text, path=path) if f.confidence >= ACTIONABLE]


GITHUB_VALID = with_base62_crc("ghp_", rnd(ALNUM, 30, "gh"))

# --- must not alert -------------------------------------------------------------------------------------
NOT_ALERTS: list[tuple[str, str]] = [
    # Google API keys: a filler, the wrong case, cut short, run on, inside a longer base64 run
    ("gcp filler", 'apiKey: "AIza' + "a" * 35 + '"'),
    ("gcp wrong case", "key=AIZASY" + rnd(string.ascii_uppercase + string.digits, 33)),
    ("gcp cut short", "key=AIza" + rnd(URLSAFE, 30)),
    ("gcp run on", "key=AIza" + rnd(ALNUM, 35) + "abcd123"),
    ("gcp inside base64", "blob=" + rnd(ALNUM, 40) + "AIza" + rnd(ALNUM, 35)),
    ("gcp placeholder", "GOOGLE_API_KEY=AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
    # SDK test files and setup guides: a key named as a test fixture, the alphabet typed out
    ("gcp test constant", 'static final String TEST_API_KEY = "AIza' + rnd(URLSAFE, 35, "sdk") + '";'),
    ("gcp alphabet", "GEMINI_API_KEY=AIzaSy" + "AbCdEfGhIjKlMnOpQrStUvWxYz" + "1234567"),
    # GitHub: fillers, cut short, run on, the documentation example shapes
    ("github filler", "GITHUB_TOKEN=ghp_" + "x" * 36),
    ("github short", "export GH_TOKEN=ghp_" + rnd(ALNUM, 20)),
    ("github run on", "GITHUB_TOKEN=" + GITHUB_VALID + "abc"),
    ("github counter", "token: ghp_" + "1234567890" * 3 + "abcdef"),
    ("github ellipsis", "token: ghp_" + rnd(ALNUM, 8) + "..."),
    ("github in identifier", "my_ghp_" + rnd(ALNUM, 36)),
    # GitLab: fillers, cut short, a template
    ("gitlab filler", "GITLAB_TOKEN=glpat-" + "x" * 20),
    ("gitlab short", "GITLAB_TOKEN=glpat-" + rnd(URLSAFE, 12)),
    ("gitlab template", "GITLAB_TOKEN=glpat-${CI_JOB_TOKEN}"),
    ("gitlab word", "see the glpat-tokens-are-documented-here page"),
    ("gitlab runner filler", "token: GR1348941" + "x" * 20),
    # documented placeholder URLs and dummy passwords
    ("redis placeholder", "REDIS_URL=redis://user:password@localhost:6379"),
    ("amqp guest", "BROKER_URL=amqp://guest:guest@localhost:5672//"),
    ("postgres same user and password", "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app"),
    ("postgres changeme", "DATABASE_URL=postgresql://app:changeme@db:5432/app"),
    ("bracketed placeholder url", "            redis://[[username]:[password]]@localhost:6379/0"),
    ("password is password", "password: password"),
    ("password is value", '# Support for suffix after keyword i.e. password_secure = "value"'),
    ("password variable", "password = os.environ['DB_PASSWORD']"),
    ("password template", "password: {{ .Values.db.password }}"),
    ("password is a type", "    password: SecretStr"),
    # test-mode keys as placeholders (a generated one is an alert of low severity: test_secret_round7.py)
    ("stripe test key placeholder", "STRIPE_KEY=sk_test_" + "x" * 24),
    # a fixture word on the value's line
    ("fixture comment", "api_token = '" + rnd(ALNUM, 32) + "'  # fake token for the unit tests"),
]


@pytest.mark.parametrize(("label", "text"), NOT_ALERTS, ids=[c[0] for c in NOT_ALERTS])
def test_shape_is_not_an_alert(label: str, text: str) -> None:
    assert alerts(text) == [], label


def test_documented_placeholder_url_is_a_low_note_not_dropped() -> None:
    [finding] = scan_text("REDIS_URL=redis://user:password@localhost:6379")
    assert finding.type == "secret.connection_string"
    assert finding.severity == Severity.LOW and finding.confidence < ACTIONABLE
    assert finding.explanation["downgraded"] == ["value looks like a placeholder"]


def test_a_real_url_password_stays_an_alert() -> None:
    url = f"REDIS_URL=redis://cache:{rnd(ALNUM, 18)}@cache.acme.nl:6379"
    assert alerts(url) == ["secret.connection_string"]


# --- GitHub's CRC32 -----------------------------------------------------------------------------------

def test_github_checksum_is_zlib_crc32_of_the_random_part() -> None:
    assert base62_crc_ok(GITHUB_VALID)
    body = GITHUB_VALID[4:34]
    for position in (0, 15, 29):  # one character changed anywhere in the body
        changed = body[:position] + ("A" if body[position] != "A" else "B") + body[position + 1:]
        assert not base62_crc_ok("ghp_" + changed + GITHUB_VALID[34:])


def test_github_token_with_its_checksum_is_critical_and_certain_even_in_documentation() -> None:
    [finding] = scan_text(f"Use `{GITHUB_VALID}` as the token.", path="docs/setup.md")
    assert finding.type == "secret.github_token" and finding.severity == Severity.CRITICAL
    assert finding.confidence == 0.99


def test_github_token_failing_its_checksum_is_less_certain_and_a_note_in_documentation() -> None:
    made_up = "ghp_" + rnd(ALNUM, 36, "made-up")
    assert not base62_crc_ok(made_up)
    [in_code] = scan_text(f"GITHUB_TOKEN={made_up}")
    assert in_code.severity == Severity.HIGH and ACTIONABLE <= in_code.confidence < 0.99
    [in_docs] = scan_text(f"GITHUB_TOKEN={made_up}", path="README.md")
    assert in_docs.confidence < ACTIONABLE and in_docs.severity == Severity.LOW


# --- documentation --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["README.md", "docs/install.rst", "CONTRIBUTING", "guide.adoc"])
def test_sample_credentials_in_documentation_are_notes(path: str) -> None:
    slack = f"xoxb-{rnd(string.digits, 12)}-{rnd(string.digits, 13)}-{rnd(ALNUM, 24)}"
    text = f"Set `DB_PASSWORD=\"Wz8!kLq2mZ\"` and `SLACK={slack}` in your .env\n"
    found = scan_text(text, path=path)
    assert found and all(f.confidence < ACTIONABLE for f in found)
    assert all(f.explanation["downgraded"] == [DOCUMENTATION_NOTE] for f in found)


def test_the_same_credentials_in_code_are_alerts() -> None:
    text = 'DB_PASSWORD = "Wz8!kLq2mZ"\n'
    assert alerts(text, path="settings.py") == ["secret.password"]


# --- certificate bundles --------------------------------------------------------------------------------

def _pem_bundle_with(run: str) -> str:
    body = base64.b64encode(random.Random("cert").randbytes(480)).decode()
    body = body[:100] + run + body[100 + len(run):]
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize("run", ["AQE" + rnd(ALNUM, 61), "AIza" + rnd(ALNUM, 35), "AKIA" + rnd(
    string.ascii_uppercase + string.digits, 16), "SK" + rnd("0123456789abcdef", 32)])
def test_key_shaped_run_inside_a_certificate_is_not_a_key(run: str) -> None:
    assert alerts(_pem_bundle_with(run), path="certifi/cacert.pem") == []


def test_the_same_key_on_its_own_line_is_found() -> None:
    key = "AIza" + rnd(ALNUM, 35, "own")
    assert alerts(f"GOOGLE_MAPS={key}\n") == ["secret.gcp_api_key"]


# --- passwords and keys as languages and config formats assign them ------------------------------------
PASSWORD = "Vr8!kLq2mZp"
KEY = "key-" + rnd("abcdefghijklmnopqrstuvwxyz0123456789", 32, "mailgun")
TOKEN = rnd(ALNUM, 32, "generic")

ASSIGNMENTS: list[tuple[str, str, str]] = [
    ("python", f'DB_PASSWORD = "{PASSWORD}"', "secret.password"),
    ("python typed", f'password: str = "{PASSWORD}"', "secret.password"),
    ("python dict", f'config = {{"password": "{PASSWORD}"}}', "secret.password"),
    ("python kwarg", f'connect(host="db", password="{PASSWORD}")', "secret.password"),
    ("python environ default", f'os.environ.get("DB_PASSWORD", "{PASSWORD}")', "secret.password"),
    ("javascript", f"const dbPassword = '{PASSWORD}';", "secret.password"),
    ("javascript object", f"module.exports = {{ password: '{PASSWORD}' }};", "secret.password"),
    ("typescript typed", f'private password: string = "{PASSWORD}";', "secret.password"),
    ("java field", f'private static final String DB_PASSWORD = "{PASSWORD}";', "secret.password"),
    ("java setter", f'dataSource.setPassword("{PASSWORD}");', "secret.password"),
    ("java properties put", f'props.put("mail.smtp.password", "{PASSWORD}");', "secret.password"),
    ("properties", f"spring.datasource.password={PASSWORD}", "secret.password"),
    ("yaml quoted", f'  password: "{PASSWORD}"', "secret.password"),
    ("yaml plain word", "  password: welkomthuis", "secret.password"),
    ("go", f'var dbPassword string = "{PASSWORD}"', "secret.password"),
    ("xml", f"<password>{PASSWORD}</password>", "secret.password"),
    ("python api key", f'MAILGUN_API_KEY = "{KEY}"', "secret.generic"),
    ("javascript api key", f"const apiKey = '{KEY}';", "secret.generic"),
    ("java api key", f'private static final String API_KEY = "{KEY}";', "secret.generic"),
    ("properties api key", f"mailgun.api-key={KEY}", "secret.generic"),
    ("yaml api key", f"  api_key: {KEY}", "secret.generic"),
    ("python token", f'self.api_token = "{TOKEN}"', "secret.generic"),
    ("netrc one line", f"machine api.acme.nl login deploy password {TOKEN}", "secret.password"),
    ("netrc lines", f"machine api.acme.nl\n  login deploy\n  password {TOKEN}\n", "secret.password"),
    ("key with underscores", f"API_KEY = '{rnd(ALNUM, 12, 'a')}_{rnd(ALNUM, 12, 'b')}_{rnd(ALNUM, 8, 'c')}'",
     "secret.generic"),
    ("javascript token", f"headers['X-Auth-Token'] = '{TOKEN}';", "secret.generic"),
    ("java key setter", f'client.setApiKey("{TOKEN}");', "secret.generic"),
    ("java map put", f'headers.put("X-Api-Key", "{TOKEN}");', "secret.generic"),
]


@pytest.mark.parametrize(("label", "text", "kind"), ASSIGNMENTS, ids=[c[0] for c in ASSIGNMENTS])
def test_assigned_secret_is_found(label: str, text: str, kind: str) -> None:
    assert alerts(text) == [kind], label


NOT_PASSWORDS: list[tuple[str, str]] = [
    ("python lookup", 'password = request.form["password"]'),
    ("python none", "password = None"),
    ("javascript env", "const password = process.env.DB_PASSWORD;"),
    ("java getter", "String password = config.getPassword();"),
    ("form label", 'labels.put("password", "Wachtwoord");'),
    ("properties placeholder", "spring.datasource.password=${DB_PASSWORD}"),
    ("yaml type", "  password: SecretStr"),
    ("yaml empty", "  password:"),
    ("api key variable", "const apiKey = process.env.MAILGUN_API_KEY;"),
    ("key name lookup", 'cache_key = "user-profile-settings-v2"'),
    ("password status constant", "INVALID_PASSWORD = '28P01'"),
    ("icon name list", '    "passkey", "passport", "password", "password_2", "password_2_off",'),
    ("javascript comparison", "t.username===void 0&&t.password===void 0&&(e.password=Z(r.password))"),
    # code, not values: an attribute alias, a list of C type names, a comment about netrc
    ("attribute alias", "    RegEnumKey = win32api.RegEnumKey"),
    ("settings reference", "API_KEY: settings.SECRET_API_KEY"),
    ("type name list", "    'pkcs7_encrypted_st', 'RC4_KEY', '__darwin_ucontext64_t',"),
    ("netrc prose", "# If no login/password was specified but netrc was requested,\n# read ~/.netrc"),
]


@pytest.mark.parametrize(("label", "text"), NOT_PASSWORDS, ids=[c[0] for c in NOT_PASSWORDS])
def test_reference_to_a_secret_is_not_a_secret(label: str, text: str) -> None:
    assert alerts(text) == [], label
