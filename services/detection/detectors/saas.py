"""API keys of SaaS services: Slack, Stripe, Twilio, SendGrid and OpenAI-style keys, and the productivity,
CRM, content and social platforms (Notion, Asana, HubSpot, Zendesk, Contentful, Dropbox, Okta, Twitter, …).

Those without a type of their own report `secret.generic` naming the vendor (detectors/vendor.py).
A token of these services reads the organisation's documents, customers and conversations: high.
"""

from __future__ import annotations

from services.detection import ocr
from services.detection.detector import Detector
from services.detection.detectors.vendor import (
    GENERIC,
    TOKEN_AFTER,
    TOKEN_BEFORE,
    UUID,
    UUID_ANY_CASE,
    assigned,
    random_body,
    token,
    uuid_random,
)
from services.detection.patterns import lazy_regex
from services.results import Severity

SLACK_TOKEN = lazy_regex(r"(?<![\w-])(?P<value>xox[abposr]-(?:\d+-)+[A-Za-z0-9-]{10,})(?![\w-])")
SLACK_WEBHOOK = lazy_regex(r"(?P<value>https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{20,})")
STRIPE = lazy_regex(r"(?<![\w])(?P<value>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,99})"
                    r"(?![\w])")
# Svix writes the secret's bytes in base64 after the prefix (`+`, `/`, `=` occur); Stripe letters and digits
WEBHOOK_SIGNING = lazy_regex(r"(?<![\w])(?P<value>whsec_[A-Za-z0-9+/]{32,88}={0,2})(?![\w+/=])")
TWILIO = lazy_regex(r"(?<![\w])(?P<value>SK[0-9a-f]{32})(?![\w])")
SENDGRID = lazy_regex(r"(?<![\w])(?P<value>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![\w-])")
# sk-, sk-proj-, sk-svcacct-, sk-admin- (OpenAI); Anthropic's `sk-ant-` keys are not OpenAI's (below)
OPENAI = lazy_regex(r"(?<![\w-])(?P<value>sk-(?!ant-)(?:proj-|svcacct-|admin-)?"
                    r"[A-Za-z0-9_-]{32,})(?![\w-])")


HIGH = Severity.HIGH
# Twitter/X app-only bearer tokens: 22 A's (a zero-padded id), then the token proper
TWITTER_BEARER = lazy_regex(rf"{TOKEN_BEFORE}(?P<value>A{{22}}[A-Za-z0-9%]{{80,100}}){TOKEN_AFTER}")
# app access tokens are always `<app id>|<app secret>` (Graph API docs); the name must be near, as ids
# joined by a pipe occur in data files
FACEBOOK_APP_TOKEN = lazy_regex(r"(?<![\w|%])(?P<value>\d{15,16}(?:\||%7[Cc])[A-Za-z0-9_-]{27,40})(?![\w-])")
# Dropbox long-lived tokens: 11 characters, ten A's, 43 characters
DROPBOX_LONG = lazy_regex(rf"{TOKEN_BEFORE}(?P<value>[A-Za-z0-9]{{11}}AAAAAAAAAA[A-Za-z0-9_=-]{{43}})"
                          rf"{TOKEN_AFTER}")
# Asana PATs are `<0-2>/<16-digit user id>:<32 hex>` for every user and workspace
ASANA_PAT = lazy_regex(r"(?<![\w/])(?P<value>[0-2]/\d{16}:[a-f0-9]{32})(?![\w-])")
# MaxMind license keys end in `_mmk` after 6 and 29 characters (MaxMind's 2024 key format)
MAXMIND = lazy_regex(rf"{TOKEN_BEFORE}(?P<value>[A-Za-z0-9]{{6}}_[A-Za-z0-9]{{29}}_mmk){TOKEN_AFTER}")
# HubSpot private app tokens: `pat-<region><n>-<uuid>` for every portal and region
HUBSPOT_PRIVATE_APP = lazy_regex(rf"{TOKEN_BEFORE}(?P<value>pat-(?:na|eu|ap)\d-{UUID}){TOKEN_AFTER}")


def _outside_padding(value: str) -> bool:
    """Random apart from the fixed run of A's the format puts in it."""
    return random_body(0, 0.7)(value.replace("A" * 10, "", 1).lstrip("A"))


