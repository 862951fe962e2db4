"""The database scanner: a personal-data map of a live PostgreSQL, MySQL/MariaDB or SQLite database.

Request: `dsn` (postgresql://, mysql://, mariadb:// or sqlite:///path) or `path` (an uploaded SQLite
file), and `options`: `schemas` (list; default every non-system schema, or the DSN's database in
MySQL), `sample_size` (rows per column, default DG_DATABASE_SAMPLE_ROWS), `retention_days` (default
DG_DATABASE_RETENTION_DAYS), `kinds` (pii, special or type names; default both).

In a worker the DSN carries no password: the submission kept it apart (services/job_credentials.py)
and the job's `dsn_credential_ref` is resolved to it in memory. The host goes through the SSRF rule
(services/inputs/targets.checked_addresses) and the connection is made to the checked address,
through the host's circuit breaker. Every table is sampled at random (sources.py), its columns are
classified (classify.py), and a table with personal data is checked for rows older than the
retention period. The result's `database` section is the personal-data map:

    database: { target, engine, tables_total, columns_total, sample_size, retention_days,
                map: [ { schema, table, column, type, special, share, confidence, severity, basis,
                         example, name_only? } ],
                tables: [ { schema, table, estimated_rows, columns, sampled_rows, personal_columns,
                            plaintext_columns, protected_columns, retention?, error? } ],
                skipped: [ { schema, table, column?, reason } ] }

A target that cannot be reached gives a `failed` result (not assessed) naming the host; a table whose
query fails (its statement timeout, a permission) is an entry in `errors` and the result `degraded`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from services.detection.structured.vocabulary import vocabulary
from services.detection.types import TYPES
from services.inputs.credentials import supplied
from services.inputs.dsn import DSN_CREDENTIAL_REF_FIELD, Dsn, parse_dsn
from services.inputs.targets import checked_addresses
from services.results import Finding, ResultStatus, Severity, build_result, status_for, utc_now_iso
from services.scanners.base import Progress, Request, Result, call_outbound
from services.scanners.database.classify import classify_table
from services.scanners.database.sources import (
    COLUMNS_PER_QUERY,
    ColumnInfo,
    QueryError,
    Source,
    TableInfo,
    as_datetime,
    is_date_type,
    quotable,
)
from utils.config import get_settings
from utils.errors import InvalidRequestError, TargetUnavailableError

logger = logging.getLogger(__name__)

RETENTION_TYPE = "database.retention_exceeded"
MAX_TABLES = 2_000  # tables listed in the map; a schema with more is cut, and the cut is listed
_CREATED_WORDS = ("created", "aangemaakt", "inserted", "registered", "ingeschreven", "geregistreerd",
                  "signup", "aanmeld", "datum", "date", "timestamp", "time")


@dataclass(frozen=True)
class Options:
    """The request's options with their defaults applied."""

    schemas: list[str]
    sample_size: int
    retention_days: int
    kinds: frozenset[str]


