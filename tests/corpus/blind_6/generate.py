"""Write blind_6: every data file, manifest.json and summary.json (run from the repository root:
`.venv/bin/python tests/corpus/blind_6/generate.py`; delete the organisation folders first for a clean run).

Every planted value is wrapped in a marker while a file is built: P(type, value) for a labelled positive,
N(looks_like, why, value) for a labelled hard negative. The writers strip the markers and record the line
(text files), row (XLSX, header row 1), paragraph (DOCX, title heading = 1) or page (PDF) at that moment,
so no label is counted by hand. Values are fictional; checksums are computed (python-stdnum).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import random
import re
import string
import uuid
from collections import Counter, defaultdict
from pathlib import Path

from stdnum import iban as std_iban
from stdnum.be import nn as be_nn
from stdnum.de import idnr as de_idnr
from stdnum.fr import nir as fr_nir
from stdnum.nl import bsn as nl_bsn

ROOT = Path(__file__).resolve().parent
R = random.Random(20261206)
MANIFEST: dict[str, dict[str, list]] = {}

# ---------------------------------------------------------------- markers

_MARK = re.compile(r"\x01([PN])\x1f(.*?)\x1f(.*?)\x1f(.*?)\x02", re.S)


def P(kind: str, value: object) -> str:
    """A labelled positive of type `kind`."""
    return f"\x01P\x1f{kind}\x1f\x1f{value}\x02"


def N(looks_like: str, why: str, value: object) -> str:
    """A labelled hard negative that looks like `looks_like`."""
    return f"\x01N\x1f{looks_like}\x1f{why}\x1f{value}\x02"


def _entry(rel: str) -> dict[str, list]:
    return MANIFEST.setdefault(rel, {"positives": [], "negatives": []})


def _record(rel: str, m: re.Match, line: int, where: str) -> None:
    kind, a, why, value = m.group(1), m.group(2), m.group(3), m.group(4)
    if kind == "P":
        _entry(rel)["positives"].append({"type": a, "value": value, "line": line, "where": where})
    else:
        _entry(rel)["negatives"].append({"value": value, "looks_like": a, "line": line, "why": why,
                                         "where": where})


def strip(rel: str, text: str, line: int | None = None, where: str | None = None) -> str:
    """Text without markers; each marker recorded at its own line (or at the given line/where)."""
    out: list[str] = []
    pos = 0
    for m in _MARK.finditer(text):
        out.append(text[pos:m.start()])
        at = line if line is not None else "".join(out).count("\n") + 1
        _record(rel, m, at, where or f"line {at}")
        out.append(m.group(4))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _path(rel: str) -> Path:
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    _entry(rel)
    return path


def write_text(rel: str, text: str, crlf: bool = False) -> None:
    """A text file; markers become labels at their lines."""
    clean = strip(rel, text.lstrip("\n") if not text.startswith("\n\n") else text)
    if crlf:
        clean = clean.replace("\n", "\r\n")
    _path(rel).write_bytes(clean.encode("utf-8"))


class Typed:
    """A typed spreadsheet cell (number or date) labelled with its text form."""

    def __init__(self, kind: str | None, value: object, label: str, looks_like: str = "", why: str = ""):
        self.kind, self.value, self.label, self.looks_like, self.why = kind, value, label, looks_like, why


def write_xlsx(rel: str, sheets: list[tuple[str, list[list[object]]]]) -> None:
    """A workbook; row 1 is the header; `line` = row."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row, start=1):
                where = f"sheet {name}, row {r}, column {get_column_letter(c)}"
                if isinstance(cell, Typed):
                    value = cell.value
                    if cell.kind:
                        _entry(rel)["positives"].append({"type": cell.kind, "value": cell.label, "line": r,
                                                         "where": where + " (typed cell)"})
                    else:
                        _entry(rel)["negatives"].append({"value": cell.label, "looks_like": cell.looks_like,
                                                         "line": r, "why": cell.why,
                                                         "where": where + " (typed cell)"})
                elif isinstance(cell, str):
                    value = strip(rel, cell, r, where)
                else:
                    value = cell
                wc = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    wc.number_format = "dd-mm-yyyy"
    wb.save(_path(rel))


def write_docx(rel: str, title: str, paragraphs: list[str]) -> None:
    """A Word file: the title heading is paragraph 1, then one paragraph per item (empty ones count)."""
    import docx

    d = docx.Document()
    d.add_heading(strip(rel, title, 1, "paragraph 1"), 0)
    for i, text in enumerate(paragraphs, start=2):
        d.add_paragraph(strip(rel, text, i, f"paragraph {i}"))
    d.save(_path(rel))


def write_pdf(rel: str, pages: list[list[str]]) -> None:
    """A PDF, one list of drawn lines per page; `line` = page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(_path(rel)), pagesize=A4)
    c.setTitle(rel.rsplit("/", 1)[-1])
    for p, lines in enumerate(pages, start=1):
        y = A4[1] - 60
        for k, text in enumerate(lines, start=1):
            clean = strip(rel, text, p, f"page {p}, line {k}")
            c.setFont("Helvetica-Bold" if k == 1 else "Helvetica", 12 if k == 1 else 9.5)
            c.drawString(50, y, clean)
            y -= 16 if k == 1 else 13.5
        c.showPage()
    c.save()


# ---------------------------------------------------------------- values

FIRST = ["Anouk", "Bram", "Daan", "Fleur", "Gerrit", "Hendrika", "Ilse", "Jeroen", "Kees", "Lotte", "Maarten",
         "Noor", "Oscar", "Pien", "Ruud", "Sanne", "Thijs", "Ursula", "Vincent", "Wilma", "Yara", "Zeynep",
         "Mohamed", "Fatima", "Priya", "Dewi", "Joost", "Marieke", "Henk", "Annie", "Grietje", "Jan", "Tineke",
         "Stefan", "Katrin", "Lukas", "Amira", "Kofi", "Samir", "Elif", "Bas", "Ineke", "Sjoerd", "Froukje",
         "Willemijn", "Hamid", "Olga", "Tomasz", "Agnieszka", "Rutger", "Femke", "Geert", "Jolanda", "Cor"]
LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
        "Kok", "Jacobs", "Vermeulen", "van Dijk", "Postma", "Hoekstra", "Wijnberg", "Yilmaz", "El Amrani",
        "Ramdin", "Kowalski", "Schneider", "Hoffmann", "Oosterhuis", "Nijland", "Tuinstra", "Kramer", "Haverkamp",
        "Kaya", "Boateng", "Lindeboom", "Scholten", "ter Horst", "Wolters", "Kuipers", "Veldhuis"]
STREETS = ["Dorpsstraat", "Kerkstraat", "Molenweg", "Schoolstraat", "Beukenlaan", "Julianastraat", "Stationsweg",
           "Hoofdstraat", "Parklaan", "Eikenlaan", "Wilhelminastraat", "Industrieweg", "Zuiderdiep", "Oude Ebbingestraat",
           "Haarlemmerstraat", "Breestraat", "Nieuwe Binnenweg", "Oudegracht", "Twijnstraat", "Deldenerstraat"]
MAILHOSTS = ["gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com", "live.nl", "planet.nl",
             "home.nl", "xs4all.nl", "icloud.com"]

B62 = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


def rs(n: int, alphabet: str = B62) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


MALE = ["Bram", "Daan", "Gerrit", "Jeroen", "Kees", "Maarten", "Oscar", "Ruud", "Thijs", "Vincent", "Mohamed", "Joost",
        "Henk", "Jan", "Stefan", "Lukas", "Kofi", "Samir", "Bas", "Sjoerd", "Hamid", "Tomasz", "Rutger", "Geert", "Cor"]
FEMALE = ["Anouk", "Fleur", "Hendrika", "Ilse", "Lotte", "Noor", "Pien", "Sanne", "Ursula", "Wilma", "Yara", "Zeynep",
          "Fatima", "Priya", "Dewi", "Marieke", "Annie", "Grietje", "Tineke", "Katrin", "Amira", "Elif", "Ineke",
          "Froukje", "Willemijn", "Olga", "Agnieszka", "Femke", "Jolanda"]


def person(gender: str = "") -> dict:
    first = R.choice(MALE if gender == "m" else FEMALE if gender == "f" else FIRST)
    last = R.choice(LAST)
    return {"first": first, "last": last, "name": f"{first} {last}", "dob": dob(),
            "street": f"{R.choice(STREETS)} {R.randint(1, 180)}{R.choice(['', '', '', 'a', '-2', ' bis'])}"}


def dob(lo: int = 1932, hi: int = 2004) -> dt.date:
    return dt.date(R.randint(lo, hi), R.randint(1, 12), R.randint(1, 28))


def bsn() -> str:
    while True:
        v = str(R.randint(100000000, 799999999))
        if nl_bsn.is_valid(v) and not v.startswith(("0", "9999")):
            return v


def fmt_bsn(v: str, shape: int) -> str:
    return [v, f"{v[:4]}.{v[4:6]}.{v[6:]}", f"{v[:3]} {v[3:6]} {v[6:]}", f"{v[:4]} {v[4:6]} {v[6:]}"][shape % 4]


def _iban(country: str, bban: str) -> str:
    check = std_iban.calc_check_digits(country + "00" + bban)
    v = country + check + bban
    assert std_iban.is_valid(v), v
    return v


def _alnum_num(s: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in s))


def iban(country: str = "NL") -> str:
    if country == "NL":
        bank = R.choice(["INGB", "RABO", "ABNA", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ", "RBRB", "FVLB"])
        while True:
            acct = f"{R.randint(100000000, 999999999):010d}" if bank != "INGB" else f"{R.randint(1000000, 9999999):010d}"
            if bank == "INGB" or sum(int(d) * (10 - i) for i, d in enumerate(acct)) % 11 == 0:
                return _iban("NL", bank + acct)
    if country == "BE":
        while True:
            first = R.choice(["001", "063", "068", "143", "310", "363", "735", "750"]) + f"{R.randint(0, 9999999):07d}"
            chk = int(first) % 97 or 97
            bban = f"{first}{chk:02d}"
            if std_iban.is_valid("BE" + std_iban.calc_check_digits("BE00" + bban) + bban):
                return _iban("BE", bban)
    if country == "DE":
        return _iban("DE", f"{R.randint(10000000, 89999999)}{R.randint(0, 9999999999):010d}")
    if country == "FR":
        bank, branch, acct = f"{R.randint(10000, 30000):05d}", f"{R.randint(0, 99999):05d}", f"{R.randint(0, 10**11 - 1):011d}"
        key = 97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97)
        return _iban("FR", f"{bank}{branch}{acct}{key:02d}")
    if country == "LU":
        return _iban("LU", f"{R.randint(0, 999):03d}{rs(13, string.digits)}")
    if country == "AT":
        return _iban("AT", f"{R.randint(10000, 99999)}{R.randint(0, 10**11 - 1):011d}")
    if country == "ES":
        bank, acct = f"{R.randint(0, 99999999):08d}", f"{R.randint(0, 10**10 - 1):010d}"
        w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

        def dc(digits: str) -> str:
            d = 11 - sum(int(x) * w[i] for i, x in enumerate(digits)) % 11
            return str({10: 1, 11: 0}.get(d, d))
        return _iban("ES", bank + dc("00" + bank) + dc(acct) + acct)
    raise ValueError(country)


def grouped(v: str) -> str:
    return " ".join(v[i:i + 4] for i in range(0, len(v), 4))


AREA = {"Hengelo": "074", "Enschede": "053", "Leeuwarden": "058", "Leiden": "071", "Rotterdam": "010",
        "Groningen": "050", "Utrecht": "030", "Almelo": "0546", "Sneek": "0515", "Drachten": "0512",
        "Borne": "074", "Delden": "074", "Heerenveen": "0513", "Assen": "0592"}


def mobile(shape: int | None = None) -> str:
    d = str(R.choice([1, 2, 3, 4, 5, 8])) + rs(7, string.digits)
    shapes = [f"06-{d}", f"06 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}", f"+31 6 {d}", f"+31 (0)6 {d[:4]} {d[4:]}",
              f"06{d}", f"0031 6 {d}", f"+316{d}", f"06 - {d[:4]} {d[4:]}", f"(06) {d}", f"+31 6 {d[:2]} {d[2:5]} {d[5:]}"]
    return shapes[R.randrange(len(shapes)) if shape is None else shape % len(shapes)]


def landline(city: str) -> str:
    area = AREA.get(city, "030")
    n = 10 - len(area)  # national number is 10 digits with the 0
    rest = str(R.randint(2, 8)) + rs(n - 1, string.digits)
    return R.choice([f"{area}-{rest}", f"{area} {rest[:3]} {rest[3:]}" if n == 7 else f"{area} {rest}",
                     f"+31 {area[1:]} {rest}", f"({area}) {rest}"])


def de_mobile() -> str:
    return R.choice([f"+49 151 {rs(8, string.digits)}", f"0171 {rs(7, string.digits)}",
                     f"+49 (0)160 {rs(7, string.digits)}", f"0152-{rs(8, string.digits)}"])


def be_mobile() -> str:
    d = rs(6, string.digits)
    return R.choice([f"+32 47{R.randint(0, 9)} {d[:2]} {d[2:4]} {d[4:]}", f"04{R.choice('789')}{R.randint(0, 9)} {d[:2]} {d[2:4]} {d[4:]}",
                     f"0032 49{R.randint(0, 9)} {d}"])


def fr_mobile() -> str:
    d = rs(8, string.digits)
    return f"+33 6 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}"


def email(p: dict) -> str:
    f, l = p["first"].lower(), p["last"].lower().replace(" ", "")
    return R.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}{l}{R.randint(1, 99)}", f"{l}.{f[0]}", f"{f}_{l}"]) + "@" + R.choice(MAILHOSTS)


def postcode() -> str:
    while True:
        letters = rs(2, "ABCDEFGHJKLMNPRSTVWXZ")
        if letters not in ("SA", "SD", "SS"):
            return f"{R.randint(1011, 9999)} {letters}"


DOB_SHAPES = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "{d} {mon} %Y", "%d-%m-'%y"]
MON = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
       "november", "december"]


def dfmt(d: dt.date, shape: int = 0) -> str:
    s = DOB_SHAPES[shape % len(DOB_SHAPES)]
    if "{d}" in s:
        return f"{d.day} {MON[d.month - 1]} {d.year}"
    return d.strftime(s).replace("'", "")


def be_rrn(d: dt.date, dotted: bool = True) -> str:
    while True:
        seq = R.randint(1, 997)
        base = f"{d:%y%m%d}{seq:03d}"
        num = int(("2" if d.year >= 2000 else "") + base)
        chk = 97 - num % 97
        v = f"{base}{chk:02d}"
        if be_nn.is_valid(v):
            return f"{v[:2]}.{v[2:4]}.{v[4:6]}-{v[6:9]}.{v[9:]}" if dotted else v


def de_steuerid() -> str:
    while True:
        digits = list(R.sample("0123456789", 9))
        dup = R.choice(digits)
        digits.insert(R.randrange(10), dup)
        if digits[0] == "0":
            continue
        body = "".join(digits)
        for c in "0123456789":
            if de_idnr.is_valid(body + c):
                return body + c


def fr_nirn(d: dt.date, male: bool) -> str:
    body = f"{1 if male else 2}{d:%y%m}{R.randint(1, 95):02d}{R.randint(1, 990):03d}{R.randint(1, 999):03d}"
    v = body + fr_nir.calc_check_digits(body)
    assert fr_nir.is_valid(v)
    return f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}"


def nl_passport() -> str:
    al = "ABCDEFGHIJKLMNPQRSTUVWXYZ"
    return rs(2, al) + rs(6, al + "0123456789") + rs(1, string.digits)


def de_passport() -> str:
    return "C" + rs(8, "CFGHJKLMNPRTVWXYZ0123456789")


def luhn_ok(num: str) -> bool:
    total, alt = 0, False
    for ch in reversed(num):
        d = int(ch)
        if alt:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
        alt = not alt
    return total % 10 == 0


def card(prefix: str, length: int = 16) -> str:
    while True:
        body = prefix + rs(length - len(prefix) - 1, string.digits)
        for c in "0123456789":
            if luhn_ok(body + c):
                return body + c


def ipv4() -> str:
    return R.choice(["84.104", "86.85", "77.167", "31.201", "62.45", "94.214", "213.127", "145.53", "83.84",
                     "188.207", "95.96", "212.238"]) + f".{R.randint(1, 254)}.{R.randint(1, 254)}"


def ipv6() -> str:
    return R.choice(["2a02:a440", "2001:1c00", "2a02:a46f", "2a10:3781", "2001:1c02", "2a02:1810"]) + \
        ":" + ":".join(f"{R.randint(0, 65535):x}" for _ in range(6))


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jwt(claims: dict) -> str:
    head = b64u(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64u(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(R.randbytes(32), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64u(sig)}"


def _b62(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = (string.digits + string.ascii_uppercase + string.ascii_lowercase)[r] + out
    return out.rjust(6, "0")


def github(prefix: str = "ghp_") -> str:
    body = rs(30)
    return prefix + body + _b62(binascii.crc32(body.encode()))


def aws_id() -> str:
    return "AKIA" + rs(16, string.ascii_uppercase + "234567")


def aws_secret() -> str:
    return rs(40, B62 + "+/")


def azure_secret() -> str:
    return rs(3, B62) + "8Q~" + rs(34, B62 + "_.~-")


def azure_storage(account: str) -> str:
    key = base64.b64encode(R.randbytes(64)).decode()
    return f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={key};EndpointSuffix=core.windows.net"


def slack_hook() -> str:
    return f"https://hooks.slack.com/services/T{rs(8, string.ascii_uppercase + string.digits)}/B{rs(10, string.ascii_uppercase + string.digits)}/{rs(24)}"


def slack_bot() -> str:
    return f"xoxb-{rs(12, string.digits)}-{rs(13, string.digits)}-{rs(24)}"


def stripe(kind: str = "sk") -> str:
    return f"{kind}_live_51{rs(14)}{rs(82)}"


def sendgrid() -> str:
    return f"SG.{rs(22, B62 + '-_')}.{rs(43, B62 + '-_')}"


def openai() -> str:
    return f"sk-proj-{rs(58, B62 + '-_')}T3BlbkFJ{rs(58, B62 + '-_')}"


def mollie(live: bool = True) -> str:
    return ("live_" if live else "test_") + rs(30)


def adyen() -> str:
    return "AQE" + rs(57, B62 + "+/") + "=-" + rs(43, B62 + "+/") + "=-" + rs(16, B62)


def gcp_key() -> str:
    return "AIza" + rs(35, B62 + "-_")


def twilio_sk() -> str:
    return "SK" + rs(32, HEX)


def hexs(n: int) -> str:
    return rs(n, HEX)


def pw() -> str:
    words = ["Zomer", "Tulp", "Molen", "Fiets", "Dijk", "Polder", "Haring", "Klomp", "Gracht", "Duin"]
    return R.choice([f"{R.choice(words)}{R.randint(1950, 2026)}!{rs(3)}", rs(16, B62 + "!#%&*"),
                     f"{rs(5)}-{rs(5)}-{rs(5)}", f"{R.choice(words)}#{rs(6, B62)}{R.randint(10, 99)}"])


_KEYS: dict[str, str] = {}


def private_key(kind: str) -> str:
    """A fresh private key (not seeded): rsa, ec or openssh (ed25519)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if kind == "rsa":
        k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
    elif kind == "pkcs8":
        k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        fmt = serialization.PrivateFormat.PKCS8
    elif kind == "ec":
        k = ec.generate_private_key(ec.SECP256R1())
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
    else:
        k = ed25519.Ed25519PrivateKey.generate()
        fmt = serialization.PrivateFormat.OpenSSH
    pem = k.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode().strip()
    _KEYS[kind] = pem
    return pem


