"""Generate blind_7: files of six fictional organisations plus manifest.json and summary.json.

Run from the repository root: .venv/bin/python tests/corpus/blind_7/generate.py
Every planted value is wrapped in a marker while a file is built (P = labelled positive, N = hard negative);
the writers strip the markers and record the line / row / paragraph / page at that moment.
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
import shutil
import string
from collections import Counter
from pathlib import Path

import stdnum.iban
import stdnum.nl.bsn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from stdnum.iso7064 import mod_11_10
import stdnum.de.idnr
import stdnum.fr.nir

ROOT = Path(__file__).resolve().parent
rng = random.Random(20261207)
REG: list[dict] = []
MANIFEST: dict[str, dict] = {}
MARK = re.compile("\x01(\\d+)\x02")


def P(kind: str, value: str) -> str:
    REG.append({"pos": True, "type": kind, "value": value})
    return f"\x01{len(REG) - 1}\x02"


def N(looks_like: str, why: str, value: str) -> str:
    REG.append({"pos": False, "looks_like": looks_like, "why": why, "value": value})
    return f"\x01{len(REG) - 1}\x02"


def _entry(rel: str) -> dict:
    return MANIFEST.setdefault(rel, {"positives": [], "negatives": []})


def _record(rel: str, idx: int, line: int, where: str) -> str:
    item = REG[idx]
    e = _entry(rel)
    if item["pos"]:
        e["positives"].append({"type": item["type"], "value": item["value"], "line": line, "where": where})
    else:
        e["negatives"].append({"value": item["value"], "looks_like": item["looks_like"], "line": line,
                               "why": item["why"], "where": where})
    return item["value"]


def resolve(rel: str, text: str, where_fmt: str = "line {n}") -> tuple[str, list[int]]:
    """Strip markers from one unit of text; returns text and the marker ids in order."""
    ids = [int(m) for m in MARK.findall(text)]
    return MARK.sub(lambda m: REG[int(m.group(1))]["value"], text), ids


def write_text(rel: str, template: str, newline: str = "\n") -> None:
    _entry(rel)
    template = template.replace("\\u0001", "\x01").replace("\\u0002", "\x02")  # markers inside json.dumps
    out_lines: list[str] = []
    n = 1
    for tline in template.split("\n"):
        def sub(m: re.Match, n=n) -> str:
            return _record(rel, int(m.group(1)), n, f"line {n}")
        line = MARK.sub(sub, tline)
        out_lines.append(line)
        n += 1 + line.count("\n")
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(newline.join(out_lines).replace("\n", newline).encode("utf-8")
                     if newline != "\n" else "\n".join(out_lines).encode("utf-8"))


def write_xlsx(rel: str, sheets: dict[str, list[list[str]]]) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter
    _entry(rel)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, cell in enumerate(row, 1):
                col = get_column_letter(c)
                val = MARK.sub(lambda m, r=r, col=col, name=name: _record(
                    rel, int(m.group(1)), r, f"sheet {name} row {r} column {col}"), str(cell))
                ws.cell(row=r, column=c, value=val)
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def write_docx(rel: str, title: str, paragraphs: list[str]) -> None:
    import docx
    _entry(rel)
    d = docx.Document()
    d.add_heading(MARK.sub(lambda m: _record(rel, int(m.group(1)), 1, "paragraph 1"), title), level=1)
    for i, p in enumerate(paragraphs, 2):
        d.add_paragraph(MARK.sub(lambda m, i=i: _record(rel, int(m.group(1)), i, f"paragraph {i}"), p))
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    d.core_properties.author = "blind_7"
    d.save(path)


def write_pdf(rel: str, pages: list[list[str]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    _entry(rel)
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for pno, lines in enumerate(pages, 1):
        y = 800
        for ln, text in enumerate(lines, 1):
            t = MARK.sub(lambda m, pno=pno, ln=ln: _record(rel, int(m.group(1)), pno,
                                                           f"page {pno}, drawn line {ln}"), text)
            c.setFont("Helvetica", 10)
            c.drawString(50, y, t)
            y -= 16
        c.showPage()
    c.save()


# ---------------------------------------------------------------- value generators
FIRST = ["Anouk", "Bram", "Fatima", "Yusuf", "Sanne", "Daan", "Noor", "Mehmet", "Eva", "Lars", "Ilse", "Karim",
         "Joke", "Henk", "Mirjam", "Tomasz", "Aylin", "Pieter", "Esther", "Rachid", "Wilma", "Kees", "Ingrid",
         "Youssef", "Marloes", "Gerrit", "Shanti", "Jasper", "Femke", "Hamza", "Lotte", "Sven", "Dewi", "Gijs"]
LAST = ["de Boer", "Jansen", "Bakker", "El Amrani", "Visser", "Smit", "Yilmaz", "Mulder", "de Graaf", "Kowalski",
        "Brouwer", "Hoekstra", "Peeters", "Dijkstra", "Bouali", "van Leeuwen", "Schouten", "Kaya", "Vos",
        "Ramdin", "Kuipers", "Postma", "Wouters", "Meijer", "van Dam", "Sarmo", "Hendriks", "Lambrechts"]
STREETS = ["Kerkstraat", "Molenweg", "Lindelaan", "Beukenhof", "Dorpsstraat", "Stationsplein", "Havenkade",
           "Julianastraat", "Eikenlaan", "Schoolstraat", "Vondellaan", "Prinsengracht"]
CITIES = ["Apeldoorn", "Zwolle", "Amersfoort", "Tilburg", "Den Haag", "Eindhoven", "Deventer", "Breda"]
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]


def name() -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def bsn() -> str:
    while True:
        s = str(rng.randint(100000000, 799999999))
        if stdnum.nl.bsn.is_valid(s) and s not in ("111222333", "123456782"):
            return s


def bsn_fmt() -> str:
    s = bsn()
    return rng.choice([s, s, f"{s[:4]}.{s[4:6]}.{s[6:]}", f"{s[:3]} {s[3:6]} {s[6:]}"])


def _iban(cc: str, bban: str) -> str:
    cd = stdnum.iban.calc_check_digits(cc + "00" + bban)
    v = cc + cd + bban
    assert stdnum.iban.is_valid(v), v
    return v


def iban(cc: str = "NL", grouped: bool | None = None) -> str:
    while True:
        if cc == "NL":
            bank = rng.choice(["RABO", "ABNA", "INGB", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ", "RBRB"])
            acct = "".join(rng.choice(string.digits) for _ in range(10))
            if bank != "INGB" and sum(int(d) * w for d, w in zip(acct, range(10, 0, -1))) % 11:
                continue
            bban = bank + acct
        elif cc == "BE":
            first = f"{rng.choice(['001', '068', '310', '363', '734', '063'])}{rng.randint(0, 9999999):07d}"
            chk = int(first) % 97 or 97
            bban = f"{first}{chk:02d}"
        elif cc == "DE":
            bban = f"{rng.choice(['37040044', '50010517', '10070000', '20050550'])}{rng.randint(0, 10**10 - 1):010d}"
        else:  # LU
            bban = f"{rng.choice(['001', '002', '014'])}" + "".join(rng.choice(string.digits) for _ in range(13))
        try:
            v = _iban(cc, bban)
        except AssertionError:
            continue
        g = rng.random() < 0.5 if grouped is None else grouped
        return " ".join(v[i:i + 4] for i in range(0, len(v), 4)) if g else v


def phone() -> str:
    a, b = rng.randint(10000000, 58999999), rng.randint(1000000, 9999999)  # 06-1..06-5: allocated mobile blocks
    s = str(a)
    area = rng.choice([("055", 7), ("038", 7), ("033", 7), ("013", 7), ("070", 7), ("040", 7), ("0570", 6)])
    land = str(b)[:area[1]]
    shapes = [f"06-{s}", f"06 {s[:4]} {s[4:]}", f"+31 6 {s}", f"+316{s}", f"0031 6 {s[:2]} {s[2:4]} {s[4:6]} {s[6:]}",
              f"(06) {s[:2]} {s[2:4]} {s[4:6]} {s[6:]}", f"06{s}", f"{area[0]}-{land}",
              f"+31 (0){area[0][1:]} {land[:3]} {land[3:]}", f"{area[0]} {land}",
              f"+32 4{rng.randint(60, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
              f"+49 {rng.choice(['151', '152', '176'])} {rng.randint(10000000, 99999999)}"]
    return rng.choice(shapes)


def email(full: str) -> str:
    f, l = full.lower().split(" ", 1)
    l = l.replace(" ", "")
    dom = rng.choice(["gmail.com", "hotmail.nl", "ziggo.nl", "kpnmail.nl", "outlook.com", "live.nl", "telenet.be",
                      "xs4all.nl", "planet.nl", "icloud.com"])
    return rng.choice([f"{f}.{l}@{dom}", f"{f[0]}{l}@{dom}", f"{f}{rng.randint(1, 99)}@{dom}", f"{l}.{f}@{dom}"])


def postcode() -> str:
    while True:
        letters = rng.choice("ABCEGHJKLMNPRTVWXZ") + rng.choice("ABCEGHJKLMNPRTVWXZ")
        if letters not in ("SA", "SD", "SS"):
            return f"{rng.randint(1011, 9999)} {letters}" if rng.random() < 0.8 else \
                f"{rng.randint(1011, 9999)}{letters}"


def birth(lo: int = 1930, hi: int = 2004) -> dt.date:
    return dt.date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28))


def dob_fmt(d: dt.date, shape: str | None = None) -> str:
    shape = shape or rng.choice(["dmy-", "dmy/", "iso", "nl", "en", "dot"])
    return {"dmy-": f"{d.day:02d}-{d.month:02d}-{d.year}", "dmy/": f"{d.day:02d}/{d.month:02d}/{d.year}",
            "iso": d.isoformat(), "nl": f"{d.day} {MONTHS_NL[d.month - 1]} {d.year}",
            "en": f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}", "dot": f"{d.day:02d}.{d.month:02d}.{d.year}"}[shape]


def ipv4() -> str:
    return rng.choice(["84.241", "77.60", "145.53", "31.151", "83.80", "94.208", "213.127", "62.45"]) + \
        f".{rng.randint(1, 254)}.{rng.randint(1, 254)}"


def ipv6() -> str:
    return rng.choice(["2a02:a46f", "2001:1c00", "2a02:a210", "2a01:7c8"]) + ":" + ":".join(
        f"{rng.randint(0, 65535):x}" for _ in range(6))


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return body + str((10 - total % 10) % 10)


def card() -> str:
    c = luhn_complete(rng.choice(["4", "51", "53", "55"]), 16)
    return rng.choice([c, " ".join(c[i:i + 4] for i in range(0, 16, 4)), "-".join(c[i:i + 4] for i in range(0, 16, 4))])


def nl_passport() -> str:
    alnum = "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789"
    return "".join(rng.choice(string.ascii_uppercase.replace("O", "")) for _ in range(2)) + \
        "".join(rng.choice(alnum) for _ in range(6)) + rng.choice(string.digits)


def de_passport() -> str:
    return "C" + "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8))


def be_nn(d: dt.date) -> str:
    seq = rng.randint(1, 997)
    first = f"{d.year % 100:02d}{d.month:02d}{d.day:02d}{seq:03d}"
    chk = 97 - int(first) % 97
    return f"{first[:2]}.{first[2:4]}.{first[4:6]}-{first[6:]}.{chk:02d}"


def de_idnr() -> str:
    while True:
        body = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(9))
        v = body + mod_11_10.calc_check_digit(body)
        if stdnum.de.idnr.is_valid(v):
            return v


def fr_nir(d: dt.date) -> str:
    while True:
        body = f"{rng.choice('12')}{d.year % 100:02d}{d.month:02d}{rng.randint(1, 95):02d}{rng.randint(1, 990):03d}" \
               f"{rng.randint(1, 999):03d}"
        v = body + stdnum.fr.nir.calc_check_digits(body)
        if stdnum.fr.nir.is_valid(v):
            return f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}"


def nl_license() -> str:
    return str(rng.randint(5000000000, 5999999999))


def rstr(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


HEX = "0123456789abcdef"
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def github(prefix: str = "ghp_") -> str:
    body = rstr(30)
    crc = binascii.crc32(body.encode())
    tail = ""
    while crc:
        crc, r = divmod(crc, 62)
        tail = B62[r] + tail
    return prefix + body + tail.rjust(6, "0")


def aws_id() -> str:
    return "AKIA" + rstr(16, string.ascii_uppercase + "234567")


def aws_secret() -> str:
    return rstr(40, string.ascii_letters + string.digits + "+/")


def jwt(claims: dict) -> str:
    def b64(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    h = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    p = b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(rstr(32).encode(), f"{h}.{p}".encode(), hashlib.sha256).digest()
    return f"{h}.{p}.{b64(sig)}"


def rsa_pem(pkcs8: bool = False) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    fmt = serialization.PrivateFormat.PKCS8 if pkcs8 else serialization.PrivateFormat.TraditionalOpenSSL
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode().strip()


def ec_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode().strip()


def password() -> str:
    return rng.choice(["Lindehof", "Kraam", "Sterk", "Valk", "Kompas", "Zomer", "Noorder"]) + \
        rstr(4, string.digits) + rng.choice("!#$%&*?") + rstr(5)


def uuid() -> str:
    h = rstr(32, HEX)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def sha256() -> str:
    return hashlib.sha256(rstr(20).encode()).hexdigest()


def person() -> dict:
    full = name()
    d = birth()
    return {"name": full, "dob": d, "email": email(full), "phone": phone(), "pc": postcode(),
            "street": f"{rng.choice(STREETS)} {rng.randint(1, 180)}", "city": rng.choice(CITIES)}


# ---------------------------------------------------------------- 1. hospice
HOSPICE_DIAG = ["gemetastaseerd pancreascarcinoom", "ALS, eindstadium", "COPD GOLD 4", "hartfalen NYHA IV",
                "longkanker met hersenmetastasen", "ziekte van Parkinson, palliatief", "nierfalen, gestopt met dialyse",
                "mammacarcinoom, botmetastasen", "dementie (Alzheimer) met pneumonie", "glioblastoom"]
HOSPICE_NOTES = [
    ("special.religion", "wil ziekenzalving door de pastoor (rooms-katholiek)"),
    ("special.religion", "moslim: wil bij overlijden gewassen worden door de moskee"),
    ("special.religion", "Jehova's getuige, weigert bloedtransfusie"),
    ("special.health", "dochter heeft zelf borstkanker, komt minder vaak"),
    ("special.health", "echtgenoot heeft beginnende dementie"),
    ("special.criminal", "zoon komt alleen onder begeleiding (contactverbod na mishandeling)"),
    ("special.sexual_orientation", "partner is zijn vriend Joost, al 30 jaar samen (homostel)"),
    ("special.ethnicity", "Molukse familie, wil rouwbezoek in grote groep"),
    ("special.health", "morfinepomp sinds 12-11, delier 's nachts"),
    ("special.religion", "joods, sjiva na overlijden in de familiekamer"),
    ("special.political", "oud-wethouder voor de SP, wil geen pers"),
    ("special.trade_union", "vakbondsvrienden van de FNV komen afscheid nemen, hij was 40 jaar lid"),
]


def hospice() -> None:
    base = "hospice_de_lindehof"
    rows = ["bewonernr;naam;geboortedatum;bsn;contactpersoon_tel;postcode;diagnose;notitie"]
    for i in range(24):
        p = person()
        note = ""
        if i < len(HOSPICE_NOTES):
            k, v = HOSPICE_NOTES[i]
            note = P(k, v) + "; zie zorgplan"
        diag = "zie verwijsbrief" if note.startswith("\x01") and HOSPICE_NOTES[i][0] == "special.health" \
            else P("special.health", rng.choice(HOSPICE_DIAG))
        rows.append(f"H{2026100 + i};{p['name']};{P('pii.date_of_birth', dob_fmt(p['dob'], 'dmy-'))};"
                    f"{P('pii.bsn', bsn_fmt())};{P('pii.phone', p['phone'])};{P('pii.postcode', p['pc'])};"
                    f"{diag};{note}")
    write_text(f"{base}/export/bewoners_2026.csv", "\n".join(rows) + "\n")

    overl = ["Overledenen-register (intern, bewaren 20 jaar)", ""]
    for i in range(8):
        p = person()
        overl.append(f"- {p['name']}, geboren {P('pii.date_of_birth', dob_fmt(p['dob'], 'nl'))}, overleden 2026: "
                     f"{P('special.health', rng.choice(['uitgezaaide darmkanker', 'terminaal hartfalen', 'ALS', 'longkanker']))}."
                     f" Uitvaart geregeld door {P('pii.email', email(name()))}.")
    write_text(f"{base}/registers/overledenen_2026.md", "\n".join(overl) + "\n")

    p = person()
    paras = [f"Bewoner: {p['name']}, geboren {P('pii.date_of_birth', dob_fmt(p['dob'], 'dmy-'))}",
             f"BSN: {P('pii.bsn', bsn())}",
             f"Adres: {p['street']}, {P('pii.postcode', p['pc'])} {p['city']}",
             "",
             f"Medische voorgeschiedenis: {P('special.health', 'CVA in 2019, diabetes mellitus type 2, insulineafhankelijk')}.",
             f"Levensbeschouwing: {P('special.religion', 'protestants (PKN), wil dagelijks bidden met dominee')}.",
             f"Familie: {P('special.health', 'haar zoon is verslaafd aan alcohol en staat onder bewind')}.",
             f"Haar overleden man: {P('special.health', 'overleed in 2021 aan prostaatkanker')}.",
             f"Contact dochter: {P('pii.phone', phone())} / {P('pii.email', email(name()))}",
             "Levenseindewensen: geen reanimatie, palliatieve sedatie bespreekbaar.",
             f"Vrijwilliger let op: {P('special.criminal', 'kleinzoon heeft een enkelband (voorwaardelijke straf)')}."]
    write_docx(f"{base}/zorgplannen/zorgplan_H2026031.docx", "Zorgplan hospice De Lindehof", paras)

    # public page and brochure: negatives
    html = f"""<!doctype html><html lang="nl"><head><title>Hospice De Lindehof</title></head><body>
