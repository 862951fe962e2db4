"""Job queue throughput and latency: our JobQueue + worker runtime beside raw Redis and RQ.

    .venv/bin/python -m bench.queue_throughput [--jobs N] [--latency-jobs N] [--rounds R]

One redis-server (the launcher's own command line: AOF on, fsync every second) in a temporary
directory serves three systems, each with ONE worker process, each in its own database number:

1. ours (db 0): a real `diagnostic` worker (`python -m services.scanner_processes --scanner diagnostic`)
   from the launcher's `worker_spec` with DG_REDIS_URL pointing at the bench Redis; the producer
   calls `JobQueue.new_job` + `JobQueue.enqueue` for each no-op job (request `{}`).
2. raw Redis (db 1): a plain redis-py worker child doing BRPOP, json decode, then SETEX of the result
   and RPUSH (+EXPIRE) of a per-job done list in one pipeline; the producer LPUSHes JSON jobs.
3. RQ (db 2): `rq.worker.SimpleWorker` (jobs run in the worker process, no fork) running `noop_job`
   below; the producer calls `Queue.enqueue`.

All three workers are started first and warmed with one job, so interpreter start-up is not counted.
Throughput: the producer enqueues a batch back to back (the worker drains it concurrently), then
blocks on the last job's result; jobs/s = jobs / (first enqueue .. last result). Each queue is FIFO
with one worker, so the last result means every result; the count of finished jobs is checked too.
Latency (idle queue): one job at a time, from just before enqueue until a *blocking* wait returns the
result (ours: `JobQueue.wait`, a BLPOP on the done list whose note carries a small result; raw: BLPOP
on the done list then GET; RQ: `Job.latest_result(timeout=...)`, an XREAD BLOCK on the result stream).
Nothing polls. The machine is shared, so the systems are measured interleaved: the jobs are split
into `--rounds` batches and every round drains one batch through each system in turn, and the latency
jobs run in blocks of `--latency-block` per system in turn; a load spike then hits all three alike
and the ratios stay fair. Blocks, not one job each in turn: RQ's worker goes on working for
milliseconds after its result is out, and with 2 CPUs that lands on whichever system runs next, and
each system's processes would wake with caches the other two had just used (`--latency-block 1`
measures that cold case: every system's p50 rises by about half).
The throughput ratios are the median over the rounds of each round's ratio (a spike that hits one
system's batch more than the others' then moves the verdict little); the pooled ratio is printed too.
Worker logs go to files in the temporary directory at each system's default level (INFO).
No PostgreSQL runs: our worker still writes each result to the Redis outbox as in production, and
nothing drains it during the bench. Every child is stopped by its PID.
The CPU columns (redis-server, worker child, this producer, in microseconds per job during the
drains) show where a gap comes from when an aim is missed.

Aims (issue 3): ours >= 0.75x raw BRPOP+SETEX throughput, >= 10x RQ SimpleWorker, p99 < 2 ms idle.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from redis.utils import HIREDIS_AVAILABLE

ROOT = Path(__file__).resolve().parents[1]

SCANNER = "diagnostic"
OURS_DB, RAW_DB, RQ_DB = 0, 1, 2
RAW_QUEUE = "bench:raw:queue"
RAW_RESULT = "bench:raw:result:{job_id}"
RAW_DONE = "bench:raw:done:{job_id}"
RAW_RESULT_TTL_S = 3600  # the result TTL our JobQueue uses by default
RAW_DONE_TTL_S = 300
RQ_QUEUE = "bench"
RQ_FUNCTION = "bench.queue_throughput.noop_job"  # by name: under -m this module is __main__
READY_TIMEOUT_S = 30  # a cold worker imports Flask, the scanners and the results model
LATENCY_TIMEOUT_S = 10
RESULT_TIMEOUT_S = 120  # a whole batch must drain within this
# redis-py 8 defaults to a 5 s socket timeout, which would cut a long blocking wait short
SOCKET_TIMEOUT_S = RESULT_TIMEOUT_S + 10
AIM_RAW_RATIO = 0.75
AIM_RQ_RATIO = 10.0
AIM_P99_MS = 2.0
CPU_PARTS = ("redis", "worker", "producer")


class BenchError(RuntimeError):
    """A system under test did not do what the bench expected (a worker died, a result is missing)."""


def noop_job() -> dict[str, bool]:
    """The RQ job: nothing to do, a small result."""
    return {"ok": True}


@dataclass
class Measurement:
    """Throughput and idle latency of one system, accumulated over the rounds."""

    jobs: int = 0
    seconds: float = 0.0
    round_rates: list[float] = field(default_factory=list)  # jobs/s of each interleaved round
    latencies_s: list[float] = field(default_factory=list)
    cpu_s: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CPU_PARTS, 0.0))

    @property
    def jobs_per_s(self) -> float:
        return self.jobs / self.seconds if self.seconds else math.nan

    def cpu_us_per_job(self, part: str) -> float:
        """CPU microseconds one job cost `part` (redis, worker, producer) during the drains."""
        return 1e6 * self.cpu_s[part] / self.jobs if self.jobs else math.nan

    def percentile_ms(self, fraction: float) -> float:
        """Nearest-rank percentile of the idle latencies, in milliseconds."""
        ordered = sorted(self.latencies_s)
        if not ordered:
            return math.nan
        return 1000.0 * ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# --- the systems under test ------------------------------------------------------------------
class System:
    """One queue implementation with its worker child; subclasses say how to submit and wait."""

    name = ""
    short = ""

    def __init__(self, server_url: str, db: int, workdir: Path) -> None:
        self.url = f"{server_url.rsplit('/', 1)[0]}/{db}"
        self.log_path = workdir / f"{self.short}-worker.log"
        self.proc: subprocess.Popen | None = None
        self.measured = Measurement()
        self.info_client = redis.Redis.from_url(self.url)

    def worker_argv(self) -> tuple[list[str], dict[str, str]]:
        """Command line and extra environment of the worker child."""
        return [sys.executable, "-m", "bench.queue_throughput", "--role", f"{self.short}-worker",
                "--url", self.url], {}

    def submit(self) -> Any:
        """Enqueue one no-op job; a handle to wait on."""
        raise NotImplementedError

    def wait(self, handle: Any, timeout_s: int) -> bool:
        """Block until the job's result is stored; True if it succeeded."""
        raise NotImplementedError

    def finished(self) -> int:
        """Jobs this system has completed so far."""
        raise NotImplementedError

    def start(self) -> None:
        """Start the worker child and run one job through it (start-up is not measured)."""
        argv, env = self.worker_argv()
        with open(self.log_path, "ab") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env},
                                         stdout=log, stderr=subprocess.STDOUT)
        self.expect(self.submit(), READY_TIMEOUT_S)

    def stop(self) -> None:
        """Stop the worker child by its PID."""
        from tests.servers import stop_process

        if self.proc is not None:
            stop_process(self.proc)

    def expect(self, handle: Any, timeout_s: int) -> None:
        """Wait for a job, failing with the worker's log tail if it produced no successful result."""
        if self.wait(handle, timeout_s):
            return
        state = "running" if self.proc is None or self.proc.poll() is None else f"exit {self.proc.returncode}"
        tail = self.log_path.read_text(errors="replace")[-2000:]
        raise BenchError(f"{self.name}: no successful result within {timeout_s}s (worker {state}); "
                         f"log tail:\n{tail}")

    def cpu_times(self) -> dict[str, float]:
        """CPU seconds used so far by redis-server, the worker child and this producer."""
        import psutil

        info = self.info_client.info("cpu")
        worker = psutil.Process(self.proc.pid).cpu_times() if self.proc else None
        return {"redis": info["used_cpu_user"] + info["used_cpu_sys"],
                "worker": worker.user + worker.system if worker else 0.0,
                "producer": time.process_time()}

    def drain(self, jobs: int) -> None:
        """Enqueue `jobs` jobs back to back and add the time until the last result to the figures."""
        before = self.finished()
        cpu_before = self.cpu_times()
        started = time.perf_counter()
        handle = None
        for _ in range(jobs):
            handle = self.submit()
        self.expect(handle, RESULT_TIMEOUT_S)
        seconds = time.perf_counter() - started
        self.measured.seconds += seconds
        self.measured.round_rates.append(jobs / seconds)
        cpu_after = self.cpu_times()
        self.measured.jobs += jobs
        for part in CPU_PARTS:
            self.measured.cpu_s[part] += cpu_after[part] - cpu_before[part]
        done = self.finished() - before
        if done != jobs:
            raise BenchError(f"{self.name}: {done} of {jobs} jobs completed")

    def roundtrip(self) -> None:
        """Time one job from enqueue to result on an idle queue."""
        started = time.perf_counter()
        handle = self.submit()
        self.expect(handle, LATENCY_TIMEOUT_S)
        self.measured.latencies_s.append(time.perf_counter() - started)


