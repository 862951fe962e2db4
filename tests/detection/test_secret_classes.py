"""Classes of secrets in configuration (not single cases), and the values beside them that are not secrets.

Written from the formats' public documentation: Spring/Maven XML properties, .NET appSettings and
MSBuild parameters, WordPress wp-config.php's define() keys and salts, SQLAlchemy's dialect+driver URLs,
nodemailer's auth object, Java .properties keystores and LDAP binds; and from gitleaks' documented false
positives (public CAPTCHA site keys, hexadecimal constants, jwt.io's example token). Every value is made
up here; none is a real credential.
"""

from __future__ import annotations

import base64
import json

import pytest

from services.detection import scan_text

ACTIONABLE = 0.5
PW = "Xk29pqLmZ8w"  # a made-up password with digits
TOKEN = "q8kLm2XpW9zRt7Yb1Nc6Hd3Jf5Gs0"  # a made-up 29-character key
SALT = "x7#Kq!2mZp@9LwVb$3nR:T8yU^wE6oI*pA&sD1fG"


def alerts(text: str) -> list[str]:
    return [f.type for f in scan_text(text) if f.confidence >= ACTIONABLE and f.type.startswith("secret.")]


FOUND = [
    ("spring property name/value", f'<property name="javax.persistence.jdbc.password" value="{PW}"/>',
     "secret.password"),
    ("servlet param", f'<param name="password" value="{PW}" />', "secret.password"),
    ("msbuild parameter", f'<Parameter Name="DbPassword" Value="{PW}" />', "secret.password"),
    ("xml properties entry", f'<entry key="db.password">{PW}</entry>', "secret.password"),
    ("appSettings secret", f'<add key="StripeSecret" value="{TOKEN}"/>', "secret.generic"),
    ("entry with api key", f'<entry key="service.apiKey">{TOKEN}</entry>', "secret.generic"),
    ("wordpress salt", f"define('SECURE_AUTH_SALT', '{SALT}');", "secret.generic"),
    ("php define token", f"define('LICENSE_TOKEN', '{TOKEN}');", "secret.generic"),
    ("sqlalchemy psycopg2", f"sqlalchemy.url = postgresql+psycopg2://app:{PW}@db.intern/app",
     "secret.connection_string"),
    ("sqlalchemy pymysql", f'engine = create_engine("mysql+pymysql://app:{PW}@db/app")',
     "secret.connection_string"),
    ("neo4j url", f"NEO4J_URL=neo4j+s://neo4j:{PW}@graph.intern:7687", "secret.connection_string"),
    ("nodemailer auth", f'auth: {{\n  user: "noreply@firma.nl",\n  pass: "{PW}",\n}}', "secret.password"),
    ("python dict pass", f'{{"user": "svc", "pass": "{PW}"}}', "secret.password"),
    ("keystore pass", f"keystore.pass={PW}", "secret.password"),
    ("ldap bind credential", f"ldap.bind.credential={PW}", "secret.generic"),
    ("jwt secret property", f"jwt.secret={PW}", "secret.generic"),
    ("jdbc getConnection", f'DriverManager.getConnection(url, "admin", "{PW}");', "secret.password"),
    (".NET NetworkCredential", f'new NetworkCredential("svc_backup", "{PW}");', "secret.password"),
    ("requests auth tuple", f'requests.get(url, auth=("api", "{PW}"))', "secret.password"),
    ("smtplib login", f"smtp.login('noreply@firma.nl', '{PW}')", "secret.password"),
    ("java PasswordAuthentication", f'new PasswordAuthentication("mailer", "{PW}".toCharArray())',
     "secret.password"),
]

NOT_FOUND = [
    ("password reset url", 'password_reset_url = "/accounts/password/reset/"'),
    ("password field name", 'password_field = "id_password"'),
    ("password file", "DB_PASSWORD_FILE=/run/secrets/db_password"),
    ("k8s secret name", "secretName: db-credentials-2024"),
    ("token hash", 'token_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"'),
    ("api key id", 'api_key_id = "7f3a9c2e8b1d4f6a0c5e9d3b7a2f1e8c"'),
    ("secret name camel", 'clientSecretName: "kv-2024-prod-client"'),
    ("recaptcha site key", f'recaptcha_site_key = "6Le{TOKEN}AAAAAJcZ"'),
    ("hex constant", "font-key: 0x7f3a9c2e1b7d64f8"),
    ("cut google key", f'apiKey: "AIza{TOKEN}"'),
    ("spring placeholder", '<property name="password" value="${jdbc.password}"/>'),
    ("appSettings placeholder", '<add key="ApiKey" value="{ApiKey}"/>'),
    ("wordpress sample", "define('AUTH_KEY', 'put your unique phrase here');"),
    ("property reference", "ldap.bind.credential=${LDAP_PW}"),
    ("property word", "app.token=enabled"),
    ("sqlalchemy docs", "mysql+pymysql://scott:tiger@localhost/test"),
    ("pass stage", 'pass: "first"'),
    ("login with variables", "smtp.login(user, password)"),
    ("anonymous ftp", 'ftp.login("anonymous", "anonymous@")'),
    ("auth tuple placeholder", 'requests.get(url, auth=("api", "YOUR_API_KEY"))'),
    ("login template", 'client.login("admin", "${ADMIN_PASSWORD}")'),
    ("login snake names", 'self.login("test_user", "test_password")'),
]


def test_jwt_io_example_token_is_a_note() -> None:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")
    header = part({"alg": "HS256", "typ": "JWT"})
    example = f"{header}.{part({'sub': '1234567890', 'name': 'John Doe'})}.{TOKEN}"
    live = f"{header}.{part({'sub': 'u-81734', 'exp': 1900000000})}.{TOKEN}"
    assert alerts(f"Authorization: Bearer {example}") == []
    assert alerts(f"Authorization: Bearer {live}") == ["secret.jwt"]


@pytest.mark.parametrize(("case", "text", "kind"), FOUND, ids=[c[0] for c in FOUND])
def test_secret_class_is_found(case: str, text: str, kind: str) -> None:
    assert kind in alerts(text), case


@pytest.mark.parametrize(("case", "text"), NOT_FOUND, ids=[c[0] for c in NOT_FOUND])
def test_not_a_secret_is_not_an_alert(case: str, text: str) -> None:
    assert alerts(text) == [], case
