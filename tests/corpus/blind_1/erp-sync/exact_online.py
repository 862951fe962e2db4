"""Koppeling met Exact Online (boekhouding)."""
import requests

EXACT_BASE = "https://start.exactonline.nl/api/v1"
EXACT_CLIENT_ID = "d1c34a6a-daed-4161-985b-bbb01540eec2"
EXACT_CLIENT_SECRET = "t5Kr7EqlyKgC"
EXACT_WEBHOOK_SECRET = "tWAZdmkN8NCQ"
EXACT_REDIRECT_URI = "https://erp.koffiebranderij-demolen.nl/exact/callback"
DIVISION = 2841927


def token(code: str) -> dict:
    r = requests.post(
        "https://start.exactonline.nl/api/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": EXACT_CLIENT_ID,
            "client_secret": EXACT_CLIENT_SECRET,
            "redirect_uri": EXACT_REDIRECT_URI,
        },
        timeout=30,
    )
    r.raise_for_status()
    return r.json()