class Ours(System):
    """A real diagnostic worker process fed through JobQueue."""

    name = "ours (JobQueue + worker)"
    short = "ours"

    def __init__(self, server_url: str, db: int, workdir: Path) -> None:
        from utils.config import Settings
        from utils.ipc_manager import JobQueue, connect

        super().__init__(server_url, db, workdir)
        self.settings = Settings.from_env({"DG_REDIS_URL": self.url, "DG_DATA_DIR": str(workdir / "var"),
                                           "DG_DATABASE_URL": "postgresql://127.0.0.1:1/unused"})
        self.queue = JobQueue(connect(self.url), result_ttl_s=self.settings.result_ttl_s)

    def worker_argv(self) -> tuple[list[str], dict[str, str]]:
        from services.process_manager import worker_spec
        from tests.servers import free_port

        spec = worker_spec(self.settings, SCANNER, free_port())
        return spec.argv, dict(spec.env or {})

    def submit(self) -> str:
        return self.queue.enqueue(self.queue.new_job(SCANNER, {}))

    def wait(self, handle: str, timeout_s: int) -> bool:
        result = self.queue.wait(handle, timeout_s)
        return result is not None and result.get("job_state") == "succeeded"

    def finished(self) -> int:
        return self.queue.scanner_stats(SCANNER).counters["succeeded"]


