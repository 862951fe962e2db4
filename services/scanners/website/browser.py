"""Browser mode: the system Chromium, driven by Playwright, visits the site as a person would, in three
consent states (no interaction, after "reject all", after "accept all").

Chromium is given no network of its own. Every request a page makes is intercepted
(`context.route("**/*")`) and made by our WebClient instead, which checks the host against the SSRF
rule, connects to the checked address, caps size and time and counts the host's breaker; the answer is
handed back with `route.fulfill`. A refused host is aborted and recorded as blocked. Chromium's own
resolver maps every name to nothing and a dead proxy stands in for any connection it would open itself
(preconnect, prefetch, a WebSocket), so nothing leaves except through the client. Each response's
Set-Cookie headers are recorded as they pass, because headless Chromium does not store third-party
cookies; first-party ones, also those set from JavaScript, are read from the context's cookie jar.

This module imports Playwright at the top: the scanner imports it only in browser mode.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from services.inputs.web import REDIRECT_STATUSES, WebClient, WebResponse
from services.results import utc_now_iso
from services.scanners.website import words
from services.scanners.website.crawl import Visit
from services.scanners.website.observe import Observed, RequestSeen, shown_url
from services.scanners.website.page import PageFacts, parse_page
from utils.errors import InvalidRequestError, RedirectError, TargetUnavailableError, UnsafeInputError

logger = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = (
    "--no-sandbox",  # the worker runs as root in a container; Chromium's sandbox needs user namespaces
    "--host-resolver-rules=MAP * ~NOTFOUND",  # Chromium resolves nothing itself: every request is ours
    "--proxy-server=http://127.0.0.1:9",  # and any connection it would open itself goes nowhere
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-features=Translate,OptimizationHints,MediaRouter",
)
VIEWPORT = {"width": 1280, "height": 800}
# headers Chromium would send that the client sets itself or that describe a body we re-encode
DROPPED_REQUEST_HEADERS = frozenset({"host", "content-length", "connection", "accept-encoding",
                                     "transfer-encoding", "upgrade", "proxy-connection"})
DROPPED_RESPONSE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length", "connection",
                                      "set-cookie", "keep-alive"})
MAX_BUTTON_CANDIDATES = 20
QUIET_S = 0.5  # no request began or ended for this long: the page has settled (networkidle's rule)
QUIET_POLL_MS = 50
MAX_TEMP_BASE_CHARS = 50  # + "/dg-chromium-XXXXXXXX/org.chromium.Chromium.XXXXXX/SingletonSocket" < 108
STORAGE_KEYS_JS = "() => { try { return Object.keys(window.localStorage); } catch (e) { return []; } }"
COOKIE_WALL_COVER = 0.8  # a consent layer covering this share of the viewport blocks the page
BANNER_STATE_JS = """() => {
  const hint = /cookie|consent|gdpr|cmp|toestemming/i;
  const inBanner = (el) => { for (let e = el; e; e = e.parentElement) {
      const m = (e.id || '') + ' ' + (typeof e.className === 'string' ? e.className : '') + ' ' +
                (e.getAttribute && (e.getAttribute('role') || '') + ' ' +
                 (e.getAttribute('aria-label') || ''));
      if (hint.test(m)) return true; } return false; };
  const preticked = [];
  for (const box of document.querySelectorAll('input[type=checkbox], [role=switch], [role=checkbox]')) {
    const on = box.tagName === 'INPUT' ? box.checked : box.getAttribute('aria-checked') === 'true';
    const locked = box.disabled || box.getAttribute('aria-disabled') === 'true';
    if (on && !locked && inBanner(box)) preticked.push((box.name || box.id || 'checkbox').slice(0, 60));
  }
  const vw = window.innerWidth, vh = window.innerHeight;
  let wall = false;
  for (let e = document.elementFromPoint(vw / 2, vh / 2); e && e !== document.body; e = e.parentElement) {
    const r = e.getBoundingClientRect(), style = getComputedStyle(e);
    const covers = (Math.min(r.right, vw) - Math.max(r.left, 0)) *
                   (Math.min(r.bottom, vh) - Math.max(r.top, 0));
    if ((style.position === 'fixed' || style.position === 'absolute') && covers >= %COVER% * vw * vh &&
        (inBanner(e) || /cookie|toestemming|consent/i.test(e.innerText || ''))) { wall = true; break; }
  }
  return {preticked: preticked, wall: wall};
}""".replace("%COVER%", str(COOKIE_WALL_COVER))


@dataclass(frozen=True)
class BrowserLimits:
    """Time a browser gives one page."""

    page_timeout_s: float
    settle_s: float  # after load, how long to wait for the page's scripts to go quiet


@dataclass
class ConsentOutcome:
    """What clicking in one state did: the button found on the first layer, or why none."""

    state: str
    button: str = ""
    clicked: bool = False
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"state": self.state, "button": self.button, "clicked": self.clicked, "error": self.error}


@dataclass
class BannerSeen:
    """The consent banner as the start page showed it before any interaction."""

    present: bool = False
    platforms: list[str] = field(default_factory=list)
    accept: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)
    preticked: list[str] = field(default_factory=list)
    cookie_wall: bool = False


@dataclass
class _Tab:
    """Which state and page the requests passing the route belong to now."""

    state: str = "none"
    page: str = ""
    failures: dict[str, str] = field(default_factory=dict)  # shown URL -> why our client could not fetch it
    last_activity: float = field(default_factory=time.monotonic)  # a request began or ended
    redirect: str | None = None  # where the page's last navigation was redirected to


@dataclass
class _Hops:
    """The request a redirect chain is at now (the first one Chromium made, then each hop)."""

    current: RequestSeen


def _is_top_navigation(request: Request) -> bool:
    """True for a navigation of the page itself (not an iframe's, not a subresource)."""
    try:
        return request.is_navigation_request() and request.frame.parent_frame is None
    except PlaywrightError:  # a service worker's request has no frame
        return False


def _short_temp_dir() -> str:
    """A private temp folder for Chromium, in the worker's own temp folder when its path is short.

    Chromium puts a Unix socket in TMPDIR and aborts when the socket's path passes 107 bytes (the
    kernel's limit), which a worker's temp folder under a deep data directory does.
    """
    base = tempfile.gettempdir()
    if len(base) > MAX_TEMP_BASE_CHARS:
        base = "/tmp"  # removed when the scan ends, like the folder it stands in for
    return tempfile.mkdtemp(prefix="dg-chromium-", dir=base)


def chromium_available() -> str | None:
    """Why browser mode cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM}"
    return None


class BrowserSession:
    """One Chromium for one scan; a fresh context per consent state; everything closed on exit."""

    def __init__(self, client: WebClient, observed: Observed, limits: BrowserLimits,
                 evidence_dir: Path) -> None:
        self.client, self.observed, self.limits, self.evidence_dir = client, observed, limits, evidence_dir
        self.evidence: list[dict[str, Any]] = []
        self._stack = contextlib.ExitStack()
        self._tab = _Tab()
        self._browser: Browser | None = None
        self._none_context: BrowserContext | None = None
        self._none_page: Page | None = None

    def __enter__(self) -> BrowserSession:
        temp = _short_temp_dir()
        self._stack.callback(shutil.rmtree, temp, ignore_errors=True)
        playwright: Playwright = self._stack.enter_context(sync_playwright())
        try:
            self._browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS),
                                                       env={**os.environ, "TMPDIR": temp})
        except PlaywrightError as error:
            self._stack.close()
            logger.warning("website: Chromium did not start: %s", str(error)[-1500:])
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise TargetUnavailableError(f"Chromium did not start: {first}", "chromium") from None
        self._stack.callback(self._browser.close)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    # --- contexts and the route that makes every request ------------------------------------------

    @contextlib.contextmanager
    def _context(self, state: str) -> Iterator[BrowserContext]:
        assert self._browser is not None
        context = self._browser.new_context(service_workers="block", viewport=VIEWPORT,  # type: ignore[arg-type]
                                            java_script_enabled=True, accept_downloads=False)
        try:
            context.set_default_timeout(self.limits.page_timeout_s * 1000)
            self._tab = _Tab(state=state)
            context.route("**/*", self._route)
            context.route_web_socket("**/*", lambda socket: socket.close())  # never connected to a server
            yield context
        finally:
            with contextlib.suppress(PlaywrightError):
                context.close()

    def _route(self, route: Route) -> None:
        self._tab.last_activity = time.monotonic()
        try:
            self._handle(route)
        finally:
            self._tab.last_activity = time.monotonic()

    def _handle(self, route: Route) -> None:
        request = route.request
        url = request.url
        seen = self._seen(url, request.resource_type)
        if urlsplit(url).scheme not in ("http", "https"):
            seen.blocked = "not http(s)"
            route.abort("blockedbyclient")
            return
        headers = {k: v for k, v in request.all_headers().items()
                   if k.lower() not in DROPPED_REQUEST_HEADERS and not k.startswith(":")}
        top = _is_top_navigation(request)
        hops = _Hops(seen)
        try:
            # a redirect fulfilled back to Chromium is followed without passing this route again, so a
            # page's own navigation is redirected by `_navigate` (each hop a new, routed goto) and a
            # subresource's redirects are followed here, by the client, every hop checked
            response = self.client.request(request.method, url, headers=headers,
                                           body=request.post_data_buffer, follow_redirects=not top,
                                           on_redirect=lambda answer, nxt: self._hop(hops, answer, nxt))
        except UnsafeInputError as error:
            hops.current.blocked = str(error)
            self._tab.failures[seen.url] = str(error)
            route.abort("blockedbyclient")
            return
        except (TargetUnavailableError, RedirectError, InvalidRequestError) as error:
            self._tab.failures[seen.url] = str(error)
            route.abort("failed")
            return
        hops.current.status = response.status
        cookies = response.header_values("set-cookie")
        self.observed.set_cookie_headers(cookies, response.url, self._tab.state, self._tab.page or url)
        location = response.header("location")
        if top and response.status in REDIRECT_STATUSES and location:
            self._tab.redirect = urljoin(url, location.strip())
            route.abort("aborted")
            return
        kept = {k: v for k, v in response.headers if k.lower() not in DROPPED_RESPONSE_HEADERS}
        if cookies:
            kept["set-cookie"] = "\n".join(cookies)  # Playwright splits it again, one cookie per line
        route.fulfill(status=response.status, headers=kept, body=response.body)

    def _seen(self, url: str, kind: str) -> RequestSeen:
        """A request of the page, recorded in the current state."""
        host = urlsplit(url).hostname or ""
        seen = RequestSeen(shown_url(url), host, kind, self._tab.state, self._tab.page, utc_now_iso(),
                           self.observed.third_party(host) if host else False)
        self.observed.requests.append(seen)
        return seen

    def _hop(self, hops: _Hops, answer: WebResponse, next_url: str) -> None:
        """One redirect of a subresource: its cookies (cookie syncing sets them here) and the next hop."""
        hops.current.status = answer.status
        self.observed.set_cookie_headers(answer.header_values("set-cookie"), answer.url, self._tab.state,
                                         self._tab.page or answer.url)
        hops.current = self._seen(next_url, hops.current.kind)

    # --- visiting ------------------------------------------------------------------------------------

    def _visit(self, page: Page, url: str, depth: int) -> Visit:
        self._tab.page = shown_url(url)
        started, at = time.monotonic(), utc_now_iso()
        response = self._navigate(page, url)
        self._settle(page)
        self._read_state(page)
        facts = self._facts(page)
        return Visit(url=url, depth=depth, at=at, status=response.status if response else None,
                     final_url=shown_url(page.url), elapsed_s=time.monotonic() - started, facts=facts)

    def _navigate(self, page: Page, url: str) -> Response | None:
        """Go to `url`, following its redirects one routed goto at a time (each hop checked)."""
        seen: list[str] = []
        while True:
            self._tab.redirect = None
            try:
                return page.goto(url, wait_until="load", timeout=self.limits.page_timeout_s * 1000)
            except PlaywrightError as error:
                target = self._tab.redirect
                if target is None:
                    raise self._page_error(url, error) from None
            seen.append(url)
            if target in seen or len(seen) > self.client.limits.max_redirects:
                raise RedirectError(f"redirect loop or too many redirects from {shown_url(seen[0])}")
            url = target
            self._tab.page = shown_url(url)

    def _follow_pending(self, page: Page) -> None:
        """After a click: a navigation it caused that answered with a redirect is followed here."""
        if self._tab.redirect is not None:
            with contextlib.suppress(*_PAGE_PROBLEMS):
                self._navigate(page, self._tab.redirect)

    def _page_error(self, url: str, error: Exception) -> Exception:
        host = urlsplit(url).hostname or ""
        why = self._tab.failures.get(shown_url(url))
        if why and "not a public address" in why:
            return UnsafeInputError(why)
        if why:
            return TargetUnavailableError(why, host)
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        return TargetUnavailableError(f"{host}: the page did not load in the browser ({first[:200]})", host)

    def _settle(self, page: Page) -> None:
        """Wait until the page's requests have been quiet for QUIET_S after the load event or a click
        (scripts that load trackers then have had their turn), at most settle_s. Our own route sees
        every request, so quiet is measured there rather than by Playwright's networkidle."""
        deadline = time.monotonic() + self.limits.settle_s
        self._tab.last_activity = time.monotonic()  # a click's first request may not have begun yet
        with contextlib.suppress(PlaywrightError):
            while time.monotonic() < deadline:
                page.wait_for_timeout(QUIET_POLL_MS)  # the route handler runs while we wait
                if time.monotonic() - self._tab.last_activity >= QUIET_S:
                    return

    def _facts(self, page: Page) -> PageFacts | None:
        try:
            return parse_page(page.url, page.content())
        except PlaywrightError:
            return None

    def _read_state(self, page: Page) -> None:
        """The cookie jar and localStorage keys as they are now, in the current state."""
        state = self._tab.state
        try:
            jar = page.context.cookies()
            keys = page.evaluate(STORAGE_KEYS_JS)
        except PlaywrightError:
            return
        for cookie in jar:
            self.observed.cookie(cookie["name"], cookie["domain"], state, set_by="script", url=page.url,
                                 secure=bool(cookie.get("secure")), http_only=bool(cookie.get("httpOnly")))
        for key in keys[:200]:
            self.observed.storage.setdefault(str(key)[:100], set()).add(state)

    # --- the three states -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def before_consent(self) -> Iterator[Any]:
        """A context that never interacts: the crawl visits every page in it (`fetch`)."""
        with self._context("none") as context:
            self._none_context, self._none_page = context, context.new_page()
            try:
                yield self.fetch
            finally:
                self._none_context = self._none_page = None

    def fetch(self, url: str, depth: int) -> Visit:
        """Visit one page in the no-interaction context (the crawl's fetcher in browser mode)."""
        assert self._none_page is not None
        return self._visit(self._none_page, url, depth)

    def banner(self, start: str, facts: PageFacts | None) -> BannerSeen:
        """The start page's banner, read in the no-interaction context (call after visiting it)."""
        assert self._none_page is not None
        page = self._none_page
        if facts is None or shown_url(page.url) != shown_url(start):
            with contextlib.suppress(*_PAGE_PROBLEMS):
                facts = self._visit(page, start, 0).facts
        seen = BannerSeen()
        if facts is not None:
            seen.platforms, seen.accept, seen.reject = list(facts.platforms), list(facts.accept_buttons), \
                list(facts.reject_buttons)
            seen.preticked = list(facts.preticked)
        with contextlib.suppress(PlaywrightError):
            state = page.evaluate(BANNER_STATE_JS)
            seen.preticked = list(dict.fromkeys([*seen.preticked, *state["preticked"]]))
            seen.cookie_wall = bool(state["wall"])
        seen.accept = seen.accept or self._button_names(page, words.ACCEPT)
        seen.reject = seen.reject or self._button_names(page, words.REJECT)
        seen.present = bool(seen.platforms or seen.accept or seen.reject or seen.cookie_wall)
        self._screenshot(page, "none", start)
        return seen

    def after_choice(self, state: str, start: str, pages: list[str]) -> ConsentOutcome:
        """A fresh context: load the start page, click the first-layer button of `state` (reject or
        accept), then visit `pages` again in that state."""
        outcome = ConsentOutcome(state)
        pattern = words.REJECT if state == "reject" else words.ACCEPT
        with self._context("none") as context:
            page = context.new_page()
            try:
                self._visit(page, start, 0)
            except _PAGE_PROBLEMS as error:
                outcome.error = str(error)
                return outcome
            button = self._first_layer_button(page, pattern)
            if button is None:
                outcome.error = f"no {state} button on the first layer"
                return outcome
            outcome.button = _name_of(button)
            self._tab.state = state
            try:
                button.click(timeout=self.limits.page_timeout_s * 1000)
            except PlaywrightError as error:
                first = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
                outcome.error = f"the {state} button could not be clicked ({first})"
                return outcome
            outcome.clicked = True
            self._settle(page)
            self._follow_pending(page)  # a consent form posted to the server and redirected back
            self._read_state(page)
            self._screenshot(page, state, start)
            for url in pages:
                with contextlib.suppress(*_PAGE_PROBLEMS):
                    self._visit(page, url, 0)
        return outcome

    def _first_layer_button(self, page: Page, pattern: re.Pattern[str]) -> Locator | None:
        for frame in page.frames:
            for candidate in _candidates(frame, pattern):
                with contextlib.suppress(PlaywrightError):
                    if candidate.is_visible():
                        return candidate
        return None

    def _button_names(self, page: Page, pattern: re.Pattern[str]) -> list[str]:
        found = self._first_layer_button(page, pattern)
        return [_name_of(found)] if found is not None else []

    def _screenshot(self, page: Page, state: str, url: str) -> None:
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        path = self.evidence_dir / f"{state}-{len(self.evidence) + 1}.png"
        try:
            page.screenshot(path=str(path), full_page=False, timeout=self.limits.page_timeout_s * 1000)
        except PlaywrightError as error:
            logger.info("website: no screenshot of %s: %s", shown_url(url), str(error).splitlines()[0])
            return
        self.evidence.append({"kind": "screenshot", "state": state, "url": shown_url(url), "path": str(path),
                              "taken_at": utc_now_iso()})


_PAGE_PROBLEMS = (TargetUnavailableError, UnsafeInputError, RedirectError, InvalidRequestError)


def _candidates(frame: Frame, pattern: re.Pattern[str]) -> list[Locator]:
    """Buttons and button-like links of a frame whose whole accessible name matches `pattern`."""
    found: list[Locator] = []
    for role in ("button", "link"):
        with contextlib.suppress(PlaywrightError):
            locator = frame.get_by_role(role, name=pattern)
            found += locator.all()[:MAX_BUTTON_CANDIDATES]
    return found


def _name_of(locator: Locator) -> str:
    with contextlib.suppress(PlaywrightError):
        return " ".join(locator.inner_text(timeout=1000).split())[:80]
    return ""
