"""Remote clones: the private-target setting, the per-host breaker, credentials, process groups, cancel."""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from services.inputs import git, targets
from services.inputs.git import GitCredentials, shallow_clone, split_credentials
from services.scanners import get_scanner
from services.scanners.base import LocalBreakers, install_outbound_guard, no_progress
from tests.inputs.git_server import AWS_KEY, PLANTED, GitHttpServer, make_served_repo
from tests.inputs.processes import ProcessWatch, alive, kill_all, slow_ssh, ssh_seen
from tests.servers import free_port, wait_until
from utils.config import get_settings
from utils.errors import InvalidRequestError, ScanCancelledError, TargetUnavailableError, UnsafeInputError


def _settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **extra: str) -> None:
    monkeypatch.setenv("DG_SCAN_ROOTS", str(tmp_path))
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "var"))
    for key, value in extra.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()


@pytest.fixture
def private_targets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalBreakers]:
    """Loopback targets allowed, and a fresh in-process guard: 3 failures open it for 2 s."""
    _settings(monkeypatch, tmp_path, DG_ALLOW_PRIVATE_TARGETS="1")
    guard = LocalBreakers(fail_max=3, reset_s=2.0)
    previous = install_outbound_guard(guard)
    yield guard
    install_outbound_guard(previous)
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[GitHttpServer]:
    """A bare repository with planted values behind a git HTTP server that is NOT started yet."""
    make_served_repo(tmp_path / "git")
    server = GitHttpServer(tmp_path / "git" / "served", free_port())
    yield server
    server.stop()


def _code_scan(url: str) -> dict[str, Any]:
    return get_scanner("code").scan({"git_url": url}, no_progress)


def _assert_nothing_raw(*outputs: Any) -> None:
    text = json.dumps([str(o) if isinstance(o, BaseException) else o for o in outputs])
    for value in PLANTED:
        assert value not in text


def test_default_refuses_loopback_targets_and_plain_http(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                           served: GitHttpServer) -> None:
    _settings(monkeypatch, tmp_path)
    served.start()
    assert get_settings().allow_private_targets is False
    with pytest.raises(InvalidRequestError, match="scheme"):
        shallow_clone(served.url(), tmp_path / "a", timeout_s=10, max_bytes=10**6)
    with pytest.raises(UnsafeInputError):
        shallow_clone(f"https://127.0.0.1:{served.port}/repo.git", tmp_path / "b", timeout_s=10,
                      max_bytes=10**6)
    with pytest.raises(UnsafeInputError):
        shallow_clone("git@127.0.0.1:org/repo.git", tmp_path / "c", timeout_s=10, max_bytes=10**6)
    assert not any((tmp_path / d).exists() for d in "abc")
    get_settings.cache_clear()


def test_clone_over_http_from_loopback_when_allowed(private_targets: LocalBreakers, served: GitHttpServer,
                                                    tmp_path: Path) -> None:
    served.start()
    clone = shallow_clone(served.url(), tmp_path / "clone", timeout_s=30, max_bytes=10**7)
    assert AWS_KEY in (clone / "settings.py").read_text(encoding="utf-8")


