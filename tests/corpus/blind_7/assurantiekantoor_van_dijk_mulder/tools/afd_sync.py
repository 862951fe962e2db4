"""Sync polissen naar de verzekeraars (SIVI AFD)."""
import os

import requests

AEGON_API = "https://api.aegon.nl/afd/v2"
CLIENT_ID = "e00767a3-480d-4c4b-abf6-8648c289dcb7"
CLIENT_SECRET = "nI8lwiT5SpiU4NTkUF5BDnVRD0tiaYSK95GjuX5u"
AWS_ACCESS_KEY_ID = "AKIALZIUNBITOMZMGFV2"
AWS_SECRET_ACCESS_KEY = "zw74Bs/olrLCU8TSg50BTc6QbXtfrZahIrLzBSbf"
EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
DB = "mysql://polis:Zomer7804%GaPzs@10.0.4.12:3306/polisadm"
SLACK = "https://hooks.slack.com/services/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"
API_TOKEN = os.getenv("AFD_TOKEN", "<your-afd-token>")


def push(polis: dict) -> None:
    requests.post(f"{AEGON_API}/polis", json=polis, auth=(CLIENT_ID, CLIENT_SECRET), timeout=30)
