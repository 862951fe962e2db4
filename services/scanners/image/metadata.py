"""What a picture says about itself: EXIF, XMP and IPTC fields that identify a person, place or device.

Each field becomes a `Fact`: its finding type, where it was written (`field`, e.g. "EXIF GPSInfo",
"XMP dc:creator", "IPTC By-line"), the raw value (kept inside this module's caller only long enough to
mask and fingerprint it) and the evidence already masked. GPS positions are decoded to decimal degrees
and shown rounded to 0.1 degree (about 11 km): enough to recognise a city, not a house. Free-text
fields (descriptions, comments, captions) are returned as text for the detection engine. The EXIF
thumbnail (IFD1) is returned as bytes so the scanner can read it as a picture of its own.
"""

from __future__ import annotations

import logging
import math
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree
from PIL import ExifTags, Image, IptcImagePlugin

from services.detection.masking import mask

logger = logging.getLogger(__name__)

GPS_SHOWN_DECIMALS = 1  # 0.1 degree of latitude is ~11 km: the evidence names a region, never a house
MAX_FIELD_CHARS = 2000  # longer metadata text is cut: a comment field is not a document
MAX_XMP_BYTES = 1024 * 1024  # an XMP packet is a few KB; more is padding or an attack on the parser
MAX_THUMBNAIL_BYTES = 1024 * 1024  # EXIF's own limit for the APP1 segment is 64 KB

# EXIF tags (IFD0 and the Exif IFD) by what they say
_PERSON_TAGS = {0x013B: "Artist", 0x9C9D: "XPAuthor", 0xA430: "CameraOwnerName"}
_SERIAL_TAGS = {0xA431: "BodySerialNumber", 0xA435: "LensSerialNumber"}
_DEVICE_TAGS = {0x010F: "Make", 0x0110: "Model", 0xA434: "LensModel"}
_TIME_TAGS = {0x0132: "DateTime", 0x9003: "DateTimeOriginal", 0x9004: "DateTimeDigitized"}
_TEXT_TAGS = {0x010E: "ImageDescription", 0x9286: "UserComment", 0x9C9C: "XPComment",
              0x9C9F: "XPSubject", 0x9C9B: "XPTitle", 0x8298: "Copyright"}
# IPTC-IIM datasets (record 2)
_IPTC_PERSON = {(2, 80): "By-line", (2, 122): "Writer-Editor"}
_IPTC_PLACE = {(2, 90): "City", (2, 92): "Sub-location", (2, 95): "Province-State"}
_IPTC_TIME = {(2, 55): "DateCreated"}
_IPTC_TEXT = {(2, 120): "Caption-Abstract", (2, 105): "Headline", (2, 116): "CopyrightNotice"}
# XMP properties by local name
_XMP_PERSON = {"creator", "Owner", "OwnerName", "CameraOwnerName", "AuthorsPosition", "CaptionWriter"}
_XMP_SERIAL = {"SerialNumber", "BodySerialNumber", "LensSerialNumber"}
_XMP_PLACE = {"City", "Location", "Sublocation", "State"}
_XMP_TEXT = {"description", "UserComment", "Headline", "title", "rights"}
_XMP_COORD = re.compile(  # "52,22.09N" or "52,22,5.4N"
    r"^\s*(\d{1,3})\s*,\s*(\d{1,2}(?:\.\d+)?)(?:\s*,\s*(\d{1,2}(?:\.\d+)?))?\s*([NSEW])\s*$")


@dataclass(frozen=True)
class Fact:
    """One identifying metadata field: its finding type, where it is, its raw and its masked value."""

    type: str
    field: str
    value: str  # raw: for the fingerprint only, never stored
    evidence: str
    detail: dict[str, Any]


@dataclass
class Metadata:
    """Everything identifying in one picture's metadata."""

    facts: list[Fact]
    texts: list[tuple[str, str]]  # (field, free text) for the detection engine
    thumbnail: bytes | None


def read_metadata(image: Image.Image) -> Metadata:
    """The identifying fields, free texts and EXIF thumbnail of an opened picture."""
    found = Metadata([], [], None)
    with warnings.catch_warnings():
        # "Corrupt EXIF data", "Tag data larger than file": Pillow skips the damaged tag and so do we
        warnings.simplefilter("ignore", UserWarning)
        exif = image.getexif()
        _exif_facts(exif, found)
        _xmp_facts(image, found)
        _iptc_facts(image, found)
        found.thumbnail = _thumbnail(image, exif)
    return found


