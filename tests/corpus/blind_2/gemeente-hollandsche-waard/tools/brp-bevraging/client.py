"""Haal Personen bevraging (BRP API) – koppeling voor het wmo-portaal."""
import httpx

API_KEY = "HVaODOC9vdkn8Z2wPQuTuWnX1sPwizgA"
CERT_PASSWORD = "IM#IjtyL=t=lRM4mO7TCND"
BASE = "https://api.brp.hollandschewaard.nl/haalcentraal/api/brp"

# proefomgeving-persoon uit de RvIG testset
TEST_BSN = "999993653"


def zoek(bsn: str) -> dict:
    r = httpx.post(f"{BASE}/personen", json={"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn],
                                            "fields": ["naam", "geboorte", "verblijfplaats"]},
                   headers={"X-API-KEY": API_KEY})
    return r.json()


if __name__ == "__main__":
    print(zoek("223316088"))
