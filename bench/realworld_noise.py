"""Alerts on ordinary open-source packages (no personal data, no live secrets), beside detect-secrets.

    .venv/bin/python -m bench.realworld_noise [--all] [--packages a,b,...] [--top N] [--no-peer]

The installed packages of the project's own virtualenv are copied into a temporary tree (source,
data tables, font metrics, bundled JavaScript, certificate bundles; compiled `.so`/`.pyd` modules and
`__pycache__` left out, as both tools would skip them) and scanned by our code scanner at its
defaults and by detect-secrets' default plugins over every file of the same tree. By default the
packages are those of issue 15's measurement (DEFAULT_PACKAGES); `--all` takes every installed one.

Everything found here is noise: the tree holds no personal data and no live secret. An alert is an
unsuppressed finding of high or critical severity (what fails `--fail-on high`); the goal is at most
ALERT_GOAL per 10 MB. The breakdowns (type, file kind, file) show where the remaining noise comes from.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_PACKAGES = ("stripe", "streamlit", "schemathesis", "redis", "psycopg2", "reportlab", "stdnum",
                    "phonenumbers", "argon2", "werkzeug", "flask")
SKIPPED_SUFFIXES = (".so", ".pyd", ".pyc", ".dll", ".dylib")  # compiled code: neither tool reads it
ALERT_SEVERITIES = ("critical", "high")
ALERT_GOAL = 1.0  # alerts per 10 MB (issue 15)
TEN_MB = 10e6


def site_packages() -> Path:
    """The site-packages of the interpreter running this bench (the project's .venv)."""
    return Path(sysconfig.get_paths()["purelib"])


def copy_packages(dest: Path, names: Iterable[str] | None) -> Path:
    """Copy the named installed packages (all when None) into `dest`, leaving compiled files out."""
    source = site_packages()
    chosen = sorted(p for p in source.iterdir() if p.is_dir() and not p.name.endswith((".dist-info",
                                                                                       "__pycache__")))
    if names is not None:
        wanted = set(names)
        missing = wanted - {p.name for p in chosen}
        if missing:
            raise SystemExit(f"not installed: {', '.join(sorted(missing))}")
        chosen = [p for p in chosen if p.name in wanted]
    for package in chosen:
        shutil.copytree(package, dest / package.name, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", *(f"*{s}" for s in SKIPPED_SUFFIXES)))
    return dest


def tree_bytes(tree: Path) -> int:
    """Bytes of every regular file under `tree`."""
    return sum(p.stat().st_size for p in tree.rglob("*") if p.is_file() and not p.is_symlink())


def scan_ours(tree: Path) -> tuple[dict[str, Any], float]:
    """Our code scanner at its defaults over the tree; the result and the seconds it took."""
    os.environ["DG_SCAN_ROOTS"] = str(tree)  # the bench is an edge: it configures, then reads settings
    from services.scanners import get_scanner

    start = time.perf_counter()
    result = get_scanner("code").scan({"path": str(tree)}, lambda percent, message: None)
    return result, time.perf_counter() - start


def scan_detect_secrets(tree: Path) -> tuple[Counter[str], float]:
    """detect-secrets' default plugins over every file of the tree (as `scan --all-files`): counts by type."""
    from detect_secrets import SecretsCollection
    from detect_secrets.core.scan import get_files_to_scan
    from detect_secrets.settings import default_settings

    start = time.perf_counter()
    with default_settings():
        secrets = SecretsCollection(root=str(tree))
        for name in get_files_to_scan(str(tree), should_scan_all_files=True, root=str(tree)):
            secrets.scan_file(name)
    counts = Counter(secret.type for _, secret in secrets)
    return counts, time.perf_counter() - start


def alerts(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unsuppressed findings of high or critical severity."""
    return [f for f in findings if not f.get("suppressed") and f.get("severity") in ALERT_SEVERITIES]


def file_kind(path: str) -> str:
    """A coarse kind for the breakdown: the suffix, or the name for files without one."""
    name = path.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""
    return f".{suffix}" if suffix else name


def _top(counter: Counter[str], limit: int) -> str:
    return ", ".join(f"{name} {count}" for name, count in counter.most_common(limit)) or "none"


def report(result: dict[str, Any], seconds: float, theirs: Counter[str], their_seconds: float,
           megabytes: float, top: int) -> None:
    """Print the comparison and where the remaining alerts come from."""
    findings = result["findings"]
    ours = alerts(findings)
    per_10mb = len(ours) / (megabytes * 1e6 / TEN_MB)
    their_total = sum(theirs.values())
    print(f"tree: {megabytes:.1f} MB; our scanner read {result['summary']['items_scanned']} files, "
          f"{result['summary']['bytes_scanned'] / 1e6:.1f} MB in {seconds:.1f} s "
          f"({len(result.get('skipped') or [])} skipped); detect-secrets {their_seconds:.1f} s")
    print(f"ours: {len(findings)} findings, {len(ours)} high+critical alerts = {per_10mb:.2f} per 10 MB "
          f"(goal <= {ALERT_GOAL:g})")
    their_rate = their_total / (megabytes * 1e6 / TEN_MB)
    print(f"detect-secrets: {their_total} findings = {their_rate:.2f} per 10 MB")
    ratio = f"{len(ours) / their_total:.1f}x" if their_total else "n/a (detect-secrets found nothing)"
    print(f"ratio our alerts / detect-secrets findings: {ratio}")
    print(f"our findings by type (top {top}): {_top(Counter(f['type'] for f in findings), top)}")
    print(f"our findings by severity: {_top(Counter(f['severity'] for f in findings), 10)}")
    print(f"our alerts by type: {_top(Counter(f['type'] for f in ours), top)}")
    print(f"our alerts by file kind: {_top(Counter(file_kind(f['location']['path']) for f in ours), top)}")
    print(f"our alerts by type and file kind: "
          f"{_top(Counter(f['type'] + ' in ' + file_kind(f['location']['path']) for f in ours), top)}")
    print(f"our alerts by file: {_top(Counter(f['location']['path'] for f in ours), top)}")
    print(f"detect-secrets by type: {_top(theirs, top)}")


def main() -> int:
    """Copy the packages, scan them with both tools and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true",
                        help="every installed package, not only the default set")
    parser.add_argument("--packages", help=f"comma-separated package directories (default: "
                        f"{','.join(DEFAULT_PACKAGES)})")
    parser.add_argument("--top", type=int, default=10, help="entries per breakdown")
    parser.add_argument("--no-peer", action="store_true",
                        help="skip detect-secrets (it takes several times our time): our figures only")
    args = parser.parse_args()
    names = None if args.all else (args.packages.split(",") if args.packages else DEFAULT_PACKAGES)
    with tempfile.TemporaryDirectory(prefix="dg-noise-") as tmp:
        tree = copy_packages(Path(tmp) / "packages", names)
        megabytes = tree_bytes(tree) / 1e6
        print(f"packages from {site_packages()}: {', '.join(sorted(p.name for p in tree.iterdir()))}",
              flush=True)
        result, seconds = scan_ours(tree)
        theirs, their_seconds = (Counter(), 0.0) if args.no_peer else scan_detect_secrets(tree)
    report(result, seconds, theirs, their_seconds, megabytes, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
