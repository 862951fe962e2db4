"""Turn a path named in a scan request into a real path inside the allowed scan roots.

Ownership is decided here and only here, always on the resolved path (symlinks followed, `..` and
`./` padding gone): `resolve_within_roots` for a path a scanner is about to read or write, and
`refuse_foreign_data_paths` for every string of a request at submission, so a tenant hears at once
that a path in another organisation's uploads is not theirs, and the worker checks again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from services.scope import ScanScope, current_scope
from utils.errors import InvalidRequestError, UnsafeInputError

logger = logging.getLogger(__name__)

# PATH_MAX on Linux: no path the kernel opens is longer. Refusing longer ones up front also keeps a
# padded path ('./' x 500,000) from costing seconds of os.path.realpath.
MAX_PATH_CHARS = 4096


def resolve_scan_path(path: str) -> Path:
    """Resolve `path` (symlinks included) and refuse it unless it lies in the current scan scope's roots.

    In a worker's job those are the job's own organisation's uploads and the operator's scan roots
    (services/scope.py), so a path into another organisation's uploads is outside, however it is spelt.
    """
    return resolve_in_scope(path, current_scope())


def resolve_within_roots(path: str | os.PathLike[str], roots: Iterable[Path]) -> Path:
    """Resolve `path` and refuse it unless it lies inside one of `roots` (given explicitly)."""
    return resolve_in_scope(path, ScanScope(None, tuple(Path(root).resolve() for root in roots)))


def resolve_in_scope(path: str | os.PathLike[str], scope: ScanScope) -> Path:
    """Resolve `path` (symlinks included) and refuse it unless `scope` allows it."""
    raw = _as_text(path)
    resolved = Path(raw).expanduser().resolve()
    # the scope check comes before the existence check so a refused request cannot probe
    # which files exist elsewhere on the server
    if not in_scope(resolved, scope):
        logger.warning("inputs: refused scan path outside the allowed roots (org %s)", scope.org_id)
        raise UnsafeInputError(f"path is outside the allowed scan roots: {_shown(raw)}")
    if not resolved.exists():
        raise InvalidRequestError(f"path does not exist: {_shown(raw)}")
    return resolved


def in_scope(resolved: Path, scope: ScanScope) -> bool:
    """True when the resolved path lies in one of the scope's roots, and in the data directory only in
    the scope's own folder."""
    if not any(is_within(resolved, root) for root in scope.roots):
        return False
    return not _foreign_data(resolved, scope)


def _foreign_data(resolved: Path, scope: ScanScope) -> bool:
    if scope.data_dir is None or not is_within(resolved, scope.data_dir):
        return False
    return scope.own_dir is None or not is_within(resolved, scope.own_dir)


def _shown(raw: str) -> str:
    """A path as an error message quotes it: short enough to read."""
    return raw if len(raw) <= 200 else raw[:200] + "…"


def refuse_foreign_data_paths(value: str, scope: ScanScope) -> None:
    """Refuse `value` if, read as a server path or a file:// URL, it lies in the data directory
    outside `scope`'s own folder.

    The data directory holds every organisation's uploads, the Redis AOF and the PostgreSQL cluster.
    Any string of a request may be a path to some scanner, so each is checked: text that is no path
    resolves somewhere harmless. A string too long to be a path is checked lexically: no scanner
    would open it (resolve_within_roots refuses it), but it must not look like a way in either.
    """
    if not isinstance(value, str) or "\x00" in value:
        return  # not a usable path: the scanner that reads it refuses it itself
    for candidate in _path_readings(value):
        if _foreign_data(_resolved(candidate), scope):
            logger.warning("inputs: refused a path into the data directory outside org %s's own uploads",
                           scope.org_id)
            raise UnsafeInputError("path is in the platform's data directory but not in this organisation's "
                                   "uploads")


def _path_readings(value: str) -> list[str]:
    """The ways a scanner could read `value` as a path: as it is, and as a file:// URL's path."""
    readings = [value]
    if value[:5].lower() == "file:":
        readings.append(unquote(urlsplit(value).path))
    return readings


def _resolved(text: str) -> Path:
    """Where `text` leads: resolved when it could be opened, else its lexical absolute form."""
    try:
        expanded = os.path.expanduser(text)
    except (RuntimeError, KeyError):
        expanded = text
    if len(expanded) > MAX_PATH_CHARS:
        return Path(os.path.abspath(expanded))
    return Path(os.path.realpath(expanded))


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
    if len(raw) > MAX_PATH_CHARS:
        raise InvalidRequestError(f"path is longer than {MAX_PATH_CHARS} characters")
    return raw
