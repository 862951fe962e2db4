"""A labelled corpus for the detection engine: realistic snippets with true values and hard negatives.

`labelled_samples()` returns the same list on every call (seeded generator): each `Sample` has its
text and the `(type, start, end)` spans of every value the engine must report as actionable
(confidence >= ACTIONABLE). Hard negatives carry no spans: numbers failing their checksums, order
and invoice numbers, version strings, hashes, UUIDs, lorem ipsum, placeholders, documentation
examples, private addresses, and special-category words not said about a person.
Values are generated (valid checksums, random keys); none belongs to a real person or account.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from stdnum import iban, luhn
from stdnum.nl import bsn

ACTIONABLE = 0.5  # findings below this confidence are placeholders/fixtures, not reportable hits
SEED = 20261123
PER_TYPE = 12  # positive samples generated per type


@dataclass(frozen=True)
class Sample:
    """One snippet with the spans of every value in it that must be found."""

    text: str
    spans: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def values(self) -> list[str]:
        """The planted raw values (tests grep every output for these)."""
        return [self.text[start:end] for _, start, end in self.spans]


Part = str | tuple[str, str]


def build(*parts: Part) -> Sample:
    """Concatenate text parts; a (type, value) part is recorded as a span."""
    text, spans = "", []
    for part in parts:
        if isinstance(part, tuple):
            kind, value = part
            spans.append((kind, len(text), len(text) + len(value)))
            text += value
        else:
            text += part
    return Sample(text, spans)


# --- value generators (valid by construction) ---------------------------------------------------

def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    """A random key that uses every character class its alphabet offers, as generated keys do."""
    classes = [c for c in (string.digits, string.ascii_uppercase, string.ascii_lowercase)
               if any(ch in alphabet for ch in c)]
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(n))
        if all(any(ch in cls for ch in value) for cls in classes):
            return value


def make_bsn(rng: random.Random) -> str:
    """A nine-digit number passing the 11-proof."""
    while True:
        candidate = str(rng.randint(1, 9)) + _digits(rng, 8)
        if bsn.is_valid(candidate):
            return candidate


def make_iban(rng: random.Random, country: str = "NL") -> str:
    """An IBAN with a valid mod-97 check (and Belgian national check) for the country's format."""
    if country == "BE":
        account = _digits(rng, 10)
        bban = account + f"{int(account) % 97 or 97:02d}"
    elif country == "DE":
        bban = _digits(rng, 18)
    else:
        bban = rng.choice(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "BUNQ"]) + _digits(rng, 10)
    value = country + iban.calc_check_digits(country + "00" + bban) + bban
    assert iban.is_valid(value), "corpus generator built an invalid IBAN"
    return value


def make_card(rng: random.Random) -> str:
    """A Luhn-valid Visa, Mastercard or Amex number, grouped as printed on a card."""
    prefix, length = rng.choice([("4", 16), ("5" + str(rng.randint(1, 5)), 16), ("37", 15)])
    body = prefix + _digits(rng, length - len(prefix) - 1)
    number = body + luhn.calc_check_digit(body)
    if length == 15:
        return rng.choice([number, f"{number[:4]} {number[4:10]} {number[10:]}"])
    sep = rng.choice(["", " ", "-"])
    return sep.join(number[i:i + 4] for i in range(0, 16, 4))


def make_phone(rng: random.Random) -> str:
    """A Dutch mobile or landline number in national or +31 form."""
    mobile = "6" + str(rng.randint(1, 5)) + _digits(rng, 7)
    landline = rng.choice(["20", "10", "70", "30", "40", "50"]) + str(rng.randint(2, 9)) + _digits(rng, 6)
    number = rng.choice([mobile, landline])
    return rng.choice([
        "0" + number, f"0{number[:1]}-{number[1:]}", f"+31 {number[:1]} {number[1:5]} {number[5:]}",
        f"+31{number}", f"0{number[:2]} {number[2:5]} {number[5:]}", f"0031{number}",
    ])


