#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: the hub's HTTP contract (hub-api-v1.md, feed-v1.md
# "Transport") against the real buurthub on loopback: every status code
# with its exact body, a wrong token that tells nothing, idempotent
# sign-ups, and the feed (ETag, 304, gzip, stable body, counts, filtering).
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

DB=$WORK/hub.db
make_feed "$WORK/feed.json"
run "$HUB" import --db "$DB" "$WORK/feed.json"
check_eq "import exit" 0 "$RC"
T1=$("$HUB" kiosk add --db "$DB" k1)
T2=$("$HUB" kiosk add --db "$DB" k2 --locations loc-b)
start_hub "$DB"
check_match "listening line" "$URL" 'http://127.0.0.1:[1-9]*'

OCC=$(occ 1 10:00)
ID=$(new_uuid)

# ---- 401: missing, malformed, wrong token; unknown kiosk; all alike ----------
http GET "/kiosk/v1/feed?kiosk=k1" -
check_eq "no token: 401" 401 "$CODE"
check_eq "no token: body" '{"error":"unauthorized"}' "$BODY"
UNAUTH=$BODY
http GET "/kiosk/v1/feed?kiosk=k1" "wrong-token"
check_eq "wrong token: 401" 401 "$CODE"
check_eq "wrong token: same body" "$UNAUTH" "$BODY"
http GET "/kiosk/v1/feed?kiosk=no-such-kiosk" "wrong-token"
check_eq "unknown kiosk: 401" 401 "$CODE"
check_eq "unknown kiosk: same body" "$UNAUTH" "$BODY"
http GET "/kiosk/v1/feed?kiosk=k1" - "" -H "Authorization: Basic $T1"
check_eq "Basic scheme: 401" 401 "$CODE"
http POST /kiosk/v1/signups "x$T1" "$(signup_body "$ID" k1 act-open "$OCC")"
check_eq "sign-up with wrong token: 401" 401 "$CODE"
check_eq "sign-up with wrong token: body" "$UNAUTH" "$BODY"
http POST /kiosk/v1/heartbeat - '{"kiosk_id":"k1"}'
check_eq "heartbeat without token: 401" 401 "$CODE"
# Failed authentications are logged: why, the address and the claimed kiosk
# id, never the token (hub-api-v1, "Limits the hub keeps").
AUTHLOG=$(grep 'refused a kiosk token' "$WORK/hub.err" || :)
check_contains "log: a wrong token, with address and kiosk" "$AUTHLOG" \
    "refused a kiosk token: no kiosk has this token (address=127.0.0.1 kiosk=k1 request=feed)"
check_contains "log: the unknown kiosk id claimed" "$AUTHLOG" "kiosk=no-such-kiosk request=feed"
check_contains "log: no token" "$AUTHLOG" "no Authorization header (address=127.0.0.1 kiosk=- request=heartbeat)"
check_contains "log: another scheme" "$AUTHLOG" "not a Bearer token"
check_contains "log: a sign-up's wrong token" "$AUTHLOG" "request=signups"
check_not_contains "log: never the wrong token" "$AUTHLOG" "wrong-token"
check_not_contains "log: never the real token" "$(cat "$WORK/hub.err")" "$T1"
http GET "/kiosk/v1/feed?kiosk=k1%0Aforged%20line" "wrong-token"
check_contains "log: a claimed id that is no id" "$(grep 'refused a kiosk token' "$WORK/hub.err" | tail -n 1)" \
    "kiosk=(not an id)"
check_not_contains "log: no forged line" "$(cat "$WORK/hub.err")" "forged"

# ---- 404, 405 ----------------------------------------------------------------
http GET /kiosk/v1/nothing "$T1"
check_eq "unknown path: 404" 404 "$CODE"
check_eq "unknown path: body" '{"error":"not found"}' "$BODY"
check_eq "unknown path: JSON" "application/json" "$(header Content-Type)"
http GET / -
check_eq "root: 404" 404 "$CODE"
http GET /kiosk/v1/signups "$T1"
check_eq "GET signups: 405" 405 "$CODE"
check_eq "GET signups: body" '{"error":"method not allowed"}' "$BODY"
check_eq "GET signups: Allow" "POST" "$(header Allow)"
http POST "/kiosk/v1/feed?kiosk=k1" "$T1" '{}'
check_eq "POST feed: 405" 405 "$CODE"
http DELETE /kiosk/v1/heartbeat "$T1"
check_eq "DELETE heartbeat: 405" 405 "$CODE"

