"""Shared pieces of the SOC 2 checks: the observation record, parse errors and secret detection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from services.detection.masking import mask

# configuration keys whose literal value is a credential
SECRET_KEY = re.compile(r"(passw(or)?d|passwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key"
                        r"|credential|auth[_-]?key)", re.IGNORECASE)
# values that point at a secret instead of holding one: ${{ secrets.X }}, $VAR, ${VAR}, var.x
REFERENCE = re.compile(r"^\s*(\$\{\{.*\}\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|var\.\w+|\$\{var\.\w+\})\s*$")
# values that are expressions evaluated elsewhere: `${...}` / `{{ ... }}` / `%{...}` templates anywhere in
# the value, and Terraform references (`var.create ? null : var.password`, `local.x`, `data.y.z`)
EXPRESSION = re.compile(r"\$\{|\{\{|%\{|\$\(|(^|[\s(?:!])(var|local|module|data|each|self)\.\w")


@dataclass(frozen=True)
class Observation:
    """One piece of evidence for or against a check, at a place in a file (or the whole tree)."""

    check: str
    passed: bool
    path: str | None
    line: int | None
    message: str  # never holds a secret: literal values are masked before they get here
    assessed: bool = True  # False: the setting is an expression the tree does not decide (not a failure)
    rule: str = ""  # the rule behind it (soc2_checks/tf_databases.py ...), "" for the check as a whole
    context: tuple[tuple[str, str], ...] = ()  # e.g. (("resource", "main.tf:12"), ("module_call", ...))
    severity: str | None = None  # set when the evidence comes with its own (the code scanner's findings)
    confidence: float | None = None

    @property
    def status(self) -> str:
        """pass, fail or not_assessed."""
        if not self.assessed:
            return "not_assessed"
        return "pass" if self.passed else "fail"

    @property
    def failed(self) -> bool:
        """True for an assessed observation that did not pass."""
        return self.assessed and not self.passed


class ParseError(Exception):
    """A file could not be parsed. The message names the problem and line, never the content."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"{message} at line {line}")
        self.line = line


def is_literal_secret(key: str, value: object) -> bool:
    """True when `key` names a credential and `value` is a literal rather than a reference."""
    if not SECRET_KEY.search(str(key)) or not isinstance(value, (str, int)) or isinstance(value, bool):
        return False
    text = str(value).strip()
    return bool(text) and not REFERENCE.match(text) and not EXPRESSION.search(text)


def secret_observation(key: str, value: object, path: str, line: int | None, where: str) -> Observation:
    """A failed secrets_in_config observation with the value masked."""
    return Observation("secrets_in_config", False, path, line,
                       f"{where}: {key} holds a literal value ({mask(str(value))})")


def literal_wildcard(value: object) -> bool:
    """True for "*" or a list containing "*"."""
    items = value if isinstance(value, list) else [value]
    return any(str(item).strip() == "*" for item in items)


def mapping(value: Any) -> dict[Any, Any]:
    """`value` if it is a mapping, else an empty one: hand-written YAML puts anything anywhere."""
    return value if isinstance(value, dict) else {}


def mappings(value: Any) -> list[dict[Any, Any]]:
    """The mappings in `value` if it is a list, else none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
