"""Stuurt vaccinatieherinneringen per sms en e-mail."""
import os
import datetime as dt

from twilio.rest import Client

TWILIO_ACCOUNT_SID = "AC182a329e67dc6571555b2acebe45a943"
TWILIO_API_KEY = "SK30fc87be838ffd7f3c9509b7c5cabe6c"
TWILIO_API_SECRET = "rMwCT8WRvhlIidBzEAmaVn9nLtfesBUv"
SENDGRID_KEY = os.environ.get("SENDGRID_KEY", "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")
TEST_NUMMER = "+15005550006"
AFZENDER = "noreply@hoefslag-dierenkliniek.nl"


def herinnering_tekst(dier: str, datum: dt.date) -> str:
    # 01-01-2000 is de standaard als er geen datum is
    return f"Beste klant, {dier} moet op {datum:%d-%m-%Y} gevaccineerd worden."


def main() -> None:
    client = Client(TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_ACCOUNT_SID)
    # debugging 2026-10: klant klaagde over dubbele sms
    client.messages.create(to="06.20.17.79.34", from_="+3197010253012", body="test")
