"""A one-file `cli.py scan code DIR --local` (a pre-commit hook's scan) stays light to start (issue 15).

The libraries behind a few validators and file formats cost more to import than the scan itself:
they load when a candidate or a file needs them, and a detector's pattern compiles when hyperscan
flags a line for it. A module import or an eager `re.compile` creeping back makes this fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.planted import AWS_KEY

ROOT = Path(__file__).resolve().parents[2]
# imported on first use only: python-stdnum and libphonenumber (validators), PyYAML, sqlglot,
# openpyxl and pandas (structured and office formats), pytesseract (OCR)
DEFERRED = ("stdnum", "phonenumbers", "yaml", "sqlglot", "openpyxl", "pandas", "pytesseract")
# standard-library modules only some paths need: git history (subprocess), OCR repair (difflib), an
# organisation's upload folder (uuid, which imports platform), a workbook (zipfile)
DEFERRED_STDLIB = ("subprocess", "difflib", "uuid", "platform", "zipfile")
# our own modules a JSON report of a .py file does not need: the column judge (structured files) and
# the report model with its DPIA tables (PDF only)
DEFERRED_OWN = ("services.detection.structured.columns", "services.reporting.model")
FEW_COMPILED = 10  # of ~320 detectors: those hyperscan flagged on the file's lines (3 here)
# runs the CLI as `python cli.py` would, then reports what the process imported and compiled
PROBE = """
import json, runpy, sys
sys.argv = ["cli.py", "scan", "code", sys.argv[1], "--local", "--output", sys.argv[2]]
try:
    runpy.run_path("cli.py", run_name="__main__")
except SystemExit as stop:
    code = stop.code
from services.detection.registry import ALL_DETECTORS
compiled = [d.name for d in ALL_DETECTORS if getattr(d.pattern, "is_compiled", True)]
print(json.dumps({"code": code, "modules": sorted(sys.modules), "compiled": compiled}))
"""


def test_a_one_file_code_scan_imports_no_deferred_library_and_compiles_few_patterns(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "settings.py").write_text(f'import os\n\nAWS_ACCESS_KEY_ID = "{AWS_KEY}"\nDEBUG = False\n',
                                        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DG_", "STRIPE_"))}
    env.update(DG_DATA_DIR=str(tmp_path / "var"), DG_CACHE_DIR=str(tmp_path / "cache"))
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(report)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    probe = json.loads(proc.stdout.strip().splitlines()[-1])

    assert probe["code"] == 0  # no --fail-on: a completed scan exits 0
    assert [f["type"] for f in json.loads(report.read_text())["results"][0]["findings"]] == [
        "secret.aws_access_key"]
    assert [m for m in probe["modules"] if m.split(".")[0] in DEFERRED or m in DEFERRED_OWN] == []
    assert [m for m in probe["modules"] if m in DEFERRED_STDLIB] == []
    assert "aws_access_key_id" in probe["compiled"]  # the detector that found it, compiled on use
    assert len(probe["compiled"]) <= FEW_COMPILED, probe["compiled"]