def uuid4() -> str:
    return str(uuid.UUID(bytes=R.randbytes(16), version=4))


def sha(n: int = 64) -> str:
    return hexs(n)


def bcrypt_like() -> str:
    return "$2b$12$" + rs(53, string.ascii_letters + string.digits + "./")


def jdump(obj: object) -> str:
    """JSON text with the markers left in place (json.dumps escapes control characters)."""
    text = json.dumps(obj, ensure_ascii=False)
    return text.replace("\\u0001", "\x01").replace("\\u001f", "\x1f").replace("\\u0002", "\x02")


def csv_cell(v: object, sep: str) -> str:
    s = str(v)
    plain = _MARK.sub(lambda m: m.group(4), s)
    return f'"{s}"' if sep in plain or '"' in plain else s


def table(rows: list[list[object]], sep: str) -> str:
    return "\n".join(sep.join(csv_cell(c, sep) for c in row) for row in rows) + "\n"


def maybe(kind: str, text: str | None) -> str:
    return "" if not text else (P(kind, text) if kind else text)


# ================================================================ 1. thuiszorg (home care), Hengelo

TZ = "thuiszorg_hart_van_twente"
TZ_CITIES = ["Hengelo", "Enschede", "Almelo", "Borne", "Delden"]

TZ_INDICATIE = [
    "wijkverpleging na heupoperatie (links)", "dementie (Alzheimer), toezicht 3x per dag",
    "COPD GOLD III, zuurstof 2 l/min", "diabetes mellitus type 2, insuline 2x daags",
    "decubitus stuit categorie 3, wondzorg", "CVA 2025, hemiparese rechts", "ziekte van Parkinson, medicatie 4x daags",
    "palliatieve zorg, longcarcinoom", "hartfalen NYHA III, vochtbeperking", "MS, steunkousen en douchen",
    "stomazorg (colostoma)", "depressie, medicatiebegeleiding", "na chemo (mammacarcinoom), PICC-lijn spoelen",
    "Korsakov, medicatie uitzetten", "nierfalen, katheterzorg", "reuma, hulp bij ADL",
    "blind sinds 2019 (maculadegeneratie)", "ulcus cruris, compressietherapie", "schizofrenie, depot 2-wekelijks",
    "epilepsie, valrisico hoog", "ALS, tilliftgebruik", "suikerziekte, voetcontrole", "osteoporose na wervelfractuur",
    "afbouw oxycodon na val", "COVID-19 nazorg, longrevalidatie", "beginnende dementie, medicijnrol",
]
TZ_NOTES = [
    ("special.religion", "katholiek, wil op zondag de communie ontvangen", "; pastor komt langs"),
    ("special.ethnicity", "Turkse afkomst", ", spreekt weinig Nederlands; zoon tolkt"),
    ("special.sexual_orientation", "woont samen met zijn man Erik", ", Erik is eerste contactpersoon"),
    ("special.religion", "moslima; alleen vrouwelijke verzorgenden", ", geen zorg tijdens het middaggebed"),
    ("special.criminal", "zoon heeft contactverbod na huiselijk geweld", " (wijkagent is op de hoogte)"),
    ("special.political", "gemeenteraadslid voor de SP", ", avondvergaderingen op dinsdag"),
    ("special.ethnicity", "Molukse achtergrond", ", familie wil zorg in eigen taal"),
    ("special.religion", "Jehova's getuige: weigert bloedtransfusie", " (wilsverklaring in de map)"),
    ("special.sexual_orientation", "lesbisch, partner Ria woont in", "; Ria tekent voor ontvangst medicatie"),
    (None, "sleutelkluis code bij buurvrouw (nr. 14)", ""),
    (None, "", ""),
    ("special.criminal", "ex-gedetineerde, zat 4 jaar vast voor fraude", ", reclassering belt maandelijks"),
    ("special.religion", "humanist; uitvaart zonder kerkdienst gewenst", ""),
    ("special.ethnicity", "Surinaams-Javaanse", ", eet geen varkensvlees"),
    ("special.political", "stemt PVV, wil geen Poolse verzorgenden", " (met teamleider besproken)"),
    ("special.biometric", "vingerafdruk geregistreerd voor de medicijnkluis", ""),
    (None, "hond in huis, let op bij binnenkomst", ""),
    (None, "", ""),
    ("special.religion", "gereformeerd vrijgemaakt, geen zorg op zondag", " behalve medicatie"),
    ("special.sexual_orientation", "homoseksueel, wil niet dat buren het weten", ""),
    (None, "mantelzorger: dochter (zie contact)", ""),
    ("special.criminal", "enkelband tot maart (reclassering Oost-NL)", ""),
    (None, "", ""),
    ("special.ethnicity", "Eritrese vluchteling, Tigrinya-tolk nodig", ""),
    ("special.religion", "joods, koosjere maaltijden via Tafeltje Dekje", ""),
    (None, "parkeren achter de flat", ""),
]


