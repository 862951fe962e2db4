"""Building blocks of the vendor secret rules: prefixed tokens and vendor-named assignments.

Two shapes cover almost every service's credentials (gitleaks' rule set has the same two):

- `token()`: the service puts a fixed prefix in front of its keys (`dop_v1_`, `glpat-`, `hf_`,
  `xkeysib-`). The prefix and an exact body alphabet and length make the match specific on its own;
  a value cut short or run on is not matched at all. The body must look random for its alphabet and
  length (TOKEN_MARGIN): words after a common prefix (`sandbox_settings_configuration1`,
  `API-AUTHENTICATIONREQUIREDERR`) and fillers (`hf_xxxx…`, `GR13489411231231…`) are no key.
- `assigned()`: the key has no prefix (32 hex characters, a UUID), so the service's name must be
  in the name it is assigned to (`DATADOG_API_KEY = …`, `"discord_token": …`, `sentry.auth=…`,
  `setTwilioToken("…")`), and the value must have the service's alphabet and length.

Why each rule generalises: a `token()` rule matches every key its issuer mints, because the prefix,
alphabet and length are the issuer's published format (not the shape of one sample); an `assigned()`
rule matches every way code and configs name that vendor's key (env var, YAML/JSON key, property,
setter), because it keys on the vendor's word in the name and the key's alphabet and length, never on
one file's layout. Rules of their own (`Detector(...)`) say why next to their pattern.

Type mapping (see docs in services/detection/types.py): services that have a type of their own keep
it (GitHub, GitLab, Slack, Stripe, …); every other service reports `secret.generic` and names itself
in `explanation.vendor` and the detector name. Baselines, ignore files and SARIF rule ids key on the
type, so a value found before by the entropy net under `secret.generic` keeps its fingerprint when
a vendor rule now recognises it, and a hundred vendors do not become a hundred public type names.
Severity is the vendor's own (`severity=`), not the generic default: a prefixed live key of a
payment or cloud provider is as critical as a Stripe key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from services.detection import randomness
from services.detection.detector import Detector
from services.detection.patterns import lazy_regex
from services.results import Severity

GENERIC = "secret.generic"
# prefixes this long are rare enough in ordinary text for hyperscan to look for them alone (a literal
# compiles in microseconds, a pattern with bounded repeats in ~10 ms); shorter ones (`pat`, `hf_`) keep
# the whole pattern so ordinary words do not flood the prefilter with reports
LITERAL_PREFILTER_MIN = 4
TOKEN_MARGIN = 0.7  # bits below a random body's entropy: ~1 generated key in 1000 fails, words fail
# characters around a token that show it is part of something longer (base64 runs, identifiers)
TOKEN_BEFORE = r"(?<![\w+/-])"
TOKEN_AFTER = r"(?![\w+/=-])"
# the name a vendor's key is assigned to: the vendor word, then up to 30 name characters, an optional
# closing quote or bracket (`"datadog_key":`, `config['datadog']=`), an optional type (`string`), the
# assignment or call, then an optional opening quote
NAME_TAIL = r"[\w.-]{0,30}?"
CLOSE = r"[\"'`\]]{0,2}"
TYPED = r"(?:[ \t]*:?[ \t]*(?:string|str|String)\b)?"
OPERATOR = r"[ \t]*(?:=|:=|::=|:::=|\?=|\.=|\|\|=|=>|:|,|\(|>)[ \t]*"
OPEN = r"[\"'`]?"
# the key ends where the value's alphabet ends; a literal \n of an escaped string is not part of it
VALUE_AFTER = r"(?![\w+/=-])"


def random_body(skip: int | Callable[[str], int] = 0,
                margin: float = randomness.DEFAULT_MARGIN) -> Callable[[str], bool]:
    """A validator: the value after its prefix looks randomly generated for its alphabet and length."""
    def validate(value: str) -> bool:
        start = skip(value) if callable(skip) else skip
        return randomness.looks_random(value[start:], margin)
    return validate


def prefix_length(prefixes: Iterable[str]) -> Callable[[str], int]:
    """The length of whichever literal prefix a value starts with (longest first)."""
    ordered = sorted(prefixes, key=len, reverse=True)

    def length(value: str) -> int:
        return next((len(p) for p in ordered if value.startswith(p)), 0)
    return length


def token(vendor: str, name: str, prefixes: tuple[str, ...], body: str, *, kind: str = GENERIC,
          severity: Severity = Severity.HIGH, confidence: float = 0.9, margin: float = TOKEN_MARGIN,
          context: tuple[str, ...] = (), context_confidence: float = 0.97,
          validate: Callable[[str], bool] | None = None, check: str = "",
          after: str = TOKEN_AFTER, needs_context: bool = False, prefilter: str = "") -> Detector:
    """A key made of one of the literal `prefixes` and a `body` pattern (its exact alphabet and length)."""
    alternation = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    pattern = lazy_regex(rf"{TOKEN_BEFORE}(?P<value>(?:{alternation}){body}){after}")
    literal = f"(?:{alternation})" if min(len(p) for p in prefixes) >= LITERAL_PREFILTER_MIN else prefilter
    return Detector(kind, pattern, keywords=tuple(sorted({p.lower() for p in prefixes})), context=context,
                    needs_context=needs_context, prefilter=literal,
                    validate=validate or random_body(prefix_length(prefixes), margin),
                    check=check or f"{vendor} key prefix, alphabet and length",
                    confidence=confidence, context_confidence=context_confidence, name=name,
                    vendor=vendor, severity=severity)


def assigned(vendor: str, name: str, words: tuple[str, ...], value: str, *, kind: str = GENERIC,
             severity: Severity = Severity.HIGH, confidence: float = 0.85,
             margin: float = randomness.DEFAULT_MARGIN, validate: Callable[[str], bool] | None = None,
             check: str = "") -> Detector:
    """A key of the `value` pattern assigned to a name containing one of the vendor `words`."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = lazy_regex(rf"(?i:{alternation}){NAME_TAIL}{CLOSE}{TYPED}{OPERATOR}{OPEN}"
                         rf"(?P<value>(?-i:{value})){VALUE_AFTER}")
    return Detector(kind, pattern, keywords=tuple(sorted({w.lower() for w in words})),
                    prefilter=rf"(?i)(?:{alternation})", validate=validate or random_body(0, margin),
                    check=check or f"{vendor} key shape assigned to a {vendor} name",
                    confidence=confidence, name=name, vendor=vendor, severity=severity)


UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UUID_ANY_CASE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def uuid_random(value: str) -> bool:
    """A version-4 style UUID with random hex (not 00000000-0000-… or a documentation sequence)."""
    return randomness.looks_random(value.replace("-", ""), 0.7)


# the key names inside a vendor's section that hold its secret (`"ApiKey"`, `client_secret`, `token`)
SECTION_KEY = r"[\w.-]{0,30}?(?:key|secret|token|password)[\w.-]{0,20}?"
# characters and quoted strings of a section searched for the secret's key (a few settings, not a file);
# a quoted string may hold braces (.NET writes GUIDs as "{…}")
SECTION_ITEMS = 300


def in_section(vendor: str, name: str, words: tuple[str, ...], value: str, *, kind: str = GENERIC,
               severity: Severity = Severity.HIGH, confidence: float = 0.85,
               validate: Callable[[str], bool] | None = None, check: str = "") -> Detector:
    """A key of the `value` pattern under a secret-like name inside a section named for the vendor.

    JSON/.NET appsettings (`"Bunq": { "ApiKey": "…" }`), YAML (`bunq:` then an indented `api_key: …`) and
    INI/TOML (`[bunq]` then `api_key = …`) say whose key it is by the section, not the key's own name;
    every config format nests settings under a service this way.
    """
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    head = (rf"(?:[\"']?(?i:{alternation})[\w.-]{{0,20}}[\"']?[ \t]*[:=][ \t]*"
            rf"\{{(?:[^{{}}\"']|\"[^\"\n]{{0,200}}\"|'[^'\n]{{0,200}}'){{0,{SECTION_ITEMS}}}?"
            rf"|(?m:^)(?P<indent>[ \t]*)(?i:{alternation})[\w.-]{{0,20}}:[ \t]*\r?\n"
            rf"(?:(?P=indent)[ \t]+[^\n]*\n){{0,12}}?(?P=indent)[ \t]+"
            rf"|(?m:^)\[(?i:{alternation})[^\]\n]{{0,30}}\][ \t]*\r?\n(?:[^\[\n][^\n]*\n){{0,12}}?)")
    pattern = lazy_regex(rf"{head}[\"']?(?i:{SECTION_KEY})[\"']?[ \t]*(?::|=)[ \t]*[\"']?"
                         rf"(?P<value>(?-i:{value})){VALUE_AFTER}")
    return Detector(kind, pattern, keywords=tuple(sorted({w.lower() for w in words})),
                    prefilter=rf"(?i)(?:{alternation})", validate=validate or random_body(0),
                    check=check or f"{vendor} key shape under a {vendor} section",
                    confidence=confidence, name=name, vendor=vendor, severity=severity)
