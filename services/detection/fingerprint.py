"""Stable finding fingerprints: a salted hash of type, value and path, never the value itself.

The salt lives in the data directory (created once, mode 0600) so fingerprints are stable across
runs of one installation yet cannot be brute-forced from a leaked report back to a BSN or key
(a 9-digit BSN space is tiny; an unsalted hash of it would be a lookup table away).
The line is left out on purpose: a finding keeps its fingerprint when code above it moves.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from utils.config import get_settings

logger = logging.getLogger(__name__)

SALT_FILE = "fingerprint.salt"
SALT_BYTES = 32


@functools.lru_cache(maxsize=1)
def installation_salt() -> bytes:
    """The installation's fingerprint salt, created in the data directory on first use."""
    path = Path(get_settings().data_dir) / SALT_FILE
    try:
        return _read_or_create(path)
    except OSError as error:
        # fingerprints still de-duplicate within this process; they just won't match next run
        logger.warning("detection: cannot keep a fingerprint salt in %s (%s); using a per-process salt",
                       path.parent, type(error).__name__)
        return secrets.token_bytes(SALT_BYTES)


def _read_or_create(path: Path) -> bytes:
    if path.exists():
        salt = path.read_bytes()
        if len(salt) >= 16:
            return salt
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_bytes(SALT_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(salt)
    return salt


def fingerprint(kind: str, value: str, path: str | None, *, salt: bytes | None = None) -> str:
    """Hex HMAC-SHA256 of type, normalised value and path under the installation salt."""
    normalised = "".join(value.split())  # "1234 5678" and "12345678" are one value
    message = "\x1f".join((kind, normalised, path or "")).encode("utf-8", "surrogatepass")
    key = installation_salt() if salt is None else salt
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
