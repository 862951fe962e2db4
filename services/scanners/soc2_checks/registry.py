"""Which checker reads which file."""


from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from services.scanners.soc2_checks import ci, containers, kubernetes, policies, webserver
from services.scanners.soc2_checks.common import Observation

Checker = Callable[[Path, str], list[Observation]]

CHECKERS: dict[str, Checker] = {
    "dockerfile": containers.check,
    "github_actions": ci.check_github_actions,
    "gitlab_ci": ci.check_gitlab_ci,
    "yaml": kubernetes.check,
    "nginx": webserver.check_nginx,
    "apache": webserver.check_apache,
    "iam_policy": policies.check,
}

_WEB_SERVER_SNIFF_BYTES = 64 * 1024  # enough to see the first block of any config we expect


def classify(relpath: str, path: Path) -> str | None:
    """The kind of evidence file at `relpath`, or None when no checker reads it."""
    parts = relpath.split("/")
    name = parts[-1]
    suffix = path.suffix.lower()
    if suffix == ".tf":
        return "terraform"
    if name == "Dockerfile" or name.startswith("Dockerfile.") or suffix == ".dockerfile":
        return "dockerfile"
    if name == ".gitlab-ci.yml":
        return "gitlab_ci"
    if suffix in (".yml", ".yaml"):
        return "github_actions" if parts[:2] == [".github", "workflows"] else "yaml"
    if suffix == ".conf":
        return _sniff_web_server(path)
    if suffix == ".json":
        return "iam_policy"
    return None


def _sniff_web_server(path: Path) -> str | None:
    # .conf is shared by many tools; only a web server's own block syntax decides the parser
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        head = handle.read(_WEB_SERVER_SNIFF_BYTES)
    if "<VirtualHost" in head or "<Directory" in head:
        return "apache"
    if "server {" in head or "http {" in head or "server_name " in head:
        return "nginx"
    return None

