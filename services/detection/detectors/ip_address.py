"""Public IPv4 and IPv6 addresses (stdlib ipaddress); private, loopback and doc ranges are not PII.

Every textual IPv6 form is read: full, compressed (`2a02:a46c:1::5`), upper case, with a zone id
(`%eth0`), in brackets with a port, IPv4-mapped (`::ffff:84.241.22.7`) and NAT64 (`64:ff9b::…`);
the ipaddress module then decides whether the address is globally routable. Private, loopback,
link-local, multicast, documentation (192.0.2.0/24, 2001:db8::/32, …) and other reserved ranges
are not personal data, and neither are the well-known public DNS resolvers (8.8.8.8, 1.1.1.1, …):
they identify a service every configuration names, not a person.

Four dotted numbers are often not an address at all. Without an address word nearby (ip, client,
remote_addr, from, host, …) a dotted quad is dropped when its form says it is something else:
- thousands separators: every group after the first has exactly three digits (`1.100.200.250`) and
  another amount stands next to it (a thousands-separated or decimal-comma number): a column of
  figures, not a log line, where one address in four has that shape by chance;
- a section or version number: every group is a single digit (`4.3.2.1`),
- a word for sections, versions, OIDs or amounts just before it (versie, section, OID, bedrag, €);
- a product token's version (`Chrome/131.0.0.0`, `Version/17.6.1.2`): RFC 9110 writes a User-Agent
  or Server product as `name/version`, and an address never follows a name and a slash;
- a changelog's release heading (`## [2.4.10.1] - 2024-05-01`, Keep a Changelog).
Those words count on the number's own line only: a log line's address is not a version because the
line before it ended in a User-Agent. A network address written without a prefix length (last octet
0, `84.241.12.0`) is not reported: it names no host, and zeroing the last octet is how analytics
tools anonymise an address; a network with its prefix (`deny 84.241.22.0/24`) still is.
These are properties of how numbers are written in spreadsheets, documents and changelogs, not of
any one file, so they generalise; an address word nearby always wins.
"""

from __future__ import annotations

import ipaddress

from services.detection.detector import Detector, compile_words
from services.detection.patterns import lazy_regex

TYPE = "pii.ip_address"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_OCTET_AFTER_FIRST_DIGIT = r"(?:(?<=2)(?:5[0-5]|[0-4]\d)|(?<=1)\d\d|(?<=[1-9])\d)?"
_PORT_OK = r"(?::\d{1,5}(?![\w.:]))"  # host:port is an address followed by a port, not a time or ratio
# boundary look-behinds follow the first character so `re` can skip ahead to candidates; a colon may
# follow for a port, or for a path in scp/rsync syntax (host:/path, host:~/path)
IPV4 = lazy_regex(rf"(?P<value>\d(?<![\w.:-]\d){_OCTET_AFTER_FIRST_DIGIT}(?:\.{_OCTET}){{3}})"
                  rf"(?![\w-]|\.\w|:(?!\d{{1,5}}(?![\w.:])|[/~]))")
_H = "[0-9A-Fa-f]"
_V4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
# global unicast (2000::/3) written with its full first group, IPv4-mapped and NAT64 forms; see is_public_v6
IPV6 = lazy_regex(
    rf"(?P<value>(?:[23](?<![\w:.-][23]){_H}{{3}}:(?:{_H}{{1,4}}:|:){{1,6}}(?:{_V4}|{_H}{{1,4}}|:)"
    rf"|:(?<![\w:.-]:):ffff:{_V4}|6(?<![\w:.-]6)4:ff9b::(?:{_V4}|{_H}{{1,4}}:{_H}{{1,4}})))"
    rf"(?:%[\w.-]{{1,32}})?(?![\w:-]|\.\w)"
)
# (short words with the punctuation that makes them a word: "ip" alone is inside "zip" and "script")
CONTEXT = (" ip ", "ip:", "ip=", "ip-", "_ip", "ip_", "(ip)", "\"ip\"", "ipv4", "ipv6", "ip address",
           "client", "remote_addr", "x-forwarded-for", "bezoeker", "visitor",
           # access-control lines (nginx/Apache allow/deny, firewall SRC=/DST=) and ssh targets name an
           # address whatever else stands near it
           "allow ", "deny ", "src=", "dst=", "x-real-ip", "forwarded", "ssh ",
           "from ", "src", "source", "server",
           "host", "addr", "peer", "login", "logged", "request", "connect", "session", "user-agent", "access",
           "blocked", "banned", "geblokkeerd", "inlog", "van ip")
# words before a dotted number that make it a version, section, identifier or amount (whole words:
# "table" is inside "iptables", "pip" inside "pipeline")
NOT_ADDRESS = ("version", "versie", "release", "build", "oid", "v.", "snmp", "section", "sectie",
               "hoofdstuk", "chapter", "artikel", "article", "paragraaf", "par.", "§", "figuur", "figure",
               "tabel", "table", "bijlage", "appendix", "isbn", "€", "eur", "euro", "bedrag", "amount",
               "totaal", "total", "prijs", "price", "python", "node", "npm", "pip",
               # articles and clauses of laws, rule ids, durations and coordinates: numbered things that
               # are written with dots in every document and log that names them
               "art.", "art", "clause", "lid", "rule", "regel", "duration", "elapsed", "uptime", "took",
               "duur", "lat", "lon", "lng", "gps", "coords", "coordinates", "revision", "rev", "firmware",
               # a dependency moved to a new version, as changelogs and Dependabot write it ("Bump x
               # from 1.2.3.4 to 1.2.3.5", "Upgrade Laravel to 11.31.0.2")
               "upgrade", "upgraded", "bump", "bumped", "bumps", "downgrade")
