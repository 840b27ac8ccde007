#!/usr/bin/env bash
# The web desk in a real browser: installs Debian's chromium and chromium-driver and Python's selenium
# when missing, then runs Tests/Browser/desk_browser_test.py against a real syncd serve with a real
# field replica (docs/desk.md). Screenshots go to $DESK_SCREENSHOTS (default .build/desk-screenshots).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "installing chromium and chromium-driver (the browser test of the web desk)…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
venv="${BROWSER_VENV:-$root/.build/browser-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q selenium
fi
bin=$(swift build --package-path "$root" --show-bin-path)
out="${DESK_SCREENSHOTS:-$root/.build/desk-screenshots}"
mkdir -p "$out"
"$venv/bin/python" "$root/Tests/Browser/desk_browser_test.py" --bin "$bin" --screenshots "$out"
