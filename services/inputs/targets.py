"""Which network addresses a scan may reach: the one SSRF rule for every outbound target.

A scan request names hosts (a git remote, a website, an API, a database server). Each host is resolved
once and refused when any of its addresses is loopback, private, link-local, multicast or otherwise not
global (cloud metadata at 169.254.169.254 included): a request must not reach the platform's own
network. Callers connect to exactly the addresses returned here (pinning), so a DNS answer that changes
between the check and the connection (rebinding) cannot lead them inside; every redirect is a new host
and is checked again.

`DG_ALLOW_PRIVATE_TARGETS` (tests only, off by default) lifts the refusal so tests can reach servers
on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import logging
import socket

from utils.config import get_settings
from utils.errors import InvalidRequestError, UnsafeInputError

logger = logging.getLogger(__name__)


def resolve(host: str) -> tuple[str, ...]:
    """The host's addresses, as the system resolver gives them now."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: str) -> bool:
    """True for a global unicast address (no zone): what a scan may reach without the test opt-in."""
    parsed = ipaddress.ip_address(address.split("%", 1)[0])
    return parsed.is_global and not parsed.is_multicast


def checked_addresses(host: str, what: str) -> tuple[str, ...]:
    """The addresses a scan may use for `host`, all public unless private targets are allowed.

    `what` names the request field in errors ("git_url", "url", "dsn"): InvalidRequestError when the
    host does not resolve, UnsafeInputError when any address is not public.
    """
    try:
        addresses = resolve(host)
    except (socket.gaierror, UnicodeError, ValueError):
        raise InvalidRequestError(f"{what} host does not resolve: {host}") from None
    if not addresses:
        raise InvalidRequestError(f"{what} host does not resolve: {host}")
    if get_settings().allow_private_targets:
        return addresses
    for address in addresses:
        if not is_public(address):
            logger.warning("refused %s host %s: not a public address (%s)", what, host, address)
            raise UnsafeInputError(f"{what} host is not a public address: {host}")
    return addresses