def make_eu_phone(rng: random.Random) -> str:
    """A German or Belgian number in international form."""
    return rng.choice([f"+49 30 {_digits(rng, 8)}", f"+32 2 {_digits(rng, 3)} {_digits(rng, 2)} 10"])


STREETS = ("Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenlaan", "Prinsengracht", "Julianalaan",
           "Beatrixstraat", "Van Goghlaan", "Hoofdweg")
CITIES = ("Amsterdam", "Utrecht", "Rotterdam", "Eindhoven", "Zwolle", "Groningen", "Haarlem")
FIRST = ("Jan", "Sanne", "Pieter", "Fatima", "Mohammed", "Emma", "Daan", "Lotte", "Ahmet", "Eva")
LAST = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "El Amrani", "Yilmaz", "van Dijk", "Mulder")


def make_postcode(rng: random.Random) -> str:
    """A Dutch address: street, house number and postcode (or postcode then house number)."""
    code = f"{rng.randint(1000, 9999)} {rng.choice(['AB', 'CD', 'KL', 'RT', 'XZ', 'PE'])}"
    number = str(rng.randint(1, 250)) + rng.choice(["", "", "a", "-2"])
    if rng.random() < 0.7:
        return f"{rng.choice(STREETS)} {number}, {code.replace(' ', rng.choice([' ', '']))}"
    return f"{code} {number}"


def make_date(rng: random.Random) -> str:
    """A past date in a Dutch or ISO notation."""
    year, month, day = rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)
    months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december")
    return rng.choice([f"{day:02d}-{month:02d}-{year}", f"{day}/{month}/{year}",
                       f"{year}-{month:02d}-{day:02d}", f"{day} {months[month - 1]} {year}"])


def make_document_number(rng: random.Random) -> str:
    """A Dutch passport / ID-card number: two letters, six letters or digits, one digit (no O)."""
    letters = string.ascii_uppercase.replace("O", "")
    middle = "".join(rng.choice(letters + string.digits) for _ in range(5)) + rng.choice(string.digits)
    return "".join(rng.choice(letters) for _ in range(2)) + middle + rng.choice(string.digits)


def make_public_ip(rng: random.Random) -> str:
    """A public IPv4 (or sometimes IPv6) address."""
    if rng.random() < 0.25:
        return f"2a02:{rng.randint(0x1000, 0xffff):x}:{rng.randint(1, 0xffff):x}::{rng.randint(1, 0xfff):x}"
    return f"{rng.choice([31, 62, 77, 82, 84, 145, 185, 213])}.{rng.randint(1, 254)}.{rng.randint(0, 254)}." \
           f"{rng.randint(1, 254)}"


# --- positive templates per type ------------------------------------------------------------------

Template = Callable[[random.Random], Sample]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _personal_email(r: random.Random) -> str:
    domain = r.choice(["gmail.com", "kpn.nl", "ziggo.nl", "outlook.com"])
    return f"{r.choice(FIRST).lower()}.{r.choice(LAST[1:5]).lower()}@{domain}"


