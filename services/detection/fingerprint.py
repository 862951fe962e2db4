"""Stable finding fingerprints: a keyed hash of type, value and path, never the value itself.

What a fingerprint is for: recognising the same finding again (baselines, ignore lists, de-duplication,
SARIF's partial fingerprints) without keeping the value. What it protects, and from whom:
- The installation salt lives in the data directory (created once, mode 0600). Without it, a
  fingerprint in a leaked report or export cannot be brute-forced back to a BSN or key (a 9-digit BSN
  space is tiny: an unsalted hash of it would be a lookup table away).
- Each organisation's fingerprints are keyed with its own key, derived from the salt and its id. Anyone
  who can scan can compute fingerprints of candidate values (scanning them); with one key for the whole
  installation, a member of one organisation could thus match another organisation's fingerprints
  and learn its values. Per-organisation keys make that oracle useless across organisations.
- It does not protect a value from the organisation's own members: they can scan a guessed value and
  compare. Baselines and ignore lists therefore hold only within one organisation, and a scan outside
  any job (the CLI's --local) uses the installation key.
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

from services.scope import current_org_id
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


@functools.lru_cache(maxsize=1024)
def organisation_key(org_id: str | None) -> bytes:
    """The fingerprint key of one organisation (the installation salt itself outside any job)."""
    salt = installation_salt()
    if org_id is None:
        return salt
    return hmac.new(salt, b"organisation\x1f" + org_id.encode("utf-8"), hashlib.sha256).digest()


def fingerprint(kind: str, value: str, path: str | None, *, salt: bytes | None = None) -> str:
    """Hex HMAC-SHA256 of type, normalised value and path under the scanning organisation's key."""
    normalised = "".join(value.split())  # "1234 5678" and "12345678" are one value
    message = "\x1f".join((kind, normalised, path or "")).encode("utf-8", "surrogatepass")
    key = organisation_key(current_org_id()) if salt is None else salt
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
