"""The safe HTTP client (services/inputs/web.py) against real local servers on 127.0.0.1."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, Response, redirect, request
from werkzeug import Response as Redirect

from services.inputs import targets
from services.inputs.web import WebClient, WebLimits, check_url
from services.scanners.base import LocalBreakers, install_outbound_guard
from tests.local_sites import LocalSite, serving
from tests.servers import free_port
from utils.config import get_settings
from utils.errors import InvalidRequestError, RedirectError, TargetUnavailableError, UnsafeInputError


def _site() -> Flask:
    app = Flask("web-test")

    @app.get("/")
    def home() -> Response:
        response = Response("<html>hello</html>", content_type="text/html; charset=utf-8")
        response.set_cookie("_ga", "GA1.2.3", max_age=3600)
        response.set_cookie("session", "abc", httponly=True)
        return response

    @app.get("/host")
    def host() -> str:
        return request.host

    _add_redirects(app)
    _add_awkward_bodies(app)
    return app


def _add_redirects(app: Flask) -> None:
    @app.get("/hop/<int:n>")
    def hop(n: int) -> Redirect:
        return redirect("/" if n == 0 else f"/hop/{n - 1}")

    @app.get("/loop")
    def loop() -> Redirect:
        return redirect("/loop")

    @app.get("/metadata")
    def metadata() -> Redirect:
        return redirect("http://169.254.169.254/latest/meta-data/")


def _add_awkward_bodies(app: Flask) -> None:
    @app.get("/huge")
    def huge() -> Response:
        return Response(b"x" * (3 * 1024 * 1024), content_type="text/plain")

    @app.get("/bomb")
    def bomb() -> Response:
        body = gzip.compress(b"\0" * (64 * 1024 * 1024))
        return Response(body, headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"})

    @app.get("/slow")
    def slow() -> Response:
        def trickle() -> Iterator[bytes]:
            for _ in range(100):
                time.sleep(0.2)
                yield b"."
        return Response(trickle(), content_type="text/plain")


@pytest.fixture
def allowed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalBreakers]:
    """Loopback targets allowed, a fresh in-process breaker guard (3 failures open it)."""
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
    get_settings.cache_clear()
    guard = LocalBreakers(fail_max=3, reset_s=30.0)
    previous = install_outbound_guard(guard)
    yield guard
    install_outbound_guard(previous)
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    with serving(_site()) as running:
        yield running


def test_every_set_cookie_header_is_kept_and_redirects_are_followed(allowed: LocalBreakers,
                                                                     site: LocalSite) -> None:
    with WebClient() as client:
        response = client.get(site.url("/hop/3"))
    assert response.status == 200 and response.text() == "<html>hello</html>"
    assert response.url == site.url("/")
    assert response.redirects == tuple(site.url(f"/hop/{n}") for n in (3, 2, 1, 0))
    cookies = response.header_values("set-cookie")
    assert len(cookies) == 2 and cookies[0].startswith("_ga=") and cookies[1].startswith("session=")
    assert response.content_type == "text/html" and response.address == "127.0.0.1"


def test_a_private_target_is_refused_before_any_request_without_the_opt_in(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, site: LocalSite) -> None:
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DG_ALLOW_PRIVATE_TARGETS", raising=False)
    get_settings.cache_clear()
    before = len(site.requests)
    with WebClient() as client, pytest.raises(UnsafeInputError, match="not a public address: 127.0.0.1"):
        client.get(site.url("/"))
    with pytest.raises(UnsafeInputError, match="localhost"):
        check_url(f"http://localhost:{site.port}/")
    assert len(site.requests) == before
    get_settings.cache_clear()


def test_a_redirect_to_a_private_address_is_checked_and_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, site: LocalSite) -> None:
    """The first hop is to a host treated as public; its redirect to the metadata address is refused."""
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DG_ALLOW_PRIVATE_TARGETS", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(targets, "is_public", lambda address: address == "127.0.0.1")
    with WebClient() as client, pytest.raises(UnsafeInputError, match="169.254.169.254"):
        client.get(site.url("/metadata"))
    assert site.requests[-1] == ("GET", "/metadata")
    get_settings.cache_clear()


def test_the_checked_address_is_the_one_connected_to_and_the_name_is_sent_as_host(
        allowed: LocalBreakers, site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the system resolver does not know the name; only the checked answer can reach it."""
    monkeypatch.setattr(targets, "resolve", lambda host: {"site.rebind.invalid": ("127.0.0.1",)}[host])
    with WebClient() as client:
        response = client.get(f"http://site.rebind.invalid:{site.port}/host")
    assert response.text() == f"site.rebind.invalid:{site.port}"


def test_redirect_loops_and_too_many_redirects_are_errors(allowed: LocalBreakers, site: LocalSite) -> None:
    with WebClient() as client:
        with pytest.raises(RedirectError, match="redirect loop"):
            client.get(site.url("/loop"))
        with pytest.raises(RedirectError, match="more than 5 redirects"):
            client.get(site.url("/hop/9"))
        assert client.get(site.url("/hop/1"), follow_redirects=False).status == 302


def test_bodies_are_cut_at_the_cap_also_after_decompression(allowed: LocalBreakers, site: LocalSite) -> None:
    limits = WebLimits(max_bytes=1024 * 1024)
    with WebClient(limits) as client:
        huge = client.get(site.url("/huge"))
        bomb = client.get(site.url("/bomb"))
        after = client.get(site.url("/"))  # the client is still usable
    assert huge.truncated and len(huge.body) == 1024 * 1024
    assert bomb.truncated and len(bomb.body) == 1024 * 1024
    assert not after.truncated and after.status == 200


def test_a_server_that_trickles_is_cut_at_the_deadline(allowed: LocalBreakers, site: LocalSite) -> None:
    started = time.monotonic()
    with WebClient(WebLimits(timeout_s=1.0)) as client, pytest.raises(TargetUnavailableError,
                                                                        match="did not answer in time"):
        client.get(site.url("/slow"))
    assert time.monotonic() - started < 5


def test_an_unreachable_host_is_named_and_opens_its_breaker(allowed: LocalBreakers) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    with WebClient() as client:
        for _ in range(2):
            with pytest.raises(TargetUnavailableError, match="127.0.0.1 could not be reached") as error:
                client.get(url)
            assert error.value.target == "127.0.0.1"
        with pytest.raises(TargetUnavailableError, match="circuit breaker for 127.0.0.1 is open"):
            client.get(url)  # the third failure opens it
        with pytest.raises(TargetUnavailableError, match="is open until"):
            client.get(url)  # refused at once now


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://example.org/", "must start with http"),
    ("javascript:alert(1)", "must start with http"),
    ("http://user:secret@example.org/", "may not carry a user name or password"),
    ("http:///nohost", "has no host"),
    ("http://example.org:99999/", "not a valid URL"),
    ("http://exa mple.org/", "spaces or control characters"),
    ("http://example.org/\r\nX-Injected: 1", "spaces or control characters"),
    ("http://example.org/" + "a" * 3000, "longer than 2048"),
    ("", "must be an http or https URL"),
])
def test_malformed_urls_are_refused_with_a_clear_error(url: str, message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        check_url(url)


def test_a_name_that_does_not_resolve_is_a_clear_error(allowed: LocalBreakers) -> None:
    with pytest.raises(InvalidRequestError, match="url host does not resolve: no-such-host.invalid"):
        check_url("https://no-such-host.invalid/")
