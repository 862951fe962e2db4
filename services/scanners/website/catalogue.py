"""The curated table of known cookies, tracker domains and consent platforms (data/trackers.yaml).

Read once per process. A cookie or host not in the table is `unknown`: reported, never guessed.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TABLE = Path(__file__).with_name("data") / "trackers.yaml"
CATEGORIES = ("strictly_necessary", "functional", "analytics", "marketing", "unknown")
NEEDS_CONSENT = frozenset({"analytics", "marketing"})
# EU member states and the EEA (GDPR applies; no transfer in the sense of GDPR Chapter V)
EEA = frozenset({"EU", "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
                 "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI",
                 "NO"})


@dataclass(frozen=True)
class Entry:
    """What the table says of one cookie or host."""

    category: str
    company: str = ""
    jurisdiction: str = ""
    source: str = ""

    @property
    def non_eu(self) -> bool:
        """True when the receiving company sits outside the EU/EEA (a transfer under GDPR Chapter V)."""
        return bool(self.jurisdiction) and self.jurisdiction not in EEA

    def as_dict(self) -> dict[str, str]:
        """JSON-ready."""
        return {"category": self.category, "company": self.company, "jurisdiction": self.jurisdiction,
                "source": self.source}


UNKNOWN = Entry("unknown")


@dataclass(frozen=True)
class Platform:
    """A consent-management platform: the hosts its script comes from and its dialog's selectors."""

    name: str
    hosts: tuple[str, ...]
    selectors: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """The table, indexed."""

    exact: dict[str, Entry]
    prefixes: tuple[tuple[str, Entry], ...]  # longest first
    domains: dict[str, Entry]
    platforms: tuple[Platform, ...]

    def cookie(self, name: str) -> Entry:
        """The entry of a cookie name (exact first, then the longest matching prefix), else UNKNOWN."""
        if name in self.exact:
            return self.exact[name]
        return next((entry for prefix, entry in self.prefixes if name.startswith(prefix)), UNKNOWN)

    def host(self, host: str) -> Entry:
        """The entry of a host or its nearest listed parent domain, else UNKNOWN."""
        labels = host.lower().rstrip(".").split(".")
        for start in range(len(labels)):
            found = self.domains.get(".".join(labels[start:]))
            if found is not None:
                return found
        return UNKNOWN

    def platform_of_host(self, host: str) -> str | None:
        """The consent platform whose script comes from `host`, if any."""
        host = host.lower()
        return next((p.name for p in self.platforms
                     if any(host == h or host.endswith("." + h) for h in p.hosts)), None)


@functools.cache
def catalogue() -> Catalogue:
    """The table, loaded and checked once."""
    raw = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    exact: dict[str, Entry] = {}
    prefixes: list[tuple[str, Entry]] = []
    for row in raw["cookies"]:
        entry = _entry(row)
        name = str(row["name"])
        if name.endswith("*"):
            prefixes.append((name[:-1], entry))
        else:
            exact[name] = entry
    domains = {str(row["domain"]).lower(): _entry(row) for row in raw["trackers"]}
    platforms = tuple(Platform(str(p["name"]), tuple(p["hosts"]), tuple(p["selectors"]))
                      for p in raw["consent_platforms"])
    return Catalogue(exact, tuple(sorted(prefixes, key=lambda item: -len(item[0]))), domains, platforms)


def _entry(row: dict[str, Any]) -> Entry:
    category = str(row["category"])
    if category not in CATEGORIES or not row.get("source"):
        raise ValueError(f"trackers.yaml: entry {row} needs a known category and a source")
    return Entry(category, str(row.get("company") or ""), str(row.get("jurisdiction") or ""),
                 str(row["source"]))


def site_of(host: str) -> str:
    """The registrable domain of a host ("www.example.co.uk" -> "example.co.uk"); an IP stays itself.

    tldextract reads its bundled public-suffix snapshot only: a scan never fetches the list.
    """
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    parts = _extractor()(host)
    return parts.top_domain_under_public_suffix or host


@functools.cache
def _extractor() -> Any:
    import tldextract  # its snapshot takes a moment to load: only the website scanner pays for it

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
