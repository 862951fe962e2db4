"""`python cli.py scan … --local`: every built scanner in-process, reports on stdout, CI exit codes.

The first test runs the CLI as a real process; the others call cli.main in this process to save
the interpreter start and imports per run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run, write_tree
from tests.local_sites import serving
from tests.scanners import website_sites as sites
from tests.servers import free_port
from utils.config import get_settings


def sarif_results(run: Run) -> list[dict]:
    sarif = json.loads(run.stdout)
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    return sarif["runs"][0]["results"]


def test_code_scan_to_sarif_fails_on_high(cli: Callable[..., Run], secrets_tree: Path) -> None:
    run = cli("scan", "code", secrets_tree, "--local", "--format", "sarif", "--fail-on", "high")
    assert run.code == 1, run.stderr
    rules = {r["ruleId"] for r in sarif_results(run)}
    assert {"secret.aws_access_key", "secret.github_token", "pii.bsn"} <= rules, rules
    assert "%]" in run.stderr and "listing files" in run.stderr  # progress: percent and message
    assert "code scan completed" in run.stderr and "at or above high: failing" in run.stderr
    run.assert_no_planted()


def test_no_critical_findings_passes_fail_on_critical(cli_here: Callable[..., Run], pii_tree: Path) -> None:
    run = cli_here("scan", "code", pii_tree, "--local", "--format", "sarif", "--fail-on", "critical")
    assert run.code == 0, run.stderr
    assert {r["ruleId"] for r in sarif_results(run)} >= {"pii.bsn", "pii.iban"}
    assert cli_here("scan", "code", pii_tree, "--local", "--fail-on", "high").code == 1
    assert cli_here("scan", "code", pii_tree, "--local").code == 0  # no --fail-on: findings never fail
    run.assert_no_planted()


def test_usage_and_input_errors_exit_2_with_a_message(cli_here: Callable[..., Run], tmp_path: Path,
                                                    later_scanner: str) -> None:
    answers = str(tmp_path / "a.yaml")
    cases = {
        ("scan", "code", str(tmp_path / "missing"), "--local"): "no such file or directory",
        ("scan", "nonsense", "x", "--local"): "invalid choice",
        ("scan", "later", "photo.png", "--local"): "later scanner is not available yet",
        ("scan", "dpia", "--local"): "dpia needs --answers FILE",
        ("scan", "dpia", "--local", "--answers", answers): "cannot read --answers file",
        ("scan", "code", "--local"): "code takes exactly one TARGET",
        ("scan", "code", str(tmp_path), "--local", "--option", "novalue"): "must look like KEY=VALUE",
        ("scan", "code", str(tmp_path), "--local", "--answers", answers): "for the ai_model, dpia and soc2",
        ("scan", "report", str(tmp_path / "none.json")): "cannot read",
        ("scan", "code", str(tmp_path)): "need --api-key or DG_API_KEY",
        ("scan", "code", str(tmp_path), "--format", "docx"): "invalid choice",
    }
    for args, message in cases.items():
        run = cli_here(*args)
        assert (run.code, run.stdout) == (2, b"") and message in run.stderr, (args, run.stderr)


def test_platform_unreachable_exits_3(cli: Callable[..., Run], secrets_tree: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    run = cli("scan", "code", secrets_tree, "--api-url", nowhere, "--api-key", "dgp_x")
    assert run.code == 3 and "platform unreachable" in run.stderr, run.stderr


def test_every_built_scanner_is_reachable(cli_here: Callable[..., Run], secrets_tree: Path,
                                          tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("wp248_large_scale: true\n", encoding="utf-8")
    dpia = cli_here("scan", "dpia", "--local", "--answers", answers, "--format", "csv", "--language", "nl")
    assert dpia.code == 0 and dpia.stdout.decode("utf-8-sig").startswith("job_id,scanner,type"), dpia.stderr
    assert b",dpia,dpia." in dpia.stdout
    soc2 = cli_here("scan", "soc2", secrets_tree, "--local", "--option", "code_scan=false")
    assert soc2.code == 0 and json.loads(soc2.stdout)["results"][0]["scanner"] == "soc2", soc2.stderr
    views = secrets_tree / "shop" / "views.py"
    document = cli_here("scan", "document", views, "--local", "--fail-on", "high")
    assert document.code == 1 and "pii.bsn" in document.stdout.decode(), document.stderr
    for run in (dpia, soc2, document):
        run.assert_no_planted()


def test_report_renders_result_files_to_a_pdf(cli_here: Callable[..., Run], secrets_tree: Path,
                                              pii_tree: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert cli_here("scan", "code", secrets_tree, "--local", "--output", first).code == 0
    assert cli_here("scan", "code", pii_tree, "--local", "--output", second).code == 0
    pdf = tmp_path / "out" / "report.pdf"
    pdf.parent.mkdir()
    run = cli_here("scan", "report", first, second, "--format", "pdf", "--output", pdf,
                   "--fail-on", "critical")
    assert run.code == 1 and run.stdout == b"", run.stderr  # the secrets tree has critical findings
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert run.stderr.count("code scan completed") == 2
    not_a_result = write_tree(tmp_path / "j", {"x.json": '{"hello": 1}'}) / "x.json"
    refused = cli_here("scan", "report", not_a_result)
    assert refused.code == 2 and "not a scan result" in refused.stderr
    run.assert_no_planted(first.read_bytes(), second.read_bytes())


def test_a_scan_that_could_not_read_its_input_never_exits_0(cli_here: Callable[..., Run],
                                                            tmp_path: Path) -> None:
    broken = tmp_path / "contract.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnot a PDF body\n%%EOF")
    for gate in ((), ("--fail-on", "critical"), ("--fail-on", "info")):
        run = cli_here("scan", "document", broken, "--local", "--format", "json", *gate)
        assert run.code == 2, (gate, run.stderr)
        assert "document scan failed: 0 findings, not assessed" in run.stderr
        assert "error: 1 scans not assessed: their input could not be read" in run.stderr
        summary = json.loads(run.stdout)["results"][0]["summary"]  # the report is still written
        assert (summary["compliance_score"], summary["risk_level"]) == (None, "not_assessed")


def test_a_partly_read_scan_exits_by_its_findings_and_says_it_is_partial(cli_here: Callable[..., Run],
                                                                         tmp_path: Path) -> None:
    write_tree(tmp_path / "docs", {"notes.txt": "nothing personal here\n"})
    (tmp_path / "docs" / "contract.pdf").write_bytes(b"%PDF-1.7\nnot a PDF body\n%%EOF")
    run = cli_here("scan", "document", tmp_path / "docs", "--local", "--fail-on", "info")
    assert run.code == 0, run.stderr
    assert "document scan degraded: 0 findings, compliance score 100, partial (1 items could not be read)" \
        in run.stderr


def test_website_scan_of_a_local_site(cli_here: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")  # the test's own site on 127.0.0.1 only
    get_settings.cache_clear()
    with serving(sites.tracker_app(), "127.0.0.2") as tracker, \
            serving(sites.bad_app(tracker.url("").rstrip("/"))) as bad:
        run = cli_here("scan", "website", bad.url("/"), "--local", "--option", "mode=static",
                       "--option", "delay_s=0", "--option", "max_pages=5", "--fail-on", "high")
    assert run.code == 1, run.stderr
    result = json.loads(run.stdout)["results"][0]
    assert result["scanner"] == "website" and result["status"] == "completed"
    types = {f["type"] for f in result["findings"]}
    assert {"web.form_over_http", "cookie.before_consent", "pii.email"} <= types
    run.assert_no_planted()