def thuiszorg() -> None:
    rows: list[list[object]] = [["clientnummer", "naam", "geboortedatum", "bsn", "adres", "postcode", "woonplaats",
                                 "telefoon", "email_contactpersoon", "indicatie", "zorgnotitie"]]
    for i in range(26):
        kind, text, tail = TZ_NOTES[i]
        p = person("m" if re.search(r"\bzijn man\b|homoseksueel|ex-gedetineerde", text) else
                   "f" if re.search(r"moslima|lesbisch", text) else "")
        p["dob"] = dob(1928, 1962)
        city = R.choice(TZ_CITIES)
        rows.append([f"C{1040 + i * 3}", p["name"], P("pii.date_of_birth", dfmt(p["dob"], i % 2 * 3)),
                     P("pii.bsn", fmt_bsn(bsn(), i)), p["street"], P("pii.postcode", postcode()), city,
                     P("pii.phone", landline(city) if i % 3 == 0 else mobile(i)),
                     P("pii.email", email(person())) if i % 4 != 3 else "",
                     P("special.health", TZ_INDICATIE[i]), (maybe(kind, text) if kind else text) + tail])
    write_text(f"{TZ}/exports/clienten_2026-11.csv", table(rows, ";"))

    # care plans (DOCX)
    for n, (who, facts) in enumerate([
        ("mevrouw", [
            "Medische voorgeschiedenis: " + P("special.health", "diabetes mellitus type 2 sinds 2011, retinopathie") + ".",
            "Medicatie: " + P("special.health", "metformine 500 mg 2dd, insuline glargine 18 E voor de nacht") + ".",
            "Levensbeschouwing: " + P("special.religion", "rooms-katholiek, bidt de rozenkrans, prijst bezoek van de pastoor") + ".",
            "Sociale situatie: " + P("special.health", "echtgenoot Gerard overleed in 2024 aan darmkanker") + "; dochter komt dagelijks.",
            "Mevrouw vertelt dat " + P("special.health", "haar kleinzoon (12) autisme heeft") + " en dat zij daar veel zorgen over heeft.",
            "Algemeen: " + N("special.health", "standard protocol, no person", "bij alle cliënten met diabetes voeren wij jaarlijks een voetcontrole uit") + ".",
        ]),
        ("meneer", [
            "Medische voorgeschiedenis: " + P("special.health", "CVA in maart 2025 met afasie en hemiparese rechts") + ".",
            "Medicatie: " + P("special.health", "clopidogrel 75 mg, atorvastatine 40 mg, paracetamol zo nodig") + ".",
            "Achtergrond: " + P("special.ethnicity", "meneer is van Marokkaanse afkomst") + "; hij spreekt Tarifit en wat Nederlands.",
            "Levensbeschouwing: " + P("special.religion", "moslim, vast tijdens de ramadan, insuline in overleg met de huisarts aangepast") + ".",
            "Bijzonderheden: " + P("special.criminal", "zoon Youssef zit een gevangenisstraf uit in PI Almelo") + "; meneer wil dit niet besproken hebben met buren.",
            "Protocol: " + N("special.religion", "policy, no person", "tijdens de ramadan passen wij op verzoek de tijden van de medicatierondes aan") + ".",
        ]),
    ]):
        p = person()
        p["first"] = R.choice(["Hendrika", "Grietje", "Annie", "Tineke"] if who == "mevrouw" else ["Henk", "Gerrit", "Cor", "Jan"])
        p["name"] = f"{p['first']} {p['last']}"
        p["dob"] = dob(1930, 1952)
        city = R.choice(TZ_CITIES)
        daughter = person()
        paras = [
            f"Cliënt: {who} {p['name']}, clientnummer C{2100 + n}",
            "Geboortedatum: " + P("pii.date_of_birth", dfmt(p["dob"], 4)),
            "BSN: " + P("pii.bsn", fmt_bsn(bsn(), n + 1)),
            f"Adres: {p['street']}, " + P("pii.postcode", postcode()) + f" {city}",
            "Telefoon: " + P("pii.phone", landline(city)),
            "",
            f"Contactpersoon: {daughter['name']} (dochter), " + P("pii.phone", mobile()) + ", " + P("pii.email", email(daughter)),
            "",
            *facts,
            "",
            "Zorgdoelen: zelfstandig blijven wonen; valpreventie; medicatieveiligheid.",
            "Opgesteld door wijkverpleegkundige, versie " + N("pii.date_of_birth", "version date of the plan", "2026-11-21"),
        ]
        write_docx(f"{TZ}/zorgplannen/zorgplan_C{2100 + n}.docx", "Zorgplan wijkverpleging", paras)

    # route calendar (ICS, CRLF)
    ev = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nedap//ONS Planning 7.3//NL", "CALSCALE:GREGORIAN",
          "X-WR-CALNAME:Wijkroute Hengelo-Noord week 49"]
    care = ["insuline spuiten + bloedsuiker meten", "wondzorg decubitus", "steunkousen aan, ogen druppelen",
            "stomazakje verwisselen", "medicatie uitzetten (Parkinson)", "katheter spoelen", "morfinepomp controleren",
            "compressietherapie been links"]
    for k in range(8):
        p = person()
        city = R.choice(TZ_CITIES)
        day = dt.datetime(2026, 12, 1 + k % 5, 7 + k, 30)
        ev += ["BEGIN:VEVENT", "UID:" + N("pii.email", "iCalendar UID, not a mailbox", f"{uuid4()}@ons.hartvantwente.nl"), "DTSTAMP:20261128T091500Z",
               f"DTSTART;TZID=Europe/Amsterdam:{day:%Y%m%dT%H%M%S}", f"SUMMARY:{p['first']} {p['last'][0]}. - " + P("special.health", care[k]),
               f"LOCATION:{p['street']}\\, " + P("pii.postcode", postcode()) + f" {city}",
               "DESCRIPTION:Bel bij geen gehoor " + P("pii.phone", mobile(k + 2)), "END:VEVENT"]
    ev += ["BEGIN:VEVENT", "UID:" + N("pii.email", "iCalendar UID, not a mailbox", f"{uuid4()}@ons.hartvantwente.nl"), "DTSTAMP:20261128T091500Z",
           "DTSTART;TZID=Europe/Amsterdam:20261203T133000", "SUMMARY:" + N("special.health", "training for staff, no person", "Klinische les: wondzorg bij diabetische voet"),
           "LOCATION:Kantoor Hengelo", "END:VEVENT",
           "BEGIN:VEVENT", "UID:" + N("pii.email", "iCalendar UID, not a mailbox", f"{uuid4()}@ons.hartvantwente.nl"), "DTSTAMP:20261128T091500Z",
           "DTSTART;TZID=Europe/Amsterdam:20261204T120000", "SUMMARY:" + N("special.religion", "team event, no person", "Sinterklaaslunch team (halal en vegetarisch)"),
           "END:VEVENT", "END:VCALENDAR"]
    write_text(f"{TZ}/planning/wijkroute_week49.ics", "\n".join(ev) + "\n", crlf=True)

    # Kotlin config of the nurses' app
    write_text(f"{TZ}/zorgapp/android/app/src/main/kotlin/nl/hartvantwente/zorgapp/ApiConfig.kt", f'''
package nl.hartvantwente.zorgapp

object ApiConfig {{
    const val BASE_URL = "https://api.hartvantwente.nl/v2/"
    const val MAPS_KEY = "{P("secret.gcp_api_key", gcp_key())}"
    // HMAC key for offline reports, shared with the backend
    private const val REPORT_SIGNING_SECRET = "{P("secret.generic", rs(48, B62))}"
    const val SENTRY_DSN = "https://{N("secret.generic", "Sentry DSN public key, sent by every client", hexs(32))}@o44871.ingest.de.sentry.io/4507"
    const val BUILD_COMMIT = "{N("secret.generic", "git commit SHA", hexs(40))}"
    const val DEMO_PIN = "{N("secret.password", "documented demo PIN", "0000")}"
    const val ONS_CLIENT_ID = "{N("secret.generic", "OAuth client id, not a secret", uuid4())}"
    const val ONS_CLIENT_SECRET = "{P("secret.generic", rs(40, B62))}"
}}
''')

    # Helm values
    write_text(f"{TZ}/deploy/helm/zorgapp/values-prod.yaml", f'''
image:
  repository: registry.hartvantwente.nl/zorgapp-api
  digest: sha256:{N("secret.generic", "image digest", sha())}
replicaCount: 2
env:
  DATABASE_URL: "{P("secret.connection_string", f"postgresql://zorgapp:{pw()}@pg-prod.internal:5432/zorgapp")}"
  REDIS_URL: "{P("secret.connection_string", f"rediss://default:{rs(32)}@redis-prod.internal:6380/0")}"
  SMTP_HOST: smtp.office365.com
  SMTP_USER: planning@hartvantwente.nl
  SMTP_PASSWORD: "{P("secret.password", pw())}"
  AZURE_TENANT_ID: {N("secret.azure_client_secret", "tenant id, not a secret", uuid4())}
  AZURE_CLIENT_ID: {N("secret.azure_client_secret", "client id, not a secret", uuid4())}
  AZURE_CLIENT_SECRET: "{P("secret.azure_client_secret", azure_secret())}"
  BLOB_CONNECTION: "{P("secret.azure_storage_key", azure_storage("hvtrapportages"))}"
  JWT_SIGNING_KEY: "{P("secret.generic", base64.b64encode(R.randbytes(48)).decode())}"
  FEATURE_SECRET_NOTES: "true"
  PASSWORD_MIN_LENGTH: "{N("secret.password", "a setting named like a secret", "12")}"
''')

    # app JSON log
    lines = []
    t = dt.datetime(2026, 11, 30, 6, 58, 2)
    for k in range(26):
        t += dt.timedelta(seconds=R.randint(3, 400))
        nurse = person()
        ip = ipv4() if k % 3 else ipv6()
        rec = {"ts": t.isoformat() + "Z", "level": "INFO", "svc": "zorgapp-api"}
        if k % 5 == 2:
            rec.update(msg="rapportage opgeslagen", client="C%d" % (1040 + k), user=P("pii.email", email(nurse)),
                       ip=P("pii.ip_address", ip), text=P("special.health", R.choice(
                           ["mw. is gevallen, blauwe plek heup, huisarts gebeld", "dhr. kortademig, saturatie 88%",
                            "wond ziet er rood uit, mogelijk infectie", "mw. verward en angstig, dementie neemt toe",
                            "dhr. heeft ochtendmedicatie (lithium) geweigerd"])))
        elif k == 11 or k == 19:
            rec.update(level="WARN", msg="token expired", ip=P("pii.ip_address", ip),
                       authorization="Bearer " + P("secret.jwt", jwt({"sub": f"nurse-{R.randint(100, 999)}", "role": "wijkverpleegkundige", "exp": 1796000000 + k})))
        else:
            rec.update(msg="login ok", user=P("pii.email", email(nurse)), ip=P("pii.ip_address", ip))
        lines.append(jdump(rec))
    lines.append(jdump({"ts": "2026-11-30T09:12:44Z", "level": "INFO", "svc": "zorgapp-api", "msg": "healthcheck",
                             "ip": N("pii.ip_address", "private address of the load balancer", "10.20.0.4")}))
    write_text(f"{TZ}/logs/zorgapp-api-2026-11-30.jsonl", "\n".join(lines) + "\n")

    # public page
    write_text(f"{TZ}/website/wijkverpleging.html", f'''
<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Wijkverpleging | Thuiszorg Hart van Twente</title></head>
<body>
<h1>Wijkverpleging bij u thuis</h1>
<p>{N("special.health", "service description, no person", "Wij bieden wijkverpleging bij dementie, diabetes, COPD en na een ziekenhuisopname")}.</p>
<p>{N("special.health", "service description", "Palliatieve zorg en terminale thuiszorg, 24 uur per dag")}.</p>
<p>{N("special.religion", "policy statement", "Wij respecteren ieders geloof en levensovertuiging; verzorgenden houden rekening met gebedstijden")}.</p>
<p>{N("special.sexual_orientation", "diversity statement, no person", "Roze 50+: onze teams zijn getraind in zorg voor lesbische, homo- en biseksuele ouderen")}.</p>
<p>{N("special.biometric", "product description, no person", "Medicijnkluizen openen met vingerafdruk of pincode")}.</p>
<p>Bel ons: {N("pii.phone", "switchboard of the organisation", "074-2555100")} of mail {N("pii.email", "organisation mailbox", "info@hartvantwente.nl")}</p>
<p>Bezoekadres: Marktstraat 2, {N("pii.postcode", "office address of the organisation", "7551 DR")} Hengelo. KvK 61234567.</p>
</body></html>
''')

    # product catalogue of aids (negatives)
    cat = [["artikelnr", "omschrijving", "categorie", "prijs_eur"],
           ["HM-1001", N("special.health", "catalogue item, no person", "Incontinentiemateriaal maat L, 28 st."), "continentie", "18.95"],
           ["HM-1002", N("special.health", "catalogue item", "Glucosemeter met 50 teststrips (diabetes)"), "diabetes", "39.50"],
           ["HM-1003", "Rollator lichtgewicht", "mobiliteit", "129.00"],
           ["HM-1004", N("special.health", "catalogue item", "Stomazakjes colostoma 30 st."), "stoma", "54.20"],
           ["HM-1005", N("special.health", "catalogue item", "Antidecubitus matras (drukverdeling)"), "decubitus", "289.00"],
           ["HM-1006", N("special.biometric", "catalogue item, no person", "Medicijnkluis met vingerafdrukscanner"), "medicatie", "349.00"],
           ["HM-1007", "Douchestoel verstelbaar", "ADL", "64.99"]]
    write_text(f"{TZ}/inkoop/hulpmiddelen_catalogus.csv", table(cat, ","))


# ================================================================ 2. payroll and accountancy bureau, Leeuwarden

KB = "salarisbureau_kooistra_bakker"
KB_NOTES = [
    ("special.health", "ziek gemeld 03-11, hernia L5"), (None, "lid FNV, contributie inhouden via loon"),
    ("special.health", "zwangerschapsverlof vanaf 01-12-2026"), ("special.political", "politiek verlof: wethouder namens de BBB in Smallingerland"),
    ("special.criminal", "loonbeslag: schadevergoedingsmaatregel na veroordeling (CJIB)"),
    ("special.religion", "bijzonder verlof Suikerfeest (islamitisch), 1 dag"), (None, "nieuw in dienst, proeftijd 2 mnd"),
    ("special.health", "re-integratie 50% na burn-out, bedrijfsarts 12-12"), ("special.biometric", "prikklok: vingerafdruk opnieuw geregistreerd, oude template verwijderd"),
    ("special.health", "WIA-uitkering 35-80% naast loon"), (None, "lid CNV Vakmensen (vakbondsbijdrage fiscaal vrij)"),
    ("special.religion", "vrij op Jom Kipoer, joods"), ("special.health", "zwanger, verwacht eind april; bevallingsverlof plannen"),
    ("special.criminal", "VOG geweigerd i.v.m. eerdere veroordeling voor diefstal"),
]


def salarisbureau() -> None:
    head = ["personeelsnr", "naam", "geboortedatum", "bsn", "iban", "adres", "postcode", "woonplaats", "telefoon",
            "email", "functie", "opmerking"]
    rows: list[list[object]] = [head]
    for i, (kind, note) in enumerate(KB_NOTES):
        p = person()
        b = bsn()
        city = R.choice(["Leeuwarden", "Sneek", "Drachten", "Heerenveen"])
        born = Typed("pii.date_of_birth", p["dob"], p["dob"].isoformat()) if i % 2 else P("pii.date_of_birth", dfmt(p["dob"], 0))
        nr = Typed("pii.bsn", int(b), b) if i % 3 == 0 else P("pii.bsn", fmt_bsn(b, i))
        acct = iban(R.choice(["NL", "NL", "NL", "BE", "DE"]))
        rows.append([f"HALM-{100 + i}", p["name"], born, nr, P("pii.iban", grouped(acct) if i % 2 else acct), p["street"],
                     P("pii.postcode", postcode()), city, P("pii.phone", mobile(i + 3) if i % 4 else landline(city)),
                     P("pii.email", email(p)), R.choice(["bakker", "verkoop", "bezorger", "chauffeur", "schoonmaak"]),
                     maybe(kind or "", note)])
    rows.append(["TOTAAL", "", "", "", "", "", "", "", "", "", "", "aantal: 14"])
    rows.append(["", "Loonheffingennummer werkgever", "", N("pii.bsn", "employer payroll-tax number (its 9-digit body passes the 11-proof)", bsn() + "L01"), "", "", "", "", "", "", "", ""])
    de_rows: list[list[object]] = [["Personalnr", "Name", "Geburtsdatum", "Steuer-IdNr", "Konfession", "Reisepass",
                                    "IBAN", "Telefon", "Bemerkung"]]
    de_notes = [("special.health", "arbeitsunfähig seit 12.11. (Bandscheibenvorfall)"), (None, ""),
                ("special.health", "schwerbehindert, GdB 50"), (None, "Grenzgänger, A1-Bescheinigung liegt vor"),
                ("special.criminal", "Führerscheinentzug nach Trunkenheitsfahrt, fährt nicht mehr"), (None, ""),
                ("special.health", "Kur in Bad Oeynhausen (Reha nach Herzinfarkt)"), (None, "")]
    for i, (kind, note) in enumerate(de_notes):
        p = person()
        conf = ["rk", "ev", "--", "rk", "ev", "--", "ak", "ev"][i]
        sid = de_steuerid()
        de_rows.append([f"EMM-{20 + i}", p["name"], P("pii.date_of_birth", p["dob"].strftime("%d.%m.%Y")),
                        P("pii.national_id", sid if i % 2 else f"{sid[:2]} {sid[2:5]} {sid[5:8]} {sid[8:]}"),
                        P("special.religion", conf) if conf != "--" else conf,
                        P("pii.passport", de_passport()), P("pii.iban", iban("DE")), P("pii.phone", de_mobile()),
                        maybe(kind or "", note)])
    write_xlsx(f"{KB}/klanten/bakkerij_de_halm/loonstaat_2026-11.xlsx", [("medewerkers", rows), ("grensarbeiders", de_rows)])

    # payslips (PDF, one per page)
    pages = []
    extra = [("Ziekengeld: loondoorbetaling bij ziekte 70% (week 45-48)", "special.health"),
             ("Inhouding vakbondscontributie FNV", None),
             ("Inhouding loonbeslag CJIB (boete wegens rijden onder invloed)", "special.criminal")]
    for k in range(3):
        p = person()
        lines = [f"Loonstrook november 2026 - Bakkerij De Halm B.V.", f"Werknemer: {p['name']}",
                 f"Adres: {p['street']}, " + P("pii.postcode", postcode()) + " Leeuwarden",
                 "BSN: " + P("pii.bsn", fmt_bsn(bsn(), k)), "Geboortedatum: " + P("pii.date_of_birth", dfmt(p["dob"], 0)),
                 "Rekening: " + P("pii.iban", grouped(iban("NL"))),
                 "Loonheffingennummer werkgever: " + N("pii.bsn", "employer payroll-tax number (11-proof body)", "8017.36.521.L01"),
                 "Periode: " + N("pii.date_of_birth", "pay period date", "30-11-2026"),
                 "Bruto loon                         2.845,00", "Loonheffing                          -412,37"]
        text, kind = extra[k]
        lines.append((P(kind, text) if kind else text) + "          -38,50")
        lines.append("Netto                              2.394,13")
        pages.append(lines)
    write_pdf(f"{KB}/klanten/bakkerij_de_halm/loonstroken_2026-11.pdf", pages)

    write_text(f"{KB}/sync/ExactSync/ExactSyncService.cs", f'''
using System.Data.SqlClient;
using ExactOnline.Client.Sdk.Controllers;

namespace Kooistra.Salaris.Sync
{{
    public class ExactSyncService
    {{
        private const string ClientId = "{N("secret.exact_online", "Exact client id (a GUID), not a secret", uuid4())}";
        private const string ClientSecret = "{P("secret.exact_online", rs(12, B62))}";
        private const string CallbackUrl = "https://sync.kooistra-bakker.nl/exact/callback";
        private const string Db = "{P("secret.connection_string", f"Server=sql01.kooistra.local;Database=Salaris;User Id=sync_svc;Password={pw()};TrustServerCertificate=True")}";
        // AFAS Profit connector for two clients that left Exact
        private const string AfasToken = "<token><version>1</version><data>{P("secret.generic", hexs(64).upper())}</data></token>";
        private const string TestBsn = "{N("pii.bsn", "documented test BSN", "111222333")}";

        public void Run() => new SqlConnection(Db).Open();
    }}
}}
''')

    write_text(f"{KB}/sync/nmbrs/export_loonjournaal.php", f'''
<?php
// Nightly export of the payroll journal from Nmbrs to the accountancy package.
$nmbrsUser  = 'koppeling@kooistra-bakker.nl';
$nmbrsToken = '{P("secret.generic", hexs(32))}';
$sftp = ['host' => 'sftp.twinfield.nl', 'user' => 'kb_upload', 'password' => '{P("secret.password", pw())}'];
$mailPassword = getenv('MAIL_PASSWORD');
$example = ['token' => '{N("secret.generic", "placeholder", "<your-nmbrs-token>")}', 'password' => '{N("secret.password", "placeholder", "changeme")}'];
$hash = '{N("secret.generic", "sha256 of the export file", sha())}';
''')

    write_text(f"{KB}/portal/.env", f'''
APP_ENV=production
APP_KEY=base64:{P("secret.generic", base64.b64encode(R.randbytes(32)).decode())}
DB_CONNECTION=mysql
DB_HOST=127.0.0.1
DB_DATABASE=klantportaal
DB_USERNAME=portal
DB_PASSWORD={P("secret.password", pw())}
MAIL_MAILER=smtp
MAIL_HOST=smtp.sendgrid.net
MAIL_USERNAME=apikey
MAIL_PASSWORD={P("secret.sendgrid_key", sendgrid())}
BUNQ_API_KEY={P("secret.bunq_key", hexs(64))}
MOLLIE_KEY={P("secret.mollie_key", mollie())}
SESSION_LIFETIME=120
''')
    write_text(f"{KB}/portal/.env.example", f'''
APP_ENV=local
APP_KEY={N("secret.generic", "placeholder", "base64:CHANGE_ME")}
DB_PASSWORD={N("secret.password", "placeholder", "secret")}
MAIL_PASSWORD={N("secret.sendgrid_key", "placeholder", "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")}
BUNQ_API_KEY={N("secret.bunq_key", "placeholder", "sandbox_" + "0" * 56)}
MOLLIE_KEY={N("secret.mollie_key", "placeholder", "test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")}
''')

    write_text(f"{KB}/infra/main.tf", f'''
provider "aws" {{
  region     = "eu-central-1"
  access_key = "{P("secret.aws_access_key", aws_id())}"
  secret_key = "{P("secret.aws_secret_key", aws_secret())}"
}}

resource "aws_s3_bucket" "loonstroken" {{
  bucket = "kb-loonstroken-archief"
}}

resource "aws_kms_key" "archief" {{
  description = "{N("secret.aws_access_key", "KMS key ARN, not a credential", "arn:aws:kms:eu-central-1:318462790113:key/" + uuid4())}"
}}

resource "aws_db_instance" "portal" {{
  engine   = "mysql"
  username = "portal"
  password = var.db_password
}}

variable "example_key" {{
  default = "{N("secret.aws_access_key", "AWS documentation example key", "AKIAIOSFODNN7EXAMPLE")}"
}}
''')

    boss, emp = person(), person("m")
    write_text(f"{KB}/mail/2026-11-28_ziekmelding_de_halm.eml", f'''
From: {boss['name']} <{P("pii.email", email(boss))}>
To: salaris@kooistra-bakker.nl
Subject: Ziekmelding en vraag over loondoorbetaling
Date: Fri, 28 Nov 2026 08:14:31 +0100
Message-ID: <{N("pii.email", "Message-ID, not a mailbox", uuid4() + "@bakkerijdehalm.nl")}>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Goedemorgen,

Onze medewerker {emp['name']} (BSN {P("pii.bsn", fmt_bsn(bsn(), 2))}, geboren {P("pii.date_of_birth", dfmt(emp['dob'], 4))})
is sinds maandag thuis. {P("special.health", "Hij heeft een burn-out en de bedrijfsarts verwacht minstens 8 weken uitval")}.
Daarnaast vertelde hij dat {P("special.health", "zijn vrouw net de diagnose borstkanker heeft gekregen")}.
Hij is lid van de bakkersbond en wil dat de vakbond meekijkt.

Kunnen jullie het loon doorbetalen op zijn nieuwe rekening {P("pii.iban", grouped(iban("NL")))}?
Hij is bereikbaar op {P("pii.phone", mobile(5))}.

Met vriendelijke groet,
{boss['name']}
Bakkerij De Halm, Nieuwestad 14, {N("pii.postcode", "business address", "8911 CM")} Leeuwarden
Tel. {N("pii.phone", "business switchboard", "058-2130455")}
''')

    t1, t2 = person(), person()
    write_text(f"{KB}/portal/database/migrations/V12__werknemer_notities.sql", f'''
-- V12: free-text notes per employee (requested by payroll staff)
CREATE TABLE werknemer_notitie (
    id          BIGSERIAL PRIMARY KEY,
    werknemer   VARCHAR(32) NOT NULL,
    bsn         CHAR(9),
    aangemaakt  DATE NOT NULL DEFAULT CURRENT_DATE,
    tekst       TEXT
);

-- test data
INSERT INTO werknemer_notitie (werknemer, bsn, aangemaakt, tekst) VALUES
  ('TEST-1', '{N("pii.bsn", "documented test BSN", "111222333")}', '{N("pii.date_of_birth", "creation date", "2026-01-15")}', '{N("special.health", "test text, no person", "voorbeeld: ziekmelding")}'),
  ('TEST-2', '{N("pii.bsn", "RvIG test BSN range", "999990019")}', '2026-01-15', 'voorbeeld: geen bijzonderheden');

-- copied from production to reproduce ticket KB-2291 (should have been removed)
INSERT INTO werknemer_notitie (werknemer, bsn, aangemaakt, tekst) VALUES
  ('HALM-103', '{P("pii.bsn", bsn())}', '2026-10-02', '{P("special.health", "langdurig ziek, ME/CVS, arbeidsdeskundige ingeschakeld")}'),
  ('HALM-107', '{P("pii.bsn", bsn())}', '2026-10-09', '{P("special.criminal", "werknemer zat 3 weken in voorlopige hechtenis, onbetaald verlof")}'),
  ('VDZ-011', '{P("pii.bsn", bsn())}', '2026-11-03', '{P("special.religion", "vraagt vrijdagmiddag vrij voor het vrijdaggebed in de moskee")}');
''')

    write_text(f"{KB}/portal/CHANGELOG.md", f'''
# Changelog klantportaal

## 3.4.0 - {N("pii.date_of_birth", "release date", "2026-11-20")}
- {N("special.health", "feature description", "Nieuw veld voor verzuimmeldingen en ziekteduur")}
- Upgrade Laravel to {N("pii.ip_address", "version string", "11.31.0.2")}
- Fix rounding in payslip totals (ticket {N("pii.bsn", "ticket number passing the 11-proof", "204917318")})

## 3.3.2 - {N("pii.date_of_birth", "release date", "2026-09-02")}
- {N("special.religion", "feature description", "Kerkelijke bijdrage (Kirchensteuer) voor Duitse grensarbeiders ondersteund")}
- Removed unused key {N("secret.stripe_key", "truncated key prefix in docs", "sk_live_...")}
''')


