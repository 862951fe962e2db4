"""HTTP requests to a scan's target, made safely: the one door the website and API scanners use.

Every request:

- names an http or https URL of bounded length, without credentials in it (they would be logged and
  shown; the API scanner passes credentials as headers);
- goes to an address checked by services/inputs/targets (no loopback, private, link-local or metadata
  address unless `DG_ALLOW_PRIVATE_TARGETS`), and connects to exactly that address: the TLS name and
  the `Host` header are the URL's host, so a DNS answer that changes after the check (rebinding)
  cannot lead it inside;
- follows redirects itself, at most `max_redirects`, checking every new host the same way; a loop or
  one redirect too many is a `RedirectError`;
- is bounded in time (each connect and read, and the whole exchange) and in size (a body past
  `max_bytes` is cut and marked `truncated`; compressed bodies are counted after decompression);
- goes through the target host's circuit breaker (services/scanners/base.call_outbound): a host that
  does not answer raises TargetUnavailableError naming it, and enough of those open its breaker.

urllib3 is used directly rather than requests: it takes the address to connect to apart from the name
to verify and send, and it reads no proxy from the environment. Every header of a response is kept in
order, repeated ones included (each `Set-Cookie` matters to a cookie scanner).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from services.inputs.targets import checked_addresses
from services.scanners.base import call_outbound
from utils.errors import InvalidRequestError, RedirectError, TargetUnavailableError

MAX_URL_CHARS = 2048  # what browsers and servers reliably accept; longer is a probe, not a page
DEFAULT_TIMEOUT_S = 10.0  # one request, connect to last byte: a page that takes longer is "slow"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a web page or API answer; more is cut, not read on
DEFAULT_MAX_REDIRECTS = 5  # browsers allow 20; a site needing more than 5 to reach a page is broken
USER_AGENT = "DataGuardianPro/1.0 (privacy compliance scan)"
CHUNK_BYTES = 64 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class WebLimits:
    """How long and how much one request may take."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS


@dataclass(frozen=True)
class Target:
    """A URL's host and port with the addresses checked for it."""

    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]

    @property
    def origin(self) -> str:
        """`scheme://host[:port]`, the port left out when it is the scheme's default."""
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")


