"""Credentials in the shapes tools and protocols carry them, whoever the service: HTTP `Authorization`
headers (Basic, Bearer, Token), `curl -u user:pass`, command-line password flags (mysql -p, sqlcmd -P,
redis-cli -a, docker login -p, sshpass -p), PowerShell's ConvertTo-SecureString -AsPlainText, credentials
in http(s), ssh, git and Oracle JDBC URLs, `.netrc` lines, Docker and npm `auth` entries, Kubernetes Secret
manifests and the defaults of Terraform variables named as secrets.

These generalise because the shape is the protocol's, not a vendor's: `Authorization: Basic` is
always base64 of `user:password` (RFC 7617), a URL's userinfo is always `user:password@` (RFC 3986),
and a Secret's `data:` values are always base64. Encoded values are decoded (`repair`) before they are
judged, so `Basic dXNlcjpwYXNzd29yZA==` (user:password) is a placeholder note like the plain text,
and the fingerprint is the credential's, whatever its encoding. A variable or template in place of
the value (`$TOKEN`, `${PASS}`, `{{ .Values.x }}`, `<password>`) is not a credential.
"""

from __future__ import annotations

import base64
import binascii
import re

from services.detection import randomness
from services.detection.detector import Detector
from services.detection.patterns import lazy_regex
from services.results import Severity

PASSWORD = "secret.password"
URL = "secret.connection_string"
GENERIC = "secret.generic"

BASIC = lazy_regex(r"(?i)\bBasic[ \t]+(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![\w+/=-])")
BEARER = lazy_regex(r"(?i)\b(?:Bearer|Token|Api-Token)[ \t]+(?P<value>[A-Za-z0-9_~+/.=-]{16,512})"
                    r"(?![\w~+/.=-])")
CURL_USER = lazy_regex(r"(?:^|[ \t])(?:-u|--user)(?:=|[ \t]+)[\"']?(?P<user>[^\s:\"'$<>{}]{1,64}):"
                       r"(?P<value>[^\s\"']{3,128})")
CLI_PASSWORD = lazy_regex(r"(?:^|[ \t])--(?:password|passwd|pass|http-password|db-password|dbpass)[= ][\"']?"
                          r"(?P<value>[^\s\"']{3,128})")
# the password is glued to -p, bare or quoted for the shell (`-p'…'`, `-p"…"`); `-p` alone prompts
MYSQL_P = lazy_regex(r"\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n]*?[ \t]-p(?P<q>[\"']?)"
                     r"(?P<value>[^\s\"'-][^\s\"']{2,127})(?P=q)")
# `docker login -u deploy -p …` (and podman, buildah, skopeo, helm registry): the registry password as the
# argument of -p; the tools' documented safe form, --password-stdin, carries nothing
REGISTRY_LOGIN_P = lazy_regex(r"\b(?:docker|podman|buildah|skopeo|helm[ \t]+registry|nerdctl)[ \t]+login\b"
                              r"[^\n]*?[ \t]-p[ \t]+(?P<q>[\"']?)(?P<value>[^\s\"']{3,128})(?P=q)"
                              r"(?=[\s;|&)]|$)")
# database and cloud clients whose documented password flag is a short one: sqlcmd/bcp -P (capital: -p is
# statistics), redis-cli -a, the MongoDB tools' -p, az login -p; each takes the password as its argument
CLIENT_SHORT_FLAG = lazy_regex(r"\b(?:(?:sqlcmd|bcp)\b[^\n]*?[ \t]-P|redis-cli\b[^\n]*?[ \t]-a"
                               r"|mongo(?:sh|dump|restore|export|import)?\b[^\n]*?[ \t]-p"
                               r"|az[ \t]+login\b[^\n]*?[ \t]-p)[ \t]+(?P<q>[\"']?)"
                               r"(?P<value>[^\s\"'-][^\s\"']{2,127})(?P=q)(?=[\s;|&)]|$)")
