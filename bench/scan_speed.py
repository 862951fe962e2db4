"""Throughput and peak memory of the code scanner and the PII engine beside detect-secrets and Presidio.

    .venv/bin/python bench/scan_speed.py [--files N] [--pii-mb M]

1. Code: the Python standard library's .py files (copied into a temporary scan root) scanned by
   our code scanner (all kinds, and secrets only) and by detect-secrets' default plugins.
2. PII: one large text built from the labelled corpus, scanned by our engine and by Presidio's
   AnalyzerEngine with its `no_op` NLP engine (offline, pattern recognizers only), three ways:
   the four entity types both have as pattern recognizers (e-mail, IBAN, card, IP), those plus
   phone numbers (Presidio's PhoneRecognizer runs libphonenumber's matcher), and each engine at
   its defaults (our eleven personal-data types; Presidio's default English registry).
   Both sides are warmed up first (Presidio compiles its regexes on first use, we compile a
   hyperscan database per selection), then scan the same text once.
3. Cold start: `python cli.py scan code DIR --local` on a directory of one file, beside
   `detect-secrets scan FILE`, each a fresh process, median of COLD_RUNS after one run that filled
   the caches a user has from the second run on (bytecode, our compiled pattern database); and our
   CLI with the pattern cache off (DG_CACHE_DIR empty), as every run was before it existed.
4. Precision/recall on the labelled corpus at sample level (does a sample hold a secret / a value
   of the compared PII types), for us and for each reference tool.

Each measurement runs in its own child process so its peak RSS (ru_maxrss) is its own. Besides
wall-clock MB/s each row gives MB/s of process CPU time, steadier on a shared machine.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sized
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PRESIDIO_TYPES = {"EMAIL_ADDRESS": "pii.email", "IBAN_CODE": "pii.iban", "CREDIT_CARD": "pii.credit_card",
                  "IP_ADDRESS": "pii.ip_address"}
WITH_PHONE = {**PRESIDIO_TYPES, "PHONE_NUMBER": "pii.phone"}
# the three like-for-like PII comparisons: (our kinds, Presidio entities or None for its defaults)
PII_ROWS = {
    "same4": (frozenset(PRESIDIO_TYPES.values()), sorted(PRESIDIO_TYPES)),
    "same5_phone": (frozenset(WITH_PHONE.values()), sorted(WITH_PHONE)),
    "defaults": (frozenset({"pii"}), None),
}
WARM_UP = "warm-up jan@kpn.nl NL91ABNA0417164300 4929 1729 3648 8318 8.8.8.8 +31 20 123 4567"
ACTIONABLE = 0.5
COLD_RUNS = 5
COLD_START_GOAL_S = 0.5  # fast enough for a pre-commit hook (issue 15)
ONE_FILE = 'import os\n\nDATABASE_URL = os.environ["DATABASE_URL"]\nDEBUG = False\n'


# --- children: one measurement each ---------------------------------------------------------------

def _files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*.py") if p.is_file())


def measure_code(tree: Path, kinds: list[str]) -> dict:
    """Our code scanner over the tree."""
    os.environ["DG_SCAN_ROOTS"] = str(tree)  # the bench is an edge: it configures, then reads settings
    from services.detection import scan_text
    from services.scanners import get_scanner

    scan_text("warm-up", kinds=frozenset(kinds))  # compiles this selection's hyperscan database (~1 s, once)
    start = time.perf_counter()
    result = get_scanner("code").scan({"path": str(tree), "options": {"kinds": kinds}}, lambda p, m: None)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": result["summary"]["bytes_scanned"],
            "files": result["summary"]["items_scanned"], "findings": len(result["findings"])}


def measure_detect_secrets(tree: Path) -> dict:
    """detect-secrets' default plugins over the same .py files."""
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    files = _files(tree)
    start = time.perf_counter()
    with default_settings():
        secrets = SecretsCollection()
        for path in files:
            secrets.scan_file(str(path))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": sum(p.stat().st_size for p in files), "files": len(files),
            "findings": sum(len(v) for _, v in secrets.data.items())}


def pii_text(megabytes: float) -> str:
    """Labelled samples interleaved with code-like filler, repeated to about `megabytes`."""
    from tests.corpus.labelled import labelled_samples

    filler = ("    result = compute_total(order.items, discount=0.15)  # see ticket 4821\n"
              "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n")
    unit = "".join(s.text.replace("\n", " ") + "\n" + filler * 4 for s in labelled_samples())
    return unit * max(1, int(megabytes * 1e6 / len(unit)))


