"""Engine behaviour: block cuts, streaming, explanations, fingerprints, inline ignores, purity."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from services.detection import scan_lines, scan_stream, scan_text
from services.detection.engine import BLOCK_CHARS
from services.detection.fingerprint import fingerprint
from services.detection.types import TYPES

IBAN = "NL91ABNA0417164300"
KEY = "ghp_Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5Ue0J"


def test_values_on_every_line_are_found_across_block_cuts() -> None:
    lines = [f"regel {i} iban {IBAN}" if i % 500 == 0 else f"regel {i} niets bijzonders hier" for i in
             range(20_000)]
    text = "\n".join(lines)
    assert len(text) > 5 * BLOCK_CHARS
    found = scan_text(text, kinds=frozenset({"pii.iban"}))
    assert [f.location["line"] for f in found] == [i + 1 for i in range(0, 20_000, 500)]
    streamed = list(scan_lines(lines, kinds=frozenset({"pii.iban"})))
    assert [f.location for f in streamed] == [f.location for f in found]


def test_one_huge_line_is_cut_with_overlap_and_each_value_reported_once() -> None:
    filler = "x" * (BLOCK_CHARS - 10)  # puts the second key across the first cut
    text = f"a {KEY} {filler} {KEY} {filler} {KEY} end"
    found = scan_stream(io.StringIO(text), kinds=frozenset({"secret"}))
    assert [(f.type, f.location["line"]) for f in found] == [("secret.github_token", 1)] * 3


def test_findings_explain_themselves_and_never_carry_the_value() -> None:
    (finding,) = scan_text(f"rekening: {IBAN}", path="klanten.csv")
    assert finding.explanation["validation"] == "ISO 13616 mod-97 checksum passed"
    assert finding.explanation["context_words"] == ["rekening"]
    assert finding.gdpr_articles == TYPES["pii.iban"].articles
    assert finding.remediation
    assert IBAN not in repr(finding) and IBAN[4:] not in repr(finding)


def test_fingerprint_is_salted_stable_and_line_independent() -> None:
    first = scan_text(f"x\niban {IBAN}", path="a.txt")[0].fingerprint
    moved = scan_text(f"x\ny\nz\niban {IBAN}", path="a.txt")[0].fingerprint
    other_file = scan_text(f"iban {IBAN}", path="b.txt")[0].fingerprint
    assert first == moved != other_file
    assert fingerprint("pii.iban", IBAN, "a.txt", salt=b"another installation") != first
    assert IBAN not in first


def test_inline_ignore_marker_is_recorded_per_type() -> None:
    found = scan_text(f"iban {IBAN} # dg:ignore[pii.iban]\nmail jan@kpn.nl # dg:ignore[secret]\n"
                      f"token {KEY}  // dg:ignore")
    assert [(f.type, f.explanation.get("inline_ignore")) for f in found] == [
        ("pii.iban", True), ("pii.email", False), ("secret.github_token", True)]


def test_detection_imports_no_infrastructure() -> None:
    code = ("import sys, services.detection, services.detection.registry;"
            "bad = {'redis', 'flask', 'psycopg2'} & set(sys.modules); print(sorted(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_hyperscan_prefilter_flags_every_detector_whose_pattern_matches() -> None:
    pytest.importorskip("hyperscan")  # without it the engine runs every detector: same results, slower
    from services.detection.prefilter import shared
    from services.detection.registry import ALL_DETECTORS
    from tests.corpus.labelled import labelled_samples

    prefilter = shared(ALL_DETECTORS)
    assert prefilter is not None
    odd = ["caf\u00e9 password = 'Zx8Kq2LmN7pR' \u20ac", "\u2603" * 10]
    texts = [s.text for s in labelled_samples()] + odd
    for text in texts:
        flagged = prefilter.candidates(text)
        for detector in ALL_DETECTORS:
            if detector.pattern.search(text):
                assert prefilter.may_match(detector, flagged), (detector.name, text)
