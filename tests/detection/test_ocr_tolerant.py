"""OCR-tolerant matching: misread keys are found in text marked as OCR'd, and only there.

Every key below is made up. The misreadings are the ones tesseract made on the rendered corpus:
capital I read as l, J as ) or }, a misread scheme letter, underscores read as spaces, and spaces
inserted into long random strings.
"""

from __future__ import annotations

import pytest

from services.detection import ocr, scan_text

ACTIONABLE = 0.5

# (text as OCR read it, types found in it as OCR text, types found in it as plain text)
CASES: list[tuple[str, list[str], list[str]]] = [
    # as plain text the misread prefix is no Google key, but a random value under a *_KEY name still is
    # a secret to the generic net
    ("const MAPS_KEY = 'AlzaSyD8k2Lm9Qp7Rt4Vw6Xz1Bc3Nf5Hj0Kg2Mq';", ["secret.gcp_api_key"],
     ["secret.generic"]),
    ("const MAPS KEY = 'AlzaSyD8k2Lm9Qp7Rt4Vw6 Xz1Bc3Nf5Hj0Kg2Mq';", ["secret.gcp_api_key"], []),
    ("Authorization: Bearer ey)hbGciOiJIUZILNilsINR5cCI6IkpXVCJ9.eyJzdWIiOiIxNzQ4 Mj9kZXYiLCJy.b2x"
     "lIjoiYWRtaW4iLCJzZXNzaW9uIjoi", ["secret.jwt"], []),
    ("DB_URL=postgresgl://shop:Zx8Kq2LmN7pR4tW9@db.acme.nl/shop", ["secret.connection_string"], []),
    ("DB_URL=postgresq]://shop:Zx8Kq2Lm N7pR4tW9@db.acme.nl/shop", ["secret.connection_string"],
     ["pii.email"]),
    ('{"type": "service account", "private key id": "9a4Sd87469f8d4O20096d22a463175ef53345e84"}',
     ["secret.gcp_service_account"], []),
    ("stripe.api_key = \"sk live _Zx8Kq2LmN7pR4tW9vB3cY6zX\"", ["secret.stripe_key"], []),
    ("aws secret access key = 9dKq2vLm7pR4tW9vB3cY6z|Xw1Qa8Ns5Ue0Jh3Gf7", ["secret.aws_secret_key"], []),
    ("key = '--BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAx9Q2 Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5Ue0Jh\\n"
     "-----END RSA PRIVATE KEY-----'", ["secret.private_key"], []),
    ("AZURE CLIENT SECRET=2Pu6Q--mfsmn6BWncGE8epp8uOlwHij.Sqt eTI8ZL", ["secret.azure_client_secret"],
     ["secret.generic"]),  # the tilde read as two hyphens, an underscore as a space
    # an em dash in the END line's dashes: two keys, not one block running into the next
    ("a = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAx9Q2Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5\\n"
     "--\u2014-END RSA PRIVATE KEY-----'\nb = '-----BEGIN RSA PRIVATE KEY-----\\n"
     "MIIEpAIBAAKCAQEAv3Lm9Qp7Rt4Vw6Xz1Bc3Nf5Hj0Kg2Mq\\n-----END RSA PRIVATE KEY-----'",
     ["secret.private_key"] * 2, ["secret.private_key"]),
    # a space inside the token: its tail before the @ is not an e-mail address (as plain text the part
    # before the space is a cut-short GitHub token, which is no secret of any kind)
    ("git clone https://x-token:ghp_Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa 8Ns5Ue@github.com/a/b.git",
     ["secret.github_token"], ["pii.email"]),
    # hard negatives stay negative
    ("We bought the laptop at Alza for 899 euro.", [], []),
    ("api_key = 'YOUR_API_KEY'", [], []),
    ("-----BEGIN RSA PRIVATE KEY----- ... -----END RSA PRIVATE KEY----- (see docs)", [], []),
    ("DATABASE_URL=postgres://user:${PGPASSWORD} @localhost/app", [], []),
    ("the http://example.org:8080 page, mail jan@kpn.nl", ["pii.email"], ["pii.email"]),
    # checksummed personal data is validated as read: no look-alike is ever folded into a digit
    ("BSN: 111222334", [], []),
    ("BSN: 11l222333", [], []),
    ("IBAN NL92ABNA0417164300", [], []),
    ("IBAN NL91ABNA04l7164300", [], []),
]


def _types(text: str, *, as_ocr: bool) -> list[str]:
    return [f.type for f in scan_text(text, ocr=as_ocr) if f.confidence >= ACTIONABLE]


@pytest.mark.parametrize(("text", "as_ocr", "as_plain"), CASES, ids=[c[0][:40] for c in CASES])
def test_ocr_tolerance_applies_to_ocr_text_only(text: str, as_ocr: list[str], as_plain: list[str]) -> None:
    assert _types(text, as_ocr=True) == as_ocr
    assert _types(text, as_ocr=False) == as_plain


def test_an_ocr_tolerant_finding_says_so_and_is_less_certain_but_actionable() -> None:
    text = "const MAPS KEY = 'AlzaSyD8k2Lm9Qp7Rt4Vw6 Xz1Bc3Nf5Hj0Kg2Mq';"
    [finding] = scan_text(text, ocr=True)
    assert finding.explanation["ocr"] == ocr.EXPLANATION
    assert finding.explanation["detector"] == "gcp_api_key_ocr"
    assert ACTIONABLE <= finding.confidence <= ocr.MAX_CONFIDENCE
    # the evidence is the repaired value, masked: printed prefix, no raw characters of the body
    assert finding.evidence.startswith("AIza") and "Lm9Qp7" not in finding.evidence
    start, end = finding.explanation["span"]
    assert text[start:end] == "AlzaSyD8k2Lm9Qp7Rt4Vw6 Xz1Bc3Nf5Hj0Kg2Mq"


def test_a_key_read_exactly_is_an_exact_finding_in_ocr_text_too() -> None:
    [finding] = scan_text("const MAPS_KEY = 'AIzaSyD8k2Lm9Qp7Rt4Vw6Xz1Bc3Nf5Hj0Kg2Mq';", ocr=True)
    assert finding.type == "secret.gcp_api_key" and "ocr" not in finding.explanation
    assert finding.confidence == 0.9


def test_clean_text_gives_the_same_findings_with_and_without_ocr_tolerance() -> None:
    from tests.corpus.labelled import labelled_samples

    for sample in labelled_samples():
        def summary(as_ocr: bool, text: str = sample.text) -> list[tuple[object, ...]]:
            return [(f.type, f.explanation["span"], f.confidence) for f in scan_text(text, ocr=as_ocr)]

        assert summary(True) == summary(False)


def test_hyperscan_located_search_finds_what_re_finds_with_the_ocr_detectors() -> None:
    pytest.importorskip("hyperscan")
    from services.detection import engine
    from services.detection.prefilter import shared
    from services.detection.registry import detectors_for

    detectors = detectors_for(engine.DEFAULT_KINDS, True)
    prefilter = shared(detectors)
    assert prefilter is not None
    text = "\n".join(case[0] for case in CASES)
    plan = prefilter.plan(text)
    assert plan is not None
    located = engine._located_hits(text, detectors, plan)
    everywhere = engine._hits_everywhere(text, detectors)
    assert sorted((h.detector.name, h.start, h.end) for h in located) == sorted(
        (h.detector.name, h.start, h.end) for h in everywhere)
