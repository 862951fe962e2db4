"""API keys of SaaS services: Slack, Stripe, Twilio, SendGrid and OpenAI-style keys."""

from __future__ import annotations

import re

from services.detection import ocr
from services.detection.detector import Detector

SLACK_TOKEN = re.compile(r"(?<![\w-])(?P<value>xox[abposr]-(?:\d+-)+[A-Za-z0-9-]{10,})(?![\w-])")
SLACK_WEBHOOK = re.compile(r"(?P<value>https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{20,})")
STRIPE = re.compile(r"(?<![\w])(?P<value>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,99}|whsec_[A-Za-z0-9]{32,})"
                    r"(?![\w])")
TWILIO = re.compile(r"(?<![\w])(?P<value>SK[0-9a-f]{32})(?![\w])")
SENDGRID = re.compile(r"(?<![\w])(?P<value>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![\w-])")
# sk-, sk-proj-, sk-svcacct-, sk-admin- (OpenAI) and sk-ant-api03- (Anthropic) share one shape
OPENAI = re.compile(r"(?<![\w-])(?P<value>sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?"
                    r"[A-Za-z0-9_-]{32,})(?![\w-])")


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
    Detector("secret.stripe_key", STRIPE, keywords=("sk_live", "sk_test", "rk_live", "rk_test", "whsec_"),
             check="Stripe key prefix", confidence=0.97, name="stripe_key"),
    Detector("secret.twilio_key", TWILIO, keywords=("sk",), context=("twilio",),
             check="Twilio API key SID format", confidence=0.6, context_confidence=0.95, name="twilio_key"),
    Detector("secret.sendgrid_key", SENDGRID, keywords=("sg.",), check="SendGrid key format",
             confidence=0.97, name="sendgrid_key"),
    Detector("secret.openai_key", OPENAI, keywords=("sk-",), validate=mixed,
             check="OpenAI-style sk- key with mixed characters", confidence=0.9, name="openai_key"),
)


# as read by OCR: SendGrid's two dots fix its structure, so spaces may sit anywhere in its segments
_SG_CHAR = ocr.char_class(ocr.URLSAFE)


def _sg_part(low: int, high: int) -> str:
    return rf"{_SG_CHAR}(?:{_SG_CHAR}| (?={_SG_CHAR})){{{low},{high}}}"


OCR_SENDGRID = re.compile(rf"(?<![\w])(?P<value>SG ?\. ?{_sg_part(19, 27)} ?\. ?{_sg_part(40, 50)})(?![\w-])")


def _ocr_sendgrid(value: str) -> bool:
    parts = value.split(".")
    return len(parts) == 3 and ocr.length_within(parts[1], 22, 22) and ocr.length_within(parts[2], 43, 43)


# a webhook URL cannot hold a space: up to the end of its line, the spaces in it are tesseract's
OCR_SLACK_WEBHOOK = re.compile(r"(?P<value>https://hooks\.slack\.com/services/"
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
    ocr.tolerant("secret.openai_key", r"sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?", None,
                 ocr.URLSAFE, 32, 200, extra=mixed, check="OpenAI-style sk- key with mixed characters",
                 confidence=0.85, name="openai_key"),
)
