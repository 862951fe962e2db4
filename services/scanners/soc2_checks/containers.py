"""Dockerfiles (parsed with dockerfile-parse): base image pinning, non-root user, secrets in ENV/ARG."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from dockerfile_parse import DockerfileParser

from services.scanners.soc2_checks.common import (
    Observation,
    ParseError,
    is_literal_secret,
    secret_observation,
)


def check(path: Path, relpath: str) -> list[Observation]:
    """Check one Dockerfile."""
    try:
        with path.open("rb") as handle:
            structure = DockerfileParser(fileobj=handle).structure
    except (UnicodeDecodeError, ValueError):
        raise ParseError("invalid Dockerfile") from None
    found: list[Observation] = []
    for instruction in structure:
        line = instruction["startline"] + 1
        if instruction["instruction"] == "FROM":
            found.append(_base_image(instruction["value"], relpath, line))
        elif instruction["instruction"] in ("ENV", "ARG"):
            found.extend(_variables(instruction, relpath, line))
    found.extend(_user(structure, relpath))
    return found


def _base_image(value: str, relpath: str, line: int) -> Observation:
    image = value.split()[0] if value.split() else ""
    if image == "scratch" or "@sha256:" in image:
        return Observation("pinned_dependencies", True, relpath, line, f"base image {image} is pinned")
    tag = image.rsplit("/", 1)[-1].partition(":")[2]
    pinned = bool(tag) and tag != "latest" and "$" not in image
    message = f"base image {image} is pinned" if pinned else f"base image {image} has no version tag"
    return Observation("pinned_dependencies", pinned, relpath, line, message)


def _variables(instruction: dict[str, Any], relpath: str, line: int) -> list[Observation]:
    try:
        words = shlex.split(instruction["value"])
    except ValueError:
        raise ParseError("invalid Dockerfile: unbalanced quotes", line) from None
    pairs = _pairs(words)
    return [secret_observation(key, value, relpath, line, instruction["instruction"])
            for key, value in pairs if is_literal_secret(key, value)]


def _pairs(words: list[str]) -> list[tuple[str, str]]:
    if words and "=" not in words[0]:  # legacy `ENV KEY value with spaces`
        return [(words[0], " ".join(words[1:]))]
    return [(key, value) for key, _, value in (word.partition("=") for word in words)]


def _user(structure: list[dict[str, Any]], relpath: str) -> list[Observation]:
    if not any(i["instruction"] == "FROM" for i in structure):
        return []
    users = [i for i in structure if i["instruction"] == "USER"]
    if not users:
        return [Observation("container_hardening", False, relpath, None, "no USER instruction: runs as root")]
    last = users[-1]
    name = last["value"].split(":")[0].strip()
    root = name in ("root", "0")
    return [Observation("container_hardening", not root, relpath, last["startline"] + 1,
                        "final USER is root" if root else f"runs as non-root user {name}")]