def _timed(run: Callable[[], Sized]) -> tuple[float, float, Sized]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = run()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def measure_engine(megabytes: float, row: str) -> dict:
    """Our engine over the large text, for one of PII_ROWS."""
    from services.detection import scan_text

    kinds = PII_ROWS[row][0]
    text = pii_text(megabytes)
    scan_text(WARM_UP, kinds=kinds)  # compiles this selection's hyperscan database outside the timing
    seconds, cpu, found = _timed(lambda: scan_text(text, kinds=kinds))
    return {"seconds": seconds, "cpu_seconds": cpu, "bytes": len(text.encode()), "findings": len(found)}


def presidio_analyzer():
    """Presidio's AnalyzerEngine with the no_op NLP engine and its default (pattern) recognizers, offline."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # tldextract would download the public suffix list; the bundled snapshot is enough and offline
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    nlp = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "no_op"}]}).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def measure_presidio(megabytes: float, row: str) -> dict:
    """Presidio over the same large text, for one of PII_ROWS."""
    entities = PII_ROWS[row][1]
    analyzer = presidio_analyzer()
    text = pii_text(megabytes)
    analyzer.analyze(WARM_UP, language="en", entities=entities)  # compiles its regexes outside the timing
    seconds, cpu, found = _timed(lambda: analyzer.analyze(text, language="en", entities=entities))
    return {"seconds": seconds, "cpu_seconds": cpu, "bytes": len(text.encode()), "findings": len(found)}


def measure_quality() -> dict:
    """Sample-level precision/recall on the labelled corpus: ours vs detect-secrets and Presidio."""
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import default_settings

    from services.detection import scan_text
    from tests.corpus.labelled import labelled_samples

    samples = labelled_samples()
    analyzer = presidio_analyzer()
    rows = {"secrets_ours": [0, 0, 0], "secrets_detect_secrets": [0, 0, 0]}
    with default_settings():
        for sample in samples:
            truth_secret = any(k.startswith("secret.") for k, _, _ in sample.spans)
            ours = [f for f in scan_text(sample.text) if f.confidence >= ACTIONABLE]
            _tally(rows["secrets_ours"], truth_secret, any(f.category == "secret" for f in ours))
            _tally(rows["secrets_detect_secrets"], truth_secret,
                   any(True for line in sample.text.splitlines() for _ in scan_line(line)))
            for name, types in (("pii4", PRESIDIO_TYPES), ("pii5_phone", WITH_PHONE)):
                truth = {k for k, _, _ in sample.spans} & set(types.values())
                theirs = [r for r in analyzer.analyze(sample.text, language="en", entities=sorted(types))
                          if r.score >= ACTIONABLE]
                _tally(rows.setdefault(f"{name}_ours", [0, 0, 0]), bool(truth),
                       bool({f.type for f in ours} & set(types.values())))
                _tally(rows.setdefault(f"{name}_presidio", [0, 0, 0]), bool(truth), bool(theirs))
    return {name: _pr(*counts) for name, counts in rows.items()}


def _tally(row: list[int], truth: bool, predicted: bool) -> None:
    if predicted and truth:
        row[0] += 1
    elif predicted:
        row[1] += 1
    elif truth:
        row[2] += 1


def _pr(tp: int, fp: int, fn: int) -> dict:
    return {"precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0, "tp": tp, "fp": fp, "fn": fn}


def child(name: str, arg: str) -> None:
    """Run one measurement and print it with this process's peak RSS."""
    measures: dict[str, Callable[[], dict]] = {
        "code_all": lambda: measure_code(Path(arg), ["pii", "secret", "special", "code"]),
        "code_secrets": lambda: measure_code(Path(arg), ["secret"]),
        "detect_secrets": lambda: measure_detect_secrets(Path(arg)),
        **{f"engine_{row}": functools.partial(lambda row: measure_engine(float(arg), row), row)
           for row in PII_ROWS},
        **{f"presidio_{row}": functools.partial(lambda row: measure_presidio(float(arg), row), row)
           for row in PII_ROWS},
        "quality": measure_quality,
    }
    data = measures[name]()
    data["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(data))


# --- parent -------------------------------------------------------------------------------------

def run_child(name: str, arg: str) -> dict:
    """Measure in a fresh interpreter."""
    out = subprocess.run([sys.executable, __file__, "--child", name, arg], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def copy_stdlib(dest: Path, limit: int) -> Path:
    """Copy up to `limit` .py files of the standard library (no site-packages) into `dest`."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts)[:limit]
    for path in files:
        target = dest / path.relative_to(stdlib)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return dest


def _cold_runs(command: list[str], env: dict[str, str], runs: int) -> dict:
    """Median wall and CPU seconds of `command` as fresh processes, after one warm-up run."""
    subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=False)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{command[1:3]} exited {done.returncode}: {done.stderr[-500:]!r}")
    return {"seconds": sorted(walls)[runs // 2], "cpu_seconds": sorted(cpus)[runs // 2]}


def measure_cold_start(tmp: Path, runs: int = COLD_RUNS) -> dict[str, dict]:
    """One-file scans as new processes: our CLI (pattern cache on and off) and detect-secrets."""
    folder = tmp / "one-file"
    folder.mkdir()
    (folder / "settings.py").write_text(ONE_FILE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DG_") and k != "PYTHONDONTWRITEBYTECODE"}
    # bytecode as an installed package has it, kept out of the source tree
    env.update(PYTHONPYCACHEPREFIX=str(tmp / "pycache"), DG_CACHE_DIR=str(tmp / "dg-cache"),
               DG_DATA_DIR=str(tmp / "dg-var"))
    ours = [sys.executable, str(ROOT / "cli.py"), "scan", "code", str(folder), "--local"]
    return {
        "ours": _cold_runs(ours, env, runs),
        "ours_no_cache": _cold_runs(ours, {**env, "DG_CACHE_DIR": ""}, max(1, runs // 2)),
        "detect_secrets": _cold_runs([sys.executable, "-m", "detect_secrets", "scan",
                                      str(folder / "settings.py")], env, runs),
    }


def _mbps(row: dict) -> float:
    return row["bytes"] / 1e6 / row["seconds"]


def main() -> int:
    """Run every measurement and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=3000, help="stdlib .py files to scan")
    parser.add_argument("--pii-mb", type=float, default=2.0,
                        help="MB of text for the PII rows (the same text for us and Presidio)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="dg-bench-") as tmp:
        tree = copy_stdlib(Path(tmp) / "stdlib", args.files)
        code = {n: run_child(n, str(tree)) for n in ("code_all", "code_secrets", "detect_secrets")}
        cold = measure_cold_start(Path(tmp))
    pii = {f"{side}_{row}": run_child(f"{side}_{row}", str(args.pii_mb))
           for row in PII_ROWS for side in ("engine", "presidio")}
    quality = run_child("quality", "-")
    print(f"code: {code['code_all']['files']} stdlib files, {code['code_all']['bytes'] / 1e6:.1f} MB; "
          f"PII text: {pii['engine_same4']['bytes'] / 1e6:.1f} MB")
    for name, row in {**code, **pii}.items():
        cpu = f"{row['bytes'] / 1e6 / row['cpu_seconds']:8.2f}" if "cpu_seconds" in row else "       -"
        print(f"  {name:22} {_mbps(row):8.2f} MB/s ({cpu} MB/s CPU)  peak RSS {row['peak_rss_mb']:6.1f} MB  "
              f"{row['findings']:6} findings  ({row['seconds']:.2f} s)")
    print(f"ratio code scanner (all kinds) / detect-secrets: "
          f"{_mbps(code['code_all']) / _mbps(code['detect_secrets']):.1f}x")
    print(f"ratio code scanner (secrets)   / detect-secrets: "
          f"{_mbps(code['code_secrets']) / _mbps(code['detect_secrets']):.1f}x")
    print(f"one-file cold start (median of {COLD_RUNS} new processes): our CLI "
          f"{cold['ours']['seconds']:.2f} s (CPU {cold['ours']['cpu_seconds']:.2f} s; goal <= "
          f"{COLD_START_GOAL_S} s), detect-secrets {cold['detect_secrets']['seconds']:.2f} s "
          f"(CPU {cold['detect_secrets']['cpu_seconds']:.2f} s); ours without the pattern cache "
          f"{cold['ours_no_cache']['seconds']:.2f} s (CPU {cold['ours_no_cache']['cpu_seconds']:.2f} s)")
    for compared in PII_ROWS:
        ours, theirs = pii[f"engine_{compared}"], pii[f"presidio_{compared}"]
        by_cpu = (ours["bytes"] / ours["cpu_seconds"]) / (theirs["bytes"] / theirs["cpu_seconds"])
        print(f"ratio PII engine / Presidio AnalyzerEngine, {compared:12}: "
              f"{_mbps(ours) / _mbps(theirs):6.1f}x (CPU time {by_cpu:.1f}x)")
    print("sample-level quality on the labelled corpus:")
    for name, row in quality.items():
        if name != "peak_rss_mb":
            print(f"  {name:24} precision {row['precision']:.3f} recall {row['recall']:.3f} "
                  f"(TP {row['tp']} FP {row['fp']} FN {row['fn']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
