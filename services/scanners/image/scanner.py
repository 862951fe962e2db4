"""The image scanner: personal data in pictures, read from their pixels and from what they say about
themselves.

Request: `path` (a picture, a directory or a zip/tar archive inside the allowed scan roots) and
`options` (services/scanners/image/options.py): `ocr`, `ocr_languages`, `faces`, `redact`,
`max_files`, `max_file_bytes`, `max_frames`, `max_pixels`, `archive_depth`, `kinds`.

Per picture (JPEG, PNG, multi-page TIFF, WebP, GIF, BMP, HEIC; the format read from the bytes):
metadata (EXIF, XMP, IPTC: GPS position, names, device serials, timestamps, free text), the text in
each page or frame (tesseract through services/extraction/ocr.py, searched by the detection engine
as OCR'd text, each finding with its box), frontal faces (OpenCV's Haar cascade: biometric data), and
the EXIF thumbnail as a picture of its own (a cropped or edited photo may keep the original there).
A redacted preview of every picture goes into the result's `image` section; with `redact` a full
redacted copy is written among the organisation's own files and listed in the result's `artifacts`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from services.detection import scan_text
from services.detection.fingerprint import fingerprint
from services.detection.types import selected, type_info
from services.extraction.base import ErrorKind, ExtractionError, ExtractOptions
from services.inputs.archives import ArchiveLimits, is_archive, safe_extract
from services.inputs.files import iter_files
from services.inputs.paths import resolve_scan_path
from services.results import Finding, build_result, status_for, utc_now_iso
from services.scanners.base import Progress, Request, Result
from services.scanners.image import reading, redaction
from services.scanners.image.faces import find_faces
from services.scanners.image.metadata import Fact, Metadata, read_metadata
from services.scanners.image.options import ImageOptions
from services.scanners.image.text import TextReading, read_text
from services.scope import artifact_dir
from utils.errors import InvalidRequestError, UnsafeInputError

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 1.0  # inside a many-page TIFF too, so a cancel or deadline is noticed in seconds
MAX_PREVIEWS = 100  # redacted previews kept in one result (a few KB each); later pictures get none
THUMBNAIL_DIFF = 24.0  # mean grey-level difference (0-255) above which a thumbnail shows another picture
THUMBNAIL_COMPARE_SIDE = 640  # the first frame is kept this small to compare with its EXIF thumbnail
THUMBNAIL_ASPECT_DIFF = 0.1  # relative aspect-ratio difference that says the main picture was cropped
ENGINE_CATEGORIES = ("pii", "secret", "special")
FACE_CONFIDENCE = 0.8  # the cascade with MIN_NEIGHBOURS 6: rarely wrong, sometimes a face-like texture


@dataclass(frozen=True)
class _Item:
    path: Path
    display: str


@dataclass
class _Picture:
    """What one picture gave: its summary row, its redacted preview and copies, a small copy of its
    first frame (for the thumbnail check). Frames are not kept: a 50-page scan would not fit."""

    row: dict[str, Any]
    number: int  # among the pictures of the scan, from 1: names its redacted copies
    preview: str | None = None
    copies: list[tuple[int, Path]] = field(default_factory=list)  # (page, file)
    small: Image.Image | None = None


@dataclass
class _Run:
    options: ImageOptions
    progress: Progress
    workdir: Callable[[], Path]
    copies_dir: Callable[[], Path]
    items: list[_Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    pictures: list[dict[str, Any]] = field(default_factory=list)
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    images_scanned: int = 0
    bytes_scanned: int = 0
    archives: int = 0
    last_progress: float = 0.0

    def tick(self, percent: float, message: str) -> None:
        """Progress from inside one picture, at most every PROGRESS_INTERVAL_S (it may cancel us)."""
        now = time.monotonic()
        if now - self.last_progress >= PROGRESS_INTERVAL_S:
            self.last_progress = now
            self.progress(percent, message)

    def error(self, display: str, kind: str, message: str) -> None:
        """Record a per-item problem; the scan goes on."""
        logger.warning("image: %r: %s", display, message)
        self.errors.append({"path": display, "kind": str(kind), "message": message})

    @property
    def extract_options(self) -> ExtractOptions:
        """The OCR knobs shared with the document scanner's extractors."""
        return ExtractOptions(ocr_languages=self.options.ocr_languages)

    @property
    def engine_kinds(self) -> frozenset[str]:
        """What the detection engine is asked for: the selected pii/secret/special categories or types."""
        return frozenset(k for k in self.options.selected if k.split(".")[0] in ENGINE_CATEGORIES)


