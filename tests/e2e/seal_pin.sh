#!/bin/sh
# sync.hub_seal_key (docs/security.md "A swapped seal key",
# docs/spec-notes.md "sync.hub_seal_key"), against real buurthubs:
# - a kiosk that learnt hub A's key (no pin yet) and is then pinned to
#   hub B's key keeps B's key (the log says it replaced the kept one);
# - hub A, whose key is not the pin, offers its key at every feed answer:
#   refused, with a log line naming the reason; the kiosk still holds B's;
# - a sign-up stored meanwhile is sealed to B's key and is not handed to
#   A (pending at the kiosk, none at A); the network thread says so in the
#   staff problem line it sends in its heartbeats (A's `kiosks` shows it);
# - hub B (the pinned key's home) gets it, opens it, and stores the name;
# - the control: without the pin the same kiosk takes A's key again.
# - a pin that is no key stops the kiosk at start (exit 2).
set -eu
. "$BK_SRC/tests/e2e/lib.sh"

: "${BUURTHUB:?BUURTHUB must name the buurthub binary}"
BUURTKIOSK_ASSETS=$BK_SRC/assets
BUURTKIOSK_LOG=info
export BUURTKIOSK_ASSETS BUURTKIOSK_LOG
HUB_PID=
trap 'buurthub_stop; e2e_cleanup' EXIT


test_day_after_tomorrow
cat >"$WORK/feed.json" <<JSON
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "$now",
 "locations": [{"id": "loc-e2e", "name": "Buurthuis Proef"}],
 "activities": [{"id": "act-e2e", "title": "Proefochtend",
   "starts_at": "${day}T10:00:00$offset", "location_id": "loc-e2e",
   "signup": {"capacity": 5, "fields": ["name", "phone"]}}]}
JSON

# Two hubs with their own key pairs; the kiosk has a token at both.
for h in a b; do
    run "$BUURTHUB" import --db "$WORK/hub-$h.db" "$WORK/feed.json"
    check_eq "hub $h import" 0 "$RC"
    "$BUURTHUB" kiosk add --db "$WORK/hub-$h.db" kiosk-pin >"$WORK/token-$h"
done
key_a=$("$BUURTHUB" seal-key --db "$WORK/hub-a.db")
key_b=$("$BUURTHUB" seal-key --db "$WORK/hub-b.db")
check_eq "the two hubs' keys differ" yes "$([ "$key_a" != "$key_b" ] && echo yes || echo no)"

