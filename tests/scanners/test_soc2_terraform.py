"""SOC 2 on Terraform written as module repositories write it, CI `uses:` actions and pins, evidence.

The fixtures under fixtures/soc2_modules are shaped like public module repositories: a module whose
variables default to the safe setting, a sub-module it calls, and examples that call it (one with
the defaults, one overriding every protection, one passing expressions decided only at apply
time), plus documentation with sample passwords. Every planted misconfiguration must be found in
the example that plants it, at the line that plants it; the safe defaults must give no finding; an
expression the tree does not decide must be "not assessed", never failed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.scanners import get_scanner
from services.scanners.base import no_progress
from services.scanners.soc2_checks.ci import check_github_actions
from utils.config import get_settings

MODULES = Path(__file__).parent / "fixtures" / "soc2_modules"
RDS, AZURE, GCP = MODULES / "aws-rds", MODULES / "azure-sql", MODULES / "gcp-sql"
SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


@pytest.fixture(autouse=True)
def scan_roots(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Allow the fixture trees and this test's tmp_path as scan roots."""
    monkeypatch.setenv("DG_SCAN_ROOTS", os.pathsep.join([str(MODULES), str(tmp_path)]))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(path: Path, code_scan: bool = False) -> dict[str, Any]:
    """Run the registered soc2 scanner in-process on one tree."""
    return get_scanner("soc2").scan({"path": str(path), "options": {"code_scan": code_scan}}, no_progress)


def tf_failures(result: dict[str, Any]) -> set[tuple[str, str, str, int]]:
    """(check, rule, path, line) of every failure found in a .tf file."""
    return {(f["type"].removeprefix("soc2."), f["explanation"].get("rule", ""), f["location"]["path"],
             f["location"].get("line"))
            for f in result["findings"] if str(f["location"].get("path", "")).endswith(".tf")}


def not_assessed(result: dict[str, Any]) -> set[tuple[str, str, str | None, int | None]]:
    """(check, rule, path, line) of every setting the scan could not decide."""
    return {(row["check"], row.get("rule", ""), row["path"],
             row["line"]) for row in result["soc2"]["not_assessed"]}


def evidence(result: dict[str, Any], status: str) -> set[tuple[str, str, str | None, int | None]]:
    """(check, rule, path, line) of the criteria table's evidence rows with `status`."""
    return {(row["check"], row.get("rule", ""), row["path"], row["line"])
            for criterion in result["soc2"]["criteria"] for row in criterion["evidence"]
            if row["status"] == status}


