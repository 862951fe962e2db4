"""What the structured readers produce: values grouped into columns, and the lines they came from.

A reader (tabular.py, sql.py, documents.py) turns a file into cells: a value, the field name it
stands under and the line (row, in a spreadsheet) it sits on. Cells of one field form a Column: a
CSV or sheet column, a column of one SQL table, or one key path of a JSON/YAML document with list
indices left out (`customers[].address.postcode`), so an array of objects reads as a table.

Every line that holds a parsed value is `owned`: the structured pass is the one that reports
personal data on it (structured/__init__.py). Work is bounded by MAX_CELLS per file; what lies
beyond is left unowned, so the ordinary text scan still reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

MAX_CELLS = 1_000_000  # the document scanner's spreadsheet cell budget (ExtractOptions.max_cells)
MAX_VALUE_CHARS = 4096  # a longer cell is cut for detection (the text pass still reads it whole)

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

    @property
    def group(self) -> tuple[str | None, str | None]:
        """The table (or sheet, or object path) this column belongs to."""
        return self.sheet, self.table


@dataclass
class Records:
    """The columns of one file, the lines they own and whether the cell budget ran out."""

    columns: dict[tuple[str | None, str | None, str], Column] = field(default_factory=dict)
    owned: set[Place] = field(default_factory=set)
    kind: str = ""  # csv, xlsx, sql or document: SQL columns are located by table as well
    cells: int = 0
    truncated: bool = False

    def column(self, column: Column) -> Column:
        """The file's column with `column`'s place and label (the first one made): add cells to it."""
        return self.columns.setdefault((column.sheet, column.table, column.label), column)

    def add(self, column: Column, value: str | None, line: int, last_line: int | None = None) -> bool:
        """Add one cell to a column `column()` returned (blank values are skipped); False once the
        budget is spent. The reader marks the cell's lines as owned itself (`own`), once per row."""
        if not value or value.isspace():
            return True
        if self.cells >= MAX_CELLS:
            self.truncated = True
            return False
        self.cells += 1
        column.cells.append(Cell(value[:MAX_VALUE_CHARS], line, last_line or line))
        return True

    def full(self) -> bool:
        """True once the cell budget is spent (and the file marked truncated)."""
        if self.cells >= MAX_CELLS:
            self.truncated = True
        return self.truncated

    def own(self, sheet: str | None, first: int, last: int | None = None) -> None:
        """Mark the lines of a row (or a multi-line value) as read by the structured pass."""
        if last is None or last == first:
            self.owned.add((sheet, first))
            return
        for number in range(first, last + 1):
            self.owned.add((sheet, number))