class ImageScanner:
    """Finds personal data in pictures: metadata, text in the pixels, faces, and their thumbnails."""

    name = "image"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Scan the picture, directory or archive named by `request["path"]`."""
        started_at = utc_now_iso()
        options = ImageOptions.from_request(request.get("options"))
        root = resolve_scan_path(request.get("path"))  # type: ignore[arg-type]
        with contextlib.ExitStack() as cleanup:
            def workdir() -> Path:
                return Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="dg-image-")))

            run = _Run(options, progress, functools.cache(workdir), functools.cache(_copies_dir))
            progress(0.0, "listing images")
            _collect(run, root, str(root), depth=0)
            _scan_items(run)
        progress(100.0, f"scanned {run.images_scanned} images")
        logger.info("image: %s: %d images, %d findings, %d errors", root, run.images_scanned,
                    len(run.findings), len(run.errors))
        section = {"images": run.pictures, "redacted_copies": len(run.artifacts)}
        return build_result(
            self.name, run.findings, started_at=started_at, items_scanned=run.images_scanned,
            bytes_scanned=run.bytes_scanned, errors=run.errors,
            status=status_for(run.images_scanned, run.errors),
            extra={"image": section, "artifacts": run.artifacts, "skipped": run.skipped, "notes": run.notes},
        )


def _copies_dir() -> Path:
    """A new private folder for this scan's redacted copies, among the organisation's own files."""
    return artifact_dir(ImageScanner.name)


# --- listing -------------------------------------------------------------------------------------

def _collect(run: _Run, path: Path, display: str, *, depth: int) -> None:
    def on_skip(skipped: Path, reason: str) -> None:
        run.skipped.append({"path": _display_of(skipped, path, display), "reason": reason})

    for file in iter_files(path, on_skip=on_skip):
        shown = _display_of(file, path, display)
        if len(run.items) >= run.options.max_files:
            run.skipped.append({"path": display, "reason": f"more than {run.options.max_files} images"})
            return
        if is_archive(file) and depth == 0:
            _open_archive(run, file, shown)
        elif is_archive(file):
            run.skipped.append({"path": shown, "reason": "archive nested deeper than archive_depth"})
        elif reading.is_image_name(file) or file == path:
            run.items.append(_Item(file, shown))  # a file named directly is read whatever its name
        else:
            run.skipped.append({"path": shown, "reason": "not a picture (the document scanner reads it)"})


def _display_of(file: Path, root: Path, display: str) -> str:
    return display if file == root else f"{display}/{file.relative_to(root).as_posix()}"


def _open_archive(run: _Run, archive: Path, display: str) -> None:
    run.archives += 1
    limits = ArchiveLimits(max_members=run.options.max_files, max_depth=run.options.archive_depth,
                           max_file_bytes=run.options.max_file_bytes)
    run.progress(0.0, f"extracting {archive.name}")
    try:
        report = safe_extract(archive, run.workdir() / f"archive-{run.archives}", limits)
    except UnsafeInputError as error:
        run.error(display, ErrorKind.UNSAFE, str(error))
        return
    except InvalidRequestError as error:
        run.error(display, ErrorKind.CORRUPT, str(error))
        return
    for entry in report.skipped:
        run.error(f"{display}!/{entry['member']}", "archive_member_skipped", entry["reason"])
    _collect(run, report.root, f"{display}!", depth=1)


# --- scanning ------------------------------------------------------------------------------------

def _scan_items(run: _Run) -> None:
    total = max(len(run.items), 1)
    for index, item in enumerate(run.items):
        percent = 5.0 + 95.0 * index / total
        run.progress(percent, f"image {index + 1} of {len(run.items)}: {item.display}")
        run.last_progress = time.monotonic()
        picture = _Picture({}, index + 1)
        try:
            _scan_picture(run, item, picture, percent)
        except ExtractionError as error:
            run.error(item.display, error.kind, str(error))
            for _, copy in picture.copies:  # half a picture's copies would look like all of it
                copy.unlink(missing_ok=True)
            continue
        run.images_scanned += 1
        run.bytes_scanned += item.path.stat().st_size
        _keep(run, item, picture)


def _scan_picture(run: _Run, item: _Item, picture: _Picture, percent: float) -> None:
    size = item.path.stat().st_size
    if size > run.options.max_file_bytes:
        raise ExtractionError(ErrorKind.TOO_LARGE, f"{item.path.name}: {size} bytes, over the "
                                                   f"{run.options.max_file_bytes}-byte limit")
    with reading.opened(item.path, run.options.max_pixels) as image:
        mismatch = reading.name_mismatch(item.path, image)
        if mismatch:
            run.notes.append({"path": item.display, "note": mismatch})
        try:
            picture.row.update({"path": item.display, "format": image.format, "width": image.width,
                                "height": image.height,
                                "frames": reading.frame_count(image, run.options.max_frames)})
            metadata = read_metadata(image)
        except reading.DECODE_FAILURES as error:
            raise reading.unreadable(item.path, error) from None
        _scan_frames(run, item, image, picture, percent)
    _report_metadata(run, item, metadata, picture)


def _scan_frames(run: _Run, item: _Item, image: Image.Image, picture: _Picture, percent: float) -> None:
    faces = texts = read = 0
    many = picture.row["frames"] > 1
    for frame in reading.frames(item.path, image, run.options.max_frames, run.options.max_pixels):
        run.tick(percent, f"reading {item.display} (frame {frame.number})")
        read += 1
        if frame.repeat:  # an animation standing still: its first reading (and copy) stands
            continue
        where = {"page": frame.number} if many else {}
        face_boxes, reading_ = _look_at(run, item, frame.image, {**where, "source": "pixels"})
        faces += len(face_boxes)
        texts += len(reading_.findings)
        _redact(run, picture, frame, redaction.redacted(frame.image, face_boxes, reading_.boxes), many)
    if picture.row["frames"] > run.options.max_frames:
        run.error(item.display, ErrorKind.TOO_LARGE,
                  f"{item.path.name}: only the first {run.options.max_frames} frames read "
                  f"(of more than {run.options.max_frames})")
    picture.row.update({"frames_read": read, "faces": faces, "text_findings": texts})


def _redact(run: _Run, picture: _Picture, frame: reading.Frame, copy: Image.Image, many: bool) -> None:
    """Keep the first frame's preview and small copy; write the redacted frame when copies are asked."""
    if picture.small is None:
        picture.small = frame.image.copy()
        picture.small.thumbnail((THUMBNAIL_COMPARE_SIDE, THUMBNAIL_COMPARE_SIDE))
        if len(run.pictures) < MAX_PREVIEWS:
            picture.preview = redaction.preview(copy)
    if run.options.redact:
        stem = f"image-{picture.number:04d}" + (f"-p{frame.number:03d}" if many else "")
        picture.copies.append((frame.number, redaction.write_copy(copy, run.copies_dir(), stem)))


