"""Passwords of the embedded Redis and PostgreSQL, and the URLs that carry them.

The launcher makes them once, at its first start, in one file of the data directory that only its
own OS user may read (0600); later starts read the same file. The processes it starts never read
the file: they get the URLs in their environment (DG_REDIS_URL, DG_DATABASE_URL), never on a command
line, which every local user can read in `ps`. Servers named by DG_REDIS_URL / DG_DATABASE_URL bring
their own credentials and never need this file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import quote

from utils.errors import ConfigError

CREDENTIALS_FILE = "credentials.json"  # in the data directory
PASSWORD_BYTES = 32  # 256 random bits: no guessing, online or offline (SCRAM verifiers can leak in backups)
# token_urlsafe's alphabet: nothing to escape in a URL, a redis.conf line or an SQL literal
PASSWORD_FORMAT = re.compile(r"[A-Za-z0-9_-]{32,256}")

PG_SUPERUSER = "dataguardian"  # initdb's bootstrap superuser; older clusters made it with this name
PG_APP_ROLE = "dataguardian_app"  # every process of the platform: owns the database, nothing more
PG_DATABASE = "dataguardian"


@dataclass(frozen=True, repr=False)
class EmbeddedCredentials:
    """The three passwords; repr never shows them."""

    postgres_superuser_password: str  # only the launcher uses it, to create the role and the database
    postgres_app_password: str
    redis_password: str

    def __repr__(self) -> str:
        return "EmbeddedCredentials(<3 passwords>)"

    @classmethod
    def generate(cls) -> EmbeddedCredentials:
        """Fresh random passwords."""
        return cls(*(secrets.token_urlsafe(PASSWORD_BYTES) for _ in fields(cls)))


def load(path: Path) -> EmbeddedCredentials:
    """Read the credentials file; refused when it is missing, malformed or readable by other users."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist: the launcher writes the embedded servers' passwords "
                          "there at its first start (or set DG_REDIS_URL and DG_DATABASE_URL)") from None
    except OSError as error:
        raise ConfigError(f"{path} cannot be read: {error.strerror}") from None
    with os.fdopen(fd, encoding="utf-8") as handle:
        _check_private(path, os.fstat(fd))
        text = handle.read()
    return _parse(path, text)


def load_or_create(path: Path) -> EmbeddedCredentials:
    """The credentials in `path`, made and written there (mode 0600) when there are none yet."""
    if not path.exists() and not path.is_symlink():
        _create(path, EmbeddedCredentials.generate())
    return load(path)


def redis_url(host: str, port: int, password: str) -> str:
    """redis:// URL of the embedded Redis (the default user, authenticated by `password`)."""
    return f"redis://:{quote(password, safe='')}@{host}:{port}/0"


def postgres_url(host: str, port: int, role: str, password: str, dbname: str = PG_DATABASE) -> str:
    """libpq URL of `dbname` on the embedded PostgreSQL as `role`."""
    return f"postgresql://{quote(role, safe='')}:{quote(password, safe='')}@{host}:{port}/{dbname}"


def _create(path: Path, credentials: EmbeddedCredentials) -> None:
    # written under a private name and linked into place: a second launcher racing this one either
    # links first (and we read its file) or reads ours whole, never a half-written file
    text = json.dumps({f.name: getattr(credentials, f.name) for f in fields(credentials)}, indent=2)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _check_private(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{path} is not a regular file")
    if info.st_uid != os.geteuid():
        raise ConfigError(f"{path} belongs to uid {info.st_uid}, not to the launcher's user ({os.geteuid()})")
    if info.st_mode & 0o077:
        raise ConfigError(f"{path} is readable by other users (mode {stat.S_IMODE(info.st_mode):04o}): "
                          "chmod 600 it, and if someone else may have read it, replace its redis_password "
                          "and postgres_app_password (the launcher applies both at every start)")


def _parse(path: Path, text: str) -> EmbeddedCredentials:
    try:
        data = json.loads(text)
    except ValueError:
        raise ConfigError(f"{path} is not valid JSON") from None
    names = [f.name for f in fields(EmbeddedCredentials)]
    if not isinstance(data, dict) or sorted(data) != sorted(names):
        raise ConfigError(f"{path} must hold exactly these keys: {', '.join(names)}")
    for name in names:
        if not isinstance(data[name], str) or not PASSWORD_FORMAT.fullmatch(data[name]):
            raise ConfigError(f"{path}: {name} must be 32-256 characters of A-Z a-z 0-9 _ -")
    return EmbeddedCredentials(**data)