class Raw(System):
    """The floor: a plain redis-py worker doing the least a result-returning queue can do."""

    name = "raw Redis (BRPOP+SETEX)"
    short = "raw"

    def __init__(self, server_url: str, db: int, workdir: Path) -> None:
        super().__init__(server_url, db, workdir)
        self.client = redis.Redis.from_url(self.url, socket_timeout=SOCKET_TIMEOUT_S)

    def submit(self) -> str:
        job_id = str(uuid.uuid4())
        payload = {"id": job_id, "scanner": SCANNER, "request": {}, "created_at": time.time()}
        self.client.lpush(RAW_QUEUE, json.dumps(payload, separators=(",", ":")))
        return job_id

    def wait(self, handle: str, timeout_s: int) -> bool:
        self.client.blpop([RAW_DONE.format(job_id=handle)], timeout=timeout_s)
        return self.client.get(RAW_RESULT.format(job_id=handle)) is not None

    def finished(self) -> int:
        return sum(1 for _ in self.client.scan_iter(RAW_RESULT.format(job_id="*"), count=1000))


class Rq(System):
    """RQ 3.x SimpleWorker running `noop_job`."""

    name = "RQ SimpleWorker"
    short = "rq"

    def __init__(self, server_url: str, db: int, workdir: Path) -> None:
        from rq import Queue
        from rq.registry import FinishedJobRegistry

        super().__init__(server_url, db, workdir)
        self.client = redis.Redis.from_url(self.url, socket_timeout=SOCKET_TIMEOUT_S)
        self.queue = Queue(RQ_QUEUE, connection=self.client)
        self.registry = FinishedJobRegistry(queue=self.queue)

    def submit(self) -> Any:
        return self.queue.enqueue(RQ_FUNCTION)

    def wait(self, handle: Any, timeout_s: int) -> bool:
        from rq.results import Result

        result = handle.latest_result(timeout=timeout_s)
        return result is not None and result.type == Result.Type.SUCCESSFUL

    def finished(self) -> int:
        return self.registry.count


# --- the baseline worker children ------------------------------------------------------------
def raw_worker(url: str) -> None:
    """BRPOP a JSON job, decode it, SETEX its result and RPUSH its done list; until SIGTERM."""
    client = redis.Redis.from_url(url)
    while True:
        item = client.brpop([RAW_QUEUE], timeout=1)
        if item is None:
            continue
        job_id = json.loads(item[1])["id"]
        result = json.dumps({"job_id": job_id, "ok": True}, separators=(",", ":"))
        with client.pipeline(transaction=False) as pipe:
            pipe.setex(RAW_RESULT.format(job_id=job_id), RAW_RESULT_TTL_S, result)
            pipe.rpush(RAW_DONE.format(job_id=job_id), "1")
            pipe.expire(RAW_DONE.format(job_id=job_id), RAW_DONE_TTL_S)
            pipe.execute()


def rq_worker(url: str) -> None:
    """A SimpleWorker on the bench queue until SIGTERM (RQ's warm shutdown)."""
    from rq import Queue
    from rq.worker import SimpleWorker

    client = redis.Redis.from_url(url)
    SimpleWorker([Queue(RQ_QUEUE, connection=client)], connection=client).work(logging_level="INFO")


# --- the run ---------------------------------------------------------------------------------
def measure(systems: list[System], jobs: int, latency_jobs: int, rounds: int, block: int) -> None:
    """Throughput batches, then idle round trips in blocks, interleaved between the systems."""
    for index in range(rounds):
        batch = jobs // rounds + (1 if index < jobs % rounds else 0)
        for system in systems:
            if batch:
                system.drain(batch)
    done = 0
    while done < latency_jobs:
        size = min(block, latency_jobs - done)
        for system in systems:
            for _ in range(size):
                system.roundtrip()
        done += size


