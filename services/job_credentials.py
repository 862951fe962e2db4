"""Git credentials kept apart from jobs: split off at submission, handed over in memory, deleted at the end.

ScanService.submit (every submission from the UI, the REST API and the CLI) queues a request whose
git_url carries credentials through `kept_apart`: the job gets the bare URL and a reference
(`git_credential_ref`), the credentials go to the CredentialStore (ciphertext in Redis, key in a
0600 file). The worker runtime runs each scan inside `JobCredentials.provided(job)`, which resolves
the reference just before the scan, hands the credentials to services/inputs/git in memory, and
deletes them when the scan ends, whatever its outcome. A job that ends without running (cancelled
while queued, dead-lettered) has them deleted by `discard`; one that never reaches a worker leaves
them to the store's TTL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import redis

from services.inputs.git import CREDENTIAL_REF_FIELD, GitCredentials, credentials_supplied, split_credentials
from utils.config import Settings
from utils.credential_store import CredentialStore
from utils.errors import InvalidRequestError, JobDecodeError
from utils.ipc_manager import Job

_NOTHING = nullcontext()


def credential_store(client: redis.Redis, settings: Settings) -> CredentialStore:
    """The store of this installation: the settings' key file and TTL, on `client`'s Redis."""
    return CredentialStore(client, settings.credential_key_path, settings.credential_ttl_s)


@contextmanager
def kept_apart(store: CredentialStore, org_id: str, request: Any) -> Iterator[Any]:
    """The request to queue, its git_url's credentials kept in `store` (deleted again if queueing fails)."""
    if not isinstance(request, dict):
        yield request
        return
    if CREDENTIAL_REF_FIELD in request:
        raise InvalidRequestError(f"{CREDENTIAL_REF_FIELD} is set by the platform; put the credentials in "
                                  "git_url")
    url = request.get("git_url")
    bare, credentials = split_credentials(url) if isinstance(url, str) else (url, None)
    if credentials is None:
        yield request if bare == url else {**request, "git_url": bare}
        return
    ref = store.keep(_owner(org_id, bare), {"username": credentials.username,
                                            "password": credentials.password})
    try:
        yield {**request, "git_url": bare, CREDENTIAL_REF_FIELD: ref}
    except BaseException:
        store.discard(ref, _owner(org_id, bare))
        raise


class JobCredentials:
    """The worker's side: resolve a job's reference just before its scan, delete the secret at its end."""

    def __init__(self, store: CredentialStore) -> None:
        self.store = store

    def provided(self, job: Job) -> AbstractContextManager[object]:
        """Within the body the scan finds its credentials (services/inputs/git.supplied_credentials)."""
        ref = job.request.get(CREDENTIAL_REF_FIELD)
        # most jobs carry none: a shared no-op context keeps them at their cost per job (queue bench)
        return _NOTHING if ref is None else self._resolved(job, ref)

    @contextmanager
    def _resolved(self, job: Job, ref: Any) -> Iterator[None]:
        owner = _owner(job.org_id, job.request.get("git_url"))
        try:
            secret = self.store.take(ref, owner)
            credentials = GitCredentials(secret.get("username", ""), secret.get("password", ""))
            with credentials_supplied(ref, credentials):
                yield
        finally:
            self.store.discard(ref, owner)

    def discard(self, job: Job) -> None:
        """Delete the credentials of a job that ends without running (dead-lettered, cancelled)."""
        ref = job.request.get(CREDENTIAL_REF_FIELD)
        if ref is not None:
            self.store.discard(ref, _owner(job.org_id, job.request.get("git_url")))

    def discard_payload(self, payload: bytes) -> None:
        """`discard` for a job the worker only has as its queue payload."""
        if CREDENTIAL_REF_FIELD.encode() not in payload:  # most payloads: no decoding at all
            return
        try:
            self.discard(Job.from_json(payload))
        except JobDecodeError:
            return


def _owner(org_id: str | None, url: Any) -> str:
    """Whose secret it is: the organisation, and the URL it may be sent to."""
    return f"{org_id or ''}\n{url}"