# ================================================================ 3. fertility clinic, Leiden

NV = "fertiliteitscentrum_nova"
NV_REL = [("special.sexual_orientation", "duomoeders (twee vrouwen)"), (None, "getrouwd"), (None, "alleenstaande moeder"),
          ("special.sexual_orientation", "homostel, draagmoederschap buitenland"), (None, "samenwonend"),
          ("special.sexual_orientation", "lesbisch paar, bekende donor"), (None, "getrouwd"), (None, "samenwonend"),
          ("special.sexual_orientation", "bi-vrouw met vrouwelijke partner"), (None, "getrouwd"), (None, "alleenstaand"),
          (None, "geregistreerd partnerschap")]
NV_REL_BELIEF = ["rooms-katholiek", "islamitisch", "geen", "joods-orthodox", None, "hindoeïstisch", "evangelisch",
                 "geen", "protestants (PKN)", None, "islamitisch (sjiitisch)", "boeddhistisch"]
NV_DIAG = ["PCOS, anovulatie", "endometriose graad III", "azoospermie bij partner (TESE gepland)",
           "verminderde ovariële reserve, AMH 0,4", "tubapathologie na chlamydia", "herhaalde miskramen (3x)",
           "onbegrepen subfertiliteit, IUI-traject", "oligoasthenoteratozoöspermie, ICSI", "vroege menopauze (POI)",
           "Turner-mozaïek, eiceldonatie", "hydrosalpinx links, salpingectomie", "hiv-positieve partner, spermawassing"]
NV_NOTE = [(None, "eerste consult online"), ("special.criminal", "partner veroordeeld voor mishandeling; Raad voor de Kinderbescherming ingelicht"),
           ("special.ethnicity", "patiënte is van Marokkaanse afkomst, wenst donor met dezelfde achtergrond"), (None, ""),
           ("special.religion", "rabbijn moet toestemming geven voor ICSI"), (None, "wachtlijst, verwacht jan 2027"),
           ("special.ethnicity", "Ghanese afkomst, sikkelcelscreening partner"), (None, ""),
           ("special.political", "patiënte is Tweede Kamerlid (D66), alleen bellen op mobiel"), (None, "verzekerd via buitenlandse polis"),
           ("special.religion", "wil geen embryo's invriezen vanwege katholiek geloof"), (None, "")]


def fertiliteit() -> None:
    out = ["--", "-- PostgreSQL database dump", "--", "", "-- Dumped from database version 16.4", "",
           "SET statement_timeout = 0;", "SET client_encoding = 'UTF8';", "", "CREATE TABLE public.patienten (",
           "    id integer NOT NULL,", "    naam text,", "    geboortedatum date,", "    bsn character(9),",
           "    email text,", "    telefoon text,", "    postcode text,", "    relatievorm text,", "    levensbeschouwing text",
           ");", ""]
    for i in range(12):
        p = person("m" if i == 3 else "f")
        kind, rel = NV_REL[i]
        belief = NV_REL_BELIEF[i]
        bel = "NULL" if belief is None else "'" + (belief if belief == "geen" else P("special.religion", belief)) + "'"
        out.append(f"INSERT INTO public.patienten VALUES ({301 + i}, '{p['name'].replace(chr(39), chr(39) * 2)}', "
                   f"'{P('pii.date_of_birth', p['dob'].replace(year=R.randint(1982, 1996)).isoformat())}', '{P('pii.bsn', bsn())}', "
                   f"'{P('pii.email', email(p))}', '{P('pii.phone', mobile(i))}', '{P('pii.postcode', postcode())}', "
                   f"'{maybe(kind or '', rel)}', {bel});")
    out += ["", "CREATE TABLE public.behandelingen (", "    patient_id integer,", "    diagnose text,",
            "    medicatie text,", "    opmerking text", ");", ""]
    meds = ["Gonal-f 150 IE", "Menopur 225 IE", "letrozol 2,5 mg", "Ovitrelle", "progesteron vaginaal", "Cetrotide"]
    for i in range(12):
        kind, note = NV_NOTE[i]
        out.append(f"INSERT INTO public.behandelingen VALUES ({301 + i}, '{P('special.health', NV_DIAG[i])}', "
                   f"'{R.choice(meds)}', '{maybe(kind or '', note)}');")
    out += ["", "CREATE TABLE public.donoren (", "    donor_code text,", "    geboortejaar integer,", "    etniciteit text,",
            "    oogkleur text,", "    opleiding text", ");", ""]
    eth = ["Nederlands", "Marokkaans-Nederlands", "Surinaams-Creools", "Chinees-Indonesisch", "Turks", "Pools",
           "Antilliaans (Curaçao)", "Iraans"]
    for i, e in enumerate(eth):
        out.append(f"INSERT INTO public.donoren VALUES ('D-{7100 + i * 7}', {R.randint(1985, 2001)}, '{P('special.ethnicity', e)}', "
                   f"'{R.choice(['blauw', 'bruin', 'groen'])}', '{R.choice(['hbo', 'wo', 'mbo'])}');")
    out += ["", "CREATE TABLE public.app_users (", "    login text,", "    password_hash text,", "    last_ip inet", ");", ""]
    for i in range(4):
        s = person()
        out.append(f"INSERT INTO public.app_users VALUES ('{P('pii.email', email(s))}', "
                   f"'{N('secret.password', 'bcrypt hash, not a password', bcrypt_like())}', '{P('pii.ip_address', ipv4())}');")
    out += ["", "-- PostgreSQL database dump complete", ""]
    write_text(f"{NV}/db/nova_epd_2026-11-29.sql", "\n".join(out))

    # referral letter (PDF, 3 pages)
    a, b = person("f"), person("m")
    write_pdf(f"{NV}/brieven/verwijzing_LUMC_2026-11.pdf", [
        ["Fertiliteitscentrum Nova - verwijzing", "Aan: afdeling Voortplantingsgeneeskunde LUMC",
         f"Betreft: {a['name']} en {b['name']}",
         "Geboortedatum patiënte: " + P("pii.date_of_birth", dfmt(a["dob"], 0)) + "   BSN: " + P("pii.bsn", fmt_bsn(bsn(), 1)),
         f"Adres: {a['street']}, " + P("pii.postcode", postcode()) + " Leiden",
         "Telefoon: " + P("pii.phone", mobile(3)),
         "Datum brief: " + N("pii.date_of_birth", "letter date", "29-11-2026")],
        ["Medische gegevens", "Diagnose: " + P("special.health", "ernstige endometriose met endometrioom rechts (5 cm)"),
         "Eerdere behandelingen: drie IVF-pogingen zonder doorgaande zwangerschap.",
         "Partner: " + P("special.criminal", "partner heeft een taakstraf gehad voor een geweldsdelict (2019)"),
         "Identificatie bij punctie: " + P("special.biometric", "vingerafdrukscan van patiënte opgeslagen in het witnessing-systeem")],
        ["Psychosociaal", "Het paar is " + P("special.religion", "streng gereformeerd") + " en wil geen restembryo's laten vernietigen.",
         "De broer van patiënte " + P("special.health", "overleed in 2023 aan cystic fibrosis") + "; dragerschapsonderzoek is gewenst.",
         N("special.health", "general information sentence", "Informatie over IVF en ICSI vindt u op onze website."),
         "Met collegiale groet, gynaecoloog-fertiliteitsarts"],
    ])

    # intake form empty (negatives) and filled
    write_docx(f"{NV}/intake/intakeformulier_leeg.docx", "Intakeformulier fertiliteit", [
        "Naam: ____________________", "Geboortedatum: __-__-____", "BSN: _________",
        N("special.sexual_orientation", "empty form field", "Relatievorm (man-vrouw, twee vrouwen, alleenstaand): ______"),
        N("special.religion", "empty form field", "Levensbeschouwing (van belang bij embryo-invriezing): ______"),
        N("special.health", "empty form field", "Eerdere zwangerschappen / miskramen: ______"),
        N("special.health", "empty form field", "Bekende erfelijke aandoeningen in de familie: ______"),
        N("special.criminal", "empty form field", "Justitiële antecedenten partner (ja/nee): ______"),
        N("special.ethnicity", "empty form field, for donor matching", "Etnische achtergrond (optioneel, voor donormatching): ______"),
        "Handtekening: ____________________",
    ])
    a, b = person("f"), person("f")
    write_docx(f"{NV}/intake/intake_{301 + 5}.docx", "Intakeverslag", [
        f"Patiënte: {a['name']}, geboren " + P("pii.date_of_birth", dfmt(a["dob"].replace(year=1989), 1)),
        "BSN " + P("pii.bsn", fmt_bsn(bsn(), 3)) + ", e-mail " + P("pii.email", email(a)),
        "Relatievorm: " + P("special.sexual_orientation", "twee vrouwen, getrouwd sinds 2020"),
        "Levensbeschouwing: " + P("special.religion", "hindoeïstisch; wil de embryo-overdracht op een gunstige dag"),
        "",
        "Anamnese: " + P("special.health", "cyclus onregelmatig, schildklier traag (levothyroxine 75 µg)"),
        "Partner " + b["first"] + ": " + P("special.health", "depressie in 2022, nu stabiel op sertraline"),
        "Moeder van patiënte: " + P("special.health", "borstkanker op 41-jarige leeftijd (BRCA1-draagster)"),
        "Achtergrond: " + P("special.ethnicity", "patiënte is Hindoestaans-Surinaams") + ", partner is Nederlands.",
        "",
        "Afspraak: " + N("pii.date_of_birth", "appointment date", "12-01-2027") + " punctie, bij voorkeur in de ochtend.",
    ])

    c = person("m")
    write_text(f"{NV}/mail/2026-11-25_question_treatment.eml", f'''
From: {c['name']} <{P("pii.email", email(c))}>
To: patientenservice@fertiliteitnova.nl
Subject: Question about our ICSI treatment
Date: Tue, 25 Nov 2026 21:40:02 +0100
Message-ID: <{N("pii.email", "Message-ID, not a mailbox", "CAF" + rs(20) + "@mail.gmail.com")}>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Dear Nova team,

My wife {person('f')['first']} and I are starting ICSI next month. {P("special.health", "I was diagnosed with Klinefelter syndrome last year")}
and we need to know whether the TESE can be done in Leiden. {P("special.health", "My wife had an ectopic pregnancy in 2024")}.

You asked for identification: my Dutch passport number is {P("pii.passport", nl_passport())}, and my wife's
French social security number is {P("pii.national_id", fr_nirn(dt.date(1990, 3, 14), False))}.
We are {P("special.religion", "practising Catholics")} and would like to avoid freezing surplus embryos if possible.

Best regards,
{c['name']}
{P("pii.phone", mobile(2))}
''')

    vc = []
    for k in range(5):
        s = person()
        vc += ["BEGIN:VCARD", "VERSION:3.0", f"N:{s['last']};{s['first']};;;", f"FN:{s['name']}",
               "ORG:Fertiliteitscentrum Nova", f"TITLE:{['gynaecoloog', 'fertiliteitsarts', 'klinisch embryoloog', 'verpleegkundig specialist', 'psycholoog'][k]}",
               "TEL;TYPE=CELL:" + P("pii.phone", mobile(k + 4)), "EMAIL;TYPE=HOME:" + P("pii.email", email(s)),
               "ADR;TYPE=HOME:;;" + s["street"] + ";Leiden;;" + P("pii.postcode", postcode()) + ";NL"]
        if k == 0:
            vc.append("BDAY:" + P("pii.date_of_birth", s["dob"].replace(year=1975).isoformat()))
        vc.append("END:VCARD")
    write_text(f"{NV}/contacten/artsen.vcf", "\n".join(vc) + "\n", crlf=True)

    write_text(f"{NV}/services/lab-gateway/config/config.go", f'''
package config

// Defaults for the lab gateway (embryology lab <-> EPD). Production values come from Vault.
const (
	DefaultDSN      = "{P("secret.connection_string", f"postgres://labgw:{pw()}@db.nova.internal:5432/epd?sslmode=require")}"
	AmqpURL         = "{P("secret.connection_string", f"amqp://labgw:{rs(20)}@mq.nova.internal:5672/lab")}"
	SummaryModelKey = "{P("secret.openai_key", openai())}"
	AlertWebhook    = "{P("secret.slack_token", slack_hook())}"
	ExampleDSN      = "{N("secret.connection_string", "documented placeholder", "postgres://user:password@localhost:5432/epd")}"
	LabDeviceSerial = "{N("secret.generic", "device serial", "EMB-" + hexs(12).upper())}"
)
''')

    write_text(f"{NV}/.github/workflows/deploy.yml", f'''
name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      REGISTRY_PASSWORD: ${{{{ secrets.REGISTRY_PASSWORD }}}}
      SLACK_BOT_TOKEN: {P("secret.slack_token", slack_bot())}
    steps:
      - uses: actions/checkout@{N("secret.generic", "pinned action commit SHA", hexs(40))}
      - run: git clone https://x-access-token:{P("secret.github_token", github("gho_"))}@github.com/nova-fertiliteit/protocols.git
      - run: ./deploy.sh --env prod
''')

    write_text(f"{NV}/docker-compose.yml", f'''
services:
  epd:
    image: nova/epd:2026.11
    environment:
      POSTGRES_PASSWORD: "{P("secret.password", pw())}"
      MINIO_SECRET_KEY: "{P("secret.generic", rs(40, B62))}"
      MINIO_ACCESS_KEY: {N("secret.generic", "access key id, not a secret", "nova-epd")}
      KEYCLOAK_CLIENT_SECRET: "{P("secret.generic", rs(32, B62))}"
      LOG_LEVEL: info
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/pg_password
''')

    write_text(f"{NV}/website/ivf-behandeling.html", f'''
<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>IVF en ICSI | Fertiliteitscentrum Nova</title></head>
<body>
<h1>IVF- en ICSI-behandeling</h1>
<p>{N("special.health", "public information, no person", "Bij endometriose, PCOS of een verminderde zaadkwaliteit kan IVF of ICSI een oplossing zijn")}.</p>
<p>{N("special.sexual_orientation", "public information, no person", "Ook lesbische stellen en alleenstaande vrouwen zijn welkom voor donorinseminatie")}.</p>
<p>{N("special.religion", "public information", "Heeft u vanuit uw geloof vragen over embryo-invriezing? Onze geestelijk verzorger denkt met u mee")}.</p>
<p>{N("special.ethnicity", "public information", "Donoren van alle etnische achtergronden zijn hard nodig")}.</p>
<p>{N("special.health", "statistics, no person", "In 2025 leidde 31% van de IVF-cycli tot een doorgaande zwangerschap")}.</p>
<p>Contact: {N("pii.phone", "clinic switchboard", "071-5160200")}, {N("pii.email", "clinic mailbox", "patientenservice@fertiliteitnova.nl")}</p>
</body></html>
''')
    write_text(f"{NV}/administratie/prijslijst_2027.csv", table([
        ["code", "behandeling", "tarief"],
        ["F-101", N("special.health", "price list item", "IVF-cyclus inclusief punctie"), "2.450,00"],
        ["F-102", N("special.health", "price list item", "ICSI-toeslag bij slechte zaadkwaliteit"), "690,00"],
        ["F-103", N("special.health", "price list item", "Cryopreservatie embryo's per jaar"), "250,00"],
        ["F-104", "Intakegesprek", "125,00"],
        ["F-105", N("special.health", "price list item", "Hiv/hepatitis-screening donor"), "180,00"],
    ], ";"))


