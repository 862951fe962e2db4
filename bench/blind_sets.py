"""Score a scanner on the blind corpora in tests/corpus/blind_<n>/ (`python -m bench.blind_sets`): sets
written by people who had not read the detection code, each labelled in its own manifest.json (see its
NOTE.md).

A set is scanned as a user scans a folder: the whole tree through a registered scanner, end to end.
An alert is a finding at or above ALERT_CONFIDENCE (what the outside measurement counted). An alert
matches a labelled positive of the same type in the same file at the same place: the same line in
text files (a value spanning lines is labelled at its first), the same page in a PDF, the same row
in a spreadsheet, the same paragraph in a Word file; in formats whose text is rebuilt on extraction
(e-mail, HTML, XML) anywhere in the file. An alert covering a whole column (`location.rows`, the
structure-aware findings) matches every positive of its type in those rows. Alerts that match nothing
are false positives (the manifests' hard negatives are where they are expected); positives no alert
matches are misses. code.* findings describe constructs, not values, and are not scored.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
ALERT_CONFIDENCE = 0.4
FAMILIES = ("pii", "secret", "special")
ANYWHERE_SUFFIXES = (".eml", ".html", ".htm", ".xml")  # extraction rebuilds their text: no line to match
PAGE_SUFFIXES = (".pdf",)
SET_FILES = ("manifest.json", "summary.json", "NOTE.md", "first_score.json", "generate.py")  # about the set


@dataclass
class Tally:
    """True positives, false positives and misses of one type (or family)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class Score:
    """One set scored by one scanner: tallies per type, and the misses and false alarms by place."""

    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def family(self, name: str) -> Tally:
        total = Tally()
        for kind, tally in self.by_type.items():
            if kind.split(".")[0] == name:
                total.add(tally)
        return total

    def as_dict(self) -> dict[str, Any]:
        """Precision and recall per family and per type, rounded (what a set's first score records)."""
        return {"families": {f: _figures(self.family(f)) for f in FAMILIES},
                "types": {t: _figures(self.by_type[t]) for t in sorted(self.by_type)}}


def _figures(tally: Tally) -> dict[str, float | int]:
    return {"precision": round(tally.precision, 3), "recall": round(tally.recall, 3), "tp": tally.tp,
            "fp": tally.fp, "fn": tally.fn}


def blind_sets() -> list[Path]:
    """Every blind set directory, in order."""
    return sorted(p for p in CORPUS.glob("blind_*") if (p / "manifest.json").is_file())


# types added to the engine after sets were written without them: a set with no positive of such a type
# left it unlabelled on purpose (blind_3..6's NOTEs: "trade-union membership has no type"), so its alerts
# there can be neither right nor wrong and are not counted; a set that labels the type is scored on it
ADDED_AFTER_SETS = frozenset(("special.trade_union",))


def score_set(root: Path, scanner: str) -> Score:
    """Scan `root` with the registered `scanner` and score its alerts against the manifest."""
    labels = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["files"]
    labelled = {p["type"] for entry in labels.values() for p in entry.get("positives", [])}
    unscored = ADDED_AFTER_SETS - labelled
    tree, findings = _scan(root, scanner)
    alerts = [f for f in findings if f["confidence"] >= ALERT_CONFIDENCE and f["type"] not in unscored
              and not f["type"].startswith("code.") and not f.get("suppressed")]
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alert in alerts:
        by_file[_relative(tree, alert["location"].get("path"))].append(alert)
    score = Score()
    for name in sorted(set(labels) | set(by_file)):
        _score_file(score, name, labels.get(name, {}).get("positives", []), by_file.get(name, []))
    return score


def _scan(root: Path, scanner: str) -> tuple[Path, list[dict[str, Any]]]:
    """The findings of a scan of the set's files (its labels and notes left out), and where they were."""
    from services.scanners import get_scanner
    from services.scanners.base import no_progress
    from services.scope import ScanScope, scoped

    work = Path(tempfile.mkdtemp(prefix=f"dg-{root.name}-"))
    try:
        tree = work / root.name
        shutil.copytree(root, tree, ignore=lambda folder, names: [n for n in names if Path(folder) == root
                                                                  and n in SET_FILES])
        # the bench is an edge: the copy is its scan root; settings are not touched
        with scoped(ScanScope(None, (tree.resolve(),))):
            result = get_scanner(scanner).scan({"path": str(tree)}, no_progress)
        return tree.resolve(), list(result.get("findings") or [])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _relative(tree: Path, path: object) -> str:
    text = str(path or "")
    return os.path.relpath(text, tree) if text.startswith(str(tree)) else text