@dataclass(frozen=True)
class WebResponse:
    """One answer, after redirects: its URL, status, every header in order and the (capped) body."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool = False
    redirects: tuple[str, ...] = ()  # the URLs answered with a redirect on the way here, in order
    address: str = ""  # the checked address the final answer came from
    elapsed_s: float = 0.0

    def header(self, name: str) -> str | None:
        """The first value of header `name` (any case), or None."""
        return next(iter(self.header_values(name)), None)

    def header_values(self, name: str) -> list[str]:
        """Every value of header `name` (any case), in order: Set-Cookie comes once per cookie."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ("text/html"); "" when not given."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    def text(self) -> str:
        """The body decoded with its declared charset (UTF-8 when none or unknown), errors replaced."""
        message = Message()
        message["content-type"] = self.header("content-type") or "text/plain"
        charset = message.get_content_charset() or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def check_url(url: str, what: str = "url") -> Target:
    """The URL's target with its checked addresses; InvalidRequestError / UnsafeInputError if refused."""
    if not isinstance(url, str) or not url:
        raise InvalidRequestError(f"{what} must be an http or https URL")
    if len(url) > MAX_URL_CHARS:
        raise InvalidRequestError(f"{what} is longer than {MAX_URL_CHARS} characters")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise InvalidRequestError(f"{what} contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidRequestError(f"{what} is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidRequestError(f"{what} must start with http:// or https://")
    if parts.username is not None or parts.password is not None:
        raise InvalidRequestError(f"{what} may not carry a user name or password; use the scan's "
                                  "credential options")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidRequestError(f"{what} has no host")
    port = port or (443 if parts.scheme == "https" else 80)
    return Target(parts.scheme, host, port, checked_addresses(host, what))


class WebClient:
    """Makes bounded, checked requests; keeps one connection pool per checked address for keep-alive.

    Not thread-safe: one client per scan (a scan is one thread). Close it, or use it as a context.
    """

    def __init__(self, limits: WebLimits | None = None, user_agent: str = USER_AGENT) -> None:
        self.limits = limits or WebLimits()
        self.user_agent = user_agent
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
        self._targets: dict[tuple[str, str, int], Target] = {}

    def __enter__(self) -> WebClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection."""
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()

    def target(self, url: str, what: str = "url") -> Target:
        """The checked target of `url`, checked once per host and port for the client's life."""
        checked = check_url(url, what)
        key = (checked.scheme, checked.host, checked.port)
        return self._targets.setdefault(key, checked)

    def request(self, method: str, url: str, *, headers: Mapping[str, str] | None = None,
                body: bytes | None = None, follow_redirects: bool = True,
                limits: WebLimits | None = None) -> WebResponse:
        """Send one request (and its redirects); the final answer, whatever its status."""
        limits = limits or self.limits
        started = time.monotonic()
        deadline = started + limits.timeout_s
        seen: list[str] = []
        while True:
            response = self._one(method, url, headers or {}, body, deadline, limits.max_bytes)
            location = response.header("location")
            if not follow_redirects or response.status not in REDIRECT_STATUSES or not location:
                return _finished(response, tuple(seen), started)
            seen.append(url)
            url = _next_hop(url, location, seen, limits.max_redirects)
            if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                method, body = "GET", None  # as browsers do

    def get(self, url: str, **kwargs: object) -> WebResponse:
        """A GET request (see `request`)."""
        return self.request("GET", url, **kwargs)  # type: ignore[arg-type]

    def _one(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None,
             deadline: float, max_bytes: int) -> WebResponse:
        target = self.target(url)
        return call_outbound(target.host, lambda: self._exchange(target, method, url, headers, body,
                                                                 deadline, max_bytes))

    def _exchange(self, target: Target, method: str, url: str, headers: Mapping[str, str],
                  body: bytes | None, deadline: float, max_bytes: int) -> WebResponse:
        address = target.addresses[0]
        pool = self._pool(target, address)
        remaining = _remaining(deadline, target.host)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate", **headers,
                "Host": target.origin.split("://", 1)[1]}
        try:
            raw = pool.urlopen(method, path, body=body, headers=sent, redirect=False, retries=False,
                               preload_content=False, assert_same_host=False,
                               timeout=urllib3.Timeout(connect=remaining, read=remaining))
        except Urllib3Error as error:
            raise _unavailable(target.host, error) from None
        try:
            content, truncated = _read_capped(raw, deadline, max_bytes, target.host)
        finally:
            raw.release_conn()
        return WebResponse(url=url, status=raw.status, headers=tuple(raw.headers.iteritems()),
                           body=content, truncated=truncated, address=address)

    def _pool(self, target: Target, address: str) -> urllib3.HTTPConnectionPool:
        key = (target.scheme, target.host, target.port, address)
        pool = self._pools.get(key)
        if pool is None:
            if target.scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    address, target.port, maxsize=1, server_hostname=target.host,
                    assert_hostname=target.host, cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
            else:
                pool = urllib3.HTTPConnectionPool(address, target.port, maxsize=1)
            self._pools[key] = pool
        return pool


def _remaining(deadline: float, host: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TargetUnavailableError(f"{host} did not answer in time", host)
    return left


def _read_capped(raw: urllib3.BaseHTTPResponse, deadline: float, max_bytes: int,
                 host: str) -> tuple[bytes, bool]:
    """The body up to `max_bytes` (decompressed), and whether there was more."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in _chunks(raw):
            _remaining(deadline, host)  # a server that trickles bytes is cut at the deadline
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raw.close()  # the rest is never read: the connection cannot be reused
                return b"".join(chunks)[:max_bytes], True
    except Urllib3Error as error:
        raise _unavailable(host, error) from None
    return b"".join(chunks), False


def _chunks(raw: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    yield from raw.stream(CHUNK_BYTES, decode_content=True)


def _next_hop(url: str, location: str, seen: list[str], max_redirects: int) -> str:
    """The redirect's absolute URL; RedirectError on a loop or past the limit."""
    nxt = urljoin(url, location.strip())
    if nxt in seen:
        raise RedirectError(f"redirect loop at {_shown(nxt)}")
    if len(seen) > max_redirects:
        raise RedirectError(f"more than {max_redirects} redirects from {_shown(seen[0])}")
    return nxt


def _shown(url: str) -> str:
    """A URL as errors may show it: scheme, host and path, no query (it can carry tokens)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"


def _finished(response: WebResponse, redirects: tuple[str, ...], started: float) -> WebResponse:
    return WebResponse(url=response.url, status=response.status, headers=response.headers,
                       body=response.body, truncated=response.truncated, redirects=redirects,
                       address=response.address, elapsed_s=time.monotonic() - started)


def _unavailable(host: str, error: Exception) -> TargetUnavailableError:
    """A transport failure as the error that names the host (and counts against its breaker)."""
    kind = type(error).__name__
    reason = "did not answer in time" if "Timeout" in kind else f"could not be reached ({kind})"
    if "SSL" in kind:
        reason = "refused a verified TLS connection (certificate or protocol)"
    return TargetUnavailableError(f"{host} {reason}", host)

