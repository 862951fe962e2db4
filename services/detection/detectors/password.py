"""Passwords assigned in code and configuration, and credentials inside connection URLs."""

from __future__ import annotations

import difflib
import re

from services.detection import ocr
from services.detection.detector import Detector

PASSWORD_TYPE = "secret.password"
URL_TYPE = "secret.connection_string"
_NAME = r"[\w.-]*(?:password|passwd|pwd|wachtwoord|passphrase|wachtw)[\w.-]*"
# name = "value", name: 'value', name => "value", or unquoted config (name=value) ending at a delimiter
PASSWORD = re.compile(
    rf"(?i)(?<![\w.-]){_NAME}[\"'\]]{{0,3}}\s*(?::=|=>|=|:)\s*"
    rf"(?:(?P<q>[\"'])(?P<value>[^\"'\s]{{4,200}})(?P=q)|(?P<bare>[^\s\"'#;,&<>(){{}}\[\]]{{6,200}})(?=[\s;,]|$))"
)
SCHEMES = ("postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "amqp",
           "amqps", "mssql", "sqlserver", "ftp", "sftp", "smtp", "smtps", "ldap", "ldaps")
CONNECTION = re.compile(
    r"(?i)(?<![\w+.-])(?P<value>(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql"
    r"|sqlserver|jdbc:[a-z]+|ftp|sftp|smtps?|ldaps?)://[^\s:/@\"'<>]{1,64}:[^\s@/\"'<>]{3,128}@[^\s\"'<>/]+)"
)
# as read by OCR: a scheme with a misread letter ("postgresgl", "postgresq]"), and spaces in the
# password, which a URL cannot hold before its @
_URL_PART = r"[^\s@/\"'<>]"
OCR_CONNECTION = re.compile(
    r"(?i)(?<![\w+.-])(?P<value>(?:jdbc:)?[a-z][a-z0-9+|\]\[.-]{1,14}://[^\s:/@\"'<>]{1,64}:"
    rf"(?:{_URL_PART}| (?={_URL_PART}*@)){{3,128}}@[^\s\"'<>/]+)"
)
CLOSE_ENOUGH = 0.8  # difflib ratio: one letter wrong in a scheme of five or more
_NOT_LITERAL = re.compile(r"^(?:\$|%|\{|<|os\.|env|process\.env|getenv|settings\.|config\.|self\.|none$"
                          r"|null$|true$|false$|nil$|undefined$|required$|optional$|str$|string$)",
                          re.IGNORECASE)


def literal_password(value: str) -> bool:
    """A literal, not a reference to a variable, template or environment lookup."""
    return not _NOT_LITERAL.search(value) and not value.endswith((")", "()"))


def _bare_value_allowed(value: str) -> bool:
    # unquoted values are identifiers in code (password = user_password): a literal has a digit
    # or a symbol, as config files write them (DB_PASSWORD=s3cr3t!)
    return literal_password(value) and bool(re.search(r"[\d!@#$%^&*+=?~]", value))


def value_of(match: re.Match[str]) -> tuple[str, int, int]:
    """Quoted or bare password value and its span."""
    group = "value" if match.group("value") is not None else "bare"
    return match.group(group), match.start(group), match.end(group)


class PasswordDetector(Detector):
    """The password pattern has two value groups (quoted and bare); pick the one that matched."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """Quoted or bare value."""
        value, start, end = value_of(match)
        if match.group("value") is None and not _bare_value_allowed(value):
            return "", start, start  # empty value fails validation
        return value, start, end


def validate(value: str) -> bool:
    """Non-empty literal."""
    return bool(value) and literal_password(value)


def url_password_literal(value: str) -> bool:
    """The password part of a URL is a literal, not ${VAR} or :password placeholders."""
    secret = value.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    return literal_password(secret)


DETECTORS = (
    PasswordDetector(PASSWORD_TYPE, PASSWORD, keywords=("pass", "pwd", "wachtw"), validate=validate,
                     check="literal value assigned to a password name", confidence=0.85,
                     name="password_assignment"),
    Detector(URL_TYPE, CONNECTION, keywords=("://",), validate=url_password_literal,
             check="URL with user:password@host credentials", confidence=0.9, name="connection_url"),
)


def scheme_repaired(value: str) -> str:
    """The URL without inserted spaces and with its scheme replaced by the known one it resembles."""
    url = ocr.joined(value)
    scheme, rest = url.split("://", 1)
    prefix = "jdbc:" if scheme.lower().startswith("jdbc:") else ""
    close = difflib.get_close_matches(scheme[len(prefix):].lower(), SCHEMES, n=1, cutoff=CLOSE_ENOUGH)
    return f"{prefix}{close[0]}://{rest}" if close else url


def ocr_url_password_literal(value: str) -> bool:
    """A known scheme after repair, and a literal password."""
    scheme = value.split("://", 1)[0].lower().removeprefix("jdbc:")
    return scheme in SCHEMES and url_password_literal(value)


OCR_DETECTORS = (
    Detector(URL_TYPE, OCR_CONNECTION, keywords=("://",), validate=ocr_url_password_literal,
             repair=scheme_repaired, check="URL with user:password@host credentials, as read by OCR",
             confidence=0.85, name="connection_url_ocr", ocr=True, priority=1),
)