# ================================================================ 4. probation / reintegration foundation, Rotterdam

NK = "stichting_nieuwe_kans"
NK_DELICT = ["woninginbraak (art. 311 Sr), 6 mnd voorwaardelijk", "mishandeling ex-partner, contactverbod + enkelband",
             "handel in harddrugs, 24 mnd waarvan 8 vw", "rijden onder invloed (recidive), taakstraf 120 uur",
             "oplichting via Marktplaats, werkstraf 80 uur", "zware mishandeling, ISD-maatregel afgerond",
             "witwassen, voorwaardelijke invrijheidstelling", "bedreiging hulpverlener, meldplicht",
             "stalking, gebiedsverbod Rotterdam-Zuid", "diefstal met geweld, TBS met voorwaarden",
             "openlijke geweldpleging (voetbal), stadionverbod", "verduistering in dienstbetrekking, 180 uur taakstraf",
             "cybercrime (phishing), elektronische enkelband", "brandstichting, klinische opname FPK",
             "drugs (cannabis-teelt), werkstraf 60 uur", "huiselijk geweld, Huiselijk Geweld-training verplicht",
             "inbraak bedrijfspand, 9 mnd onvoorwaardelijk", "heling, geldboete + reclasseringstoezicht"]
NK_MIDDEL = ["cocaïne, in behandeling bij Antes", "alcoholverslaving, antabus", "geen", "cannabis dagelijks",
             "gokverslaving, schuldhulp", "geen", "GHB-afhankelijk, detox gepland", "alcohol, AA-groep",
             "geen", "heroïne (methadonprogramma)", "geen", "speed en alcohol in weekend", "geen",
             "psychose (schizofrenie), depot", "cannabis", "ADHD, methylfenidaat", "geen", "alcohol"]
NK_BIJZ = [("special.ethnicity", "Antilliaanse achtergrond"), (None, ""), ("special.religion", "bekeerd tot de islam in detentie"),
           (None, "woont bij moeder"), ("special.political", "actief in extreemrechtse Telegramgroep, NCTV-melding"),
           (None, ""), ("special.sexual_orientation", "homo, durft dat niet te vertellen in de opvang"),
           ("special.ethnicity", "Kaapverdiaanse roots, tolk Portugees"), (None, "zoekt werk in de haven"),
           ("special.religion", "gaat naar de Pinkstergemeente, pastor is steunfiguur"), (None, ""),
           ("special.ethnicity", "Roma-familie, woonwagenkamp"), (None, "schulden > 30k, bewindvoering"),
           ("special.political", "lid van de Partij voor de Dieren, demonstreert bij Schiphol"), (None, ""),
           ("special.religion", "Hindoe, viert Divali met familie"), (None, "rijbewijs ingevorderd"),
           ("special.sexual_orientation", "biseksueel, relatie met celgenoot gehad")]


def nieuwe_kans() -> None:
    rows = [["clientnr", "naam", "geb_datum", "bsn", "telefoon", "delict_en_maatregel", "middelengebruik", "bijzonderheden"]]
    for i in range(18):
        p = person()
        m = NK_MIDDEL[i]
        kind, note = NK_BIJZ[i]
        rows.append([f"NK-{4400 + i}", p["name"], P("pii.date_of_birth", dfmt(dob(1960, 2005), i % 4)),
                     P("pii.bsn", fmt_bsn(bsn(), i)), P("pii.phone", mobile(i)), P("special.criminal", NK_DELICT[i]),
                     m if m == "geen" else P("special.health", m), maybe(kind or "", note)])
    write_text(f"{NK}/casussen/caseload_q4_2026.tsv", table(rows, "\t"))

    a, b, c, d = person(), person("m"), person("m"), person("m")
    write_text(f"{NK}/rapportages/voortgangsnotities_team_zuid.md", f'''
# Voortgangsnotities team Zuid – november 2026

## {a['name']} (NK-4402)
- Geboren {P("pii.date_of_birth", dfmt(a['dob'].replace(year=1994), 4))}, BSN {P("pii.bsn", fmt_bsn(bsn(), 2))}.
- {P("special.criminal", "Veroordeeld in 2024 voor handel in harddrugs")}; nu in de laatste fase van de v.i.
- {P("special.health", "Urinecontrole 14-11 positief op cocaïne")}, besproken met de verslavingsarts.
- {P("special.religion", "Bidt vijf keer per dag en wil werk zonder vrijdagdienst")}.

## {b['name']} (NK-4411)
- {P("special.criminal", "Contactverbod met ex-partner overtreden op 3 november, PV opgemaakt")}.
- {P("special.health", "Zijn dochter (7) heeft een ernstige hartafwijking")}, daardoor veel ziekenhuisbezoek.
- Adres: {b['street']}, {P("pii.postcode", postcode())} Rotterdam; mobiel {P("pii.phone", mobile(6))}.

## {c['name']} (NK-4415) – English-speaking client
- {P("special.criminal", "Served 14 months for aggravated assault, released on parole in June")}.
- {P("special.health", "Diagnosed with PTSD after military service, sees a psychologist weekly")}.
- {P("special.ethnicity", "He is of Cape Verdean descent")} and feels the job coach treats him differently.
- {P("special.sexual_orientation", "He recently came out as gay to his probation officer")}.

## {d['name']} (NK-4417) – Duitse cliënt, rapport aan Bewährungshilfe Kleve
- {P("special.criminal", "Verurteilt wegen Betrugs zu zwei Jahren auf Bewährung")}.
- {P("special.health", "Alkoholabhängig, stationäre Entgiftung im Oktober")}.
- Steuer-ID {P("pii.national_id", de_steuerid())}, Telefon {P("pii.phone", de_mobile())}.

## Note en français (cliente belge, NK-4418)
- {P("special.criminal", "Condamnée pour vol avec violence, sursis probatoire de 18 mois")}.
- {P("special.health", "Elle souffre d'une dépression sévère et prend des antidépresseurs")}.
- {P("special.religion", "Elle est témoin de Jéhovah")} ; numéro national {P("pii.national_id", be_rrn(dob(1975, 1999)))}.

## Teamzaken
- {N("special.criminal", "team agenda, no person", "Training 'werken met enkelbanden' op 10 december")}.
- {N("special.health", "team agenda", "Intervisie over verslavingszorg en dubbele diagnose")}.
''')

    p1 = person()
    write_pdf(f"{NK}/rapportages/reclasseringsadvies_NK-4409.pdf", [
        ["Reclasseringsadvies - Stichting Nieuwe Kans", f"Betrokkene: {p1['name']}",
         "Geboortedatum: " + P("pii.date_of_birth", dfmt(dob(1980, 2000), 0)) + "    BSN: " + P("pii.bsn", fmt_bsn(bsn(), 0)),
         "Rijbewijsnummer: " + P("pii.drivers_license", rs(10, string.digits)),
         f"Adres: {p1['street']}, " + P("pii.postcode", postcode()) + " Schiedam",
         "Advies uitgebracht aan de officier van justitie, parketnummer 10/" + N("pii.bsn", "case number, not a BSN", "705123-26")],
        ["1. Delict en justitiële documentatie",
         P("special.criminal", "Betrokkene werd op 2 augustus 2026 aangehouden voor een gewapende overval op een tankstation") + ".",
         P("special.criminal", "Eerder veroordeeld voor diefstal (2017) en mishandeling (2021)") + ".",
         "2. Middelengebruik en gezondheid",
         P("special.health", "Betrokkene gebruikt dagelijks cannabis en heeft een lichte verstandelijke beperking (IQ 68)") + "."],
        ["3. Sociale context",
         P("special.ethnicity", "Betrokkene is van Somalische afkomst") + " en woont bij zijn oom.",
         P("special.religion", "Hij bezoekt wekelijks de moskee aan de Mathenesserweg") + ".",
         "4. Advies: " + P("special.criminal", "voorwaardelijke straf met meldplicht en enkelband") + ".",
         N("special.criminal", "standard sentence of every report", "Dit advies is opgesteld volgens de richtlijnen van de 3RO.")],
    ])

    write_text(f"{NK}/tools/import_caseload.py", f'''
"""Import the quarterly caseload export from the 3RO system into our own case database."""

import os

import psycopg2
from twilio.rest import Client

GITLAB_TOKEN = "{P("secret.gitlab_token", "glpat-" + rs(20, B62 + "_-"))}"
TWILIO_ACCOUNT_SID = "{N("secret.twilio_key", "account SID, an identifier", "AC" + hexs(32))}"
TWILIO_API_KEY = "{P("secret.twilio_key", twilio_sk())}"
TWILIO_API_SECRET = "{P("secret.generic", rs(32, B62))}"
DB = dict(host="db.nieuwekans.local", user="caseload", password="{P("secret.password", pw())}")
SAMPLE_TOKEN = "{N("secret.gitlab_token", "placeholder in a docstring example", "glpat-xxxxxxxxxxxxxxxxxxxx")}"
BATCH_SIZE = 500


def connect():
    return psycopg2.connect(**DB)


def sms(to: str, body: str) -> None:
    Client(TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_ACCOUNT_SID).messages.create(to=to, from_="NieuweKans", body=body)
''')

    write_text(f"{NK}/config/app.toml", f'''
[server]
bind = "0.0.0.0:8080"
session_secret = "{P("secret.generic", rs(64, HEX))}"

[database]
url = "{P("secret.connection_string", f"postgresql://nk_app:{pw()}@10.1.4.20:5432/caseload")}"

[mail]
host = "smtp.mailgun.org"
user = "postmaster@mg.nieuwekans.nl"
password = "{P("secret.password", pw())}"

[ai]
provider = "openai"
api_key = "{P("secret.openai_key", openai())}"
example_key = "{N("secret.openai_key", "placeholder", "sk-...your-key...")}"

[retention]
delete_after_days = 1825
''')
    write_text(f"{NK}/config/legacy_3ro_koppeling.ini", f'''
[3ro]
endpoint = https://koppeling.3ro.example/soap
username = nk_koppeling
password = {P("secret.password", pw())}
certificate_password = {P("secret.password", pw())}

[ldap]
bind_dn = cn=svc-caseload,ou=services,dc=nieuwekans,dc=local
bind_password = {N("secret.password", "placeholder", "********")}
''')

    sl = []
    t = dt.datetime(2026, 11, 29, 0, 3, 12)
    for k in range(16):
        t += dt.timedelta(seconds=R.randint(60, 3000))
        stamp = t.strftime("%b %d %H:%M:%S").replace(" 0", "  ", 1) if False else t.strftime("%b %d %H:%M:%S")
        if k % 4 == 3:
            s = person()
            sl.append(f"{stamp} mail01 postfix/smtp[{R.randint(1000, 30000)}]: {rs(10, HEX.upper())}: to=<{P('pii.email', email(s))}>, relay=mx.{R.choice(MAILHOSTS)}[{N('pii.ip_address', 'mail server of a provider, not a person', R.choice(['142.250.102.27', '173.194.76.27', '52.101.68.4']))}]:25, status=sent")
        elif k % 4 == 1:
            sl.append(f"{stamp} app01 sshd[{R.randint(1000, 30000)}]: Failed password for invalid user admin from {P('pii.ip_address', ipv4())} port {R.randint(30000, 65000)} ssh2")
        else:
            sl.append(f"{stamp} app01 sshd[{R.randint(1000, 30000)}]: Accepted publickey for {R.choice(['beheer', 'deploy'])} from {P('pii.ip_address', ipv4() if k % 3 else ipv6())} port {R.randint(30000, 65000)} ssh2: ED25519 SHA256:{N('secret.generic', 'public key fingerprint', base64.b64encode(R.randbytes(32)).decode().rstrip('='))}")
    write_text(f"{NK}/logs/auth.log", "\n".join(sl) + "\n")

    write_text(f"{NK}/beleid/vog_en_privacy.md", f'''
# Beleid: VOG, strafrechtelijke gegevens en privacy

1. {N("special.criminal", "policy, no person", "Alle medewerkers leveren bij indiensttreding een Verklaring Omtrent het Gedrag (VOG) in")}.
2. {N("special.criminal", "policy, no person", "Strafrechtelijke gegevens van cliënten verwerken wij alleen op grond van art. 33 UAVG")}.
3. {N("special.health", "policy, no person", "Gegevens over verslaving en psychische gezondheid delen wij alleen met toestemming")}.
4. {N("special.religion", "policy, no person", "Cliënten mogen hun geloof belijden; de stilteruimte is open voor gebed")}.
5. {N("special.ethnicity", "statistics, no person", "In 2025 had 38% van onze cliënten een migratieachtergrond (CBS-definitie)")}.
6. {N("special.political", "policy, no person", "Wij zijn politiek neutraal en bespreken geen partijvoorkeur met cliënten")}.
7. {N("special.biometric", "policy, no person", "Wij gebruiken geen gezichtsherkenning of vingerafdrukken bij de meldplicht")}.

Vastgesteld door het bestuur op {N("pii.date_of_birth", "adoption date", "14-03-2026")}.
''')