_NOT_ADDRESS_WORD = compile_words(NOT_ADDRESS)
_VERSION_AFTER = compile_words(("version", "versie", "release", "build"))
# the words that name an address outright (the rest of CONTEXT only says a log or a connection is near)
ADDRESS_WORDS = CONTEXT[:CONTEXT.index("from ")]
# public DNS resolvers of Google, Cloudflare, Quad9, OpenDNS: configuration, not personal data
WELL_KNOWN = frozenset({"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112",
                        "208.67.222.222", "208.67.220.220", "2001:4860:4860::8888", "2001:4860:4860::8844",
                        "2606:4700:4700::1111", "2606:4700:4700::1001", "2620:fe::fe", "2620:fe::9"})
# an identifier ending in a version word right before the number: AssemblyVersion("…"), FileVersion,
# app_version=, buildRelease: build tooling writes versions this way in every language
_VERSION_KEY = lazy_regex(r"(?:version|release|build|revision)[\"')=:\s(]{0,4}$")
# a version pinned to a package (pip `foo==1.2.3.4`, npm `pkg@1.2.3.4`) or after a product name
# (`SQLite 3.41.0.7`): versions have small major numbers, so only a first group below 10 is read so;
# a log's address follows an address word (from, client, host), checked before this
_PINNED = lazy_regex(r"(?:==|>=|<=|~=|!=|\^|~)$")
_AFTER_NAME = lazy_regex(r"(?<![\w.-])[a-z][a-z0-9+_-]*[ @]$")
_SMALL_MAJOR = lazy_regex(r"\d\.")
# `Product/version` (RFC 9110 product token): Chrome/131.0.0.0, AppleWebKit/605.1.15.2
_PRODUCT_TOKEN = lazy_regex(r"(?<![\w/])[A-Za-z][\w.+-]*/$")
# a Markdown heading that opens with the number (`## [4.2.10.1] - 2024-05-01`, `### v3.1.0.2`): the
# release heading of a changelog (keepachangelog.com)
_RELEASE_HEADING = lazy_regex(r"^[ \t]*#{1,6}[ \t]*\[?v?$")
_THOUSANDS = lazy_regex(r"^\d{1,3}(?:\.\d{3}){3}$")
_SINGLE_DIGITS = lazy_regex(r"^\d(?:\.\d){3}$")
# another figure of a table row: thousands-separated (1.250.300, not four groups: that is another address)
# or with a decimal comma (12,50)
_OTHER_AMOUNT = lazy_regex(r"(?<![\w.])\d{1,3}(?:\.\d{3}){1,2}(?:,\d+)?(?![\w.])"
                           r"|(?<![\w.,])\d+,\d{1,2}(?![\w,])")
_REACH = 30
# Postfix and sendmail log the next-hop mail server a message was handed to as `relay=host[address]`:
# a provider's MX, never the sender's or recipient's own address
_MAIL_RELAY = lazy_regex(r"\brelay=[\w.-]*\[$")


def is_public(value: str) -> bool:
    """A syntactically valid address in a globally routable range, not a well-known resolver."""
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast and str(address) not in WELL_KNOWN


def is_public_v6(value: str) -> bool:
    """A public IPv6 address written with a full first group (global unicast is 2000::/3), or an
    IPv4-mapped / NAT64 address of a public IPv4 address.

    Slices like `x[1::2]` and ratios like `12:30::5` parse as IPv6 too; a real address in text
    starts with four hex digits beginning with 2 or 3, or is one of the two IPv4-embedding forms.
    """
    first = value.split(":", 1)[0]
    embedding = value.startswith("::") or value.lower().startswith("64:ff9b::")
    return (embedding or (len(first) == 4 and first[0] in "23")) and is_public(value)


def reads_as_address(text: str, start: int, end: int) -> bool:
    """An address word nearby, or else a form that thousands separators and versions do not take."""
    before = text[max(0, start - _REACH):start].lower()
    after = text[end:end + _REACH].lower()
    if text.endswith(".0", start, end) and not after.startswith("/"):
        return False  # a network address without its prefix length, or an anonymised one
    if _MAIL_RELAY.search(before):
        return False
    if any(word in before or word in after for word in ADDRESS_WORDS) or after.startswith((":/", ":~")):
        return True  # an address word, or an scp/rsync `user@host:/path` target
    before, after = before.rpartition("\n")[2], after.partition("\n")[0]  # the number's own line
    if _PRODUCT_TOKEN.search(before) or _RELEASE_HEADING.match(before):
        return False
    # a version word before or after outweighs the weaker words ("from", "source", "host"): a release
    # note says "built from source, release 2.4.1.100" far more often than it logs a visitor
    if _NOT_ADDRESS_WORD.search(before) or _VERSION_AFTER.search(after) or _VERSION_KEY.search(before):
        return False
    value = text[start:end]
    if _PINNED.search(before):
        return False
    if any(word in before or word in after for word in CONTEXT):
        return True
    if _AFTER_NAME.search(before) and _SMALL_MAJOR.match(value):
        return False
    if _SINGLE_DIGITS.match(value):
        return False
    among_figures = _OTHER_AMOUNT.search(before) is not None or _OTHER_AMOUNT.search(after) is not None
    return not (_THOUSANDS.match(value) and among_figures)


DETECTORS = (
    Detector(TYPE, IPV4, keywords=(".",), context=CONTEXT, validate=is_public,
             check="valid public IPv4 address", confidence=0.8, context_confidence=0.95, window=_REACH,
             name="ipv4", fits_place=reads_as_address),
    Detector(TYPE, IPV6, keywords=(":",), context=CONTEXT, validate=is_public_v6,
             check="valid public IPv6 address", confidence=0.85, context_confidence=0.95, window=_REACH,
             name="ipv6", fits_place=reads_as_address),
)
