"""The API scanner's one request function: safe methods only, a request budget, a pace, and reproducers.

Every request the API scanner makes goes through `ApiClient.send`, and so through services/inputs/web
(SSRF check, pinned address, redirects re-checked, size and time caps, the per-host breaker). `send` is
the one place that enforces:

- the method rule: GET, HEAD and OPTIONS only, unless the user allowed other methods (`allow_unsafe`);
  anything else raises UnsafeMethodError before a byte is sent;
- the budget: at most `max_requests` requests per scan (RequestBudgetSpent after that);
- the pace: at most `rate_per_s` requests a second, except inside the one bounded rate-limit burst.

Credentials are an `Identity` (bearer token, API-key header, basic password): sent as headers, never
put in a URL by the scanner except in the one check that asks whether the API accepts a key in the
query string. Every exchange carries a `curl` reproducer in which each secret is a shell variable
(`$TOKEN`, `$API_KEY`, `$PASSWORD`, and `_B` for the second user), never the value.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import re
import shlex
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlencode, urljoin, urlsplit, urlunsplit

from services.inputs.web import REDIRECT_STATUSES, SAFE_METHODS, WebClient, WebResponse
from utils.errors import InvalidRequestError, RedirectError

CORS_PROBE_ORIGIN = "https://cors-check.dataguardian.invalid"  # .invalid never resolves: a header only
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SENTINEL = "DGSECRETPLACEHOLDER{}X"  # stands for a secret while a line is quoted; shlex leaves it alone


class _QueryStringsHidden(logging.Filter):
    """urllib3 logs each request line at DEBUG, query string included: the query-string key check would
    put a token there. Its records are rewritten with every query string cut off."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub("?…", arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


_QUERY = re.compile(r"\?[^\s\"]*")
_HIDDEN = _QueryStringsHidden()


def hide_query_strings_in_urllib3_logs() -> None:
    """Install the filter on urllib3's pool logger (once)."""
    pool_logger = logging.getLogger("urllib3.connectionpool")
    if _HIDDEN not in pool_logger.filters:
        pool_logger.addFilter(_HIDDEN)


class UnsafeMethodError(InvalidRequestError):
    """A method other than GET, HEAD or OPTIONS without the user's leave: never sent."""


class RequestBudgetSpent(Exception):
    """The scan's max_requests are used up; the scanner stops sending and says so."""


