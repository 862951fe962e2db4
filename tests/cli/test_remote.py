"""`python cli.py scan …` against the real REST API (`python -m rest_api`) with real workers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from tests.rest_api.stack import FAKE_HASH, Served, Tenant
from tests.runtime.conftest import Platform
from utils import database_manager
from utils.repositories import api_keys, organisations, usage


def free_tenant(db: database_manager.Database) -> Tenant:
    """An organisation on the free plan with an API key."""
    org_id = organisations.create_organisation("Gratis", db=db)
    user_id = organisations.create_user(org_id, "analyst@gratis.example", "analyst", FAKE_HASH, db=db)
    key_id, key = api_keys.create_api_key(org_id, "ci", user_id=user_id, db=db)
    return Tenant(org_id, user_id, key_id, key)


def worker_logs(platform: Platform) -> list[str]:
    logs = platform.settings.log_dir
    return [p.read_text(errors="replace") for p in logs.glob("*.log")] if logs.is_dir() else []


def test_remote_code_scan_uploads_polls_and_downloads_the_report(
        cli: Callable[..., Run], served: Served, platform: Platform, org_a: Tenant, secrets_tree: Path,
        pii_tree: Path, tmp_path: Path) -> None:
    platform.start_workers("code")
    out = tmp_path / "scan.sarif"
    run = cli("scan", "code", secrets_tree, "--api-url", served.base, "--api-key", org_a.key,
              "--format", "sarif", "--fail-on", "high", "--output", out)
    assert run.code == 1, run.stderr
    assert run.stdout == b"" and "submitted code scan" in run.stderr and "succeeded" in run.stderr
    assert "%]" in run.stderr  # the job's percent and message, polled
    sarif = json.loads(out.read_text())
    rules = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"secret.aws_access_key", "secret.github_token", "pii.bsn"} <= rules, rules
    # one file, key and URL from DG_API_URL / DG_API_KEY, nothing critical in it
    single = pii_tree / "crm" / "notes.py"
    env = {"DG_API_URL": served.base + "/api/v1", "DG_API_KEY": org_a.key}
    clean = cli("scan", "code", single, "--fail-on", "critical", "--format", "json", extra_env=env)
    assert clean.code == 0, clean.stderr
    assert {f["type"] for f in json.loads(clean.stdout)["results"][0]["findings"]} >= {"pii.bsn", "pii.iban"}
    run.assert_no_planted(out.read_bytes(), clean.stdout, clean.stderr, served.log_path.read_text(),
                          *worker_logs(platform))


def test_remote_refusals_exit_2_with_the_platforms_message(cli: Callable[..., Run], served: Served,
                                                          db: database_manager.Database,
                                                          secrets_tree: Path) -> None:
    tenant = free_tenant(db)
    remote = ("--api-url", served.base, "--api-key", tenant.key)
    soc2 = cli("scan", "soc2", "/srv/repo", "--server-path", *remote)
    assert soc2.code == 2 and "soc2 scanner is not included in the Free plan" in soc2.stderr, soc2.stderr
    usage.record_usage(tenant.org_id, amount=50, db=db)
    over = cli("scan", "code", secrets_tree, *remote)
    assert over.code == 2, over.stderr
    assert "monthly quota of 50 scans reached (50 used); upgrade to Starter" in over.stderr
    wrong_key = cli("scan", "code", secrets_tree, "--api-url", served.base, "--api-key", "dgp_wrong")
    assert wrong_key.code == 2 and "refused the API key" in wrong_key.stderr


def test_remote_scan_of_an_unreadable_upload_exits_2_with_its_report(
        cli: Callable[..., Run], served: Served, platform: Platform, org_a: Tenant, tmp_path: Path) -> None:
    platform.start_workers("document")
    broken = tmp_path / "contract.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnot a PDF body\n%%EOF")
    out = tmp_path / "report.json"
    run = cli("scan", "document", broken, "--api-url", served.base, "--api-key", org_a.key,
              "--format", "json", "--output", out)
    assert run.code == 2, run.stderr
    assert "succeeded" in run.stderr and "document scan failed: 0 findings, not assessed" in run.stderr
    summary = json.loads(out.read_text())["results"][0]["summary"]
    assert (summary["compliance_score"], summary["risk_level"]) == (None, "not_assessed")