<h1>Welkom in hospice De Lindehof</h1>
<p>{N('special.health', 'public description of care', 'Wij bieden palliatieve zorg aan mensen met kanker, ALS of hartfalen in de laatste levensfase.')}</p>
<p>{N('special.religion', 'public service description', 'Onze geestelijk verzorger begeleidt mensen van elke levensbeschouwing: christelijk, islamitisch, joods of humanistisch.')}</p>
<p>{N('special.religion', 'opening hours of a chapel', 'De stiltekapel is dagelijks open van 8.00 tot 21.00 uur.')}</p>
<p>{N('special.sexual_orientation', 'inclusion statement', 'Wij zijn een Roze Loper-organisatie: LHBTI-ouderen zijn welkom.')}</p>
<p>Bel ons: {N('pii.phone', 'organisation switchboard', '055-5270000')} of mail {N('pii.email', 'role mailbox', 'info@hospicedelindehof.nl')}</p>
<p>Giften: {N('pii.iban', 'donation IBAN of the foundation', 'NL91 ABNA 0417 1643 00')}</p>
<p>{N('special.trade_union', 'collective labour agreement text', 'Onze medewerkers vallen onder de cao VVT, afgesloten met FNV en CNV.')}</p>
</body></html>"""
    write_text(f"{base}/website/index.html", html)

    env = f"""# Lindehof ECD koppeling (Nedap Ons)
