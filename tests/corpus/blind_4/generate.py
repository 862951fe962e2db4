"""Writes blind_4 (every data file, manifest.json and summary.json) from templates with a seeded RNG.

Run from the repository root: `.venv/bin/python tests/corpus/blind_4/generate.py`. Every planted value is
wrapped in a marker while a template is filled; the writers strip the markers and record the value's line
(text), row (XLSX), paragraph (DOCX) or page (PDF) as they write, so no label is counted by hand.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import random
import re
import string
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.be import nn as be_nn
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.fr import nir as fr_nir
from stdnum.nl import bsn as nl_bsn
from stdnum.nl import postcode as nl_postcode
from stdnum.pl import pesel as pl_pesel

ROOT = Path(__file__).resolve().parent
R = random.Random(20261204)
MARK = re.compile(r"⟦(\d+)¦(.*?)⟧", re.S)
LABELS: dict[int, dict] = {}
MANIFEST: dict[str, dict] = {}


# ---------------------------------------------------------------- markers
def P(kind: str, value: object) -> str:
    """A planted positive of `kind` (the marker is stripped when the file is written)."""
    key = len(LABELS)
    LABELS[key] = {"type": kind}
    return f"⟦{key}¦{value}⟧"


def N(looks_like: str, why: str, value: object) -> str:
    """A planted hard negative that looks like `looks_like`."""
    key = len(LABELS)
    LABELS[key] = {"looks_like": looks_like, "why": why}
    return f"⟦{key}¦{value}⟧"


class Typed:
    """An XLSX cell written as a number/date cell; the label carries `label_value`."""

    def __init__(self, value: object, label_value: str, kind: str | None = None,
                 looks_like: str | None = None, why: str = "") -> None:
        self.value, self.label_value, self.kind, self.looks_like, self.why = value, label_value, kind, looks_like, why


def _entry(name: str) -> dict:
    return MANIFEST.setdefault(name, {"positives": [], "negatives": []})


def _record(name: str, key: int, value: str, line: int, where: str) -> None:
    meta = LABELS[key]
    if "type" in meta:
        _entry(name)["positives"].append({"type": meta["type"], "value": value, "line": line, "where": where})
    else:
        _entry(name)["negatives"].append({"value": value, "looks_like": meta["looks_like"], "line": line,
                                          "why": meta["why"], "where": where})


def strip(text: str, on_label) -> str:
    """`text` without markers; on_label(key, value, offset_in_stripped_text) for each."""
    out: list[str] = []
    pos = 0
    length = 0
    for m in MARK.finditer(text):
        before = text[pos:m.start()]
        if "⟦" in before:
            raise ValueError(f"nested or broken marker near {before[-40:]!r}")
        out.append(before)
        length += len(before)
        on_label(int(m.group(1)), m.group(2), "".join(out))
        out.append(m.group(2))
        length += len(m.group(2))
        pos = m.end()
    out.append(text[pos:])
    result = "".join(out)
    if "⟦" in result or "⟧" in result:
        raise ValueError("unclosed marker")
    return result


# ---------------------------------------------------------------- writers
def write_text(name: str, text: str, newline: str = "\n") -> None:
    """A text file; labels at the 1-based line where each value starts."""
    _entry(name)
    if "\\u27e6" in text:
        raise ValueError(f"{name}: a marker was JSON-escaped")

    def label(key: int, value: str, before: str) -> None:
        line = before.count("\n") + 1
        _record(name, key, value, line, f"line {line}")

    plain = strip(text, label)
    path = ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(plain.replace("\n", newline).encode("utf-8"))


def write_xlsx(name: str, sheets: dict[str, list[list[object]]]) -> None:
    """A workbook; `line` is the row (header is row 1)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    _entry(name)
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row, start=1):
                col = get_column_letter(c)
                if isinstance(cell, Typed):
                    sheet.cell(r, c, cell.value)
                    if isinstance(cell.value, dt.date):
                        sheet.cell(r, c).number_format = "dd-mm-yyyy"
                    meta_key = len(LABELS)
                    LABELS[meta_key] = ({"type": cell.kind} if cell.kind else
                                        {"looks_like": cell.looks_like, "why": cell.why})
                    _record(name, meta_key, cell.label_value, r, f"sheet {title}, row {r}, column {col} (typed cell)")
                    continue
                if cell is None:
                    continue
                if isinstance(cell, (int, float)):
                    sheet.cell(r, c, cell)
                    continue
                text = str(cell)
                plain = strip(text, lambda key, value, _b, r=r, col=col, title=title:
                              _record(name, key, value, r, f"sheet {title}, row {r}, column {col}"))
                sheet.cell(r, c, plain)
    path = ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def write_docx(name: str, paragraphs: list[str], heading_first: bool = True) -> None:
    """A Word file of paragraphs; `line` is the paragraph number over all paragraphs (empty ones too)."""
    import docx

    _entry(name)
    document = docx.Document()
    for i, para in enumerate(paragraphs, start=1):
        plain = strip(para, lambda key, value, _b, i=i: _record(name, key, value, i, f"paragraph {i}"))
        if i == 1 and heading_first:
            document.add_heading(plain, level=1)
        else:
            document.add_paragraph(plain)
    path = ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)


def write_pdf(name: str, pages: list[list[str]], title: str) -> None:
    """A PDF, one list of text lines per page; `line` is the page, `where` also gives the line on it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _entry(name)
    path = ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle(title)
    for p, lines in enumerate(pages, start=1):
        y = 800
        for n, line in enumerate(lines, start=1):
            plain = strip(line, lambda key, value, _b, p=p, n=n:
                          _record(name, key, value, p, f"page {p}, line {n}"))
            pdf.setFont("Helvetica-Bold" if n == 1 else "Helvetica", 13 if n == 1 else 10)
            pdf.drawString(50, y, plain)
            y -= 20 if n == 1 else 15
        pdf.drawString(500, 30, f"{p}/{len(pages)}")
        pdf.showPage()
    pdf.save()


# ---------------------------------------------------------------- values
FIRST = ["Sanne", "Daan", "Lotte", "Bram", "Noor", "Jesse", "Fleur", "Thijs", "Iris", "Ruben", "Anouk", "Milan",
         "Yara", "Kevin", "Esra", "Mohamed", "Fatima", "Bilal", "Sevda", "Wout", "Lieke", "Hanna", "Jasper", "Amira",
         "Stijn", "Marieke", "Koen", "Elif", "Tim", "Naima", "Lars", "Joost", "Ilse", "Priya", "Dewi", "Sem",
         "Femke", "Hamza", "Lisa", "Gijs", "Roos", "Youssef", "Annelies", "Pieter", "Olga", "Tomasz", "Chloé",
         "Lukas", "Elena", "Marco", "Sofie", "Jelle", "Inge", "Rachid", "Zeynep", "Arjen", "Nadia", "Ward"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters",
        "Hendriks", "van Dijk", "Dekker", "Brouwer", "Kok", "Yilmaz", "El Amrani", "Kaya", "Bouzidi", "Verbeek",
        "van Leeuwen", "Postma", "Kuipers", "Wouters", "Peeters", "Claes", "Maes", "Janssens", "Nowak",
        "Schmidt", "Dubois", "Öztürk", "Haddou", "Sedney", "Tjon", "Wijaya", "van der Linden", "Hoekstra",
        "Koster", "Prins", "Willems", "Lambrechts", "Goossens", "Vermeulen", "Demir", "Aksoy", "Biharie"]
MAIL = ["gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "live.nl", "icloud.com", "planet.nl",
        "telenet.be", "proximus.be", "gmx.de", "web.de", "orange.fr", "xs4all.nl", "yahoo.com", "protonmail.com"]
STREETS = ["Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Lindenlaan", "Beukenlaan", "Stationsweg",
           "Julianastraat", "Wilhelminalaan", "Eikenhof", "Vondelstraat", "Parallelweg", "Koningsweg", "Zuidwal",
           "Boterdiep", "Hazelaarstraat", "Vlasakker", "Meidoornpad", "Spoorsingel", "Brinkstraat"]
CITIES = ["Purmerend", "Zaandam", "Deventer", "Nijmegen", "Utrecht", "Apeldoorn", "Zwolle", "Arnhem", "Amersfoort",
          "Hoorn", "Wormerland", "Edam", "Monnickendam", "Enschede", "Leeuwarden", "Haarlem"]
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
B62 = string.digits + string.ascii_letters
ALNUM_UP = string.ascii_uppercase + string.digits


def rs(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def person() -> tuple[str, str]:
    return R.choice(FIRST), R.choice(LAST)


def email_of(first: str, last: str, domain: str | None = None) -> str:
    import unicodedata

    def ascii_(text: str) -> str:
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()

    l = ascii_(last.lower().replace(" ", ""))
    f = ascii_(first.lower())
    shape = R.choice([f"{f}.{l}", f"{f[0]}.{l}", f"{f}{l}{R.randint(1, 99)}", f"{l}.{f[0]}", f"{f}_{l}"])
    return f"{shape}@{domain or R.choice(MAIL)}"


def bsn() -> str:
    while True:
        n = f"{R.randint(10000000, 999999999):09d}"
        if nl_bsn.is_valid(n) and n not in ("999993653", "123456782", "111222333"):
            return n


def bsn_fmt(n: str) -> str:
    return R.choice([n, n, f"{n[:4]}.{n[4:6]}.{n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:4]} {n[4:6]} {n[6:]}"])


def eleven_proof_number() -> str:
    """A 9-digit number passing the 11-proof (used for non-BSN references: negatives)."""
    return bsn()


NL_BANKS = ["ABNA", "RABO", "INGB", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ", "RBRB", "FVLB"]
BBAN = {"NL": lambda: R.choice(NL_BANKS) + rs(string.digits, 10), "BE": lambda: rs(string.digits, 12),
        "DE": lambda: rs(string.digits, 18), "FR": lambda: rs(string.digits, 23),
        "ES": lambda: rs(string.digits, 20), "IT": lambda: R.choice("ABCDEFGHIJKLMNPRSTUVWXYZ") + rs(string.digits, 22),
        "LU": lambda: rs(string.digits, 16), "AT": lambda: rs(string.digits, 16), "IE": lambda: "AIBK" + rs(string.digits, 14),
        "PT": lambda: rs(string.digits, 21)}


def iban(country: str = "NL", grouped: bool | None = None) -> str:
    while True:
        raw = country + "00" + BBAN[country]()
        raw = country + std_iban.calc_check_digits(raw) + raw[4:]
        if std_iban.is_valid(raw):
            break
    if grouped is None:
        grouped = R.random() < 0.4
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4)) if grouped else raw


def dob(lo: int = 1950, hi: int = 2005) -> dt.date:
    return dt.date(R.randint(lo, hi), R.randint(1, 12), R.randint(1, 28))


def dob_fmt(d: dt.date, lang: str = "nl") -> str:
    shapes = [f"{d:%d-%m-%Y}", f"{d.day}-{d.month}-{d.year}", d.isoformat(), f"{d:%d/%m/%Y}", f"{d:%d.%m.%Y}",
              f"{d.day} {(MONTHS_NL if lang == 'nl' else MONTHS_EN)[d.month - 1]} {d.year}"]
    return R.choice(shapes)


def postcode() -> str:
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    while True:
        pc = f"{R.randint(1011, 9999)}{R.choice(letters)}{R.choice(letters)}"
        if pc[4:] not in ("SA", "SD", "SS") and nl_postcode.is_valid(pc):
            return pc if R.random() < 0.35 else f"{pc[:4]} {pc[4:]}"


def address() -> tuple[str, str, str]:
    return f"{R.choice(STREETS)} {R.randint(1, 180)}{R.choice(['', '', '', 'a', '-2', ' bis'])}", postcode(), R.choice(CITIES)


def nl_mobile_digits() -> str:
    while True:
        d = "6" + str(R.randint(1, 5)) + rs(string.digits, 7)
        if phonenumbers.is_valid_number(phonenumbers.parse("+31" + d)):
            return d


def phone_nl(kind: str = "mobile") -> str:
    if kind == "mobile":
        d = nl_mobile_digits()
        s = d[1:]
        return R.choice([f"0{d}", f"06-{s}", f"06 {s[:2]} {s[2:4]} {s[4:6]} {s[6:]}", f"+31 6 {s[:4]} {s[4:]}",
                         f"+31{d}", f"+31 (0)6 {s}", f"0031 6 {s}", f"(06) {s}", f"06 - {s[:4]} {s[4:]}",
                         f"06.{s[:2]}.{s[2:4]}.{s[4:6]}.{s[6:]}", f"+31-6-{s}"])
    while True:
        area = R.choice(["20", "299", "75", "570", "24", "30", "10", "53", "26", "55"])
        rest = rs(string.digits, 9 - len(area))
        if rest[0] in "01":
            continue
        if phonenumbers.is_valid_number(phonenumbers.parse(f"+31{area}{rest}")):
            return R.choice([f"0{area}-{rest}", f"0{area} {rest}", f"(0{area}) {rest}", f"+31 {area} {rest}",
                             f"+31 (0){area} {rest}", f"0{area}{rest}"])


def phone_eu(country: str) -> str:
    for _ in range(1000):
        if country == "BE":
            d = "4" + R.choice("5789") + rs(string.digits, 7)
            n = phonenumbers.parse("+32" + d)
            shapes = [f"+32 {d[:3]} {d[3:5]} {d[5:7]} {d[7:]}", f"0{d[:3]}/{d[3:5]}.{d[5:7]}.{d[7:]}",
                      f"0{d[:3]} {d[3:5]} {d[5:7]} {d[7:]}", f"+32{d}", f"0032 {d[:3]} {d[3:]}"]
        elif country == "DE":
            d = R.choice(["151", "160", "170", "171", "176", "152"]) + rs(string.digits, 8)
            n = phonenumbers.parse("+49" + d)
            shapes = [f"+49 {d[:3]} {d[3:]}", f"0{d[:3]} {d[3:]}", f"0049 {d[:3]} {d[3:]}", f"+49{d}"]
        else:
            d = R.choice("67") + rs(string.digits, 8)
            n = phonenumbers.parse("+33" + d)
            shapes = [f"+33 {d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:]}", f"0{d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:]}",
                      f"+33{d}"]
        if phonenumbers.is_valid_number(n):
            return R.choice(shapes)
    raise RuntimeError(country)


def be_national(d: dt.date, grouped: bool = True) -> str:
    while True:
        serial = f"{R.randint(1, 997):03d}"
        base = f"{d:%y%m%d}{serial}"
        check = 97 - int(("2" + base) if d.year >= 2000 else base) % 97
        n = f"{base}{check:02d}"
        if be_nn.is_valid(n):
            return f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}" if grouped else n


def fr_nir_of(d: dt.date) -> str:
    while True:
        body = f"{R.choice('12')}{d:%y%m}{R.randint(1, 95):02d}{R.randint(1, 999):03d}{R.randint(1, 999):03d}"
        n = body + fr_nir.calc_check_digits(body)
        if fr_nir.is_valid(n):
            return R.choice([n, f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}"])


def de_idnr_() -> str:
    while True:
        n = str(R.randint(1, 9)) + rs(string.digits, 10)
        if de_idnr.is_valid(n):
            return n


def es_dni_() -> str:
    body = f"{R.randint(10000000, 99999999)}"
    return body + es_dni.calc_check_digit(body)


def pesel_of(d: dt.date) -> str:
    month = d.month + (20 if d.year >= 2000 else 0)
    body = f"{d:%y}{month:02d}{d:%d}{R.randint(0, 9999):04d}"
    return body + pl_pesel.calc_check_digit(body)


def passport(country: str) -> str:
    nl_alpha = "ABCDEFGHIJKLMNPQRSTUVWXYZ"
    if country == "NL":
        return rs(nl_alpha, 2) + rs(nl_alpha + string.digits, 6) + rs(string.digits, 1)
    if country == "BEID":  # Belgian eID card number: 10 digits + (mod 97, 0 -> 97), written 3-7-2
        body = f"{R.randint(590, 599)}{R.randint(0, 9999999):07d}"
        check = int(body) % 97 or 97
        return f"{body[:3]}-{body[3:]}-{check:02d}"
    if country == "BE":
        return R.choice(["EH", "EJ", "EK"]) + rs(string.digits, 6)
    if country == "DE":
        return R.choice("CFGHJK") + rs("CFGHJKLMNPRTVWXYZ0123456789", 8)
    return rs(string.digits, 2) + rs(string.ascii_uppercase, 2) + rs(string.digits, 5)  # FR


def card(prefix: str, length: int = 16, style: str = "spaced") -> str:
    body = prefix + rs(string.digits, length - len(prefix) - 1)
    n = body + luhn.calc_check_digit(body)
    if style == "spaced":
        return " ".join(n[i:i + 4] for i in range(0, len(n), 4)) if length == 16 else f"{n[:4]} {n[4:10]} {n[10:]}"
    if style == "dashed":
        return "-".join(n[i:i + 4] for i in range(0, len(n), 4))
    return n


def ipv4() -> str:
    import ipaddress
    prefixes = ["84.85", "77.163", "31.20", "94.208", "212.238", "178.84", "86.88", "62.195", "145.131", "81.204",
                "213.127", "83.84"]
    while True:
        ip = f"{R.choice(prefixes)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        if ipaddress.ip_address(ip).is_global:
            return ip


def ipv6(compressed: bool = True) -> str:
    import ipaddress
    nets = ["2001:1c00", "2a02:a440", "2a02:a210", "2001:985", "2a02:1810", "2a01:7c8"]
    while True:
        text = R.choice(nets) + ":" + ":".join(f"{R.randint(0, 65535):x}" for _ in range(6))
        ip = ipaddress.ip_address(text)
        if ip.is_global:
            return ip.compressed if compressed else ip.exploded


# ---------------------------------------------------------------- secrets
def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims: dict) -> str:
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(R.randbytes(32), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(sig)}"


def base62(n: int, width: int) -> str:
    """Base62 with the 0-9A-Za-z alphabet (the one GitHub's token checksum uses)."""
    alphabet = string.digits + string.ascii_uppercase + string.ascii_lowercase
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = alphabet[r] + out
    return out.rjust(width, "0")


def github(prefix: str = "ghp") -> str:
    body = rs(B62, 30)
    return f"{prefix}_{body}{base62(zlib.crc32(body.encode()), 6)}"


def aws_key() -> str:
    return "AKIA" + rs(string.ascii_uppercase + "234567", 16)


def aws_secret() -> str:
    return rs(string.ascii_letters + string.digits + "/+", 40)


def password() -> str:
    words = ["Zomer", "Tulp", "Fiets", "Haven", "Molen", "Storm", "Kaas", "Dijk", "Bries", "Gracht"]
    return R.choice([rs(string.ascii_letters + string.digits + "!#%&*", 18),
                     f"{R.choice(words)}{R.choice(words)}{R.randint(10, 99)}{R.choice('!#$%')}",
                     rs(string.ascii_letters + string.digits, 24)])


def private_key(kind: str, indent: str = "") -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if kind == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    elif kind == "pkcs8":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    elif kind == "ec":
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    else:
        key = ed25519.Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption())
    text = pem.decode().rstrip("\n")
    return "\n".join(indent + line for line in text.split("\n"))[len(indent):]


