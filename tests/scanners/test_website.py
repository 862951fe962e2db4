"""The website scanner against real local sites (Flask on 127.0.0.x) and the real Chromium.

One browser-mode scan per test site, shared by the module's tests (several assertions on one scan).
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from flask import Flask, Response, redirect
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest
from werkzeug import Response as Redirect

from services.inputs import targets
from services.scanners import get_scanner
from services.scanners.base import LocalBreakers, install_outbound_guard, no_progress
from services.scanners.website import browser
from tests.local_sites import LocalSite, serving
from tests.planted import EMAIL
from tests.reporting.pdftext import pdf_text
from tests.scanners import website_sites as sites
from tests.servers import free_port
from utils.config import get_settings
from utils.errors import (
    InvalidRequestError,
    RedirectError,
    ScanCancelledError,
    ScannerNotAvailableError,
    UnsafeInputError,
)

RAW_COOKIE_VALUES = ("AHWqTUkT9xY2b3planted", "123456789.1700000000", "0123456789abcdef")
FAST = {"delay_s": 0, "page_timeout_s": 10}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Loopback targets allowed (tests only), a data directory of the module's own, a fresh breaker."""
    data = tmp_path_factory.mktemp("website-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
        patch.setenv("DG_DATA_DIR", str(data))
        get_settings.cache_clear()
        previous = install_outbound_guard(LocalBreakers())
        yield data
        install_outbound_guard(previous)
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def tracker() -> Iterator[LocalSite]:
    with serving(sites.tracker_app(), "127.0.0.2") as site:
        yield site


def _tracker_base(tracker: LocalSite) -> str:
    return tracker.url("").rstrip("/")


@pytest.fixture(scope="module")
def bad(tracker: LocalSite) -> Iterator[LocalSite]:
    with serving(sites.bad_app(_tracker_base(tracker))) as site:
        yield site


@pytest.fixture(scope="module")
def clean(tracker: LocalSite) -> Iterator[LocalSite]:
    with serving(sites.clean_app(_tracker_base(tracker))) as site:
        yield site


@pytest.fixture(scope="module")
def wall(tracker: LocalSite) -> Iterator[LocalSite]:
    with serving(sites.wall_app(_tracker_base(tracker))) as site:
        yield site


def scan(url: str, **options: Any) -> dict[str, Any]:
    """The registered website scanner, in-process."""
    return get_scanner("website").scan({"url": url, "options": {**FAST, **options}}, lambda p, m: None)


@pytest.fixture(scope="module")
def bad_browser(env: Path, bad: LocalSite) -> dict[str, Any]:
    return scan(bad.url("/"), mode="browser")


@pytest.fixture(scope="module")
def bad_static(env: Path, bad: LocalSite) -> dict[str, Any]:
    return scan(bad.url("/"), mode="static")


@pytest.fixture(scope="module")
def clean_browser(env: Path, clean: LocalSite) -> dict[str, Any]:
    return scan(clean.url("/"), mode="browser")


def found(result: dict[str, Any], kind: str, **location: Any) -> list[dict[str, Any]]:
    """Findings of `kind` whose location holds every given key and value."""
    return [f for f in result["findings"] if f["type"] == kind
            and all(f["location"].get(k) == v for k, v in location.items())]


def row(result: dict[str, Any], table: str, key: str, value: str) -> dict[str, Any]:
    rows = [r for r in result["website"][table] if r[key] == value]
    assert rows, f"no {table} row {value}: {[r[key] for r in result['website'][table]]}"
    return rows[0]


def assert_nothing_raw(result: dict[str, Any]) -> None:
    rendered = json.dumps(result)
    for value in (EMAIL, sites.PHONE, *RAW_COOKIE_VALUES):
        assert value not in rendered, f"raw value leaked: {value[:4]}…"


# --- browser mode: the planted issues ------------------------------------------------------------------

def test_browser_mode_finds_js_cookies_before_consent_and_a_reject_that_still_tracks(
        bad_browser: dict[str, Any], tracker: LocalSite) -> None:
    result = bad_browser
    assert result["status"] == "completed", result["errors"]
    for name in ("_ga", "_gid", "_pk_id.1.1fff"):
        assert found(result, "cookie.before_consent", cookie=name), name
        assert found(result, "cookie.after_reject", cookie=name), name
    ga = row(result, "cookies", "name", "_ga")
    assert ga["set_by"] == "script" and ga["category"] == "analytics" and ga["company"] == "Google"
    assert ga["jurisdiction"] == "US" and ga["source"].startswith("https://")
    # the third-party pixel after "reject": its Set-Cookie read from the response (Chromium keeps none)
    ide = row(result, "cookies", "name", "IDE")
    assert ide["party"] == "third" and ide["states"] == {"none": False, "reject": True, "accept": True}
    host = row(result, "trackers", "host", "127.0.0.2")
    assert host["states"] == {"none": False, "reject": True, "accept": True}
    assert host["category"] == "marketing"
    assert found(result, "tracker.after_reject") and not found(result, "tracker.before_consent")
    assert found(result, "tracker.non_eu_transfer", jurisdiction="US")  # DoubleClick's cookie: Google, US
    assert ("GET", "/pixel.gif?ev=") in {(m, p.split("ev=")[0] + "ev=") for m, p in tracker.requests}
    banner = result["website"]["banner"]
    assert banner["present"] and banner["reject"] == ["Alles weigeren"]
    assert banner["preticked"] == ["marketing"]
    assert [c["clicked"] for c in banner["clicks"]] == [True, True]
    assert found(result, "web.preticked_consent") and not found(result, "web.no_reject_first_layer")
    assert result["website"]["local_storage"] == {"_hjid": ["accept", "none", "reject"]}


def test_browser_mode_finds_the_form_the_personal_data_and_the_missing_notice(
        bad_browser: dict[str, Any], bad: LocalSite) -> None:
    result = bad_browser
    assert found(result, "web.form_over_http", url=bad.url("/contact"))
    assert found(result, "pii.email", url=bad.url("/over-ons"))
    assert found(result, "pii.phone", url=bad.url("/over-ons"))
    assert found(result, "web.no_privacy_notice") and found(result, "web.no_https")
    assert_nothing_raw(result)


def test_requests_carry_times_and_screenshots_are_evidence_files_in_the_data_area(
        bad_browser: dict[str, Any], env: Path) -> None:
    section = bad_browser["website"]
    assert {r["state"] for r in section["requests"]} == {"none", "reject", "accept"}
    assert all(r["at"].endswith("+00:00") and "?" not in r["url"] for r in section["requests"])
    states = [e["state"] for e in section["evidence"]]
    assert states == ["none", "reject", "accept"]
    for evidence in section["evidence"]:
        path = Path(evidence["path"])
        assert path.is_relative_to(get_settings().upload_dir / "artifacts" / "website")
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 1000
    assert [p["url"] for p in section["pages"]][:1] == [section["start_url"]]


def test_a_cookie_wall_and_no_reject_on_the_first_layer(env: Path, wall: LocalSite) -> None:
    result = scan(wall.url("/"), mode="browser", max_pages=1)
    assert found(result, "web.cookie_wall") and found(result, "web.no_reject_first_layer")
    assert not [f for f in result["findings"] if f["type"].endswith(("before_consent", "after_reject"))]
    clicks = {c["state"]: c for c in result["website"]["banner"]["clicks"]}
    assert not clicks["reject"]["clicked"] and clicks["accept"]["clicked"]
    assert row(result, "cookies", "name", "_ga")["states"] == {"none": False, "reject": False, "accept": True}


def test_the_clean_twin_gives_no_high_finding_and_its_consent_is_honoured(
        clean_browser: dict[str, Any], clean: LocalSite) -> None:
    result = clean_browser
    assert result["status"] == "completed"
    assert not [f for f in result["findings"] if f["severity"] in ("high", "critical")], result["findings"]
    assert row(result, "cookies", "name", "_ga")["states"] == {"none": False, "reject": False, "accept": True}
    assert row(result, "trackers", "host", "127.0.0.2")["states"] == {"none": False, "reject": False,
                                                                     "accept": True}
    notice = result["website"]["privacy_notice"]
    assert notice == {"url": clean.url("/privacyverklaring"), "controller": True, "contact": True}
    assert not found(result, "web.no_privacy_notice") and not found(result, "web.preticked_consent")


def test_the_pdf_report_shows_the_consent_table_and_embeds_the_screenshots(
        bad_browser: dict[str, Any], bad: LocalSite) -> None:
    headings = {"en": ("Consent table", "Before consent", "After reject", "After accept"),
                "nl": ("Toestemmingstabel", "Voor toestemming", "Na weigeren", "Na accepteren")}
    for language, headers in headings.items():
        done = get_scanner("report").scan({"results": [bad_browser], "output": f"{uuid.uuid4().hex}.pdf",
                                           "language": language}, no_progress)
        pdf = Path(done["report"]["path"])
        text = pdf_text(pdf)
        assert all(header in text for header in headers), language
        assert "cookie _ga (127.0.0.1)" in text and "host 127.0.0.2" in text and "Google (US)" in text
        # reportlab stores identical images once (after reject and after accept may look alike)
        distinct = {Path(e["path"]).read_bytes() for e in bad_browser["website"]["evidence"]}
        assert sum(len(page.images) for page in PdfReader(str(pdf)).pages) == len(distinct) >= 2
        for value in (EMAIL, *RAW_COOKIE_VALUES):
            assert value not in text


def _draw_website(result: dict[str, object], org_id: str) -> None:
    # AppTest runs this function's source on its own: it imports what it needs itself
    from types import SimpleNamespace

    import streamlit as st

    from ui.components.assessments import render_sections

    st.session_state["dg_session"] = SimpleNamespace(org_id=org_id)
    render_sections(dict(result))


def test_the_ui_view_shows_the_table_and_only_the_organisations_own_screenshots(
        bad_browser: dict[str, Any]) -> None:
    org, other = str(uuid.uuid4()), str(uuid.uuid4())
    shot = Path(bad_browser["website"]["evidence"][0]["path"])
    paths = []
    for owner in (org, other):
        folder = get_settings().upload_dir / owner / "artifacts" / "website" / "x"
        folder.mkdir(parents=True, exist_ok=True)
        paths.append(str(shutil.copy(shot, folder / "none-1.png")))
    result = json.loads(json.dumps(bad_browser))
    result["website"]["evidence"] = [{**result["website"]["evidence"][0], "path": path} for path in paths]
    app = AppTest.from_function(_draw_website, args=(result, org), default_timeout=30).run()
    assert not app.exception
    assert "Website: cookies, trackers and consent" in [h.value for h in app.subheader]
    table = app.dataframe[0].value
    assert set(table["cookie or host"]) >= {"_ga (127.0.0.1)", "127.0.0.2"}
    assert list(table.columns[-3:]) == ["Before consent", "After reject", "After accept"]
    assert len(app.get("image")) == 1  # the other organisation's copy is never read


# --- static mode -------------------------------------------------------------------------------------------

def test_static_mode_finds_the_static_issues(bad_static: dict[str, Any], bad: LocalSite) -> None:
    result = bad_static
    assert result["status"] == "completed"
    assert found(result, "cookie.before_consent", cookie="_pk_id.1.1fff")  # a Set-Cookie header
    assert not found(result, "cookie.before_consent", cookie="_ga")  # set by a script: browser mode only
    assert found(result, "web.form_over_http", url=bad.url("/contact"))
    assert found(result, "pii.email", url=bad.url("/over-ons")) and found(result, "pii.phone")
    assert found(result, "web.preticked_consent") and found(result, "web.no_privacy_notice")
    assert row(result, "cookies", "name", "_pk_id.1.1fff")["states"] == {"none": True, "reject": None,
                                                                         "accept": None}
    assert result["website"]["evidence"] == []
    assert_nothing_raw(result)


def test_static_mode_on_the_clean_twin_gives_no_high_finding(env: Path, clean: LocalSite) -> None:
    result = scan(clean.url("/"), mode="static")
    assert not [f for f in result["findings"] if f["severity"] in ("high", "critical")], result["findings"]
    assert result["website"]["privacy_notice"]["controller"] is True


# --- SSRF: every request of the page is checked -----------------------------------------------------------

def _embeds(inner: LocalSite) -> Flask:
    app = Flask("embeds")

    @app.get("/go")
    def go() -> Redirect:  # the start page's own redirect: followed by a new, checked navigation
        return redirect("/")

    @app.get("/away")
    def away() -> Redirect:  # a page link that redirects into the private network
        return redirect(inner.url("/inside"))

    @app.get("/")
    def home() -> Response:
        return Response(f"<html><body><h1>Hi</h1><img src='{inner.url('/secret.png')}'>"
                        "<img src='/bounce.png'><a href='/away'>away</a>"
                        f"<script>fetch('{inner.url('/api')}').catch(() => 0)</script></body></html>",
                        content_type="text/html")

    @app.get("/bounce.png")
    def bounce() -> Redirect:  # a public host's redirect into the private network: re-checked
        return redirect(inner.url("/bounced.png"))

    return app


def test_a_page_cannot_make_the_browser_reach_a_private_address(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 is treated as public; the page's image and fetch to 127.0.0.3 (private) never arrive."""
    with serving(Flask("inner"), "127.0.0.3") as inner, serving(_embeds(inner)) as outer:
        monkeypatch.delenv("DG_ALLOW_PRIVATE_TARGETS")
        get_settings.cache_clear()
        monkeypatch.setattr(targets, "is_public", lambda address: address == "127.0.0.1")
        result = scan(outer.url("/go"), mode="browser", max_pages=3)
        time.sleep(0.3)
        assert inner.requests == []
    monkeypatch.undo()
    get_settings.cache_clear()
    blocked = {r["url"] for r in result["website"]["blocked_requests"]}
    assert {inner.url("/secret.png"), inner.url("/api"), inner.url("/bounced.png")} <= blocked
    assert all("not a public address" in r["blocked"] for r in result["website"]["blocked_requests"])
    assert result["website"]["pages"][0]["final_url"] == outer.url("/")
    assert [(e["url"], e["kind"]) for e in result["errors"]] == [(outer.url("/away"), "UnsafeInputError")]
    assert result["status"] == "degraded"


# --- bad input ---------------------------------------------------------------------------------------------

def _awkward() -> Flask:
    app = Flask("awkward")

    @app.get("/")
    def home() -> Response:
        return Response("<a href='/slow'>slow</a> <a href='/huge'>huge</a>", content_type="text/html")

    @app.get("/slow")
    def slow() -> Response:
        time.sleep(2.5)
        return Response("late", content_type="text/html")

    @app.get("/huge")
    def huge() -> Response:
        return Response(b"<p>" + b"x" * 200_000, content_type="text/html")

    @app.get("/loop")
    def loop() -> Redirect:
        return redirect("/loop")

    @app.get("/metadata")
    def metadata() -> Redirect:
        return redirect("http://169.254.169.254/latest/meta-data/")

    return app


@pytest.fixture(scope="module")
def awkward() -> Iterator[LocalSite]:
    with serving(_awkward()) as site:
        yield site


@pytest.mark.parametrize("url, message", [
    ("", "must be an http or https URL"), ("ftp://example.org/", "must start with http"),
    ("http://", "has no host"), ("http://user:pw@example.org/", "may not carry a user name"),
    ("http://exa mple.org/", "spaces or control"), ("http://[::1/", "not a valid URL"),
    ("https://no-such-host.invalid/", "does not resolve")])
def test_malformed_urls_are_refused_with_a_clear_error(env: Path, url: str, message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        scan(url, mode="static")


@pytest.mark.parametrize("options, message", [
    ({"max_pages": 0}, "max_pages"), ({"delay_s": float("nan")}, "delay_s"), ({"mode": "headless"}, "mode"),
    ({"max_page_bytes": 10**12}, "max_page_bytes"), ({"cookies": 1}, "unknown options")])
def test_bad_options_are_refused(env: Path, awkward: LocalSite, options: dict[str, Any],
                                 message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        scan(awkward.url("/"), **options)


def test_an_unreachable_host_gives_a_failed_result_naming_it(env: Path) -> None:
    port = free_port()
    result = scan(f"http://127.0.0.1:{port}/", mode="static")
    assert result["status"] == "failed" and result["summary"]["compliance_score"] is None
    assert result["errors"][0]["host"] == "127.0.0.1"
    assert "could not be reached" in result["errors"][0]["message"]


def test_a_slow_page_times_out_and_a_huge_one_is_cut(env: Path, awkward: LocalSite) -> None:
    result = scan(awkward.url("/"), mode="static", page_timeout_s=1, max_page_bytes=1024)
    assert result["status"] == "degraded"
    errors = {e["url"]: e for e in result["errors"]}
    assert "did not answer in time" in errors[awkward.url("/slow")]["message"]
    assert errors[awkward.url("/huge")]["kind"] == "truncated"
    assert [p["url"] for p in result["website"]["pages"]] == [awkward.url("/"), awkward.url("/huge")]


def test_a_slow_start_page_gives_a_failed_result(env: Path, awkward: LocalSite) -> None:
    result = scan(awkward.url("/slow"), mode="static", page_timeout_s=1)
    assert result["status"] == "failed" and "did not answer in time" in result["errors"][0]["message"]


def test_a_redirect_loop_is_refused(env: Path, awkward: LocalSite) -> None:
    with pytest.raises(RedirectError, match="redirect loop"):
        scan(awkward.url("/loop"), mode="static")


def test_a_redirect_to_a_private_address_is_refused(env: Path, awkward: LocalSite,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DG_ALLOW_PRIVATE_TARGETS")
    get_settings.cache_clear()
    monkeypatch.setattr(targets, "is_public", lambda address: address == "127.0.0.1")
    with pytest.raises(UnsafeInputError, match="169.254.169.254"):
        scan(awkward.url("/metadata"), mode="static")
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_private_target_without_the_opt_in_is_refused_before_any_request(
        env: Path, awkward: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DG_ALLOW_PRIVATE_TARGETS")
    get_settings.cache_clear()
    before = len(awkward.requests)
    for mode in ("static", "browser"):
        with pytest.raises(UnsafeInputError, match="not a public address: 127.0.0.1"):
            scan(awkward.url("/"), mode=mode)
    assert len(awkward.requests) == before
    monkeypatch.undo()
    get_settings.cache_clear()


def test_browser_mode_without_a_browser_is_a_clear_error_and_static_mode_still_runs(
        env: Path, awkward: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(ScannerNotAvailableError, match="mode browser is not available.*use mode static"):
        scan(awkward.url("/"), mode="browser")
    assert scan(awkward.url("/"), mode="static", max_pages=1)["status"] == "completed"


def _robots_site() -> Flask:
    app = Flask("robots")

    @app.get("/robots.txt")
    def robots() -> Response:
        return Response("User-agent: *\nDisallow: /intern/\n", content_type="text/plain")

    @app.get("/")
    def home() -> Response:
        return Response("<a href='/intern/lijst'>intern</a> <a href='/open'>open</a>",
                        content_type="text/html")

    @app.get("/open")
    def open_page() -> Response:
        return Response("<p>open</p>", content_type="text/html")

    return app


def test_robots_txt_is_read_noted_and_its_disallowed_pages_skipped(env: Path) -> None:
    with serving(_robots_site()) as site:
        result = scan(site.url("/"), mode="static")
        assert ("GET", "/intern/lijst") not in site.requests
    robots = result["website"]["robots"]
    assert robots["present"] and robots["disallowed_skipped"] == [site.url("/intern/lijst")]
    assert [p["url"] for p in result["website"]["pages"]] == [site.url("/"), site.url("/open")]


def test_a_cancel_during_a_browser_scan_closes_chromium(env: Path, bad: LocalSite) -> None:
    calls: list[str] = []

    def cancel_on_second_page(percent: float, message: str) -> None:
        calls.append(message)
        if message.startswith("page 2"):
            raise ScanCancelledError("cancelled by request")

    def chromium_children() -> list[psutil.Process]:
        return [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()]

    with pytest.raises(ScanCancelledError):
        get_scanner("website").scan({"url": bad.url("/"), "options": {**FAST, "mode": "browser"}},
                                    cancel_on_second_page)
    assert any(m.startswith("page 1") for m in calls)
    psutil.wait_procs(chromium_children(), timeout=5)
    assert chromium_children() == []
