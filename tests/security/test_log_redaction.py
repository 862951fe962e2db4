"""No raw value in worker logs, job errors or Redis from what libraries and scanners say (issue 13, item 7).

pypdf's warnings quote the bytes they failed on: a PDF whose font map holds an AWS key once put the
whole key into a worker log. A scanner's exception text became the job's error as it was.
"""

from __future__ import annotations

from services.detection.redaction import redact
from services.scan_service import ScanService
from tests.planted import AWS_KEY, BSN, EMAIL, GH_TOKEN, IBAN
from tests.rest_api import stack
from tests.rest_api.stack import Tenant, assert_no_planted
from tests.runtime.conftest import Platform
from tests.security.leaks import redis_text

api_settings, db, service, platform = stack.api_settings, stack.db, stack.service, stack.platform
org_a = stack.org_a


def pdf_with_font_map_line(line: bytes) -> bytes:
    """A one-page PDF whose font's ToUnicode map has `line` in it (pypdf warns, quoting the line)."""
    content = b"BT /F1 12 Tf 10 100 Td (Hello) Tj ET"
    cmap = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n"
            b"<00> <FF>\nendcodespacerange\n1 beginbfchar\n" + line + b"\nendbfchar\nendcmap\nend end\n")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 4 0 R >> >>"
               b" /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _worker_logs(service: ScanService) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(service.settings.log_dir.glob("*.log")))


def test_a_library_warning_quoting_a_key_is_masked_in_the_worker_log(
        service: ScanService, platform: Platform, org_a: Tenant) -> None:
    platform.start_workers("document")
    path = service.save_upload(org_a.org_id, "statement.pdf", pdf_with_font_map_line(
        b"<48> <0048> " + AWS_KEY.encode()))
    job_id = service.submit(org_a.org_id, org_a.user_id, "document", {"path": str(path)})
    result = service.manager.queue.wait(job_id, 30)
    assert result is not None and result["status"] == "completed", result
    logs = _worker_logs(service)
    assert "odd-length line" in logs  # pypdf did warn, through our logging
    assert AWS_KEY[:4] + "*" in logs
    assert_no_planted(logs, str(result), redis_text(service.manager.queue.redis))


def test_a_scanners_exception_text_is_masked_in_the_job_error_and_the_log(
        service: ScanService, platform: Platform, org_a: Tenant) -> None:
    platform.start_workers("diagnostic")
    message = f"parser choked on {GH_TOKEN} for {EMAIL}, BSN {BSN}, IBAN {IBAN}"
    job_id = service.manager.submit_scan_job("diagnostic", {"raise_error": message}, org_id=org_a.org_id)
    result = service.manager.queue.wait(job_id, 30)
    assert result is not None and result["job_state"] == "failed"
    assert "parser choked on ghp_" in result["error"]
    record = service.manager.get_job_status(job_id)
    assert_no_planted(result["error"], str(result["errors"]), record.get("error", ""), _worker_logs(service),
                      redis_text(service.manager.queue.redis))


def test_redaction_keeps_what_makes_a_log_line_useful() -> None:
    line = "worker code-1: job 6f1c5a8e-0000-4000-8000-000000000000 failed in 0.12s (3 findings), pid 4242"
    assert redact(line) == line
    traceback_line = 'File "/srv/dg/.venv/lib/python3.11/site-packages/pypdf/_reader.py", line 1234, in read'
    assert redact(traceback_line) == traceback_line
    assert_no_planted(redact(f"{AWS_KEY} {GH_TOKEN} {EMAIL} {IBAN} 4111 1111 1111 1111 {BSN}"))


def test_values_the_engine_would_not_report_are_masked_too() -> None:
    # a key of a vendor the engine does not know, and a bare number with no context word
    redacted = redact("token=zQ7mK2pX9vL4nR8tB3wY6cF1 ref 123456789")
    assert "zQ7mK2pX9vL4nR8tB3wY6cF1" not in redacted and "123456789" not in redacted
