"""The words the website scanner reads pages by, in Dutch and English: consent buttons, cookie banners,
privacy-notice links and what a notice must name. Patterns of words, not of personal data (that is the
detection engine's)."""

from __future__ import annotations

import re

# first-layer buttons of a consent banner, matched against a button's whole accessible name
ACCEPT = re.compile(
    r"^\s*(alles?\s+accepteren|alle\s+cookies\s+(accepteren|toestaan)|accepteer(\s+alles|\s+alle\s+cookies)?"
    r"|accepteren|akkoord|ik\s+ga\s+akkoord|toestaan|alles\s+toestaan|ja,?\s+ik\s+accepteer"
    r"|accept(\s+all)?(\s+cookies)?|allow(\s+all)?(\s+cookies)?|agree|i\s+agree|got\s+it|ok(ay)?)\s*[.!]?\s*$",
    re.IGNORECASE)
REJECT = re.compile(
    r"^\s*(alles?\s+weigeren|alle\s+cookies\s+weigeren|weigeren|weiger(\s+alles)?|niet\s+akkoord"
    r"|alleen\s+(noodzakelijke|functionele|essenti[eë]le)(\s+cookies)?|noodzakelijke\s+cookies"
    r"|reject(\s+all)?(\s+cookies)?|decline(\s+all)?|deny(\s+all)?|refuse(\s+all)?"
    r"|(use\s+)?(only\s+)?(necessary|essential)(\s+cookies)?(\s+only)?)\s*[.!]?\s*$",
    re.IGNORECASE)
COOKIE_TEXT = re.compile(r"\bcookies?\b|toestemming|\bconsent\b|tracking", re.IGNORECASE)
# words in a link's text or address that point to a privacy notice or cookie policy
PRIVACY_LINK = re.compile(
    r"privacy|privacyverklaring|privacybeleid|privacyreglement|cookiebeleid|cookieverklaring|"
    r"cookie[-_ ]?policy|gegevensbescherming|data[-_ ]?protection|avg|gdpr", re.IGNORECASE)
# what Art. 13(1)(a) GDPR asks a notice to name: the controller, and how to reach it (or its DPO)
CONTROLLER = re.compile(
    r"verwerkingsverantwoordelijke|verantwoordelijke\s+voor\s+de\s+verwerking|\bcontroller\b|"
    r"\bkvk\b|kamer\s+van\s+koophandel|chamber\s+of\s+commerce|\bb\.v\.|\bn\.v\.|\bbv\b|"
    r"functionaris\s+gegevensbescherming|data\s+protection\s+officer|\bwij\s+zijn\b|\bwe\s+are\b",
    re.IGNORECASE)
CONTACT = re.compile(r"@[\w-]+\.\w+|mailto:|contact|telefoon|phone|bel\s+ons|e-?mail", re.IGNORECASE)
# form fields that collect personal data (by name, id, type or autocomplete)
PERSONAL_FIELD = re.compile(
    r"e-?mail|naam|name|telefoon|phone|tel\b|adres|address|postcode|zip|geboorte|birth|bsn|iban|"
    r"password|wachtwoord|bericht|message", re.IGNORECASE)
PERSONAL_INPUT_TYPES = frozenset({"email", "tel", "password"})
