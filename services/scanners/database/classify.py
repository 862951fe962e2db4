"""From a table's sampled rows to its personal-data map: per column the types found, their share of
the sampled values, a masked example, and whether the column is stored hashed or encrypted.

The judging is the detection engine's, as for a CSV export or a SQL seed: the sampled values of each
column become one column of structured records (services/detection/structured), so the column name
(the Dutch and English vocabulary of data/field_names.yaml) is context for every value under it,
values are validated on their own (11-proof, mod-97, libphonenumber, real dates), and a column whose
name says nothing is read by its values and by the ordinary detectors one value at a time. A JSON
value (json/jsonb, or text that parses as a JSON object or array) is read by its keys: `extra` holding
`{"contact": {"email": …}}` gives the column `extra.contact.email`, under the key's own name.

Added here: special categories by column name (`diagnose`, `religie`) and by value (the engine's
special-category detectors on each text value alone); a column named for personal data whose values
do not show it is either protected (the values look like hashes or ciphertext) or reported as a
low note, never as high: a name alone proves nothing.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from services.detection.engine import scan_text
from services.detection.fingerprint import fingerprint
from services.detection.structured.columns import column_findings
from services.detection.structured.records import MAX_VALUE_CHARS, Column, Records
from services.detection.structured.vocabulary import vocabulary
from services.detection.types import TYPES, selected
from services.extraction.base import one_line
from services.results import Finding, Severity
from services.scanners.database.sources import ColumnInfo, TableInfo

NAME_ONLY_TYPE = "database.personal_column_name"
NAME_ONLY_CONFIDENCE = 0.3  # below the alert line (0.4): a name is a lead for the DPO, not a finding
SPECIAL_BY_NAME_CONFIDENCE = (0.5, 0.8)  # from no value present to every sampled value present
# a column named for a type whose sampled values validate less often than this is a name with values at
# chance level (one 9-digit number in eleven passes the 11-proof), not a column of that type: a note
MIN_NAMED_SHARE = 0.5
PROTECTED_SHARE = 0.9  # of a named column's values looking hashed or encrypted: the column is protected
MAX_JSON_KEYS = 200  # key paths read of one JSON value; a wider document is cut (values are samples)
MAX_JSON_DEPTH = 8
_HASHED = re.compile(r"^(?:[0-9a-fA-F]{32,128}|\$(?:2[abxy]?|argon2(?:id|i|d)|[156]|pbkdf2[\w-]*|scrypt)\$\S+"
                     r"|[A-Za-z0-9+/_-]{24,}={0,2}|\\x[0-9a-fA-F]{32,})$")
_MIN_ENTROPY = 3.5  # bits a character: hashes and ciphertext are near 4 (hex) to 6 (base64), words ~3


@dataclass
class ColumnSample:
    """What the sample of one column held, before judging."""

    info: ColumnInfo
    non_null: int = 0
    binary: int = 0
    hashed: int = 0
    json_keys: int = 0
    texts: list[tuple[int, str]] = field(default_factory=list)  # (sample row, text) of text values


@dataclass
class TableMap:
    """One table's part of the personal-data map."""

    rows: list[dict[str, Any]]  # table → column → type → share → confidence
    findings: list[Finding]
    columns: list[dict[str, Any]]  # every sampled column: type, values seen, binary, protected
    personal_columns: list[str]
    plaintext_columns: list[str]
    protected_columns: list[str]


def classify_table(table: TableInfo, columns: list[ColumnInfo], rows: list[tuple[Any, ...]], display: str,
                   kinds: frozenset[str], tick: Callable[[], None]) -> TableMap:
    """The map rows and findings of one table from its sampled rows (columns in `columns`' order)."""
    group = f"{table.schema}.{table.name}"
    records = Records(kind="sql")
    samples = [ColumnSample(info) for info in columns]
    origin: dict[str, int] = {}  # a records column's label -> index of the table column it came from
    for line, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            _add_value(records, samples[index], group, line, value, origin, index)
    found = [f for f in column_findings(records, display, kinds, tick) if f.category in ("pii", "special")]
    found += _special_by_value(samples, group, display, kinds, origin)
    builder = _MapBuilder(table, samples, origin, display, len(rows))
    for finding in found:
        builder.add_finding(finding)
    builder.judge_names(kinds)
    return builder.result()


def _add_value(records: Records, sample: ColumnSample, group: str, line: int, value: Any,
               origin: dict[str, int], index: int) -> None:
    if value is None:
        return
    sample.non_null += 1
    if isinstance(value, memoryview | bytes | bytearray):
        text = _text_of_bytes(bytes(value))
        if text is None:
            sample.binary += 1
            return
        value = text
    if isinstance(value, str) and value[:1] in "{[":
        value = _parsed_json(value)
    if isinstance(value, dict | list):
        sample.json_keys += _add_json(records, sample, group, line, value, origin, index)
        return
    text = value if isinstance(value, str) else _text_of(value)
    if _looks_hashed(text):
        sample.hashed += 1
    column = _column(records, sample.info.name, sample.info.name, group, None, origin, index)
    records.add(column, text, line)
    if isinstance(value, str) and len(text) >= 6:
        sample.texts.append((line, text[:MAX_VALUE_CHARS]))


