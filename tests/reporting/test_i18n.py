"""Report labels: both languages complete, formatting, dates, unknown languages refused."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from services.reporting import i18n
from services.reporting.i18n import Labels
from utils.errors import InvalidRequestError

# words Dutch shares with English; every other label must differ, or it was not translated
SAME_IN_BOTH = {
    "col_scanner", "col_score", "col_status", "col_type", "page_abbrev", "per_scan", "scanner.api",
    "scanner.database", "scanner.dpia", "scanner.soc2", "scanner.website", "scans", "severity.info",
}
PDF_SOURCE = Path(i18n.__file__).with_name("pdf.py").read_text(encoding="utf-8")


def test_both_languages_have_the_same_labels_and_placeholders() -> None:
    table = json.loads(i18n.LABELS_PATH.read_text(encoding="utf-8"))
    assert set(table["en"]) == set(table["nl"])
    for key, english in table["en"].items():
        assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", table["nl"][key])), key
        assert (english == table["nl"][key]) == (key in SAME_IN_BOTH), f"{key}: translation"


def test_every_label_the_pdf_asks_for_exists() -> None:
    used = set(re.findall(r'labels\("(\w+)"', PDF_SOURCE))
    assert used, "no labels found in pdf.py"
    labels = Labels("nl")
    for key in used:
        assert labels(key, **dict.fromkeys(re.findall(r"{(\w+)}", labels._table[key]), 1))


def test_labels_format_values_and_name_enumerations() -> None:
    en, nl = Labels("en"), Labels("nl")
    assert en("more_rows", count=4) == "... and 4 more"
    assert nl("more_rows", count=4) == "... en nog 4"
    assert nl.named("severity", "critical") == "Kritiek"
    assert nl.named("risk", "medium") == "gemiddeld"
    assert nl.named("scanner", "unknown_scanner") == "unknown_scanner"
    assert en.long_date(date(2026, 3, 5)) == "5 March 2026"
    assert nl.long_date(date(2026, 3, 5)) == "5 maart 2026"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidRequestError):
        Labels("de")


def test_gdpr_article_titles_in_both_languages() -> None:
    en, nl = Labels("en"), Labels("nl")
    assert en.article_title("Art. 32") == "Security of processing"
    assert nl.article_title("Art. 32") == "Beveiliging van de verwerking"
    assert en.article_title("Art. 5(1)(f)") == "Principles relating to processing of personal data"
    assert nl.article_title("GDPR Art. 5(1)(c)") == "Beginselen inzake verwerking van persoonsgegevens"
    assert en.article_title("UAVG Art. 46") == "" and en.article_title("Art. 99") == ""
    table = json.loads(i18n.ARTICLES_PATH.read_text(encoding="utf-8"))
    assert all(set(titles) == set(i18n.LANGUAGES) and all(titles.values()) for titles in table.values())
