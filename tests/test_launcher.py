"""`python launcher.py` as a user runs it: the whole platform up, behind nginx, and stopped clean."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg2
import pytest
import redis
import requests

from launcher import worker_specs
from services import scanners
from tests.servers import free_port, free_port_block, wait_until
from utils.config import Settings
from utils.errors import ConfigError
from utils.ipc_manager import JobQueue, connect
from utils.redis_keys import KEY_JOB

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def launcher_env() -> Iterator[dict[str, str]]:
    """Settings of a private platform: its own data dir and free ports for everything."""
    data_dir = Path(tempfile.mkdtemp(prefix="dg-launcher-"))
    data_dir.chmod(0o755)
    env = {**os.environ, "DG_DATA_DIR": str(data_dir), "DG_WORKER_BASE_PORT": str(free_port_block(12)),
           "DG_UI_PORT": str(free_port()), "DG_API_PORT": str(free_port()), "DG_OPS_PORT": str(free_port()),
           "DG_NGINX_PORT": str(free_port()), "DG_NGINX_LISTEN": "127.0.0.1",
           "DG_REDIS_PORT": str(free_port()), "DG_POSTGRES_PORT": str(free_port()),
           "DG_SHUTDOWN_GRACE_S": "5"}
    for key in ("DG_REDIS_URL", "DG_DATABASE_URL"):
        env.pop(key, None)
    yield env
    subprocess.run(["rm", "-rf", str(data_dir)], check=False)


def start_launcher(env: dict[str, str], *flags: str) -> subprocess.Popen[bytes]:
    log = open(Path(env["DG_DATA_DIR"]) / "launcher.out", "ab")  # noqa: SIM115
    with log:
        return subprocess.Popen([sys.executable, "launcher.py", *flags], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)


def ops(env: dict[str, str], path: str) -> requests.Response:
    return requests.get(f"http://127.0.0.1:{env['DG_OPS_PORT']}{path}", timeout=3)


def launcher_logs(env: dict[str, str]) -> str:
    """The ends of the launcher's and its children's logs, for a failure message."""
    data_dir = Path(env["DG_DATA_DIR"])
    logs = [data_dir / "launcher.out", *sorted((data_dir / "log").glob("*.log"))]
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}" for p in logs if p.is_file())


def platform_healthy(env: dict[str, str], proc: subprocess.Popen[bytes]) -> bool:
    if proc.poll() is not None:
        raise AssertionError(launcher_logs(env))
    try:
        return ops(env, "/health").status_code == 200
    except requests.RequestException:
        return False


def stop_and_check_nothing_left(proc: subprocess.Popen[bytes], env: dict[str, str] | None = None) -> None:
    if proc.poll() is not None:  # it must still run to be stopped: say how it ended, with its logs
        raise AssertionError(f"the launcher had already exited with {proc.returncode}\n"
                             + (launcher_logs(env) if env else ""))
    family = psutil.Process(proc.pid).children(recursive=True)
    assert family, "the launcher started no children"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0
    _, alive = psutil.wait_procs(family, timeout=5)
    assert alive == [], f"left behind: {[(p.pid, p.name()) for p in alive]}"


@pytest.mark.slow
def test_whole_platform_behind_nginx_then_sigterm_leaves_nothing(launcher_env: dict[str, str]) -> None:
    proc = start_launcher(launcher_env)
    try:
        wait_until(lambda: platform_healthy(launcher_env, proc), 120, step_s=0.5, what="platform /health 200")
        stats = ops(launcher_env, "/stats").json()
        names = set(stats["processes"])
        # a worker for every scanner that can run here: all ten are built, and this machine has their needs
        workers = {f"{name}-1" for name in scanners.available_scanners(customer=True)}
        assert names == {"redis", "postgres", "ui", "api", "nginx", *workers}, names
        built = ("code", "website", "ai_model", "document", "database", "image", "dpia", "soc2", "api",
                 "report")
        assert workers == {f"{name}-1" for name in built}
        assert all(p["state"] == "RUNNING" and p["rss_bytes"] > 0 for p in stats["processes"].values())
        assert all(p["backoff_s"] == 0.0 for p in stats["processes"].values())
        assert stats["persistence"]["state"] == "running" and stats["persistence"]["healthy"]
        assert ops(launcher_env, "/health").json()["persistence"] == {"state": "running", "healthy": True}
        nginx = f"http://127.0.0.1:{launcher_env['DG_NGINX_PORT']}"
        assert "streamlit" in requests.get(f"{nginx}/", timeout=5).text.lower()
        assert requests.get(f"{nginx}/health", timeout=5).json()["status"] == "ok"
        for name in workers:
            port = stats["processes"][name]["port"]
            assert requests.get(f"http://127.0.0.1:{port}/health", timeout=3).json()["status"] == "ok"
        assert (Path(launcher_env["DG_DATA_DIR"]) / "redis" / "appendonlydir").is_dir()
        assert (Path(launcher_env["DG_DATA_DIR"]) / "log" / "worker-code-1.log").is_file()
    finally:
        if proc.poll() is None:
            stop_and_check_nothing_left(proc)


@pytest.mark.slow
def test_sigterm_under_load_keeps_queued_jobs_for_the_next_start(launcher_env: dict[str, str]) -> None:
    flags = ("--no-nginx", "--no-ui", "--scanners", "diagnostic")
    proc = start_launcher(launcher_env, *flags)
    settings = Settings.from_env(launcher_env)
    try:
        wait_until(lambda: platform_healthy(launcher_env, proc), 90, step_s=0.3, what="platform up")
        queue = JobQueue(connect(settings.effective_redis_url()))
        job_ids = [queue.enqueue(queue.new_job("diagnostic", {"sleep_s": 0.05})) for _ in range(150)]
        wait_until(lambda: queue.scanner_stats("diagnostic").counters["succeeded"] >= 10, 30,
                   what="the run under way")
    finally:
        stop_and_check_nothing_left(proc, launcher_env)
    proc = start_launcher(launcher_env, *flags)  # same data dir: Redis reloads its append-only file
    try:
        wait_until(lambda: platform_healthy(launcher_env, proc), 90, step_s=0.3, what="platform up again")
        queue = JobQueue(connect(settings.effective_redis_url()))
        results = [queue.wait(job_id, 30) for job_id in job_ids]
        assert [r["job_state"] if r else None for r in results] == ["succeeded"] * 150
        client = redis.Redis.from_url(settings.effective_redis_url())
        assert all(int(client.hget(KEY_JOB.format(job_id=j), "completions") or 0) == 1 for j in job_ids)
        wait_until(lambda: ops(launcher_env, "/stats").json()["persistence"]["waiting"] == 0, 20,
                   what="results drained into PostgreSQL")
        with psycopg2.connect(settings.effective_database_url()) as conn, conn.cursor() as cur:
            cur.execute("SELECT job_id::text, count(*) FROM scans GROUP BY job_id")
            rows = dict(cur.fetchall())
        conn.close()
        assert {j: rows.get(j) for j in job_ids} == {j: 1 for j in job_ids}  # kept for good, once each
    finally:
        stop_and_check_nothing_left(proc, launcher_env)


def test_fixed_worker_ports_never_take_another_process_s_port() -> None:
    stores = {"DG_REDIS_URL": "redis://127.0.0.1:1/0", "DG_DATABASE_URL": "postgresql://127.0.0.1:1/x"}
    defaults = Settings.from_env(stores)
    ports = {spec.scanner: spec.port for spec in worker_specs(defaults, ["code", "report", "diagnostic"])}
    assert ports == {"code": 5001, "report": 5010, "diagnostic": 5012}  # 5011 is the REST API's
    clash = Settings.from_env({**stores, "DG_API_PORT": "5004"})
    with pytest.raises(ConfigError, match="document worker's port 5004 .* is also DG_API_PORT"):
        worker_specs(clash, ["code", "document"])
    extra = Settings.from_env({**stores, "DG_WORKERS": "code:3", "DG_UI_PORT": "5012"})
    extra_ports = [spec.port for spec in worker_specs(extra, ["code"])]
    assert extra_ports[0] == 5001 and 5012 not in extra_ports and 5011 not in extra_ports