def public_key_openssh() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def sha256_hex() -> str:
    return hashlib.sha256(R.randbytes(32)).hexdigest()


def uuid4() -> str:
    h = R.randbytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice('89ab')}{h[17:20]}-{h[20:32]}"


def bcrypt_like() -> str:
    return "$2y$12$" + rs(string.ascii_letters + string.digits + "./", 53)


def group4(raw: str) -> str:
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


NOTARY_IBAN = iban("NL", grouped=False)  # the office's own (business) accounts: negatives
COOP_IBAN = iban("NL", grouped=False)

# ================================================================ A. Jeugdteam Gemeente Waterland-Oost
def jeugdteam() -> None:
    base = "gemeente-waterland-oost-jeugdteam"
    needs = [("ADHD, medicatie methylfenidaat 10 mg", True), ("autismespectrumstoornis (ASS)", True),
             ("angststoornis, schoolweigering", True), ("opvoedondersteuning", False), ("eetstoornis (anorexia)", True),
             ("licht verstandelijke beperking", True), ("schuldhulp ouders", False), ("depressieve klachten moeder", True),
             ("hechtingsproblematiek", True), ("echtscheidingsbegeleiding", False), ("diabetes type 1, zelfmanagement", True),
             ("huiswerkbegeleiding", False)]
    notes = [("HALT-afdoening na winkeldiefstal", "special.criminal"), ("vader gedetineerd tot voorjaar 2027", "special.criminal"),
             ("gezin is Syrisch-Koerdisch, tolk Koerdisch nodig", "special.ethnicity"),
             ("moeder wil hulpverlener die ook moslim is", "special.religion"), ("", None),
             ("jeugdreclassering loopt (mishandeling)", "special.criminal"), ("", None),
             ("Jehova's getuigen, geen bloedtransfusie", "special.religion"), ("", None),
             ("oudste zoon verdacht van bedreiging, zaak bij OM", "special.criminal"), ("", None)]
    rows = [["dossiernr", "voornaam_kind", "achternaam", "bsn_kind", "geboortedatum", "postcode", "adres", "woonplaats",
             "telefoon_ouder", "email_ouder", "hulpvraag", "bijzonderheden", "aanmelddatum"]]
    for i in range(26):
        f, l = person()
        d = dob(2008, 2022)
        street, pc, city = address()
        need, is_health = needs[i % len(needs)]
        note, ntype = notes[i % len(notes)]
        b = bsn()
        bsn_cell = P("pii.bsn", b if i % 3 else f"{b[:4]}.{b[4:6]}.{b[6:]}")
        dob_cell = Typed(d, d.isoformat(), "pii.date_of_birth") if i % 2 else P("pii.date_of_birth", f"{d:%d-%m-%Y}")
        start = dt.date(2026, R.randint(1, 11), R.randint(1, 28))
        start_cell = (N("pii.date_of_birth", "registration date of the case", f"{start:%d-%m-%Y}") if i < 4
                      else f"{start:%d-%m-%Y}")
        dossier = N("pii.bsn", "case number that passes the 11-proof", eleven_proof_number()) if i in (3, 11, 19) else f"JT-2026-{400 + i:04d}"
        rows.append([dossier, f, l, bsn_cell, dob_cell, P("pii.postcode", pc), street, city,
                     P("pii.phone", phone_nl("mobile" if i % 4 else "fixed")), P("pii.email", email_of(R.choice(FIRST), l)),
                     P("special.health", need) if is_health else need, P(ntype, note) if ntype else note, start_cell])
    contacts = [["rol", "naam", "telefoon", "email"],
                ["Jeugdteam (algemeen)", "Klantcontactcentrum", N("pii.phone", "municipal switchboard", "14 0299"),
                 N("pii.email", "role mailbox", "jeugdteam@waterland-oost.nl")],
                ["Veilig Thuis", "Advies- en meldpunt", N("pii.phone", "public helpline", "0800-2000"), ""],
                ["Coördinator", "Marloes Kuipers", P("pii.phone", phone_nl()), P("pii.email", "m.kuipers@waterland-oost.nl")]]
    write_xlsx(f"{base}/casussen/caseload_2026Q4.xlsx", {"Caseload": rows, "Contacten": contacts})

    # gespreksverslag (DOCX)
    f1, l1 = "Sevda", "Yilmaz"
    kid = dob(2011, 2014)
    b = bsn()
    street, pc, city = address()
    paras = [
        "Gespreksverslag huisbezoek gezin Yilmaz",
        "",
        f"Datum gesprek: {N('pii.date_of_birth', 'date of the home visit', '12-11-2026')}   Dossier: JT-2026-0412",
        f"Kind: Emre Yilmaz, geboren {P('pii.date_of_birth', dob_fmt(kid))}, BSN {P('pii.bsn', bsn_fmt(b))}",
        f"Adres: {street}, {P('pii.postcode', pc)} {city}",
        f"Moeder: {f1} {l1}, bereikbaar op {P('pii.phone', phone_nl())} of {P('pii.email', email_of(f1, l1))}",
        "",
        f"Emre {P('special.health', 'heeft sinds de zomer paniekaanvallen')} en slaapt slecht. De huisarts heeft "
        f"{P('special.health', 'sertraline 50 mg')} voorgeschreven. Moeder vertelt dat {P('special.health', 'zij zelf onder behandeling is bij de GGZ voor een depressie')}.",
        f"Vader verblijft momenteel in de PI Zwolle; {P('special.criminal', 'hij is in september veroordeeld tot 14 maanden cel')} "
        f"voor een geweldsdelict. Emre weet dit sinds kort.",
        f"Het gezin is {P('special.religion', 'actief in de moskee aan de Spoorsingel')}; de imam is een steunfiguur voor Emre.",
        "Afspraak: wekelijks gesprek met de jeugdconsulent, evaluatie over zes weken.",
        "",
        f"Vervolgafspraak: {N('pii.date_of_birth', 'appointment date', '3 december 2026')} om 15:30 uur.",
        f"Verslaglegging: J. Hoekstra, jeugdconsulent, tel. {N('pii.phone', 'municipal switchboard', '0299 412 000')}",
    ]
    write_docx(f"{base}/verslagen/gespreksverslag_2026-11-12_Yilmaz.docx", paras)

    # e-mail referral
    f2, l2 = person()
    d2 = dob(2009, 2013)
    b2 = bsn()
    write_text(f"{base}/mail/doorverwijzing_ggz_kinderen.eml", f"""Return-Path: <{P('pii.email', 'j.hoekstra@waterland-oost.nl')}>
Message-ID: <{N('pii.email', 'Message-ID header, not a mailbox', '20261120093114.4F2A1@mail.waterland-oost.nl')}>
Date: Fri, 20 Nov 2026 09:31:14 +0100
From: Jelle Hoekstra <{P('pii.email', 'j.hoekstra@waterland-oost.nl')}>
To: {N('pii.email', 'role mailbox', 'intake@ggz-kind-noordholland.nl')}
Subject: Verwijzing {f2} {l2}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Beste collega's,

Hierbij verwijs ik {f2} {l2} door voor diagnostiek.
Geboortedatum: {P('pii.date_of_birth', dob_fmt(d2))}
BSN: {P('pii.bsn', bsn_fmt(b2))}
Huisarts: praktijk De Waterkant, {N('pii.phone', 'GP practice switchboard', '0299-431 200')}

Reden: {P('special.health', 'vermoeden van PTSS na een verkeersongeval')}, daarnaast
{P('special.health', 'zelfbeschadiging (snijden) sinds augustus')}. Moeder ({P('pii.phone', phone_nl())}) is
akkoord met de verwijzing. Zij geeft aan dat {f2} {P('special.sexual_orientation', 'onlangs uit de kast is gekomen als biseksueel')}
en daarover op school gepest wordt.

Met vriendelijke groet,
Jelle Hoekstra
Jeugdconsulent Gemeente Waterland-Oost
""")

    # Kotlin client
    tenant = uuid4()
    write_text(f"{base}/koppeling/src/main/kotlin/nl/waterlandoost/jeugd/GgkClient.kt", f"""package nl.waterlandoost.jeugd

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest

/** Haalt toewijzingen op bij het Gegevensknooppunt (iJW-berichten) en zet ze in het zaaksysteem. */
object GgkConfig {{
    const val TENANT_ID = "{N('secret.azure_client_secret', 'Azure AD tenant id (a public identifier)', tenant)}"
    const val CLIENT_ID = "{N('secret.azure_client_secret', 'Azure AD application (client) id, public', uuid4())}"
    // TODO naar Key Vault verplaatsen
    const val CLIENT_SECRET = "{P('secret.azure_client_secret', rs(B62, 3) + '8Q~' + rs(B62 + '_-.', 34))}"
    const val ZAAK_API_TOKEN = "{P('secret.generic', rs(B62, 40))}"
    val dbPassword: String = System.getenv("ZAAK_DB_PASSWORD") ?: "{P('secret.password', password())}"
    const val SAMPLE_BSN = "{N('pii.bsn', 'RvIG test BSN', '999993653')}"
}}

class GgkClient(private val http: HttpClient = HttpClient.newHttpClient()) {{
    fun toewijzingen(gemeentecode: String): String {{
        val request = HttpRequest.newBuilder(URI("https://api.ggk.example.nl/v2/toewijzingen/$gemeentecode"))
            .header("Authorization", "Bearer ${{GgkConfig.ZAAK_API_TOKEN}}")
            .build()
        return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body()
    }}
}}
""")

    pw = password()
    write_text(f"{base}/koppeling/src/main/resources/application.yml", f"""spring:
  application:
    name: jeugd-koppeling
  datasource:
    url: jdbc:postgresql://db-zaak.intern.waterland-oost.nl:5432/jeugd
    username: jeugd_app
    password: {P('secret.password', pw)}
  mail:
    host: smtp.office365.com
    username: {N('pii.email', 'no-reply sender', 'noreply-jeugd@waterland-oost.nl')}
    password: {N('secret.password', 'environment placeholder', '${MAIL_PASSWORD}')}
ggk:
  endpoint: https://api.ggk.example.nl/v2
  client-secret: {N('secret.azure_client_secret', 'placeholder', '<client-secret>')}
rabbit:
  uri: {P('secret.connection_string', f'amqp://jeugd:{password()}@mq01.intern.waterland-oost.nl:5672/jeugd')}
management:
  endpoints.web.exposure.include: health,info
logging.level.nl.waterlandoost: INFO
# lokaal: {N('secret.connection_string', 'local default credentials', 'postgresql://postgres:postgres@localhost:5432/jeugd')}
""")

    write_text(f"{base}/koppeling/db/migration/V7__testdata_en_correctie.sql", f"""-- V7: testgegevens voor de acceptatieomgeving + correctie geboortedatum
INSERT INTO kind (id, voornaam, achternaam, bsn, geboortedatum) VALUES
  (1, 'Test', 'Kind', '{N('pii.bsn', 'RvIG test BSN', '999993653')}', '{N('pii.date_of_birth', 'placeholder date in a fixture', '2000-01-01')}'),
  (2, 'Voorbeeld', 'Persoon', '{N('pii.bsn', 'documentation example BSN', '123456782')}', '2010-06-15'),
  (3, 'Dummy', 'Kind', '{N('pii.bsn', 'fixture value failing the 11-proof', '123456789')}', '2012-02-02');

-- correctie uit productie (ticket JT-881), per ongeluk meegecommit:
UPDATE kind SET geboortedatum = '{P('pii.date_of_birth', dob(2010, 2015).isoformat())}' WHERE bsn = '{P('pii.bsn', bsn())}';
UPDATE kind SET geboortedatum = '{P('pii.date_of_birth', dob(2010, 2015).isoformat())}' WHERE bsn = '{P('pii.bsn', bsn())}';
CREATE INDEX IF NOT EXISTS kind_bsn_idx ON kind (bsn);
""")

    write_text(f"{base}/website/jeugdhulp.html", f"""<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>Jeugdhulp | Gemeente Waterland-Oost</title></head>
<body>
<h1>Hulp voor kinderen, jongeren en ouders</h1>
<p>Maakt u zich zorgen over uw kind? Bijvoorbeeld bij {N('special.health', 'generic information text, no person', 'angst, depressie of ADHD')}, problemen
op school of thuis? Het jeugdteam denkt met u mee. Hulp is gratis.
Wij hebben {N('special.ethnicity', 'service offer, no person', 'tolken in het Arabisch, Turks, Tigrinya en Koerdisch')}.</p>
<p>Jongeren die {N('special.criminal', 'generic information text, no person', 'met politie of justitie in aanraking komen')} kunnen terecht bij HALT.</p>
<p>Wij werken samen met levensbeschouwelijke organisaties: {N('special.religion', 'public list of organisations, no person', 'moskee, kerk en humanistisch verbond')}.</p>
<h2>Contact</h2>
<p>Bel <a href="tel:{N('pii.phone', 'municipal short number in a tel: link', '140299')}">{N('pii.phone', 'municipal short number', '14 0299')}</a> of mail naar {N('pii.email', 'role mailbox', 'jeugdteam@waterland-oost.nl')}.<br>
Gemeentehuis, Raadhuisplein 1, {N('pii.postcode', 'address of the town hall', '1441 CX')} Purmerend.</p>
<p>Spoed buiten kantoortijd: Crisisdienst Jeugd {N('pii.phone', 'public crisis line', '088 - 0100 800')}</p>
</body>
</html>
""")


