"""OpenAPI 3 and Swagger 2 documents: parsed within bounds, checked, and turned into requests to send.

A document is bytes from an upload, a path in the scan roots or a URL (the scanner fetches it through
the safe client). It is refused before any work when it is larger than MAX_SPEC_BYTES, and a YAML one
when its aliases would expand past MAX_EXPANDED_NODES (the "billion laughs" document is refused after
composing its few hundred nodes, never expanded). Only local `$ref`s (`#/components/...`) are followed;
a remote one is never fetched (it would be a request to a host the user did not name) and reads as an
empty schema. openapi-spec-validator checks the document with its remote references removed; what it
objects to becomes a note, and the operations are enumerated anyway.

Each operation becomes an `Operation`: its method, path template, the URL with every path and query
parameter filled from the schema's examples, defaults, enums or types, its declared response schemas
and whether it declares security.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import yaml

from services.detection.structured.documents import nests_deeper_than
from utils.errors import InvalidRequestError, RequestTooLargeError

MAX_SPEC_BYTES = 5 * 1024 * 1024  # the largest public API documents (Stripe's, GitHub's) are under 10 MB
# nodes a YAML document may expand to through its aliases; a large real document has ~10^5
MAX_EXPANDED_NODES = 500_000
VALIDATE_MAX_PATHS = 200  # openapi-spec-validator takes ~12 ms a path here, and ~50 ms a KB of components
VALIDATE_MAX_BYTES = 128 * 1024  # ~6 s of validation at most; a larger document is read unvalidated, noted
MAX_YAML_DEPTH = 200  # real documents nest ~20 deep; past a few thousand libyaml's composer overflows
MAX_REF_DEPTH = 64  # nested $refs followed from one place; deeper is a cycle or an attack
MAX_RESOLVED_NODES = 100_000  # nodes one path item may grow to once its $refs are inlined
MAX_FILL_DEPTH = 6  # levels of a generated example body
METHODS = ("get", "head", "options", "post", "put", "patch", "delete", "trace")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ID_NAMES = re.compile(r"(^|_)(id|uuid|key|slug|number|nr)$", re.IGNORECASE)


class SpecError(InvalidRequestError):
    """The document cannot be read as OpenAPI: it names what is wrong, never quotes it at length."""


@dataclass(frozen=True)
class Operation:
    """One operation of the document, filled in and ready to send."""

    method: str  # upper case
    template: str  # the path as documented, /users/{id}
    path: str  # the path with its parameters filled, /users/1 (query string included)
    params: tuple[tuple[str, str, str], ...] = ()  # (in, name, value) as filled
    security: bool = False  # the operation (or the document) declares a security requirement
    responses: Mapping[str, Any] = field(default_factory=dict)  # status -> JSON schema (refs resolved)
    body: bytes | None = None  # for non-safe methods only, from the request body's example or schema

    @property
    def name(self) -> str:
        """`GET /users/{id}`: how findings and progress name the operation."""
        return f"{self.method} {self.template}"

    def with_value(self, name: str, value: str) -> Operation:
        """The operation with parameter `name` (path or query) given `value` instead."""
        params = tuple((where, n, value if n == name else v) for where, n, v in self.params)
        return _replace_params(self, params)


@dataclass
class Spec:
    """A parsed document: its operations, the schemes it declares and what was noticed reading it."""

    version: str
    title: str
    base_path: str
    operations: list[Operation]
    query_key_names: tuple[str, ...] = ()  # apiKey schemes sent in the query string
    notes: list[str] = field(default_factory=list)
    total_operations: int = 0


# --- parsing ----------------------------------------------------------------------------------

def parse_document(data: bytes) -> dict[str, Any]:
    """The document as a mapping; RequestTooLargeError or SpecError when it cannot be one."""
    if len(data) > MAX_SPEC_BYTES:
        raise RequestTooLargeError(f"spec is larger than {MAX_SPEC_BYTES} bytes")
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        document = json.loads(text) if text.lstrip().startswith("{") else _safe_yaml(text)
    except (ValueError, yaml.YAMLError, RecursionError) as error:
        raise SpecError(f"spec is neither JSON nor YAML ({type(error).__name__})") from None
    if not isinstance(document, dict):
        raise SpecError("spec is not an OpenAPI document (not a mapping)")
    if not isinstance(document.get("openapi") or document.get("swagger"), str):
        raise SpecError("spec is not an OpenAPI 3 or Swagger 2 document (no openapi or swagger version)")
    if not isinstance(document.get("paths"), dict):
        raise SpecError("spec has no paths")
    return document


def _safe_yaml(text: str) -> Any:
    """yaml.safe_load, after refusing a document nested deeper than MAX_YAML_DEPTH (libyaml's composer
    recurses in C: a deep enough document crashes the process instead of raising) and one whose
    aliases expand too far."""
    _check_depth(text)
    root = yaml.compose(text, Loader=_LOADER)
    if root is None:
        return None
    if _expanded_size(root) > MAX_EXPANDED_NODES:
        raise RequestTooLargeError(f"spec's YAML aliases expand past {MAX_EXPANDED_NODES} nodes "
                                   "(an alias bomb); refused")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - CSafeLoader / SafeLoader: safe_load's loader


def _check_depth(text: str) -> None:
    """SpecError past MAX_YAML_DEPTH (the structured reader's event walk: no recursion)."""
    if nests_deeper_than(text, MAX_YAML_DEPTH):
        raise SpecError(f"spec nests deeper than {MAX_YAML_DEPTH} levels; refused")


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has once every alias is expanded (shared nodes counted once each)."""
    sizes: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack, seen = [root], set()
    while stack:  # post-order without recursion: nesting depth costs no stack
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(_node_children(node))
    for node in reversed(order):
        total = 1 + sum(sizes.get(id(child), 1) for child in _node_children(node))
        sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
    return sizes[id(root)]


def _node_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


# --- validation and references ------------------------------------------------------------------

def remote_refs_removed(document: Any) -> tuple[Any, int]:
    """A copy without any `$ref` that is not local (it would be fetched), and how many were removed."""
    removed = 0

    def walk(node: Any, depth: int) -> Any:
        nonlocal removed
        if depth > 200:
            return {}
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                removed += 1
                return {}
            return {str(k): walk(v, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item, depth + 1) for item in node]
        return node

    return walk(document, 0), removed


def _for_validation(document: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The document with at most VALIDATE_MAX_PATHS paths (the validator takes ~12 ms a path: a 5 MB
    document took 4 minutes), or {} with a note when even that is larger than VALIDATE_MAX_BYTES."""
    paths = document["paths"]
    trimmed = {**document, "paths": dict(list(paths.items())[:VALIDATE_MAX_PATHS])}
    if len(paths) > VALIDATE_MAX_PATHS:
        notes.append(f"the first {VALIDATE_MAX_PATHS} of {len(paths)} paths were validated")
    if len(json.dumps(trimmed, default=str)) > VALIDATE_MAX_BYTES:
        notes.append(f"the document was not validated (over {VALIDATE_MAX_BYTES} bytes)")
        return {}
    return trimmed


def validation_note(document: dict[str, Any]) -> str | None:
    """What openapi-spec-validator objects to (its first complaint, shortened), or None."""
    if not document:
        return None
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(document)
    except OpenAPIValidationError as error:
        return f"the document does not validate as OpenAPI: {str(error.message)[:160]}"
    except (RecursionError, ValueError, KeyError, TypeError, AttributeError) as error:
        return f"the document could not be validated ({type(error).__name__})"
    return None


def resolved(node: Any, document: Mapping[str, Any]) -> Any:
    """`node` with its local `$ref`s replaced by what they point to (a cycle, a remote one, or anything
    past MAX_RESOLVED_NODES: {}), so a schema that refers to itself ends instead of growing."""
    budget = [MAX_RESOLVED_NODES]

    def walk(node: Any, depth: int) -> Any:
        budget[0] -= 1
        if depth > MAX_REF_DEPTH or budget[0] < 0:
            return {}
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return walk(_pointer(document, ref), depth + 1)
            return {k: walk(v, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item, depth + 1) for item in node]
        return node

    return walk(node, 0)


def _pointer(document: Mapping[str, Any], ref: str) -> Any:
    """What a local JSON pointer (`#/components/schemas/User`) names, or {} when it names nothing."""
    if not ref.startswith("#/"):
        return {}
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return {}
    return node


# --- operations -------------------------------------------------------------------------------

def read_spec(document: dict[str, Any], max_operations: int) -> Spec:
    """The document's operations (at most `max_operations`, safe methods first) and its notes."""
    cleaned, removed = remote_refs_removed(document)
    notes = [f"{removed} remote $ref(s) not fetched (read as empty schemas)"] if removed else []
    note = validation_note(_for_validation(cleaned, notes))
    if note:
        notes.append(note)
    swagger = "swagger" in cleaned
    everything = list(_operations(cleaned, swagger))
    everything.sort(key=lambda op: (op.method not in ("GET", "HEAD", "OPTIONS"), op.template, op.method))
    if len(everything) > max_operations:
        notes.append(f"{len(everything)} operations; the first {max_operations} were read (max_operations)")
    info = cleaned.get("info") if isinstance(cleaned.get("info"), dict) else {}
    return Spec(version=str(cleaned.get("openapi") or cleaned.get("swagger")),
                title=str(info.get("title") or "")[:200], base_path=_base_path(cleaned, swagger),
                operations=everything[:max_operations], query_key_names=_query_keys(cleaned, swagger),
                notes=notes, total_operations=len(everything))


def _base_path(document: dict[str, Any], swagger: bool) -> str:
    """The path prefix every operation lives under: Swagger's basePath, or a relative servers[0].url."""
    if swagger:
        prefix = document.get("basePath")
    else:
        servers = document.get("servers")
        first = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], dict) else {}
        url = first.get("url")
        prefix = urlsplit(url).path if isinstance(url, str) and "{" not in url else ""
    return str(prefix or "").rstrip("/")


