"""SOC 2 scanner on committed good/bad config trees, malformed files and the questionnaire."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.scanners import get_scanner
from services.scanners.base import no_progress
from services.scanners.soc2 import load_questionnaire
from services.scanners.soc2_checks import terraform
from services.scanners.soc2_checks.registry import CHECKERS, classify
from utils.config import get_settings
from utils.errors import InvalidRequestError, ScannerNotAvailableError, UnsafeInputError

FIXTURES = Path(__file__).parent / "fixtures" / "soc2"
GOOD, BAD = FIXTURES / "good", FIXTURES / "bad"
PLANTED = (
    "Planted-CI-Passw0rd-7731", "Planted-TF-DbPass-4409", "Planted-K8s-Pw-5512",
    "Planted-K8s-Secret-9920", "Planted-Docker-Key-3318", "AKIAQ3EGRT5UVW7XYZ2A",
)
PLANTED_IN_BROKEN = ("Planted-Yaml-Err-1234", "Planted-Hcl-Err-5678", "Planted-Nginx-Err-9012")
ALL_YES = {q["id"]: True for q in load_questionnaire()["questions"]}
AUTOMATED = ("CC6.1", "CC6.3", "CC6.6", "CC6.7", "CC6.8", "CC7.1", "CC7.2", "CC8.1", "A1.1", "A1.2", "C1.1")


@pytest.fixture(autouse=True)
def scan_roots(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Allow the fixture trees and this test's tmp_path as scan roots."""
    monkeypatch.setenv("DG_SCAN_ROOTS", os.pathsep.join([str(FIXTURES), str(tmp_path)]))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Run the registered soc2 scanner in-process."""
    return get_scanner("soc2").scan(request, no_progress)


def code_scanner_available() -> bool:
    """The code scanner is another engineer's; the soc2 result differs with and without it."""
    try:
        get_scanner("code")
    except ScannerNotAvailableError:
        return False
    return True


