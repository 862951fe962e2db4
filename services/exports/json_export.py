"""JSON export: the exportable fields of one or more scan results, as one document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from services.exports.common import public_result

FORMAT_VERSION = 1  # bump when the document shape changes, so consumers can tell


def to_json_document(
    results: Sequence[dict[str, Any]], *, meta: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A JSON-ready document: format version, report metadata and the public part of each result."""
    return {
        "format": "dataguardian-report",
        "format_version": FORMAT_VERSION,
        "meta": dict(meta or {}),
        "results": [public_result(result) for result in results],
    }


def to_json_bytes(results: Sequence[dict[str, Any]], *, meta: dict[str, Any] | None = None) -> bytes:
    """`to_json_document` serialised as UTF-8 JSON with stable key order."""
    document = to_json_document(results, meta=meta)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
