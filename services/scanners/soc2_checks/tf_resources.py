"""Resources as a module instance sees them, and the observations rules make about them.

A `Body` is a block read in a scope: `value(name)` evaluates an attribute there (or gives the
provider's default, located at the block, when the attribute is not written), `blocks(name)`
expands static and `dynamic` nested blocks. A `Setting` is a declarative rule on one attribute:
most database rules are one line each in tf_databases.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.scanners.soc2_checks.common import Observation
from services.scanners.soc2_checks.hcl import Block
from services.scanners.soc2_checks.hcl_eval import (
    UNKNOWN,
    Origin,
    Scope,
    Value,
    evaluate,
    reference_text,
    undecided,
    unknown,
    within_bounds,
)
from services.scanners.soc2_checks.tf_modules import Instance

MAX_SHOWN = 60  # characters of a value quoted in a message


@dataclass(frozen=True)
class Body:
    """A block read in a scope."""

    block: Block
    scope: Scope
    defaults_known: bool = True  # False for a registry module call: its defaults are not in the tree

    def at_block(self) -> Origin:
        """Where the block itself starts (for settings it leaves to the provider's default)."""
        return Origin(self.block.path, self.block.line, self.scope.path_depth)

    def has(self, name: str) -> bool:
        """True when the attribute is written."""
        return name in self.block.attrs

    def value(self, name: str, absent: Any = None) -> Value:
        """The attribute's value here; `absent` (at the block) when it is not written."""
        attr = self.block.attrs.get(name)
        if attr is None:
            if not self.defaults_known:
                return unknown(self.at_block(), f"the module's default for {name}")
            return Value(absent, self.at_block())
        written = Origin(attr.path, attr.line, self.scope.path_depth)
        value = evaluate(attr.expr, self.scope, written)
        if not within_bounds(value.data):
            return unknown(written, "a value too large to read")
        if not value.known and value.origin.depth >= written.depth:
            return Value(value.data, written, value.refs)  # undecided here: point at the attribute
        return value

    def reference(self, name: str) -> str:
        """The reference an attribute is written as (`aws_s3_bucket.b.id`), or ""."""
        attr = self.block.attrs.get(name)
        return reference_text(attr.expr) if attr is not None else ""

    def blocks(self, name: str) -> list[Body] | None:
        """Nested `name` blocks, `dynamic "name"` ones expanded; None when one cannot be expanded."""
        found = [Body(b, self.scope, self.defaults_known) for b in self.block.children(name)]
        for dynamic in self.block.dynamic(name):
            expanded = self._expand(dynamic, name)
            if expanded is None:
                return None
            found.extend(expanded)
        return found

    def block_values(self, name: str) -> list[Body] | None:
        """Like blocks(), or None when the setting is left to a registry module (not in the tree)."""
        if not self.defaults_known and not self.block.children(name) and not self.block.dynamic(name):
            return None
        return self.blocks(name)

    def collection_origin(self, name: str) -> Origin:
        """Where the set of `name` blocks is decided: a dynamic block's for_each value, else this block."""
        for dynamic in self.block.dynamic(name):
            each = Body(dynamic, self.scope).value("for_each")
            if each.known:
                return each.origin
        return self.at_block()

    def _expand(self, dynamic: Block, name: str) -> list[Body] | None:
        each = Body(dynamic, self.scope).value("for_each")
        content = dynamic.children("content")
        if not each.known or not content or not isinstance(each.data, (list, dict)):
            return None
        iterator = Body(dynamic, self.scope).value("iterator", name).data
        items = each.data.items() if isinstance(each.data, dict) else enumerate(each.data)
        bodies = []
        for key, item in items:
            if item is UNKNOWN:
                return None
            bound = Value({"key": key, "value": item}, each.origin, each.refs)
            bodies.append(Body(content[0], self.scope.with_names({str(iterator): bound})))
        return bodies


@dataclass(frozen=True)
class Resource(Body):
    """A resource (or a registry module call read as one) in one module instance."""

    instance: Instance | None = None
    type: str = ""
    label: str = ""


@dataclass(frozen=True)
class Setting:
    """A rule on one attribute: what passes, and the provider's default when it is not written."""

    rule: str
    check: str
    types: tuple[str, ...]
    attribute: str
    passes: Callable[[Any], bool | None]  # None: the value cannot be judged (not assessed)
    absent: Any
    title: str
    checkov: tuple[str, ...] = ()
    applies: Callable[[Resource], bool | None] = lambda resource: True


def observe(check: str, rule: str, resource: Resource, value: Value, passed: bool | None,
            message: str) -> Observation:
    """An observation at the place `value` was decided, naming the resource it is about."""
    origin = value.origin
    if passed is None:
        depends = ", ".join(value.refs[:3]) or "an expression"
        return Observation(check, False, origin.path, origin.line,
                           f"{resource.label}: {message}: not assessed, depends on {depends}",
                           assessed=False, rule=rule, context=context(resource))
    return Observation(check, passed, origin.path, origin.line, f"{resource.label}: {message}",
                       rule=rule, context=context(resource))


def context(resource: Resource) -> tuple[tuple[str, str], ...]:
    """Where the resource is written and, inside a module, which call in a root built it."""
    where = [("resource", f"{resource.block.path}:{resource.block.line}")]
    if resource.instance is not None and resource.instance.calls:
        call = resource.instance.calls[0]
        where.append(("module_call", f"{call.path}:{call.line}"))
    return tuple(where)


def check_setting(setting: Setting, resource: Resource) -> Observation | None:
    """One observation for a setting on a resource, or None when the setting does not apply."""
    applies = setting.applies(resource)
    if applies is False:
        return None
    value = resource.value(setting.attribute, setting.absent)
    shown = f"{setting.attribute} = {show(value.data)}" if value.known else setting.attribute
    if applies is None:
        return observe(setting.check, setting.rule, resource, unknown(value.origin, "engine"), None,
                       f"{setting.title} ({shown})")
    passed = setting.passes(value.data) if value.known else None
    if value.computed and setting.passes is non_empty:
        passed = True
        shown = f"{setting.attribute} = {value.refs[0] if value.refs else 'a resource attribute'}"
    return judged(setting.check, setting.rule, resource, value, passed, setting.title, f" ({shown})")


def judged(check: str, rule: str, resource: Resource, value: Value, passed: bool | None, title: str,
           detail: str = "") -> Observation:
    """observe() with the requirement `title` marked met or not met."""
    verdict = "" if passed is None else (": met" if passed else ": not met")
    return observe(check, rule, resource, value, passed, f"{title}{verdict}{detail}")


def show(data: Any, depth: int = 0) -> str:
    """A short rendering of a setting's value for a message (never used for secret attributes)."""
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (list, dict)) and depth > 1:
        return "[...]" if isinstance(data, list) else "{...}"
    if isinstance(data, list):
        items = ", ".join(show(item, depth + 1) for item in data[:4])
        return f"[{items}{', ...' if len(data) > 4 else ''}]"
    if isinstance(data, dict):
        return "{" + ", ".join(f"{k} = {show(v, depth + 1)}" for k, v in list(data.items())[:4]) + "}"
    if undecided(data):
        return "(unknown)"
    text = str(data) if not isinstance(data, str) else f'"{data}"'
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "..."


