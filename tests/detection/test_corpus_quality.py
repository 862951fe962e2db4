"""The labelled corpus: every type the engine claims meets 0.95 precision and recall."""

from __future__ import annotations

from collections import defaultdict

from services.detection import scan_text
from services.detection.types import TYPES
from tests.corpus.labelled import ACTIONABLE, labelled_samples

TARGET = 0.95


def _offsets(text: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


def test_precision_and_recall_per_type() -> None:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for sample in labelled_samples():
        starts = _offsets(sample.text)
        found = []
        for f in scan_text(sample.text):
            if f.confidence >= ACTIONABLE:
                begin, end = f.explanation["span"]
                base = starts[f.location["line"] - 1]
                found.append((f.type, base + begin, base + end))
        for span in sample.spans:
            counts[span[0]][0 if span in found else 2] += 1
        for span in found:
            if span not in sample.spans:
                counts[span[0]][1] += 1
    claimed = {t for t in TYPES if t.split(".", 1)[0] in ("pii", "secret", "special")}  # the engine's own
    assert set(counts) == claimed  # the corpus has positives for every type the engine claims
    for kind, (tp, fp, fn) in counts.items():
        assert tp / (tp + fp) >= TARGET, (kind, tp, fp)
        assert tp / (tp + fn) >= TARGET, (kind, tp, fn)


def test_no_planted_value_appears_in_any_evidence() -> None:
    for sample in labelled_samples():
        rendered = repr([f.to_dict() for f in scan_text(sample.text, path="corpus.txt")])
        for value in sample.values:
            assert value not in rendered
