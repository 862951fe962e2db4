"""Pictures the image scanner's tests generate: each planted item with a clean twin, and bad input.

Every planted raw value is listed in PLANTED_RAW so tests can grep all outputs for it.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFilter, ImageFont

from tests.planted import BSN, EMAIL, IBAN

PHONE = "06-12345678"
ARTIST = "Marieke van Dijk"
OWNER = "Pieter Bakker"
SERIAL = "CN4411902377"
LATITUDE = (52.0, 22.0, 5.4)  # 52.368167 N: the Dam, Amsterdam
LONGITUDE = (4.0, 53.0, 12.1)  # 4.886694 E
GPS_DECIMAL = ("52.3681", "4.8866", "52.37", "4.89")  # what a leak of the position would look like
PLANTED_RAW = (BSN, IBAN, EMAIL, ARTIST, OWNER, SERIAL, *GPS_DECIMAL, "0612345678")
FONT = "DejaVuSans.ttf"


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def page(lines: list[str], size: tuple[int, int] = (1240, 700), font_px: int = 30) -> Image.Image:
    """Black text on a white page, one line per entry."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 50 + number * int(font_px * 1.9)), line, fill="black", font=_font(font_px))
    return image


def letter(planted: bool = True) -> Image.Image:
    """A Dutch letter with a BSN, an IBAN and a phone number (the clean twin: the same letter without)."""
    bsn, iban, phone = (BSN, IBAN, PHONE) if planted else ("(zie bijlage)", "(niet vermeld)", "(geheim)")
    return page(["Geachte heer Jansen,", f"Uw burgerservicenummer (BSN): {bsn}",
                 f"Wij storten het bedrag op IBAN: {iban}", f"Bel ons gerust: telefoon {phone}",
                 "Met vriendelijke groet, de gemeente"])


def table(planted: bool = True) -> Image.Image:
    """A screenshot of a spreadsheet: a grid with a header row; the twin holds products, not people."""
    header = ["Naam", "E-mail", "IBAN"] if planted else ["Product", "Code", "Prijs"]
    rows = ([["J. Jansen", EMAIL, IBAN]] if planted else [["Stoel", "ART-2210", "EUR 49,95"]])
    widths = (260, 420, 460)
    image = Image.new("RGB", (sum(widths) + 40, 200), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for row_number, row in enumerate([header, *rows]):
        left, top = 20, 20 + row_number * 60
        for width, cell in zip(widths, row, strict=True):
            fill = (220, 230, 241) if row_number == 0 else "white"
            draw.rectangle((left, top, left + width, top + 60), fill=fill, outline=(160, 160, 160))
            draw.text((left + 10, top + 14), cell, fill="black", font=_font(26))
            left += width
    return image


def id_card(planted: bool = True) -> Image.Image:
    """A photographed ID card: a tinted card, tilted 4 degrees on a desk (the twin: a library card)."""
    card = Image.new("RGB", (900, 560), (214, 229, 240))
    draw = ImageDraw.Draw(card)
    lines = (["IDENTITEITSKAART", "Naam: Jansen", "Voornamen: Jan Pieter", f"BSN: {BSN}",
              "Geldig tot: 01-01-2031"] if planted else
             ["BIBLIOTHEEKPAS", "Bibliotheek Centrum", "Pas voor volwassenen", "Uitlenen tot 10 boeken",
              "Geldig tot: 01-01-2031"])
    for number, line in enumerate(lines):
        draw.text((40, 40 + number * 90), line, fill=(20, 30, 60), font=_font(40 if number else 46))
    desk = Image.new("RGB", (1100, 800), (96, 72, 52))
    desk.paste(card.rotate(4, expand=True, fillcolor=(96, 72, 52)), (60, 60))
    return desk


def payslip(planted: bool = True) -> Image.Image:
    """A scanned payslip: grey paper, slightly tilted and blurred (the twin: the same slip, no numbers)."""
    bsn, iban = (BSN, IBAN) if planted else ("-", "-")
    slip = page(["Loonstrook december 2025", "Werknemer: M. de Vries", f"BSN: {bsn}",
                 "Brutoloon: EUR 3.412,00   Nettoloon: EUR 2.587,12", f"Uitbetaald op rekening {iban}"],
                size=(1240, 520), font_px=28)
    tinted = Image.eval(slip, lambda value: max(40, min(value, 228)))
    return tinted.rotate(0.8, fillcolor=(228, 228, 228)).filter(ImageFilter.GaussianBlur(0.6))


def with_iptc(jpeg: bytes, byline: str, city: str, caption: str) -> bytes:
    """A JPEG with an APP13 Photoshop block holding IPTC By-line, City and Caption (as Photoshop writes)."""
    def dataset(number: int, value: str) -> bytes:
        raw = value.encode("utf-8")
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(raw)) + raw

    iptc = dataset(80, byline) + dataset(90, city) + dataset(120, caption)
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    resource += b"\x00" * (len(iptc) % 2)
    body = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(body) + 2) + body
    return jpeg[:2] + segment + jpeg[2:]


def face_photo(side: int = 512) -> Image.Image:
    """scikit-image's bundled astronaut portrait (one frontal face)."""
    from skimage import data

    return Image.fromarray(data.astronaut()).resize((side, side))


