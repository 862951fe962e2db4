"""Random-looking values assigned to secret-like names (the net under the specific detectors).

The name says it is a secret (`*secret*`, `*token*`, `*api_key*`, `*credentials*`, or any `*_KEY` /
`*Key` that is not a lookup key such as `primary_key`, `cache_key`, `publicKey`); the value must look
generated for its own alphabet and length (services/detection/randomness.py), not be an identifier
or path (`prod-db-credentials-v2`, `com.acme.app.token2`) and hold digits among letters. The same name
and value shapes are recognised in the assignment forms of the common languages and config formats:
`=`, `:`, `:=`, `=>`, `?=`, `.=` (Python, JS/TS, Java properties, YAML, Go, PHP, Makefiles), a quoted
name paired with a value (`setProperty("API_TOKEN", "…")`, `headers.put("X-Api-Key", "…")`) and
setters (`setApiKey("…")`). What the value is for (a vendor) is the vendor rules' job; this net reports
`secret.generic` with no vendor.
"""

from __future__ import annotations

import re

from services.detection import randomness
from services.detection.detector import Detector
from services.detection.detectors.vendor import in_section
from services.detection.patterns import lazy_regex
from services.results import Severity

TYPE = "secret.generic"
# `encryption key` names the key data is encrypted with (LimeSurvey's encryptionkeypair, Rails' and
# Laravel's encryption keys); `machine key` the ASP.NET <machineKey> validation/decryption keys
_SECRET_WORDS = (r"(?:secret|token|api[_-]?key|apikey|auth[_-]?key|access[_-]?key|private[_-]?key"
                 r"|signing[_-]?key|encryption[_-]?key|machine[_-]?key|validation[_-]?key|decryption[_-]?key"
                 r"|client[_-]?secret|credentials?|creds"
                 # a pepper is the secret key mixed into password hashes (OWASP's password storage term)
                 r"|pepper"
                 # PSK: the pre-shared key of IPsec/IKE, WireGuard and WPA (the standard term, as a word)
                 r"|(?<![a-z])psk(?![a-z]))")
# names ending in key that hold lookups, identifiers or public material, not secrets
_LOOKUP_KEYS = (r"public|publishable|primary|foreign|sort|partition|cache|idempotency|lookup|row|unique|index"
                r"|composite|natural|object|bucket|s3|cursor|dedup|group|routing|shard|hash|map|dict|table"
                r"|column|field|attribute|prop|meta|react|i18n|translation|label|storage|redis|sign_?in|hot|api_?id"
                # CAPTCHA site keys (reCAPTCHA, hCaptcha, Turnstile) are embedded in every page that shows one
                r"|site|captcha_?site"
                # Application Insights' instrumentation key names the resource telemetry goes to; Microsoft
                # documents it as not a secret (it ships in every browser page that reports to it)
                r"|instrumentation"
                # Pusher Channels' app key goes into every browser client (`new Pusher(key, …)`); its docs
                # keep only the app secret private
                r"|pusher_?app|pusher")
_KEY_NAME = rf"(?![\w.-]*(?:{_LOOKUP_KEYS})[_.-]?key\b)[\w.-]*?(?:[_.-]key|(?-i:[a-z0-9]Key))"
# a name that ends in what the secret is *about* holds that thing: its id, name, URL, path, hash, length or
# lifetime ("api_key_id", "token_url", "secretName", "token_hash", "SESSION_TOKEN_TTL"); config in every
# language names such settings with these suffixes, so the list holds beyond any one file
_ABOUT_SUFFIXES = ("id", "ids", "name", "names", "url", "uri", "path", "file", "dir", "type", "hash",
                   "digest", "checksum", "fingerprint", "version", "prefix", "header", "length", "ttl",
                   "expiry", "expires", "endpoint", "field", "label", "ref", "arn", "count", "size",
                   "timeout", "format", "pattern", "regex", "policy", "env", "var")