# Oracle's thin-driver URL carries `user/password@host` (Oracle's own EZConnect syntax, not RFC 3986)
ORACLE_THIN = lazy_regex(r"(?i)\bjdbc:oracle:(?:thin|oci):(?P<user>[\w$#]{1,64})/"
                         r"(?P<value>[^\s@/\"'<>]{3,128})@")
URL_USERINFO = lazy_regex(r"(?i)(?<![\w+.-])(?:https?|git\+https?|git\+ssh|ssh|svn|wss?)://"
                          r"(?P<user>[^\s:/@\"'<>]{1,64}):(?P<value>[^\s@/\"'<>]{3,128})@"
                          r"(?P<host>[A-Za-z0-9.-]+)")
# a .netrc value is a whole token: the line ends after it or the next netrc keyword follows (`password was
# specified` in a comment about netrc is prose)
NETRC = lazy_regex(r"\bpassword[ \t]+(?P<value>[^\s\"']{3,128})"
                   r"(?=[ \t]+(?:machine|login|account|macdef|default)\b|[ \t]*(?![^\r\n]))")
DOCKER_AUTH = lazy_regex(r"(?i)[\"']?_?auth[\"']?[ \t]*[:=][ \t]*[\"']?"
                         r"(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![\w+/=])")
# a data entry of a Kubernetes Secret: indented `name: <base64>` on a line of its own
K8S_DATA = lazy_regex(r"(?<![^\n])[ \t]+(?P<key>[\w.-]+):[ \t]+[\"']?"
                      r"(?P<value>[A-Za-z0-9+/]{8,}={0,2})[\"']?[ \t]*"
                      r"(?![^\r\n])")
# `sshpass -p secret ssh …`: sshpass(1) takes the password as the argument of -p (its -e and -f forms read
# it from the environment or a file, and carry nothing)
SSHPASS = lazy_regex(r"\bsshpass[ \t]+(?:-[A-Za-z][ \t]+)*-p[ \t]*(?P<q>[\"']?)"
                     r"(?P<value>[^\s\"']{3,128})(?P=q)(?=[\s;|&)]|$)")
# PowerShell: `ConvertTo-SecureString "…" -AsPlainText` (or `-String '…'`): -AsPlainText is the cmdlet's own
# admission that the string in the script is the clear password
SECURE_STRING = lazy_regex(r"(?i)\bConvertTo-SecureString[ \t]+(?:-String[ \t]+)?(?P<q>[\"'])"
                           r"(?P<value>[^\"'\s]{3,128})(?P=q)(?=[^\n]*-AsPlainText)")
# Terraform: `default = "…"` inside `variable "db_password" { … }` (the variable's name says what the
# default is; HashiCorp documents `sensitive = true` for such variables, which does not hide the default
# from the repository)
TF_DEFAULT = lazy_regex(r"(?<![^\n])[ \t]+default[ \t]*=[ \t]*\"(?P<value>[^\"\s$]{4,200})\""
                        r"[ \t]*(?![^\r\n])")
_TF_VARIABLE = lazy_regex(r"(?<![^\n])variable[ \t]+\"(?P<name>[\w-]+)\"[ \t]*\{")
TF_REACH = 800  # characters back to the `variable` line: a variable block is a handful of lines
# an environment entry as a name/value pair: Kubernetes pod specs and Azure Pipelines (`- name: DB_PASSWORD`
# then `value: …`), ECS task definitions and ARM templates (`{"name": "DB_PASSWORD", "value": "…"}`), GitLab
# CI's expanded variables (`DB_PASSWORD:` then `value: …`). The name says what the value is, as in NAME=value.
NAMED_VALUE = lazy_regex(r"(?:[-{][ \t]*[\"']?name[\"']?[ \t]*:[ \t]*[\"']?(?P<key>[\w.-]{1,100})[\"']?[ \t]*"
                         r"(?:,[ \t]*|\r?\n[ \t]+)|(?<![^\n])[ \t]*(?P<key2>[\w.-]{1,100}):[ \t]*\r?\n[ \t]+)"
                         r"[\"']?value[\"']?[ \t]*:[ \t]*(?P<q>[\"']?)(?P<value>[^\s\"'{}$]{4,200})(?P=q)"
                         r"[ \t]*(?=[,}\r\n]|$)")
