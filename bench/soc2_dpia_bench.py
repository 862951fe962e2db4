"""Figures for the SOC 2 and DPIA scanners (run: python -m bench.soc2_dpia_bench).

Each figure is printed beside its baseline:
- SOC 2 on a large generated tree (copies of the committed good and bad fixture trees): files per
  second, against reading the same files and grepping them for the same risky words;
- false alarms on the good tree: files a grep for secret and exposure words flags, against the
  failures the parsed checks report (zero);
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        os.environ["DG_SCAN_ROOTS"] = os.pathsep.join([workdir, str(FIXTURES)])  # bench is the edge
        get_settings.cache_clear()
        figures = {"soc2": bench_soc2(Path(workdir), args.copies), "soc2_false_alarms": bench_false_alarms(),
                   "dpia": bench_dpia(args.runs)}
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
