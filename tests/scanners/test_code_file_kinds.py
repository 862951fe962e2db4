"""File kinds the code scanner recognises and reads for only what can live in them: certificate
bundles (private keys only), fonts (skipped), minified bundles (secrets only) and numeric data tables
without a header (no bare-number types) — each with files that are and files that only look alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.scanners import get_scanner
from services.scanners.code.files import file_kind, kinds_for

AWS_KEY = "AKIA2E0A8F3B244C9986"
BSN = "111222333"  # passes the 11-proof
EMAIL = "jan.jansen@kpn.nl"
IBAN = "NL91ABNA0417164300"
PLANTED = (AWS_KEY, BSN, EMAIL, IBAN)
ALL = frozenset({"pii", "secret", "special", "code"})
# a certificate body line that holds an AWS key shape by chance (base64 is every letter and digit)
CERT_LINE = AWS_KEY + "/Ab+"
PEM = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n" \
      f"{CERT_LINE}\nRTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD\n" \
      "-----END CERTIFICATE-----\n"
PRIVATE_KEY = ("-----BEGIN RSA PRIVATE KEY-----\n"
               "MIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumhh4iYqSAq4TvwzrU5Zwj4Cn\n"
               "-----END RSA PRIVATE KEY-----\n")
AFM = "StartFontMetrics 4.1\nFontName Helvetica\nC 32 ; WX 278 ; N space ; B 0 0 0 0 ;\n" + \
      "".join(f"C {i} ; WX {BSN} ; N g{i} ; B 1{i} 0 {i} 1 ;\n" for i in range(40)) + "EndFontMetrics\n"


def _scan(root: Path, files: dict[str, str]) -> dict:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    result = get_scanner("code").scan({"path": str(root)}, lambda percent, message: None)
    for value in PLANTED:
        assert value not in repr(result), "raw planted value in the result"
    return result


def _found(result: dict, path: str) -> set[str]:
    return {f["type"] for f in result["findings"] if f["location"]["path"] == path}


def _table(rows: int = 30, header: str | None = None, sep: str = " ") -> str:
    lines = [sep.join((str(1000 + i), BSN, f"{i * 0.25:.2f}", str(7 * i))) for i in range(rows)]
    return "\n".join(([header] if header else []) + lines) + "\n"


# --- certificate bundles ---------------------------------------------------------------------------

def test_a_certificate_bundle_is_read_for_private_keys_only(scan_root: Path) -> None:
    bundle = "# Issuer: CN=Example Root CA O=Example\n# Label: \"Example Root CA\"\n" + PEM * 3
    result = _scan(scan_root, {"cacert.pem": bundle, "ca.crt": PEM + "\n" + PEM,
                               "copy.py": f"K = '{AWS_KEY}'\n"})
    assert _found(result, "cacert.pem") == set() and _found(result, "ca.crt") == set()
    assert _found(result, "copy.py") == {"secret.aws_access_key"}  # the same shape in code is a finding
    notes = {n["path"]: n["note"] for n in result["notes"]}
    assert notes["cacert.pem"].startswith("certificate bundle")


def test_a_private_key_beside_certificates_is_still_found(scan_root: Path) -> None:
    result = _scan(scan_root, {"server.pem": PEM + PRIVATE_KEY})
    assert "secret.private_key" in _found(result, "server.pem")
    assert kinds_for("certificates", ALL) == frozenset({"secret.private_key"})
    assert kinds_for("certificates", frozenset({"pii"})) == frozenset()


@pytest.mark.parametrize(("name", "text"), [
    ("settings.py", f'CA = """\n{PEM}"""\nKEY = "{AWS_KEY}"\n'),  # a certificate quoted in code
    ("notes.pem", "see the certificate below\n" + PEM),  # prose around it
    ("request.pem", PEM + "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"),
])
def test_files_that_only_hold_a_certificate_among_other_things_are_source(name: str, text: str) -> None:
    assert file_kind(name, text.encode(), complete=True) == "source"


# --- fonts -------------------------------------------------------------------------------------------

def test_font_files_and_metrics_are_skipped(scan_root: Path) -> None:
    (scan_root / "Vera.ttf").write_bytes(b"\x00\x01\x00\x00\x00\x10" + BSN.encode() * 50)
    result = _scan(scan_root, {"Helvetica.afm": AFM, "metrics": AFM,
                               "fonts.py": f"# {EMAIL}\nFONT = 'Helvetica.afm'\n"})
    reasons = {s["path"]: s["reason"] for s in result["skipped"]}
    font = "font file (glyphs and metrics)"
    assert reasons == {"Helvetica.afm": font, "metrics": font, "Vera.ttf": font}
    assert _found(result, "fonts.py") == {"pii.email"}  # code that names a font is read as code


# --- minified bundles --------------------------------------------------------------------------------

def test_a_minified_bundle_is_read_for_secrets_only(scan_root: Path) -> None:
    bundle = "var a=1;" * 400 + f"var k='{AWS_KEY}',m='{EMAIL}',i='{IBAN}';" + "var b=2;" * 400
    result = _scan(scan_root, {"app.min.js": bundle, "style.css": "a{color:red}" * 300 + f"/*{EMAIL}*/",
                               "app.js": f"// maintainer {EMAIL}\nvar k = '{AWS_KEY}';\n"})
    assert _found(result, "app.min.js") == {"secret.aws_access_key"}
    assert _found(result, "style.css") == set()
    assert _found(result, "app.js") == {"secret.aws_access_key", "pii.email"}  # a readable script: everything
    assert not result["skipped"]


def test_a_long_first_line_outside_scripts_and_styles_is_not_minified() -> None:
    assert file_kind("README.md", b"x" * 5000 + b"\n", complete=True) == "source"
    assert file_kind("bundle.js", b"x" * 5000 + b"\n", complete=True) == "minified"
    assert file_kind("short.js", b"var a = 1;\n" * 500, complete=True) == "source"


# --- numeric data tables -----------------------------------------------------------------------------

def test_a_numeric_table_is_not_read_for_bare_numbers(scan_root: Path) -> None:
    table = f"# measurements, contact {EMAIL}\n" + _table()
    result = _scan(scan_root, {"widths.dat": table, "lookup.txt": _table(sep=", "),
                               "grid.py": "\n".join(f"[{BSN}, {i}, {i * 3}]," for i in range(30)) + "\n"})
    assert _found(result, "widths.dat") == {"pii.email"}  # a value with its own shape is still found
    assert "pii.bsn" not in _found(result, "lookup.txt") | _found(result, "grid.py")
    assert kinds_for("data_table", ALL) >= {"pii.email", "pii.iban", "secret.aws_access_key"}
    assert not kinds_for("data_table", ALL) & {"pii.bsn", "pii.phone", "pii.ip_address", "pii.credit_card",
                                               "pii.date_of_birth", "pii.national_id"}


@pytest.mark.parametrize(("name", "text"), [
    ("export.txt", _table(header="bsn amount total count")),  # a header row: its words give meaning
    ("export.csv", _table(sep=",")),  # structured formats are never a bare table
    ("seed.sql", _table()),
    ("short.dat", _table(rows=5)),  # a snippet, not a table
    ("mixed.txt", _table() + f"klant {BSN} belde op maandag\n"),  # prose among the numbers
])
def test_files_that_only_look_like_numeric_tables_are_source(name: str, text: str) -> None:
    assert file_kind(name, text.encode(), complete=True) == "source"


def test_a_table_cut_mid_line_by_the_head_is_judged_on_whole_lines() -> None:
    head = _table(rows=40).encode()[:700]
    assert not head.endswith(b"\n")
    assert file_kind("t.dat", head) == "data_table"


def test_a_fontforge_source_is_a_font(scan_root: Path) -> None:
    sfd = "SplineFontDB: 1.0\nFontName: Garden\n" + "".join(f"{BSN} {i} m 1\n" for i in range(40))
    result = _scan(scan_root, {"Garden.sfd": sfd, "garden_font": sfd})
    assert {s["path"]: s["reason"] for s in result["skipped"]} == {
        "Garden.sfd": "font file (glyphs and metrics)", "garden_font": "font file (glyphs and metrics)"}


# --- generated files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("marker", ['"""Per-prefix data.\n\nAuto-generated file, do not edit by hand.\n"""',
                                    "# AUTOGENERATED by protoc", "// This File Is Generated by build.py"])
def test_generated_markers_are_recognised_in_any_case(scan_root: Path, marker: str) -> None:
    result = _scan(scan_root, {"data16.py": f"{marker}\ndata = {{'{BSN}': 'Amsterdam'}}\n"})
    assert result["skipped"] == [{"path": "data16.py", "reason": "generated file (marker in header)"}]


def test_do_not_edit_in_prose_is_not_a_generated_marker(scan_root: Path) -> None:
    text = f"# do not edit unless you own the deployment\nKEY = '{AWS_KEY}'\n"
    result = _scan(scan_root, {"settings.py": text})
    assert not result["skipped"] and _found(result, "settings.py") == {"secret.aws_access_key"}


def test_a_bundle_with_a_short_first_line_is_minified_too() -> None:
    banner = b'const __vite__mapDeps=(i)=>i.map(i=>d[i]);\n'
    vite = banner + b'import{a as b}from"./x.js";' + b"var a=1;" * 600 + b"\n"
    assert file_kind("DeckGlJsonChart.Bk-DBRSw.js", vite, complete=True) == "minified"
    hand_written = b"".join(b"export const rule%d = (value) => value.trim();\n" % i for i in range(150))
    assert file_kind("rules.js", hand_written, complete=True) == "source"
