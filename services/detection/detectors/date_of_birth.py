"""Dates of birth: a real past date next to birth words, in Dutch, English, German and French.

A date is a date of birth when a birth word stands just before it (`geboren 4 juli 1976`,
`Geburtsdatum: 12.03.1985`, `née le 3 mars 1990`, `DOB 1985-03-12`, `° 12/03/1985`) or right after
it (`12-03-1985 (geboortedatum)`), with no other date or date word in between; a date elsewhere
(an invoice date, a changelog, a date of death after a birth date) is not. Dates are read in the
numeric orders Europeans write (d-m-y with -, /, . or spaces, two- or four-digit years, and ISO
y-m-d) and with month names or abbreviations in the four languages, including `March 12, 1985`,
`12th of March 1985` and `12. März 1985`. These are the ways the languages write dates (CLDR date
formats), not the shapes of one corpus.
"""

from __future__ import annotations

import re
from datetime import date

from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

TYPE = "pii.date_of_birth"
_MONTHS = {
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mrt": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "oktober": 10, "okt": 10,
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "may": 5, "jun": 6,
    "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # German
    "januar": 1, "februar": 2, "märz": 3, "mär": 3, "maerz": 3, "mai": 5, "dezember": 12,
    "dez": 12,
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4,
    "avr": 4, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
}
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|e|\.)?"
_MONTH = rf"(?:{_MONTH_WORDS})\.?"
PATTERN = lazy_regex(
    rf"(?P<value>\d(?<![\w/.-]\d)(?:"
    # one separator used twice, spelled out rather than back-referenced: hyperscan's prefilter reads a
    # back-reference as "anything", which flagged every line holding two numbers
    rf"\d?(?:-\d{{1,2}}-|/\d{{1,2}}/|\. ?\d{{1,2}}\. ?| \d{{1,2}} )(?:{_YEAR}|\d{{2}})"  # 12-03-1985, 12.3.85
    rf"|(?:(?<=1)9|(?<=2)0)\d{{2}}(?:-\d{{1,2}}-|/\d{{1,2}}/|\.\d{{1,2}}\.)\d{{1,2}}"  # 1985-03-12, 1985/3/12
    # 12 maart 1985, 12-mrt-1985, 12th of March 1985
    rf"|\d?{_DAY_SUFFIX}(?:[ -]|[ ]?of[ ])?{_MONTH}[ -]?,? ?{_YEAR}"
    # an ISO date may carry its time (1985-03-12T00:00:00Z: a timestamp column exported as a birth date)
    rf")(?!(?!T\d)[\w/]|[.-]\d)"
    rf"|(?<![\w])(?:{_MONTH_WORDS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? {_YEAR}(?![\w])"  # March 12, 1985
    # 19850312: the compact ISO 8601 form of vCard BDAY, HL7 and database dumps; a birth word must stand
    # right before it (follows_a_birth_word), so order and invoice numbers of eight digits are not read
    rf"|(?<![\w.-])(?:19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d))",
    re.IGNORECASE,
)
# birth words of the EU languages people write records in (English, Dutch, German, French, Spanish,
# Italian, Portuguese, the Nordic languages, Polish) and of the record formats that name the field
# (vCard BDAY, FHIR birthDate, camelCase and snake_case keys): the same few words everywhere a date of
# birth is labelled, so they generalise to any file that labels one
CONTEXT = ("geboren", "geboortedatum", "geb.", "geb:", "geb ", "date of birth", "birth date", "birthdate",
           "dob", "d.o.b", "born", "birthday", "verjaardag", "geboorte", "jarig", "geburtsdatum",
           "geburtstag", "naissance", "né le", "née le", "né(e)", "°", "birth", "bday", "nacimiento",
           "nacido", "nacida", "nascita", "nato il", "nata il", "nascimento", "fødsel", "födelse",
           "syntymä", "urodzenia", "urodzony", "urodzona")
_BIRTH_WORD = lazy_regex(r"(?<![\w])(?:geboren(?: op| am)?|geboortedatum|geboortedag|geb\.?(?: ?datum|dat)?"
                         r"|date of birth|date_?of_?birth|birth[ _-]?date|dob|d\.o\.b\.?|born(?: on)?"
                         r"|birthday|verjaardag|geboorte|jarig|geburtsdatum|geburtstag|date de naissance"
                         r"|naissance|née?(?:\(e\))? le|°"
                         r"|bday|fecha de nacimiento|nacid[oa](?: el)?|data di nascita|nat[oa] il"
                         r"|data de nascimento|f[øo]dselsdato|födelsedatum|född|syntymäaika|data urodzenia"
                         r"|urodzon[ya])(?![\w])",
                         re.IGNORECASE)