# ================================================================ B. FitFabriek (fitness chain)
def fitfabriek() -> None:
    base = "fitfabriek"
    clubs = ["Zwolle-Centrum", "Zwolle-Stadshagen", "Deventer", "Apeldoorn-Zuid", "Kampen", "Enschede"]
    lines = ["lidnummer;voornaam;achternaam;email;mobiel;geboortedatum;postcode;huisnr;iban;club;abonnement;ingangsdatum;opmerking"]
    remarks = [("", None), ("", None), ("knieblessure, geen squats", "special.health"), ("", None),
               ("zwanger (18 wk), aangepast schema", "special.health"), ("", None), ("hartpatiënt, toestemming cardioloog aanwezig", "special.health"),
               ("", None), ("vrouwenuur i.v.m. geloof (hoofddoek)", "special.religion"), ("", None),
               ("astma - inhaler in kluisje", "special.health"), ("", None)]
    for i in range(40):
        f, l = person()
        country = "NL" if i % 7 else R.choice(["BE", "DE"])
        d = dob(1958, 2007)
        pc = postcode()
        rem, rtype = remarks[i % len(remarks)]
        start = dt.date(R.randint(2019, 2026), R.randint(1, 12), 1)
        startv = N("pii.date_of_birth", "membership start date", start.isoformat()) if i in (1, 5) else start.isoformat()
        birth = d.isoformat() if i % 3 == 0 else (f"{d:%d-%m-%Y}" if i % 3 == 1 else f"{d:%d/%m/%Y}")
        lines.append(";".join([f"FF{100230 + i * 17}", f, l, P("pii.email", email_of(f, l)),
                               P("pii.phone", phone_nl() if country == "NL" else phone_eu(country)),
                               P("pii.date_of_birth", birth), P("pii.postcode", pc) if country == "NL" else "",
                               str(R.randint(1, 140)), P("pii.iban", iban(country, grouped=False)), R.choice(clubs),
                               R.choice(["Basic", "Flex", "All-in", "Student"]), startv,
                               P(rtype, rem) if rtype else rem]))
    lines.append(";".join(["FF000000", "Test", "Account", N("pii.email", "test domain", "test.account@fitfabriek.test"),
                           N("pii.phone", "placeholder", "0600000000"), N("pii.date_of_birth", "placeholder", "1900-01-01"),
                           "", "", N("pii.iban", "documentation IBAN", "NL91ABNA0417164300"), "Zwolle-Centrum", "Basic", "2020-01-01", "testaccount, niet verwijderen"]))
    write_text(f"{base}/export/leden_2026-12-01.csv", "\n".join(lines) + "\n")

    # access control events with face templates
    events = []
    for i in range(14):
        member = f"FF{100230 + R.randint(0, 39) * 17}"
        t = dt.datetime(2026, 12, 2, 6, 0) + dt.timedelta(minutes=7 * i + R.randint(0, 5))
        ev = {"ts": t.isoformat() + "+01:00", "club": R.choice(clubs), "gate": f"poort-{R.randint(1, 3)}",
              "device_ip": N("pii.ip_address", "private address of the gate", f"10.20.{R.randint(1, 9)}.{R.randint(10, 99)}") if i < 2 else f"10.20.{R.randint(1, 9)}.{R.randint(10, 99)}",
              "member": member, "method": "face" if i % 4 else "qr", "result": "granted"}
        if i % 4:
            ev["face_template"] = P("special.biometric", base64.b64encode(R.randbytes(96)).decode())
            ev["match_score"] = round(R.uniform(0.81, 0.99), 3)
        else:
            ev["face_template"] = None
        events.append(json.dumps(ev, ensure_ascii=False))
    events.append(json.dumps({"ts": "2026-12-02T08:00:00+01:00", "club": "Deventer", "event": "firmware",
                              "version": N("pii.ip_address", "firmware version", "4.12.0.118"), "vendor": "FaceGate Pro",
                              "sha256": N("secret.generic", "firmware checksum", sha256_hex())}, ensure_ascii=False))
    write_text(f"{base}/toegang/access_events_2026-12-02.jsonl", "\n".join(events) + "\n")

    # PAR-Q intake PDF, one member per page
    pages = []
    qs = [("hart- of vaatziekte", "Ja: {} ", "special.health"), ("medicatie", "", None)]
    items = [("Hoge bloeddruk, gebruikt amlodipine 5 mg", "Rugoperatie (hernia) in 2024"),
             ("Diabetes type 2, metformine", "Epilepsie, laatste aanval 2025"),
             ("Geen bijzonderheden", "Herstellende van borstkanker, chemo afgerond in mei")]
    for i, (h1, h2) in enumerate(items):
        f, l = person()
        d = dob(1955, 1999)
        street, pc, city = address()
        health1 = h1 if h1.startswith("Geen") else P("special.health", h1)
        pages.append([
            "FitFabriek - Gezondheidsvragenlijst (PAR-Q) en intake",
            f"Naam: {f} {l}",
            f"Geboortedatum: {P('pii.date_of_birth', dob_fmt(d))}",
            f"Adres: {street}, {P('pii.postcode', pc)} {city}",
            f"Telefoon: {P('pii.phone', phone_nl())}   E-mail: {P('pii.email', email_of(f, l))}",
            "",
            "1. Heeft een arts ooit gezegd dat u een hartaandoening of hoge bloeddruk heeft?",
            f"   Antwoord: {health1}",
            "2. Heeft u een aandoening aan botten, gewrichten of spieren die erger kan worden door sporten?",
            f"   Antwoord: {P('special.health', h2)}",
            "3. Bent u zwanger of korter dan zes maanden geleden bevallen?   Antwoord: nee",
            "",
            f"Noodcontact: {R.choice(FIRST)} {l}, {P('pii.phone', phone_nl())}",
            f"Incasso IBAN: {P('pii.iban', iban('NL', grouped=True))}",
            f"Handtekening lid, datum intake: {N('pii.date_of_birth', 'date of the intake', '28-11-2026')}",
            f"Uw gegevens worden bewaard tot 2 jaar na einde lidmaatschap. Vragen: {N('pii.email', 'role mailbox', 'privacy@fitfabriek.nl')}",
        ])
    write_pdf(f"{base}/intake/parq_intakes_week48.pdf", pages, "PAR-Q intakes week 48")

    mollie = "live_" + rs(B62, 30)
    stripe = "sk_live_51" + rs(B62, 97)
    pgpw = password()
    write_text(f"{base}/app/api/payments.go", f"""package api

import (
	"database/sql"
	"net/http"
	"os"

	_ "github.com/lib/pq"
)

// Betalingen lopen via Mollie (incasso) en Stripe (losse lessen en de webshop).
const (
	mollieAPIKey     = "{P('secret.mollie_key', mollie)}"
	stripePublicKey  = "{N('secret.stripe_key', 'publishable key, public by design', 'pk_live_51' + rs(B62, 97))}"
	stripeSecretKey  = "{P('secret.stripe_key', stripe)}"
	stripeWebhookKey = "{P('secret.stripe_key', 'whsec_' + rs(B62, 32))}"
	testCard         = "{N('pii.credit_card', 'Stripe documented test card in a test helper', '4242 4242 4242 4242')}"
)

var dsn = envOr("DATABASE_URL", "{P('secret.connection_string', f'postgres://fitfabriek:{pgpw}@db.prod.fitfabriek.internal:5432/leden?sslmode=require')}")

func envOr(key, fallback string) string {{
	if v := os.Getenv(key); v != "" {{
		return v
	}}
	return fallback
}}

func openDB() (*sql.DB, error) {{ return sql.Open("postgres", dsn) }}

func healthz(w http.ResponseWriter, _ *http.Request) {{ w.WriteHeader(http.StatusNoContent) }}
""")

    write_text(f"{base}/app/.env.production", f"""APP_ENV=production
APP_URL=https://mijn.fitfabriek.nl
DATABASE_URL={P('secret.connection_string', f'postgres://fitfabriek:{pgpw}@db.prod.fitfabriek.internal:5432/leden')}
REDIS_URL={P('secret.connection_string', f'redis://:{password()}@cache.prod.fitfabriek.internal:6379/0')}
MOLLIE_API_KEY={P('secret.mollie_key', mollie)}
MOLLIE_TEST_KEY={P('secret.mollie_key', 'test_' + rs(B62, 30))}
SENDGRID_API_KEY={P('secret.sendgrid_key', 'SG.' + rs(B62 + '_-', 22) + '.' + rs(B62 + '_-', 43))}
FACEGATE_API_SECRET={P('secret.generic', rs(string.hexdigits.lower()[:16], 48))}
JWT_SECRET={P('secret.generic', rs(B62 + '+/', 64))}
SENTRY_DSN=https://{P('secret.generic', rs('0123456789abcdef', 32))}@o450231.ingest.sentry.io/5521190
SMTP_PASSWORD={N('secret.password', 'placeholder', 'changeme')}
GOOGLE_MAPS_KEY={P('secret.gcp_api_key', 'AIza' + rs(B62 + '_-', 35))}
""")

    dbpw = password()
    write_text(f"{base}/app/docker-compose.yml", f"""services:
  api:
    build: ./api
    env_file: .env.production
    ports: ["8080:8080"]
    depends_on: [db]
  db:
    image: postgres:16@sha256:{N('secret.generic', 'image digest', sha256_hex())}
    environment:
      POSTGRES_USER: fitfabriek
      POSTGRES_PASSWORD: {P('secret.password', dbpw)}
      POSTGRES_DB: leden
    volumes: ["pgdata:/var/lib/postgresql/data"]
  adminer:
    image: adminer:4.8.1
    environment:
      ADMINER_DEFAULT_PASSWORD: {N('secret.password', 'placeholder', 'xxxxxxxx')}
  facegate-sync:
    image: registry.fitfabriek.nl/facegate-sync:2.3.7
    environment:
      FACEGATE_URL: https://facegate.local
      FACEGATE_USER: sync
      FACEGATE_PASSWORD: {P('secret.password', password())}
volumes:
  pgdata: {{}}
""")

    write_text(f"{base}/.github/workflows/deploy.yml", f"""name: deploy
on:
  push:
    branches: [main]
env:
  AWS_REGION: eu-central-1
  AWS_ACCESS_KEY_ID: {P('secret.aws_access_key', aws_key())}
  AWS_SECRET_ACCESS_KEY: {P('secret.aws_secret_key', aws_secret())}
jobs:
  deploy:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@{N('secret.generic', 'pinned action commit SHA', hashlib.sha1(R.randbytes(8)).hexdigest())}
      - name: Login to registry
        run: echo "${{{{ secrets.REGISTRY_TOKEN }}}}" | docker login registry.fitfabriek.nl -u ci --password-stdin
      - name: Deploy
        run: ./scripts/deploy.sh
        env:
          GH_TOKEN: {P('secret.github_token', github('ghp'))}
          DB_PASSWORD: {N('secret.password', 'GitHub Actions secret reference', '${{ secrets.DB_PASSWORD }}')}
      - name: Notify
        if: always()
        run: |
          curl -X POST -H 'Content-type: application/json' --data '{{"text":"deploy done"}}' \\
            {P('secret.slack_token', 'https://hooks.slack.com/services/T' + rs(ALNUM_UP, 8) + '/B' + rs(ALNUM_UP, 10) + '/' + rs(B62, 24))}
""")

    log = []
    paths = ["/api/v1/checkin", "/login", "/rooster?club=deventer", "/api/v1/leden/me", "/static/app.3f9a1c.js",
             "/wachtwoord-vergeten?email=", "/api/v1/lessen/boeken"]
    for i in range(24):
        ip = ipv6() if i % 5 == 0 else ipv4()
        t = dt.datetime(2026, 12, 2, 7, 0) + dt.timedelta(seconds=37 * i)
        path = R.choice(paths)
        if path.endswith("email="):
            f, l = person()
            path += P("pii.email", email_of(f, l).replace("@", "%40"))
        ua = R.choice(["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
                       "FitFabriekApp/5.4.2 (Android 15)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/" + N("pii.ip_address", "Chrome reduced user-agent version", "131.0.0.0") + " Safari/537.36"])
        log.append(f'{P("pii.ip_address", ip)} - - [{t:%d/%b/%Y:%H:%M:%S} +0100] "GET {path} HTTP/1.1" 200 {R.randint(200, 9000)} "-" "{ua}"')
    log.append(f'{N("pii.ip_address", "private address of the load-balancer health check", "10.20.0.5")} - - [02/Dec/2026:07:15:00 +0100] "GET /healthz HTTP/1.1" 204 0 "-" "kube-probe/1.31"')
    log.append(f'{N("pii.ip_address", "documentation range", "203.0.113.50")} - - [02/Dec/2026:07:15:02 +0100] "GET /robots.txt HTTP/1.1" 200 41 "-" "curl/8.5.0"')
    write_text(f"{base}/logs/nginx_access.log", "\n".join(log) + "\n")

    write_text(f"{base}/app/CHANGELOG.md", f"""# Changelog

## [5.4.2] - {N('pii.date_of_birth', 'release date', '2026-11-26')}
- Fix: check-in via gezichtsherkenning viel terug op QR bij firmware {N('pii.ip_address', 'firmware version', '4.12.0.118')}.
- Bestelnummers in de webshop lopen nu door na {N('pii.bsn', 'order number that passes the 11-proof', eleven_proof_number())}.

## [5.4.1] - 2026-11-12
- Upgrade `lib/pq` naar 1.10.9, Go 1.23.3.
- Toegang met {N('special.biometric', 'feature in a changelog, no person', 'gezichtsherkenning (face template op de poort)')} nu in alle clubs.
- Commit {N('secret.generic', 'git commit SHA', hashlib.sha1(R.randbytes(8)).hexdigest())} teruggedraaid (dubbele incasso).
- Voorbeeld in docs aangepast: `MOLLIE_API_KEY={N('secret.mollie_key', 'placeholder', 'test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')}`.

## [5.4.0] - 2026-10-30
- Nieuwe lessen: spinning, bootcamp. Contact: {N('pii.email', 'documentation domain', 'support@example.com')}.
""")

    write_text(f"{base}/hr/teamleiders_notities.md", f"""# Notities teamleiders (vertrouwelijk)

- **Roos Dekker** (trainer Deventer): {P('special.health', 'burn-out, werkt 50% op advies van de bedrijfsarts')}. Terug per januari.
- **Hamza Bouzidi** (receptie Kampen): vraagt pauze op vrijdag voor het {P('special.religion', 'vrijdaggebed')}. Akkoord.
- **Lars Vos** (trainer Zwolle): {P('special.criminal', 'VOG geweigerd vanwege een veroordeling voor mishandeling in 2019')}; contract niet verlengd.
- **Elif Kaya**: lid van de FNV, vroeg naar de cao-onderhandelingen (geen actie).
- Nieuwe trainers leveren altijd een {N('special.criminal', 'generic hiring requirement, no person', 'Verklaring Omtrent het Gedrag')} aan.
- Jurgen (manager Apeldoorn) {P('special.sexual_orientation', 'is getrouwd met zijn man Pieter')}, beiden komen naar het kerstfeest.
- Nieuwe receptionist Sofie Maes: {P('special.biometric', 'vingerafdruk geregistreerd voor het personeelskluisje (template 0x3F2A in de FaceGate-database)')}.
- Wij bieden {N('special.health', 'service description, no person', 'fysiotherapie en leefstijlcoaching')} aan in alle clubs.
""")


