"""A sixth scanner declared outside the registry's own file, as an operator's or a test's would be.

Registered by naming it in DG_EXTRA_SCANNERS (`tests.scanners.tiny:TINY`); nothing registers itself by
being imported. It reads one text field through the detection engine, so its findings are real ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable

from services.detection import scan_text
from services.reporting.sections import SectionKit
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
    view="tests.scanners.tiny:render_tiny", report_section="tests.scanners.tiny:tiny_section",
)

# a scanner declared before it is built: every door refuses it with the same words, and no worker starts
LATER = ScannerDeclaration(
    name="later", label="Later", summary="a scanner declared before it is built", implementation=None,
    plans=("free", "starter", "professional", "enterprise"),
    fields=(Field("path", "path", "A file", required=True),),
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
        result = build_result(self.name, findings, started_at=started_at, items_scanned=1,
                              bytes_scanned=len(str(request["text"]).encode()))
        result["tiny"] = {"words": len(str(request["text"]).split())}
        return result


LABELS = {"en": {"heading": "Tiny section", "words": "{n} words read"},
          "nl": {"heading": "Kleine sectie", "words": "{n} woorden gelezen"}}


def tiny_section(results: Sequence[dict[str, Any]], kit: SectionKit) -> list[Flowable]:
    """The tiny scanner's own report section: words read per result, and an evidence image if named."""
    story: list[Flowable] = [kit.heading(kit.text(LABELS, "heading"))]
    for result in results:
        section = result.get("tiny") or {}
        story.append(kit.p(kit.text(LABELS, "words", n=int(section.get("words") or 0))))
        image = kit.image(section.get("image"), 4 * 72, 3 * 72)
        story.append(image if image is not None else kit.p("no image", "Small"))
    return story


def render_tiny(result: dict[str, Any]) -> None:
    """The tiny scanner's own UI view."""
    import streamlit as st

    st.subheader("Tiny section")
    st.write(f"{int((result.get('tiny') or {}).get('words') or 0)} words read")
