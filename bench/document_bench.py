"""Figures for safe inputs, extraction and the document scanner (run: python -m bench.document_bench).

Each figure is printed beside its baseline:
- streaming a large CSV: peak memory of our extraction vs reading the file whole;
- a 1 GiB zip bomb: bytes decompressed before refusal vs what zipfile.extractall would write;
- extraction time per format for the planted corpus, and OCR seconds per scanned page;
- the whole document scanner on the labelled corpus rendered in every format: recall and precision
  of actionable findings at their expected location, per format.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.extraction import ExtractOptions, extract_file
from services.inputs.archives import ArchiveLimits, safe_extract
from tests.corpus.formats import FORMATS, render_all
from tests.corpus.labelled import ACTIONABLE, labelled_samples
from tests.extraction.planted import planted_samples
from tests.inputs.bombs import MIB, zip_bomb
from utils.config import get_settings

CSV_ROW = "12345;Jan Jansen;Dorpsstraat 1;1234 AB;Groningen;klant sinds 2001;actief\n"


def _peak(work: Callable[[], Any]) -> tuple[int, float]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        work()
        return tracemalloc.get_traced_memory()[1], time.perf_counter() - started
    finally:
        tracemalloc.stop()


def bench_streaming(workdir: Path, mib: int) -> dict[str, Any]:
    """Peak memory of extracting a large CSV, against reading it whole."""
    path = workdir / "large.csv"
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(mib * MIB // len(CSV_ROW)):
            handle.write(CSV_ROW)
    def extract() -> int:
        return sum(1 for _ in extract_file(path, ExtractOptions(max_file_bytes=2**40)))

    ours, _ = _peak(extract)
    naive, _ = _peak(lambda: path.read_text(encoding="utf-8").splitlines())
    started = time.perf_counter()  # throughput without tracemalloc's overhead
    extract()
    seconds = time.perf_counter() - started
    size = path.stat().st_size
    return {"file_mib": round(size / MIB, 1), "peak_mib": round(ours / MIB, 2),
            "baseline_read_whole_peak_mib": round(naive / MIB, 2),
            "extract_mib_per_s": round(size / MIB / seconds, 1)}


def bench_bomb(workdir: Path) -> dict[str, Any]:
    """A 1 GiB zip bomb: what we decompress before refusing it."""
    archive = zip_bomb(workdir / "bomb.zip", mib=1024)
    started = time.perf_counter()
    report = safe_extract(archive, workdir / "bomb-out", ArchiveLimits())
    seconds = time.perf_counter() - started
    return {"archive_kib": archive.stat().st_size // 1024, "refused": report.skipped[0]["reason"],
            "bytes_left_on_disk": report.bytes, "seconds": round(seconds, 2),
            "decompressed_before_refusal_mib": round(report.decompressed / MIB, 1),
            "baseline_extractall_writes_mib": 1024}


def bench_formats(workdir: Path, copies: int) -> dict[str, Any]:
    """Extraction seconds per format for the planted corpus repeated `copies` times."""
    samples = planted_samples() * copies
    figures: dict[str, Any] = {}
    for name in FORMATS:
        rendered = render_all(workdir / f"fmt-{name}", samples, [name])
        started = time.perf_counter()
        chunks = sum(1 for path, _ in rendered for _ in extract_file(path, ExtractOptions()))
        seconds = time.perf_counter() - started
        size = sum(path.stat().st_size for path, _ in rendered)
        figures[name] = {"files": len(rendered), "kib": size // 1024, "chunks": chunks,
                         "seconds": round(seconds, 3)}
    pages = -(-len(samples) // 12)
    figures["ocr_seconds_per_page"] = round(figures["scanned_pdf"]["seconds"] / pages, 2)
    return figures


def bench_scanner(workdir: Path, samples: list[Any], formats: tuple[str, ...]) -> dict[str, Any]:
    """The document scanner on a directory of `formats`, with recall/precision per format."""
    from services.scanners.document import DocumentScanner

    root = workdir / "scan"
    rendered = render_all(root, samples, formats)
    # the scanner only reads inside the configured roots: this CLI is the edge that sets them
    os.environ["DG_SCAN_ROOTS"] = str(root)
    get_settings.cache_clear()
    started = time.perf_counter()
    result = DocumentScanner().scan({"path": str(root)}, lambda percent, message: None)
    seconds = time.perf_counter() - started
    return {"files": result["summary"]["items_scanned"], "findings": result["summary"]["findings_total"],
            "errors": len(result["errors"]), "seconds": round(seconds, 2),
            "by_format": _quality(rendered, result["findings"])}


def _quality(rendered: list[tuple[Path, list[dict[str, Any]]]], findings: list[dict[str, Any]]
             ) -> dict[str, str]:
    """Per file: expected values found at their location, and actionable findings that matched one."""
    figures = {}
    for path, expected in rendered:
        mine = [f for f in findings if f["location"]["path"] == str(path) and f["confidence"] >= ACTIONABLE]
        used: set[int] = set()
        for entry in expected:
            for index, finding in enumerate(mine):
                if index not in used and finding["type"] == entry["type"] \
                        and entry["location"].items() <= finding["location"].items():
                    used.add(index)
                    break
        figures[path.name] = f"recall {len(used)}/{len(expected)}, precision {len(used)}/{len(mine)}"
    return figures


def main() -> None:
    """Run every bench and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-mib", type=int, default=64)
    parser.add_argument("--copies", type=int, default=25, help="planted corpus repetitions")
    parser.add_argument("--ocr", action="store_true",
                        help="include the scanned PDF/PNG in the labelled-corpus scan (about 8 s a page)")
    args = parser.parse_args()
    formats = FORMATS if args.ocr else tuple(f for f in FORMATS if f not in ("scanned_pdf", "png"))
    with tempfile.TemporaryDirectory(prefix="dg-bench-") as tmp:
        workdir = Path(tmp)
        figures = {
            "streaming": bench_streaming(workdir, args.csv_mib),
            "zip_bomb": bench_bomb(workdir),
            "formats": bench_formats(workdir, args.copies),
            "scanner_labelled_corpus": bench_scanner(workdir, labelled_samples(), formats),
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
