"""API keys of SaaS services: Slack, Stripe, Twilio, SendGrid and OpenAI-style keys."""

from __future__ import annotations

import re

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
