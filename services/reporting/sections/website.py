"""The website scanner's report section: the consent table (before consent / after reject / after
accept) per cookie and third-party host, the banner and notice in one line each, and the evidence
screenshots. The result is input: every field is read defensively and every string escaped by the kit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, Spacer

from services.reporting.sections import SectionKit

MAX_ROWS = 150  # one site's cookies and hosts; more is a table no one reads on paper
MAX_SCREENSHOTS = 6
SCREENSHOT_HEIGHT = 3.2 * 72
STATES = ("none", "reject", "accept")

LABELS = {
    "en": {
        "heading": "Website: cookies, trackers and consent",
        "site": "{url}: {pages} page(s) visited in {mode} mode.",
        "banner": "Consent banner: {present}{platform}. Reject on the first layer: {reject}. "
                  "Cookie wall: {wall}.",
        "no_banner_read": "The consent banner could not be read (the start page did not load).",
        "notice": "Privacy notice: {url} (names the controller: {controller}; a contact: {contact}).",
        "no_notice": "Privacy notice: no link found on the pages visited.",
        "table": "Consent table",
        "item": "Cookie or host", "category": "Category", "company": "Company (country)",
        "none": "Before consent", "reject": "After reject", "accept": "After accept",
        "yes": "yes", "no": "no", "unknown": "not tested", "more": "{n} more rows left out.",
        "empty": "No cookies and no third-party hosts were seen.",
        "evidence": "Evidence",
        "shot": "Screenshot {state}, {url}, {at}",
        "state_none": "before consent", "state_reject": "after 'reject all'",
        "state_accept": "after 'accept all'",
        "cookie": "cookie {name} ({domain})", "host": "host {host}",
    },
    "nl": {
        "heading": "Website: cookies, trackers en toestemming",
        "site": "{url}: {pages} pagina('s) bezocht in {mode}-modus.",
        "banner": "Cookiebanner: {present}{platform}. Weigeren in de eerste laag: {reject}. "
                  "Cookiewall: {wall}.",
        "no_banner_read": "De cookiebanner kon niet worden gelezen (de startpagina laadde niet).",
        "notice": "Privacyverklaring: {url} (noemt de verwerkingsverantwoordelijke: {controller}; "
                  "contactgegevens: {contact}).",
        "no_notice": "Privacyverklaring: geen link gevonden op de bezochte pagina's.",
        "table": "Toestemmingstabel",
        "item": "Cookie of host", "category": "Categorie", "company": "Bedrijf (land)",
        "none": "Voor toestemming", "reject": "Na weigeren", "accept": "Na accepteren",
        "yes": "ja", "no": "nee", "unknown": "niet getest", "more": "{n} rijen weggelaten.",
        "empty": "Geen cookies en geen hosts van derden gezien.",
        "evidence": "Bewijs",
        "shot": "Schermafdruk {state}, {url}, {at}",
        "state_none": "voor toestemming", "state_reject": "na 'alles weigeren'",
        "state_accept": "na 'alles accepteren'",
        "cookie": "cookie {name} ({domain})", "host": "host {host}",
    },
}


def flowables(results: Sequence[dict[str, Any]], kit: SectionKit) -> list[Flowable]:
    """The section for every website result in the report."""
    story: list[Flowable] = [kit.heading(kit.text(LABELS, "heading"))]
    for result in results:
        section = result.get("website")
        if not isinstance(section, dict):
            raise TypeError("website result without its section")
        story += _one_site(section, kit)
    return story


def _one_site(section: dict[str, Any], kit: SectionKit) -> list[Flowable]:
    pages = _dicts(section.get("pages"))
    site = kit.text(LABELS, "site", url=_s(section.get("start_url")), pages=len(pages),
                    mode=_s(section.get("mode")))
    story: list[Flowable] = [kit.p(site)]
    story.append(kit.p(_banner_line(section.get("banner"), kit)))
    story.append(kit.p(_notice_line(section.get("privacy_notice"), kit)))
    story += [kit.heading(kit.text(LABELS, "table"), 2), *_consent_table(section, kit)]
    story += _evidence(section.get("evidence"), kit)
    return story


def _s(value: object, limit: int = 200) -> str:
    return str(value)[:limit] if value is not None else ""


def _yes(value: object, kit: SectionKit) -> str:
    if value is None:
        return kit.text(LABELS, "unknown")
    return kit.text(LABELS, "yes" if value else "no")


def _banner_line(banner: object, kit: SectionKit) -> str:
    if not isinstance(banner, dict):
        return kit.text(LABELS, "no_banner_read")
    raw = banner.get("platforms")
    platforms: list[Any] = raw if isinstance(raw, list) else []
    platform = f" ({', '.join(_s(p, 40) for p in platforms[:3])})" if platforms else ""
    return kit.text(LABELS, "banner", present=_yes(bool(banner.get("present")), kit), platform=platform,
                    reject=_yes(bool(banner.get("reject")), kit),
                    wall=_yes(bool(banner.get("cookie_wall")), kit))


def _notice_line(notice: object, kit: SectionKit) -> str:
    if not isinstance(notice, dict) or not notice.get("url"):
        return kit.text(LABELS, "no_notice")
    return kit.text(LABELS, "notice", url=_s(notice.get("url")),
                    controller=_yes(notice.get("controller"), kit), contact=_yes(notice.get("contact"), kit))


def _consent_table(section: dict[str, Any], kit: SectionKit) -> list[Flowable]:
    rows = [_cookie_row(c, kit) for c in _dicts(section.get("cookies"))]
    rows += [_host_row(h, kit) for h in _dicts(section.get("trackers"))]
    if not rows:
        return [kit.p(kit.text(LABELS, "empty"))]
    header = [kit.text(LABELS, key) for key in ("item", "category", "company", *STATES)]
    story: list[Flowable] = [kit.table(header, rows[:MAX_ROWS], (0.27, 0.13, 0.18, 0.14, 0.14, 0.14))]
    if len(rows) > MAX_ROWS:
        story.append(kit.p(kit.text(LABELS, "more", n=len(rows) - MAX_ROWS), "Small"))
    return story


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _common(row: dict[str, Any], kit: SectionKit) -> list[str]:
    raw = row.get("states")
    states: dict[str, Any] = raw if isinstance(raw, dict) else {}
    company = _s(row.get("company"), 60)
    country = _s(row.get("jurisdiction"), 8)
    owner = f"{company} ({country})" if company and country else company or "-"
    return [_s(row.get("category"), 30) or "unknown", owner, *(_yes(states.get(s), kit) for s in STATES)]


def _cookie_row(row: dict[str, Any], kit: SectionKit) -> list[str]:
    name = kit.text(LABELS, "cookie", name=_s(row.get("name"), 80), domain=_s(row.get("domain"), 80))
    return [name, *_common(row, kit)]


def _host_row(row: dict[str, Any], kit: SectionKit) -> list[str]:
    return [kit.text(LABELS, "host", host=_s(row.get("host"), 120)), *_common(row, kit)]


def _evidence(evidence: object, kit: SectionKit) -> list[Flowable]:
    shots = [e for e in _dicts(evidence) if e.get("kind") == "screenshot"][:MAX_SCREENSHOTS]
    if not shots:
        return []
    story: list[Flowable] = [kit.heading(kit.text(LABELS, "evidence"), 2)]
    for shot in shots:
        image = kit.image(shot.get("path"), kit.body_width, SCREENSHOT_HEIGHT)
        if image is None:
            continue
        state = _s(shot.get("state"), 10)
        label = kit.text(LABELS, f"state_{state}") if state in STATES else state
        caption = kit.text(LABELS, "shot", state=label, url=_s(shot.get("url")), at=_s(shot.get("taken_at")))
        story += [kit.p(caption, "Small"), image, Spacer(1, 6)]
    return story
