"""E-mail addresses; reserved example and test domains are not personal data."""

from __future__ import annotations

import re

from services.detection import masking
from services.detection.detector import Detector

TYPE = "pii.email"
PATTERN = re.compile(
    # after "user:" in a URL the part before @ is a password, not a mailbox (mailto: excepted)
    r"(?:(?<=mailto:)|(?<![\w.+:/%-]))(?P<value>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24})(?![\w@-])"
)
KEYWORDS = ("@",)
# RFC 2606 / 6761 reserved names and no-reply mailboxes
_NOT_PERSONAL_DOMAINS = re.compile(
    r"(?:^|\.)(?:example\.(?:com|org|net|nl)|example|test|invalid|localhost|local)$", re.IGNORECASE)
# role mailboxes of organisations identify no person
_ROLE = re.compile(r"^(?:info|noreply|no-reply|support|sales|admin|contact|privacy|helpdesk|service|team"
                   r"|hello|office|webmaster|postmaster|abuse|billing|facturen|factuur|klantenservice|receptie"
                   r"|security|hr|jobs|vacatures|marketing|dpo|fg)@", re.IGNORECASE)
_IMAGE_SUFFIX = re.compile(r"\.(?:png|jpe?g|gif|svg|webp)$", re.IGNORECASE)  # logo@2x.png


def validate(value: str) -> bool:
    """Not a reserved domain, not a role mailbox, not an image file name, no doubled dots."""
    domain = value.rpartition("@")[2]
    return not (_NOT_PERSONAL_DOMAINS.search(domain) or _ROLE.match(value) or _IMAGE_SUFFIX.search(value)
                or ".." in value)


DETECTORS = (
    Detector(TYPE, PATTERN, keywords=KEYWORDS, validate=validate, check="address syntax, non-reserved domain",
             confidence=0.95, context_confidence=0.95, mask=masking.mask_email, name="email"),
)