def _score_file(score: Score, name: str, positives: list[dict[str, Any]],
                alerts: list[dict[str, Any]]) -> None:
    matched: set[int] = set()  # ids of alerts that matched a positive (a column alert may match many)
    for positive in positives:
        kind = positive["type"]
        hit = next((a for a in alerts if a["type"] == kind and _same_place(name, positive, a)
                    and (_covers_rows(a) or id(a) not in matched)), None)
        if hit is None:
            score.by_type[kind].fn += 1
            score.misses.append(f"{name}:{positive.get('line')} {kind}")
        else:
            score.by_type[kind].tp += 1
            matched.add(id(hit))
    for alert in alerts:
        if id(alert) not in matched:
            score.by_type[alert["type"]].fp += 1
            score.false_alarms.append(f"{name}:{_place(alert)} {alert['type']}")


def _same_place(name: str, positive: dict[str, Any], alert: dict[str, Any]) -> bool:
    location = alert["location"]
    line = positive.get("line")
    if _covers_rows(alert):
        return line in location["rows"]
    if name.lower().endswith(ANYWHERE_SUFFIXES):
        return True
    if name.lower().endswith(PAGE_SUFFIXES):
        return bool(location.get("page") == line)
    return bool(location.get("line") == line)


def _covers_rows(alert: dict[str, Any]) -> bool:
    return isinstance(alert["location"].get("rows"), list)


def _place(alert: dict[str, Any]) -> str:
    location = alert["location"]
    return str(location.get("page") or location.get("line") or "")


def print_scores(scores: Iterable[tuple[str, str, Score, dict[str, Any] | None]]) -> None:
    """Per set and scanner: each family's precision/recall beside the set's first (untuned) score."""
    for name, scanner, score, first in scores:
        print(f"\n{name} through the {scanner} scanner (alerts = confidence >= {ALERT_CONFIDENCE})")
        print(f"{'':28} {'precision':>10} {'recall':>8} {'TP':>5} {'FP':>5} {'FN':>5}   first score (P / R)")
        rows = [(f"family {f}", score.family(f), (first or {}).get("families", {}).get(f)) for f in FAMILIES]
        rows += [(t, score.by_type[t], (first or {}).get("types", {}).get(t)) for t in sorted(score.by_type)]
        for label, tally, before in rows:
            was = f"{before['precision']:.3f} / {before['recall']:.3f}" if before else "-"
            print(f"{label:28} {tally.precision:10.3f} {tally.recall:8.3f} {tally.tp:5} {tally.fp:5} "
                  f"{tally.fn:5}   {was}")


SCANNERS = ("document", "code")  # both read every format; the code scanner without OCR and e-mail as text
FIRST_SCORE = "first_score.json"


def first_score(root: Path) -> dict[str, Any] | None:
    """The set's first score, recorded before anyone tuned detection to it (None until recorded)."""
    path = root / FIRST_SCORE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def record_first_score(root: Path, scores: dict[str, Score], commit: str) -> Path:
    """Write the set's first score; refuses to overwrite one (it is the untuned baseline for good)."""
    path = root / FIRST_SCORE
    if path.exists():
        raise FileExistsError(f"{path} exists: a set's first score is recorded once")
    record = {"commit": commit, "alert_confidence": ALERT_CONFIDENCE,
              "scanners": {name: score.as_dict() for name, score in scores.items()}}
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def main() -> int:
    """Every blind set's scores beside its first score (detection_quality adds the team corpus)."""
    for root in blind_sets():
        first = first_score(root) or {}
        print_scores((root.name, scanner, score_set(root, scanner), first.get("scanners", {}).get(scanner))
                     for scanner in SCANNERS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
