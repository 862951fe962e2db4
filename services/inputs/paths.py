"""Turn a path named in a scan request into a real path inside the allowed scan roots."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from utils.config import get_settings
from utils.errors import InvalidRequestError, UnsafeInputError

logger = logging.getLogger(__name__)


def resolve_scan_path(path: str) -> Path:
    """Resolve `path` (symlinks included) and refuse it unless it lies in `allowed_scan_roots`."""
    return resolve_within_roots(path, get_settings().allowed_scan_roots)


def resolve_within_roots(path: str | os.PathLike[str], roots: Iterable[Path]) -> Path:
    """Resolve `path` and refuse it unless it lies inside one of `roots` (given explicitly)."""
    raw = _as_text(path)
    resolved = Path(raw).expanduser().resolve()
    real_roots = [Path(root).resolve() for root in roots]
    # the roots check comes before the existence check so a refused request cannot probe
    # which files exist elsewhere on the server
    if not any(is_within(resolved, root) for root in real_roots):
        logger.warning("inputs: refused scan path outside the allowed roots: %s", raw)
        raise UnsafeInputError(f"path is outside the allowed scan roots: {raw}")
    if not resolved.exists():
        raise InvalidRequestError(f"path does not exist: {raw}")
    return resolved


def is_within(path: Path, root: Path) -> bool:
    """True when the already-resolved `path` is `root` or lies below it."""
    return path == root or path.is_relative_to(root)


def _as_text(path: object) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidRequestError("path must be a string")
    raw = os.fspath(path)
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidRequestError("path must be a non-empty string")
    if "\x00" in raw:
        raise InvalidRequestError("path must not contain NUL characters")
    return raw
