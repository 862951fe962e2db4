"""Payment, commerce, shipping and crypto-exchange services beyond Stripe (saas.py) and the Dutch payment
providers (eu_payments.py): Square, Braintree, PayPal, Shopify, Plaid, GoCardless, Flutterwave, Razorpay,
Coinbase, Kraken, shipping APIs, ….

A live key moves money or reads customers' payment data: critical. Test-mode and sandbox keys
(`duffel_test_`, `EZTK…`, `sandbox_…`, `access-sandbox-…`) are reported as notes by
services/detection/context.py; their rules still match them so the note says what they are.
"""

from __future__ import annotations

from services.detection.detectors.vendor import UUID, assigned, random_body, token, uuid_random
from services.results import Severity

CRITICAL = Severity.CRITICAL

DETECTORS = (
    token("Square", "square_access_token", ("sq0atp-", "EAAA"), r"[\w-]{22,60}", severity=CRITICAL),
    token("Square", "square_oauth_secret", ("sq0csp-",), r"[\w-]{43}", severity=CRITICAL),
    token("Braintree", "braintree_access_token", ("access_token$production$", "access_token$sandbox$"),
          r"[a-z0-9]{16}\$[a-f0-9]{32}", severity=CRITICAL),
    token("Braintree", "braintree_tokenization_key", ("production_", "sandbox_"), r"[a-z0-9]{8}_[a-z0-9]{16}",
          severity=Severity.HIGH),
    assigned("PayPal", "paypal_client_secret", ("paypal",), r"E[A-Za-z0-9_-]{79}", severity=CRITICAL),
    token("Shopify", "shopify_token", ("shpat_", "shpca_", "shppa_", "shpss_"), r"[a-fA-F0-9]{32}",
          severity=CRITICAL),
    token("Plaid", "plaid_access_token", ("access-production-", "access-development-", "access-sandbox-"),
          UUID, severity=CRITICAL),
    assigned("Plaid", "plaid_secret", ("plaid",), r"[a-f0-9]{30}", severity=CRITICAL),
    assigned("GoCardless", "gocardless_token", ("gocardless",), r"live_[A-Za-z0-9_=-]{40}",
             severity=CRITICAL),
    token("Flutterwave", "flutterwave_secret_key", ("FLWSECK-", "FLWSECK_TEST-"), r"[a-h0-9]{32}-X",
          severity=CRITICAL, validate=lambda v: random_body()(v.split("-")[1])),
    token("Flutterwave", "flutterwave_encryption_key", ("FLWSECK_TEST",), r"[a-h0-9]{12}",
          severity=Severity.HIGH),
    assigned("Razorpay", "razorpay_key_secret", ("razorpay",), r"[A-Za-z0-9]{24}", severity=CRITICAL),
    assigned("Coinbase", "coinbase_token", ("coinbase",), r"[A-Za-z0-9_-]{64}", severity=CRITICAL),
    assigned("Kraken", "kraken_token", ("kraken",), r"[A-Za-z0-9/=_+-]{80,90}", severity=CRITICAL),
    assigned("KuCoin", "kucoin_secret", ("kucoin",), rf"{UUID}|[a-f0-9]{{24}}", validate=uuid_random,
             severity=CRITICAL),
    assigned("Bittrex", "bittrex_key", ("bittrex",), r"[a-f0-9]{32}", severity=CRITICAL),
    assigned("Binance", "binance_secret", ("binance",), r"[A-Za-z0-9]{64}", severity=CRITICAL),
    assigned("Finicity", "finicity_secret", ("finicity",), r"[a-f0-9]{32}|[A-Za-z0-9]{20}",
             severity=CRITICAL),
    token("Duffel", "duffel_token", ("duffel_live_", "duffel_test_"), r"[A-Za-z0-9_=-]{43}",
          severity=CRITICAL),
    token("EasyPost", "easypost_key", ("EZAK", "EZTK"), r"[A-Za-z0-9]{54}", severity=CRITICAL),
    token("Shippo", "shippo_token", ("shippo_live_", "shippo_test_"), r"[a-fA-F0-9]{40}", severity=CRITICAL),
    assigned("Lob", "lob_api_key", ("lob_", "lob-", "lob."), r"(?:live|test)_(?:pub_)?[a-f0-9]{31,35}",
             severity=Severity.HIGH),
    assigned("Chargebee", "chargebee_api_key", ("chargebee",), r"(?:live|test)_[A-Za-z0-9]{30,34}",
             severity=CRITICAL),
    assigned("Squarespace", "squarespace_token", ("squarespace",), UUID, validate=uuid_random,
             severity=Severity.HIGH),
    assigned("Klarna", "klarna_secret", ("klarna",), r"klarna_(?:live|test)_api_[A-Za-z0-9_-]{40,}",
             severity=CRITICAL),
)
