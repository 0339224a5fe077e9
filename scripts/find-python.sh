# Sourced by setup.sh and the pre-commit hook: find_python prints the path of a Python >= 3.12:
# python3.13/python3.12/python3 on PATH, else the newest version pyenv knows (its shims answer "command not
# found" for versions that are installed but not selected, so each is asked for through `pyenv prefix`).
find_python() {
  local candidate version
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv shims answer "command not found" for versions that are installed but not selected.
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+(\.[0-9]+)?$' | sort -t. -k1,1n -k2,2n -k3,3n -r); do
      candidate="$(pyenv prefix "$version" 2>/dev/null)/bin/python3"
      if [[ -x "$candidate" ]] && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
        echo "$candidate"; return 0
      fi
    done
  fi
  return 1
}
