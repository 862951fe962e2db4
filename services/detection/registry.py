"""The detectors the engine runs, written out by hand like presidio's recognizer list.

Order matters only for explanations; overlaps are resolved by span in the engine.
"""

from __future__ import annotations

import functools

from services.detection.detector import Detector
from services.detection.detectors import aws, bsn, email, iban
from services.detection.types import selected

ALL_DETECTORS: tuple[Detector, ...] = (
    *bsn.DETECTORS,
    *iban.DETECTORS,
    *email.DETECTORS,
    *aws.DETECTORS,
)


@functools.lru_cache(maxsize=64)
def detectors_for(kinds: frozenset[str]) -> tuple[Detector, ...]:
    """The detectors whose type `kinds` selects (categories such as "pii" or full type names)."""
    return tuple(d for d in ALL_DETECTORS if selected(d.type, kinds))
