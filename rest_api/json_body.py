"""How the API reads JSON bodies: strict JSON only.

Python's json module accepts `NaN`, `Infinity` and `-Infinity`, which are not JSON and slip past every
range check downstream (a `timeout_s` of NaN once disabled a worker's deadline), and it overflows its
recursion on deeply nested input, which Flask would turn into a 500. Both are read here as malformed
JSON, which the routes answer with a 400.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, refusing non-finite number constants and nesting json cannot parse."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse `s` as strict JSON; ValueError for anything else."""
        try:
            return json.loads(s, parse_constant=_refuse_constant, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
