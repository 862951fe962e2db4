"""Column-level detection: one finding per (file, column, type), with the count and the rows.

Each column is judged three ways, and what they find of one type is one finding:

1. By name: a name the vocabulary knows (vocabulary.py, data/field_names.yaml) implies a type, and
   each cell is checked against it alone (validators.py): a bare `1234 AB` under `postcode`, any real
   date under `geboortedatum`, a valid number under `telefoon`, an 11-proof number under `bsn`.
   Confidence rises with the share of cells that validated (NAMED_CONFIDENCE). A special-category
   column (diagnose, religie, etniciteit, vakbond, …) counts only in a table that describes people (a
   `person` field or a named personal-data column beside it): there every stated cell is that person's
   special data, whatever its words; in a table of products or a code list it describes nobody.
   A column named for a person's number (bsn, nationaal_id, id_nummer) holds BSNs and other EU
   national numbers side by side, each found by its own checksum (_person_numbers).
2. By values: a column whose name says nothing is inferred to hold a type when at least
   MIN_VALID_SHARE of its (at least MIN_VALUES) cells validate as one of validators.BY_VALUES.
   90% leaves room for typos, blanks and "onbekend" in a real column, while values that carry their
   own proof (mod-97, Luhn with an issuer range, address syntax, the postcode shape) reach it by
   chance essentially never: one random number in 97 passes mod-97, one in ten Luhn. BSN, whose
   11-proof one number in eleven passes, is inferred only in a table that describes people (a
   `person` field name beside it). Dates never are: dates are everywhere.
3. By the detectors: every cell not claimed by 1 or 2 goes through the ordinary engine on its own
   (a `notes` column may hold an e-mail address); its personal-data findings are grouped per type.
   In a `not_personal` column (ordernummer, factuurdatum, version, id) those resting on a checksum
   or a shape alone are dropped (SELF_EVIDENT types stay): an order number passing the 11-proof is
   still an order number.

A cell's value is seen alone, never beside its neighbours in the row: context words of one column
(a `geboortedatum` header) cannot make another column's date a birth date.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from services.detection import masking
from services.detection.detectors import special
from services.detection.engine import scan_text
from services.detection.fingerprint import fingerprint
from services.detection.registry import ALL_DETECTORS
from services.detection.structured.records import Cell, Column, Records
from services.detection.structured.validators import (
    BY_VALUES,
    CHECKS,
    valid_bsn,
    valid_document,
    valid_national_id,
)
from services.detection.structured.vocabulary import Meaning, normalise, vocabulary
from services.detection.types import TYPES, selected
from services.extraction.base import one_line
from services.results import Finding, Severity

MIN_VALID_SHARE = 0.9  # see the module docstring
MIN_VALUES = 3  # fewer cells cannot show a column's type by their values
SAMPLE = 50  # cells tried first before a whole unnamed column is validated against a type
# types a checksum alone can match (detectors with checksum_only): in a JSON or YAML document their
# context is what is written around them, NEIGHBOUR_LINES either side (an object's other fields)
CHECKSUM_TYPES = frozenset({"pii.bsn", "pii.credit_card"})
NEIGHBOUR_LINES = 6
NAMED_CONFIDENCE = (0.7, 0.98)  # from no valid cell to all valid, for a column named for its type
INFERRED_CONFIDENCE = (0.8, 0.95)  # the same for a column inferred from its values
MAX_ROWS_LISTED = 10_000  # rows in location.rows; location.count and `rows_truncated` tell the rest
ENGINE_BATCH_CHARS = 1024 * 1024  # cell text handed to the engine at once
SELF_EVIDENT = frozenset({"pii.email", "pii.iban"})  # name their holder whatever the column says
BSN_TYPE = "pii.bsn"
HEALTH_TYPE = "special.health"
PATIENT_ENTRIES = frozenset(("patient", "patienten", "patientnummer", "patientnr"))  # field_names.yaml person
RECORD_CONFIDENCE = 0.8  # the special detectors' own confidence for a term said of a person
RECORD_CHECK = "a special-category statement in a cell of a table about people (the row's person)"
NATIONAL_ID_TYPE = "pii.national_id"
PASSPORT_TYPE = "pii.passport"
PERSON_NUMBERS = (BSN_TYPE, NATIONAL_ID_TYPE)  # see _person_numbers
MIN_PERSON_NUMBER_SHARE = 0.5  # see _person_numbers
_BSN_SHAPED = re.compile(r"\d{8,9}|\d{3}[ .]\d{3}[ .]\d{3}|\d{4}\.\d{2}\.\d{3}")

Tick = Callable[[], None]


@dataclass
class _Found:
    """What one column holds of one type: the cells, and how we know."""

    column: Column
    type: str
    basis: str  # "name", "values", "detectors" or "record" (special terms in a person's row)
    entry: str | None = None  # the vocabulary entry the name matched
    cells: dict[int, Cell] = field(default_factory=dict)  # by id(cell): a cell counts once
    checked: int = 0  # cells validated against the type (named or inferred columns)
    confidence: float = 0.0
    evidence: str = ""
    severity: Severity | None = None
    check: str = ""


def column_findings(records: Records, display: str, kinds: frozenset[str], tick: Tick) -> list[Finding]:
    """One finding per (column, type) of personal data in `records`."""
    meanings = {key: _meaning(column) for key, column in records.columns.items()}
    _care_of_patients(records, meanings)
    people = {records.columns[key].group for key, m in meanings.items()
              if m is not None and (m.kind == "person" or (m.type or "").startswith("pii."))}
    found: dict[tuple[object, str], _Found] = {}
    unclaimed: list[tuple[tuple[str | None, str | None, str], Cell]] = []
    for key, column in records.columns.items():
        tick()
        about_people = column.group in people
        named = _by_name(column, meanings[key], kinds, about_people)
        inferred = _by_values(column, meanings[key], kinds, about_people) if not named else None
        claimed: set[int] = set()
        for judged in named or ([inferred] if inferred is not None else []):
            found[(key, judged.type)] = judged
            claimed |= set(judged.cells)
        unclaimed += [(key, cell) for cell in column.cells if id(cell) not in claimed]
    persons = _describing_persons(records, meanings)
    for key, column in records.columns.items():
        if column.group in persons and not _named_column(meanings[key]):
            _record_statements(found, key, column, kinds)
    nearby = _by_line(records) if records.kind == "document" else None
    for key, cell, kind, finding in _engine_hits(unclaimed, display, kinds, tick, nearby):
        meaning = meanings[key]
        if meaning is not None and meaning.kind == "not_personal" and kind not in SELF_EVIDENT:
            continue
        refused_by = found.get((key, kind))
        if refused_by is not None and refused_by.basis != "detectors" and finding.severity == Severity.LOW:
            continue  # a cell its column's own check refused (an RvIG test BSN) is not added back as a note
        entry = found.setdefault((key, kind), _Found(records.columns[key], kind, "detectors"))
        _add_engine_hit(entry, cell, finding)
    return [_finding(entry, display, records.kind) for entry in found.values() if entry.cells]


# `person` names an organisation's list has too (a clinic's name, address and city): beside them alone a
# table's free text is not read as said of the row's person
NOT_ONLY_PEOPLE = frozenset(("naam", "name", "nom", "adres", "address", "straat", "straatnaam", "street",
                             "huisnummer", "huisnr", "huisnummer_toevoeging", "house_number", "woonplaats",
                             "city"))
PERSON_ONLY_TYPES = frozenset(("pii.bsn", "pii.date_of_birth", "pii.passport", "pii.national_id"))


def _describing_persons(records: Records,
                        meanings: dict[Key, Meaning | None]) -> set[tuple[str | None, str | None]]:
    """The tables whose rows are persons: a personal name, gender, role, birth date or personal number."""
    return {records.columns[key].group for key, m in meanings.items() if m is not None and (
        (m.kind == "person" and m.entry not in NOT_ONLY_PEOPLE) or m.kind in PERSON_ONLY_TYPES)}


def _care_of_patients(records: Records, meanings: dict[Key, Meaning | None]) -> None:
    """A `care` column (behandeling, reden_bezoek) in a table of patients names health data."""
    patients = {records.columns[key].group for key, m in meanings.items()
                if m is not None and (m.kind == "person" and m.entry in PATIENT_ENTRIES
                                      or _names_patient(records.columns[key].name))}
    for key, meaning in meanings.items():
        if meaning is not None and meaning.kind == "care" and records.columns[key].group in patients:
            meanings[key] = Meaning(HEALTH_TYPE, meaning.entry)  # the care given to the row's patient


def _names_patient(name: str) -> bool:
    """`patient_bsn`, `patiëntnummer`: a column of a patient's number or data still says the rows are
    patients, though its type (a BSN, an e-mail) is what the column means."""
    return any(word.startswith("patient") for word in normalise(name).split("_"))


def _named_column(meaning: Meaning | None) -> bool:
    """A column whose name already says what it holds (a special category, a person's name, a phone
    number, an order number): its cells are not free text to read for statements."""
    return meaning is not None and meaning.kind not in ("generic", "care")


def _record_statements(found: dict[tuple[object, str], _Found], key: Key, column: Column,
                       kinds: frozenset[str]) -> None:
    """Special-category statements in the free-text cells of a table about people ("notities: zwanger",
    "bijzonderheden: glutenvrij ivm coeliakie"): the row is the person they are said of, so each is a
    finding of its column (reported once, with its rows), whatever the column is called."""
    for cell in column.cells:
        for kind in {kind for kind, _, _ in special.record_terms(cell.value)}:
            if not selected(kind, kinds):
                continue
            entry = found.setdefault((key, kind), _Found(column, kind, "record", check=RECORD_CHECK,
                                                         confidence=RECORD_CONFIDENCE))
            entry.cells.setdefault(id(cell), cell)


def _meaning(column: Column) -> Meaning | None:
    """The vocabulary's meaning of a column's name, or of its parent key when the name is generic."""
    lookup = vocabulary().meaning
    meaning = lookup(column.name)
    if (meaning is None or meaning.kind == "generic") and column.parent:
        above = lookup(column.parent)
        if above is not None and above.kind not in ("generic", "person"):
            return above
    return meaning


def _by_name(column: Column, meaning: Meaning | None, kinds: frozenset[str],
             about_people: bool) -> list[_Found]:
    kind = meaning.type if meaning is not None else None
    if kind is None or kind not in CHECKS or not selected(kind, kinds):
        return []
    if kind.startswith("special.") and not about_people:
        return []
    if kind in PERSON_NUMBERS or kind == PASSPORT_TYPE:
        return _person_numbers(column, kind, meaning, kinds)
    check = CHECKS[kind]
    entry = _Found(column, kind, "name", entry=meaning.entry if meaning else None, check=check.check)
    cells = column.cells + column.short
    entry.cells = {id(c): c for c in cells if check.validate(c.value)}
    entry.checked = len(cells)
    entry.confidence = _scaled(NAMED_CONFIDENCE, entry)
    return [entry]


def _person_numbers(column: Column, kind: str, meaning: Meaning | None,
                    kinds: frozenset[str]) -> list[_Found]:
    """A column named for a person's identity number: each cell a BSN or another EU national number.

    Registers of people of several nationalities (agency workers, hotel guests, study participants)
    keep everyone's number in one column, whatever its name: a BSN passes the 11-proof, another
    country's number its python-stdnum module. In a column named for a BSN only values that cannot be
    a BSN (not eight or nine digits) are tried as other countries' numbers, so a mistyped BSN is not
    reported as a foreign one. `ID-nummer` names the number of an identity document as often as a
    national number: under a national-number name a cell in an EU document-number format (letters and
    digits) is a passport or identity-card number. A name as loose as `id_nummer` may also head a
    table's own record numbers, of which some pass one country's checksum or another's by chance (one
    in ten or fewer): a column named for national numbers counts only when MIN_PERSON_NUMBER_SHARE of
    it validates. The other way round, a column named for an identity document (`id_document`,
    `identiteitsbewijs`) holds a Belgian or French national number where that is what the person's
    card shows (the Belgian eID prints the rijksregisternummer); its numbers count on the same share,
    so a ledger's `documentnummer` column of invoice numbers is not read as people's numbers.
    """
    cells = column.cells + column.short
    types = PERSON_NUMBERS if kind == BSN_TYPE else (*PERSON_NUMBERS, PASSPORT_TYPE)
    entries = {t: _Found(column, t, "name", entry=meaning.entry if meaning else None, check=CHECKS[t].check,
                         checked=len(cells)) for t in types if selected(t, kinds)}
    for cell in cells:
        if valid_bsn(cell.value):
            holder = entries.get(BSN_TYPE)
        elif kind == BSN_TYPE and _BSN_SHAPED.fullmatch(cell.value.strip()):
            continue
        elif valid_national_id(cell.value):
            holder = entries.get(NATIONAL_ID_TYPE)
        else:
            holder = entries.get(PASSPORT_TYPE) if valid_document(cell.value) else None
        if holder is not None:
            holder.cells[id(cell)] = cell
    share = sum(len(e.cells) for e in entries.values()) / len(cells) if cells else 0.0
    if kind == NATIONAL_ID_TYPE and share < MIN_PERSON_NUMBER_SHARE:
        return []
    if kind == PASSPORT_TYPE and share < MIN_PERSON_NUMBER_SHARE:  # a ledger's `documentnummer` column
        entries = {t: e for t, e in entries.items() if t == PASSPORT_TYPE}
    low, high = NAMED_CONFIDENCE
    for entry in entries.values():
        entry.confidence = round(low + (high - low) * share, 2)
    return [e for e in entries.values() if e.cells]


def _by_values(column: Column, meaning: Meaning | None, kinds: frozenset[str],
               about_people: bool) -> _Found | None:
    if (meaning is not None and meaning.kind != "generic") or len(column.cells) < MIN_VALUES:
        return None
    candidates = dict(BY_VALUES)
    if about_people:
        candidates[BSN_TYPE] = CHECKS[BSN_TYPE].validate
    for kind, validate in candidates.items():
        if not selected(kind, kinds) or not _mostly(validate, column.cells[:SAMPLE]):
            continue
        valid = {id(c): c for c in column.cells if validate(c.value)}
        if len(valid) >= MIN_VALID_SHARE * len(column.cells):
            entry = _Found(column, kind, "values", cells=valid, checked=len(column.cells),
                           check=CHECKS[kind].check)
            entry.confidence = _scaled(INFERRED_CONFIDENCE, entry)
            return entry
    return None


def _mostly(validate: Callable[[str], bool], cells: list[Cell]) -> bool:
    allowed = len(cells) - MIN_VALID_SHARE * len(cells)  # failures the sample may have
    failures = 0
    for cell in cells:
        if not validate(cell.value):
            failures += 1
            if failures > allowed:
                return False
    return True


def _scaled(bounds: tuple[float, float], entry: _Found) -> float:
    share = len(entry.cells) / entry.checked if entry.checked else 0.0
    low, high = bounds
    return round(low + (high - low) * share, 2)


Key = tuple[str | None, str | None, str]


def _engine_hits(cells: list[tuple[Key, Cell]], display: str, kinds: frozenset[str], tick: Tick,
                 nearby: dict[int, list[Cell]] | None) -> Iterator[tuple[Key, Cell, str, Finding]]:
    """Personal-data findings of the ordinary engine, each cell read alone, one per line.

    Cells are joined only to scan them in one pass. The rows of a table are records of one kind, so a
    person's record beside a bare checksum counts as its context; a JSON or YAML document's scalars
    may be unrelated (an API schema's `maximum` far from a field description that mentions a name), so
    there a bare checksum takes its context from the scalars written around it (`nearby`, by line):
    its own object, as a FHIR identifier's `system` names the BSN beside its `value`.
    """
    personal = frozenset(k for k in kinds if k.startswith("pii"))  # only personal data is kept below
    for batch in _batches(cells):
        tick()
        text = "\n".join(one_line(cell.value) for _, cell in batch)
        for finding in scan_text(text, path=display, kinds=personal) if personal else ():
            if finding.category != "pii":
                continue
            key, cell = batch[int(finding.location["line"]) - 1]
            if nearby is not None and finding.type in CHECKSUM_TYPES:
                again = _among_neighbours(cell, nearby, finding.type, display, kinds)
                if again is None:
                    continue
                finding = again
            yield key, cell, finding.type, finding


def _by_line(records: Records) -> dict[int, list[Cell]]:
    """Every cell of the records by the line it starts on."""
    lines: dict[int, list[Cell]] = {}
    for column in records.columns.values():
        for cell in column.cells:
            lines.setdefault(cell.line, []).append(cell)
    return lines


def _among_neighbours(cell: Cell, nearby: dict[int, list[Cell]], kind: str, display: str,
                      kinds: frozenset[str]) -> Finding | None:
    """The engine's finding of `kind` for `cell` read with the scalars within NEIGHBOUR_LINES of it."""
    around = [c for line in range(cell.line - NEIGHBOUR_LINES, cell.last + NEIGHBOUR_LINES + 1)
              for c in nearby.get(line, ())]
    if cell not in around:
        around.append(cell)
    mine = around.index(cell) + 1
    text = "\n".join(one_line(c.value) for c in around)
    return next((f for f in scan_text(text, path=display, kinds=kinds)
                 if f.type == kind and f.location.get("line") == mine), None)


def _batches(cells: list[tuple[Key, Cell]]) -> Iterator[list[tuple[Key, Cell]]]:
    batch: list[tuple[Key, Cell]] = []
    size = 0
    for item in cells:
        batch.append(item)
        size += len(item[1].value) + 1
        if size >= ENGINE_BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _add_engine_hit(entry: _Found, cell: Cell, finding: Finding) -> None:
    entry.cells.setdefault(id(cell), cell)
    if finding.confidence > entry.confidence or not entry.evidence:
        entry.confidence = max(entry.confidence, finding.confidence)
        entry.evidence = entry.evidence or finding.evidence
        entry.check = entry.check or str(finding.explanation.get("validation", ""))
    if entry.basis == "detectors" and (entry.severity is None or finding.severity != Severity.LOW):
        entry.severity = finding.severity  # low only when every cell was a placeholder or test value


def _finding(entry: _Found, display: str, kind_of_file: str) -> Finding:
    info = TYPES[entry.type]
    column = entry.column
    cells = sorted(entry.cells.values(), key=lambda c: c.line)
    rows = sorted({line for c in cells for line in range(c.line, c.last + 1)})
    location: dict[str, object] = {"path": display}
    if column.sheet is not None:
        location["sheet"] = column.sheet
    if kind_of_file == "sql" and column.table:
        location["table"] = column.table
    if column.letter is not None:
        location["cell"] = f"{column.letter}{cells[0].line}"  # the first value's cell
    location.update(column=column.label, line=cells[0].line, rows=rows[:MAX_ROWS_LISTED], count=len(cells))
    evidence = entry.evidence or _mask(entry.type)(cells[0].value)
    return Finding(
        type=info.name, category=info.category, severity=entry.severity or info.severity,
        confidence=entry.confidence, location=location, evidence=evidence, gdpr_articles=info.articles,
        remediation=info.remediation, explanation=_explain(entry, len(cells), len(rows)),
        fingerprint=fingerprint(info.name, f"column\x1f{column.sheet}\x1f{column.table}\x1f{column.label}",
                                display),
    )


def _explain(entry: _Found, count: int, rows: int) -> dict[str, object]:
    name = entry.column.name
    if entry.basis == "name":
        matched = f"column {name!r}: vocabulary entry {entry.entry!r} means {entry.type}"
    elif entry.basis == "values":
        matched = (f"column {name!r}: {count} of {entry.checked} values are valid {entry.type} "
                   f"(at least {MIN_VALID_SHARE:.0%} needed)")
    elif entry.basis == "record":
        matched = f"column {name!r}: {entry.type} statements in rows of a table about people"
    else:
        matched = f"column {name!r}: values found by the {entry.type} detectors, each read alone"
    explanation: dict[str, object] = {
        "detector": "structured_column", "matched": matched, "validation": entry.check or "pattern only",
        "basis": entry.basis, "column": entry.column.label, "vocabulary": entry.entry, "count": count,
        "values": len(entry.column.cells), "confidence": entry.confidence, "context_words": [],
    }
    if entry.checked:
        explanation["valid_share"] = round(count / entry.checked, 3)
    if rows > MAX_ROWS_LISTED:
        explanation["rows_truncated"] = rows
    return explanation


@functools.lru_cache(maxsize=64)
def _mask(kind: str) -> Callable[[str], str]:
    """The masking of the type's own detector (e-mail keeps its domain), else the default."""
    return next((d.mask for d in ALL_DETECTORS if d.type == kind), masking.mask)
