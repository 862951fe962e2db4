"""The website scanner's pure parts: the curated table, the page reader, the consent words."""

from __future__ import annotations

import pytest
import yaml

from services.scanners.website import words
from services.scanners.website.catalogue import TABLE, catalogue, site_of
from services.scanners.website.observe import Observed, parse_set_cookie
from services.scanners.website.page import parse_page


def test_every_table_entry_names_its_category_company_country_and_source() -> None:
    raw = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    for entry in [*raw["cookies"], *raw["trackers"]]:
        assert entry["category"] in ("strictly_necessary", "functional", "analytics", "marketing"), entry
        assert entry["company"] and entry["source"], entry
        assert entry["jurisdiction"] == "" or len(entry["jurisdiction"]) == 2, entry


def test_cookies_and_hosts_are_classified_with_their_jurisdiction() -> None:
    table = catalogue()
    ga4 = table.cookie("_ga_ABC123")
    assert (ga4.category, ga4.jurisdiction) == ("analytics", "US")
    assert table.cookie("_fbp").category == "marketing" and table.cookie("_fbp").non_eu
    assert table.cookie("_pk_id.1.abcd").jurisdiction == "EU" and not table.cookie("_pk_id.1.abcd").non_eu
    assert table.cookie("CookieConsent").category == "strictly_necessary"
    assert table.cookie("my_own_cookie").category == "unknown"
    assert table.host("www.google-analytics.com").company == "Google"
    assert table.host("stats.g.doubleclick.net").category == "marketing"
    assert table.host("analytics.tiktok.com").jurisdiction == "CN"
    assert table.host("example.nl").category == "unknown"
    assert site_of("www.shop.example.co.uk") == "example.co.uk" and site_of("127.0.0.1") == "127.0.0.1"


@pytest.mark.parametrize("markup, platform", [
    ("<script src='https://consent.cookiebot.com/uc.js'></script>", "Cookiebot"),
    ("<div id='onetrust-banner-sdk'></div>", "OneTrust"),
    ("<script src='https://cdn-cookieyes.com/client_data/x/script.js'></script>", "CookieYes"),
    ("<div id='cmplz-cookiebanner-container'></div>", "Complianz"),
    ("<div id='didomi-host'></div>", "Didomi"),
    ("<div id='qc-cmp2-container'></div>", "Quantcast"),
    ("<div id='usercentrics-root'></div>", "Usercentrics"),
    ("<div class='osano-cm-window'></div>", "Osano"),
    ("<div class='klaro'></div>", "Klaro"),
])
def test_common_consent_platforms_are_recognised(markup: str, platform: str) -> None:
    facts = parse_page("https://shop.example.nl/", f"<html><body>{markup}</body></html>")
    assert facts.platforms == [platform] and facts.banner


@pytest.mark.parametrize("label", ["Alles accepteren", "Accepteren", "Alle cookies toestaan", "Accept all",
                                   "Akkoord", "Allow all cookies", "I agree"])
def test_accept_buttons(label: str) -> None:
    assert words.ACCEPT.match(label) and not words.REJECT.match(label)


@pytest.mark.parametrize("label", ["Alles weigeren", "Weigeren", "Alleen noodzakelijke cookies",
                                   "Reject all", "Decline", "Only necessary", "Necessary cookies only"])
def test_reject_buttons(label: str) -> None:
    assert words.REJECT.match(label) and not words.ACCEPT.match(label)


def test_the_page_reader_finds_gated_scripts_forms_privacy_links_and_preticked_boxes() -> None:
    facts = parse_page("https://shop.example.nl/a/", """<html><head><title>Shop</title></head><body>
      <div class="cookie-notice"><button>Accept all</button><input type=checkbox name=stats checked>
        <input type=checkbox name=necessary checked disabled></div>
      <script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
      <script type="text/plain" data-cookieconsent="marketing" src="https://connect.facebook.net/f.js"></script>
      <iframe src="//www.youtube.com/embed/x"></iframe>
      <form action="http://shop.example.nl/subscribe"><input name="email"><input type=hidden name=t></form>
      <a href="/cookiebeleid">Cookies</a> <a href="/over">Over</a> <a href="mailto:x@example.nl">mail</a>
    </body></html>""")
    assert [(r.url.split("?")[0], r.kind, r.gated) for r in facts.resources] == [
        ("https://www.googletagmanager.com/gtag/js", "script", False),
        ("https://connect.facebook.net/f.js", "script", True),
        ("https://www.youtube.com/embed/x", "iframe", False)]
    assert [(f.action, f.personal_fields) for f in facts.forms] == [("http://shop.example.nl/subscribe",
                                                                     ("email",))]
    assert facts.privacy_links == ["https://shop.example.nl/cookiebeleid"]
    assert facts.links == ["https://shop.example.nl/cookiebeleid", "https://shop.example.nl/over"]
    assert facts.preticked == ["stats"]
    assert facts.accept_buttons == ["Accept all"] and not facts.reject_buttons


def test_set_cookie_values_are_dropped_and_deletions_are_not_cookies() -> None:
    assert parse_set_cookie("_ga=GA1.2.3; Domain=.shop.nl; Secure; HttpOnly") == (
        "_ga", {"domain": ".shop.nl", "secure": "", "httponly": ""})
    observed = Observed("https://shop.nl/", "shop.nl")
    observed.set_cookie_headers(["_ga=GA1.2.3; Domain=.shop.nl", "old=; Max-Age=0",
                                 "IDE=xyz; Domain=.doubleclick.net"], "https://shop.nl/", "none",
                                "https://shop.nl/")
    assert {(c.name, c.domain, c.party) for c in observed.cookies.values()} == {
        ("_ga", "shop.nl", "first"), ("IDE", "doubleclick.net", "third")}
    assert "GA1.2.3" not in repr([c.as_dict() for c in observed.cookies.values()])