# ---- sign-ups: 201, 200 (repeat), 400, 403, 404, 409, 413, 422 -----------------
http POST /kiosk/v1/signups "$T1" "$(signup_body "$ID" k1 act-open "$OCC")"
check_eq "sign-up: 201" 201 "$CODE"
check_eq "sign-up: body" '{"status":"confirmed"}' "$BODY"
check_eq "sign-up: JSON" "application/json" "$(header Content-Type)"
FIRST=$BODY
http POST /kiosk/v1/signups "$T1" "$(signup_body "$ID" k1 act-open "$OCC")"
check_eq "repeat: 200" 200 "$CODE"
check_eq "repeat: same body" "$FIRST" "$BODY"
# A repeat still gets its first answer when the retry differs in detail.
http POST /kiosk/v1/signups "$T1" "$(signup_body "$ID" k1 act-open "$OCC" 1 true)"
check_eq "repeat with other fields: 200" 200 "$CODE"
check_eq "repeat with other fields: same body" "$FIRST" "$BODY"

http POST /kiosk/v1/signups "$T1" '{"signup_id": '
check_eq "truncated JSON: 400" 400 "$CODE"
check_match "truncated JSON: error body" "$BODY" '{"error":"*"}'
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-open "$OCC" '"1"')"
check_eq "party_size a string: 400" 400 "$CODE"
check_match "party_size a string: names the field" "$BODY" '{"error":"*party_size*"}'
http POST /kiosk/v1/signups "$T1" "$(signup_body not-a-uuid k1 act-open "$OCC")"
check_eq "bad signup_id: 400" 400 "$CODE"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k2 act-open "$OCC")"
check_eq "another kiosk's id: 403" 403 "$CODE"
check_eq "another kiosk's id: body" '{"error":"forbidden"}' "$BODY"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-nope "$OCC")"
check_eq "unknown activity: 404" 404 "$CODE"
check_eq "unknown activity: body" '{"error":"unknown activity"}' "$BODY"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-open "$(occ 1 11:00)")"
check_eq "not an occurrence: 422" 422 "$CODE"
check_match "not an occurrence: body" "$BODY" '{"error":"*occurrence*"}'
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-open "$OCC" 21)"
check_eq "party_size 21: 422" 422 "$CODE"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-none "$OCC")"
check_eq "no sign-up offered: 422" 422 "$CODE"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-open "$OCC" 1 false '' null)"
check_eq "name missing though asked: 422" 422 "$CODE"

OCC2=$(occ 2 10:00)
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-one-full "$OCC2")"
check_eq "last place: 201" 201 "$CODE"
FULL_ID=$(new_uuid)
http POST /kiosk/v1/signups "$T1" "$(signup_body "$FULL_ID" k1 act-one-full "$OCC2" 1 true)"
check_eq "full: 409" 409 "$CODE"
check_eq "full: body" '{"status":"full"}' "$BODY"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$FULL_ID" k1 act-one-full "$OCC2" 1 true)"
check_eq "full, repeated: 409" 409 "$CODE"
check_eq "full, repeated: body" '{"status":"full"}' "$BODY"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-one-wait "$OCC2")"
check_eq "waitlist activity, a place: 201" 201 "$CODE"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-one-wait "$OCC2" 1 true)"
check_eq "waitlisted: 201" 201 "$CODE"
check_eq "waitlisted: body" '{"status":"waitlisted","position":1}' "$BODY"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-one-wait "$OCC2" 1 true)"
check_eq "waitlisted second: body" '{"status":"waitlisted","position":2}' "$BODY"
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-one-wait "$OCC2" 1 false)"
check_eq "full without waitlist_ok: 409" 409 "$CODE"
check_eq "full without waitlist_ok: body" '{"status":"full"}' "$BODY"

SOON=$(sed -n 's/.*"id": "act-soon".*"starts_at": "\([^"]*\)".*/\1/p' "$WORK/feed.json")
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-soon "$SOON")"
check_eq "closed: 409" 409 "$CODE"
check_eq "closed: body" '{"status":"closed"}' "$BODY"
# Made two hours ago on a kiosk that was offline: before closing time, so it counts.
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-soon "$SOON" 1 false "$(rfc '-2 hours')")"
check_eq "made before closing, sent after: 201" 201 "$CODE"
# More than 24 hours old: the hub's own clock decides.
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-soon "$SOON" 1 false "$(rfc '-25 hours')")"
check_eq "created_at over 24 h old: 409 closed" 409 "$CODE"

