"""JSON and YAML documents: every scalar under a key, with the line yaml's composer marks it at.

Both formats are read by PyYAML's composer (the libyaml one when present), which gives each node its
start and end marks without building Python objects; a JSON document is YAML flow syntax. JSON Lines
(.jsonl, .ndjson) is composed a line at a time. Keys at any depth count: a scalar's field name is
the key above it, its column the key path with list indices left out (`customers[].email`), so an
array of objects is a table whose columns are its keys; scalars in a list take the list's key
(`telefoon: [06…, 06…]`). An alias is read once, where its anchor is: `&a`/`*a` expansion (the
billion-laughs document) costs nothing, and cycles end. yaml's errors propagate (the caller then
scans the file as text).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from services.detection.structured.records import DEFAULT_MAX_ROWS, Column, Records
from services.detection.structured.validators import holds_value
from services.extraction.base import ExtractOptions
from services.extraction.text import read_text

MAX_NODES = 2_000_000  # nodes walked per file; a document past this is read on as text
# libyaml's composer recurses in C once per level: 50,000 nested brackets (a 100 KB file) overflow the
# stack and kill the process. Real configuration and data files nest a few dozen levels at most.
MAX_DEPTH = 1_000
_NULL_TAG = "tag:yaml.org,2002:null"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's composer is ~10x faster
LINES_SUFFIXES = (".jsonl", ".ndjson")
ANY_KEY = "*"


def read_document(path: Path, max_rows: int = DEFAULT_MAX_ROWS) -> Records:
    """The scalars of a JSON, JSON Lines or YAML file as columns by key path."""
    text = read_text(path, ExtractOptions())
    records = Records(kind="document", max_rows=max_rows)
    if path.suffix.lower() in LINES_SUFFIXES:
        for number, line in enumerate(text.split("\n"), start=1):
            if records.truncated:
                break
            if line.strip():
                _refuse_deep(line)
                _walk(records, yaml.compose(line, Loader=_LOADER), number - 1)
    else:
        _refuse_deep(text)
        for root in yaml.compose_all(text, Loader=_LOADER):
            if records.truncated:
                break
            _walk(records, root, 0)
    return records


class TooDeepError(ValueError):
    """A document nests deeper than MAX_DEPTH: read as text instead (see MAX_DEPTH)."""


def nests_deeper_than(text: str, limit: int) -> bool:
    """True when the YAML or JSON text nests more than `limit` levels. libyaml's parser keeps its own
    stack, so walking its events is safe where composing (which recurses in C) is not."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                return True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return False


def _refuse_deep(text: str) -> None:
    """TooDeepError past MAX_DEPTH: the file is then read as text."""
    if nests_deeper_than(text, MAX_DEPTH):
        raise TooDeepError(f"nested deeper than {MAX_DEPTH} levels")


Frame = tuple[yaml.Node, tuple[str, ...], str | None, str | None]


def _walk(records: Records, root: yaml.Node | None, line_offset: int) -> None:
    """Add every keyed scalar under `root` (iteratively: nesting depth costs no stack)."""
    if root is None:
        return
    seen: set[int] = set()
    stack: list[Frame] = [(root, (), None, None)]
    while stack and not records.full():
        node, path, key, parent = stack.pop()
        if len(seen) >= MAX_NODES:
            records.stop(f"more than {MAX_NODES} nodes")
            return
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            _add_scalar(records, node, path, key, parent, line_offset)
        else:
            stack.extend(reversed(list(_children(node, path, key, parent))))


def _children(node: yaml.Node, path: tuple[str, ...], key: str | None,
              parent: str | None) -> Iterator[Frame]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                name = _key_name(str(key_node.value))
                yield value, (*path, name), name, key
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield item, (*path, "[]"), key, parent


def _key_name(key: str) -> str:
    """A key, or ANY_KEY for a key that is itself a value (a map keyed by e-mail address or customer
    number): its objects then read as rows of one table (`users.*.telefoon`), and the value is never
    shown as a column name."""
    return ANY_KEY if holds_value(key) else key


def _add_scalar(records: Records, node: yaml.ScalarNode, path: tuple[str, ...], key: str | None,
                parent: str | None, line_offset: int) -> None:
    if key is None or node.tag == _NULL_TAG:
        return  # a scalar under no key has no field name: the text scan reads it
    first = node.start_mark.line + 1
    # a block scalar ends at the start of the line after it
    last = node.end_mark.line + (0 if node.end_mark.column == 0 else 1)
    label = _label(path)
    keyed = list(path)
    while keyed and keyed[-1] == "[]":  # a list of scalars: the list's key names them
        keyed.pop()
    table = _label(tuple(keyed[:-1])) or None  # the objects holding the field: customers[]
    column = records.column(Column(key, label, table=table, parent=parent))
    if records.add(column, str(node.value), first + line_offset, max(first, last) + line_offset):
        records.own(None, first + line_offset, max(first, last) + line_offset)


def _label(path: tuple[str, ...]) -> str:
    text = ""
    for part in path:
        text += part if part == "[]" or not text else f".{part}"
    return text
