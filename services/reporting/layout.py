"""The report's page geometry and the two building blocks every section uses: escaped paragraphs and
findings-style tables. Shared by pdf.py and the scanners' own sections (services/reporting/sections/)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from services.reporting.charts import ACCENT

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 1.8 * cm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
LIGHT = colors.HexColor("#eef2f7")


def paragraph(text: object, style: ParagraphStyle) -> Paragraph:
    """`text` as a paragraph, XML-escaped: a file name or evidence string cannot inject markup."""
    return Paragraph(escape(str(text)), style)


def table(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
          styles: StyleSheet1) -> Table:
    """A findings-style table: bold coloured header repeated on each page, zebra rows, wrapped cells.

    `widths` are fractions of the body width; a cell that is not already a Flowable is escaped text.
    """
    data = [[paragraph(h, styles["HeadCell"]) for h in header]]
    data += [[c if isinstance(c, Flowable) else paragraph(c, styles["Cell"]) for c in row] for row in rows]
    result = Table(data, colWidths=[w * BODY_WIDTH for w in widths], repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d1d5db")),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("BACKGROUND", (0, i), (-1, i), LIGHT) for i in range(2, len(data), 2)]
    result.setStyle(TableStyle(commands))
    return result
