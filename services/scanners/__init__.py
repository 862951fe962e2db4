"""The scanner registry: every scanner the platform knows, written out by hand.

Adding a scanner is one module in this package plus one line in `_FACTORIES`. Factories are
imported lazily so a worker only loads the dependencies of the scanner it runs.
"""

from __future__ import annotations

import importlib

from services.scanners.base import Scanner
from utils.errors import ScannerNotAvailableError

SCANNER_NAMES = (
    "code", "website", "ai_model", "document", "database",
    "image", "dpia", "soc2", "api", "report",
)

# name -> "module:ClassName". A name in SCANNER_NAMES but not here has a worker whose jobs fail
# with "scanner not available" until its module lands.
_FACTORIES: dict[str, str] = {
    "code": "services.scanners.code:CodeScanner",
    "diagnostic": "services.scanners.diagnostic:DiagnosticScanner",
    "document": "services.scanners.document:DocumentScanner",
    "dpia": "services.scanners.dpia:DpiaScanner",
    "report": "services.scanners.report:ReportScanner",
    "soc2": "services.scanners.soc2:Soc2Scanner",
}


def available_scanners() -> list[str]:
    """Names that have a scanner implementation."""
    return sorted(_FACTORIES)


def get_scanner(name: str) -> Scanner:
    """Return the scanner registered under `name`, or raise ScannerNotAvailableError."""
    target = _FACTORIES.get(name)
    if target is None:
        raise ScannerNotAvailableError(f"scanner not available: {name!r}")
    module_name, class_name = target.split(":")
    scanner: Scanner = getattr(importlib.import_module(module_name), class_name)()
    return scanner
