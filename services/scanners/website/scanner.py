"""The website scanner: cookies and trackers before consent and after reject, the consent banner, the
privacy notice, forms, transport security and personal data on the pages of one site.

Request: `url` (http or https; its host must resolve to a public address) and `options`:

- `mode` ("browser" | "static", default "browser"): browser mode drives the system Chromium through
  Playwright in three consent states; static mode reads the HTML and headers only (no scripts run).
- `max_pages` (1-500, default 20), `max_depth` (0-10, default 3): the crawl's size, same site only.
- `page_timeout_s` (1-60, default 15): one request, and one page load in the browser.
- `total_timeout_s` (10-3600, default 600): no new page is started after this.
- `max_page_bytes` (1 KiB-20 MiB, default 5 MiB): a larger answer is cut (and reported).
- `delay_s` (0-10, default 0.5): pause between pages, so a scan does not burden the site.

The result's own section `website` holds the pages visited, robots.txt, the banner and what clicking
did, one row per cookie and per third-party host with the consent states it was seen in (the report's
consent table), the requests with their times, blocked requests and the evidence screenshots.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from services.detection.redaction import redact
from services.inputs.web import WebClient, WebLimits, WebResponse, check_url
from services.results import build_result, status_for, utc_now_iso
from services.scanners.base import Progress, Request, Result
from services.scanners.website import judge
from services.scanners.website.catalogue import site_of
from services.scanners.website.crawl import (
    PAGE_FAILURES,
    Crawl,
    CrawlLimits,
    Visit,
    crawl,
    read_robots,
    same_site,
)
from services.scanners.website.observe import MAX_REQUESTS_KEPT, Observed, RequestSeen, shown_url
from services.scanners.website.page import parse_page
from services.scope import artifact_dir
from utils.errors import InvalidRequestError, ScannerNotAvailableError, TargetUnavailableError

logger = logging.getLogger(__name__)

MODES = ("browser", "static")
CONSENT_PAGES = 2  # pages visited again after reject / accept: the start page and one more
SETTLE_S = 3.0  # after a page's load event, how long its scripts may keep loading trackers


@dataclass(frozen=True)
class WebsiteOptions:
    """Validated options (see the module docstring)."""

    mode: str = "browser"
    max_pages: int = 20
    max_depth: int = 3
    page_timeout_s: float = 15.0
    total_timeout_s: float = 600.0
    max_page_bytes: int = 5 * 1024 * 1024
    delay_s: float = 0.5

    @classmethod
    def from_request(cls, raw: object) -> WebsiteOptions:
        """Options from the request's `options`; InvalidRequestError names a bad one."""
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise InvalidRequestError("website: options must be an object")
        unknown = sorted(set(raw) - set(_BOUNDS) - {"mode"})
        if unknown:
            raise InvalidRequestError(f"website: unknown options: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        if "mode" in raw:
            if raw["mode"] not in MODES:
                raise InvalidRequestError(f"website: option mode must be one of {', '.join(MODES)}")
            values["mode"] = raw["mode"]
        for name, (low, high, kind) in _BOUNDS.items():
            if name in raw:
                values[name] = _bounded(name, raw[name], low, high, kind)
        return cls(**values)


_BOUNDS: dict[str, tuple[float, float, type]] = {
    "max_pages": (1, 500, int), "max_depth": (0, 10, int), "page_timeout_s": (1, 60, float),
    "total_timeout_s": (10, 3600, float), "max_page_bytes": (1024, 20 * 1024 * 1024, int),
    "delay_s": (0, 10, float),
}


def _bounded(name: str, value: object, low: float, high: float, kind: type) -> Any:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if not numeric or value != value or not low <= value <= high:  # type: ignore[operator]
        raise InvalidRequestError(f"website: option {name} must be a number between {low:g} and {high:g}")
    if kind is int and not float(value).is_integer():  # type: ignore[arg-type]
        raise InvalidRequestError(f"website: option {name} must be a whole number")
    return kind(value)


def browser_unavailable_because() -> str | None:
    """Why browser mode cannot run on this machine, or None (the static mode needs neither)."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright module is not installed"
    from services.scanners.website.browser import chromium_available  # Playwright: browser mode only

    return chromium_available()


class WebsiteScanner:
    """Crawls one site and judges what it does with cookies, trackers, consent and personal data."""

    name = "website"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Scan the site at `request["url"]`."""
        started_at = utc_now_iso()
        options = WebsiteOptions.from_request(request.get("options"))
        url = request.get("url")
        if not isinstance(url, str):
            raise InvalidRequestError("url must be an http or https URL")
        target = check_url(url)  # malformed, credentials, unresolvable or private: refused before anything
        if options.mode == "browser":
            reason = browser_unavailable_because()
            if reason:
                raise ScannerNotAvailableError(f"website mode browser is not available here: {reason}; "
                                               "use mode static")
        progress(0.0, f"scanning {target.origin} in {options.mode} mode")
        with WebClient(WebLimits(options.page_timeout_s, options.max_page_bytes)) as client:
            run = _Run(url, options, client, progress)
            return run.execute(started_at)


class _Run:
    """One scan of one site."""

    def __init__(self, start: str, options: WebsiteOptions, client: WebClient, progress: Progress) -> None:
        self.start, self.options, self.client, self.progress = start, options, client, progress
        self.deadline = time.monotonic() + options.total_timeout_s
        self.observed = Observed(shown_url(start), site_of(urlsplit(start).hostname or ""))
        self.judgement = judge.Judgement()
        self.errors: list[dict[str, Any]] = []
        self.section: dict[str, Any] = {"start_url": shown_url(start), "mode": options.mode, "evidence": []}

    def execute(self, started_at: str) -> Result:
        """Fetch the start page, crawl, judge, and build the result."""
        first = self._first_answer()
        if first is None:
            return self._result(started_at, [])
        robots, note = read_robots(self.client, self.start)
        self.section["robots"] = note
        limits = CrawlLimits(self.options.max_pages, self.options.max_depth, self.options.delay_s,
                             self.deadline)
        if self.options.mode == "static":
            visits = self._static(first, limits, robots, note)
        else:
            visits = self._browser(limits, robots, note)
        self._judge(first, visits)
        return self._result(started_at, visits)

    def _first_answer(self) -> WebResponse | None:
        """The start page over plain HTTP (headers, redirects to https); None when the site is unreachable."""
        self.progress(2.0, f"fetching {shown_url(self.start)}")
        try:
            return self.client.get(self.start)
        except TargetUnavailableError as error:
            self.errors.append({"url": shown_url(self.start), "host": error.target,
                                "kind": type(error).__name__, "message": str(error)})
            return None

    # --- the two modes -------------------------------------------------------------------------------

    def _static(self, first: WebResponse, limits: CrawlLimits, robots: Any,
                note: dict[str, Any]) -> list[Visit]:
        answers = {self.start: first}

        def fetch(url: str, depth: int) -> Visit:
            at = utc_now_iso()
            response = answers.pop(url, None) or self.client.get(url)
            return self._static_visit(url, depth, at, response)

        done = crawl(self.start, fetch, limits, self.progress, robots, note)
        return self._crawled(done)

    def _static_visit(self, url: str, depth: int, at: str, response: WebResponse) -> Visit:
        host = urlsplit(response.url).hostname or ""
        self.observed.requests.append(RequestSeen(shown_url(response.url), host, "document", "none",
                                                  shown_url(url), at, self.observed.third_party(host),
                                                  response.status))
        self.observed.set_cookie_headers(response.header_values("set-cookie"), response.url, "none", url)
        visit = Visit(url=url, depth=depth, at=at, status=response.status, final_url=shown_url(response.url),
                      elapsed_s=response.elapsed_s, truncated=response.truncated)
        if response.truncated:
            self.errors.append({"url": shown_url(url), "kind": "truncated",
                                "message": f"the page is larger than {self.options.max_page_bytes} bytes; "
                                           "only the first part was read"})
        if "html" in response.content_type and same_site(response.url, self.start):
            visit.facts = parse_page(response.url, response.text())
            for resource in visit.facts.resources:
                if resource.gated:
                    continue  # parked by a consent platform until consent
                rhost = urlsplit(resource.url).hostname or ""
                self.observed.requests.append(RequestSeen(
                    shown_url(resource.url), rhost, resource.kind, "none", shown_url(url), at,
                    self.observed.third_party(rhost)))
        return visit

    def _browser(self, limits: CrawlLimits, robots: Any, note: dict[str, Any]) -> list[Visit]:
        from services.scanners.website.browser import BrowserLimits, BrowserSession  # Playwright: here only

        evidence_dir = artifact_dir("website")  # the organisation's own folder, 0700
        settle = min(SETTLE_S, self.options.page_timeout_s)
        browser_limits = BrowserLimits(self.options.page_timeout_s, settle)
        with BrowserSession(self.client, self.observed, browser_limits, evidence_dir) as session:
            with session.before_consent() as fetch:
                done = crawl(self.start, fetch, limits, self.progress, robots, note)
                visits = self._crawled(done)
                start_facts = visits[0].facts if visits else None
                banner = session.banner(self.start, start_facts) if visits else None
            outcomes = []
            if banner is not None and banner.present:  # without a banner there is nothing to click
                pages = [v.url for v in visits[:CONSENT_PAGES]]
                for number, state in enumerate(("reject", "accept")):
                    self.progress(80.0 + 8.0 * number, f"consent state: after '{state}'")
                    outcomes.append(session.after_choice(state, self.start, pages).as_dict())
            self.section["evidence"] = session.evidence
        self.section["banner"] = _banner_dict(banner, outcomes) if banner is not None else None
        return visits

    def _crawled(self, done: Crawl) -> list[Visit]:
        self.errors += done.errors
        self.section["skipped"] = done.skipped
        return done.visits

    # --- judging and the result --------------------------------------------------------------------

    def _judge(self, first: WebResponse, visits: list[Visit]) -> None:
        self.progress(95.0, "judging")
        static = self.options.mode == "static"
        if static:
            self.section["banner"] = _static_banner(visits)
        judge.judge_cookies(self.observed, self.judgement, static=static)
        judge.judge_trackers(self.observed, self.judgement, static=static)
        if self.section.get("banner") is not None:
            judge.judge_banner(self.section["banner"], shown_url(self.start), self.judgement)
        judge.judge_pages(visits, self.judgement)
        judge.judge_transport(self.start, first, self.judgement)
        self.section["privacy_notice"] = self._privacy_notice(visits)
        judge.judge_privacy_notice(self.section["privacy_notice"], shown_url(self.start), self.judgement)

    def _privacy_notice(self, visits: list[Visit]) -> dict[str, Any]:
        """The first privacy-notice link found, read: does it name a controller and a contact?"""
        from services.scanners.website import words

        links = [link for visit in visits if visit.facts for link in visit.facts.privacy_links]
        if not links:
            return {"url": None}
        url = links[0]
        known = next((v.facts for v in visits if v.facts and normalised_equal(v.url, url)), None)
        text = known.text if known else None
        if text is None:
            try:
                response = self.client.get(url)
                html = "html" in response.content_type
                text = parse_page(response.url, response.text()).text if html else ""
            except PAGE_FAILURES as error:
                return {"url": shown_url(url), "error": str(error)}
        return {"url": shown_url(url), "controller": bool(words.CONTROLLER.search(text)),
                "contact": bool(words.CONTACT.search(text))}

    def _result(self, started_at: str, visits: list[Visit]) -> Result:
        self.section["pages"] = [v.as_dict() for v in visits]
        self.section["cookies"] = sorted((c.as_dict() for c in self.observed.cookies.values()),
                                         key=lambda row: (row["party"], row["domain"], row["name"]))
        self.section["trackers"] = sorted(self.judgement.trackers.values(), key=lambda row: row["host"])
        if self.options.mode == "static":  # static mode sees no consent states but the first: unknown
            for row in (*self.section["cookies"], *self.section["trackers"]):
                row["states"].update(reject=None, accept=None)
        self.section["local_storage"] = {key: sorted(states) for key, states in self.observed.storage.items()}
        self.section["requests"] = [r.as_dict() for r in self.observed.requests[:MAX_REQUESTS_KEPT]]
        self.section["blocked_requests"] = [r.as_dict() for r in self.observed.requests if r.blocked][:200]
        self.section.setdefault("banner", None)
        self.section.setdefault("privacy_notice", None)
        self.progress(100.0, f"visited {len(visits)} pages")
        logger.info("website: %s: %d pages, %d findings, %d errors", self.section["start_url"], len(visits),
                    len(self.judgement.findings), len(self.errors))
        return build_result("website", self.judgement.findings, started_at=started_at,
                            items_scanned=len(visits), bytes_scanned=0, errors=self.errors,
                            status=status_for(len(visits), self.errors), extra={"website": self.section})


def normalised_equal(left: str, right: str) -> bool:
    """True when two URLs name the same page (fragment and trailing slash aside)."""
    return shown_url(left).rstrip("/") == shown_url(right).rstrip("/")


def _banner_dict(banner: Any, outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"present": banner.present, "platforms": banner.platforms, "accept": _labels(banner.accept),
            "reject": _labels(banner.reject), "preticked": _labels(banner.preticked),
            "cookie_wall": banner.cookie_wall, "clicks": outcomes}


def _labels(texts: list[str]) -> list[str]:
    """Button and checkbox labels as the result keeps them: page text, so redacted like any."""
    return [redact(text) for text in texts]


def _static_banner(visits: list[Visit]) -> dict[str, Any] | None:
    """The banner as the start page's markup shows it (a banner drawn by a script is not seen)."""
    facts = visits[0].facts if visits else None
    if facts is None:
        return None
    return {"present": facts.banner, "platforms": facts.platforms, "accept": _labels(facts.accept_buttons),
            "reject": _labels(facts.reject_buttons), "preticked": _labels(facts.preticked),
            "cookie_wall": False, "clicks": [], "from_markup_only": True}


