"""Tree-wide change-management evidence: CODEOWNERS, CI that checks changes, branch protection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from services.scanners.soc2_checks.common import Observation, ParseError
from services.scanners.soc2_checks.loaders import line_of, load_yaml_documents

CODEOWNERS_PLACES = ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
SETTINGS_FILE = ".github/settings.yml"  # the Probot "settings" app keeps branch protection here
CI_KINDS = ("github_actions", "gitlab_ci")


def tree_checks(root: Path, kinds: dict[str, int],
                observations: list[Observation]) -> tuple[list[Observation], list[tuple[str, str]]]:
    """Observations about the tree as a whole, plus (relpath, error) for unparsable files."""
    found = [_codeowners(root), _ci(kinds, observations)]
    errors: list[tuple[str, str]] = []
    if (root / SETTINGS_FILE).is_file() and not (root / SETTINGS_FILE).is_symlink():
        try:
            found.extend(_branch_protection(root / SETTINGS_FILE))
        except ParseError as error:
            errors.append((SETTINGS_FILE, str(error)))
    return found, errors


def _codeowners(root: Path) -> Observation:
    for place in CODEOWNERS_PLACES:
        path = root / place
        if path.is_file() and not path.is_symlink() and path.stat().st_size > 0:
            return Observation("change_management", True, place, None, "CODEOWNERS assigns reviewers")
    return Observation("change_management", False, None, None, "no CODEOWNERS file assigns reviewers")


def _ci(kinds: dict[str, int], observations: list[Observation]) -> Observation:
    if not any(kinds.get(kind) for kind in CI_KINDS):
        return Observation("change_management", False, None, None, "no CI pipeline checks changes")
    checked = any(o.check == "change_management" and o.passed and o.path
                  and (o.path.startswith(".github/workflows/") or o.path.endswith(".gitlab-ci.yml"))
                  for o in observations)
    return Observation("change_management", checked, None, None,
                       "CI runs checks on proposed changes" if checked
                       else "CI pipelines exist but none runs tests or linters on pull/merge requests")


def _branch_protection(path: Path) -> list[Observation]:
    documents = load_yaml_documents(path)
    settings: Any = documents[0] if documents else {}
    branches = settings.get("branches") if isinstance(settings, dict) else None
    found = []
    for branch in branches or []:
        if not isinstance(branch, dict):
            continue
        protection = branch.get("protection") or {}
        if not isinstance(protection, dict):
            protection = {}
        reviews = protection.get("required_pull_request_reviews") or {}
        count = reviews.get("required_approving_review_count", 0) if isinstance(reviews, dict) else 0
        ok = isinstance(count, int) and count >= 1
        found.append(Observation("change_management", ok, SETTINGS_FILE, line_of(branch),
                                 f"branch {branch.get('name', '?')} requires {count} approving review(s)"))
    return found
