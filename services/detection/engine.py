"""The scanning loop: cut text into bounded blocks, run every selected detector once per block.

Text of any size is cut into blocks of about BLOCK_CHARS at line ends; a line longer than a block is
cut with an OVERLAP so a value on the cut is still seen whole once. Per block the text is lowered
once for the keyword prefilter, so a detector whose keywords are absent costs one substring search
instead of a regex pass. Memory is bounded by the block size, never by the input size.

Text read by OCR (`ocr=True`) is also searched by the OCR-tolerant variants of the secret
detectors (services/detection/ocr.py). Where an exact detector found the same type on an overlapping
span, the exact finding stands; an OCR finding says so in its explanation and is capped at
ocr.MAX_CONFIDENCE.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from services.detection import context as ctx
from services.detection import ocr as ocr_reading
from services.detection.detector import DOCUMENT_REACH, NO_CONTEXT_NOTE, Detector
from services.detection.fingerprint import fingerprint
from services.detection.prefilter import Plan, Prefilter, shared
from services.detection.registry import detectors_for
from services.detection.types import TYPES
from services.results import Finding, Severity

BLOCK_CHARS = 64 * 1024  # big enough that per-block Python overhead is noise, small for the prefilter
OVERLAP = 4096  # longest value we must see whole across a mid-line cut (PEM keys are ~3 KB)
DEFAULT_KINDS = frozenset({"pii", "secret", "special"})
IGNORE_MARKER = "dg:ignore"


@dataclass
class _Hit:
    detector: Detector
    value: str
    start: int
    end: int
    confidence: float
    context_words: tuple[str, ...]
    notes: tuple[str, ...]
    severity: Severity


@dataclass(frozen=True)
class _Block:
    text: str
    first_line: int
    own_until: int  # hits starting at or after this offset belong to the next block


def scan_text(text: str, *, path: str | None = None, page: int | None = None, line_offset: int = 0,
              kinds: frozenset[str] = DEFAULT_KINDS, ocr: bool = False) -> list[Finding]:
    """All findings in `text`; lines are 1-based plus `line_offset`; `ocr` when it was read by OCR."""
    return list(_scan_blocks(_blocks([text], 1 + line_offset), path, page, kinds, ocr))


def scan_lines(lines: Iterable[str], *, path: str | None = None, page: int | None = None,
               kinds: frozenset[str] = DEFAULT_KINDS, ocr: bool = False) -> Iterator[Finding]:
    """Stream findings from `lines` (one item per line, with or without its newline)."""
    pieces = (line if line.endswith("\n") else line + "\n" for line in lines)
    return _scan_blocks(_blocks(pieces, 1), path, page, kinds, ocr)


def scan_stream(reader: TextIO, *, path: str | None = None, page: int | None = None,
                kinds: frozenset[str] = DEFAULT_KINDS, ocr: bool = False) -> Iterator[Finding]:
    """Stream findings from a text reader in fixed-size reads: one huge line costs one block."""
    chunks = iter(lambda: reader.read(BLOCK_CHARS), "")
    return _scan_blocks(_blocks(chunks, 1), path, page, kinds, ocr)


def masked_spans(text: str, kinds: frozenset[str] = DEFAULT_KINDS) -> list[tuple[int, int, str]]:
    """(start, end, masked value) of every value detected in `text`, for redacting free text."""
    detectors, prefilter = detectors_for(kinds, False), _prefilter(kinds, False)
    plan = prefilter.plan(text) if prefilter else None
    hits = _located_hits(text, detectors, plan) if plan is not None else _hits_everywhere(text, detectors)
    return [(hit.start, hit.end, hit.detector.mask(hit.value)) for hit in _without_nested(hits)
            if not hit.detector.type.startswith("code.")]


def _scan_blocks(blocks: Iterable[_Block], path: str | None, page: int | None,
                 kinds: Iterable[str], ocr: bool) -> Iterator[Finding]:
    selection = frozenset(kinds)
    detectors, prefilter = detectors_for(selection, ocr), _prefilter(selection, ocr)
    for block in blocks:
        yield from _scan_block(block, detectors, prefilter, path, page)


@functools.lru_cache(maxsize=16)
def _prefilter(kinds: frozenset[str], ocr: bool) -> Prefilter | None:
    """The hyperscan database of one selection (keyed by kinds: hashing the detectors costs more)."""
    return shared(detectors_for(kinds, ocr))


def _blocks(chunks: Iterable[str], first_line: int) -> Iterator[_Block]:
    """Regroup arbitrary text chunks into line-aligned blocks of about BLOCK_CHARS."""
    parts: list[str] = []
    size = 0
    line = first_line
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size < BLOCK_CHARS:
            continue
        buffer = "".join(parts)
        pos = 0
        while len(buffer) - pos >= BLOCK_CHARS:
            block, pos = _cut(buffer, pos, line)
            line += block.text.count("\n", 0, block.own_until)
            yield block
        parts = [buffer[pos:]]
        size = len(parts[0])
    rest = "".join(parts)
    if rest:
        yield _Block(rest, line, len(rest))


def _cut(buffer: str, pos: int, line: int) -> tuple[_Block, int]:
    """The next block from `pos` and where the one after it starts."""
    end = pos + BLOCK_CHARS
    newline = buffer.rfind("\n", pos, end)
    if newline >= pos:
        text = buffer[pos:newline + 1]
        return _Block(text, line, len(text)), newline + 1
    # one line longer than a block: cut it, and let the next block start OVERLAP earlier
    text = buffer[pos:end]
    return _Block(text, line, BLOCK_CHARS - OVERLAP), end - OVERLAP


def _scan_block(block: _Block, detectors: tuple[Detector, ...], prefilter: Prefilter | None,
                path: str | None, page: int | None) -> list[Finding]:
    text = block.text
    plan = prefilter.plan(text) if prefilter else None
    hits = _located_hits(text, detectors, plan) if plan is not None else _hits_everywhere(text, detectors)
    if not hits:
        return []
    findings: list[Finding] = []
    line, counted = block.first_line, 0
    documentation = ctx.documentation_file(path)
    for hit in _without_nested(_exact_first(hits)):  # in start order: lines are counted once, left to right
        if hit.start >= block.own_until:
            break
        if documentation:
            _note_in_documentation(hit)
        line += text.count("\n", counted, hit.start)
        counted = hit.start
        findings.append(_finding(hit, text, line, path, page))
    return findings


def _note_in_documentation(hit: _Hit) -> None:
    """A secret in README/Markdown is an example unless its issuer's checksum proves it real."""
    if hit.detector.type.startswith("secret.") and not hit.detector.checksum and not hit.notes:
        hit.notes = (ctx.DOCUMENTATION_NOTE,)
        hit.confidence, hit.severity = min(hit.confidence, ctx.DOWNGRADED_CONFIDENCE), Severity.LOW


