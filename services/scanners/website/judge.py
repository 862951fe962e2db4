"""From what a scan saw to findings: cookies and trackers per consent state, the banner, the privacy
notice, forms, transport security and personal data in page text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from services.detection import scan_text
from services.detection.fingerprint import fingerprint
from services.detection.types import type_info
from services.inputs.web import WebResponse
from services.results import Finding, Severity
from services.scanners.website.catalogue import NEEDS_CONSENT, UNKNOWN, Entry, catalogue, site_of
from services.scanners.website.crawl import Visit
from services.scanners.website.observe import STATES, CookieSeen, Observed

SECURITY_HEADERS = {  # header -> what it protects; checked on the start page's final answer
    "content-security-policy": "script injection (XSS) that could read form input",
    "x-content-type-options": "content-type sniffing",
    "referrer-policy": "page addresses (with their query) sent to third parties",
}
FRAME_HEADERS = ("x-frame-options",)  # or CSP frame-ancestors: clickjacking of forms
PII_KINDS = frozenset({"pii", "special"})  # page text: personal data, not secrets (a site's own keys are
# the code scanner's business, and public pages often carry publishable keys)


@dataclass
class Judgement:
    """The findings of one scan and the per-host tracker rows the result's consent table shows."""

    findings: list[Finding] = field(default_factory=list)
    trackers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, kind: str, location: dict[str, Any], evidence: str, key: str, *,
            severity: Severity | None = None, confidence: float = 0.9,
            explanation: dict[str, Any] | None = None) -> None:
        """A finding of `kind` with the type's defaults; `key` (with the URL) makes its fingerprint."""
        info = type_info(kind)
        self.findings.append(Finding(
            type=kind, category=info.category, severity=severity or info.severity, confidence=confidence,
            location=location, evidence=evidence[:300], gdpr_articles=info.articles,
            remediation=info.remediation, explanation=explanation or {"description": info.description},
            fingerprint=fingerprint(kind, key, str(location.get("url") or ""))))


# --- cookies and trackers ---------------------------------------------------------------------------

def judge_cookies(observed: Observed, judgement: Judgement, *, static: bool) -> None:
    """Consent-needing cookies before consent and after reject; unclassified ones before consent."""
    confidence = 0.8 if static else 0.95  # static mode sees Set-Cookie headers only, no scripts
    for cookie in observed.cookies.values():
        entry = cookie.entry
        where = {"url": cookie.url, "cookie": cookie.name, "domain": cookie.domain}
        label = _cookie_label(cookie, entry)
        if entry.category in NEEDS_CONSENT:
            if "none" in cookie.states:
                judgement.add("cookie.before_consent", where, f"{label} set before any consent",
                              f"{cookie.name}@{cookie.domain}", confidence=confidence)
            if "reject" in cookie.states:
                judgement.add("cookie.after_reject", where, f"{label} present after 'reject all'",
                              f"{cookie.name}@{cookie.domain}", confidence=confidence)
        elif entry is UNKNOWN and "none" in cookie.states:
            judgement.add("cookie.unclassified", where, f"{label} set before any consent; not in the table",
                          f"{cookie.name}@{cookie.domain}", confidence=0.5)


def _cookie_label(cookie: CookieSeen, entry: Entry) -> str:
    company = f", {entry.company}" if entry.company else ""
    return f"{cookie.party}-party cookie {cookie.name} of {cookie.domain} ({entry.category}{company})"


def host_entry(observed: Observed, host: str) -> Entry:
    """The table's entry of a third-party host; else what the cookies it set say of it; else UNKNOWN."""
    entry = catalogue().host(host)
    if entry is not UNKNOWN:
        return entry
    site = site_of(host)
    categories = [c.entry for c in observed.cookies.values()
                  if c.party == "third" and site_of(c.domain) == site and c.entry.category in NEEDS_CONSENT]
    if categories:
        first = categories[0]
        return Entry(first.category, first.company, first.jurisdiction, f"cookie {first.source}")
    return UNKNOWN


def judge_trackers(observed: Observed, judgement: Judgement, *, static: bool) -> None:
    """Third-party hosts contacted per state: tracker rows, and findings for consent-needing ones."""
    for request in observed.requests:
        if not request.third_party or not request.host or request.blocked:
            continue
        row = judgement.trackers.get(request.host)
        if row is None:
            entry = host_entry(observed, request.host)
            row = judgement.trackers[request.host] = {
                "host": request.host, **entry.as_dict(), "states": dict.fromkeys(STATES, False),
                "requests": 0, "first_url": request.url, "first_page": request.page, "first_at": request.at}
        row["states"][request.state] = True
        row["requests"] += 1
    for host, row in judgement.trackers.items():
        _tracker_findings(host, row, judgement, static)


def _tracker_findings(host: str, row: dict[str, Any], judgement: Judgement, static: bool) -> None:
    where = {"url": row["first_page"], "request": row["first_url"]}
    label = f"{host} ({row['category']}{', ' + row['company'] if row['company'] else ''})"
    verb = "referenced by the page markup (loads unless blocked)" if static else "contacted"
    if row["category"] in NEEDS_CONSENT:
        if row["states"]["none"]:
            judgement.add("tracker.before_consent", where, f"{label} {verb} before any consent", host,
                          confidence=0.7 if static else 0.95)
        if row["states"]["reject"]:
            judgement.add("tracker.after_reject", where, f"{label} contacted after 'reject all'", host)
    entry = Entry(row["category"], row["company"], row["jurisdiction"])
    if entry.non_eu and any(row["states"].values()):
        judgement.add("tracker.non_eu_transfer", {**where, "jurisdiction": row["jurisdiction"]},
                      f"{label}: data goes to a company in {row['jurisdiction']}", host)


