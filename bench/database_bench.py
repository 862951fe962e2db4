"""Figures for the database layer and the circuit breakers (run: python -m bench.database_bench).

Starts its own PostgreSQL and Redis in a temporary directory and prints each figure beside its baseline:
- a transaction through the pool vs connecting afresh for each one;
- save_scan_result of a 1,000-finding result (execute_values) vs one INSERT per finding (executemany);
- migrating an empty database, and the no-op migrate every later process start pays;
- a call through a Redis-shared breaker (and one whose Redis is down) vs an in-process breaker
  vs a bare call.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg2
import pybreaker

from services.results import Finding, Severity, build_result, utc_now_iso
from tests.servers import PostgresServer, RedisServer, free_port
from utils import database_manager as dbm
from utils.circuit_breaker import BreakerPolicy, BreakerRegistry, breaker_redis_client
from utils.repositories import scans


def _per_call(work: Callable[[], Any], repeat: int) -> float:
    """Mean seconds per call of `work` over `repeat` calls."""
    started = time.perf_counter()
    for _ in range(repeat):
        work()
    return (time.perf_counter() - started) / repeat


def bench_pool(url: str, repeat: int) -> dict[str, Any]:
    """Pooled transaction vs a new connection per transaction."""
    db = dbm.Database(url, minconn=1, maxconn=4)

    def pooled() -> None:
        with db.transaction() as cur:
            cur.execute("SELECT 1")

    def fresh() -> None:
        conn = psycopg2.connect(url)
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        conn.commit()
        conn.close()

    figures = {"pooled_ms": _per_call(pooled, repeat) * 1000, "baseline_connect_each_ms":
               _per_call(fresh, max(1, repeat // 10)) * 1000}
    db.close()
    return figures


def _result(job_id: str, findings: int) -> dict[str, Any]:
    rows = [Finding("pii.email", "pii", Severity.LOW, 0.9, {"path": f"f{i}.txt", "line": i},
                    "j***@example.nl", ("Art. 6",), "Minimise", fingerprint=f"fp{i}")
            for i in range(findings)]
    result = build_result("code", rows, started_at=utc_now_iso())
    return {**result, "job_id": job_id, "job_state": "succeeded"}


def bench_save(url: str, findings: int, repeat: int) -> dict[str, Any]:
    """save_scan_result vs inserting the same findings one statement each."""
    db = dbm.Database(url, minconn=1, maxconn=2)

    result = _result(str(uuid.uuid4()), findings)  # built once: only the writing is measured

    def new_job() -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), "scanner": "code", "created_at": time.time()}

    def save() -> None:
        scans.save_scan_result(new_job(), result, db=db)

    def naive() -> None:
        job = new_job()
        with db.transaction() as cur:
            cur.execute(f"INSERT INTO scans ({scans.SCAN_COLUMNS}) VALUES %s RETURNING id",
                        (scans._scan_row(job, result),))
            scan_id = cur.fetchone()["id"]
            cur.executemany(f"INSERT INTO findings ({scans.FINDING_COLUMNS}) VALUES "
                            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                            scans._finding_rows(scan_id, result["findings"]))

    figures = {"findings": findings, "save_ms": _per_call(save, repeat) * 1000,
               "baseline_executemany_ms": _per_call(naive, repeat) * 1000}
    db.close()
    return figures


def bench_migrate(url: str) -> dict[str, Any]:
    """First migration of an empty schema, then the no-op run of every later start."""
    db = dbm.Database(url, minconn=1, maxconn=1)
    with db.transaction() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    first = _per_call(lambda: dbm.migrate(db), 1)
    again = _per_call(lambda: dbm.migrate(db), 20)
    db.close()
    return {"first_ms": first * 1000, "noop_ms": again * 1000}


def bench_breaker(redis_url: str, repeat: int) -> dict[str, Any]:
    """Overhead of a call through a Redis-shared breaker, an in-process one, and no breaker."""
    client = breaker_redis_client(redis_url)
    shared = BreakerRegistry(client, {"code": BreakerPolicy(3, 30)}).get("code")
    down_client = breaker_redis_client(f"redis://127.0.0.1:{free_port()}/0")
    fallback = BreakerRegistry(down_client, {"code": BreakerPolicy(3, 30)}).get("code")
    local = pybreaker.CircuitBreaker(fail_max=3, reset_timeout=30)

    def work() -> int:
        return 1

    figures = {"redis_shared_us": _per_call(lambda: shared.call(work), repeat) * 1e6,
               "redis_down_fallback_us": _per_call(lambda: fallback.call(work), repeat) * 1e6,
               "baseline_in_process_us": _per_call(lambda: local.call(work), repeat) * 1e6,
               "baseline_bare_us": _per_call(work, repeat) * 1e6}
    client.close()
    down_client.close()
    return figures


def main() -> None:
    """Run every figure and print them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=500)
    parser.add_argument("--findings", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dg-db-bench-") as tmp:
        postgres, redis_server = PostgresServer(Path(tmp) / "pg"), RedisServer(Path(tmp) / "redis")
        postgres.start()
        redis_server.start()
        try:
            figures = {"migrate": bench_migrate(postgres.url), "pool": bench_pool(postgres.url, args.repeat),
                       "save_scan_result": bench_save(postgres.url, args.findings, 10),
                       "breaker": bench_breaker(redis_server.url, args.repeat)}
        finally:
            redis_server.stop()
            postgres.stop()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
