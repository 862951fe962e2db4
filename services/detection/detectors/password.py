"""Passwords assigned in code and configuration, and credentials inside connection URLs."""

from __future__ import annotations

import re

from services.detection.detector import Detector

PASSWORD_TYPE = "secret.password"
URL_TYPE = "secret.connection_string"
_NAME = r"[\w.-]*(?:password|passwd|pwd|wachtwoord|passphrase|wachtw)[\w.-]*"
# name = "value", name: 'value', name => "value", or unquoted config (name=value) ending at a delimiter
PASSWORD = re.compile(
    rf"(?i)(?<![\w.-]){_NAME}[\"'\]]{{0,3}}\s*(?::=|=>|=|:)\s*"
    rf"(?:(?P<q>[\"'])(?P<value>[^\"'\s]{{4,200}})(?P=q)|(?P<bare>[^\s\"'#;,&<>(){{}}\[\]]{{6,200}})(?=[\s;,]|$))"
)
CONNECTION = re.compile(
    r"(?i)(?<![\w+.-])(?P<value>(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql"
    r"|sqlserver|jdbc:[a-z]+|ftp|sftp|smtps?|ldaps?)://[^\s:/@\"'<>]{1,64}:[^\s@/\"'<>]{3,128}@[^\s\"'<>/]+)"
)
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