# ================================================================ C. Notariskantoor Brinkman & Aksoy, Deventer
def notaris() -> None:
    base = "notariskantoor-brinkman-aksoy"
    s1, s2, k1 = person(), person(), person()
    d1, d2, d3 = dob(1950, 1980), dob(1950, 1980), dob(1975, 1998)
    a1, a2 = address(), address()
    paras = [
        "CONCEPT - LEVERING REGISTERGOED",
        "",
        "Heden, [datum], verschenen voor mij, mr. Dilek Aksoy, notaris te Deventer:",
        f"1. {s1[0]} {s1[1]}, geboren te Zwolle op {P('pii.date_of_birth', dob_fmt(d1))}, wonende te {a1[2]}, {a1[0]}, "
        f"{P('pii.postcode', a1[1])}, zich legitimerende met paspoort nummer {P('pii.passport', passport('NL'))}, "
        f"burgerservicenummer {P('pii.bsn', bsn_fmt(bsn()))}, gehuwd;",
        f"hierna te noemen: 'verkoper';",
        f"2. {k1[0]} {k1[1]}, geboren te Gent (België) op {P('pii.date_of_birth', dob_fmt(d3))}, wonende te {a2[2]}, {a2[0]}, "
        f"{P('pii.postcode', a2[1])}, zich legitimerende met Belgische identiteitskaart, rijksregisternummer "
        f"{P('pii.national_id', be_national(d3))}, ongehuwd en niet geregistreerd als partner;",
        "hierna te noemen: 'koper'.",
        "",
        f"KOOPSOM: vierhonderdtwintigduizend euro (EUR 420.000,00), te voldoen op de kwaliteitsrekening van de notaris, "
        f"{N('pii.iban', 'the notary office account (a business, not a person)', group4(NOTARY_IBAN))}.",
        f"De verkoper verzoekt het restant over te maken op rekening {P('pii.iban', iban('NL', grouped=True))} ten name van verkoper.",
        f"De koper financiert met een hypotheek; de bank schrijft af van {P('pii.iban', iban('BE', grouped=True))}.",
        "",
        f"Kadastrale aanduiding: gemeente Deventer, sectie K, nummer {N('pii.bsn', 'cadastral parcel number passing the 11-proof', eleven_proof_number())}.",
        f"Kantooradres: Brink 12, {N('pii.postcode', 'address of the notary office', '7411 BT')} Deventer, "
        f"tel. {N('pii.phone', 'office switchboard', '0570 - 61 22 00')}.",
    ]
    write_docx(f"{base}/dossiers/2026-0417/concept_akte_levering.docx", paras)

    rows = [["dossier", "naam", "nationaliteit", "documentsoort", "documentnummer", "geldig_tot", "geboortedatum",
             "nationaal_nummer", "gecontroleerd_door"]]
    for i in range(22):
        f, l = person()
        nat = ["NL", "NL", "NL", "BE", "DE", "FR", "ES", "PL"][i % 8]
        d = dob(1945, 2004)
        doc = "paspoort" if i % 3 else "identiteitskaart"
        kind = "BEID" if (nat, doc) == ("BE", "identiteitskaart") else nat
        number = passport(kind) if nat in ("NL", "BE", "DE", "FR") else rs(string.ascii_uppercase, 3) + rs(string.digits, 6)
        natid = {"BE": lambda: be_national(d, grouped=i % 2 == 0), "DE": de_idnr_, "FR": lambda: fr_nir_of(d),
                 "ES": es_dni_, "PL": lambda: pesel_of(d), "NL": bsn}[nat]()
        expiry = dt.date(2027 + i % 8, R.randint(1, 12), R.randint(1, 28))
        rows.append([f"2026-{300 + i * 7:04d}", f"{f} {l}", nat, doc, P("pii.passport", number),
                     N("pii.date_of_birth", "document expiry date", expiry.isoformat()) if i < 3 else expiry.isoformat(),
                     Typed(d, d.isoformat(), "pii.date_of_birth") if i % 2 else P("pii.date_of_birth", f"{d:%d-%m-%Y}"),
                     P("pii.bsn" if nat == "NL" else "pii.national_id", natid), R.choice(["DA", "MB", "KW"])])
    rows.append(["2026-9999", "Proef Persoon", "NL", "paspoort", N("pii.passport", "specimen passport number", "SPECI2021"),
                 "2031-03-09", "1965-03-10", N("pii.bsn", "RvIG test BSN", "999993653"), "test"])
    write_xlsx(f"{base}/kyc/identificatieregister_2026.xlsx", {"WID-register": rows})

    lines = ["boekdatum,dossier,omschrijving,tegenrekening,naam_tegenpartij,bedrag"]
    for i in range(20):
        f, l = person()
        c = ["NL", "NL", "NL", "BE", "DE", "FR", "LU", "ES", "IT", "AT"][i % 10]
        lines.append(f"2026-11-{R.randint(1, 28):02d},2026-{R.randint(300, 450):04d},"
                     f"{R.choice(['koopsom', 'waarborgsom', 'uitkering erfdeel', 'restant hypotheek', 'overdrachtsbelasting'])},"
                     f"{P('pii.iban', iban(c, grouped=False))},{f} {l},{R.randint(1000, 400000)}.{R.randint(0, 99):02d}")
    lines.append(f"2026-11-30,-,rente kwaliteitsrekening,{N('pii.iban', 'own business account of the office', NOTARY_IBAN)},Notariskantoor Brinkman & Aksoy,12.40")
    lines.append(f"2026-11-30,-,overdrachtsbelasting afdracht,{N('pii.iban', 'tax authority account (Belastingdienst), not a person', 'NL86INGB0002445588')},Belastingdienst,-38400.00")
    write_text(f"{base}/financieel/kwaliteitsrekening_2026-11.csv", "\n".join(lines) + "\n", newline="\r\n")

    t = person()
    write_text(f"{base}/dossiers/2026-0388/testament_gespreksnotities.md", f"""# Dossier 2026-0388 - testament {t[0]} {t[1]}

Gesprek 14 november 2026 (mr. Aksoy), aanwezig: erflater en dochter.

- Erflater, geboren {P('pii.date_of_birth', dob_fmt(dob(1938, 1948)))}, wil {P('special.religion', 'begraven worden volgens islamitische riten')} en vraagt of de verdeling
  {P('special.religion', 'volgens de sharia')} kan (uitgelegd: dwingend erfrecht, legitieme portie).
- Wilsbekwaamheid: {P('special.health', 'beginnende dementie (Alzheimer) vastgesteld door de geriater')}; verklaring van de specialist
  opgevraagd voor het passeren.
- Zoon Bilal krijgt zijn deel via een bewind: {P('special.health', 'verslaafd aan gokken en cocaïne')}, en hij
  {P('special.criminal', 'zit een straf uit voor drugshandel')}.
- Kleindochter {P('special.sexual_orientation', 'woont samen met haar vriendin')}; erflater wil haar gelijk behandelen.
- Contact dochter: {P('pii.phone', phone_nl())}, {P('pii.email', email_of(R.choice(FIRST), t[1]))}

Algemeen: het kantoor {N('special.religion', 'office policy, no person', 'houdt rekening met alle geloofsovertuigingen')} bij het plannen van passeerdata.
""")

    c = person()
    d = dob(1960, 1985)
    write_text(f"{base}/mail/vraag_erfenis_{c[1].split()[-1].lower()}.eml", f"""From: {c[0]} {c[1]} <{P('pii.email', email_of(*c, domain='telenet.be'))}>
To: Notariskantoor Brinkman & Aksoy <{N('pii.email', 'role mailbox', 'info@notaris-brinkman-aksoy.nl')}>
Subject: Vraag over erfenis van mijn moeder (dossier 2026-0391)
Date: Mon, 23 Nov 2026 21:04:55 +0100
Message-ID: <{N('pii.email', 'Message-ID header, not a mailbox', 'CAF' + rs(B62, 24) + '@mail.gmail.com')}>
Content-Type: text/plain; charset=utf-8

Geachte notaris,

Zoals gevraagd stuur ik mijn gegevens voor de verklaring van erfrecht:
Naam: {c[0]} {c[1]}
Geboortedatum: {P('pii.date_of_birth', dob_fmt(d))}
Belgisch paspoort: {P('pii.passport', passport('BE'))}
Rijksregisternummer: {P('pii.national_id', be_national(d, grouped=False))}
Mijn rekening: {P('pii.iban', iban('BE', grouped=True))}
GSM: {P('pii.phone', phone_eu('BE'))}

Mijn broer kan niet tekenen: {P('special.health', 'hij ligt sinds oktober opgenomen na een herseninfarct')}.

Met vriendelijke groeten,
{c[0]} {c[1]}
""")

    smtp = password()
    write_text(f"{base}/it/backup_dossiers.sh", f"""#!/usr/bin/env bash
# Nachtelijke back-up van de dossiermap naar de NAS en naar de offsite bucket.
set -euo pipefail
export RESTIC_PASSWORD='{P('secret.password', password())}'
export AWS_ACCESS_KEY_ID={P('secret.aws_access_key', aws_key())}
export AWS_SECRET_ACCESS_KEY={P('secret.aws_secret_key', aws_secret())}
SRC=/srv/dossiers
restic -r s3:https://s3.eu-central-1.amazonaws.com/brinkman-aksoy-backup backup "$SRC"
rsync -a --delete "$SRC" backup@{P('pii.ip_address', ipv4())}:/volume1/kantoor/
mysqldump -u notaris -p'{P('secret.password', password())}' dossiers > /srv/dump/dossiers.sql
curl -s -u monitor:{P('secret.password', password())} https://status.brinkman-aksoy.nl/ping >/dev/null
echo "klaar: $(date -Iseconds)"
""")

    write_text(f"{base}/it/ssh/id_ed25519", P("secret.private_key", private_key("ed25519")) + "\n")
    write_text(f"{base}/it/ssh/id_ed25519.pub", N("secret.private_key", "OpenSSH public key", public_key_openssh() + " beheer@brinkman-aksoy") + "\n")

    write_text(f"{base}/it/kantoor.ini", f"""; instellingen koppeling Exact Online en ondertekenplatform
[exact]
base_url = https://start.exactonline.nl
client_id = {N('secret.exact_online', 'Exact app client id (public identifier)', '{' + uuid4() + '}')}
client_secret = {P('secret.exact_online', rs(B62, 12))}
division = 2744310

[smtp]
host = smtp.transip.email
user = {N('pii.email', 'role mailbox used as SMTP login', 'dossier@notaris-brinkman-aksoy.nl')}
password = {P('secret.password', smtp)}

[ondertekenen]
api_key = {P('secret.generic', rs(B62, 48))}
webhook_secret = {P('secret.generic', rs('0123456789abcdef', 64))}
; demo-omgeving
demo_api_key = {N('secret.generic', 'placeholder', 'your-api-key-here')}

[bunq]
api_key = {P('secret.bunq_key', rs('0123456789abcdef', 64))}
""")

    write_text(f"{base}/kantoor/bedrijfsgegevens.md", f"""# Notariskantoor Brinkman & Aksoy

Brink 12, {N('pii.postcode', 'office address', '7411 BT')} Deventer · Postbus 402, {N('pii.postcode', 'PO box postcode of the office', '7400 AK')} Deventer
Telefoon {N('pii.phone', 'office switchboard', '0570 - 61 22 00')} · {N('pii.email', 'role mailbox', 'info@notaris-brinkman-aksoy.nl')}
KvK {N('pii.bsn', 'chamber-of-commerce number', '08123456')} · btw NL{N('pii.bsn', 'RSIN/VAT number of the firm passing the 11-proof', eleven_proof_number())}B01
Kwaliteitsrekening: {N('pii.iban', 'office third-party account', group4(NOTARY_IBAN))}

Openingstijden: ma-vr 8.30-17.00. Passeren op zaterdag in overleg.
Aangesloten bij de KNB; klachten via de Geschillencommissie Notariaat.
Voorbeeld IBAN in onze formulieren: {N('pii.iban', 'template IBAN', 'NL02ABNA0123456789')}
""")


