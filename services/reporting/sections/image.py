"""The image scanner's report section: per picture, what was found and a preview of its redacted copy.

Only the redacted preview a scan put in its result is drawn (faces pixelated, detected text boxed,
no metadata); the original picture is never opened here, even when its path is readable.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, Image, Spacer

from services.reporting.sections import SectionKit
from services.scanners.image.redaction import preview_bytes

MAX_ROWS = 200  # pictures listed per result; the findings table of the report lists every finding
PREVIEW_PT = 72.0  # one inch: enough to recognise the picture and see what was hidden
MAX_PATH_CHARS = 120

LABELS = {
    "en": {"heading": "Pictures", "intro": "{images} pictures read; {faces} with faces, {gps} with a GPS "
                                          "position, {text} with personal data in their text. Previews show "
                                          "the redacted copy (faces pixelated, detected text boxed, metadata "
                                          "removed), never the original.",
           "picture": "Picture", "found": "Found", "preview": "Redacted preview", "nothing": "nothing",
           "no_preview": "no preview", "thumbnail": "the embedded thumbnail shows another picture",
           "more": "{count} more pictures are not listed here"},
    "nl": {"heading": "Afbeeldingen", "intro": "{images} afbeeldingen gelezen; {faces} met gezichten, {gps} "
                                              "met een GPS-positie, {text} met persoonsgegevens in de tekst. "
                                              "De voorbeelden tonen de geredigeerde kopie (gezichten "
                                              "gepixeld, gevonden tekst afgedekt, metadata verwijderd), "
                                              "nooit het origineel.",
           "picture": "Afbeelding", "found": "Gevonden", "preview": "Geredigeerd voorbeeld",
           "nothing": "niets", "no_preview": "geen voorbeeld",
           "thumbnail": "de ingesloten miniatuur toont een andere afbeelding",
           "more": "{count} andere afbeeldingen staan hier niet"},
}


def flowables(results: Sequence[dict[str, Any]], kit: SectionKit) -> list[Flowable]:
    """The section for every image-scan result in the report (none when no result has its section:
    an exported result keeps only its findings, which the findings tables show)."""
    if not any(_rows(result) for result in results):
        return []
    story: list[Flowable] = [kit.heading(kit.text(LABELS, "heading"))]
    for result in results:
        rows = _rows(result)
        if not rows:
            continue
        found = _found_per_picture(result)
        story.append(kit.p(kit.text(LABELS, "intro", **_totals(rows, found))))
        table_rows = [_row(row, found.get(str(row.get("path")), Counter()), kit) for row in rows[:MAX_ROWS]]
        if table_rows:
            story.append(kit.table([kit.text(LABELS, "picture"), kit.text(LABELS, "found"),
                                    kit.text(LABELS, "preview")], table_rows, (0.38, 0.40, 0.22)))
        if len(rows) > MAX_ROWS:
            story.append(kit.p(kit.text(LABELS, "more", count=len(rows) - MAX_ROWS), "Small"))
        story.append(Spacer(1, 8))
    return story


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    section = result.get("image")
    images = section.get("images") if isinstance(section, dict) else None
    return [row for row in images if isinstance(row, dict)] if isinstance(images, list) else []


def _found_per_picture(result: dict[str, Any]) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = {}
    for finding in result.get("findings") or []:
        if not isinstance(finding, dict) or not isinstance(finding.get("location"), dict):
            continue
        path = str(finding["location"].get("path"))
        found.setdefault(path, Counter())[str(finding.get("type"))] += 1
    return found


def _totals(rows: list[dict[str, Any]], found: dict[str, Counter[str]]) -> dict[str, int]:
    def having(test: Any) -> int:
        return sum(1 for row in rows if test(found.get(str(row.get("path")), Counter())))

    return {"images": len(rows), "faces": having(lambda c: c["image.face"]),
            "gps": having(lambda c: c["image.gps_location"]),
            "text": having(lambda c: any(t.split(".")[0] in ("pii", "secret", "special") for t in c))}


def _row(row: dict[str, Any], counts: Counter[str], kit: SectionKit) -> list[object]:
    path = str(row.get("path") or "")
    shown = path if len(path) <= MAX_PATH_CHARS else "…" + path[-MAX_PATH_CHARS:]
    found = ", ".join(f"{kind} x{count}" for kind, count in sorted(counts.items()))
    found = found or kit.text(LABELS, "nothing")
    if row.get("thumbnail") == "differs":
        found += "; " + kit.text(LABELS, "thumbnail")
    return [shown, found, _preview(row.get("preview")) or kit.text(LABELS, "no_preview")]


def _preview(data_url: object) -> Image | None:
    data = preview_bytes(data_url)
    if data is None:
        return None
    drawn = Image(io.BytesIO(data))
    scale = min(PREVIEW_PT / drawn.imageWidth, PREVIEW_PT / drawn.imageHeight)
    drawn.drawWidth, drawn.drawHeight = drawn.imageWidth * scale, drawn.imageHeight * scale
    return drawn
