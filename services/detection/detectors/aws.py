"""AWS access key ids and secret access keys."""

from __future__ import annotations

import string

from services.detection import ocr
from services.detection.detector import Detector
from services.detection.detectors.vendor import UUID, assigned, token, uuid_random
from services.detection.patterns import lazy_regex
from services.results import Severity

KEY_ID_TYPE = "secret.aws_access_key"
SECRET_TYPE = "secret.aws_secret_key"
KEY_ID = lazy_regex(r"(?<![A-Z0-9])(?P<value>(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA|AIPA|ANPA|ANVA|APKA"
                    r"|A3T[A-Z0-9])"
                    r"[A-Z0-9]{16})(?![A-Z0-9])")
# a 40-character base64 value assigned to a name that says it is the AWS secret: `aws` and `secret` in it,
# or AWS's own term "secret access key" (IAM's name for it, the credentials file's `aws_secret_access_key`,
# the SDKs' `SecretAccessKey`/`secretAccessKey`), which names no other vendor's key even without `aws`
# (`ses_secret_access_key:` under an `aws:` section)
SECRET = lazy_regex(r"(?i)(?:aws.{0,20}?(?:secret|private)|secret[_.-]?access[_.-]?key).{0,20}?[\"':=\s]{1,5}"
                    r"(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")


# as read by OCR: the name may have spaces for underscores, the 40 characters look-alikes and spaces
OCR_SECRET = lazy_regex(r"(?i)aws.{0,20}?(?:secret|private).{0,20}?[\"':=\s]{1,5}"
                        rf"(?P<value>{ocr.spaced(ocr.BASE64, 40, 40)})")


def valid_secret(value: str) -> bool:
    """Mixed-case base64: a hash in hex or all-lowercase text is not an AWS secret."""
    return any(c.isupper() for c in value) and any(c.islower() for c in value)


DETECTORS = (
    Detector(KEY_ID_TYPE, KEY_ID, vendor="AWS", keywords=("akia", "asia", "abia", "acca", "aida", "aroa",
                                                          "aipa", "anpa", "anva", "apka", "a3t"),
             check="AWS key-id prefix and length", confidence=0.95, name="aws_access_key_id"),
    Detector(SECRET_TYPE, SECRET, keywords=("aws", "access"), vendor="AWS", validate=valid_secret,
             check="40-char base64 after an AWS secret name", confidence=0.9, name="aws_secret_access_key"),
    # temporary credentials: the session token that goes with an ASIA key id (long base64)
    assigned("AWS", "aws_session_token", ("aws_session_token", "aws_security_token", "awssessiontoken",
                                          "x-amz-security-token"),
             r"[A-Za-z0-9/+]{100,1200}={0,2}", severity=Severity.HIGH, margin=0.8),
    token("Amazon MWS", "amazon_mws_token", ("amzn.mws.",), UUID, validate=lambda v: uuid_random(v[9:]),
          severity=Severity.CRITICAL),
    # Bedrock long-term API keys: base64 of "BedrockAPIKey-" and the key
    token("AWS Bedrock", "aws_bedrock_api_key", ("ABSKQmVkcm9ja0FQSUtleS",), r"[A-Za-z0-9+/]{40,400}={0,2}",
          severity=Severity.CRITICAL),
)


def _ocr_secret(value: str) -> bool:
    return ocr.length_within(value, 40, 40) and ocr.mostly(value, ocr.BASE64) and valid_secret(value)


OCR_DETECTORS = (
    ocr.tolerant(KEY_ID_TYPE, ocr.fuzzy("AKIA"), "AKIA", string.ascii_uppercase + string.digits, 16, 16,
                 before="(?<![A-Z0-9])", check="AWS key-id prefix and length", confidence=0.85,
                 name="aws_access_key_id"),
    Detector(SECRET_TYPE, OCR_SECRET, keywords=("aws",), validate=_ocr_secret, repair=ocr.joined,
             check="40-char base64 after an AWS secret name, as read by OCR", confidence=0.85,
             name="aws_secret_access_key_ocr", ocr=True, priority=1),
)
