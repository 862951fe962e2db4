"""History mode: secrets added in earlier commits of a git repository, still valid until rotated.

Reads `git log -p --unified=0` as a stream: with zero context every line of a hunk's new side is an
added line, numbered from the hunk header, so each hunk is scanned as one block of text.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from services.detection import scan_text
from services.results import Finding

logger = logging.getLogger(__name__)

MAX_COMMITS = 1000
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,\d+)? @@")
_COMMIT = "\x00commit "


def is_git_repository(root: Path) -> bool:
    """True when `root` is the top of a git work tree."""
    return (root / ".git").exists()


def history_findings(root: Path, *, known: set[str], tick: Callable[[str], None],
                     max_commits: int = MAX_COMMITS) -> list[Finding]:
    """Secrets added in the last `max_commits` commits whose fingerprint is not in `known`."""
    found: list[Finding] = []
    seen = set(known)
    for commit, path, start, lines in _hunks(root, max_commits, tick):
        for finding in scan_text("".join(lines), path=path, line_offset=start - 1,
                                 kinds=frozenset({"secret"})):
            if finding.fingerprint in seen:
                continue
            seen.add(finding.fingerprint)
            location = {**finding.location, "commit": commit}
            explanation = {**finding.explanation, "history": "added in an earlier commit"}
            found.append(dataclasses.replace(finding, location=location, explanation=explanation))
    return found


def _hunks(root: Path, max_commits: int, tick: Callable[[str], None]
           ) -> Iterator[tuple[str, str, int, list[str]]]:
    """(commit, path, first new line, added lines) for every hunk of the log."""
    import subprocess  # only a history scan runs git: not a cost of every code scan's start-up

    command = ["git", "-C", str(root), "-c", "core.hooksPath=/dev/null", "log", "-p", "--no-color",
               "--no-ext-diff", "--no-textconv", "--unified=0", "--format=%x00commit %H",
               "-n", str(max_commits)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL)
    commit, path, start = "", "", 0
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode("utf-8", "replace")
            if line.startswith(_COMMIT):
                commit = line[len(_COMMIT):].strip()[:12]
                tick(commit)
            elif line.startswith("+++ "):
                path = line[4:].strip().removeprefix("b/")
            elif line.startswith("@@"):
                if lines:
                    yield commit, path, start, lines
                match = _HUNK.match(line)
                start, lines = (int(match.group("start")) if match else 0), []
            elif line.startswith("+") and start:
                lines.append(line[1:])
                continue
            if lines and not line.startswith("+"):
                yield commit, path, start, lines
                lines = []
        if lines:
            yield commit, path, start, lines
    finally:
        process.kill()
        process.wait()
        if process.stdout:
            process.stdout.close()