def test_git_connects_to_the_address_that_was_checked_and_never_asks_dns_again(
        private_targets: LocalBreakers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the answer checked is the answer used. The system resolver does not know the
    name at all, so git can only reach the server through the address the check resolved."""
    make_served_repo(tmp_path / "git")
    server = GitHttpServer(tmp_path / "git" / "served", free_port(), host="127.0.0.2")
    server.start()
    try:
        answers = {"repo.rebind.invalid": ("127.0.0.2",)}
        monkeypatch.setattr(targets, "resolve", lambda host: answers[host])  # the DNS answer at check time
        url = f"http://repo.rebind.invalid:{server.port}/repo.git"
        clone = shallow_clone(url, tmp_path / "clone", timeout_s=30, max_bytes=10**7)
        assert AWS_KEY in (clone / "settings.py").read_text(encoding="utf-8")
    finally:
        server.stop()


def test_a_name_with_any_private_address_is_refused_before_git_runs(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _settings(monkeypatch, tmp_path)
    monkeypatch.setattr(targets, "resolve", lambda host: ("93.184.215.14", "10.0.0.5"))
    with pytest.raises(UnsafeInputError, match="not a public address: mixed.example.com"):
        shallow_clone("https://mixed.example.com/org/repo.git", tmp_path / "a", timeout_s=10, max_bytes=10**6)
    with pytest.raises(UnsafeInputError):
        shallow_clone("git@mixed.example.com:org/repo.git", tmp_path / "b", timeout_s=10, max_bytes=10**6)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    get_settings.cache_clear()


class _Redirecting(BaseHTTPRequestHandler):
    """Sends every request on to another server, as a checked host might to an internal one."""

    target = ""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


def test_a_redirect_is_not_followed(private_targets: LocalBreakers, served: GitHttpServer,
                                    tmp_path: Path) -> None:
    served.start()
    _Redirecting.target = f"http://127.0.0.1:{served.port}"
    redirector = ThreadingHTTPServer(("127.0.0.1", free_port()), _Redirecting)
    threading.Thread(target=redirector.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{redirector.server_address[1]}/repo.git"
        with pytest.raises(InvalidRequestError, match="returned error: 302"):
            shallow_clone(url, tmp_path / "clone", timeout_s=30, max_bytes=10**7)
        assert shallow_clone(served.url(), tmp_path / "direct", timeout_s=30, max_bytes=10**7).is_dir()
    finally:
        redirector.shutdown()
        redirector.server_close()


def test_breaker_opens_on_an_unreachable_host_reports_failed_and_closes_when_it_answers(
        private_targets: LocalBreakers, served: GitHttpServer) -> None:
    url = served.url().replace("http://", "http://deploy:tok3n@")  # credentials must never be echoed
    unreachable = [_code_scan(url) for _ in range(3)]
    for result in unreachable:
        assert result["status"] == "failed" and result["summary"]["items_scanned"] == 0
        assert result["summary"]["compliance_score"] is None  # nothing read proves nothing
        assert result["summary"]["risk_level"] == "not_assessed"
        assert result["errors"][0]["target"] == "127.0.0.1"
    assert "Failed to connect" in unreachable[0]["errors"][0]["error"]
    assert "circuit breaker for 127.0.0.1 is open until" in unreachable[2]["errors"][0]["error"]
    refused = _code_scan(url)  # the breaker is open: refused at once, no clone is tried
    error = refused["errors"][0]
    assert refused["status"] == "failed" and error["error"].endswith(error["retry_at"])
    assert error["error"].startswith("circuit breaker for 127.0.0.1 is open until")
    served.start()
    recovered = wait_until(lambda: (r := _code_scan(url))["status"] == "completed" and r, 10, step_s=0.2,
                           what="the breaker to let a clone through")
    assert recovered["summary"]["items_scanned"] == 1 and recovered["errors"] == []
    assert {f["type"] for f in recovered["findings"]} >= {"secret.aws_access_key", "pii.email"}
    assert _code_scan(url)["status"] == "completed"  # closed again
    _assert_nothing_raw(unreachable, refused, recovered)
    assert "tok3n" not in json.dumps([unreachable, refused, recovered])


def test_missing_repository_is_the_requests_fault_and_never_trips_the_breaker(
        private_targets: LocalBreakers, served: GitHttpServer, tmp_path: Path) -> None:
    served.start()
    for index in range(5):
        with pytest.raises(InvalidRequestError) as info:
            shallow_clone(served.url("nothing-here.git"), tmp_path / f"d{index}", timeout_s=10,
                          max_bytes=10**6)
        assert not isinstance(info.value, TargetUnavailableError)
    assert shallow_clone(served.url(), tmp_path / "ok", timeout_s=30, max_bytes=10**7).is_dir()


def test_local_breaker_lets_one_trial_through_after_its_timeout(private_targets: LocalBreakers) -> None:
    calls: list[str] = []

    def down() -> None:
        calls.append("down")
        raise TargetUnavailableError("no answer", "h.example")

    for _ in range(2):
        with pytest.raises(TargetUnavailableError, match="no answer"):
            private_targets("h.example", down)
    with pytest.raises(TargetUnavailableError, match="circuit breaker for h.example is open until"):
        private_targets("h.example", down)  # the failure that opens it says so
    with pytest.raises(TargetUnavailableError, match="circuit breaker for h.example is open until"):
        private_targets("h.example", down)
    assert len(calls) == 3
    assert private_targets("other.example", lambda: "ok") == "ok"  # per host
    wait_until(lambda: _trial(private_targets, calls), 5, step_s=0.1, what="a trial call")
    assert private_targets("h.example", lambda: "up") == "up"


def _trial(guard: LocalBreakers, calls: list[str]) -> bool:
    try:
        guard("h.example", lambda: calls.append("trial"))
    except TargetUnavailableError:
        return False
    return calls[-1] == "trial"


# --- credentials stay out of every command line (issue 13, item 8) -----------------------------

@pytest.fixture
def password() -> str:
    """A secret no other test and no earlier run has used, so finding it anywhere is a leak."""
    return "pw-" + secrets.token_hex(12)


@pytest.fixture
def locked(tmp_path: Path, password: str) -> Iterator[GitHttpServer]:
    """The planted repository behind a server that demands deploy:<password> and answers slowly."""
    make_served_repo(tmp_path / "git")
    server = GitHttpServer(tmp_path / "git" / "served", free_port(), auth=f"deploy:{password}", delay_s=0.4)
    server.start()
    yield server
    server.stop()


def test_credentials_reach_git_through_its_environment_never_a_command_line(
        private_targets: LocalBreakers, locked: GitHttpServer, password: str, tmp_path: Path) -> None:
    """Every process's /proc/PID/cmdline (what `ps` shows) is read throughout a slow clone."""
    with_password = locked.url().replace("http://", f"http://deploy:{password}@")
    with ProcessWatch() as embedded:
        clone = shallow_clone(with_password, tmp_path / "embedded", timeout_s=30, max_bytes=10**7)
    _no_secret_in_command_lines(embedded, locked, password)
    with ProcessWatch() as supplied:
        given = shallow_clone(locked.url(), tmp_path / "given", timeout_s=30, max_bytes=10**7,
                              credentials=GitCredentials("deploy", password))
    _no_secret_in_command_lines(supplied, locked, password)
    for tree in (clone, given):
        assert AWS_KEY in (tree / "settings.py").read_text(encoding="utf-8")  # the login worked
        assert password not in (tree / ".git" / "config").read_text(encoding="utf-8")
    assert "deploy" not in repr(GitCredentials("deploy", password))


def _no_secret_in_command_lines(watch: ProcessWatch, server: GitHttpServer, password: str) -> None:
    assert watch.saw(b"clone", f"127.0.0.1:{server.port}/repo.git".encode())  # git was seen running
    assert watch.saw(b"git-remote-http")
    assert not any(password.encode() in line for line in watch.command_lines)


def test_a_refused_login_is_the_requests_fault_and_names_no_secret(
        private_targets: LocalBreakers, locked: GitHttpServer, password: str, tmp_path: Path) -> None:
    wrong = locked.url().replace("http://", f"http://deploy:{password}x@")
    for index in range(4):  # more than the breaker's threshold: a wrong password never trips it
        with pytest.raises(InvalidRequestError, match="Authentication failed") as info:
            shallow_clone(wrong, tmp_path / f"d{index}", timeout_s=30, max_bytes=10**7)
        assert not isinstance(info.value, TargetUnavailableError) and password not in str(info.value)
    with pytest.raises(InvalidRequestError, match="could not read Username"):  # none given: no prompt
        shallow_clone(locked.url(), tmp_path / "anonymous", timeout_s=30, max_bytes=10**7)


@pytest.mark.parametrize(("url", "message"), [
    ("ssh://deploy:pw-ssh-secret@127.0.0.1/repo.git", "SSH key"),
    ("ftp://deploy:pw-ftp-secret@127.0.0.1/repo.git", "only an https git_url may carry credentials"),
    ("https://deploy:pw%0Ahost=evil@127.0.0.1/repo.git", "control characters"),
])
def test_credentials_git_cannot_take_safely_are_refused_unechoed(
        private_targets: LocalBreakers, tmp_path: Path, url: str, message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message) as info:
        shallow_clone(url, tmp_path / "dest", timeout_s=5, max_bytes=10**6)
    assert "pw" not in str(info.value)


def test_split_credentials_keeps_login_names_and_takes_secrets() -> None:
    assert split_credentials("https://u:p%40ss@git.example.org:8443/o/r.git") == (
        "https://git.example.org:8443/o/r.git", GitCredentials("u", "p@ss"))
    assert split_credentials("https://ghp_token@github.com/o/r.git") == (
        "https://github.com/o/r.git", GitCredentials("ghp_token", ""))
    assert split_credentials("https://u:pa#ss@h.example/r.git") == ("https://h.example/r.git",
                                                                    GitCredentials("u", "pa#ss"))
    for kept in ("ssh://git@h.example/o/r.git", "git@h.example:o/r.git", "https://h.example/r.git"):
        assert split_credentials(kept) == (kept, None)


# --- the whole process group dies, and a cancel stops a clone (issue 13, item 9) ---------------

@pytest.fixture
def silent_remote(private_targets: LocalBreakers, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """An ssh:// URL whose `ssh` (first on PATH) starts a child and never answers; its PID file."""
    pids = slow_ssh(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    with ProcessWatch() as watch:
        yield f"ssh://127.0.0.1:{free_port()}/repo.git", pids
    kill_all(watch.descendants)  # on code that leaves them behind, the test fails but cleans up


def _clone_group_is_gone(watch: ProcessWatch, pids: Path) -> None:
    assert ssh_seen(watch, pids), "the fake ssh and its child were not seen running"
    # SIGKILL is delivered at once; orphans are reaped by init, so allow a moment before calling it a leak
    wait_until(lambda: not any(alive(p) for p in watch.descendants), 2, what="the clone's processes gone")


def test_a_clone_past_its_time_leaves_no_process_of_its_group(silent_remote: tuple[str, Path],
                                                              tmp_path: Path) -> None:
    url, pids = silent_remote
    with ProcessWatch() as watch, pytest.raises(TargetUnavailableError, match="did not finish within 2 s"):
        shallow_clone(url, tmp_path / "clone", timeout_s=2, max_bytes=10**6)
    _clone_group_is_gone(watch, pids)


def test_check_stops_a_clone_within_a_poll_and_kills_its_group(silent_remote: tuple[str, Path],
                                                               tmp_path: Path) -> None:
    url, pids = silent_remote
    cancel_at = time.monotonic() + 1.0

    def check() -> None:
        if time.monotonic() > cancel_at:
            raise ScanCancelledError("cancelled by request")

    with ProcessWatch() as watch:
        with pytest.raises(ScanCancelledError):
            shallow_clone(url, tmp_path / "clone", timeout_s=60, max_bytes=10**6, check=check)
        stopped = time.monotonic() - cancel_at
    assert stopped < 0.5, f"the clone ran on {stopped:.2f} s after its cancel"
    _clone_group_is_gone(watch, pids)


def test_kill_running_clones_leaves_no_process_of_a_clone_in_another_thread(
        silent_remote: tuple[str, Path], tmp_path: Path) -> None:
    """What a worker does before os._exit (watchdog, second stop signal): no finally will run there."""
    url, pids = silent_remote
    failures: list[BaseException] = []

    def clone() -> None:
        try:
            shallow_clone(url, tmp_path / "clone", timeout_s=60, max_bytes=10**6)
        except InvalidRequestError as error:
            failures.append(error)

    with ProcessWatch() as watch:
        thread = threading.Thread(target=clone)
        thread.start()
        wait_until(lambda: ssh_seen(watch, pids), 10, what="the fake ssh running")
        git.kill_running_clones()
        thread.join(5)
    assert not thread.is_alive() and len(failures) == 1
    _clone_group_is_gone(watch, pids)
