"""The report sections scanners draw themselves: a website's consent table, a database's map, ...

A scanner's declaration names its section as `report_section = "module:function"`; the function is
`flowables(results, kit) -> list[Flowable]`, given every result of that scanner in the report (in the
report's order) and a `SectionKit`. The report draws the sections in the registry's order, after the
DPIA and before the findings. A section that fails to draw is left out with a line saying so, rather
than failing the whole report: the findings, score and articles still stand.

A result given to the report is input: a section reads its fields defensively (types, lengths), escapes
every string (kit.p, kit.table) and embeds only images that lie in the report job's own scope (kit.image).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, Image, Paragraph, Table

from services.inputs.paths import in_scope
from services.reporting.i18n import Labels
from services.reporting.layout import BODY_WIDTH, paragraph, table
from services.scope import current_scope

logger = logging.getLogger(__name__)

SectionBuilder = Callable[[Sequence[dict[str, Any]], "SectionKit"], list[Flowable]]
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")  # what reportlab draws and our scanners write
MAX_IMAGE_BYTES = 8 * 1024 * 1024  # an evidence screenshot or thumbnail; larger is not ours


@dataclass(frozen=True)
class SectionKit:
    """What a section needs to draw in the report's language and style."""

    labels: Labels
    styles: StyleSheet1
    body_width: float = BODY_WIDTH

    @property
    def language(self) -> str:
        """"en" or "nl"."""
        return self.labels.language

    def p(self, text: object, style: str = "Body") -> Paragraph:
        """An escaped paragraph in one of the report's styles (Body, Small, Cell, H1, H2, Intro)."""
        return paragraph(text, self.styles[style])

    def heading(self, text: object, level: int = 1) -> Paragraph:
        """A section (1) or sub-section (2) heading."""
        return paragraph(text, self.styles["H1" if level == 1 else "H2"])

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float]) -> Table:
        """A findings-style table; `widths` are fractions of the body width."""
        return table(header, rows, widths, self.styles)

    def text(self, own: Mapping[str, Mapping[str, str]], key: str, **values: object) -> str:
        """A label of the section's own table ({"en": {...}, "nl": {...}}), filled with `values`."""
        texts = own.get(self.language) or own["en"]
        text = texts.get(key, own["en"][key])
        return text.format(**values) if values else text

    def image(self, path: object, width: float, height: float) -> Image | None:
        """A PNG or JPEG the report's scope may read, fitted into width x height points; else None.

        The path comes from a result, which is input: a path outside the job's own files (another
        organisation's evidence, a server file) is never drawn.
        """
        if not isinstance(path, str) or not path or "\x00" in path or len(path) > 4096:
            return None
        resolved = Path(path).resolve()
        if resolved.suffix.lower() not in IMAGE_SUFFIXES or not in_scope(resolved, current_scope()):
            logger.warning("report: an evidence image outside the report's scope was left out")
            return None
        if not resolved.is_file() or resolved.stat().st_size > MAX_IMAGE_BYTES:
            return None
        drawn = Image(str(resolved))
        scale = min(width / drawn.imageWidth, height / drawn.imageHeight, 1.0)
        drawn.drawWidth, drawn.drawHeight = drawn.imageWidth * scale, drawn.imageHeight * scale
        return drawn


def scanner_sections(results: Sequence[dict[str, Any]], labels: Labels,
                     styles: StyleSheet1) -> list[Flowable]:
    """Every declared section of the scanners that have results here, in the registry's order."""
    from services.scanners import declarations  # the registry imports no reporting: no cycle
    from services.scanners.declaration import load_attribute

    kit = SectionKit(labels, styles)
    story: list[Flowable] = []
    for name, declared in declarations().items():
        own = [r for r in results if r.get("scanner") == name]
        if not own or not declared.report_section:
            continue
        builder: SectionBuilder = load_attribute(declared.report_section)
        try:
            story += builder(own, kit)
        except (KeyError, TypeError, ValueError, AttributeError, OSError) as error:
            logger.warning("report: the %s section could not be drawn (%s)", name, type(error).__name__)
            story.append(kit.p(f"[{name}: section left out, its result could not be read]", "Small"))
    return story

