"""Start, watch and restart the platform's processes; submit scan jobs and read their results.

Supervision follows Supervisor's state machine (STOPPED, STARTING, RUNNING, BACKOFF, STOPPING,
EXITED, FATAL), every move through one `change_state`. The loop is a tick with the clock as a
parameter, so tests drive transitions without sleeping. Policies, all from settings: restart on
exit at once the first time, then after an exponential backoff (1 s doubling to 60 s) while it keeps
exiting, reset after a stable minute; a child that
fails its health probe 3 times in a row is terminated (SIGTERM + SIGCONT, then SIGKILL) and
restarted; more than 5 restarts within 60 s marks it FATAL (flapping), with no more restarts.

Every child is started through util-linux's `setpriv --pdeathsig`, so the kernel sends it its stop
signal when the supervisor dies: a SIGKILLed launcher (or test) leaves no orphaned server behind.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import logging
import os
import shutil
import signal
import subprocess
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import requests

from services import scanners
from services.embedded_servers import run_as
from services.results import unfinished_result
from utils.config import Settings, get_settings
from utils.errors import IllegalTransitionError
from utils.ipc_manager import JobQueue, JobState, connect

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0
LAST_WORDS_BYTES = 512  # of a child's log, read when it exits: enough for its last line
SECOND_SIGNAL_WAIT_S = 3.0  # after the second SIGTERM a worker requeues its job and exits at once


class ProcState(enum.StrEnum):
    """Supervisor states of a child process."""

    STOPPED = "STOPPED"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    BACKOFF = "BACKOFF"
    STOPPING = "STOPPING"
    EXITED = "EXITED"
    FATAL = "FATAL"


@dataclass(frozen=True)
class Probe:
    """Outcome of one health probe. `restartable` False: unhealthy, but a restart would not help."""

    ok: bool
    restartable: bool = True
    detail: dict[str, Any] = field(default_factory=dict)


HealthCheck = Callable[[], Probe]


@dataclass(frozen=True)
class ProcessSpec:
    """How to run and check one supervised child."""

    name: str
    argv: list[str]
    kind: str = "worker"  # worker | redis | postgres | ui | api | nginx
    port: int | None = None
    env: dict[str, str] | None = None  # added to ours; with `user`, all the child gets
    cwd: str | None = None
    user: str | None = None  # run as this OS user, in its own group only (PostgreSQL refuses root)
    health: HealthCheck | None = None
    required: bool = True
    stop_signal: int = signal.SIGTERM
    log_path: Path | None = None
    scanner: str | None = None


@functools.cache
def _setpriv() -> str | None:
    found = shutil.which("setpriv")
    if found is None:
        log.warning("supervisor: setpriv (util-linux) not found: children outlive a killed supervisor")
    return found


def with_parent_death_signal(argv: list[str], stop_signal: int) -> list[str]:
    """`argv` run so that the child gets `stop_signal` when the process that started it dies.

    setpriv sets the parent-death signal and then executes `argv` in the same process, so the pid the
    supervisor holds is the child's own. Started from the supervisor's main thread, whose end is the
    process's end (the kernel sends the signal when the forking thread exits).
    """
    setpriv = _setpriv()
    if setpriv is None or shutil.which(argv[0]) is None:
        return list(argv)  # a program that is not there fails in Popen, as a start error
    return [setpriv, "--pdeathsig", signal.Signals(stop_signal).name, "--", *argv]


def http_health(url: str) -> HealthCheck:
    """Probe a /health URL: no answer or a dead loop is restartable; a Redis outage is not."""

    def probe() -> Probe:
        try:
            response = requests.get(url, timeout=PROBE_TIMEOUT_S)
        except requests.RequestException as error:
            return Probe(False, detail={"error": type(error).__name__})
        try:
            detail = response.json()
        except ValueError:
            detail = {"status_code": response.status_code}
        if response.status_code == 200:
            return Probe(True, detail=detail)
        # a worker whose loop is alive but whose Redis is down only needs Redis back
        restartable = not (isinstance(detail, dict) and detail.get("loop_ok") is True)
        return Probe(False, restartable, detail)

    return probe


class Supervised:
    """One child and its supervision state."""

    def __init__(self, spec: ProcessSpec, settings: Settings) -> None:
        self.spec = spec
        self.settings = settings
        self.state = ProcState.STOPPED
        self.proc: subprocess.Popen[bytes] | None = None
        self.state_since = 0.0
        self.started_at = 0.0
        self.restarts = 0
        self.restart_times: deque[float] = deque()
        self.backoff_level = 0
        self.retry_at = 0.0
        self.health_failures = 0
        self.kill_at = 0.0
        self.second_signal_sent = False
        self.last_probe: Probe | None = None
        self.last_exit: int | None = None

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    def change_state(self, new: ProcState, now: float) -> None:
        """The only place a state changes; logs every move."""
        if new != self.state:
            log.info("supervisor: %s %s -> %s (pid %s)", self.spec.name, self.state, new, self.pid)
        self.state, self.state_since = new, now

    def _require(self, move: str, legal: tuple[ProcState, ...]) -> None:
        """Refuse `move` unless the state is one of `legal` (a bug in the supervisor, never input)."""
        if self.state not in legal:
            raise IllegalTransitionError(
                f"supervisor: {self.spec.name}: {move} is illegal in state {self.state} "
                f"(legal from {', '.join(legal)})")

    # --- mutators, each legal only from the states it requires -------------------------------
    def spawn(self, now: float) -> None:
        """STOPPED/BACKOFF/EXITED -> STARTING."""
        self._require("spawn", (ProcState.STOPPED, ProcState.BACKOFF, ProcState.EXITED))
        log_file = self._open_log()
        try:
            argv = with_parent_death_signal(self.spec.argv, self.spec.stop_signal)
            self.proc = subprocess.Popen(argv, env=self._env(), cwd=self.spec.cwd, stdout=log_file,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True, **run_as(self.spec.user))
        except OSError as error:
            log.error("supervisor: %s cannot start: %s", self.spec.name, error)
            self.proc = None
            self._schedule_restart(now)
            return
        finally:
            if log_file is not subprocess.DEVNULL:
                log_file.close()  # the child keeps its own descriptor
        self.started_at, self.health_failures = now, 0
        self.change_state(ProcState.STARTING, now)

    def _env(self) -> dict[str, str]:
        if self.spec.user is not None:
            # another OS user may read its processes' environment, and ours can hold secrets
            # (DG_ADMIN_PASSWORD, STRIPE_SECRET_KEY): such a child gets only what its spec names
            return dict(self.spec.env or {})
        return {**os.environ, **(self.spec.env or {})}

    def _open_log(self) -> Any:
        if self.spec.log_path is None:
            return subprocess.DEVNULL
        self.spec.log_path.parent.mkdir(parents=True, exist_ok=True)
        return open(self.spec.log_path, "ab")  # noqa: SIM115 - closed right after Popen

    def terminate(self, now: float, timeout_s: float | None = None) -> None:
        """STARTING/RUNNING -> STOPPING: stop signal now, SIGKILL after the stop timeout."""
        self._require("terminate", (ProcState.STARTING, ProcState.RUNNING, ProcState.STOPPING))
        self._signal(self.spec.stop_signal)
        self._signal(signal.SIGCONT)  # a stopped (SIGSTOP) child must wake to see the signal
        if self.state != ProcState.STOPPING:
            self.kill_at = now + (timeout_s if timeout_s is not None else self.settings.stop_timeout_s)
            self.second_signal_sent = False
            self.change_state(ProcState.STOPPING, now)

    def _signal(self, sig: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, sig)

    # --- the tick ------------------------------------------------------------------------
    def tick(self, now: float, probe: Probe | None, shutting_down: bool) -> None:
        """Advance this child's state machine given the clock and the latest probe."""
        exited = self.proc is not None and self.proc.poll() is not None
        if self.state == ProcState.STOPPING:
            self._tick_stopping(now, exited, shutting_down)
        elif self.state in (ProcState.STARTING, ProcState.RUNNING) and exited:
            self._on_exit(now)  # RUNNING/STARTING -> EXITED -> BACKOFF
        elif self.state == ProcState.STARTING:
            self._tick_starting(now, probe)
        elif self.state == ProcState.RUNNING:
            self._tick_running(now, probe)
        elif self.state == ProcState.BACKOFF and now >= self.retry_at and not shutting_down:
            self.spawn(now)  # BACKOFF -> STARTING

    def _tick_stopping(self, now: float, exited: bool, shutting_down: bool) -> None:
        if exited:
            self.last_exit = self.proc.returncode if self.proc else None
            if shutting_down:
                self.change_state(ProcState.STOPPED, now)  # STOPPING -> STOPPED
            else:
                self._on_exit(now)  # STOPPING -> EXITED -> BACKOFF (replaced after a failed probe)
        elif now >= self.kill_at and not self.second_signal_sent:
            # workers take a second SIGTERM as "give the job back and exit now"
            self._signal(self.spec.stop_signal)
            self.second_signal_sent = True
            self.kill_at = now + SECOND_SIGNAL_WAIT_S
        elif now >= self.kill_at:
            log.warning("supervisor: %s ignored its stop signals; SIGKILL", self.spec.name)
            self._signal(signal.SIGKILL)
            self.kill_at = now + self.settings.stop_timeout_s

    def _tick_starting(self, now: float, probe: Probe | None) -> None:
        if probe is not None and probe.ok:
            self.change_state(ProcState.RUNNING, now)  # STARTING -> RUNNING
        elif now - self.started_at > self.settings.startup_timeout_s:
            log.error("supervisor: %s not healthy %.0fs after start", self.spec.name, now - self.started_at)
            self.terminate(now)  # STARTING -> STOPPING

    def _tick_running(self, now: float, probe: Probe | None) -> None:
        if now - self.started_at >= self.settings.stable_after_s:
            self.backoff_level = 0
        self.last_probe = probe or self.last_probe
        if probe is None or probe.ok or not probe.restartable:
            self.health_failures = 0 if probe is not None and probe.ok else self.health_failures
            return
        self.health_failures += 1
        if self.health_failures >= self.settings.health_failures_to_restart:
            log.error("supervisor: %s failed %d health checks in a row; replacing it",
                      self.spec.name, self.health_failures)
            self.terminate(now)  # RUNNING -> STOPPING

    def _on_exit(self, now: float) -> None:
        self.last_exit = self.proc.returncode if self.proc else None
        log.warning("supervisor: %s exited with %s%s", self.spec.name, self.last_exit, self._last_words())
        self.change_state(ProcState.EXITED, now)
        self._schedule_restart(now)

    def _last_words(self) -> str:
        """The last line the child wrote to its log, so an exit says why (a port in use, a bad config)."""
        if self.spec.log_path is None:
            return ""
        try:
            with open(self.spec.log_path, "rb") as handle:
                handle.seek(max(0, handle.seek(0, os.SEEK_END) - LAST_WORDS_BYTES))
                lines = handle.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            return ""
        return f" (its log ends: {lines[-1][-200:]})" if lines else ""

    def _schedule_restart(self, now: float) -> None:
        """EXITED -> BACKOFF, or -> FATAL when it restarted too often (flapping)."""
        while self.restart_times and now - self.restart_times[0] > self.settings.flap_window_s:
            self.restart_times.popleft()
        if len(self.restart_times) >= self.settings.flap_max_restarts:
            log.error("supervisor: %s restarted %d times within %.0fs; FATAL", self.spec.name,
                      len(self.restart_times), self.settings.flap_window_s)
            self.change_state(ProcState.FATAL, now)
            return
        self.restart_times.append(now)
        self.restarts += 1
        delay = self._restart_delay()
        self.backoff_level += 1
        self.retry_at = now + delay
        self.change_state(ProcState.BACKOFF, now)

    def _restart_delay(self) -> float:
        """0 for the first exit after a stable spell (as supervisord's autorestart), then 1, 2, 4 … 60 s.

        A healthy worker killed once (OOM killer, operator) is back at once; only a child that keeps
        dying waits longer each time, until a stable minute resets the count.
        """
        if self.backoff_level == 0:
            return 0.0
        growth = self.settings.backoff_initial_s * 2 ** (self.backoff_level - 1)
        return float(min(self.settings.backoff_max_s, growth))

    def current_backoff_s(self, now: float) -> float:
        """Seconds left before a child in BACKOFF starts again; else the delay its next exit would get."""
        if self.state == ProcState.BACKOFF:
            return round(max(0.0, self.retry_at - now), 1)
        return self._restart_delay()

    def describe(self, now: float) -> dict[str, Any]:
        """State, pid, restarts, uptime, RSS and CPU of this child."""
        info: dict[str, Any] = {
            "name": self.spec.name, "kind": self.spec.kind, "state": self.state.value, "pid": self.pid,
            "port": self.spec.port, "restarts": self.restarts, "required": self.spec.required,
            "backoff_s": self.current_backoff_s(now),
            "uptime_s": round(now - self.started_at, 1) if self.state == ProcState.RUNNING else 0.0,
            "last_exit": self.last_exit,
            "health": None if self.last_probe is None else self.last_probe.detail,
        }
        info.update(_resources(self.pid) if self.state in (ProcState.RUNNING, ProcState.STARTING) else {})
        return info


