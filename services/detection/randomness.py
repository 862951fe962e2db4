"""Does a value look randomly generated for its alphabet and length? (keys yes, words and fillers no)

A fixed entropy limit (detect-secrets' 4.5 bits per character) misjudges by length and alphabet: a
random 32-character key of lowercase letters and digits has about 4.3 bits per character and fails
it half the time, a 32-character hex key has about 3.6 and always fails it. Here the yardstick is
what a random string of the same length over the same alphabet has on average (computed exactly
from the binomial occupancy of each symbol), less a margin: a random key passes about 99 times in a
hundred, while words, repeated fillers (`xxxx`, `1231231…`) and counters fall well below it.
"""

from __future__ import annotations

import functools
import math
from collections import Counter

HEX = frozenset("0123456789abcdef")
HEX_UPPER = frozenset("0123456789ABCDEF")
SYMBOLS_ASSUMED = 4  # a generated key with symbols draws them from a few: - _ . + / = ~
DEFAULT_MARGIN = 0.5  # bits below the random average: ~3 standard deviations for keys of 16-64 characters


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def alphabet_size(value: str) -> int:
    """Size of the alphabet the value was most likely drawn from (hex, digits, letters, symbols)."""
    chars = set(value)
    if chars <= HEX or chars <= HEX_UPPER:
        return 10 if chars <= set("0123456789") else 16
    size = 0
    size += 10 if any(c.isdigit() for c in chars) else 0
    size += 26 if any(c.islower() for c in chars) else 0
    size += 26 if any(c.isupper() for c in chars) else 0
    size += SYMBOLS_ASSUMED if any(not c.isalnum() for c in chars) else 0
    return max(size, 2)


@functools.lru_cache(maxsize=4096)
def expected_entropy(length: int, alphabet: int) -> float:
    """Mean Shannon entropy (bits per character) of `length` characters drawn uniformly from `alphabet`."""
    p = 1.0 / alphabet
    # E[sum_c n_c log2 n_c] = alphabet * sum_k P(Binomial(length, p) = k) * k log2 k
    total = 0.0
    for k in range(2, length + 1):
        log_pmf = (math.lgamma(length + 1) - math.lgamma(k + 1) - math.lgamma(length - k + 1)
                   + k * math.log(p) + (length - k) * math.log1p(-p))
        weight = math.exp(log_pmf)
        if weight < 1e-12 and k > length * p:
            break
        total += weight * k * math.log2(k)
    return math.log2(length) - alphabet * total / length


# separators between groups of a formatted key (UUIDs, `<hex>-<hex>` pairs, `$`-joined parts)
_SEPARATORS = str.maketrans("", "", "-_.:$")


def looks_random(value: str, margin: float = DEFAULT_MARGIN) -> bool:
    """True when the value's entropy is within `margin` bits of a random value of its length and alphabet.

    Hex groups joined by separators (`ab12…-9f3e…`, a UUID) are judged as the hex they are: the few
    separators would otherwise make the alphabet look like letters-and-symbols and no hex key passes."""
    core = value.translate(_SEPARATORS)
    if core != value and core and (set(core) <= HEX or set(core) <= HEX_UPPER):
        value = core
    if len(value) < 8:
        return False
    return entropy(value) >= expected_entropy(len(value), alphabet_size(value)) - margin