VENDOR_DETECTORS = (
    # productivity, project and content tools
    token("Notion", "notion_token", ("ntn_",), r"[0-9]{11}[A-Za-z0-9]{35}", severity=HIGH),
    token("Notion", "notion_token_legacy", ("secret_",), r"[A-Za-z0-9]{43}", severity=HIGH, confidence=0.75,
          context=("notion",), context_confidence=0.97),
    Detector(GENERIC, ASANA_PAT, keywords=(":",), validate=lambda v: random_body(0, 0.7)(v.rsplit(":", 1)[1]),
             context=("asana",), check="Asana personal access token (n/16 digits:32 hex)", confidence=0.85,
             context_confidence=0.97, name="asana_pat", vendor="Asana", severity=HIGH),
    assigned("Asana", "asana_secret", ("asana",), r"[a-z0-9]{32}|[0-9]{16}", severity=HIGH),
    token("Contentful", "contentful_pat", ("CFPAT-",), r"[A-Za-z0-9_-]{43}", severity=HIGH),
    assigned("Contentful", "contentful_token", ("contentful",), r"[A-Za-z0-9_=-]{43}", severity=HIGH),
    token("Typeform", "typeform_token", ("tfp_",), r"[A-Za-z0-9_.=-]{59}", severity=HIGH),
    token("Figma", "figma_token", ("figd_",), r"[A-Za-z0-9_-]{40}", severity=HIGH),
    Detector(GENERIC, HUBSPOT_PRIVATE_APP, keywords=("pat-na", "pat-eu", "pat-ap"),
             validate=lambda v: uuid_random(v[8:]), check="HubSpot private app token (pat-<region>-<uuid>)",
             confidence=0.95, name="hubspot_private_app_token", vendor="HubSpot", severity=HIGH),
    assigned("HubSpot", "hubspot_api_key_legacy", ("hubspot",), UUID_ANY_CASE, validate=uuid_random,
             severity=HIGH),
    assigned("Zendesk", "zendesk_token", ("zendesk",), r"[A-Za-z0-9]{40}", severity=HIGH),
    assigned("Freshdesk", "freshdesk_api_key", ("freshdesk",), r"[A-Za-z0-9]{20}", severity=HIGH),
    assigned("FreshBooks", "freshbooks_token", ("freshbooks",), r"[A-Za-z0-9]{64}", severity=HIGH),
    assigned("Trello", "trello_token", ("trello",), r"ATTA[A-Za-z0-9]{60,70}|[a-f0-9]{64}|[a-f0-9]{32}",
             severity=HIGH),
    assigned("Algolia", "algolia_admin_key", ("algolia",), r"[a-f0-9]{32}", severity=HIGH),
    token("Mapbox", "mapbox_secret_token", ("sk.eyJ",), r"[A-Za-z0-9_-]{40,}\.[A-Za-z0-9_-]{22}",
          severity=HIGH),
    assigned("Okta", "okta_api_token", ("okta",), r"00[A-Za-z0-9_=-]{40}", severity=Severity.CRITICAL),
    assigned("Auth0", "auth0_client_secret", ("auth0",), r"[A-Za-z0-9_-]{64}", severity=Severity.CRITICAL),
    token("1Password", "onepassword_secret_key", ("A3-",),
          r"[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
          severity=Severity.CRITICAL),
    token("1Password", "onepassword_service_account_token", ("ops_eyJ",), r"[A-Za-z0-9+/]{250,}={0,3}",
          severity=Severity.CRITICAL),
    token("Adobe", "adobe_client_secret", ("p8e-",), r"[A-Za-z0-9]{32}", severity=HIGH),
    token("Adafruit IO", "adafruit_io_key", ("aio_",), r"[A-Za-z0-9]{28}", severity=Severity.MEDIUM),
    assigned("Adafruit IO", "adafruit_key_legacy", ("adafruit",), r"[a-z0-9_-]{32}",
             severity=Severity.MEDIUM),
    Detector(GENERIC, MAXMIND, keywords=("_mmk",), validate=lambda v: random_body(0, 0.7)(v[:-4]),
             check="MaxMind license key (6_29_mmk)", confidence=0.9, name="maxmind_license_key",
             vendor="MaxMind", severity=HIGH),
    token("SettleMint", "settlemint_token", ("sm_aat_", "sm_pat_", "sm_sat_"), r"[A-Za-z0-9]{16}",
          severity=HIGH),
    token("Defined Networking", "defined_networking_token", ("dnkey-",),
          r"[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52}",
          severity=HIGH),
    token("Authress", "authress_access_key", ("sc_", "ext_", "scauth_", "authress_"),
          r"[A-Za-z0-9]{5,30}\.[A-Za-z0-9]{4,6}\.acc[_-][A-Za-z0-9-]{10,32}\.[A-Za-z0-9+/_=-]{30,120}",
          severity=HIGH, prefilter=r"\.acc[_-]"),  # every key's account marker: rarer than its short prefixes
    assigned("RapidAPI", "rapidapi_key", ("rapidapi", "x-rapidapi-key"), r"[A-Za-z0-9_-]{50}", severity=HIGH),
    assigned("Beamer", "beamer_token", ("beamer",), r"b_[A-Za-z0-9=_-]{44}", severity=Severity.MEDIUM),
    assigned("Looker", "looker_client_secret", ("looker",), r"[A-Za-z0-9]{24}", severity=HIGH),
    # storage and files
    token("Dropbox", "dropbox_short_lived_token", ("sl.",), r"[A-Za-z0-9_=-]{130,}", severity=HIGH,
          confidence=0.8, context=("dropbox",), context_confidence=0.97),
    Detector(GENERIC, DROPBOX_LONG, keywords=("aaaaaaaaaa",), validate=_outside_padding, context=("dropbox",),
             check="Dropbox long-lived token format", confidence=0.7, context_confidence=0.95,
             name="dropbox_long_lived_token", vendor="Dropbox", severity=HIGH),
    assigned("Dropbox", "dropbox_app_secret", ("dropbox",), r"[a-z0-9]{15}", severity=HIGH),
    assigned("Box", "box_client_secret", ("box_client_secret", "box_developer_token"), r"[A-Za-z0-9]{32}",
             severity=HIGH),
    # social networks and media
    Detector(GENERIC, TWITTER_BEARER, keywords=("aaaaaaaaaaaaaaaaaaaaaa",), validate=_outside_padding,
             check="Twitter/X bearer token (22 A's and 80-100 characters)", confidence=0.9,
             name="twitter_bearer_token", vendor="Twitter/X", severity=HIGH),
    assigned("Twitter/X", "twitter_secret", ("twitter",),
             r"[A-Za-z0-9]{45,50}|[0-9]{15,25}-[A-Za-z0-9]{20,40}"
             r"|[A-Za-z0-9]{25}", severity=HIGH),
    token("Facebook", "facebook_page_token", ("EAAM", "EAAC", "EAAG", "EAAI"), r"[A-Za-z0-9]{100,}",
          severity=HIGH),
    Detector(GENERIC, FACEBOOK_APP_TOKEN, keywords=("|", "%7c"), context=("facebook", "fb_", "graph."),
             needs_context=True, validate=lambda v: random_body(0, 0.7)(v[-27:]),
             check="Facebook app access token (app id|secret)", confidence=0.9, name="facebook_app_token",
             vendor="Facebook", severity=HIGH),
    assigned("Facebook", "facebook_app_secret", ("facebook", "fb_app_secret", "fb_secret"), r"[a-f0-9]{32}",
             severity=HIGH),
    assigned("LinkedIn", "linkedin_client_secret", ("linkedin", "linked_in", "linked-in"), r"[A-Za-z0-9]{16}",
             severity=HIGH),
    assigned("Twitch", "twitch_token", ("twitch",), r"[a-z0-9]{30}", severity=HIGH),
    assigned("Etsy", "etsy_token", ("etsy",), r"[a-z0-9]{24}", severity=HIGH),
    assigned("Flickr", "flickr_token", ("flickr",), r"[a-z0-9]{32}", severity=Severity.MEDIUM),
    assigned("New York Times", "nytimes_token", ("nytimes", "newyorktimes", "new-york-times"),
             r"[A-Za-z0-9=_-]{32}", severity=Severity.MEDIUM),
    assigned("Spotify", "spotify_client_secret", ("spotify",), r"[a-f0-9]{32}", severity=HIGH),
    assigned("YouTube", "youtube_client_secret", ("youtube",), r"[A-Za-z0-9_-]{24}", severity=HIGH),
    assigned("Reddit", "reddit_client_secret", ("reddit",), r"[A-Za-z0-9_-]{27,30}", severity=HIGH),
)


