"""Context rules shared by all detectors: placeholders and fixtures, and inline `dg:ignore` markers."""

from __future__ import annotations

import re

DOWNGRADED_CONFIDENCE = 0.3  # below the 0.5 at which a finding counts as actionable

# values people put where a real secret will go; these are reported low, never high
_PLACEHOLDER = re.compile(
    r"(?i)(your|my|insert|replace|enter|put)[_\-. ]?\w*(key|token|secret|password|here)"
    r"|changeme|change_me|placeholder|redacted|dummy|example|sample|fake|foobar|lorem"
    r"|^x{3,}$|x{6,}|\*{3,}|^<.*>$|^\$\{.*\}$|^\{\{.*\}\}$|^%\(.*\)s$|^(.)\1{7,}$|0123456789|123456789"
    r"|abcdef(gh|ghij)"
)
# said next to a value (not inside it: random keys contain "test" by chance often enough)
_FIXTURE_WORDS = re.compile(r"\b(?:example|examples|dummy|fake|sample|placeholder|mock|fixture|voorbeeld|nep"
                            r"|testing|test)\b|not a real|\btest_|_test\b", re.IGNORECASE)
_TEST_MODE = re.compile(r"^(?:sk|rk|pk)_test_|^test_")
# well-known test card numbers published by payment providers
_TEST_CARDS = frozenset({"4111111111111111", "4242424242424242", "5555555555554444", "378282246310005",
                         "4000056655665556", "5105105105105100", "4012888888881881", "371449635398431"})


def downgrade_reasons(kind: str, value: str, around: str) -> tuple[str, ...]:
    """Why a hit is a placeholder or fixture rather than a live value (empty when it is not).

    `around` is the text on both sides of the value, without the value itself.
    """
    reasons: list[str] = []
    if kind.startswith("secret."):
        if _PLACEHOLDER.search(value):
            reasons.append("value looks like a placeholder")
        elif _TEST_MODE.search(value):
            reasons.append("test-mode key")
        elif _FIXTURE_WORDS.search(around):
            reasons.append("example or test fixture nearby")
    elif kind == "pii.credit_card" and "".join(ch for ch in value if ch.isdigit()) in _TEST_CARDS:
        reasons.append("published test card number")
    return tuple(reasons)


_IGNORE = re.compile(r"dg:ignore(?:\[(?P<types>[\w.,\s-]+)\])?")


def ignore_applies(line: str, kind: str) -> bool:
    """True when the line's `dg:ignore` (optionally `dg:ignore[type,category]`) covers `kind`."""
    for match in _IGNORE.finditer(line):
        listed = match.group("types")
        if listed is None:
            return True
        names = {name.strip() for name in listed.split(",")}
        if kind in names or kind.split(".", 1)[0] in names:
            return True
    return False