@dataclass(frozen=True)
class Identity:
    """One user's credentials; in memory only, never in a repr, a result or a log."""

    label: str  # "A" (the main credentials) or "B" (the second user, for object-level checks)
    bearer_token: str = field(default="", repr=False)
    api_key: str = field(default="", repr=False)
    api_key_header: str = "X-API-Key"
    basic_user: str = ""
    basic_password: str = field(default="", repr=False)

    @property
    def given(self) -> bool:
        """True when any credential is set."""
        return bool(self.bearer_token or self.api_key or self.basic_user or self.basic_password)

    @property
    def token(self) -> str:
        """The one value to try in a query string: the bearer token, else the API key."""
        return self.bearer_token or self.api_key

    def headers(self) -> dict[str, str]:
        """The request headers that carry these credentials."""
        sent: dict[str, str] = {}
        if self.bearer_token:
            sent["Authorization"] = f"Bearer {self.bearer_token}"
        elif self.basic_user or self.basic_password:
            pair = f"{self.basic_user}:{self.basic_password}".encode()
            sent["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        if self.api_key:
            sent[self.api_key_header] = self.api_key
        return sent

    def placeholders(self) -> dict[str, str]:
        """secret value -> the shell variable a reproducer shows instead."""
        suffix = "" if self.label == "A" else f"_{self.label}"
        pairs = {self.bearer_token: f"TOKEN{suffix}", self.api_key: f"API_KEY{suffix}",
                 self.basic_password: f"PASSWORD{suffix}"}
        found = {value: name for value, name in pairs.items() if value}
        # in a query string a value travels URL-encoded: that form is masked too
        return {**found, **{quote_plus(value): name for value, name in found.items()}}


ANONYMOUS = Identity("anonymous")


@dataclass(frozen=True)
class Exchange:
    """One request and what came of it: the response, or the error that stopped it."""

    method: str
    url: str
    identity: Identity
    response: WebResponse | None
    error: str = ""
    reproducer: str = ""
    query_secret: str = ""  # the query parameter that carried a secret (the query-string key check)

    @property
    def status(self) -> int:
        """The response status, 0 when there was none."""
        return self.response.status if self.response is not None else 0

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return 200 <= self.status < 300


@dataclass
class ApiClient:
    """Sends the scan's requests (see the module docstring); counts them."""

    web: WebClient
    base_url: str
    max_requests: int
    rate_per_s: float
    allow_unsafe: bool = False
    sent: int = 0
    _last: float = 0.0

    def __post_init__(self) -> None:
        hide_query_strings_in_urllib3_logs()

    def url_of(self, path: str) -> str:
        """The absolute URL of an API path (base URL's path + `path`)."""
        parts = urlsplit(self.base_url)
        own, _, query = path.partition("?")
        joined = parts.path.rstrip("/") + "/" + own.lstrip("/")
        return urlunsplit((parts.scheme, parts.netloc, joined, query, ""))

    def send(self, method: str, url: str, identity: Identity = ANONYMOUS, *, body: bytes | None = None,
             headers: Mapping[str, str] | None = None, query_secret: str = "", burst: bool = False
             ) -> Exchange:
        """One request as `identity`; the exchange, with the error (never raised) when it failed."""
        method = method.upper()
        if method not in SAFE_METHODS and not self.allow_unsafe:
            raise UnsafeMethodError(f"{method} is not sent: only GET, HEAD and OPTIONS unless allow_unsafe")
        if self.sent >= self.max_requests:
            raise RequestBudgetSpent(f"the scan's {self.max_requests} requests (max_requests) are used up")
        if query_secret:  # the one check that puts a credential in a URL, on purpose
            url = _with_query(url, query_secret, identity.token)
        sent = {"Accept": "application/json", "Origin": CORS_PROBE_ORIGIN,
                **({} if query_secret else identity.headers()), **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/json"
        self._pace(burst)
        self.sent += 1
        reproducer = curl(method, url, sent, identity, body)
        try:
            response = self._followed(method, url, sent, body, identity.given or bool(query_secret))
        except InvalidRequestError as error:  # a redirect refused (private address, loop): not the API's
            return Exchange(method, url, identity, None, _without_secrets(str(error), identity), reproducer,
                            query_secret)
        return Exchange(method, url, identity, response, "", reproducer, query_secret)

    def _followed(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None,
                  credentialed: bool) -> WebResponse:
        """The answer after redirects, followed here rather than by the web client: a request carrying
        credentials follows only redirects to the same host (and scheme, or http to https), as curl and
        browsers drop credentials elsewhere; every hop is checked by the web client as a new request."""
        seen: list[str] = []
        while True:
            response = self.web.request(method, url, headers=headers, body=body, follow_redirects=False)
            location = response.header("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return _after(response, seen)
            target = urljoin(url, location.strip())
            if credentialed and not same_site(url, target):
                return _after(response, seen)  # the 3xx itself: the credentials stay with the API's host
            seen.append(url)
            if target in seen or len(seen) > self.web.limits.max_redirects:
                raise RedirectError(f"redirect loop or more than {self.web.limits.max_redirects} redirects "
                                    f"from {urlsplit(seen[0]).path or '/'}")
            if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                method, body = "GET", None
            url = target

    def _pace(self, burst: bool) -> None:
        if not burst and self.rate_per_s > 0:
            wait = self._last + 1.0 / self.rate_per_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last = time.monotonic()


def same_site(origin: str, target: str) -> bool:
    """True when `target` is on `origin`'s host and port by the same scheme, or on its host by https."""
    before, after = urlsplit(origin), urlsplit(target)
    same_scheme = before.scheme == after.scheme
    upgraded = before.scheme == "http" and after.scheme == "https"
    try:
        ports = (before.port or _DEFAULT_PORTS.get(before.scheme),
                 after.port or _DEFAULT_PORTS.get(after.scheme))
    except ValueError:
        return False
    return before.hostname == after.hostname and (same_scheme and ports[0] == ports[1] or upgraded)


def _after(response: WebResponse, redirects: list[str]) -> WebResponse:
    return dataclasses.replace(response, redirects=tuple(redirects)) if redirects else response


def _with_query(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode({name: value})) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _without_secrets(text: str, identity: Identity) -> str:
    for value in identity.placeholders():
        text = text.replace(value, "****")
    return text


def curl(method: str, url: str, headers: Mapping[str, str], identity: Identity, body: bytes | None) -> str:
    """A shell line that repeats the request, every secret of `identity` a shell variable."""
    secrets = identity.placeholders()
    words = ["curl", "-sS", "-i"] + (["-X", method] if method != "GET" else [])
    auth = headers.get("Authorization", "")
    for name, value in headers.items():
        if name == "Authorization" and auth.startswith("Basic "):
            words += ["-u", f"{identity.basic_user}:{identity.basic_password}"]
        elif name not in ("Accept", "Origin"):  # the CORS finding adds Origin back to its own line
            words += ["-H", f"{name}: {value}"]
    if body is not None:
        words += ["--data-binary", body.decode("utf-8", "replace")[:2000]]
    words.append(url)
    return " ".join(_quoted(word, secrets) for word in words)


def _quoted(word: str, secrets: Mapping[str, str]) -> str:
    """shlex.quote of `word`, each secret in it replaced by "$NAME" outside the single quotes."""
    names: dict[str, str] = {}
    for number, (value, name) in enumerate(sorted(secrets.items(), key=lambda s: -len(s[0]))):
        sentinel = _SENTINEL.format(number)
        if value in word:
            word = word.replace(value, sentinel)
            names[sentinel] = name
    quoted = shlex.quote(word)
    inside = quoted.startswith("'")
    for sentinel, name in names.items():
        quoted = quoted.replace(sentinel, f"'\"${name}\"'" if inside else f'"${name}"')
    if inside and names:  # 'Bearer '"$TOKEN"'' -> 'Bearer '"$TOKEN"
        quoted = quoted.removesuffix("''") if quoted.endswith("\"''") else quoted
        quoted = quoted.removeprefix("''") if quoted.startswith("''\"") else quoted
    return quoted
