#!/usr/bin/env bash
# Set up (idempotently) and run the checks: ruff (lint, complexity, imports), mypy, the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy .
exec .venv/bin/pytest -p no:cacheprovider "$@"