# ================================================================ D. TalentBrug (recruitment agency, Antwerpen)
def talentbrug() -> None:
    base = "talentbrug-antwerpen"
    notes = [("", None), ("heeft een arbeidshandicap (doof), tolk VGT bij gesprekken", "special.health"), ("", None),
             ("wil geen shifts op sabbat", "special.religion"), ("", None), ("rolstoelgebruiker", "special.health"),
             ("", None), ("", None), ("veroordeeld voor fraude (2021), niet voorstellen bij banken", "special.criminal"),
             ("", None), ("Marokkaanse achtergrond, klant vroeg ernaar (niet doorgegeven)", "special.ethnicity"), ("", None)]
    lines = ["kandidaat_id\tvoornaam\tnaam\trijksregisternummer\tgeboortedatum\tgsm\temail\trekening\trijbewijs\tfunctie\tnotities"]
    for i in range(30):
        f, l = person()
        d = dob(1966, 2006)
        natid = be_national(d, grouped=i % 3 != 0)
        dl = rs(string.digits, 10)
        note, nt = notes[i % len(notes)]
        phone = phone_eu("BE") if i % 5 else phone_nl()
        acc = iban("BE", grouped=True) if i % 6 else iban("NL", grouped=False)
        lines.append("\t".join([f"TB-{58000 + i * 13}", f, l, P("pii.national_id", natid), P("pii.date_of_birth", dob_fmt(d)),
                                P("pii.phone", phone), P("pii.email", email_of(f, l, R.choice(['telenet.be', 'gmail.com', 'hotmail.com', 'skynet.be']))),
                                P("pii.iban", acc), P("pii.drivers_license", dl) if i % 4 == 0 else "",
                                R.choice(["heftruckchauffeur", "boekhouder", "verpleegkundige", "magazijnier", "developer", "lasser"]),
                                P(nt, note) if nt else note]))
    lines.append("\t".join(["TB-00000", "Test", "Kandidaat", N("pii.national_id", "all-zero placeholder", "00.00.00-000.00"),
                            N("pii.date_of_birth", "placeholder", "01/01/1900"), N("pii.phone", "placeholder", "+32 000 00 00 00"),
                            N("pii.email", "example domain", "kandidaat@example.org"), "", N("pii.drivers_license", "placeholder", "0000000000"),
                            "-", "testrecord"]))
    write_text(f"{base}/kandidaten/kandidatenpool_2026-12.tsv", "\n".join(lines) + "\n")

    write_text(f"{base}/kandidaten/intake_notities_week48.md", f"""# Intakes week 48 (consulent: Ward Lambrechts)

## Kandidaat TB-58013 - logistiek medewerker
- Heeft {P('special.health', 'MS (multiple sclerose)')}, kan niet langer dan 4 uur staan.
- Is {P('special.religion', 'praktiserend moslim')} en wil tijdens de ramadan vroege shifts.
- Sinds 2019 {P('special.political', 'vakbondsafgevaardigde en lid van de PVDA-afdeling Deurne')}; wil dat graag blijven doen.

## Kandidaat TB-58026 - verpleegkundige
- Zei in het gesprek dat ze {P('special.health', 'zeven maanden zwanger')} is; start pas na bevallingsverlof.
- Partner is haar vrouw ({P('special.sexual_orientation', 'getrouwd met een vrouw')}), vraagt naar ouderschapsverlof meemoeder.

## Kandidaat TB-58039 - developer (Engels)
- Originally from Lagos, {P('special.ethnicity', 'describes himself as Black British of Nigerian descent')}.
- Mentioned he {P('special.health', 'has been treated for bipolar disorder')} and is stable on lithium.
- {P('special.criminal', 'Has a spent conviction for drink driving (2018)')}.

## Algemeen
- Klant Havenbedrijf vraagt een {N('special.criminal', 'generic job requirement, no person', 'uittreksel uit het strafregister (model 1)')} voor alle kandidaten.
- Vacatureteksten: wij selecteren {N('special.ethnicity', 'diversity statement, no person', 'ongeacht afkomst, geloof, geaardheid of handicap')}.
- {N('special.political', 'office rule, no person', 'Politieke voorkeur')} vragen we nooit.
""")

    acct = rs(string.ascii_lowercase, 10)
    write_text(f"{base}/ats/src/CandidateSync.cs", f"""using System;
using Azure.Storage.Blobs;
using SendGrid;

namespace TalentBrug.Ats
{{
    /// <summary>Zet cv's uit de mailbox in blob storage en mailt de consulent.</summary>
    public class CandidateSync
    {{
        private const string BlobConnection =
            "{P('secret.azure_storage_key', f'DefaultEndpointsProtocol=https;AccountName=tb{acct};AccountKey={base64.b64encode(R.randbytes(64)).decode()};EndpointSuffix=core.windows.net')}";
        private const string SendGridKey = "{P('secret.sendgrid_key', 'SG.' + rs(B62 + '_-', 22) + '.' + rs(B62 + '_-', 43))}";
        private const string DevStorage = "{N('secret.azure_storage_key', 'Azurite development storage (documented well-known key)', 'UseDevelopmentStorage=true')}";
        private static readonly string Sql =
            "{P('secret.connection_string', 'Server=tcp:tb-ats.database.windows.net,1433;Database=ats;User ID=ats_sync;Password=' + password() + ';Encrypt=True;')}";

        public void Run()
        {{
            var blobs = new BlobServiceClient(BlobConnection);
            var mail = new SendGridClient(SendGridKey);
            Console.WriteLine($"sync gestart {{DateTime.UtcNow:O}}");
        }}
    }}
}}
""")

    apw = password()
    write_text(f"{base}/ats/appsettings.Production.json", json.dumps({
        "ConnectionStrings": {
            "Ats": P("secret.connection_string", f"Server=tcp:tb-ats.database.windows.net,1433;Database=ats;User ID=ats_app;Password={apw};Encrypt=True;"),
            "Local": N("secret.connection_string", "integrated security, no password", "Server=(localdb)\\mssqllocaldb;Database=ats;Trusted_Connection=True;")},
        "AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": N("secret.azure_client_secret", "tenant id, public", uuid4()),
                    "ClientId": uuid4(), "ClientSecret": P("secret.azure_client_secret", rs(B62, 3) + "8Q~" + rs(B62 + "_-.", 34))},
        "OpenAI": {"ApiKey": P("secret.openai_key", "sk-proj-" + rs(B62 + "_-", 74) + "T3BlbkFJ" + rs(B62 + "_-", 74)),
                   "Model": "gpt-4o-mini"},
        "Twilio": {"AccountSid": N("secret.twilio_key", "account SID, an identifier", "AC" + rs("0123456789abcdef", 32)),
                   "AuthToken": P("secret.twilio_key", rs("0123456789abcdef", 32))},
        "Logging": {"LogLevel": {"Default": "Information"}}}, indent=2, ensure_ascii=False) + "\n")

    write_text(f"{base}/deploy/helm/values-prod.yaml", f"""replicaCount: 2
image:
  repository: ghcr.io/talentbrug/ats
  tag: "3.8.1"
ingress:
  enabled: true
  hosts: [ats.talentbrug.be]
env:
  ASPNETCORE_ENVIRONMENT: Production
  DATAPORT_URL: https://api.dataport.be
secrets:
  DATAPORT_TOKEN: {P('secret.generic', rs(B62, 40))}
  GITLAB_DEPLOY_TOKEN: {P('secret.gitlab_token', 'glpat-' + rs(B62 + '_-', 20))}
  SLACK_BOT_TOKEN: {P('secret.slack_token', f'xoxb-{R.randint(10**11, 10**12)}-{R.randint(10**12, 10**13)}-{rs(B62, 24)}')}
  REDIS_PASSWORD: {P('secret.password', password())}
  SMTP_PASSWORD: {N('secret.password', 'placeholder', '<password>')}
postgresql:
  auth:
    postgresPassword: {P('secret.password', password())}
    existingSecret: ""
tls:
  key: |
    {P('secret.private_key', private_key('ec').replace(chr(10), chr(10) + '    '))}
""")

    logs = []
    for i in range(16):
        f, l = person()
        t = dt.datetime(2026, 12, 2, 8, 0) + dt.timedelta(seconds=61 * i)
        ev = R.choice(["login", "cv_upload", "vacancy_view", "login_failed"])
        rec = {"@timestamp": t.isoformat() + "Z", "level": "WARN" if ev == "login_failed" else "INFO",
               "logger": "TalentBrug.Ats.Auth", "event": ev, "user": P("pii.email", email_of(f, l, R.choice(["telenet.be", "gmail.com"]))),
               "client_ip": P("pii.ip_address", ipv4() if i % 4 else ipv6()), "trace_id": rs("0123456789abcdef", 32)}
        logs.append(json.dumps(rec, ensure_ascii=False))
    logs.append(json.dumps({"@timestamp": "2026-12-02T08:20:00Z", "level": "INFO", "event": "startup",
                            "version": N("pii.ip_address", "build version", "3.8.1.2207"),
                            "node_ip": N("pii.ip_address", "private cluster address", "10.244.1.17")}, ensure_ascii=False))
    write_text(f"{base}/logs/ats-2026-12-02.jsonl", "\n".join(logs) + "\n")

    pages = []
    for i in range(2):
        f, l = person()
        d = dob(1980, 2000)
        street, _pc, _city = address()
        pages.append([f"Curriculum vitae - {f} {l}",
                      f"Geboortedatum: {P('pii.date_of_birth', dob_fmt(d))}",
                      f"Adres: {street}, 2018 Antwerpen",
                      f"GSM: {P('pii.phone', phone_eu('BE'))}   E-mail: {P('pii.email', email_of(f, l, 'gmail.com'))}",
                      f"Rijbewijs B, nummer {P('pii.drivers_license', rs(string.digits, 10))}",
                      "",
                      "Werkervaring",
                      "2021 - heden  Magazijnverantwoordelijke, Logistiek Waasland",
                      "2017 - 2021  Orderpicker, Coolblue Antwerpen",
                      "",
                      "Opleiding: Bachelor Logistiek, Karel de Grote Hogeschool (2017)",
                      "Talen: Nederlands, Frans, Engels, Arabisch" if i == 0 else "Talen: Nederlands, Engels, Pools",
                      "Vrijwilligerswerk: " + (P('special.religion', 'jeugdleider bij de protestantse kerk Antwerpen-Noord') if i == 0
                                                else P('special.political', 'bestuurslid jongerenafdeling Vooruit Antwerpen')),
                      "Referenties op aanvraag."])
    write_pdf(f"{base}/kandidaten/cv_bundel_vacature_2291.pdf", pages, "CV bundel vacature 2291")


