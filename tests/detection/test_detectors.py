"""Every detector family in one table: (text, expected actionable types, expected value spans)."""

from __future__ import annotations

import pytest

from services.detection import scan_text

ACTIONABLE = 0.5

CASES: list[tuple[str, list[str], list[str]]] = [
    # (text, types found with confidence >= 0.5 in order, the exact matched values)
    ("BSN: 111222333", ["pii.bsn"], ["111222333"]),
    ("BSN: 111222334", [], []),  # fails the 11-proof
    ("Ordernummer 123456789 verzonden", [], []),
    ("bsn 1112.22.333 bekend", ["pii.bsn"], ["1112.22.333"]),
    ("IBAN NL91ABNA0417164300", ["pii.iban"], ["NL91ABNA0417164300"]),
    ("IBAN NL91 ABNA 0417 1643 00.", ["pii.iban"], ["NL91 ABNA 0417 1643 00"]),
    ("IBAN NL92ABNA0417164300", [], []),  # mod-97 fails
    ("BE71 0961 2345 6769 refund", ["pii.iban"], ["BE71 0961 2345 6769"]),
    ("card 4929 1729 3648 8318 exp", ["pii.credit_card"], ["4929 1729 3648 8318"]),
    ("card 4929 1729 3648 8311 exp", [], []),  # Luhn fails
    ("amex 3712 345678 90120", ["pii.credit_card"], ["3712 345678 90120"]),
    ("test card 4111 1111 1111 1111", [], []),  # published test numbers are reported low
    ("mail jan.jansen@kpn.nl nu", ["pii.email"], ["jan.jansen@kpn.nl"]),
    ("mailto:sanne@ziggo.nl", ["pii.email"], ["sanne@ziggo.nl"]),
    ("info@acme.nl or a@example.com or logo@2x.png", [], []),
    ("tel 06-12345678", ["pii.phone"], ["06-12345678"]),
    ("bel +31 20 123 4567 of 0031612345678", ["pii.phone"] * 2, ["+31 20 123 4567", "0031612345678"]),
    ("phone +49 30 12345678", ["pii.phone"], ["+49 30 12345678"]),
    ("phone 0123456789", [], []),  # no such area code
    ("Kerkstraat 12, 1234 AB Amsterdam", ["pii.postcode"], ["Kerkstraat 12, 1234 AB"]),
    ("postcode 3511 LK 7", ["pii.postcode"], ["3511 LK 7"]),
    ("Geboortedatum: 12-03-1985", ["pii.date_of_birth"], ["12-03-1985"]),
    ("born 4 juli 1976 in Gouda", ["pii.date_of_birth"], ["4 juli 1976"]),
    ("Factuurdatum: 12-03-2024", [], []),
    ("geboren 31-02-1985", [], []),  # no such date
    ("Paspoort: NXC1B2DF3", ["pii.passport"], ["NXC1B2DF3"]),
    ("code NXC1B2DF3", [], []),  # no document words
    ("Rijbewijsnummer 5123456789", ["pii.drivers_license"], ["5123456789"]),
    ("PESEL 44051401359", ["pii.national_id"], ["44051401359"]),
    ("codice fiscale RCCMNL83S18D969H", ["pii.national_id"], ["RCCMNL83S18D969H"]),
    ("pesel 44051401358", [], []),
    ("client 84.241.22.7 connected", ["pii.ip_address"], ["84.241.22.7"]),
    ("nameserver 8.8.4.4 and 1.1.1.1", [], []),  # public resolvers name a service, not a person
    ("client 2a02:a46c:1::5 connected", ["pii.ip_address"], ["2a02:a46c:1::5"]),
    ("host 10.0.0.1 and 192.0.2.4 and ::1", [], []),
    ("row = data[1::2]; t = '12:30::5'", [], []),
    ("versie 4.4.8.8 uitgebracht", [], []),
    ("Patiënt Jan heeft diabetes", ["special.health"], ["diabetes"]),
    ("The /health check and diabetes research", [], []),
    ("Medewerker Eva is moslim", ["special.religion"], ["moslim"]),
    ("Kandidaat Ahmet heeft een strafblad", ["special.criminal"], ["strafblad"]),
    ("Employee Daan is a trade union member", ["special.trade_union"], ["trade union"]),
    ("Klant Lotte is lesbisch", ["special.sexual_orientation"], ["lesbisch"]),
    ("Van medewerker Jan is de vingerafdruk opgeslagen", ["special.biometric"], ["vingerafdruk"]),
    ("Sollicitant Fatima, Marokkaanse afkomst", ["special.ethnicity"], ["Marokkaanse afkomst"]),
    ("key AKIA2E0A8F3B244C9986 here", ["secret.aws_access_key"], ["AKIA2E0A8F3B244C9986"]),
    ("key AKIAIOSFODNN7EXAMPLE", [], []),  # the AWS documentation key is reported low
    # a sentence's period is not part of the value, so the generic net does not swallow the key id
    ("aws_access_key_id = AKIA2E0A8F3B244C9986.", ["secret.aws_access_key"], ["AKIA2E0A8F3B244C9986"]),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", [], []),
    ("aws_secret_access_key = 9dKq2vLm7pR4tW9vB3cY6zXw1Qa8Ns5Ue0Jh3Gf7", ["secret.aws_secret_key"],
     ["9dKq2vLm7pR4tW9vB3cY6zXw1Qa8Ns5Ue0Jh3Gf7"]),
    ("token ghp_Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5Ue0J", ["secret.github_token"],
     ["ghp_Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5Ue0J"]),
    ("GITLAB=glpat-Zx8Kq2LmN7pR4tW9vB3c", ["secret.gitlab_token"], ["glpat-Zx8Kq2LmN7pR4tW9vB3c"]),
    ("stripe sk_live_Zx8Kq2LmN7pR4tW9vB3cY6zX", ["secret.stripe_key"], ["sk_live_Zx8Kq2LmN7pR4tW9vB3cY6zX"]),
    # test-mode keys are alerts of low severity (they open the account's test mode)
    ("stripe sk_test_Zx8Kq2LmN7pR4tW9vB3cY6zX", ["secret.stripe_key"], ["sk_test_Zx8Kq2LmN7pR4tW9vB3cY6zX"]),
    ("MOLLIE_KEY=live_Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8N", ["secret.mollie_key"],
     ["live_Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8N"]),
    ("api_key = 'YOUR_API_KEY'", [], []),
    ("password = 'changeme'", [], []),
    ("password = \"Zx8Kq2LmN7pR\"", ["secret.password"], ["Zx8Kq2LmN7pR"]),
    ("DB_PASSWORD=s3cr3t!Vx", ["secret.password"], ["s3cr3t!Vx"]),
    ("password = os.environ['DB_PASSWORD']", [], []),
    ("self.password = password", [], []),
    ("url = mysql://app:Zx8Kq2LmN7@db.acme.nl/shop", ["secret.connection_string"],
     ["mysql://app:Zx8Kq2LmN7@db.acme.nl"]),
    ("url = postgres://app:${PGPASSWORD}@db/shop", [], []),
    ("client_secret = 'Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5'", ["secret.generic"],
     ["Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5"]),
    ("client_secret = Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5.", ["secret.generic"],
     ["Zx8Kq2LmN7pR4tW9vB3cY6zXw1Qa8Ns5"]),
    ("secret_key = settings.SECRET_KEY", [], []),
    ("checksum = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'", [], []),
    ("id = 'f47ac10b-58cc-4372-a567-0e02b2c3d479'", [], []),
    ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", [], []),
]


@pytest.mark.parametrize(("text", "types", "values"), CASES, ids=[c[0][:40] for c in CASES])
def test_detector_table(text: str, types: list[str], values: list[str]) -> None:
    found = [f for f in scan_text(text) if f.confidence >= ACTIONABLE]
    assert [f.type for f in found] == types
    assert [text[slice(*f.explanation["span"])] for f in found] == values
    for finding in found:
        assert all(value not in finding.evidence for value in values)