# --- the banner ------------------------------------------------------------------------------------------

def judge_banner(banner: dict[str, Any], start: str, judgement: Judgement) -> None:
    """Banner missing while consent-needing things happen; no reject on the first layer; pre-ticked
    boxes; a cookie wall. From the markup alone (static mode) a banner a script draws is not seen, so
    "no banner" and "no reject" are less certain there."""
    confidence = 0.6 if banner.get("from_markup_only") else 0.9
    where = {"url": start}
    needs_consent = any(f.type.startswith(("cookie.before", "tracker.before")) for f in judgement.findings) \
        or any(row["category"] in NEEDS_CONSENT for row in judgement.trackers.values())
    if not banner["present"]:
        if needs_consent:
            judgement.add("web.no_consent_banner", where, "no consent banner, yet analytics or marketing "
                          "cookies or trackers are used", "banner", confidence=confidence)
        return
    if banner["accept"] and not banner["reject"]:
        judgement.add("web.no_reject_first_layer", where,
                      f"first layer offers {banner['accept'][0]!r} and no way to reject", "reject",
                      confidence=confidence)
    if banner["preticked"]:
        judgement.add("web.preticked_consent", where, f"pre-ticked: {', '.join(banner['preticked'][:5])}",
                      "preticked")
    if banner.get("cookie_wall"):
        judgement.add("web.cookie_wall", where, "the consent layer covers the page and offers no way to "
                      "reject: the site cannot be used without accepting", "wall")


# --- pages: forms, transport, personal data ------------------------------------------------------

def judge_pages(visits: Iterable[Visit], judgement: Judgement) -> None:
    """Forms over plain http, mixed content and personal data in each page's text."""
    for visit in visits:
        facts = visit.facts
        if facts is None:
            continue
        page_url = visit.final_url or visit.url
        https_page = page_url.startswith("https://")
        for form in facts.forms:
            if form.personal_fields and (not https_page or form.action.startswith("http://")):
                judgement.add("web.form_over_http", {"url": page_url, "form": _path(form.action)},
                              f"form asks for {', '.join(form.personal_fields[:6])} and sends it over plain "
                              "http", f"form {_path(form.action)}")
        insecure = [r.url for r in facts.resources if https_page and r.url.startswith("http://")]
        if insecure:
            judgement.add("web.mixed_content", {"url": page_url, "request": _path(insecure[0])},
                          f"{len(insecure)} resource(s) over plain http on an https page", "mixed")
        _personal_data(page_url, facts.text, judgement)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _personal_data(url: str, text: str, judgement: Judgement) -> None:
    for finding in scan_text(text, path=url, kinds=PII_KINDS):
        location = {"url": url, "line": finding.location.get("line")}
        judgement.findings.append(Finding(
            type=finding.type, category=finding.category, severity=finding.severity,
            confidence=finding.confidence, location=location, evidence=finding.evidence,
            gdpr_articles=finding.gdpr_articles, remediation=finding.remediation,
            explanation={**finding.explanation, "where": "visible page text"},
            fingerprint=finding.fingerprint))


def judge_transport(start: str, response: WebResponse, judgement: Judgement) -> None:
    """HTTPS, HSTS and the security headers of the start page's final answer."""
    where = {"url": _path(response.url)}
    if not response.url.startswith("https://"):
        judgement.add("web.no_https", where, f"{_path(start)} is served over plain http"
                      + (" and does not redirect to https" if start.startswith("http://") else ""), "https")
    elif not response.header("strict-transport-security"):
        judgement.add("web.no_hsts", where, "no Strict-Transport-Security header", "hsts")
    missing = [name for name in SECURITY_HEADERS if not response.header(name)]
    csp = (response.header("content-security-policy") or "").lower()
    if not any(response.header(name) for name in FRAME_HEADERS) and "frame-ancestors" not in csp:
        missing.append("x-frame-options (or CSP frame-ancestors)")
    if missing:
        judgement.add("web.security_headers", where, f"missing: {', '.join(missing)}", ",".join(missing),
                      explanation={"missing": missing, "protects": SECURITY_HEADERS})


def judge_privacy_notice(notice: dict[str, Any], start: str, judgement: Judgement) -> None:
    """No privacy-notice link, or a notice that names no controller or no contact."""
    if not notice.get("url"):
        judgement.add("web.no_privacy_notice", {"url": start},
                      "no link to a privacy notice or cookie policy (privacy, privacyverklaring, "
                      "privacybeleid, cookiebeleid …) on the pages visited", "notice")
        return
    lacking = [what for what in ("controller", "contact") if notice.get(what) is False]
    if lacking:
        judgement.add("web.privacy_notice_incomplete", {"url": notice["url"]},
                      f"the privacy notice names no {' and no '.join(lacking)}", ",".join(lacking),
                      severity=Severity.LOW)
