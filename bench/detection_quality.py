"""Precision and recall per finding type: the team's labelled corpus, and every blind set beside it.

    .venv/bin/python bench/detection_quality.py [--formats] [--images] [-v]

The blind sets (tests/corpus/blind_<n>/, written by people who had not read the detection code) are
scored end to end through the document and code scanners (bench/blind_sets.py), each beside the
first score recorded for it before any detector was tuned to it (`--record-first COMMIT` records it
for a new set, once).

A finding counts when it is actionable (confidence >= ACTIONABLE: placeholders and fixtures are
reported low and do not count) and matches a labelled span of the same type that it overlaps.
With --formats (and tests/corpus/formats.py present) the samples are also rendered into every
document format and scanned end to end through the document scanner, per format. With --images the
personal-data samples are photographed as paper and read by the image scanner (bench/image_quality.py:
the image row, precision >= 0.95 and recall >= 0.90; about two minutes of tesseract).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import blind_sets, image_quality  # noqa: E402
from services.detection import scan_text  # noqa: E402
from tests.corpus.labelled import ACTIONABLE, Sample, labelled_samples  # noqa: E402

TARGET = 0.95
BLIND_PRECISION, BLIND_RECALL = 0.95, 0.90  # per family, on sets nobody tuned to (issue 15)


def absolute_spans(sample: Sample) -> list[tuple[str, int, int, float]]:
    """(type, start, end, confidence) of every finding, as offsets into the sample text."""
    starts = [0] + [i + 1 for i, ch in enumerate(sample.text) if ch == "\n"]
    spans = []
    for finding in scan_text(sample.text):
        begin, end = finding.explanation["span"]
        offset = starts[finding.location["line"] - 1]
        spans.append((finding.type, offset + begin, offset + end, finding.confidence))
    return spans


def score(samples: list[Sample]) -> tuple[dict[str, list[int]], list[str]]:
    """Per type [true positives, false positives, false negatives], and the misses described."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    notes: list[str] = []
    for index, sample in enumerate(samples):
        found = [s for s in absolute_spans(sample) if s[3] >= ACTIONABLE]
        matched: set[int] = set()
        for kind, start, end in sample.spans:
            hit = next((i for i, f in enumerate(found) if f[0] == kind and f[1] < end and start < f[2]
                        and i not in matched), None)
            if hit is None:
                counts[kind][2] += 1
                notes.append(f"missed {kind} in sample {index}")
            else:
                counts[kind][0] += 1
                matched.add(hit)
        for i, f in enumerate(found):
            if i not in matched:
                counts[f[0]][1] += 1
                notes.append(f"false {f[0]} in sample {index}")
    return counts, notes


def report(counts: dict[str, list[int]]) -> bool:
    """Print the table; True when every type meets the target."""
    ok = True
    print(f"{'type':32} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    for kind in sorted(counts):
        tp, fp, fn = counts[kind]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        flag = "" if precision >= TARGET and recall >= TARGET else "  << below target"
        ok = ok and not flag
        print(f"{kind:32} {tp:4} {fp:4} {fn:4} {precision:10.3f} {recall:8.3f}{flag}")
    return ok


def main() -> int:
    """Run the engine over the corpus and print precision/recall per type."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", action="store_true", help="also scan rendered document formats")
    parser.add_argument("--images", action="store_true",
                        help="also read the samples photographed as paper with the image scanner")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--record-first", metavar="COMMIT",
                        help="record the first score of blind sets that have none (before any tuning)")
    args = parser.parse_args()
    samples = labelled_samples()
    counts, notes = score(samples)
    print(f"team corpus: {len(samples)} labelled samples (actionable = confidence >= {ACTIONABLE})")
    ok = report(counts)
    if args.verbose:
        print("\n".join(notes))
    if args.formats:
        ok = formats_report(samples) and ok
    if args.images:
        ok = image_quality.image_row(args.verbose) and ok
    ok = blind_report(args.record_first, args.verbose) and ok
    return 0 if ok else 1


def blind_report(record_first: str | None, verbose: bool) -> bool:
    """Every blind set through each scanner, beside its first score; True when every family meets
    BLIND_PRECISION / BLIND_RECALL through the document scanner (which reads every format)."""
    ok = True
    for root in blind_sets.blind_sets():
        scores = {scanner: blind_sets.score_set(root, scanner) for scanner in blind_sets.SCANNERS}
        if record_first and blind_sets.first_score(root) is None:
            print(f"recorded {blind_sets.record_first_score(root, scores, record_first)}")
        first = blind_sets.first_score(root) or {}
        blind_sets.print_scores((root.name, name, score, first.get("scanners", {}).get(name))
                                for name, score in scores.items())
        document = scores["document"]
        ok = ok and all(document.family(f).precision >= BLIND_PRECISION and
                        document.family(f).recall >= BLIND_RECALL for f in blind_sets.FAMILIES)
        if verbose:
            print("\n".join(["misses:", *document.misses, "false alarms:", *document.false_alarms]))
    return ok


def formats_report(samples: list[Sample]) -> bool:
    """End to end through the document scanner, per rendered format (needs tests/corpus/formats.py)."""
    try:
        from tests.corpus import formats
    except ImportError:
        print("tests/corpus/formats.py not present: format run skipped")
        return True
    import tempfile

    from services.scanners import get_scanner
    from services.scanners.base import no_progress

    ok = True
    from utils.config import get_settings

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DG_SCAN_ROOTS"] = tmp  # the bench is an edge: it configures the scan root
        get_settings.cache_clear()
        by_format: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        scanner = get_scanner("document")
        for name in formats.FORMATS:  # one at a time: pdf and scanned_pdf share a suffix
            for path, expected in formats.render_all(Path(tmp) / name, samples, (name,)):
                result = scanner.scan({"path": str(path)}, no_progress)
                _count_file(by_format[name], result, expected)
    print("\nend to end through the document scanner (type match per file, counts of findings)")
    for name, (tp, fp, fn) in sorted(by_format.items()):
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        ok = ok and precision >= TARGET and recall >= TARGET
        print(f"{name:12} precision {precision:.3f} recall {recall:.3f} (TP {tp} FP {fp} FN {fn})")
    return ok


def _count_file(row: list[int], result: dict, expected: list[dict]) -> None:
    found = [f for f in result.get("findings", []) if f["confidence"] >= ACTIONABLE]
    want: defaultdict[str, int] = defaultdict(int)
    for item in expected:
        want[item["type"]] += 1
    got: defaultdict[str, int] = defaultdict(int)
    for finding in found:
        got[finding["type"]] += 1
    for kind in set(want) | set(got):
        row[0] += min(want[kind], got[kind])
        row[1] += max(0, got[kind] - want[kind])
        row[2] += max(0, want[kind] - got[kind])


if __name__ == "__main__":
    sys.exit(main())