def rows(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Criteria table by criterion id."""
    return {row["criterion"]: row for row in result["soc2"]["criteria"]}


def failures(result: dict[str, Any]) -> set[tuple[str, str, int | None]]:
    """(check, path, line) of every failed observation, from the findings."""
    return {(f["type"].removeprefix("soc2."), f["location"]["path"], f["location"].get("line"))
            for f in result["findings"] if f["type"].startswith("soc2.") and "path" in f["location"]}


@pytest.fixture(scope="module")
def bad_result() -> dict[str, Any]:
    """The bad tree, scanned once for the table-driven tests below (code scan off: deterministic)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DG_SCAN_ROOTS", str(FIXTURES))
        get_settings.cache_clear()
        result = run({"path": str(BAD), "options": {"code_scan": False}})
    get_settings.cache_clear()
    return result


@pytest.mark.parametrize(("criterion", "files"), [
    ("CC6.1", {"infra/main.tf", "Dockerfile", ".github/workflows/deploy.yml", "k8s/app.yaml"}),
    ("CC6.3", {"infra/main.tf", "k8s/app.yaml", ".github/workflows/deploy.yml"}),
    ("CC6.6", {"infra/main.tf"}),
    ("CC6.7", {"infra/main.tf", "k8s/app.yaml", "nginx/site.conf", "apache/site.conf"}),
    ("CC6.8", {"Dockerfile", "k8s/app.yaml", ".github/workflows/deploy.yml"}),  # an action on @master
    ("CC7.1", {"Dockerfile", "k8s/app.yaml"}),
    ("CC7.2", {"nginx/site.conf", "apache/site.conf", "infra/main.tf"}),
    ("CC8.1", {"Dockerfile", "k8s/app.yaml", ".github/workflows/deploy.yml", None}),
    ("A1.1", {"infra/main.tf"}),
    ("A1.2", {"infra/main.tf"}),
    ("C1.1", {"infra/main.tf", "Dockerfile", ".github/workflows/deploy.yml", "k8s/app.yaml",
              "nginx/site.conf", "apache/site.conf"}),
])
def test_bad_tree_fails_criterion_with_its_evidence_files(bad_result: dict[str, Any], criterion: str,
                                                          files: set[str | None]) -> None:
    row = rows(bad_result)[criterion]
    assert row["status"] == "fail"
    assert {e["path"] for e in row["evidence"] if e["status"] == "fail"} == files


@pytest.mark.parametrize("failure", [
    ("network_exposure", "infra/main.tf", 22),  # ssh open to 0.0.0.0/0 (the cidr_blocks line)
    ("network_exposure", "infra/main.tf", 3),  # acl = "public-read"
    ("network_exposure", "infra/main.tf", 11),  # publicly_accessible = true
    ("least_privilege", "infra/main.tf", 28),  # policy with Action "*"
    ("encryption_at_rest", "infra/main.tf", 9),  # storage_encrypted = false
    ("backups", "infra/main.tf", 10),  # retention 0
    ("deletion_protection", "infra/main.tf", 6),  # not written: the provider's default (off)
    ("encryption_in_transit", "infra/main.tf", 37),  # protocol = "HTTP", no redirect
    ("secrets_in_config", "infra/main.tf", 13),
    ("least_privilege", ".github/workflows/deploy.yml", 5),  # write-all
    ("secrets_in_config", ".github/workflows/deploy.yml", 7),
    ("ci_action_pinning", ".github/workflows/deploy.yml", 12),  # @master
    ("container_hardening", "k8s/app.yaml", 10),  # privileged
    ("container_hardening", "k8s/app.yaml", 8),  # hostNetwork
    ("secrets_in_config", "k8s/app.yaml", 15),
    ("secrets_in_config", "k8s/app.yaml", 39),  # committed Secret
    ("least_privilege", "k8s/app.yaml", 31),  # ClusterRole wildcard
    ("encryption_in_transit", "k8s/app.yaml", 18),  # Ingress without tls
    ("pinned_dependencies", "Dockerfile", 1),  # node:latest
    ("secrets_in_config", "Dockerfile", 2),
    ("container_hardening", "Dockerfile", None),  # no USER
    ("encryption_in_transit", "nginx/site.conf", 1),  # port 80, no redirect
    ("encryption_in_transit", "nginx/site.conf", 12),  # TLSv1, TLSv1.1
    ("audit_logging", "nginx/site.conf", 4),  # access_log off
    ("encryption_in_transit", "apache/site.conf", 1),
    ("audit_logging", "apache/site.conf", 1),
    ("change_management", ".", None),  # no CODEOWNERS / CI without checks
])
def test_bad_tree_findings_point_at_file_and_line(bad_result: dict[str, Any],
                                                  failure: tuple[str, str, int | None]) -> None:
    assert failure in failures(bad_result)


def test_bad_tree_result_shape_and_no_raw_secrets(bad_result: dict[str, Any]) -> None:
    assert bad_result["status"] == "completed"
    assert bad_result["errors"] == []
    assert bad_result["summary"]["compliance_score"] == 0
    assert bad_result["soc2"]["readiness"]["security"]["score"] == 0
    assert {gap["criterion"] for gap in bad_result["soc2"]["gaps"]} == set(AUTOMATED)
    assert all(f["remediation"] and f["severity"] for f in bad_result["findings"])
    output = json.dumps(bad_result)
    for value in PLANTED:
        assert value not in output


def test_good_tree_passes_every_automated_criterion(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = run({"path": str(GOOD), "answers": ALL_YES, "options": {"code_scan": False}})
    table = rows(result)
    assert result["findings"] == []
    assert result["summary"]["compliance_score"] == 100
    for criterion in AUTOMATED:
        row = table[criterion]
        checks = {c["check"]: c["status"] for c in row["checks"]}
        if "secrets_in_code" in checks:  # turned off: no pass without it
            assert row["status"] == "not_assessed"
            assert checks.pop("secrets_in_code") == "not_assessed"
        else:
            assert row["status"] == "pass", criterion
        # a check with nothing to read in this tree (Azure threat detection) has no evidence, never a fail
        assert "pass" in checks.values() and set(checks.values()) <= {"pass", "no_evidence"}, criterion
        assert all(e["status"] == "pass" for e in row["evidence"])
    assert result["soc2"]["readiness"]["security"]["score"] == 100
    assert result["soc2"]["readiness"]["confidentiality"]["not_assessed"] == 1
    assert {"infra/storage.tf", "nginx/site.conf", "apache/site.conf", "CODEOWNERS",
            ".github/settings.yml"} <= {e["path"] for row in table.values() for e in row["evidence"]}
    assert "Planted" not in caplog.text


def test_code_scanner_secrets_or_not_assessed() -> None:
    result = run({"path": str(BAD)})
    check = next(c for c in rows(result)["CC6.1"]["checks"] if c["check"] == "secrets_in_code")
    if not code_scanner_available():
        assert check == {"check": "secrets_in_code", "passed": 0, "failed": 0,
                         "status": "not_assessed", "reason": "code scanner not available"}
        good = rows(run({"path": str(GOOD), "answers": ALL_YES}))
        assert good["CC6.1"]["status"] == "not_assessed"  # never a pass without the secrets check
    else:  # the code scanner ran: its secret findings are cited by file, inside the tree
        assert check["status"] in ("pass", "fail")
        cited = {path for kind, path, _ in failures(result) if kind == "secrets_in_code"}
        assert all((BAD / path).is_file() for path in cited)
        assert check["failed"] == 0 or check["status"] == "fail"
    output = json.dumps(result)
    assert not [value for value in PLANTED if value in output]


def test_malformed_files_become_per_file_errors(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(GOOD, tree)
    (tree / "k8s" / "broken.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nstringData:\n  password: Planted-Yaml-Err-1234\n  bad: [unclosed\n")
    (tree / "infra" / "broken.tf").write_text(
        'resource "aws_db_instance" "x" {\n  password = "Planted-Hcl-Err-5678"\n  acl = \n')
    (tree / "nginx" / "broken.conf").write_text(
        "server {\n  listen 80;\n  set $token Planted-Nginx-Err-9012;\n")
    (tree / "policy.json").write_text('{"Statement": [')
    caplog.set_level(logging.DEBUG)
    result = run({"path": str(tree), "answers": ALL_YES, "options": {"code_scan": False}})
    errors = {e["path"]: e["error"] for e in result["errors"]}
    assert set(errors) == {"k8s/broken.yaml", "infra/broken.tf", "nginx/broken.conf", "policy.json"}
    assert errors["k8s/broken.yaml"].startswith("invalid YAML at line")
    assert errors["infra/broken.tf"].startswith("invalid HCL")
    assert result["status"] == "degraded"
    # the rest of the tree was still assessed
    assert rows(result)["CC6.7"]["status"] == "pass"
    assert rows(result)["A1.2"]["status"] == "pass"
    output = json.dumps(result) + caplog.text
    for value in PLANTED_IN_BROKEN:
        assert value not in output


def test_symlink_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.tf"
    outside.write_text('resource "aws_ebs_volume" "leak" {\n  encrypted = false\n}\n')
    tree = tmp_path / "tree"
    (tree / "infra").mkdir(parents=True)
    (tree / "infra" / "ok.tf").write_text('resource "aws_ebs_volume" "ok" {\n  encrypted = true\n}\n')
    (tree / "infra" / "link.tf").symlink_to(outside)
    result = run({"path": str(tree), "options": {"code_scan": False}})
    evidence = rows(result)["CC6.1"]["evidence"]
    assert [(e["path"], e["status"]) for e in evidence if e["check"] == "encryption_at_rest"] == [
        ("infra/ok.tf", "pass")]


def test_single_file_path_has_no_tree_checks() -> None:
    result = run({"path": str(BAD / "Dockerfile"), "options": {"code_scan": False}})
    assert {path for _, path, _ in failures(result)} == {"Dockerfile"}
    assert result["summary"]["items_scanned"] == 1


def test_questionnaire_answers_decide_organisational_criteria() -> None:
    answers = {**ALL_YES, "incident_response": False, "privacy_notice": None}
    del answers["restore_tests"]
    result = run({"answers": answers})
    table = rows(result)
    assert table["CC1.1"]["status"] == "pass"
    assert table["CC7.4"]["status"] == "fail"
    assert table["P1.1"]["status"] == "manual"
    assert table["A1.3"]["status"] == "manual"
    assert table["CC6.6"]["status"] == "not_assessed"  # automated only, and no path was given
    assert [f["type"] for f in result["findings"]] == ["soc2.control.incident_response"]
    assert result["findings"][0]["location"] == {"question": "incident_response"}
    privacy = result["soc2"]["readiness"]["privacy"]
    assert privacy == {"score": 75, "pass": 3, "fail": 0, "manual": 1, "not_assessed": 0}


def test_manual_when_automated_evidence_passes_but_questions_are_open() -> None:
    table = rows(run({"path": str(GOOD), "options": {"code_scan": False}}))
    assert table["CC6.6"]["status"] == "pass"  # no question attached
    assert table["CC6.3"]["status"] == "manual"  # access reviews still to be confirmed


@pytest.mark.parametrize(("request_", "error"), [
    ({}, InvalidRequestError),
    ({"answers": {"no_such_control": True}}, InvalidRequestError),
    ({"answers": {"code_of_conduct": "yes"}}, InvalidRequestError),
    ({"answers": ["code_of_conduct"]}, InvalidRequestError),
    ({"path": str(GOOD), "options": {"code_scan": "no"}}, InvalidRequestError),
    ({"path": "/etc"}, UnsafeInputError),
    ({"path": str(FIXTURES / ".." / ".." / "..")}, UnsafeInputError),
])
def test_bad_requests_are_refused(request_: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        run(request_)


def test_questionnaire_covers_organisational_criteria() -> None:
    questionnaire = load_questionnaire()
    criteria = set(questionnaire["criteria"])
    asked = {c for q in questionnaire["questions"] for c in q["criteria"]}
    checked = {c for spec in questionnaire["checks"].values() for c in spec["criteria"]}
    assert asked | checked == criteria  # every criterion has a way to be assessed
    assert {"CC1.1", "CC2.2", "CC3.1", "CC4.1", "CC5.3"} <= asked
    for question in questionnaire["questions"]:
        assert question["text"]["en"] and question["text"]["nl"] and question["remediation"]
        assert question["type"] == "bool" and question["help"]["en"] and question["help"]["nl"]


def test_web_server_includes_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.conf").write_text("<VirtualHost *:80>\n    ServerName evil\n</VirtualHost>\n")
    (outside / "evil.nginx").write_text("server {\n    listen 80;\n    access_log off;\n}\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "apache.conf").write_text(
        f"Include {outside / 'evil.conf'}\nIncludeOptional {outside}/*.conf\n"
        "<VirtualHost *:443>\n    SSLEngine on\n    SSLProtocol -all +TLSv1.2\n"
        "    CustomLog /var/log/a.log combined\n</VirtualHost>\n")
    (tree / "nginx.conf").write_text(
        f"http {{\n    include {outside / 'evil.nginx'};\n    server {{\n        listen 443 ssl;\n"
        "        ssl_protocols TLSv1.2 TLSv1.3;\n    }\n}\n")
    result = run({"path": str(tree), "options": {"code_scan": False}})
    assert result["errors"] == []
    assert {f["location"]["path"] for f in result["findings"]} <= {"."}  # only tree-wide gaps
    evidence = rows(result)["CC6.7"]["evidence"]
    assert sorted((e["path"], e["line"], e["status"]) for e in evidence) == [
        ("apache.conf", 3, "pass"), ("nginx.conf", 5, "pass")]


def test_odd_shapes_are_tolerated_and_deep_nesting_is_a_file_error(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / ".github" / "workflows").mkdir(parents=True)
    (tree / "k8s.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: just-a-string\nspec: [1, 2]\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: nope\n---\n"
        "apiVersion: v1\nkind: Secret\nstringData: [a]\n---\nplain: yaml\n")
    (tree / ".github" / "workflows" / "odd.yml").write_text("on: 5\njobs: [build]\nenv: [x]\n")
    (tree / "deep.json").write_text("[" * 100_000)
    result = run({"path": str(tree), "options": {"code_scan": False}})
    assert [e["path"] for e in result["errors"]] == ["deep.json"]
    assert result["summary"]["items_scanned"] == 3


TF_SSE_INLINE = """resource "aws_s3_bucket" "b" {
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
  versioning {
    enabled = true
  }
}
"""


@pytest.mark.parametrize(("name", "text", "expected"), [
    (".gitlab-ci.yml", "variables:\n  DEPLOY_TOKEN: glpat-Planted-Gitlab-42\n"
     "unit:\n  stage: test\n  script: [pytest]\n", [("secrets_in_config", False, 2),
                                                  ("change_management", True, 4)]),
    (".gitlab-ci.yml", "variables:\n  DEPLOY_TOKEN: $CI_JOB_TOKEN\nbuild:\n  script: [make]\n",
     [("secrets_in_config", True, 2)]),
    ("policy.json", '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
     [("least_privilege", False, None)]),
    ("policy.json", '{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}',
     [("least_privilege", True, None)]),
    ("package.json", '{"name": "app"}', []),
    ("iam.tf", 'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["s3:*"]\n'
     '    resources = ["*"]\n  }\n}\n', [("least_privilege", False, 1)]),
    ("sg.tf", 'resource "aws_security_group_rule" "all" {\n  type = "ingress"\n  protocol = "-1"\n'
     '  from_port = 0\n  to_port = 0\n  cidr_blocks = ["0.0.0.0/0"]\n}\n',
     [("network_exposure", False, 6), ("audit_logging", None, None)]),  # no CloudTrail here: not assessed
    ("ebs.tf", 'resource "aws_ebs_volume" "v" {\n  encrypted = false\n}\n', [("encryption_at_rest", False, 2),
                                                                     ("audit_logging", None, None)]),
    ("s3.tf", TF_SSE_INLINE, [("encryption_at_rest", True, 1), ("backups", True, 1),
                              ("audit_logging", None, None)]),
    ("gh.tf", 'resource "github_branch_protection" "main" {\n  pattern = "main"\n}\n',
     [("change_management", False, 1)]),
    ("cron.yaml", "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n"
     "    spec:\n      template:\n        spec:\n          containers:\n            - name: c\n"
     "              image: busybox@sha256:abc\n              securityContext: {privileged: true}\n",
     [("container_hardening", True, 1), ("container_hardening", False, 10),
      ("pinned_dependencies", True, 10)]),
    ("bind.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\n"
     "roleRef: {kind: ClusterRole, name: cluster-admin}\n", [("least_privilege", False, 1)]),
    ("Dockerfile", "FROM python@sha256:0123\nARG DB_PASSWORD=Planted-Arg-77\n"
     "ENV SECRET_KEY legacy-Planted-88\nUSER 0\n",
     [("pinned_dependencies", True, 1), ("secrets_in_config", False, 2),
      ("secrets_in_config", False, 3), ("container_hardening", False, 4)]),
    ("nginx.conf", "http {\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2;\n  }\n}\n",
     [("encryption_in_transit", True, 4)]),
    ("apache.conf", "<VirtualHost *:443>\n  SSLEngine on\n  CustomLog x combined\n</VirtualHost>\n",
     [("encryption_in_transit", False, 1), ("audit_logging", True, 1)]),
    (".github/workflows/w.yml", "on: [pull_request]\njobs:\n  t:\n    permissions: write-all\n    steps:\n"
     "      - uses: actions/checkout@v4\n      - uses: docker/login-action@v3\n        with:\n"
     "          password: Planted-With-99\n      - run: npm test\n",
     [("least_privilege", False, 4), ("ci_action_pinning", False, 6), ("ci_action_pinning", False, 7),
      ("secrets_in_config", False, 9), ("change_management", True, 1)]),
    ("notes.yaml", "just: [a, plain, yaml]\n", []),
])
def test_each_checker_reads_its_file(tmp_path: Path, name: str, text: str,
                                     expected: list[tuple[str, bool | None, int | None]]) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    kind = classify(name, path)
    if kind == "terraform":
        found = terraform.check_tree([(path, name)])
        assert found.errors == []
        observations = found.observations
    else:
        observations = CHECKERS[kind](path, name) if kind else []
    assert sorted(((o.check, o.passed if o.assessed else None, o.line) for o in observations),
                  key=repr) == sorted(expected, key=repr)
    assert "Planted" not in json.dumps([o.message for o in observations])


def test_scanner_modules_stay_pure() -> None:
    code = ("import sys, services.scanners.soc2, services.scanners.dpia; "
            "print(sorted({'redis', 'flask', 'psycopg2'} & set(sys.modules)))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2]).stdout
    assert output.strip() == "[]"
