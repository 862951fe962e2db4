from twilio.rest import Client

TWILIO_API_KEY = "SKe57947936954c0bd3b2022c401c244ec"
TWILIO_API_SECRET = "IUapUy1JZwZpQVzk0uMYSsW59juEwif3"
TWILIO_AUTH_TOKEN = "446f1165209d270f79e08cdfc6fc4050"


def send_pickup_sms(client_phone: str, order_no: str) -> None:
    c = Client(TWILIO_API_KEY, TWILIO_API_SECRET)
    c.messages.create(to=client_phone, from_="DeMolen", body=f"Uw bestelling {order_no} ligt klaar.")
