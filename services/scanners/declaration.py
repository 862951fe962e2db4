"""How a scanner declares itself: once, and everything else is derived from that declaration.

A `ScannerDeclaration` names the scanner, its label, the fields of its request and the options it
takes, which plans include it, what it needs on the machine, and where its implementation lives
(imported only by the process that runs it). From it come the UI's form (ui/components/scan_forms.py
renders fields by kind), the CLI's arguments and help (cli.py), the REST API's request validation and
OpenAPI schema (services/scan_service.py, rest_api/openapi.py), the plan checks (services/billing.py)
and the worker entry (services/scanner_processes). The registry that lists them is
services/scanners/__init__.py.

Field kinds say what a value is, not which widget shows it:
- `path`: a path on the platform's host (the UI can also offer an upload: `upload`);
- `url`, `dsn`, `text`: strings (a URL, a database connection string, free text);
- `bool`, `int` and `number` (with `minimum`/`maximum`), `choice` (one of `choices`), `list` (of
  strings), `json` (any JSON value the scanner checks itself, e.g. a baseline);
- `questionnaire`: answers to a versioned questionnaire (`source` names its loader);
- `evidence`: findings of earlier scans cited as evidence;
- `results`: scan results to report on;
- `output`: a file the scan writes (a relative one goes among the organisation's reports).
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from utils.errors import InvalidRequestError

KINDS = ("path", "url", "dsn", "text", "bool", "int", "number", "choice", "list", "json", "questionnaire",
         "evidence", "results", "output")
UPLOADS = (None, "file", "archive", "tree")  # none; any file; a zip/tar as it is; a zip/tar unpacked
MAX_TEXT_CHARS = 4096  # one field of a request; paths are bounded by PATH_MAX in services/inputs/paths.py
MAX_LIST_ITEMS = 1000
SECRET_PATTERN = "^[^\\x00-\\x1f\\x7f]*$"  # a secret field's value: one line, no control characters
SECRET_FORBIDDEN = re.compile("[\\x00-\\x1f\\x7f]")


@dataclass(frozen=True)
class Field:
    """One field of a scanner's request (or of its `options`)."""

    name: str
    kind: str
    label: str
    help: str = ""
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    upload: str | None = None  # path fields: what the UI's upload gives (see UPLOADS)
    # a credential (text): masked in forms, write-only in the API schema, read from the environment by
    # the CLI (`env:NAME`), and kept apart from the job by services/job_credentials.py
    secret: bool = False
    source: str | None = None  # questionnaire fields: "module:function" returning the questionnaire

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r}")
        if self.upload not in UPLOADS:
            raise ValueError(f"field {self.name!r}: unknown upload {self.upload!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"field {self.name!r}: a choice needs choices")

    def check(self, value: Any, where: str) -> None:
        """Refuse a value of the wrong shape with InvalidRequestError naming the field."""
        problem = _KIND_CHECKS[self.kind](self, value)
        if problem:
            raise InvalidRequestError(f"{where}{self.name}: {problem}")

    def questionnaire(self) -> dict[str, Any]:
        """The questionnaire a `questionnaire` field answers (its loader is imported now)."""
        if self.source is None:
            raise ValueError(f"field {self.name!r} names no questionnaire")
        loaded: dict[str, Any] = load_attribute(self.source)()
        return loaded


@dataclass(frozen=True)
class Requirement:
    """Something the machine must have for a scanner to run: an executable on PATH or a Python module."""

    kind: str  # "executable" | "module"
    name: str

    def missing(self) -> bool:
        """True when this machine lacks it."""
        if self.kind == "executable":
            return shutil.which(self.name) is None
        # found, not imported: the CLI's help and every availability check would otherwise load every
        # scanner's libraries (Playwright's, OpenCV's, fickling's) into a process that runs none of them
        try:
            return importlib.util.find_spec(self.name) is None
        except (ImportError, ValueError):
            return True


@dataclass(frozen=True)
class ScannerDeclaration:
    """Everything the platform knows of a scanner before importing it."""

    name: str
    label: str
    summary: str
    implementation: str | None  # "module:Class"; None: declared, not built yet ("not available yet")
    fields: tuple[Field, ...] = ()
    options: tuple[Field, ...] = ()
    one_of: tuple[str, ...] = ()  # exactly one of these fields is required (code: path, archive, git_url)
    any_of: tuple[str, ...] = ()  # at least one of these fields is required (soc2: path and/or answers)
    plans: tuple[str, ...] = ()  # plans that include it
    requires: tuple[Requirement, ...] = ()
    customer: bool = True  # False: drills and benchmarks only, never offered to an organisation
    submit_label: str = ""  # the UI's button: "Start <submit_label>"
    # the result's own section, drawn beside the findings: "module:function" names, imported only by the
    # process that draws them. view(result) is Streamlit (ui/components/views/); report_section(results,
    # kit) returns reportlab flowables for the PDF (services/reporting/sections/)
    view: str | None = None
    report_section: str | None = None

    def field(self, name: str) -> Field | None:
        """The request field called `name`, if declared."""
        return next((f for f in self.fields if f.name == name), None)

    def fields_of(self, *kinds: str) -> tuple[Field, ...]:
        """The request fields of the given kinds, in declaration order."""
        return tuple(f for f in self.fields if f.kind in kinds)

    def validate(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """The request, checked against the declaration: unknown fields, wrong shapes and missing ones
        are refused. JSON has one number type, so a whole float (4612.0) in an integer field becomes 4612.

        The shape only: whether a path exists or a URL answers is the scanner's to say, in the worker.
        """
        request = _whole_numbers(request, self.fields)
        if isinstance(request.get("options"), Mapping):
            request["options"] = _whole_numbers(request["options"], self.options)
        _known(request, {f.name for f in self.fields} | ({"options"} if self.options else set()), "")
        _no_nulls(request, "")
        for name in (f.name for f in self.fields if f.required):
            if request.get(name) in (None, "", [], {}):
                raise InvalidRequestError(f"{name} is required for the {self.name} scanner")
        self._check_groups(request)
        for field in self.fields:
            if request.get(field.name) is not None:
                field.check(request[field.name], "")
        options = request.get("options")
        if options is not None:
            if not isinstance(options, Mapping):
                raise InvalidRequestError("options must be an object")
            _known(options, {f.name for f in self.options}, "options.")
            _no_nulls(options, "options.")
            for field in self.options:
                if options.get(field.name) is not None:
                    field.check(options[field.name], "options.")
        return request

    def _check_groups(self, request: Mapping[str, Any]) -> None:
        given = [name for name in self.one_of if request.get(name) not in (None, "")]
        if self.one_of and len(given) != 1:
            raise InvalidRequestError(f"the {self.name} scanner takes exactly one of "
                                      f"{', '.join(self.one_of)}")
        if self.any_of and not any(request.get(name) not in (None, "", {}, []) for name in self.any_of):
            raise InvalidRequestError(f"the {self.name} scanner needs {' and/or '.join(self.any_of)}")

    def unavailable_because(self) -> str | None:
        """Why this scanner cannot run here (not built, a requirement missing); None when it can."""
        if self.implementation is None:
            return "not available yet"
        missing = [f"{r.kind} {r.name}" for r in self.requires if r.missing()]
        return f"not available on this machine ({', '.join(missing)} missing)" if missing else None

    def load(self) -> Any:
        """An instance of the implementation (imported now: only the process that runs it pays for it)."""
        if self.implementation is None:
            raise ValueError(f"scanner {self.name!r} has no implementation")
        return load_attribute(self.implementation)()


def _whole_numbers(values: Mapping[str, Any], fields: tuple[Field, ...]) -> dict[str, Any]:
    """A copy of `values` with every integral float of an `int` field made an int."""
    copied = dict(values)
    for field in fields:
        value = copied.get(field.name)
        if field.kind == "int" and isinstance(value, float) and value.is_integer():
            copied[field.name] = int(value)
    return copied


def _known(values: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in values if k not in allowed)
    if unknown:
        raise InvalidRequestError(f"unknown {where or 'request '}field(s): {', '.join(unknown[:10])}; "
                                  f"known: {', '.join(sorted(allowed)) or 'none'}")


def _no_nulls(values: Mapping[str, Any], where: str) -> None:
    """Refuse an explicit null: the schema we publish has none, and a field left out takes its default."""
    nulls = sorted(str(k) for k, v in values.items() if v is None)
    if nulls:
        raise InvalidRequestError(f"{where}{nulls[0]} may not be null; leave it out for its default")


def load_attribute(target: str) -> Any:
    """What `module:attribute` names, importing the module now."""
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _text(field: Field, value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if not value:  # the published schema says minLength 1: leave a field out for its default instead
        return "may not be empty; leave it out for its default"
    if len(value) > MAX_TEXT_CHARS:
        return f"must be at most {MAX_TEXT_CHARS} characters"
    if field.secret and SECRET_FORBIDDEN.search(value):  # it goes into a header line
        return "must be one line without control characters"
    return None


def _bool(field: Field, value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _int(field: Field, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be an integer"
    return _in_range(field, value)


def _number(field: Field, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "must be a finite number"
    return _in_range(field, value)


def _in_range(field: Field, value: float) -> str | None:
    low = -math.inf if field.minimum is None else field.minimum
    high = math.inf if field.maximum is None else field.maximum
    return None if low <= value <= high else f"must be between {field.minimum} and {field.maximum}"


def _choice(field: Field, value: Any) -> str | None:
    return None if value in field.choices else f"must be one of {', '.join(field.choices)}"


def _list(field: Field, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return "must be a list of strings"
    return f"has more than {MAX_LIST_ITEMS} items" if len(value) > MAX_LIST_ITEMS else None


def _object(field: Field, value: Any) -> str | None:
    return None if isinstance(value, Mapping) else "must be an object"


def _items(field: Field, value: Any) -> str | None:
    # findings handed over as evidence and results handed to a report are objects, as the schema says
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        return "must be a list of objects"
    return None


def _any(field: Field, value: Any) -> str | None:
    return None


_KIND_CHECKS: dict[str, Callable[[Field, Any], str | None]] = {
    "path": _text, "url": _text, "dsn": _text, "text": _text, "output": _text, "bool": _bool, "int": _int,
    "number": _number, "choice": _choice, "list": _list, "json": _any, "questionnaire": _object,
    "evidence": _items, "results": _items,
}
