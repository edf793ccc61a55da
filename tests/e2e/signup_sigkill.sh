#!/bin/sh
# Leases under SIGKILL (issue 12): a kiosk signs up residents while the
# kiosk, the hub or both are killed with SIGKILL at random moments, the
# hub restarted, the kiosk synced. At the end: the confirmed party sizes
# never pass the capacity, every sign-up a done screen called confirmed
# is confirmed at the hub, and no sign-up is held twice.
set -eu
. "$BK_SRC/tests/e2e/lib.sh"

: "${BUURTHUB:?BUURTHUB must name the buurthub binary}"
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
BUURTKIOSK_ASSETS=$BK_SRC/assets
export BUURTKIOSK_ASSETS
HUB_PID=
KIOSK_PID=
stop_all() {
    for p in $KIOSK_PID $HUB_PID; do
        kill -9 "$p" 2>/dev/null || :
        wait "$p" 2>/dev/null || :
    done
    KIOSK_PID=
    HUB_PID=
}
trap 'stop_all; e2e_cleanup' EXIT

ROUNDS=${ROUNDS:-8}
TZ=Europe/Amsterdam
export TZ
day=$(date -d '+3 days' +%Y-%m-%d)
stamp=$(date -d "$day 18:00" +%Y%m%dT1800)
offset=$(date -d "$day 18:00" +%:z)
now=$(date +%Y-%m-%dT%H:%M:%S%:z)
cat >"$WORK/feed.json" <<JSON
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "2026-11-25T08:00:00+01:00",
 "activities": [{"id": "act-kerst", "title": "Kerstdiner", "starts_at": "${day}T18:00:00$offset",
   "signup": {"capacity": 4, "fields": ["name"]}}]}
JSON
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
hub_db=$WORK/hub.db
run "$BUURTHUB" import --db "$hub_db" "$WORK/feed.json"
"$BUURTHUB" kiosk add --db "$hub_db" kiosk-a >"$WORK/token-a"
"$BUURTHUB" kiosk add --db "$hub_db" kiosk-b >"$WORK/token-b"
printf '[kiosk]\nid = kiosk-a\nhub = http://127.0.0.1:%s\ntoken_file = %s\n' "$port" "$WORK/token-a" \
    >"$WORK/kiosk.ini"
kdb=$WORK/a/kiosk.db

hub_start() {
    : >"$WORK/hub.out"
    "$BUURTHUB" serve --db "$hub_db" --listen "127.0.0.1:$port" >"$WORK/hub.out" 2>>"$WORK/hub.err" &
    HUB_PID=$!
    _i=0
    while ! grep -q '^listening on ' "$WORK/hub.out" 2>/dev/null && [ $_i -lt 100 ]; do
        sleep 0.05
        _i=$((_i + 1))
    done
}

# A random number of milliseconds below $1.
rnd() { python3 -c "import random; print(random.randrange($1))"; }

hub_start
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
# Kiosk B takes its lease too, so that A's is not all there is.
printf '[kiosk]\nid = kiosk-b\nhub = http://127.0.0.1:%s\ntoken_file = %s\n' "$port" "$WORK/token-b" \
    >"$WORK/kiosk-b.ini"
run "$BK" sync --config "$WORK/kiosk-b.ini" --db "$WORK/b/kiosk.db"

: >"$WORK/seen"
round=0
while [ $round -lt "$ROUNDS" ]; do
    round=$((round + 1))
    name="bewoner $(printf '%s' "$round" | tr '0-9' 'a-j')"
    cat >"$WORK/s.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.act-kerst.$stamp"
tap "#activity.signup"
type "$name"
tap "#signup.consent"
tap "#signup.submit"
expect-screen signup-done
wait 3100
dump "$WORK/done-$round.json"
SCRIPT
    "$BK" run --config "$WORK/kiosk.ini" --db "$kdb" --headless --now "$now" \
        --script "$WORK/s.script" >"$WORK/k.out" 2>"$WORK/k.err" &
    KIOSK_PID=$!
    sleep "$(python3 -c "print($(rnd 4000) / 1000)")"
    case $((round % 3)) in
    0) kill -9 "$KIOSK_PID" 2>/dev/null || : ;;
    1) kill -9 "$HUB_PID" 2>/dev/null || : ;;
    2) kill -9 "$KIOSK_PID" "$HUB_PID" 2>/dev/null || : ;;
    esac
    wait "$KIOSK_PID" 2>/dev/null || :
    KIOSK_PID=
    if ! kill -0 "$HUB_PID" 2>/dev/null; then
        wait "$HUB_PID" 2>/dev/null || :
        hub_start
    fi
    state=none
    if [ -f "$WORK/done-$round.json" ]; then
        state=$(grep -o '"id": "done\.[a-z]*"' "$WORK/done-$round.json" |
            sed 's/.*"done\.\([a-z]*\)"/\1/' | tr '\n' ' ' | sed 's/ $//')
    fi
    printf '%s|%s\n' "$name" "$state" >>"$WORK/seen"
    # Now and then a sync, as the network thread would.
    [ $((round % 2)) -eq 0 ] && run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
done
stop_all
hub_start
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
run "$BK" status --config "$WORK/kiosk.ini" --db "$kdb"
check_eq "nothing left unsent" 0 "$(jget outbox_pending "$OUT")"
run "$BUURTHUB" signups --db "$hub_db" --csv
csv=$OUT
header=$(printf '%s\n' "$csv" | head -n 1)
col() { printf '%s\n' "$header" | tr ',' '\n' | grep -n "^$1\$" | cut -d: -f1; }
name_col=$(col name)
status_col=$(col status)
party_col=$(col party_size)
id_col=$(col signup_id)
confirmed=$(printf '%s\n' "$csv" | awk -F, -v si="$status_col" -v pi="$party_col" \
    'NR > 1 && $si == "confirmed" { n += $pi } END { print n + 0 }')
check_eq "confirmed places within capacity ($confirmed of 4)" yes \
    "$([ "$confirmed" -le 4 ] && echo yes || echo no)"
check_eq "no sign-up held twice" "" \
    "$(printf '%s\n' "$csv" | tail -n +2 | cut -d, -f"$id_col" | sort | uniq -d)"
check_eq "no resident held twice" "" \
    "$(printf '%s\n' "$csv" | tail -n +2 | cut -d, -f"$name_col" | grep . | sort | uniq -d)"
while IFS='|' read -r name state; do
    held=$(printf '%s\n' "$csv" | awk -F, -v n="$name" -v ni="$name_col" -v si="$status_col" \
        'NR > 1 && $ni == n { print $si }')
    case $state in
    confirmed) check_eq "$name: told confirmed, the hub holds it" confirmed "$held" ;;
    full | closed | waitlisted) check_eq "$name: told $state" "$state" "$held" ;;
    *) pass ;;
    esac
    printf '%s: screen %s, hub %s\n' "$name" "$state" "${held:-absent}"
done <"$WORK/seen"
summary
