"""Suppressions: inline `dg:ignore`, an ignore list of fingerprints, and a baseline of accepted findings.

Suppressed findings stay in the result with `suppressed: true` and the reason, so an auditor sees
what was waved through and why; services/scoring.py leaves them out of the score. Everything here
works on fingerprints, so an ignore file or baseline never holds a value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.results import Finding
from utils.errors import InvalidRequestError

REASON_INLINE = "inline dg:ignore comment"
REASON_IGNORED = "fingerprint in the ignore list"
REASON_BASELINE = "in the accepted baseline"
MAX_FINGERPRINTS = 100_000  # an ignore file is a curated list, not a data dump


@dataclass(frozen=True)
class Suppressions:
    """Fingerprints to ignore and fingerprints of an accepted baseline."""

    ignore: frozenset[str] = frozenset()
    baseline: frozenset[str] = frozenset()

    def reason(self, finding: Finding) -> str | None:
        """Why `finding` is suppressed, or None when it is reported."""
        if finding.explanation.get("inline_ignore"):
            return REASON_INLINE
        if finding.fingerprint in self.ignore:
            return REASON_IGNORED
        if finding.fingerprint in self.baseline:
            return REASON_BASELINE
        return None


def fingerprints_from(value: Any, *, name: str) -> frozenset[str]:
    """Fingerprints from a request option: a list, or a previous result/baseline dict with findings."""
    if value is None:
        return frozenset()
    if isinstance(value, dict):
        value = value.get("fingerprints") or [f.get("fingerprint") for f in value.get("findings", [])
                                              if isinstance(f, dict)]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidRequestError(f"option {name!r} must be a list of fingerprints or a result with findings")
    if len(value) > MAX_FINGERPRINTS:
        raise InvalidRequestError(f"option {name!r} has more than {MAX_FINGERPRINTS} fingerprints")
    return frozenset(v.strip() for v in value if v.strip())


def read_ignore_file(path: Path) -> frozenset[str]:
    """Fingerprints in a `.dgignore` file: one per line, `#` starts a comment; JSON baselines too."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        try:
            return fingerprints_from(json.loads(text), name=path.name)
        except json.JSONDecodeError:
            raise InvalidRequestError(f"{path.name}: not valid JSON") from None
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(line for line in lines if line)


def apply(findings: Iterable[Finding], suppressions: Suppressions) -> list[dict[str, Any]]:
    """Result rows for `findings`, de-duplicated by fingerprint and line, suppressed ones marked."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, object, object]] = set()
    for finding in findings:
        key = (finding.fingerprint, finding.location.get("line"), finding.location.get("commit"))
        if key in seen:
            continue
        seen.add(key)
        row = finding.to_dict()
        reason = suppressions.reason(finding)
        if reason:
            row["suppressed"] = True
            row["suppression_reason"] = reason
        rows.append(row)
    return rows