_NOT_ABOUT = "".join(rf"(?<![_.-]{s})(?<!(?-i:[a-z0-9]{s.capitalize()}))" for s in _ABOUT_SUFFIXES)
# `…_PAT` (OSF_PAT, GITHUB_PAT, ADO_PAT: upper case, the environment-variable convention) abbreviates a
# personal access token, as `_PASS` a password; lower-case `pat` in code is a pattern or a name
_PAT_NAME = r"(?-i:[A-Z][A-Z0-9_]*_PAT)(?![\w.-])"
NAME = rf"(?:[\w.-]*{_SECRET_WORDS}[\w.-]*|{_KEY_NAME}|{_PAT_NAME}){_NOT_ABOUT}"
_VALUE = r"(?P<value>[A-Za-z0-9+/=_.~-]{15,255}[A-Za-z0-9+/=_~-])(?![\w+/=~-]|\.[\w+/=~-])"
PATTERN = lazy_regex(
    rf"(?i)(?<![\w.-]){NAME}[\"'`\]]{{0,2}}[ \t]*(?::=|::=|=>|\?=|\.=|=|:)[ \t]*[\"'`]?{_VALUE}"
)  # a period after the value ends the sentence; `]` closes a subscript (`headers['X-Auth-Token'] = …`)
PAIR = lazy_regex(rf"(?i)[\"']{NAME}[\"'][ \t]*,[ \t]*[\"']{_VALUE}[\"']")
SETTER = lazy_regex(rf"(?i)(?<![\w])(?:set|with)_?[\w]*?{_SECRET_WORDS}[ \t]*\([ \t]*[\"']{_VALUE}"
                    r"[\"'][ \t]*\)")
# Laravel's APP_KEY: `base64:` and 32 random bytes in base64 (what `php artisan key:generate` writes to .env,
# and config/app.php's env() fallback)
LARAVEL_APP_KEY = lazy_regex(r"(?i)(?:app_key|[\"']key[\"'])[\"']?[ \t]*(?:=>|=|:)[ \t]*"
                             r"(?:env\([ \t]*[\"']APP_KEY[\"'][ \t]*,[ \t]*)?[\"']?"
                             r"(?P<value>base64:[A-Za-z0-9+/]{43}=)(?![\w+/=])")
# Django's SECRET_KEY: 50 characters from its own alphabet, symbols included (and the dev prefix)
DJANGO = lazy_regex(r"(?<![\w.-])SECRET_KEY[ \t]*=[ \t]*(?P<q>[\"'])(?P<value>(?:django-insecure-)?"
                    r"[a-z0-9!@#$%^&*(\-_=+)]{50})(?P=q)")
# hyperscan supersets of PAIR and SETTER (both stay on one line): every name they accept contains one of
# these words, and the quote and comma or call around the value are what is rare
PAIR_PREFILTER = r"""(?i)(?:secret|token|key|credential|creds)[\w.-]*["'][ \t]*,[ \t]*["']"""
SETTER_PREFILTER = r"""(?i)(?:set|with)[\w-]*?(?:secret|token|key|credential|creds)[ \t]*\([ \t]*["']"""
# a quoted value drawn from the whole printable alphabet (symbols such as `*^@&#!%` included: the keys
# Django, Rails and password managers generate, OWASP's advice for shared secrets) under a secret-like name;
# the quotes delimit it, so its symbols are part of it rather than the end of a key
QUOTED_SYMBOLS = lazy_regex(rf"(?i)(?<![\w.-]){NAME}[\"'`\]]{{0,2}}[ \t]*(?::=|=>|=|:)[ \t]*(?P<q>[\"'])"
                            r"(?P<value>[^\s\"'`\\]{16,255})(?P=q)")
QUOTED_PREFILTER = (r"""(?i)(?:secret|token|key|credential|creds|pepper)[\w.-]*["'`\]]{0,2}[ \t]*"""
                    r"""(?::=|=>|=|:)[ \t]*["'][^\s"'`]*[!@#$%^&*()\[\]{}<>|;,?]""")
# symbols outside the net's own value alphabet: what makes a value this rule's, not the net's
_SYMBOLS = frozenset("!@#$%^&*()[]{}<>|;:,?")
# a template, a format or an interpolation in place of the value: `${VAR}`, `{{ x }}`, `%(name)s`, `#{…}`;
# or a regular expression describing keys (a character range `[A-Z…]`, a quantifier `{32}`, `\d`)
_INTERPOLATION = lazy_regex(r"\$\{|\{\{|%\(|#\{|\$\(|://|^[$%{<#@]|\[[^\]]*\w-\w[^\]]*\]|\{\d+(?:,\d*)?\}"
                            r"|\\[dwsS]")
_PARTS = lazy_regex(r"[-_./]+")
_VOWELS = frozenset("aeiouAEIOU")


# a word of an identifier: one case (or Title case), a vowel, digits only at its end (`ucontext64`, `v2`)
_WORD = lazy_regex(r"^(?:[a-z]{2,}|[A-Z]{2,}|[A-Z][a-z]+)\d*$")
# an attribute reference ending in a CamelCase or snake_case name: `win32api.RegEnumKey`, `settings.API_KEY`
_ATTRIBUTE = lazy_regex(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\."
                        r"(?:[A-Z]?[a-z]+(?:[A-Z][a-z]+)+|[a-z]+(?:_[a-z]+)+|[A-Z]+(?:_[A-Z]+)+)$")


