#!/usr/bin/env bash
# Set up everything a fresh machine lacks, then run every test (engine, parity under Pyodide/Node,
# Playwright end-to-end in Debian's Chromium). Usage: ./test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. System packages: Debian's Chromium for the browser tests (Playwright never downloads a browser here),
#    and a Japanese font so the screenshots saved as test artifacts show text, not boxes.
if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then
  echo "== installing Debian chromium and fonts-noto-cjk"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
# Node.js runs Pyodide at build time and in the parity tests; npm fetches the pinned Pyodide.
if ! need node || ! need npm; then
  echo "== installing Debian nodejs and npm"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# 2. Python: a project venv with the package (editable) and the test tools.
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,build]'

# 3. The static site (pinned Pyodide via npm pack, our wheels, precompiled stdlib) into dist/.
echo "== building dist/"
.venv/bin/python build.py

# 4. axe-core for the accessibility tests: npm pack of a pinned version, sha512-checked, cached in .cache/.
.venv/bin/python tests/e2e/axe.py

# 5. All tests. The e2e fixtures reuse the dist/ just built.
echo "== running tests"
export MIKIWAME_SKIP_BUILD=1
exec .venv/bin/python -m pytest tests -p no:cacheprovider "$@"
