"""The public API other scanners code against: scan_text and scan_lines, locations and kinds."""

from __future__ import annotations

from services.detection import scan_lines, scan_text

TEXT = "naam: Jan\nBSN: 111222333 en iban NL91ABNA0417164300\nmail jan.jansen@kpn.nl\n"
RAW = ("111222333", "NL91ABNA0417164300", "jan.jansen@kpn.nl")


def test_scan_text_locates_each_finding_by_line_and_page() -> None:
    found = scan_text(TEXT, path="a.txt", page=3, line_offset=10)
    assert [(f.type, f.location) for f in found] == [
        ("pii.bsn", {"path": "a.txt", "line": 12, "page": 3}),
        ("pii.iban", {"path": "a.txt", "line": 12, "page": 3}),
        ("pii.email", {"path": "a.txt", "line": 13, "page": 3}),
    ]
    for finding in found:
        assert not any(raw in repr(finding) for raw in RAW)


def test_scan_lines_streams_the_same_findings_and_kinds_narrow_them() -> None:
    streamed = list(scan_lines(TEXT.splitlines(), path="a.txt"))
    assert [(f.type, f.location["line"]) for f in streamed] == [
        ("pii.bsn", 2), ("pii.iban", 2), ("pii.email", 3)]
    only = list(scan_lines(iter(TEXT.splitlines(True)), kinds=frozenset({"pii.email"})))
    assert [f.type for f in only] == ["pii.email"]
