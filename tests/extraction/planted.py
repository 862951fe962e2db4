"""Planted personal values at known offsets, and a helper to find where a value was extracted."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from services.extraction import Chunk, ExtractOptions, extract_file


class Sample(NamedTuple):
    """The shape of tests.corpus.labelled samples: text and (type, start, end) spans."""

    text: str
    spans: list[tuple[str, int, int]]


BSN = "111222333"  # passes the 11-test; made up
IBAN = "NL91ABNA0417164300"  # the textbook example IBAN
EMAIL = "jan.jansen@voorbeeld.nl"
PHONE = "06-12345678"
PLANTED = (BSN, IBAN, EMAIL, PHONE)


def planted_samples() -> list[Sample]:
    """Four samples, the first without personal data, each value at a known offset."""
    texts = [
        ("Geen persoonsgegevens in deze regel.", []),
        (f"BSN van de klant: {BSN}", [("pii.bsn", BSN)]),
        (f"IBAN {IBAN} voor de betaling", [("pii.iban", IBAN)]),
        (f"Mail {EMAIL} of bel {PHONE}", [("pii.email", EMAIL), ("pii.phone", PHONE)]),
    ]
    samples = []
    for text, values in texts:
        spans = [(kind, text.index(value), text.index(value) + len(value)) for kind, value in values]
        samples.append(Sample(text, spans))
    return samples


def value_locations(chunks: list[Chunk], value: str) -> list[dict[str, Any]]:
    """Location (page, line and extra keys) of every extracted line that contains `value`."""
    found = []
    for chunk in chunks:
        for number, line in enumerate(chunk.text.split("\n"), start=chunk.line_offset + 1):
            if value in line:
                location: dict[str, Any] = {"line": number}
                if chunk.page is not None:
                    location["page"] = chunk.page
                location.update(chunk.location_for(number))
                found.append(location)
    return found


def extract_all(path: Path, options: ExtractOptions | None = None) -> list[Chunk]:
    """Every chunk of one file."""
    return list(extract_file(path, options or ExtractOptions()))