head -c 70000 /dev/zero | tr '\0' ' ' >"$WORK/big.json"
http POST /kiosk/v1/signups "$T1" "" --data-binary "@$WORK/big.json"
check_eq "65+ KiB body: 413" 413 "$CODE"
check_eq "65+ KiB body: body" '{"error":"body too large"}' "$BODY"
http POST /kiosk/v1/signups "$T1" "" -H "Transfer-Encoding: chunked" --data-binary "@$WORK/big.json"
check_eq "65+ KiB chunked body: 413" 413 "$CODE"
head -c 65000 /dev/zero | tr '\0' ' ' >"$WORK/padded.json"
signup_body "$(new_uuid)" k1 act-open "$OCC" >>"$WORK/padded.json"
http POST /kiosk/v1/signups "$T1" "" --data-binary "@$WORK/padded.json"
check_eq "64 KiB body (whitespace-padded sign-up): 201" 201 "$CODE"

# ---- heartbeat: 204, 400, 403 -----------------------------------------------------
HB='{"kiosk_id":"k1","version":"1.2.0","uptime_s":86400,"feed_etag":"\"abc\"","last_sync_ok_at":"2026-11-25T09:10:00+01:00","last_sync_error":null,"outbox_pending":2,"outbox_rejected":1,"screen":"on","free_disk_mb":812}'
http POST /kiosk/v1/heartbeat "$T1" "$HB"
check_eq "heartbeat: 204" 204 "$CODE"
check_eq "heartbeat: no body" "" "$BODY"
http POST /kiosk/v1/heartbeat "$T1" 'not json'
check_eq "heartbeat bad JSON: 400" 400 "$CODE"
check_match "heartbeat bad JSON: body" "$BODY" '{"error":"*"}'
http POST /kiosk/v1/heartbeat "$T1" '{"kiosk_id":"k1","outbox_pending":"two"}'
check_eq "heartbeat wrong type: 400" 400 "$CODE"
http POST /kiosk/v1/heartbeat "$T1" '{"kiosk_id":"k2"}'
check_eq "heartbeat for another kiosk: 403" 403 "$CODE"
run "$HUB" kiosks --db "$DB"
check_contains "kiosks shows the heartbeat" "$(printf '%s\n' "$OUT" | grep '^k1 ')" "version=1.2.0"
check_contains "kiosks shows pending" "$(printf '%s\n' "$OUT" | grep '^k1 ')" "pending=2"

# ---- idempotency: stored once ----------------------------------------------------------
run "$HUB" signups --db "$DB" --csv
check_eq "the repeated sign-up is stored once" 1 "$(printf '%s\n' "$OUT" | grep -c "^$ID,")"

# ---- the feed ---------------------------------------------------------------------------
http GET "/kiosk/v1/feed?kiosk=k1" "$T1"
check_eq "feed: 200" 200 "$CODE"
check_eq "feed: JSON" "application/json" "$(header Content-Type)"
ETAG=$(header ETag)
check_match "feed: strong quoted ETag" "$ETAG" '"[0-9a-f]*"'
cp "$WORK/.body" "$WORK/feed1.json"
check_contains "feed: format" "$BODY" '"format":"buurtkiosk-feed"'
# Two confirmed for that occurrence: the repeated one, and the padded one.
check_contains "feed: counts the hub's sign-ups" "$BODY" "\"$OCC\":2"
http GET "/kiosk/v1/feed?kiosk=k1" "$T1"
check_eq "feed again: same ETag" "$ETAG" "$(header ETag)"
if cmp -s "$WORK/.body" "$WORK/feed1.json"; then pass; else fail "feed body changed while nothing did"; fi
http GET "/kiosk/v1/feed?kiosk=k1" "$T1" "" -H "If-None-Match: $ETAG"
check_eq "If-None-Match: 304" 304 "$CODE"
check_eq "304: no body" "" "$BODY"
check_eq "304: ETag" "$ETAG" "$(header ETag)"
http GET "/kiosk/v1/feed?kiosk=k1" "$T1" "" -H "If-None-Match: \"other\""
check_eq "other ETag: 200" 200 "$CODE"
http GET "/kiosk/v1/feed?kiosk=k1" "$T1" "" -H "Accept-Encoding: gzip"
check_eq "gzip: 200" 200 "$CODE"
check_eq "gzip: Content-Encoding" "gzip" "$(header Content-Encoding)"
if gzip -dc <"$WORK/.body" | cmp -s - "$WORK/feed1.json"; then pass; else fail "gzip body differs"; fi
check_eq "gzip: same ETag" "$ETAG" "$(header ETag)"
http GET "/kiosk/v1/feed?kiosk=k2" "$T1"
check_eq "feed of another kiosk: 403" 403 "$CODE"
http GET "/kiosk/v1/feed" "$T1"
check_eq "feed without kiosk: 400" 400 "$CODE"

