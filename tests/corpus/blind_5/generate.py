"""Generate blind_5: every file, manifest.json and summary.json (run from the repository root).

Planted values are wrapped in markers while a template is filled: P(type, value) for a positive,
N(looks_like, why, value) for a hard negative. The writers strip the markers and record the place
(line, XLSX row, DOCX paragraph, PDF page) at that moment, so no label is counted by hand.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import random
import re
import string
import uuid
from collections import Counter, defaultdict
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from stdnum import iban as std_iban, luhn
from stdnum.be import nn as be_nn
from stdnum.de import idnr as de_idnr
from stdnum.fr import nir as fr_nir
from stdnum.nl import bsn as nl_bsn

ROOT = Path(__file__).resolve().parent
R = random.Random(20261205)
LABELS: dict[str, dict[str, list]] = {}
MARK = re.compile(r"⟦(P|N)\|([^|⟧]*)\|(?:([^|⟧]*)\|)?(.*?)⟧", re.S)


def P(kind: str, value: object) -> str:
    return f"⟦P|{kind}|{value}⟧"


def N(looks: str, why: str, value: object) -> str:
    return f"⟦N|{looks}|{why}|{value}⟧"


def _record(path: str, m: re.Match, line: int, where: str) -> None:
    entry = LABELS.setdefault(path, {"positives": [], "negatives": []})
    if m.group(1) == "P":
        entry["positives"].append({"type": m.group(2), "value": m.group(4), "line": line, "where": where})
    else:
        entry["negatives"].append({"value": m.group(4), "looks_like": m.group(2), "line": line,
                                   "why": m.group(3), "where": where})


def strip(path: str, text: str, line_of, where_of) -> str:
    """Remove markers from text, recording each value at the line where it starts."""
    out, pos = [], 0
    for m in MARK.finditer(text):
        out.append(text[pos:m.start()])
        before = "".join(out)
        _record(path, m, line_of(before), where_of(before))
        out.append(m.group(4))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def write_text(path: str, text: str, newline: str = "\n") -> None:
    LABELS.setdefault(path, {"positives": [], "negatives": []})
    clean = strip(path, text, lambda b: b.count("\n") + 1, lambda b: f"line {b.count(chr(10)) + 1}")
    target = ROOT / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(clean.replace("\n", newline).encode("utf-8"))


def write_csv(path: str, rows: list[list[str]], sep: str = ";", newline: str = "\n") -> None:
    write_text(path, "\n".join(sep.join(str(c) for c in row) for row in rows) + "\n", newline)


def write_xlsx(path: str, sheets: dict[str, list[list[object]]]) -> None:
    from openpyxl import Workbook
    LABELS.setdefault(path, {"positives": [], "negatives": []})
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row, start=1):
                col = ws.cell(row=r, column=c).column_letter
                if isinstance(cell, tuple):  # ("typed", kind, python value, label text)
                    _, kind, pyval, text = cell
                    ws.cell(row=r, column=c, value=pyval)
                    if isinstance(pyval, dt.date):
                        ws.cell(row=r, column=c).number_format = "dd-mm-yyyy"
                    LABELS[path]["positives"].append({"type": kind, "value": text, "line": r,
                                                      "where": f"sheet {name}, row {r}, column {col} (typed cell)"})
                    continue
                clean = strip(path, str(cell), lambda b, r=r: r,
                              lambda b, r=r, col=col, n=name: f"sheet {n}, row {r}, column {col}")
                ws.cell(row=r, column=c, value=clean)
    target = ROOT / path
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)


def write_docx(path: str, paragraphs: list[str]) -> None:
    """First paragraph is the title heading; empty strings are empty paragraphs (they count)."""
    import docx
    LABELS.setdefault(path, {"positives": [], "negatives": []})
    d = docx.Document()
    for i, text in enumerate(paragraphs, start=1):
        clean = strip(path, text, lambda b, i=i: i, lambda b, i=i: f"paragraph {i}")
        if i == 1:
            d.add_heading(clean, level=1)
        else:
            d.add_paragraph(clean)
    target = ROOT / path
    target.parent.mkdir(parents=True, exist_ok=True)
    d.save(target)


def write_pdf(path: str, pages: list[list[str]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    LABELS.setdefault(path, {"positives": [], "negatives": []})
    target = ROOT / path
    target.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(target), pagesize=A4)
    c.setTitle(Path(path).stem)
    for p, lines in enumerate(pages, start=1):
        y = 800
        for ln, text in enumerate(lines, start=1):
            clean = strip(path, text, lambda b, p=p: p, lambda b, p=p, ln=ln: f"page {p}, line {ln}")
            c.setFont("Helvetica-Bold" if ln == 1 else "Helvetica", 10)
            c.drawString(50, y, clean)
            y -= 15
        c.showPage()
    c.save()


# ---------------------------------------------------------------- value makers
FIRST = ["Sanne", "Daan", "Emma", "Noah", "Fleur", "Bram", "Yasmina", "Mehmet", "Lotte", "Thijs", "Naima",
         "Priya", "Kevin", "Ilse", "Jeroen", "Anouk", "Rachid", "Fatma", "Wout", "Lien", "Pieter-Jan", "Elif",
         "Marieke", "Stijn", "Aylin", "Rutger", "Shanti", "Jorien", "Karim", "Tess", "Maarten", "Dewi", "Olga",
         "Jakub", "Hanna", "Lukas", "Camille", "Mathéo", "Zeynep", "Gijs", "Roos", "Youssef", "Nina", "Sem"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos", "Vos", "Peters",
        "Hendriks", "van Dijk", "Yılmaz", "El Amrani", "Kaya", "Ramdin", "Peeters", "Claes", "Maes", "Janssens",
        "Wouters", "Nowak", "Kowalski", "Schmidt", "Dubois", "Lambert", "van den Berg", "Kramer", "Brouwer",
        "Verbeek", "Bouzid", "Öztürk", "Sewdien", "Goossens", "Willems", "Jacobs", "Hoekstra", "Postma"]
STREETS = ["Kerkstraat", "Molenweg", "Stationsplein", "Lindelaan", "Dorpsstraat", "Schoolstraat", "Beukenlaan",
           "Prinsengracht", "Julianastraat", "Havenkade", "Esdoornhof", "Wilhelminapark", "Vlasakker"]
CITIES = ["Zwolle", "Amersfoort", "Leeuwarden", "Hengelo", "Roermond", "Gouda", "Alkmaar", "Venlo", "Almere",
          "Helmond", "Deventer", "Middelburg", "Emmen", "Zaandam"]
BE_CITIES = ["9000 Gent", "8000 Brugge", "9300 Aalst", "2800 Mechelen", "9100 Sint-Niklaas", "8500 Kortrijk"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
ALNUM = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def rs(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def person() -> tuple[str, str]:
    return R.choice(FIRST), R.choice(LAST)


def email(first: str, last: str, domain: str | None = None) -> str:
    simple = re.sub(r"[^a-z]", "", (first + "." + last.split()[-1]).lower().replace("ı", "i").replace("ö", "o")
                    .replace("é", "e").replace("ü", "u"))
    local = R.choice([f"{first[0].lower()}.{simple.split('.')[-1] if '.' in simple else simple}", simple,
                      f"{simple}{R.randint(1, 99)}"]).replace("..", ".")
    local = re.sub(r"[^a-z0-9.]", "", local.lower())
    return f"{local}@{domain or R.choice(['gmail.com', 'hotmail.com', 'outlook.com', 'ziggo.nl', 'kpnmail.nl', 'telenet.be', 'icloud.com', 'proton.me'])}"


TEST_BSN = {"999993653", "999990019", "123456782", "111222333"}


def bsn() -> str:
    while True:
        v = str(R.randint(100000000, 699999999))
        if nl_bsn.is_valid(v) and v not in TEST_BSN:
            return v


def bsn_fmt(v: str) -> str:
    return R.choice([v, v, f"{v[:4]}.{v[4:6]}.{v[6:]}", f"{v[:3]} {v[3:6]} {v[6:]}", f"{v[:4]} {v[4:6]} {v[6:]}"])


def eleven_proof_nonbsn() -> str:
    return bsn()


NL_BANKS = ["ABNA", "INGB", "RABO", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ", "RBRB", "FVLB"]


def iban(cc: str = "NL", grouped: bool | None = None) -> str:
    for _ in range(200000):
        if cc == "NL":
            bban = R.choice(NL_BANKS) + rs(string.digits, 10)
        elif cc == "BE":
            base = rs(string.digits, 10)
            chk = int(base) % 97 or 97
            bban = base + f"{chk:02d}"
        elif cc == "DE":
            bban = rs(string.digits, 18)
        elif cc == "FR":
            bban = rs(string.digits, 21) + rs(string.digits, 2)
        elif cc == "LU":
            bban = rs(string.digits, 3) + rs(string.ascii_uppercase + string.digits, 13)
        elif cc == "AT":
            bban = rs(string.digits, 16)
        elif cc == "ES":
            bban = rs(string.digits, 20)
        else:
            raise ValueError(cc)
        cand = cc + std_iban.calc_check_digits(cc + "00" + bban) + bban
        if std_iban.is_valid(cand):
            if grouped is None:
                grouped = R.random() < 0.4
            return " ".join(cand[i:i + 4] for i in range(0, len(cand), 4)) if grouped else cand
    raise RuntimeError(cc)


def nl_mobile() -> str:
    d = "6" + R.choice("123458") + rs(string.digits, 7)
    a, b = d[1:5], d[5:]
    return R.choice([f"0{d}", f"06-{d[1:]}", f"06 {d[1:3]} {d[3:5]} {d[5:7]} {d[7:]}", f"+31 6 {a} {b}",
                     f"+31{d}", f"+31 (0)6 {d[1:]}", f"0031 6 {d[1:]}", f"(06) {d[1:]}", f"06 - {a} {b}",
                     f"06.{d[1:3]}.{d[3:5]}.{d[5:7]}.{d[7:]}", f"+31-6-{d[1:]}"])


def nl_landline() -> str:
    area = R.choice(["38", "33", "58", "74", "475", "182", "72", "77", "40", "570"])
    rest = rs(string.digits, 9 - len(area))
    rest = str(R.randint(2, 8)) + rest[1:]
    return R.choice([f"0{area}-{rest}", f"(0{area}) {rest}", f"+31 (0){area} {rest}", f"0{area} {rest}"])


def be_mobile() -> str:
    pre = R.choice(["470", "471", "472", "475", "476", "477", "478", "479", "484", "486", "494", "495"])
    d = rs(string.digits, 6)
    return R.choice([f"+32 {pre} {d[:2]} {d[2:4]} {d[4:]}", f"0{pre}/{d[:2]}.{d[2:4]}.{d[4:]}",
                     f"0{pre} {d[:2]} {d[2:4]} {d[4:]}", f"0032 {pre} {d}", f"+32{pre}{d}"])


PC_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"


def postcode(space: bool | None = None) -> str:
    while True:
        letters = rs(PC_LETTERS, 2)
        if letters not in {"SA", "SD", "SS"}:
            break
    num = R.randint(1000, 9999)
    if space is None:
        space = R.random() < 0.7
    return f"{num} {letters}" if space else f"{num}{letters}"


def dob(lo: int = 1950, hi: int = 2004) -> dt.date:
    return dt.date(R.randint(lo, hi), R.randint(1, 12), R.randint(1, 28))


def dob_fmt(d: dt.date) -> str:
    return R.choice([d.strftime("%d-%m-%Y"), f"{d.day}-{d.month}-{d.year}", d.isoformat(), d.strftime("%d/%m/%Y"),
                     d.strftime("%d.%m.%Y"), f"{d.day} {MONTHS[d.month - 1]} {d.year}"])


def be_nn_for(d: dt.date, grouped: bool | None = None) -> str:
    while True:
        seq = R.randint(1, 997)
        base = f"{d:%y%m%d}{seq:03d}"
        num = int(("2" if d.year >= 2000 else "") + base)
        chk = 97 - num % 97
        v = f"{base}{chk:02d}"
        if be_nn.is_valid(v):
            if grouped is None:
                grouped = R.random() < 0.5
            return f"{v[:2]}.{v[2:4]}.{v[4:6]}-{v[6:9]}.{v[9:]}" if grouped else v


def fr_nir_for(d: dt.date, sex: int) -> str:
    while True:
        base = f"{sex}{d:%y%m}{R.randint(1, 95):02d}{R.randint(1, 999):03d}{R.randint(1, 999):03d}"
        v = base + fr_nir.calc_check_digits(base)
        if fr_nir.is_valid(v):
            return v if R.random() < 0.5 else f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}"


def de_steuer_id() -> str:
    while True:
        v = str(R.randint(10000000000, 99999999999))
        if de_idnr.is_valid(v):
            return v


def nl_passport() -> str:
    al = "ABCDEFGHIJKLMNPQRSTUVWXYZ"
    return rs(al, 2) + rs(al + string.digits, 6) + rs(string.digits, 1)


def be_passport() -> str:
    return R.choice(["EH", "EJ", "EK"]) + rs(string.digits, 6)


def be_eid() -> str:
    base = rs(string.digits, 10)
    chk = int(base) % 97 or 97
    return f"{base[:3]}-{base[3:]}-{chk:02d}"


def de_passport() -> str:
    return "C" + rs("CFGHJKLMNPRTVWXYZ0123456789", 8)


def fr_passport() -> str:
    return rs(string.digits, 2) + rs(string.ascii_uppercase, 2) + rs(string.digits, 5)


def licence() -> str:
    return str(R.randint(4000000000, 5999999999))


def card(prefix: str | None = None, length: int = 16) -> str:
    prefix = prefix or R.choice(["4", "51", "53", "55", "2221", "2720", "4"])
    body = prefix + rs(string.digits, length - len(prefix) - 1)
    v = body + luhn.calc_check_digit(body)
    style = R.choice(["compact", "spaced", "dashed"])
    if length != 16 or style == "compact":
        return v
    groups = [v[i:i + 4] for i in range(0, 16, 4)]
    return (" " if style == "spaced" else "-").join(groups)


def ipv4() -> str:
    while True:
        v = R.choice(["84.80.", "77.167.", "145.129.", "86.85.", "213.127.", "62.45.", "94.210.", "81.82."]) + \
            f"{R.randint(0, 255)}.{R.randint(1, 254)}"
        if ipaddress.ip_address(v).is_global:
            return v


def ipv6(exploded: bool = False) -> str:
    pre = R.choice(["2001:1c00:", "2a02:a440:", "2a02:1810:", "2a02:a212:", "2001:984:"])
    v = ipaddress.ip_address(pre + ":".join(f"{R.randint(0, 0xffff):x}" for _ in range(6 if pre.count(':') == 2 else 5)))
    assert v.is_global
    return v.exploded if exploded else v.compressed


# secrets --------------------------------------------------------------------
def aws_key() -> str:
    return "AKIA" + rs(string.ascii_uppercase + "234567", 16)


def aws_secret() -> str:
    return rs(ALNUM + "/+", 40)


def gh_token(prefix: str = "ghp_") -> str:
    body = rs(ALNUM, 30)
    crc = binascii.crc32(body.encode())
    tail = ""
    while crc:
        crc, r = divmod(crc, 62)
        tail = B62[r] + tail
    return prefix + body + tail.rjust(6, "0")


def glpat() -> str:
    return "glpat-" + rs(ALNUM + "-_", 20)


def slack_bot() -> str:
    return f"xoxb-{R.randint(10**10, 10**12)}-{R.randint(10**12, 10**13)}-{rs(ALNUM, 24)}"


def slack_hook() -> str:
    return f"https://hooks.slack.com/services/T{rs(string.ascii_uppercase + string.digits, 8)}/B{rs(string.ascii_uppercase + string.digits, 10)}/{rs(ALNUM, 24)}"


def stripe(prefix: str = "sk_live_") -> str:
    return prefix + rs(ALNUM, 99 if R.random() < 0.5 else 24)


def whsec() -> str:
    return "whsec_" + rs(ALNUM, 32)


def twilio_sk() -> str:
    return "SK" + rs("0123456789abcdef", 32)


def sendgrid() -> str:
    return "SG." + rs(ALNUM + "-_", 22) + "." + rs(ALNUM + "-_", 43)


def openai() -> str:
    return "sk-proj-" + rs(ALNUM + "-_", 74) + "T3BlbkFJ" + rs(ALNUM + "-_", 74)


def mollie(prefix: str = "live_") -> str:
    return prefix + rs(ALNUM, 30)


def adyen() -> str:
    return "AQE" + rs(ALNUM, 30) + "." + rs(ALNUM + "+/", 80) + "-" + rs(ALNUM, 40) + "-" + rs(ALNUM, 20)


def hex64() -> str:
    return rs("0123456789abcdef", 64)


def azure_secret() -> str:
    return rs(ALNUM, 3) + "8Q~" + rs(ALNUM + "~._-", 34)


def azure_storage(acct: str) -> str:
    key = base64.b64encode(R.randbytes(64)).decode()
    return f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={key};EndpointSuffix=core.windows.net"


def gcp_key() -> str:
    return "AIza" + rs(ALNUM + "-_", 35)


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def jwt(claims: dict) -> str:
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(R.randbytes(32), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(sig)}"


def password() -> str:
    return rs(ALNUM, R.randint(4, 8)) + R.choice("!#%*-_@$") + rs(ALNUM, R.randint(5, 10))


def pem(kind: str) -> str:
    if kind == "rsa":
        k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
    elif kind == "ec":
        k = ec.generate_private_key(ec.SECP256R1())
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
    else:
        k = ed25519.Ed25519PrivateKey.generate()
        fmt = serialization.PrivateFormat.OpenSSH
    return k.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode().strip()


def sha(n: int = 40) -> str:
    return rs("0123456789abcdef", n)


# ---------------------------------------------------------------- organisations
def vet_clinic() -> None:
    """Dierenkliniek De Hoefslag, Zwolle: veterinary clinic."""
    base = "dierenkliniek_hoefslag"
    rows = [["klantnr", "naam", "email", "telefoon", "adres", "postcode", "plaats", "iban", "dier", "opmerking"]]
    notes_pos = [("special.health", "eigenaar is slechtziend"), ("special.health", "eigenaar in rolstoel, huisbezoek"),
                 ("special.health", "mevrouw heeft dementie, dochter belt"), ("special.health",
                 "klant herstelt van chemo, niet bellen voor 11u"), ("special.religion",
                 "geen afspraken op zaterdag i.v.m. sabbat"), ("special.health", "eigenaar doof, alleen via e-mail")]
    notes_neg = [("special.health", "hond: diabetes, insuline 2x daags", "health of the animal, not a person"),
                 ("special.health", "kat: chronische nierziekte", "health of the animal, not a person"),
                 ("special.health", "epilepsie (hond), fenobarbital", "health of the animal, not a person"),
                 ("special.health", "paard kreupel linksvoor", "health of the animal, not a person")]
    for i in range(36):
        f, l = person()
        note = ""
        if i % 6 == 2 and notes_pos:
            k, v = notes_pos.pop(0)
            note = P(k, v)
        elif i % 6 == 4 and notes_neg:
            k, why, v = notes_neg.pop(0)
            note = N(k, why, v)
        tel = nl_mobile() if R.random() < 0.7 else nl_landline()
        rows.append([f"K{R.randint(10000, 99999)}", f"{f} {l}", P("pii.email", email(f, l)), P("pii.phone", tel),
                     f"{R.choice(STREETS)} {R.randint(1, 180)}", P("pii.postcode", postcode()), R.choice(CITIES),
                     P("pii.iban", iban("NL")), R.choice(["hond", "kat", "konijn", "paard", "cavia"]), note])
    write_csv(f"{base}/export/klanten_2026-11.csv", rows)

    aws_k, aws_s = aws_key(), aws_secret()
    write_text(f"{base}/praktijk-app/.env", f"""# VetPortal praktijk-app productie
