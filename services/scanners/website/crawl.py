"""The crawl: pages of one site, breadth first from the start URL, within page, depth, time and rate
limits, robots.txt read and noted. How a page is fetched (plain HTTP or a browser) is the caller's."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from services.detection.redaction import redact
from services.inputs.web import USER_AGENT, WebClient, WebLimits
from services.scanners.base import Progress
from services.scanners.website.page import PageFacts
from utils.errors import InvalidRequestError, RedirectError, TargetUnavailableError, UnsafeInputError

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512 * 1024  # Google reads the first 500 KiB of a robots.txt
# what one page's fetch may raise that is the page's problem, not the scan's
PAGE_FAILURES = (TargetUnavailableError, RedirectError, UnsafeInputError, InvalidRequestError)
SKIPPED_SUFFIXES = (".pdf", ".zip", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".mp4", ".mp3",
                    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".css", ".js", ".ico", ".xml")


@dataclass(frozen=True)
class CrawlLimits:
    """How far and how fast a crawl goes."""

    max_pages: int
    max_depth: int
    delay_s: float
    deadline: float  # time.monotonic() by which the crawl stops taking new pages


@dataclass
class Visit:
    """One page fetched: where it ended up, what it answered and what its markup holds."""

    url: str
    depth: int
    at: str
    status: int | None = None
    final_url: str = ""
    elapsed_s: float = 0.0
    truncated: bool = False
    facts: PageFacts | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the page's own entry in the result's `pages`)."""
        return {"url": self.url, "final_url": self.final_url, "depth": self.depth, "at": self.at,
                "status": self.status, "elapsed_s": round(self.elapsed_s, 3), "truncated": self.truncated,
                "title": redact(self.facts.title) if self.facts else ""}  # a title may name a person


@dataclass
class Crawl:
    """The pages visited, the ones left out and the per-page errors."""

    visits: list[Visit] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def normalised(url: str) -> str:
    """The URL as the crawl compares it: lower-case scheme and host, no fragment, '/' for an empty path."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def same_site(url: str, start: str) -> bool:
    """True when `url` is on the start URL's host (www. and the bare name count as one)."""
    def bare(address: str) -> tuple[str, int | None]:
        parts = urlsplit(address)
        host = (parts.hostname or "").removeprefix("www.")
        return host, parts.port
    return bare(url) == bare(start)


def read_robots(client: WebClient, start: str) -> tuple[RobotFileParser | None, dict[str, Any]]:
    """The site's robots.txt (parsed) and what the result notes of it; a missing one allows everything."""
    parts = urlsplit(start)
    url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    try:
        response = client.get(url, limits=WebLimits(client.limits.timeout_s, ROBOTS_MAX_BYTES,
                                                    client.limits.max_redirects))
    except PAGE_FAILURES as error:
        return None, {"url": url, "present": False, "error": str(error)}
    if response.status != 200 or "html" in response.content_type:
        return None, {"url": url, "present": False, "status": response.status}
    parser = RobotFileParser(url)
    parser.parse(response.text().splitlines())
    return parser, {"url": url, "present": True, "disallowed_skipped": []}


def crawl(start: str, fetch: Callable[[str, int], Visit], limits: CrawlLimits, progress: Progress,
          robots: RobotFileParser | None, robots_note: dict[str, Any]) -> Crawl:
    """Visit pages breadth first from `start`; `fetch(url, depth)` fetches one (raising PAGE_FAILURES)."""
    result = Crawl()
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    queued = {normalised(start)}
    while queue and len(result.visits) < limits.max_pages:
        url, depth = queue.popleft()
        if time.monotonic() > limits.deadline:
            result.skipped.append({"url": url, "reason": "the scan's total time ran out"})
            break
        if depth and robots is not None and not robots.can_fetch(USER_AGENT, url):
            robots_note["disallowed_skipped"].append(url)
            continue
        progress(5.0 + 70.0 * len(result.visits) / limits.max_pages, f"page {len(result.visits) + 1}: {url}")
        if result.visits and limits.delay_s:
            time.sleep(limits.delay_s)  # a polite rate: the customer's site serves visitors meanwhile
        try:
            visit = fetch(url, depth)
        except PAGE_FAILURES as error:
            logger.info("website: page %s: %s", url, error)
            result.errors.append({"url": url, "host": urlsplit(url).hostname or "",
                                  "kind": type(error).__name__, "message": str(error)})
            continue
        result.visits.append(visit)
        _enqueue(visit, start, depth, limits, queue, queued, result)
    for url, _ in queue:
        if len(result.skipped) < 100:
            result.skipped.append({"url": url, "reason": f"more than {limits.max_pages} pages"})
    return result


def _enqueue(visit: Visit, start: str, depth: int, limits: CrawlLimits, queue: deque[tuple[str, int]],
             queued: set[str], result: Crawl) -> None:
    if visit.facts is None or depth >= limits.max_depth:
        return
    for link in visit.facts.links:
        key = normalised(link)
        if key in queued or not same_site(link, start):
            continue
        if urlsplit(link).path.lower().endswith(SKIPPED_SUFFIXES):
            continue
        queued.add(key)
        queue.append((link, depth + 1))
