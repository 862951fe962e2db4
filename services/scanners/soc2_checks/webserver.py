"""Web server configs: nginx (parsed with crossplane) and Apache (parsed with apacheconfig).

Both are checked for TLS versions, plain-HTTP listeners without a redirect, and access logging.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import crossplane
from apacheconfig import make_loader
from apacheconfig.error import ApacheConfigError

from services.scanners.soc2_checks.common import Observation, ParseError

WEAK_PROTOCOLS = ("SSLv2", "SSLv3", "TLSv1", "TLSv1.1")
_INCLUDE = re.compile(r"^\s*(<<\s*)?include", re.IGNORECASE)


# --- nginx --------------------------------------------------------------------------------------


def check_nginx(path: Path, relpath: str) -> list[Observation]:
    """Check every server block of one nginx config file (includes are not followed)."""
    payload = crossplane.parse(str(path), single=True, catch_errors=True, check_ctx=False, check_args=False)
    if payload["errors"]:
        raise ParseError("invalid nginx config", payload["errors"][0].get("line"))
    found: list[Observation] = []
    for directive in _walk(payload["config"][0]["parsed"]):
        if directive["directive"] == "server":
            found.extend(_nginx_server(directive, relpath))
        elif directive["directive"] == "access_log":
            found.append(_access_log(directive, relpath))
        elif directive["directive"] == "ssl_protocols":
            found.append(_ssl_protocols(directive, relpath))
    return found


def _walk(block: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for directive in block:
        found.append(directive)
        found.extend(_walk(directive.get("block") or []))
    return found


def _nginx_server(server: dict[str, Any], relpath: str) -> list[Observation]:
    body = server.get("block") or []
    listens = [d["args"] for d in body if d["directive"] == "listen"]
    tls = any("ssl" in args or any(a.endswith("443") for a in args) for args in listens)
    if tls or not listens:
        return []
    redirects = any(d["directive"] == "return" and any(a.startswith("https://") for a in d["args"])
                    for d in _walk(body))
    return [Observation("encryption_in_transit", redirects, relpath, server["line"],
                        "plain HTTP server redirects to HTTPS" if redirects
                        else "plain HTTP server without a redirect to HTTPS")]


def _access_log(directive: dict[str, Any], relpath: str) -> Observation:
    off = directive["args"][:1] == ["off"]
    return Observation("audit_logging", not off, relpath, directive["line"],
                       "access logging switched off" if off else "access log configured")


def _ssl_protocols(directive: dict[str, Any], relpath: str) -> Observation:
    weak = [p for p in directive["args"] if p in WEAK_PROTOCOLS]
    return Observation("encryption_in_transit", not weak, relpath, directive["line"],
                       f"ssl_protocols allows {', '.join(weak)}" if weak else "only TLS 1.2+ allowed")


# --- Apache -------------------------------------------------------------------------------------


def check_apache(path: Path, relpath: str) -> list[Observation]:
    """Check the virtual hosts of one Apache config file (includes are not followed)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        with make_loader() as loader:
            config = loader.loads("\n".join(_without_includes(lines)))
    except (ApacheConfigError, UnicodeDecodeError, ValueError):
        raise ParseError("invalid Apache config") from None
    found = []
    hosts = config.get("VirtualHost") or []
    for host in hosts if isinstance(hosts, list) else [hosts]:
        for address, body in host.items():
            found.extend(_apache_host(address, body if isinstance(body, dict) else {}, lines, relpath))
    return found


def _without_includes(lines: list[str]) -> list[str]:
    # apacheconfig reads included files itself, from anywhere on the host: blank those lines
    # (keeping the numbering) so nothing outside the scan root is ever opened
    return ["" if _INCLUDE.match(line) else line for line in lines]


def _apache_host(address: str, body: dict[str, Any], lines: list[str], relpath: str) -> list[Observation]:
    # apacheconfig keeps no positions: cite the first line of this host's <VirtualHost> header
    line = _line_of(lines, rf"<VirtualHost\s+{re.escape(address)}\s*>")
    found = []
    if str(body.get("SSLEngine", "")).lower() == "on":
        found.append(_apache_protocols(str(body.get("SSLProtocol", "")), relpath, line))
    elif address.endswith(":80"):
        redirect = " ".join(str(body.get(key, "")) for key in ("Redirect", "RedirectMatch", "RewriteRule"))
        ok = "https://" in redirect
        found.append(Observation("encryption_in_transit", ok, relpath, line,
                                 f"virtual host {address} redirects to HTTPS" if ok
                                 else f"virtual host {address} serves plain HTTP without a redirect"))
    logged = "CustomLog" in body or "TransferLog" in body
    found.append(Observation("audit_logging", logged, relpath, line,
                             f"virtual host {address} has an access log" if logged
                             else f"virtual host {address} has no CustomLog"))
    return found


def _apache_protocols(value: str, relpath: str, line: int | None) -> Observation:
    words = value.split()
    enabled = {w.lstrip("+") for w in words if not w.startswith("-")}
    disabled = {w[1:] for w in words if w.startswith("-")}
    if "all" in enabled:
        enabled |= set(WEAK_PROTOCOLS) - {"SSLv2"}  # "all" still means TLS 1.0/1.1 on older builds
    if not words:
        return Observation("encryption_in_transit", False, relpath, line,
                           "SSLProtocol not set: older builds still allow TLS 1.0/1.1")
    weak = sorted((enabled - disabled) & set(WEAK_PROTOCOLS))
    return Observation("encryption_in_transit", not weak, relpath, line,
                       f"SSLProtocol allows {', '.join(weak)}" if weak else "only TLS 1.2+ allowed")


def _line_of(lines: list[str], pattern: str) -> int | None:
    regex = re.compile(pattern, re.IGNORECASE)
    return next((number for number, text in enumerate(lines, 1) if regex.search(text)), None)
