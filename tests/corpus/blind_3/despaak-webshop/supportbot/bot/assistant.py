"""Klantenservice-assistent: vat tickets samen en stelt antwoorden voor."""
import os

import anthropic
from huggingface_hub import InferenceClient

ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY", "sk-ant-api03-6QWHgOumEiFdBMfGQtyjY7GahVkUM_VOKKC9Sb45NMCxXmcGTGpbxEHjM5Y9FoJnP6xF9HUI5UcKj6WXyiWt24IMNBplrAA")
HF_TOKEN = "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"
DATADOG_API_KEY = "8ded219c98d558acb7857c9bcd58911f"
EXAMPLE_KEY = "sk-..."

SYSTEM = "Je bent de klantenservice van De Spaak. Noem nooit kaartnummers of IBANs."


def summarise(ticket: str) -> str:
    client = anthropic.Anthropic(api_key=ANTHROPIC_API_KEY)
    msg = client.messages.create(model="claude-sonnet-4-5", max_tokens=300, system=SYSTEM,
                                 messages=[{"role": "user", "content": ticket}])
    return msg.content[0].text


def embed(text: str):
    return InferenceClient(token=HF_TOKEN).feature_extraction(text)
