"""Images per second through the image scanner, beside tesseract run alone on the same images.

    .venv/bin/python bench/image_speed.py [--count 200]

`--count` mixed pictures are generated (seeded): camera photos with GPS EXIF and a thumbnail, portraits
(scikit-image's astronaut), Dutch letters, spreadsheet screenshots and plain pictures, as JPEG, PNG,
WebP, GIF and TIFF. The scanner reads them all in one scan (metadata, OCR with word boxes, faces,
the detection engine, redacted previews). The baseline is the `tesseract` command alone on every
picture (eng+nld, its defaults): the floor our pipeline adds to, since every picture is OCR'd once.
Both are measured in the same run, one after the other; the ratio is scanner time / tesseract time.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image  # noqa: E402

from tests.scanners import image_fixtures as fx  # noqa: E402

SEED = 19
FORMATS = (("JPEG", ".jpg"), ("PNG", ".png"), ("WEBP", ".webp"), ("GIF", ".gif"), ("TIFF", ".tiff"))


def generate(folder: Path, count: int) -> list[Path]:
    """`count` mixed pictures in `folder`, the same ones for the same count."""
    rng = random.Random(SEED)
    makers = (_photo, _portrait, _letter, _table, _plain)
    paths = []
    for number in range(count):
        kind = makers[number % len(makers)]
        image, exif = kind(rng)
        fmt, suffix = FORMATS[0] if exif else rng.choice(FORMATS)
        path = folder / f"{number:04d}-{kind.__name__.strip('_')}{suffix}"
        if fmt == "GIF":
            image = image.convert("P", palette=Image.Palette.ADAPTIVE)
        image.save(path, fmt, **({"exif": exif} if exif else {}))
        paths.append(path)
    return paths


def _photo(rng: random.Random) -> tuple[Image.Image, bytes | None]:
    image = fx.landscape((1024, 768), seed=rng.randrange(3))
    return image, fx.camera_exif(fx.thumbnail_of(image))


def _portrait(rng: random.Random) -> tuple[Image.Image, bytes | None]:
    return fx.face_photo(rng.choice((384, 512))), None


def _letter(rng: random.Random) -> tuple[Image.Image, bytes | None]:
    return fx.letter(planted=rng.random() < 0.5), None


def _table(rng: random.Random) -> tuple[Image.Image, bytes | None]:
    return fx.table(planted=rng.random() < 0.5), None


def _plain(rng: random.Random) -> tuple[Image.Image, bytes | None]:
    return fx.landscape((800, 600), seed=rng.randrange(3)), None


def scanner_seconds(folder: Path) -> tuple[float, int, int]:
    """(seconds, pictures read, findings) of one image scan of the folder."""
    from services.scanners import get_scanner
    from services.scanners.base import no_progress
    from utils.config import get_settings

    os.environ["DG_SCAN_ROOTS"] = str(folder)  # the bench is an edge: it configures the scan root
    get_settings.cache_clear()
    scanner = get_scanner("image")
    started = time.perf_counter()
    result = scanner.scan({"path": str(folder)}, no_progress)
    return time.perf_counter() - started, result["summary"]["items_scanned"], len(result["findings"])


def tesseract_seconds(paths: list[Path]) -> float:
    """Seconds the tesseract command takes over every picture, one process each (as pytesseract runs it)."""
    started = time.perf_counter()
    for path in paths:
        subprocess.run(["tesseract", str(path), "stdout", "-l", "eng+nld"], capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> int:
    """Generate the pictures, time both, print the figures and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200, help="pictures to generate (default 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = generate(folder, args.count)
        ours, read, findings = scanner_seconds(folder)
        floor = tesseract_seconds(paths)
    print(f"{len(paths)} mixed pictures (photos with GPS and thumbnails, portraits, letters, tables, plain)")
    print(f"image scanner   {read / ours:6.2f} images/s  ({ours:6.1f} s, {findings} findings)")
    print(f"tesseract alone {len(paths) / floor:6.2f} images/s  ({floor:6.1f} s)")
    print(f"ratio           {ours / floor:6.2f}x tesseract's time "
          f"({(ours - floor) / len(paths) * 1000:+.0f} ms per picture)")
    return 0 if read == len(paths) else 1


if __name__ == "__main__":
    sys.exit(main())
