#!/bin/sh
# The hub's bearer token goes only to the hub's own scheme, host and port
# (hub-api-v1): two recording servers on loopback, one as the hub, one as
# another server (a CDN) holding the feed. A feed on the hub's origin gets
# the token (the control: the recorder sees it when it is sent); a feed on
# the other port does not, nor does one reached by a redirect from the hub.
set -eu
. "$BK_SRC/tests/e2e/lib.sh"

command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
BUURTKIOSK_ASSETS=$BK_SRC/assets
export BUURTKIOSK_ASSETS
HUB_PID=
CDN_PID=
stop_all() {
    for pid in $HUB_PID $CDN_PID; do
        kill "$pid" 2>/dev/null || :
        wait "$pid" 2>/dev/null || :
    done
    HUB_PID=
    CDN_PID=
}
trap 'stop_all; e2e_cleanup' EXIT

mkdir -p "$WORK/www"
cp "$BK_SRC/assets/sample-feed.json" "$WORK/www/feed.json"

# wait_port FILE: the port a recorder wrote.
wait_port() {
    i=0
    while [ ! -s "$1" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    cat "$1"
}

python3 "$BK_SRC/tests/e2e/header_recorder.py" "$WORK/www" "$WORK/cdn.port" "$WORK/cdn.log" \
    2>"$WORK/cdn.err" &
CDN_PID=$!
cdn=http://127.0.0.1:$(wait_port "$WORK/cdn.port")
python3 "$BK_SRC/tests/e2e/header_recorder.py" "$WORK/www" "$WORK/hub.port" "$WORK/hub.log" \
    "$cdn/feed.json" 2>"$WORK/hub.err" &
HUB_PID=$!
hub=http://127.0.0.1:$(wait_port "$WORK/hub.port")
: >"$WORK/hub.log"
: >"$WORK/cdn.log"

printf 'kiosk-geheim-token-1234567890\n' >"$WORK/token"
printf '[kiosk]\nid = kiosk-a\nhub = %s\ntoken_file = %s\n' "$hub" "$WORK/token" >"$WORK/kiosk.ini"

# 1. The feed on the hub's origin: the token goes with it (and with the heartbeat).
run "$BK" sync --config "$WORK/kiosk.ini" --db "$WORK/k1/kiosk.db" --feed "$hub/feed.json"
check_contains "feed from the hub: applied" "$OUT" "feed: applied"
check_contains "feed from the hub: the token is sent" "$(cat "$WORK/hub.log")" \
    "GET /feed.json auth=yes"
check_contains "heartbeat to the hub: the token is sent" "$(cat "$WORK/hub.log")" \
    "POST /kiosk/v1/heartbeat auth=yes"

# 2. The feed on another port of the same host: no token there.
run "$BK" sync --config "$WORK/kiosk.ini" --db "$WORK/k2/kiosk.db" --feed "$cdn/feed.json"
check_contains "feed from elsewhere: applied" "$OUT" "feed: applied"
check_contains "feed from elsewhere: requested" "$(cat "$WORK/cdn.log")" "GET /feed.json"
check_not_contains "feed from elsewhere: no token" "$(cat "$WORK/cdn.log")" "auth=yes"
check_contains "the heartbeat still carries it to the hub" "$(tail -n 1 "$WORK/hub.log")" \
    "POST /kiosk/v1/heartbeat auth=yes"

# 3. The hub's feed URL redirects to the other server: the token stays behind.
: >"$WORK/cdn.log"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$WORK/k3/kiosk.db" --feed "$hub/redirect"
check_contains "redirected feed: applied" "$OUT" "feed: applied"
check_contains "redirected feed: the hub asked with the token" "$(cat "$WORK/hub.log")" \
    "GET /redirect auth=yes"
check_contains "redirected feed: fetched from elsewhere" "$(cat "$WORK/cdn.log")" "GET /feed.json"
check_not_contains "redirected feed: no token elsewhere" "$(cat "$WORK/cdn.log")" "auth=yes"

# 4. The hub's server spelled otherwise (localhost for 127.0.0.1) is another
# origin too: no token, though the same process answers.
hport=$(cat "$WORK/hub.port")
run "$BK" sync --config "$WORK/kiosk.ini" --db "$WORK/k4/kiosk.db" --feed "http://localhost:$hport/feed.json"
check_contains "localhost spelling: applied" "$OUT" "feed: applied"
check_eq "localhost spelling: no token" "GET /feed.json auth=no" \
    "$(grep '^GET /feed.json' "$WORK/hub.log" | tail -n 1)"

check_not_contains "the token is never logged" "$ERR" "kiosk-geheim-token"
summary