def _query_keys(document: dict[str, Any], swagger: bool) -> tuple[str, ...]:
    schemes = document.get("securityDefinitions") if swagger else \
        (document.get("components") or {}).get("securitySchemes")
    if not isinstance(schemes, dict):
        return ()
    return tuple(str(s.get("name")) for s in schemes.values()
                 if isinstance(s, dict) and s.get("type") == "apiKey" and s.get("in") == "query")


def _operations(document: dict[str, Any], swagger: bool) -> Iterator[Operation]:
    secured = bool(document.get("security"))
    for template, item in document["paths"].items():
        if not isinstance(item, dict) or not isinstance(template, str) or not template.startswith("/"):
            continue
        item = resolved(item, document)
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield _operation(document, template, method, operation, shared, secured, swagger)


def _operation(document: dict[str, Any], template: str, method: str, operation: dict[str, Any],
               shared: list[Any], secured: bool, swagger: bool) -> Operation:
    own = _list(operation.get("parameters"))
    params = {(p.get("in"), p.get("name")): p for p in [*shared, *own] if isinstance(p, dict)}
    filled = tuple((str(where), str(name), _param_value(p, swagger)) for (where, name), p in params.items()
                   if where in ("path", "query") and isinstance(name, str)
                   and (where == "path" or p.get("required") or _has_example(p)))
    security = operation.get("security")
    draft = Operation(method=method.upper(), template=template, path=template, params=filled,
                      security=bool(security) if isinstance(security, list) else secured,
                      responses=_response_schemas(operation, swagger),
                      body=None if method in ("get", "head", "options")
                      else _body(operation, params, swagger))
    return _replace_params(draft, filled)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _replace_params(op: Operation, params: tuple[tuple[str, str, str], ...]) -> Operation:
    path = op.template
    for where, name, value in params:
        if where == "path":
            path = path.replace("{" + name + "}", quote(value, safe=""))
    query = [(name, value) for where, name, value in params if where == "query"]
    if query:
        path += "?" + urlencode(query)
    return Operation(method=op.method, template=op.template, path=path, params=params, security=op.security,
                     responses=op.responses, body=op.body)


