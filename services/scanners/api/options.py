"""The API scanner's request: the base URL, the document, the bounds, and the credentials apart.

Credentials (bearer token, API-key value, basic password, and the same three of a second user for the
object-level check) are secrets. A submission through the platform (services/scan_service.py) takes
them out of the request before it is queued (`split_secrets`) and puts a reference in their place
(API_CREDENTIAL_REF_FIELD); the worker runtime hands the secrets to the scan in memory
(services/inputs/credentials.py). A scan run in-process (the CLI's local mode, tests) has them in its
options. Either way they reach `Identity` objects only: never the result, a log or an error.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.inputs.credentials import supplied_secrets
from services.scanners.api.client import Identity
from utils.errors import InvalidRequestError

API_CREDENTIAL_REF_FIELD = "api_credential_ref"  # what a submission puts in a request instead of secrets
SECRET_OPTIONS = ("bearer_token", "api_key", "basic_password",
                  "other_bearer_token", "other_api_key", "other_basic_password")
MAX_SECRET_CHARS = 4096
DEFAULT_MAX_OPERATIONS = 200
MAX_OPERATIONS = 1000
DEFAULT_MAX_REQUESTS = 1000
MAX_REQUESTS = 5000
DEFAULT_RATE_PER_S = 10.0  # a polite pace for a production API; the burst check alone goes faster
MAX_RATE_PER_S = 50.0
DEFAULT_BURST = 20
MAX_BURST = 50  # a rate-limit check, never a flood
DEFAULT_TIMEOUT_S = 10.0
MAX_TIMEOUT_S = 60.0
CATEGORIES = ("pii", "special", "secret")


@dataclass(frozen=True)
class ApiOptions:
    """Validated options (see the declaration in services/scanners/__init__.py)."""

    spec: str = ""
    max_operations: int = DEFAULT_MAX_OPERATIONS
    max_requests: int = DEFAULT_MAX_REQUESTS
    rate_per_s: float = DEFAULT_RATE_PER_S
    burst: int = DEFAULT_BURST
    timeout_s: float = DEFAULT_TIMEOUT_S
    allow_unsafe: bool = False
    kinds: tuple[str, ...] = CATEGORIES
    api_key_header: str = "X-API-Key"
    basic_user: str = ""
    other_basic_user: str = ""


_INTS = {"max_operations": MAX_OPERATIONS, "max_requests": MAX_REQUESTS, "burst": MAX_BURST}
_NUMBERS = {"rate_per_s": (0.1, MAX_RATE_PER_S), "timeout_s": (0.5, MAX_TIMEOUT_S)}
_TEXTS = ("spec", "api_key_header", "basic_user", "other_basic_user")


def read_options(raw: object) -> ApiOptions:
    """ApiOptions from the request's `options` (secrets aside); InvalidRequestError names a bad one."""
    if raw is None:
        return ApiOptions()
    if not isinstance(raw, Mapping):
        raise InvalidRequestError("api: options must be an object")
    known = {f.name for f in dataclasses.fields(ApiOptions)} | set(SECRET_OPTIONS)
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        raise InvalidRequestError(f"api: unknown options: {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name in SECRET_OPTIONS:
            continue
        values[name] = _checked(name, value)
    return ApiOptions(**values)


def _checked(name: str, value: Any) -> Any:
    if name in _INTS:
        return _checked_int(name, value)
    if name in _NUMBERS:
        return _checked_number(name, value)
    if name == "allow_unsafe":
        if not isinstance(value, bool):
            raise InvalidRequestError("api: option allow_unsafe must be true or false")
        return value
    if name == "kinds":
        if not isinstance(value, list) or not value or any(v not in CATEGORIES for v in value):
            raise InvalidRequestError(f"api: option kinds may hold {', '.join(CATEGORIES)}")
        return tuple(value)
    return _checked_text(name, value)


def _checked_int(name: str, value: Any) -> int:
    lowest = 0 if name == "burst" else 1
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= _INTS[name]:
        raise InvalidRequestError(f"api: option {name} must be an integer from {lowest} to {_INTS[name]}")
    return value


def _checked_number(name: str, value: Any) -> float:
    low, high = _NUMBERS[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not low <= value <= high:
        raise InvalidRequestError(f"api: option {name} must be a number from {low} to {high}")
    return float(value)


def _checked_text(name: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_SECRET_CHARS or any(ord(c) < 0x20 for c in value):
        raise InvalidRequestError(f"api: option {name} must be a single-line string")
    if name == "api_key_header" and not value.replace("-", "").replace("_", "").isalnum():
        raise InvalidRequestError("api: option api_key_header must be a header name (letters, digits, -)")
    return value


def split_secrets(request: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The request without its secret options, and those secrets (None when it has none)."""
    options = request.get("options")
    if not isinstance(options, Mapping):
        return dict(request), None
    secrets = {k: v for k, v in options.items() if k in SECRET_OPTIONS}
    if not secrets:
        return dict(request), None
    for name, value in secrets.items():
        _secret(name, value)
    bare_options = {k: v for k, v in options.items() if k not in SECRET_OPTIONS}
    return {**request, "options": bare_options}, {k: str(v) for k, v in secrets.items()}


def _secret(name: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_SECRET_CHARS or any(ord(c) < 0x20 for c in value):
        raise InvalidRequestError(f"api: option {name} must be a single-line string of at most "
                                  f"{MAX_SECRET_CHARS} characters")
    return value


def identities(request: Mapping[str, Any], options: ApiOptions) -> tuple[Identity, Identity]:
    """The main user's and the second user's credentials: from the hand-over (a queued job) or the options."""
    ref = request.get(API_CREDENTIAL_REF_FIELD)
    if ref is not None:
        secrets = supplied_secrets(ref, API_CREDENTIAL_REF_FIELD, "the scan's options")
    else:
        raw = request.get("options")
        secrets = {k: _secret(k, v) for k, v in raw.items() if k in SECRET_OPTIONS} \
            if isinstance(raw, Mapping) else {}
    first = Identity("A", secrets.get("bearer_token", ""), secrets.get("api_key", ""), options.api_key_header,
                     options.basic_user, secrets.get("basic_password", ""))
    second = Identity("B", secrets.get("other_bearer_token", ""), secrets.get("other_api_key", ""),
                      options.api_key_header, options.other_basic_user,
                      secrets.get("other_basic_password", ""))
    return first, second
