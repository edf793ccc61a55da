#!/bin/sh
# A resident signs up by touch and typing on a headless kiosk; the real
# buurthub on loopback then holds the sign-up exactly once with the right
# fields, and the kiosk keeps no personal data. Dates are relative to the
# real clock, because the hub judges "closed" by its own clock.
set -eu
. "$BK_SRC/tests/e2e/lib.sh"

: "${BUURTHUB:?BUURTHUB must name the buurthub binary}"
BUURTKIOSK_ASSETS=$BK_SRC/assets
export BUURTKIOSK_ASSETS
HUB_PID=
hub_stop() {
    [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null
    HUB_PID=
}
trap 'hub_stop; e2e_cleanup' EXIT

# An activity the day after tomorrow at 10:00 local, with places and a form.
test_day_after_tomorrow
cat >"$WORK/feed.json" <<JSON
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "2026-11-25T08:00:00+01:00",
 "locations": [{"id": "loc-e2e", "name": "Buurthuis Proef", "address": "Proefstraat 1"}],
 "activities": [{"id": "act-e2e", "title": {"nl": "Proefochtend", "en": "Trial morning"},
   "starts_at": "${day}T10:00:00$offset", "ends_at": "${day}T11:00:00$offset",
   "location_id": "loc-e2e",
   "signup": {"capacity": 5, "taken": 1, "fields": ["name", "phone"]}}]}
JSON

hub_db=$WORK/hub.db
run "$BUURTHUB" import --db "$hub_db" "$WORK/feed.json"
check_eq "hub import" 0 "$RC"
"$BUURTHUB" kiosk add --db "$hub_db" kiosk-proef >"$WORK/token"
buurthub_start "$hub_db" 127.0.0.1:0
check_match "hub listening" "$hub" "http://127.0.0.1:*"

printf '[kiosk]\nid = kiosk-proef\nhub = %s\ntoken_file = %s\n' "$hub" "$WORK/token" >"$WORK/kiosk.ini"
kdb=$WORK/kiosk/kiosk.db
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
check_contains "first sync applies the hub's feed" "$OUT" "feed: applied"

cat >"$WORK/signup.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.act-e2e.$stamp"
expect "nog 4 plaatsen"
tap "#activity.signup"
expect-screen signup
type "Jan Jansen-Proef"
tap "#field.phone"
type "0612345678"
tap "#signup.consent"
tap "#signup.submit"
expect-screen signup-done
expect "Tot dan, Jan!"
sync
tap "#signup.done"
expect-screen attract
SCRIPT
run "$BK" run --config "$WORK/kiosk.ini" --db "$kdb" --headless --now "$now" --script "$WORK/signup.script"
check_eq "sign-up script exit status" 0 "$RC"
check_eq "no step failed" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"

run "$BUURTHUB" signups --db "$hub_db" --csv
rows=$(printf '%s\n' "$OUT" | tail -n +2)
check_eq "exactly one sign-up at the hub" 1 "$(printf '%s\n' "$rows" | grep -c . || :)"
check_contains "activity" "$rows" "act-e2e"
check_contains "name" "$rows" "Jan Jansen-Proef"
check_contains "phone, normalised" "$rows" "0612345678"
check_contains "confirmed" "$rows" "confirmed"
check_contains "from this kiosk" "$rows" "kiosk-proef"

run "$BK" status --config "$WORK/kiosk.ini" --db "$kdb"
check_eq "kiosk: confirmed" 1 "$(jget outbox_confirmed "$OUT")"
check_eq "kiosk: nothing pending" 0 "$(jget outbox_pending "$OUT")"
# Another sync sends nothing twice.
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
run "$BUURTHUB" signups --db "$hub_db" --csv
check_eq "still exactly one at the hub" 1 "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c . || :)"
# The feed now counts the place: 5 - 1 - 1 = 3.
cat >"$WORK/places.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.act-e2e.$stamp"
expect "nog 3 plaatsen"
SCRIPT
run "$BK" run --config "$WORK/kiosk.ini" --db "$kdb" --headless --now "$now" --script "$WORK/places.script"
check_eq "places after the sign-up" 0 "$RC"
# No personal data left in the kiosk's files.
for f in "$kdb" "$kdb-wal"; do
    [ -f "$f" ] || continue
    check_eq "no name in $(basename "$f")" 0 "$(grep -c 'Jansen-Proef' "$f" || :)"
    check_eq "no phone in $(basename "$f")" 0 "$(grep -c '0612345678' "$f" || :)"
done
hub_stop
summary
