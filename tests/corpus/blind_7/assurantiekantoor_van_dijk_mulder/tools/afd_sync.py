"""Sync polissen naar de verzekeraars (SIVI AFD)."""
import os

import requests

AEGON_API = "https://api.aegon.nl/afd/v2"
CLIENT_ID = "0e922469-e462-4dae-a0d5-2ba30d998cb7"
CLIENT_SECRET = "OrnX7kCtUnsomb8JmbXJSYKTfZe2Edrx7B6v6Nuc"
AWS_ACCESS_KEY_ID = "AKIAHE5KIFGXWM4UA35Q"
AWS_SECRET_ACCESS_KEY = "gf6zfcDmWLrlr38OAHbpqywqPFU//OMGb5j13mJ9"
EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
DB = "mysql://polis:Kompas1131$jaR4f@10.0.4.12:3306/polisadm"
SLACK = "https://hooks.slack.com/services/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"
API_TOKEN = os.getenv("AFD_TOKEN", "<your-afd-token>")


def push(polis: dict) -> None:
    requests.post(f"{AEGON_API}/polis", json=polis, auth=(CLIENT_ID, CLIENT_SECRET), timeout=30)