APP_ENV=production
DATABASE_URL={P("secret.connection_string", f"postgresql://vetportal:{rs(ALNUM, 18)}@db-01.hoefslag.internal:5432/vetportal")}
MOLLIE_API_KEY={P("secret.mollie_key", mollie())}
MOLLIE_PROFILE_ID={N("secret.generic", "Mollie profile id, not a credential", "pfl_" + rs(ALNUM, 10))}
AWS_ACCESS_KEY_ID={P("secret.aws_access_key", aws_k)}
AWS_SECRET_ACCESS_KEY={P("secret.aws_secret_key", aws_s)}
S3_BUCKET=hoefslag-rontgenfotos
SMTP_HOST=smtp.transip.email
SMTP_USER=noreply@hoefslag-dierenkliniek.nl
SMTP_PASSWORD={P("secret.password", password())}
SENTRY_RELEASE={N("secret.generic", "git commit SHA used as release id", sha())}
SESSION_SECRET={P("secret.generic", rs(ALNUM, 48))}
""")
    write_text(f"{base}/praktijk-app/.env.example", f"""# Kopieer naar .env en vul in
DATABASE_URL={N("secret.connection_string", "placeholder credentials in example file", "postgresql://user:password@localhost:5432/vetportal")}
MOLLIE_API_KEY={N("secret.mollie_key", "placeholder", "live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")}
AWS_ACCESS_KEY_ID={N("secret.aws_access_key", "AWS documentation example key", "AKIAIOSFODNN7EXAMPLE")}
AWS_SECRET_ACCESS_KEY={N("secret.aws_secret_key", "AWS documentation example secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")}
SMTP_PASSWORD={N("secret.password", "placeholder", "changeme")}
SESSION_SECRET={N("secret.generic", "placeholder", "<your-session-secret>")}
""")
    tw_sk, tw_tok = twilio_sk(), rs("0123456789abcdef", 32)
    write_text(f"{base}/praktijk-app/herinneringen.py", f'''"""Stuurt vaccinatieherinneringen per sms en e-mail."""
import os
import datetime as dt

from twilio.rest import Client

TWILIO_ACCOUNT_SID = "AC{rs("0123456789abcdef", 32)}"
TWILIO_API_KEY = "{P("secret.twilio_key", tw_sk)}"
TWILIO_API_SECRET = "{P("secret.generic", rs(ALNUM, 32))}"
SENDGRID_KEY = os.environ.get("SENDGRID_KEY", "{P("secret.sendgrid_key", sendgrid())}")
TEST_NUMMER = "{N("pii.phone", "Twilio magic test number from its documentation", "+15005550006")}"
AFZENDER = "{N("pii.email", "clinic's no-reply sender address", "noreply@hoefslag-dierenkliniek.nl")}"


def herinnering_tekst(dier: str, datum: dt.date) -> str:
    # {N("pii.date_of_birth", "example date in a code comment", "01-01-2000")} is de standaard als er geen datum is
    return f"Beste klant, {{dier}} moet op {{datum:%d-%m-%Y}} gevaccineerd worden."


def main() -> None:
    client = Client(TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_ACCOUNT_SID)
    # debugging 2026-10: klant klaagde over dubbele sms
    client.messages.create(to="{P("pii.phone", nl_mobile())}", from_="+3197010253012", body="test")
''')
    # invoice PDF, several pages
    pages = []
    for n in range(3):
        f, l = person()
        pages.append([f"Dierenkliniek De Hoefslag - factuur 2026-{R.randint(1000, 9999)}",
                      "Assendorperstraat 12, 8012 DE Zwolle - tel 038-4210000",
                      f"Aan: {f} {l}",
                      f"{R.choice(STREETS)} {R.randint(1, 90)}, {P('pii.postcode', postcode(True))} {R.choice(CITIES)}",
                      f"E-mail: {P('pii.email', email(f, l))}",
                      f"Behandeling: gebitsreiniging kat, narcose, 3 extracties",
                      f"Totaal: EUR {R.randint(90, 600)},{R.randint(10, 99)}",
                      f"Betaald met creditcard {P('pii.credit_card', card())}" if n == 1 else
                      f"Automatische incasso van rekening {P('pii.iban', iban('NL', True))}",
                      f"Ordernummer {N('pii.bsn', 'invoice order number passing the 11-proof', eleven_proof_nonbsn())}",
                      "Betaaltermijn 14 dagen. KvK 05071234."])
    write_pdf(f"{base}/facturen/facturen_week48.pdf", pages)
    write_text(f"{base}/website/index.html", f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Dierenkliniek De Hoefslag</title></head>
<body>
<h1>Dierenkliniek De Hoefslag</h1>
<p>Bel ons: <a href="tel:0384210000">{N("pii.phone", "clinic switchboard", "038-4210000")}</a>,
mail {N("pii.email", "clinic's general mailbox", "info@hoefslag-dierenkliniek.nl")}.</p>
<p>Spoed buiten openingstijden: {N("pii.phone", "public emergency line", "0900-1234567")}</p>
<h2>Diabetes bij katten</h2>
<p>{N("special.health", "public information about animals", "Suikerziekte komt bij oudere katten vaak voor")} en is goed te behandelen met insuline.</p>
<p>{N("special.health", "public information about zoonoses, no person", "Zwangere vrouwen kunnen beter geen kattenbak verschonen (toxoplasmose)")}.</p>
<p>Wij zijn toegankelijk voor rolstoelgebruikers; {N("special.health", "accessibility statement, no person", "assistentiehonden van blinde en slechtziende mensen zijn altijd welkom")}.</p>
<p>Adres: Assendorperstraat 12, {N("pii.postcode", "the clinic's own business address", "8012 DE")} Zwolle</p>
</body></html>
""")


