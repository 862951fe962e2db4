"""A sixth scanner declared outside the registry's own file, as an operator's or a test's would be.

Registered by naming it in DG_EXTRA_SCANNERS (`tests.scanners.tiny:TINY`); nothing registers itself by
being imported. It reads one text field through the detection engine, so its findings are real ones.
"""

from __future__ import annotations

from services.detection import scan_text
from services.results import build_result, utc_now_iso
from services.scanners.base import Progress, Request, Result
from services.scanners.declaration import Field, Requirement, ScannerDeclaration

TINY = ScannerDeclaration(
    name="tiny", label="Tiny", submit_label="Start tiny scan", plans=("free", "starter", "professional",
                                                                        "enterprise"),
    summary="personal data in one line of text, for the registry's tests",
    implementation="tests.scanners.tiny:TinyScanner",
    fields=(Field("text", "text", "Text to scan", "one line", required=True),),
    options=(Field("shout", "bool", "Shout the progress"),),
)

# the same scanner needing a program no machine has: declared, but never available
NEEDY = ScannerDeclaration(
    name="needy", label="Needy", summary="a scanner whose program this machine lacks",
    implementation="tests.scanners.tiny:TinyScanner", plans=("enterprise",),
    fields=(Field("text", "text", "Text to scan", required=True),),
    requires=(Requirement("executable", "dg-no-such-program"),),
)


class TinyScanner:
    """Finds personal data in `text`."""

    name = "tiny"

    def scan(self, request: Request, progress: Progress) -> Result:
        """The engine's findings in the request's text."""
        started_at = utc_now_iso()
        shout = bool((request.get("options") or {}).get("shout"))
        progress(50.0, "SCANNING" if shout else "scanning")
        findings = scan_text(str(request["text"]), path="text")
        return build_result(self.name, findings, started_at=started_at, items_scanned=1,
                            bytes_scanned=len(str(request["text"]).encode()))
