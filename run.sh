#!/usr/bin/env bash
# Set up (idempotently) and run the whole platform: python launcher.py, nginx on :8080.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec .venv/bin/python launcher.py "$@"
