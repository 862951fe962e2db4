"""Redaction: masking the values inside free text that is not a finding (log lines, exception texts).

A finding's evidence is masked where it is made (services/detection/masking.py). Text that merely
passes through (a library's warning quoting the bytes it choked on, an exception message, a per-file
error) is redacted here before it reaches a log line, a Redis value, a PostgreSQL row or a result:
first by the detection engine (e-mail addresses, IBANs, keys and tokens, masked as evidence is), then by
two broad rules that need no context, because a log line has none:
- a run of nine or more digits (a BSN, an account or card number, a phone number), separators allowed;
- a token of twenty or more letters and digits with both in it (a key or token of a vendor the engine
  does not know), UUIDs excepted: job ids are what makes a log line useful.
Over-masking a log line costs little; a value in a log costs a data breach.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from services.detection.masking import mask

DETECTED_KINDS = frozenset({"pii", "secret"})
# text without any of these holds nothing the engine or the broad rules would mask: skip the engine,
# whose first use compiles its pattern database (seconds), in processes that only log about themselves
_CANDIDATE = re.compile(r"@|\d{6}|[A-Za-z0-9+_=-]{16}|-----BEGIN", re.ASCII)
_DIGIT_RUN = re.compile(r"(?<![\w*])\d(?:[ .-]?\d){8,}(?![\w*])", re.ASCII)
_TOKEN = re.compile(r"(?<![\w*+=-])[A-Za-z0-9+_=-]{20,}(?![\w*])", re.ASCII)
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with every value the engine detects, and every long digit run or key-like token, masked."""
    if not text or not _CANDIDATE.search(text):
        return text
    return _broad(_detected(text))


def redact_value(value: Any) -> Any:
    """A JSON-like value with every string in it redacted (dict keys included)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_value(key): redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    return value


def _detected(text: str) -> str:
    from services.detection.engine import masked_spans  # loaded on first need: see _CANDIDATE

    pieces, end = [], len(text)
    for start, stop, masked in sorted(masked_spans(text, DETECTED_KINDS), reverse=True):
        if stop > end:
            continue  # nested in a span already replaced
        pieces.append(text[stop:end])
        pieces.append(masked)
        end = start
    pieces.append(text[:end])
    return "".join(reversed(pieces))


def _broad(text: str) -> str:
    """The broad rules, applied between the UUIDs of `text` (which they leave alone)."""
    pieces, start = [], 0
    for uuid in _UUID.finditer(text):
        pieces += [_broad_part(text[start:uuid.start()]), uuid.group()]
        start = uuid.end()
    pieces.append(_broad_part(text[start:]))
    return "".join(pieces)


def _broad_part(text: str) -> str:
    text = _DIGIT_RUN.sub(lambda m: mask(m.group()), text)
    return _TOKEN.sub(_mask_token, text)


def _mask_token(match: re.Match[str]) -> str:
    token = match.group()
    if not any(c.isdigit() for c in token) or not any(c.isalpha() for c in token):
        return token
    return mask(token)


class RedactingFormatter(logging.Formatter):
    """A log formatter that redacts each record's message, exception text and stack text.

    The time, level and logger name it adds are ours and left alone (a timestamp is a digit run).
    """

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record, its own text redacted."""
        record = logging.makeLogRecord(record.__dict__)  # other handlers still see the original
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return super().format(record)
