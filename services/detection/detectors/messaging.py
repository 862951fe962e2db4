"""Chat, messaging and e-mail services: Slack (beyond saas.py's classic tokens), Discord, Telegram, Microsoft
Teams, Mattermost, Twilio auth tokens, and the mail senders (Mailgun, Mailchimp, Brevo, Postmark, …).

A leaked bot token or webhook lets anyone post as the organisation to its staff or customers (phishing
from a trusted sender) and often read channel history, so they are high. Discord bot tokens start with
the base64 of the bot's numeric id: decoding it to digits proves the shape, which no prefix could.
"""

from __future__ import annotations

import base64
import binascii

from services.detection.detector import Detector
from services.detection.detectors.vendor import UUID, assigned, in_section, random_body, token, uuid_random
from services.detection.patterns import lazy_regex
from services.results import Severity

SLACK = "secret.slack_token"
TWILIO = "secret.twilio_key"
GENERIC = "secret.generic"
HIGH = Severity.HIGH

SLACK_CONFIG = lazy_regex(r"(?<![\w.-])(?P<value>xoxe\.xox[bp]-\d-[A-Z0-9]{163,166}|xoxe-\d-[A-Z0-9]{146})"
                          r"(?![\w-])")
SLACK_APP = lazy_regex(r"(?<![\w-])(?P<value>xapp-\d-[A-Z0-9]{9,12}-\d{10,16}-[a-f0-9]{64})(?![\w-])")
SLACK_WORKFLOW = lazy_regex(r"(?P<value>https://hooks\.slack\.com/(?:workflows|triggers)/T[A-Z0-9]{6,12}/"
                            r"[A-Za-z0-9]{6,}/[A-Za-z0-9]{6,}/[A-Za-z0-9]{20,})")
# <base64 of the bot's numeric id>.<6 timestamp characters>.<27-38 HMAC characters>
DISCORD_BOT = lazy_regex(r"(?<![\w.-])(?P<value>[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}"
                         r"\.[A-Za-z0-9_-]{27,38})"
                         r"(?![\w.-])")
DISCORD_WEBHOOK = lazy_regex(r"(?P<value>https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/"
                             r"[A-Za-z0-9_-]{60,68})")
# every bot token BotFather issues is `<bot id>:AA<33>` (Telegram Bot API docs); the same docs make every
# request `https://api.telegram.org/bot<token>/METHOD`, so the token may follow `/bot` in a URL
TELEGRAM_BOT = lazy_regex(r"(?:(?<=/bot)|(?<![\w:]))(?P<value>\d{8,10}:AA[A-Za-z0-9_-]{33})(?![\w-])")
TEAMS_WEBHOOK = lazy_regex(
    rf"(?P<value>https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/{UUID}@{UUID}/IncomingWebhook/[a-f0-9]{{32}}"
    rf"/{UUID}(?:/[A-Za-z0-9_-]{{20,}})?)")
# Mailchimp keys end in their datacenter (`-us1` … `-us21`): 32 hex and that suffix is the key's own shape
MAILCHIMP = lazy_regex(r"(?<![\w-])(?P<value>[a-f0-9]{32}-us\d{1,2})(?![\w-])")


def discord_bot_shape(value: str) -> bool:
    """The first segment is the base64 of a Discord snowflake (17-20 digits)."""
    head = value.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))
    except (binascii.Error, ValueError):
        return False
    return decoded.isdigit() and 17 <= len(decoded) <= 20