# ================================================================ E. Wooncoöperatie De Hofstede, Nijmegen
def hofstede() -> None:
    base = "wooncooperatie-de-hofstede"
    rows = [["lidnr", "naam", "woning", "postcode", "geboortedatum", "telefoon", "e-mail", "iban_incasso", "bsn (inkomenstoets)",
             "huur", "bijzonderheden"]]
    remarks = [("", None), ("aangepaste woning: rolstoel", "special.health"), ("", None), ("mantelzorger voor zoon met epilepsie", "special.health"),
               ("", None), ("", None), ("begeleid wonen (GGZ), contact via begeleider", "special.health"), ("", None),
               ("huurachterstand, schuldhulp gemeente", None), ("", None)]
    for i in range(28):
        f, l = person()
        d = dob(1940, 2003)
        pc = postcode()
        b = bsn()
        rem, rt = remarks[i % len(remarks)]
        bsn_cell = Typed(int(b), b, "pii.bsn") if i % 4 == 1 and b[0] != "0" else (P("pii.bsn", bsn_fmt(b)) if i % 2 == 0 else "")
        rows.append([f"H{200 + i}", f"{f} {l}", f"Hofstedeweg {R.randint(1, 120)}", P("pii.postcode", pc),
                     Typed(d, d.isoformat(), "pii.date_of_birth") if i % 3 == 0 else P("pii.date_of_birth", dob_fmt(d)),
                     P("pii.phone", phone_nl("fixed" if i % 5 == 0 else "mobile")), P("pii.email", email_of(f, l)),
                     P("pii.iban", iban("NL", grouped=i % 2 == 0)), bsn_cell, round(R.uniform(520, 980), 2),
                     P(rt, rem) if rt else rem])
    rows.append(["H000", "Gastenwoning (coöperatie)", "Hofstedeweg 1", N("pii.postcode", "address of the co-op's guest house", "6543 JE"),
                 "", N("pii.phone", "co-op office line", "024 - 377 44 10"), N("pii.email", "role mailbox", "beheer@dehofstede.coop"),
                 N("pii.iban", "co-op's own account", group4(COOP_IBAN)), "", 0, "eigen woning coöperatie"])
    write_xlsx(f"{base}/leden/ledenregister_2026.xlsx", {"Leden": rows})

    f, l = person()
    street, pc, city = address()
    paras = [
        "Betalingsregeling huurachterstand",
        "",
        f"Aan: {f} {l}",
        f"Hofstedeweg 44, {P('pii.postcode', '6543 JG')} Nijmegen",
        f"Nijmegen, {N('pii.date_of_birth', 'date of the letter', '24 november 2026')}",
        "",
        f"Beste {f},",
        "Naar aanleiding van ons gesprek bevestigen wij de betalingsregeling voor uw huurachterstand van EUR 1.842,10.",
        f"U heeft ons verteld dat {P('special.health', 'u sinds de zomer in de ziektewet zit vanwege een hernia')} "
        f"en dat {P('special.health', 'uw partner kanker heeft')}; wij begrijpen dat dit een zware periode is.",
        f"Wij schrijven maandelijks EUR 150,- extra af van {P('pii.iban', iban('NL', grouped=True))}, vanaf 1 januari 2027.",
        f"Vragen? Bel de bewonersconsulent op {N('pii.phone', 'co-op office line', '024 - 377 44 10')} of mail {N('pii.email', 'role mailbox', 'huur@dehofstede.coop')}.",
        "",
        "Met vriendelijke groet,",
        "Bestuur Wooncoöperatie De Hofstede",
    ]
    write_docx(f"{base}/brieven/betalingsregeling_H217.docx", paras)

    dbpw = password()
    write_text(f"{base}/portal/config/config.php", f"""<?php
// Configuratie bewonersportaal (Laravel-achtig, zonder framework)
return [
    'db' => [
        'host' => 'mysql.hofstede.internal',
        'name' => 'portal',
        'user' => 'portal',
        'pass' => '{P('secret.password', dbpw)}',
    ],
    'mollie_key' => '{P('secret.mollie_key', 'live_' + rs(B62, 30))}',
    'recaptcha_site_key' => '{N('secret.gcp_api_key', 'reCAPTCHA site key, public', '6Le' + rs(B62 + '_-', 37))}',
    'recaptcha_secret' => '{P('secret.generic', '6Le' + rs(B62 + '_-', 37))}',
    'mail_password' => '{N('secret.password', 'masked', '********')}',
    'app_key' => 'base64:{P('secret.generic', base64.b64encode(R.randbytes(32)).decode())}',
];
""")
    write_text(f"{base}/portal/src/Tenant.php", f"""<?php
declare(strict_types=1);

namespace Hofstede\\Portal;

/** Een huurder zoals het portaal hem toont; reparatieverzoeken gaan naar de onderhoudsplanner. */
final class Tenant
{{
    private const PLANNER_TOKEN = '{P('secret.jwt', jwt({'sub': 'portal', 'iss': 'planner.hofstede.coop', 'iat': 1764000000}))}';
    private const DEMO_TOKEN = '{N('secret.jwt', 'jwt.io example token', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c')}';

    public function __construct(public readonly int $id, public readonly string $email) {{}}

    public function pdo(): \\PDO
    {{
        return new \\PDO('mysql:host=mysql.hofstede.internal;dbname=portal', 'portal', '{P('secret.password', dbpw)}');
    }}
}}
""")

    users = []
    for i in range(18):
        f, l = person()
        t = dt.datetime(2026, R.randint(1, 11), R.randint(1, 28), R.randint(6, 23), R.randint(0, 59))
        hashed = N("secret.password", "bcrypt hash, not a password", bcrypt_like()) if i == 0 else bcrypt_like()
        users.append(f"({i + 1},'{P('pii.email', email_of(f, l))}','{hashed}','{f} {l}','{P('pii.phone', phone_nl())}',"
                     f"'{t:%Y-%m-%d %H:%M:%S}','{P('pii.ip_address', ipv4() if i % 3 else ipv6())}')")
    repairs = []
    texts = [("Lekkage badkamer", None), ("Traplift defect, ik ben afhankelijk van de traplift (reuma)", "special.health"),
             ("Schimmel slaapkamer, mijn dochter heeft er astma van", "special.health"), ("Deurbel kapot", None),
             ("Graag voorrang: ik ben slechtziend en de trapverlichting werkt niet", "special.health"), ("Cv-ketel maakt herrie", None)]
    for i, (text, kind) in enumerate(texts):
        repairs.append(f"({i + 1},{R.randint(1, 18)},'{P(kind, text) if kind else text}','2026-11-{R.randint(1, 28):02d}','open')")
    write_text(f"{base}/portal/db/portal_dump_2026-12-01.sql", f"""-- MySQL dump 10.13  Distrib 8.0.40, for Linux (x86_64)
-- Host: mysql.hofstede.internal    Database: portal
-- Server version	{N('pii.ip_address', 'server version string', '8.0.40')}
/*!40101 SET NAMES utf8mb4 */;

DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id` int NOT NULL AUTO_INCREMENT,
  `email` varchar(190) NOT NULL,
  `password_hash` char(60) NOT NULL,
  `name` varchar(120) DEFAULT NULL,
  `phone` varchar(32) DEFAULT NULL,
  `last_login` datetime DEFAULT NULL,
  `last_ip` varchar(45) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES
""" + ",\n".join(users) + """;
UNLOCK TABLES;

DROP TABLE IF EXISTS `repairs`;
CREATE TABLE `repairs` (`id` int NOT NULL, `user_id` int NOT NULL, `description` text, `created` date, `status` varchar(16));
LOCK TABLES `repairs` WRITE;
INSERT INTO `repairs` VALUES
""" + ",\n".join(repairs) + ";\nUNLOCK TABLES;\n")

    p1, p2 = person(), person()
    write_text(f"{base}/vergadering/notulen_ALV_2026-10-29.md", f"""# Notulen Algemene Ledenvergadering 29 oktober 2026

Aanwezig: 41 leden, bestuur voltallig. Voorzitter: {p1[0]} {p1[1]}.

1. **Opening.** De voorzitter meldt dat {p2[0]} {p2[1]} (H214) {P('special.political', 'namens GroenLinks-PvdA in de gemeenteraad zit')}
   en zich daarom onthoudt bij het punt over de erfpacht.
2. **Zonnepanelen.** Aangenomen met 37 stemmen voor. Offerte via {N('pii.email', 'supplier role mailbox', 'offerte@zonnig-dak.nl')}.
3. **Rondvraag.** Mevrouw Bakker (H219) vraagt of de gemeenschappelijke ruimte gebruikt mag worden voor
   {P('special.religion', 'haar wekelijkse bijbelkring')}. Geen bezwaar.
   De heer Demir (H226) {P('special.health', 'is herstellende van een beroerte')} en vraagt hulp bij het buitenzetten van de container.
4. **Verkiezingen.** Op {N('pii.date_of_birth', 'date of the municipal elections', '17 maart 2027')} zijn er gemeenteraadsverkiezingen;
   de vereniging {N('special.political', 'statement of neutrality, no person', 'neemt geen politiek standpunt in')}.
5. Volgende ALV: {N('pii.date_of_birth', 'meeting date', '22-04-2027')}, Hofstedeweg 1, {N('pii.postcode', 'co-op address', '6543 JE')} Nijmegen.
""")

    events = []
    for i in range(6):
        f, l = person()
        day = dt.date(2027, 1, 11) + dt.timedelta(days=3 * i)
        events.append(f"""BEGIN:VEVENT
UID:{N('pii.email', 'iCalendar UID, not a mailbox', uuid4() + '@dehofstede.coop') if i < 2 else uuid4() + '@dehofstede.coop'}
DTSTAMP:20261201T090000Z
DTSTART;TZID=Europe/Amsterdam:{day:%Y%m%d}T0830{'00'}
DTEND;TZID=Europe/Amsterdam:{day:%Y%m%d}T1000{'00'}
SUMMARY:Cv-onderhoud Hofstedeweg {R.randint(2, 120)}
DESCRIPTION:Bewoner {f} {l}\\, tel. {P('pii.phone', phone_nl())}. {P('special.health', 'Bewoner is slecht ter been') if i == 2 else 'Sleutel bij buren.'}
ORGANIZER;CN=Onderhoud De Hofstede:mailto:{N('pii.email', 'role mailbox', 'onderhoud@dehofstede.coop')}
ATTENDEE;CN={f} {l};ROLE=REQ-PARTICIPANT:mailto:{P('pii.email', email_of(f, l))}
LOCATION:Hofstedeweg\\, {P('pii.postcode', postcode())} Nijmegen
END:VEVENT""")
    write_text(f"{base}/agenda/onderhoud_jan_2027.ics", "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//De Hofstede//Planner 2.1//NL\n"
               "CALSCALE:GREGORIAN\n" + "\n".join(events) + "\nEND:VCALENDAR\n", newline="\r\n")

    cards = []
    for role in ["voorzitter", "penningmeester", "secretaris", "lid technische commissie"]:
        f, l = person()
        d = dob(1955, 1990)
        pc = postcode()
        cards.append(f"""BEGIN:VCARD
VERSION:3.0
N:{l};{f};;;
FN:{f} {l}
ORG:Wooncoöperatie De Hofstede
TITLE:{role}
TEL;TYPE=CELL:{P('pii.phone', phone_nl())}
TEL;TYPE=HOME:{P('pii.phone', phone_nl('fixed'))}
EMAIL;TYPE=INTERNET:{P('pii.email', email_of(f, l))}
ADR;TYPE=HOME:;;Hofstedeweg {R.randint(2, 120)};Nijmegen;;{P('pii.postcode', pc)};Nederland
BDAY:{P('pii.date_of_birth', d.isoformat())}
NOTE:{'Penningmeester, machtiging ' + P('pii.iban', iban('NL', grouped=False)) if role == 'penningmeester' else 'Bestuur 2025-2027'}
END:VCARD""")
    cards.append(f"""BEGIN:VCARD
VERSION:3.0
FN:Kantoor De Hofstede
ORG:Wooncoöperatie De Hofstede
TEL;TYPE=WORK:{N('pii.phone', 'co-op office line', '024 - 377 44 10')}
EMAIL;TYPE=WORK:{N('pii.email', 'role mailbox', 'beheer@dehofstede.coop')}
ADR;TYPE=WORK:;;Hofstedeweg 1;Nijmegen;;{N('pii.postcode', 'co-op office address', '6543 JE')};Nederland
END:VCARD""")
    write_text(f"{base}/contacten/bestuur_2026.vcf", "\n".join(cards) + "\n", newline="\r\n")


