"""Report labels in English and Dutch, read from labels.json (a table of data, not code)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from utils.errors import ConfigError, InvalidRequestError

LABELS_PATH = Path(__file__).with_name("labels.json")
ARTICLES_PATH = Path(__file__).with_name("gdpr_articles.json")
LANGUAGES = ("en", "nl")
# "Art. 5", "GDPR Art. 5(1)(f)", "AVG Art. 9"; not "UAVG Art. 46" or "AI Act Art. 14"
GDPR_ARTICLE = re.compile(r"^(?:GDPR |AVG )?Art\.\s*(\d+)")


def _load_table() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    keys = set(table["en"])
    for language in LANGUAGES:
        # a label missing in one language would print its key in a customer's report
        if set(table.get(language, {})) != keys:
            raise ConfigError(f"{LABELS_PATH.name}: language {language!r} does not have every label")
    return table


_TABLE = _load_table()
_ARTICLES: dict[str, dict[str, str]] = json.loads(ARTICLES_PATH.read_text(encoding="utf-8"))


class Labels:
    """The labels of one language; `labels("key", n=1)` formats a label with named values."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise InvalidRequestError(f"language must be one of {', '.join(LANGUAGES)}")
        self.language = language
        self._table = _TABLE[language]

    def __call__(self, key: str, **values: object) -> str:
        """The label `key`, with `{name}` placeholders filled from `values`."""
        text = self._table[key]
        return text.format(**values) if values else text

    def named(self, group: str, value: str) -> str:
        """Label of an enumerated value (`severity`, `risk`, `status`, `scanner`); the value if unknown."""
        return self._table.get(f"{group}.{value}", value)

    def article_title(self, article: str) -> str:
        """Title of a GDPR article (`Art. 32` -> `Security of processing`); empty when unknown."""
        match = GDPR_ARTICLE.match(article)
        return _ARTICLES.get(match.group(1), {}).get(self.language, "") if match else ""

    def long_date(self, day: date) -> str:
        """`23 November 2026` / `23 november 2026`."""
        month = self._table["months"].split()[day.month - 1]
        return f"{day.day} {month} {day.year}"
