"""The detectors the engine runs, written out by hand like presidio's recognizer list.

Overlaps are resolved by span in the engine: the longer hit wins, and on an identical span the
detector with the lower `priority` (specific formats before generic entropy).
"""

from __future__ import annotations

import functools

from services.detection.detector import Detector
from services.detection.detectors import (
    aws,
    bsn,
    cloud,
    code_hosting,
    code_privacy,
    credit_card,
    date_of_birth,
    email,
    eu_payments,
    generic,
    iban,
    identity_document,
    ip_address,
    jwt,
    national_id,
    password,
    phone,
    postcode,
    private_key,
    saas,
    special,
)
from services.detection.types import selected

ALL_DETECTORS: tuple[Detector, ...] = (
    # personal data
    *bsn.DETECTORS,
    *iban.DETECTORS,
    *credit_card.DETECTORS,
    *email.DETECTORS,
    *phone.DETECTORS,
    *postcode.DETECTORS,
    *date_of_birth.DETECTORS,
    *identity_document.DETECTORS,
    *national_id.DETECTORS,
    *ip_address.DETECTORS,
    # special categories
    *special.DETECTORS,
    # secrets
    *aws.DETECTORS,
    *cloud.DETECTORS,
    *code_hosting.DETECTORS,
    *saas.DETECTORS,
    *eu_payments.DETECTORS,
    *private_key.DETECTORS,
    *jwt.DETECTORS,
    *password.DETECTORS,
    *generic.DETECTORS,
    # privacy findings about code (selected with kinds={"code"})
    *code_privacy.DETECTORS,
)


@functools.lru_cache(maxsize=64)
def detectors_for(kinds: frozenset[str]) -> tuple[Detector, ...]:
    """The detectors whose type `kinds` selects (categories such as "pii" or full type names)."""
    return tuple(d for d in ALL_DETECTORS if selected(d.type, kinds))