def _located_hits(text: str, detectors: tuple[Detector, ...], plan: Plan) -> list[_Hit]:
    """Run each detector only over the lines where hyperscan saw it end a match."""
    hits: list[_Hit] = []
    lowered: str | None = None
    for detector in detectors:
        regions = plan.regions(detector)
        if not regions:
            continue
        if plan.spans_lines(detector) or not plan.flagged(detector):
            # a search of the whole block, or of lines hyperscan cannot judge: the cheap checks first,
            # over what the search reads and the context window around it (not the whole block)
            if regions[0] == (0, len(text)):
                lowered = text.lower() if lowered is None else lowered
                if not _keywords_present(detector, lowered):
                    continue
            elif not _keywords_present(detector, _lowered_around(text, regions, detector.window)):
                continue
        search = detector.pattern.finditer
        for start, end in regions:
            for match in search(text, start, end):
                hit = _evaluate(detector, match, text)
                if hit is not None:
                    hits.append(hit)
    return hits


def _hits_everywhere(text: str, detectors: tuple[Detector, ...]) -> list[_Hit]:
    """Without hyperscan (or past its report limit): every detector whose keywords occur runs."""
    lowered = text.lower()  # for the keywords only: lower() may change offsets of rare letters
    hits: list[_Hit] = []
    for detector in detectors:
        if not _keywords_present(detector, lowered):
            continue
        for match in detector.pattern.finditer(text):
            hit = _evaluate(detector, match, text)
            if hit is not None:
                hits.append(hit)
    return hits


