"""Parsers for evidence files that keep line numbers and never leak file content into errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from services.scanners.soc2_checks.common import ParseError


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers the 1-based line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


# libyaml's parser is several times faster; the safe constructors run on top of either
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader whose mappings are LineDicts."""


def _construct_line_dict(loader: _LineLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            data.key_lines[loader.construct_object(key_node)] = key_node.start_mark.line + 1
    data.update(loader.construct_mapping(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_dict)


def load_yaml_documents(path: Path) -> list[Any]:
    """Every document of a (multi-document) YAML file, mappings carrying `.line`."""
    try:
        with path.open(encoding="utf-8") as handle:
            return [doc for doc in yaml.load_all(handle, Loader=_LineLoader) if doc is not None]
    except yaml.MarkedYAMLError as error:
        # PyYAML's own message quotes the offending line, which may hold a secret: keep only the mark
        mark = error.problem_mark or error.context_mark
        raise ParseError("invalid YAML", mark.line + 1 if mark else None) from None
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        raise ParseError("invalid YAML") from None


def line_of(node: Any, default: int | None = None, key: Any = None) -> int | None:
    """The line a parsed YAML mapping starts on, or the line of its `key` when given."""
    if key is not None and key in getattr(node, "key_lines", {}):
        return int(node.key_lines[key])
    return getattr(node, "line", None) or default