def _resources(pid: int | None) -> dict[str, Any]:
    """RSS and CPU of a process and its descendants (nginx and PostgreSQL fork workers)."""
    if pid is None:
        return {}
    try:
        root = psutil.Process(pid)
        family = [root, *root.children(recursive=True)]
        rss = sum(p.memory_info().rss for p in family)
        cpu = sum(p.cpu_times().user + p.cpu_times().system for p in family)
    except psutil.Error:
        return {}
    return {"rss_bytes": rss, "cpu_seconds": round(cpu, 2), "processes": len(family)}


class ProcessManager:
    """Supervises process specs and is the client side of the job protocol."""

    def __init__(self, settings: Settings | None = None, queue: JobQueue | None = None) -> None:
        self.settings = settings or get_settings()
        self._queue = queue
        self.children: dict[str, Supervised] = {}
        self.shutting_down = False
        self._probes: dict[str, Future[Probe]] = {}
        self._last_probe_at: dict[str, float] = {}
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="probe")

    @property
    def queue(self) -> JobQueue:
        """The job queue, connected on first use (the launcher may start Redis first)."""
        if self._queue is None:
            s = self.settings
            self._queue = JobQueue(connect(s.effective_redis_url()), result_ttl_s=s.result_ttl_s,
                                   max_request_bytes=s.max_request_bytes, max_attempts=s.max_attempts,
                                   duration_samples=s.duration_samples)
        return self._queue

    # --- jobs ----------------------------------------------------------------------------
    def submit_scan_job(self, scanner: str, data: dict[str, Any], *, org_id: str | None = None,
                        user_id: str | None = None, timeout_s: float | None = None) -> str:
        """Queue a scan and return its job id; unknown or unavailable scanners and oversize requests are
        refused (drills may name the diagnostic scanner, which organisations cannot)."""
        scanners.require_available(scanner, customer=False)  # the same refusal the API gives
        job = self.queue.new_job(scanner, data, org_id=org_id, user_id=user_id,
                                 timeout_s=timeout_s or self.settings.job_timeout_s)
        return self.queue.enqueue(job)

    def get_scan_result(self, job_id: str) -> dict[str, Any] | None:
        """None until the job has finished; then its result (failures included)."""
        return self.queue.result(job_id)

    def get_job_status(self, job_id: str) -> dict[str, str]:
        """State, attempts, percent and message of a job."""
        return self.queue.status(job_id)

    def cancel_scan_job(self, job_id: str) -> str:
        """Cancel a queued or running job; returns the state it was found in or moved to."""
        scanner = self.queue.status(job_id).get("scanner", "")
        cancelled = unfinished_result(scanner, JobState.CANCELLED.value, "cancelled before it ran")
        cancelled["job_id"] = job_id
        return self.queue.cancel(job_id, cancelled)

    # --- supervision ---------------------------------------------------------------------
    def add(self, spec: ProcessSpec) -> Supervised:
        """Register a child without starting it."""
        child = Supervised(spec, self.settings)
        self.children[spec.name] = child
        return child

    def start(self, name: str, now: float | None = None) -> None:
        """Start a registered child."""
        self.children[name].spawn(time.monotonic() if now is None else now)

    def start_scanner_process(self, scanner: str, port: int, *, index: int = 0) -> Supervised:
        """Register and start one worker process for `scanner` on `port`."""
        spec = worker_spec(self.settings, scanner, port, index)
        child = self.add(spec)
        child.spawn(time.monotonic())
        return child

    def tick(self, now: float) -> None:
        """Collect finished probes, advance every child, launch due probes."""
        # a copy: another thread may add a child (a scale-up) while this one ticks
        for name, child in list(self.children.items()):
            child.tick(now, self._collect_probe(name), self.shutting_down)
            self._maybe_probe(name, child, now)

    def _collect_probe(self, name: str) -> Probe | None:
        future = self._probes.get(name)
        if future is None or not future.done():
            return None
        del self._probes[name]
        try:
            return future.result()
        except Exception as error:  # a probe bug must not stop supervision
            return Probe(False, detail={"error": repr(error)})

    def _maybe_probe(self, name: str, child: Supervised, now: float) -> None:
        if child.state not in (ProcState.STARTING, ProcState.RUNNING) or name in self._probes:
            return
        interval = 0.2 if child.state == ProcState.STARTING else self.settings.health_interval_s
        if now - self._last_probe_at.get(name, 0.0) < interval:
            return
        self._last_probe_at[name] = now
        check = child.spec.health or (lambda: Probe(True))
        self._probes[name] = self._pool.submit(check)

    def wait_until_running(self, names: list[str], timeout_s: float,
                           abort: Callable[[], bool] = lambda: False) -> bool:
        """Tick until every named child is RUNNING (True) or one is FATAL / time runs out (False)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not abort():
            self.tick(time.monotonic())
            states = [self.children[n].state for n in names]
            if all(s == ProcState.RUNNING for s in states):
                return True
            if ProcState.FATAL in states:
                return False
            time.sleep(0.05)
        return False

    def stop(self, names: list[str], timeout_s: float) -> None:
        """Stop the named children together (stop signal, then SIGKILL), waiting up to `timeout_s`."""
        self.shutting_down = True
        now = time.monotonic()
        for name in names:
            child = self.children[name]
            if child.state in (ProcState.STARTING, ProcState.RUNNING):
                child.terminate(now, timeout_s)
            elif child.state != ProcState.STOPPING:
                child.change_state(ProcState.STOPPED, now)
        deadline = now + timeout_s + SECOND_SIGNAL_WAIT_S + self.settings.stop_timeout_s
        while any(self.children[n].state == ProcState.STOPPING for n in names):
            now = time.monotonic()
            for name in names:
                self.children[name].tick(now, None, True)
            if now > deadline:
                self._kill(names)
            time.sleep(0.05)

    def _kill(self, names: list[str]) -> None:
        for name in names:
            self.children[name]._signal(signal.SIGKILL)

    def close(self) -> None:
        """Release the probe threads."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def health_check(self) -> dict[str, Any]:
        """Overall health: ok only when every required child is RUNNING and its last probe passed."""
        now = time.monotonic()
        processes = {name: child.describe(now) for name, child in self.children.items()}
        healthy = all(
            child.state == ProcState.RUNNING and (child.last_probe is None or child.last_probe.ok)
            for child in self.children.values() if child.spec.required)
        return {"status": "ok" if healthy else "unhealthy", "processes": processes}

    def stats(self) -> dict[str, Any]:
        """Per process: state, pid, restarts, uptime, RSS, CPU; per scanner: queue and job figures."""
        now = time.monotonic()
        processes = {name: child.describe(now) for name, child in self.children.items()}
        scanners: dict[str, Any] = {}
        names = sorted({c.spec.scanner for c in self.children.values() if c.spec.scanner})
        try:
            for scanner in names or self.queue.known_scanners():
                figures = self.queue.scanner_stats(scanner)
                scanners[scanner] = {
                    "queued": figures.queued, "running": figures.running, "workers": figures.workers,
                    **figures.counters, "mean_duration_s": figures.mean_duration_s,
                    "p95_duration_s": figures.p95_duration_s}
        except Exception as error:  # Redis down: processes still reportable
            scanners = {"error": f"queue figures unavailable: {type(error).__name__}"}
        total_rss = sum(p.get("rss_bytes", 0) for p in processes.values())
        return {"processes": processes, "scanners": scanners, "total_rss_bytes": total_rss}


def worker_spec(settings: Settings, scanner: str, port: int, index: int = 0) -> ProcessSpec:
    """The spec of one scanner worker process."""
    name = f"{scanner}-{index + 1}"
    return ProcessSpec(
        name=name, kind="worker", port=port, scanner=scanner,
        argv=[_python(), "-m", "services.scanner_processes", "--scanner", scanner, "--port", str(port)],
        env=child_env(settings), cwd=str(Path(__file__).resolve().parent.parent),
        health=http_health(f"http://{settings.bind_host}:{port}/health"),
        log_path=settings.log_dir / f"worker-{name}.log")


def child_env(settings: Settings) -> dict[str, str]:
    """Environment every child gets: where Redis and PostgreSQL really are."""
    return {"DG_REDIS_URL": settings.effective_redis_url(),
            "DG_DATABASE_URL": settings.effective_database_url(),
            "DG_DATA_DIR": str(settings.data_dir), "PYTHONUNBUFFERED": "1"}


def _python() -> str:
    import sys

    return sys.executable