def _lowered_around(text: str, regions: list[tuple[int, int]], window: int) -> str:
    """The regions with `window` characters each side, lowered (for keyword checks only)."""
    return "\n".join(text[max(0, start - window):end + window] for start, end in regions).lower()


def _keywords_present(detector: Detector, lowered: str) -> bool:
    if detector.keywords and not any(k in lowered for k in detector.keywords):
        return False
    return not detector.needs_context or any(k in lowered for k in detector.context)


def _evaluate(detector: Detector, match: re.Match[str], text: str) -> _Hit | None:
    read, start, end = detector.value_of(match)
    # the context first: a few substring searches, while a stdnum or libphonenumber check costs up to
    # ~40 us, and most digit runs a context-bound detector sees (phone numbers, order numbers) have none
    window = text[max(0, start - detector.window):end + detector.window].lower()
    words = tuple(w for w in detector.context if w in window)
    if detector.needs_context and not words:
        return None
    if detector.negative_context and any(w in window for w in detector.negative_context):
        return None
    if detector.fits_place is not None and not detector.fits_place(text, start, end):
        return None
    value = detector.repair(read)
    if not detector.validate(value):
        return None
    if detector.type.startswith("secret.") and detector.type != "secret.private_key" and ctx.in_encoded_block(
            text, start, end):
        return None  # a key-shaped run inside a certificate or base64 blob is not a credential
    confidence = detector.context_confidence if words else detector.confidence
    if detector.ocr:
        confidence = min(confidence, ocr_reading.MAX_CONFIDENCE)
    severity = _severity(detector, value)
    notes = _notes(detector, value, text, (start, end), window)
    if detector.checksum_only and not words:
        words = _document_words(detector, text, start)
        if not words:
            notes = (*notes, NO_CONTEXT_NOTE)
    if notes:
        # placeholders, documentation examples, fixtures and bare checksums are reported, never as high
        confidence, severity = min(confidence, ctx.DOWNGRADED_CONFIDENCE), Severity.LOW
    return _Hit(detector, value, start, end, round(confidence, 2), words, notes, severity)


def _severity(detector: Detector, value: str) -> Severity:
    """The detector's or its type's severity; a test-mode key's is low (it opens the account's test mode)."""
    if ctx.test_mode_key(detector.type, value):
        return Severity.LOW
    return detector.severity or TYPES[detector.type].severity


def _notes(detector: Detector, value: str, text: str, span: tuple[int, int], window: str) -> tuple[str, ...]:
    """Why a hit is only a note: a placeholder or fixture on its own line, or the detector's note words."""
    notes = ctx.downgrade_reasons(detector.type, value, _own_line_around(text, *span, detector.window))
    if not notes and detector.note_context and any(w in window for w in detector.note_context):
        notes = (detector.note_reason,)
    if not notes and detector.type.startswith("pii.") and ctx.in_doctest(text, span[0]):
        notes = (ctx.DOCTEST_NOTE,)
    return tuple(notes)


def _document_words(detector: Detector, text: str, start: int) -> tuple[str, ...]:
    """The detector's document words around a bare checksum hit (searched only for such hits)."""
    if not detector.document_context:
        return ()
    around = text[max(0, start - DOCUMENT_REACH):start + DOCUMENT_REACH].lower()
    return tuple(w for w in detector.document_context if w in around)