# the value line ends every match and `value:` is rarer in code than the names (`key, value`)
_NAMED_PREFILTER = r"""(?i)value["']?[ \t]*:[ \t]*["']?[^\s"'{}$]{4}"""
_PASSWORD_NAME_END = lazy_regex(r"(?i)(?:password|passwd|pwd|pass)$")
_SECRET_NAME_END = lazy_regex(r"(?i)(?:secret|token|api[_-]?key|access[_-]?key|private[_-]?key)$")
# hyperscan supersets (unbounded repeats compile in milliseconds, the patterns' bounded ones in ~0.5 s)
_BEARER_PREFILTER = r"(?i)(?:bearer|token)[ \t]"
_USERINFO_PREFILTER = r"""(?i)(?:https?|ssh|svn|wss?)://[^\s:/@"'<>]+:[^\s@/"'<>]+@"""
_SECRETISH_KEY = lazy_regex(r"(?i)pass|pwd|secret|token|key|credential|auth|api|private|cookie|session"
                            r"|dsn|conn")
_PASSWORD_KEY = lazy_regex(r"(?i)pass|pwd")
_NOT_A_VALUE = lazy_regex(r"^(?:\$|%|\{|<|\[|env\b|none$|null$)", re.IGNORECASE)
_CERTIFICATE_KEY = lazy_regex(r"(?i)(?:^|[._-])(?:crt|cert|certificate|pem|ca|pub|public)(?:$|[._-])")


def decoded_text(value: str) -> str | None:
    """The base64 `value` as printable text, or None."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return text if text and text.isprintable() else None


def decode_basic(value: str) -> str:
    """`user:password` from its base64, or the value unchanged when it does not decode to that."""
    text = decoded_text(value)
    return text if text is not None and ":" in text else value


def basic_credentials(value: str) -> bool:
    """Decoded to `user:password` with a non-empty password that is not a variable."""
    user, _, password = value.partition(":")
    return bool(user) and len(password) >= 3 and literal(password)


_REFERENCE = lazy_regex(r"^\$|\$[{(]")
_PORTS = lazy_regex(r"[\d:./-]+")


def literal(value: str) -> bool:
    """A literal value, not `$VAR`, `${VAR}`, `%VAR%`, `{{ x }}`, `<placeholder>` or an env lookup."""
    # a reference is the whole value (`$DB_PASS`, `${X}`, `$(cat f)`); a `$` inside a literal is a symbol
    # of the password (`-p'Ab$9x…'`, single-quoted so the shell leaves it alone)
    return not _NOT_A_VALUE.search(value) and not _REFERENCE.search(value) and "{{" not in value


def mysql_password(value: str) -> bool:
    """A literal glued to -p that is not a port mapping (`docker run mysql:8 -p3306:3306`)."""
    return literal(value) and not _PORTS.fullmatch(value)


def random_token(value: str) -> bool:
    """A bearer or token value that looks generated (not `Bearer token-from-the-login-step`)."""
    return literal(value) and any(c.isdigit() for c in value) and randomness.looks_random(value)


def curl_password(value: str) -> bool:
    """The password part of `-u user:password` is a literal (not `$TOKEN`, not a uid:gid pair)."""
    return literal(value) and not value.isdigit()


def url_password(value: str) -> bool:
    """A URL's password part is a literal (`${VAR}`, `%s` and `****` are not passwords)."""
    return literal(value) and not set(value) <= {"*", "x", "X"} and "%s" not in value


def decode_k8s(value: str) -> str:
    """A Secret's data value decoded (the secret itself), or unchanged when it is not base64 text."""
    text = decoded_text(value)
    return text if text is not None else value