APP_ENV=production
DB_URL={P('secret.connection_string', f"postgresql://ecd_sync:{password()}@db.lindehof.internal:5432/ecd")}
NEDAP_CLIENT_SECRET={P('secret.generic', rstr(48))}
SENDGRID_API_KEY={P('secret.sendgrid_key', 'SG.' + rstr(22, B62 + '_-') + '.' + rstr(43, B62 + '_-'))}
SMTP_PASSWORD={P('secret.password', password())}
PASSWORD_MIN_LENGTH={N('secret.password', 'setting named like a secret', '12')}
SESSION_SECRET={N('secret.generic', 'placeholder', 'changeme')}
"""
    write_text(f"{base}/ecd-sync/.env", env)

    ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Lindehof//Rooster//NL"]
    for i in range(5):
        p = person()
        ics += ["BEGIN:VEVENT", f"UID:{N('secret.generic', 'iCalendar UID', uuid())}", f"DTSTART:202612{10 + i}T100000",
                f"SUMMARY:Familiegesprek {p['name']}",
                f"DESCRIPTION:{P('special.health', rng.choice(['pijnbestrijding evalueren (morfine)', 'bespreken palliatieve sedatie', 'wondzorg decubitus graad 4']))}",
                f"LOCATION:{p['street']}, {P('pii.postcode', p['pc'])}", f"ATTENDEE:mailto:{P('pii.email', p['email'])}",
                "END:VEVENT"]
    ics += ["BEGIN:VEVENT", f"UID:{N('secret.generic', 'iCalendar UID', uuid())}", "DTSTART:20261220T190000",
            f"SUMMARY:{N('special.religion', 'public event', 'Kerstviering in de stiltekapel, iedereen welkom')}",
            "END:VEVENT", "END:VCALENDAR"]
    write_text(f"{base}/rooster/familiegesprekken.ics", "\n".join(ics) + "\n", newline="\r\n")


# ---------------------------------------------------------------- 2. insurance broker
def broker() -> None:
    base = "assurantiekantoor_van_dijk_mulder"
    med = [("special.health", "diabetes type 1, insulinepomp"), ("special.health", "burn-out 2024, 6 mnd verzuim"),
           ("special.health", "hernia L4-L5 geopereerd"), ("special.health", "hiv-positief, ondetectbaar"),
           ("special.health", "bipolaire stoornis, lithium"), ("special.criminal", "veroordeeld voor verzekeringsfraude (2019)"),
           ("special.criminal", "rijontzegging na rijden onder invloed"), ("special.health", "zwanger, uitgerekend maart"),
           ("special.health", "MS sinds 2017"), ("special.health", "depressie, gebruikt sertraline"),
           ("special.trade_union", "collectiviteit via FNV-lidmaatschap"), ("special.trade_union", "lid CNV, korting AOV"),
           ("special.trade_union", "via vakbond AVV (lid sinds 2015)"), ("special.criminal", "strafblad: heling, taakstraf"),
           ("special.health", "partner heeft epilepsie (meeverzekerd)"), ("special.health", "zoon autisme, PGB"),
           ("special.ethnicity", "Surinaams-Hindoestaanse afkomst (premie-onderzoek herkomst)"),
           ("special.trade_union", "lid Nederlandse Politiebond, collectief contract")]
    rows = [["relatienr", "naam", "geboortedatum", "bsn", "iban", "email", "telefoon", "postcode", "polis", "acceptatie_opmerking"]]
    for i in range(30):
        p = person()
        cc = rng.choice(["NL", "NL", "NL", "BE", "DE", "LU"])
        note = P(*med[i]) if i < len(med) else rng.choice(["geen bijzonderheden", "standaard acceptatie", ""])
        rows.append([f"R-{40210 + i}", p["name"], P("pii.date_of_birth", dob_fmt(p["dob"], rng.choice(["dmy-", "iso"]))),
                     P("pii.bsn", bsn_fmt()), P("pii.iban", iban(cc)), P("pii.email", p["email"]),
                     P("pii.phone", p["phone"]), P("pii.postcode", p["pc"]),
                     N("pii.bsn", "policy number (9 digits, 11-proof)", bsn()) if i == 3 else f"POL-{rng.randint(10000, 99999)}",
                     note])
    stats = [["product", "aantal polissen", "waarvan met medische keuring"],
             [N("special.health", "product statistics", "Arbeidsongeschiktheid (AOV)"), "412", "87"],
             [N("special.health", "product statistics", "Overlijdensrisico met rookclausule"), "233", "19"],
             [N("special.trade_union", "product name", "FNV-collectiviteit zorgverzekering"), "61", "0"]]
    write_xlsx(f"{base}/exports/relaties_2026.xlsx", {"relaties": rows, "statistiek": stats})

    form = ["Gezondheidsverklaring (leeg formulier)", "",
            N("special.health", "empty form question", "Bent u de afgelopen 5 jaar behandeld voor kanker, hart- of vaatziekten? ja / nee"),
            N("special.health", "empty form question", "Gebruikt u medicijnen voor psychische klachten? ja / nee"),
            N("special.criminal", "empty form question", "Bent u in de afgelopen 8 jaar strafrechtelijk veroordeeld? ja / nee"),
            N("special.trade_union", "empty form question", "Bent u lid van een vakbond (collectiviteitskorting)? ja / nee"),
            "Naam: ____________  Geboortedatum: __-__-____",
            f"Terugsturen naar {N('pii.email', 'role mailbox', 'acceptatie@vandijkmulder.nl')}"]
    write_docx(f"{base}/formulieren/gezondheidsverklaring_leeg.docx", "Gezondheidsverklaring AOV", form[1:])

    p = person()
    eml = f"""From: {p['name']} <{P('pii.email', p['email'])}>
To: schade@vandijkmulder.nl
Subject: Aanvraag AOV en vraag over medische keuring
Date: Tue, 01 Dec 2026 09:14:00 +0100
Message-ID: <{N('pii.email', 'Message-ID', 'a81c2f@mail.vandijkmulder.nl')}>
Content-Type: text/plain; charset=utf-8

Beste meneer Mulder,

Hierbij mijn gegevens voor de AOV: geboren {P('pii.date_of_birth', dob_fmt(p['dob'], 'nl'))}, BSN {P('pii.bsn', bsn())}.
Ik moet eerlijk melden dat {P('special.health', 'ik in 2023 behandeld ben voor een angststoornis')}.
Mijn rekening is {P('pii.iban', iban('NL', True))}; bel me op {P('pii.phone', phone())}.
Ik ben {P('special.trade_union', 'lid van FNV Zelfstandigen')}, geldt de korting dan?
Mijn vrouw {P('special.health', 'heeft reuma en zit thuis')} — moet dat ook op het formulier?

