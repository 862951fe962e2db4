"""One hyperscan pass per block tells which detectors can match there at all.

Chosen by measurement (bench/scan_speed.py): Python's `re` runs one pass per detector, and with
~60 detectors that costs 0.2-0.4 MB/s on source code; hyperscan matches all patterns in one
SIMD pass. Hyperscan compiles our `re` patterns in PREFILTER mode, which accepts lookarounds and
back-references by matching a superset, and SINGLEMATCH reports each pattern once per block. The
exact `re` pattern then runs only for flagged detectors, so results are those of `re` alone.

Text is handed to hyperscan as Latin-1 (unencodable characters become "?"), so `\\w` there is
ASCII: an identifier with non-ASCII letters inside a secret name could be missed. Without the
hyperscan module every detector simply runs (slower, same results).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Sequence
from typing import cast

from services.detection.detector import Detector

logger = logging.getLogger(__name__)

try:
    import hyperscan
except ImportError:  # pragma: no cover - the engine still works, only slower
    hyperscan = None  # type: ignore[assignment]  # the engine checks for None and skips the prefilter


class Prefilter:
    """A compiled multi-pattern database over a fixed list of detectors."""

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self._index = {id(d): i for i, d in enumerate(detectors)}
        flags = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
        self._db = hyperscan.Database()
        self._db.compile(expressions=[d.pattern.pattern.encode("latin-1", "replace") for d in detectors],
                         ids=list(range(len(detectors))), elements=len(detectors),
                         flags=[flags | (hyperscan.HS_FLAG_CASELESS if d.pattern.flags & 2 else 0)
                                for d in detectors])
        self._local = threading.local()  # a scratch space may serve one scan at a time

    def candidates(self, text: str) -> frozenset[int]:
        """Indices of the detectors that may match somewhere in `text`."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        hits: set[int] = set()
        self._db.scan(text.encode("latin-1", "replace"), match_event_handler=_collect, context=hits,
                      scratch=scratch)
        return frozenset(hits)

    def may_match(self, detector: Detector, flagged: frozenset[int]) -> bool:
        """True when the detector was flagged (or is unknown to this database)."""
        index = self._index.get(id(detector))
        return index is None or index in flagged


def _collect(pattern_id: int, start: int, end: int, flags: int, hits: object) -> None:
    cast("set[int]", hits).add(pattern_id)  # the context handed to scan() above; no check per match


@functools.lru_cache(maxsize=1)
def shared(detectors: tuple[Detector, ...]) -> Prefilter | None:
    """The process-wide prefilter (compiled on first use, ~3 s), or None without hyperscan."""
    if hyperscan is None:
        logger.warning("detection: hyperscan not installed; every detector runs on every block")
        return None
    return Prefilter(detectors)
