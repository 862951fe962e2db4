"""Finished jobs in PostgreSQL: one scan row and its findings per job, written exactly once."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg2.errors
import psycopg2.extras

from utils.database_manager import Database
from utils.errors import InvalidRequestError
from utils.repositories.common import (
    MAX_PAGE,
    as_optional_uuid,
    as_timestamp,
    as_uuid,
    db_or_default,
    iso,
    month_start,
)
from utils.repositories.usage import bump_usage

JOB_STATES = ("succeeded", "failed", "timed_out", "cancelled", "dead")
NOT_ASSESSED = "not_assessed"  # services/scoring.NOT_ASSESSED (utils does not import services)


SCAN_COLUMNS = ("job_id, org_id, user_id, scanner, status, job_state, attempts, created_at, started_at, "
                "finished_at, duration_s, compliance_score, risk_level, summary, errors, error, sections")
LIST_COLUMNS = SCAN_COLUMNS.removesuffix(", sections")  # a history line needs no scanner's own sections
# the fields every result has, each in a column of its own (or the job's); every other top-level field
# of a result is a section of the scanner's own (dpia, soc2, report, website, notes, artifacts ...)
RESULT_FIELDS = frozenset({"job_id", "scanner", "status", "job_state", "started_at", "finished_at", "summary",
                           "findings", "errors", "error"})


FINDING_COLUMNS = ("scan_id, position, type, category, severity, confidence, location, evidence, "
                   "gdpr_articles, remediation, explanation, fingerprint")


def _job_fields(job: Any) -> Mapping[str, Any]:
    """The job as a mapping: the job dict, or utils.ipc_manager.Job (a dataclass) as it is."""
    if isinstance(job, Mapping):
        return job
    if dataclasses.is_dataclass(job) and not isinstance(job, type):
        return dataclasses.asdict(job)
    raise InvalidRequestError("a job must be a mapping or a Job")


def _scan_row(job: Mapping[str, Any], result: Mapping[str, Any]) -> tuple[Any, ...]:
    summary = dict(result.get("summary") or {})
    if result.get("status") == "failed":
        # a result from a worker older than migration 0004 may still score a failed scan: it is not
        # assessed (services/scoring.py), and the table's check would refuse the row
        summary.update(compliance_score=None, risk_level=NOT_ASSESSED, score_breakdown=[])
    started = as_timestamp(result.get("started_at"), "started_at")
    finished = as_timestamp(result.get("finished_at"), "finished_at")
    duration = (finished - started).total_seconds() if started and finished else None
    job_state = result.get("job_state") or ("failed" if result.get("status") == "failed" else "succeeded")
    if job_state not in JOB_STATES:
        raise InvalidRequestError(f"job_state must be one of {', '.join(JOB_STATES)}")
    return (
        as_uuid(job.get("id"), "job id"), as_optional_uuid(job.get("org_id"), "org_id"),
        as_optional_uuid(job.get("user_id"), "user_id"), job.get("scanner") or result.get("scanner"),
        result.get("status", "completed"), job_state, int(job.get("attempts") or 0),
        as_timestamp(job.get("created_at"), "created_at") or started or datetime.now(UTC), started, finished,
        duration, summary.get("compliance_score"), summary.get("risk_level"),
        psycopg2.extras.Json(summary), psycopg2.extras.Json(list(result.get("errors") or [])),
        result.get("error"), psycopg2.extras.Json(result_sections(result)),
    )


def result_sections(result: Mapping[str, Any]) -> dict[str, Any]:
    """The result's own sections: every top-level field that is not one of RESULT_FIELDS."""
    return {key: value for key, value in result.items() if key not in RESULT_FIELDS}


def _finding_rows(scan_id: int, findings: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (scan_id, position, f["type"], f.get("category", ""), f["severity"], float(f.get("confidence", 1.0)),
         psycopg2.extras.Json(f.get("location") or {}), f.get("evidence", ""),
         list(f.get("gdpr_articles") or ()), f.get("remediation", ""),
         psycopg2.extras.Json(f.get("explanation") or {}), f.get("fingerprint", ""))
        for position, f in enumerate(findings)
    ]


def save_scan_result(job: Mapping[str, Any] | Any, result: Mapping[str, Any],
                     *, db: Database | None = None) -> bool:
    """Persist a finished job once: True if written now, False if this job id was already stored.

    The scan row, its findings and (for a succeeded job) the organisation's usage count go in one
    transaction, and only when the row is new, so a re-delivered job or a replayed outbox entry
    changes nothing.
    """
    row = _scan_row(_job_fields(job), result)
    with db_or_default(db).transaction() as cur:
        cur.execute(f"INSERT INTO scans ({SCAN_COLUMNS}) VALUES %s ON CONFLICT (job_id) DO NOTHING "
                    "RETURNING id, org_id, created_at, job_state", (row,))
        inserted = cur.fetchone()
        if inserted is None:
            return False
        psycopg2.extras.execute_values(
            cur, f"INSERT INTO findings ({FINDING_COLUMNS}) VALUES %s",
            _finding_rows(inserted["id"], result.get("findings") or []), page_size=500)
        # usage is what an organisation is billed for: scans that ran to the end, not our failures
        if inserted["org_id"] is not None and inserted["job_state"] == "succeeded":
            bump_usage(cur, inserted["org_id"], month_start(inserted["created_at"].date()), 1)
    return True


def get_scan(job_id: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """The stored result of a job (scan row plus findings in order), or None if it was never stored."""
    job_uuid = as_uuid(job_id, "job id")
    with db_or_default(db).transaction() as cur:
        cur.execute(f"SELECT id, {SCAN_COLUMNS}, recorded_at FROM scans WHERE job_id = %s", (job_uuid,))
        scan = cur.fetchone()
        if scan is None:
            return None
        cur.execute("SELECT type, category, severity, confidence, location, evidence, gdpr_articles, "
                    "remediation, explanation, fingerprint, suppressed FROM findings "
                    "WHERE scan_id = %s ORDER BY position", (scan.pop("id"),))
        findings = [dict(f) for f in cur.fetchall()]
    return {**iso(dict(scan)), "findings": findings}


def list_scans(org_id: str | None, limit: int = 50, offset: int = 0, search: str | None = None,
               *, db: Database | None = None) -> list[dict[str, Any]]:
    """Scans of an organisation (None = all), newest first, optionally matching `search`."""
    clauses: list[str] = ["TRUE"]
    params: list[Any] = []
    if org_id is not None:
        clauses.append("org_id = %s")
        params.append(as_uuid(org_id, "org_id"))
    if search:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", search) + "%"
        clauses.append("(scanner ILIKE %s OR job_id::text ILIKE %s OR status ILIKE %s OR job_state ILIKE %s)")
        params.extend([pattern] * 4)
    params.extend([max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))])
    with db_or_default(db).transaction() as cur:
        cur.execute(f"SELECT {LIST_COLUMNS}, recorded_at FROM scans WHERE {' AND '.join(clauses)} "
                    "ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s", params)
        return [iso(dict(row)) for row in cur.fetchall()]
