"""Context rules shared by all detectors: placeholders, fixtures, documentation, encoded blocks, `dg:ignore`.

What makes a match a note rather than an alert is said here once, for every detector:
- a placeholder value (`YOUR_API_KEY`, `xxxx…`, `<token>`, `${VAR}`, `{{ .Values.x }}`), a documented
  default or dummy credential in a URL (`redis://user:password@localhost`, `amqp://guest:guest@…`),
  a key its issuer publishes as safe in a browser (a Supabase anon JWT);
- a fixture word on the value's own line (its name or its comment: `test_token = …  # fake`);
- a value in documentation (README, Markdown, reStructuredText): examples live there; a token whose
  issuer embeds a checksum (GitHub, npm) and that passes it is real wherever it is written.
Notes are reported low with DOWNGRADED_CONFIDENCE (below every alert threshold) and say why.

A generated test-mode key of a payment or shipping provider (`sk_test_…`, Mollie's `test_…`, `EZTK…`,
`sandbox_…`) is no placeholder: it authenticates as the merchant's account in test mode (its test
customers, payments and webhooks), so the providers' docs ask to keep it secret like the live key and
gitleaks' rules match it. It stays an alert, at low severity (`test_mode_key`); as an example in
documentation or a fixture it is a note like any other.

A key-shaped run inside an encoded block (a PEM certificate body, a base64 blob wrapped at 64 or 76
characters) is not a credential at all: `in_encoded_block` drops it (certificate bundles hold
`AQE…`, `AIza…` and every other prefix by chance).
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import PurePosixPath

from services.detection import randomness

DOWNGRADED_CONFIDENCE = 0.3  # below the 0.5 at which a finding counts as actionable

# values people put where a real secret will go; these are reported low, never high
_PLACEHOLDER = re.compile(
    r"(?i)(?:^|[^a-z])(your|my|insert|replace|enter|put)[_\-. ]?\w*(key|token|secret|password|here)"
    r"|changeme|change_me|replace[_\- ]?me\b|fill[_\- ]?me[_\- ]?in|placeholder|redacted|dummy|example"
    r"|sample|fake|foobar|lorem"
    r"|^x{3,}$|x{6,}|\*{3,}|^<.*>$|^\$\{.*\}$|^\{\{.*\}\}$|^%\(.*\)s$|^(.)\1{7,}$|0123456789|123456789"
    r"|abcdef(gh|ghij)"
)
# whole values that are the documented dummy of a password field (`password: password`, guest:guest)
_DUMMY_PASSWORDS = frozenset({
    "password", "passwd", "pass", "pwd", "pw", "secret", "changeit", "test", "testing", "user", "username",
    "admin", "root", "guest", "foo", "bar", "baz", "qwerty", "letmein", "p@ssw0rd", "passw0rd", "pa55word",
    "pass123", "password1", "password123", "mypassword", "yourpassword", "s3cret", "secret123", "default",
    "none", "null", "empty", "todo", "tbd", "hunter2", "value", "myvalue", "somevalue", "xxx", "abc123",
    # the word "password" in the languages our users write: a form label or a default, never a password
    "wachtwoord", "passwort", "kennwort", "motdepasse", "mot de passe", "contrasena", "contraseña", "senha",
    "parola", "haslo", "hasło", "lösenord", "losenord", "adgangskode", "salasana", "jelszo", "jelszó",
    # documented defaults of database services: the postgres image's superuser, which GitHub's and GitLab's
    # CI service-container examples also use as its throwaway password; MinIO's default root credentials
    "postgres", "minioadmin",
})
_PLACEHOLDER_BRACKETS = "[]{}<>()"
_URL_CREDENTIALS = re.compile(r"://(?P<user>[^:/@\s]*):(?P<password>[^@/\s]*)@")
# said next to a value (not inside it: random keys contain "test" by chance often enough)
_FIXTURE_WORDS = re.compile(r"\b(?:example|examples|dummy|fake|sample|placeholder|mock|fixture|voorbeeld|nep"
                            r"|testing|test)\b|not a real|\btest_|_test\b", re.IGNORECASE)
# keys of a provider's test mode or sandbox: they move no money and reach no customer, but open the
# account's test data (an alert of low severity, see the module docstring)
_TEST_MODE = re.compile(r"^(?:sk|rk|pk)_test_|^test_|^(?:duffel|shippo)_test_|^EZTK|^FLWSECK_TEST|^sandbox_"
                        r"|^access_token\$sandbox\$|^access-sandbox-|^rzp_test_|^pypi-AgENdGVzdC5weXBp")
# the RvIG (Rijksdienst voor Identiteitsgegevens) issues the BSNs of its BRP test persons from 99999xxxx,
# a range never given to anyone; suppliers' test suites and manuals use them
TEST_BSN_PREFIX = "99999"
# well-known test card numbers published by payment providers
_TEST_CARDS = frozenset({"4111111111111111", "4242424242424242", "5555555555554444", "378282246310005",
                         "4000056655665556", "5105105105105100", "4012888888881881", "371449635398431",
                         # Stripe's documented test cards for 3-D Secure, declines and other brands
                         "4000002500003155", "4000002760003184", "4000000000003220", "4000000000009995",
                         "4000000000000002", "4000000000000069", "4000000000000127", "4000000000000119",
                         "4000000000000341", "4000000000000077", "5200828282828210", "2223003122003222",
                         "6011111111111117", "3056930009020004", "3566002020360505", "6200000000000005"})
DOCUMENTATION_SUFFIXES = (".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc")
_DOCUMENTATION_STEMS = ("readme", "changelog", "changes", "history", "contributing")


def downgrade_reasons(kind: str, value: str, around: str) -> tuple[str, ...]:
    """Why a hit is a placeholder or fixture rather than a live value (empty when it is not).

    `around` is the text on both sides of the value on its own line, without the value itself.
    """
    reasons: list[str] = []
    if kind.startswith("secret."):
        if _PLACEHOLDER.search(value) or dummy_credential(kind, value) or filler(kind, value):
            reasons.append("value looks like a placeholder")
        elif kind == "secret.jwt" and anon_client_jwt(value):
            reasons.append("Supabase anon key: public by design (it ships to browsers)")
        elif _FIXTURE_WORDS.search(around):
            reasons.append("example or test fixture nearby")
    elif kind == "pii.credit_card" and "".join(ch for ch in value if ch.isdigit()) in _TEST_CARDS:
        reasons.append("published test card number")
    elif kind == "pii.bsn" and "".join(ch for ch in value if ch.isdigit()).startswith(TEST_BSN_PREFIX):
        reasons.append("BSN of the RvIG test set")
    return tuple(reasons)


def test_mode_key(kind: str, value: str) -> bool:
    """A secret in a provider's test-mode or sandbox key format."""
    return kind.startswith("secret.") and bool(_TEST_MODE.search(value))