# A confirmed sign-up changes the counts, the ETag and generated_at.
OCC5=$(occ 5 10:00)
check_not_contains "feed: no count yet for day 5" \
    "$(signup_field "$(cat "$WORK/feed1.json")" act-open taken)" "\"$OCC5\":"
sleep 1 # generated_at counts in seconds
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-open "$OCC5" 1)"
check_eq "sign-up for day 5: 201" 201 "$CODE"
http GET "/kiosk/v1/feed?kiosk=k1" "$T1" "" -H "If-None-Match: $ETAG"
check_eq "after a sign-up: 200, not 304" 200 "$CODE"
check_contains "after a sign-up: taken counts it" "$BODY" "\"$OCC5\":1"
NEW_ETAG=$(header ETag)
if [ "$NEW_ETAG" != "$ETAG" ]; then pass; else fail "ETag did not change after a sign-up"; fi
GEN1=$(sed -n 's/.*"generated_at":"\([^"]*\)".*/\1/p' "$WORK/feed1.json")
GEN2=$(printf '%s' "$BODY" | sed -n 's/.*"generated_at":"\([^"]*\)".*/\1/p')
if [ "$GEN1" != "$GEN2" ]; then pass; else fail "generated_at did not move with the counts"; fi
# A refusal changes nothing.
http POST /kiosk/v1/signups "$T1" "$(signup_body "$(new_uuid)" k1 act-one-full "$OCC2")"
check_eq "another full: 409" 409 "$CODE"
http GET "/kiosk/v1/feed?kiosk=k1" "$T1" "" -H "If-None-Match: $NEW_ETAG"
check_eq "after a refusal: 304" 304 "$CODE"

# Filtered by the kiosk's locations (k2 stands at loc-b).
http GET "/kiosk/v1/feed?kiosk=k2" "$T2"
check_eq "k2 feed: 200" 200 "$CODE"
check_contains "k2: its location" "$BODY" '"id":"loc-b"'
check_not_contains "k2: not the other location" "$BODY" '"id":"loc-a"'
check_contains "k2: activity at loc-b" "$BODY" '"id":"act-none"'
check_contains "k2: activity without location" "$BODY" '"id":"act-unlimited"'
check_not_contains "k2: not an activity at loc-a" "$BODY" '"id":"act-open"'
check_contains "k2: service at loc-b" "$BODY" '"id":"svc-b"'
check_not_contains "k2: not a service at loc-a" "$BODY" '"id":"svc-a"'
check_contains "k2: announcement for everywhere" "$BODY" '"id":"ann-all"'
check_contains "k2: announcement for loc-b" "$BODY" '"id":"ann-b"'
http GET "/kiosk/v1/feed?kiosk=k1" "$T1"
check_contains "k1 (all): announcement for loc-b" "$BODY" '"id":"ann-b"'
check_contains "k1 (all): both locations" "$BODY" '"id":"loc-a"'
T3=$("$HUB" kiosk add --db "$DB" k3 --locations loc-a)
http GET "/kiosk/v1/feed?kiosk=k3" "$T3"
check_not_contains "k3 (loc-a): no announcement for loc-b" "$BODY" '"id":"ann-b"'
check_contains "k3 (loc-a): activity at loc-a" "$BODY" '"id":"act-open"'

# ---- leases (hub-api-v1.md "Telling the resident the truth") -------------------------------
# A hub of its own: one activity with 4 places, two kiosks at its location.
stop_hub
check_not_contains "the log names no resident (first hub)" "$(cat "$WORK/hub.err")" "Jansen"
LDB=$WORK/lease.db
LOCC=$(occ 3 10:00)
cat >"$WORK/lease-feed.json" <<EOF
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "2026-11-25T08:00:00+01:00", "publisher": {"name": "Test"}, "languages": ["nl"],
 "locations": [{"id": "loc-a", "name": "Buurthuis A"}],
 "activities": [{"id": "act-kerst", "title": "Kerstdiner", "location_id": "loc-a",
   "starts_at": "$LOCC", "signup": {"capacity": 4, "fields": ["name", "party_size"]}}]}
