"""Classes of secrets from issue 15's fourth round, each with values that must be found and look-alikes that
must not alert.

Written from the formats' public descriptions: Microsoft's connection-string keyword syntax (ADO.NET,
ODBC), MySQL Connector/J and PostgreSQL JDBC URL parameters, Google's service-account key file, Anthropic's
key format (as gitleaks documents it), Twilio API key secrets, Adyen HMAC and client keys, bunq and Exact
Online app credentials, Terraform's AWS and azurerm settings, Azure Storage SAS tokens, YAML 1.2 and INI
comment rules, Sentry DSNs, New Relic license keys, Laravel's APP_KEY, Docker's config.json, PHP's PDO
constructor, redis-server's --requirepass, ASP.NET's machineKey and Django's PASSWORD_RESET_TIMEOUT. Every
value is generated or made up here; none is a real credential.
"""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path

import pytest

from services.detection import scan_text, structured

ACTIONABLE = 0.5
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"


def rnd(alphabet: str, length: int, salt: str = "") -> str:
    """A random-looking string, the same on every run for the same arguments."""
    generator = random.Random(f"{alphabet}|{length}|{salt}")
    return "".join(generator.choice(alphabet) for _ in range(length))


PW = rnd(ALNUM, 11, "pw") + "#4"  # a made-up password with a `#` inside


def alerts(text: str) -> list[tuple[str, int]]:
    """(type, line) of every secret alert."""
    return [(f.type, int(f.location["line"])) for f in scan_text(text)
            if f.confidence >= ACTIONABLE and f.type.startswith("secret.")]


def kinds(text: str) -> list[str]:
    return [kind for kind, _ in alerts(text)]


def _service_account(with_key: bool) -> str:
    pem_body = "\n".join(rnd(B64, 64, str(i)) for i in range(20))
    document: dict[str, str] = {"type": "service_account", "project_id": "acme-analytics",
                                "private_key_id": rnd(HEX, 40, "kid")}
    if with_key:
        document["private_key"] = f"-----BEGIN PRIVATE KEY-----\n{pem_body}\n-----END PRIVATE KEY-----\n"
    document["client_email"] = "loader@acme-analytics.iam.gserviceaccount.com"
    return json.dumps(document, indent=2)


