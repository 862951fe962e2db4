"""The few named errors of DataGuardian Pro, and what each becomes at the edge.

Every error a caller can do something about is a subclass of `DataGuardianError`. The worker loop
turns them into a failed job carrying `str(error)`; the HTTP layers turn them into JSON errors with
the status named in each docstring. Messages never contain a scanned value: they name the item.
"""


class DataGuardianError(Exception):
    """Base of every expected error. HTTP 500 / job `failed` unless a subclass says otherwise."""

    http_status = 500


class IllegalTransitionError(DataGuardianError):
    """A state machine was asked for a move its current state does not allow. A bug, never user input.

    Raised instead of `assert`, which `python -O` strips: a supervisor that spawned a child twice would
    leak the first one. The message names the machine, the move and the state it was in.
    """


class ConfigError(DataGuardianError):
    """A setting is missing or malformed; names the variable. Stops the process at start-up."""


class InvalidRequestError(DataGuardianError):
    """A scan request is malformed or names something it may not. HTTP 400 / job `failed`."""

    http_status = 400


class RequestTooLargeError(InvalidRequestError):
    """A request or upload is over its size limit. HTTP 413 / refused before it is queued."""

    http_status = 413


class UnsafeInputError(InvalidRequestError):
    """Input that would escape its sandbox: path traversal, archive bombs, private addresses (SSRF)."""


class RedirectError(InvalidRequestError):
    """A target redirects in a loop or too many times: the URL cannot be scanned as given. HTTP 400."""


class TargetUnavailableError(DataGuardianError):
    """An outbound target did not answer, or its circuit breaker is open. HTTP 503 / a scan result naming it.

    The scan is `degraded` when part of its input was behind the target, `failed` (not assessed) when
    all of it was (a code scan of one git URL).

    `target` names the host; `retry_at` (ISO-8601 UTC) is when an open breaker lets a call through again.
    """

    http_status = 503

    def __init__(self, message: str, target: str, retry_at: str | None = None) -> None:
        super().__init__(message)
        self.target = target
        self.retry_at = retry_at


class ScannerNotAvailableError(DataGuardianError):
    """No scanner is registered under the requested name. HTTP 404 / job `failed`."""

    http_status = 404


class JobDecodeError(DataGuardianError):
    """A job payload on a queue is not valid JSON of the job shape. Job `failed` (dead-lettered if no id)."""

    def __init__(self, message: str, job_id: str | None = None) -> None:
        super().__init__(message)
        self.job_id = job_id


class JobNotFoundError(DataGuardianError):
    """No job with that id exists (or its record expired). HTTP 404."""

    http_status = 404


class JobNotFinishedError(DataGuardianError):
    """The job exists but has no result yet (queued or running). HTTP 409."""

    http_status = 409


class DatabaseUnavailableError(DataGuardianError):
    """PostgreSQL is unreachable or no pooled connection came free in time. HTTP 503 / outbox.

    `retry_after_s` is when asking again makes sense (an open breaker's remaining time), sent to API
    clients as Retry-After.
    """

    http_status = 503

    def __init__(self, message: str, retry_after_s: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ScanTimeoutError(DataGuardianError):
    """A scan ran past its timeout and was stopped. Job `timed_out`."""


class ScanCancelledError(DataGuardianError):
    """A scan was cancelled while running; raised from the progress callback. Job `cancelled`."""


class ConcurrencyLimitError(DataGuardianError):
    """The organisation already runs as many of this kind of work (git clones) as it may. Job `failed`.

    Raised at once instead of waiting for a slot, so a worker is never held by another tenant's backlog;
    the message tells the user to try again when one of theirs has finished. HTTP 429 if ever raised there.
    """

    http_status = 429


class AuthenticationError(DataGuardianError):
    """A sign-in was refused. HTTP 401. The message never says which of address or password was wrong."""

    http_status = 401


class InvalidCredentialsError(AuthenticationError):
    """Unknown address, wrong password or deactivated account (deliberately indistinguishable). HTTP 401."""


class AccountLockedError(AuthenticationError):
    """Too many failed sign-ins in a row: the account refuses sign-ins until the lockout ends. HTTP 423."""

    http_status = 423


class PermissionDeniedError(DataGuardianError):
    """The signed-in user's role does not allow the action (or the target is another org's). HTTP 403."""

    http_status = 403


class QuotaExceededError(DataGuardianError):
    """The organisation used its plan's monthly scans; refused before queueing. HTTP 429."""

    http_status = 429


class ScannerNotInPlanError(DataGuardianError):
    """The organisation's plan does not include the requested scanner. HTTP 403."""

    http_status = 403


class WebhookSignatureError(DataGuardianError):
    """A Stripe webhook whose signature, timestamp or body does not verify. HTTP 400 (Stripe retries)."""

    http_status = 400