# ================================================================ F. Matchpunt (dating app, Utrecht)
def matchpunt() -> None:
    base = "matchpunt"
    orient = ["heteroseksueel", "homoseksueel", "biseksueel", "lesbisch", "panseksueel", "aseksueel"]
    relig = ["christelijk", "moslim", "joods", "hindoeïstisch", "boeddhistisch", "katholiek"]
    polit = ["links (GroenLinks-PvdA)", "stem VVD", "rechts, PVV-stemmer", "D66", "SP, actief lid", "christelijk-sociaal (CDA)",
             "Partij voor de Dieren", "BBB"]
    ethn = ["Nederlands", "Turks-Nederlands", "Surinaams-Hindoestaans", "Marokkaans", "Indonesisch-Nederlands", "Kaapverdiaans"]
    profiles = []
    for i in range(18):
        f, l = person()
        d = dob(1970, 2006)
        prof = {"id": 40210 + i * 3, "display_name": f, "email": P("pii.email", email_of(f, l)),
                "phone": P("pii.phone", phone_nl() if i % 6 else phone_eu(R.choice(["BE", "DE", "FR"]))),
                "birthdate": P("pii.date_of_birth", d.isoformat()),
                "orientation": P("special.sexual_orientation", orient[i % len(orient)]),
                "looking_for": R.choice(["vrouwen", "mannen", "iedereen"]),
                "religion": P("special.religion", relig[i % len(relig)]) if i % 3 else "geen",
                "ethnicity": P("special.ethnicity", ethn[i % len(ethn)]) if i % 2 else "zeg ik liever niet",
                "politics": P("special.political", polit[i % len(polit)]) if i % 3 != 1 else "niet ingevuld",
                "hiv_status": P("special.health", "hiv-positief, ondetecteerbaar") if i == 4 else None,
                "signup_ip": P("pii.ip_address", ipv4() if i % 4 else ipv6(compressed=i % 8 != 0)),
                "last_seen": f"2026-12-0{R.randint(1, 3)}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:00Z"}
        profiles.append(prof)
    profiles.append({"id": 1, "display_name": "Demo", "email": N("pii.email", "example domain", "demo@example.com"),
                     "phone": N("pii.phone", "placeholder", "+31 6 00000000"), "birthdate": N("pii.date_of_birth", "placeholder", "2000-01-01"),
                     "orientation": "n.v.t.", "signup_ip": N("pii.ip_address", "loopback", "127.0.0.1")})
    write_text(f"{base}/exports/profiles_sample_support.json", json.dumps({"exported_by": "support", "count": len(profiles),
                                                                           "profiles": profiles}, indent=2, ensure_ascii=False) + "\n")

    write_text(f"{base}/backend/app/settings.py", f'''"""Instellingen van de Matchpunt-API (FastAPI)."""

import os

ENV = os.getenv("MATCHPUNT_ENV", "production")
DATABASE_URL = os.getenv(
    "DATABASE_URL", "{P('secret.connection_string', f'postgresql+asyncpg://matchpunt:{password()}@pg-main.matchpunt.internal:5432/matchpunt')}"
)
TEST_DATABASE_URL = "{N('secret.connection_string', 'local default credentials', 'postgresql://user:password@localhost/test')}"
AWS_S3_BUCKET = "matchpunt-photos-prod"
AWS_ACCESS_KEY_ID = "{P('secret.aws_access_key', aws_key())}"
AWS_SECRET_ACCESS_KEY = "{P('secret.aws_secret_key', aws_secret())}"
AWS_EXAMPLE_KEY = "{N('secret.aws_access_key', 'AWS documentation example', 'AKIAIOSFODNN7EXAMPLE')}"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "{P('secret.openai_key', 'sk-proj-' + rs(B62 + '_-', 74) + 'T3BlbkFJ' + rs(B62 + '_-', 74))}")
MODERATION_MODEL = "omni-moderation-latest"
TWILIO_ACCOUNT_SID = "{N('secret.twilio_key', 'account SID, an identifier', 'AC' + rs('0123456789abcdef', 32))}"
TWILIO_API_KEY = "{P('secret.twilio_key', 'SK' + rs('0123456789abcdef', 32))}"
TWILIO_API_SECRET = "{P('secret.twilio_key', rs(B62, 32))}"
SESSION_SECRET = "{P('secret.generic', rs(B62 + '-_', 50))}"
HUGGINGFACE_TOKEN = "{P('secret.generic', 'hf_' + rs(string.ascii_letters, 34))}"
PASSWORD_RESET_TTL = 3600
ADMIN_DEFAULT_PASSWORD = "{N('secret.password', 'placeholder', 'changeme')}"
''')

    write_text(f"{base}/web/src/lib/api.ts", f"""// API-client van de webapp. Alles hier belandt in de browserbundel.
export const API_BASE = "https://api.matchpunt.nl/v3";
export const STRIPE_PUBLISHABLE = "{N('secret.stripe_key', 'publishable key, public by design', 'pk_live_51' + rs(B62, 97))}";
export const MAPS_KEY = "{P('secret.gcp_api_key', 'AIza' + rs(B62 + '_-', 35))}";
export const SENTRY_DSN = "https://{P('secret.generic', rs('0123456789abcdef', 32))}@o118822.ingest.sentry.io/4507721";
// tijdelijk voor de demo, TODO verwijderen
const ADMIN_JWT = "{P('secret.jwt', jwt({'sub': 'admin', 'role': 'moderator', 'exp': 1767225600}))}";
const EXAMPLE_TOKEN = "{N('secret.jwt', 'placeholder in a comment-like constant', 'eyJhbGciOi...')}";

export async function reportProfile(profileId: number, reason: string): Promise<void> {{
  await fetch(`${{API_BASE}}/reports`, {{
    method: "POST",
    headers: {{ "Content-Type": "application/json", Authorization: `Bearer ${{ADMIN_JWT}}` }},
    body: JSON.stringify({{ profileId, reason }}),
  }});
}}
""")

    reports = ["melding_id,datum,gemeld_profiel,melder_email,reden,toelichting_moderator"]
    mod = [("Gebruiker vraagt na twee berichten om geld", None),
           ("Profiel is van een man die {}", "special.criminal", "in 2023 is veroordeeld voor aanranding"),
           ("Noemt zichzelf {} maar is getrouwd", "special.sexual_orientation", "bi"),
           ("Scheldt op moslims; melder is {}", "special.religion", "zelf moslim"),
           ("Vertelt in chat {}", "special.health", "hiv te hebben en geen condoom te willen"),
           ("Spam / crypto", None),
           ("Racistische opmerkingen over {}", "special.ethnicity", "mijn Surinaamse afkomst"),
           ("Nepprofiel, foto's van influencer", None),
           ("Politieagent zegt dat deze man {}", "special.criminal", "een contactverbod heeft"),
           ("Gebruiker is {} en wil trans-vriendelijke filters", "special.sexual_orientation", "transgender en lesbisch")]
    for i, item in enumerate(mod):
        f, l = person()
        if item[1] is None:
            text = item[0]
        else:
            text = item[0].format(P(item[1], item[2]))
        reports.append(f'R{9120 + i},2026-11-{R.randint(1, 28):02d},{40210 + R.randint(0, 17) * 3},{P("pii.email", email_of(f, l))},'
                       f'"{text}",{R.choice(["waarschuwing", "geblokkeerd", "geen actie", "doorgezet naar politie"])}')
    write_text(f"{base}/moderation/meldingen_2026-11.csv", "\n".join(reports) + "\n")

    sys_lines = []
    for i in range(14):
        t = dt.datetime(2026, 12, 2, 3, 0) + dt.timedelta(seconds=53 * i)
        ip = ipv4() if i % 3 else ipv6()
        kind = i % 3
        if kind == 0:
            msg = f"sshd[{R.randint(1000, 40000)}]: Failed password for invalid user admin from {P('pii.ip_address', ip)} port {R.randint(30000, 65000)} ssh2"
        elif kind == 1:
            msg = f"sshd[{R.randint(1000, 40000)}]: Accepted publickey for deploy from {P('pii.ip_address', ip)} port {R.randint(30000, 65000)} ssh2: ED25519 SHA256:{N('secret.generic', 'public key fingerprint', base64.b64encode(R.randbytes(32)).decode().rstrip('='))}" if i == 1 else \
                  f"sshd[{R.randint(1000, 40000)}]: Accepted publickey for deploy from {P('pii.ip_address', ip)} port {R.randint(30000, 65000)} ssh2"
        else:
            f, l = person()
            msg = f"postfix/smtp[{R.randint(1000, 40000)}]: 4Q{rs(ALNUM_UP, 8)}: to=<{P('pii.email', email_of(f, l))}>, relay=mx.{R.choice(['ziggo.nl', 'outlook.com'])}[{N('pii.ip_address', 'mail relay of a provider, not a person', '52.101.68.12') if i == 2 else N('pii.ip_address', 'mail relay of a provider, not a person', '52.101.73.4')}]:25, status=sent"
        sys_lines.append(f"{t:%b %e %H:%M:%S} app-01 {msg}")
    sys_lines.append(f"Dec  2 03:30:00 app-01 kernel: [ 0.000000] Linux version {N('pii.ip_address', 'kernel version', '6.8.0.49')}-generic")
    write_text(f"{base}/logs/syslog", "\n".join(sys_lines) + "\n")

    f, l = person()
    write_text(f"{base}/support/klacht_verwijderen_account.eml", f"""From: {f} {l} <{P('pii.email', email_of(f, l))}>
To: {N('pii.email', 'role mailbox', 'support@matchpunt.nl')}
Subject: Verwijder mijn account NU
Date: Sun, 29 Nov 2026 23:12:09 +0100
Content-Type: text/plain; charset=utf-8

Hallo,

Ik wil dat mijn account (gekoppeld aan {P('pii.phone', phone_nl())}) per direct verwijderd wordt.
Een collega zag mijn profiel en nu weet iedereen op mijn werk dat ik {P('special.sexual_orientation', 'homo')} ben.
Ik ben {P('special.religion', 'opgegroeid in een streng gereformeerde familie')} en mijn ouders weten het niet.
Ook wil ik dat jullie de foto van mijn paspoort (nummer {P('pii.passport', passport('NL'))}) die ik voor verificatie
heb geüpload verwijderen, en de selfie-video voor de {P('special.biometric', 'gezichtsverificatie (face match met mijn paspoortfoto)')}.

{f}
""")

    write_text(f"{base}/docs/README.md", f"""# Matchpunt backend

Local setup:

```bash
cp .env.example .env   # set OPENAI_API_KEY={N('secret.openai_key', 'placeholder', 'sk-...')}
export DATABASE_URL={N('secret.connection_string', 'local default credentials', 'postgresql://postgres:postgres@localhost:5432/matchpunt')}
docker compose up -d
```

Test users are created by `make seed`: `{N('pii.email', 'example domain', 'alice@example.com')}` / `{N('secret.password', 'documented test password', 'Password123!')}`.
Payment tests use `{N('pii.credit_card', 'Stripe documented test card', '4000 0566 5566 5556')}` and `{N('pii.credit_card', 'well-known test card', '4111 1111 1111 1111')}`.

## Privacy
We store orientation, religion and ethnicity only when a user fills them in (Art. 9(2)(a) GDPR, explicit consent).
Questions: {N('pii.email', 'role mailbox', 'privacy@matchpunt.nl')}. Release {N('pii.ip_address', 'version number', '3.12.0.4')} removed the
{N('special.sexual_orientation', 'feature description, no person', '"show me gay and lesbian profiles"')} filter from the public API.
Our {N('special.health', 'feature description, no person', 'HIV status field')} is optional and hidden by default.
Verification {N('special.biometric', 'feature description, no person', 'compares a selfie video with the passport photo (face match)')};
the face template is deleted after 30 days.
""")

    tfpw = password()
    write_text(f"{base}/infra/main.tf", f"""terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws", version = "~> 5.70" }}
  }}
}}

provider "aws" {{
  region     = "eu-west-1"
  access_key = "{P('secret.aws_access_key', aws_key())}"
  secret_key = "{P('secret.aws_secret_key', aws_secret())}"
}}

resource "aws_db_instance" "main" {{
  identifier        = "matchpunt-prod"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "matchpunt"
  password          = "{P('secret.password', tfpw)}"
  allocated_storage = 100
}}

variable "stripe_secret" {{
  default = "{P('secret.stripe_key', 'rk_live_51' + rs(B62, 97))}"
}}

variable "example_secret" {{
  default = "{N('secret.aws_secret_key', 'AWS documentation example', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')}"
}}

resource "aws_security_group_rule" "office" {{
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["{P('pii.ip_address', ipv4())}/32"]   # thuis-IP van de CTO
}}
""")


