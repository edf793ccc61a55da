#!/bin/sh
# docs/config-reference.md is generated from the option table in
# src/model/config.c: fail when someone changed one without the other.
# Refresh with: scripts/refresh-config-reference
set -eu
doc="$BK_SRC/docs/config-reference.md"
expected=$(mktemp)
trap 'rm -f "$expected"' EXIT
"$BK" config --reference >"$expected"
if tail -n +7 "$doc" | diff -u "$expected" -; then
    echo "1 passed, 0 failed"
else
    echo "docs/config-reference.md is out of date: run scripts/refresh-config-reference"
    echo "0 passed, 1 failed"
    exit 1
fi
