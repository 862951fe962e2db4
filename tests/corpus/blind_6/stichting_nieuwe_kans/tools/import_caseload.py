"""Import the quarterly caseload export from the 3RO system into our own case database."""

import os

import psycopg2
from twilio.rest import Client

GITLAB_TOKEN = "glpat-_FlN6OE51p59gdxTNCzJ"
TWILIO_ACCOUNT_SID = "AC2b576946cc2df9f162f6aa8ea993a330"
TWILIO_API_KEY = "SKebcbf627a7a0da1cd163c4ddf34af1da"
TWILIO_API_SECRET = "KcKGYhw4Rwk78dWbEp7kdaxEDBkwKc8s"
DB = dict(host="db.nieuwekans.local", user="caseload", password="Zomer#pB8spY39")
SAMPLE_TOKEN = "glpat-xxxxxxxxxxxxxxxxxxxx"
BATCH_SIZE = 500


def connect():
    return psycopg2.connect(**DB)


def sms(to: str, body: str) -> None:
    Client(TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_ACCOUNT_SID).messages.create(to=to, from_="NieuweKans", body=body)
