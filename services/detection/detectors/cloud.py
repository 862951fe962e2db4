"""Google Cloud and Azure credentials (AWS has its own module)."""

from __future__ import annotations

import re

from services.detection.detector import Detector

GCP_SA = re.compile(r"\"private_key_id\"\s*:\s*\"(?P<value>[a-f0-9]{40})\"")
GCP_API_KEY = re.compile(r"(?<![\w-])(?P<value>AIza[0-9A-Za-z_-]{35})(?![\w-])")
AZURE_STORAGE = re.compile(r"(?i)AccountKey\s*=\s*(?P<value>[A-Za-z0-9+/]{86}==)")
# Azure AD client secrets since 2022: three characters, a digit, "Q~", then 31-34 characters
AZURE_CLIENT_SECRET = re.compile(r"(?<![\w~.-])(?P<value>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})"
                                 r"(?![\w~.-])")

DETECTORS = (
    Detector("secret.gcp_service_account", GCP_SA, keywords=("private_key_id",), context=("service_account",),
             check="service-account JSON key id", confidence=0.95, context_confidence=0.99,
             window=400, name="gcp_service_account"),
    Detector("secret.gcp_api_key", GCP_API_KEY, keywords=("aiza",), check="Google API key prefix and length",
             confidence=0.9, name="gcp_api_key"),
    Detector("secret.azure_storage_key", AZURE_STORAGE, keywords=("accountkey",),
             check="Azure storage AccountKey of 88 base64 characters", confidence=0.95,
             name="azure_storage_key"),
    Detector("secret.azure_client_secret", AZURE_CLIENT_SECRET, keywords=("q~",),
             check="Azure AD client-secret format (Q~ marker)", confidence=0.9, name="azure_client_secret"),
)
