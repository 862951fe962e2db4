"""Credentials a request carries inside one of its fields (a git URL's `user:token@`, a DSN's password),
or as options of their own (the API scanner's tokens: `secrets_supplied`).

At submission they are split off the field and kept apart from the job (services/job_credentials.py:
ciphertext in Redis under a reference); the job carries the bare field and the reference. In the worker
the runtime resolves the reference just before the scan and hands the credentials over here, in memory:
the scan asks `supplied(ref, field)` for them. This module is the hand-over only; it stores nothing.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType

from utils.errors import InvalidRequestError

MAX_CREDENTIAL_CHARS = 4096  # a token or password; bounded, as it travels in an environment or a packet


@dataclass(frozen=True)
class Credentials:
    """A user name (or token) and password; in memory only, never in a repr."""

    username: str = field(repr=False)
    password: str = field(default="", repr=False)


def checked(credentials: Credentials, what: str) -> Credentials:
    """The credentials, refused when too long or holding control characters (which forge protocol lines)."""
    for value in (credentials.username, credentials.password):
        if len(value) > MAX_CREDENTIAL_CHARS:
            raise InvalidRequestError(f"{what} credentials are over {MAX_CREDENTIAL_CHARS} characters")
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise InvalidRequestError(f"{what} credentials must not contain control characters")
    return credentials


# a mapping that is never mutated (each hand-over sets a new one), so one shared empty default is safe
_supplied: contextvars.ContextVar[Mapping[str, Credentials]] = contextvars.ContextVar(
    "dg_credentials", default=MappingProxyType({}))


@contextmanager
def credentials_supplied(ref: str, credentials: Credentials) -> Iterator[None]:
    """Within the body, `supplied(ref, …)` gives `credentials` (the worker runtime's hand-over)."""
    token = _supplied.set({**_supplied.get(), ref: credentials})
    try:
        yield
    finally:
        _supplied.reset(token)


def supplied(ref: object, ref_field: str, field_name: str) -> Credentials:
    """The credentials handed over for `ref`; InvalidRequestError when none were (a forged reference)."""
    found = _supplied.get().get(ref) if isinstance(ref, str) else None
    if found is None:
        raise InvalidRequestError(f"{ref_field} is set by the platform when a scan is submitted; "
                                  f"put the credentials in {field_name}")
    return found


# secrets that are not a user name and password (the API scanner's tokens, keys and passwords of two
# users), handed over as one mapping per reference
_supplied_secrets: contextvars.ContextVar[Mapping[str, Mapping[str, str]]] = contextvars.ContextVar(
    "dg_secrets", default=MappingProxyType({}))


@contextmanager
def secrets_supplied(ref: str, secrets: Mapping[str, str]) -> Iterator[None]:
    """Within the body, `supplied_secrets(ref, …)` gives `secrets` (the worker runtime's hand-over)."""
    token = _supplied_secrets.set({**_supplied_secrets.get(), ref: MappingProxyType(dict(secrets))})
    try:
        yield
    finally:
        _supplied_secrets.reset(token)


def supplied_secrets(ref: object, ref_field: str, where: str) -> dict[str, str]:
    """The secrets handed over for `ref`; InvalidRequestError when none were (a forged reference)."""
    found = _supplied_secrets.get().get(ref) if isinstance(ref, str) else None
    if found is None:
        raise InvalidRequestError(f"{ref_field} is set by the platform when a scan is submitted; "
                                  f"put the credentials in {where}")
    return dict(found)