def _has_example(param: dict[str, Any]) -> bool:
    schema = _dict(param.get("schema"))
    return any(key in param or key in schema for key in ("example", "examples", "default"))


def _param_value(param: dict[str, Any], swagger: bool) -> str:
    """A value for a path or query parameter: its example, default or first enum, else one of its type."""
    schema = param if swagger else _dict(param.get("schema"))
    example = _example(param) if "example" in param or "examples" in param else _example(schema)
    if example is None:
        example = example_of(schema, 0)
    if example is None or isinstance(example, dict | list):
        example = 1 if _ID_NAMES.search(str(param.get("name", ""))) else "test"
    if isinstance(example, bool):
        return "true" if example else "false"
    return str(example)[:200]


def _example(node: Mapping[str, Any]) -> Any:
    if "example" in node:
        return node["example"]
    examples = node.get("examples")
    if isinstance(examples, dict) and examples:
        first = next(iter(examples.values()))
        return first.get("value") if isinstance(first, dict) else first
    if isinstance(examples, list) and examples:
        return examples[0]
    return None


def example_of(schema: Any, depth: int) -> Any:
    """A value that fits `schema`: its example, default or first enum, else one built from its type."""
    if not isinstance(schema, dict) or depth > MAX_FILL_DEPTH:
        return None
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("allOf", "oneOf", "anyOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return example_of(schema[key][0], depth + 1)
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    return _typed_example(kind, schema, depth)


def _typed_example(kind: object, schema: dict[str, Any], depth: int) -> Any:
    if kind == "object" or isinstance(schema.get("properties"), dict):
        properties = _dict(schema.get("properties"))
        return {str(k): example_of(v, depth + 1) for k, v in list(properties.items())[:50]}
    if kind == "array":
        return [example_of(schema.get("items"), depth + 1)]
    if kind in ("integer", "number"):
        low = schema.get("minimum")
        return low if isinstance(low, int | float) and not isinstance(low, bool) else 1
    if kind == "boolean":
        return True
    if kind == "string":
        return {"uuid": "00000000-0000-4000-8000-000000000001", "date": "2024-01-01",
                "date-time": "2024-01-01T00:00:00Z", "email": "someone@example.com"}.get(
            str(schema.get("format")), "test")
    return None


def _body(operation: dict[str, Any], params: dict[Any, Any], swagger: bool) -> bytes | None:
    """A JSON body for a non-safe operation (sent only when the user allows such methods)."""
    if swagger:
        body = next((p for (where, _), p in params.items() if where == "body"), None)
        schema = body.get("schema") if isinstance(body, dict) else None
        value = example_of(schema, 0)
    else:
        content = (operation.get("requestBody") or {}).get("content") or {}
        media = content.get("application/json") if isinstance(content, dict) else None
        if not isinstance(media, dict):
            return None
        value = _example(media)
        value = example_of(media.get("schema"), 0) if value is None else value
    return None if value is None else json.dumps(value).encode()


def _response_schemas(operation: dict[str, Any], swagger: bool) -> dict[str, Any]:
    """status (or "default", "2XX") -> the JSON schema of its JSON body, where a response declares one."""
    responses = operation.get("responses")
    found: dict[str, Any] = {}
    if not isinstance(responses, dict):
        return found
    for status, response in responses.items():
        if not isinstance(response, dict):
            continue
        if swagger:
            schema = response.get("schema")
        else:
            content = _dict(response.get("content"))
            media = next((m for t, m in content.items() if "json" in str(t)), None)
            schema = media.get("schema") if isinstance(media, dict) else None
        if isinstance(schema, dict):
            found[str(status)] = schema
    return found


def schema_for(operation: Operation, status: int) -> Any:
    """The declared schema of a response with `status` (exact, then 2XX-style, then default), or None."""
    responses = operation.responses
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return responses[key]
    return None
