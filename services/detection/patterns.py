"""Regular expressions compiled on their first use, so a one-file scan compiles only what it runs.

Compiling every detector's pattern and helper expression at import took about 0.25 s of a 0.5 s
one-file scan from the command line (issue 15), while the hyperscan prefilter, loaded from its cache,
lets only a handful of detectors run on a small file. A `LazyPattern` keeps the source and flags and
compiles on the first search; `pattern` and `flags` (what the prefilter's cache key and compiler read)
are known without compiling. A pattern that does not compile would now fail at its first use instead
of at import: tests/detection/test_patterns.py compiles every detector's pattern.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

# global inline flags ("(?i)") at the start of a pattern: `re` adds them to the compiled pattern's flags
_GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
# as plain ints: RegexFlag's `|` is Python code, ~400 patterns' worth of it at start-up
_FLAG_LETTERS = {letter: int(flag) for letter, flag in (
    ("a", re.ASCII), ("i", re.IGNORECASE), ("L", re.LOCALE), ("m", re.MULTILINE), ("s", re.DOTALL),
    ("u", re.UNICODE), ("x", re.VERBOSE))}
_BYTES_OR_LOCALE, _UNICODE = int(re.ASCII | re.LOCALE), int(re.UNICODE)


def compiled_flags(source: str, flags: int = 0) -> int:
    """The `flags` that `re.compile(source, flags)` reports, without compiling (str patterns)."""
    position = 0
    while (found := _GLOBAL_FLAGS.match(source, position)) is not None:
        for letter in found.group(1):
            flags |= _FLAG_LETTERS[letter]
        position = found.end()
    if not flags & _BYTES_OR_LOCALE:  # a str pattern is Unicode unless told otherwise
        flags |= _UNICODE
    return flags


class LazyPattern:
    """A str pattern compiled on first use; the methods the detectors call behave as `re.Pattern`'s."""

    __slots__ = ("pattern", "flags", "_source_flags", "_compiled")

    def __init__(self, source: str, flags: int | re.RegexFlag = 0) -> None:
        self.pattern = source
        self.flags = compiled_flags(source, int(flags))
        self._source_flags = int(flags)
        self._compiled: re.Pattern[str] | None = None

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self._source_flags})"

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if this is its first use)."""
        compiled = self._compiled
        if compiled is None:  # two threads may both compile: the same pattern, no harm
            compiled = self._compiled = re.compile(self.pattern, self._source_flags)
        return compiled

    @property
    def is_compiled(self) -> bool:
        """True once the pattern has been used (tests check that a small scan compiles few)."""
        return self._compiled is not None

    @property
    def groupindex(self) -> Any:
        """Group names to numbers, as `re.Pattern.groupindex`."""
        return self.compiled.groupindex

    @property
    def groups(self) -> int:
        """The number of capturing groups."""
        return self.compiled.groups

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As `re.Pattern.search`."""
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As `re.Pattern.match`."""
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As `re.Pattern.fullmatch`."""
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        """As `re.Pattern.finditer`."""
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        """As `re.Pattern.findall`."""
        return self.compiled.findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        """As `re.Pattern.sub`."""
        return self.compiled.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        """As `re.Pattern.split`."""
        return self.compiled.split(string, maxsplit)


Regex = re.Pattern[str] | LazyPattern  # what a detector's pattern may be


def lazy_regex(source: str, flags: int | re.RegexFlag = 0) -> LazyPattern:
    """`re.compile`, deferred to the pattern's first use."""
    return LazyPattern(source, flags)
