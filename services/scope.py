"""Whose scan is running, and which server paths it may touch: the tenant boundary inside a scan.

The worker runtime enters a `ScanScope` for every job it runs (`scoped(scope_for(job.org_id))`), so
everything a scanner does on the job's behalf sees the job's own organisation: path checks
(services/inputs/paths.py) allow its upload folder and the operator's scan roots, never the shared
upload directory, and fingerprints (services/detection/fingerprint.py) are keyed per organisation.
A scanner called in-process without a scope (the CLI's `--local`, tests) gets the installation-wide
default: the configured scan roots plus the upload directory, and the installation's fingerprint key.

A context variable, not a request field: a request is what a tenant wrote, and a tenant must not be
able to name the scope it runs in.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from utils.config import Settings, get_settings


@dataclass(frozen=True)
class ScanScope:
    """One job's tenant (None: an installation-wide, in-process scan) and the paths it may use.

    A path must lie inside one of `roots`; inside `data_dir` (every organisation's uploads, the Redis
    AOF, the PostgreSQL cluster) only in `own_dir`, even when an operator's scan root contains the
    data directory.
    """

    org_id: str | None
    roots: tuple[Path, ...]  # resolved; the first takes relative report outputs
    data_dir: Path | None = None  # None: no data-directory rule (in-process scans by the operator)
    own_dir: Path | None = None


ARTIFACTS_DIR = "artifacts"  # in an organisation's upload folder: files its scans wrote as evidence
_current: contextvars.ContextVar[ScanScope | None] = contextvars.ContextVar("dg_scan_scope", default=None)


def org_upload_dir(settings: Settings, org_id: str) -> Path:
    """The one folder of the upload directory that belongs to `org_id` (a UUID, so one path part)."""
    return settings.upload_dir.resolve() / str(uuid.UUID(org_id))


def scope_for(org_id: str | None, settings: Settings | None = None) -> ScanScope:
    """The scope of a job of `org_id`: its own uploads and the operator's scan roots.

    A job without an organisation (operators' drills, benchmarks) may read the scan roots only.
    """
    settings = settings or get_settings()
    own = org_upload_dir(settings, org_id) if org_id else None
    roots = (own, *settings.scan_roots) if own else settings.scan_roots
    return ScanScope(org_id, roots, settings.data_dir.resolve(), own)


def default_scope(settings: Settings | None = None) -> ScanScope:
    """The scope of an in-process scan outside any job: scan roots plus the whole upload directory."""
    settings = settings or get_settings()
    return ScanScope(None, settings.allowed_scan_roots)


def current_scope() -> ScanScope:
    """The scope entered by the caller, else the installation-wide default."""
    return _current.get() or default_scope()


def current_org_id() -> str | None:
    """The organisation of the job being scanned; None outside a job (cheap: no settings read)."""
    scope = _current.get()
    return None if scope is None else scope.org_id


def artifact_dir(scanner: str) -> Path:
    """A new, private folder for files a scan writes as evidence (screenshots, redacted copies).

    In a job it lies in the organisation's own upload folder, so only that organisation's later jobs
    (a report) and downloads can read it; outside a job, in the upload directory. Never beside the input.
    """
    scope = _current.get()
    settings = get_settings()
    base = scope.own_dir if scope is not None and scope.own_dir is not None else settings.upload_dir.resolve()
    folder = base / ARTIFACTS_DIR / scanner / uuid.uuid4().hex
    folder.mkdir(mode=0o700, parents=True)
    return folder


def in_job_scope() -> bool:
    """True inside a worker's job (a scope was entered), False for in-process scans."""
    return _current.get() is not None


@contextmanager
def scoped(scope: ScanScope) -> Iterator[ScanScope]:
    """Run the body in `scope` (the worker runtime does, around each job)."""
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)
