#!/usr/bin/env bash
# The pre-commit hook's entry (`language: script`): pre-commit itself may run on a Python older than the 3.12
# guideline-lint needs, so the hook finds a Python >= 3.12 on its own, keeps guideline-lint in a virtual
# environment inside pre-commit's copy of this repository, and runs it in the repository being committed.
set -euo pipefail
hook_repo=$(cd "$(dirname "$0")/.." && pwd)
. "$hook_repo/scripts/find-python.sh"

env_dir="$hook_repo/.pre-commit-venv"
stamp="$env_dir/.installed-$(sha1sum "$hook_repo/pyproject.toml" | cut -c1-12)"
if [[ ! -f "$stamp" ]]; then
  python=$(find_python) || {
    echo "guideline-lint: no Python >= 3.12 found for the pre-commit hook. Install one, e.g." >&2
    echo "  'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12'." >&2
    exit 3
  }
  rm -rf "$env_dir"
  "$python" -m venv "$env_dir"
  "$env_dir/bin/python" -m pip install -q --disable-pip-version-check "$hook_repo" >&2
  touch "$stamp"
fi
exec "$env_dir/bin/guideline-lint" "$@"
