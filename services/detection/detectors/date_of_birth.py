"""Dates of birth: a real calendar date next to birth-date words (Dutch and English)."""

from __future__ import annotations

import re
from datetime import date

from services.detection.detector import Detector

TYPE = "pii.date_of_birth"
_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "mrt": 3, "maart": 3,
    "mar": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7, "aug": 8, "augustus": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
PATTERN = re.compile(
    rf"(?P<value>\d(?<![\w/.-]\d)(?:\d?[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}|(?:(?<=1)9|(?<=2)0)\d{{2}}-\d{{2}}-\d{{2}}"
    rf"|\d? (?:{_MONTH_WORDS})\.? (?:19|20)\d{{2}}))(?![\w/]|[.-]\d)",
    re.IGNORECASE,
)
CONTEXT = ("geboren", "geboortedatum", "geb.", "geb:", "date of birth", "birth date", "birthdate", "dob",
           "born", "birthday", "verjaardag", "geboorte")


def parse(value: str) -> date | None:
    """The calendar date the text names, or None when it names none."""
    parts = re.split(r"[-/. ]+", value.strip().lower())
    try:
        if len(parts[0]) == 4:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        month = _MONTHS.get(parts[1]) or int(parts[1])
        return date(int(parts[2]), month, int(parts[0]))
    except (ValueError, IndexError):
        return None


def validate(value: str) -> bool:
    """A real date in the past, after 1900."""
    day = parse(value)
    return day is not None and date(1900, 1, 1) <= day <= date.today()


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, needs_context=True, validate=validate,
             check="a real past date next to birth-date words", confidence=0.9, context_confidence=0.93,
             window=40, name="date_of_birth"),
)
