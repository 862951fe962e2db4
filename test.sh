#!/usr/bin/env bash
# Set up (idempotently) and run the checks: ruff (lint, complexity, imports), mypy, the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy .
# two test processes, a file each at a time: most tests wait on real servers and workers, so two
# share two cores well (add -n 0 to run in one process)
exec .venv/bin/pytest -p no:cacheprovider -n 2 --dist loadfile "$@"
