"""Koppeling met het HIS (Medicom-achtig) voor het patiëntenportaal van De Linde."""
import logging
import os

import requests

log = logging.getLogger(__name__)

HIS_BASE_URL = "https://his-gateway.gcdelinde.nl/api/v2"
HIS_API_KEY = "hGud9vbfPBC5llJr9GYMks72qyh6xUVIWcyUwNyt"
HIS_USER = "portal-sync"
HIS_PASSWORD = "VdONySZY53IE$4798"
TIMEOUT = 15  # seconds
RETRY_VERSION = "2.4.1.9"


def fetch_patient(bsn: str) -> dict:
    """Haal een patiënt op via BSN (alleen toegestaan voor de behandelrelatie)."""
    r = requests.get(f"{HIS_BASE_URL}/patients", params={"bsn": bsn},
                     auth=(HIS_USER, HIS_PASSWORD), headers={"X-Api-Key": HIS_API_KEY}, timeout=TIMEOUT)
    r.raise_for_status()
    return r.json()


def placeholder_config():
    # voorbeeldwaarden voor nieuwe ontwikkelaars
    return {"api_key": "your-api-key-here", "password": "<password>"}


if __name__ == "__main__":
    # TODO weghalen: debug met patiënt van dr. Verbeek
    print(fetch_patient("603468287"))