def _text_of(value: Any) -> str:
    """Dates as ISO text (what the date validators read), everything else as Python writes it."""
    return str(value.isoformat()) if hasattr(value, "isoformat") else str(value)


def _column(records: Records, name: str, label: str, group: str, parent: str | None, origin: dict[str, int],
            index: int) -> Column:
    origin.setdefault(label, index)
    return records.column(Column(name, label, table=group, parent=parent))


def _add_json(records: Records, sample: ColumnSample, group: str, line: int, value: Any,
              origin: dict[str, int], index: int) -> int:
    """Add a JSON value's leaves under their key paths; how many were added."""
    added = 0
    for path, key, parent, leaf in _leaves(value, (), None, None, 0):
        if added >= MAX_JSON_KEYS:
            break
        label = ".".join((sample.info.name, *path)) if path else sample.info.name
        column = _column(records, key or sample.info.name, label, group, parent, origin, index)
        text = leaf if isinstance(leaf, str) else json.dumps(leaf)
        records.add(column, text, line)
        if isinstance(leaf, str) and len(leaf) >= 6:
            sample.texts.append((line, leaf[:MAX_VALUE_CHARS]))
        added += 1
    return added


def _leaves(value: Any, path: tuple[str, ...], key: str | None, parent: str | None,
            depth: int) -> Iterator[tuple[tuple[str, ...], str | None, str | None, Any]]:
    """(key path without list indices, key, the key above it, value) of every scalar in a JSON value."""
    if depth > MAX_JSON_DEPTH:
        return
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _leaves(item, (*path, str(name)[:64]), str(name)[:64], key, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, path, key, parent, depth + 1)
    elif value is not None:
        yield path, key, parent, value


def _parsed_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


def _text_of_bytes(raw: bytes) -> str | None:
    """A binary value's text when it is printable UTF-8 (a string stored as bytes), else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    printable = sum(1 for c in text if c.isprintable() or c.isspace())
    return text if text and printable >= 0.95 * len(text) else None


def _looks_hashed(text: str) -> bool:
    """True for a value shaped like a hash, a password hash or base64 ciphertext (not like words)."""
    if len(text) < 24 or not _HASHED.match(text):
        return False
    counts = Counter(text)
    entropy = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return entropy >= _MIN_ENTROPY


def _special_by_value(samples: list[ColumnSample], group: str, display: str, kinds: frozenset[str],
                      origin: dict[str, int]) -> list[Finding]:
    """Special categories the engine finds in a column's text values, each value read alone."""
    if not selected("special", kinds) and not any(k.startswith("special.") for k in kinds):
        return []
    wanted = frozenset(k for k in kinds if k == "special" or k.startswith("special."))
    found: list[Finding] = []
    for sample in samples:
        if not sample.texts:
            continue
        text = "\n".join(one_line(t) for _, t in sample.texts)
        hits = [f for f in scan_text(text, path=display, kinds=wanted) if f.category == "special"]
        by_type: dict[str, list[Finding]] = {}
        for hit in hits:
            by_type.setdefault(hit.type, []).append(hit)
        for kind, same in by_type.items():
            lines = {int(h.location.get("line", 0)) for h in same}
            best = max(same, key=lambda h: h.confidence)
            found.append(Finding(
                type=kind, category="special", severity=best.severity, confidence=best.confidence,
                location={"table": group, "column": sample.info.name, "count": len(lines)},
                evidence=best.evidence, gdpr_articles=best.gdpr_articles, remediation=best.remediation,
                explanation={**best.explanation, "basis": "values", "count": len(lines),
                             "values": len(sample.texts)}, fingerprint=best.fingerprint))
    return found


