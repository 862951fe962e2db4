"""High-entropy values assigned to secret-like names (the net under the specific detectors)."""

from __future__ import annotations

import math
import re
from collections import Counter

from services.detection.detector import Detector

TYPE = "secret.generic"
PATTERN = re.compile(
    r"(?i)(?<![\w.-])[\w.-]*(?:secret|token|api[_-]?key|apikey|auth[_-]?key|access[_-]?key|private[_-]?key"
    r"|signing[_-]?key|client[_-]?secret|credentials?)[\w.-]*[\"']?\s*(?::=|=>|=|:)\s*[\"']?"
    r"(?P<value>[A-Za-z0-9+/=_.~-]{15,255}[A-Za-z0-9+/=_~-])(?![\w+/=~-]|\.[\w+/=~-])"
)  # a period after the value ends the sentence: it is not part of the value
# detect-secrets' defaults: base64 above 4.5 bits per character, hex above 3.0
BASE64_LIMIT = 4.5
HEX_LIMIT = 3.0
_HEX = re.compile(r"^[0-9a-fA-F]+$")


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def validate(value: str) -> bool:
    """Random-looking: above the entropy limit for its alphabet, with digits among letters."""
    if not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return False
    if _HEX.match(value):
        return entropy(value) > HEX_LIMIT
    # a shorter value cannot reach 4.5 bits per character (a 32-character random key has about
    # 4.4), so the limit scales with the most a value of that length could have
    return entropy(value) > min(BASE64_LIMIT, math.log2(len(value)) * 0.85)


DETECTORS = (
    Detector(TYPE, PATTERN, keywords=("secret", "token", "key", "credential"), validate=validate,
             check="high-entropy value assigned to a secret-like name", confidence=0.7, priority=9,
             name="generic_high_entropy"),
)
