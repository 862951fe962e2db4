"""The two scripts the UI puts on its page, and the Content-Security-Policy that allows exactly them.

The session cookie is HttpOnly, so no page script reads or writes it: after a sign-in the page posts
a one-time ticket to the REST API, which sets the cookie; after a sign-out it asks the API to clear
it (services/browser_sessions.py, rest_api/browser_session.py). The scripts are constants, the ticket
travels in a data attribute beside its script, so the policy nginx sends (launcher.render_nginx_conf)
allows them, and Streamlit's own inline script, by hash and refuses every other inline script.
Imported by the launcher: no Streamlit import here.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import re
from pathlib import Path

SESSION_URL = "/api/v1/session"  # served by the REST API behind nginx
OPEN_SESSION_SCRIPT = (
    f"fetch('{SESSION_URL}', {{method: 'POST', credentials: 'same-origin', "
    "headers: {'Content-Type': 'application/json'}, body: JSON.stringify({ticket: "
    "document.currentScript.parentNode.querySelector('[data-dg-ticket]').dataset.dgTicket})});")
END_SESSION_SCRIPT = f"fetch('{SESSION_URL}', {{method: 'DELETE', credentials: 'same-origin'}});"
END_SESSION_HTML = f"<span hidden></span><script>{END_SESSION_SCRIPT}</script>"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)  # no attributes: not a src= script

# what the UI needs, and nothing from another host: no remote image (issue 13 item 6), no framing
_POLICY = (
    ("default-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),  # Streamlit's styles are made at run time (emotion)
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),  # the websocket and the session requests go to this host
    ("media-src", "'self' blob:"),
    ("worker-src", "'self' blob:"),
    ("frame-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)


def open_session_html(ticket: str) -> str:
    """The invisible element that has the browser redeem `ticket` for the session cookie."""
    holder = f'<span hidden data-dg-ticket="{html.escape(ticket)}"></span>'
    return f"{holder}<script>{OPEN_SESSION_SCRIPT}</script>"


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def streamlit_inline_scripts() -> list[str]:
    """The inline scripts of the page Streamlit serves (its index.html), as installed."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        return []
    index = Path(spec.origin).parent / "static" / "index.html"
    return _INLINE_SCRIPT.findall(index.read_text(encoding="utf-8")) if index.is_file() else []


def content_security_policy() -> str:
    """The Content-Security-Policy header value of the UI's responses."""
    scripts = [OPEN_SESSION_SCRIPT, END_SESSION_SCRIPT, *streamlit_inline_scripts()]
    sources = " ".join(["'self'", *dict.fromkeys(script_hash(s) for s in scripts)])
    return "; ".join(f"{name} {value}" for name, value in (("script-src", sources), *_POLICY))
