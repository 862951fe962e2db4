"""Realistic scan results of every scanner, with raw values planted where no renderer may look.

Each finding carries its masked `evidence`, as scanners build them, and a test-only `raw_value`
holding the unmasked value it was masked from. Reports and exports must never print `raw_value`
(or anything but the evidence), so tests grep their output for every string in `PLANTED`.
"""

from __future__ import annotations

import zlib
from typing import Any

from services.detection.masking import mask, mask_email
from services.results import Finding, Severity, build_result

STARTED = "2026-11-23T09:00:00+00:00"
FINISHED = "2026-11-23T09:00:42+00:00"

RAW_BSN = "111222333"
RAW_IBAN = "NL91ABNA0417164300"
RAW_EMAIL = "jan.jansen@example.nl"
RAW_AWS = "AKIAIOSFODNN7EXAMPLE"
RAW_PHONE = "+31612345678"
RAW_CARD = "4111111111111111"
RAW_PASSWORD = "Winter2026!secret"
RAW_COOKIE = "GA1.2.1234567890.1700000000"
PLANTED = (RAW_BSN, RAW_IBAN, RAW_EMAIL, RAW_AWS, RAW_PHONE, RAW_CARD, RAW_PASSWORD, RAW_COOKIE)


def finding(kind: str, category: str, severity: Severity, location: dict[str, Any], raw: str,
            *, articles: tuple[str, ...] = ("Art. 5", "Art. 32"), remediation: str = "",
            evidence: str | None = None, suppressed: bool = False) -> dict[str, Any]:
    """A finding dict as a scanner builds it, plus the test-only planted `raw_value`."""
    masked = evidence if evidence is not None else (mask_email(raw) if "@" in raw else mask(raw))
    row = Finding(
        type=kind, category=category, severity=severity, confidence=0.9, location=location,
        evidence=masked, gdpr_articles=articles, remediation=remediation or f"Remove or protect {kind}.",
        explanation={"detector": kind, "matched": raw},
        fingerprint=f"fp-{kind}-{zlib.crc32(str(location).encode()):08x}",
    ).to_dict()
    row["raw_value"] = raw  # must never be printed, nor the explanation that repeats it
    if suppressed:
        row["suppressed"] = True
    return row


