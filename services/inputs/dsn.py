"""Database connection strings (DSNs) of scan requests: parsed, checked, and split from their password.

Accepted shapes: `postgresql://user[:password]@host[:port]/database[?sslmode=…]` (also `postgres://`),
`mysql://user[:password]@host[:port]/database` (also `mariadb://`) and `sqlite:///absolute/path` (a
file inside the scan roots or the organisation's uploads). Anything libpq or the MySQL client would
read from elsewhere is refused: a missing host (libpq's unix socket), a host that is a path, several
hosts, query parameters other than `sslmode` and `password`. A password, whether in the userinfo or in
`?password=`, is split off (`split_dsn_credentials`): at submission it is kept apart from the job
(services/job_credentials.py) and the job carries `DSN_CREDENTIAL_REF_FIELD` instead; `shown` is the
form every output uses, never with a password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote

from services.inputs.credentials import Credentials, checked
from utils.errors import InvalidRequestError

DSN_CREDENTIAL_REF_FIELD = "dsn_credential_ref"  # what a submission puts in a request instead of a password
ENGINES = {"postgresql": "postgresql", "postgres": "postgresql", "mysql": "mysql", "mariadb": "mysql",
           "sqlite": "sqlite"}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306}
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
MAX_NAME_CHARS = 128  # user and database names: PostgreSQL allows 63 bytes, MySQL 32 and 64 characters
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                   r"[A-Za-z0-9])?\.?$|^\[[0-9A-Fa-f:.]+\]$")
_SHAPE = re.compile(r"^(postgresql|postgres|mysql|mariadb|sqlite)://", re.IGNORECASE)


@dataclass(frozen=True)
class Dsn:
    """A parsed DSN without its password."""

    engine: str  # postgresql | mysql | sqlite
    host: str = ""
    port: int = 0
    user: str = ""
    database: str = ""
    path: str = ""  # sqlite: the file
    sslmode: str = ""

    @property
    def shown(self) -> str:
        """The DSN as outputs show it: no password, ever."""
        if self.engine == "sqlite":
            return f"sqlite:///{self.path.lstrip('/')}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        return f"{self.engine}://{user}{host}:{self.port}/{quote(self.database, safe='')}"


def looks_like_dsn(text: str) -> bool:
    """True when `text` starts with a DSN scheme this platform reads."""
    return bool(_SHAPE.match(text.strip()))


def split_dsn_credentials(dsn: str) -> tuple[str, Credentials | None]:
    """The DSN without its password (userinfo or `?password=`), and the user and password (None if none)."""
    parsed, password = parse_dsn(dsn)
    if password is None:
        return (dsn if parsed.engine == "sqlite" else parsed_text(parsed)), None
    return parsed_text(parsed), checked(Credentials(parsed.user, password), "dsn")


def parsed_text(dsn: Dsn) -> str:
    """The DSN written out again without a password (what a job carries)."""
    text = dsn.shown
    return f"{text}?sslmode={dsn.sslmode}" if dsn.sslmode else text


def parse_dsn(dsn: object) -> tuple[Dsn, str | None]:
    """The parsed DSN and its password (None when it has none); InvalidRequestError saying what is wrong."""
    if not isinstance(dsn, str) or not dsn.strip():
        raise InvalidRequestError("dsn must be a non-empty connection string")
    scheme, sep, rest = dsn.strip().partition("://")
    engine = ENGINES.get(scheme.lower()) if sep else None
    if engine is None:
        raise InvalidRequestError("dsn must start with postgresql://, mysql://, mariadb:// or sqlite:///")
    if engine == "sqlite":
        return _sqlite(rest), None
    # the authority ends at the first "/", even when an unencoded "#" or "?" sits in a password
    authority, slash, tail = rest.partition("/")
    userinfo, at, hostport = authority.rpartition("@")
    if not slash:
        raise InvalidRequestError("dsn must name a database: …/DATABASE")
    user, colon, password = userinfo.partition(":")
    path, _, query = tail.partition("?")
    params = _params(query, engine)
    if "password" in params:
        if colon:
            raise InvalidRequestError("dsn carries two passwords: give it once")
        colon, password = ":", params.pop("password")
    host, port = _host_port(hostport, engine)
    database = unquote(path)
    _check_name(unquote(user), "user")
    _check_name(database, "database")
    if not at or not user:
        raise InvalidRequestError("dsn must name a user: …://USER@host/database")
    parsed = Dsn(engine, host, port, unquote(user), database, sslmode=params.get("sslmode", ""))
    return parsed, unquote(password) if colon else None


def _sqlite(rest: str) -> Dsn:
    path = unquote(rest.partition("?")[0])
    if not path.startswith("/") or "\x00" in path:
        raise InvalidRequestError("a sqlite dsn names an absolute path: sqlite:///path/to/file.db")
    return Dsn("sqlite", path=path)


def _params(query: str, engine: str) -> dict[str, str]:
    allowed = {"password", "sslmode"} if engine == "postgresql" else {"password"}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise InvalidRequestError("dsn has a malformed query string") from None
    params: dict[str, str] = {}
    for key, value in pairs:
        if key not in allowed or key in params:
            raise InvalidRequestError(f"dsn parameter not accepted: {key[:40]!r} (accepted: "
                                      f"{', '.join(sorted(allowed))}, once each)")
        params[key] = value
    if params.get("sslmode", "prefer") not in SSL_MODES:
        raise InvalidRequestError(f"dsn sslmode must be one of {', '.join(SSL_MODES)}")
    return params


def _host_port(hostport: str, engine: str) -> tuple[str, int]:
    host, port_text = hostport, ""
    if hostport.startswith("["):
        host, _, after = hostport.partition("]")
        host, port_text = host[1:], after.removeprefix(":")
        if not after.startswith(":") and after:
            raise InvalidRequestError("dsn host is not a valid host name or address")
    elif ":" in hostport:
        host, _, port_text = hostport.rpartition(":")
    host = unquote(host)
    if not host:
        raise InvalidRequestError("dsn must name a host (unix sockets are not scanned): …@HOST/database")
    if "," in host or not _HOST.match(host if ":" not in host else f"[{host}]"):
        raise InvalidRequestError("dsn host is not a valid host name or address (one host, no path)")
    if not port_text:
        return host.lower(), DEFAULT_PORTS[engine]
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InvalidRequestError("dsn port must be a number from 1 to 65535")
    return host.lower(), int(port_text)


def _check_name(name: str, what: str) -> None:
    if len(name) > MAX_NAME_CHARS:
        raise InvalidRequestError(f"dsn {what} name is over {MAX_NAME_CHARS} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise InvalidRequestError(f"dsn {what} name must not contain control characters")