def _pii_templates() -> dict[str, list[Template]]:
    return {
        "pii.bsn": [
            lambda r: build(f"Klant {_person(r)}, BSN: ", ("pii.bsn", make_bsn(r)), ", woont in Utrecht."),
            lambda r: build("burgerservicenummer=", ("pii.bsn", make_bsn(r))),
            # a bare nine-digit number is a BSN only where something names it: here the export's header
            lambda r: build(f"naam;bsn;geboortejaar;woonplaats\n{_person(r)};", ("pii.bsn", make_bsn(r)),
                            ";1985;Amsterdam"),
            lambda r: build("Citizen service number ", ("pii.bsn", (lambda b: f"{b[:4]}.{b[4:6]}.{b[6:]}")(
                make_bsn(r))), " was verified."),
        ],
        "pii.iban": [
            lambda r: build("Gelieve over te maken naar IBAN ", ("pii.iban", make_iban(r)), " t.n.v. ",
                            _person(r)),
            lambda r: build("rekeningnummer: ", ("pii.iban", " ".join(
                (lambda v: [v[i:i + 4] for i in range(0, len(v), 4)])(make_iban(r))))),
            lambda r: build("Konto ", ("pii.iban", make_iban(r, "DE")), " (Sparkasse)"),
            lambda r: build("refund to ", ("pii.iban", make_iban(r, "BE")), " tomorrow"),
        ],
        "pii.credit_card": [
            lambda r: build("Card number: ", ("pii.credit_card", make_card(r)), " exp 04/29"),
            lambda r: build("creditcard ", ("pii.credit_card", make_card(r)), " van klant ", _person(r)),
            lambda r: build('{"pan": "', ("pii.credit_card", make_card(r)), '", "cvc": "***"}'),
        ],
        "pii.email": [
            _one("pii.email", "Contact: ", _personal_email, "."),
            _one("pii.email", "mail naar <", lambda r: f"{r.choice(FIRST).lower()}{r.randint(1, 99)}@live.nl",
                 ">"),
            _one("pii.email", 'user = {"email": "', lambda r: f"{r.choice(FIRST).lower()}@acme-bv.nl", '"}'),
        ],
        "pii.phone": [
            lambda r: build("Bel me op ", ("pii.phone", make_phone(r)), " na 17:00."),
            lambda r: build("tel: ", ("pii.phone", make_phone(r)), " / mobiel"),
            lambda r: build(f"{_person(r)}, ", ("pii.phone", make_phone(r)), ", Utrecht"),
            lambda r: build("phone ", ("pii.phone", make_eu_phone(r)), " (office)"),
        ],
        "pii.postcode": [
            lambda r: build("Adres: ", ("pii.postcode", make_postcode(r)), f" {r.choice(CITIES)}"),
            lambda r: build(f"{_person(r)} woont op de ", ("pii.postcode", make_postcode(r)), "."),
        ],
        "pii.date_of_birth": [
            lambda r: build("Geboortedatum: ", ("pii.date_of_birth", make_date(r))),
            lambda r: build(f"{_person(r)}, geboren ", ("pii.date_of_birth", make_date(r)), " te Leiden"),
            lambda r: build('{"dob": "', ("pii.date_of_birth", make_date(r)), '"}'),
            lambda r: build("Date of birth ", ("pii.date_of_birth", make_date(r))),
        ],
        "pii.passport": [
            lambda r: build("Paspoortnummer ", ("pii.passport", make_document_number(r)),
                            f" van {_person(r)}"),
            lambda r: build("ID-kaart documentnummer: ", ("pii.passport", make_document_number(r))),
            lambda r: build("passport no. ", ("pii.passport", make_document_number(r)), ", valid until 2031"),
        ],
        "pii.drivers_license": [
            _one("pii.drivers_license", "Rijbewijsnummer: ", lambda r: str(r.randint(1, 9)) + _digits(r, 9)),
            lambda r: build("driving licence ", ("pii.drivers_license", "5" + _digits(r, 9)), " (cat. B)"),
        ],
        "pii.national_id": [
            lambda r: build("Rijksregisternummer ", ("pii.national_id", r.choice(
                ["85.07.30-033.28", "85073003328", "93.05.18-223.61"]))),
            lambda r: build("Codice fiscale: ", ("pii.national_id", r.choice(
                ["RCCMNL83S18D969H", "MRTMTT91D08F205J"]))),
            lambda r: build("PESEL ", ("pii.national_id", r.choice(["44051401359", "02070803628"]))),
            lambda r: build("Steuer-ID ", ("pii.national_id", r.choice(["36574261809", "86095742719"]))),
            lambda r: build("DNI ", ("pii.national_id", r.choice(["54362315K", "12345678Z"]))),
        ],
        "pii.ip_address": [
            lambda r: build("login from ", ("pii.ip_address", make_public_ip(r)), " at 09:14"),
            lambda r: build('remote_addr="', ("pii.ip_address", make_public_ip(r)), '"'),
        ],
    }