def _result(scanner: str, findings: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    result = build_result(scanner, findings, started_at=STARTED, **kw)
    # fixed, as build_result stamps the current second: two samples built across a second boundary
    # made "the same input gives the same PDF" fail now and then
    result["finished_at"] = FINISHED
    result["job_id"] = f"job-{scanner}-0001"
    result["raw_request"] = {"password": RAW_PASSWORD}  # test-only: a renderer must not print it
    return result


def code_result() -> dict[str, Any]:
    """Code scanner: secrets and PII at {path, line}, one suppressed."""
    return _result("code", [
        finding("secret.aws_access_key", "secret", Severity.CRITICAL, {"path": "src/settings.py", "line": 12},
                RAW_AWS, remediation="Rotate the key and load it from a secret store."),
        finding("pii.bsn", "pii", Severity.HIGH, {"path": "tests/fixtures/users.py", "line": 4}, RAW_BSN,
                articles=("Art. 9", "Art. 87", "UAVG Art. 46")),
        finding("pii.email", "pii", Severity.LOW, {"path": "src/mail/notify.py", "line": 33}, RAW_EMAIL),
        finding("secret.password", "secret", Severity.HIGH, {"path": "deploy/app.env", "line": 2},
                RAW_PASSWORD, suppressed=True),
    ], items_scanned=120, bytes_scanned=480_000)


def document_result() -> dict[str, Any]:
    """Document scanner: PII in a PDF by page and in a spreadsheet by sheet and line."""
    return _result("document", [
        finding("pii.iban", "pii", Severity.MEDIUM, {"path": "hr/salaris.pdf", "page": 3}, RAW_IBAN),
        finding("pii.bsn", "pii", Severity.HIGH, {"path": "hr/salaris.pdf", "page": 3}, RAW_BSN),
        finding("special.health", "special_category", Severity.HIGH,
                {"path": "hr/verzuim.xlsx", "sheet": "2026", "line": 18}, "burn-out",
                evidence="bur*****", articles=("Art. 9",)),
    ], items_scanned=14, bytes_scanned=2_300_000)


def image_result() -> dict[str, Any]:
    """Image scanner: GPS metadata, OCR'd phone number, a face."""
    return _result("image", [
        finding("image.gps_metadata", "metadata", Severity.MEDIUM, {"path": "photos/team.jpg"},
                "52.3676,4.9041", evidence="52.3***,4.9***"),
        finding("pii.phone", "pii", Severity.MEDIUM, {"path": "scans/card.png", "line": 2}, RAW_PHONE),
        finding("biometric.face", "special_category", Severity.HIGH, {"path": "photos/team.jpg"},
                "face", evidence="1 face region", articles=("Art. 9",)),
    ], items_scanned=3, bytes_scanned=900_000)


def database_result() -> dict[str, Any]:
    """Database scanner: PII columns at {table, column}."""
    return _result("database", [
        finding("pii.email", "pii", Severity.MEDIUM, {"schema": "public", "table": "customers",
                                                     "column": "email"}, RAW_EMAIL),
        finding("pii.credit_card", "pii", Severity.CRITICAL, {"schema": "public", "table": "payments",
                                                            "column": "card_no"}, RAW_CARD),
    ], items_scanned=2, bytes_scanned=0)


def website_result() -> dict[str, Any]:
    """Website scanner: cookie before consent and a third-party tracker at {url}."""
    return _result("website", [
        finding("cookie.pre_consent", "cookie", Severity.HIGH, {"url": "https://shop.example.nl/"},
                RAW_COOKIE, articles=("Art. 6", "Telecommunicatiewet 11.7a")),
        finding("tracker.third_party", "tracker", Severity.MEDIUM,
                {"url": "https://shop.example.nl/checkout"}, "www.google-analytics.com",
                evidence="www.google-analytics.com"),
    ], items_scanned=12)


def api_result() -> dict[str, Any]:
    """API scanner: unauthenticated PII endpoint, permissive CORS."""
    return _result("api", [
        finding("api.unauthenticated_pii", "api", Severity.CRITICAL,
                {"url": "https://api.example.nl/v1/users", "method": "GET"}, RAW_EMAIL),
        finding("api.cors_wildcard", "api", Severity.MEDIUM, {"url": "https://api.example.nl/v1"},
                "*", evidence="Access-Control-Allow-Origin: *"),
    ], items_scanned=8)


def ai_model_result() -> dict[str, Any]:
    """AI model scanner: unsafe pickle and an AI Act classification gap."""
    return _result("ai_model", [
        finding("ai.unsafe_pickle", "ai", Severity.CRITICAL, {"path": "models/churn.pkl"}, "os.system",
                evidence="GLOBAL posix.system", articles=("Art. 32",)),
        finding("ai.high_risk_undocumented", "ai_act", Severity.HIGH, {"path": "models/MODEL_CARD.md"},
                "missing", evidence="no human oversight section", articles=("AI Act Art. 14",)),
    ], items_scanned=2)


def dpia_result() -> dict[str, Any]:
    """DPIA scanner: questionnaire gaps at {question}."""
    return _result("dpia", [
        finding("dpia.gap", "dpia", Severity.MEDIUM, {"question": "retention_defined"}, "no",
                evidence="answer: no", articles=("Art. 5",)),
        finding("dpia.risk", "dpia", Severity.HIGH, {"question": "illegitimate_access"}, "high",
                evidence="residual risk: high", articles=("Art. 32", "Art. 35")),
    ], extra={"dpia": {"verdict": "required", "secret_note": RAW_BSN}})


def soc2_result() -> dict[str, Any]:
    """SOC 2 scanner: control gaps at {path, line}."""
    return _result("soc2", [
        finding("soc2.encryption_at_rest", "soc2", Severity.HIGH, {"path": "infra/main.tf", "line": 41},
                "encrypted = false", evidence="encrypted = false", articles=("Art. 32",)),
        finding("soc2.logging_disabled", "soc2", Severity.MEDIUM, {"path": "k8s/deploy.yaml", "line": 7},
                "logging: off", evidence="logging: off"),
    ])


ALL_SCANNERS = {
    "code": code_result, "document": document_result, "image": image_result,
    "database": database_result, "website": website_result, "api": api_result,
    "ai_model": ai_model_result, "dpia": dpia_result, "soc2": soc2_result,
}


def large_result(count: int = 5000) -> dict[str, Any]:
    """A code result with `count` findings over many files and types, as a big repository gives."""
    kinds = [("pii.email", Severity.LOW), ("pii.bsn", Severity.HIGH), ("pii.phone", Severity.MEDIUM),
             ("secret.password", Severity.HIGH), ("pii.iban", Severity.MEDIUM),
             ("pii.postcode", Severity.LOW)]
    rows = []
    for number in range(count):
        kind, severity = kinds[number % len(kinds)]
        location = {"path": f"src/module_{number % 40:02d}/file_{number % 5}.py", "line": number % 400 + 1}
        rows.append(finding(kind, kind.split(".")[0], severity, location, RAW_BSN, evidence="1112*****"))
    return _result("code", rows, items_scanned=1261, bytes_scanned=12_000_000)
