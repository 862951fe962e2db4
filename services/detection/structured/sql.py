"""SQL seeds and dumps: `INSERT INTO t (cols) VALUES (…), (…)` rows and `COPY t (cols) FROM stdin` blocks.

Lexing is sqlglot's tokenizer (requirements.txt pins sqlglot and its compiled sqlglotc): it knows
string escapes, quoted identifiers, comments and dollar quoting per dialect, which is what makes a
seed file hard to read. Files are tried as PostgreSQL first (MySQL first when they use backtick
identifiers) and with the other dialect when the first cannot lex them. On the tokens:

- `CREATE TABLE` statements are parsed by sqlglot's parser for their column names, so an
  `INSERT INTO t VALUES (…)` without a column list is read with the columns an earlier CREATE TABLE
  named (without one, its columns are `column N` and judged by their values only).
- `INSERT`/`REPLACE … INTO name [(columns)] VALUES (…), (…)`: each tuple's values are split at
  top-level commas; a value is its first string literal (`'x'`, `E'x'`, `DATE '1990-01-02'`,
  `'1990-01-02'::date`, `to_date('…', 'DD-MM-YYYY')`), else its number; NULL and expressions are none.
- `COPY name [(columns)] FROM stdin` (what pg_dump writes): the lines up to `\\.` are the rows, in
  PostgreSQL's text format (tab-separated, `\\N` for NULL, backslash escapes) or CSV when the command
  says `csv`. The head is parsed by sqlglot; the data is not SQL and never reaches the tokenizer.

Bounds: the tokenizer reads about 1.4 MB/s (measured, compiled), so at most MAX_SQL_CHARS of SQL
text are tokenized, in pieces of about PIECE_CHARS cut after a line ending in `;`; a piece that
cannot be lexed in either dialect is read again statement by statement (runs of lines ending in
`;`), and only the statements that still cannot be lexed are skipped. What is not read here stays
unowned and is scanned as text, as before. Cells are bounded by records.MAX_CELLS.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.tokens import Token, TokenType

from services.detection.structured.records import DEFAULT_MAX_ROWS, Column, Records
from services.detection.structured.validators import holds_value
from services.detection.structured.vocabulary import normalise
from services.extraction.base import ExtractOptions
from services.extraction.text import read_text

MAX_SQL_CHARS = 24 * 1024 * 1024  # ~17 s of tokenizing at the measured rate; the rest is read as text
PIECE_CHARS = 512 * 1024  # a piece that cannot be lexed costs only itself
MAX_STATEMENT_TOKENS = 5_000  # CREATE TABLE statements longer than this are not parsed for columns

_COPY = re.compile(r"^\s*COPY\s+(?P<head>.+?)\s+FROM\s+stdin\b(?P<options>[^;]*);?\s*$", re.IGNORECASE)
_COPY_END = "\\."
_COPY_ESCAPE = re.compile(r"\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)")
_COPY_CHARS = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_STRINGS = frozenset({TokenType.STRING, TokenType.NATIONAL_STRING, TokenType.RAW_STRING,
                      TokenType.HEREDOC_STRING, TokenType.UNICODE_STRING})


@dataclass
class _Sql:
    """State of reading one file: its records, the dialect that lexes it, the columns of its tables."""

    records: Records
    dialects: tuple[str, str]
    tables: dict[str, list[str]]
    budget: int = MAX_SQL_CHARS


def read_sql(path: Path, max_rows: int = DEFAULT_MAX_ROWS) -> Records:
    """The INSERT and COPY rows of a SQL file, as columns per table."""
    text = read_text(path, ExtractOptions())
    first = ("mysql", "postgres") if "`" in text[:65536] else ("postgres", "mysql")
    state = _Sql(Records(kind="sql", max_rows=max_rows), first, {})
    for kind, start, lines in _sections(text.split("\n")):
        if kind == "copy":
            _read_copy(state, start, lines)
        else:
            _read_statements(state, start, "\n".join(lines))
    return state.records


def _sections(lines: list[str]) -> Iterator[tuple[str, int, list[str]]]:
    """("sql", first line, lines) pieces and ("copy", line of the command, command and data lines)."""
    start, index = 0, 0
    while index < len(lines):
        if _COPY.match(lines[index]):
            if index > start:
                yield from _pieces(lines, start, index)
            end = index + 1
            while end < len(lines) and lines[end] != _COPY_END:
                end += 1
            yield "copy", index + 1, lines[index:end]
            start = index = end + 1
            continue
        index += 1
    if start < len(lines):
        yield from _pieces(lines, start, len(lines))


def _pieces(lines: list[str], start: int, stop: int) -> Iterator[tuple[str, int, list[str]]]:
    """SQL lines cut into pieces of about PIECE_CHARS after a line that ends a statement."""
    first, size = start, 0
    for index in range(start, stop):
        size += len(lines[index]) + 1
        if size >= PIECE_CHARS and lines[index].rstrip().endswith(";"):
            yield "sql", first + 1, lines[first:index + 1]
            first, size = index + 1, 0
    if first < stop:
        yield "sql", first + 1, lines[first:stop]


# --- INSERT and CREATE TABLE ------------------------------------------------------------------------

def _read_statements(state: _Sql, first_line: int, text: str) -> None:
    if state.records.truncated:
        return
    if state.budget <= 0:
        state.records.note(f"SQL past its first {MAX_SQL_CHARS} characters was scanned line by line")
        return
    state.budget -= len(text)
    if not _read_lexed(state, first_line, text):
        # one broken statement (an unescaped quote in a hand-edited seed) must not cost the file its
        # structure: read it statement by statement, leaving only what cannot be lexed to the text scan
        for line, statement in _statement_lines(first_line, text):
            _read_lexed(state, line, statement)


def _statement_lines(first_line: int, text: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each run of lines that ends in a line ending with `;`."""
    start, lines = first_line, []
    for number, line in enumerate(text.split("\n"), start=first_line):
        lines.append(line)
        if line.rstrip().endswith(";"):
            yield start, "\n".join(lines)
            start, lines = number + 1, []
    if lines:
        yield start, "\n".join(lines)