def _special_templates() -> dict[str, list[Template]]:
    def said(kind: str, term_sets: tuple[str, ...], frames: tuple[str, ...]) -> list[Template]:
        def template(r: random.Random) -> Sample:
            term = r.choice(term_sets)
            before, after = r.choice(frames).split("{}")
            return build(before.replace("NAME", _person(r)), (kind, term), after)
        return [template]

    frames_nl = ("Patiënt NAME is gediagnosticeerd met {}.", "Medewerker NAME heeft {} (zie dossier).",
                 "Mevrouw NAME: {}")
    frames_en = ("Employee NAME was diagnosed with {} last year.", "Customer NAME says she is {}.")
    return {
        "special.health": said("special.health", ("diabetes", "depressie", "epilepsie", "burn-out", "kanker",
                                                  "astma"), frames_nl)
        + said("special.health", ("diabetes", "cancer", "epilepsy", "depression"), frames_en),
        "special.religion": said("special.religion", ("moslim", "katholiek", "joods", "hindoe"),
                                 ("Klant NAME is {} en vraagt vrij op feestdagen.", "Medewerker NAME ({})"))
        + said("special.religion", ("Muslim", "Catholic", "Jewish"), ("Applicant NAME is {}.",)),
        "special.ethnicity": said("special.ethnicity", ("Marokkaanse afkomst", "Turkse afkomst",
                                                        "migratieachtergrond"),
                                  ("Sollicitant NAME, {}", "Leerling NAME heeft een {}.")),
        "special.political": said("special.political", ("lid van de VVD", "partijlid"),
                                  ("Medewerker NAME is {}.", "Kandidaat NAME ({})"))
        + said("special.political", ("party member",), ("Employee NAME is a {} since 2019.",)),
        "special.trade_union": said("special.trade_union", ("vakbondslid", "lid van de FNV"),
                                    ("Medewerker NAME is {}.", "Kandidaat NAME ({})"))
        + said("special.trade_union", ("shop steward", "union rep"),
               ("Employee NAME is a {} since 2019.",)),
        "special.sexual_orientation": said("special.sexual_orientation", ("homoseksueel", "lesbisch",
                                                                          "biseksueel"),
                                           ("Cliënt NAME is {}.", "Medewerker NAME (seksuele voorkeur: {})"))
        + said("special.sexual_orientation", ("gay", "bisexual"), ("Customer NAME is {}.",)),
        "special.biometric": said("special.biometric", ("vingerafdruk", "gezichtsscan", "irisscan"),
                                  ("Van medewerker NAME is de {} opgeslagen.", "Klant NAME: {} voor toegang"))
        + said("special.biometric", ("fingerprints", "face template"), ("Employee NAME has {} enrolled.",)),
        "special.criminal": said("special.criminal", ("strafblad", "veroordeeld", "taakstraf"),
                                 ("Sollicitant NAME heeft een {}.", "Kandidaat NAME is {} in 2019."))
        + said("special.criminal", ("criminal record", "convicted"), ("Applicant NAME has a {}.",)),
    }


_B64 = string.ascii_letters + string.digits + "+/"
_HEX = "0123456789abcdef"
_URLSAFE = string.ascii_letters + string.digits + "_-"


def _one(kind: str, before: str, make: Callable[[random.Random], str], after: str = "") -> Template:
    """A template with one value of `kind` between fixed text."""
    return lambda r: build(before, (kind, make(r)), after)


def _hex(n: int) -> Callable[[random.Random], str]:
    return lambda r: "".join(r.choice(_HEX) for _ in range(n))


def _pem(r: random.Random) -> str:
    body = "\\n".join(_token(r, 64, _B64) for _ in range(3))
    return f"-----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----"


def _aws_id(r: random.Random) -> str:
    return "AKIA" + _token(r, 16, string.ascii_uppercase + "234567")


