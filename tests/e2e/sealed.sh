#!/bin/sh
# Personal data at rest, sealed to the hub (docs/security.md "Stolen
# kiosk", docs/spec-notes.md "Sealed personal fields"):
# - a kiosk enrolled at the real buurthub learns the hub's seal key from
#   its feed answer, and is the same key `buurthub seal-key` prints;
# - a resident signs up by script while the hub is down: the kiosk's
#   database, WAL and shared-memory file hold neither the name nor the
#   phone number (grep -a), and the sign-up waits;
# - the hub, back, stores the clear name and phone exactly once;
# - a body whose sealed fields break the rules, or that another key
#   sealed, gets 422, one with both sealed and clear fields 400;
# - a kiosk whose hub sends no key posts the contract's clear body, and
#   its pending sign-up's name is in its files (the control that shows the
#   grep above can fail);
# - a key offered by a feed server that is not the hub is not believed.
set -eu
. "$BK_SRC/tests/e2e/lib.sh"

: "${BUURTHUB:?BUURTHUB must name the buurthub binary}"
BUURTKIOSK_ASSETS=$BK_SRC/assets
export BUURTKIOSK_ASSETS
HUB_PID=
PEER_PID=
peer_stop() {
    # Python ends by the signal (143): that is no failure here.
    [ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null && { wait "$PEER_PID" 2>/dev/null || :; }
    PEER_PID=
}
trap 'buurthub_stop; peer_stop; e2e_cleanup' EXIT


# peer_start FEED BODIES KEY [STATUS]: the stand-in hub, set $peer.
peer_start() {
    rm -f "$WORK/peer.port"
    python3 "$BK_SRC/tests/e2e/seal_peer.py" "$1" "$WORK/peer.port" "$2" "$3" ${4:+"$4"} &
    PEER_PID=$!
    i=0
    while [ ! -f "$WORK/peer.port" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    peer=http://127.0.0.1:$(cat "$WORK/peer.port")
}

# in_files DB TEXT: how many of DB, DB-wal, DB-shm hold TEXT anywhere.
in_files() {
    n=0
    for f in "$1" "$1-wal" "$1-shm"; do
        [ -f "$f" ] || continue
        if grep -a -q -F "$2" "$f"; then n=$((n + 1)); fi
    done
    echo "$n"
}

test_day_after_tomorrow
cat >"$WORK/feed.json" <<JSON
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "$now",
 "locations": [{"id": "loc-e2e", "name": "Buurthuis Proef", "address": "Proefstraat 1"}],
 "activities": [{"id": "act-e2e", "title": {"nl": "Proefochtend", "en": "Trial morning"},
   "starts_at": "${day}T10:00:00$offset", "ends_at": "${day}T11:00:00$offset",
   "location_id": "loc-e2e",
   "signup": {"capacity": 5, "taken": 1, "fields": ["name", "phone"]}}]}
JSON

# NAME: the name typed; the script signs up once and leaves.
signup_script() {
    cat <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.act-e2e.$stamp"
tap "#activity.signup"
expect-screen signup
type "$1"
tap "#field.phone"
type "0687654321"
tap "#signup.consent"
tap "#signup.submit"
expect-screen signup-done
tap "#signup.done"
expect-screen attract
SCRIPT
}

hub_db=$WORK/hub.db
run "$BUURTHUB" import --db "$hub_db" "$WORK/feed.json"
check_eq "hub import" 0 "$RC"
"$BUURTHUB" kiosk add --db "$hub_db" kiosk-zegel >"$WORK/token"
buurthub_start "$hub_db" 127.0.0.1:0
check_match "hub listening" "$hub" "http://127.0.0.1:*"
port=${hub##*:}

# ---- the hub's key, and how a kiosk gets it ----
run "$BUURTHUB" seal-key --db "$hub_db"
check_eq "seal-key exits 0" 0 "$RC"
key=$OUT
check_eq "seal-key: 44 characters of base64" 1 "$(printf '%s' "$key" | grep -cE '^[A-Za-z0-9+/]{43}=$' || :)"
run "$BUURTHUB" seal-key --db "$hub_db"
check_eq "seal-key: the same key the second time" "$key" "$OUT"
token=$(cat "$WORK/token")
curl -s -D "$WORK/feed.headers" -o /dev/null -H "Authorization: Bearer $token" \
    "$hub/kiosk/v1/feed?kiosk=kiosk-zegel"
check_contains "the feed answer names the key" "$(tr -d '\r' <"$WORK/feed.headers")" \
    "Buurtkiosk-Seal-Key: $key"
etag=$(tr -d '\r' <"$WORK/feed.headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
curl -s -D "$WORK/feed304.headers" -o /dev/null -H "Authorization: Bearer $token" \
    -H "If-None-Match: $etag" "$hub/kiosk/v1/feed?kiosk=kiosk-zegel"
check_contains "a 304 names it too" "$(tr -d '\r' <"$WORK/feed304.headers")" \
    "Buurtkiosk-Seal-Key: $key"

printf '[kiosk]\nid = kiosk-zegel\nhub = %s\ntoken_file = %s\n' "$hub" "$WORK/token" >"$WORK/kiosk.ini"
kdb=$WORK/kiosk/kiosk.db
run "$BK" status --config "$WORK/kiosk.ini" --db "$kdb"
check_eq "no key before the first sync" null "$(jget hub_seal_key "$OUT")"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
check_contains "first sync applies the hub's feed" "$OUT" "feed: applied"
run "$BK" status --config "$WORK/kiosk.ini" --db "$kdb"
check_eq "the kiosk holds the hub's key" "\"$key\"" "$(jget hub_seal_key "$OUT")"

# ---- a sign-up while the hub is down: sealed on the card ----
buurthub_stop
signup_script "Jan Zegelaar" >"$WORK/signup.script"
run "$BK" run --config "$WORK/kiosk.ini" --db "$kdb" --headless --now "$now" --script "$WORK/signup.script"
check_eq "sign-up script exit status" 0 "$RC"
check_eq "no step failed" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"
run "$BK" status --config "$WORK/kiosk.ini" --db "$kdb"
check_eq "the sign-up waits" 1 "$(jget outbox_pending "$OUT")"
check_eq "no name in kiosk.db, -wal, -shm" 0 "$(in_files "$kdb" 'Zegelaar')"
check_eq "no phone in kiosk.db, -wal, -shm" 0 "$(in_files "$kdb" '0687654321')"
check_eq "no name in the kiosk's log" "" "$(printf '%s' "$ERR" | grep -F Zegelaar || :)"

# ---- the hub back: it opens and stores the clear fields once ----
buurthub_start "$hub_db" "127.0.0.1:$port"
check_eq "hub back on its port" "http://127.0.0.1:$port" "$hub"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
run "$BK" status --config "$WORK/kiosk.ini" --db "$kdb"
check_eq "delivered" 0 "$(jget outbox_pending "$OUT")"
check_eq "confirmed" 1 "$(jget outbox_confirmed "$OUT")"
run "$BUURTHUB" signups --db "$hub_db" --csv
rows=$(printf '%s\n' "$OUT" | tail -n +2)
check_eq "exactly one sign-up at the hub" 1 "$(printf '%s\n' "$rows" | grep -c . || :)"
check_contains "the hub holds the clear name" "$rows" "Jan Zegelaar"
check_contains "and the clear phone" "$rows" "0687654321"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
run "$BUURTHUB" signups --db "$hub_db" --csv
check_eq "still exactly one after another sync" 1 "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c . || :)"
check_eq "no name in the hub's log" "" "$(grep -F Zegelaar "$WORK/hub.err" || :)"

# ---- bodies the hub refuses ----
post() {
    curl -s -o "$WORK/post.out" -w '%{http_code}' -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' --data-binary "$1" "$hub/kiosk/v1/signups"
}
head='"signup_id":"2b4e28ba-2fa1-41d2-883f-0016d3cca427","kiosk_id":"kiosk-zegel","activity_id":"act-e2e","occurrence":"'"${day}T10:00:00$offset"'","party_size":1,"waitlist_ok":false,"language":"nl","created_at":"'"$now"'"'
check_eq "sealed garbage: 422" 422 "$(post "{$head,\"sealed\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}")"
check_contains "says it cannot be opened" "$(cat "$WORK/post.out")" "cannot be opened"
check_eq "sealed not base64: 422" 422 "$(post "{$head,\"sealed\":\"%%%\"}")"
check_eq "sealed beside a clear name: 400" 400 "$(post "{$head,\"sealed\":\"AAAA\",\"name\":\"Jan\"}")"
check_eq "sealed a number: 400" 400 "$(post "{$head,\"sealed\":12}")"
run "$BUURTHUB" signups --db "$hub_db" --csv
check_eq "none of them stored" 1 "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c . || :)"
buurthub_stop

# ---- a hub that sends no key: the contract's clear body ----
bodies=$WORK/bodies
peer_start "$WORK/feed.json" "$bodies" - 503
printf '[kiosk]\nid = kiosk-plain\nhub = %s\ntoken_file = %s\n' "$peer" "$WORK/token" >"$WORK/plain.ini"
pdb=$WORK/plain/kiosk.db
run "$BK" sync --config "$WORK/plain.ini" --db "$pdb"
check_contains "the plain kiosk applies the feed" "$OUT" "feed: applied"
signup_script "Piet Klaartekst" >"$WORK/plain.script"
run "$BK" run --config "$WORK/plain.ini" --db "$pdb" --headless --now "$now" --script "$WORK/plain.script"
check_eq "plain sign-up script" 0 "$RC"
run "$BK" status --config "$WORK/plain.ini" --db "$pdb"
check_eq "no key at the plain kiosk" null "$(jget hub_seal_key "$OUT")"
check_eq "its sign-up waits (503)" 1 "$(jget outbox_pending "$OUT")"
# The control: unsealed, the name is in the files, so the grep above can see one.
check_eq "the clear name is in the plain kiosk's files" 1 \
    "$([ "$(in_files "$pdb" 'Klaartekst')" -ge 1 ] && echo 1 || echo 0)"
body=$(head -n 1 "$bodies")
check_contains "clear body: name" "$body" '"name":"Piet Klaartekst"'
check_contains "clear body: phone" "$body" '"phone":"0687654321"'
check_contains "clear body: email null" "$body" '"email":null'
check_contains "clear body: remark null" "$body" '"remark":null'
check_not_contains "clear body: no sealed" "$body" '"sealed"'
check_eq "the contract's members, in order" \
    "signup_id kiosk_id activity_id occurrence name phone email party_size remark waitlist_ok language created_at" \
    "$(printf '%s' "$body" | grep -oE '"[a-z_]+":' | tr -d '":' | tr '\n' ' ' | sed 's/ $//')"
peer_stop

# ---- a key from a feed server that is not the hub is not believed ----
fake_key=$(printf 'x%.0s' $(seq 32) | base64)
peer_start "$WORK/feed.json" "$WORK/cdn-bodies" "$fake_key"
buurthub_start "$hub_db" "127.0.0.1:$port"
printf '[kiosk]\nid = kiosk-zegel\nhub = %s\nfeed = %s/feed.json\ntoken_file = %s\n' \
    "$hub" "$peer" "$WORK/token" >"$WORK/cdn.ini"
cdb=$WORK/cdn/kiosk.db
run "$BK" sync --config "$WORK/cdn.ini" --db "$cdb"
check_contains "the CDN's feed applies" "$OUT" "feed: applied"
run "$BK" status --config "$WORK/cdn.ini" --db "$cdb"
check_eq "the CDN's key is not kept" null "$(jget hub_seal_key "$OUT")"
buurthub_stop
peer_stop
summary
