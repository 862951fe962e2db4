"""Throughput and peak memory of the code scanner and the PII engine beside detect-secrets and Presidio.

    .venv/bin/python bench/scan_speed.py [--files N] [--pii-mb M]

1. Code: the Python standard library's .py files (copied into a temporary scan root) scanned by
   our code scanner (all kinds, and secrets only) and by detect-secrets' default plugins.
2. PII: a large text built from the labelled corpus scanned by our engine (kinds pii) and by
   Presidio's pattern recognizers for the overlapping entities (no NLP model; offline).
3. Precision/recall on the labelled corpus at sample level (does a sample hold a secret / a value
   of the compared PII types), for us and for each reference tool.

Each measurement runs in its own child process so its peak RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PRESIDIO_TYPES = {"EMAIL_ADDRESS": "pii.email", "IBAN_CODE": "pii.iban", "CREDIT_CARD": "pii.credit_card",
                  "IP_ADDRESS": "pii.ip_address"}
ACTIONABLE = 0.5
PII_TYPES = ("bsn", "iban", "credit_card", "email", "phone", "postcode", "date_of_birth", "passport",
             "drivers_license", "national_id", "ip_address")


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


def measure_engine(megabytes: float, kinds: frozenset[str] = frozenset({"pii"})) -> dict:
    """Our engine over the large text: all personal-data types, or only `kinds`."""
    from services.detection import scan_text

    text = pii_text(megabytes)
    scan_text("warm-up", kinds=kinds)  # compiles this selection's hyperscan database outside the timing
    start = time.perf_counter()
    found = scan_text(text, kinds=kinds)
    return {"seconds": time.perf_counter() - start, "bytes": len(text.encode()), "findings": len(found)}


def presidio_recognizers() -> list:
    """Presidio's pattern recognizers for the entities we compare, kept offline."""
    import tldextract
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
    )

    # tldextract would download the public suffix list; the bundled snapshot is enough and offline
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    return [EmailRecognizer(), IbanRecognizer(), CreditCardRecognizer(), IpRecognizer()]


def measure_presidio(megabytes: float) -> dict:
    """Presidio's pattern recognizers over the large text."""
    recognizers = presidio_recognizers()
    text = pii_text(megabytes)
    start = time.perf_counter()
    found = [r for rec in recognizers for r in rec.analyze(text, rec.supported_entities, None)]
    return {"seconds": time.perf_counter() - start, "bytes": len(text.encode()), "findings": len(found)}


def measure_quality() -> dict:
    """Sample-level precision/recall on the labelled corpus: ours vs detect-secrets and Presidio."""
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import default_settings

    from services.detection import scan_text
    from tests.corpus.labelled import labelled_samples

    samples = labelled_samples()
    compared = set(PRESIDIO_TYPES.values())
    recognizers = presidio_recognizers()
    rows = {"secrets_ours": [0, 0, 0], "secrets_detect_secrets": [0, 0, 0], "pii_ours": [0, 0, 0],
            "pii_presidio": [0, 0, 0]}
    with default_settings():
        for sample in samples:
            truth_secret = any(k.startswith("secret.") for k, _, _ in sample.spans)
            truth_pii = {k for k, _, _ in sample.spans} & compared
            ours = [f for f in scan_text(sample.text) if f.confidence >= ACTIONABLE]
            _tally(rows["secrets_ours"], truth_secret, any(f.category == "secret" for f in ours))
            _tally(rows["secrets_detect_secrets"], truth_secret,
                   any(True for line in sample.text.splitlines() for _ in scan_line(line)))
            _tally(rows["pii_ours"], bool(truth_pii), bool({f.type for f in ours} & compared))
            theirs = [r for rec in recognizers for r in rec.analyze(sample.text, rec.supported_entities, None)
                      if r.score >= ACTIONABLE]
            _tally(rows["pii_presidio"], bool(truth_pii), bool(theirs))
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
    measures = {
        "code_all": lambda: measure_code(Path(arg), ["pii", "secret", "special", "code"]),
        "code_secrets": lambda: measure_code(Path(arg), ["secret"]),
        "detect_secrets": lambda: measure_detect_secrets(Path(arg)),
        "engine_pii": lambda: measure_engine(float(arg)),
        "engine_same4": lambda: measure_engine(float(arg), frozenset(PRESIDIO_TYPES.values())),
        "presidio": lambda: measure_presidio(float(arg)),
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


def _mbps(row: dict) -> float:
    return row["bytes"] / 1e6 / row["seconds"]


def main() -> int:
    """Run every measurement and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=3000, help="stdlib .py files to scan")
    parser.add_argument("--pii-mb", type=float, default=8.0, help="MB of text for our PII engine")
    parser.add_argument("--presidio-mb", type=float, default=1.0, help="MB of text for Presidio")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="dg-bench-") as tmp:
        tree = copy_stdlib(Path(tmp) / "stdlib", args.files)
        code = {n: run_child(n, str(tree)) for n in ("code_all", "code_secrets", "detect_secrets")}
    pii = {"engine_pii": run_child("engine_pii", str(args.pii_mb)),
           "engine_same4": run_child("engine_same4", str(args.pii_mb)),
           "presidio": run_child("presidio", str(args.presidio_mb))}
    quality = run_child("quality", "-")
    print(f"code: {code['code_all']['files']} stdlib files, {code['code_all']['bytes'] / 1e6:.1f} MB")
    for name, row in {**code, **pii}.items():
        print(f"  {name:16} {_mbps(row):8.2f} MB/s  peak RSS {row['peak_rss_mb']:6.1f} MB  "
              f"{row['findings']:6} findings  ({row['seconds']:.2f} s)")
    print(f"ratio code scanner (all kinds) / detect-secrets: "
          f"{_mbps(code['code_all']) / _mbps(code['detect_secrets']):.1f}x")
    print(f"ratio code scanner (secrets)   / detect-secrets: "
          f"{_mbps(code['code_secrets']) / _mbps(code['detect_secrets']):.1f}x")
    print(f"ratio PII engine (all {len(PII_TYPES)} pii types) / Presidio pattern recognizers (4 types): "
          f"{_mbps(pii['engine_pii']) / _mbps(pii['presidio']):.1f}x")
    print(f"ratio PII engine (the same 4 types) / Presidio pattern recognizers: "
          f"{_mbps(pii['engine_same4']) / _mbps(pii['presidio']):.1f}x")
    print("sample-level quality on the labelled corpus:")
    for name, row in quality.items():
        if name != "peak_rss_mb":
            print(f"  {name:24} precision {row['precision']:.3f} recall {row['recall']:.3f} "
                  f"(TP {row['tp']} FP {row['fp']} FN {row['fn']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