def _azure_secret(r: random.Random) -> str:
    tail = _token(r, 34, string.ascii_letters + string.digits + "_.")
    return _token(r, 3) + str(r.randint(0, 9)) + "Q~" + tail


def _slack_hook(r: random.Random) -> str:
    return f"https://hooks.slack.com/services/T{_digits(r, 8)}/B{_digits(r, 8)}/{_token(r, 24)}"


def _jwt(r: random.Random) -> str:
    return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI" + _token(r, 30) + "." + _token(r, 43)


_SA_JSON = '{"type": "service_account", "project_id": "shop", "private_key_id": "'
_AZURE_CONN = "DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey="

# (type without "secret.", text before, value maker, text after)
_SECRET_ROWS: tuple[tuple[str, str, Callable[[random.Random], str], str], ...] = (
    ("aws_access_key", "aws_access_key_id = ", _aws_id, ""),
    ("aws_secret_key", "aws_secret_access_key = ", lambda r: _token(r, 40, _B64), ""),
    ("gcp_service_account", _SA_JSON, _hex(40), '"}'),
    ("gcp_api_key", "const MAPS_KEY = '", lambda r: "AIza" + _token(r, 35, _URLSAFE), "';"),
    ("azure_storage_key", _AZURE_CONN, lambda r: _token(r, 86, _B64) + "==", ";EndpointSuffix=core.net"),
    ("azure_client_secret", "AZURE_CLIENT_SECRET=", _azure_secret, ""),
    ("github_token", "git clone https://x-token:", lambda r: "ghp_" + _token(r, 36), "@github.com/a/b.git"),
    ("gitlab_token", "GITLAB_TOKEN: ", lambda r: "glpat-" + _token(r, 20), ""),
    ("slack_token", "SLACK_TOKEN=", lambda r: f"xoxb-{_digits(r, 11)}-{_digits(r, 9)}-{_token(r, 24)}", ""),
    ("slack_token", "webhook: ", _slack_hook, ""),
    ("stripe_key", 'stripe.api_key = "', lambda r: "sk_live_" + _token(r, 24), '"'),
    ("twilio_key", "TWILIO_API_KEY = '", lambda r: "SK" + _hex(32)(r), "'"),
    ("sendgrid_key", "SENDGRID_API_KEY=", lambda r: f"SG.{_token(r, 22)}.{_token(r, 43, _URLSAFE)}", ""),
    ("openai_key", "OPENAI_API_KEY=", lambda r: "sk-proj-" + _token(r, 48), ""),
    ("mollie_key", "$mollie->setApiKey('", lambda r: "live_" + _token(r, 30), "');"),
    ("adyen_key", "ADYEN_API_KEY=", lambda r: "AQE" + _token(r, 80, _B64 + "-_"), ""),
    ("bunq_key", "BUNQ_API_KEY=", _hex(64), ""),
    ("exact_online", "EXACT_CLIENT_SECRET = '", lambda r: _token(r, 12), "'"),
    ("private_key", "key = '", _pem, "'"),
    ("jwt", "Authorization: Bearer ", _jwt, ""),
    ("password", 'DATABASES["default"]["PASSWORD"] = "', lambda r: _token(r, 14), '"'),
    ("password", "smtp_password: ", lambda r: _token(r, 10) + "!", "\n"),
    ("password", "wachtwoord='", lambda r: _token(r, 12), "'"),
    ("connection_string", "DB_URL=", lambda r: f"postgresql://shop:{_token(r, 16)}@db.acme.nl", "/shop"),
    ("generic", "webhook_signing_secret = '", lambda r: _token(r, 32), "'"),
)


def _secret_templates() -> dict[str, list[Template]]:
    templates: dict[str, list[Template]] = {}
    for name, before, make, after in _SECRET_ROWS:
        templates.setdefault("secret." + name, []).append(_one("secret." + name, before, make, after))
    return templates


# --- hard negatives ------------------------------------------------------------------------------

