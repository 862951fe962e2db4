"""Database scanner throughput: columns classified per second on a 200-table, 2,000-column database,
beside the I/O floor, a plain `SELECT … LIMIT n` of the same columns, measured in the same run.

The database is a SQLite file (no server to start; the sampling and classifying code is the same for
every engine): 200 tables of 10 columns and ROWS rows each, a third of the columns holding personal
data (e-mail, IBAN, phone, BSN), the rest neutral text and numbers. The scanner samples SAMPLE rows a
column at random and classifies them; the floor reads SAMPLE rows of the same columns, first rows
first, and classifies nothing.

    .venv/bin/python bench/database_scan.py [--rows 1000] [--sample 200]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TABLES, COLUMNS = 200, 10


def build(path: Path, rows: int) -> None:
    """The benchmark database: TABLES tables of COLUMNS columns."""
    conn = sqlite3.connect(path)
    names = ["email", "iban", "telefoon", "bsn", "omschrijving", "status", "bedrag", "code", "notes", "extra"]
    for t in range(TABLES):
        conn.execute(f"CREATE TABLE t{t} ({', '.join(f'{n} TEXT' for n in names)})")
        conn.executemany(f"INSERT INTO t{t} VALUES ({', '.join('?' * COLUMNS)})", [
            (f"klant{i}@kpn.nl", "NL91ABNA0417164300", "+31 6 12345678", "111222333",
             f"bestelling {i} verzonden", "actief", f"{i * 3.5:.2f}", f"ART-{i:06d}",
             "geen bijzonderheden", '{"kleur": "blauw"}') for i in range(rows)])
    conn.commit()
    conn.close()


def floor(path: Path, sample: int) -> float:
    """Seconds to read `sample` rows of every column with a plain SELECT … LIMIT."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    started = time.perf_counter()
    for t in range(TABLES):
        conn.execute(f"SELECT * FROM t{t} LIMIT ?", (sample,)).fetchall()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def scanner(path: Path, sample: int) -> tuple[float, int]:
    """Seconds for the database scanner over the file, and the map rows it made."""
    from services.scanners.base import no_progress
    from services.scanners.database import DatabaseScanner

    started = time.perf_counter()
    result = DatabaseScanner().scan({"path": str(path), "options": {"sample_size": sample}}, no_progress)
    elapsed = time.perf_counter() - started
    assert result["database"]["columns_total"] == TABLES * COLUMNS, result["errors"]
    return elapsed, len(result["database"]["map"])


def main(argv: list[str] | None = None) -> int:
    """Build the database, time the floor and the scanner, print both and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, args.rows)
        os.environ["DG_SCAN_ROOTS"] = folder
        from utils.config import get_settings

        get_settings.cache_clear()
        scanner(path, 5)  # warm-up: the detection engine's patterns compile once per process
        read_s = floor(path, args.sample)
        scan_s, rows = scanner(path, args.sample)
    columns = TABLES * COLUMNS
    print(f"database scan: {TABLES} tables, {columns} columns, {args.rows} rows each, sample {args.sample}")
    print(f"  scanner (random sample + classification): {scan_s:.2f} s = {columns / scan_s:.0f} columns/s "
          f"({rows} map rows)")
    print(f"  I/O floor (SELECT … LIMIT {args.sample}): {read_s:.2f} s = {columns / read_s:.0f} columns/s")
    print(f"  ratio: the scanner takes {scan_s / read_s:.1f}x the floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