Met vriendelijke groet,
{p['name']}
"""
    write_text(f"{base}/mail/aanvraag_aov.eml", eml)

    py = f'''"""Sync polissen naar de verzekeraars (SIVI AFD)."""
import os

import requests

AEGON_API = "https://api.aegon.nl/afd/v2"
CLIENT_ID = "{N("secret.generic", "public OAuth client id", uuid())}"
CLIENT_SECRET = "{P("secret.generic", rstr(40, B62))}"
AWS_ACCESS_KEY_ID = "{P("secret.aws_access_key", aws_id())}"
AWS_SECRET_ACCESS_KEY = "{P("secret.aws_secret_key", aws_secret())}"
EXAMPLE_KEY = "{N("secret.aws_access_key", "AWS documentation example key", "AKIAIOSFODNN7EXAMPLE")}"
DB = "{P("secret.connection_string", f"mysql://polis:{password()}@10.0.4.12:3306/polisadm")}"
SLACK = "{P("secret.slack_token", "https://hooks.slack.com/services/T0" + rstr(7, string.ascii_uppercase + string.digits) + "/B0" + rstr(8, string.ascii_uppercase + string.digits) + "/" + rstr(24))}"
API_TOKEN = os.getenv("AFD_TOKEN", "{N("secret.generic", "placeholder default", "<your-afd-token>")}")


def push(polis: dict) -> None:
    requests.post(f"{{AEGON_API}}/polis", json=polis, auth=(CLIENT_ID, CLIENT_SECRET), timeout=30)
'''
    write_text(f"{base}/tools/afd_sync.py", py)

    tf = f'''provider "azurerm" {{
  features {{}}
  tenant_id       = "{N("secret.azure_client_secret", "Azure tenant id (public)", uuid())}"
  client_id       = "{N("secret.azure_client_secret", "Azure client id (public)", uuid())}"
  client_secret   = "{P("secret.azure_client_secret", rstr(3, B62) + "8Q~" + rstr(34, B62 + "_~.-"))}"
  subscription_id = "{N("secret.generic", "subscription id", uuid())}"
}}

resource "azurerm_storage_account" "archief" {{
  name                = "vdmarchief"
  resource_group_name = "rg-polis"
}}

locals {{
  archive_conn = "DefaultEndpointsProtocol=https;AccountName=vdmarchief;AccountKey={P("secret.azure_storage_key", rstr(86, B62 + "+/") + "==")};EndpointSuffix=core.windows.net"
  image_digest = "{N("secret.generic", "image digest", "sha256:" + sha256())}"
}}
'''
    write_text(f"{base}/infra/main.tf", tf)


# ---------------------------------------------------------------- 3. kraamzorg
def kraamzorg() -> None:
    base = "kraamzorg_zoet_begin"
    notes = [("special.health", "zwangerschapsdiabetes, insuline"), ("special.health", "eerdere postnatale depressie"),
             ("special.health", "sectio gepland ivm stuitligging"), ("special.ethnicity", "Eritrese moeder, tolk Tigrinya nodig"),
             ("special.religion", "islamitisch: geen mannelijke kraamverzorgende"), ("special.sexual_orientation", "duomoeders (twee moeders), donorkind"),
             ("special.health", "moeder hepatitis B-positief, baby vaccineren"), ("special.criminal", "vader heeft huisverbod (Veilig Thuis gemeld)"),
             ("special.health", "baby in couveuse, prematuur 32 wk"), ("special.health", "Down-syndroom bij baby vastgesteld"),
             ("special.ethnicity", "Poolse familie, Roma-achtergrond"), ("special.health", "oudste kind heeft ADHD"),
             ("special.religion", "Hindoe, wil ceremonie op dag 6"), ("special.health", "HELLP-syndroom na bevalling"),
             ("special.health", "moeder gebruikt methadon"), ("special.sexual_orientation", "alleenstaande homoseksuele vader via draagmoeder"),
             ("special.biometric", "vingerafdruk-login op werktelefoon geregistreerd voor kraamverzorgende"),
             ("special.religion", "Reformatorisch, geen televisie en geen vaccinaties")]
    lines = ["--", "-- PostgreSQL database dump", "--", "SET client_encoding = 'UTF8';", "",
             "CREATE TABLE public.clienten (id integer, naam text, bsn varchar(11), geboortedatum date, email text,"
             " telefoon text, postcode varchar(7), uitgerekend date, bijzonderheden text);", ""]
    for i in range(28):
        p = person()
        d = birth(1985, 2003)
        note = P(*notes[i]) if i < len(notes) else rng.choice(["geen", "eerste kind", ""])
        lines.append(f"INSERT INTO public.clienten VALUES ({i + 1}, '{p['name'].replace(chr(39), chr(39) * 2)}', "
                     f"'{P('pii.bsn', bsn())}', '{P('pii.date_of_birth', d.isoformat())}', '{P('pii.email', p['email'])}', "
                     f"'{P('pii.phone', p['phone'])}', '{P('pii.postcode', p['pc'])}', "
                     f"'{N('pii.date_of_birth', 'due date, not a birth date', f'2027-0{rng.randint(1, 6)}-{rng.randint(10, 28)}')}', "
                     f"'{note}');")
    lines += ["", "CREATE TABLE public.gebruikers (id integer, email text, wachtwoord_hash text, laatste_ip inet);"]
    for i in range(6):
        p = person()
        lines.append(f"INSERT INTO public.gebruikers VALUES ({i + 1}, '{P('pii.email', p['email'])}', "
                     f"'{N('secret.password', 'bcrypt hash', '$2b$12$' + rstr(53, B62 + './'))}', '{P('pii.ip_address', ipv4())}');")
    lines += ["", "-- testdata (seed)",
              f"INSERT INTO public.clienten VALUES (900, 'Test Persoon', '{N('pii.bsn', 'RvIG test BSN', '999990019')}', "
              f"'{N('pii.date_of_birth', 'test row placeholder date', '1990-01-01')}', '{N('pii.email', 'example.com address', 'test@example.com')}', "
              f"'{N('pii.phone', 'fictional test number', '0612345678')}', '{N('pii.postcode', 'test row postcode', '1234 AB')}', '2027-01-01', "
              f"'{N('special.health', 'test row without a person', 'voorbeeld: zwangerschapsdiabetes')}');"]
    write_text(f"{base}/db/kraamzorg_dump.sql", "\n".join(lines) + "\n")

    go = f'''package config

// Config of the planning service (Kraamzorg Zoet Begin).
type Config struct {{
	DatabaseURL string
	MollieKey   string
	TwilioKey   string
}}

var Prod = Config{{
	DatabaseURL: "{P("secret.connection_string", f"postgres://planning:{password()}@pg-prod.zoetbegin.nl:5432/planning?sslmode=require")}",
	MollieKey:   "{P("secret.mollie_key", "live_" + rstr(30))}",
	TwilioKey:   "{P("secret.twilio_key", "SK" + rstr(32, HEX))}",
}}

var Test = Config{{
	DatabaseURL: "{N("secret.connection_string", "local default credentials", "postgres://postgres:postgres@localhost:5432/planning")}",
	MollieKey:   "{N("secret.mollie_key", "placeholder", "test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")}",
}}

const mollieProfile = "{N("secret.mollie_key", "Mollie profile id (public)", "pfl_" + rstr(10))}"
const openAIKey = "{P("secret.openai_key", "sk-proj-" + rstr(74, B62 + "_-") + "T3BlbkFJ" + rstr(74, B62 + "_-"))}"
'''
    write_text(f"{base}/planning/config/config.go", go)

    dc = f'''services:
  planning:
    image: ghcr.io/zoetbegin/planning@sha256:{N("secret.generic", "image digest", sha256())}
    environment:
      POSTGRES_PASSWORD: {P("secret.password", password())}
      REDIS_URL: {P("secret.connection_string", f"rediss://default:{rstr(32)}@redis.zoetbegin.nl:6380/0")}
      GITHUB_TOKEN: {P("secret.github_token", github())}
      JWT_SECRET: {P("secret.generic", rstr(64, HEX))}
      ADMIN_PASSWORD: {N("secret.password", "placeholder", "${ADMIN_PASSWORD:-changeme}")}
  redis:
    image: redis:7.2.4
'''
    write_text(f"{base}/deploy/docker-compose.yml", dc)

    log = []
    for i in range(14):
        ip = ipv4() if i % 3 else ipv6()
        tok = jwt({"sub": str(rng.randint(1000, 9999)), "role": "kraamverzorgende", "exp": 1796000000})
        path = "/api/clienten/" + str(rng.randint(1, 28))
        if i == 4:
            path = f"/api/zoek?email={P('pii.email', email(name()))}"
        auth = f"{P('secret.jwt', tok)}" if i in (2, 7, 11) else "-"
        log.append(f'{P("pii.ip_address", ip)} - - [03/Dec/2026:0{i % 10}:1{i % 6}:22 +0100] "GET {path} HTTP/1.1" 200 '
                   f'{rng.randint(200, 9000)} "-" "ZoetBeginApp/{N("pii.ip_address", "app version shaped like an IP", "4.2.1.7")}" "{auth}"')
    log.append(f'{N("pii.ip_address", "private address", "10.0.0.12")} - - [03/Dec/2026:10:00:00 +0100] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29" "-"')
    write_text(f"{base}/logs/nginx_access.log", "\n".join(log) + "\n")

    vcf = []
    for i in range(4):
        p = person()
        vcf += ["BEGIN:VCARD", "VERSION:3.0", f"FN:{p['name']}", f"TEL;TYPE=CELL:{P('pii.phone', p['phone'])}",
                f"EMAIL:{P('pii.email', p['email'])}", f"BDAY:{P('pii.date_of_birth', p['dob'].isoformat())}",
                f"ADR;TYPE=HOME:;;{p['street']};{p['city']};;{P('pii.postcode', p['pc'])};NL", "END:VCARD"]
    write_text(f"{base}/contacten/kraamverzorgenden.vcf", "\n".join(vcf) + "\n", newline="\r\n")

    folder = ["# Kraamzorg Zoet Begin: wat mag u verwachten", "",
              N("special.health", "public information", "Na een keizersnede krijgt u extra uren kraamzorg."),
              N("special.health", "public information", "Bij borstvoedingsproblemen of een huilbaby helpen wij u verder."),
              N("special.religion", "public information", "Wij houden rekening met uw geloof, bijvoorbeeld tijdens de ramadan."),
              N("special.ethnicity", "public information", "Wij werken met tolken voor Arabisch, Turks en Tigrinya."),
              N("special.sexual_orientation", "public information", "Ook roze gezinnen en duo-moeders zijn van harte welkom."),
              f"Bel {N('pii.phone', 'organisation number', '038-4600600')} of kijk op zoetbegin.nl"]
    write_text(f"{base}/website/folder.md", "\n".join(folder) + "\n")


# ---------------------------------------------------------------- 4. mosque community
def mosque() -> None:
    base = "moskee_al_hidaya_tilburg"
    notes = [("special.health", "ligt in het ETZ na een hartinfarct, bezoek regelen"),
             ("special.health", "dochter heeft leukemie, duaa gevraagd"),
             ("special.criminal", "zoon zit vast in PI Vught (drugshandel)"),
             ("special.political", "gemeenteraadslid voor DENK"),
             ("special.health", "weduwe, man overleed aan corona"),
             ("special.religion", "bekeerd tot de islam in 2022, shahada in onze moskee"),
             ("special.ethnicity", "Marokkaans-Berberse achtergrond, spreekt Tarifit"),
             ("special.ethnicity", "Somalische gemeenschap Tilburg-Noord"),
             ("special.health", "rolstoelgebruiker, lift nodig"),
             ("special.trade_union", "kaderlid FNV Schoonmaak, organiseert staking"),
             ("special.political", "actief voor Palestina-comité, sprak op demonstratie"),
             ("special.religion", "wil imam worden, volgt opleiding islamitische theologie")]
    rows = ["lidnr,naam,telefoon,email,iban,postcode,geboortedatum,notitie"]
    for i in range(22):
        p = person()
        note = f'"{P(*notes[i])}"' if i < len(notes) else ""
        rows.append(f"M{3100 + i},{p['name']},{P('pii.phone', p['phone'])},{P('pii.email', p['email'])},"
                    f"{P('pii.iban', iban(rng.choice(['NL', 'NL', 'BE']), False))},{P('pii.postcode', p['pc'])},"
                    f"{P('pii.date_of_birth', dob_fmt(p['dob'], rng.choice(['dmy-', 'dmy/'])))},{note}")
    write_text(f"{base}/ledenadministratie/leden_contributie.csv", "\r\n".join(rows) + "\r\n")

    php = f'''<?php
// Donatiemodule website Al-Hidaya
define('DB_HOST', 'localhost');
define('DB_USER', 'alhidaya_wp');
define('DB_PASSWORD', "{P("secret.password", password())}");
define('AUTH_KEY', "{P("secret.generic", rstr(64, string.ascii_letters + string.digits + "!@#%^&*()-_[]"))}");
define('SECURE_AUTH_KEY', "{N("secret.generic", "WordPress placeholder", "put your unique phrase here")}");
$stripe = new \\Stripe\\StripeClient("{P("secret.stripe_key", "sk_live_51" + rstr(96))}");
$publishable = "{N("secret.stripe_key", "publishable key (public by design)", "pk_live_51" + rstr(96))}";
$recaptcha_site = "{N("secret.generic", "reCAPTCHA site key (public)", "6Lc" + rstr(37, B62 + "_-"))}";
$mollie->setApiKey("{P("secret.mollie_key", "test_" + rstr(30))}");
$checksum = "{N("secret.generic", "file checksum", hashlib.md5(b"donatie").hexdigest())}";
'''
    write_text(f"{base}/website/wp-content/plugins/donatie/config.php", php)

    gha = f'''name: deploy-website
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@{N("secret.generic", "pinned action commit SHA", hashlib.sha1(b"checkout").hexdigest())}
      - name: FTP deploy
        uses: SamKirkland/FTP-Deploy-Action@v4.3.5
        with:
          server: ftp.alhidaya-tilburg.nl
          username: deploy
          password: {P("secret.password", password())}
      - name: notify
        run: curl -X POST -H "Authorization: Bearer {P("secret.slack_token", "xoxb-" + str(rng.randint(10**11, 10**12 - 1)) + "-" + str(rng.randint(10**12, 10**13 - 1)) + "-" + rstr(24))}" https://slack.com/api/chat.postMessage
      - name: token from secrets
        env:
          GH: ${{{{ secrets.GH_TOKEN }}}}
'''
    write_text(f"{base}/.github/workflows/deploy.yml", gha)

    p = person()
    eml = f"""From: {p['name']} <{P('pii.email', p['email'])}>
To: bestuur@alhidaya-tilburg.nl
Subject: Verzoek om steun uit het zakatfonds
Date: Wed, 02 Dec 2026 20:41:00 +0100
Content-Type: text/plain; charset=utf-8

Assalamu alaikum,

Ik wil graag steun aanvragen. Sinds {P('special.health', 'mijn man in september een beroerte kreeg')} werkt hij niet meer.
{P('special.criminal', 'Mijn oudste zoon is veroordeeld tot 8 maanden cel')} en wij betalen de advocaat.
Mijn rekeningnummer is {P('pii.iban', iban('NL', True))}, mijn telefoon {P('pii.phone', phone())}.
Ik ben geboren op {P('pii.date_of_birth', dob_fmt(birth(), 'dmy-'))} en woon op {p['street']}, {P('pii.postcode', p['pc'])} Tilburg.