def _read_lexed(state: _Sql, first_line: int, text: str) -> bool:
    """Read the INSERTs and CREATE TABLEs of `text`; False when neither dialect can lex it."""
    if state.records.truncated:
        return True
    tokens = _tokens(state, text)
    if tokens is None:
        return False
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return first_line + bisect.bisect_right(starts, offset) - 1

    for statement in _statements(tokens):
        head = statement[0].token_type
        if head in (TokenType.INSERT, TokenType.REPLACE):
            if not _read_insert(state, statement, line_of):
                return True
        elif head == TokenType.CREATE and len(statement) <= MAX_STATEMENT_TOKENS:
            _read_create(state, text[statement[0].start:statement[-1].end + 1])
    return True


def _tokens(state: _Sql, text: str) -> list[Token] | None:
    """The tokens of `text` in the first dialect that lexes it (that one is tried first from then on)."""
    for name in state.dialects:
        try:
            tokens = Dialect.get_or_raise(name).tokenize(text)
        except SqlglotError:  # its message quotes the SQL: never passed on
            continue
        if name != state.dialects[0]:
            state.dialects = (name, state.dialects[0])
        return tokens
    return None


def _statements(tokens: list[Token]) -> Iterator[list[Token]]:
    statement: list[Token] = []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if statement:
                yield statement
            statement = []
        else:
            statement.append(token)
    if statement:
        yield statement


def _read_create(state: _Sql, text: str) -> None:
    try:
        create = Dialect.get_or_raise(state.dialects[0]).parse(text)[0]
    except (SqlglotError, IndexError):
        return
    if isinstance(create, exp.Create) and isinstance(create.this, exp.Schema):
        columns = [c.name for c in create.this.expressions if isinstance(c, exp.ColumnDef)]
        if columns and isinstance(create.this.this, exp.Table):
            state.tables[_table_key(create.this.this.name)] = columns


def _table_key(name: str) -> str:
    return normalise(name.strip('`"[]'))


def _read_insert(state: _Sql, statement: list[Token], line_of: Callable[[int], int]) -> bool:
    """Add the rows of one INSERT … VALUES; False once the cell budget is spent."""
    at = next((i for i, t in enumerate(statement) if t.token_type == TokenType.VALUES), None)
    into = next((i for i, t in enumerate(statement) if t.token_type == TokenType.INTO), None)
    if at is None or into is None or at <= into + 1:
        return True
    head = statement[into + 1:at]
    paren = next((i for i, t in enumerate(head) if t.token_type == TokenType.L_PAREN), len(head))
    names = [t.text for t in head[:paren] if t.token_type != TokenType.DOT]
    if not names:
        return True
    table = names[-1]
    close = max((i for i, t in enumerate(head) if t.token_type == TokenType.R_PAREN), default=paren)
    listed = [part[-1].text for part in _split(head[paren + 1:close])]
    columns = [state.records.column(_named(n, i, table))
               for i, n in enumerate(listed or state.tables.get(_table_key(table), []), start=1)]
    records = state.records
    for index, token, text in _values(statement[at + 1:]):
        if index == 0 and records.full():
            return False
        while index >= len(columns):
            columns.append(records.column(_unnamed(len(columns) + 1, table)))
        first, last = line_of(token.start), line_of(token.end)
        if not records.add(columns[index], text, first, last):
            return False
        records.own(None, first, last)
    return True


