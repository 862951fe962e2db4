"""The report model: scan results aggregated into what a reader needs, independent of the output.

Thousands of findings become a bounded number of rows: findings are grouped by type and by
location (file, URL, table), each group keeps its count and a few masked examples, and each type
lists only its largest groups plus a total of the rest. Only exportable fields are read
(services/exports/common.py), so the report can never show more than a finding's `evidence`; a DPIA
result's own section contributes only its verdict, grounds, levels and ids (services/reporting/
dpia_summary.py), never a free-text answer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from services import scoring
from services.exports.common import (
    SEVERITY_ORDER,
    location_text,
    public_result,
    severity_rank,
)
from services.reporting.dpia_summary import DpiaSummary, dpia_summaries
from services.reporting.i18n import GDPR_ARTICLE
from services.results import ResultStatus, is_assessed

EXAMPLES_PER_GROUP = 3  # enough to recognise the pattern, few enough to keep rows short
GROUPS_PER_TYPE = 12  # the largest groups per type; the rest are one total row
POSITIONS_PER_GROUP = 8  # lines/pages listed per group before "+n"
MAX_SUPPRESSED_ROWS = 60
EVIDENCE_CHARS = 80  # a masked snippet longer than this is cut: the row is for recognising, not reading


@dataclass
class Group:
    """Findings of one type at one location (file, URL, table)."""

    location: str
    count: int = 0
    worst: str = "info"
    positions: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


@dataclass
class TypeSection:
    """Every finding of one type: totals, its largest location groups and the rest as a total."""

    type: str
    category: str
    worst: str
    count: int
    locations: int
    groups: list[Group]
    hidden_groups: int
    hidden_findings: int
    articles: list[str]
    remediation: str
    points: float


@dataclass
class ScanRow:
    """One scan result as the report's scope and score tables show it."""

    scanner: str
    job_id: str
    status: str
    score: int | None
    risk_level: str
    findings: int
    suppressed: int
    items_scanned: int
    bytes_scanned: int
    started_at: str
    finished_at: str
    breakdown: list[dict[str, Any]]
    errors: list[str]


@dataclass
class ReportModel:
    """Everything the renderers print, already aggregated and bounded."""

    scans: list[ScanRow]
    total: int
    by_severity: dict[str, int]
    by_type: list[tuple[str, int]]
    score: scoring.Score | None  # over the assessed scans only; None when none was assessed
    sections: list[TypeSection]
    articles: list[tuple[str, list[str], int]]
    suppressed: list[tuple[str, dict[str, Any]]]
    suppressed_total: int
    not_assessed: int = 0  # scans without a score: they could not read their input, or did not run
    partial: int = 0  # scored scans that could read only part of their input
    dpia: list[DpiaSummary] = field(default_factory=list)  # one per DPIA result


def build_model(results: Sequence[dict[str, Any]]) -> ReportModel:
    """Aggregate scan results into a `ReportModel`."""
    public = [public_result(result) for result in results]
    active = [(r["scanner"], f) for r in public for f in r["findings"] if not f["suppressed"]]
    suppressed = [(r["scanner"], f) for r in public for f in r["findings"] if f["suppressed"]]
    rows = [f for _, f in active]
    scans = [_scan_row(r) for r in public]
    # a scan that is not assessed proves nothing: its findings are listed but lower no overall score
    assessed = [f for r in public if is_assessed(r) for f in r["findings"] if not f["suppressed"]]
    score = scoring.score_findings(assessed) if any(s.score is not None for s in scans) else None
    points = {row["type"]: row["points"] for row in score.breakdown} if score else {}
    by_severity = Counter(str(f["severity"]) for f in rows)
    return ReportModel(
        scans=scans,
        total=len(rows),
        by_severity={s: by_severity.get(s, 0) for s in SEVERITY_ORDER},
        by_type=Counter(str(f["type"]) for f in rows).most_common(),
        score=score,
        sections=_sections(rows, points),
        articles=_article_map(rows),
        suppressed=suppressed[:MAX_SUPPRESSED_ROWS],
        suppressed_total=len(suppressed),
        not_assessed=sum(s.score is None for s in scans),
        partial=sum(s.score is not None and s.status == ResultStatus.DEGRADED.value for s in scans),
        dpia=dpia_summaries(results),
    )


