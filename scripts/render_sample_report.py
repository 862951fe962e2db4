"""Render the executive-summary page of a sample report to docs/report-sample.png.

Usage: .venv/bin/python scripts/render_sample_report.py [--language en|nl] [--page 2] [--out PATH]

The sample is one realistic result of every scanner (tests/reporting/samples.py), rendered with a
fixed date so the picture only changes when the report does; pdftoppm (poppler) draws the page.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.reporting.model import build_model  # noqa: E402
from services.reporting.pdf import ReportMeta, render_pdf  # noqa: E402
from tests.reporting.samples import ALL_SCANNERS  # noqa: E402

SAMPLE_DATE = date(2026, 11, 23)
RESOLUTION_DPI = 80


def main() -> int:
    """Render the sample report and one of its pages as PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en", choices=("en", "nl"))
    parser.add_argument("--page", type=int, default=2, help="page to draw (2 = executive summary)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report-sample.png")
    args = parser.parse_args()
    results = [make() for make in ALL_SCANNERS.values()]
    meta = ReportMeta("Bakkerij De Vries B.V.", "", args.language, SAMPLE_DATE)
    data, pages = render_pdf(build_model(results), meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        pdf = Path(work) / "sample.pdf"
        pdf.write_bytes(data)
        prefix = args.out.with_suffix("")
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION_DPI), "-f", str(args.page), "-l",
                        str(args.page), "-singlefile", str(pdf), str(prefix)], check=True)
    print(f"{args.out}: page {args.page} of {pages} ({len(data)} bytes of PDF)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