buurthub_start "$WORK/hub-a.db" 127.0.0.1:0
port_a=${hub##*:}
kdb=$WORK/kiosk/kiosk.db
ini() { # HUB TOKEN [PIN]
    printf '[kiosk]\nid = kiosk-pin\nhub = %s\ntoken_file = %s\n' "$1" "$2"
    [ -z "${3:-}" ] || printf '[sync]\nhub_seal_key = %s\n' "$3"
}
ini "$hub" "$WORK/token-a" >"$WORK/open.ini"
ini "$hub" "$WORK/token-a" "$key_b" >"$WORK/pinned.ini"

# ---- unpinned: the kiosk learns A's key ----
run "$BK" sync --config "$WORK/open.ini" --db "$kdb"
check_contains "unpinned: the feed applies" "$OUT" "feed: applied"
run "$BK" status --config "$WORK/open.ini" --db "$kdb"
check_eq "unpinned: the kiosk holds A's key" "\"$key_a\"" "$(jget hub_seal_key "$OUT")"

# ---- pinned to B, talking to A ----
run "$BK" sync --config "$WORK/pinned.ini" --db "$kdb"
check_contains "pinned: the feed still comes" "$OUT" "feed: unchanged"
check_contains "pinned: the kept key is replaced by the pin" "$ERR" \
    "the kept hub seal key $key_a is not sync.hub_seal_key"
check_contains "pinned: A's key is refused, and the log says why" "$ERR" \
    "refused the hub's seal key $key_a: it is not sync.hub_seal_key"
run "$BK" status --config "$WORK/pinned.ini" --db "$kdb"
check_eq "pinned: the kiosk holds B's key, not A's" "\"$key_b\"" "$(jget hub_seal_key "$OUT")"

# A sign-up by script while A is down (the script's own network thread
# must not decide the outcome), then A back.
buurthub_stop
cat >"$WORK/signup.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.act-e2e.$stamp"
tap "#activity.signup"
expect-screen signup
type "Jan Vastgepind"
tap "#field.phone"
type "0687654321"
tap "#signup.consent"
tap "#signup.submit"
expect-screen signup-done
tap "#signup.done"
expect-screen attract
SCRIPT
run "$BK" run --config "$WORK/pinned.ini" --db "$kdb" --headless --now "$now" \
    --script "$WORK/signup.script"
check_eq "sign-up script exit status" 0 "$RC"
check_eq "no step failed" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"
buurthub_start "$WORK/hub-a.db" "127.0.0.1:$port_a"
run "$BK" sync --config "$WORK/pinned.ini" --db "$kdb"
check_contains "pinned: the sign-ups are held" "$ERR" \
    "sign-ups held: the hub's seal key is not sync.hub_seal_key (pending=1)"
check_contains "pinned: the summary counts it pending" "$OUT" "sent=0 pending=1"
run "$BK" status --config "$WORK/pinned.ini" --db "$kdb"
check_eq "pinned: the sign-up still pending" 1 "$(jget outbox_pending "$OUT")"
check_eq "pinned: none rejected (A cannot open it)" 0 "$(jget outbox_rejected "$OUT")"
run "$BUURTHUB" signups --db "$WORK/hub-a.db" --csv
check_eq "hub A got no sign-up" 0 "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c . || :)"
check_eq "no name in the kiosk's log" "" "$(grep -F Vastgepind "$WORK"/*.err 2>/dev/null || :)"

# The network thread holds them too.
"$BK" run --config "$WORK/pinned.ini" --db "$kdb" --headless >"$WORK/live.out" \
    2>"$WORK/live.err" &
live=$!
i=0
while ! grep -q "sign-ups held" "$WORK/live.err" && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill -TERM "$live"
wait "$live" || :
check_contains "live: the network thread holds them too" "$(cat "$WORK/live.err")" \
    "sign-ups held: the hub's seal key is not sync.hub_seal_key"
run "$BUURTHUB" signups --db "$WORK/hub-a.db" --csv
check_eq "hub A still got no sign-up" 0 "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c . || :)"
buurthub_stop

# ---- hub B, the pinned key's home, on the same address: delivered, opened ----
buurthub_start "$WORK/hub-b.db" "127.0.0.1:$port_a"
ini "$hub" "$WORK/token-b" "$key_b" >"$WORK/pinned-b.ini"
run "$BK" sync --config "$WORK/pinned-b.ini" --db "$kdb"
check_not_contains "B: no refusal" "$ERR" "refused the hub's seal key"
check_not_contains "B: nothing held" "$ERR" "sign-ups held"
check_contains "B: the sign-up goes out" "$OUT" "sent=1 pending=0"
run "$BUURTHUB" signups --db "$WORK/hub-b.db" --csv
check_contains "hub B opened it: the clear name" "$OUT" "Jan Vastgepind"
buurthub_stop

# ---- the control: without the pin, A's key is taken again ----
buurthub_start "$WORK/hub-a.db" "127.0.0.1:$port_a"
run "$BK" sync --config "$WORK/open.ini" --db "$kdb"
check_contains "control: unpinned, the kiosk takes A's key" "$ERR" "changed to the hub's key"
run "$BK" status --config "$WORK/open.ini" --db "$kdb"
check_eq "control: it holds A's key" "\"$key_a\"" "$(jget hub_seal_key "$OUT")"
buurthub_stop

# ---- a pin that is no key ----
ini "$hub" "$WORK/token-a" "$(printf '%s' "$key_b" | cut -c1-40)" >"$WORK/bad.ini"
run "$BK" sync --config "$WORK/bad.ini" --db "$kdb"
check_eq "a pin that is no key: exit 2" 2 "$RC"
check_contains "and the error names the key" "$ERR" "sync.hub_seal_key"
summary