EOF
run "$HUB" import --db "$LDB" "$WORK/lease-feed.json"
check_eq "lease hub: import" 0 "$RC"
TA=$("$HUB" kiosk add --db "$LDB" ka)
TB=$("$HUB" kiosk add --db "$LDB" kb --locations loc-a)
start_hub "$LDB"
# lease_of KIOSK TOKEN: GETs the kiosk's feed; sets LEASE, TAKEN and ETAG.
lease_of() {
    http GET "/kiosk/v1/feed?kiosk=$1" "$2"
    LEASE=$(signup_field "$BODY" act-kerst lease)
    TAKEN=$(signup_field "$BODY" act-kerst taken)
    ETAG=$(header ETag)
}
# heartbeat KIOSK TOKEN ETAG PENDING
heartbeat() {
    _etag=$(printf '%s' "$3" | sed 's/"/\\"/g')
    http POST /kiosk/v1/heartbeat "$2" \
        "{\"kiosk_id\":\"$1\",\"feed_etag\":\"$_etag\",\"outbox_pending\":$4}"
}
lease_of ka "$TA"
check_eq "ka: lease min(2, 4 free / 2 kiosks)" 2 "$LEASE"
check_eq "ka: its own lease is not in its taken" 0 "$TAKEN"
lease_of kb "$TB"
check_eq "kb: lease 2" 2 "$LEASE"
check_eq "kb: taken counts ka's lease" "{\"$LOCC\":2}" "$TAKEN"
KB_OLD_ETAG=$ETAG
lease_of ka "$TA"
check_eq "ka: taken counts kb's lease" "{\"$LOCC\":2}" "$TAKEN"
# ka confirmed 2 within its lease (offline, sent later): always confirmed.
http POST /kiosk/v1/signups "$TA" "$(signup_body "$(new_uuid)" ka act-kerst "$LOCC" 2)"
check_eq "within the lease: 201 confirmed" '201 {"status":"confirmed"}' "$CODE $BODY"
lease_of ka "$TA"
check_eq "ka: lease spent, the 2 left are kb's" " {\"$LOCC\":4}" "$LEASE $TAKEN"
http POST /kiosk/v1/signups "$TA" "$(signup_body "$(new_uuid)" ka act-kerst "$LOCC" 1)"
check_eq "beyond ka's lease, kb holds the rest: 409 full" '409 {"status":"full"}' "$CODE $BODY"
# kb's lease shrinks to floor(2 free / 2 kiosks) = 1, but kb may still
# hold the feed that gave it 2.
lease_of kb "$TB"
check_eq "kb: new lease 1" 1 "$LEASE"
KB_ETAG=$ETAG
lease_of ka "$TA"
check_eq "ka: kb's old lease still counted" "{\"$LOCC\":4}" "$TAKEN"
heartbeat kb "$TB" "$KB_OLD_ETAG" 0
check_eq "kb heartbeat naming its older feed: 204" 204 "$CODE"
heartbeat kb "$TB" "$KB_ETAG" 1
check_eq "kb heartbeat, new ETag, a sign-up still unsent: 204" 204 "$CODE"
lease_of ka "$TA"
check_eq "ka: nothing given back yet" "{\"$LOCC\":4}" "$TAKEN"
heartbeat kb "$TB" "$KB_ETAG" 0
check_eq "kb heartbeat, new ETag, outbox empty: 204" 204 "$CODE"
lease_of ka "$TA"
check_eq "ka: kb gave one back, and ka's lease takes it" "1 {\"$LOCC\":3}" "$LEASE $TAKEN"
http POST /kiosk/v1/signups "$TB" "$(signup_body "$(new_uuid)" kb act-kerst "$LOCC" 1)"
check_eq "kb within its lease: 201" 201 "$CODE"
http POST /kiosk/v1/signups "$TA" "$(signup_body "$(new_uuid)" ka act-kerst "$LOCC" 1)"
check_eq "ka within its lease: 201" 201 "$CODE"
http POST /kiosk/v1/signups "$TB" "$(signup_body "$(new_uuid)" kb act-kerst "$LOCC" 1)"
check_eq "capacity reached: 409 full" '409 {"status":"full"}' "$CODE $BODY"
OUT=$("$HUB" signups --db "$LDB" --activity act-kerst --csv)
check_eq "lease hub: confirmed places = capacity" 4 \
    "$(printf '%s\n' "$OUT" | awk -F, '$4 == "confirmed" { n += $5 } END { print n + 0 }')"

# ---- nothing personal leaves or is logged -------------------------------------------------
stop_hub
check_eq "serve exit on SIGTERM" 0 "$HUB_RC"
check_not_contains "the log names no resident" "$(cat "$WORK/hub.err")" "Jansen"
check_not_contains "the log has no phone number" "$(cat "$WORK/hub.err")" "0612345678"
summary
