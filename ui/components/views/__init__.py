"""Views scanners declare for their result's own section (`ScannerDeclaration.view`, "module:function").

A view is `render(result)` drawing with Streamlit; it treats the result as untrusted text (ui.components
.text.literal for anything shown as Markdown) and reads its fields defensively.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.scanners import declarations
from services.scanners.declaration import load_attribute

View = Callable[[dict[str, Any]], None]


def declared_view(result: dict[str, Any]) -> View | None:
    """The view the result's scanner declares, or None (unknown scanner, or none declared)."""
    scanner = result.get("scanner")
    found = declarations().get(scanner) if isinstance(scanner, str) else None
    if found is None or not found.view:
        return None
    view: View = load_attribute(found.view)
    return view