Wa salaam,
{p['name']}
"""
    write_text(f"{base}/mail/zakat_aanvraag.eml", eml)

    html = f"""<html><body>
<h2>Gebedstijden december</h2>
<p>{N('special.religion', 'prayer times (no person)', 'Vrijdaggebed (Jumu’ah) om 12.45 uur, khutbah in het Nederlands en Arabisch.')}</p>
<p>{N('special.religion', 'public course', 'Cursus Islam voor beginners: iedereen welkom, ook niet-moslims.')}</p>
<p>{N('special.health', 'public event', 'Bloeddrukmeting en diabetesvoorlichting na het gebed op zondag.')}</p>
<p>{N('special.political', 'neutrality statement', 'De moskee is politiek neutraal en geeft geen stemadvies.')}</p>
<p>{N('special.ethnicity', 'public description', 'Onze gemeenschap bestaat uit Marokkaanse, Turkse, Somalische en Nederlandse leden.')}</p>
<p>Zakat: {N('pii.iban', 'the mosque’s published donation IBAN', iban('NL', True))}</p>
</body></html>"""
    write_text(f"{base}/website/gebedstijden.html", html)


# ---------------------------------------------------------------- 5. political polling firm
PARTIES = ["PVV", "GroenLinks-PvdA", "VVD", "NSC", "D66", "BBB", "CDA", "SP", "PvdD", "Volt", "JA21", "SGP", "DENK", "FvD"]


def polling() -> None:
    base = "peilbureau_kompas_research"
    head = "panel_id\temail\tgeboortedatum\tpostcode\tip_laatste_sessie\tstemvoorkeur_tk\tvakbond\tgeloof\tafkomst\topen_antwoord"
    rows = [head]
    opens = [("special.sexual_orientation", "als homoseksuele man stem ik op een partij die mij beschermt"),
             ("special.health", "ik ben chronisch ziek (fibromyalgie) en de zorgkosten zijn te hoog"),
             ("special.sexual_orientation", "I am bisexual and worry about my rights"),
             ("special.health", "mijn moeder heeft alzheimer en de mantelzorg valt zwaar"),
             ("special.criminal", "na mijn gevangenisstraf krijg ik geen werk meer"),
             ("special.sexual_orientation", "mijn vrouw en ik (lesbisch stel) kregen een kind via IVF"),
             ("special.health", "ich habe Krebs und bekomme kaum Hilfe"),
             ("special.health", "door mijn depressie ga ik al jaren niet stemmen"),
             ("special.health", "je suis diabétique et la pharmacie est trop loin"),
             ("special.biometric", "mijn gezichtsscan voor de panel-app wil ik laten verwijderen")]
    unions = ["FNV", "CNV", "FNV Metaal", "De Unie", "AC Ambtenarencentrum", "NU'91", "VCP"]
    for i in range(40):
        p = person()
        vb = P("special.trade_union", unions[i % len(unions)]) if i % 3 == 0 else "nee"
        geloof = P("special.religion", rng.choice(["rooms-katholiek", "protestants", "islam", "hindoeïsme", "joods", "boeddhisme"])) \
            if i % 2 == 0 else "geen"
        afkomst = P("special.ethnicity", rng.choice(["Turks", "Marokkaans", "Surinaams", "Antilliaans", "Indonesisch", "Pools", "Kaapverdisch"])) \
            if i % 4 == 1 else ""
        op = P(*opens[i // 4]) if i % 4 == 2 and i // 4 < len(opens) else ""
        ip = ipv4() if i % 2 else ipv6()
        rows.append(f"KP{70000 + i}\t{P('pii.email', p['email'])}\t{P('pii.date_of_birth', p['dob'].isoformat())}\t"
                    f"{P('pii.postcode', p['pc'])}\t{P('pii.ip_address', ip)}\t{P('special.political', PARTIES[i % len(PARTIES)])}\t"
                    f"{vb}\t{geloof}\t{afkomst}\t{op}")
    write_text(f"{base}/panel/panelleden_golf_48.tsv", "\n".join(rows) + "\n")

    jl = []
    for i in range(12):
        p = person()
        rec = {"ts": f"2026-12-03T1{i % 10}:0{i % 6}:11Z", "level": "info", "event": "survey.completed",
               "respondent": P("pii.email", p["email"]), "ip": P("pii.ip_address", ipv4() if i % 3 else ipv6()),
               "answers": {"q7_partij": P("special.political", rng.choice(PARTIES))}}
        if i == 5:
            rec["answers"]["q7_partij"] = "wil ik niet zeggen"
            rec["answers"]["q12_toelichting"] = P("special.political", "lid van de PVV-fractie in Provinciale Staten")
        if i == 8:
            rec["answers"]["q15_vakbond"] = P("special.trade_union", "ja, lid van FNV sinds 1998")
        jl.append(json.dumps(rec, ensure_ascii=False))
    jl.append(json.dumps({"ts": "2026-12-03T23:59:59Z", "level": "info", "event": "stats",
                          "note": N("special.political", "aggregate statistics", "PVV 31 zetels, GL-PvdA 25 zetels (gewogen)"),
                          "build": N("secret.generic", "build SHA", hashlib.sha1(b'build').hexdigest())}, ensure_ascii=False))
    write_text(f"{base}/logs/survey-api.jsonl", "\n".join(jl) + "\n")

    ts = f'''export const config = {{
  apiBase: "https://api.kompasresearch.nl",
  supabaseUrl: "https://xyzkompas.supabase.co",
  supabaseAnonKey: "{N("secret.jwt", "Supabase anon key (public by design)", jwt({"role": "anon", "iss": "supabase"}))}",
  supabaseServiceRole: "{P("secret.jwt", jwt({"role": "service_role", "iss": "supabase"}))}",
  mapsKey: "{P("secret.gcp_api_key", "AIza" + rstr(35, B62 + "_-"))}",
  gitlabToken: "{P("secret.gitlab_token", "glpat-" + rstr(20, B62 + "_-"))}",
  sentryDsn: "https://{N("secret.generic", "Sentry DSN public key", rstr(32, HEX))}@o4505.ingest.de.sentry.io/42",
  openaiKey: process.env.OPENAI_API_KEY ?? "{N("secret.openai_key", "placeholder", "sk-...")}",
  hubspot: "{P("secret.generic", "pat-eu1-" + uuid())}",
}};
'''
    write_text(f"{base}/webapp/src/config.ts", ts)

    helm = f'''replicaCount: 2
image:
  repository: registry.kompasresearch.nl/panel
  tag: "{N("pii.ip_address", "version string", "1.14.2")}"
env:
  DATABASE_URL: "{P("secret.connection_string", f"postgresql://panel:{password()}@panel-db.kompas.svc:5432/panel")}"
  AMQP_URL: "{P("secret.connection_string", f"amqps://survey:{password()}@rabbit.kompas.svc:5671/panel")}"
  GITLAB_RUNNER_TOKEN: "{P("secret.gitlab_token", "glrt-" + rstr(20, B62 + "_-"))}"
  DATADOG_API_KEY: "{P("secret.generic", rstr(32, HEX))}"
  FACE_MATCH_THRESHOLD: "{N("special.biometric", "setting, no person", "0.82")}"
  API_SECRET: "{N("secret.generic", "placeholder", "<your-api-secret>")}"
  ADYEN_API_KEY: "{P("secret.adyen_key", "AQE" + rstr(5) + "+" + rstr(60, B62 + "+/=") )}"
  ADYEN_CLIENT_KEY: "{N("secret.adyen_key", "Adyen client key (public)", "live_" + rstr(32, string.ascii_uppercase + string.digits))}"
'''
    write_text(f"{base}/deploy/helm/values-prod.yaml", helm)

    pages = [["Kompas Research - Rapport Politieke Barometer december 2026", "",
              N("special.political", "aggregate statistics", "PVV 29 zetels, GroenLinks-PvdA 24, VVD 20, CDA 12"),
              N("special.trade_union", "aggregate statistics", "18% van de kiezers is lid van een vakbond (FNV, CNV)"),
              N("special.religion", "aggregate statistics", "Onder katholieke kiezers wint het CDA 3 zetels"),
              N("special.ethnicity", "aggregate statistics", "Kiezers met een Turkse of Marokkaanse achtergrond: DENK 40%"),
              "Steekproef n = 3.120, gewogen naar leeftijd en opleiding."],
             ["Bijlage A: klachten panelleden (vertrouwelijk)", "",
              f"Panellid KP70012 ({P('pii.email', email(name()))}) meldde: {P('special.political', 'ik ben lid van BBB en voel me niet vertegenwoordigd')}",
              f"Panellid KP70031, geboren {P('pii.date_of_birth', dob_fmt(birth(), 'dmy-'))}: {P('special.health', 'heeft MS en kon de vragenlijst niet afmaken')}",
              f"Terugbelnummer {P('pii.phone', phone())}, IP {P('pii.ip_address', ipv4())}."],
             ["Bijlage B: methodologie", "",
              N("special.sexual_orientation", "survey methodology", "Vraag 22 meet acceptatie van homoseksualiteit op een 5-puntsschaal."),
              N("special.health", "survey methodology", "Respondenten met een beperking kunnen de voorleesfunctie gebruiken."),
              f"Contact: {N('pii.email', 'role mailbox', 'onderzoek@kompasresearch.nl')}"]]
    write_pdf(f"{base}/rapporten/barometer_2026_12.pdf", pages)


# ---------------------------------------------------------------- 6. private detective agency
def detective() -> None:
    base = "recherchebureau_valk_eindhoven"
    pages = []
    for k in range(3):
        p = person()
        d = birth(1960, 1995)
        nat = [("BE", lambda: P("pii.national_id", be_nn(d)), lambda: P("pii.passport", "EJ" + str(rng.randint(100000, 999999)))),
               ("DE", lambda: P("pii.national_id", de_idnr()), lambda: P("pii.passport", de_passport())),
               ("FR", lambda: P("pii.national_id", fr_nir(d)), lambda: P("pii.passport", f"{rng.randint(10, 99)}{rstr(2, string.ascii_uppercase)}{rng.randint(10000, 99999)}"))][k]
        crim = ["werd in 2021 veroordeeld voor oplichting (12 maanden, waarvan 6 voorwaardelijk)",
                "staat op de zwarte lijst van verzekeraars wegens fraude en heeft een lopende strafzaak",
                "was in 2018 verdachte in een witwaszaak (geseponeerd), zat 3 weken in voorarrest"][k]
        health = ["meldt zich ziek met rugklachten maar sport dagelijks", "claimt PTSS na een ongeval",
                  "heeft volgens de bedrijfsarts een burn-out, maar werkt zwart bij een garage"][k]
        extra = ["Subject is openly gay and frequents a bar in Antwerp.", "Betrokkene is actief lid van de AfD.",
                 "Sujet d'origine algérienne, pratique le ramadan."][k]
        extra_t = ["special.sexual_orientation", "special.political", "special.ethnicity"][k]
        pages.append([f"Onderzoeksrapport dossier VALK-26-{110 + k} (pagina {k + 1})", "",
                      f"Onderzochte persoon: {p['name']}, geboren {P('pii.date_of_birth', dob_fmt(d, 'dmy-'))} ({nat[0]})",
                      f"Nationaal nummer / ID: {nat[1]()}   Paspoort: {nat[2]()}",
                      f"Rijbewijsnummer: {P('pii.drivers_license', nl_license())}",
                      f"Rekening: {P('pii.iban', iban(['BE', 'DE', 'LU'][k], True))}   Tel: {P('pii.phone', phone())}",
                      f"Adres: {p['street']}, {P('pii.postcode', p['pc'])} {p['city']}",
                      f"Strafrechtelijk: betrokkene {P('special.criminal', crim)}.",
                      f"Gezondheid: betrokkene {P('special.health', health)}.",
                      P(extra_t, extra),
                      f"Observatie {N('pii.date_of_birth', 'observation date', f'1{k}-11-2026')} 07:30-18:00, voertuig zie bijlage C."])
    write_pdf(f"{base}/dossiers/rapport_VALK-26-110.pdf", pages)

    p = person()
    eml = f"""From: {p['name']} <{P('pii.email', p['email'])}>
