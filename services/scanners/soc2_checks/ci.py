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
PINNED_REF = re.compile(r"^([0-9a-f]{40}|v?\d+(\.\d+)*)$")
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
    for step in mappings(job.get("steps")):
        if CHECK_COMMAND.search(f"{step.get('run', '')} {step.get('name', '')}"):
            return True
    return False


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
    uses = str(step.get("uses") or "")
    if uses and not uses.startswith(("./", "docker://")):
        ref = uses.partition("@")[2]
        pinned = bool(PINNED_REF.match(ref))
        message = f"action {uses} is pinned" if pinned else f"action {uses} is not pinned to a release"
        found.append(Observation("pinned_dependencies", pinned, relpath, line_of(step), message))
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
