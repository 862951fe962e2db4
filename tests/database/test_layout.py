"""utils/database_manager.py owns the pool and the migrations; repositories live in utils/repositories/."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from utils import database_manager

REPO_ROOT = Path(__file__).resolve().parents[2]
POOL_AND_MIGRATIONS = {"Database", "get_database", "Migration", "load_migrations", "migrate", "main",
                       "MIGRATIONS_DIR", "MIGRATION_NAME", "MIGRATION_LOCK_KEY", "CONNECT_TIMEOUT_S"}


def test_database_manager_defines_only_the_pool_and_the_migrations() -> None:
    tree = ast.parse(inspect.getsource(database_manager))
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    defined |= {target.id for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}
    assert {name for name in defined if not name.startswith("_")} - {"log"} == POOL_AND_MIGRATIONS


def test_nothing_imports_a_repository_from_database_manager() -> None:
    """No facade: callers reach repositories in utils/repositories/, never through database_manager."""
    wrong = []
    for path in sorted(REPO_ROOT.rglob("*.py")):
        relative = path.relative_to(REPO_ROOT)
        if relative.parts[0] in (".venv", "var") or relative.parts[:2] == ("tests", "corpus"):
            continue
        wrong += [f"{relative}:{line} {name}" for line, name in _names_taken_from_database_manager(path)
                  if name not in POOL_AND_MIGRATIONS]
    assert wrong == []


def _names_taken_from_database_manager(path: Path) -> list[tuple[int, str]]:
    """(line, name) of each `from utils.database_manager import name` and `database_manager.name`."""
    tree = ast.parse(path.read_bytes(), str(path))
    aliases = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module == "utils" for a in node.names if a.name == "database_manager"}
    taken = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "utils.database_manager":
            taken += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.Attribute) and getattr(node.value, "id", None) in aliases:
            taken.append((node.lineno, node.attr))
    return taken
