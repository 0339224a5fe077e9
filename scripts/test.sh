#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing (Python env, Chromium, chromedriver, PostgreSQL),
# then ruff and pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --system
.venv/bin/ruff check src tests bench
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
