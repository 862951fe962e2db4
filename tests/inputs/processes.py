"""The processes a clone starts, read from /proc: their command lines, and whether each PID still lives.

A PID is compared with its start time (field 22 of /proc/PID/stat), so a PID the kernel hands to a new
process later is never mistaken for the one a test saw.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

SLOW_SSH = """#!/bin/sh
# a remote that never answers: it records its PID and its child's, then waits for ever
echo $$ >> "{pids}"
sleep 300 &
echo $! >> "{pids}"
wait
"""


@dataclass(frozen=True)
class Proc:
    """One process: its PID and its start time, which together never name another process."""

    pid: int
    start: int


def slow_ssh(directory: Path) -> Path:
    """Put a fake `ssh` in `directory` (to go first on PATH); returns the file it appends its PIDs to."""
    directory.mkdir(parents=True, exist_ok=True)
    pids = directory / "ssh.pids"
    script = directory / "ssh"
    script.write_text(SLOW_SSH.format(pids=pids), encoding="utf-8")
    script.chmod(0o755)
    return pids


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent PID, state, start time) of `pid`, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # the command name in parentheses may hold spaces
    return int(fields[1]), fields[0], int(fields[19])


def alive(process: Proc) -> bool:
    """True while that very process runs (a zombie has finished: it only waits to be reaped)."""
    stat = _stat(process.pid)
    return stat is not None and stat[2] == process.start and stat[1] != "Z"


def kill_all(processes: set[Proc] | list[Proc]) -> None:
    """Cleanup by PID: SIGKILL every one of `processes` that still runs."""
    for process in processes:
        if alive(process):
            os.kill(process.pid, signal.SIGKILL)


class ProcessWatch:
    """Samples, in a thread, every process's command line and the descendants of `roots` until stopped.

    `descendants` holds those that started after the watch began, below a root (default: this test
    process) through ancestors that started after it too: a clone's processes, never the backends a
    session PostgreSQL forks for new connections.
    """

    def __init__(self, *roots: int | None, step_s: float = 0.01) -> None:
        self.roots = {root for root in roots if root is not None} or {os.getpid()}
        self.step_s = step_s
        self.command_lines: set[bytes] = set()
        self.descendants: set[Proc] = set()
        self._before: set[Proc] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ProcessWatch:
        self._sample()
        self._before, self.descendants = self.descendants, set()
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            time.sleep(self.step_s)

    def _sample(self) -> None:
        table: dict[int, tuple[int, int]] = {}  # pid -> (parent, start)
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            stat = _stat(pid)
            if stat is None:
                continue
            table[pid] = (stat[0], stat[2])
            try:
                self.command_lines.add(Path(f"/proc/{pid}/cmdline").read_bytes())
            except (FileNotFoundError, ProcessLookupError):
                continue
        for pid, (_parent, start) in table.items():
            if self._new_descendant(Proc(pid, start), table):
                self.descendants.add(Proc(pid, start))

    def _new_descendant(self, process: Proc, table: dict[int, tuple[int, int]]) -> bool:
        for _ in range(64):
            if process in self._before:
                return False
            parent = table.get(process.pid, (0, 0))[0]
            if parent in self.roots:
                return True
            if parent not in table:
                return False
            process = Proc(parent, table[parent][1])
        return False

    def saw(self, *parts: bytes) -> bool:
        """True if some command line held every one of `parts`."""
        return any(all(part in line for part in parts) for line in self.command_lines)


def ssh_seen(watch: ProcessWatch, pids_file: Path, count: int = 2) -> bool:
    """`count` PIDs written by fake ssh processes and their children, each seen among the watch's
    descendants (so the test knows every one of them by PID and start time)."""
    written = {int(pid) for pid in pids_file.read_text().split()} if pids_file.exists() else set()
    return len(written) == count and written <= {p.pid for p in watch.descendants}