def _look_at(run: _Run, item: _Item, image: Image.Image,
             location: dict[str, Any]) -> tuple[list[tuple[int, int, int, int]], TextReading]:
    """Faces and text of one frame (or thumbnail), each reported; their boxes for the redacted copy."""
    boxes: list[tuple[int, int, int, int]] = []
    if run.options.faces and selected("image.face", run.options.selected):
        boxes = find_faces(image)
        if boxes:
            run.findings.append(_face_finding(item, boxes, location))
    reading_ = TextReading([], [], 0)
    if run.options.ocr and run.engine_kinds:
        reading_ = read_text(image, run.extract_options, display=item.display, location=location,
                             kinds=run.engine_kinds)
        run.findings += reading_.findings
    return boxes, reading_


def _face_finding(item: _Item, boxes: list[tuple[int, int, int, int]], location: dict[str, Any]) -> Finding:
    count = len(boxes)
    return _finding("image.face", {"path": item.display, **location, "boxes": [list(b) for b in boxes]},
                    f"{count} face{'s' if count != 1 else ''}", f"{count}:{boxes}", item.display,
                    {"count": count, "detector": "OpenCV Haar cascade (frontal face)"}, FACE_CONFIDENCE)


def _finding(kind: str, location: dict[str, Any], evidence: str, value: str, display: str,
             explanation: dict[str, Any], confidence: float) -> Finding:
    info = type_info(kind)
    return Finding(type=kind, category=info.category, severity=info.severity, confidence=confidence,
                   location=location, evidence=evidence, gdpr_articles=info.articles,
                   remediation=info.remediation, explanation=explanation,
                   fingerprint=fingerprint(kind, value, display))


