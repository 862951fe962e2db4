"""Credentials kept apart from jobs: split off at submission, handed over in memory, deleted at the end.

Two request fields may carry credentials: a `git_url` (`user:token@`) and a `dsn` (its password); and
the API scanner's options hold secrets themselves (bearer tokens, API keys, basic passwords of one or
two users), kept apart together under one reference (`api_credential_ref`) bound to the `base_url`.
ScanService.submit (every submission from the UI, the REST API and the CLI) queues a request through
`kept_apart`: the job gets the bare field and a reference (`git_credential_ref`, `dsn_credential_ref`),
the credentials go to the CredentialStore (ciphertext in Redis, key in a 0600 file). The worker
runtime runs each scan inside `JobCredentials.provided(job)`, which resolves the reference just before
the scan, hands the credentials to the scan in memory (services/inputs/credentials.py), and deletes
them when the scan ends, whatever its outcome. A job that ends without running (cancelled
while queued, dead-lettered) has them deleted by `discard`; one that never reaches a worker leaves
them to the store's TTL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from typing import Any, NamedTuple

import redis

from services.inputs.credentials import Credentials, credentials_supplied, secrets_supplied
from services.inputs.dsn import DSN_CREDENTIAL_REF_FIELD, split_dsn_credentials
from services.inputs.git import CREDENTIAL_REF_FIELD, split_credentials
from services.scanners.api.options import API_CREDENTIAL_REF_FIELD, split_secrets
from utils.config import Settings
from utils.credential_store import CredentialStore
from utils.errors import InvalidRequestError, JobDecodeError
from utils.ipc_manager import Job

_NOTHING = nullcontext()


def credential_store(client: redis.Redis, settings: Settings) -> CredentialStore:
    """The store of this installation: the settings' key file and TTL, on `client`'s Redis."""
    return CredentialStore(client, settings.credential_key_path, settings.credential_ttl_s)


class SecretField(NamedTuple):
    """A request field that may carry credentials, the field its reference replaces them with, and how
    they are split off it."""

    name: str
    ref_field: str
    split: Callable[[str], tuple[str, Credentials | None]]


class SecretOptions(NamedTuple):
    """Options that are secrets themselves (the API scanner's tokens and passwords), the field their
    reference goes in, and the request field that binds them (the URL they may be sent to): a request
    with that field has its secret options kept apart, all under one reference."""

    bound_to: str
    ref_field: str
    split: Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, str] | None]]


SECRET_FIELDS = (SecretField("git_url", CREDENTIAL_REF_FIELD, split_credentials),
                 SecretField("dsn", DSN_CREDENTIAL_REF_FIELD, split_dsn_credentials))
SECRET_OPTIONS = (SecretOptions("base_url", API_CREDENTIAL_REF_FIELD, split_secrets),)
_REF_FIELDS = tuple((f.ref_field, f.name) for f in SECRET_FIELDS) + \
    tuple((o.ref_field, o.bound_to) for o in SECRET_OPTIONS)  # (reference field, the field binding it)
_REF_MARKERS = tuple(ref.encode() for ref, _ in _REF_FIELDS)


@contextmanager
def kept_apart(store: CredentialStore, org_id: str, request: Any) -> Iterator[Any]:
    """The request to queue, the credentials of its git_url or dsn kept in `store` (deleted again if
    queueing fails)."""
    if not isinstance(request, dict):
        yield request
        return
    for ref_field, name in _REF_FIELDS:
        if ref_field in request:
            raise InvalidRequestError(f"{ref_field} is set by the platform; put the credentials in {name} "
                                      "or the scan's options")
    queued = dict(request)
    kept: list[tuple[str, str]] = []
    try:
        for secret in SECRET_FIELDS:
            value = request.get(secret.name)
            if not isinstance(value, str):
                continue
            bare, credentials = secret.split(value)
            queued[secret.name] = bare
            if credentials is not None:
                owner = _owner(org_id, bare)
                ref = store.keep(owner, {"username": credentials.username, "password": credentials.password})
                kept.append((ref, owner))
                queued[secret.ref_field] = ref
        for options in SECRET_OPTIONS:
            queued = _options_kept(store, org_id, options, queued, kept)
        yield request if queued == request else queued
    except BaseException:
        for ref, owner in kept:
            store.discard(ref, owner)
        raise


def _options_kept(store: CredentialStore, org_id: str, options: SecretOptions, request: dict[str, Any],
                  kept: list[tuple[str, str]]) -> dict[str, Any]:
    """The request without its secret options, those kept in `store` under a reference it carries."""
    if options.bound_to not in request:
        return request
    queued, secrets = options.split(request)
    if not secrets:
        return request
    owner = _owner(org_id, request.get(options.bound_to))
    ref = store.keep(owner, secrets)
    kept.append((ref, owner))
    return {**queued, options.ref_field: ref}


class JobCredentials:
    """The worker's side: resolve a job's reference just before its scan, delete the secret at its end."""

    def __init__(self, store: CredentialStore) -> None:
        self.store = store

    def provided(self, job: Job) -> AbstractContextManager[object]:
        """Within the body the scan finds its credentials (services/inputs/credentials.supplied)."""
        held = [secret for secret in SECRET_FIELDS if job.request.get(secret.ref_field) is not None]
        options = [o for o in SECRET_OPTIONS if job.request.get(o.ref_field) is not None]
        # most jobs carry none: a shared no-op context keeps them at their cost per job (queue bench)
        return _NOTHING if not held and not options else self._resolved(job, held, options)

    @contextmanager
    def _resolved(self, job: Job, held: list[SecretField], options: list[SecretOptions]) -> Iterator[None]:
        with ExitStack() as stack:
            for secret in held:
                ref, owner = job.request[secret.ref_field], _owner(job.org_id, job.request.get(secret.name))
                stack.callback(self.store.discard, ref, owner)  # deleted at the end, however the scan ends
                stored = self.store.take(ref, owner)
                credentials = Credentials(stored.get("username", ""), stored.get("password", ""))
                stack.enter_context(credentials_supplied(ref, credentials))
            for kind in options:
                ref, owner = job.request[kind.ref_field], _owner(job.org_id, job.request.get(kind.bound_to))
                stack.callback(self.store.discard, ref, owner)
                stack.enter_context(secrets_supplied(ref, self.store.take(ref, owner)))
            yield

    def discard(self, job: Job) -> None:
        """Delete the credentials of a job that ends without running (dead-lettered, cancelled)."""
        for ref_field, name in _REF_FIELDS:
            ref = job.request.get(ref_field)
            if ref is not None:
                self.store.discard(ref, _owner(job.org_id, job.request.get(name)))

    def discard_payload(self, payload: bytes) -> None:
        """`discard` for a job the worker only has as its queue payload."""
        if not any(marker in payload for marker in _REF_MARKERS):  # most payloads: no decoding at all
            return
        try:
            self.discard(Job.from_json(payload))
        except JobDecodeError:
            return


def _owner(org_id: str | None, url: Any) -> str:
    """Whose secret it is: the organisation, and the URL it may be sent to."""
    return f"{org_id or ''}\n{url}"