def school() -> None:
    """Sint-Jozefschool, Roermond: a Catholic primary school."""
    base = "basisschool_sint_jozef"
    header = ["leerlingnr", "voornaam", "achternaam", "bsn", "geboortedatum", "groep", "levensbeschouwing",
              "zorgprofiel", "ouder e-mail", "ouder telefoon", "postcode", "startdatum"]
    rows: list[list[object]] = [header]
    religions = ["rooms-katholiek", "islamitisch", "protestants-christelijk", "hindoeïstisch", "geen", "geen",
                 "rooms-katholiek", "evangelisch", "geen", "joods"]
    zorg = ["dyslexie (verklaring 2024)", "ADHD, gebruikt methylfenidaat 10 mg", "", "", "autisme (ASS)",
            "epilepsie, noodmedicatie in kast", "", "voedselallergie pinda (EpiPen)", "", "diabetes type 1, insulinepomp",
            "", "slechthorend, draagt gehoorapparaat", "", "hoogbegaafd, plusklas", "", "taalachterstand (NT2)"]
    for i in range(32):
        f, l = person()
        d = dob(2014, 2021)
        b = bsn()
        bsn_cell: object = ("typed", "pii.bsn", int(b), b) if i % 5 == 0 else P("pii.bsn", bsn_fmt(b))
        dob_cell: object = ("typed", "pii.date_of_birth", d, d.isoformat()) if i % 2 == 0 else P("pii.date_of_birth", dob_fmt(d))
        rel = religions[i % len(religions)]
        z = zorg[i % len(zorg)]
        zcell = ""
        if z and ("plusklas" in z or "NT2" in z):
            zcell = z
        elif z:
            zcell = P("special.health", z)
        pf, pl = person()
        start = dt.date(R.randint(2018, 2025), 8, R.randint(20, 31))
        start_cell = N("pii.date_of_birth", "school start date, not a birth date", start.strftime("%d-%m-%Y")) if i < 4 else start.strftime("%d-%m-%Y")
        rows.append([f"L{2000 + i}", f, l, bsn_cell, dob_cell, str(R.randint(1, 8)),
                     P("special.religion", rel) if rel != "geen" else rel, zcell,
                     P("pii.email", email(pf, pl)), P("pii.phone", nl_mobile()), P("pii.postcode", postcode()),
                     start_cell])
    incidents = [["datum", "leerling", "melding"],
                 ["12-09-2026", "L2003", P("special.criminal", "vader zit in detentie (PI Roermond) tot voorjaar 2027")],
                 ["03-10-2026", "L2011", P("special.health", "moeder opgenomen i.v.m. psychose, kind bij oma")],
                 ["17-10-2026", "L2017", P("special.criminal", "contactverbod opgelegd aan vader, niet meegeven")],
                 ["22-10-2026", "L2020", P("special.ethnicity", "gezin is Syrisch-Koerdisch, tolk Kurmanji nodig")],
                 ["05-11-2026", "L2024", P("special.sexual_orientation", "leerling vertelde dat zijn twee moeders gaan trouwen")],
                 ["14-11-2026", "L2008", "ruzie op het schoolplein, opgelost"],
                 ["19-11-2026", "L2029", P("special.religion", "ouders willen geen deelname aan sinterklaas (Jehova's getuigen)")],
                 ["21-11-2026", "", N("special.health", "general school health week, no person", "GGD-week: voorlichting over gezonde voeding")]]
    write_xlsx(f"{base}/administratie/leerlingen_2026-2027.xlsx", {"leerlingen": rows, "meldingen": incidents})

    f, l = person()
    pf, pl = person()
    write_docx(f"{base}/zorg/groeidocument_{f.lower()}.docx", [
        f"Groeidocument {f} {l}",
        f"Leerling: {f} {l}, geboren {P('pii.date_of_birth', dob_fmt(dob(2015, 2018)))}, BSN {P('pii.bsn', bsn_fmt(bsn()))}",
        f"Ouder/verzorger: {pf} {pl}, {P('pii.phone', nl_mobile())}, {P('pii.email', email(pf, pl))}",
        "",
        "Onderwijsbehoeften",
        f"{f} leest op AVI-niveau E4 en heeft extra instructie nodig bij rekenen.",
        f"Sinds groep 4 is er {P('special.health', 'een diagnose ADHD gesteld door Mondriaan')}; {f} gebruikt {P('special.health', 'Concerta 18 mg')}.",
        f"De thuissituatie is onrustig: {P('special.health', 'moeder heeft een burn-out en is in behandeling bij de GGZ')}.",
        f"Het gezin {P('special.ethnicity', 'komt uit Eritrea')} en spreekt thuis Tigrinya.",
        f"{P('special.religion', 'Het gezin is orthodox-christelijk en viert Timkat')}; de school geeft daarvoor verlof.",
        "",
        "Afspraken",
        f"Volgend overleg: {N('pii.date_of_birth', 'meeting date', '12-02-2027')} met intern begeleider.",
        N("special.health", "school policy, no person", "Medicatie wordt alleen verstrekt met een ingevuld medicijnprotocol."),
    ])
    write_text(f"{base}/website/identiteit.html", f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Onze identiteit - Sint-Jozefschool</title></head><body>
<h1>Onze identiteit</h1>
<p>{N("special.religion", "the school's identity, no person", "De Sint-Jozefschool is een rooms-katholieke basisschool")}, maar iedereen is welkom.</p>
<p>{N("special.religion", "school calendar", "Met Pasen en Kerstmis vieren we een viering in de Sint-Christoffelkathedraal")}.</p>
<p>{N("special.religion", "leave policy, no person", "Voor het Suikerfeest en Divali kunt u verlof aanvragen")}.</p>
<p>{N("special.ethnicity", "statement about the school population", "Onze leerlingen hebben meer dan twintig verschillende achtergronden")}.</p>
<p>{N("special.sexual_orientation", "school policy", "Wij besteden aandacht aan seksuele diversiteit, zoals de wet voorschrijft")}.</p>
<p>{N("special.health", "generic care offer", "Kinderen met dyslexie of ADHD krijgen begeleiding van onze intern begeleider")}.</p>
<p>Administratie: {N("pii.phone", "school switchboard", "0475-330000")}, {N("pii.email", "school's general mailbox", "info@sintjozef-roermond.nl")}</p>
<p>Bezoekadres Schoolstraat 4, {N("pii.postcode", "the school's own address", "6041 AB")} Roermond</p>
</body></html>
""")
    write_text(f"{base}/ouderportaal/config/settings.php", f"""<?php
// Ouderportaal Sint-Jozef - productie
return [
    'db' => [
        'dsn'      => 'mysql:host=127.0.0.1;dbname=ouderportaal',
        'user'     => 'portal',
        'password' => '{P("secret.password", password())}',
    ],
    'parnassys' => [
        'client_id'     => 'sintjozef-roermond',
        'client_secret' => '{P("secret.generic", rs(ALNUM, 40))}',
    ],
    'mail' => [
        'sendgrid_key' => '{P("secret.sendgrid_key", sendgrid())}',
        'from'         => 'ouderportaal@sintjozef-roermond.nl',
    ],
    'google_maps_key' => '{P("secret.gcp_api_key", gcp_key())}',
    'app_key'         => 'base64:{P("secret.generic", base64.b64encode(R.randbytes(32)).decode())}',
    'recaptcha_site'  => '{N("secret.generic", "reCAPTCHA site key, public by design", "6L" + rs(ALNUM + "-_", 38))}',
    'admin_password'  => getenv('ADMIN_PASSWORD') ?: '{N("secret.password", "placeholder default", "changeme")}',
];
""")
    lines = []
    for _ in range(20):
        ip = ipv4() if R.random() < 0.7 else ipv6()
        t = f"{R.randint(10, 28):02d}/Nov/2026:{R.randint(7, 22):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d} +0100"
        path = R.choice(["/login", "/berichten", "/rooster/groep5", "/absentie/melden", "/static/app.css"])
        lines.append(f'{P("pii.ip_address", ip)} - - [{t}] "GET {path} HTTP/1.1" 200 {R.randint(300, 9000)} "-" "Mozilla/5.0"')
    lines.insert(3, f'127.0.0.1 - - [10/Nov/2026:03:00:01 +0100] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"')
    lines.insert(9, f'{N("pii.ip_address", "private address of the load balancer", "10.12.0.4")} - - [12/Nov/2026:08:00:00 +0100] "GET /health HTTP/1.1" 200 2 "-" "check"')
    write_text(f"{base}/logs/ouderportaal_access.log", "\n".join(lines) + "\n")


def mental_health_app() -> None:
    """Rustpunt (Utrecht/Gent): mental-health startup with an online therapy app."""
    base = "rustpunt_app"
    diagnoses = ["gegeneraliseerde angststoornis", "depressieve stoornis, matig", "PTSS na ongeval", "burn-out",
                 "paniekstoornis", "sociale fobie", "OCD", "eetstoornis (boulimia)", "ADHD volwassenen",
                 "bipolaire stoornis type II", "alcoholverslaving, in herstel", "rouwverwerking na suïcide partner"]
    meds = ["sertraline 50 mg", "escitalopram 10 mg", "quetiapine 25 mg", "lithium 400 mg", "", "", "venlafaxine 75 mg"]
    sql = ["-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)", "-- Host: db-prod    Database: rustpunt",
           "-- Server version\t8.0.36", "", "CREATE TABLE `clients` (", "  `id` int NOT NULL AUTO_INCREMENT,",
           "  `email` varchar(190) NOT NULL,", "  `phone` varchar(32) DEFAULT NULL,", "  `birth_date` date DEFAULT NULL,",
           "  `bsn` char(9) DEFAULT NULL,", "  `diagnosis` varchar(255) DEFAULT NULL,", "  `medication` varchar(255) DEFAULT NULL,",
           "  `last_ip` varchar(45) DEFAULT NULL,", "  `password_hash` varchar(60) NOT NULL,", "  PRIMARY KEY (`id`)",
           ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", "", "INSERT INTO `clients` VALUES"]
    vals = []
    for i in range(28):
        f, l = person()
        d = dob(1960, 2005)
        med = meds[i % len(meds)]
        diag = diagnoses[i % len(diagnoses)]
        ip = ipv4() if i % 3 else ipv6()
        hsh = "$2y$10$" + rs(ALNUM + "./", 53)
        hcell = N("secret.password", "bcrypt hash, not a password", hsh) if i == 0 else hsh
        vals.append(f"({i + 1},'{P('pii.email', email(f, l))}','{P('pii.phone', nl_mobile())}',"
                    f"'{P('pii.date_of_birth', d.isoformat())}','{P('pii.bsn', bsn())}','{P('special.health', diag)}',"
                    f"{repr(P('special.health', med)) if med else 'NULL'},'{P('pii.ip_address', ip)}','{hcell}')")
    sql.append(",\n".join(vals) + ";")
    sql += ["", "CREATE TABLE `therapists` (`id` int, `name` varchar(80), `big_number` varchar(11));",
            f"INSERT INTO `therapists` VALUES (1,'drs. M. Hoekstra','{N('pii.bsn', 'BIG registration number of a professional', '19051234501')}');"]
    write_text(f"{base}/db/rustpunt_prod_2026-11-30.sql", "\n".join(sql) + "\n")

    notes = [
        ("special.sexual_orientation", "Client vertelt dat hij homo is en dit nog niet aan zijn ouders heeft verteld."),
        ("special.sexual_orientation", "She identifies as bisexual and her partner is a woman."),
        ("special.religion", "Cliënte is moslima; vasten tijdens ramadan beïnvloedt haar slaap."),
        ("special.criminal", "Veroordeeld voor mishandeling in 2021, taakstraf afgerond."),
        ("special.political", "Client is local councillor for GroenLinks-PvdA and fears exposure."),
        ("special.ethnicity", "Cliënt beschrijft discriminatie als Marokkaanse Nederlander op het werk."),
        ("special.health", "Suicidal ideation reported in session 4, safety plan made."),
        ("special.health", "Zwanger (16 weken), medicatie afgebouwd in overleg met huisarts."),
        ("special.criminal", "Client is on probation after a drink-driving conviction."),
        ("special.sexual_orientation", "Cliënt is lesbisch en worstelt met afwijzing door familie."),
        ("special.health", "Trekt zich terug na miskraam in augustus."),
        ("special.religion", "Patient is a practising Catholic and wants a therapist who respects that."),
        ("special.ethnicity", "Cliënt is van Surinaams-Hindoestaanse afkomst; familie oefent druk uit."),
        ("special.political", "Cliënte is actief lid van de Partij voor de Dieren en voert campagne."),
        ("special.health", "Chronic pain after hernia surgery, uses oxycodone."),
        ("special.biometric", "Cliënt heeft stemherkenning voor inloggen aangezet; voiceprint opgeslagen."),
    ]
    rows = [["session_id", "client_id", "date", "therapist", "note"]]
    for i, (k, text) in enumerate(notes):
        rows.append([str(uuid.UUID(int=R.getrandbits(128))), str(R.randint(1, 28)), f"2026-11-{R.randint(1, 28):02d}",
                     R.choice(["MH", "JV", "SK"]), P(k, text)])
    rows.insert(5, [str(uuid.UUID(int=R.getrandbits(128))), "9", "2026-11-12", "MH",
                    N("special.health", "template text of the app, no person", "Vul hier de sessienotities in (geen diagnose)")])
    rows.insert(9, [str(uuid.UUID(int=R.getrandbits(128))), "14", "2026-11-13", "JV", "Geen bijzonderheden, volgende sessie over 2 weken."])
    write_csv(f"{base}/exports/session_notes.tsv", rows, "\t")

    log = []
    for i in range(18):
        f, l = person()
        entry = {"ts": f"2026-11-29T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}.{R.randint(0, 999):03d}Z",
                 "level": "info", "event": R.choice(["login", "voice_login", "session_start", "mood_entry"]),
                 "user": P("pii.email", email(f, l)), "ip": P("pii.ip_address", ipv4() if i % 4 else ipv6())}
        if entry["event"] == "voice_login" or i % 5 == 0:
            entry["event"] = "voice_login"
            entry["voiceprint"] = P("special.biometric", base64.b64encode(R.randbytes(96)).decode())
        if i == 7:
            entry["request_id"] = N("secret.generic", "request UUID", str(uuid.UUID(int=R.getrandbits(128))))
        if i == 11:
            entry["mood"] = P("special.health", "zelfmoordgedachten")
        log.append(json.dumps(entry, ensure_ascii=False))
    write_text(f"{base}/logs/api-2026-11-29.jsonl", "\n".join(log) + "\n")

    sk = stripe()
    write_text(f"{base}/backend/src/config.ts", f"""// Rustpunt API configuration
export const config = {{
  stripe: {{
    secretKey: process.env.STRIPE_SECRET_KEY ?? "{P("secret.stripe_key", sk)}",
    publishableKey: "{N("secret.stripe_key", "Stripe publishable key, public by design", "pk_live_" + rs(ALNUM, 99))}",
    webhookSecret: "{P("secret.generic", whsec())}",
  }},
  openai: {{ apiKey: "{P("secret.openai_key", openai())}", model: "gpt-4o-mini" }},
  jwtSecret: "{P("secret.generic", rs(ALNUM, 64))}",
  firebase: {{ apiKey: "{N("secret.gcp_api_key", "Firebase web config key, public by design (client-side)", gcp_key())}", projectId: "rustpunt-app" }},
  mongoUrl: "{P("secret.connection_string", f"mongodb+srv://rustpunt-api:{rs(ALNUM, 20)}@cluster0.x1abc.mongodb.net/prod")}",
  buildHash: "{N("secret.generic", "build checksum (sha256)", sha(64))}",
}};
""")
    write_text(f"{base}/backend/test/fixtures/auth.ts", f"""// Test fixtures - not real users
export const testUser = {{
  email: "{N("pii.email", "example.com test address", "jan.tester@example.com")}",
  token: "{P("secret.jwt", jwt({"sub": "123", "iat": 1764500000, "role": "client"}))}",
  bsn: "{N("pii.bsn", "RvIG test BSN", "999993653")}",
  card: "{N("pii.credit_card", "Stripe test card number in a test fixture", "4242424242424242")}",
  phone: "{N("pii.phone", "fictional placeholder number", "0612345678")}",
  password: "{N("secret.password", "test fixture placeholder", "Password123!")}",
}};
""")
    gh = gh_token()
    write_text(f"{base}/.github/workflows/deploy.yml", f"""name: deploy
on:
  push:
    branches: [main]
env:
  REGISTRY: ghcr.io/rustpunt
  SENTRY_AUTH_TOKEN: {P("secret.generic", "sntrys_" + b64url(json.dumps({"iat": 1764000000, "url": "https://sentry.io", "org": "rustpunt"}).encode()) + "_" + rs(ALNUM, 43))}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{N("secret.generic", "pinned action commit SHA", sha())}
      - name: login
        run: echo "{P("secret.github_token", gh)}" | docker login ghcr.io -u rustpunt-bot --password-stdin
      - name: migrate
        env:
          DB_PASSWORD: ${{{{ secrets.DB_PASSWORD }}}}
        run: ./scripts/migrate.sh
      - name: notify
        run: curl -X POST -d '{{"text":"deployed"}}' {P("secret.slack_token", slack_hook())}
""")
    f, l = person()
    write_text(f"{base}/support/klacht_{l.split()[-1].lower()}.eml", f"""From: {f} {l} <{P("pii.email", email(f, l))}>
To: support@rustpunt.app
Subject: Mijn gegevens gelekt?
Date: Mon, 23 Nov 2026 21:14:03 +0100
Message-ID: <{uuid.UUID(int=R.getrandbits(128))}@outlook.com>
Content-Type: text/plain; charset="utf-8"

Beste Rustpunt,

Ik kreeg een e-mail met de notities van een andere cliënt erin. Ik gebruik jullie app omdat
{P("special.health", "ik sinds de zomer depressief ben en antidepressiva slik")}. Niemand weet dat
{P("special.sexual_orientation", "ik met een man samenwoon")}, ook mijn werkgever niet.
Als dit uitlekt ben ik mijn baan kwijt.

Bel mij alstublieft: {P("pii.phone", nl_mobile())}. Mijn klantnummer is RP-{R.randint(10000, 99999)}.

Met vriendelijke groet,
{f} {l}
""")
    write_text(f"{base}/website/blog-somberheid.html", f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Somber? Zo herken je een depressie</title></head><body>
<h1>Somber of depressief?</h1>
<p>{N("special.health", "public health information", "Bijna één op de vijf Nederlanders krijgt ooit een depressie")}.</p>
<p>{N("special.health", "public health information", "Symptomen van een angststoornis zijn hartkloppingen, zweten en piekeren")}.</p>
<p>{N("special.health", "product description", "Onze therapeuten behandelen burn-out, PTSS en paniekklachten online")}.</p>
<p>{N("special.sexual_orientation", "service description, no person", "Wij hebben therapeuten met ervaring met LHBTIQ+-thema's")}.</p>
<p>{N("special.religion", "service description, no person", "Geloof en zingeving mogen onderwerp zijn van de therapie")}.</p>
<p>{N("special.biometric", "feature description, no person", "Inloggen met je stem of gezicht is optioneel")}.</p>
<p>{N("special.health", "crisis line", "Denk je aan zelfmoord? Bel 113 of 0800-0113")}.</p>
<p>Contact: {N("pii.email", "company's general mailbox", "hallo@rustpunt.app")}</p>
</body></html>
""")


