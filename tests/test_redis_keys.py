"""Every Redis key name is spelled in utils/redis_keys.py and nowhere else."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from utils import redis_keys

REPO_ROOT = Path(__file__).resolve().parents[1]
KEYS_MODULE = REPO_ROOT / "utils" / "redis_keys.py"
SKIPPED = {".venv", "var", ".git"}
CORPUS = REPO_ROOT / "tests" / "corpus"  # user-shaped data to scan, not our code
# the inline suppression marker users write in scanned code (services/detection): not a Redis key
NOT_KEYS = ("dg:ignore",)


def python_files() -> Iterator[Path]:
    for path in sorted(REPO_ROOT.rglob("*.py")):
        relative = path.relative_to(REPO_ROOT)
        if relative.parts[0] in SKIPPED or path.is_relative_to(CORPUS):
            continue
        yield path


def key_literals(path: Path) -> list[str]:
    """Each string constant (f-string parts included) in `path` that starts like a key: `line: text`."""
    found = []
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            text = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
            if text.startswith(redis_keys.NAMESPACE) and not text.startswith(NOT_KEYS):
                found.append(f"{node.lineno}: {text!r}")
    return found


def test_no_module_but_the_keys_module_spells_a_redis_key() -> None:
    scanned = list(python_files())
    assert len(scanned) > 100 and KEYS_MODULE in scanned  # the walk really covers the repository
    assert key_literals(KEYS_MODULE)  # and the scan really sees the templates where they belong
    spelled = {str(p.relative_to(REPO_ROOT)): hits for p in scanned if p != KEYS_MODULE
               if (hits := key_literals(p))}
    assert spelled == {}, "Redis key names belong in utils/redis_keys.py"


def test_every_key_template_is_distinct() -> None:
    templates = {name: value for name, value in vars(redis_keys).items()
                 if name.startswith("KEY_") and isinstance(value, str)}
    assert len(set(templates.values())) == len(templates)
    # the one exception lives under KEY_RATE_LIMIT_PREFIX
    assert all(v.startswith(redis_keys.NAMESPACE) for n, v in templates.items()
               if n != "KEY_RATE_LIMIT_AUTH_FAILED")
