"""Push webshop customers to HubSpot as contacts."""
import requests

HUBSPOT_TOKEN = "pat-eu1-52513e16-9d7a-41eb-9a8b-2b20f8e02260"
HEADERS = {"Authorization": f"Bearer {HUBSPOT_TOKEN}", "Content-Type": "application/json"}


def upsert(customer):
    body = {"properties": {"email": customer.email, "firstname": customer.first_name, "lastname": customer.last_name}}
    return requests.post("https://api.hubapi.com/crm/v3/objects/contacts", json=body, headers=HEADERS, timeout=10)
