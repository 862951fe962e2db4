"""Scans per hour through the platform beside the same scans one after another in one process.

    .venv/bin/python -m bench.scans_per_hour [--scans N] [--workers-per-scanner K]

A fixed mix of small real scans, generated into a temporary scan root: code scans of small
projects (a dozen source and config files each, some with planted fake secrets and personal data)
and document scans of a few files (txt, csv, json). The same scans run

1. in a single process, one after another, with `get_scanner(name).scan(...)` (the old monolith's way);
2. through the platform: a private redis-server and K real worker processes per scanner started by
   the ProcessManager, all scans submitted at once with `submit_scan_job` and awaited;
3. side by side, without the platform: the batch split over as many bare processes as there are
   cores, each running its share one scan after another. Nothing is in the way (no queue, no result
   transport), so this is the machine's own ceiling for parallel scans: on a shared host two busy
   cores are each slower than one busy core, and this row shows by how much in the same run.

The three take turns: the mix is split into `--rounds` batches (default 4) and each batch runs in the
single process, through the platform (submitted at once), then side by side. The machine is shared
and its speed drifts over minutes; run one after the other, the ratio swung from 1.2x to 2.1x within
an hour.

It prints scans per hour and p95 latency (single process: per-scan duration; platform: enqueue to
result, within a batch) and the ratio. The product's own target was 2,400 scans per hour. Every
child is stopped by its PID.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from services.process_manager import ProcessManager, ProcState, worker_spec
from services.scanners import get_scanner
from services.scanners.base import no_progress
from tests.servers import RedisServer, free_port
from utils.config import Settings

SEED_TARGET_PER_HOUR = 2400
CODE_TEMPLATE = '''"""Customer service module {n}."""
import logging

log = logging.getLogger(__name__)
STRIPE_KEY = "{stripe}"
DATABASE_URL = "postgresql://app:{password}@db.internal:5432/crm"


def notify(customer):
    log.info("notifying %s", customer.email)
    return {{"email": customer.email, "iban": customer.iban}}
'''
CONFIG_TEMPLATE = "service: crm-{n}\nsupport_email: support{n}@example.nl\nretries: 3\nversion: 1.{n}.0\n"


def fake_stripe_key(rng: random.Random) -> str:
    return "sk_live_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                for _ in range(24))


def make_code_project(root: Path, n: int, rng: random.Random) -> Path:
    """A small project: service modules, a config, a README and a test."""
    project = root / f"project-{n}"
    (project / "src").mkdir(parents=True)
    for i in range(8):
        (project / "src" / f"service_{i}.py").write_text(CODE_TEMPLATE.format(
            n=i, stripe=fake_stripe_key(rng), password=f"pw{rng.randrange(10**8)}x"))
    (project / "config.yaml").write_text(CONFIG_TEMPLATE.format(n=n))
    (project / "README.md").write_text("# CRM\nContact: privacy@example.nl, +31 20 123 4567.\n" * 5)
    (project / "requirements.txt").write_text("flask==3.1.3\nrequests==2.34.2\n")
    return project


def make_document_set(root: Path, n: int, rng: random.Random) -> Path:
    """A few documents: a letter, a CSV export and a JSON record."""
    folder = root / f"documents-{n}"
    folder.mkdir(parents=True)
    (folder / "letter.txt").write_text(
        "Geachte heer De Vries,\nUw BSN 111222333 en IBAN NL91ABNA0417164300 zijn ontvangen.\n" * 10)
    rows = "\n".join(f"{i},klant{i}@example.nl,06{rng.randrange(10**7, 10**8)}" for i in range(200))
    (folder / "export.csv").write_text("id,email,phone\n" + rows + "\n")
    (folder / "record.json").write_text('{"name": "J. Jansen", "postcode": "1012 AB 12", "order": 88123}\n')
    return folder


def build_mix(root: Path, scans: int) -> list[tuple[str, dict]]:
    """Alternating code and document scans over generated inputs."""
    rng = random.Random(20261123)
    mix = []
    for n in range(scans):
        if n % 2 == 0:
            mix.append(("code", {"path": str(make_code_project(root, n, rng))}))
        else:
            mix.append(("document", {"path": str(make_document_set(root, n, rng))}))
    return mix


def warm_single_process(mix: list[tuple[str, dict]]) -> None:
    """One scan per scanner first, so imports and detector set-up are not counted."""
    for scanner in ("code", "document"):
        get_scanner(scanner).scan(next(r for s, r in mix if s == scanner), no_progress)


def run_single_process(mix: list[tuple[str, dict]]) -> tuple[float, list[float]]:
    """Wall time and per-scan durations of the mix run one scan after another."""
    durations = []
    started = time.perf_counter()
    for scanner, request in mix:
        t0 = time.perf_counter()
        result = get_scanner(scanner).scan(request, no_progress)
        assert result["status"] in ("completed", "degraded"), result.get("errors")
        durations.append(time.perf_counter() - t0)
    return time.perf_counter() - started, durations


def _run_share(share: list[tuple[str, dict]]) -> float:
    return run_single_process(share)[0]


def start_side_by_side(mix: list[tuple[str, dict]], processes: int) -> concurrent.futures.ProcessPoolExecutor:
    """Bare scanning processes (spawned: nothing inherited from this one), warmed up like the single run."""
    pool = concurrent.futures.ProcessPoolExecutor(
        processes, mp_context=multiprocessing.get_context("spawn"), initializer=warm_single_process,
        initargs=([mix[0], mix[1]],))
    # the pool starts a process per submitted task it has no idle process for, each warming up first
    for started in [pool.submit(time.sleep, 0.1) for _ in range(processes)]:
        started.result()
    return pool


def run_side_by_side(pool: concurrent.futures.ProcessPoolExecutor, mix: list[tuple[str, dict]],
                     processes: int) -> float:
    """Wall time of the mix split over `processes` bare processes, each running its share in turn."""
    started = time.perf_counter()
    shares = [pool.submit(_run_share, mix[i::processes]) for i in range(processes)]
    for share in shares:
        share.result()
    return time.perf_counter() - started


def start_platform(settings: Settings, per_scanner: int) -> ProcessManager:
    """Workers for code and document, K of each, waited until healthy."""
    manager = ProcessManager(settings)
    names = []
    for scanner in ("code", "document"):
        for index in range(per_scanner):
            spec = worker_spec(settings, scanner, free_port(), index)
            manager.add(spec)
            names.append(spec.name)
            manager.start(spec.name)
    if not manager.wait_until_running(names, 60):
        raise SystemExit(f"workers did not start: {[(n, manager.children[n].state) for n in names]}")
    return manager


def warm_up(manager: ProcessManager, mix: list[tuple[str, dict]], per_scanner: int) -> None:
    """One scan per worker first, so imports and detector set-up are not counted (as in the single run)."""
    firsts = {scanner: request for scanner, request in reversed(mix)}
    jobs = [manager.submit_scan_job(s, r) for s, r in firsts.items() for _ in range(per_scanner)]
    for job_id in jobs:
        manager.queue.wait(job_id, 120)


def run_platform(manager: ProcessManager, mix: list[tuple[str, dict]]) -> tuple[float, list[float]]:
    """Wall time and enqueue-to-result latencies of the mix submitted at once."""
    started = time.perf_counter()
    submitted = [manager.submit_scan_job(scanner, request) for scanner, request in mix]
    for job_id in submitted:
        result = manager.queue.wait(job_id, 600)
        assert result is not None and result["job_state"] == "succeeded", result
    seconds = time.perf_counter() - started
    # read after the clock stops: the job records are the bench's instrument, not the platform's work
    records = [manager.get_job_status(job_id) for job_id in submitted]
    return seconds, [float(r["finished_at"]) - float(r["created_at"]) for r in records]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--workers-per-scanner", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=4, help="batches in which the two take turns")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="dg-scans-per-hour-"))
    try:
        return _measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the inputs, Redis's files and the worker logs


def _measure(args: argparse.Namespace, work: Path) -> int:
    mix = build_mix(work / "inputs", args.scans)
    os.environ["DG_SCAN_ROOTS"] = str(work / "inputs")  # read by the scanners here and in the workers
    warm_single_process(mix)
    redis_server = RedisServer(work / "redis")
    redis_server.start()
    os.environ["DG_REDIS_URL"] = redis_server.url
    os.environ["DG_DATA_DIR"] = str(work / "var")
    settings = Settings.from_env()
    manager = start_platform(settings, args.workers_per_scanner)
    cores = os.cpu_count() or 2
    side = start_side_by_side(mix, cores)
    try:
        warm_up(manager, mix, args.workers_per_scanner)
        single_s = platform_s = side_s = 0.0
        single_durations: list[float] = []
        latencies: list[float] = []
        for batch in (mix[i::args.rounds] for i in range(args.rounds)):
            seconds, durations = run_single_process(batch)
            single_s, single_durations = single_s + seconds, single_durations + durations
            seconds, waits = run_platform(manager, batch)
            platform_s, latencies = platform_s + seconds, latencies + waits
            side_s += run_side_by_side(side, batch, cores)
    finally:
        side.shutdown()
        manager.stop([n for n, c in manager.children.items() if c.state != ProcState.STOPPED], 10)
        manager.close()
        redis_server.stop()
    print_report(args, single_s, single_durations, platform_s, latencies, side_s)
    return 0


def print_report(args: argparse.Namespace, single_s: float, single_durations: list[float],
                 platform_s: float, latencies: list[float], side_s: float) -> None:
    cores = os.cpu_count()
    single_rate = args.scans / single_s * 3600
    platform_rate = args.scans / platform_s * 3600
    side_rate = args.scans / side_s * 3600
    print(f"mix: {args.scans} scans (half code projects of 11 files, half document sets of 3 files), "
          f"{cores} cores, {args.workers_per_scanner} worker(s) per scanner, {args.rounds} rounds "
          "taking turns")
    print(f"{'':30}{'scans/hour':>12}{'p95 latency s':>15}")
    print(f"{'single process':30}{single_rate:12.0f}{p95(single_durations):15.3f}")
    print(f"{'platform':30}{platform_rate:12.0f}{p95(latencies):15.3f}")
    print(f"{f'{cores} bare processes side by side':30}{side_rate:12.0f}{'-':>15}")
    print(f"platform / single process: {platform_rate / single_rate:.2f}x "
          f"(aim: close to the core count, {cores}); the machine's own ceiling, "
          f"side by side / single process: {side_rate / single_rate:.2f}x; "
          f"platform / side by side: {platform_rate / side_rate:.2f}x")
    print(f"platform / seed target {SEED_TARGET_PER_HOUR}/h: {platform_rate / SEED_TARGET_PER_HOUR:.1f}x "
          f"(aim: 10x)")


if __name__ == "__main__":
    sys.exit(main())
