"""The API scanner (issue #18): personal data exposed through an HTTP API, and the ways it gets out.

spec.py reads the OpenAPI document, client.py sends every request (the safe-method rule, budget and
pace in one place), checks.py judges responses, scanner.py runs a scan, options.py reads the request.
"""

from services.scanners.api.scanner import ApiScanner

__all__ = ["ApiScanner"]