class SecretDataDetector(Detector):
    """Kubernetes Secret `data:` entries: which ones are secrets depends on the entry's name."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """The base64 value, or nothing when the entry is a certificate or a non-secret setting."""
        key, value = match.group("key"), match.group("value")
        start, end = match.start("value"), match.end("value")
        if _CERTIFICATE_KEY.search(key):
            return "", start, start
        wants_password = self.type == PASSWORD
        if bool(_PASSWORD_KEY.search(key)) != wants_password:
            return "", start, start
        if not wants_password and not _SECRETISH_KEY.search(key):
            text = decoded_text(value)
            if text is None or not randomness.looks_random(text):
                return "", start, start  # username: YWRtaW4= is configuration, not a secret
        return value, start, end


def oracle_password(value: str) -> bool:
    """A literal that is not Oracle's own sample password (scott/tiger)."""
    return literal(value) and value.lower() != "tiger"


def _tf_variable_name(text: str, start: int) -> str:
    """The name of the Terraform variable block the offset lies in, or ''."""
    before = text[max(0, start - TF_REACH):start]
    heads = list(_TF_VARIABLE.finditer(before))
    if not heads or "\n}" in before[heads[-1].end():]:
        return ""
    return heads[-1].group("name")


def tf_password_default(text: str, start: int, end: int) -> bool:
    """The default belongs to a variable named as a password."""
    return bool(_PASSWORD_KEY.search(_tf_variable_name(text, start)))


def tf_secret_default(text: str, start: int, end: int) -> bool:
    """The default belongs to a variable named as a secret other than a password."""
    name = _tf_variable_name(text, start)
    return bool(_SECRETISH_KEY.search(name)) and not _PASSWORD_KEY.search(name)


def named_password(value: str) -> bool:
    """A literal that is not a path (a `…_PASSWORD` entry may hold a file's path) or a boolean word."""
    return (len(value) >= 4 and literal(value) and not value.startswith(("/", "./", "~"))
            and value.lower() not in ("true", "false", "none", "null"))


def generated_secret(value: str) -> bool:
    """A literal that looks generated, with digits among letters (token, key, secret defaults)."""
    return (literal(value) and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
            and randomness.looks_random(value))


