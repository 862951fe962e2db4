"""Privacy findings about source code: PII written to logs, personal-data columns, trackers,
plain-http endpoints and transfers to services outside the EU. Category `code`, code scanner only.

The evidence of these findings names identifiers and hosts, never the text of the line, so a
log call that quotes a customer's address still leaves nothing personal in the result.
"""

from __future__ import annotations

import re

from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

# identifiers that hold personal data, in English and Dutch naming
PII_NAMES = (r"e_?mail|phone|phone_?number|telefoon\w*|mobile|bsn|ssn|iban|passw(?:or)?d|wachtwoord|address"
             r"|adres|postcode|zip_?code|birth_?date|date_?of_?birth|dob|geboortedatum|first_?name|last_?name"
             r"|full_?name|voornaam|achternaam|credit_?card|card_?number|ip_?address|passport|paspoort"
             r"|patient\w*")
_PII_NAME = lazy_regex(rf"(?i)(?<![a-z])(?:{PII_NAMES})(?![a-z])")

LOG_CALL = lazy_regex(
    r"(?:\blog(?:ger|ging)?\.(?:debug|info|warning|warn|error|exception|critical|fatal|trace)"
    r"|\bconsole\.(?:log|info|warn|error|debug)|\bprint(?:ln|f)?|System\.(?:out|err)\.print(?:ln)?"
    r"|\bLog\.[dviwe]|\berror_log|\bputs|\bfmt\.Print(?:ln|f)?)\s*\((?P<value>[^\n]{0,240})"
)
SCHEMA_COLUMN = lazy_regex(
    rf"(?i)(?:^|[\s,(])(?P<value>(?:{PII_NAMES})\w*)\s*(?:=\s*(?:models\.\w+Field|(?:db\.|sa\.)?Column"
    rf"|mapped_column|fields\.\w+)\b|\s+(?:VARCHAR|NVARCHAR|TEXT|CHAR|DATE|DATETIME|TIMESTAMP|INTEGER|BIGINT"
    rf"|String|DateTime|Date)\b)"
    rf"|(?:\bt\.\w+\s+:|add_column\s+:\w+,\s*:|\$table->\w+\(\s*['\"])(?P<rails>(?:{PII_NAMES})\w*)",
    re.MULTILINE,
)
TRACKERS = {
    "googletagmanager.com": "Google Tag Manager", "google-analytics.com": "Google Analytics",
    "gtag(": "Google Analytics (gtag)", "analytics.js": "Google Analytics", "react-ga": "Google Analytics",
    "connect.facebook.net": "Meta pixel", "fbq(": "Meta pixel", "cdn.segment.com": "Segment",
    "@segment/analytics": "Segment", "analytics-node": "Segment", "static.hotjar.com": "Hotjar",
    "hotjar.com": "Hotjar", "cdn.mxpnl.com": "Mixpanel", "mixpanel-browser": "Mixpanel",
    "@amplitude/": "Amplitude", "cdn.amplitude.com": "Amplitude", "clarity.ms": "Microsoft Clarity",
    "fullstory.com": "FullStory", "snap.licdn.com": "LinkedIn Insight",
    "analytics.tiktok.com": "TikTok pixel",
    "widget.intercom.io": "Intercom", "js.hs-scripts.com": "HubSpot", "doubleclick.net": "Google Ads",
}
TRACKER = lazy_regex("(?P<value>" + "|".join(re.escape(k) for k in TRACKERS) + ")", re.IGNORECASE)
# hosts that only identify a schema or namespace, and local development endpoints
_HTTP_OK = (r"localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|(?:[\w-]+\.)*(?:w3\.org|xmlsoap\.org|"
            r"schemas\.\w+\.\w+|purl\.org|xmlns\.com|apache\.org|java\.sun\.com|openoffice\.org|ietf\.org|"
            r"example\.(?:com|org|net)|test|invalid|local|internal|svc|cluster\.local|json-schema\.org|"
            r"ns\.adobe\.com|opengis\.net|relaxng\.org|docbook\.org|python\.org|microsoft\.com/\w+/xml)")
INSECURE_HTTP = lazy_regex(rf"(?P<value>http://(?!(?:{_HTTP_OK})(?:[:/\"'\s]|$))"
                           rf"[A-Za-z0-9.-]+\.[A-Za-z]{{2,}})")
NON_EU = {
    "api.openai.com": "OpenAI (US)", "api.anthropic.com": "Anthropic (US)",
    "api.mixpanel.com": "Mixpanel (US)",
    "api.segment.io": "Segment (US)", "api.sendgrid.com": "SendGrid (US)", "api.mailgun.net": "Mailgun (US)",
    "api.twilio.com": "Twilio (US)", "api.hubapi.com": "HubSpot (US)", "api.intercom.io": "Intercom (US)",
    "firebaseio.com": "Firebase (US)", "api.mailchimp.com": "Mailchimp (US)",
    "api.pipedream.com": "Pipedream (US)",
    "us-east-1": "AWS us-east-1", "us-east-2": "AWS us-east-2", "us-west-1": "AWS us-west-1",
    "us-west-2": "AWS us-west-2", "us-central1": "Google Cloud us-central1", "eastus": "Azure East US",
    "westus": "Azure West US",
}
NON_EU_HOST = lazy_regex(r"(?<![\w.-])(?:[\w-]+\.)*(?P<value>" + "|".join(re.escape(k) for k in NON_EU)
                         + r")(?![\w-])")


def mentions_pii(value: str) -> bool:
    """The log call's arguments name a personal-data identifier."""
    return _PII_NAME.search(value) is not None


def log_evidence(value: str) -> str:
    """Names of the personal-data identifiers logged, never the call's text."""
    names = sorted({m.group(0).lower() for m in _PII_NAME.finditer(value)})
    return "logs: " + ", ".join(names)


def column_evidence(value: str) -> str:
    """The column name (an identifier, not a value)."""
    return "column: " + value


class _SchemaDetector(Detector):
    """The schema pattern names its column in one of two groups (model syntax or migration DSL)."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """The column name and its span."""
        group = "value" if match.group("value") is not None else "rails"
        return match.group(group), match.start(group), match.end(group)


DETECTORS = (
    Detector("code.pii_logging", LOG_CALL, keywords=("log", "print", "puts", "console", "error_log"),
             validate=mentions_pii, check="logging call with a personal-data identifier", confidence=0.7,
             mask=log_evidence, name="pii_logging"),
    _SchemaDetector("code.pii_schema", SCHEMA_COLUMN, validate=bool,
                    check="personal-data column in a schema, model or migration", confidence=0.8,
                    mask=column_evidence, name="pii_schema"),
    Detector("code.tracker", TRACKER, keywords=tuple({k.lower()[:8] for k in TRACKERS}),
             check="known tracking or analytics SDK", confidence=0.9,
             mask=lambda v: "tracker: " + TRACKERS.get(v.lower(), v), name="tracker"),
    Detector("code.insecure_http", INSECURE_HTTP, keywords=("http://",),
             check="plain-http URL to a remote host", confidence=0.8, mask=lambda v: v, name="insecure_http"),
    Detector("code.non_eu_transfer", NON_EU_HOST, keywords=tuple({k[:6] for k in NON_EU}),
             check="endpoint or region of a service outside the EU", confidence=0.7,
             mask=lambda v: "service: " + NON_EU.get(v, v), name="non_eu_service"),
)
