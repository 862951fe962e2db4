"""Observability, monitoring and feature-flag services: Datadog, New Relic, Sentry, Grafana, Dynatrace, Sumo
Logic, Splunk, PagerDuty, LaunchDarkly, ….

Their keys read logs and traces (which hold personal data more often than not) or write alerts and
flags into production: high. New Relic, Grafana, Dynatrace, Sentry and LaunchDarkly put a prefix on
their keys; Datadog and the others do not, so their rules need the service's name next to the key.
"""

from __future__ import annotations

from services.detection.detector import Detector
from services.detection.detectors.vendor import GENERIC, UUID, assigned, random_body, token, uuid_random
from services.detection.patterns import lazy_regex
from services.results import Severity

HIGH = Severity.HIGH
# New Relic ingest license keys: 40 characters ending in the `NRAL` New Relic puts on all of them; EU and
# other region accounts' keys start with the region (`eu01xx`) instead of six hex characters
NEW_RELIC_LICENSE = lazy_regex(r"(?<![\w-])(?P<value>(?:[a-f0-9]{6}|[a-z]{2}\d{2}xx)[a-f0-9]{30}NRAL)"
                               r"(?![\w-])")
# a Sentry DSN: `https://<32-hex public key>@o<org>.ingest[.<region>].sentry.io/<project>` (Sentry's
# documented DSN format; older DSNs add `:<secret key>` and use sentry.io directly); the key lets anyone
# send events into the project
SENTRY_DSN = lazy_regex(r"(?<![\w/])(?P<value>https?://[a-f0-9]{32}(?::[a-f0-9]{32})?@"
                        r"(?:o\d+\.ingest(?:\.[a-z]{2})?\.)?sentry\.io/\d+)(?![\w/])")


def sentry_key_random(value: str) -> bool:
    """The DSN's public key looks generated (not a 0000… or abcdef… documentation key)."""
    return random_body(0, 0.7)(value.split("//", 1)[1][:32])

DETECTORS = (
    assigned("Datadog", "datadog_api_key", ("datadog", "dd_api_key", "dd_app_key", "dd_application_key",
                                            "dd-api-key", "dd-application-key", "ddapikey"),
             r"[a-f0-9]{40}|[a-f0-9]{32}", severity=HIGH),
    token("New Relic", "new_relic_user_key", ("NRAK-",), r"[A-Z0-9]{27}", severity=HIGH),
    token("New Relic", "new_relic_insert_key", ("NRII-",), r"[A-Za-z0-9_-]{32}", severity=HIGH),
    token("New Relic", "new_relic_browser_key", ("NRJS-",), r"[a-f0-9]{19}", severity=Severity.MEDIUM),
    Detector(GENERIC, NEW_RELIC_LICENSE, keywords=("nral",), validate=lambda v: random_body(0, 0.7)(v[6:-4]),
             check="New Relic ingest license key (40 characters ending NRAL)", confidence=0.9,
             name="new_relic_license_key", vendor="New Relic", severity=HIGH),
    token("Sentry", "sentry_user_token", ("sntryu_",), r"[a-f0-9]{64}", severity=HIGH),
    token("Sentry", "sentry_org_token", ("sntrys_",), r"eyJ[A-Za-z0-9+/=]{60,400}_[A-Za-z0-9+/]{43}",
          severity=HIGH),
    assigned("Sentry", "sentry_auth_token", ("sentry",), r"[a-f0-9]{64}", severity=HIGH),
    Detector(GENERIC, SENTRY_DSN, keywords=("sentry.io",), validate=sentry_key_random,
             check="Sentry DSN with its project key", confidence=0.8, name="sentry_dsn", vendor="Sentry",
             severity=Severity.MEDIUM),
    token("Grafana", "grafana_cloud_token", ("glc_",), r"[A-Za-z0-9+/]{32,400}={0,3}", severity=HIGH),
    token("Grafana", "grafana_service_account_token", ("glsa_",), r"[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",
          severity=HIGH),
    token("Grafana", "grafana_api_key", ("eyJrIjoi",), r"[A-Za-z0-9]{70,400}={0,3}", severity=HIGH),
    token("Dynatrace", "dynatrace_token", ("dt0c01.", "dt0s01.", "dt0s16."), r"[A-Z0-9]{24}\.[A-Z0-9]{64}",
          severity=HIGH),
    assigned("Sumo Logic", "sumologic_access_key", ("sumo",), r"[A-Za-z0-9]{64}|su[A-Za-z0-9]{12}",
             severity=HIGH),
    assigned("Splunk", "splunk_hec_token", ("splunk",), r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
             r"-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", validate=uuid_random, severity=HIGH),
    assigned("PagerDuty", "pagerduty_token", ("pagerduty", "pager_duty"),
             r"[A-Za-z0-9_+-]{20}|u\+[A-Za-z0-9_-]{18}",
             severity=HIGH),
    assigned("Opsgenie", "opsgenie_api_key", ("opsgenie",), UUID, validate=uuid_random, severity=HIGH),
    assigned("Honeycomb", "honeycomb_api_key", ("honeycomb",), r"[A-Za-z0-9]{22}|[A-Za-z0-9]{32}|hc[a-z]{2}k_"
             r"[A-Za-z0-9]{58}", severity=HIGH),
    assigned("Bugsnag", "bugsnag_api_key", ("bugsnag",), r"[a-f0-9]{32}", severity=Severity.MEDIUM),
    assigned("Rollbar", "rollbar_token", ("rollbar",), r"[a-f0-9]{32}", severity=HIGH),
    assigned("Logz.io", "logzio_token", ("logzio", "logz_io", "logz.io"), r"[A-Za-z]{32}", severity=HIGH),
    # `api-`/`sdk-` and a UUID is also how request and resource ids are written: the name must be near
    token("LaunchDarkly", "launchdarkly_key", ("api-", "sdk-"), UUID, severity=HIGH, confidence=0.85,
          context=("launchdarkly", "ld_", "ldclient"), context_confidence=0.97, needs_context=True),
    assigned("LaunchDarkly", "launchdarkly_token", ("launchdarkly",), r"[A-Za-z0-9_=-]{40}", severity=HIGH),
    token("PostHog", "posthog_personal_key", ("phx_",), r"[A-Za-z0-9]{43,47}", severity=HIGH),
    assigned("Segment", "segment_write_key", ("segment_write_key", "segment_writekey", "segmentwritekey"),
             r"[A-Za-z0-9]{32}", severity=Severity.MEDIUM),
)
