#!/usr/bin/env bash
# Runs guideline-lint on the bundled example service and prints its report (Japanese; --lang en for English).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser  # the demo audits the example's pages; PostgreSQL is for the tests only
exec .venv/bin/guideline-lint check examples/sample-service "$@"