# ================================================================ 5. debt-collection agency, Groningen

IN = "incassobureau_noorderlicht"
IN_NOTES = [("special.health", "schuldenaar heeft bipolaire stoornis, onder bewind"), (None, "betalingsregeling 12 termijnen"),
            ("special.criminal", "zit in PI Veenhuizen tot medio 2027"), (None, ""),
            ("special.health", "debiteur overleden aan alvleesklierkanker, erven aangeschreven"), (None, "adres onbekend, GBA-check"),
            ("special.religion", "betaalt via de diaconie van de hervormde kerk"), (None, ""),
            ("special.political", "raadslid GroenLinks, wil geen publiciteit"), ("special.health", "langdurig ziek (long covid), WSNP aangevraagd"),
            (None, "beslag gelegd op auto"), ("special.sexual_orientation", "schuld ontstaan na scheiding van zijn man"),
            (None, ""), ("special.criminal", "eerder veroordeeld voor oplichting, alleen schriftelijk contact"),
            ("special.health", "doof, alleen contact via e-mail of tolk"), (None, "verhuisd naar Duitsland"),
            ("special.political", "Statenlid voor de PVV, dreigt met publiciteit"), ("special.ethnicity", "Poolse Roma, brief laten vertalen"),
            ("special.health", "zoon is verslaafd en steelt geld, moeder wil regeling"), (None, "")]


def incasso() -> None:
    rows = [["dossiernr", "naam", "geboortedatum", "adres", "postcode", "plaats", "telefoon", "email", "iban", "hoofdsom", "notitie"]]
    ctry = ["NL", "NL", "BE", "NL", "DE", "NL", "FR", "NL", "LU", "NL", "AT", "NL", "ES", "NL", "BE", "DE", "NL", "NL", "NL", "NL"]
    for i, (kind, note) in enumerate(IN_NOTES):
        p = person()
        acc = iban(ctry[i])
        city = R.choice(["Groningen", "Assen", "Hoogezand", "Winschoten", "Veendam"])
        rows.append([N("pii.bsn", "dossier number passing the 11-proof", "246813570") if i == 0 else f"2026-{31000 + i * 17}",
                     p["name"], P("pii.date_of_birth", dfmt(p["dob"], i % 3)), p["street"], P("pii.postcode", postcode()), city,
                     P("pii.phone", mobile(i) if ctry[i] == "NL" else (be_mobile() if ctry[i] == "BE" else de_mobile())),
                     P("pii.email", email(p)), P("pii.iban", acc if i % 2 else grouped(acc)), f"{R.randint(80, 9000)},{R.randint(10, 99)}",
                     maybe(kind or "", note)])
    write_text(f"{IN}/dossiers/debiteuren_export_2026-11-30.csv", table(rows, ","), crlf=True)

    pay = [["datum", "dossiernr", "kaarthouder", "kaartnummer", "vervaldatum", "bedrag", "opmerking"]]
    for i in range(8):
        p = person()
        num = card(R.choice(["4", "51", "53", "55", "2221", "37"]), 15 if False else 16)
        if i == 5:
            num = card("37", 15)
        pay.append([f"2026-11-{10 + i}", f"2026-{31200 + i}", p["name"], P("pii.credit_card", num if i % 2 else " ".join(num[j:j + 4] for j in range(0, len(num), 4))),
                    f"{R.randint(1, 12):02d}/{R.randint(27, 30)}", f"{R.randint(20, 400)},00", "telefonisch"])
    pay.append(["2026-11-20", "TEST", "Test Betaling", N("pii.credit_card", "brand test card", "4111 1111 1111 1111"), "12/30", "0,01", "test van de kassa"])
    pay.append(["2026-11-21", "2026-31299", "onbekend", N("pii.credit_card", "masked card", "4871 04** **** 2210"), "03/28", "75,00", "gemaskeerd"])
    write_text(f"{IN}/betalingen/telefonische_betalingen_nov.csv", table(pay, ";"))

    acc = []
    t = dt.datetime(2026, 11, 30, 8, 1, 7)
    agents = ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
              "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"]
    for k in range(22):
        t += dt.timedelta(seconds=R.randint(2, 600))
        ip = ipv4() if k % 4 else ipv6()
        if k % 6 == 2:
            p = person()
            path = f"/betalen?dossier=2026-{31000 + k}&email={P('pii.email', email(p)).replace('@', '%40') if False else P('pii.email', email(p))}"
        else:
            path = R.choice(["/", "/betalen", "/regeling/aanvragen", "/static/app.js", "/api/mollie/webhook", "/inloggen"])
        acc.append(f'{P("pii.ip_address", ip)} - - [{t:%d/%b/%Y:%H:%M:%S} +0100] "GET {path} HTTP/1.1" 200 {R.randint(200, 40000)} "-" "{R.choice(agents)}"')
    acc.append(f'{N("pii.ip_address", "loopback healthcheck", "127.0.0.1")} - - [30/Nov/2026:12:00:00 +0100] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.31"')
    write_text(f"{IN}/betaalportaal/logs/access.log", "\n".join(acc) + "\n")

    write_text(f"{IN}/betaalportaal/src/webhook.js", f'''
// Mollie webhook: marks a payment arrangement term as paid.
const {{ createMollieClient }} = require('@mollie/api-client');

const mollie = createMollieClient({{ apiKey: '{P("secret.mollie_key", mollie())}' }});
const PROFILE_ID = '{N("secret.mollie_key", "Mollie profile id, not a key", "pfl_" + rs(10))}';
const TEST_KEY = process.env.MOLLIE_TEST_KEY || '{N("secret.mollie_key", "placeholder", "test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")}';
const SIGNING_SECRET = '{P("secret.generic", "whsec_" + rs(32))}';
const RECAPTCHA_SITE_KEY = '{N("secret.gcp_api_key", "reCAPTCHA site key, public by design", "6Lc" + rs(37, B62 + "_-"))}';

module.exports = async function webhook(req, res) {{
  const payment = await mollie.payments.get(req.body.id);
  res.status(payment.isPaid() ? 200 : 202).end();
}};
''')

    deb = person()
    write_docx(f"{IN}/brieven/sommatie_2026-31119.docx", "Laatste sommatie", [
        f"{deb['name']}", f"{deb['street']}", P("pii.postcode", postcode()) + " Assen", "",
        "Dossiernummer: 2026-31119    Datum: " + N("pii.date_of_birth", "letter date", "30 november 2026"),
        "Geboortedatum debiteur (ter identificatie): " + P("pii.date_of_birth", dfmt(deb["dob"], 4)),
        "Ondanks eerdere herinneringen staat een bedrag van € 1.284,55 open.",
        "U kunt betalen op " + N("pii.iban", "the agency's own client account", "NL91 ABNA 0417 1643 00") + " onder vermelding van uw dossiernummer.",
        "Wij hebben kennisgenomen van uw brief waarin u schrijft dat " + P("special.health", "u vanwege een hernia en depressie niet kunt werken") + ".",
        "Een betalingsregeling is mogelijk; bel ons op " + N("pii.phone", "agency switchboard", "050-3183550") + ".",
        N("special.health", "standard sentence, no person", "Heeft u schulden door ziekte of verslaving? Het Juridisch Loket helpt gratis."),
    ])

    d2 = person("f")
    write_text(f"{IN}/mail/2026-11-27_reactie_debiteur.eml", f'''
From: {d2['name']} <{P("pii.email", email(d2))}>
To: dossiers@noorderlicht-incasso.nl
Subject: Re: dossier 2026-31153
Date: Thu, 27 Nov 2026 23:12:45 +0100
Message-ID: <{N("pii.email", "Message-ID, not a mailbox", uuid4() + "@outlook.com")}>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Geachte heer/mevrouw,

Ik kan de rekening nu niet betalen. {P("special.health", "Ik ben sinds de zomer in behandeling voor borstkanker")} en
{P("special.criminal", "mijn ex-man zit vast wegens huiselijk geweld")}, dus ik sta er alleen voor met twee kinderen.
{P("special.religion", "De diaconie van onze moskee")} wil een deel voorschieten.

Mijn geboortedatum is {P("pii.date_of_birth", dfmt(d2['dob'], 0))} en mijn rekening is {P("pii.iban", iban("NL"))}.
U kunt mij bellen op {P("pii.phone", mobile(8))}.

Met vriendelijke groet,
{d2['name']}
''')

    write_text(f"{IN}/scripts/backup.sh", f'''
#!/usr/bin/env bash
# nightly backup of the collection database to Backblaze B2
set -euo pipefail
export PGPASSWORD='{P("secret.password", pw())}'
export B2_APPLICATION_KEY_ID='{N("secret.generic", "B2 key id, not the key", "0031" + hexs(8) + "0000000003")}'
export B2_APPLICATION_KEY='{P("secret.generic", "K003" + rs(27, B62))}'
pg_dump -h db01 -U incasso incasso | gzip > /backup/incasso-$(date +%F).sql.gz
mysqldump --user=portal --password='{P("secret.password", pw())}' betaalportaal > /backup/portal.sql
rclone copy /backup b2:noorderlicht-backup
curl -s -X POST "{P("secret.slack_token", slack_hook())}" -d '{{"text":"backup ok"}}'
sha256sum /backup/*.gz  # e.g. {N("secret.generic", "checksum in a comment", sha())}
''')

    write_text(f"{IN}/config/portal.yaml", f'''
app:
  name: noorderlicht-betaalportaal
  secret_key: "{P("secret.generic", rs(50, B62 + "!@#%^&*(-_=+)"))}"
sms:
  provider: twilio
  api_key: {P("secret.twilio_key", twilio_sk())}
  api_secret: "{P("secret.generic", rs(32, B62))}"
mail:
  sendgrid_api_key: "{P("secret.sendgrid_key", sendgrid())}"
aws:
  ses_access_key_id: {P("secret.aws_access_key", aws_id())}
  ses_secret_access_key: {P("secret.aws_secret_key", aws_secret())}
gitlab:
  deploy_token: {P("secret.gitlab_token", "gldt-" + rs(20, B62 + "_-"))}
payments:
  stripe_secret: {P("secret.stripe_key", stripe("rk"))}
  stripe_publishable: {N("secret.stripe_key", "publishable key, public by design", "pk_live_51" + rs(96))}
  password_reset_ttl: {N("secret.password", "a setting named like a secret", "3600")}
''')

    write_text(f"{IN}/betaalportaal/README.md", f'''
# Betaalportaal Noorderlicht

Local setup:

```bash
cp .env.example .env
export MOLLIE_KEY={N("secret.mollie_key", "placeholder in docs", "test_<your-key>")}
export DATABASE_URL={N("secret.connection_string", "documented placeholder", "postgres://postgres:postgres@localhost:5432/portal")}
```

Test logins: {N("pii.email", "example domain in docs", "debiteur@example.com")} / {N("secret.password", "documented demo password", "Welkom01")}.
Test IBAN: {N("pii.iban", "documentation IBAN", "NL02 ABNA 0123 4567 89")}. Test card: {N("pii.credit_card", "Mollie test card in docs", "5555 5555 5555 4444")}.
Default Redis URL: {N("secret.connection_string", "no password", "redis://localhost:6379/0")}.
''')


# ================================================================ 6. LGBTQ+ community centre with a refugee buddy project, Utrecht

RH = "regenbooghuis_utrecht"
RH_ROWS = [
    ("special.ethnicity", "Oegandees", "special.sexual_orientation", "homoseksueel, gevlucht na arrestatie in Kampala"),
    ("special.ethnicity", "Iraans-Koerdisch", "special.religion", "ex-moslim, bedreigd door familie"),
    ("special.ethnicity", "Syrisch (Alawiet)", "special.health", "hiv-positief, behandeling in UMC gestart"),
    ("special.ethnicity", "Jamaicaans", "special.sexual_orientation", "lesbisch, partner nog in Kingston"),
    ("special.ethnicity", "Russisch", "special.political", "actief in de oppositie, gearresteerd bij Pride-demonstratie in Moskou"),
    ("special.ethnicity", "Nigeriaans (Yoruba)", "special.criminal", "in Nigeria veroordeeld wegens 'onnatuurlijke handelingen'"),
    ("special.ethnicity", "Marokkaans", "special.health", "PrEP-gebruiker, depressieve klachten, GGZ-verwijzing"),
    ("special.ethnicity", "Tsjetsjeens", "special.sexual_orientation", "biseksueel, durft niet terug naar azc-kamer"),
    ("special.ethnicity", "Egyptisch (Koptisch)", "special.religion", "koptisch-christelijk, zoekt inclusieve kerk"),
    ("special.ethnicity", "Eritrees", "special.health", "transvrouw, hormoonbehandeling via genderpoli"),
    ("special.ethnicity", "Pakistaans", "special.political", "lid van de PTI, vervolgd na verkiezingen"),
    ("special.ethnicity", "Ghanees", "special.sexual_orientation", "homoseksueel, LHBTI-asielgehoor op 14 januari"),
]