# words for other dates: a date after one of these (closer than any birth word) is not a birth date
_OTHER_DATE_WORD = lazy_regex(r"(?<![\w])(?:overleden|overlijden|died|death|deceased|verstorben|décédée?"
                              r"|datum|date|registratie\w*|ingang\w*|verval\w*|aanmaak\w*|created|updated"
                              r"|expires?|geldig|valid|issued|afgegeven|factuur\w*|invoice"
                              # change-log verbs: "DOB field added on 2024-03-12" dates a change, not a person
                              r"|added|released?|changed|fixed|deployed|modified|merged|published"
                              r"|toegevoegd|gewijzigd|aangepast)(?![\w])",
                              re.IGNORECASE)
_ANY_DATE = lazy_regex(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2} [A-Za-zä]{3,9}\.? \d{4}")
BEFORE_REACH, AFTER_REACH = 50, 40
_COMPACT = lazy_regex(r"\d{8}")
MAX_AGE_YEARS = 120  # nobody alive is older; an older date is a historical or placeholder date
_LABEL_AFTER = lazy_regex(r"[ \t(,;:-]{0,4}" + _BIRTH_WORD.pattern + r"\)?", re.IGNORECASE)


def parse(value: str) -> date | None:
    """The calendar date the text names, or None when it names none."""
    if _COMPACT.fullmatch(value):  # 19850312
        value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    pieces = re.split(r"[-/., ]+|(?<=\d)(?:st|nd|rd|th|er|e)\b|\bof\b", value.strip().lower())
    parts = [p for p in pieces if p]
    try:
        if not parts[0].isdigit():  # March 12, 1985
            parts = [parts[1], parts[0], parts[2]]
        if len(parts[0]) == 4:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        month = _MONTHS.get(parts[1]) or int(parts[1])
        return date(_full_year(parts[2]), month, int(parts[0]))
    except (ValueError, IndexError):
        return _month_first(parts)


def _month_first(parts: list[str]) -> date | None:
    """03/25/1985: the US order (forms of US software, Presidio's own examples), read only when the
    European day-first reading names no date, so an ambiguous 04/07/1976 stays the 4th of July."""
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return None
    try:
        return date(int(parts[2]), int(parts[0]), int(parts[1]))
    except ValueError:
        return None


def _full_year(text: str) -> int:
    """A four-digit year; a two-digit one is in the last hundred years (85 is 1985, 03 is 2003)."""
    year = int(text)
    if len(text) == 4:
        return year
    this_year = date.today().year
    return year + 2000 if 2000 + year <= this_year else year + 1900


def earliest_birth() -> date:
    """The earliest date of birth of a living person (MAX_AGE_YEARS ago, on 1 January)."""
    return date(date.today().year - MAX_AGE_YEARS, 1, 1)


def validate(value: str) -> bool:
    """A real date in the past, at most MAX_AGE_YEARS ago."""
    day = parse(value)
    return day is not None and earliest_birth() <= day <= date.today()


def follows_a_birth_word(text: str, start: int, end: int) -> bool:
    """A birth word just before the date (no other date or date word between), or right after it."""
    before = text[max(0, start - BEFORE_REACH):start]
    birth = next(reversed(list(_BIRTH_WORD.finditer(before))), None)  # the nearest one
    if birth is not None:
        between = before[birth.end():]
        return not (_ANY_DATE.search(between) or _OTHER_DATE_WORD.search(between))
    if _COMPACT.fullmatch(text, start, end):  # eight bare digits need the word before them: BDAY:, born
        return False
    # "12-03-1985 (geboortedatum)": only brackets or punctuation between, and no date of its own after
    after = text[end:end + AFTER_REACH]
    label = _LABEL_AFTER.match(after)
    return (label is not None and not _ANY_DATE.search(after, label.end())
            and not _OTHER_DATE_WORD.search(before[-20:]))


# HL7 v2 PID segment, field 7 (PID-7, date/time of birth: YYYYMMDD[HHMM[SS]]): the standard fixes the
# field's meaning by its place, so every HL7 feed of every hospital writes a birth date exactly there
HL7_PID7 = lazy_regex(r"(?<![\w])PID\|(?:[^|\n]*\|){6}(?P<value>(?:19|20)\d{6})"
                      r"(?=(?:\d{2}){0,3}(?:[+-]\d{4})?(?:[|^\r\n]|$))")
_HL7_REACH = 400  # a PID segment's first six fields (ids, names) fit in this many characters

DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, needs_context=True, validate=validate,
             check="a real past date next to birth-date words", confidence=0.9, context_confidence=0.93,
             window=BEFORE_REACH, name="date_of_birth", fits_place=follows_a_birth_word),
    Detector(TYPE, HL7_PID7, context=("pid|",), needs_context=True, validate=validate,
             check="HL7 PID-7 (date of birth) holding a real past date", confidence=0.9,
             context_confidence=0.93, window=_HL7_REACH, name="date_of_birth_hl7", prefilter=r"PID\|"),
)
