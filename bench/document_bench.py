"""Figures for safe inputs, extraction and the document scanner (run: python -m bench.document_bench).

Each figure is printed beside its baseline:
- streaming a large CSV: peak memory of our extraction vs reading the file whole;
- a 1 GiB zip bomb: bytes decompressed before refusal vs what zipfile.extractall would write;
- extraction time per format for the planted corpus, and OCR seconds per scanned page;
- the whole document scanner (with the real detection engine, when it is installed) on a directory.
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


def bench_scanner(workdir: Path, copies: int) -> dict[str, Any]:
    """The document scanner on a directory of every format (needs services.detection.scan_text)."""
    try:
        from services.scanners.document import DocumentScanner
    except ImportError as error:
        return {"skipped": f"detection engine not available: {error}"}
    root = workdir / "scan"
    rendered = render_all(root, planted_samples() * copies)
    # the scanner only reads inside the configured roots: this CLI is the edge that sets them
    os.environ["DG_SCAN_ROOTS"] = str(root)
    get_settings.cache_clear()
    started = time.perf_counter()
    result = DocumentScanner().scan({"path": str(root)}, lambda percent, message: None)
    seconds = time.perf_counter() - started
    return {"files": result["summary"]["items_scanned"], "findings": result["summary"]["findings_total"],
            "errors": len(result["errors"]), "seconds": round(seconds, 2),
            "recall_by_format": _recall(rendered, result["findings"])}


def _recall(rendered: list[tuple[Path, list[dict[str, Any]]]], findings: list[dict[str, Any]]
            ) -> dict[str, Any]:
    """Per format and type: planted values found at their expected location / planted."""
    figures: dict[str, dict[str, list[int]]] = {}
    for path, expected in rendered:
        fmt = "png" if path.suffix == ".png" else path.name.split(".")[0].replace("samples", path.suffix[1:])
        mine = [f for f in findings if f["location"]["path"] == str(path)]
        for entry in expected:
            hit = any(f["type"] == entry["type"] and entry["location"].items() <= f["location"].items()
                      for f in mine)
            counts = figures.setdefault(fmt, {}).setdefault(entry["type"], [0, 0])
            counts[0] += hit
            counts[1] += 1
    return {fmt: {kind: f"{found}/{total}" for kind, (found, total) in kinds.items()}
            for fmt, kinds in figures.items()}


def main() -> None:
    """Run every bench and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-mib", type=int, default=64)
    parser.add_argument("--copies", type=int, default=25, help="planted corpus repetitions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dg-bench-") as tmp:
        workdir = Path(tmp)
        figures = {
            "streaming": bench_streaming(workdir, args.csv_mib),
            "zip_bomb": bench_bomb(workdir),
            "formats": bench_formats(workdir, args.copies),
            "scanner": bench_scanner(workdir, args.copies),
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
