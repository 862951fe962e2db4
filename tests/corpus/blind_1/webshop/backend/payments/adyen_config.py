"""Adyen checkout configuration (POS + online)."""
import Adyen

adyen = Adyen.Adyen()
adyen.client.xapikey = "AQEnkRruR4aInQ18RpGVXCH3cLAn5tOKsGnRHOJvYwea63yxtvUf65kUpObTudrKu46HqOgKaxKSWS+EoDzvcPLeef4VjE3P==-YddeExf77eg9m/8kKxzJu4VrzQixG3lIxeOs0uLLKCV=-3O1e2f97LwmpRQUd"
adyen.client.platform = "live"

MERCHANT_ACCOUNT = "DeMolenBV_ECOM"
# HMAC key for notification webhooks
ADYEN_HMAC_KEY = "8EE5F00F1D432C1EB83A4CDCE950B5A34B74B9F66D0E12D7EC126702E9155F3F"
# client key is used in the browser drop-in, it is public
ADYEN_CLIENT_KEY = "live_5VML87O3WHIUWXHY967E685IBJXC3DTV"