@pytest.fixture(scope="module")
def rds() -> dict[str, Any]:
    """The AWS RDS module repository, scanned once (code scan off: deterministic)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DG_SCAN_ROOTS", str(MODULES))
        get_settings.cache_clear()
        result = run(RDS)
    get_settings.cache_clear()
    return result


UNSAFE = "examples/unsafe/main.tf"
PLANTED_RDS = {
    ("encryption_at_rest", "aws_rds_storage_encrypted", UNSAFE, 23),
    ("backups", "aws_rds_backup_retention", UNSAFE, 24),
    ("deletion_protection", "aws_rds_deletion_protection", UNSAFE, 25),
    ("backups", "aws_rds_final_snapshot", UNSAFE, 26),
    ("database_authentication", "aws_rds_iam_authentication", UNSAFE, 27),
    ("performance_monitoring", "aws_rds_performance_insights", UNSAFE, 28),
    ("high_availability", "aws_rds_multi_az", UNSAFE, 29),
    ("audit_logging", "aws_rds_log_exports", UNSAFE, 30),
    ("secrets_in_config", "terraform_literal_secret", UNSAFE, 21),
}


def test_every_override_in_the_example_is_found_where_it_is_written(rds: dict[str, Any]) -> None:
    assert rds["errors"] == []
    assert tf_failures(rds) == PLANTED_RDS  # and nothing in the module, its sub-module or other examples
    finding = next(f for f in rds["findings"] if f["explanation"].get("rule") == "aws_rds_storage_encrypted")
    assert finding["explanation"]["module_call"] == f"{UNSAFE}:10"
    assert finding["explanation"]["resource"] == "modules/db_instance/main.tf:8"
    assert finding["explanation"]["checkov"] == ["CKV_AWS_16", "CKV_AWS_96"]
    assert finding["explanation"]["criteria"] == ["CC6.1", "C1.1"]
    assert "module.db.module.db_instance.aws_db_instance.this" in finding["evidence"]


def test_safe_defaults_give_passes_at_the_default_and_no_finding(rds: dict[str, Any]) -> None:
    passes = evidence(rds, "pass")
    # the examples that do not override read the root module's defaults (variables.tf), through the chain
    assert ("encryption_at_rest", "aws_rds_storage_encrypted", "variables.tf", 52) in passes
    assert ("deletion_protection", "aws_rds_deletion_protection", "variables.tf", 62) in passes
    # Performance Insights' key is a resource attribute (set, though only known at apply), chosen because
    # the default turns Performance Insights on
    assert ("encryption_at_rest", "aws_rds_performance_insights_cmk", "variables.tf", 77) in passes
    assert not [f for f in rds["findings"] if f["location"]["path"] in (
        "main.tf", "variables.tf", "modules/db_instance/main.tf", "examples/complete/main.tf")]


def test_expressions_are_not_assessed_at_the_argument_that_passes_them(rds: dict[str, Any]) -> None:
    expressions = "examples/expressions/main.tf"
    assert not_assessed(rds) == {
        ("encryption_at_rest", "aws_rds_storage_encrypted", expressions, 28),  # var.encrypt, no default
        ("backups", "aws_rds_backup_retention", expressions, 29),  # from an SSM parameter
        ("deletion_protection", "aws_rds_deletion_protection", expressions, 30),  # local from var.environment
        ("high_availability", "aws_rds_multi_az", expressions, 31),
        ("backups", "aws_rds_final_snapshot", expressions, 32),
        ("audit_logging", "aws_cloudtrail_enabled", None, None),  # the trail is kept elsewhere, not absent
    }
    assert not [f for f in rds["findings"] if f["location"]["path"] == expressions]
    checks = {c["check"]: c for row in rds["soc2"]["criteria"] for c in row["checks"]}
    assert checks["high_availability"]["status"] == "fail"  # a failure elsewhere still fails the check
    assert checks["high_availability"]["not_assessed"] == 1
    # the conditional password (manage_master_user_password ? null : var.password) is no literal secret
    secrets = {f["location"]["path"] for f in rds["findings"] if f["type"] == "soc2.secrets_in_config"}
    assert secrets == {UNSAFE}


def test_literal_in_an_example_is_reported_low_and_masked(rds: dict[str, Any]) -> None:
    secret = next(f for f in rds["findings"] if f["type"] == "soc2.secrets_in_config")
    assert (secret["severity"], secret["confidence"]) == ("low", 0.3)
    assert "Planted-Example-Pw-2231" not in json.dumps(rds)


def test_ci_actions_in_the_module_repository(rds: dict[str, Any]) -> None:
    pins = {(f["location"]["line"],
             f["evidence"]) for f in rds["findings"] if f["type"] == "soc2.ci_action_pinning"}
    assert {line for line, _ in pins} == {18, 20, 22}  # @v1.3.1, @v3.0.1, @main; the SHA on line 16 passes
    table = {row["criterion"]: row for row in rds["soc2"]["criteria"]}
    assert {c["check"] for c in table["CC6.8"]["checks"]} >= {"ci_action_pinning"}
    cm = next(c for c in table["CC8.1"]["checks"] if c["check"] == "change_management")
    assert cm["status"] == "pass"  # pre-commit/action and CodeQL on pull requests are checks; CODEOWNERS


PLANTED_AZURE = {
    ("encryption_in_transit", "azure_sql_minimum_tls", UNSAFE, 7),
    ("network_exposure", "azure_sql_public_network", UNSAFE, 8),
    ("database_authentication", "azure_sql_ad_admin", UNSAFE, 9),
    ("encryption_at_rest", "azure_sql_tde", UNSAFE, 10),
    ("audit_logging", "azure_sql_audit_retention", UNSAFE, 11),
    ("threat_detection", "azure_sql_threat_types", UNSAFE, 12),
    ("network_exposure", "azure_sql_firewall", UNSAFE, 13),
}
PG_FLAGS_MISSING = ("gcp_sql_pg_log_checkpoints", "gcp_sql_pg_log_lock_waits", "gcp_sql_pg_log_hostname",
                    "gcp_sql_pg_log_min_error_statement", "gcp_sql_pg_pgaudit", "gcp_sql_pg_log_statement",
                    "gcp_sql_pg_log_duration")
PLANTED_GCP = {
    ("high_availability", "gcp_sql_regional", UNSAFE, 5),
    ("deletion_protection", "gcp_sql_deletion_protection", UNSAFE, 6),
    ("backups", "gcp_sql_backups", UNSAFE, 7),
    ("network_exposure", "gcp_sql_no_public_ip", UNSAFE, 8),
    ("encryption_in_transit", "gcp_sql_ssl_required", UNSAFE, 9),
    ("network_exposure", "gcp_sql_authorized_networks", UNSAFE, 11),  # 0.0.0.0/0 in the list
    ("audit_logging", "gcp_sql_pg_log_connections", UNSAFE, 15),  # set to off
    # the example's flag list replaces the module's: the flags it leaves out are missing, at the list
    *{("audit_logging", rule, UNSAFE, 15) for rule in PG_FLAGS_MISSING},
}


@pytest.mark.parametrize(("tree", "planted"), [(AZURE, PLANTED_AZURE), (GCP, PLANTED_GCP)])
def test_azure_and_gcp_modules(tree: Path, planted: set[tuple[str, str, str, int]]) -> None:
    result = run(tree)
    assert result["errors"] == []
    assert tf_failures(result) == planted
    assert result["soc2"]["not_assessed"] == []
    defaults = [row for row in evidence(result, "pass") if row[2] == "variables.tf"]
    assert defaults, "the default example reads the module's defaults"


def test_registry_module_calls_are_read_from_their_arguments(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'module "db" {\n  source  = "terraform-aws-modules/rds/aws"\n  version = "6.10.0"\n\n'
        '  storage_encrypted   = false\n  deletion_protection = var.protect\n  multi_az = true\n}\n\n'
        'module "bucket" {\n  source = "cloudposse/s3-bucket/aws"\n}\n')
    result = run(tmp_path)
    assert tf_failures(result) == {("encryption_at_rest", "aws_rds_storage_encrypted", "main.tf", 5)}
    unknown = not_assessed(result)
    assert ("deletion_protection", "aws_rds_deletion_protection", "main.tf", 6) in unknown
    # what the call leaves to the registry module's defaults is not in the tree: not assessed, at the call
    assert ("backups", "aws_rds_backup_retention", "main.tf", 1) in unknown
    assert ("high_availability", "aws_rds_multi_az", "main.tf", 7) in evidence(result, "pass")
    assert result["soc2"]["modules_not_read"] == [
        {"path": "main.tf", "line": 10, "module": "bucket", "source": "cloudposse/s3-bucket/aws"}]


def test_expressions_locals_and_conditionals_resolve_where_the_tree_decides(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "env" {\n  default = "prod"\n}\n'
        'locals {\n  prod = var.env == "prod"\n  days = local.prod ? 14 : 0\n}\n'
        'resource "aws_db_instance" "a" {\n'
        '  storage_encrypted       = local.prod && true\n'  # 9: decided by the default
        '  backup_retention_period = local.days\n'  # 10
        '  deletion_protection     = var.env != "prod"\n'  # 11: false, decided by the default
        '  password                = var.env == "prod" ? null : "${var.env}-pw"\n'  # no literal
        '  multi_az                = try(var.nope, true)\n'  # undeclared variable: not assessed
        '  skip_final_snapshot     = !local.prod\n'
        '}\n')
    result = run(tmp_path)
    assert ("deletion_protection", "aws_rds_deletion_protection", "main.tf", 2) in tf_failures(result)
    passes = evidence(result, "pass")
    assert ("encryption_at_rest", "aws_rds_storage_encrypted", "main.tf", 2) in passes
    assert ("backups", "aws_rds_backup_retention", "main.tf", 2) in passes
    assert ("high_availability", "aws_rds_multi_az", "main.tf", 13) in not_assessed(result)
    assert not [f for f in result["findings"] if f["type"] == "soc2.secrets_in_config"]


def test_module_calls_cannot_escape_the_tree_or_loop(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "main.tf").write_text('resource "aws_db_instance" "x" {\n  storage_encrypted = false\n}\n')
    tree = tmp_path / "tree"
    (tree / "a").mkdir(parents=True)
    (tree / "a" / "main.tf").write_text('module "up" {\n  source = "../../outside"\n}\n'
                                        'module "self" {\n  source = "./"\n}\n'
                                        'module "b" {\n  source = "../b"\n}\n')
    (tree / "b").mkdir()
    (tree / "b" / "main.tf").write_text('module "a" {\n  source = "../a"\n}\n'
                                        'resource "aws_ebs_volume" "v" {\n  encrypted = true\n}\n')
    result = run(tree)
    cycle = "calls a module that calls it: not followed"
    assert {e["error"] for e in result["errors"]} == {f"module {name} {cycle}" for name in ("a", "b")}
    assert not [f for f in result["findings"] if "outside" in json.dumps(f)]
    assert ("encryption_at_rest", "aws_ebs_encrypted", "b/main.tf", 5) in evidence(result, "pass")


def test_fan_out_of_module_calls_is_bounded(tmp_path: Path) -> None:
    for level in range(9):  # each level calls the next three times: 3^8 instances unbounded
        folder = tmp_path / f"m{level}"
        folder.mkdir()
        call = f'module "c{{}}" {{{{\n  source = "../m{level + 1}"\n}}}}\n'
        calls = "".join(call.format(i) for i in range(3)) if level < 8 else ""
        (folder / "main.tf").write_text(calls + 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n}\n')
    result = run(tmp_path)
    assert result["status"] == "degraded"
    assert any("module instances" in e["error"] for e in result["errors"])


# --- CI: uses: actions and real pins ------------------------------------------------------------


@pytest.mark.parametrize(("steps", "checks_changes", "pins"), [
    ([f"uses: actions/checkout@{SHA}", "uses: golangci/golangci-lint-action@v6"], True, [True, False]),
    ([f"uses: actions/checkout@{SHA}", f"uses: github/codeql-action/analyze@{SHA}"], True, [True, True]),
    (["uses: pre-commit/action@v3.0.1"], True, [False]),
    (["uses: actions/checkout@v5", "run: make build"], False, [False]),
    (["uses: actions/checkout@main"], False, [False]),
    (["uses: actions/checkout@11bd719"], False, [False]),  # a short SHA can collide: not a pin
    (["uses: terraform-linters/setup-tflint@v4"], False, [False]),  # installs a tool, runs nothing
    (["uses: ./.github/actions/local"], False, []),  # lives in the repository itself
    (["uses: docker://alpine:3.20"], False, [False]),
    ([f"uses: docker://alpine@sha256:{'a' * 64}"], False, [True]),
])
def test_github_actions_uses_and_pins(tmp_path: Path, steps: list[str], checks_changes: bool,
                                      pins: list[bool]) -> None:
    body = "".join(f"      - {step}\n" for step in steps)
    path = tmp_path / "ci.yml"
    path.write_text(f"on: [pull_request]\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n{body}")
    found = check_github_actions(path, ".github/workflows/ci.yml")
    assert [o.passed for o in found if o.check == "ci_action_pinning"] == pins
    assert any(o.check == "change_management" and o.passed for o in found) is checks_changes
    assert not [o for o in found if o.check == "pinned_dependencies"]  # images only now


def test_reusable_workflow_counts_as_checks_and_is_pinned_by_sha(tmp_path: Path) -> None:
    path = tmp_path / "ci.yml"
    path.write_text("on:\n  pull_request:\njobs:\n  tests:\n"
                    "    uses: org/shared/.github/workflows/tests.yml@v2\n")
    found = check_github_actions(path, ".github/workflows/ci.yml")
    assert [(o.check, o.passed, o.line) for o in found] == [("ci_action_pinning", False, 5),
                                                           ("change_management", True, 1)]


# --- the code scanner's findings as evidence ----------------------------------------------------


def test_code_scanner_severity_and_confidence_carry_over_and_docs_are_excluded(tmp_path: Path) -> None:
    tree = tmp_path / "repo"
    (tree / "app").mkdir(parents=True)
    (tree / "docs").mkdir()
    (tree / "app" / "settings.py").write_text('DB_PASSWORD = "Zx9-Planted-Real-Pw-6618"\n')
    (tree / "docs" / "UPGRADE.md").write_text('```hcl\npassword = "Sample-Doc-Pw-8812"\n```\n')
    (tree / "README.rst").write_text('Example::\n\n    password: "Sample-Rst-Pw-3310"\n')
    (tree / "app" / "deploy.yml").write_text("db:\n  password: ${{ secrets.DB_PASSWORD }}\n"
                                             "  admin_password: var.create ? null : var.password1\n")
    code = get_scanner("code").scan({"path": str(tree)}, no_progress)
    own = {f["location"]["path"]: f for f in code["findings"] if f["type"].startswith("secret.")}
    result = run(tree, code_scan=True)
    evidence_rows = [f for f in result["findings"] if f["type"] == "soc2.secrets_in_code"]
    assert [f["location"]["path"] for f in evidence_rows] == ["app/settings.py"]
    source = next(f for path, f in own.items() if path.endswith("app/settings.py"))
    assert (evidence_rows[0]["severity"], evidence_rows[0]["confidence"]) == (source["severity"],
                                                                              source["confidence"])
    assert evidence_rows[0]["explanation"]["rule"] == source["type"]
    excluded = result["soc2"]["secrets_excluded"]
    assert excluded["documentation"] == sum(1 for p in own if p.endswith((".md", ".rst")))
    assert excluded["documentation"] >= 1
    output = json.dumps(result)
    for value in ("Zx9-Planted-Real-Pw-6618", "Sample-Doc-Pw-8812", "Sample-Rst-Pw-3310"):
        assert value not in output


def test_rule_documentation_names_every_rule_with_its_criteria() -> None:
    from services.scanners.soc2 import load_questionnaire
    from services.scanners.soc2_checks.tf_databases import CHECKOV_IDS, SETTINGS

    text = (Path(__file__).resolve().parents[2] / "docs" / "SOC2_RULES.md").read_text(encoding="utf-8")
    checks = load_questionnaire()["checks"]
    for rule in CHECKOV_IDS:
        row = next((line for line in text.splitlines() if f"| {rule} |" in line), None)
        assert row is not None, rule
        check = next((s.check for s in SETTINGS if s.rule == rule), None)
        if check is not None:
            assert f"| {check} | {', '.join(checks[check]['criteria'])} |" in row, rule


def test_hostile_locals_stay_bounded(tmp_path: Path) -> None:
    lines = ['locals {', '  s0 = "ab"', '  l0 = ["x"]', '  n0 = 10']
    for i in range(1, 60):  # each doubles the last: 2^59 characters, items and digits if evaluated naively
        lines += [f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"',
                  f'  l{i} = [local.l{i - 1}, local.l{i - 1}]',
                  f'  n{i} = local.n{i - 1} * local.n{i - 1}']
    lines += ['  c0 = true', *[f'  c{i} = local.c{i - 1}' for i in range(1, 3000)], '}']
    lines += ['resource "aws_db_instance" "x" {', '  engine = local.s59',
              '  enabled_cloudwatch_logs_exports = local.l59',
              '  backup_retention_period = local.n59', '  storage_encrypted = local.c2999',
              '  multi_az = local.l59 == local.l58', '}']
    (tmp_path / "main.tf").write_text("\n".join(lines) + "\n")
    result = run(tmp_path)
    assert result["status"] == "completed"
    unknown = {row[1] for row in not_assessed(result)}
    assert {"aws_rds_storage_encrypted", "aws_rds_backup_retention", "aws_rds_log_exports"} <= unknown
    # comparing the two nested lists is decided at the first difference, within the comparison budget
    assert ("high_availability", "aws_rds_multi_az", "main.tf", 180) in tf_failures(result)  # local.l59


@pytest.mark.parametrize(("line", "expression"), [
    ("  password = var.create ? null : var.password\n", True),
    ("DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n", True),
    ('password = "${var.prefix}-suffix"\n', True),
    ("admin_password: local.generated\n", True),
    ('password = "Pa$$w0rd-var.x"\n', False),  # a quoted literal that happens to contain "var."
    ("password = hunter2-Planted\n", False),
])
def test_expressions_are_told_from_literals_on_the_code_scanners_lines(tmp_path: Path, line: str,
                                                                         expression: bool) -> None:
    from services.scanners.soc2 import assigns_expression

    path = tmp_path / "config.txt"
    path.write_text("# first line\n" + line)
    assert assigns_expression(path, 2) is expression
