"""The detectors the engine runs, written out by hand like presidio's recognizer list.

Overlaps are resolved by span in the engine: the longer hit wins, and on an identical span the
detector with the lower `priority` (specific formats before generic entropy). OCR_DETECTORS are the
OCR-tolerant variants (services/detection/ocr.py), added only when the text was read by OCR.
"""

from __future__ import annotations

import functools

from services.detection.detector import Detector
from services.detection.detectors import (
    ai,
    auth_lines,
    aws,
    bsn,
    cloud,
    code_hosting,
    code_privacy,
    credit_card,
    databases,
    date_of_birth,
    email,
    eu_payments,
    generic,
    iban,
    identity_document,
    ip_address,
    jwt,
    messaging,
    national_id,
    observability,
    password,
    payments,
    phone,
    postcode,
    private_key,
    registries,
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
    # secrets, by family (vendors without a type of their own report secret.generic: detectors/vendor.py)
    *aws.DETECTORS,
    *cloud.DETECTORS,
    *code_hosting.DETECTORS,
    *registries.DETECTORS,
    *saas.DETECTORS,
    *messaging.DETECTORS,
    *eu_payments.DETECTORS,
    *payments.DETECTORS,
    *observability.DETECTORS,
    *ai.DETECTORS,
    *databases.DETECTORS,
    *private_key.DETECTORS,
    *jwt.DETECTORS,
    *auth_lines.DETECTORS,
    *password.DETECTORS,
    *generic.DETECTORS,
    # privacy findings about code (selected with kinds={"code"})
    *code_privacy.DETECTORS,
)


OCR_DETECTORS: tuple[Detector, ...] = (
    *aws.OCR_DETECTORS,
    *cloud.OCR_DETECTORS,
    *code_hosting.OCR_DETECTORS,
    *saas.OCR_DETECTORS,
    *eu_payments.OCR_DETECTORS,
    *private_key.OCR_DETECTORS,
    *jwt.OCR_DETECTORS,
    *password.OCR_DETECTORS,
)


@functools.lru_cache(maxsize=64)
def detectors_for(kinds: frozenset[str], ocr: bool = False) -> tuple[Detector, ...]:
    """The detectors whose type `kinds` selects (categories such as "pii" or full type names).

    With `ocr` (text read from an image) the OCR-tolerant variants of those types come too.
    """
    pool = ALL_DETECTORS + OCR_DETECTORS if ocr else ALL_DETECTORS
    return tuple(d for d in pool if selected(d.type, kinds))
