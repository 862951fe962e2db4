"""Website scanner speed (run: python -m bench.website_speed [--pages 50]).

Serves a local site of N pages on 127.0.0.1 (each page with a consent banner, a script setting an
analytics cookie, a third-party pixel on 127.0.0.2, links to the next pages) and prints, measured in
the same run:
- a plain `requests` + BeautifulSoup crawl of the same pages (the baseline: fetch and read links only);
- the website scanner in static mode (fetch, parse, judge: cookies, forms, page text through the
  detection engine, privacy notice);
- the website scanner in browser mode (Chromium: every page rendered and its requests routed through
  the checked client, then the reject and accept states);
each as pages per second and as a ratio to the baseline, and the peak memory (PSS of this process and
every process under it, Chromium's included, sampled every 50 ms) of each.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import psutil
import requests
from bs4 import BeautifulSoup
from flask import Flask, Response

from services.scanners.website import WebsiteScanner
from tests.local_sites import serving
from tests.scanners.website_sites import tracker_app
from utils.config import get_settings

MIB = 1024 * 1024


def site_app(pages: int, tracker: str) -> Flask:
    """`pages` pages, page i linking to pages 2i+1 and 2i+2 (a tree the crawl reaches in ~log2 levels)."""
    app = Flask("bench-site")

    @app.get("/")
    @app.get("/p/<int:number>")
    def page(number: int = 0) -> Response:
        links = " ".join(f"<a href='/p/{n}'>Pagina {n}</a>" for n in (2 * number + 1, 2 * number + 2)
                         if n < pages)
        body = (f"<div id='cookie-banner'>Wij gebruiken cookies <button>Alles accepteren</button>"
                f"<button>Alles weigeren</button></div><h1>Pagina {number}</h1>"
                f"<p>{'Tekst over fietsen en onderhoud. ' * 40}</p>{links} <a href='/p/0'>Privacy</a>"
                f"<img src='{tracker}/pixel.gif?p={number}'>"
                "<script>document.cookie = '_ga=GA1.1.1.1; path=/';</script>")
        html = f"<!doctype html><html><head><title>P{number}</title></head><body>{body}</body></html>"
        return Response(html, content_type="text/html; charset=utf-8")

    return app


class PeakMemory:
    """Peak PSS of this process and its descendants while the block runs."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_full_info().pss  # shared pages counted once, not per process
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def requests_crawl(start: str, limit: int) -> int:
    """The baseline: breadth-first GETs with requests, links read with BeautifulSoup; pages fetched."""
    seen, queue, fetched = {start}, deque([start]), 0
    with requests.Session() as session:
        while queue and fetched < limit:
            url = queue.popleft()
            response = session.get(url, timeout=10)
            fetched += 1
            for anchor in BeautifulSoup(response.text, "lxml").find_all("a", href=True):
                link = urljoin(url, str(anchor["href"]))
                if link.startswith(start) and link not in seen:
                    seen.add(link)
                    queue.append(link)
    return fetched


def timed(work: Callable[[], int]) -> tuple[float, int, int]:
    """(seconds, pages, peak bytes) of one run of `work`."""
    with PeakMemory() as memory:
        started = time.perf_counter()
        pages = work()
        seconds = time.perf_counter() - started
    return seconds, pages, memory.peak


def scanner_run(start: str, pages: int, mode: str) -> Callable[[], int]:
    def run() -> int:
        result: dict[str, Any] = WebsiteScanner().scan(
            {"url": start, "options": {"mode": mode, "max_pages": pages, "max_depth": 10, "delay_s": 0}},
            lambda percent, message: None)
        assert result["status"] == "completed", result["errors"]
        return len(result["website"]["pages"])
    return run


def main(argv: list[str] | None = None) -> None:
    """Run the three crawls and print pages per second, ratios and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args(argv)
    os.environ["DG_ALLOW_PRIVATE_TARGETS"] = "1"  # the bench's own local site only
    get_settings.cache_clear()
    with serving(tracker_app(), "127.0.0.2") as tracker, \
            serving(site_app(args.pages, tracker.url("").rstrip("/"))) as site:
        start = site.url("/")
        runs = {"requests crawl (baseline)": timed(lambda: requests_crawl(start, args.pages)),
                "website static mode": timed(scanner_run(start, args.pages, "static")),
                "website browser mode": timed(scanner_run(start, args.pages, "browser"))}
    base_seconds, base_pages, _ = runs["requests crawl (baseline)"]
    base_rate = base_pages / base_seconds
    print(f"{args.pages}-page local site, 2 cores")
    for name, (seconds, pages, peak) in runs.items():
        rate = pages / seconds
        print(f"{name:28s} {pages:3d} pages in {seconds:6.2f} s = {rate:7.1f} pages/s "
              f"({rate / base_rate:6.3f}x the requests crawl), peak memory {peak / MIB:6.0f} MiB")


if __name__ == "__main__":
    main()
