"""What one HTML page says, read with an HTML parser: links, third-party resources, forms, a consent
banner in the markup, privacy-notice links and the visible text. Used by static mode for every page and
by browser mode for the rendered DOM."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from services.scanners.website import words
from services.scanners.website.catalogue import catalogue

# script types that do not run: a consent platform parks gated scripts as type="text/plain"
INERT_SCRIPT_TYPES = ("text/plain", "text/x-template", "text/template", "application/ld+json",
                      "application/json")
BANNER_HINTS = ("cookie", "consent", "gdpr", "cmp", "privacy-banner", "toestemming")
MAX_LINKS_PER_PAGE = 1000  # beyond this a page is a sitemap; the crawl's page limit decides anyway


@dataclass(frozen=True)
class Resource:
    """A resource the markup asks for: its absolute URL and what kind of thing it is."""

    url: str
    kind: str  # script, iframe, image, stylesheet, font, form
    gated: bool = False  # a script parked by a consent platform until consent


@dataclass(frozen=True)
class Form:
    """A form: where it posts and whether it asks for personal data."""

    action: str
    method: str
    personal_fields: tuple[str, ...]


@dataclass
class PageFacts:
    """What the markup of one page holds."""

    url: str
    title: str = ""
    text: str = ""
    links: list[str] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    privacy_links: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    banner: bool = False
    accept_buttons: list[str] = field(default_factory=list)
    reject_buttons: list[str] = field(default_factory=list)
    preticked: list[str] = field(default_factory=list)


def parse_page(url: str, html: str) -> PageFacts:
    """The facts of one page's HTML; `url` resolves relative addresses."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "lxml")
    base = _base_url(soup, url)
    facts = PageFacts(url=url, title=_title(soup))
    _read_links(soup, base, facts)
    _read_resources(soup, base, facts)
    _read_forms(soup, base, facts)
    _read_banner(soup, facts)
    for hidden in soup(["script", "style", "noscript", "template"]):
        hidden.decompose()
    facts.text = "\n".join(line.strip() for line in soup.get_text("\n").splitlines() if line.strip())
    return facts


def _base_url(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    return urljoin(url, str(base["href"])) if isinstance(base, Tag) else url


def _title(soup: BeautifulSoup) -> str:
    return " ".join(soup.title.get_text().split())[:200] if soup.title else ""


def absolute(base: str, address: str) -> str | None:
    """`address` made absolute against `base`, without its fragment; None unless http(s)."""
    try:
        joined = urldefrag(urljoin(base, address.strip()))[0]
    except ValueError:
        return None
    return joined if urlsplit(joined).scheme in ("http", "https") else None


def _read_links(soup: BeautifulSoup, base: str, facts: PageFacts) -> None:
    for anchor in soup.find_all("a", href=True)[:MAX_LINKS_PER_PAGE]:
        target = absolute(base, str(anchor["href"]))
        if target is None:
            continue
        facts.links.append(target)
        label = f"{anchor.get_text(' ', strip=True)} {urlsplit(target).path}"
        if words.PRIVACY_LINK.search(label) and target not in facts.privacy_links:
            facts.privacy_links.append(target)


def _read_resources(soup: BeautifulSoup, base: str, facts: PageFacts) -> None:
    for tag in soup.find_all(["script", "iframe", "img", "link", "source", "embed"]):
        address = tag.get("src") or (tag.get("href") if tag.name == "link" else None)
        if not isinstance(address, str):
            continue
        target = absolute(base, address)
        if target is None:
            continue
        kind, gated = _kind(tag)
        if kind:
            facts.resources.append(Resource(target, kind, gated))
            platform = catalogue().platform_of_host(urlsplit(target).hostname or "")
            if platform and platform not in facts.platforms:
                facts.platforms.append(platform)


def _kind(tag: Tag) -> tuple[str, bool]:
    """(kind, gated) of a resource tag; kind "" for links that load nothing (canonical, alternate)."""
    if tag.name == "script":
        script_type = str(tag.get("type") or "").lower()
        return "script", script_type in INERT_SCRIPT_TYPES or bool(tag.get("data-cookieconsent"))
    if tag.name == "link":
        raw_rel = tag.get("rel")
        rel = (" ".join(raw_rel) if isinstance(raw_rel, list) else str(raw_rel or "")).lower()
        if "stylesheet" in rel:
            return "stylesheet", False
        if "preload" in rel or "font" in str(tag.get("as") or ""):
            return ("font" if tag.get("as") == "font" else "preload"), False
        return "", False
    return {"iframe": "iframe", "img": "image"}.get(str(tag.name), "media"), False


def _read_forms(soup: BeautifulSoup, base: str, facts: PageFacts) -> None:
    for form in soup.find_all("form"):
        action = absolute(base, str(form.get("action") or "")) or base
        personal = tuple(dict.fromkeys(_personal_fields(form)))
        facts.forms.append(Form(action, str(form.get("method") or "get").lower(), personal))


def _personal_fields(form: Tag) -> list[str]:
    found = []
    for field_tag in form.find_all(["input", "textarea", "select"]):
        field_type = str(field_tag.get("type") or "text").lower()
        if field_type in ("hidden", "submit", "button", "checkbox", "radio", "image", "reset"):
            continue
        label = " ".join(str(field_tag.get(key) or "")
                         for key in ("name", "id", "autocomplete", "placeholder"))
        if field_type in words.PERSONAL_INPUT_TYPES or words.PERSONAL_FIELD.search(label):
            found.append(str(field_tag.get("name") or field_tag.get("id") or field_type)[:60])
    return found


def _read_banner(soup: BeautifulSoup, facts: PageFacts) -> None:
    platforms = catalogue().platforms
    for platform in platforms:
        shown = any(soup.select_one(selector) for selector in platform.selectors)
        if shown and platform.name not in facts.platforms:
            facts.platforms.append(platform.name)
    containers = [tag for tag in soup.find_all(True) if _looks_like_banner(tag)]
    for container in containers:
        for button in container.find_all(["button", "a", "input"]):
            name = _button_name(button)
            if words.ACCEPT.match(name) and name not in facts.accept_buttons:
                facts.accept_buttons.append(name)
            elif words.REJECT.match(name) and name not in facts.reject_buttons:
                facts.reject_buttons.append(name)
        for box in container.find_all("input", attrs={"type": "checkbox"}):
            label = str(box.get("name") or box.get("id") or "checkbox")[:60]
            if box.has_attr("checked") and not box.has_attr("disabled") and label not in facts.preticked:
                facts.preticked.append(label)
    facts.banner = bool(facts.platforms) or bool(facts.accept_buttons or facts.reject_buttons)


def _looks_like_banner(tag: Tag) -> bool:
    """An element whose id/class/role names cookies or consent, or a dialog whose text speaks of them."""
    marker = " ".join([str(tag.get("id") or ""), " ".join(tag.get("class") or []), str(tag.get("role") or ""),
                       str(tag.get("aria-label") or "")]).lower()
    if any(hint in marker for hint in BANNER_HINTS):
        return True
    return ("dialog" in marker or tag.name == "dialog") and bool(words.COOKIE_TEXT.search(tag.get_text(" ")))


def _button_name(button: Tag) -> str:
    if button.name == "input":
        return str(button.get("value") or "")[:80]
    return " ".join(button.get_text(" ").split())[:80] or str(button.get("aria-label") or "")[:80]