# the claims of the tokens jwt.io and RFC 7519 print (name "John Doe", iss "joe"): tutorials, API docs and
# test suites copy those tokens, which sign nothing anyone relies on
_EXAMPLE_JWT_CLAIMS = (b'"name":"John Doe"', b'"iss":"joe"')


def example_jwt(value: str) -> bool:
    """A JWT whose payload carries the published example claims."""
    payload = _jwt_payload(value)
    return any(claim in payload for claim in _EXAMPLE_JWT_CLAIMS)


def _jwt_payload(value: str) -> bytes:
    """The decoded second segment of a JWT (empty when it does not decode)."""
    parts = value.split(".")
    if len(parts) < 2:
        return b""
    try:
        return base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
    except (binascii.Error, ValueError):
        return b""


# Supabase's anon key is a JWT signed for `"role": "anon"` (issuer "supabase"); Supabase's API-keys docs
# say it is safe in a browser (row-level security guards the data), unlike its `service_role` key, which
# bypasses those policies and is a secret. The claims, not the variable's name, say which one a token is
_ANON_ROLE = re.compile(rb'"role"\s*:\s*"anon"')
_SUPABASE_ISSUER = re.compile(rb'"iss"\s*:\s*"supabase(?:-demo)?"')


def anon_client_jwt(value: str) -> bool:
    """A Supabase anon key: issuer supabase and role anon in the payload."""
    payload = _jwt_payload(value)
    return bool(_ANON_ROLE.search(payload) and _SUPABASE_ISSUER.search(payload))


