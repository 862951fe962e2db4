"""E-mail: .eml (stdlib email) and Outlook .msg (extract-msg): headers, bodies and attachments."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import logging
import tempfile
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import extract_msg
import olefile
from extract_msg.exceptions import ExMsgBaseException

from services.extraction.base import (
    Chunk,
    ErrorKind,
    ExtractionError,
    ExtractOptions,
    chunk_lines,
    chunk_rows,
)
from services.extraction.markup import html_lines

logger = logging.getLogger(__name__)

# the people a message is from and to, its subject, and the address of the sender's own computer that
# webmail services record (X-Originating-IP); Received lines name relays, not people
ADDRESS_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject", "X-Originating-IP")

# extract one attachment saved to a file; set by services.extraction to avoid an import cycle
AttachmentExtractor = Callable[[Path, ExtractOptions], Iterator[Chunk]]


def extract_eml(path: Path, options: ExtractOptions, attachments: AttachmentExtractor | None = None,
                ) -> Iterator[Chunk]:
    """Address headers and subject, text and HTML bodies, and attachments in formats we read."""
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise ExtractionError(ErrorKind.CORRUPT, f"{path.name}: no e-mail headers found")
    yield from _header_chunks({name: str(message.get(name, "")) for name in ADDRESS_HEADERS})
    for number, part in enumerate(message.walk(), start=1):
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if filename or part.get_content_disposition() == "attachment":
            if attachments is not None:
                yield from _attachment(part, filename or f"part{number}", options, attachments)
            continue
        yield from _body_chunks(part, number, path, options)


def _header_chunks(headers: dict[str, str]) -> Iterator[Chunk]:
    present = [(name, value) for name, value in headers.items() if value.strip()]
    rows = [(value, {"part": "header", "header": name, "line": line})
            for line, (name, value) in enumerate(present, start=1)]
    yield from chunk_rows(rows)


def _body_chunks(part: Any, number: int, path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    content_type = part.get_content_type()
    if content_type not in ("text/plain", "text/html"):
        return
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        options.warn(ErrorKind.DECODING, f"{path.name}: body part {number} could not be decoded")
        return
    lines = html_lines(content) if content_type == "text/html" else content.splitlines()
    yield from chunk_lines(lines, extra={"part": "body", "body": number})


def _attachment(part: Any, filename: str, options: ExtractOptions,
                attachments: AttachmentExtractor) -> Iterator[Chunk]:
    data = part.get_payload(decode=True) or b""
    yield from saved_attachment(filename, data, options, attachments)


def saved_attachment(filename: str, data: bytes, options: ExtractOptions,
                     attachments: AttachmentExtractor) -> Iterator[Chunk]:
    """Chunks of one attachment, written to a private temporary file for its extractor."""
    name = Path(filename.replace("\\", "/")).name or "attachment"  # never a path from the mail
    with tempfile.TemporaryDirectory(prefix="dg-attach-") as workdir:
        saved = Path(workdir) / name
        saved.write_bytes(data)
        try:
            for chunk in attachments(saved, options):
                yield dataclasses.replace(chunk, extra={**chunk.extra, "attachment": name})
        except ExtractionError as error:
            options.warn(error.kind, f"attachment {error}")


def extract_msg_file(path: Path, options: ExtractOptions, attachments: AttachmentExtractor | None = None,
                     ) -> Iterator[Chunk]:
    """Sender, recipients, subject, body and attachments of an Outlook .msg file."""
    if not olefile.isOleFile(str(path)):
        raise ExtractionError(ErrorKind.CORRUPT, f"{path.name}: not an Outlook message")
    try:
        message = extract_msg.openMsg(str(path))
    except (ExMsgBaseException, OSError, ValueError, KeyError) as error:
        raise ExtractionError(
            ErrorKind.CORRUPT, f"{path.name}: unreadable Outlook message ({type(error).__name__})"
        ) from None
    try:
        chunks, files = _msg_content(message)
    finally:
        message.close()
    yield from chunks
    for filename, data in files if attachments is not None else ():
        yield from saved_attachment(filename, data, options, attachments)  # type: ignore[arg-type]


def _msg_content(message: Any) -> tuple[list[Chunk], list[tuple[str, bytes]]]:
    headers = {
        "From": message.sender or "", "To": message.to or "", "Cc": message.cc or "",
        "Bcc": getattr(message, "bcc", "") or "", "Subject": message.subject or "",
    }
    chunks = list(_header_chunks(headers))
    chunks += chunk_lines((message.body or "").splitlines(), extra={"part": "body", "body": 1})
    files = [
        (attachment.longFilename or attachment.shortFilename or "attachment", attachment.data)
        for attachment in getattr(message, "attachments", [])
        if isinstance(getattr(attachment, "data", None), bytes)
    ]
    return chunks, files