FOUND = [
    # one connection-string finding, the password inside it is part of it
    ("ADO.NET Server/User ID/Password",
     f'"Db": "Server=tcp:db.acme.nl,1433;Initial Catalog=crm;User ID=crm;Password={PW};Encrypt=True;"',
     ["secret.connection_string"]),
    ("ADO.NET Data Source in Web.config",
     f'<add name="Legacy" connectionString="Data Source=SQL01\\PROD;Initial Catalog=Huur;User Id=sa;'
     f'Password={PW};" providerName="System.Data.SqlClient" />', ["secret.connection_string"]),
    ("ADO.NET in a C# constant",
     f'private const string Conn = "Data Source=10.0.0.5;Initial Catalog=docs;User Id=app;Password={PW};";',
     ["secret.connection_string"]),
    ("Npgsql Host/Username/Password", f'"Pg": "Host=pg.acme.nl;Username=app;Password={PW}"',
     ["secret.connection_string"]),
    ("Password= without a server: a password, not a connection string", "Password=Xk29pqLm;Timeout=30;",
     ["secret.password"]),
    ("ODBC Pwd", f"DSN_STRING=Driver={{ODBC Driver 18}};Server=db;Uid=app;Pwd={PW};",
     ["secret.connection_string"]),
    ("JDBC MySQL user/password parameters",
     f"spring.datasource.url=jdbc:mysql://db.acme.nl:3306/orders?user=orders&password={PW}&useSSL=true",
     ["secret.connection_string"]),
    ("JDBC SQL Server semicolon parameters",
     f"url=jdbc:sqlserver://db.acme.nl:1433;databaseName=crm;user=crm;password={PW}",
     ["secret.connection_string"]),
    # the service-account file is one finding, at its private key
    ("service-account key file", _service_account(with_key=True), ["secret.gcp_service_account"]),
    # Anthropic keys are not OpenAI keys
    ("Anthropic API key",
     f'ANTHROPIC_API_KEY = "sk-ant-api03-{rnd(ALNUM + "_-", 93)}AA"', ["secret.generic"]),
    ("Anthropic admin key", f'key = "sk-ant-admin01-{rnd(ALNUM + "_-", 93, "a")}AA"', ["secret.generic"]),
    # the vendor in the name or the enclosing section types the secret
    ("Twilio API secret, env", f'TWILIO_API_SECRET = "{rnd(ALNUM, 32)}"', ["secret.twilio_key"]),
    ("Twilio API secret, property", f"app.twilio.api-secret={rnd(ALNUM, 32, 'p')}", ["secret.twilio_key"]),
    ("Twilio API secret, C#", f'private const string TwilioApiSecret = "{rnd(ALNUM, 32, "c")}";',
     ["secret.twilio_key"]),
    ("Adyen HMAC key", f'ADYEN_HMAC_KEY = "{rnd("0123456789ABCDEF", 64)}"', ["secret.adyen_key"]),
    ("bunq section, JSON", f'"Bunq": {{\n  "ApiKey": "{rnd(HEX, 64)}"\n}}', ["secret.bunq_key"]),
    ("bunq section, YAML", f"bunq:\n  environment: production\n  api_key: {rnd(HEX, 64, 'y')}\n",
     ["secret.bunq_key"]),
    ("Exact Online section with a braced GUID",
     '"ExactOnline": {\n  "ClientId": "{0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0}",\n'
     f'  "ClientSecret": "{rnd(string.ascii_letters, 12)}"\n}}', ["secret.exact_online"]),
    ("Exact webhook secret, letters only", f'EXACT_WEBHOOK_SECRET = "{rnd(string.ascii_letters, 12, "w")}"',
     ["secret.exact_online"]),
    ("Exact client secret in a PHP array", f"    'exact_client_secret' => '{rnd(ALNUM, 12, 'php')}',",
     ["secret.exact_online"]),
    ("Exact section, INI", f"[exact]\nclient_secret = {rnd(ALNUM, 14, 'ini')}\n", ["secret.exact_online"]),
    # Terraform and Azure
    ("Terraform AWS provider secret_key",
     f'provider "aws" {{\n  region     = "eu-west-1"\n'
     f'  access_key = "AKIA{rnd(string.ascii_uppercase, 16)}"\n'
     f'  secret_key = "{rnd(B64, 40)}"\n}}', ["secret.aws_access_key", "secret.aws_secret_key"]),
    ("storage_account_key in tfvars",
     f'storage_account_key = "{rnd(B64, 86)}=="', ["secret.azure_storage_key"]),
    ("Azure Storage SAS in appSettings",
     '<add key="BlobSas" value="sv=2022-11-02&amp;ss=b&amp;srt=co&amp;sp=rl&amp;se=2027-01-01T00:00:00Z'
     f'&amp;spr=https&amp;sig={rnd(ALNUM, 30)}%2F{rnd(ALNUM, 12)}%2B{rnd(ALNUM, 4)}%3D" />',
     ["secret.azure_storage_key"]),
    # `#` inside a value is not a comment
    ("YAML password with #", f"spring:\n  datasource:\n    password: {PW}\n", ["secret.password"]),
    ("INI passphrase with #", f"key_passphrase = {rnd(ALNUM, 9, 'ini')}+Y#z\n", ["secret.password"]),
    # missing shapes
    ("Sentry DSN",
     f'sentry_sdk.init(dsn="https://{rnd(HEX, 32)}@o{rnd(string.digits, 6)}.ingest.sentry.io/42")',
     ["secret.generic"]),
    ("New Relic EU license key", f'NEW_RELIC_LICENSE_KEY = "eu01xx{rnd(HEX, 30)}NRAL"', ["secret.generic"]),
    ("Laravel APP_KEY", f"APP_KEY=base64:{rnd(B64, 43)}=", ["secret.generic"]),
    ("Docker config auth, password",
     json.dumps({"auths": {"registry.acme.nl": {"auth": base64.b64encode(f"ci:{PW}".encode()).decode()}}}),
     ["secret.password"]),
    ("PDO third argument", f"$pdo = new PDO('mysql:host=db;dbname=shop', 'shop_rw', '{PW}');",
     ["secret.password"]),
    ("mysqli_connect third argument", f"$db = mysqli_connect('db.acme.nl', 'shop', '{PW}', 'shop');",
     ["secret.password"]),
    ("redis --requirepass, exec form",
     f'command: ["redis-server", "--requirepass", "{PW}"]', ["secret.password"]),
    ("--password= on a command line", f"mysqldump --user=backup --password={PW} shop > dump.sql",
     ["secret.password"]),
    ("ASP.NET machine key in appSettings",
     f'<add key="MachineKeyValidation" value="{rnd("0123456789ABCDEF", 128)}" />',
     ["secret.generic"]),
    ("R Sys.setenv personal access token", f'Sys.setenv(OSF_PAT = "{rnd(ALNUM, 70)}")', ["secret.generic"]),
    ("encryption key pair in a PHP config", f"'encryptionkeypair' => '{rnd(B64, 128)}',", ["secret.generic"]),
    ("JWT signing key in an appsettings section",
     f'"Jwt": {{\n  "Issuer": "crm.acme.nl",\n  "Key": "{rnd(ALNUM, 64)}"\n}}', ["secret.generic"]),
]

