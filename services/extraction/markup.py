"""HTML and XML: the text and attribute values a person could read, at their source lines."""

from __future__ import annotations

import logging
import xml.sax
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException

from services.extraction.base import Chunk, ErrorKind, ExtractionError, ExtractOptions, chunk_lines
from services.extraction.text import read_text

logger = logging.getLogger(__name__)

# attributes whose values are content (a form's prefilled value, an image's description)
HTML_TEXT_ATTRIBUTES = frozenset({"alt", "title", "value", "content", "placeholder", "href"})
HTML_SKIPPED_TAGS = frozenset({"script", "style"})


class LineCollector:
    """Text pieces placed on the source line they came from, so findings keep that line."""

    def __init__(self) -> None:
        self.lines: dict[int, list[str]] = {}

    def add(self, line: int, text: str) -> None:
        """Add `text` starting at source line `line`; its own line breaks move to the next lines."""
        for offset, part in enumerate(text.split("\n")):
            if part.strip():
                self.lines.setdefault(line + offset, []).append(part.strip())

    def chunks(self) -> Iterator[Chunk]:
        """The collected text as chunks whose line n is source line n."""
        yield from chunk_lines(self.text_lines())

    def text_lines(self) -> list[str]:
        """One entry per source line, from line 1 to the last line with text."""
        last = max(self.lines, default=0)
        return [" ".join(self.lines.get(n, ())) for n in range(1, last + 1)]


class _HtmlText(HTMLParser):
    def __init__(self, collector: LineCollector) -> None:
        super().__init__(convert_charrefs=True)
        self.collector = collector
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HTML_SKIPPED_TAGS:
            self.skipping += 1
        line = self.getpos()[0]
        for name, value in attrs:
            if value and name in HTML_TEXT_ATTRIBUTES:
                self.collector.add(line, value)

    def handle_endtag(self, tag: str) -> None:
        if tag in HTML_SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.collector.add(self.getpos()[0], data)


def extract_html(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Visible text and content attributes of an HTML page, by source line."""
    yield from chunk_lines(html_lines(read_text(path, options)))


class _XmlText(ContentHandler):
    def __init__(self, collector: LineCollector) -> None:
        super().__init__()
        self.collector = collector
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self.locator = locator

    def _line(self) -> int:
        line = self.locator.getLineNumber() if self.locator else None
        return line or 1

    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:
        for value in attrs.values():
            self.collector.add(self._line(), value)

    def characters(self, content: str) -> None:
        # expat reports text one source line at a time, with the line it starts on
        self.collector.add(self._line(), content)


def extract_xml(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Element text and attribute values of an XML file; entity and DTD tricks are refused."""
    collector = LineCollector()
    try:
        defusedxml.sax.parse(str(path), _XmlText(collector))
    except DefusedXmlException as error:
        raise ExtractionError(
            ErrorKind.UNSAFE, f"{path.name}: refused XML construct ({type(error).__name__})"
        ) from None
    except xml.sax.SAXParseException as error:
        raise ExtractionError(
            ErrorKind.CORRUPT, f"{path.name}: malformed XML at line {error.getLineNumber()}"
        ) from None
    yield from collector.chunks()


def html_lines(html: str) -> list[str]:
    """The readable text of an HTML string, one entry per source line (e-mail bodies)."""
    collector = LineCollector()
    parser = _HtmlText(collector)
    parser.feed(html)
    parser.close()
    return collector.text_lines()