# --- metadata and the thumbnail -----------------------------------------------------------------

def _report_metadata(run: _Run, item: _Item, metadata: Metadata, picture: _Picture) -> None:
    for fact in metadata.facts:
        if selected(fact.type, run.options.selected):
            run.findings.append(_fact_finding(item, fact))
    for where, text in metadata.texts:
        for found in scan_text(text, path=item.display, kinds=run.engine_kinds) if run.engine_kinds else []:
            run.findings.append(_relocated(found, {"path": item.display, "field": where,
                                                   "source": "metadata"}))
    picture.row["metadata"] = sorted({fact.type for fact in metadata.facts})
    picture.row["thumbnail"] = "none"
    if metadata.thumbnail is not None and picture.small is not None:
        _scan_thumbnail(run, item, metadata.thumbnail, picture.small, picture)


def _fact_finding(item: _Item, fact: Fact) -> Finding:
    location = {"path": item.display, "field": fact.field, "source": "metadata"}
    return _finding(fact.type, location, fact.evidence, fact.value, item.display,
                    {"field": fact.field, **fact.detail}, 0.95)


def _relocated(finding: Finding, location: dict[str, Any]) -> Finding:
    return dataclasses.replace(finding, location=location)


def _scan_thumbnail(run: _Run, item: _Item, data: bytes, main: Image.Image, picture: _Picture) -> None:
    try:
        with Image.open(io.BytesIO(data)) as opened:
            reading.check_pixels(item.path, opened, run.options.max_pixels)
            thumbnail = opened.convert("RGB")
    except (ExtractionError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        run.notes.append({"path": item.display, "note": "the EXIF thumbnail could not be read"})
        return
    differs = thumbnail_differs(thumbnail, main)
    picture.row["thumbnail"] = "differs" if differs else "same"
    if not differs:
        return  # a small copy of the picture shows nothing the picture itself did not (read in full)
    if selected("image.thumbnail_differs", run.options.selected):
        run.findings.append(_finding(
            "image.thumbnail_differs", {"path": item.display, "field": "EXIF IFD1 thumbnail",
                                        "source": "metadata"},
            f"thumbnail {thumbnail.width}x{thumbnail.height} shows another picture",
            f"thumbnail:{len(data)}", item.display, {"thumbnail_size": [thumbnail.width, thumbnail.height]},
            0.9))
    # what only the thumbnail shows leaves with the file: its faces and text are reported too
    _look_at(run, item, thumbnail, {"source": "thumbnail"})


def thumbnail_differs(thumbnail: Image.Image, main: Image.Image) -> bool:
    """True when the thumbnail is not a small copy of the main picture (cropped, edited or another one)."""
    aspect_thumb = thumbnail.width / max(thumbnail.height, 1)
    aspect_main = main.width / max(main.height, 1)
    if abs(aspect_thumb - aspect_main) / aspect_main > THUMBNAIL_ASPECT_DIFF:
        return True
    small = main.convert("L").resize(thumbnail.size, Image.Resampling.BOX)
    pixels_a, pixels_b = small.tobytes(), thumbnail.convert("L").tobytes()
    difference = sum(abs(a - b) for a, b in zip(pixels_a, pixels_b, strict=True)) / max(len(pixels_a), 1)
    return difference > THUMBNAIL_DIFF


# --- results -------------------------------------------------------------------------------------

def _keep(run: _Run, item: _Item, picture: _Picture) -> None:
    """Add the picture's row (with its redacted preview) and list its redacted copies as artifacts."""
    row = picture.row
    if picture.preview is not None:
        row["preview"] = picture.preview
    if picture.copies:
        row["redacted"] = list(range(len(run.artifacts), len(run.artifacts) + len(picture.copies)))
    for page, path in picture.copies:
        entry = {"name": path.name, "path": str(path), "kind": "redacted_copy", "of": item.display,
                 "media_type": "image/png", "bytes": path.stat().st_size, "sha256": redaction.sha256_of(path)}
        run.artifacts.append({**entry, "page": page} if len(picture.copies) > 1 else entry)
    run.pictures.append(row)
