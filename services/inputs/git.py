"""Clone a git repository for scanning: shallow, bounded in time and size, no hooks, no SSRF.

Only https, ssh and file URLs are accepted. Remote hosts are resolved first and refused when any
address is private, loopback, link-local or reserved (a scan request must not reach the internal
network); file:// URLs must lie inside the allowed scan roots. git runs with no terminal prompt,
no credential helper, no hooks and symlinks checked out as plain files.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from services.inputs.paths import resolve_scan_path
from utils.errors import InvalidRequestError, RequestTooLargeError, UnsafeInputError

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("https", "ssh", "file")
HISTORY_DEPTH = 1000  # history mode reads this many commits back: enough for an audit, bounded
POLL_S = 0.2  # how often the clone's size is checked against max_bytes
_CREDENTIALS = re.compile(r"//[^/@\s]+@")
_SCP_LIKE = re.compile(r"^(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<path>[^/].*)$")  # git@host:org/repo.git


def shallow_clone(url: str, dest: Path, *, timeout_s: float, max_bytes: int, history: bool = False) -> Path:
    """Clone `url` into `dest` (which must not exist yet) and return the work tree."""
    source = _checked_source(url)
    command = ["git", "-c", "core.hooksPath=/dev/null", "-c", "core.symlinks=false",
               "-c", "credential.helper=", "-c", "protocol.file.allow=always",
               "-c", "protocol.ext.allow=never",
               "clone", "--quiet", "--no-tags", "--single-branch", "--template=",
               "--depth", str(HISTORY_DEPTH if history else 1), "--", source, str(dest)]
    _run_bounded(command, dest, timeout_s=timeout_s, max_bytes=max_bytes)
    return dest


def _checked_source(url: str) -> str:
    if not isinstance(url, str) or not url.strip() or url.startswith("-"):
        raise InvalidRequestError("git_url must be a non-empty URL")
    scp = _SCP_LIKE.match(url)
    if scp:
        _refuse_private_host(scp.group("host"))
        return url
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        raise InvalidRequestError(f"git_url scheme must be one of {', '.join(ALLOWED_SCHEMES)}")
    if parts.scheme == "file":
        # a local repository is a server path like any other: it must lie in the scan roots
        return "file://" + str(resolve_scan_path(parts.path))
    if not parts.hostname:
        raise InvalidRequestError("git_url has no host")
    _refuse_private_host(parts.hostname)
    return url


def _refuse_private_host(host: str) -> None:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise InvalidRequestError(f"git_url host does not resolve: {host}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            logger.warning("git: refused clone from non-public host %s (%s)", host, address)
            raise UnsafeInputError(f"git_url host is not a public address: {host}")


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="/bin/false", SSH_ASKPASS="/bin/false",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", GIT_LFS_SKIP_SMUDGE="1",
               GIT_SSH_COMMAND="ssh -o BatchMode=yes -o StrictHostKeyChecking=yes")
    return env


def _run_bounded(command: list[str], dest: Path, *, timeout_s: float, max_bytes: int) -> None:
    """Run git, killing it when it outlives `timeout_s` or `dest` grows past `max_bytes`."""
    deadline = time.monotonic() + timeout_s
    # stderr goes to a file: a pipe nobody reads while we poll could fill and stall git
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, env=_git_env(), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            while process.poll() is None:
                if time.monotonic() > deadline:
                    raise InvalidRequestError(f"git clone did not finish within {timeout_s:.0f} s")
                if _size(dest) > max_bytes:
                    raise RequestTooLargeError(f"git repository is larger than {max_bytes} bytes")
                time.sleep(POLL_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if process.returncode != 0:
            stderr.seek(0)
            raise InvalidRequestError(f"git clone failed: {_last_line(stderr.read())}")
    if _size(dest) > max_bytes:
        raise RequestTooLargeError(f"git repository is larger than {max_bytes} bytes")


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