def funeral_home() -> None:
    """Uitvaartzorg Van der Linde, Alkmaar: funeral home."""
    base = "uitvaart_vanderlinde"
    for n in range(2):
        f, l = person()
        d = dob(1930, 1960)
        nf, nl = person()
        rel = [("special.religion", "Overledene was moslim; ritueel wassen en begraven binnen 24 uur"),
               ("special.religion", "Katholieke uitvaartmis in de Sint-Laurentiuskerk gewenst")][n]
        cause = [("special.health", "Overleden aan de gevolgen van longkanker"),
                 ("special.health", "Overleden na een beroerte, had ook de ziekte van Alzheimer")][n]
        write_docx(f"{base}/dossiers/uitvaartopdracht_{2026100 + n}.docx", [
            f"Uitvaartopdracht {2026100 + n}",
            f"Overledene: {f} {l}",
            f"Geboren: {P('pii.date_of_birth', dob_fmt(d))} te {R.choice(CITIES)}",
            f"BSN: {P('pii.bsn', bsn_fmt(bsn()))}",
            f"Datum overlijden: {N('pii.date_of_birth', 'date of death', '2' + str(R.randint(1, 2)) + '-11-2026')}",
            P(*cause) + ".",
            "",
            f"Opdrachtgever: {nf} {nl}",
            f"Adres: {R.choice(STREETS)} {R.randint(1, 99)}, {P('pii.postcode', postcode())} Alkmaar",
            f"Telefoon: {P('pii.phone', nl_mobile())}, e-mail {P('pii.email', email(nf, nl))}",
            f"Rekening voor de factuur: {P('pii.iban', iban(R.choice(['NL', 'BE', 'DE'])))}",
            "",
            "Wensen",
            P(*rel) + ".",
            "Muziek: Mozart, Requiem; geen bloemen maar een gift aan KWF.",
            N("special.religion", "standard contract clause", "Wij verzorgen uitvaarten van elke levensbeschouwing."),
        ])
    write_pdf(f"{base}/dossiers/akten_van_overlijden_nov.pdf", [
        [f"Verklaring van overlijden - dossier {2026110 + i}",
         f"Naam overledene: {' '.join(person())}",
         f"Geboortedatum: {P('pii.date_of_birth', dob_fmt(dob(1925, 1965)))}",
         f"Identiteitsbewijs: paspoort {P('pii.passport', nl_passport())}" if i != 1 else
         f"Identiteitsbewijs: Belgische identiteitskaart {P('pii.passport', be_eid())}, rijksregisternummer {P('pii.national_id', be_nn_for(dob(1940, 1950)))}",
         f"Schouwarts: natuurlijke dood. {P('special.health', ['Bekend met hartfalen en COPD', 'Leed aan ALS', 'Uitgezaaide darmkanker, palliatieve sedatie'][i])}.",
         f"Wens: {P('special.religion', ['begrafenis volgens joodse traditie (tahara)', 'crematie met hindoeïstische rituelen', 'protestantse rouwdienst, ds. Mulder'][i])}",
         f"Contactpersoon: {P('pii.phone', nl_mobile() if i != 1 else be_mobile())}",
         "Pagina afgedrukt uit UitvaartNet, versie 4.2.1"] for i in range(3)])
    rows = [["factuur", "debiteur", "iban", "bedrag", "omschrijving", "vervaldatum"]]
    for i in range(14):
        f, l = person()
        rows.append([f"F26-{R.randint(1000, 9999)}", f"{f} {l}", P("pii.iban", iban(R.choice(["NL", "NL", "BE", "DE", "LU", "FR"]))),
                     f"{R.randint(3000, 12000)},00", R.choice(["uitvaart", "crematie", "begrafenis", "grafrechten"]),
                     f"{R.randint(1, 28):02d}-12-2026"])
    rows.insert(4, ["F26-0000", "TEST", N("pii.iban", "IBAN from documentation (ING example)", "NL91ABNA0417164300"), "0,00", "test", "01-01-2026"])
    write_csv(f"{base}/boekhouding/debiteuren.csv", rows, ",", "\r\n")
    write_text(f"{base}/website/tradities.html", f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Uitvaarttradities</title></head><body>
<h1>Uitvaarten in elke traditie</h1>
<p>{N("special.religion", "general description of a tradition", "Bij een islamitische uitvaart wordt de overledene gewassen en in een wit doek gewikkeld")}.</p>
<p>{N("special.religion", "general description of a tradition", "In de joodse traditie vindt de begrafenis zo snel mogelijk plaats")}.</p>
<p>{N("special.religion", "general description of a tradition", "Hindoes kiezen meestal voor crematie, vaak met as-verstrooiing")}.</p>
<p>{N("special.religion", "opening hours", "Ons rouwcentrum heeft een gebedsruimte, open van 8 tot 22 uur")}.</p>
<p>{N("special.health", "public information", "Na euthanasie gelden andere regels voor de lijkschouwing")}.</p>
<p>{N("special.ethnicity", "service description", "Wij werken met uitvaartleiders van Turkse, Marokkaanse en Surinaamse afkomst")}.</p>
<p>24 uur per dag bereikbaar: {N("pii.phone", "business phone number", "072-5112233")}</p>
</body></html>
""")
    write_text(f"{base}/ops/backup.sh", f"""#!/usr/bin/env bash
# Nachtelijke back-up van UitvaartNet naar Backblaze B2
set -euo pipefail
export B2_APPLICATION_KEY_ID="{N("secret.generic", "B2 key id, an identifier", "0051" + rs("0123456789abcdef", 21))}"
export B2_APPLICATION_KEY="{P("secret.generic", "K005" + rs(ALNUM, 27))}"
export PGPASSWORD='{P("secret.password", password())}'
pg_dump -h localhost -U uitvaartnet uitvaartnet | gzip > /backup/uitvaartnet-$(date +%F).sql.gz
sha256sum /backup/*.gz > /backup/SHA256SUMS  # e.g. {N("secret.generic", "sha256 checksum example", sha(64))}
mysql -u root -p'{P("secret.password", password())}' -e 'FLUSH LOGS'
""")


def driving_school() -> None:
    """Rijschool Verkeersklaar, Gent: Belgian driving school."""
    base = "rijschool_verkeersklaar"
    rows = [["leerling", "rijksregisternummer", "geboortedatum", "gsm", "email", "rijbewijs", "medisch attest", "opmerking"]]
    med = ["", "diabetes, attest endocrinoloog geldig tot 2028", "", "epilepsie, 1 jaar aanvalsvrij (attest neuroloog)",
           "", "brilplicht (code 01)", "", "", "slaapapneu, CPAP", "", "", "ADHD, rijgeschiktheid onderzocht CARA"]
    rem = ["", P("special.criminal", "verval recht tot sturen 6 maanden (politierechtbank Gent, 2025)"), "",
           P("special.criminal", "veroordeeld voor rijden onder invloed, herstelexamens opgelegd"), "", "",
           N("special.criminal", "administrative step, no offence", "voorlopig rijbewijs aangevraagd"), "",
           P("special.religion", "geen lessen op vrijdagmiddag (vrijdaggebed)"), "", "", ""]
    for i in range(26):
        f, l = person()
        d = dob(1985, 2008)
        m = med[i % len(med)]
        mcell = P("special.health", m) if m else ""
        rows.append([f"{f} {l}", P("pii.national_id", be_nn_for(d)), P("pii.date_of_birth", dob_fmt(d)),
                     P("pii.phone", be_mobile() if i % 4 else nl_mobile()), P("pii.email", email(f, l)),
                     P("pii.drivers_license", licence()) if i % 3 == 0 else "", mcell, rem[i % len(rem)]])
    write_xlsx(f"{base}/leerlingen/leerlingen_2026.xlsx", {"Leerlingen": rows})
    write_text(f"{base}/planning/src/main/kotlin/be/verkeersklaar/PlanningConfig.kt", f"""package be.verkeersklaar

object PlanningConfig {{
    const val DB_URL = "{P("secret.connection_string", f"jdbc:postgresql://planning-db:5432/planning?user=planning&password={rs(ALNUM, 16)}")}"
    const val GITLAB_TOKEN = "{P("secret.gitlab_token", glpat())}"
    const val SLACK_BOT = "{P("secret.slack_token", slack_bot())}"
    const val DEMO_RIJKSREGISTER = "{N("pii.national_id", "invalid placeholder national number", "00.00.00-000.00")}"
    const val VERSION = "{N("pii.phone", "version string", "2.14.3")}"
    // Lesblok van 50 minuten; telefoon examencentrum {N("pii.phone", "public exam centre number", "09 216 80 00")}
}}
""")
    f, l = person()
    d = dob(1995, 2006)
    write_text(f"{base}/mail/inschrijving_{l.split()[-1].lower()}.eml", f"""From: {f} {l} <{P("pii.email", email(f, l))}>
To: info@verkeersklaar.be
Subject: Inschrijving rijlessen B
Date: Thu, 19 Nov 2026 10:02:44 +0100
Content-Type: text/plain; charset="utf-8"

Goeiedag,

Ik wil mij inschrijven voor rijlessen. Mijn gegevens:
Rijksregisternummer: {P("pii.national_id", be_nn_for(d, True))}
Geboortedatum: {P("pii.date_of_birth", f"{d.day} {MONTHS[d.month - 1]} {d.year}")}
Identiteitskaart: {P("pii.passport", be_eid())}
Rekeningnummer voor terugbetaling: {P("pii.iban", iban("BE", True))}
GSM: {P("pii.phone", be_mobile())}

Ik moet wel melden dat {P("special.health", "ik epilepsie heb en medicatie neem (Keppra)")}; mijn neuroloog
heeft een attest gegeven. Daarnaast {P("special.criminal", "had ik vorig jaar een rijverbod van de politierechter")}.

Vriendelijke groeten,
{f} {l}
""")
    write_text(f"{base}/infra/main.tf", f"""terraform {{
  backend "s3" {{
    bucket = "verkeersklaar-tfstate"
    key    = "prod/terraform.tfstate"
    region = "eu-west-1"
  }}
}}

provider "aws" {{
  region     = "eu-west-1"
  access_key = "{P("secret.aws_access_key", aws_key())}"
  secret_key = "{P("secret.aws_secret_key", aws_secret())}"
}}

resource "aws_db_instance" "planning" {{
  identifier = "planning"
  engine     = "postgres"
  username   = "planning"
  password   = "{P("secret.password", password())}"
  kms_key_id = "{N("secret.generic", "KMS key ARN, an identifier", f"arn:aws:kms:eu-west-1:{R.randint(10**11, 10**12 - 1)}:key/{uuid.UUID(int=R.getrandbits(128))}")}"
}}

variable "db_password" {{
  default = "{N("secret.password", "placeholder", "REPLACE_ME")}"
}}
""")
    write_text(f"{base}/website/medische-geschiktheid.html", f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Rijgeschiktheid</title></head><body>
<h1>Medische rijgeschiktheid</h1>
<p>{N("special.health", "public information, no person", "Wie epilepsie heeft, moet doorgaans een jaar aanvalsvrij zijn voor rijbewijs B")}.</p>
<p>{N("special.health", "public information, no person", "Bij diabetes met insuline is een attest van een arts verplicht")}.</p>
<p>{N("special.criminal", "public information, no person", "Na een verval van het recht tot sturen kan de rechter herstelexamens opleggen")}.</p>
<p>{N("special.criminal", "public information, no person", "Een alcoholslot kan worden opgelegd bij rijden onder invloed")}.</p>
<p>{N("special.religion", "opening hours", "Op vrijdag sluiten wij om 12 uur")}.</p>
<p>Bel {N("pii.phone", "business number", "09 233 44 55")} of mail {N("pii.email", "business mailbox", "info@verkeersklaar.be")}.</p>
</body></html>
""")
    cal = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Verkeersklaar//Planning 2.14//NL"]
    for i in range(8):
        f, l = person()
        day = R.randint(1, 28)
        cal += ["BEGIN:VEVENT", f"UID:{N('secret.generic', 'event UUID', str(uuid.UUID(int=R.getrandbits(128))))}@verkeersklaar.be" if i < 2 else f"UID:les-{R.randint(10000, 99999)}@verkeersklaar.be",
                f"DTSTART:202612{day:02d}T{R.randint(8, 17):02d}0000", f"DTEND:202612{day:02d}T{R.randint(8, 17):02d}5000",
                f"SUMMARY:Rijles {f} {l}", f"DESCRIPTION:Ophalen thuis. GSM {P('pii.phone', be_mobile())}" +
                (f". {P('special.health', 'Leerling is doof - instructies via tablet')}" if i == 3 else ""),
                f"ATTENDEE;CN={f} {l}:mailto:{P('pii.email', email(f, l))}", "END:VEVENT"]
    cal.append("END:VCALENDAR")
    write_text(f"{base}/planning/export/lessen_december.ics", "\n".join(cal) + "\n", "\r\n")


def arbodienst() -> None:
    """ArboPunt Brabant, Eindhoven: occupational-health service."""
    base = "arbopunt_brabant"
    reasons = ["hernia L5-S1, fysiotherapie", "burn-out, begeleiding POH-GGZ", "zwangerschapsverlof", "knieoperatie (meniscus)",
               "depressie, start behandeling", "griep", "borstkanker, chemotherapie", "long covid", "verkoudheid",
               "alcoholprobleem, opname Novadic", "migraine", "RSI pols", "hartinfarct, revalidatie", "conflict met leidinggevende",
               "fibromyalgie", "angstklachten na overval"]
    rows: list[list[object]] = [["werknemer", "bsn", "geboortedatum", "werkgever", "eerste ziektedag", "reden verzuim", "telefoon", "notitie"]]
    notes = {2: P("special.political", "werknemer is gemeenteraadslid (SP) en wil uren aanpassen"),
             5: P("special.criminal", "werknemer is in voorlopige hechtenis genomen, geen verzuim maar afwezig"),
             7: "lid van de FNV, vakbond is betrokken bij gesprek",
             9: P("special.ethnicity", "werknemer voelt zich gediscrimineerd om zijn Turkse afkomst"),
             11: P("special.biometric", "vingerafdrukscanner prikklok: template gewist op verzoek"),
             13: P("special.religion", "vraagt aangepaste werktijden i.v.m. ramadan"),
             15: N("special.health", "employer policy, no person", "protocol: ziekmelden voor 9 uur bij leidinggevende")}
    for i in range(30):
        f, l = person()
        d = dob(1960, 2002)
        b = bsn()
        first_day = dt.date(2026, R.randint(1, 11), R.randint(1, 28))
        r = reasons[i % len(reasons)]
        rcell = r if r == "conflict met leidinggevende" else P("special.health", r)
        bcell: object = ("typed", "pii.bsn", int(b), b) if i % 4 == 1 else P("pii.bsn", bsn_fmt(b))
        dcell: object = ("typed", "pii.date_of_birth", d, d.isoformat()) if i % 3 == 0 else P("pii.date_of_birth", dob_fmt(d))
        fd_cell: object = N("pii.date_of_birth", "first day of absence", first_day.strftime("%d-%m-%Y")) if i < 3 else first_day
        rows.append([f"{f} {l}", bcell, dcell, R.choice(["Bakkerij Van Gerwen", "Installatiebedrijf Sterk", "Gemeente Son", "ZorgSaam Thuis"]),
                     fd_cell, rcell, P("pii.phone", nl_mobile()), notes.get(i, "")])
    write_xlsx(f"{base}/verzuim/verzuimregister_q4.xlsx", {"verzuim": rows})

    pages = []
    for i in range(4):
        f, l = person()
        d = dob(1965, 1998)
        lines = [f"Probleemanalyse bedrijfsarts - casus {26400 + i}",
                 f"Werknemer: {f} {l}, geboren {P('pii.date_of_birth', dob_fmt(d))}",
                 f"BSN {P('pii.bsn', bsn_fmt(bsn()))}, adres {R.choice(STREETS)} {R.randint(1, 80)}, {P('pii.postcode', postcode())} Eindhoven",
                 ["Diagnose (alleen voor bedrijfsarts): " + P("special.health", "recidiverende depressie"),
                  "Diagnose (alleen voor bedrijfsarts): " + P("special.health", "reumatoide artritis, MTX"),
                  "Belastbaarheid: " + P("special.health", "na CVA beperkt in concentratie"),
                  "Mededeling aan werkgever: werknemer is volledig arbeidsongeschikt."][i],
                 "Advies: opbouw naar 4 x 4 uur in 6 weken, evaluatie na 3 weken.",
                 ["", P("special.sexual_orientation", "Spanningen sinds zij haar relatie met een vrouw bekendmaakte op het werk."),
                  "", P("special.criminal", "Werkgever meldt een strafrechtelijke veroordeling voor verduistering.")][i],
                 f"Evaluatiedatum: {N('pii.date_of_birth', 'evaluation date', dt.date(2027, 1, R.randint(1, 28)).strftime('%d-%m-%Y'))}" if i == 0 else "Evaluatie volgt.",
                 "ArboPunt Brabant B.V. - Vestdijk 100 - 5611 CE Eindhoven"]
        pages.append([x for x in lines if x != ""])
    write_pdf(f"{base}/rapportages/probleemanalyses_nov.pdf", pages)

    f, l = person()
    write_text(f"{base}/mail/terugkoppeling_werkgever.eml", f"""From: Casemanager ArboPunt <casemanager@arbopunt-brabant.nl>
To: hr@installatiebedrijf-sterk.nl
Cc: {f} {l} <{P("pii.email", email(f, l))}>
Subject: Terugkoppeling spreekuur {f} {l}
Date: Tue, 24 Nov 2026 15:30:00 +0100
Content-Type: text/plain; charset="utf-8"

Geachte heer Sterk,

Uw medewerker {f} {l} (geboortedatum {P("pii.date_of_birth", dob_fmt(dob(1970, 1995)))}) was vandaag op het spreekuur.
Wij mogen u geen diagnose noemen. Helaas noemde de medewerker zelf dat {P("special.health", "hij wordt behandeld voor prostaatkanker")};
deze informatie hoort niet in uw personeelsdossier.

{N("special.health", "generic privacy statement", "Medische gegevens worden alleen door de bedrijfsarts verwerkt.")}
U kunt mij bereiken op {P("pii.phone", nl_landline())}. Het dossier staat op naam van BSN {P("pii.bsn", bsn())}.

Met vriendelijke groet,
Casemanager ArboPunt Brabant
{N("pii.phone", "company switchboard", "040-2901000")}
""")
    write_text(f"{base}/verzuimportaal/internal/config/config.go", f"""package config

// Settings of the absence portal; production values come from Vault in theory.
const (
	DatabaseURL   = "{P("secret.connection_string", f"postgres://verzuim:{rs(ALNUM, 20)}@10.20.0.5:5432/verzuim?sslmode=require")}"
	RedisURL      = "{P("secret.connection_string", f"redis://:{rs(ALNUM, 24)}@10.20.0.6:6379/1")}"
	BunqAPIKey    = "{P("secret.bunq_key", hex64())}"
	ExactSecret   = "{P("secret.exact_online", rs(ALNUM, 12))}"
	AzureClientID = "{N("secret.azure_client_secret", "client id is a public identifier", str(uuid.UUID(int=R.getrandbits(128))))}"
	AzureSecret   = "{P("secret.azure_client_secret", azure_secret())}"
	PasswordMinLength = 12
	PasswordField = "{N("secret.password", "setting named like a secret, not a secret", "wachtwoord")}"
	DefaultToken  = "{N("secret.generic", "placeholder", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")}"
)
""")
    write_text(f"{base}/deploy/helm/values-prod.yaml", f"""replicaCount: 2
image:
  repository: registry.arbopunt-brabant.nl/verzuimportaal
  tag: "3.8.1"
  digest: "sha256:{N("secret.generic", "image digest", sha(64))}"
env:
  AZURE_STORAGE_CONNECTION_STRING: "{P("secret.azure_storage_key", azure_storage("arbopuntdocs"))}"
  SENDGRID_API_KEY: "{P("secret.sendgrid_key", sendgrid())}"
  ADYEN_API_KEY: "{P("secret.adyen_key", adyen())}"
  OIDC_CLIENT_SECRET: "{P("secret.azure_client_secret", azure_secret())}"
  LOG_LEVEL: info
  SUPPORT_PHONE: "{N("pii.phone", "public support number", "040-2901000")}"
tls:
  key: |
    {P("secret.private_key", pem("ec").replace(chr(10), chr(10) + "    "))}
""")
    write_text(f"{base}/deploy/docker-compose.yml", f"""services:
  portal:
    image: registry.arbopunt-brabant.nl/verzuimportaal:3.8.1
    environment:
      - DATABASE_URL={P("secret.connection_string", f"postgres://verzuim:{rs(ALNUM, 16)}@db:5432/verzuim")}
      - JWT_SECRET={P("secret.generic", rs(ALNUM, 40))}
      - ADMIN_PASSWORD=${{ADMIN_PASSWORD:?set it}}
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: {P("secret.password", password())}
  mail:
    image: axllent/mailpit
    environment:
      MP_SMTP_AUTH: "test:{N("secret.password", "local test mail server credentials", "test")}"
""")
    write_text(f"{base}/ops/deploy_key", pem("ed25519") + "\n")
    LABELS[f"{base}/ops/deploy_key"] = {"positives": [{"type": "secret.private_key",
                                                       "value": (ROOT / f"{base}/ops/deploy_key").read_text().strip(),
                                                       "line": 1, "where": "line 1"}], "negatives": []}
    write_text(f"{base}/docs/README.md", f"""# Verzuimportaal

Het portaal registreert verzuim van werknemers van aangesloten werkgevers.

## Velden
- `reden_verzuim`: {N("special.health", "field description, no person", "medische reden, alleen zichtbaar voor de bedrijfsarts")}
- `bsn`: 9 cijfers, gevalideerd met de elfproef (bijvoorbeeld {N("pii.bsn", "documentation example BSN", "123456782")})
- `telefoon`: bijvoorbeeld {N("pii.phone", "documentation example number", "06-12345678")}

## Lokaal draaien
```
export DATABASE_URL={N("secret.connection_string", "documentation placeholder", "postgres://user:pass@localhost/verzuim")}
export EXACT_CLIENT_SECRET={N("secret.exact_online", "placeholder", "<your-exact-secret>")}
export BUNQ_API_KEY={N("secret.bunq_key", "placeholder", "sandbox_" + "0" * 56)}
```

## Beveiliging
{N("special.biometric", "policy text, no person", "Wij slaan geen vingerafdrukken of gezichtsscans op")}.
{N("special.criminal", "policy text, no person", "Een VOG is verplicht voor alle medewerkers")}.
{N("special.political", "policy text, no person", "ArboPunt is politiek neutraal en sponsort geen partijen")}.
Contact: {N("pii.email", "documentation address", "support@example.com")}
""")


def housing_none() -> None:
    """Extra: shared vCards and syslog of the ArboPunt/Rustpunt office building (pii, secrets)."""
    base = "rustpunt_app"
    cards = []
    for i in range(6):
        f, l = person()
        d = dob(1970, 1999)
        cards.append("\n".join(["BEGIN:VCARD", "VERSION:3.0", f"N:{l};{f};;;", f"FN:{f} {l}", "ORG:Rustpunt B.V.",
                                f"TEL;TYPE=CELL:{P('pii.phone', nl_mobile())}", f"EMAIL;TYPE=WORK:{P('pii.email', email(f, l, 'rustpunt.app'))}",
                                f"ADR;TYPE=HOME:;;{R.choice(STREETS)} {R.randint(1, 200)};Utrecht;;{P('pii.postcode', postcode())};Nederland",
                                f"BDAY:{P('pii.date_of_birth', d.isoformat())}", "END:VCARD"]))
    write_text(f"{base}/team/team.vcf", "\n".join(cards) + "\n", "\r\n")
    lines = []
    for i in range(14):
        ip = ipv4()
        ts = f"Nov 30 {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}"
        if i % 3 == 0:
            lines.append(f"{ts} app-01 sshd[{R.randint(1000, 60000)}]: Failed password for invalid user admin from {P('pii.ip_address', ip)} port {R.randint(1024, 65535)} ssh2")
        elif i % 3 == 1:
            lines.append(f"{ts} app-01 sshd[{R.randint(1000, 60000)}]: Accepted publickey for deploy from {P('pii.ip_address', ip)} port {R.randint(1024, 65535)} ssh2: ED25519 SHA256:{N('secret.generic', 'SSH key fingerprint', base64.b64encode(R.randbytes(32)).decode().rstrip('='))}" if i == 1 else
                         f"{ts} app-01 sshd[{R.randint(1000, 60000)}]: Accepted publickey for deploy from {P('pii.ip_address', ip)} port {R.randint(1024, 65535)} ssh2")
        else:
            f, l = person()
            lines.append(f"{ts} app-01 postfix/smtp[{R.randint(1000, 60000)}]: {rs('0123456789ABCDEF', 10)}: to=<{P('pii.email', email(f, l))}>, relay=mx.example.net[{N('pii.ip_address', 'documentation address (TEST-NET-3)', '203.0.113.25')}]:25, status=sent" if i == 2 else
                         f"{ts} app-01 postfix/smtp[{R.randint(1000, 60000)}]: {rs('0123456789ABCDEF', 10)}: to=<{P('pii.email', email(f, l))}>, status=sent (250 2.0.0 OK)")
    write_text(f"{base}/logs/syslog", "\n".join(lines) + "\n")
    write_text(f"{base}/backend/settings.toml", f"""[server]
port = 8080
trusted_proxies = ["{N("pii.ip_address", "private network range", "10.0.0.0/8")}"]

[mollie]
api_key = "{P("secret.mollie_key", mollie("test_"))}"

[openai]
api_key = "{P("secret.openai_key", openai())}"

[stripe]
restricted_key = "{P("secret.stripe_key", stripe("rk_live_"))}"

[crypto]
pepper = "{P("secret.generic", rs(ALNUM, 32))}"
example_hash = "{N("secret.generic", "md5 of an empty string (documentation)", "d41d8cd98f00b204e9800998ecf8427e")}"
""")
    write_text(f"{base}/backend/app/config.ini", f"""[database]
host = db-prod
user = rustpunt
password = {P("secret.password", password())}

[google]
service_account_key = {P("secret.gcp_api_key", gcp_key())}

[github]
token = {P("secret.github_token", gh_token("gho_"))}

[auth]
jwt_example = {N("secret.jwt", "truncated JWT placeholder in documentation", "eyJhbGciOiJIUzI1NiJ9.xxxxx.yyyyy")}
session_cookie = {P("secret.jwt", jwt({"sub": "ops-admin", "exp": 1767225600}))}
""")


def recruitment_csharp() -> None:
    """ArboPunt's re-integration partner: C# payroll sync and CSV of candidates (pii variety)."""
    base = "arbopunt_brabant"
    write_text(f"{base}/reintegratie/PayrollSync.cs", f"""using System;
using Azure.Storage.Blobs;

namespace ArboPunt.Reintegratie
{{
    public class PayrollSync
    {{
        private const string Storage = "{P("secret.azure_storage_key", azure_storage("arbopuntpayroll"))}";
        private const string Sql = "{P("secret.connection_string", f"Server=tcp:arbopunt.database.windows.net,1433;Database=payroll;User ID=sync;Password={rs(ALNUM, 18)};Encrypt=True;")}";
        private const string StripeKey = "{P("secret.stripe_key", stripe())}";
        private const string TestCard = "{N("pii.credit_card", "Adyen/Stripe test card in code", "5555555555554444")}";

        public void Run() => Console.WriteLine("sync " + DateTime.UtcNow);
    }}
}}
""")
    rows = [["naam", "nationaliteit", "document", "documentnummer", "nationaal nummer", "iban", "telefoon", "geboortedatum", "rijbewijs"]]
    for i in range(24):
        f, l = person()
        d = dob(1965, 2003)
        nat = ["NL", "BE", "DE", "FR"][i % 4]
        if nat == "NL":
            doc, num, nid, ib, ph = "paspoort", nl_passport(), P("pii.bsn", bsn()), iban("NL"), nl_mobile()
        elif nat == "BE":
            doc, num, nid, ib, ph = "paspoort", be_passport(), P("pii.national_id", be_nn_for(d)), iban("BE"), be_mobile()
        elif nat == "DE":
            doc, num, nid, ib = "Reisepass", de_passport(), P("pii.national_id", de_steuer_id()), iban("DE")
            ph = "+49 " + R.choice(["151", "160", "170", "176"]) + " " + rs(string.digits, 8)
        else:
            doc, num, nid, ib = "passeport", fr_passport(), P("pii.national_id", fr_nir_for(d, R.choice([1, 2]))), iban("FR")
            ph = "+33 6 " + " ".join(rs(string.digits, 2) for _ in range(4))
        rows.append([f"{f} {l}", nat, doc, P("pii.passport", num), nid, P("pii.iban", ib), P("pii.phone", ph),
                     P("pii.date_of_birth", dob_fmt(d)), P("pii.drivers_license", licence()) if i % 3 == 0 else ""])
    rows.insert(6, ["Voorbeeld Persoon", "NL", "paspoort", N("pii.passport", "specimen passport number (Rijksoverheid example)", "SPECI2014"),
                    N("pii.bsn", "RvIG test BSN", "999990019"), "", "", N("pii.date_of_birth", "placeholder", "01-01-1900"),
                    N("pii.drivers_license", "placeholder", "0000000000")])
    write_csv(f"{base}/reintegratie/kandidaten_grensarbeid.csv", rows, ";")
    write_text(f"{base}/CHANGELOG.md", f"""# Changelog

## 3.8.1 - {N("pii.date_of_birth", "release date", "2026-11-18")}
- Fix: export of `verzuimregister` used the wrong date format.
- Security: rotated Sendgrid key (old key id {N("secret.sendgrid_key", "partial key id, not a key", "SG.xxxxx")}).

## 3.8.0 - {N("pii.date_of_birth", "release date", "2026-10-02")}
- {N("special.biometric", "feature description, no person", "Removed fingerprint login for the time clock integration")}.
- Order {N("pii.bsn", "order number passing the 11-proof", eleven_proof_nonbsn())} reprocessed after outage.
- {N("special.health", "feature description", "New field for occupational disease codes (BK-codes)")}.
- Bumped dependency checksum {N("secret.generic", "checksum", sha(40))}.
""")


def it_vendor() -> None:
    """The school's and the vet clinic's shared IT supplier repo (secret sprawl, many vendors)."""
    base = "basisschool_sint_jozef"
    sec = []
    write_text(f"{base}/it-beheer/k8s/secret-ouderportaal.yaml", f"""apiVersion: v1
kind: Secret
metadata:
  name: ouderportaal
  namespace: scholen
  uid: {N("secret.generic", "Kubernetes object UID", str(uuid.UUID(int=R.getrandbits(128))))}
type: Opaque
stringData:
  DB_PASSWORD: "{P("secret.password", password())}"
  REDIS_URL: "{P("secret.connection_string", f"rediss://default:{rs(ALNUM, 32)}@redis-ouderportaal.scholen.svc:6380/0")}"
  AMQP_URL: "{P("secret.connection_string", f"amqp://portal:{rs(ALNUM, 16)}@rabbitmq.scholen.svc:5672/")}"
  SMTP_PASSWORD: "{P("secret.password", password())}"
  GITHUB_TOKEN: "{P("secret.github_token", gh_token())}"
  SLACK_WEBHOOK: "{P("secret.slack_token", slack_hook())}"
  SLACK_BOT_TOKEN: "{P("secret.slack_token", slack_bot())}"
  OPENAI_API_KEY: "{P("secret.openai_key", openai())}"
  MOLLIE_KEY: "{P("secret.mollie_key", mollie())}"
  PUSH_VAPID_PUBLIC: "{N("secret.generic", "VAPID public key, public by design", b64url(R.randbytes(65)))}"
  PUSH_VAPID_PRIVATE: "{P("secret.generic", b64url(R.randbytes(32)))}"
""")
    write_text(f"{base}/it-beheer/.gitlab-ci.yml", f"""stages: [test, deploy]

variables:
  DOCKER_DRIVER: overlay2
  SONAR_TOKEN: "{P("secret.generic", "squ_" + rs("0123456789abcdef", 40))}"
  NPM_TOKEN: "{P("secret.generic", "npm_" + rs(ALNUM, 36))}"
  CI_DEPLOY_PASSWORD: $CI_DEPLOY_PASSWORD

test:
  stage: test
  image: node:20@sha256:{N("secret.generic", "image digest", sha(64))}
  script:
    - npm ci
    - npm test

deploy:
  stage: deploy
  script:
    - curl --header "PRIVATE-TOKEN: {P("secret.gitlab_token", glpat())}" https://gitlab.itvoorscholen.nl/api/v4/projects/42/pipeline
    - az login --service-principal -u {N("secret.azure_client_secret", "application (client) id, an identifier", str(uuid.UUID(int=R.getrandbits(128))))} -p {P("secret.azure_client_secret", azure_secret())} --tenant {N("secret.generic", "tenant id, an identifier", str(uuid.UUID(int=R.getrandbits(128))))}
    - helm upgrade --install ouderportaal ./chart --set image.tag=$CI_COMMIT_SHORT_SHA
""")
    write_text(f"{base}/it-beheer/appsettings.Production.json", json.dumps({
        "ConnectionStrings": {"Default": P("secret.connection_string", f"Server=sql01.itvoorscholen.local;Database=Leerlingvolg;User Id=lvs_app;Password={rs(ALNUM, 14)};TrustServerCertificate=True")},
        "Storage": {"ConnectionString": P("secret.azure_storage_key", azure_storage("sintjozefdocs"))},
        "Google": {"ApiKey": P("secret.gcp_api_key", gcp_key())},
        "Twilio": {"ApiKeySid": P("secret.twilio_key", twilio_sk()), "ApiKeySecret": P("secret.generic", rs(ALNUM, 32))},
        "Jwt": {"SigningKey": P("secret.generic", base64.b64encode(R.randbytes(48)).decode()), "Issuer": "https://lvs.itvoorscholen.nl"},
        "Logging": {"LogLevel": {"Default": "Warning"}},
        "ApplicationInsights": {"InstrumentationKey": N("secret.generic", "instrumentation key, not a credential", str(uuid.UUID(int=R.getrandbits(128))))},
        "Features": {"PasswordResetTokenLifetimeMinutes": 30, "ApiKeyHeader": N("secret.generic", "setting named like a secret", "X-Api-Key")},
    }, indent=2, ensure_ascii=False) + "\n")
    aws_k = aws_key()
    write_text(f"{base}/it-beheer/scripts/restore.sh", f"""#!/bin/sh
# Herstel van leerlingdossiers uit S3 (handmatig draaien)
export AWS_ACCESS_KEY_ID={P("secret.aws_access_key", aws_k)}
export AWS_SECRET_ACCESS_KEY={P("secret.aws_secret_key", aws_secret())}
export AWS_DEFAULT_REGION=eu-central-1
aws s3 cp s3://itvs-backups/lvs/latest.bak /tmp/lvs.bak
sqlcmd -S sql01 -U sa -P '{P("secret.password", password())}' -Q "RESTORE DATABASE Leerlingvolg FROM DISK='/tmp/lvs.bak'"
curl -u api:{P("secret.generic", "key-" + rs("0123456789abcdef", 32))} https://api.eu.mailgun.net/v3/itvoorscholen.nl/messages -F to=beheer@itvoorscholen.nl -F text=restored
curl -H "Authorization: Bearer {P("secret.jwt", jwt({"iss": "lvs", "sub": "restore-bot", "scope": "admin"}))}" https://lvs.itvoorscholen.nl/api/reindex
# wachtwoord van de testomgeving staat in de kluis, niet hier: {N("secret.password", "placeholder", "********")}
""")
    write_text(f"{base}/it-beheer/keys/lvs_signing.pem", P("secret.private_key", pem("rsa")) + "\n")
    write_text(f"{base}/it-beheer/keys/lvs_signing.pub", N("secret.private_key", "public key, not a secret", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(ALNUM + "+/", 43) + " beheer@itvoorscholen") + "\n")
    write_text(f"{base}/it-beheer/README.md", f"""# IT voor Scholen - beheerrepo

Zet secrets nooit in deze repo. Gebruik de kluis (Bitwarden) en verwijs met variabelen:

| variabele | voorbeeld |
|---|---|
| `STRIPE_SECRET_KEY` | {N("secret.stripe_key", "placeholder", "sk_live_<your-key>")} |
| `SLACK_WEBHOOK` | {N("secret.slack_token", "placeholder", "https://hooks.slack.com/services/XXX/YYY/ZZZ")} |
| `GITHUB_TOKEN` | {N("secret.github_token", "placeholder", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")} |
| `OPENAI_API_KEY` | {N("secret.openai_key", "placeholder", "sk-...")} |
| `AZURE_STORAGE` | {N("secret.azure_storage_key", "Azurite development storage, documented well-known key", "UseDevelopmentStorage=true")} |
| `DB_PASSWORD` | {N("secret.password", "placeholder", "<wachtwoord>")} |
| `JWT` | {N("secret.jwt", "placeholder", "eyJ...")} |

De wachtwoordhash in de testdatabase is {N("secret.password", "bcrypt hash of a test password", "$2b$12$" + rs(ALNUM + "./", 53))}.
Leveranciersnummer {N("pii.bsn", "supplier number passing the 11-proof", eleven_proof_nonbsn())}, KvK 12345678.
""")


def payments_and_letters() -> None:
    """Card refunds of the vet clinic and letters/pages with special-category words about no one."""
    base = "dierenkliniek_hoefslag"
    rows = [["datum", "klant", "kaart", "bedrag", "reden"]]
    for i in range(14):
        f, l = person()
        cardno = card(R.choice(["4", "51", "55", "2221"])) if i % 5 else card(R.choice(["34", "37"]), 15)
        rows.append([f"2026-11-{R.randint(1, 28):02d}", f"{f} {l}", P("pii.credit_card", cardno), f"{R.randint(20, 300)},00",
                     R.choice(["dubbel afgeschreven", "afspraak geannuleerd", "medicatie retour"])])
    rows.insert(3, ["2026-11-02", "TEST", N("pii.credit_card", "card brand test number in a test row", "4111 1111 1111 1111"), "0,00", "test terminal"])
    rows.insert(8, ["2026-11-09", "TEST", N("pii.credit_card", "masked card number", "4871 **** **** 2210"), "0,00", "gemaskeerd"])
    write_csv(f"{base}/export/terugbetalingen_kaart.csv", rows, ",")
    write_text("arbopunt_brabant/website/nieuws.html", f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Nieuws ArboPunt</title></head><body>
<h1>Nieuws</h1>
<p>{N("special.political", "news about an election, no person", "Na de gemeenteraadsverkiezingen van maart verandert het re-integratiebeleid")}.</p>
<p>{N("special.political", "public party programme", "Het verkiezingsprogramma van de SP wil de bedrijfsarts onafhankelijk maken")}.</p>
<p>{N("special.health", "statistics, no person", "Psychische klachten zijn de belangrijkste oorzaak van langdurig verzuim")}.</p>
<p>{N("special.health", "public information", "Long covid: wat kan de werkgever doen?")}</p>
<p>{N("special.religion", "general guidance, no person", "Werkgevers kunnen tijdens de ramadan flexibele werktijden aanbieden")}.</p>
<p>{N("special.ethnicity", "research finding, no person", "Werknemers met een migratieachtergrond melden vaker discriminatie")}.</p>
<p>{N("special.sexual_orientation", "event announcement", "Op Paarse Vrijdag hijsen wij de regenboogvlag")}.</p>
<p>{N("special.criminal", "general guidance", "Werkgevers mogen niet zomaar naar een strafblad vragen")}.</p>
<p>{N("special.biometric", "legal information, no person", "Biometrische toegangscontrole mag alleen als het noodzakelijk is voor beveiliging")}.</p>
</body></html>
""")
    f, l = person()
    write_docx("rustpunt_app/beleid/verwerkingsregister.docx", [
        "Verwerkingsregister Rustpunt B.V.",
        "Versie 3, vastgesteld door de directie.",
        N("special.health", "register description, no person", "Categorie: gezondheidsgegevens (diagnose, medicatie, sessienotities)."),
        N("special.sexual_orientation", "register description, no person", "Categorie: gegevens over seksuele leven en seksuele gerichtheid, alleen indien de cliënt dit zelf inbrengt."),
        N("special.biometric", "register description, no person", "Categorie: biometrische gegevens (stemprofiel) voor inloggen, met uitdrukkelijke toestemming."),
        N("special.criminal", "register description, no person", "Strafrechtelijke gegevens worden niet verwerkt."),
        N("special.religion", "register description, no person", "Levensbeschouwing wordt niet als veld vastgelegd."),
        "",
        "Incident 2026-07",
        f"Op 14 juli is een e-mail verstuurd naar {P('pii.email', email(f, l))} met daarin de notitie dat "
        f"{P('special.health', 'de cliënt een eetstoornis heeft')}. Betrokkene is gebeld op {P('pii.phone', nl_mobile())}.",
        f"De betrokkene gaf aan {P('special.political', 'lid te zijn van de Tweede Kamerfractie van Volt')} en vreesde publiciteit.",
        f"Ook bleek {P('special.ethnicity', 'haar Molukse achtergrond')} in het dossier te staan, wat niet nodig was.",
        f"Een tweede client wrote that {P('special.sexual_orientation', 'he is gay and only out to his sister')}.",
        f"A third client {P('special.ethnicity', 'described herself as British-Nigerian')} in an intake form.",
        f"The fourth {P('special.political', 'is a spokesperson for the Socialist Party (SP) in Utrecht')}.",
    ])


def vet_ops() -> None:
    """The vet clinic's practice-management sync settings (YAML) and a Node webhook handler."""
    base = "dierenkliniek_hoefslag"
    write_text(f"{base}/praktijk-app/config/sync.yaml", f"""sync:
  labo:
    url: https://api.idexx-labo.example/v2
    api_key: {P("secret.generic", rs(ALNUM, 40))}
  verzekeraar:
    username: hoefslag
    password: "{P("secret.password", password())}"
  boekhouding:
    exact_client_id: {N("secret.exact_online", "client id, an identifier", "{" + str(uuid.UUID(int=R.getrandbits(128))) + "}")}
    exact_client_secret: {P("secret.exact_online", rs(ALNUM, 12))}
  bank:
    bunq_api_key: {P("secret.bunq_key", hex64())}
  betalen:
    adyen_api_key: {P("secret.adyen_key", adyen())}
    adyen_client_key: {N("secret.adyen_key", "Adyen client key, public by design", "live_" + rs(string.ascii_uppercase + string.digits, 32))}
    stripe_key: {P("secret.stripe_key", stripe())}
  github:
    token: {P("secret.github_token", gh_token())}
  maps:
    key: {P("secret.gcp_api_key", gcp_key())}
  mailchimp_api_key: {P("secret.generic", rs("0123456789abcdef", 32) + "-us21")}
""")
    write_text(f"{base}/praktijk-app/webhooks/mollie.js", f"""// Mollie webhook: marks invoices as paid
const {{ createMollieClient }} = require('@mollie/api-client');
const mollie = createMollieClient({{ apiKey: '{P("secret.mollie_key", mollie())}' }});
const SIGNING_SECRET = '{P("secret.generic", whsec())}';
const HEALTHCHECK_TOKEN = process.env.HEALTHCHECK_TOKEN || '{N("secret.generic", "placeholder", "dev-token")}';

module.exports = async function handler(req, res) {{
  const payment = await mollie.payments.get(req.body.id);  // e.g. {N("secret.generic", "documented payment id", "tr_WDqYK6vllg")}
  res.status(200).end();
}};
""")


def confidant_notes() -> None:
    """ArboPunt's confidential counsellor (vertrouwenspersoon): case notes in Markdown, Dutch and English."""
    base = "arbopunt_brabant"
    people = [" ".join(person()) for _ in range(8)]
    write_text(f"{base}/vertrouwenspersoon/meldingen_2026.md", f"""# Meldingen vertrouwenspersoon 2026 (vertrouwelijk)

## Melding 2026-07 - {people[0]}
Melder {P("special.ethnicity", "is van Kaapverdiaanse afkomst")} en wordt door collega's nageroepen.
Hij vertelde ook dat {P("special.sexual_orientation", "hij biseksueel is")} en dat dit op de werkvloer rondgaat.
Telefoon melder: {P("pii.phone", nl_mobile())}.

## Melding 2026-08 - {people[1]}
{P("special.political", "Melder is bestuurslid van de lokale VVD-afdeling")} en voelt zich daarom buitengesloten.
{P("special.religion", "Zij draagt een hoofddoek")} en kreeg opmerkingen van een klant.

## Melding 2026-09 - {people[2]}
{P("special.sexual_orientation", "Melder is transgender en homoseksueel")}; collega's weigeren de nieuwe naam te gebruiken.
{P("special.health", "Sindsdien slaapt hij slecht en gebruikt hij oxazepam")}.

## Report 2026-10 - {people[3]} (English-speaking employee)
{P("special.ethnicity", "The reporter is a Romani woman from Slovakia")} and says her manager mocks her accent.
{P("special.political", "She campaigned for the Labour Party before moving to the Netherlands")}.
E-mail: {P("pii.email", email(*people[3].split(" ", 1)))}

## Report 2026-11 - {people[4]}
{P("special.sexual_orientation", "He is gay and married to a man")}; a colleague outed him at the Christmas party.
{P("special.criminal", "The colleague has a prior conviction for assault, according to HR")}.

## Melding 2026-12 - {people[5]}
{P("special.political", "Melder is kandidaat-raadslid voor Forum voor Democratie")} en zegt dat de werkgever dit tegenhoudt.
{P("special.ethnicity", "Melder heeft een Antilliaanse achtergrond")}.

## Algemeen
- {N("special.political", "general rule, no person", "Politieke voorkeur mag nooit een rol spelen bij beoordelingen")}.
- {N("special.sexual_orientation", "general rule, no person", "Discriminatie op grond van seksuele gerichtheid is verboden (AWGB)")}.
- {N("special.ethnicity", "statistic, no person", "In 2025 ging 40% van de meldingen over afkomst")}.
- {N("special.religion", "general rule, no person", "Het dragen van religieuze symbolen is toegestaan")}.
- Spreekuur elke dinsdag, {N("pii.phone", "confidential line of the organisation", "040-2901010")}.
""")


def main() -> None:
    for fn in (vet_clinic, school, mental_health_app, funeral_home, driving_school, arbodienst, housing_none,
               recruitment_csharp, it_vendor, payments_and_letters, vet_ops,
               confidant_notes):
        fn()
    manifest = {"files": {k: LABELS[k] for k in sorted(LABELS)}}
    (ROOT / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    pos = [p for f in LABELS.values() for p in f["positives"]]
    neg = [n for f in LABELS.values() for n in f["negatives"]]

    def kind(name: str) -> str:
        base = Path(name).name
        if base.startswith(".env"):
            return ".env"
        return Path(name).suffix.lstrip(".") or base

    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"files": 0, "positives": 0, "negatives": 0})
    for name, f in LABELS.items():
        k = by_kind[kind(name)]
        k["files"] += 1
        k["positives"] += len(f["positives"])
        k["negatives"] += len(f["negatives"])
    summary = {"files": len(LABELS), "by_file_kind": dict(sorted(by_kind.items())), "positives": len(pos),
               "negatives": len(neg),
               "positives_by_family": dict(sorted(Counter(p["type"].split(".")[0] for p in pos).items())),
               "negatives_by_family": dict(sorted(Counter(n["looks_like"].split(".")[0] for n in neg).items())),
               "positives_by_type": dict(sorted(Counter(p["type"] for p in pos).items())),
               "negatives_by_looks_like": dict(sorted(Counter(n["looks_like"] for n in neg).items()))}
    (ROOT / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: summary[k] for k in ("files", "positives", "negatives", "positives_by_family",
                                              "negatives_by_family", "positives_by_type")}, indent=1))


if __name__ == "__main__":
    main()
