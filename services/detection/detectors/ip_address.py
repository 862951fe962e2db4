"""Public IPv4 and IPv6 addresses (stdlib ipaddress); private, loopback and doc ranges are not PII."""

from __future__ import annotations

import ipaddress
import re

from services.detection.detector import Detector

TYPE = "pii.ip_address"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_OCTET_AFTER_FIRST_DIGIT = r"(?:(?<=2)(?:5[0-5]|[0-4]\d)|(?<=1)\d\d|(?<=[1-9])\d)?"
# boundary look-behinds follow the first character so `re` can skip ahead to candidates
IPV4 = re.compile(rf"(?P<value>\d(?<![\w.:-]\d){_OCTET_AFTER_FIRST_DIGIT}(?:\.{_OCTET}){{3}})(?![\w:-]|\.\w)")
# global unicast (2000::/3) written with a full first group; see is_public_v6
IPV6 = re.compile(r"(?P<value>[23](?<![\w:.-][23])[0-9A-Fa-f]{3}:(?:[0-9A-Fa-f]{1,4}:|:){1,6}"
                  r"(?:[0-9A-Fa-f]{1,4}|:))(?![\w:.-])")
CONTEXT = ("ip", "ip-adres", "ip address", "client", "remote_addr", "x-forwarded-for", "bezoeker", "visitor")
# version numbers and OIDs look like addresses
NOT_ADDRESS = ("version", "versie", "release", "build", "oid", "v.", "snmp")


def is_public(value: str) -> bool:
    """A syntactically valid address in a globally routable range."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return address.is_global and not address.is_multicast


def is_public_v6(value: str) -> bool:
    """A public IPv6 address written with a full first group: global unicast is 2000::/3.

    Slices like `x[1::2]` and ratios like `12:30::5` parse as IPv6 too; a real address in text
    starts with four hex digits beginning with 2 or 3.
    """
    first = value.split(":", 1)[0]
    return len(first) == 4 and first[0] in "23" and is_public(value)


DETECTORS = (
    Detector(TYPE, IPV4, keywords=(".",), context=CONTEXT, negative_context=NOT_ADDRESS, validate=is_public,
             check="valid public IPv4 address", confidence=0.8, context_confidence=0.95, window=30,
             name="ipv4"),
    Detector(TYPE, IPV6, keywords=(":",), context=CONTEXT, negative_context=NOT_ADDRESS,
             validate=is_public_v6, check="valid public IPv6 address", confidence=0.85,
             context_confidence=0.95, window=30,
             name="ipv6"),
)
