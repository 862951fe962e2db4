"""The API scanner (issue #18): personal data exposed through an HTTP API, and the ways it gets out.

spec.py reads the OpenAPI document, client.py sends every request (the safe-method rule, budget and
pace in one place), checks.py judges responses, scanner.py runs a scan, options.py reads the request.
`ApiScanner` is imported on first use: the submission side imports options.py alone (to keep the
credentials apart) and must not pay for the detection engine.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ApiScanner"]


def __getattr__(name: str) -> Any:
    if name == "ApiScanner":
        from services.scanners.api.scanner import ApiScanner

        return ApiScanner
    raise AttributeError(name)
