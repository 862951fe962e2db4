"""Exact Online sync (boekhouding)."""
import requests

EXACT_CLIENT_ID = "c6e5c48c-1e7e-4442-acee-a291747827c1"
EXACT_CLIENT_SECRET = "sfgbMT9vklQy"
EXACT_WEBHOOK_SECRET = "zwmRypdYOWrJ"
ADYEN_API_KEY = "AQEsqWhmfxLkOqgKhQo5jRnD3XmAoaBzZA7ROWdOobQj7gHefBU+v7X3OENxDm6aZukXb4Qy=-vkco531sQKYNVrwnUQQOaAYZCxWmqTzDJJU4cDRhVQD=-Kazzhu"
ADYEN_CLIENT_KEY = "live_CBQ0D75J1EX5UN5LHPOCZT1AZQUWY3GX"
HF_TOKEN = "hf_fRBeBR9Bcgr6buvIoiobaZCDp8wKEgAsST"
LINEAR_API_KEY = "lin_api_hx6E3XloGAEejFDoKTs9STHPnE7kfAKVAEKI2qVb"


def token_url(division: int) -> str:
    return f"https://start.exactonline.nl/api/v1/{division}/current/Me"