def mixed(value: str) -> bool:
    """Has digits, upper- and lowercase letters: a generated key, not a slug."""
    tail = value.split("-", 1)[-1]
    return any(c.isdigit() for c in tail) and any(c.isupper() for c in tail) and any(
        c.islower() for c in tail)


DETECTORS = (
    Detector("secret.slack_token", SLACK_TOKEN, keywords=("xox",), check="Slack token prefix",
             confidence=0.95, name="slack_token"),
    Detector("secret.slack_token", SLACK_WEBHOOK, keywords=("hooks.slack.com",), check="Slack webhook URL",
             confidence=0.95, name="slack_webhook"),
    Detector("secret.stripe_key", STRIPE, keywords=("sk_live", "sk_test", "rk_live", "rk_test"),
             check="Stripe key prefix", confidence=0.97, name="stripe_key"),
    # `whsec_` signing secrets are Stripe's and Svix's (Svix signs the webhooks of Clerk, Resend and many
    # others): Stripe's type only where Stripe is named, otherwise a webhook signing secret of no one vendor
    Detector("secret.stripe_key", WEBHOOK_SIGNING, keywords=("whsec_",), context=("stripe",),
             needs_context=True, check="whsec_ webhook signing secret beside Stripe's name", confidence=0.97,
             name="stripe_webhook_secret"),
    Detector("secret.generic", WEBHOOK_SIGNING, keywords=("whsec_",), check="whsec_ webhook signing secret",
             confidence=0.9, priority=1, vendor="Stripe or Svix", name="whsec_webhook_secret"),
    Detector("secret.twilio_key", TWILIO, keywords=("sk",), context=("twilio",),
             check="Twilio API key SID format", confidence=0.6, context_confidence=0.95, name="twilio_key"),
    Detector("secret.sendgrid_key", SENDGRID, keywords=("sg.",), check="SendGrid key format",
             confidence=0.97, name="sendgrid_key"),
    Detector("secret.openai_key", OPENAI, keywords=("sk-",), validate=mixed,
             check="OpenAI-style sk- key with mixed characters", confidence=0.9, name="openai_key"),
    # Anthropic's API and admin keys: `sk-ant-api03-`/`sk-ant-admin01-`, 93 URL-safe characters and `AA`
    # (its published format, as in gitleaks' rule); no type of its own, so secret.generic naming the vendor
    token("Anthropic", "anthropic_api_key", ("sk-ant-api03-", "sk-ant-admin01-"), r"[A-Za-z0-9_-]{93}AA",
          severity=HIGH, margin=0.9),
    *VENDOR_DETECTORS,
)