def dummy_credential(kind: str, value: str) -> bool:
    """A documented dummy password: `password: password`, or a URL's `user:password@` / `guest:guest@`."""
    if kind == "secret.jwt":
        return example_jwt(value)
    if kind == "secret.password":
        # with the symbol a password policy demands tacked on (`Password123!`): still the dummy
        return value.lower() in _DUMMY_PASSWORDS or value.lower().rstrip("!?.#*") in _DUMMY_PASSWORDS
    if kind != "secret.connection_string":
        return False
    credentials = _URL_CREDENTIALS.search(value)
    if credentials is None:
        return value.lower() in _DUMMY_PASSWORDS  # the password part alone (an https URL's)
    # `[password]`, `<password>`, `{password}`: documentation's way of saying "put yours here"
    user = credentials.group("user").strip(_PLACEHOLDER_BRACKETS).lower()
    password = credentials.group("password").strip(_PLACEHOLDER_BRACKETS).lower()
    return password in _DUMMY_PASSWORDS or password == user or bool(_PLACEHOLDER.search(password))


def filler(kind: str, value: str) -> bool:
    """A key-shaped value far less random than a generated key of its alphabet and length
    (`hf_aaaa…`, `GR13489411231231…`): somebody typed it. Passwords are people's choices, and URLs,
    key blocks and JWTs are structured, so those are judged by their own rules."""
    if kind in _STRUCTURED or len(value) < FILLER_MIN_LENGTH:
        return False
    return not randomness.looks_random(value, FILLER_MARGIN)


_STRUCTURED = frozenset({"secret.password", "secret.connection_string", "secret.private_key", "secret.jwt"})
FILLER_MARGIN = 1.2  # bits below a random value's entropy: no generated key of 12+ characters falls so low
FILLER_MIN_LENGTH = 12


def documentation_file(path: str | None) -> bool:
    """README, CHANGELOG and Markdown/reStructuredText/AsciiDoc files: where examples are written."""
    if not path:
        return False
    name = PurePosixPath(path.replace("\\", "/")).name.lower()
    return name.endswith(DOCUMENTATION_SUFFIXES) or name.startswith(_DOCUMENTATION_STEMS)


DOCUMENTATION_NOTE = "in documentation (examples are written there)"

_ENCODED_LINE = re.compile(r"[A-Za-z0-9+/]{60,}={0,2}")
_PEM_BOUNDARY = re.compile(r"-----(?:BEGIN|END) [A-Z0-9 ]+-----")


def in_encoded_block(text: str, start: int, end: int) -> bool:
    """The match lies on a line of a base64 block: a wrapped line of 60+ base64 characters with another
    such line or a PEM BEGIN/END line right above or below it (certificates, bundles, embedded blobs)."""
    line_start = text.rfind("\n", 0, start) + 1
    newline = text.find("\n", end)
    line_end = len(text) if newline < 0 else newline
    if not _ENCODED_LINE.fullmatch(text[line_start:line_end].strip()):
        return False
    above = text[text.rfind("\n", 0, line_start - 1) + 1:line_start - 1] if line_start else ""
    below = text[line_end + 1:] if newline >= 0 else ""
    below = below.split("\n", 1)[0]
    neighbours = (above.strip(), below.strip())
    return any(_ENCODED_LINE.fullmatch(n) or _PEM_BOUNDARY.fullmatch(n) for n in neighbours)


DOCTEST_NOTE = "a documentation example (doctest)"
_DOCTEST_PROMPT = (">>> ", "... ")


def in_doctest(text: str, start: int) -> bool:
    """The value stands in a Python doctest: on a `>>>`/`...` line, or on the output line right below one.

    Doctests document what a function does with made-up arguments (python-stdnum's validators, every
    library's docstrings), so what they hold is an example of a format, not someone's data.
    """
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:line_start + 200].lstrip().startswith(_DOCTEST_PROMPT):
        return True
    if line_start == 0:
        return False
    above_start = text.rfind("\n", 0, line_start - 1) + 1
    return text[above_start:line_start - 1].lstrip().startswith(_DOCTEST_PROMPT)


_IGNORE = re.compile(r"dg:ignore(?:\[(?P<types>[\w.,\s-]+)\])?")


def ignore_applies(line: str, kind: str) -> bool:
    """True when the line's `dg:ignore` (optionally `dg:ignore[type,category]`) covers `kind`."""
    for match in _IGNORE.finditer(line):
        listed = match.group("types")
        if listed is None:
            return True
        names = {name.strip() for name in listed.split(",")}
        if kind in names or kind.split(".", 1)[0] in names:
            return True
    return False