def _scan_row(result: dict[str, Any]) -> ScanRow:
    summary = result.get("summary") or {}
    findings = result["findings"]
    assessed = is_assessed(result)
    return ScanRow(
        scanner=str(result.get("scanner", "")), job_id=str(result.get("job_id") or "-"),
        status=str(result.get("status", "")), score=summary["compliance_score"] if assessed else None,
        risk_level=str(summary.get("risk_level")) if assessed else scoring.NOT_ASSESSED,
        findings=sum(not f["suppressed"] for f in findings),
        suppressed=sum(f["suppressed"] for f in findings),
        items_scanned=int(summary.get("items_scanned") or 0),
        bytes_scanned=int(summary.get("bytes_scanned") or 0),
        started_at=str(result.get("started_at") or ""), finished_at=str(result.get("finished_at") or ""),
        breakdown=list(summary.get("score_breakdown") or []) if assessed else [],
        errors=[_error_text(e) for e in result.get("errors") or ()],
    )


def _error_text(error: object) -> str:
    if isinstance(error, dict):
        where = error.get("path") or error.get("url") or error.get("item") or ""
        what = error.get("error") or error.get("message") or ""
        return f"{where}: {what}" if where else str(what)
    return str(error)


def location_key(location: dict[str, Any]) -> str:
    """The location a finding is grouped under: its file, URL or table (without line or column)."""
    if "table" in location:
        return ".".join(str(location[k]) for k in ("schema", "table") if location.get(k) not in (None, ""))
    for key in ("path", "url"):
        if location.get(key):
            return str(location[key])
    return location_text(location)


def position_text(location: dict[str, Any]) -> str:
    """The position inside a group's location: line, page, sheet, column or method."""
    parts = []
    if location.get("sheet") not in (None, ""):
        parts.append(str(location["sheet"]))
    if location.get("page") not in (None, ""):
        parts.append(f"p{location['page']}")
    if location.get("line") not in (None, ""):
        parts.append(str(location["line"]))
    if "table" in location and location.get("column"):
        parts.append(str(location["column"]))
    if location.get("method"):
        parts.append(str(location["method"]))
    return ":".join(parts)


def _sections(rows: list[dict[str, Any]], points: dict[str, float]) -> list[TypeSection]:
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_type[str(row["type"])].append(row)
    sections = [_section(kind, found, points.get(kind, 0.0)) for kind, found in by_type.items()]
    sections.sort(key=lambda s: (severity_rank(s.worst), -s.points, -s.count, s.type))
    return sections


def _section(kind: str, rows: list[dict[str, Any]], points: float) -> TypeSection:
    groups: dict[str, Group] = {}
    for row in rows:
        key = location_key(row["location"])
        _add(groups.setdefault(key, Group(location=key, worst=row["severity"])), row)
    ordered = sorted(groups.values(), key=lambda g: (severity_rank(g.worst), -g.count, g.location))
    shown = ordered[:GROUPS_PER_TYPE]
    remediations = Counter(str(r.get("remediation") or "") for r in rows if r.get("remediation"))
    return TypeSection(
        type=kind, category=str(rows[0].get("category") or ""),
        worst=min((str(r["severity"]) for r in rows), key=severity_rank),
        count=len(rows), locations=len(groups), groups=shown,
        hidden_groups=len(ordered) - len(shown), hidden_findings=sum(g.count for g in ordered[len(shown):]),
        articles=sort_articles({a for r in rows for a in r["gdpr_articles"]}),
        remediation=remediations.most_common(1)[0][0] if remediations else "", points=points,
    )


def _add(group: Group, row: dict[str, Any]) -> None:
    group.count += 1
    if severity_rank(row["severity"]) < severity_rank(group.worst):
        group.worst = row["severity"]
    position = position_text(row["location"])
    if position and len(group.positions) < POSITIONS_PER_GROUP and position not in group.positions:
        group.positions.append(position)
    evidence = clip(str(row.get("evidence") or ""), EVIDENCE_CHARS)
    if evidence and len(group.examples) < EXAMPLES_PER_GROUP and evidence not in group.examples:
        group.examples.append(evidence)


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def sort_articles(articles: set[str] | list[str]) -> list[str]:
    """GDPR articles first in numeric order, then other laws (UAVG, AI Act, ...) alphabetically."""
    def key(article: str) -> tuple[int, int, str]:
        gdpr = GDPR_ARTICLE.match(article)
        if gdpr:
            return (0, int(gdpr.group(1)), article)
        return (1, 0, article)
    return sorted(articles, key=key)


def _article_map(rows: list[dict[str, Any]]) -> list[tuple[str, list[str], int]]:
    types: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    for row in rows:
        for article in row["gdpr_articles"]:
            types[article].add(str(row["type"]))
            counts[article] += 1
    return [(article, sorted(types[article]), counts[article]) for article in sort_articles(list(types))]


def suppressed_rows(model: ReportModel) -> list[tuple[str, dict[str, Any]]]:
    """The suppressed findings the report lists (bounded), most severe first."""
    return sorted(model.suppressed, key=lambda item: severity_rank(str(item[1]["severity"])))

