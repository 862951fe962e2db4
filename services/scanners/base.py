"""The scanner interface: a scanner is a named object with a pure `scan(request, progress)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Progress = Callable[[float, str], None]
"""progress(percent 0-100, message). May raise ScanCancelledError when the job was cancelled."""

Request = dict[str, Any]
Result = dict[str, Any]


def no_progress(percent: float, message: str) -> None:
    """Progress sink for in-process calls that do not report progress."""


class Scanner(Protocol):
    """What every entry in the registry provides."""

    name: str

    def scan(self, request: Request, progress: Progress) -> Result:
        """Scan what `request` names and return a result shaped as in DESIGN.md."""
        ...
