"""IAM-style policy documents (JSON files and policies embedded in Terraform): wildcard grants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from services.scanners.soc2_checks.common import Observation, ParseError

MAX_POLICY_BYTES = 1024 * 1024


def check(path: Path, relpath: str) -> list[Observation]:
    """Check a JSON file; only IAM policy documents (with a Statement) produce observations."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ParseError("invalid JSON", error.lineno) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply") from None
    except UnicodeDecodeError:
        raise ParseError("invalid JSON: not UTF-8") from None
    if not isinstance(document, dict) or "Statement" not in document:
        return []
    return [policy_observation(document, relpath, None, f"policy document {relpath}")]


def policy_observation(document: dict[str, Any], relpath: str, line: int | None, name: str) -> Observation:
    """One least_privilege observation for a policy document."""
    grants = [s for s in statements(document) if wildcard_grant(s)]
    if grants:
        return Observation("least_privilege", False, relpath, line,
                           f"{name} allows {len(grants)} wildcard grant(s) (Action '*' or service:* on '*')")
    return Observation("least_privilege", True, relpath, line, f"{name} has no wildcard grants")


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The Statement list of a policy, whether written as one object or a list."""
    found = document.get("Statement") or document.get("statement") or []
    items = found if isinstance(found, list) else [found]
    return [item for item in items if isinstance(item, dict)]


def wildcard_grant(statement: dict[str, Any]) -> bool:
    """True when an Allow statement grants every action, or every action of a service on everything."""
    effect = str(_get(statement, "Effect", "effect") or "Allow")
    if effect.lower() != "allow":
        return False
    actions = _as_list(_get(statement, "Action", "actions"))
    resources = _as_list(_get(statement, "Resource", "resources"))
    if "*" in actions or _get(statement, "NotAction", "not_actions"):
        return True
    return any(a.endswith(":*") for a in actions) and "*" in resources


def _get(statement: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in statement:
            return statement[key]
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item).strip() for item in (value if isinstance(value, list) else [value])]