# --- EXIF ----------------------------------------------------------------------------------------

def _exif_facts(exif: Image.Exif, found: Metadata) -> None:
    tags: dict[int, Any] = dict(exif)
    try:
        tags.update(exif.get_ifd(ExifTags.IFD.Exif))
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except (KeyError, ValueError, TypeError, OSError, SyntaxError):
        gps = {}  # a damaged sub-IFD: IFD0 is still read
    _add(found, "image.person_name", tags, _PERSON_TAGS, "EXIF")
    _add(found, "image.device_serial", tags, _SERIAL_TAGS, "EXIF")
    _add(found, "image.device", tags, _DEVICE_TAGS, "EXIF")
    _add(found, "image.timestamp", tags, _TIME_TAGS, "EXIF")
    for tag, name in _TEXT_TAGS.items():
        text = _text(tags.get(tag))
        if text:
            found.texts.append((f"EXIF {name}", text))
    position = gps_position(gps)
    if position is not None:
        found.facts.append(_gps_fact("EXIF GPSInfo", position))


def _add(found: Metadata, kind: str, tags: dict[Any, Any], names: dict[Any, str], where: str) -> None:
    for tag, name in names.items():
        text = _text(tags.get(tag))
        if text:
            found.facts.append(fact(kind, f"{where} {name}", text))


def fact(kind: str, where: str, value: str) -> Fact:
    """A Fact with its evidence masked the way its type is shown."""
    if kind == "image.device":
        evidence = value[:80]  # a camera model is not personal data: shown as written
    elif kind == "image.timestamp":
        evidence = _masked_time(value)
    else:
        evidence = mask(value)
    return Fact(kind, where, value, evidence, {})


def _masked_time(value: str) -> str:
    """The year and month of a timestamp; the day and time (when someone was where) hidden."""
    digits = re.match(r"\s*(\d{4})[:\-](\d{2})", value)
    return f"{digits.group(1)}-{digits.group(2)}-** **:**" if digits else mask(value)


