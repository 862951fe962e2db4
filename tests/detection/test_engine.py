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


# texts where hyperscan's byte view and `re`'s str view could part: non-ASCII and control characters,
# values spanning lines, `$` at a block end, long digit runs past the report limit, CRLF line ends
ODD_TEXTS = [
    "caf\u00e9 password = 'Zx8Kq2LmN7pR' \u20ac\nIBAN NL91ABNA0417164300 \u00e9",
    "\u2603" * 10 + "\nbsn 111222333\n",
    "tel\u00a0+31\u00a020\u00a0123\u00a04567 en 06-12345678\x1c\n",
    # no-break space and \x1c are \s to re, not to hyperscan
    "password =\u00a0'Vx9kLm2Qp7'\nsecret_token\x1c=\x1c'Q2hhbmdlZEtleVZhbHVlMTIzNDU2Nzg5MA'\n",
    "Stra\u00dfe 12, 1234 AB \u00c9mile Zola 5, 1011 AB Amsterdam\r\n",
    "api_key =\n  'Q2hhbmdlZEtleVZhbHVlMTIzNDU2Nzg5MA'\r\npassword:\n\t'Vx9!kLm2Qp'\n",
    "-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEAx9Q2" * 4 + "\n-----END RSA PRIVATE KEY-----",
    "key = \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + "A" * 40 + "\"",
    "1" * 70_000 + "\nBSN 111222333 mail jan@kpn.nl",  # more reports than MAX_REPORTS: no plan
    "\n".join(f"regel {i}: iban NL91ABNA0417164300 of 0612345678" for i in range(300)),
]


def _hits(hits: list) -> list[tuple[str, int, int, str]]:
    return sorted((h.detector.name, h.start, h.end, h.value) for h in hits)


@pytest.mark.parametrize("kinds", [frozenset({"pii", "secret", "special", "code"}), frozenset({"pii"})])
def test_hyperscan_located_search_finds_exactly_what_re_finds_everywhere(kinds: frozenset[str]) -> None:
    pytest.importorskip("hyperscan")  # without it the engine searches everywhere: same results, slower
    from services.detection import engine
    from services.detection.prefilter import shared
    from services.detection.registry import detectors_for
    from tests.corpus.labelled import labelled_samples

    detectors = detectors_for(kinds)
    prefilter = shared(detectors)
    assert prefilter is not None
    corpus = "\n".join(s.text for s in labelled_samples())
    for text in [corpus, *ODD_TEXTS, *_code_texts()]:
        plan = prefilter.plan(text)
        if plan is None:  # past the report limit the engine searches everywhere itself
            assert len(text) > engine.BLOCK_CHARS // 2
            continue
        located = engine._located_hits(text, detectors, plan)
        assert _hits(located) == _hits(engine._hits_everywhere(text, detectors))


def _code_texts() -> list[str]:
    """Real source code: a few standard-library modules with long lines, strings and regexes."""
    import email.utils
    import http.cookiejar
    import ipaddress
    from pathlib import Path

    return [Path(m.__file__).read_text(encoding="utf-8") for m in (email.utils, http.cookiejar, ipaddress)
            if m.__file__]


@pytest.mark.parametrize(("pattern", "stays"), [
    (r"(?P<value>\d(?<![\w.])\d{8})(?![\w/]|[.,-]\d)", True),  # look-behind sees across the line start
    (r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}", True),
    (r"[^\"']{4,}", False),  # the class excludes quotes, not the newline
    (r"key\s*=\s*\w+", False),
    (r"(?s)BEGIN.{0,50}END", False),
    (r"token=\w+$", False),  # `$` judges the block's end, not a line's
    (r"\d{4}(?=\s*AB)", False),  # the look-ahead may look past a newline
    (r"[\s\S]{3}", False),
])
def test_patterns_that_may_span_lines_are_searched_over_the_whole_block(pattern: str, stays: bool) -> None:
    import re

    from services.detection.prefilter import stays_on_line

    assert stays_on_line(re.compile(pattern)) is stays


def test_a_finding_as_a_dict_has_every_field_and_copies_of_its_dicts() -> None:
    from dataclasses import fields

    from services.results import Finding

    [finding] = scan_text("IBAN NL91ABNA0417164300")
    row = finding.to_dict()
    assert list(row) == [f.name for f in fields(Finding)]  # a field added later is not left out
    assert row["severity"] == finding.severity.value and row["gdpr_articles"] == list(finding.gdpr_articles)
    row["location"]["line"] = 99
    row["explanation"]["note"] = "changed"
    assert finding.location["line"] == 1 and "note" not in finding.explanation
