"""Shared detection engine: PII, secret and special-category detectors, validators and masking.

`scan_text` and `scan_lines` are the public entry points; finding types are listed in `types`.
"""

from services.detection.engine import scan_lines, scan_stream, scan_text

__all__ = ["scan_lines", "scan_stream", "scan_text"]
