"""CI pipelines (GitHub Actions workflows, .gitlab-ci.yml): checks on changes, pinning, secrets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from services.scanners.soc2_checks.common import (
    Observation,
    ParseError,
    is_literal_secret,
    mapping,
    mappings,
    secret_observation,
)
from services.scanners.soc2_checks.loaders import line_of, load_yaml_documents

CHECK_COMMAND = re.compile(
    r"\b(test|tests|pytest|tox|lint|ruff|flake8|pylint|mypy|eslint|check|verify|vet)\b")
COMMIT_SHA = re.compile(r"^[0-9a-f]{40}$")  # only a full commit SHA cannot be moved to other code
# actions that test, lint or scan the change (github/codeql-action, golangci/golangci-lint-action,
# pre-commit/action, super-linter/super-linter, aquasecurity/trivy-action, ...): words in owner/name
CHECK_ACTION_WORDS = re.compile(
    r"(^|[/_.-])(lint|linter|linters|golangci|codeql|semgrep|sast|test|tests|pre-commit|ruff|flake8|pylint|"
    r"mypy|eslint|clippy|checkov|tfsec|trivy|gosec|bandit|snyk|sonarcloud|sonarqube|scorecard|"
    r"shellcheck|hadolint|actionlint|tflint|dependency-review|govulncheck|pip-audit|zizmor)([/_.-]|$)")
CHECK_ACTIONS = frozenset({"pre-commit/action", "psf/black", "github/super-linter",
                           "super-linter/super-linter",
                           "reviewdog/action-misspell", "dorny/test-reporter"})
GITLAB_RESERVED = {"stages", "variables", "default", "include", "workflow", "image", "services",
                   "before_script", "after_script", "cache"}


def _document(path: Path) -> dict[str, Any]:
    documents = load_yaml_documents(path)
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise ParseError("CI file is not a single YAML mapping")
    return documents[0]


# --- GitHub Actions -----------------------------------------------------------------------------


def check_github_actions(path: Path, relpath: str) -> list[Observation]:
    """Check one GitHub Actions workflow."""
    workflow = _document(path)
    jobs = {k: v for k, v in mapping(workflow.get("jobs")).items() if isinstance(v, dict)}
    found = _env_secrets(workflow.get("env"), relpath, workflow, "workflow env")
    found.extend(_permissions(workflow, relpath, "workflow"))
    for name, job in jobs.items():
        found.extend(_permissions(job, relpath, f"job {name}"))
        found.extend(_env_secrets(job.get("env"), relpath, job, f"job {name} env"))
        called = pin_observation(str(job.get("uses") or ""), relpath, line_of(job, key="uses"))
        found.extend([called] if called else [])
        for step in mappings(job.get("steps")):
            found.extend(_step(step, relpath, name))
    if _on_pull_request(workflow) and any(_runs_checks(job) for job in jobs.values()):
        found.append(Observation("change_management", True, relpath, line_of(workflow, 1),
                                 "workflow runs checks on pull requests"))
    return found


def _on_pull_request(workflow: dict[Any, Any]) -> bool:
    # YAML 1.1 reads the bare key `on` as the boolean True
    triggers = workflow.get("on", workflow.get(True))
    if isinstance(triggers, str):
        triggers = [triggers]
    names = list(triggers) if isinstance(triggers, (list, dict)) else []
    return any(n in ("pull_request", "pull_request_target", "merge_group") for n in names)


def _runs_checks(job: dict[str, Any]) -> bool:
    if is_check_action(str(job.get("uses") or "")):  # a reusable workflow that tests or lints
        return True
    for step in mappings(job.get("steps")):
        if CHECK_COMMAND.search(f"{step.get('run', '')} {step.get('name', '')}"):
            return True
        if is_check_action(str(step.get("uses") or "")):
            return True
    return False


def is_check_action(uses: str) -> bool:
    """True for an action that tests, lints or scans code (not one that only installs a tool)."""
    name = uses.partition("@")[0].lower()
    if not name or name.startswith("docker://"):
        return False
    repository = "/".join(name.split("/")[:2])
    if repository in CHECK_ACTIONS:
        return True
    action = name.split("/", 1)[-1]
    return not action.startswith("setup-") and bool(CHECK_ACTION_WORDS.search(action))


def pin_observation(uses: str, relpath: str, line: int | None) -> Observation | None:
    """ci_action_pinning for one `uses:`; None for local actions (./...), which live in the repository."""
    if not uses or uses.startswith("./"):
        return None
    if uses.startswith("docker://"):
        pinned = "@sha256:" in uses
        what = "pinned to a digest" if pinned else "not pinned to a digest"
        return Observation("ci_action_pinning", pinned, relpath, line, f"container action {uses} is {what}",
                           rule="ci_action_sha")
    ref = uses.partition("@")[2]
    if COMMIT_SHA.match(ref):
        return Observation("ci_action_pinning", True, relpath, line, f"action {uses} is pinned to a commit",
                           rule="ci_action_sha")
    kind = "no ref" if not ref else ("a movable tag" if re.match(r"^v?\d",
                                                                 ref) else "a movable branch or ref")
    return Observation("ci_action_pinning", False, relpath, line,
                       f"action {uses} uses {kind}, not a full commit SHA", rule="ci_action_sha")


def _permissions(node: dict[str, Any], relpath: str, label: str) -> list[Observation]:
    if "permissions" not in node:
        return []
    value = node["permissions"]
    broad = value == "write-all" or (isinstance(value, dict) and value.get("contents") == "write"
                                     and len(value) > 3)
    return [Observation("least_privilege", not broad, relpath, line_of(node, key="permissions"),
                        f"{label} token permissions are write-all" if broad
                        else f"{label} token permissions are restricted")]


def _env_secrets(env: Any, relpath: str, node: Any, label: str) -> list[Observation]:
    found = []
    for key, value in mapping(env).items():
        line = line_of(env, line_of(node), key=key)
        if is_literal_secret(key, value):
            found.append(secret_observation(str(key), value, relpath, line, label))
        elif is_literal_secret(key, "x"):
            found.append(Observation("secrets_in_config", True, relpath, line,
                                     f"{label}: {key} is read from the secret store"))
    return found


def _step(step: dict[str, Any], relpath: str, job: str) -> list[Observation]:
    label = f"job {job} step {step.get('name') or step.get('uses') or '?'}"
    found = _env_secrets(step.get("env"), relpath, step, f"{label} env")
    found.extend(_env_secrets(step.get("with"), relpath, step, f"{label} input"))
    pinned = pin_observation(str(step.get("uses") or ""), relpath, line_of(step))
    if pinned is not None:
        found.append(pinned)
    return found


# --- GitLab CI ----------------------------------------------------------------------------------


def check_gitlab_ci(path: Path, relpath: str) -> list[Observation]:
    """Check a .gitlab-ci.yml pipeline."""
    pipeline = _document(path)
    found = _env_secrets(pipeline.get("variables"), relpath, pipeline, "pipeline variables")
    jobs = {k: v for k, v in pipeline.items()
            if isinstance(v, dict) and k not in GITLAB_RESERVED and not str(k).startswith(".")}
    for name, job in jobs.items():
        found.extend(_env_secrets(job.get("variables"), relpath, job, f"job {name} variables"))
    checking = [name for name, job in jobs.items() if job.get("stage") == "test" or _gitlab_runs_checks(job)]
    if checking:
        found.append(Observation("change_management", True, relpath, line_of(jobs[checking[0]]),
                                 f"pipeline runs checks in job {checking[0]}"))
    return found


def _gitlab_runs_checks(job: dict[str, Any]) -> bool:
    script = job.get("script") or []
    lines = script if isinstance(script, list) else [script]
    return any(CHECK_COMMAND.search(str(line)) for line in lines)
