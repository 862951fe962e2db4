"""Supervision policies driven through tick(now) with a synthetic clock and real child processes."""

from __future__ import annotations

import logging
import os
import pwd
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from services.process_manager import Probe, ProcessSpec, ProcState, Supervised
from tests.servers import wait_until
from utils.config import Settings
from utils.errors import IllegalTransitionError

FAILING = [sys.executable, "-c", "import sys; sys.exit(3)"]
SLEEPING = [sys.executable, "-c", "import time; time.sleep(60)"]


def supervised(argv: list[str]) -> Supervised:
    return Supervised(ProcessSpec("child", argv, kind="test"), Settings.from_env({}))


def exit_and_tick(child: Supervised, now: float) -> None:
    """Let the (real) child exit, then show the supervisor the exit at `now`."""
    assert child.proc is not None
    child.proc.wait(10)
    child.tick(now, None, shutting_down=False)


def test_restart_backoff_is_immediate_then_doubles_then_fatal_when_flapping() -> None:
    child = supervised(FAILING)
    child.spawn(0.0)
    child.tick(0.0, Probe(True), False)
    assert child.state == ProcState.RUNNING
    now = 0.0
    delays: list[float] = []
    shown: list[float] = []
    assert child.describe(now)["backoff_s"] == 0.0  # a first exit after a stable spell restarts at once
    while True:
        exit_and_tick(child, now)
        if child.state == ProcState.FATAL:
            break
        assert child.state == ProcState.BACKOFF
        delays.append(child.retry_at - now)
        shown.append(child.describe(now)["backoff_s"])  # /stats shows the back-off in force
        child.tick(child.retry_at - 0.001, None, False)
        assert child.state == ProcState.BACKOFF  # not a moment early
        now = child.retry_at
        child.tick(now, None, False)
        assert child.state == ProcState.STARTING
    assert delays == [0.0, 1.0, 2.0, 4.0, 8.0]
    assert shown == delays
    assert child.restarts == 5
    child.tick(now + 120, None, False)
    assert child.state == ProcState.FATAL  # no more restarts, however long we wait


def test_backoff_resets_after_a_stable_minute() -> None:
    child = supervised(SLEEPING)
    child.spawn(0.0)
    child.tick(0.1, Probe(True), False)
    child.backoff_level = 4  # as if it had been flapping before
    child.tick(61.0, Probe(True), False)
    assert child.backoff_level == 0
    child.terminate(61.0)
    assert child.proc is not None
    child.proc.wait(10)


def test_three_failed_probes_replace_a_child_but_a_redis_outage_does_not() -> None:
    child = supervised(SLEEPING)
    child.spawn(0.0)
    child.tick(0.1, Probe(True), False)
    redis_down = Probe(False, restartable=False, detail={"loop_ok": True, "redis_ok": False})
    for second in range(1, 10):
        child.tick(float(second), redis_down, False)
    assert child.state == ProcState.RUNNING
    for second in range(10, 13):
        child.tick(float(second), Probe(False), False)
    assert child.state == ProcState.STOPPING
    assert child.proc is not None and child.proc.wait(10) == -signal.SIGTERM
    child.tick(13.0, None, False)
    assert child.state == ProcState.BACKOFF and child.restarts == 1
    child.tick(13.0, None, False)
    assert child.state == ProcState.STARTING
    child.terminate(14.0)
    child.proc.wait(10)


def test_a_child_ignoring_sigterm_gets_a_second_signal_then_sigkill() -> None:
    stubborn = [sys.executable, "-c",
                "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"]
    child = supervised(stubborn)
    child.spawn(0.0)
    child.tick(0.5, Probe(True), False)
    time.sleep(0.3)  # let the child install its handler
    child.terminate(1.0, timeout_s=2.0)
    child.tick(3.5, None, True)
    assert child.proc is not None
    assert child.second_signal_sent and child.proc.poll() is None
    child.tick(10.0, None, True)
    assert child.proc.wait(10) == -signal.SIGKILL
    child.tick(10.1, None, True)
    assert child.state == ProcState.STOPPED


@pytest.mark.parametrize("state", [ProcState.RUNNING, ProcState.FATAL])
def test_spawn_is_only_legal_from_stopped_backoff_or_exited(state: ProcState) -> None:
    child = supervised(SLEEPING)
    child.state = state
    with pytest.raises(IllegalTransitionError, match=f"spawn is illegal in state {state}"):
        child.spawn(0.0)
    assert child.proc is None and child.state == state  # refused before anything started