To: intake@valkrecherche.nl
Subject: Background check request
Date: Thu, 03 Dec 2026 11:02:00 +0100
Content-Type: text/plain; charset=utf-8

Dear Mr Valk,

I would like you to look into my business partner. He told me {P('special.health', 'he was treated for cocaine addiction in a clinic in 2022')},
and I have heard {P('special.criminal', 'he has a conviction for assault in Germany')}.
He is {P('special.religion', 'a devout Catholic who goes to Mass every Sunday')}, so I was surprised.
His passport number is {P('pii.passport', nl_passport())}, born {P('pii.date_of_birth', dob_fmt(birth(), 'en'))}.
I can pay by card: {P('pii.credit_card', card())}. Please call me on {P('pii.phone', phone())}.

Kind regards,
{p['name']}
"""
    write_text(f"{base}/mail/background_check.eml", eml)

    rows = ["datum,klant,kaart,bedrag,notitie"]
    for i in range(6):
        rows.append(f"2026-11-{10 + i},{name()},{P('pii.credit_card', card())},{rng.randint(300, 4000)}.00,voorschot")
    rows.append(f"2026-11-30,TEST,{N('pii.credit_card', 'brand test card', '4111 1111 1111 1111')},1.00,testtransactie")
    rows.append(f"2026-11-30,{name()},{N('pii.credit_card', 'masked card', '5355 **** **** 2291')},450.00,gemaskeerd")
    write_text(f"{base}/administratie/kaartbetalingen.csv", "\n".join(rows) + "\n")

    sh = f'''#!/usr/bin/env bash
# nightly backup of the dossier share to Backblaze B2
set -euo pipefail
export B2_APPLICATION_KEY_ID="{N("secret.generic", "B2 key id (not secret alone)", "005" + rstr(22, HEX))}"
export B2_APPLICATION_KEY="{P("secret.generic", "K005" + rstr(27, B62))}"
export PGPASSWORD="{P("secret.password", password())}"
export RESTIC_PASSWORD="{P("secret.password", password())}"
# export RESTIC_PASSWORD="{N("secret.password", "documented placeholder", "xxxxxxxx")}"
pg_dump -h db.valk.local -U dossiers dossiers | gzip > /backup/dossiers.sql.gz
sha256sum /backup/dossiers.sql.gz  # {N("secret.generic", "checksum", sha256())}
curl -s -X POST "https://api.telegram.org/bot{P("secret.generic", str(rng.randint(6000000000, 7999999999)) + ":AA" + rstr(33, B62 + "_-"))}/sendMessage" -d chat_id=-100123 -d text=backup-ok
'''
    write_text(f"{base}/ops/backup.sh", sh)

    cs = f'''namespace Valk.Dossiers;

public static class Secrets
{{
    public const string Db = "{P("secret.connection_string", f"Server=sql.valk.local;Database=Dossiers;User Id=valk_app;Password={password()};TrustServerCertificate=True")}";
    public const string ExactClientId = "{N("secret.exact_online", "Exact client id (public)", "{" + uuid() + "}")}";
    public const string ExactClientSecret = "{P("secret.exact_online", rstr(12))}";
    public const string BunqKey = "{P("secret.bunq_key", rstr(64, HEX))}";
    public const string StripeRestricted = "{P("secret.stripe_key", "rk_live_51" + rstr(96))}";
    public const string TwilioAccountSid = "{N("secret.twilio_key", "Twilio account SID (identifier)", "AC" + rstr(32, HEX))}";
    public const string DeviceSerial = "{N("secret.generic", "device serial", "VLK-" + rstr(12, string.ascii_uppercase + string.digits))}";
}}
'''
    write_text(f"{base}/src/Valk.Dossiers/Secrets.cs", cs)

    toml = f'''[server]
port = 8443
[database]
url = "{P("secret.connection_string", f"postgresql://valk:{password()}@10.1.2.3:5432/valk")}"
[github]
token = "{P("secret.github_token", github("ghp_"))}"
[openai]
api_key = "{P("secret.openai_key", "sk-proj-" + rstr(74, B62 + "_-") + "T3BlbkFJ" + rstr(74, B62 + "_-"))}"
[security]
password_reset_ttl = "{N("secret.password", "setting named like a secret", "3600")}"
secret_key = "{P("secret.generic", rstr(50, string.ascii_letters + string.digits + "!@#$%^&*(-_=+)"))}"
'''
    write_text(f"{base}/ops/app.toml", toml)

    ini = f'''[mail]
host = smtp.valkrecherche.nl
user = rapporten@valkrecherche.nl
password = {P("secret.password", password())}
[camera]
admin_password = {N("secret.password", "documented default PIN", "0000")}
[aws]
aws_access_key_id = {P("secret.aws_access_key", aws_id())}
aws_secret_access_key = {P("secret.aws_secret_key", aws_secret())}
'''
    write_text(f"{base}/ops/legacy.ini", ini)

    key = rsa_pem(pkcs8=True)
    write_text(f"{base}/ops/keys/report_signing.key", P("secret.private_key", key) + "\n")
    key2 = ec_pem()
    yaml = f'''vpn:
  server: vpn.valkrecherche.nl
  psk: "{P("secret.generic", rstr(44, B62))}"
  client_key: |
    {P("secret.private_key", key2.replace(chr(10), chr(10) + "    "))}
  fingerprint: "{N("secret.generic", "SSH fingerprint", "SHA256:" + base64.b64encode(hashlib.sha256(b"fp").digest()).decode().rstrip("="))}"
'''
    write_text(f"{base}/ops/vpn.yaml", yaml)

    facts = [("special.criminal", "eerder veroordeeld voor stalking (2020), gebiedsverbod"),
             ("special.criminal", "vermoedelijk betrokken bij hennepteelt, politie-inval 2024"),
             ("special.sexual_orientation", "heeft een relatie met een man (opdrachtgever = echtgenote)"),
             ("special.health", "loopt bij een psychiater, medicatie voor schizofrenie"),
             ("special.criminal", "draagt enkelband tot 03-2027"),
             ("special.sexual_orientation", "bezoekt een lesbische datingsite volgens de ex-partner"),
             ("special.criminal", "vorige week aangehouden voor rijden zonder rijbewijs"),
             ("special.religion", "bezoekt wekelijks de Koninkrijkszaal (Jehova)"),
             ("special.political", "organiseert boerenprotesten, lid van FDF"),
             ("special.biometric", "gezichtsfoto's van observatie aan gezichtsherkenningssoftware gevoerd"),
             ("special.health", "heeft volgens werkgever een alcoholprobleem"),
             ("special.criminal", "in Duitsland veroordeeld wegens Betrug (Bewährung)")]
    rows = ["dossier\tsubject_geboortedatum\tdocument\tdocumentnummer\trijbewijs\tbevinding"]
    for i, f in enumerate(facts):
        d = birth(1965, 1998)
        doc, num = [("paspoort NL", lambda: P("pii.passport", nl_passport())),
                    ("rijksregisternummer", lambda: P("pii.national_id", be_nn(d))),
                    ("Reisepass DE", lambda: P("pii.passport", de_passport())),
                    ("NIR", lambda: P("pii.national_id", fr_nir(d)))][i % 4]
        rows.append(f"VALK-26-{200 + i}\t{P('pii.date_of_birth', dob_fmt(d, 'dmy-'))}\t{doc}\t{num()}\t"
                    f"{P('pii.drivers_license', nl_license()) if i % 2 == 0 else ''}\t{P(*f)}")
    write_text(f"{base}/dossiers/subjecten_overzicht.tsv", "\n".join(rows) + "\n")


# ---------------------------------------------------------------- 7. language school for newcomers
def taalschool() -> None:
    base = "taalschool_nieuw_begin_deventer"
    notes = [("special.health", "PTSS, oorlogstrauma Syrië; concentratieproblemen"), ("special.health", "slechtziend, grote letters nodig"),
             ("special.religion", "christen bekeerling uit Iran, vreest vervolging"), ("special.sexual_orientation", "gevlucht omdat hij homo is"),
             ("special.ethnicity", "Koerdisch"), ("special.ethnicity", "Hazara uit Afghanistan"),
             ("special.political", "oppositie-journalist, lid van de verboden partij in Eritrea"),
             ("special.criminal", "heeft taakstraf, lessen op dinsdag vervallen"), ("special.health", "zwanger, verlof vanaf maart"),
             ("special.health", "dochter heeft epilepsie, mist daarom lessen"), ("special.religion", "ramadan: les na zonsondergang gevraagd"),
             ("special.ethnicity", "Oeigoers"), ("special.sexual_orientation", "transvrouw, lesbisch, woont in COA-lgbti-unit"),
             ("special.trade_union", "was vakbondsleider in Turkije (KESK)"), ("special.biometric", "vingerafdrukken afgenomen voor inburgeringsexamen-pas")]
    rows = [["cursistnr", "naam", "geboortedatum", "bsn", "telefoon", "email", "postcode", "begeleidingsnotitie"]]
    for i in range(20):
        p = person()
        note = P(*notes[i]) if i < len(notes) else "geen"
        rows.append([f"C{5500 + i}", p["name"], P("pii.date_of_birth", dob_fmt(p["dob"], "dmy-")), P("pii.bsn", bsn()),
                     P("pii.phone", p["phone"]), P("pii.email", p["email"]), P("pii.postcode", p["pc"]), note])
    write_xlsx(f"{base}/administratie/cursisten_2026.xlsx", {"cursisten": rows})

    paras = ["Voortgangsverslag inburgering (vertrouwelijk)", "",
             f"Cursist C5503, geboren {P('pii.date_of_birth', dob_fmt(birth(1990, 2002), 'nl'))}, BSN {P('pii.bsn', bsn())}.",
             f"Hij vertelde dat {P('special.sexual_orientation', 'hij in zijn land gevangen zat omdat hij een vriend had')}.",
             f"Zijn broer {P('special.health', 'is in het AZC opgenomen met een psychose')}.",
             f"Hij is {P('special.political', 'lid van de oppositiepartij en demonstreerde in Khartoum')}.",
             f"Mentor: {P('pii.phone', phone())}",
             "",
             N("special.health", "policy text", "Cursisten met dyslexie of een visuele beperking kunnen extra tijd aanvragen."),
             N("special.religion", "policy text", "Tijdens Suikerfeest en Pasen zijn er geen lessen."),
             N("special.criminal", "policy text", "Voor vrijwilligers vragen wij altijd een VOG aan."),
             N("special.ethnicity", "statistics", "Herkomst cursisten 2026: 40% Syrië, 25% Eritrea, 15% Oekraïne.")]
    write_docx(f"{base}/verslagen/voortgang_C5503.docx", "Taalschool Nieuw Begin", paras)

    md = ["# Lesrooster en huisregels", "",
          N("special.trade_union", "public information", "Docenten zijn aangesloten bij de cao; vragen over de AOb kunt u aan uw docent stellen."),
          N("special.political", "curriculum", "Les 7: de Nederlandse politieke partijen en verkiezingen."),
          N("special.sexual_orientation", "curriculum", "Les 9: in Nederland mogen twee mannen of twee vrouwen trouwen."),
          N("special.health", "schedule", "Woensdag: spreekuur van de GGD over vaccinaties."),
          N("special.biometric", "public information", "Voor het examen neemt DUO een pasfoto; er worden geen vingerafdrukken bewaard."),
          f"Contact: {N('pii.email', 'example address in docs', 'cursist@example.com')}, {N('pii.postcode', 'office postcode', '7411 KT')}"]
    write_text(f"{base}/website/huisregels.md", "\n".join(md) + "\n")

    kt = f'''package nl.nieuwbegin.app

object ApiConfig {{
    const val BASE_URL = "https://api.nieuwbegin.nl"
    const val FIREBASE_KEY = "{N("secret.gcp_api_key", "Firebase web key (restricted, public by design)", "AIza" + rstr(35, B62 + "_-"))}"
    const val SERVER_TOKEN = "{P("secret.jwt", jwt({"sub": "app-server", "scope": "admin"}))}"
    const val SENDGRID = "{P("secret.sendgrid_key", "SG." + rstr(22, B62 + "_-") + "." + rstr(43, B62 + "_-"))}"
    const val GITHUB_PAT = "{P("secret.github_token", "github_pat_" + rstr(22) + "_" + rstr(59))}"
    const val SLACK = "{P("secret.slack_token", "xoxp-" + str(rng.randint(10**11, 10**12 - 1)) + "-" + str(rng.randint(10**11, 10**12 - 1)) + "-" + str(rng.randint(10**12, 10**13 - 1)) + "-" + rstr(32, HEX))}"
    const val TEST_UUID = "{N("secret.generic", "UUID", uuid())}"
}}
'''
    write_text(f"{base}/android/app/src/main/java/nl/nieuwbegin/app/ApiConfig.kt", kt)

    gl = f'''stages: [test, deploy]
variables:
  POSTGRES_PASSWORD: "{N("secret.password", "CI service password for throwaway DB", "postgres")}"
deploy:
  stage: deploy
  script:
    - export GCP_KEY='{P("secret.gcp_api_key", "AIza" + rstr(35, B62 + "_-"))}'
    - export SENTRY_AUTH_TOKEN={P("secret.generic", "sntrys_" + rstr(80, B62))}
    - export NPM_TOKEN={P("secret.generic", "npm_" + rstr(36))}
    - deploy.sh --token "$DEPLOY_TOKEN"
'''
    write_text(f"{base}/.gitlab-ci.yml", gl)


# ---------------------------------------------------------------- extra files (secrets, negatives)
def extras() -> None:
    env = f'''# Kompas Research panel platform - production
APP_KEY=base64:{P("secret.generic", base64.b64encode(rstr(32).encode()).decode())}
STRIPE_SECRET_KEY={P("secret.stripe_key", "sk_live_51" + rstr(96))}
STRIPE_PUBLISHABLE_KEY={N("secret.stripe_key", "publishable key (public by design)", "pk_live_51" + rstr(96))}
STRIPE_WEBHOOK_SECRET={P("secret.generic", "whsec_" + rstr(32))}
SENDGRID_API_KEY={P("secret.sendgrid_key", "SG." + rstr(22, B62 + "_-") + "." + rstr(43, B62 + "_-"))}
SLACK_BOT_TOKEN={P("secret.slack_token", "xoxb-" + str(rng.randint(10**11, 10**12 - 1)) + "-" + str(rng.randint(10**12, 10**13 - 1)) + "-" + rstr(24))}
AWS_ACCESS_KEY_ID={P("secret.aws_access_key", aws_id())}
AWS_SECRET_ACCESS_KEY={P("secret.aws_secret_key", aws_secret())}
AWS_KMS_KEY_ARN={N("secret.aws_access_key", "KMS key ARN (identifier)", "arn:aws:kms:eu-central-1:" + str(rng.randint(10**11, 10**12 - 1)) + ":key/" + uuid())}
GITLAB_DEPLOY_TOKEN={P("secret.gitlab_token", "gldt-" + rstr(20, B62 + "_-"))}
MOLLIE_API_KEY={P("secret.mollie_key", "live_" + rstr(30))}
OPENAI_API_KEY={P("secret.openai_key", "sk-proj-" + rstr(74, B62 + "_-") + "T3BlbkFJ" + rstr(74, B62 + "_-"))}
TWILIO_ACCOUNT_SID={N("secret.twilio_key", "Twilio account SID (identifier)", "AC" + rstr(32, HEX))}
TWILIO_API_KEY={P("secret.twilio_key", "SK" + rstr(32, HEX))}
TWILIO_API_SECRET={P("secret.generic", rstr(32))}
AZURE_CLIENT_SECRET={P("secret.azure_client_secret", rstr(3, B62) + "8Q~" + rstr(34, B62 + "_~.-"))}
BUNQ_API_KEY={P("secret.bunq_key", rstr(64, HEX))}
EXACT_CLIENT_SECRET={P("secret.exact_online", rstr(12))}
MAILCHIMP_API_KEY={P("secret.generic", rstr(32, HEX) + "-us21")}
CLOUDFLARE_API_TOKEN={P("secret.generic", rstr(40, B62 + "_-"))}
DATABASE_URL={P("secret.connection_string", f"postgresql://kompas:{password()}@db-prod.kompasresearch.nl:5432/kompas")}
REDIS_URL={N("secret.connection_string", "local default without credentials", "redis://localhost:6379/0")}
ADMIN_EMAIL={N("pii.email", "role mailbox", "admin@kompasresearch.nl")}
LOG_LEVEL=info
'''
    write_text("peilbureau_kompas_research/deploy/.env.production", env)
    write_text("peilbureau_kompas_research/deploy/.env.example", f'''APP_KEY={N("secret.generic", "placeholder", "base64:CHANGE_ME")}
STRIPE_SECRET_KEY={N("secret.stripe_key", "placeholder", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx")}
SENDGRID_API_KEY={N("secret.sendgrid_key", "placeholder", "SG.your-key-here")}
AWS_SECRET_ACCESS_KEY={N("secret.aws_secret_key", "AWS documentation example", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")}
DATABASE_URL={N("secret.connection_string", "placeholder credentials", "postgresql://user:password@localhost:5432/kompas")}
OPENAI_API_KEY={N("secret.openai_key", "placeholder", "<your-openai-key>")}
''')

    appsettings = {
        "ConnectionStrings": {"Planning": P("secret.connection_string",
                                            f"Server=tcp:zoetbegin.database.windows.net,1433;Initial Catalog=planning;User ID=planadmin;Password={password()};Encrypt=True")},
        "Storage": {"AccountKey": P("secret.azure_storage_key", rstr(86, B62 + "+/") + "==")},
        "ApplicationInsights": {"InstrumentationKey": N("secret.generic", "Application Insights key (identifier)", uuid())},
        "Jwt": {"SigningKey": P("secret.generic", rstr(64, B62))},
        "Sms": {"ApiKey": P("secret.generic", "mb_live_" + rstr(25))},
        "Security": {"PasswordRequiredLength": N("secret.password", "setting named like a secret", "10")},
    }
    write_text("kraamzorg_zoet_begin/planning/appsettings.Production.json", json.dumps(appsettings, indent=2))

    gha = f'''name: build-ecd-sync
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      SONAR_TOKEN: $SONAR_TOKEN
      DOCKER_AUTH: "{P("secret.generic", base64.b64encode(("deploy:" + password()).encode()).decode())}"
    steps:
      - uses: actions/checkout@v4
      - run: git clone https://{P("secret.github_token", github("gho_"))}@github.com/lindehof/ecd-sync.git
      - run: ./notify.sh "{P("secret.slack_token", "https://hooks.slack.com/services/T0" + rstr(7, string.ascii_uppercase + string.digits) + "/B0" + rstr(8, string.ascii_uppercase + string.digits) + "/" + rstr(24))}"
      - run: echo "cache key {N("secret.generic", "cache checksum", sha256())}"
'''
    python_fix = gha
    write_text("hospice_de_lindehof/.github/workflows/build.yml", python_fix)
    # Slack webhook above is a positive: relabel it on its line
    key = ed25519.Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                            serialization.NoEncryption()).decode().strip()
    pub = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    write_text("hospice_de_lindehof/ops/id_ed25519", P("secret.private_key", pem) + "\n")
    write_text("hospice_de_lindehof/ops/id_ed25519.pub", N("secret.private_key", "public key", pub + " beheer@lindehof") + "\n")

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pk = rsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption()).decode()
    sa = {"type": "service_account", "project_id": "vdm-polis-prod", "private_key_id": rstr(40, HEX),
          "private_key": "\x00PK\x00", "client_email": "polis-sync@vdm-polis-prod.iam.gserviceaccount.com",
          "client_id": str(rng.randint(10**20, 10**21 - 1)), "token_uri": "https://oauth2.googleapis.com/token"}
    text = json.dumps(sa, indent=2)
    escaped = json.dumps(pk)[1:-1]
    text = text.replace('"\\u0000PK\\u0000"', '"' + P("secret.gcp_service_account", escaped) + '"')
    write_text("assurantiekantoor_van_dijk_mulder/infra/gcp-polis-sync.json", text)

    readme = f"""# AFD-koppeling

