"""One hyperscan pass per block tells on which lines each detector can match.

Chosen by measurement (bench/scan_speed.py): Python's `re` runs one pass per detector over the
whole text, and with ~60 detectors that dominated the scan. Hyperscan matches all patterns in one
SIMD pass and reports the end offset of every match; `re` then runs only over the lines holding
such an end, so Python never reads the rest of the block. Results are those of `re` alone:

- Hyperscan compiles our `re` patterns in PREFILTER mode (lookarounds and back-references become
  a superset), so every end offset of a real match is among those it reports.
- A pattern that cannot consume a newline (checked on its parse tree) has its matches inside one
  line, and `re` started at a line start with look-behinds seeing the real text before it finds
  exactly what a scan of the whole block finds on that line. Patterns that may span lines, or
  that use `$`/`\\Z`, run over the whole block when they were reported anywhere in it.
- Hyperscan sees the text as Latin-1 bytes with ASCII-only `\\w`, `\\s` and case folding, so lines
  holding any other character (é, €, no-break spaces, control characters) are searched by every
  detector, as without hyperscan. A detector whose matches may span lines and that hyperscan did
  not report searches such a line with WIDE_REACH lines around it: a match through a misjudged
  line reaching further than that is the one thing this pass can miss (the previous, flag-only
  prefilter missed every match hyperscan misjudged).

A block with more match reports than MAX_REPORTS (long digit or base64 runs) stops the pass early
and runs every detector over the whole block: bounded callback cost, same results.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined, unused-ignore]  # the stdlib regex parser's opcodes
from re import _parser as sre_parse  # type: ignore[attr-defined, unused-ignore]
from typing import Any, cast

from services.detection import prefilter_cache
from services.detection.detector import Detector
from services.detection.patterns import Regex
from utils.config import get_settings

logger = logging.getLogger(__name__)

try:
    import hyperscan
except ImportError:  # pragma: no cover - the engine still works, only slower
    hyperscan = None  # type: ignore[assignment]  # the engine checks for None and skips the prefilter

WIDE_REACH = 4  # lines around a misjudged line searched by detectors whose matches may span lines
WIDE_SPAN = 256  # spans this short are searched character by character for unusual characters
MAX_REPORTS = 16_384  # per 64 K block: ~1 report per 4 characters before the pass gives up
# characters whose meaning for \w, \s or case folding differs between hyperscan (bytes) and `re` (str)
_WIDE = re.compile(r"[^\t\n\x0b\x0c\r\x20-\x7e]")
_ORDINARY = bytes([9, 10, 11, 12, 13, *range(0x20, 0x7f)])

Region = tuple[int, int]


class Prefilter:
    """A compiled multi-pattern database over a fixed list of detectors."""

    def __init__(self, detectors: Sequence[Detector], cache_dir: Path | None = None) -> None:
        self._index = {id(d): i for i, d in enumerate(detectors)}
        key = prefilter_cache.cache_key(getattr(hyperscan, "__version__", "unknown"),
                                        ((f"{d.pattern.pattern}\0{d.prefilter}", int(d.pattern.flags))
                                         for d in detectors))
        cached = prefilter_cache.load(cache_dir, key) if cache_dir is not None else None
        loaded = _deserialised(cached.database) if cached is not None else None
        if cached is not None and loaded is not None:
            self._whole, self._db = cached.whole, loaded
        else:
            self._whole = frozenset(i for i, d in enumerate(detectors) if not stays_on_line(d.pattern))
            self._db = _compiled(detectors, self._whole)
            if cache_dir is not None:
                prefilter_cache.store(cache_dir, key, prefilter_cache.Cached(hyperscan.dumpb(self._db),
                                                                             self._whole))
        self._local = threading.local()  # a scratch space may serve one scan at a time

    def plan(self, text: str) -> Plan | None:
        """Where each detector must run in `text`, or None when the block had too many reports."""
        reports: list[tuple[int, int]] = []
        data = text.encode("latin-1", "replace")
        try:
            self._db.scan(data, match_event_handler=_collect, context=reports, scratch=self._scratch())
        except hyperscan.ScanTerminated:
            return None
        lines = _Lines(text)
        starts: dict[int, set[int]] = {}
        reports.sort(key=_end)  # in end order every line is looked up once
        for pattern_id, end in reports:
            starts.setdefault(pattern_id, set()).add(lines.start_of(end - 1))
        wide = frozenset(lines.start_of(p) for p in _wide_positions(text, data))
        return Plan(self._index, self._whole, starts, wide, lines.ends, text)

    def _scratch(self) -> Any:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        return scratch


def _compiled(detectors: Sequence[Detector], whole: frozenset[int]) -> Any:
    """The hyperscan database of the detectors' patterns (up to ~1 s for the default selection)."""
    database = hyperscan.Database()
    database.compile(expressions=[(d.prefilter or d.pattern.pattern).encode("latin-1", "replace")
                                  for d in detectors],
                     ids=list(range(len(detectors))), elements=len(detectors),
                     flags=[_flags(d, i in whole) for i, d in enumerate(detectors)])
    return database


