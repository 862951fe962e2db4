"""Figures for the SOC 2 and DPIA scanners (run: python -m bench.soc2_dpia_bench).

Each figure is printed beside its baseline:
- SOC 2 on a large generated tree (copies of the committed good and bad fixture trees): files per
  second, against reading the same files and grepping them for the same risky words;
- false alarms on the good tree: files a grep for secret and exposure words flags, against the
  failures the parsed checks report (zero);
- SOC 2 against Checkov, side by side on the same Terraform fixtures (the good/bad trees and the
  module repositories under tests/scanners/fixtures/soc2_modules): failures each reports, settings
  ours leaves not assessed, the planted misconfigurations each finds (with where it points) and
  the time each takes. Checkov runs from its own virtualenv, bench/.venv-checkov (ignored by git),
  created and filled with `pip install checkov==CHECKOV_VERSION` on the first run: checkov's
  bc-python-hcl2 installs under the same module name (`hcl2`) as the python-hcl2 the scanner uses,
  so the two cannot share the project's .venv. `--no-checkov` skips it;
- DPIA: assessments per second for the high-risk answer set, against loading the questionnaire cold;
  and the golden set's agreement (processing operations from WP248 rev.01, the AP list and EDPB
  guidelines whose verdict matches the source, tests/scanners/fixtures/dpia_golden.yaml).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from services.scanners import dpia
from services.scanners.base import no_progress
from services.scanners.dpia import DpiaScanner
from services.scanners.soc2 import Soc2Scanner
from utils.config import get_settings

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "scanners" / "fixtures" / "soc2"
MODULE_FIXTURES = FIXTURES.parent / "soc2_modules"
CHECKOV_VENV = Path(__file__).resolve().parent / ".venv-checkov"
CHECKOV_VERSION = "3.3.30"
CHECKOV_TIMEOUT_S = 600  # one tree; checkov's start-up alone is several seconds
# what a grep-based checker would look for: secrets, wildcards, open networks, weak TLS
GREP = re.compile(r"(?i)(password|secret|token|api_key|\"\*\"|0\.0\.0\.0/0|privileged|latest|TLSv1\b|:80\b)")


def _tree(workdir: Path, copies: int) -> Path:
    root = workdir / "tree"
    for index in range(copies):
        for kind in ("good", "bad"):
            shutil.copytree(FIXTURES / kind, root / f"{kind}{index}")
    return root


def _grep(root: Path) -> tuple[int, float]:
    started = time.perf_counter()
    flagged = 0
    for directory, _, names in os.walk(root):
        for name in names:
            text = (Path(directory) / name).read_text(encoding="utf-8", errors="replace")
            flagged += bool(GREP.search(text))
    return flagged, time.perf_counter() - started


def bench_soc2(workdir: Path, copies: int) -> dict[str, Any]:
    """SOC 2 scan throughput on a generated tree, against a grep of the same files."""
    root = _tree(workdir, copies)
    started = time.perf_counter()
    result = Soc2Scanner().scan({"path": str(root), "options": {"code_scan": False}}, no_progress)
    elapsed = time.perf_counter() - started
    _, grep_s = _grep(root)
    files = result["summary"]["items_scanned"]
    return {"files": files, "soc2_s": round(elapsed, 3), "soc2_files_per_s": round(files / elapsed),
            "grep_s": round(grep_s, 3), "grep_files_per_s": round(files / grep_s),
            "findings": result["summary"]["findings_total"]}


def bench_false_alarms() -> dict[str, Any]:
    """Files of the good tree a grep flags, against failures from the parsed checks."""
    flagged, _ = _grep(FIXTURES / "good")
    result = Soc2Scanner().scan({"path": str(FIXTURES / "good"), "options": {"code_scan": False}},
                                no_progress)
    return {"good_tree_files": result["summary"]["items_scanned"] + 2,  # + CODEOWNERS, settings.yml
            "grep_flagged_files": flagged, "soc2_failures": len(result["findings"])}


def _checkov() -> Path | str:
    """Checkov's executable in its own virtualenv, installed on first use; or why it is unavailable."""
    executable = CHECKOV_VENV / "bin" / "checkov"
    if executable.exists():
        return executable
    try:
        subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True, capture_output=True)
        subprocess.run([str(CHECKOV_VENV / "bin" / "pip"), "install", "-q", f"checkov=={CHECKOV_VERSION}"],
                       check=True, capture_output=True, timeout=CHECKOV_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError) as error:
        return f"checkov could not be installed ({type(error).__name__})"
    return executable


def _run_checkov(executable: Path, tree: Path) -> dict[str, Any]:
    """Failed and passed Terraform checks Checkov reports for one tree, with where it points."""
    started = time.perf_counter()
    completed = subprocess.run(
        [str(executable), "-d", str(tree), "--framework", "terraform", "--skip-download",
         "--download-external-modules", "false", "-o", "json"],
        capture_output=True, text=True, timeout=CHECKOV_TIMEOUT_S, check=False)
    elapsed = time.perf_counter() - started
    reports = json.loads(completed.stdout or "[]")
    results = [r.get("results", {}) for r in (reports if isinstance(reports, list) else [reports])]
    failed = [c for r in results for c in r.get("failed_checks", [])]
    return {"failed": len(failed), "passed": sum(len(r.get("passed_checks", [])) for r in results),
            "failed_ids": sorted({c["check_id"] for c in failed}),
            "failed_at": sorted({f"{c['file_path'].lstrip('/')}:{c['file_line_range'][0]}" for c in failed}),
            "seconds": round(elapsed, 2)}