def identifier_like(value: str) -> bool:
    """Words joined by separators (a slug, a dotted name, a path, a C type name such as
    `__darwin_ucontext64_t`) or an attribute reference, not a generated key."""
    if _ATTRIBUTE.match(value):
        return True
    parts = [p for p in _PARTS.split(value) if len(p) >= 2]
    if len(parts) < 2:
        return False
    words = sum(1 for p in parts if _WORD.match(p) and any(c in _VOWELS for c in p))
    return words >= max(2, (len(parts) + 1) // 2)


# issuers whose tokens have one exact length after their prefix (GitHub, npm) or a minimum (GitLab): a value
# with the prefix that their own rule did not take is cut short, run on or made up, not some other secret
_EXACT_FORMAT = lazy_regex(r"^(?:gh[pousr]_|github_pat_|npm_|gl(?:pat|ptt|dt|rt|cbt|oas)-|AIza)")
# a hexadecimal number literal (`0x7f3a9c2e…`): a constant, a mask or an address in code, not a key
_HEX_LITERAL = lazy_regex(r"^0[xX][0-9a-fA-F]+$")


def validate(value: str) -> bool:
    """Random-looking for its alphabet and length, digits among letters, not an identifier or path."""
    if not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return False
    if _EXACT_FORMAT.match(value) or _HEX_LITERAL.match(value):
        return False
    return not identifier_like(value) and randomness.looks_random(value)


# a run without one of those symbols over half the value is a key of another alphabet with something
# appended (an Adyen key's `=-…=->` tail, a token and a suffix): its own rule or the net judges it; a value
# drawn from the full printable alphabet has a symbol every few characters
_PLAIN_RUN = lazy_regex(r"[^!@#$%^&*()\[\]{}<>|;:,?]+")


def symbols_throughout(value: str) -> bool:
    """No run without the symbols covers half of the value."""
    return 2 * max((len(run) for run in _PLAIN_RUN.findall(value)), default=0) < len(value)


def symbol_secret(value: str) -> bool:
    """Symbols throughout, digits and both cases of letters, no template, and random for that alphabet."""
    return (any(c in _SYMBOLS for c in value) and symbols_throughout(value)
            and any(c.isdigit() for c in value)
            and any(c.isupper() for c in value) and any(c.islower() for c in value)
            and not _INTERPOLATION.search(value) and randomness.looks_random(value))


def django_key(value: str) -> bool:
    """Random over Django's alphabet (the generated keys are)."""
    return randomness.looks_random(value.removeprefix("django-insecure-"))


_KEYWORDS = ("secret", "token", "key", "credential", "creds", "_pat", "pepper", "psk")

# XML configuration's name/value pairs (.NET appSettings <add key= value=>, Spring <property name= value=>,
# <param>, <entry key="…">text</entry>): the same "this value is the secret" as `name = value`
XML_PAIR = lazy_regex(rf"(?i)\b(?:key|name)=[\"']{NAME}[\"'][ \t]+value=[\"']{_VALUE}[\"']"
                      r"|<(?:entry|item|add|setting|property|param)[ \t]+(?:key|name)="
                      rf"[\"']{NAME}[\"'][ \t]*>"
                      rf"(?P<text>[A-Za-z0-9+/=_.~-]{{16,255}})</")
XML_PREFILTER = r"""(?i)(?:secret|token|key|credential|creds)[\w.-]*["'][ \t]*(?:>|value=)"""
# PHP constants: define('AUTH_KEY', '…'), define('STRIPE_SECRET', '…'); WordPress' eight keys and salts
# are 64 characters of printable ASCII, so symbols are part of the alphabet here
# the constant's name is judged as the net judges names: a lookup or public key (`RECAPTCHA_SITE_KEY`, whose
# value Google's reCAPTCHA docs put in every page's HTML; `STRIPE_PUBLISHABLE_KEY`, `CACHE_KEY`) is no secret
PHP_DEFINE = lazy_regex(rf"(?i)\bdefine[ \t]*\([ \t]*[\"'](?![\w]*(?:{_LOOKUP_KEYS})_?key[\"'])"
                        r"[\w]*(?:key|salt|secret|token)[\"'][ \t]*,[ \t]*"
                        r"[\"'](?P<value>[^\"'\s]{16,200})[\"'][ \t]*\)")
DEFINE_PREFILTER = r"(?i)define[ \t]*\([ \t]*[\"'][\w]*(?:key|salt|secret|token)[\"']"
# a .properties / .ini / .conf line whose dotted key ends in credential, secret or token: those files write
# short shared secrets (8-15 characters, below the net's length) as `jwt.secret=…`, `ldap.bind.credential=…`
PROPERTY_LINE = lazy_regex(r"(?im)^[ \t]*(?P<name>[a-z][\w-]*(?:\.[\w-]+)+)[ \t]*[=:][ \t]*"
                           r"(?P<value>[^\s\"'#;$%{}<>]{8,64})[ \t]*$")
PROPERTY_PREFILTER = r"(?i)\.[\w-]*(?:credentials?|secret|token)[ \t]*[=:][ \t]*[^\s$%{<]"
_PROPERTY_NAME = lazy_regex(r"(?i)(?:credentials?|secret|token)$")


class PropertyLineDetector(Detector):
    """Only keys that end in credential, secret or token; the value must be a mixed literal."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """The value when the key names a secret, else an empty value (fails validation)."""
        if not _PROPERTY_NAME.search(match.group("name")):
            return "", match.start("value"), match.start("value")
        return match.group("value"), match.start("value"), match.end("value")


class XmlPairDetector(Detector):
    """The value attribute or the element text."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """Attribute value or element text."""
        group = "value" if match.group("value") is not None else "text"
        return match.group(group), match.start(group), match.end(group)


def mixed_literal(value: str) -> bool:
    """Letters and digits (a typed word or a name is not a secret), not an identifier or a reference."""
    return (any(c.isdigit() for c in value) and any(c.isalpha() for c in value) and not identifier_like(value)
            and not _HEX_LITERAL.match(value) and "://" not in value)


def defined_secret(value: str) -> bool:
    """A generated value: random for its alphabet, not WordPress' 'put your unique phrase here'."""
    return randomness.looks_random(value) and not value.lower().endswith("_here")

DETECTORS = (
    Detector(TYPE, PATTERN, keywords=_KEYWORDS, validate=validate,
             check="random-looking value assigned to a secret-like name", confidence=0.7, priority=9,
             name="generic_high_entropy"),
    Detector(TYPE, PAIR, keywords=_KEYWORDS, validate=validate, prefilter=PAIR_PREFILTER,
             check="random-looking value paired with a secret-like name", confidence=0.7, priority=9,
             name="generic_pair"),
    Detector(TYPE, SETTER, keywords=_KEYWORDS, validate=validate, prefilter=SETTER_PREFILTER,
             check="random-looking value given to a secret setter", confidence=0.7, priority=9,
             name="generic_setter"),
    Detector(TYPE, QUOTED_SYMBOLS, keywords=_KEYWORDS, validate=symbol_secret, prefilter=QUOTED_PREFILTER,
             check="random quoted value with symbols assigned to a secret-like name", confidence=0.7,
             priority=9, name="generic_quoted_symbols"),
    XmlPairDetector(TYPE, XML_PAIR, keywords=_KEYWORDS, validate=validate, prefilter=XML_PREFILTER,
                    check="random-looking value of a secret-like XML name/value entry", confidence=0.7,
                    priority=9, name="generic_xml_pair"),
    Detector(TYPE, PHP_DEFINE, keywords=("define",), validate=defined_secret, prefilter=DEFINE_PREFILTER,
             check="random value of a PHP key, salt, secret or token constant (define)", confidence=0.8,
             priority=8, name="php_define_secret"),
    PropertyLineDetector(TYPE, PROPERTY_LINE, keywords=("credential", "secret", "token"),
                         validate=mixed_literal, prefilter=PROPERTY_PREFILTER,
                         check="mixed literal of a dotted secret property line",
                         confidence=0.75, priority=9, name="secret_property_line"),
    Detector(TYPE, LARAVEL_APP_KEY, keywords=("base64:",), validate=lambda v: randomness.looks_random(v[7:]),
             check="Laravel APP_KEY (base64: and 32 random bytes)", confidence=0.9, priority=8,
             name="laravel_app_key", vendor="Laravel"),
    # a bare `Key`/`Secret` in a section that says what it signs: appsettings' `"Jwt": {"Key": …}`,
    # `jwt:` then `secret:` in YAML (ASP.NET and Spring JWT samples all nest the signing key so)
    in_section("JWT", "jwt_signing_key_section", ("jwt",), r"[A-Za-z0-9+/=_.~-]{16,255}", kind=TYPE,
               validate=validate, severity=Severity.MEDIUM, confidence=0.75),
    Detector(TYPE, DJANGO, keywords=("secret_key",), validate=django_key,
             check="Django SECRET_KEY (50 characters of Django's key alphabet)", confidence=0.9, priority=8,
             name="django_secret_key", vendor="Django"),
)
