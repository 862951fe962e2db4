"""The image scanner in-process: planted pictures and their clean twins, the redacted copies scanned
again, every format, bad input, options. Real tesseract and OpenCV; OCR runs on a handful of pictures."""

from __future__ import annotations

import io
import json
import logging
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from services.scanner_processes.main import QUIET_LOGGERS
from services.scanners import get_scanner
from services.scanners.image.metadata import gps_position
from tests.scanners import image_fixtures as fx
from utils.config import get_settings
from utils.errors import InvalidRequestError, ScanCancelledError, UnsafeInputError

TEXT_TYPES = ("pii.", "secret.", "special.")


class ProgressLog:
    """A progress sink that remembers every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, percent: float, message: str) -> None:
        self.calls.append((percent, message))


def scan(path: Path, options: dict[str, Any] | None = None, progress: Any = None) -> dict[str, Any]:
    """Run the registered image scanner in-process."""
    request: dict[str, Any] = {"path": str(path)}
    if options is not None:
        request["options"] = options
    return get_scanner("image").scan(request, progress or ProgressLog())


def of(result: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """Findings in the picture whose path ends with `name`."""
    return [f for f in result["findings"] if f["location"]["path"].endswith("/" + name)]


def types_in(result: dict[str, Any], name: str) -> set[str]:
    return {f["type"] for f in of(result, name)}


def assert_no_raw_values(*outputs: str) -> None:
    for output in outputs:
        for value in fx.PLANTED_RAW:
            assert value not in output, f"raw planted value leaked: {value[:3]}…"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any], str]]:
    """One scan (with redacted copies) of the planted pictures and their twins: (root, result, log)."""
    base = tmp_path_factory.mktemp("image")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DG_SCAN_ROOTS", str(base / "roots"))
        patch.setenv("DG_DATA_DIR", str(base / "data"))
        get_settings.cache_clear()
        fx.write_planted(base / "roots" / "pictures")
        records: list[logging.LogRecord] = []
        handler = logging.Handler()
        handler.emit = records.append  # type: ignore[method-assign,assignment]
        logging.getLogger().addHandler(handler)
        previous = logging.getLogger().level
        logging.getLogger().setLevel(logging.DEBUG)
        for name in QUIET_LOGGERS:  # as a worker at DEBUG has them
            patch.setattr(logging.getLogger(name), "level", logging.INFO)
        try:
            result = scan(base / "roots" / "pictures", {"redact": True})
        finally:
            logging.getLogger().removeHandler(handler)
            logging.getLogger().setLevel(previous)
        yield base, result, "\n".join(r.getMessage() for r in records)
    get_settings.cache_clear()


def test_every_planted_item_is_found_where_it_is(planted: tuple[Path, dict[str, Any], str]) -> None:
    _, result, log = planted
    assert result["status"] == "completed", result["errors"]
    assert result["summary"]["items_scanned"] == 14
    assert {"image.gps_location", "image.person_name", "image.device_serial", "image.device",
            "image.timestamp"} <= types_in(result, "gps.jpg")
    assert {f["location"]["field"] for f in of(result, "gps.jpg") if f["type"] == "image.person_name"} == {
        "EXIF Artist", "EXIF CameraOwnerName"}
    (gps,) = [f for f in of(result, "gps.jpg") if f["type"] == "image.gps_location"]
    assert gps["evidence"] == "52.4, 4.9" and "GDPR Art. 4(1)" in gps["gdpr_articles"]
    assert {"pii.bsn", "pii.iban", "pii.phone"} <= types_in(result, "letter.png")
    assert {"pii.email", "pii.iban"} <= types_in(result, "table.png")
    assert "pii.bsn" in types_in(result, "id_card.jpg")  # photographed, tilted, on a desk
    assert {"pii.bsn", "pii.iban"} <= types_in(result, "payslip.png")  # a grey, blurred scan
    for finding in of(result, "letter.png") + of(result, "table.png"):
        left, top, width, height = finding["location"]["box"]  # where on the picture, in its pixels
        assert 0 <= left < 1240 and 0 <= top < 700 and width > 0 and height > 0
        assert finding["location"]["source"] == "pixels"
    (bsn,) = [f for f in of(result, "letter.png") if f["type"] == "pii.bsn"]
    assert bsn["location"]["line"] == 2 and 100 < bsn["location"]["box"][1] < 140  # the second line
    (face,) = [f for f in of(result, "face.jpg") if f["type"] == "image.face"]
    assert face["explanation"]["count"] == 1 and len(face["location"]["boxes"]) == 1
    assert face["severity"] == "high" and "GDPR Art. 9" in face["gdpr_articles"]
    # the crop hides the astronaut; the thumbnail still shows her
    assert types_in(result, "cropped.jpg") == {"image.thumbnail_differs", "image.face"}
    assert [f["location"]["source"] for f in of(result, "cropped.jpg") if f["type"] == "image.face"] == [
        "thumbnail"]
    rows = {Path(row["path"]).name: row for row in result["image"]["images"]}
    assert rows["cropped.jpg"]["thumbnail"] == "differs" and rows["cropped_clean.jpg"]["thumbnail"] == "same"
    assert_no_raw_values(json.dumps(result), log)


def test_the_clean_twins_give_no_high_severity_finding(planted: tuple[Path, dict[str, Any], str]) -> None:
    _, result, _ = planted
    for twin in ("gps_clean.jpg", "letter_clean.png", "table_clean.png", "face_clean.jpg",
                 "cropped_clean.jpg", "id_card_clean.jpg", "payslip_clean.png"):
        severities = {f["severity"] for f in of(result, twin)}
        assert not severities & {"critical", "high"}, (twin, of(result, twin))
        assert not {t for t in types_in(result, twin) if t.startswith(TEXT_TYPES)}, (twin, of(result, twin))


def test_redacted_copies_scanned_again_give_no_text_face_or_gps(
        planted: tuple[Path, dict[str, Any], str], monkeypatch: pytest.MonkeyPatch) -> None:
    base, result, _ = planted
    artifacts = result["artifacts"]
    assert len(artifacts) == 14 and result["image"]["redacted_copies"] == 14
    folder = Path(artifacts[0]["path"]).parent
    # outside a job: the upload directory's artifacts (in a job, the organisation's own: tests/rest_api)
    assert folder.parent == base / "data" / "uploads" / "artifacts" / "image"
    for artifact in artifacts:
        path = Path(artifact["path"])
        assert path.parent == folder and stat.S_IMODE(path.stat().st_mode) == 0o600
        assert artifact["bytes"] == path.stat().st_size and artifact["kind"] == "redacted_copy"
        with Image.open(path) as copy:
            assert not copy.getexif() and "exif" not in copy.info  # metadata stripped, thumbnail too
    monkeypatch.setenv("DG_SCAN_ROOTS", str(base / "data"))
    monkeypatch.setenv("DG_DATA_DIR", str(base / "data"))
    get_settings.cache_clear()
    again = scan(folder)
    get_settings.cache_clear()
    assert again["status"] == "completed" and again["summary"]["items_scanned"] == 14
    kinds = {f["type"] for f in again["findings"]}
    assert not {k for k in kinds if k.startswith(TEXT_TYPES)}, again["findings"]
    assert not kinds & {"image.face", "image.gps_location", "image.person_name", "image.thumbnail_differs"}


def test_previews_are_of_the_redacted_pictures(planted: tuple[Path, dict[str, Any], str]) -> None:
    import base64

    from services.scanners.image.faces import find_faces

    _, result, _ = planted
    rows = {Path(row["path"]).name: row for row in result["image"]["images"]}
    assert all(row["preview"].startswith("data:image/jpeg;base64,") for row in rows.values())
    face_preview = Image.open(io.BytesIO(base64.b64decode(rows["face.jpg"]["preview"].split(",", 1)[1])))
    original = fx.face_photo()
    original.thumbnail((160, 160))
    assert find_faces(original.resize((512, 512))) and not find_faces(face_preview.resize((512, 512)))


def _formats(root: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    face = fx.face_photo(256)
    face.save(root / "face.webp", "WEBP")
    face.save(root / "face.bmp", "BMP")
    face.save(root / "face.heic", "HEIF")
    face.convert("P", palette=Image.Palette.ADAPTIVE).save(root / "face.gif", "GIF")
    fx.landscape().save(root / "pages.tiff", "TIFF", save_all=True, append_images=[face])
    with zipfile.ZipFile(root / "album.zip", "w") as album:
        album.writestr("trip/face.png", _png(face))
        album.writestr("trip/readme.txt", "not a picture")


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_every_format_folders_and_archives_are_read(scan_root: Path) -> None:
    _formats(scan_root)
    progress = ProgressLog()
    result = scan(scan_root, {"ocr": False, "redact": True}, progress)
    assert result["status"] == "completed", result["errors"]
    faces = {(Path(f["location"]["path"]).name, f["location"].get("page")) for f in result["findings"]
             if f["type"] == "image.face"}
    assert faces == {("face.webp", None), ("face.bmp", None), ("face.heic", None), ("face.gif", None),
                     ("pages.tiff", 2), ("face.png", None)}
    assert any(f["location"]["path"].endswith("album.zip!/trip/face.png") for f in result["findings"])
    assert {Path(s["path"]).name for s in result["skipped"]} == {"readme.txt"}
    formats = {Path(r["path"]).name: r["format"] for r in result["image"]["images"]}
    assert formats["face.heic"] == "HEIF" and formats["pages.tiff"] == "TIFF"
    per_image = [message for _, message in progress.calls if message.startswith("image ")]
    assert len(per_image) == 6 and per_image[0].startswith("image 1 of 6")
    # one redacted PNG per page of a multi-page picture, each listed with its page
    pages = [(a["name"], a.get("page")) for a in result["artifacts"] if a["of"].endswith("pages.tiff")]
    assert [page for _, page in pages] == [1, 2] and all(name.endswith(".redacted.png") for name, _ in pages)
    row = next(r for r in result["image"]["images"] if r["path"].endswith("pages.tiff"))
    assert [result["artifacts"][i]["page"] for i in row["redacted"]] == [1, 2]


def test_bad_input_gives_clear_outcomes_and_the_scanner_goes_on(scan_root: Path) -> None:
    fx.write_bad(scan_root / "bad")
    fx.face_photo(256).save(scan_root / "bad" / "fine.jpg")
    result = scan(scan_root / "bad", {"ocr": False})
    assert result["status"] == "degraded"
    errors = {Path(e["path"]).name: (e["kind"], e["message"]) for e in result["errors"]}
    assert errors["truncated.jpg"] == ("corrupt", "truncated.jpg: image file is truncated")
    assert errors["bomb.png"][0] == "too_large" and "too many pixels" in errors["bomb.png"][1]
    assert errors["not_an_image.png"][0] == "unsupported" and "not a picture" in errors["not_an_image.png"][1]
    assert errors["empty.jpg"] == ("corrupt", "empty.jpg: empty file (0 bytes)")
    assert errors["animated.gif"] == ("too_large", "animated.gif: only the first 50 frames read "
                                                   "(of more than 50)")
    assert set(errors) == {"truncated.jpg", "bomb.png", "not_an_image.png", "empty.jpg", "animated.gif"}
    assert result["notes"] == [{"path": str(scan_root / "bad" / "really_png.jpg"),
                                "note": "named .jpg but its content is PNG; read as PNG"}]
    assert result["summary"]["items_scanned"] == 3  # really_png.jpg, animated.gif (partly), fine.jpg
    assert types_in(result, "fine.jpg") == {"image.face"}
    assert_no_raw_values(json.dumps(result))
    alone = scan(scan_root / "bad" / "empty.jpg")
    assert alone["status"] == "failed" and alone["summary"]["compliance_score"] is None


def test_archives_keep_the_archive_safety_of_the_other_scanners(scan_root: Path) -> None:
    from tests.inputs.bombs import zip_bomb

    with zipfile.ZipFile(scan_root / "upload.zip", "w") as upload:
        upload.writestr("photos/face.jpg", fx.jpeg_bytes(fx.face_photo(256)))
        upload.writestr("../escape.jpg", fx.jpeg_bytes(fx.face_photo(256)))
    zip_bomb(scan_root / "bomb.zip", mib=300, name="zeros.png")
    result = scan(scan_root, {"ocr": False})
    assert result["status"] == "degraded"
    assert types_in(result, "face.jpg") == {"image.face"}
    errors = {e["path"]: e["message"] for e in result["errors"]}
    assert errors[f"{scan_root}/upload.zip!/../escape.jpg"] == "path traversal (..)"
    assert "archive bomb" in errors[f"{scan_root}/bomb.zip!/zeros.png"]
    assert not (scan_root.parent / "escape.jpg").exists()


def test_a_pixel_count_over_the_limit_is_refused_before_decoding(scan_root: Path) -> None:
    fx.landscape((400, 300)).save(scan_root / "big.png")
    result = scan(scan_root / "big.png", {"max_pixels": 100_000})
    assert result["status"] == "failed"
    assert result["errors"][0]["message"] == ("big.png: image has too many pixels (400 x 300); the limit is "
                                              "100,000 (a decompression bomb?)")


def test_xmp_and_iptc_fields_are_read(scan_root: Path) -> None:
    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
           f'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
           f'exif:GPSLatitude="52,22.09N" exif:GPSLongitude="4,53.2E" photoshop:City="Amsterdam">'
           f'<dc:creator><rdf:Seq><rdf:li>{fx.ARTIST}</rdf:li></rdf:Seq></dc:creator>'
           f'<dc:description><rdf:Alt><rdf:li>Contact {fx.EMAIL}</rdf:li></rdf:Alt></dc:description>'
           f'</rdf:Description></rdf:RDF></x:xmpmeta>')
    fx.landscape().save(scan_root / "xmp.jpg", "JPEG", xmp=xmp.encode())
    result = scan(scan_root / "xmp.jpg", {"ocr": False})
    found = {(f["type"], f["location"]["field"]) for f in result["findings"]}
    assert found == {("image.gps_location", "XMP exif:GPS"), ("image.person_name", "XMP creator"),
                     ("image.place_name", "XMP City"), ("pii.email", "XMP description")}
    assert_no_raw_values(json.dumps(result))


def test_iptc_fields_are_read(scan_root: Path) -> None:
    plain = fx.jpeg_bytes(fx.landscape())
    (scan_root / "iptc.jpg").write_bytes(fx.with_iptc(plain, fx.ARTIST, "Amsterdam", f"Mail {fx.EMAIL}"))
    result = scan(scan_root / "iptc.jpg", {"ocr": False})
    found = {(f["type"], f["location"]["field"]) for f in result["findings"]}
    assert found == {("image.person_name", "IPTC By-line"), ("image.place_name", "IPTC City"),
                     ("pii.email", "IPTC Caption-Abstract")}
    assert_no_raw_values(json.dumps(result))


def test_gps_values_that_cannot_be_a_position_are_ignored() -> None:
    assert gps_position({1: "N", 2: (52.0, 22.0, 5.4), 3: "W", 4: (4.0, 0.0, 0.0)}) == pytest.approx(
        (52.368167, -4.0))
    assert gps_position({1: "N", 2: (float("nan"), 0.0, 0.0), 3: "E", 4: (4.0, 0.0, 0.0)}) is None
    assert gps_position({1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (4.0, 0.0, 0.0)}) is None
    assert gps_position({1: "N", 2: (52.0, 0.0, 0.0)}) is None


def test_kinds_choose_what_is_reported(scan_root: Path) -> None:
    fx.write_planted(scan_root)
    result = scan(scan_root / "gps.jpg", {"kinds": ["image.gps_location"], "ocr": False})
    assert {f["type"] for f in result["findings"]} == {"image.gps_location"}


@pytest.mark.parametrize(("options", "message"), [
    ({"max_frames": 51}, "max_frames must be an integer from 1 to 50"),
    ({"max_pixels": 0}, "max_pixels must be an integer from 1 to 80000000"),
    ({"redact": "yes"}, "redact must be true or false"),
    ({"ocr_languages": "eng; rm -rf /"}, "must look like 'eng+nld'"),
    ({"kinds": ["cookie"]}, "may hold pii, secret, special, image"),
    ({"colour": True}, "unknown options: colour"),
])
def test_options_are_checked(scan_root: Path, options: dict[str, Any], message: str) -> None:
    fx.landscape().save(scan_root / "a.png")
    with pytest.raises(InvalidRequestError, match=message.replace("(", r"\(").replace("+", r"\+")):
        scan(scan_root / "a.png", options)


def test_paths_outside_the_scan_roots_are_refused(scan_root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.png"
    fx.landscape().save(outside)
    with pytest.raises(UnsafeInputError):
        scan(outside)


def test_a_cancel_stops_between_images(scan_root: Path) -> None:
    for number in range(3):
        fx.landscape(seed=number % 3).save(scan_root / f"{number}.png")

    def cancel_at_second(percent: float, message: str) -> None:
        if message.startswith("image 2 of"):
            raise ScanCancelledError("cancelled")

    with pytest.raises(ScanCancelledError):
        scan(scan_root, {"ocr": False}, cancel_at_second)
