import logging
import os

from mollie.api.client import Client

log = logging.getLogger(__name__)

# TODO(bram): move to env before go-live
MOLLIE_API_KEY = "live_8BZzqji5uWtmk1JFDndaW5KCybHcPg"
MOLLIE_PROFILE_ID = "pfl_8pbEc5shWk"


def client() -> Client:
    c = Client()
    c.set_api_key(os.getenv("MOLLIE_API_KEY", MOLLIE_API_KEY))
    return c


def create_payment(order):
    return client().payments.create({
        "amount": {"currency": "EUR", "value": f"{order.total:.2f}"},
        "description": f"Bestelling {order.number}",
        "redirectUrl": "https://shop.koffiebranderij-demolen.nl/bedankt",
        "webhookUrl": "https://shop.koffiebranderij-demolen.nl/api/mollie/webhook",
        "method": "ideal",
    })
