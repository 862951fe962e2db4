"""What the structured readers produce: values grouped into columns, and the lines they came from.

A reader (tabular.py, sql.py, documents.py) turns a file into cells: a value, the field name it
stands under and the line (row, in a spreadsheet) it sits on. Cells of one field form a Column: a
CSV or sheet column, a column of one SQL table, or one key path of a JSON/YAML document with list
indices left out (`customers[].address.postcode`), so an array of objects reads as a table.

Every line that holds a parsed value is `owned`: the structured pass is the one that reports
personal data on it (structured/__init__.py). Work is bounded per file by `max_rows` (the setting
DG_STRUCTURED_MAX_ROWS: rows, or lines of a SQL/JSON/YAML file, owned), by MAX_CELLS and by
MAX_COLUMNS; what lies beyond is left unowned, so the ordinary text scan still reads it, and
`notes` says what was left (the scanners put it in their result).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from services.detection.structured.vocabulary import vocabulary

MAX_CELLS = 1_000_000  # the document scanner's spreadsheet cell budget (ExtractOptions.max_cells)
MAX_COLUMNS = 16_384  # Excel's widest sheet (XFD); past it, columns share one (Records.column)
OVERFLOW_LABEL = f"(columns past {MAX_COLUMNS})"
DEFAULT_MAX_ROWS = 100_000  # utils.config.STRUCTURED_MAX_ROWS; the scanners pass the setting
# no value of a personal-data type is shorter (a@b.nl, 1234AB, 1-1-85, 1.1.1.1): shorter cells (ids, flags,
# counts) are not kept, which makes a sheet of one-digit cells cheap to read
MIN_VALUE_CHARS = 6
MAX_VALUE_CHARS = 4096  # a longer cell is cut for detection (the text pass still reads it whole)
# a special-category column states short values ("hiv", "islam", "ja" under vakbond): those columns keep
# their short cells too, up to this many per column (a column of flags in a huge sheet stays cheap)
MAX_SHORT_CELLS = 100_000

Place = tuple[str | None, int]  # (sheet or None, line or row)


class Cell(NamedTuple):
    """One value and the line (or spreadsheet row) it is on (a tuple: a million are made per file)."""

    value: str
    line: int
    last: int  # the last line a multi-line value reaches (== line for most)


@dataclass
class Column:
    """The cells under one field name within one table, sheet or key path."""

    name: str  # the field name as written (the last key, the header, the SQL column)
    label: str  # how a finding names the column (header, SQL column, JSON/YAML key path)
    sheet: str | None = None
    table: str | None = None  # SQL table, or the key path of the objects holding the field
    parent: str | None = None  # the key above `name` in JSON/YAML, for generic names (phones[].number)
    letter: str | None = None  # the spreadsheet column (A, B, …): a finding names its first cell
    cells: list[Cell] = field(default_factory=list)
    short: list[Cell] = field(default_factory=list)  # cells under MIN_VALUE_CHARS (special columns only)
    keeps_short: bool = False

    @property
    def group(self) -> tuple[str | None, str | None]:
        """The table (or sheet, or object path) this column belongs to."""
        return self.sheet, self.table


@dataclass
class Records:
    """The columns of one file, the lines they own and whether a budget ran out (and which: `notes`)."""

    columns: dict[tuple[str | None, str | None, str], Column] = field(default_factory=dict)
    owned: set[Place] = field(default_factory=set)
    kind: str = ""  # csv, xlsx, sql or document: SQL columns are located by table as well
    max_rows: int = DEFAULT_MAX_ROWS
    cells: int = 0
    truncated: bool = False
    notes: list[str] = field(default_factory=list)
    headers: set[Place] = field(default_factory=set)  # owned lines that name columns (not in the budget)

    def column(self, column: Column) -> Column:
        """The file's column with `column`'s place and label (the first one made): add cells to it.

        Past MAX_COLUMNS columns every new one is the file's one overflow column (no name, judged by
        the detectors on each value): a very wide row or a map keyed by ids costs no more than that.
        """
        key = (column.sheet, column.table, column.label)
        found = self.columns.get(key)
        if found is not None:
            return found
        if len(self.columns) >= MAX_COLUMNS:
            self.note(f"columns past the first {MAX_COLUMNS} were read as one")
            return self.columns.setdefault((None, None, OVERFLOW_LABEL), Column("", OVERFLOW_LABEL))
        column.keeps_short = _special_name(column.name)
        self.columns[key] = column
        return column

    def add(self, column: Column, value: str | None, line: int, last_line: int | None = None) -> bool:
        """Add one cell to a column `column()` returned (blank and short values are skipped); False once the
        budget is spent. The reader marks the cell's lines as owned itself (`own`), once per row."""
        if value is None or len(value) < MIN_VALUE_CHARS or value.isspace():
            if column.keeps_short and value and not value.isspace() and len(column.short) < MAX_SHORT_CELLS:
                column.short.append(Cell(value.strip(), line, last_line or line))
            return True
        if self.cells >= MAX_CELLS:
            self.stop(f"more than {MAX_CELLS} values")
            return False
        self.cells += 1
        column.cells.append(Cell(value[:MAX_VALUE_CHARS], line, last_line or line))
        return True

    def own_header(self, sheet: str | None, first: int, last: int | None = None) -> None:
        """Mark a header row's lines as read: its cells are the columns' names, not prose to scan."""
        self.own(sheet, first, last)
        self.headers.update((sheet, number) for number in range(first, (last or first) + 1))

    def full(self) -> bool:
        """True once the row or cell budget is spent (and the file marked truncated)."""
        if len(self.owned) - len(self.headers) >= self.max_rows:
            self.stop(f"more than {self.max_rows} rows (DG_STRUCTURED_MAX_ROWS)")
        elif self.cells >= MAX_CELLS:
            self.stop(f"more than {MAX_CELLS} values")
        return self.truncated

    def note(self, text: str) -> None:
        """Say (once) what was not read by column and how it was read instead."""
        if text not in self.notes:
            self.notes.append(text)

    def stop(self, why: str) -> None:
        """End reading by structure (once): the rest of the file is left to the text scan."""
        if not self.truncated:
            self.truncated = True
            self.note(f"read by column up to {why}; the rest was scanned line by line")


    def own(self, sheet: str | None, first: int, last: int | None = None) -> None:
        """Mark the lines of a row (or a multi-line value) as read by the structured pass."""
        if last is None or last == first:
            self.owned.add((sheet, first))
            return
        for number in range(first, last + 1):
            self.owned.add((sheet, number))


def _special_name(name: str) -> bool:
    """The vocabulary says the column holds a special category (its short values are kept)."""
    meaning = vocabulary().meaning(name)
    return meaning is not None and (meaning.type or "").startswith("special.")