def regenbooghuis() -> None:
    rows = [["deelnemer", "naam", "geboortedatum", "telefoon", "email", "herkomst", "v_nummer", "notities", "buddy"]]
    for i, (ek, ev, nk, nv) in enumerate(RH_ROWS):
        p = person()
        d = dob(1975, 2006)
        born = Typed("pii.date_of_birth", d, d.isoformat()) if i % 2 == 0 else P("pii.date_of_birth", dfmt(d, 0))
        rows.append([f"BP-{i + 1:03d}", p["name"], born, P("pii.phone", mobile(i)), P("pii.email", email(p)) if i % 3 else "",
                     P(ek, ev), str(R.randint(2000000000, 2999999999)), P(nk, nv), R.choice(FIRST)])
    rows.append(["", "", "", "", "", "", "", N("special.sexual_orientation", "instruction cell, no person", "noteer alleen wat de deelnemer zelf wil delen over geaardheid"), ""])
    stats = [["maand", "aanmeldingen", "waarvan_trans", "waarvan_hiv_zorg"],
             ["2026-09", "11", "3", "2"], ["2026-10", "14", "2", "4"],
             ["2026-11", "9", "1", "1"],
             [N("special.health", "aggregate statistics, no person", "totaal hiv-zorgvragen Q3-Q4: 7"), "", "", ""]]
    write_xlsx(f"{RH}/buddyproject/deelnemers_2026.xlsx", [("deelnemers", rows), ("statistiek", stats)])

    a, b, c = person("f"), person("m"), person("m")
    write_text(f"{RH}/buddyproject/intakes_najaar_2026.md", f'''
# Intakes buddyproject – najaar 2026

> Vertrouwelijk. Alleen voor coördinatoren.

## BP-013 – {a['name']}
- Geboortedatum {P("pii.date_of_birth", dfmt(a['dob'].replace(year=1998), 4))}, mobiel {P("pii.phone", mobile(9))}.
- {P("special.sexual_orientation", "Ze is lesbisch en werd daarom door haar familie uitgehuwelijkt")}.
- {P("special.ethnicity", "Afghaanse Hazara")}, spreekt Dari.
- {P("special.health", "Ernstige PTSS na de vlucht, slaapt slecht, staat op de wachtlijst bij i-Psy")}.

## BP-014 – {b['name']} (English intake)
- Date of birth {P("pii.date_of_birth", b['dob'].replace(year=1991).strftime("%d %B %Y"))}, email {P("pii.email", email(b))}.
- {P("special.sexual_orientation", "He is gay and was outed by a colleague in Lagos")}.
- {P("special.criminal", "He spent three months in pre-trial detention under the Same Sex Marriage Prohibition Act")}.
- {P("special.religion", "He is a practising Anglican and wants a welcoming church in Utrecht")}.
- {P("special.health", "Tested HIV-negative in October, started PrEP")}.

## BP-015 – {c['name']} (entretien en français)
- {P("special.sexual_orientation", "Il est homosexuel et a quitté le Cameroun après des menaces")}.
- {P("special.political", "Militant d'un parti d'opposition, arrêté lors d'une manifestation à Douala")}.
- {P("special.health", "Il souffre de diabète de type 1 et a besoin d'insuline")}.
- Téléphone {P("pii.phone", fr_mobile())}.

## Algemeen
- {N("special.sexual_orientation", "programme description, no person", "Het buddyproject koppelt LHBTI-nieuwkomers aan een vrijwilliger uit de regenboogcommunity")}.
- {N("special.health", "general information", "Gratis hiv-test op de eerste dinsdag van de maand, anoniem")}.
- {N("special.religion", "event description", "Regenboogviering in de Janskerk op 7 december, iedereen welkom")}.
''')

    ev = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Regenbooghuis//Agenda//NL"]
    items = [N("special.sexual_orientation", "public event, no person", "Coming-out café voor 50-plussers"),
             N("special.health", "public event", "Anonieme hiv- en soa-test (GGD)"),
             N("special.religion", "public event", "Queer & gelovig: gespreksavond met dominee en imam"),
             N("special.political", "public event", "Lijsttrekkersdebat gemeenteraad over LHBTI-beleid"),
             N("special.ethnicity", "public event", "Black Queer Night met DJ's uit de Surinaamse community"),
             "1-op-1 gesprek " + P("special.health", "Samir (hiv-consult, nieuwe medicatie)"),
             "Begeleiding naar IND " + P("special.sexual_orientation", "Kofi, gehoor over zijn homoseksualiteit")]
    for k, s in enumerate(items):
        ev += ["BEGIN:VEVENT", f"UID:{uuid4()}", "DTSTAMP:20261120T100000Z", f"DTSTART:202612{3 + k * 2:02d}T190000",
               f"SUMMARY:{s}", "LOCATION:Regenbooghuis\\, Oudegracht", "END:VEVENT"]
    ev.append("END:VCALENDAR")
    write_text(f"{RH}/agenda/december_2026.ics", "\n".join(ev) + "\n", crlf=True)

    def salt() -> str:
        return rs(64, B62 + "!@#$%^&*()-_[]{}<>~+=,.;:/?|")

    write_text(f"{RH}/website/wp-config.php", f'''
<?php
define( 'DB_NAME', 'regenbooghuis_wp' );
define( 'DB_USER', 'rh_wp' );
define( 'DB_PASSWORD', '{P("secret.password", pw())}' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         '{P("secret.generic", salt())}' );
define( 'SECURE_AUTH_KEY',  '{P("secret.generic", salt())}' );
define( 'LOGGED_IN_KEY',    '{N("secret.generic", "WordPress placeholder salt", "put your unique phrase here")}' );
define( 'MAILCHIMP_API_KEY', '{P("secret.generic", hexs(32) + "-us21")}' );
define( 'RECAPTCHA_SITE_KEY', '{N("secret.gcp_api_key", "reCAPTCHA site key, public by design", "6Le" + rs(37, B62 + "_-"))}' );
define( 'WP_DEBUG', false );
$table_prefix = 'wp_';
''')

    write_text(f"{RH}/website/nieuwsbrief_december.html", f'''
<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Nieuwsbrief december – Regenbooghuis Utrecht</title></head>
<body>
<h1>Nieuwsbrief december</h1>
<p>{N("special.sexual_orientation", "newsletter, no person", "Dit jaar vierden meer dan 400 lesbische, homo-, bi- en transpersonen Coming Out Day bij ons")}.</p>
<p>{N("special.political", "news about parties, no person", "Alle partijen in de gemeenteraad steunden de motie voor een veilige LHBTI-opvang")}.</p>
<p>{N("special.health", "news, no person", "De GGD meldt dat het aantal hiv-diagnoses in Utrecht opnieuw daalde")}.</p>
<p>{N("special.religion", "news, no person", "Steeds meer kerken en moskeeën sluiten zich aan bij de Regenboogcoalitie")}.</p>
<p>{N("special.criminal", "statistics, no person", "Politie Midden-Nederland registreerde 52 meldingen van anti-LHBTI-geweld")}.</p>
<p>Doneren: {N("pii.iban", "organisation's donation account", "NL20 INGB 0001 2345 67")} t.n.v. Stichting Regenbooghuis.</p>
<p>Contact: {N("pii.email", "organisation mailbox", "info@regenbooghuisutrecht.nl")} · {N("pii.phone", "organisation switchboard", "030-2317080")}</p>
</body></html>
''')

    e = person()
    write_text(f"{RH}/mail/2026-11-18_aanmelding_buddy.eml", f'''
From: {e['name']} <{P("pii.email", email(e))}>
To: buddy@regenbooghuisutrecht.nl
Subject: Aanmelding als buddy
Date: Wed, 18 Nov 2026 19:02:11 +0100
Message-ID: <{N("pii.email", "Message-ID, not a mailbox", uuid4() + "@ziggo.nl")}>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hoi,

Ik wil me graag aanmelden als buddy. {P("special.sexual_orientation", "Ik ben zelf biseksueel")} en kwam 15 jaar geleden als
vluchteling uit Iran. {P("special.political", "Ik ben lid van de PvdA-afdeling Utrecht-Oost")} en ken het asielsysteem goed.
{P("special.criminal", "Ik heb een VOG, maar ik moet eerlijk zeggen dat ik in 2012 een boete kreeg voor winkeldiefstal")}.

Geboortedatum: {P("pii.date_of_birth", dfmt(e['dob'], 1))}
Telefoon: {P("pii.phone", mobile(0))}
Adres: {e['street']}, {P("pii.postcode", postcode())} Utrecht

Groet,
{e['first']}
''')

    vc = []
    for k in range(4):
        s = person()
        vc += ["BEGIN:VCARD", "VERSION:4.0", f"FN:{s['name']}", f"ROLE:{['voorzitter', 'penningmeester', 'secretaris', 'coördinator buddyproject'][k]}",
               "TEL;TYPE=cell:" + P("pii.phone", mobile(k + 1)), "EMAIL:" + P("pii.email", email(s))]
        if k == 3:
            vc.append("NOTE:" + P("special.sexual_orientation", "getrouwd met haar vrouw Marloes") + "; liever bellen na 18 uur")
        vc.append("END:VCARD")
    write_text(f"{RH}/contacten/bestuur.vcf", "\n".join(vc) + "\n", crlf=True)


# ================================================================ 7. university student administration, Zutphen

UZ = "universiteit_zutphen_studentenzaken"
UZ_VOORZ = [("special.health", "dyslexie: 30 min extra tijd, voorleessoftware"), (None, ""),
            ("special.health", "ADHD, aparte toetsruimte"), ("special.health", "diabetes type 1, mag eten tijdens tentamen"),
            (None, ""), ("special.health", "visuele beperking, tentamen in 18pt"), ("special.health", "autisme (ASS), vaste plek bij het raam"),
            (None, ""), ("special.health", "chronische migraine, herkansing buiten de periode"), ("special.health", "rolstoelgebruiker, toegankelijke zaal"),
            (None, ""), (None, ""), ("special.health", "angststoornis, begeleiding door studentpsycholoog"), ("special.health", "zwanger, uitgerekend 3 maart")]
UZ_VERZOEK = [(None, ""), ("special.religion", "geen tentamens op sabbat (zaterdag), zevendedagsadventist"), (None, "stage in het buitenland"),
              ("special.criminal", "VOG geweigerd voor de lerarenopleiding na veroordeling voor mishandeling"), (None, ""),
              ("special.religion", "Ramadan: verzoek om ochtendtentamens"), (None, "topsporter (roeien), aangepaste planning"),
              ("special.political", "vertrek naar Den Haag als fractiemedewerker van de VVD, studievertraging"), (None, ""),
              ("special.sexual_orientation", "wil niet dat haar vriendin als partner in het dossier staat; ouders weten niet dat ze lesbisch is"),
              (None, "mantelzorg voor moeder"), ("special.health", "vader overleden aan een hartaanval, rouwverlof"),
              ("special.ethnicity", "Roma-achtergrond, eerste generatie student"), ("special.political", "bestuurslid van de Jonge Socialisten")]


