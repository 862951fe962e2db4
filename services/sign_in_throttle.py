"""Sign-in throttle: attempts counted per address as typed and per source, known or not.

An attempt is counted before its password is checked (parallel guesses count too) for two keys: the
address typed (trimmed and lower-cased, kept only as its SHA-256) from this source, and this source
at any address. The `DG_LOGIN_MAX_FAILURES`-th attempt within `DG_LOGIN_LOCKOUT_S` at one address from
one source may still succeed; after it fails, that address is locked from that source until the window
ends. A source with `DG_LOGIN_SOURCE_MAX_FAILURES` failed attempts at any addresses in a window is
locked for every address (password spraying). A success restarts the address's count from its
source. So an attacker elsewhere cannot lock the real user out, and an unknown address is throttled
exactly like a known one: the answers cannot tell which addresses exist.

The source is the client's address as nginx saw it; an IPv6 client counts by its /64, the block one
subscriber usually holds. State lives in PostgreSQL (`login_throttle`, migration 0005) beside the
users it protects, so an admin's unlock and the users page read it there.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from utils.config import get_settings
from utils.repositories import login_throttle

UNKNOWN_SOURCE = "unknown"  # no usable client address: all such attempts share one count
IPV6_PREFIX = 64  # one subscriber usually holds a whole /64; counting single addresses would not hold


@dataclass(frozen=True)
class Attempt:
    """One counted sign-in attempt: at which address hash, from where, and the counts it brought."""

    account: str
    source: str
    attempts: int  # at this address from this source in the window, this one included
    source_attempts: int  # from this source at any address in the window, this one included

    @property
    def locked(self) -> bool:
        """True when this attempt must be refused unchecked: a limit was reached before it."""
        settings = get_settings()
        return (self.attempts > settings.login_max_failures
                or self.source_attempts > settings.login_source_max_failures)

    @property
    def last_allowed(self) -> bool:
        """True when a failure of this attempt locks its address or its source."""
        settings = get_settings()
        return (self.attempts >= settings.login_max_failures
                or self.source_attempts >= settings.login_source_max_failures)


def account_key(email: str) -> str:
    """The throttle's key of an address as typed: SHA-256 of it trimmed and lower-cased."""
    return hashlib.sha256((email or "").strip().lower().encode("utf-8", "surrogatepass")).hexdigest()


def source_key(address: str | None) -> str:
    """The throttle's key of a client address: the IPv4 address, the IPv6 /64, or 'unknown'."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return UNKNOWN_SOURCE
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip.exploded}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def begin(email: str, address: str | None) -> Attempt:
    """Count an attempt at `email` from `address`; check `Attempt.locked` before the password."""
    account, source = account_key(email), source_key(address)
    attempts, source_attempts, _ = login_throttle.count_sign_in_attempt(account, source,
                                                                        get_settings().login_lockout_s)
    return Attempt(account, source, attempts, source_attempts)


def failed(attempt: Attempt) -> bool:
    """Record that the attempt failed; True when this failure locked its address or source."""
    # every failure tidies a little, so rows of past windows do not pile up
    login_throttle.prune_login_throttle()
    return attempt.last_allowed


def succeeded(attempt: Attempt) -> None:
    """Record that the attempt succeeded: the address's count from its source starts again."""
    login_throttle.forget_sign_in_attempt(attempt.account, attempt.source)


def unlock(email: str) -> int:
    """Forget the attempts at `email` from every source (an unlock); how many sources had it locked."""
    return login_throttle.clear_login_throttle(account_key(email), get_settings().login_max_failures)


def locked_until(emails: Sequence[str]) -> dict[str, datetime]:
    """For each of `emails` locked from some source, when the last of those locks ends."""
    keys = {account_key(email): email for email in emails}
    locks = login_throttle.locked_accounts(list(keys), get_settings().login_max_failures)
    return {keys[key]: until for key, until in locks.items()}


def locked_message() -> str:
    """The one refusal for a lock, whichever key locked and whether the address exists."""
    minutes = max(1, round(get_settings().login_lockout_s / 60))
    return f"too many failed sign-ins from here: signing in is locked for up to {minutes} minutes"