def _own_line_around(text: str, start: int, end: int, window: int) -> str:
    """Up to `window` characters each side of a value on its own line (a fixture word describes the
    value when it is in its name or its comment, not when it is on some neighbouring line)."""
    line_start = text.rfind("\n", max(0, start - window), start) + 1 or max(0, start - window)
    newline = text.find("\n", end, end + window)
    before = text[max(line_start, start - window):start]
    return before + " " + text[end:newline if newline >= 0 else end + window]


def _exact_first(hits: list[_Hit]) -> list[_Hit]:
    """OCR-tolerant hits, minus those an exact detector made of the same type on an overlapping span.

    A surviving OCR hit read one token across the spaces tesseract put into it, so value hits that
    overlap it without lying inside it are fragments of that token (the tail of a key before an @
    is not an e-mail address) and are dropped too.
    """
    tolerant = [h for h in hits if h.detector.ocr]
    if not tolerant:
        return hits
    exact = [h for h in hits if not h.detector.ocr]
    kept = [h for h in tolerant if not any(
        e.detector.type == h.detector.type and _overlap(e, h) for e in exact)]
    return kept + [e for e in exact if not any(_straddles(e, h) for h in kept)]


def _overlap(a: _Hit, b: _Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _straddles(hit: _Hit, token: _Hit) -> bool:
    """`hit` overlaps `token` partly (code findings describe constructs, not values)."""
    inside = token.start <= hit.start and hit.end <= token.end
    around = hit.start <= token.start and token.end <= hit.end  # the longer hit wins later on
    return _overlap(hit, token) and not inside and not around and not hit.detector.type.startswith("code.")


def _without_nested(hits: list[_Hit]) -> list[_Hit]:
    """Drop value hits lying inside a longer one (the digits of an IBAN are not also a phone number).

    Code findings (a log call, a column) describe a construct, not a value: they neither hide nor
    are hidden by the values inside them.
    """
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), h.detector.priority))
    kept: list[_Hit] = []
    reach = -1
    for hit in hits:
        if hit.detector.type.startswith("code."):
            kept.append(hit)
            continue
        if hit.end <= reach:
            continue
        kept.append(hit)
        reach = hit.end
    return kept


def _finding(hit: _Hit, text: str, line: int, path: str | None, page: int | None) -> Finding:
    location: dict[str, object] = {"path": path, "line": line}
    if page is not None:
        location["page"] = page
    line_start = text.rfind("\n", 0, hit.start) + 1
    line_end = text.find("\n", hit.start)
    line_text = text[line_start:line_end] if line_end >= 0 else text[line_start:]
    info = TYPES[hit.detector.type]
    return Finding(
        type=info.name, category=info.category, severity=hit.severity, confidence=hit.confidence,
        location=location, evidence=hit.detector.mask(hit.value), gdpr_articles=info.articles,
        remediation=info.remediation,
        explanation=_explain(hit, line_text, hit.start - line_start),
        fingerprint=fingerprint(info.name, hit.value, path),
    )


def _explain(hit: _Hit, line_text: str, column: int) -> dict[str, object]:
    explanation: dict[str, object] = {
        "span": [column, column + hit.end - hit.start],  # 0-based characters within the line
        "detector": hit.detector.name or hit.detector.type,
        "matched": "pattern " + (hit.detector.name or hit.detector.type),
        "validation": hit.detector.check or "pattern only",
        "context_words": list(hit.context_words),
        "confidence": hit.confidence,
    }
    if hit.detector.vendor:
        explanation["vendor"] = hit.detector.vendor
    if hit.detector.ocr:
        explanation["ocr"] = ocr_reading.EXPLANATION
    if hit.notes:
        explanation["downgraded"] = list(hit.notes)
    if IGNORE_MARKER in line_text:
        explanation["inline_ignore"] = ctx.ignore_applies(line_text, hit.detector.type)
    return explanation
