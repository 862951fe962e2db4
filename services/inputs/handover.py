"""Secrets handed to a running scan in memory: the worker's side of services/job_credentials.py.

A queued job carries a reference where its request had secrets; the worker runtime resolves the
reference just before the scan and calls `secrets_supplied(ref, secret)` around it. The scanner, which
imports nothing of Redis, asks `supplied_secret(ref, ...)` for them. A reference that was not handed
over (a request that set one itself) is refused.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

_supplied: contextvars.ContextVar[tuple[str, Mapping[str, str]] | None] = contextvars.ContextVar(
    "dg_supplied_secret", default=None)


@contextmanager
def secrets_supplied(ref: str, secret: Mapping[str, str]) -> Iterator[None]:
    """Within the body, `supplied_secret(ref)` gives `secret`."""
    token = _supplied.set((ref, dict(secret)))
    try:
        yield
    finally:
        _supplied.reset(token)


def supplied_secret(ref: object, field: str, hint: str) -> dict[str, str]:
    """The secret handed over for `ref`; InvalidRequestError (naming `field`, with `hint`) if none was."""
    from utils.errors import InvalidRequestError

    held = _supplied.get()
    if held is None or held[0] != ref:
        raise InvalidRequestError(f"{field} is set by the platform when a scan is submitted; {hint}")
    return dict(held[1])