Configuratie: kopieer `.env.example` en vul in:

- `AFD_TOKEN={N('secret.generic', 'placeholder', '<your-afd-token>')}`
- `AWS_ACCESS_KEY_ID={N('secret.aws_access_key', 'documentation example', 'AKIAIOSFODNN7EXAMPLE')}`
- `DB_PASSWORD={N('secret.password', 'placeholder', '********')}`
- Testklant: {N('pii.email', 'example.com address', 'jan.jansen@example.com')}, BSN {N('pii.bsn', 'RvIG test BSN', '111222333')}

## Changelog
- {N('pii.date_of_birth', 'release date', '2026-11-02')}: versie {N('pii.ip_address', 'version string', '2.4.1.0')}
- {N('pii.date_of_birth', 'release date', '2026-09-14')}: ordernummer-validatie ({N('pii.bsn', 'order number', 'ORD-2026-004417')})
- Commit {N('secret.generic', 'commit SHA', hashlib.sha1(b'afd').hexdigest())}
"""
    write_text("assurantiekantoor_van_dijk_mulder/tools/README.md", readme)

    cat = ["artikel;omschrijving;prijs"]
    for art, desc in [("KZ-01", "Kraampakket inclusief matrasbeschermer"), ("KZ-02", "Borstkolf (huur) bij borstvoedingsproblemen"),
                      ("KZ-03", "Bedverhogers na keizersnede"), ("KZ-04", "Zwangerschapsdiabetes-glucosemeter"),
                      ("KZ-05", "Kruik en couveuse-deken voor prematuren"), ("KZ-06", "Navelklem en kraamverband")]:
        cat.append(f"{art};{N('special.health', 'product catalogue', desc)};{rng.randint(5, 90)},95")
    write_text("kraamzorg_zoet_begin/administratie/productcatalogus.csv", "\n".join(cat) + "\n")

    prog = ["# Verkiezingsprogramma's: samenvatting voor de vragenlijst (intern)", "",
            N("special.political", "party programme", "De SP wil het eigen risico in de zorg afschaffen."),
            N("special.political", "party programme", "De VVD wil de hypotheekrenteaftrek behouden."),
            N("special.political", "party programme", "BBB wil meer zeggenschap voor de regio."),
            N("special.religion", "party programme", "De SGP baseert haar politiek op de Bijbel."),
            N("special.trade_union", "party programme", "GroenLinks-PvdA wil dat vakbonden meer invloed krijgen op cao's."),
            N("special.sexual_orientation", "survey question", "Q22: Homoseksuele stellen moeten kinderen kunnen adopteren (eens/oneens)."),
            N("special.ethnicity", "survey question", "Q30: Wat is het geboorteland van uw ouders? (optioneel, leeg laten mag)"),
            N("special.criminal", "survey question", "Q31: Bent u ooit slachtoffer geweest van een misdrijf?"),
            N("special.health", "survey question", "Q32: Hoe beoordeelt u uw eigen gezondheid? (1-5)"),
            N("special.trade_union", "survey question", "Q33: Bent u lid van een vakbond? ja / nee / wil ik niet zeggen")]
    write_text("peilbureau_kompas_research/vragenlijst/programmas_en_vragen.md", "\n".join(prog) + "\n")

    sched = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nieuw Begin//NL"]
    for d, s in [("20261207T090000", "Training vrijwilligers: omgaan met trauma en PTSS"),
                 ("20261208T140000", "Voorlichting GGD: tbc-screening voor nieuwkomers"),
                 ("20261209T100000", "Bezoek moskee en synagoge (excursie les 8)"),
                 ("20261210T190000", "Debat: politieke partijen en stemrecht voor nieuwkomers"),
                 ("20261211T150000", "Workshop: LHBTI-rechten in Nederland"),
                 ("20261214T100000", "Voorlichting reclassering: werken met een VOG")]:
        kind = {"T0900": "special.health", "T1400": "special.health", "T1000": "special.religion", "T1900": "special.political",
                "T1500": "special.sexual_orientation"}.get(d[8:13], "special.criminal")
        sched += ["BEGIN:VEVENT", f"DTSTART:{d}", f"SUMMARY:{N(kind, 'public schedule, no person', s)}", "END:VEVENT"]
    sched.append("END:VCALENDAR")
    write_text("taalschool_nieuw_begin_deventer/rooster/activiteiten.ics", "\n".join(sched) + "\n", newline="\r\n")

    bio = ["# Medicijnkluis en tijdregistratie (procedure)", "",
           N("special.biometric", "procedure text", "De medicijnkluis opent met een vingerafdruk van een BIG-geregistreerde verpleegkundige."),
           N("special.biometric", "policy text", "Biometrische gegevens worden niet centraal opgeslagen; de template blijft op de lezer."),
           f"Medewerker {name()}: {P('special.biometric', 'vingerafdruk geregistreerd op kluis 2 (template 0x4F2A)')}",
           f"Medewerker {name()}: {P('special.biometric', 'gezichtsherkenning voor de tijdklok ingeschakeld')}",
           N("special.health", "procedure text", "Opiaten worden dubbel gecontroleerd en geregistreerd in het opiatenregister."),
           f"Storing: bel {N('pii.phone', 'supplier service number', '0900-1234567')}"]
    write_text("hospice_de_lindehof/procedures/medicijnkluis.md", "\n".join(bio) + "\n")

    menv = f"""APP_NAME=AlHidayaDonaties