DETECTORS = (
    Detector(SLACK, SLACK_CONFIG, keywords=("xoxe",), check="Slack configuration token prefix and length",
             confidence=0.95, name="slack_config_token", vendor="Slack"),
    Detector(SLACK, SLACK_APP, keywords=("xapp-",), check="Slack app-level token format", confidence=0.95,
             name="slack_app_token", vendor="Slack"),
    Detector(SLACK, SLACK_WORKFLOW, keywords=("hooks.slack.com",), check="Slack workflow webhook URL",
             confidence=0.95, name="slack_workflow_webhook", vendor="Slack"),
    Detector(GENERIC, DISCORD_BOT, keywords=(".",), validate=discord_bot_shape, context=("discord", "bot"),
             check="Discord bot token (first part decodes to a bot id)", confidence=0.85,
             context_confidence=0.97, name="discord_bot_token", vendor="Discord", severity=HIGH),
    Detector(GENERIC, DISCORD_WEBHOOK, keywords=("/api/webhooks/",), check="Discord webhook URL",
             confidence=0.95, name="discord_webhook", vendor="Discord", severity=HIGH),
    assigned("Discord", "discord_client_secret", ("discord",), r"[a-f0-9]{64}|[A-Za-z0-9_-]{32}",
             severity=HIGH),
    Detector(GENERIC, TELEGRAM_BOT, keywords=(":aa",), context=("telegram", "bot"),
             check="Telegram bot token (bot id, colon, AA and 33 characters)", confidence=0.8,
             context_confidence=0.97, name="telegram_bot_token", vendor="Telegram", severity=HIGH),
    Detector(GENERIC, TEAMS_WEBHOOK, keywords=("webhook.office.com",),
             check="Microsoft Teams incoming webhook",
             confidence=0.95, name="teams_webhook", vendor="Microsoft Teams", severity=HIGH),
    assigned("Mattermost", "mattermost_token", ("mattermost",), r"[a-z0-9]{26}", severity=HIGH),
    assigned("Gitter", "gitter_token", ("gitter",), r"[A-Za-z0-9_-]{40}", severity=HIGH),
    assigned("Sendbird", "sendbird_token", ("sendbird",), r"[a-f0-9]{40}", severity=HIGH),
    assigned("MessageBird", "messagebird_key", ("messagebird", "message_bird", "message-bird"),
             r"[A-Za-z0-9]{25}", severity=HIGH),
    assigned("Vonage", "vonage_api_secret", ("vonage", "nexmo"), r"[A-Za-z0-9]{16}", severity=HIGH),
    # Pusher's app key and app secret are both 20 hex; only the secret is private (the key is in every
    # browser client), so the name must say secret
    assigned("Pusher", "pusher_secret",
             ("pusher_app_secret", "pusher_secret", "pusherappsecret", "pushersecret", "pusher.secret",
              "pusher.app_secret", "pusher-secret"),
             r"[a-f0-9]{20}", severity=HIGH),
    # Twilio: the auth token (32 hex) next to a Twilio name; API key SIDs are in saas.py
    assigned("Twilio", "twilio_auth_token", ("twilio",), r"[a-f0-9]{32}", kind=TWILIO, severity=HIGH),
    # the auth token under a Twilio section (`"Twilio": {"AccountSid": …, "AuthToken": …}`, `twilio:` then
    # `auth_token:`): Twilio's own quickstarts nest the account's credentials so
    in_section("Twilio", "twilio_auth_token_section", ("twilio",), r"[a-f0-9]{32}", kind=TWILIO,
               severity=HIGH),
    # an API key's secret (the SK… SID's partner, Twilio's documented 32 alphanumeric characters) under a
    # Twilio name: TWILIO_API_SECRET, twilio.api-secret, TwilioApiSecret
    assigned("Twilio", "twilio_api_secret", ("twilio",), r"[A-Za-z0-9]{32}", kind=TWILIO, severity=HIGH),
    # e-mail senders
    # key-<32 base36>: Mailgun's private API keys (its public validation keys, pubkey-…, are public)
    token("Mailgun", "mailgun_api_key", ("key-",), r"[a-z0-9]{32}", severity=HIGH, confidence=0.6,
          context=("mailgun", "mg_", "mg.", "api_key", "apikey", "api-key"), context_confidence=0.95),
    assigned("Mailgun", "mailgun_signing_key", ("mailgun",), r"[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}",
             severity=HIGH),
    Detector(GENERIC, MAILCHIMP, keywords=("-us",), context=("mailchimp", "mc_", "chimp"),
             check="Mailchimp API key (32 hex and a -us datacenter suffix)", confidence=0.85,
             context_confidence=0.97, name="mailchimp_api_key", vendor="Mailchimp", severity=HIGH),
    token("Brevo (Sendinblue)", "brevo_api_key", ("xkeysib-", "xsmtpsib-"), r"[a-f0-9]{64}-[A-Za-z0-9]{16}",
          severity=HIGH, validate=lambda v: random_body()(v.split("-")[1])),
    assigned("Postmark", "postmark_server_token", ("postmark",), UUID, validate=uuid_random, severity=HIGH),
    assigned("Mandrill", "mandrill_api_key", ("mandrill",), r"[A-Za-z0-9_-]{22}", severity=HIGH),
    assigned("Mailjet", "mailjet_secret", ("mailjet",), r"[a-f0-9]{32}", severity=HIGH),
    assigned("SparkPost", "sparkpost_api_key", ("sparkpost",), r"[a-f0-9]{40}", severity=HIGH),
    assigned("Intercom", "intercom_token", ("intercom",), r"[A-Za-z0-9_=-]{60}", severity=HIGH),
)
