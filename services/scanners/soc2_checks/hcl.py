"""Terraform files read as Terraform: blocks and attributes with their lines, expressions kept whole.

python-hcl2 parses each file into its rule tree; the tree is kept (not flattened to strings) so that
expressions can be evaluated later against variables, locals and module arguments
(services/scanners/soc2_checks/hcl_eval.py), and every block and attribute keeps the line it was
written on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
from hcl2.rules.base import AttributeRule, BlockRule
from hcl2.utils import SerializationOptions
from lark.exceptions import LarkError

from services.scanners.soc2_checks.common import ParseError

TEXT_OPTIONS = SerializationOptions(with_comments=False, strip_string_quotes=True, preserve_heredocs=False)


@dataclass(frozen=True)
class Attr:
    """`name = expression` with where it was written."""

    name: str
    expr: Any  # a python-hcl2 expression rule, evaluated by hcl_eval
    path: str
    line: int


@dataclass(frozen=True)
class Block:
    """A block (`resource "t" "n" { ... }`, `ingress { ... }`) with its attributes and nested blocks."""

    type: str
    labels: tuple[str, ...]
    attrs: dict[str, Attr]
    blocks: tuple[Block, ...]
    path: str
    line: int

    def children(self, name: str) -> list[Block]:
        """Nested blocks written as `name { ... }` (not `dynamic "name"`, see hcl_eval)."""
        return [b for b in self.blocks if b.type == name]

    def dynamic(self, name: str) -> list[Block]:
        """`dynamic "name" { for_each = ...; content { ... } }` blocks."""
        return [b for b in self.blocks if b.type == "dynamic" and b.labels[:1] == (name,)]


@dataclass
class TfFile:
    """The top-level blocks of one .tf file."""

    path: str
    blocks: list[Block] = field(default_factory=list)


def parse_file(path: Path, relpath: str) -> TfFile:
    """Parse one .tf file; errors name the problem and line, never the content."""
    try:
        text = path.read_text(encoding="utf-8")
        start = hcl2.parses(text)
        body = start.body
        return TfFile(relpath, [_block(child, relpath) for child in body.children
                                if isinstance(child, BlockRule)])
    except UnicodeDecodeError:
        raise ParseError("invalid HCL: not UTF-8") from None
    except RecursionError:
        raise ParseError("invalid HCL: nested too deeply") from None
    except (LarkError, ValueError, TypeError, AttributeError, RuntimeError) as error:
        # lark's message quotes the unexpected token, which may be a secret: keep the line only
        raise ParseError("invalid HCL", getattr(error, "line", None)) from None


def line_of(rule: Any, default: int = 0) -> int:
    """The line a rule starts on (python-hcl2 keeps lark's positions on every rule)."""
    meta = getattr(rule, "_meta", None)  # no public accessor in python-hcl2 8.1
    line = getattr(meta, "line", None)
    return line if isinstance(line, int) else default


def _block(rule: BlockRule, relpath: str) -> Block:
    labels = [_label(label) for label in rule.labels]
    attrs: dict[str, Attr] = {}
    blocks: list[Block] = []
    line = line_of(rule)
    for child in rule.body.children:
        if isinstance(child, AttributeRule):
            name = str(child.identifier.serialize(TEXT_OPTIONS))
            attrs[name] = Attr(name, child.expression, relpath, line_of(child, line))
        elif isinstance(child, BlockRule):
            blocks.append(_block(child, relpath))
    return Block(labels[0], tuple(labels[1:]), attrs, tuple(blocks), relpath, line)


def _label(rule: Any) -> str:
    return str(rule.serialize(TEXT_OPTIONS))
