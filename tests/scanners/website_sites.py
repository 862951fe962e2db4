"""Local test sites for the website scanner, with planted issues and clean twins (served on 127.0.0.x).

- `tracker_app`: a third party (served on 127.0.0.2): a pixel that sets DoubleClick's `IDE` cookie.
- `bad_app`: analytics cookies set from JavaScript (and a Matomo cookie from a header) before consent;
  a banner with a pre-ticked box whose "Alles weigeren" still loads the tracker; a contact form over
  http; a page with an e-mail address and a phone number in its text; no privacy notice.
- `wall_app`: a full-screen banner with only "Accepteren"; the page and its tracker load after accept.
- `clean_app`: the twin of `bad_app` done right: nothing before consent, reject loads nothing, accept
  loads the analytics and the tracker, a privacy notice that names the controller and a contact.
"""

from __future__ import annotations

from flask import Flask, Response

from tests.planted import EMAIL

PHONE = "06 12345678"
BANNER = """<div id="cookie-banner" role="dialog" aria-label="Cookies">
  <p>Wij gebruiken cookies voor statistieken en marketing.</p>
  {boxes}
  <button id="accept">Alles accepteren</button> <button id="reject">Alles weigeren</button>
</div>"""
PRETICKED = '<label><input type="checkbox" name="marketing" checked> Marketing</label>'


def _html(body: str, head: str = "") -> Response:
    return Response(f"<!doctype html><html lang=nl><head><meta charset=utf-8><title>Test</title>{head}</head>"
                    f"<body>{body}</body></html>", content_type="text/html; charset=utf-8")


def tracker_app() -> Flask:
    """The third party: a pixel setting a marketing cookie (as DoubleClick's does)."""
    app = Flask("tracker")

    @app.get("/pixel.gif")
    def pixel() -> Response:
        response = Response(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif")
        response.set_cookie("IDE", "AHWqTUkT9xY2b3planted", max_age=3600, samesite="None", secure=False)
        return response

    return app


def _load_pixel(tracker: str) -> str:
    return f"new Image().src = '{tracker}/pixel.gif?ev=' + Date.now();"


def bad_app(tracker: str) -> Flask:
    """Every planted issue of a consent banner done wrong (see the module docstring)."""
    app = Flask("bad")
    banner = BANNER.format(boxes=PRETICKED)
    script = f"""<script>
document.cookie = '_ga=GA1.1.123456789.1700000000; path=/; max-age=3600';
document.cookie = '_gid=GA1.1.987654321.1700000000; path=/; max-age=3600';
localStorage.setItem('_hjid', 'x');
document.getElementById('reject').onclick = function () {{
  {_load_pixel(tracker)} this.parentNode.remove(); }};
document.getElementById('accept').onclick = function () {{
  {_load_pixel(tracker)} this.parentNode.remove(); }};
</script>"""

    @app.get("/")
    def home() -> Response:
        response = _html(f"{banner}<h1>Welkom</h1><a href='/contact'>Contact</a> "
                         f"<a href='/over-ons'>Over ons</a>{script}")
        response.set_cookie("_pk_id.1.1fff", "0123456789abcdef.1700000000.", max_age=3600)
        return response

    @app.get("/contact")
    def contact() -> Response:
        return _html("<h1>Contact</h1><form action='/contact' method='post'><input type='text' name='naam'>"
                     "<input type='email' name='email'><textarea name='bericht'></textarea>"
                     "<button>Verstuur</button></form><a href='/'>Home</a>")

    @app.post("/contact")
    def sent() -> Response:
        return _html("<p>Bedankt</p>")

    @app.get("/over-ons")
    def about() -> Response:
        return _html(f"<h1>Over ons</h1><p>Mail Jan via {EMAIL} of bel {PHONE}.</p><a href='/'>Home</a>")

    return app


def wall_app(tracker: str) -> Flask:
    """A cookie wall: nothing but the banner until "Accepteren"."""
    app = Flask("wall")

    @app.get("/")
    def home() -> Response:
        wall = ("<div id='consent-wall' style='position:fixed;inset:0;background:#fff;z-index:9'>"
                "<p>Deze website gebruikt cookies. Accepteer om verder te gaan.</p>"
                "<button id='ok'>Accepteren</button></div>")
        script = (f"<script>document.getElementById('ok').onclick = function () {{ {_load_pixel(tracker)}"
                  "document.cookie = '_ga=GA1.1.55555.1700000000; path=/'; "
                  "document.getElementById('consent-wall').remove(); };</script>")
        return _html(f"{wall}<main><h1>Nieuws</h1><a href='/privacy'>Privacy</a></main>{script}")

    @app.get("/privacy")
    def privacy() -> Response:
        return _html("<h1>Privacy</h1><p>Wij verwerken gegevens.</p>")

    return app


def clean_app(tracker: str) -> Flask:
    """The clean twin of `bad_app`: consent asked first and honoured both ways."""
    app = Flask("clean")
    banner = BANNER.format(boxes='<label><input type="checkbox" name="marketing"> Marketing</label>')
    script = f"""<script>
document.getElementById('reject').onclick = function () {{
  document.cookie = 'consent=rejected; path=/'; this.parentNode.remove(); }};
document.getElementById('accept').onclick = function () {{
  document.cookie = '_ga=GA1.1.123456789.1700000000; path=/';
  {_load_pixel(tracker)} this.parentNode.remove(); }};
</script>"""

    @app.get("/")
    def home() -> Response:
        return _html(f"{banner}<h1>Welkom</h1><a href='/over-ons'>Over ons</a>"
                     f"<footer><a href='/privacyverklaring'>Privacyverklaring</a></footer>{script}")

    @app.get("/over-ons")
    def about() -> Response:
        return _html("<h1>Over ons</h1><p>Wij maken fietsen in Utrecht.</p><a href='/'>Home</a>")

    @app.get("/privacyverklaring")
    def notice() -> Response:
        return _html("<h1>Privacyverklaring</h1><p>Verwerkingsverantwoordelijke is Voorbeeld B.V. "
                     "(KvK 12345678). Vragen? Gebruik het contactformulier of schrijf naar ons "
                     "postadres.</p>")

    return app