class _Value:
    """What one value of a tuple carries: its first string literal, else its number (with its sign)."""

    __slots__ = ("literal", "number", "previous")

    def __init__(self) -> None:
        self.literal: tuple[Token, str] | None = None
        self.number: tuple[Token, str] | None = None
        self.previous: TokenType | None = None

    def see(self, token: Token) -> None:
        kind = token.token_type
        if self.literal is None and kind in _STRINGS:
            self.literal = (token, token.text)
        elif self.number is None and kind == TokenType.NUMBER:
            self.number = (token, "-" + token.text if self.previous == TokenType.DASH else token.text)
        self.previous = kind


def _values(tokens: list[Token]) -> Iterator[tuple[int, Token, str]]:
    """(position in its tuple, token, text) of each value of `(…), (…), …`, in one pass.

    NULL, DEFAULT and expressions without a literal are no value. Reading stops at whatever
    follows the tuples (ON CONFLICT, RETURNING).
    """
    depth = index = 0
    value = _Value()
    for token in tokens:
        kind = token.token_type
        if depth == 0:
            if kind not in (TokenType.L_PAREN, TokenType.COMMA):
                return
            depth, index, value = (1, 0, _Value()) if kind == TokenType.L_PAREN else (0, index, value)
            continue
        if depth == 1 and kind in (TokenType.R_PAREN, TokenType.COMMA):
            found = value.literal or value.number
            if found is not None:
                yield index, found[0], found[1]
            depth, index, value = depth - (kind == TokenType.R_PAREN), index + 1, _Value()
            continue
        depth += (kind == TokenType.L_PAREN) - (kind == TokenType.R_PAREN)
        value.see(token)


def _split(tokens: list[Token]) -> Iterator[list[Token]]:
    """Tokens split at the commas outside parentheses (empty parts dropped)."""
    part: list[Token] = []
    depth = 0
    for token in tokens:
        kind = token.token_type
        if kind == TokenType.COMMA and depth == 0:
            if part:
                yield part
            part = []
            continue
        depth += 1 if kind == TokenType.L_PAREN else -1 if kind == TokenType.R_PAREN else 0
        part.append(token)
    if part:
        yield part


def _named(name: str, number: int, table: str) -> Column:
    """The column a statement names (a quoted "identifier" that is a value is no name: `column N`)."""
    return _unnamed(number, table) if holds_value(name) else Column(name, name, table=table)


def _unnamed(number: int, table: str) -> Column:
    """A column beyond those the statement or CREATE TABLE named: judged by its values only."""
    return Column(f"column {number}", f"column {number}", table=table)


# --- COPY … FROM stdin -------------------------------------------------------------------------------

def _read_copy(state: _Sql, line: int, lines: list[str]) -> None:
    match = _COPY.match(lines[0])
    if match is None:
        return
    table, listed = _copy_head(state, match.group("head"))
    records = state.records
    columns = [records.column(_named(n, i, table))
               for i, n in enumerate(listed or state.tables.get(_table_key(table), []), start=1)]
    records.own(None, line + len(lines))  # the closing \.
    rows: Iterable[Sequence[str | None]] = (
        csv.reader(lines[1:]) if re.search(r"\bcsv\b", match.group("options"), re.IGNORECASE)
        else (_copy_fields(text) for text in lines[1:]))
    for number, row in enumerate(rows, start=line + 1):
        if records.full():
            return
        records.own(None, number)
        for index, value in enumerate(row):
            while index >= len(columns):
                columns.append(records.column(_unnamed(len(columns) + 1, table)))
            if not records.add(columns[index], value, number):
                return


def _copy_head(state: _Sql, head: str) -> tuple[str, list[str]]:
    """(table, listed columns) of `COPY head FROM stdin`, parsed by sqlglot."""
    try:
        copy = Dialect.get_or_raise("postgres").parse(f"COPY {head} FROM STDIN")[0]
    except (SqlglotError, IndexError):
        copy = None
    target = copy.this if isinstance(copy, exp.Copy) else None
    if isinstance(target, exp.Schema) and isinstance(target.this, exp.Table):
        return target.this.name, [c.name for c in target.expressions]
    if isinstance(target, exp.Table):
        return target.name, []
    return head.split("(", 1)[0].strip().rsplit(".", 1)[-1].strip('"'), []


def _copy_fields(line: str) -> list[str | None]:
    """One row of COPY's text format: tab-separated, `\\N` is NULL, backslash escapes undone."""
    return [None if field == "\\N" else _COPY_ESCAPE.sub(_copy_char, field) if "\\" in field else field
            for field in line.split("\t")]


def _copy_char(match: re.Match[str]) -> str:
    escape = match.group(0)[1:]
    if escape[0].isdigit():
        return chr(int(escape, 8))
    if escape[0] == "x" and len(escape) > 1:
        return chr(int(escape[1:], 16))
    return _COPY_CHARS.get(escape, escape)
