"""Field names as data: what a column or key name says about the values under it.

The names live in services/detection/data/field_names.yaml (Dutch and English, with common German
and French ones); that file documents how a name is normalised and matched. This module loads it
once, checks it (every type must be a registered type, no name may stand in two sections) and
answers `meaning(name)`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from services.detection.types import TYPES

VOCABULARY_FILE = Path(__file__).resolve().parents[1] / "data" / "field_names.yaml"
MIN_COMPOUND_CHARS = 6  # entries this long also match inside a longer word (klanttelefoon)
MAX_NAME_CHARS = 200  # a longer "name" is a value that ended up in a header row, not a name
SECTIONS = ("not_personal", "person", "generic", "care")
WHOLE_NAME_SECTIONS = {"person_whole_name": "person"}  # matched only as a whole name, with this meaning

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Meaning:
    """What a field name says: `kind` is a type name, or one of SECTIONS; `entry` the word that matched."""

    kind: str
    entry: str

    @property
    def type(self) -> str | None:
        """The finding type the name implies, or None for the other sections."""
        return self.kind if self.kind in TYPES else None


_UNSPLIT_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L",
                                   "đ": "d", "Đ": "D", "þ": "th", "ð": "d"})


def normalise(name: str) -> str:
    """`dateOfBirth`, `Date of Birth`, `"k"."date-of-birth"` -> `date_of_birth` (see the YAML header)."""
    text = name.strip()[:MAX_NAME_CHARS]
    last = text.rstrip(".").rsplit(".", 1)[-1] if "." in text else text  # klanten.postcode -> postcode
    spaced = _CAMEL.sub("_", last)
    # letters NFKD does not split into a base letter and an accent (fødselsdato, Straße, łódź)
    spaced = spaced.translate(_UNSPLIT_LETTERS)
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii").lower()
    return _SEPARATORS.sub("_", folded).strip("_")


@dataclass(frozen=True)
class Vocabulary:
    """Normalised entries by meaning, and the lookups `meaning` uses."""

    exact: dict[str, Meaning]
    by_words: dict[str, tuple[tuple[int, tuple[str, ...], Meaning], ...]]  # by first word: (rank, words)
    compounds: tuple[tuple[str, Meaning], ...]  # entries of MIN_COMPOUND_CHARS+, without separators

    def meaning(self, name: str) -> Meaning | None:
        """The meaning of a field name, or None when the vocabulary does not know it."""
        key = normalise(name)
        if not key:
            return None
        found = self.exact.get(key) or self._longest(key)
        if found is not None and found.kind == "person":
            # a role or name word qualifies whose value a column holds (patient_bsn, medewerker_email,
            # guest_phone): the type named beside it says what the value is
            typed = self._longest(key, skip="person")
            found = typed if typed is not None and typed.kind in TYPES else found
        if found is None and key.endswith("s") and len(key) > 3:
            return self.meaning(key[:-1])  # an English plural names a list of them: phones, emails
        return found

    def _longest(self, key: str, skip: str = "") -> Meaning | None:
        words = tuple(key.split("_"))
        joined = key.replace("_", "")
        best: tuple[int, Meaning] | None = None
        rank: int | None = None
        for index, word in enumerate(words):  # entries are looked up by their first word: ~µs a name
            for entry_rank, entry, meaning in self.by_words.get(word, ()):
                if meaning.kind == skip:
                    continue
                if (rank is None or entry_rank < rank) and words[index:index + len(entry)] == entry:
                    rank, best = entry_rank, (len("".join(entry)), meaning)
                    break  # each word's entries are sorted longest first
        for compound, meaning in self.compounds:
            if meaning.kind != skip and compound in joined and (best is None or len(compound) > best[0]):
                best = (len(compound), meaning)
                break  # sorted longest first too
        return best[1] if best else None


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The field-name vocabulary, loaded and checked once per process."""
    import yaml  # on first use: a one-file code scan of a .py file never reads the vocabulary

    return build(yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8")))


def build(data: object) -> Vocabulary:
    """A Vocabulary from the YAML document; ValueError names what is wrong with it."""
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
        raise ValueError(f"{VOCABULARY_FILE.name}: needs a `types` mapping")
    exact: dict[str, Meaning] = {}
    whole_only: set[str] = set()
    sections: list[tuple[str, object]] = [*data["types"].items(),
                                          *((s, data.get(s, [])) for s in (*SECTIONS, *WHOLE_NAME_SECTIONS))]
    for section, names in sections:
        kind = WHOLE_NAME_SECTIONS.get(section, section)
        if kind not in TYPES and kind not in SECTIONS:
            raise ValueError(f"{VOCABULARY_FILE.name}: unknown type {kind!r}")
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"{VOCABULARY_FILE.name}: {section} must be a list of names")
        for name in names:
            key = normalise(name)
            if key in exact and exact[key].kind != kind:
                raise ValueError(f"{VOCABULARY_FILE.name}: {name!r} is both {exact[key].kind} and {kind}")
            exact[key] = Meaning(kind, key)
            if section in WHOLE_NAME_SECTIONS:
                whole_only.add(key)
    ordered = sorted(((key, meaning) for key, meaning in exact.items() if key not in whole_only),
                     key=lambda item: (-len(item[0]), item[0]))
    by_words: dict[str, list[tuple[int, tuple[str, ...], Meaning]]] = {}
    for rank, (key, meaning) in enumerate(ordered):  # longest first, so each list is too
        words = tuple(key.split("_"))
        by_words.setdefault(words[0], []).append((rank, words, meaning))
    compounds = tuple((key.replace("_", ""), meaning) for key, meaning in ordered
                      if len(key.replace("_", "")) >= MIN_COMPOUND_CHARS)
    return Vocabulary(exact, {word: tuple(entries) for word, entries in by_words.items()}, compounds)