@dataclass
class _Run:
    """What one scan has gathered so far."""

    options: Options
    display: str
    progress: Progress
    findings: list[Finding] = field(default_factory=list)
    map: list[dict[str, Any]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    columns_read: int = 0
    tables_read: int = 0


class DatabaseScanner:
    """Samples every table of a target database and maps where personal data lives."""

    name = "database"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Connect, list, sample and classify; the result carries the personal-data map."""
        started = utc_now_iso()
        options = _options(request)
        dsn, password = _target(request)
        progress(1.0, f"connecting to {dsn.shown}")
        try:
            source = _open(dsn, password)
        except TargetUnavailableError as error:
            logger.warning("scanner database: %s", error)
            return _unreachable(started, dsn, error)
        run = _Run(options, dsn.shown, progress)
        try:
            _scan_source(run, source)
        except TargetUnavailableError as error:
            logger.warning("scanner database: %s", error)
            run.errors.append({"target": error.target, "error": str(error), "retry_at": error.retry_at})
        finally:
            source.close()
        logger.info("scanner database: %s: %d tables, %d columns, %d findings, %d errors", dsn.shown,
                    run.tables_read, run.columns_read, len(run.findings), len(run.errors))
        return build_result(self.name, run.findings, started_at=started, items_scanned=run.tables_read,
                            errors=run.errors, status=status_for(run.tables_read, run.errors),
                            extra={"database": _section(run, dsn)})


def _options(request: Request) -> Options:
    raw = request.get("options") or {}
    if not isinstance(raw, dict):
        raise InvalidRequestError("options must be an object")
    settings = get_settings()
    sample = int(raw.get("sample_size") or settings.database_sample_rows)
    retention = int(raw.get("retention_days") or settings.database_retention_days)
    schemas = [str(s) for s in raw.get("schemas") or []]
    if not 1 <= sample <= 10_000 or not 1 <= retention <= 36_500:
        raise InvalidRequestError("options.sample_size must be 1-10000 and retention_days 1-36500")
    if any(not quotable(s) for s in schemas):
        raise InvalidRequestError("options.schemas: each name must be 1-128 characters")
    kinds = frozenset(str(k) for k in raw.get("kinds") or ("pii", "special"))
    return Options(schemas, sample, retention, kinds)


def _target(request: Request) -> tuple[Dsn, str]:
    """The parsed DSN (or the SQLite file as one) and its password, from the request or the hand-over."""
    raw, path = request.get("dsn"), request.get("path")
    if (raw is None) == (path is None):
        raise InvalidRequestError("the database scanner takes exactly one of dsn, path")
    if path is not None:
        if not isinstance(path, str) or not path.strip():
            raise InvalidRequestError("path must name an uploaded SQLite file")
        return Dsn("sqlite", path=path), ""
    dsn, password = parse_dsn(raw)
    ref = request.get(DSN_CREDENTIAL_REF_FIELD)
    if ref is not None:
        if password is not None:
            raise InvalidRequestError("dsn carries a password and another was kept apart: give it once")
        password = supplied(ref, DSN_CREDENTIAL_REF_FIELD, "dsn").password
    return dsn, password or ""


def _open(dsn: Dsn, password: str) -> Source:
    """A read-only connection: SQLite at once, a server through the SSRF check and its breaker."""
    settings = get_settings()
    if dsn.engine == "sqlite":
        from services.scanners.database.sqlite import SqliteSource

        return SqliteSource(dsn.path, settings.database_statement_timeout_s)
    address = checked_addresses(dsn.host, "dsn")[0]
    timeouts = {"connect_timeout_s": settings.database_connect_timeout_s,
                "statement_timeout_s": settings.database_statement_timeout_s}
    if dsn.engine == "postgresql":
        from services.scanners.database.postgres import PostgresSource

        return call_outbound(dsn.host, lambda: PostgresSource(dsn, address, password, **timeouts))
    from services.scanners.database.mysql import MysqlSource

    return call_outbound(dsn.host, lambda: MysqlSource(dsn, address, password, **timeouts))


def _unreachable(started: str, dsn: Dsn, error: TargetUnavailableError) -> Result:
    """`failed` (not assessed: an unread database proves nothing), naming the host and its breaker."""
    return build_result("database", [], started_at=started, status=ResultStatus.FAILED,
                        errors=[{"target": error.target, "error": str(error), "retry_at": error.retry_at}],
                        extra={"database": {"target": dsn.shown, "engine": dsn.engine, "map": [],
                                            "tables": [], "skipped": []}})


# --- reading the tables --------------------------------------------------------------------------

def _scan_source(run: _Run, source: Source) -> None:
    try:
        tables = source.tables(run.options.schemas)
    except QueryError as error:
        raise InvalidRequestError(f"the tables of {run.display} cannot be listed: {error}") from None
    if len(tables) > MAX_TABLES:
        run.skipped += [{"schema": t.schema, "table": t.name, "reason": f"past the first {MAX_TABLES} tables"}
                        for t in tables[MAX_TABLES:]]
        tables = tables[:MAX_TABLES]
    budget = get_settings().database_max_columns
    for index, table in enumerate(tables):
        percent = 2.0 + 96.0 * index / max(1, len(tables))
        run.progress(percent, f"sampling {table.schema}.{table.name}")
        columns = _readable_columns(run, table)
        if run.columns_read + len(columns) > budget:
            kept = max(0, budget - run.columns_read)
            run.skipped.append({"schema": table.schema, "table": table.name, "columns": len(columns) - kept,
                                "reason": f"{len(columns) - kept} columns past the scan's {budget} "
                                          "(DG_DATABASE_MAX_COLUMNS)"})
            columns = columns[:kept]
        if not columns and table.columns:
            continue
        _scan_table(run, source, table, columns, percent)


def _readable_columns(run: _Run, table: TableInfo) -> list[ColumnInfo]:
    if not quotable(table.name) or not quotable(table.schema):
        run.skipped.append({"schema": table.schema[:128], "table": table.name[:128],
                            "reason": "name longer than 128 characters: not queried"})
        return []
    for column in table.columns:
        if not quotable(column.name):
            run.skipped.append({"schema": table.schema, "table": table.name, "column": column.name[:128],
                                "reason": "name longer than 128 characters: not queried"})
    return [c for c in table.columns if quotable(c.name)]


def _scan_table(run: _Run, source: Source, table: TableInfo, columns: list[ColumnInfo],
                percent: float) -> None:
    entry: dict[str, Any] = {"schema": table.schema, "table": table.name,
                             "estimated_rows": table.estimated_rows, "columns": len(table.columns),
                             "sampled_rows": 0, "personal_columns": [], "plaintext_columns": [],
                             "protected_columns": []}
    run.tables.append(entry)
    message = f"classifying {table.schema}.{table.name}"

    def tick() -> None:
        run.progress(percent, message)

    try:
        for chunk in _chunks(columns):
            rows = source.sample(table, chunk, run.options.sample_size)
            tick()
            mapped = classify_table(table, chunk, rows, run.display, run.options.kinds, tick)
            entry["sampled_rows"] = max(entry["sampled_rows"], len(rows))
            for key in ("personal_columns", "plaintext_columns", "protected_columns"):
                entry[key] += getattr(mapped, key)
            run.map += mapped.rows
            run.findings += mapped.findings
            run.columns_read += len(chunk)
        if entry["personal_columns"]:
            _check_retention(run, source, table, entry)
    except QueryError as error:
        entry["error"] = str(error)
        run.errors.append({"table": f"{table.schema}.{table.name}", "error": str(error)})
        return
    run.tables_read += 1


def _chunks(columns: list[ColumnInfo]) -> Iterator[list[ColumnInfo]]:
    for start in range(0, len(columns), COLUMNS_PER_QUERY):
        yield columns[start:start + COLUMNS_PER_QUERY]


# --- retention -----------------------------------------------------------------------------------

def _check_retention(run: _Run, source: Source, table: TableInfo, entry: dict[str, Any]) -> None:
    """Rows older than the retention period, by the table's creation-like date column (if it has one)."""
    column = _age_column(table)
    if column is None:
        entry["retention"] = {"column": None, "note": "no date column shows the rows' age"}
        return
    cutoff = datetime.now().replace(microsecond=0) - timedelta(days=run.options.retention_days)
    oldest, older = source.oldest(table, column, cutoff)
    first = as_datetime(oldest)
    entry["retention"] = {"column": column.name, "oldest": first.strftime("%Y-%m") if first else None,
                          "rows_older": older, "retention_days": run.options.retention_days}
    if older:
        run.findings.append(_retention_finding(run, table, column, older, first))


def _age_column(table: TableInfo) -> ColumnInfo | None:
    dated = [c for c in table.columns if is_date_type(c.data_type) and quotable(c.name)
             and _meaning_type(c.name) != "pii.date_of_birth"]
    for word in _CREATED_WORDS:
        for column in dated:
            if word in column.name.lower():
                return column
    return dated[0] if dated else None


def _meaning_type(name: str) -> str | None:
    meaning = vocabulary().meaning(name)
    return meaning.type if meaning is not None else None


def _retention_finding(run: _Run, table: TableInfo, column: ColumnInfo, older: int,
                       oldest: datetime | None) -> Finding:
    from services.detection.fingerprint import fingerprint

    info = TYPES[RETENTION_TYPE]
    since = oldest.strftime("%Y-%m") if oldest else "unknown"
    return Finding(
        type=RETENTION_TYPE, category=info.category, severity=info.severity, confidence=0.8,
        location={"schema": table.schema, "table": table.name, "column": column.name, "count": older},
        evidence=f"{older} rows older than {run.options.retention_days} days (oldest {since})",
        gdpr_articles=info.articles, remediation=info.remediation,
        explanation={"detector": "database_retention", "rows_older": older, "oldest": since,
                     "retention_days": run.options.retention_days, "column": column.name,
                     "matched": f"{older} rows of a table with personal data are older than "
                                f"{run.options.retention_days} days by {column.name!r}"},
        fingerprint=fingerprint(RETENTION_TYPE, f"db\x1f{table.schema}\x1f{table.name}", run.display))


def _section(run: _Run, dsn: Dsn) -> dict[str, Any]:
    ordered = sorted(run.map, key=lambda r: (_severity_rank(r["severity"]), r["schema"], r["table"],
                                             r["column"]))
    return {"target": dsn.shown, "engine": dsn.engine, "tables_total": len(run.tables),
            "columns_total": run.columns_read, "sample_size": run.options.sample_size,
            "retention_days": run.options.retention_days, "map": ordered, "tables": run.tables,
            "skipped": run.skipped}


def _severity_rank(severity: str) -> int:
    names = [s.value for s in Severity]
    return names.index(severity) if severity in names else len(names)