def universiteit() -> None:
    rows = [["studentnr", "naam", "geboortedatum", "bsn", "email_prive", "telefoon", "nationaliteit", "id_document",
             "voorziening_functiebeperking", "verzoek_examencommissie"]]
    nats = ["NL", "NL", "DE", "NL", "BE", "NL", "FR", "NL", "NL", "DE", "NL", "BE", "NL", "NL"]
    for i in range(14):
        p = person()
        d = dob(1998, 2007)
        nat = nats[i]
        if nat == "NL":
            doc, phone = P("pii.passport", nl_passport()), P("pii.phone", mobile(i))
        elif nat == "DE":
            doc, phone = P("pii.passport", de_passport()), P("pii.phone", de_mobile())
        elif nat == "BE":
            doc, phone = P("pii.national_id", be_rrn(d)), P("pii.phone", be_mobile())
        else:
            doc, phone = P("pii.national_id", fr_nirn(d, i % 2 == 0)), P("pii.phone", fr_mobile())
        vk, vt = UZ_VOORZ[i]
        rk, rt = UZ_VERZOEK[i]
        b = bsn()
        rows.append([str(2300000 + R.randint(1000, 99999)), p["name"],
                     Typed("pii.date_of_birth", d, d.isoformat()) if i % 3 == 0 else P("pii.date_of_birth", dfmt(d, 0)),
                     (Typed("pii.bsn", int(b), b) if i % 4 == 0 else P("pii.bsn", b)) if nat == "NL" else "",
                     P("pii.email", email(p)), phone, nat, doc, maybe(vk or "", vt), maybe(rk or "", rt)])
    omst = [["aanvraagnr", "studentnr", "reden", "toegekend_eur"],
            ["PF-2026-041", "2311458", P("special.health", "ziekenhuisopname (anorexia nervosa), 5 maanden"), "2.400"],
            ["PF-2026-042", "2309981", P("special.health", "moeder terminaal ziek, student is mantelzorger"), "1.200"],
            ["PF-2026-043", "2312007", "bestuursjaar studievereniging", "3.000"],
            ["PF-2026-044", "2310330", P("special.criminal", "slachtoffer én later verdachte in een zedenzaak, rechtszaak loopt"), "0"],
            ["PF-2026-045", "2313102", P("special.health", "long covid, 40% studiebelasting"), "1.800"],
            ["", "", N("special.health", "form instruction, no person", "Voeg een verklaring van arts of psycholoog toe"), ""]]
    write_xlsx(f"{UZ}/osiris_export/studenten_bijzondere_omstandigheden.xlsx", [("studenten", rows), ("profileringsfonds", omst)])

    ev = []
    t = dt.datetime(2026, 11, 24, 8, 45, 0)
    for k in range(18):
        t += dt.timedelta(seconds=R.randint(5, 240))
        s = person()
        rec = {"ts": t.isoformat() + "Z", "exam": "WIS-1023 Lineaire algebra", "student": P("pii.email", f"{s['first'].lower()}.{s['last'].lower().replace(' ', '')}@student.uzutphen.nl"),
               "ip": P("pii.ip_address", ipv4() if k % 3 else ipv6())}
        if k % 3 == 0:
            rec.update(event="identity.check", face_template=P("special.biometric", base64.b64encode(R.randbytes(96)).decode()), match_score=round(R.uniform(0.81, 0.99), 3))
        elif k == 7:
            rec.update(event="proctor.flag", reason=P("special.health", "student left the room twice (reported: bladder infection)"))
        else:
            rec.update(event="heartbeat")
        ev.append(jdump(rec))
    ev.append(jdump({"ts": "2026-11-24T08:40:00Z", "event": "config.loaded",
                     "face_match_threshold": N("special.biometric", "a setting, no person", 0.8),
                     "template_format": "ISO/IEC 19794-5"}))
    write_text(f"{UZ}/proctoring/logs/proctor-events-2026-11-24.jsonl", "\n".join(ev) + "\n")

    a, b, c = person("f"), person("m"), person("f")
    write_text(f"{UZ}/decanaat/gesprekken_studentendecaan_2026.md", f"""
# Gespreksverslagen studentendecaan (vertrouwelijk)

## 2026-10-08 – {a['name']}, studentnr 2311458
- {P("special.health", "Studente is opgenomen geweest voor een eetstoornis en volgt nu dagbehandeling")}.
- {P("special.health", "Haar broer heeft epilepsie en zij zorgt 's nachts voor hem")}.
- {P("special.biometric", "Zij weigert de gezichtsscan van de proctoringsoftware; haar scan is op haar verzoek verwijderd")}.
- Telefoon {P("pii.phone", mobile(4))}.

## 2026-10-21 – {b['name']}, studentnr 2309044 (English)
- {P("special.political", "He is a candidate for the Pirate Party in the municipal elections")} and asks for fewer deadlines in March.
- {P("special.religion", "He converted to Orthodox Judaism last year and cannot sit exams on Saturdays")}.
- {P("special.health", "He mentioned panic attacks during written exams")}.

## 2026-11-12 – {c['name']}, studentnr 2312220
- {P("special.criminal", "Student kreeg een werkstraf voor vernieling tijdens een demonstratie")}.
- {P("special.political", "Zij is actief bij Extinction Rebellion")}.
- {P("special.sexual_orientation", "Ze vertelde dat ze biseksueel is en gepest wordt in haar studentenhuis")}.
- {P("special.ethnicity", "Zij is van Indonesisch-Molukse afkomst")}.

## Procedure
- {N("special.health", "procedure, no person", "Studenten met een functiebeperking kunnen extra tentamentijd aanvragen via het formulier")}.
- {N("special.biometric", "procedure, no person", "Gezichtsherkenning bij online tentamens is alleen met uitdrukkelijke toestemming")}.
""")

    st = person()
    write_text(f"{UZ}/mail/2026-11-30_verzoek_herkansing.eml", f"""
From: {st['name']} <{P("pii.email", email(st))}>
To: examencommissie@uzutphen.nl
Subject: Verzoek herkansing buiten de periode
Date: Sun, 30 Nov 2026 14:22:09 +0100
Message-ID: <{N("pii.email", "Message-ID, not a mailbox", uuid4() + "@gmail.com")}>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Beste examencommissie,

Ik kon het tentamen van 24 november niet maken: {P("special.health", "ik had een epileptische aanval de avond ervoor")}.
Daarnaast valt de herkansing op {P("special.religion", "Jom Kipoer, en als joodse student kan ik dan niet schrijven")}.

Mijn studentnummer is 2310771, geboren {P("pii.date_of_birth", dfmt(st['dob'].replace(year=2003), 4))}, mobiel {P("pii.phone", mobile(1))}.
In de bijlage mijn identiteitskaart ({P("pii.passport", nl_passport())}) en de verklaring van de neuroloog.

Met vriendelijke groet,
{st['name']}
""")

    pg = []
    for k, (nat, idt) in enumerate([("Duitsland", "DE"), ("Frankrijk", "FR"), ("België", "BE")]):
        p = person()
        d = dob(2000, 2006)
        lines = [f"Toelatingsdossier internationale student - {nat}", f"Naam: {p['name']}",
                 "Geboortedatum: " + P("pii.date_of_birth", d.strftime("%d.%m.%Y") if idt == "DE" else dfmt(d, 1))]
        if idt == "DE":
            lines += ["Reisepassnummer: " + P("pii.passport", de_passport()), "Steuer-IdNr: " + P("pii.national_id", de_steuerid()),
                      "Führerscheinnummer: " + P("pii.drivers_license", "B" + rs(3, string.digits) + rs(6, string.ascii_uppercase + string.digits) + rs(1, string.digits))]
        elif idt == "FR":
            lines += ["Numéro de sécurité sociale: " + P("pii.national_id", fr_nirn(d, True)),
                      "Passeport: " + P("pii.passport", f"{R.randint(10, 99)}{rs(2, string.ascii_uppercase)}{rs(5, string.digits)}")]
        else:
            lines += ["Rijksregisternummer: " + P("pii.national_id", be_rrn(d)),
                      "Paspoort: " + P("pii.passport", "EJ" + rs(6, string.digits))]
        lines += ["Telefoon: " + P("pii.phone", {"DE": de_mobile, "FR": fr_mobile, "BE": be_mobile}[idt]()),
                  "IBAN voor restitutie collegegeld: " + P("pii.iban", grouped(iban(idt))),
                  "Bijzonderheden: " + P("special.health" if k != 1 else "special.religion",
                                         ["Hörbehinderung (Cochlea-Implantat), Gebärdensprachdolmetscher nötig",
                                          "porte le voile, demande une salle de prière pendant les examens",
                                          "na een ongeval gedeeltelijk verlamd, rolstoel"][k]),
                  "Datum besluit: " + N("pii.date_of_birth", "decision date", "15-07-2026")]
        pg.append(lines)
    write_pdf(f"{UZ}/toelating/dossiers_internationaal_2026.pdf", pg)

    write_text(f"{UZ}/studentenportaal/src/config/production.ts", f"""
// Runtime configuration of the student portal (production). TODO move to Key Vault.
export const config = {{
  tenantId: '{N("secret.azure_client_secret", "tenant id, not a secret", uuid4())}',
  clientId: '{N("secret.azure_client_secret", "client id, not a secret", uuid4())}',
  clientSecret: '{P("secret.azure_client_secret", azure_secret())}',
  surfconextSecret: '{P("secret.generic", rs(40, B62))}',
  canvasToken: '{P("secret.generic", str(R.randint(1000, 9999)) + "~" + rs(64, B62))}',
  googleOAuthSecret: '{P("secret.generic", "GOCSPX-" + rs(28, B62 + "-_"))}',
  googleOAuthExample: '{N("secret.generic", "placeholder", "GOCSPX-<your-secret>")}',
  mapsBrowserKey: '{N("secret.gcp_api_key", "browser key restricted to our domain, public by design", gcp_key())}',
  supabaseServiceRole: '{P("secret.jwt", jwt({"iss": "supabase", "ref": rs(20, string.ascii_lowercase), "role": "service_role", "iat": 1760000000, "exp": 2075000000}))}',
  supabaseAnon: '{N("secret.jwt", "anon key, public by design (ships to browsers)", jwt({"iss": "supabase", "role": "anon", "iat": 1760000000, "exp": 2075000000}))}',
  sentryAuthToken: '{P("secret.generic", "sntrys_" + b64u(R.randbytes(60)))}',
  buildId: '{N("secret.generic", "build id", hexs(40))}',
}};
""")

    write_text(f"{UZ}/studentenportaal/.gitlab-ci.yml", f"""
stages: [test, build, deploy]

variables:
  DOCKER_AUTH_CONFIG: '{{"auths":{{"registry.uzutphen.nl":{{"auth":"{P("secret.generic", base64.b64encode(("ci-bot:" + pw()).encode()).decode())}"}}}}}}'
  NPM_TOKEN: {P("secret.generic", "npm_" + rs(36))}
  RUNNER_REGISTRATION: {P("secret.gitlab_token", "glrt-" + rs(20, B62 + "_-"))}
  SONAR_TOKEN: $SONAR_TOKEN
  CHECKSUM: {N("secret.generic", "sha256 checksum", sha())}

deploy:
  stage: deploy
  script:
    - az login --service-principal -u $AZ_APP_ID -p $AZ_SECRET --tenant $AZ_TENANT
    - curl -X POST -H "PRIVATE-TOKEN: {P("secret.gitlab_token", "glpat-" + rs(20, B62 + "_-"))}" https://git.uzutphen.nl/api/v4/projects/88/trigger
""")

    write_text(f"{UZ}/osiris-koppeling/appsettings.Production.json", f"""
{{
  "ConnectionStrings": {{
    "Osiris": "{P("secret.connection_string", f"Data Source=osiris-db.uzutphen.local;Initial Catalog=OSIRIS;User ID=koppeling;Password={pw()}")}",
    "Cache": "{P("secret.connection_string", f"redis-cache.uzutphen.nl:6380,password={rs(44, B62)}=,ssl=True,abortConnect=False")}",
    "Archive": "{P("secret.azure_storage_key", azure_storage("uzarchiefstudent"))}"
  }},
  "SendGrid": {{ "ApiKey": "{P("secret.sendgrid_key", sendgrid())}" }},
  "Duo": {{ "ApiUser": "uzutphen", "ApiPassword": "{P("secret.password", pw())}" }},
  "ApplicationInsights": {{ "InstrumentationKey": "{N("secret.generic", "instrumentation key, an identifier", uuid4())}" }},
  "Jwt": {{ "Issuer": "osiris-koppeling", "SigningKey": "{P("secret.generic", base64.b64encode(R.randbytes(64)).decode())}" }},
  "Telegram": {{ "BotToken": "{P("secret.generic", str(R.randint(6000000000, 7999999999)) + ":AA" + rs(33, B62 + "_-"))}" }}
}}
""")

    write_text(f"{UZ}/osiris-koppeling/saml/sp-signing.key", P("secret.private_key", private_key("rsa")) + "\n")
    write_text(f"{UZ}/osiris-koppeling/saml/idp-metadata-cert.pem", N("secret.private_key", "public certificate, not a key",
               "-----BEGIN CERTIFICATE-----") + "\n" + "\n".join(b64u(R.randbytes(48)).replace("-", "+").replace("_", "/") for _ in range(12)) + "\n-----END CERTIFICATE-----\n")

    write_text(f"{UZ}/website/studeren-met-een-functiebeperking.html", f"""
<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Studeren met een functiebeperking | UZ</title></head>
<body>
<h1>Studeren met een functiebeperking</h1>
<p>{N("special.health", "public information, no person", "Heb je dyslexie, ADHD, autisme of een chronische ziekte? Je kunt extra tentamentijd aanvragen")}.</p>
<p>{N("special.religion", "public information", "Studenten die om religieuze redenen niet op zaterdag kunnen, dienen een verzoek in bij de examencommissie")}.</p>
<p>{N("special.health", "statistics, no person", "Ruim 14% van onze studenten heeft een functiebeperking")}.</p>
<p>{N("special.biometric", "public information", "Bij online proctoring wordt je gezicht vergeleken met je collegekaartfoto")}.</p>
<h2>Uitslag universiteitsraad 2026</h2>
<p>{N("special.political", "election results, no person", "De Groene Studentenpartij behaalde 4 zetels, de Liberale Studenten 3 en de Christelijke lijst 2")}.</p>
<p>{N("special.criminal", "policy text, no person", "Voor de lerarenopleiding heb je een VOG nodig; een veroordeling kan toelating verhinderen")}.</p>
<p>Contact: {N("pii.email", "organisation mailbox", "studentendecanen@uzutphen.nl")}, {N("pii.phone", "organisation phone", "0575-760100")}</p>
</body></html>
""")


# ================================================================ extra files: keys, shared infra

def extras() -> None:
    write_text(f"{NV}/services/lab-gateway/certs/lab-client.key", P("secret.private_key", private_key("pkcs8")) + "\n")
    write_text(f"{IN}/deploy/id_ed25519", P("secret.private_key", private_key("openssh")) + "\n")
    write_text(f"{IN}/deploy/id_ed25519.pub", "ssh-ed25519 " + N("secret.private_key", "public key", b64u(R.randbytes(51))) + " deploy@noorderlicht\n")
    ec_key = private_key("ec").replace("\n", "\n    ")
    write_text(f"{TZ}/deploy/helm/zorgapp/secrets-prod.yaml", f'''
apiVersion: v1
kind: Secret
metadata:
  name: zorgapp-signing
type: Opaque
stringData:
  signing.pem: |
    {P("secret.private_key", ec_key)}
  webhook-secret: "{P("secret.generic", "whsec_" + rs(32))}"
  github-token: "{P("secret.github_token", github())}"
  example-token: "{N("secret.github_token", "placeholder", "ghp_" + "x" * 36)}"
''')
    sa = {"type": "service_account", "project_id": "kooistra-loonarchief", "private_key_id": hexs(40),
          "private_key": "@@KEY@@", "client_email": "archief@kooistra-loonarchief.iam.gserviceaccount.com",
          "client_id": str(R.randint(10**20, 10**21 - 1)), "token_uri": "https://oauth2.googleapis.com/token"}
    body = json.dumps(sa, indent=2).replace('"@@KEY@@"', json.dumps(private_key("pkcs8") + "\n"))
    body = body.replace('  "private_key": "', '  "private_key": "' + "\x01P\x1fsecret.gcp_service_account\x1f\x1f", 1)
    body = body.replace('-----END PRIVATE KEY-----\\n"', '-----END PRIVATE KEY-----\\n\x02"', 1)
    write_text(f"{KB}/infra/gcp-archief-sa.json", body + "\n")


def more() -> None:
    write_text(f"{IN}/betaalportaal/.env.production", f"""
APP_ENV=production
APP_KEY=base64:{P("secret.generic", base64.b64encode(R.randbytes(32)).decode())}
DATABASE_URL={P("secret.connection_string", f"mysql://portal:{pw()}@db01.noorderlicht.lan:3306/betaalportaal")}
MOLLIE_API_KEY={P("secret.mollie_key", mollie(False))}
STRIPE_SECRET_KEY={P("secret.stripe_key", stripe("sk"))}
STRIPE_PUBLISHABLE_KEY={N("secret.stripe_key", "publishable key, public by design", "pk_live_51" + rs(96))}
ADYEN_API_KEY={P("secret.adyen_key", adyen())}
ADYEN_CLIENT_KEY={N("secret.adyen_key", "Adyen client key, public by design", "live_" + rs(32, string.ascii_uppercase + string.digits))}
HUBSPOT_TOKEN={P("secret.generic", "pat-eu1-" + uuid4())}
DATADOG_API_KEY={P("secret.generic", hexs(32))}
CLOUDFLARE_API_TOKEN={P("secret.generic", rs(40, B62 + "_-"))}
GOOGLE_GEOCODING_KEY={P("secret.gcp_api_key", gcp_key())}
SENTRY_DSN=https://{N("secret.generic", "Sentry DSN public key", hexs(32))}@o99812.ingest.de.sentry.io/45077
SESSION_SECURE_COOKIE=true
""")
    write_text(f"{RH}/website/.github/workflows/deploy.yml", f"""
name: deploy-wordpress
on: [push]
jobs:
  ftp:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: SamKirkland/FTP-Deploy-Action@v4.3.5
        with:
          server: ftp.regenbooghuisutrecht.nl
          username: deploy
          password: {P("secret.password", pw())}
      - run: gh release create v$(date +%Y%m%d) --notes "deploy"
        env:
          GH_TOKEN: {P("secret.github_token", github())}
          MAILCHIMP_KEY: ${{{{ secrets.MAILCHIMP_KEY }}}}
""")
    rows = [["personeelsnr", "naam", "geboortedatum", "rijbewijsnummer", "kenteken_lease", "iban", "mobiel"]]
    for i in range(9):
        p = person()
        rows.append([f"M{500 + i * 7}", p["name"], P("pii.date_of_birth", dfmt(dob(1965, 2002), 2)),
                     P("pii.drivers_license", str(R.randint(4000000000, 5999999999))),
                     f"{rs(1, 'GHJKLNPRSTXZ')}-{R.randint(100, 999)}-{rs(2, 'BDFGHJKLNPRSTVXZ')}", P("pii.iban", iban("NL")),
                     P("pii.phone", mobile(i + 1))])
    rows.append(["M999", "Invalkracht (uitzend)", "", N("pii.drivers_license", "placeholder licence number", "0000000000"), "", "", ""])
    write_text(f"{TZ}/personeel/leaseauto_rijbewijzen.csv", table(rows, ";"))


# ================================================================ manifest and summary

def kind_of(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    if name.startswith(".env"):
        return ".env"
    return name.rsplit(".", 1)[-1] if "." in name else name


def write_manifest() -> None:
    files = {k: MANIFEST[k] for k in sorted(MANIFEST)}
    (ROOT / "manifest.json").write_text(json.dumps({"files": files}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"files": 0, "positives": 0, "negatives": 0})
    pos, neg = Counter(), Counter()
    for rel, e in files.items():
        k = by_kind[kind_of(rel)]
        k["files"] += 1
        k["positives"] += len(e["positives"])
        k["negatives"] += len(e["negatives"])
        pos.update(p["type"] for p in e["positives"])
        neg.update(n["looks_like"] for n in e["negatives"])
    fam = lambda c: {f: sum(v for t, v in c.items() if t.startswith(f + ".")) for f in ("pii", "secret", "special")}  # noqa: E731
    summary = {"files": len(files), "by_file_kind": dict(sorted(by_kind.items())),
               "positives": sum(pos.values()), "negatives": sum(neg.values()),
               "positives_by_family": fam(pos), "negatives_by_family": fam(neg),
               "positives_by_type": dict(sorted(pos.items())), "negatives_by_looks_like": dict(sorted(neg.items()))}
    (ROOT / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    thuiszorg()
    salarisbureau()
    fertiliteit()
    nieuwe_kans()
    incasso()
    regenbooghuis()
    universiteit()
    more()
    extras()
    write_manifest()


if __name__ == "__main__":
    main()
