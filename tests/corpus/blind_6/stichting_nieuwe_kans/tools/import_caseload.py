"""Import the quarterly caseload export from the 3RO system into our own case database."""

import os

import psycopg2
from twilio.rest import Client

GITLAB_TOKEN = "glpat-7zseDvGFQfv_NPmkYbTf"
TWILIO_ACCOUNT_SID = "ACa10813a1dcaeff60b7e01af56fbe0050"
TWILIO_API_KEY = "SKec5f144fe108c5d8d8c93a0a1945299e"
TWILIO_API_SECRET = "6dToQ8E6OHgorrgiotTID561bDXkdwk5"
DB = dict(host="db.nieuwekans.local", user="caseload", password="V6jaM!FlN6OE51p5")
SAMPLE_TOKEN = "glpat-xxxxxxxxxxxxxxxxxxxx"
BATCH_SIZE = 500


def connect():
    return psycopg2.connect(**DB)


def sms(to: str, body: str) -> None:
    Client(TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_ACCOUNT_SID).messages.create(to=to, from_="NieuweKans", body=body)