def _negatives(rng: random.Random) -> list[Sample]:
    def bad_bsn() -> str:
        while True:
            candidate = str(rng.randint(1, 9)) + _digits(rng, 8)
            if not bsn.is_valid(candidate):
                return candidate

    def bad_card() -> str:
        body = "4" + _digits(rng, 14)
        return body + str((int(luhn.calc_check_digit(body)) + 1) % 10)

    texts = [
        f"BSN: {bad_bsn()} (ongeldig)", f"Ordernummer {bad_bsn()} is verzonden.",
        f"Factuur 2024-{_digits(rng, 6)} van {rng.randint(1, 28)}-03-2024, totaal EUR 1.234,56",
        "IBAN NL12ABNA0123456789 heeft een fout controlegetal",
        f"Card {bad_card()} was declined", "Use test card 4242 4242 4242 4242 in the sandbox.",
        "requests==2.31.0, numpy 1.26.4, versie 10.0.19041.1 build 22631",
        "sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 md5 9e107d9d372bb6826bd81d3542a419d6",
        "id = 'f47ac10b-58cc-4372-a567-0e02b2c3d479'",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
        "api_key = 'YOUR_API_KEY'", "password = 'changeme'", "AWS_SECRET_ACCESS_KEY=xxxxxxxxxxxxxxxxxxxx",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE  # the key from the AWS documentation",
        "password = os.environ['DB_PASSWORD']", "password: ${DB_PASSWORD}", "if password == user.password:",
        "self.password = password", "DATABASE_URL=postgres://user:${PGPASSWORD}@localhost/app",
        "Server at 192.168.1.20, gateway 10.0.0.1, docs use 203.0.113.7 and 127.0.0.1",
        "The /health check endpoint returns 200; healthcare market report 2024.",
        "Religion and politics are excluded from this survey design.",
        "Contact info@example.com, support@acme-bv.nl or noreply@acme-bv.nl.",
        "Datum: 12-03-2024, deadline 2025-01-31",
        "Tabel 3 op pagina 12, zie bijlage B",
        "timestamp 1700000000123, build 20240131, port 5432",
        "token = get_token()", "secret_key = settings.SECRET_KEY", "TOKEN_TTL_SECONDS = 3600000000000000",
        "const GA = 'UA-12345678-1';", "phone = '0123456789'",
        "The fingerprint of the certificate is shown below.",
        "npm install lodash@4.17.21 && pip install django==4.2.7",
        "-----BEGIN RSA PRIVATE KEY----- ... -----END RSA PRIVATE KEY----- (see docs)",
        "Stripe test keys look like sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",
        "Geboortedatum: onbekend; registratiedatum 01-02-2023",
        "Paspoort verplicht bij inchecken; documentnummer staat op pagina 2.",
        "IPv6 loopback ::1 and link-local fe80::1 are not personal.",
    ]
    return [Sample(text) for text in texts]


def labelled_samples() -> list[Sample]:
    """The labelled corpus: PER_TYPE positives per type, a few mixed records, and hard negatives."""
    rng = random.Random(SEED)
    samples: list[Sample] = []
    for templates in (_pii_templates(), _special_templates(), _secret_templates()):
        for _kind, options in templates.items():
            samples += [options[i % len(options)](rng) for i in range(PER_TYPE)]
    samples += _mixed(rng)
    samples += _negatives(rng)
    return samples


def _mixed(rng: random.Random) -> list[Sample]:
    """Customer records with several values in one line, as exports and logs have them."""
    return [
        build(f"{_person(rng)};", ("pii.email", f"{rng.choice(FIRST).lower()}.{i}@ziggo.nl"), ";",
              ("pii.phone", make_phone(rng)), ";", ("pii.iban", make_iban(rng)), ";bsn ",
              ("pii.bsn", make_bsn(rng)))
        for i in range(6)
    ]


def expected_types() -> set[str]:
    """Every type the corpus has positives for (the types the engine claims)."""
    return {kind for sample in labelled_samples() for kind, _, _ in sample.spans}
