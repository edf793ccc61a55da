#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Issue 14: the same document gives the same skipped-item lines from
# `buurtkiosk validate-feed`, `buurtkiosk sync` and `buurthub import`
# (automation-v1: `skipped KIND ID (#N): REASON`, N 0-based, `(no id)`),
# the sync line leaves out an empty reason, and a feed whose every
# activity is skipped is rejected by all three with the screen's content
# kept.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${BUURTHUB:?BUURTHUB must name the buurthub binary}"
SAMPLE=$BK_SRC/assets/sample-feed.json
printf '# e2e\n' >"$WORK/kiosk.ini"

# A feed with four broken activities among the good ones, an out-of-range
# coordinate and an image that is not a URL.
python3 - "$SAMPLE" "$WORK/mixed.json" "$WORK/broken.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["locations"][0]["lat"] = 123.0
d["activities"][0]["image"] = "foto.png"
d["activities"][3:3] = [1, "x", None, {"id": {}}, {"id": "a b", "title": "t"}]
d["activities"].append({"id": "act-zonder-begin", "title": "x"})
json.dump(d, open(sys.argv[2], "w"))
d["activities"] = [1, "x", None, {"id": {}}]
json.dump(d, open(sys.argv[3], "w"))
PY

skips() { printf '%s\n' "$1" | grep '^skipped ' || :; }

run "$BK" validate-feed "$WORK/mixed.json"
check_eq "validate-feed: exit" 0 "$RC"
VALIDATE=$(skips "$OUT")
check_eq "validate-feed: six skipped lines" 6 "$(printf '%s\n' "$VALIDATE" | grep -c .)"
check_contains "validate-feed: (no id) and 0-based" "$VALIDATE" \
    "skipped activity (no id) (#3): not an object"
check_contains "validate-feed: an invalid id is (no id)" "$VALIDATE" \
    "skipped activity (no id) (#7): id is not [A-Za-z0-9_-]{1,128}"
check_contains "validate-feed: a named item" "$VALIDATE" \
    "skipped activity act-zonder-begin (#36): starts_at is missing"
check_eq "validate-feed: the feed line without ()" \
    "feed: applied skipped=6 signups: sent=0 pending=0" "$(printf '%s\n' "$OUT" | tail -n 1)"
check_contains "validate-feed: a warning for the coordinate" "$ERR" \
    "warning location loc-nieuwe-sleutel (#0): lat/lon out of range; both dropped"
check_contains "validate-feed: a warning for the image" "$ERR" \
    "warning activity act-koffieochtend-sleutel (#0): image is not an http(s) or file URL; dropped"

run "$BK" sync --config "$WORK/kiosk.ini" --db "$WORK/kiosk.db" --feed "file://$WORK/mixed.json"
check_eq "sync: exit" 0 "$RC"
check_eq "sync: the sync line" "feed: applied skipped=6 signups: sent=0 pending=0" "$OUT"
check_eq "sync: the same skipped lines" "$VALIDATE" "$(skips "$ERR")"
run "$BK" status --config "$WORK/kiosk.ini" --db "$WORK/kiosk.db"
check_eq "sync: the location with the bad coordinate is kept" 5 "$(jget locations "$OUT")"
check_eq "sync: and every service" 21 "$(jget services "$OUT")"

run "$BUURTHUB" import --db "$WORK/hub.db" "$WORK/mixed.json"
check_eq "import: exit" 0 "$RC"
check_eq "import: the same skipped lines" "$VALIDATE" "$(skips "$ERR")"
check_contains "import: the same warning" "$ERR" \
    "warning location loc-nieuwe-sleutel (#0): lat/lon out of range; both dropped"

# Every activity skipped: rejected by all three, the kiosk keeps its content.
run "$BK" validate-feed "$WORK/broken.json"
check_eq "broken, validate-feed: 1" 1 "$RC"
BROKEN=$(skips "$OUT")
check_eq "broken, validate-feed: the feed line" \
    "feed: rejected (every one of the 4 activities was skipped) skipped=4 signups: sent=0 pending=0" \
    "$(printf '%s\n' "$OUT" | tail -n 1)"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$WORK/kiosk.db" --feed "file://$WORK/broken.json"
check_eq "broken, sync: 1" 1 "$RC"
check_eq "broken, sync: the sync line" \
    "feed: rejected (every one of the 4 activities was skipped) skipped=4 signups: sent=0 pending=0" "$OUT"
check_eq "broken, sync: the same skipped lines" "$BROKEN" "$(skips "$ERR")"
run "$BK" status --config "$WORK/kiosk.ini" --db "$WORK/kiosk.db"
check_eq "broken, sync: activities kept" 31 "$(jget activities "$OUT")"
run "$BUURTHUB" import --db "$WORK/hub.db" --force "$WORK/broken.json"
check_eq "broken, import --force: 1" 1 "$RC"
check_eq "broken, import: the same skipped lines" "$BROKEN" "$(skips "$ERR")"

summary