class _MapBuilder:
    """Collects one table's findings into map rows, keyed by column and type."""

    def __init__(self, table: TableInfo, samples: list[ColumnSample], origin: dict[str, int], display: str,
                 sampled: int) -> None:
        self.table, self.samples, self.origin = table, samples, origin
        self.display, self.sampled = display, sampled
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self.findings: list[Finding] = []

    def add_finding(self, finding: Finding) -> None:
        label = str(finding.location.get("column", ""))
        sample = self.samples[self.origin.get(label, self.origin.get(label.split(".", 1)[0], 0))]
        count = int(finding.location.get("count") or finding.explanation.get("count") or 1)
        share = round(min(1.0, count / sample.non_null), 3) if sample.non_null else 0.0
        if finding.explanation.get("basis") == "name" and share < MIN_NAMED_SHARE:
            note = f"only {share:.0%} of the sampled values validate: chance level for a column of this name"
            finding = dataclasses.replace(
                finding, severity=Severity.LOW, confidence=min(finding.confidence, NAME_ONLY_CONFIDENCE),
                explanation={**finding.explanation, "note": note})
        key = (label, finding.type)
        if key in self.rows and self.rows[key]["confidence"] >= finding.confidence:
            return
        location = {"schema": self.table.schema, "table": self.table.name, "column": label, "count": count}
        explanation = {**finding.explanation, "share": share, "sampled_rows": self.sampled,
                       "non_null": sample.non_null, "column": label}
        explanation.pop("rows_truncated", None)
        self.findings = [f for f in self.findings if (f.location["column"], f.type) != key]
        self.findings.append(Finding(
            type=finding.type, category=finding.category, severity=finding.severity,
            confidence=finding.confidence, location=location, evidence=finding.evidence,
            gdpr_articles=finding.gdpr_articles, remediation=finding.remediation, explanation=explanation,
            fingerprint=self._fingerprint(finding.type, label)))
        self.rows[key] = self._row(label, finding.type, share, finding.confidence, finding.evidence,
                                   str(finding.explanation.get("basis", "values")), finding.severity)

    def _fingerprint(self, kind: str, label: str) -> str:
        return fingerprint(kind, f"db\x1f{self.table.schema}\x1f{self.table.name}\x1f{label}", self.display)

    def _row(self, label: str, kind: str, share: float, confidence: float, example: str, basis: str,
             severity: Severity) -> dict[str, Any]:
        return {"schema": self.table.schema, "table": self.table.name, "column": label, "type": kind,
                "special": kind.startswith("special."), "share": share, "confidence": confidence,
                "severity": severity.value, "basis": basis, "example": example}

    def judge_names(self, kinds: frozenset[str]) -> None:
        """Columns whose name means personal data: special by name, protected, or a name-only note."""
        for sample in self.samples:
            meaning = vocabulary().meaning(sample.info.name)
            kind = meaning.type if meaning is not None else None
            if kind is None or not selected(kind, kinds) or self._found(sample.info.name, kind):
                continue
            if self._protected(sample):
                continue
            if kind.startswith("special.") and sample.non_null > sample.binary + sample.hashed:
                self._special_by_name(sample, kind, str(meaning.entry if meaning else ""))
            else:
                self._name_only(sample, kind, str(meaning.entry if meaning else ""))

    def _found(self, column: str, kind: str) -> bool:
        return any(c == column and k == kind for c, k in self.rows)

    def _protected(self, sample: ColumnSample) -> bool:
        return sample.non_null > 0 and sample.hashed + sample.binary >= PROTECTED_SHARE * sample.non_null

    def _special_by_name(self, sample: ColumnSample, kind: str, entry: str) -> None:
        info = TYPES[kind]
        share = round(sample.non_null / self.sampled, 3) if self.sampled else 0.0
        low, high = SPECIAL_BY_NAME_CONFIDENCE
        confidence = round(low + (high - low) * share, 2)
        self._add(sample, kind, info.severity, confidence, share, "name",
                  f"column {sample.info.name!r}: vocabulary entry {entry!r} means {kind}; "
                  f"{sample.non_null} of {self.sampled} sampled rows hold a value")

    def _name_only(self, sample: ColumnSample, kind: str, entry: str) -> None:
        self._add(sample, NAME_ONLY_TYPE, Severity.LOW, NAME_ONLY_CONFIDENCE, 0.0, "name",
                  f"column {sample.info.name!r}: vocabulary entry {entry!r} means {kind}, but none of its "
                  f"{sample.non_null} sampled values is one", implied=kind)

    def _add(self, sample: ColumnSample, kind: str, severity: Severity, confidence: float, share: float,
             basis: str, matched: str, implied: str | None = None) -> None:
        info = TYPES[kind]
        label = sample.info.name
        explanation: dict[str, Any] = {"detector": "database_column", "matched": matched, "basis": basis,
                                       "share": share, "sampled_rows": self.sampled,
                                       "non_null": sample.non_null, "column": label, "confidence": confidence}
        if implied:
            explanation["implied_type"] = implied
        self.findings.append(Finding(
            type=kind, category=info.category, severity=severity, confidence=confidence,
            location={"schema": self.table.schema, "table": self.table.name, "column": label,
                      "count": round(share * sample.non_null)},
            evidence="(column name)", gdpr_articles=info.articles, remediation=info.remediation,
            explanation=explanation, fingerprint=self._fingerprint(kind, label)))
        self.rows[(label, kind)] = {**self._row(label, implied or kind, share, confidence, "(column name)",
                                                basis, severity), "name_only": implied is not None}

    def result(self) -> TableMap:
        """The table's map rows (most confident first), findings and column lists."""
        rows = sorted(self.rows.values(), key=lambda r: (r["column"], -r["confidence"]))
        personal = sorted({r["column"] for r in rows if not r.get("name_only")})
        protected = [s.info.name for s in self.samples if self._protected(s)
                     and vocabulary().meaning(s.info.name) is not None]
        columns = [{"column": s.info.name, "data_type": s.info.data_type, "non_null": s.non_null,
                    "binary": s.binary, "hashed": s.hashed, "json_keys": s.json_keys} for s in self.samples]
        return TableMap(rows, self.findings, columns, personal,
                        [c for c in personal if c not in protected], protected)
