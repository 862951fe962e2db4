"""What a website scan saw, before it is judged: cookies, requests, pages, per consent state.

Cookie values are never kept (a cookie value is often an identifier of a person): only the name, the
domain, the flags and who set it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from services.scanners.website.catalogue import Entry, catalogue, site_of

STATES = ("none", "reject", "accept")  # no interaction, after "reject all", after "accept all"
MAX_REQUESTS_KEPT = 2000  # per scan, in the result; the judgement sees them all


def shown_url(url: str) -> str:
    """A URL as the result may show it: scheme, host, port and path; the query can carry identifiers."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"


@dataclass
class CookieSeen:
    """One cookie (name and domain), the states it was present in and how it was set."""

    name: str
    domain: str
    party: str  # first | third
    set_by: str  # header | script
    url: str  # the page it was first seen on
    secure: bool = False
    http_only: bool = False
    states: set[str] = field(default_factory=set)

    @property
    def entry(self) -> Entry:
        """The curated table's entry for this cookie."""
        return catalogue().cookie(self.name)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, without the value."""
        return {"name": self.name, "domain": self.domain, "party": self.party, "set_by": self.set_by,
                "url": self.url, "secure": self.secure, "http_only": self.http_only,
                "states": {state: state in self.states for state in STATES}, **self.entry.as_dict()}


@dataclass
class RequestSeen:
    """One request a page made (or the crawler made), when and in which state."""

    url: str  # shown_url: no query
    host: str
    kind: str
    state: str
    page: str
    at: str
    third_party: bool
    status: int | None = None
    blocked: str = ""  # why it was refused (SSRF rule), else ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"url": self.url, "host": self.host, "kind": self.kind, "state": self.state, "page": self.page,
                "at": self.at, "third_party": self.third_party, "status": self.status,
                "blocked": self.blocked}


@dataclass
class Observed:
    """Everything seen in one scan of one site."""

    start_url: str
    site: str  # the registrable domain of the start URL
    cookies: dict[tuple[str, str], CookieSeen] = field(default_factory=dict)
    requests: list[RequestSeen] = field(default_factory=list)
    storage: dict[str, set[str]] = field(default_factory=dict)  # localStorage key -> states

    def third_party(self, host: str) -> bool:
        """True when `host` belongs to another site than the one scanned."""
        return site_of(host) != self.site

    def cookie(self, name: str, domain: str, state: str, *, set_by: str, url: str, secure: bool = False,
               http_only: bool = False) -> None:
        """Record that cookie `name` of `domain` was present in `state`."""
        domain = domain.lstrip(".").lower()
        key = (name, domain)
        seen = self.cookies.get(key)
        if seen is None:
            party = "third" if self.third_party(domain) else "first"
            seen = CookieSeen(name, domain, party, set_by, shown_url(url), secure, http_only)
            self.cookies[key] = seen
        seen.states.add(state)

    def set_cookie_headers(self, values: list[str], response_url: str, state: str, page: str) -> None:
        """Record every cookie a response's Set-Cookie headers set (an expired one deletes, not sets)."""
        host = urlsplit(response_url).hostname or ""
        for header in values:
            name, attributes = parse_set_cookie(header)
            if not name or _deletes(attributes):
                continue
            self.cookie(name, attributes.get("domain") or host, state, set_by="header", url=page,
                        secure="secure" in attributes, http_only="httponly" in attributes)


def parse_set_cookie(header: str) -> tuple[str, dict[str, str]]:
    """(name, lower-cased attributes) of one Set-Cookie header; the value is dropped here."""
    first, *rest = header.split(";")
    name = first.split("=", 1)[0].strip()[:200]
    attributes = {}
    for part in rest:
        key, _, value = part.partition("=")
        attributes[key.strip().lower()] = value.strip()
    return name, attributes


def _deletes(attributes: dict[str, str]) -> bool:
    max_age = attributes.get("max-age", "")
    if max_age.lstrip("-").isdigit() and int(max_age) <= 0:
        return True
    expires = attributes.get("expires", "")
    return "1970" in expires
