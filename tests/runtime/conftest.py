"""Real worker processes under a real ProcessManager, against the session redis-server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import requests

from services.process_manager import ProcessManager, ProcState, Supervised, worker_spec
from tests.servers import RedisServer, free_port, wait_until
from utils.config import Settings

# short staleness windows so hang and crash drills finish in seconds, not minutes
FAST_SETTINGS = {
    "DG_HEARTBEAT_STALE_S": "3",
    "DG_LOOP_STALE_S": "3",
    "DG_HARD_TIMEOUT_GRACE_S": "1",
    "DG_REAPER_INTERVAL_S": "1",
    "DG_STOP_TIMEOUT_S": "3",
}


class Platform:
    """Workers started by a ProcessManager whose supervisor ticks in a background thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.manager = ProcessManager(settings)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._supervise, daemon=True)
        self._thread.start()

    def _supervise(self) -> None:
        while not self._stop.is_set():
            self.manager.tick(time.monotonic())
            time.sleep(0.05)

    def start_workers(self, scanner: str, count: int = 1) -> list[Supervised]:
        children = []
        for index in range(count):
            spec = worker_spec(self.settings, scanner, free_port(), index)
            children.append(self.manager.add(spec))
            self.manager.start(spec.name)
        for child in children:
            wait_until(lambda c=child: c.state == ProcState.RUNNING, 20, what=f"{child.spec.name} RUNNING")
        return children

    def health(self, child: Supervised) -> dict[str, Any] | None:
        """The worker's /health body when it answers 200, else None."""
        try:
            response = requests.get(f"http://127.0.0.1:{child.spec.port}/health", timeout=1)
        except requests.RequestException:
            return None
        return response.json() if response.status_code == 200 else None

    def stats(self, child: Supervised) -> dict[str, Any]:
        return requests.get(f"http://127.0.0.1:{child.spec.port}/stats", timeout=2).json()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.manager.stop(list(self.manager.children), 5)
        self.manager.close()


@pytest.fixture
def runtime_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, redis_server: RedisServer,
                redis_client: redis.Redis) -> Settings:
    """DG_* settings for this test, exported so the worker children read the same ones."""
    env = {**FAST_SETTINGS, "DG_REDIS_URL": redis_server.url, "DG_DATA_DIR": str(tmp_path / "var"),
           "DG_DATABASE_URL": "postgresql://127.0.0.1:1/unused", "DG_SCAN_ROOTS": str(tmp_path)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings.from_env(env)


@pytest.fixture
def platform(runtime_env: Settings) -> Iterator[Platform]:
    """A supervised set of workers, stopped by PID at the end of the test."""
    running = Platform(runtime_env)
    yield running
    running.close()