def landscape(size: tuple[int, int] = (480, 320), seed: int = 0) -> Image.Image:
    """A faceless, textless picture: colour bands (the clean twin of a photo)."""
    image = Image.new("RGB", size, (90 + seed * 40, 150, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, size[1] * 2 // 3, size[0], size[1]), fill=(60, 130 - seed * 30, 60))
    draw.ellipse((size[0] - 120, 30, size[0] - 60, 90), fill=(250, 220, 90))
    return image


def camera_exif(thumbnail: bytes | None = None) -> bytes:
    """EXIF of a phone photo: GPS, make/model, serial, owner, artist, time; optionally an IFD1 thumbnail."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = "Canon", "EOS 5D Mark IV", ARTIST
    exif[0x0132] = "2025:06:14 09:12:44"
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub.update({0xA431: SERIAL, 0xA430: OWNER, 0x9003: "2025:06:14 09:12:44"})
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: LATITUDE, 3: "E", 4: LONGITUDE})
    raw = exif.tobytes()
    return with_thumbnail(raw, thumbnail) if thumbnail is not None else raw


def only_thumbnail_exif(thumbnail: bytes) -> bytes:
    """EXIF holding nothing but a thumbnail (the twin pair for the thumbnail test)."""
    exif = Image.Exif()
    exif[0x0131] = "Editor 1.0"
    return with_thumbnail(exif.tobytes(), thumbnail)


def with_thumbnail(raw: bytes, thumbnail: bytes) -> bytes:
    """EXIF bytes with an IFD1 appended that points at a JPEG thumbnail (Pillow writes none itself)."""
    header = b"Exif\x00\x00"
    tiff = bytearray(raw[len(header):] if raw.startswith(header) else raw)
    order = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack_from(order + "I", tiff, 4)[0]
    entries = struct.unpack_from(order + "H", tiff, ifd0)[0]
    next_field = ifd0 + 2 + 12 * entries
    ifd1 = len(tiff) + (len(tiff) % 2)
    tiff += b"\x00" * (ifd1 - len(tiff))
    data_at = ifd1 + 2 + 2 * 12 + 4
    struct.pack_into(order + "I", tiff, next_field, ifd1)
    tiff += struct.pack(order + "H", 2)
    tiff += struct.pack(order + "HHII", 0x0201, 4, 1, data_at)
    tiff += struct.pack(order + "HHII", 0x0202, 4, 1, len(thumbnail))
    tiff += struct.pack(order + "I", 0) + thumbnail
    return header + bytes(tiff)


def jpeg_bytes(image: Image.Image, quality: int = 85) -> bytes:
    """`image` as JPEG bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def thumbnail_of(image: Image.Image) -> bytes:
    """A 160-pixel JPEG thumbnail of `image`, as a camera writes it."""
    small = image.copy()
    small.thumbnail((160, 160))
    return jpeg_bytes(small)


def write_planted(root: Path) -> dict[str, Path]:
    """The planted pictures (and their clean twins) under `root`; name -> path."""
    root.mkdir(parents=True, exist_ok=True)
    photo = landscape()
    cropped = landscape(seed=1).crop((0, 0, 300, 300))  # the crop hides what the thumbnail still shows
    files = {
        "gps.jpg": lambda p: photo.save(p, "JPEG", exif=camera_exif()),
        "gps_clean.jpg": lambda p: photo.save(p, "JPEG"),
        "letter.png": lambda p: letter().save(p),
        "letter_clean.png": lambda p: letter(planted=False).save(p),
        "table.png": lambda p: table().save(p),
        "table_clean.png": lambda p: table(planted=False).save(p),
        "id_card.jpg": lambda p: id_card().save(p, "JPEG", quality=80),
        "id_card_clean.jpg": lambda p: id_card(planted=False).save(p, "JPEG", quality=80),
        "payslip.png": lambda p: payslip().save(p),
        "payslip_clean.png": lambda p: payslip(planted=False).save(p),
        "face.jpg": lambda p: face_photo().save(p, "JPEG"),
        "face_clean.jpg": lambda p: landscape(seed=2).save(p, "JPEG"),
        "cropped.jpg": lambda p: cropped.save(p, "JPEG", exif=only_thumbnail_exif(
            thumbnail_of(face_photo()))),
        "cropped_clean.jpg": lambda p: cropped.save(p, "JPEG",
                                                    exif=only_thumbnail_exif(thumbnail_of(cropped))),
    }
    paths = {}
    for name, write in files.items():
        write(root / name)
        paths[name] = root / name
    return paths


# --- bad input -----------------------------------------------------------------------------------

def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A few hundred bytes of PNG declaring a canvas of `width` x `height` (10 G pixels by default)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = zlib.compress(b"\x00" * 4096)  # the start of the pixel data; the header alone is the bomb
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def animated_gif(frames: int = 1000) -> bytes:
    """A small animated GIF of `frames` frames (two pictures alternating, so no two in a row are equal)."""
    first, second = Image.new("P", (32, 32), 1), Image.new("P", (32, 32), 2)
    first.putpalette([0, 0, 0, 255, 0, 0, 0, 0, 255] + [0] * 759)
    second.putpalette(first.getpalette() or [])
    buffer = io.BytesIO()
    sequence = [second if number % 2 else first for number in range(1, frames)]
    first.save(buffer, "GIF", save_all=True, append_images=sequence, duration=20, loop=0, optimize=False)
    return buffer.getvalue()


def write_bad(root: Path) -> dict[str, Path]:
    """Bad input: truncated, a pixel bomb, lying extensions, a 1,000-frame GIF, a 0-byte file."""
    root.mkdir(parents=True, exist_ok=True)
    whole = jpeg_bytes(face_photo(256))
    contents = {
        "truncated.jpg": whole[: len(whole) // 3],
        "bomb.png": png_bomb(),
        "really_png.jpg": _png_bytes(landscape()),
        "not_an_image.png": f"IBAN {IBAN}\n".encode(),
        "animated.gif": animated_gif(),
        "empty.jpg": b"",
    }
    for name, data in contents.items():
        (root / name).write_bytes(data)
    return {name: root / name for name in contents}


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