NOT_FOUND = [
    ("connection string without a password", '"Db": "Server=db;Database=crm;Trusted_Connection=True;"'),
    ("connection string with a format placeholder",
     '"Db": "Server=db;Database=crm;User Id={0};Password={1};"'),
    ("connection string with an MSBuild variable", '"Db": "Server=db;User Id=app;Password=$(DbPassword);"'),
    ("connection-string how-to prose", "<p>Server=your server; Password=your password</p>"),
    ("connection-string reference example",
     '"Server=myServerAddress;Database=myDataBase;User Id=myUsername;Password=myPassword;"'),
    ("connection string with a well-known dummy password",
     '"Server=localhost;Database=test;Uid=root;Pwd=secret;"'),
    ("JDBC URL with password=password", "jdbc:mysql://localhost:3306/test?user=root&password=password"),
    ("JDBC URL with a variable password", "url=jdbc:postgresql://db/crm?user=crm&password=${DB_PASSWORD}"),
    ("JDBC URL without credentials", "url=jdbc:postgresql://db.acme.nl:5432/crm?sslmode=require"),
    ("service-account file without its key", ""),  # filled in below: the key id alone is reported
    ("Anthropic-looking key with the wrong ending", f'k = "sk-ant-api03-{rnd(ALNUM, 93, "x")}BB"'),
    ("Twilio account SID (an id, AC…)", f'TWILIO_ACCOUNT_SID = "AC{rnd(HEX, 32)}"'),
    ("bunq name only outside the section",
     f'"Bunq": {{ "Environment": "SANDBOX" }},\n"Git": {{ "Sha": "{rnd(HEX, 64)}" }}'),
    ("Exact section with a placeholder", '"ExactOnline": {\n  "ClientSecret": "<client-secret>"\n}'),
    ("Exact secret that is a word", 'EXACT_WEBHOOK_SECRET = "webhooksecret"'),
    ("Adyen client key (public by design)",
     f'ADYEN_CLIENT_KEY = "live_{rnd(string.ascii_uppercase + string.digits, 32)}"'),
    ("Adyen client key in a JS config", f"adyen: {{ clientKey: 'test_{rnd(string.ascii_uppercase, 32)}' }}"),
    ("secret_key without an AWS key id", f'secret_key = "{rnd(string.ascii_lowercase, 40)}"'),
    ("SAS-like URL without sv=", f"https://cdn.acme.nl/a.png?page=2&sig={rnd(ALNUM, 44)}%3D"),
    ("YAML comment after a space", "password: # set in the vault\n"),
    ("vault reference with #field", "DB_PASSWORD=vault:secret/data/prod/db#password\n"),
    ("password reset timeout", "PASSWORD_RESET_TIMEOUT = 259200"),
    ("password max age in days", "password_max_age_days: 90"),
    ("password retry limit", "PASSWORD_RETRY_LIMIT=5"),
    ("Sentry DSN with a documentation key", f"dsn: https://{'0' * 32}@o0.ingest.sentry.io/0"),
    ("self-written sentry URL without a key", "SENTRY_URL=https://sentry.io/organizations/acme/issues/"),
    ("New Relic-like string of the wrong length", f"license: eu01xx{rnd(HEX, 20)}NRAL"),
    ("Laravel APP_KEY placeholder", "APP_KEY=base64:" + "A" * 43 + "="),
    ("an auth field that is not a login pair",
     json.dumps({"auths": {"r.acme.nl": {"auth": base64.b64encode(b"just-a-token-no-colon").decode()}}})),
    ("an auth setting outside a docker config",
     '"auth": "' + base64.b64encode(f"ci:{PW}".encode()).decode() + '"'),
    ("PDO with variables", "$pdo = new PDO($dsn, $user, $password);"),
    ("requirepass from the environment", "command: redis-server --requirepass $REDIS_PASSWORD"),
    ("--password-file flag", "restic --password-file /run/secrets/restic backup /data"),
    ("a PAT-like lower-case name", f'pat = "{rnd(ALNUM, 40)}"'),
    ("machineKey AutoGenerate", '<machineKey validationKey="AutoGenerate,IsolateApps" decryption="AES" />'),
    ("JWT section with an issuer only", '"Jwt": {\n  "Issuer": "crm.acme.nl",\n  "Audience": "crm-api"\n}'),
]
# values the generic net may still report, but not as the vendor's type
NOT_TYPED = [
    ("Twilio name with a short value", f'TWILIO_API_SECRET = "{rnd(ALNUM, 20)}"', "secret.twilio_key"),
    ("storage key name with a short value", f'storage_account_key = "{rnd(B64, 40)}=="',
     "secret.azure_storage_key"),
    ("OpenAI rule and an Anthropic key", f'k = "sk-ant-api03-{rnd(ALNUM, 93, "o")}AA"', "secret.openai_key"),
    ("connection string rule and a lone password", "Password=Xk29pqLm;Timeout=30;",
     "secret.connection_string"),
]
_SA_INDEX = next(i for i, case in enumerate(NOT_FOUND) if case[0].startswith("service-account"))
NOT_FOUND.pop(_SA_INDEX)