class NamedValueDetector(Detector):
    """A name/value environment entry: a password when the name ends in one, a secret when it ends in a
    secret word (`DB_PASSWORD_FILE`, `PASSWORD_MIN_LENGTH` name a path and a policy, not a credential)."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """The value when the entry's name ends in this detector's kind of secret word."""
        key = match.group("key") or match.group("key2") or ""
        start, end = match.start("value"), match.end("value")
        wanted = _PASSWORD_NAME_END if self.type == PASSWORD else _SECRET_NAME_END
        if not wanted.search(key):
            return "", start, start
        return match.group("value"), start, end


def k8s_value(value: str) -> bool:
    """Decodes to a non-empty literal."""
    return len(value) >= 3 and literal(value)


DETECTORS = (
    Detector(PASSWORD, BASIC, keywords=("basic",), repair=decode_basic, validate=basic_credentials,
             context=("authorization",), check="HTTP Basic credentials (base64 of user:password, RFC 7617)",
             confidence=0.8, context_confidence=0.95, name="http_basic_auth", priority=3),
    Detector(GENERIC, BEARER, keywords=("bearer", "token"), validate=random_token, context=("authorization",),
             needs_context=True, check="bearer token in an Authorization header", confidence=0.85,
             name="http_bearer_token", severity=Severity.HIGH, priority=5, prefilter=_BEARER_PREFILTER),
    Detector(PASSWORD, CURL_USER, keywords=("-u", "--user"), validate=curl_password, context=("curl",),
             needs_context=True, window=200, check="password of curl -u user:password", confidence=0.9,
             name="curl_user_password", priority=3),
    Detector(PASSWORD, CLI_PASSWORD, keywords=("--pass", "--http-password", "--db-password", "--dbpass"),
             validate=literal, check="password given as a command-line flag", confidence=0.85,
             name="cli_password_flag", priority=3),
    Detector(PASSWORD, MYSQL_P, keywords=("mysql", "mariadb"), validate=mysql_password,
             check="password attached to a mysql -p flag", confidence=0.85, name="mysql_p_flag", priority=3),
    Detector(PASSWORD, REGISTRY_LOGIN_P, keywords=("login",), validate=literal,
             check="registry password given to docker login -p", confidence=0.9,
             name="registry_login_password", priority=3),
    Detector(PASSWORD, CLIENT_SHORT_FLAG, keywords=("sqlcmd", "bcp", "redis-cli", "mongo", "az"),
             validate=literal, check="password given to a database or cloud client's short password flag",
             confidence=0.85, name="client_password_flag", priority=3),
    Detector(URL, ORACLE_THIN, keywords=("jdbc:oracle",), validate=oracle_password,
             check="password in an Oracle JDBC user/password@host URL", confidence=0.9,
             name="oracle_jdbc_password", priority=3),
    Detector(PASSWORD, SSHPASS, keywords=("sshpass",), validate=literal,
             check="password given to sshpass -p", confidence=0.9, name="sshpass_password", priority=3),
    Detector(PASSWORD, SECURE_STRING, keywords=("convertto-securestring",), validate=literal,
             check="clear password given to ConvertTo-SecureString -AsPlainText", confidence=0.9,
             name="powershell_plaintext_password", priority=3),
    Detector(PASSWORD, TF_DEFAULT, keywords=("default",), validate=literal, fits_place=tf_password_default,
             check="default of a Terraform variable named as a password", confidence=0.85,
             name="terraform_password_default", priority=3),
    Detector(GENERIC, TF_DEFAULT, keywords=("default",), validate=generated_secret,
             fits_place=tf_secret_default,
             check="random-looking default of a Terraform variable named as a secret", confidence=0.8,
             name="terraform_secret_default", priority=4),
    NamedValueDetector(PASSWORD, NAMED_VALUE, keywords=("value",), validate=named_password,
                       prefilter=_NAMED_PREFILTER, check="value of an environment entry named as a password",
                       confidence=0.85, name="named_value_password", priority=3),
    NamedValueDetector(GENERIC, NAMED_VALUE, keywords=("value",), validate=generated_secret,
                       prefilter=_NAMED_PREFILTER,
                       check="random-looking value of an environment entry named as a secret", confidence=0.8,
                       name="named_value_secret", priority=4),
    Detector(URL, URL_USERINFO, keywords=("://",), validate=url_password,
             check="password in the user:password@ part of a URL (RFC 3986 userinfo)", confidence=0.85,
             name="url_userinfo_password", priority=4, prefilter=_USERINFO_PREFILTER),
    Detector(PASSWORD, NETRC, keywords=("password",), validate=literal, context=("machine",),
             needs_context=True, check="password of a .netrc machine entry", confidence=0.85,
             name="netrc_password", priority=3),
    Detector(PASSWORD, DOCKER_AUTH, keywords=("auth",), repair=decode_basic, validate=basic_credentials,
             context=("auths", "registry", "_auth", "docker"), needs_context=True,
             check="registry auth entry (base64 of user:password)", confidence=0.9,
             name="registry_auth_entry",
             priority=3),
    SecretDataDetector(PASSWORD, K8S_DATA, keywords=("data",), repair=decode_k8s, validate=k8s_value,
                       context=("kind: secret", "kind: \"secret\"", "kind: 'secret'"), needs_context=True,
                       window=3000, check="password in a Kubernetes Secret's data (base64 decoded)",
                       confidence=0.9, name="k8s_secret_password", priority=-1),
    SecretDataDetector(GENERIC, K8S_DATA, keywords=("data",), repair=decode_k8s, validate=k8s_value,
                       context=("kind: secret", "kind: \"secret\"", "kind: 'secret'"), needs_context=True,
                       window=3000, check="value in a Kubernetes Secret's data (base64 decoded)",
                       confidence=0.85, name="k8s_secret_value", vendor="Kubernetes", severity=Severity.HIGH,
                       priority=-1),
)