def _flags(detector: Detector, spans_lines: bool) -> int:
    flags = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY
    if detector.pattern.flags & re.IGNORECASE:
        flags |= hyperscan.HS_FLAG_CASELESS
    if spans_lines:
        # one report is all a whole-block search needs (a PEM body would report every byte)
        flags |= hyperscan.HS_FLAG_SINGLEMATCH
    return flags


def _deserialised(data: bytes) -> Any:
    """A database from the cache, or None when this hyperscan cannot load it (another CPU or build)."""
    try:
        database = hyperscan.loadb(data, hyperscan.HS_MODE_BLOCK)
        # a database compiled for another CPU loads, but its scratch space is refused (a cache shared
        # between machines through a network home directory): find that out now, not mid-scan
        hyperscan.Scratch(database)
        return database
    except hyperscan.error as error:
        logger.warning("detection: cached prefilter database not loadable here (%s); compiling", error)
        return None


class _Lines:
    """Line bounds around offsets of one text, found with find/rfind and remembered."""

    def __init__(self, text: str) -> None:
        self._text = text
        self.ends: dict[int, int] = {}  # line start -> offset after its newline (or the text's end)
        self._start, self._end = 0, -1  # the last line looked up: [start, end)

    def start_of(self, position: int) -> int:
        """The start of the line holding `position`."""
        if self._start <= position < self._end:
            return self._start
        position = max(position, 0)
        start = self._text.rfind("\n", 0, position) + 1
        newline = self._text.find("\n", position)
        end = newline + 1 if newline >= 0 else len(self._text)
        self.ends[start] = end
        self._start, self._end = start, end
        return start


@dataclass(frozen=True)
class Plan:
    """One block's hyperscan reports, as the text regions each detector's `re` pattern must search."""

    index: dict[int, int]  # id(detector) -> its pattern id in the database
    whole: frozenset[int]  # pattern ids that may span lines: they search the whole block
    lines: dict[int, set[int]]  # pattern id -> starts of the lines where one of its reports ended
    wide: frozenset[int]  # starts of lines hyperscan cannot judge: every detector runs there
    ends: dict[int, int]  # line start -> offset after that line's newline
    text: str

    def flagged(self, detector: Detector) -> bool:
        """True when hyperscan reported the detector (or does not know it)."""
        index = self.index.get(id(detector))
        return index is None or index in self.lines

    def spans_lines(self, detector: Detector) -> bool:
        """True when the detector searches whole blocks (its matches may span lines)."""
        index = self.index.get(id(detector))
        return index is None or index in self.whole

    def regions(self, detector: Detector) -> list[Region]:
        """Disjoint (start, end) spans of whole lines to run the detector's pattern over."""
        index = self.index.get(id(detector))
        if index is None:
            return [(0, len(self.text))]
        own = self.lines.get(index)
        if own is None:  # unreported: only matches through lines hyperscan misjudged are left
            return self._around_wide if index in self.whole else self._wide_lines
        if index in self.whole:
            return [(0, len(self.text))]
        lines = own | self.wide if self.wide else own
        return _merged([(start, self.ends[start]) for start in sorted(lines)])

    @functools.cached_property
    def _wide_lines(self) -> list[Region]:
        return _merged([(start, self.ends[start]) for start in sorted(self.wide)])

    @functools.cached_property
    def _around_wide(self) -> list[Region]:
        return _merged([_around(self.text, start, WIDE_REACH) for start in sorted(self.wide)])


def _merged(spans: list[Region]) -> list[Region]:
    """Sorted spans with touching or overlapping ones joined: one search each."""
    regions: list[Region] = []
    for start, end in spans:
        if regions and regions[-1][1] >= start:
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((start, end))
    return regions


def _around(text: str, start: int, lines: int) -> Region:
    """The line starting at `start` with `lines` lines before and after it."""
    begin = start
    for _ in range(lines):
        if begin == 0:
            break
        begin = text.rfind("\n", 0, begin - 1) + 1
    end = start
    for _ in range(lines + 1):
        newline = text.find("\n", end)
        if newline < 0:
            return begin, len(text)
        end = newline + 1
    return begin, end