def main() -> None:
    import shutil

    for org in ORGS:
        shutil.rmtree(ROOT / org, ignore_errors=True)
    for make in (jeugdteam, fitfabriek, notaris, talentbrug, hofstede, matchpunt, extras, web):
        make()
    write_manifest()


def write_manifest() -> None:
    files = {k: MANIFEST[k] for k in sorted(MANIFEST)}
    (ROOT / "manifest.json").write_text(json.dumps({"files": files}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_type: Counter = Counter()
    by_looks: Counter = Counter()
    for name, entry in files.items():
        suffix = Path(name).suffix.lstrip(".") or Path(name).name
        if Path(name).name.startswith(".env"):
            suffix = ".env"
        by_kind[suffix]["files"] += 1
        by_kind[suffix]["positives"] += len(entry["positives"])
        by_kind[suffix]["negatives"] += len(entry["negatives"])
        by_type.update(p["type"] for p in entry["positives"])
        by_looks.update(n["looks_like"] for n in entry["negatives"])
    families = Counter()
    for t, c in by_type.items():
        families[t.split(".")[0]] += c
    neg_families = Counter()
    for t, c in by_looks.items():
        neg_families[t.split(".")[0]] += c
    summary = {"files": len(files),
               "by_file_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
               "positives": sum(by_type.values()), "negatives": sum(by_looks.values()),
               "positives_by_family": dict(sorted(families.items())), "negatives_by_family": dict(sorted(neg_families.items())),
               "positives_by_type": dict(sorted(by_type.items())), "negatives_by_looks_like": dict(sorted(by_looks.items()))}
    (ROOT / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")



ORGS = ("gemeente-waterland-oost-jeugdteam", "fitfabriek", "notariskantoor-brinkman-aksoy", "talentbrug-antwerpen",
        "wooncooperatie-de-hofstede", "matchpunt")


# ================================================================ more files of the same organisations
def extras() -> None:
    f, l = person()
    write_text("wooncooperatie-de-hofstede/nieuwsbrief/nieuwsbrief_2026-12.html", f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Hofstede Nieuws - december 2026</title></head>
<body>
<h1>Hofstede Nieuws, december 2026</h1>
<h2>Feestdagen in de buurt</h2>
<p>De Stevenskerk houdt op 24 december een {N('special.religion', 'public church service announcement, no person', 'kerstnachtdienst om 22.00 uur')};
de moskee aan de Tarweweg is {N('special.religion', 'opening hours of a mosque, no person', 'tijdens het suikerfeest open voor buren')}.</p>
<h2>Debat over wonen</h2>
<p>Op 14 januari debatteren {N('special.political', 'public debate announcement, no person', 'lokale partijen (VVD, GroenLinks-PvdA, SP en D66)')} in het wijkcentrum
over betaalbaar wonen. Iedereen is welkom.</p>
<h2>Gezondheid</h2>
<p>De GGD geeft op 9 januari {N('special.health', 'public health service announcement, no person', 'griepprikken en coronavaccinaties')} in het wijkcentrum.
Sanquin zoekt nieuwe {N('special.health', 'public appeal, no person', 'bloeddonoren')}.</p>
<p>Op 11 oktober hing bij het wijkcentrum de regenboogvlag uit voor {N('special.sexual_orientation', 'public event, no person', 'Coming Out Day')}.</p>
<h2>Burenhulp</h2>
<p>Wie kan mevrouw {l} (H207) helpen met boodschappen? Zij {P('special.health', 'herstelt van een nieuwe heup')} en mag zes weken niet fietsen.
Bel haar dochter op {P('pii.phone', phone_nl())}.</p>
<p>Welkom aan de nieuwe bewoners van Hofstedeweg 88! De kinderopvang aan de Hofstedeweg 2,
{N('pii.postcode', 'address of a day-care centre', '6543 JA')} Nijmegen, heeft nog plek.</p>
<p>Bestuur: {N('pii.email', 'role mailbox', 'bestuur@dehofstede.coop')} &middot; {N('pii.phone', 'co-op office line', '024 - 377 44 10')}</p>
</body></html>
""")

    adyen = "AQE" + rs(B62, 1) + "hmfxK" + rs(B62 + "/+", 50) + "==-" + rs(B62 + "/+", 43) + "=-" + rs(B62 + "&:(", 16)
    write_text("matchpunt/infra/config.toml", f"""# Matchpunt payments & notifications (production)
[app]
name = "matchpunt"
version = "3.12.0"

[payments.adyen]
merchant_account = "MatchpuntBV_ECOM"
api_key = "{P('secret.adyen_key', adyen)}"
client_key = "{N('secret.adyen_key', 'Adyen client key, public by design', 'live_' + rs(ALNUM_UP, 32))}"
hmac_key = "{P('secret.generic', rs('0123456789ABCDEF', 64))}"
test_api_key = "{N('secret.adyen_key', 'placeholder', 'AQE...')}"

[payments.mollie]
api_key = "{N('secret.mollie_key', 'environment placeholder', '${MOLLIE_API_KEY}')}"

[notifications]
sendgrid_key = "{P('secret.sendgrid_key', 'SG.' + rs(B62 + '_-', 22) + '.' + rs(B62 + '_-', 43))}"
slack_webhook = "{N('secret.slack_token', 'placeholder', 'https://hooks.slack.com/services/XXXXXXXXX/XXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX')}"
github_token = "{N('secret.github_token', 'placeholder', 'ghp_' + 'x' * 36)}"

[database]
url = "{P('secret.connection_string', f'postgresql://matchpunt_ro:{password()}@pg-replica.matchpunt.internal:5432/matchpunt')}"
""")

    rows = ["ticket,datum,email,kaartnummer,bedrag,reden,behandelaar"]
    for i in range(12):
        f, l = person()
        if i % 4 == 3:
            cardv = N("pii.credit_card", "masked card number", f"**** **** **** {R.randint(1000, 9999)}")
        else:
            prefix, length = [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("37", 15), ("6759", 16)][i % 6]
            cardv = P("pii.credit_card", card(prefix, length, ["spaced", "compact", "dashed"][i % 3]))
        rows.append(f"ZD-{48110 + i * 7},2026-11-{R.randint(1, 28):02d},{P('pii.email', email_of(f, l))},{cardv},"
                    f"{R.choice(['14.99', '29.99', '59.99'])},{R.choice(['dubbele afschrijving', 'premium opgezegd', 'niet herkend'])},support-{R.randint(1, 6)}")
    rows.append(f"ZD-00000,2026-11-01,{N('pii.email', 'test domain', 'qa@matchpunt.test')},{N('pii.credit_card', 'Mastercard test card', '5555 5555 5555 4444')},0.00,test,qa")
    write_text("matchpunt/support/premium_refunds_2026-11.csv", "\n".join(rows) + "\n")

    write_text("fitfabriek/app/api/testdata/payments_fixture.json", json.dumps({
        "members": [
            {"id": "FF000001", "email": N("pii.email", "example domain", "jan.test@example.com"),
             "phone": N("pii.phone", "all-zero placeholder", "+31600000000"),
             "iban": N("pii.iban", "provider test IBAN", "NL44RABO0123456789"),
             "birthdate": N("pii.date_of_birth", "fixture placeholder", "1990-01-01")},
        ],
        "cards": {
            "visa_ok": N("pii.credit_card", "Stripe documented test card", "4242424242424242"),
            "3ds_required": N("pii.credit_card", "Stripe documented test card", "4000002500003155"),
            "declined": N("pii.credit_card", "Stripe documented test card", "4000000000000002"),
        },
        "mollie": {"api_key": N("secret.mollie_key", "placeholder", "test_your_key_here")},
        "webhook_secret": N("secret.stripe_key", "placeholder", "whsec_xxxxxxxxxxxxxxxxxxxxxxxx"),
        "order_ref": N("pii.bsn", "order reference passing the 11-proof", eleven_proof_number()),
    }, indent=2, ensure_ascii=False) + "\n")

    c = person()
    paras = [
        "Referentiecheck kandidaat TB-58052",
        "",
        f"Kandidaat: {c[0]} {c[1]}, geboren op {P('pii.date_of_birth', dob_fmt(dob(1985, 1998)))}",
        f"Referent: vorige werkgever, bereikt via {P('pii.phone', phone_eu('BE'))} op 1 december 2026.",
        f"De referent noemt de kandidaat betrouwbaar. Wel {P('special.health', 'was hij in 2024 drie maanden afwezig wegens een depressie')}.",
        f"Hij was {P('special.political', 'ACV-militant en kandidaat op de lijst van CD&V bij de gemeenteraadsverkiezingen')}.",
        f"Volgens de referent {P('special.criminal', 'liep er een onderzoek naar diefstal op de werkvloer, geseponeerd')}.",
        "",
        f"Let op: referentiegegevens over gezondheid en strafrecht mogen niet naar de klant ({N('special.health', 'internal rule, no person', 'gezondheid en strafrecht')}).",
        f"Consulent: Ward Lambrechts, {N('pii.email', 'role mailbox', 'consulenten@talentbrug.be')}, {N('pii.phone', 'office switchboard', '+32 3 201 40 40')}",
    ]
    write_docx("talentbrug-antwerpen/kandidaten/referentiecheck_TB-58052.docx", paras)

    write_text("gemeente-waterland-oost-jeugdteam/koppeling/README.md", f"""# jeugd-koppeling

Koppelt het zaaksysteem aan het Gegevensknooppunt (iJW 3.2). Build: `./gradlew build` (Kotlin 2.0.21, JDK 21).

* Testen gebruiken alleen fictieve BSN's uit de RvIG-testset, bijvoorbeeld `{N('pii.bsn', 'RvIG test BSN', '999993653')}` en `{N('pii.bsn', 'RvIG test BSN', '999990019')}`.
* Configuratie via omgevingsvariabelen; zet nooit een `CLIENT_SECRET` in de code (voorbeeld: `{N('secret.azure_client_secret', 'placeholder', '<your-client-secret>')}`).
* Berichtcodes: `{N('pii.ip_address', 'message standard version', '3.2.0.1')}` voor iJW 3.2 patch 1.
* Contact: team Sociaal Domein, {N('pii.email', 'role mailbox', 'ict-sociaal@waterland-oost.nl')}.
* Wij registreren alleen wat nodig is; een {N('special.health', 'documentation of a field, no person', 'diagnose')} komt nooit in de berichten, alleen de productcode.
* Dossiernummers zijn geen BSN's, maar sommige halen de elfproef: `{N('pii.bsn', 'case number passing the 11-proof', eleven_proof_number())}`.
""")



def web() -> None:
    """Public web pages and front-end code of the fitness chain."""
    f = R.choice(["Marieke", "Annelies", "Inge"])
    write_text("fitfabriek/web/blog/sporten-met-diabetes.html", f"""<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>Sporten met diabetes of hoge bloeddruk | FitFabriek blog</title>
<meta name="description" content="Tips van onze trainers"></head>
<body>
<article>
<h1>Sporten met diabetes of hoge bloeddruk: zo doe je dat veilig</h1>
<p>Regelmatig bewegen helpt bij {N('special.health', 'public health article, no person', 'diabetes type 2 en hoge bloeddruk')}. Overleg bij twijfel met je huisarts.</p>
<p>Gebruik je {N('special.health', 'public health article, no person', 'insuline of bloedverdunners')}? Meld het bij de intake, dan past je trainer het schema aan.</p>
<p>Wist je dat {N('special.health', 'public statistic, no person', '1 op de 14 Nederlanders diabetes heeft')}?</p>
<blockquote>"{f} (52) {P('special.health', 'heeft reuma')} en traint twee keer per week in Deventer: 'Ik heb minder pijn dan vorig jaar.'"</blockquote>
<p>Ook tijdens de {N('special.religion', 'public article, no person', 'ramadan')} zijn onze clubs open; train dan bij voorkeur na de iftar.</p>
<p>Vragen? Mail {N('pii.email', 'role mailbox', 'coaching@fitfabriek.nl')} of bel {N('pii.phone', 'company service line', '085 - 303 12 12')}.</p>
</article>
<footer>FitFabriek B.V., Noordzeelaan 4, {N('pii.postcode', 'head office address', '8017 JW')} Zwolle &middot; KvK 71234560</footer>
</body>
</html>
""")
    key = rs("0123456789abcdef", 32) + "-us21"
    write_text("fitfabriek/web/js/nieuwsbrief.js", f"""// Aanmelden voor de nieuwsbrief vanaf de website (jQuery-plugin, 2019).
(function ($) {{
  'use strict';
  var MAILCHIMP_LIST = 'b7c1e3a9f0';
  var MAILCHIMP_API_KEY = '{P('secret.generic', key)}'; // TODO via backend laten lopen
  var RECAPTCHA_SITE_KEY = '{N('secret.gcp_api_key', 'reCAPTCHA site key, public', '6Lc' + rs(B62 + '_-', 37))}';
  var DEMO_KEY = '{N('secret.generic', 'placeholder', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-us21')}';

  $('#nieuwsbrief').on('submit', function (e) {{
    e.preventDefault();
    var email = $(this).find('[name=email]').val();
    $.ajax({{
      url: 'https://us21.api.mailchimp.com/3.0/lists/' + MAILCHIMP_LIST + '/members',
      method: 'POST',
      headers: {{ Authorization: 'apikey ' + MAILCHIMP_API_KEY }},
      data: JSON.stringify({{ email_address: email, status: 'pending' }})
    }});
  }});
}})(jQuery);
""")


if __name__ == "__main__":
    main()