def run(jobs: int, latency_jobs: int, rounds: int, block: int) -> str:
    """Start the bench Redis and the three workers, measure, stop them all; the table."""
    from tests.servers import RedisServer

    with tempfile.TemporaryDirectory(prefix="dg-queue-bench-") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        server = RedisServer(workdir / "redis")
        server.start()
        stack.callback(server.stop)
        version = redis.Redis.from_url(server.url).info("server")["redis_version"]
        parser = "hiredis" if HIREDIS_AVAILABLE else "pure-Python"
        systems: list[System] = [Ours(server.url, OURS_DB, workdir), Raw(server.url, RAW_DB, workdir),
                                 Rq(server.url, RQ_DB, workdir)]
        for system in systems:
            stack.callback(system.stop)
            system.start()
        load_before = os.getloadavg()[0]
        measure(systems, jobs, latency_jobs, rounds, block)
        header = (f"one worker each; {jobs} jobs for throughput in {rounds} interleaved rounds, "
                  f"{latency_jobs} one-at-a-time jobs for idle latency in blocks of {block}\n"
                  f"redis-server {version}; "
                  f"redis-py {redis.__version__} with its {parser} reply parser (all three systems) "
                  f"(AOF, fsync every second); {os.cpu_count()} CPUs; 1-min load average "
                  f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
        return report(header, *(s.measured for s in systems))


def median_ratio(ours: Measurement, other: Measurement) -> float:
    """Median over the rounds of ours/other throughput: a load spike during one round weighs little."""
    return statistics.median(a / b for a, b in zip(ours.round_rates, other.round_rates, strict=True))


def total_cpu_us(measured: Measurement) -> float:
    """CPU microseconds per job of redis-server, worker and producer together."""
    return sum(measured.cpu_us_per_job(part) for part in CPU_PARTS)


def verdict(met: bool) -> str:
    """How an aim reads in the table."""
    return "met" if met else "MISSED"


def report(header: str, ours: Measurement, raw: Measurement, rq: Measurement) -> str:
    """The results table with the ratios and the issue's aims beside them."""
    lines = [header, "", f"{'':<48}CPU us per job during the drains",
             f"{'system':<28}{'jobs/s':>10}{'p50 ms':>10}{'p99 ms':>10}"
             + "".join(f"{part:>10}" for part in CPU_PARTS)]
    for name, m in ((Ours.name, ours), (Raw.name, raw), (Rq.name, rq)):
        lines.append(f"{name:<28}{m.jobs_per_s:>10.0f}{m.percentile_ms(0.50):>10.3f}"
                     f"{m.percentile_ms(0.99):>10.3f}"
                     + "".join(f"{m.cpu_us_per_job(part):>10.0f}" for part in CPU_PARTS))
    raw_ratio, rq_ratio = median_ratio(ours, raw), median_ratio(ours, rq)
    p99 = ours.percentile_ms(0.99)
    lines += ["",
              f"{'ours/raw throughput':<28}{raw_ratio:>10.2f}   aim >= {AIM_RAW_RATIO}: "
              f"{verdict(raw_ratio >= AIM_RAW_RATIO)}   (all rounds pooled: "
              f"{ours.jobs_per_s / raw.jobs_per_s:.2f})",
              f"{'ours/RQ throughput':<28}{rq_ratio:>10.1f}   aim >= {AIM_RQ_RATIO:g}: "
              f"{verdict(rq_ratio >= AIM_RQ_RATIO)}   (all rounds pooled: "
              f"{ours.jobs_per_s / rq.jobs_per_s:.1f})",
              f"{'raw/ours CPU per job':<28}{total_cpu_us(raw) / total_cpu_us(ours):>10.2f}   "
              "(all three parts: the throughput ratio a CPU-starved machine converges to)",
              f"{'ours p99 idle (ms)':<28}{p99:>10.3f}   aim < {AIM_P99_MS:g}: {verdict(p99 < AIM_P99_MS)}",
              f"{'ours/raw p99 latency':<28}{p99 / raw.percentile_ms(0.99):>10.2f}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse flags and run the bench (or, with --role, one of its baseline workers)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=5000, help="no-op jobs per system for throughput")
    parser.add_argument("--latency-jobs", type=int, default=1000, help="one-at-a-time jobs on an idle queue")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved throughput batches")
    parser.add_argument("--latency-block", type=int, default=50,
                        help="one-at-a-time jobs a system runs before the next system's turn (1: alternate "
                             "every job)")
    parser.add_argument("--role", choices=("raw-worker", "rq-worker"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.role == "raw-worker":
        raw_worker(args.url)
    elif args.role == "rq-worker":
        rq_worker(args.url)
    elif min(args.jobs, args.latency_jobs, args.rounds, args.latency_block) < 1:
        parser.error("--jobs, --latency-jobs, --rounds and --latency-block must be at least 1")
    else:
        print(run(args.jobs, args.latency_jobs, args.rounds, args.latency_block))
    return 0


if __name__ == "__main__":
    sys.exit(main())