# --- predicates used by the rule tables ---------------------------------------------------------


def is_true(data: Any) -> bool | None:
    """true (or "true")."""
    return data is True or data == "true"


def is_false(data: Any) -> bool | None:
    """false, "false" or unset."""
    return data in (False, None, "false")


def positive(data: Any) -> bool | None:
    """A number above 0."""
    number = _number(data)
    return None if number is UNKNOWN else number is not None and number > 0


def one_of(*allowed: Any) -> Callable[[Any], bool | None]:
    """Equal to one of `allowed` (numbers compared as numbers, strings case-insensitively)."""
    def check(data: Any) -> bool | None:
        if isinstance(data, str):
            return data.lower() in {str(a).lower() for a in allowed}
        number = _number(data)
        return number in allowed if number is not UNKNOWN else None
    return check


def non_empty(data: Any) -> bool | None:
    """A non-empty string or list (a list with any item, even unknown, counts)."""
    if isinstance(data, list):
        return bool(data)
    return isinstance(data, str) and bool(data.strip())


def _number(data: Any) -> Any:
    if isinstance(data, bool) or data is None:
        return None
    if isinstance(data, (int, float)):
        return data
    if not isinstance(data, str):
        return UNKNOWN
    try:
        return float(data)
    except ValueError:
        return UNKNOWN


def engine_in(*prefixes: str) -> Callable[[Resource], bool | None]:
    """The rule applies when `engine` starts with one of `prefixes` (None when the engine is unknown)."""
    def applies(resource: Resource) -> bool | None:
        default = "aurora" if resource.type == "aws_rds_cluster" else None
        engine = resource.value("engine", default)
        if not engine.known:
            return None
        return engine.data is None or str(engine.data).lower().startswith(prefixes)
    return applies