def _wide_positions(text: str, data: bytes) -> list[int]:
    """Offsets of the characters outside printable ASCII and tab/CR/LF/VT/FF, in order.

    Halving spans with str.isascii and bytes.translate (C passes) finds the few such characters
    of a block without a regex walking every character in between.
    """
    found: list[int] = []
    spans = [(0, len(text))]
    while spans:
        start, end = spans.pop()
        if text[start:end].isascii() and not data[start:end].translate(None, _ORDINARY):
            continue
        if end - start > WIDE_SPAN:
            middle = (start + end) // 2
            spans += [(middle, end), (start, middle)]  # the left half is popped first
            continue
        found += [match.start() for match in _WIDE.finditer(text, start, end)]
    return found


def _end(report: tuple[int, int]) -> int:
    return report[1]


def _collect(pattern_id: int, start: int, end: int, flags: int, reports: object) -> bool:
    found = cast("list[tuple[int, int]]", reports)  # the context handed to scan() above; no check per match
    found.append((pattern_id, end))
    return len(found) > MAX_REPORTS  # True stops the scan (ScanTerminated)


# --- which patterns stay on one line ---------------------------------------------------------------

_NEWLINE_CATEGORIES = frozenset({sre.CATEGORY_SPACE, sre.CATEGORY_NOT_DIGIT, sre.CATEGORY_NOT_WORD,
                                 sre.CATEGORY_LINEBREAK})
_UNSAFE_ANCHORS = frozenset({sre.AT_END, sre.AT_END_STRING, sre.AT_END_LINE})  # see stays_on_line


def stays_on_line(pattern: Regex) -> bool:
    """True when no match can hold a newline and no part of the pattern depends on the text's end.

    `$`, `\\Z` and look-aheads that may look past a newline would judge a line's end differently
    from the block's, so those patterns count as spanning lines.
    """
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    return not _may_cross(parsed, bool(pattern.flags & re.DOTALL))


def _may_cross(items: Any, dotall: bool) -> bool:
    return any(_item_may_cross(op, av, dotall) for op, av in items)


def _item_may_cross(op: Any, av: Any, dotall: bool) -> bool:  # noqa: C901 - one branch per opcode
    if op is sre.LITERAL:
        return bool(av == 10)
    if op is sre.NOT_LITERAL:
        return bool(av != 10)
    if op is sre.ANY:
        return dotall
    if op is sre.IN:
        return _class_has_newline(av)
    if op is sre.AT:
        return av in _UNSAFE_ANCHORS
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return _may_cross(av[2], dotall)
    if op is sre.SUBPATTERN:
        return _may_cross(av[3], dotall or bool(av[1] & sre.SRE_FLAG_DOTALL))
    if op is sre.BRANCH:
        return any(_may_cross(branch, dotall) for branch in av[1])
    if op is sre.ATOMIC_GROUP:
        return _may_cross(av, dotall)
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return av[0] > 0 and _may_cross(av[1], dotall)  # look-behinds see the real text before a line
    if op is sre.GROUPREF_EXISTS:
        return _may_cross(av[1], dotall) or (av[2] is not None and _may_cross(av[2], dotall))
    return op is not sre.GROUPREF  # a back-reference repeats a group already checked; unknown: assume yes


def _class_has_newline(items: list[tuple[Any, Any]]) -> bool:
    negate = bool(items) and items[0][0] is sre.NEGATE
    found = False
    for op, av in items[1:] if negate else items:
        if op is sre.LITERAL:
            found = found or av == 10
        elif op is sre.RANGE:
            found = found or av[0] <= 10 <= av[1]
        elif op is sre.CATEGORY:
            found = found or av in _NEWLINE_CATEGORIES
        else:
            return True  # an item this walk does not know: assume the worst
    return found != negate


@functools.lru_cache(maxsize=16)
def shared(detectors: tuple[Detector, ...]) -> Prefilter | None:
    """The process-wide prefilter for one selection of detectors, or None without hyperscan.

    Loaded from the user's cache directory (DG_CACHE_DIR) when an earlier process compiled the same
    selection, else compiled (up to ~1 s) and stored there. Only the selected patterns report, so a
    narrow scan pays for no others.
    """
    if hyperscan is None:
        logger.warning("detection: hyperscan not installed; every detector runs on every block")
        return None
    return Prefilter(detectors, get_settings().cache_dir)
