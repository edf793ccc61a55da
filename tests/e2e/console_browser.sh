#!/bin/sh
# The staff console in a real browser (issue 13, "Tests that must exist",
# the first bullet): runs tests/e2e/console_browser.py with Debian's
# chromium and chromedriver through python3-selenium, headless, against a
# real `buurthub serve` on loopback and a real `buurtkiosk`.
#
# Without the browser, the driver or Selenium the test is skipped (77,
# CTest's SKIP_RETURN_CODE) on a developer's machine, and fails under
# CI=true: CI installs them (deps/debian-packages.txt), so missing there
# means the setup broke, and a skip would hide it.
set -eu
: "${BK:?BK must name the buurtkiosk binary}"
: "${BUURTHUB:?BUURTHUB must name the buurthub binary}"
: "${BK_SRC:?BK_SRC must name the source dir}"

# Debian's python3, whose dist-packages hold python3-selenium: another
# python3 first on the PATH (pyenv, a venv) would not see it.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
missing=
[ -x "${BK_CHROMIUM:=/usr/bin/chromium}" ] || missing="$missing chromium"
[ -x "${BK_CHROMEDRIVER:=/usr/bin/chromedriver}" ] || missing="$missing chromium-driver"
"$py" -c 'import selenium' 2>/dev/null || missing="$missing python3-selenium"
if [ -n "$missing" ]; then
    if [ "${CI:-}" = true ]; then
        echo "console_browser: missing under CI:$missing (scripts/setup-deps installs them)" >&2
        exit 1
    fi
    echo "console_browser: skipped, not installed:$missing (apt-get install$missing)"
    exit 77
fi
export BK_CHROMIUM BK_CHROMEDRIVER
exec "$py" "$BK_SRC/tests/e2e/console_browser.py"