@pytest.mark.parametrize(("case", "text", "expected"), FOUND, ids=[c[0] for c in FOUND])
def test_secret_class_is_found_once_with_its_type(case: str, text: str, expected: list[str]) -> None:
    assert sorted(kinds(text)) == sorted(expected)


@pytest.mark.parametrize(("case", "text"), NOT_FOUND, ids=[c[0] for c in NOT_FOUND])
def test_look_alike_is_not_an_alert(case: str, text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(("case", "text", "kind"), NOT_TYPED, ids=[c[0] for c in NOT_TYPED])
def test_look_alike_does_not_get_the_vendor_type(case: str, text: str, kind: str) -> None:
    assert kind not in kinds(text)


def test_service_account_is_one_finding_at_its_private_key() -> None:
    text = _service_account(with_key=True)
    key_line = next(n for n, line in enumerate(text.splitlines(), 1) if '"private_key":' in line)
    assert alerts(text) == [("secret.gcp_service_account", key_line)]


def test_service_account_without_its_key_is_reported_at_the_key_id() -> None:
    text = _service_account(with_key=False)
    id_line = next(n for n, line in enumerate(text.splitlines(), 1) if '"private_key_id":' in line)
    assert alerts(text) == [("secret.gcp_service_account", id_line)]


def test_private_key_outside_a_service_account_stays_a_private_key() -> None:
    pem_body = "\n".join(rnd(B64, 64, str(i)) for i in range(10))
    text = json.dumps({"name": "deploy", "private_key": f"-----BEGIN PRIVATE KEY-----\n{pem_body}\n"
                                                       "-----END PRIVATE KEY-----\n"})
    assert kinds(text) == ["secret.private_key"]


def test_docker_login_with_a_github_token_takes_the_token_type() -> None:
    from services.detection.detectors.checksums import with_base62_crc

    token = with_base62_crc("ghp_", rnd(ALNUM, 30, "gh"))
    auth = base64.b64encode(f"ci-bot:{token}".encode()).decode()
    assert kinds(json.dumps({"auths": {"ghcr.io": {"auth": auth}}})) == ["secret.github_token"]


def test_connection_string_evidence_does_not_end_in_the_password() -> None:
    finding = next(f for f in scan_text(f'"Db": "Server=db;User Id=app;Password={PW}"')
                   if f.type == "secret.connection_string")
    assert PW[-3:] not in finding.evidence and finding.evidence.startswith("Serv")


def test_secret_rules_see_the_lines_around_a_value_in_a_structured_file(tmp_path: Path) -> None:
    """A JSON file read by column still gives secret rules the section and `"auths"` lines around a value
    (those lines hold no parsed value, the value's line does: they were scanned apart before)."""
    settings = {"Bunq": {"ApiKey": rnd(HEX, 64, "file")},
                "auths": {"registry.acme.nl": {"auth": base64.b64encode(f"ci:{PW}".encode()).decode()}}}
    path = tmp_path / "appsettings.Production.json"
    path.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    kinds_of = frozenset({"pii", "secret", "special"})
    found = structured.scan_structured(path, path.name, kinds_of, structured.plain_text_scan(path, path.name))
    assert found is not None
    assert sorted(f.type for f in found if f.type.startswith("secret.") and f.confidence >= ACTIONABLE) == [
        "secret.bunq_key", "secret.password"]


def test_anthropic_key_read_by_ocr_is_not_an_openai_key() -> None:
    key = f"sk-ant-api03-{rnd(ALNUM, 93, 'ocr')}AA"
    found = [f for f in scan_text(f"API key: {key[:40]} {key[40:]}", ocr=True) if f.confidence >= ACTIONABLE]
    assert [(f.type, f.explanation.get("vendor")) for f in found] == [("secret.generic", "Anthropic")]