@pytest.mark.parametrize("state", [ProcState.STOPPED, ProcState.BACKOFF, ProcState.EXITED, ProcState.FATAL])
def test_terminate_is_only_legal_from_starting_running_or_stopping(state: ProcState) -> None:
    child = supervised(SLEEPING)
    child.state = state
    with pytest.raises(IllegalTransitionError, match=f"terminate is illegal in state {state}"):
        child.terminate(0.0)
    assert child.state == state


ILLEGAL_SPAWN = """
from services.process_manager import ProcessSpec, ProcState, Supervised
from utils.config import Settings
from utils.errors import IllegalTransitionError
assert False, "this line is stripped under -O"
child = Supervised(ProcessSpec("child", ["true"], kind="test"), Settings.from_env({}))
child.state = ProcState.RUNNING
try:
    child.spawn(0.0)
except IllegalTransitionError as error:
    print("refused:", error, "; spawned:", child.proc is not None)
"""


def test_state_guards_hold_under_python_optimise() -> None:
    """`python -O` strips assert statements; the supervisor's guards must not go with them."""
    done = subprocess.run([sys.executable, "-O", "-c", ILLEGAL_SPAWN], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused: supervisor: child: spawn is illegal in state RUNNING")
    assert done.stdout.rstrip().endswith("spawned: False")


SUPERVISOR = """
import sys, time
from services.process_manager import ProcessSpec, Supervised
from utils.config import Settings
user = sys.argv[1] or None
argv = ["sleep", "60"] if user else [sys.executable, "-c", "import time; time.sleep(60)"]
spec = ProcessSpec("child", argv, kind="test", user=user, env={"ONLY": "this"})
child = Supervised(spec, Settings.from_env({}))
child.spawn(0.0)
print(child.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("user", ["", "nobody"])
def test_a_child_does_not_outlive_a_supervisor_killed_with_sigkill(user: str) -> None:
    argv = [sys.executable, "-c", SUPERVISOR, user]
    env = {**os.environ, "SECRET": "ours"}
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env) as supervisor:
        try:
            assert supervisor.stdout is not None
            child = psutil.Process(int(supervisor.stdout.readline()))
            assert child.is_running() and child.status() != psutil.STATUS_ZOMBIE
            # the pid is printed before setpriv has exec'd the command: its cmdline is empty for a moment
            wait_until(child.cmdline, 5, what="the child's command line")
            assert child.cmdline()[-1] == ("60" if user else "import time; time.sleep(60)")  # in its own pid
            if user:  # as that user, in its own group only, with nothing of our environment
                entry = pwd.getpwnam(user)
                assert child.uids().real == entry.pw_uid and set(child.gids()) == {entry.pw_gid}
                assert child.as_dict(["environ"])["environ"] == {"ONLY": "this"}
                status = Path(f"/proc/{child.pid}/status").read_text()
                assert status.split("Groups:", 1)[1].split("\n", 1)[0].strip() == ""  # no supplementary
        finally:
            supervisor.kill()  # SIGKILL: no handler of ours runs; only the kernel can stop the child
            supervisor.wait(10)
    # the kernel sends the child its stop signal (SIGTERM) as its parent dies; it is then reaped by init
    gone, alive = psutil.wait_procs([child], timeout=5)
    assert gone and not alive


def test_a_program_that_is_not_there_is_a_start_error_not_a_running_child() -> None:
    child = supervised(["/nonexistent/dataguardian-no-such-program", "--flag"])
    child.spawn(0.0)
    # with setpriv in front, the exec would fail inside a child that did start; it must fail in Popen
    assert child.proc is None and child.state == ProcState.BACKOFF


def test_an_exit_is_logged_with_the_last_line_the_child_wrote(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    argv = [sys.executable, "-c", "import sys; print('starting'); print('bind: Address already in use'); "
            "sys.exit(1)"]
    child = Supervised(ProcessSpec("child", argv, kind="test", log_path=tmp_path / "child.log"),
                       Settings.from_env({}))
    child.spawn(0.0)
    with caplog.at_level(logging.WARNING, logger="services.process_manager"):
        exit_and_tick(child, 0.0)
    assert "child exited with 1 (its log ends: bind: Address already in use)" in caplog.text