# as read by OCR: SendGrid's two dots fix its structure, so spaces may sit anywhere in its segments
_SG_CHAR = ocr.char_class(ocr.URLSAFE)


def _sg_part(low: int, high: int) -> str:
    return rf"{_SG_CHAR}(?:{_SG_CHAR}| (?={_SG_CHAR})){{{low},{high}}}"


OCR_SENDGRID = lazy_regex(rf"(?<![\w])(?P<value>SG ?\. ?{_sg_part(19, 27)} ?\. ?{_sg_part(40, 50)})(?![\w-])")


def _ocr_sendgrid(value: str) -> bool:
    parts = value.split(".")
    return len(parts) == 3 and ocr.length_within(parts[1], 22, 22) and ocr.length_within(parts[2], 43, 43)


# a webhook URL cannot hold a space: up to the end of its line, the spaces in it are tesseract's
OCR_SLACK_WEBHOOK = lazy_regex(r"(?P<value>https://hooks\.slack\.com/services/"
                               rf"{ocr.spaced(ocr.ALNUM + '/', 24, 80)})")


def _ocr_webhook(value: str) -> bool:
    path = value.rsplit("/services/", 1)[-1].split("/")
    return len(path) == 3 and path[0][:1] == "T" and path[1][:1] == "B" and len(path[2]) >= 20


OCR_DETECTORS = (
    Detector("secret.slack_token", OCR_SLACK_WEBHOOK, keywords=("hooks.slack.com",), validate=_ocr_webhook,
             repair=ocr.joined, check="Slack webhook URL, as read by OCR", confidence=0.85,
             name="slack_webhook_ocr", ocr=True, priority=1),
    *(ocr.tolerant("secret.stripe_key", ocr.fuzzy(f"{kind}_{mode}_"), f"{kind}_{mode}_", ocr.ALNUM, 20, 99,
                   before=r"(?<![\w])", check="Stripe key prefix", confidence=0.85, name="stripe_key")
      for kind in ("sk", "rk") for mode in ("live", "test")),
    ocr.tolerant("secret.twilio_key", "SK", "SK", ocr.HEX, 32, 32, before=r"(?<![\w])", fold=ocr.hex_folded,
                 context=("twilio",),
                 check="Twilio API key SID format", confidence=0.6, context_confidence=0.85,
                 name="twilio_key"),
    Detector("secret.sendgrid_key", OCR_SENDGRID, validate=_ocr_sendgrid, repair=ocr.joined,
             check="SendGrid key format, as read by OCR", confidence=0.85, name="sendgrid_key_ocr",
             ocr=True, priority=1),
    ocr.tolerant("secret.openai_key", r"sk-(?!ant-)(?:proj-|svcacct-|admin-)?", None,
                 ocr.URLSAFE, 32, 200, extra=mixed, check="OpenAI-style sk- key with mixed characters",
                 confidence=0.85, name="openai_key"),
    ocr.tolerant("secret.generic", r"sk-ant-(?:api03|admin01)-", None, ocr.URLSAFE, 95, 95, extra=mixed,
                 check="Anthropic key prefix and length", confidence=0.85, name="anthropic_api_key",
                 vendor="Anthropic", severity=HIGH),
)
