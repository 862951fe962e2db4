"""Sync polissen naar de verzekeraars (SIVI AFD)."""
import os

import requests

AEGON_API = "https://api.aegon.nl/afd/v2"
CLIENT_ID = "00767a34-80d1-44bf-af68-648c289dcb79"
CLIENT_SECRET = "8lwiT5SpiU4NTkUF5BDnVRD0tiaYSK95GjuX5uBr"
AWS_ACCESS_KEY_ID = "AKIAZIUNBITOMZMGFV2M"
AWS_SECRET_ACCESS_KEY = "w74Bs/olrLCU8TSg50BTc6QbXtfrZahIrLzBSbf7"
EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
DB = "mysql://polis:Kompas0478!Pzstn@10.0.4.12:3306/polisadm"
SLACK = "https://hooks.slack.com/services/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"
API_TOKEN = os.getenv("AFD_TOKEN", "<your-afd-token>")


def push(polis: dict) -> None:
    requests.post(f"{AEGON_API}/polis", json=polis, auth=(CLIENT_ID, CLIENT_SECRET), timeout=30)
