"""Secrets a job needs, kept apart from the job: Fernet ciphertext in Redis under a random reference.

A job payload lives in a Redis list, so in the append-only file and in every replica and backup of
it; a password there is a password on disk for as long as the file keeps it. So a secret (the
credentials of a git URL, the password of a DSN) is taken out of the request at submission and stored
here, encrypted with a key that never goes to Redis: a 0600 file in the data directory
(`Settings.credential_key_path`).
The job carries only the reference. The worker reads the secret just before the scan and deletes it
when the job ends, whatever its outcome; the key's TTL (`DG_CREDENTIAL_TTL_S`) and Fernet's own
timestamp check are the backstops for a job that never ends.

Each secret is bound to its owner (the organisation and the URL it was given with): its Redis key is
a hash of the reference and the owner, so a reference that reached another job, by mistake or by a
forged request, finds nothing there and can delete nothing, instead of handing the secret to a URL
its owner never named; the owner is checked again inside the ciphertext.

Scale-out: a worker host decrypts with the same key file as the host that submitted. Hosts that share
the data directory (they do for uploads) share it; otherwise copy the file and set
`DG_CREDENTIAL_KEY_FILE`. A host without it says so in the job's error instead of cloning anonymously.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Any, cast

import redis
from cryptography.fernet import Fernet, InvalidToken

from utils.errors import ConfigError, InvalidRequestError
from utils.redis_keys import KEY_CREDENTIAL

log = logging.getLogger(__name__)

REFERENCE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")  # what `keep` issues: 128 random bits, urlsafe base64
GONE = ("the credentials of this scan are no longer available (the scan waited longer than they are "
        "kept, or already ran); submit it again")
UNREADABLE = ("the credentials of this scan cannot be read on this worker host (its credential key "
              "differs from the submitting host's); the operator must give every host the same key file")


class CredentialStore:
    """keep / take / discard secrets by reference; Redis holds only ciphertext."""

    def __init__(self, client: redis.Redis, key_path: Path, ttl_s: float) -> None:
        self.client = client
        self.key_path = key_path
        self.ttl_s = ttl_s
        self._fernet: Fernet | None = None

    def keep(self, owner: str, secret: dict[str, str]) -> str:
        """Store `secret` for `owner` until taken, discarded or expired; returns its reference."""
        ref = secrets.token_urlsafe(16)
        plain = json.dumps({"owner": owner, "secret": secret}, separators=(",", ":")).encode()
        token = self._cipher(create=True).encrypt(plain)
        self.client.set(_key(ref, owner), token, ex=max(1, int(self.ttl_s)))
        return ref

    def take(self, ref: str, owner: str) -> dict[str, str]:
        """The secret kept under `ref` for `owner`; InvalidRequestError when it is gone or not theirs."""
        if not isinstance(ref, str) or not REFERENCE.match(ref):
            raise InvalidRequestError("the credential reference is not one this platform issued")
        token = self.client.get(_key(ref, owner))
        if token is None:
            raise InvalidRequestError(GONE)
        try:
            plain = self._cipher(create=False).decrypt(cast(bytes, token), ttl=max(1, int(self.ttl_s)))
        except ConfigError as error:  # the operator's to fix; the path goes to the log, not to the tenant
            log.error("credential store: %s", error)
            raise InvalidRequestError(UNREADABLE) from None
        except InvalidToken:
            log.error("credential store: a secret could not be decrypted with %s (expired, or a key file "
                      "that differs from the submitting host's)", self.key_path)
            raise InvalidRequestError(UNREADABLE) from None
        stored: dict[str, Any] = json.loads(plain)
        if not hmac.compare_digest(str(stored.get("owner", "")).encode(), owner.encode()):
            log.warning("credential store: refused a reference presented by another owner")
            raise InvalidRequestError("the credential reference does not belong to this scan")
        return {str(k): str(v) for k, v in dict(stored.get("secret") or {}).items()}

    def discard(self, ref: str, owner: str) -> None:
        """Delete `owner`'s secret under `ref` (if still there); in a Redis outage its TTL does."""
        if not isinstance(ref, str) or not REFERENCE.match(ref):
            return
        try:
            self.client.delete(_key(ref, owner))
        except (redis.ConnectionError, redis.TimeoutError) as error:
            log.warning("credential store: could not delete a secret (%s); it expires by its TTL",
                        type(error).__name__)

    def _cipher(self, *, create: bool) -> Fernet:
        if self._fernet is None:
            self._fernet = Fernet(load_key(self.key_path, create=create))
        return self._fernet


def _key(ref: str, owner: str) -> str:
    """The Redis key of `owner`'s secret `ref`: only the owner's own job can name it."""
    digest = hashlib.sha256(f"{owner}\0{ref}".encode()).hexdigest()
    return KEY_CREDENTIAL.format(id=digest)


def load_key(path: Path, *, create: bool) -> bytes:
    """The Fernet key in `path`; made first (0600, in a 0700 folder) when missing and `create` is set."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        if not create:
            raise ConfigError(f"credential key file {path} is missing on this host; it must be the same "
                              "file as on the hosts that submit scans (DG_CREDENTIAL_KEY_FILE)") from None
    _create_key(path)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode) or mode & 0o077:
            raise ConfigError(f"credential key file {path} must be a regular file only its owner can read "
                              "(chmod 600)")
        key = os.read(fd, 4096).strip()
    finally:
        os.close(fd)
    try:
        Fernet(key)
    except ValueError:
        raise ConfigError(f"credential key file {path} does not hold a Fernet key") from None
    return key


def _create_key(path: Path) -> None:
    """Write a new key under a temporary name and link it into place: racing processes agree on one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, Fernet.generate_key() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)  # fails if another process published its key first: theirs is used
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
