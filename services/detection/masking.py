"""Masking: the only way a detected value becomes evidence. Raw values never leave a detector.

Short values are masked entirely; longer ones keep a few characters at each end so a person can
recognise which key or number is meant (`AKIA************WXYZ`, `1234****`).
"""

from __future__ import annotations

MASK_CHAR = "*"
MIN_LENGTH_TO_REVEAL = 8  # below this, any revealed character is too large a share of the value


def mask(value: str, *, keep_start: int = 4, keep_end: int = 4) -> str:
    """Mask `value`, keeping at most `keep_start` leading and `keep_end` trailing characters."""
    text = value.strip()
    if len(text) < MIN_LENGTH_TO_REVEAL:
        return MASK_CHAR * len(text)
    # never reveal more than a third of the value
    budget = len(text) // 3
    start = min(keep_start, budget)
    end = min(keep_end, budget - start)
    hidden = len(text) - start - end
    return text[:start] + MASK_CHAR * hidden + (text[-end:] if end else "")


def mask_email(value: str) -> str:
    """Mask an e-mail address keeping the first letter of the local part and the domain."""
    local, _, domain = value.partition("@")
    if not domain:
        return mask(value)
    return f"{local[:1]}{MASK_CHAR * max(3, len(local) - 1)}@{domain}"