def _run_ours(tree: Path) -> dict[str, Any]:
    started = time.perf_counter()
    result = Soc2Scanner().scan({"path": str(tree), "options": {"code_scan": False}}, no_progress)
    elapsed = time.perf_counter() - started
    terraform = [f for f in result["findings"] if str(f["location"].get("path", "")).endswith(".tf")]
    return {"failed": len(terraform), "not_assessed": len(result["soc2"]["not_assessed"]),
            "failed_at": sorted({f"{f['location']['path']}:{f['location'].get('line')}" for f in terraform}),
            "rules": sorted({f["explanation"].get("rule", "") for f in terraform}),
            "seconds": round(elapsed, 3)}


def _planted() -> dict[str, set[tuple[str, str, str, int]]]:
    from tests.scanners.test_soc2_terraform import PLANTED_AZURE, PLANTED_GCP, PLANTED_RDS

    return {"soc2_modules/aws-rds": PLANTED_RDS, "soc2_modules/azure-sql": PLANTED_AZURE,
            "soc2_modules/gcp-sql": PLANTED_GCP}


def _recall(planted: set[tuple[str, str, str, int]], ours: dict[str, Any],
            checkov: dict[str, Any] | None) -> dict[str, Any]:
    """Planted misconfigurations each tool reports; Checkov counts when a matching check id failed."""
    from services.scanners.soc2_checks.tf_databases import CHECKOV_IDS

    rules = {rule for _, rule, _, _ in planted}
    with_equivalent = {rule for rule in rules if CHECKOV_IDS.get(rule)}
    found_by_us = {rule for rule in rules if rule in ours["rules"]}
    row: dict[str, Any] = {"planted": len(rules), "ours_found": len(found_by_us),
                           "with_a_checkov_check": len(with_equivalent)}
    if checkov is not None:
        failed = set(checkov["failed_ids"])
        row["checkov_found"] = len({r for r in with_equivalent if failed & set(CHECKOV_IDS[r])})
        row["checkov_missed"] = sorted(r for r in with_equivalent if not failed & set(CHECKOV_IDS[r]))
    return row


def bench_checkov(use_checkov: bool) -> dict[str, Any]:
    """Our SOC 2 Terraform failures beside Checkov's failed checks, tree by tree."""
    executable = _checkov() if use_checkov else "skipped (--no-checkov)"
    trees = {"soc2/bad": FIXTURES / "bad", "soc2/good": FIXTURES / "good",
             **{f"soc2_modules/{p.name}": p for p in sorted(MODULE_FIXTURES.iterdir()) if p.is_dir()}}
    planted = _planted()
    rows: dict[str, Any] = {}
    for name, tree in trees.items():
        ours = _run_ours(tree)
        checkov = _run_checkov(executable, tree) if isinstance(executable, Path) else None
        rows[name] = {"ours": ours, "checkov": checkov if checkov is not None else executable}
        if name in planted:
            rows[name]["planted"] = _recall(planted[name], ours, checkov)
    totals = {"ours_failed": sum(r["ours"]["failed"] for r in rows.values()),
              "ours_not_assessed": sum(r["ours"]["not_assessed"] for r in rows.values())}
    if isinstance(executable, Path):
        totals["checkov_failed"] = sum(r["checkov"]["failed"] for r in rows.values())
    return {"trees": rows, "totals": totals}


def bench_dpia(runs: int) -> dict[str, Any]:
    """DPIA assessments per second, against one cold load of the questionnaire; golden-set agreement."""
    from tests.scanners.test_dpia import HIGH_RISK
    from tests.scanners.test_dpia_golden import agreement

    dpia._questionnaire.cache_clear()
    started = time.perf_counter()
    dpia.load_questionnaire()
    cold_s = time.perf_counter() - started
    scanner = DpiaScanner()
    started = time.perf_counter()
    for _ in range(runs):
        scanner.scan({"answers": HIGH_RISK}, no_progress)
    per_run = (time.perf_counter() - started) / runs
    agreed, cases = agreement()
    return {"questionnaire_cold_load_ms": round(cold_s * 1000, 2),
            "assessment_ms": round(per_run * 1000, 3), "assessments_per_s": round(1 / per_run),
            "golden_cases": cases, "golden_verdicts_agreeing": agreed}


def main() -> None:
    """Print every figure as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=100, help="copies of the good+bad trees")
    parser.add_argument("--runs", type=int, default=500, help="DPIA assessments to time")
    parser.add_argument("--no-checkov", action="store_true", help="skip the side-by-side run of Checkov")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        os.environ["DG_SCAN_ROOTS"] = os.pathsep.join([workdir, str(FIXTURES)])  # bench is the edge
        get_settings.cache_clear()
        figures = {"soc2": bench_soc2(Path(workdir), args.copies), "soc2_false_alarms": bench_false_alarms(),
                   "dpia": bench_dpia(args.runs)}
        os.environ["DG_SCAN_ROOTS"] += os.pathsep + str(MODULE_FIXTURES)
        get_settings.cache_clear()
        figures["soc2_vs_checkov"] = bench_checkov(not args.no_checkov)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
