"""The report's fonts: a TrueType sans with wide Unicode coverage, embedded (subset) in the PDF.

The PDF base-14 fonts only cover Latin-1, so a path like `Łódź/użytkownicy.csv` would print as
boxes. DejaVu Sans Condensed (Debian's fonts-dejavu-core) covers Latin, Greek and Cyrillic and
keeps table columns narrow; reportlab's bundled Bitstream Vera, DejaVu's ancestor, is the fallback
that is always there.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

REGULAR = "DGSans"
BOLD = "DGSans-Bold"
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_VERA = Path(reportlab.__file__).parent / "fonts"
CANDIDATES = (
    (_DEJAVU / "DejaVuSansCondensed.ttf", _DEJAVU / "DejaVuSansCondensed-Bold.ttf"),
    (_VERA / "Vera.ttf", _VERA / "VeraBd.ttf"),
)


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Register the first available font pair once; return the (regular, bold) font names."""
    regular, bold = next((pair for pair in CANDIDATES if all(p.is_file() for p in pair)), CANDIDATES[-1])
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    # <b> inside a Paragraph looks the bold face up through these mappings
    for italic in (0, 1):
        addMapping(REGULAR, 0, italic, REGULAR)
        addMapping(REGULAR, 1, italic, BOLD)
    logger.debug("reporting: fonts %s and %s", regular.name, bold.name)
    return REGULAR, BOLD
