"""Clone a git repository for scanning: shallow, bounded in time and size, no hooks, no SSRF.

Only https, ssh and file URLs are accepted. Remote hosts are resolved first and refused when any
address is private, loopback, link-local or reserved (a scan request must not reach the internal
network); file:// URLs must lie inside the allowed scan roots. git then connects to exactly the
addresses that were checked (curl's resolve list for https, ssh's HostName for ssh), so a DNS
answer that changes between the check and the connection (rebinding) cannot lead it inside, and
it follows no HTTP redirect, which would name a host nobody checked. git runs with no terminal prompt,
no hooks and symlinks checked out as plain files.

Credentials never reach a command line (`ps` shows every process's). A URL's `user:password@` (or
`token@`) part is split off (`split_credentials`); git is given the bare URL and one credential helper
that prints the credentials from git's own environment with shell builtins. Inside a worker the
submission already split them off: the job carries a reference (`CREDENTIAL_REF_FIELD`), and the
runtime hands the scan the credentials in memory (services/inputs/credentials.py).

git runs in a process group of its own, and the whole group (git, its remote helpers, sh, ssh) is
killed when the clone ends, overruns its time or size, or is stopped by `check` (the scan's progress
callback: a cancel or the job's deadline stops a clone within a poll). Each organisation holds at most
its share of clone slots at once (services/scanners/base.clone_slot).

A remote clone is an outbound call: it goes through the host's circuit breaker
(services/scanners/base.call_outbound). A host that does not answer (connection refused or timed
out, no DNS answer, HTTP 5xx, clone past its time limit) raises TargetUnavailableError and counts
against its breaker; once the breaker is open, clones from that host are refused at once with the
time it lets the next one through. A missing repository or a refused login is the request's fault
(InvalidRequestError) and never trips a breaker.

`DG_ALLOW_PRIVATE_TARGETS` (tests only, off by default) lifts the private-address refusal and admits
plain http, so tests can clone from a git server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shlex
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote, unquote, urlsplit

from services.inputs.credentials import Credentials, checked, supplied
from services.inputs.paths import resolve_scan_path
from services.inputs.targets import checked_addresses
from services.scanners.base import call_outbound, clone_slot
from services.scope import current_scope
from utils.config import get_settings
from utils.errors import InvalidRequestError, RequestTooLargeError, TargetUnavailableError

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("https", "ssh", "file")
HISTORY_DEPTH = 1000  # history mode reads this many commits back: enough for an audit, bounded
POLL_S = 0.2  # how often the clone's size, time and `check` (cancel, deadline) are looked at
CREDENTIAL_REF_FIELD = "git_credential_ref"  # what a submission puts in a request instead of credentials
LEASE_MARGIN_S = 30.0  # a clone slot whose worker died lapses this long after the clone's time limit
_USER_ENV, _PASSWORD_ENV = "DATAGUARDIAN_GIT_USER", "DATAGUARDIAN_GIT_PASSWORD"
# answers git's `get` from its environment; printf and test are sh builtins, so the values are in no argv
_CREDENTIAL_HELPER = ('!f() { test "$1" = get && printf \'username=%s\\npassword=%s\\n\' '
                      f'"${_USER_ENV}" "${_PASSWORD_ENV}"; }}; f')
_CREDENTIALS = re.compile(r"//[^/@\s]+@")
_SCP_LIKE = re.compile(r"^(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<path>[^/].*)$")  # git@host:org/repo.git
# git's (curl's, ssh's) words for a host that did not answer, as opposed to one that said no
_UNREACHABLE = re.compile(
    r"Failed to connect|Could not connect|Couldn't connect|Could not resolve host|Could not resolve hostname"
    r"|Connection refused|Connection timed out|Connection reset|Operation timed out|Empty reply from server"
    r"|returned error: 5\d\d|Network is unreachable|No route to host", re.IGNORECASE)


GitCredentials = Credentials  # the name the git callers and tests know


@dataclass(frozen=True)
class _Source:
    """What git is handed: the URL, the remote host (None for file://) and how it must reach it."""

    url: str
    host: str | None = None
    config: tuple[str, ...] = ()  # extra `-c` settings: the pinned addresses of an http(s) host
    ssh_options: tuple[str, ...] = ()  # extra ssh options: the pinned address of an ssh host


def shallow_clone(url: str, dest: Path, *, timeout_s: float, max_bytes: int, history: bool = False,
                  credentials: GitCredentials | None = None, check: Callable[[], object] = lambda: None
                  ) -> Path:
    """Clone `url` into `dest` (which must not exist yet) and return the work tree.

    Credentials, given or in the URL, reach git through its environment only. `check` runs every
    POLL_S while git works; whatever it raises (a cancelled or overdue scan) stops the clone.
    """
    url, embedded = split_credentials(url)
    if credentials is not None and embedded is not None:
        raise InvalidRequestError("git_url carries credentials and others were supplied: give them once")
    credentials = credentials or embedded
    if credentials is not None and urlsplit(url).scheme not in ("https", "http"):
        raise InvalidRequestError("only an https git_url may carry credentials")
    source = _checked_source(url)
    helper = ("-c", "credential.helper=" + _CREDENTIAL_HELPER) if credentials is not None else ()
    command = ["git", "-c", "core.hooksPath=/dev/null", "-c", "core.symlinks=false",
               "-c", "credential.helper=", *helper, "-c", "protocol.file.allow=always",
               "-c", "protocol.ext.allow=never", "-c", "http.followRedirects=false",
               *(arg for setting in source.config for arg in ("-c", setting)),
               "clone", "--quiet", "--no-tags", "--single-branch", "--template=",
               "--depth", str(HISTORY_DEPTH if history else 1), "--", source.url, str(dest)]
    run = functools.partial(_run_bounded, command, _git_env(source.ssh_options, credentials), dest,
                            timeout_s=timeout_s, max_bytes=max_bytes, check=check, host=source.host)
    with clone_slot(current_scope().org_id, timeout_s + LEASE_MARGIN_S):
        if source.host is None:  # a local file:// repository: no target host, no breaker
            run()
        else:
            call_outbound(source.host, run)
    return dest


def split_credentials(url: str) -> tuple[str, GitCredentials | None]:
    """The URL without its `user:password@` (or `token@`) part, and those credentials (None if none).

    An ssh URL's bare user (`ssh://git@host/…`, `git@host:org/repo`) is a login name, not a secret, and
    stays; an ssh password is refused (ssh clones authenticate with the worker's key, BatchMode).
    """
    if not isinstance(url, str) or _SCP_LIKE.match(url):
        return url, None
    scheme, sep, rest = url.partition("://")
    # the authority ends at the first "/", even when an unencoded "#" or "?" sits in a password
    authority, slash, path = rest.partition("/")
    if not sep or "@" not in authority:
        return url, None
    userinfo, _, host = authority.rpartition("@")
    if scheme.lower() == "ssh":
        if ":" not in userinfo:
            return url, None
        raise InvalidRequestError("an ssh git_url authenticates with the worker's SSH key: "
                                  "remove the password")
    if scheme.lower() not in ("https", "http"):
        raise InvalidRequestError("only an https git_url may carry credentials")
    bare = f"{scheme}://{host}{slash}{path}"
    if not userinfo:
        return bare, None
    user, _, password = userinfo.partition(":")
    return bare, _checked_credentials(GitCredentials(unquote(user), unquote(password)))


def _checked_credentials(credentials: GitCredentials) -> GitCredentials:
    return checked(credentials, "git_url")


def supplied_credentials(ref: object) -> GitCredentials:
    """The credentials handed over for the request's reference; InvalidRequestError if none were."""
    return supplied(ref, CREDENTIAL_REF_FIELD, "git_url")


def _checked_source(url: str) -> _Source:
    """The checked source; remote hosts resolved, refused when private, and pinned to what was checked."""
    if not isinstance(url, str) or not url.strip() or url.startswith("-"):
        raise InvalidRequestError("git_url must be a non-empty URL")
    scp = _SCP_LIKE.match(url)
    if scp:
        host = scp.group("host")
        return _Source(url, host, ssh_options=_ssh_pin(host, checked_addresses(host, "git_url")))
    parts = urlsplit(url)
    if parts.scheme not in _allowed_schemes():
        raise InvalidRequestError(f"git_url scheme must be one of {', '.join(ALLOWED_SCHEMES)}")
    if parts.scheme == "file":
        # a local repository is a server path like any other: it must lie in the scan roots. git
        # percent-decodes file:// URLs (%2e%2e is ..), so the decoded path is what is checked, and git
        # is handed the checked path encoded again
        local = resolve_scan_path(unquote(parts.path))
        return _Source("file://" + quote(str(local)))
    host = parts.hostname
    if not host:
        raise InvalidRequestError("git_url has no host")
    addresses = checked_addresses(host, "git_url")
    if parts.scheme == "ssh":
        return _Source(url, host, ssh_options=_ssh_pin(host, addresses))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidRequestError("git_url has an invalid port") from None
    return _Source(url, host, config=_curl_pin(host, port, addresses))


def _allowed_schemes() -> tuple[str, ...]:
    # plain http only for test servers on loopback, which have no certificate
    return (*ALLOWED_SCHEMES, "http") if get_settings().allow_private_targets else ALLOWED_SCHEMES


def _curl_pin(host: str, port: int, addresses: tuple[str, ...]) -> tuple[str, ...]:
    """git's http.curloptResolve entry: curl connects to these addresses and never asks DNS itself."""
    listed = ",".join(f"[{a}]" if ":" in a else a for a in addresses)
    return (f"http.curloptResolve={host}:{port}:{listed}",)


def _ssh_pin(host: str, addresses: tuple[str, ...]) -> tuple[str, ...]:
    """ssh connects to the checked address; the host key is still looked up under the host's name."""
    return ("-o", f"HostName={addresses[0]}", "-o", f"HostKeyAlias={host}")


def _git_env(ssh_options: tuple[str, ...] = (), credentials: GitCredentials | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    ssh = shlex.join(["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", *ssh_options])
    env.update(GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="/bin/false", SSH_ASKPASS="/bin/false",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", GIT_LFS_SKIP_SMUDGE="1",
               GIT_SSH_COMMAND=ssh)
    if credentials is not None:  # read by _CREDENTIAL_HELPER; an environment is private to its user
        env.update({_USER_ENV: credentials.username, _PASSWORD_ENV: credentials.password})
    return env


def _run_bounded(command: list[str], env: dict[str, str], dest: Path, *, timeout_s: float, max_bytes: int,
                 check: Callable[[], object], host: str | None = None) -> None:
    """Run git until it ends, outlives `timeout_s`, grows `dest` past `max_bytes` or `check` raises."""
    deadline = time.monotonic() + timeout_s
    # stderr goes to a file: a pipe nobody reads while we poll could fill and stall git
    with tempfile.TemporaryFile() as stderr:
        # a session of its own: git's helpers, sh and ssh share its group, and die with it
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=stderr, start_new_session=True)
        with _process_group(process):
            while not _exited(process.pid):
                check()
                if time.monotonic() > deadline:
                    _raise_failure(f"git clone did not finish within {timeout_s:.0f} s", host,
                                   unreachable=True)
                if _size(dest) > max_bytes:
                    raise RequestTooLargeError(f"git repository is larger than {max_bytes} bytes")
                time.sleep(POLL_S)
        if process.returncode != 0:
            stderr.seek(0)
            line = _last_line(stderr.read())
            _raise_failure(f"git clone failed: {line}", host, unreachable=bool(_UNREACHABLE.search(line)))
    if _size(dest) > max_bytes:
        raise RequestTooLargeError(f"git repository is larger than {max_bytes} bytes")


# process groups of the clones running in this process, for a worker that must exit mid-clone
_groups: set[int] = set()
_groups_lock = threading.Lock()


@contextmanager
def _process_group(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """Whatever ends the body, SIGKILL git's whole group, then reap git."""
    with _groups_lock:
        _groups.add(process.pid)
    try:
        yield
    finally:
        # killed before git is reaped: until then no other process can be given its id as a group id
        _kill_group(process.pid)
        with _groups_lock:
            _groups.discard(process.pid)
        process.wait()


def _exited(pid: int) -> bool:
    """True once git has exited; left unreaped (WNOWAIT) so its group can still be killed safely."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:  # reaped by someone else already
        return True


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # every member has exited already
        os.killpg(pgid, signal.SIGKILL)


def kill_running_clones() -> None:
    """SIGKILL the process group of every clone this process runs (a worker about to exit leaves none)."""
    with _groups_lock:
        groups = list(_groups)
    for pgid in groups:
        _kill_group(pgid)


def _raise_failure(message: str, host: str | None, *, unreachable: bool) -> NoReturn:
    """TargetUnavailableError when a remote host did not answer (it counts against its breaker)."""
    if host is not None and unreachable:
        logger.warning("git: host %s did not answer", host)
        raise TargetUnavailableError(message, host)
    raise InvalidRequestError(message)


def _last_line(raw: bytes) -> str:
    """git's last stderr line with any user:password@ credentials in URLs cut out."""
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    return _CREDENTIALS.sub("//***@", lines[-1]) if lines else "no output"


def _size(root: Path) -> int:
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total