APP_KEY=base64:{P('secret.generic', base64.b64encode(rstr(32).encode()).decode())}
DB_CONNECTION=mysql
DB_PASSWORD={P('secret.password', password())}
MAIL_PASSWORD={P('secret.password', password())}
MOLLIE_KEY={P('secret.mollie_key', 'live_' + rstr(30))}
GOOGLE_CLIENT_SECRET={P('secret.generic', 'GOCSPX-' + rstr(28, B62 + '_-'))}
GOOGLE_MAPS_KEY={P('secret.gcp_api_key', 'AIza' + rstr(35, B62 + '_-'))}
PUSHER_APP_SECRET={P('secret.generic', rstr(20, HEX))}
PUSHER_APP_KEY={N('secret.generic', 'Pusher app key (public by design)', rstr(20, HEX))}
REDIS_PASSWORD={N('secret.password', 'null value', 'null')}
"""
    write_text("moskee_al_hidaya_tilburg/donatie-app/.env", menv)

    de = ["# Notizen Grenzgänger (Bewohner aus Deutschland)", "",
          f"- Frau {name()}, geb. {P('pii.date_of_birth', dob_fmt(birth(1935, 1950), 'dot'))}, Steuer-ID {P('pii.national_id', de_idnr())}",
          f"- {P('special.health', 'Diagnose: fortgeschrittenes Ovarialkarzinom, Aszites')}",
          f"- {P('special.religion', 'evangelisch, wünscht Abendmahl durch ihren Pfarrer')}",
          f"- Tochter: {P('pii.phone', '+49 2821 ' + str(rng.randint(100000, 999999)))}, {P('special.health', 'Tochter ist selbst an MS erkrankt')}",
          f"- {P('special.trade_union', 'war 35 Jahre Mitglied der IG Metall')}, Kollegen möchten sie besuchen",
          f"- Remarque de la famille (FR): {P('special.health', 'son frère est décédé d’un cancer du poumon')}",
          f"- Sa petite-fille {P('special.sexual_orientation', 'vit avec sa compagne à Liège')}",
          f"- Kontoverbindung Angehörige: {P('pii.iban', iban('DE', True))}"]
    write_text("hospice_de_lindehof/registers/grensbewoners.md", "\n".join(de) + "\n")


# ---------------------------------------------------------------- main
def main() -> None:
    for d in ROOT.iterdir():
        if d.is_dir():
            shutil.rmtree(d)
    for org in (hospice, broker, kraamzorg, mosque, polling, detective, taalschool, extras):
        org()
    files = {k: MANIFEST[k] for k in sorted(MANIFEST)}
    (ROOT / "manifest.json").write_text(json.dumps({"files": files}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    kinds: dict[str, dict[str, int]] = {}
    pos_t: Counter = Counter()
    neg_t: Counter = Counter()
    for rel, e in files.items():
        name_ = Path(rel).name
        kind = Path(rel).suffix.lstrip(".") or name_
        if name_.startswith(".env"):
            kind = ".env"
        k = kinds.setdefault(kind, {"files": 0, "positives": 0, "negatives": 0})
        k["files"] += 1
        k["positives"] += len(e["positives"])
        k["negatives"] += len(e["negatives"])
        pos_t.update(p["type"] for p in e["positives"])
        neg_t.update(n["looks_like"] for n in e["negatives"])
    fam = Counter(t.split(".")[0] for t in pos_t.elements())
    nfam = Counter(t.split(".")[0] for t in neg_t.elements())
    summary = {"files": len(files), "by_file_kind": dict(sorted(kinds.items())),
               "positives": sum(pos_t.values()), "negatives": sum(neg_t.values()),
               "positives_by_family": dict(sorted(fam.items())), "negatives_by_family": dict(sorted(nfam.items())),
               "positives_by_type": dict(sorted(pos_t.items())), "negatives_by_looks_like": dict(sorted(neg_t.items()))}
    (ROOT / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: summary[k] for k in ("files", "positives", "negatives", "positives_by_family",
                                               "negatives_by_family")}))


if __name__ == "__main__":
    main()