def _text(value: object) -> str:
    """A tag's value as text: bytes decoded (XP tags are UTF-16), control characters dropped, cut."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = _decode(value)
    elif isinstance(value, tuple) and value and all(isinstance(v, int) for v in value):
        value = _decode(bytes(v & 0xFF for v in value))
    text = "".join(ch for ch in str(value) if ch.isprintable() or ch == "\n").strip()
    return text[:MAX_FIELD_CHARS]


def _decode(raw: bytes) -> str:
    for prefix in (b"ASCII\x00\x00\x00", b"UNICODE\x00", b"\x00" * 8):  # UserComment's character code
        if raw.startswith(prefix):
            raw = raw[8:]
            return raw.decode("utf-16-be" if prefix.startswith(b"UNICODE") else "latin-1", "replace")
    if len(raw) >= 2 and raw[1:2] == b"\x00":  # XPAuthor and friends: UTF-16LE
        return raw.decode("utf-16-le", "replace").rstrip("\x00")
    return raw.decode("utf-8", "replace").rstrip("\x00")


def gps_position(gps: dict[int, Any]) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees from an EXIF GPS IFD; None when absent or impossible."""
    try:
        latitude = _degrees(gps.get(2), gps.get(1), "S")
        longitude = _degrees(gps.get(4), gps.get(3), "W")
    except (TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return latitude, longitude


def _degrees(parts: Any, ref: Any, negative: str) -> float | None:
    if parts is None:
        return None
    values = [float(p) for p in (parts if isinstance(parts, tuple | list) else (parts,))][:3]
    if not values or not all(math.isfinite(v) for v in values):
        return None
    values += [0.0] * (3 - len(values))
    degrees = values[0] + values[1] / 60 + values[2] / 3600
    ref_text = _text(ref).upper()
    return -degrees if ref_text.startswith(negative) else degrees


def _gps_fact(where: str, position: tuple[float, float]) -> Fact:
    latitude, longitude = position
    shown = f"{latitude:.{GPS_SHOWN_DECIMALS}f}, {longitude:.{GPS_SHOWN_DECIMALS}f}"
    detail = {"shown_precision": "0.1 degree (about 11 km); the file holds the exact position"}
    return Fact("image.gps_location", where, f"{latitude:.6f},{longitude:.6f}", shown, detail)


# --- XMP -----------------------------------------------------------------------------------------

def _xmp_facts(image: Image.Image, found: Metadata) -> None:
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet or len(packet) > MAX_XMP_BYTES:
        return
    try:
        root = ElementTree.fromstring(packet if isinstance(packet, bytes) else packet.encode("utf-8"))
    except (ElementTree.ParseError, ValueError) as error:  # defusedxml refuses entities: a hostile packet
        logger.debug("image: unreadable XMP packet (%s)", type(error).__name__)
        return
    coordinates: dict[str, float] = {}
    for name, text in _xmp_values(root):
        _xmp_fact(found, name, text, coordinates)
    if "GPSLatitude" in coordinates and "GPSLongitude" in coordinates:
        found.facts.append(_gps_fact("XMP exif:GPS", (coordinates["GPSLatitude"],
                                                      coordinates["GPSLongitude"])))


def _xmp_fact(found: Metadata, name: str, text: str, coordinates: dict[str, float]) -> None:
    if name in _XMP_PERSON:
        found.facts.append(fact("image.person_name", f"XMP {name}", text))
    elif name in _XMP_SERIAL:
        found.facts.append(fact("image.device_serial", f"XMP {name}", text))
    elif name in _XMP_PLACE:
        found.facts.append(fact("image.place_name", f"XMP {name}", text))
    elif name in _XMP_TEXT:
        found.texts.append((f"XMP {name}", text))
    elif name in ("GPSLatitude", "GPSLongitude"):
        value = _xmp_coordinate(text)
        if value is not None:
            coordinates[name] = value


def _xmp_values(root: Any) -> Iterable[tuple[str, str]]:
    """(local name, text) of every XMP property, from elements (rdf:li collapsed) and attributes."""
    parents = {child: parent for parent in root.iter() for child in parent}  # one pass: no quadratic walk
    for element in root.iter():
        for key, value in element.attrib.items():
            yield _local(key), _text(value)
        own = _text(element.text)
        if own and len(element) == 0:
            name = _local(element.tag)
            if name == "li":  # dc:creator/rdf:Seq/rdf:li: the property is two levels up
                container = parents.get(element)
                owner = parents.get(container) if container is not None else None
                name = _local(owner.tag) if owner is not None else name
            yield name, own


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _xmp_coordinate(text: str) -> float | None:
    match = _XMP_COORD.match(text)
    if not match:
        return None
    degrees = int(match.group(1)) + float(match.group(2)) / 60 + float(match.group(3) or 0) / 3600
    return -degrees if match.group(4) in "SW" else degrees


# --- IPTC ----------------------------------------------------------------------------------------

def _iptc_facts(image: Image.Image, found: Metadata) -> None:
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}  # type: ignore[arg-type]
    except (OSError, SyntaxError, ValueError, IndexError, TypeError):
        return
    for kind, names in (("image.person_name", _IPTC_PERSON), ("image.place_name", _IPTC_PLACE),
                        ("image.timestamp", _IPTC_TIME)):
        _add(found, kind, _flat(info), names, "IPTC")
    for key, name in _IPTC_TEXT.items():
        text = _text(_flat(info).get(key))
        if text:
            found.texts.append((f"IPTC {name}", text))


def _flat(info: dict[Any, Any]) -> dict[Any, Any]:
    """IPTC values that repeat (several bylines) come as lists: joined into one text."""
    return {key: b"; ".join(v) if isinstance(v, list) else v for key, v in info.items()}


# --- thumbnail -----------------------------------------------------------------------------------

def _thumbnail(image: Image.Image, exif: Image.Exif) -> bytes | None:
    """The JPEG thumbnail EXIF's IFD1 points at, as bytes; None when there is none."""
    raw = image.info.get("exif")
    if not isinstance(raw, bytes) or not raw:
        return None
    try:
        ifd1 = exif.get_ifd(ExifTags.IFD.IFD1)
    except (KeyError, ValueError, TypeError, OSError, SyntaxError):
        return None
    offset, length = ifd1.get(0x0201), ifd1.get(0x0202)
    if not isinstance(offset, int) or not isinstance(length, int) or not 0 < length <= MAX_THUMBNAIL_BYTES:
        return None
    tiff = raw[6:] if raw.startswith(b"Exif\x00\x00") else raw  # offsets count from the TIFF header
    data = tiff[offset:offset + length]
    return data if len(data) == length else None
