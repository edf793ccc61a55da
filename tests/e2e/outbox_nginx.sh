#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: `buurtkiosk sync` pushing the outbox to a stand-in hub made of
# stock nginx answers (hub-api-v1 "Sign-ups", "What the kiosk must
# survive"): the body and headers sent, final answers that erase the
# personal data from the database file and its WAL, and everything that
# must keep a sign-up pending: 5xx, 503 with Retry-After, a redirect (never
# followed), an HTML 404, an unexpected 2xx body, a body over 64 KiB, a
# drip-fed body, a closed port. The real hub is tested in outbox_hub.sh.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
: "${BK_SEED:?BK_SEED must name the outbox_seed test tool}"

SAMPLE=$BK_SRC/assets/sample-feed.json
NAME=Jansen-Testnaam
PHONE=0612345678
EMAIL=test@example.org
OCC=2026-11-26T10:00:00+01:00
printf '# e2e\n' >"$WORK/kiosk.ini"
printf 'tok-e2e-secret\n' >"$WORK/token"
WWW=$WORK/www
mkdir -p "$WWW/big/kiosk/v1" "$WWW/drip/kiosk/v1"
# Over the 64 KiB cap, and a body that arrives at 200 bytes/s.
head -c 100000 /dev/zero | tr '\0' ' ' >"$WWW/big/kiosk/v1/signups"
printf '{"status":"confirmed"}' >"$WWW/drip/kiosk/v1/signups"
head -c 20000 /dev/zero | tr '\0' ' ' >>"$WWW/drip/kiosk/v1/signups"

# fake_hub_http DIR: the http block of a stand-in hub on nginx (see
# nginx_serve in lib.sh); every path prefix is a hub with one behaviour.
fake_hub_http() {
    cat <<EOF
    default_type application/json;
    log_format hub escape=json
        '\$status|\$request_method|\$uri|\$http_authorization|\$content_type|\$http_user_agent|\$request_body';
    access_log $1/access.log hub;
    client_body_buffer_size 64k;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WWW;
        # Proxied once so that the access log holds the request body.
        location /ok/ { proxy_pass http://127.0.0.1:$NGINX_PORT/_ok/; }
        location /_ok/kiosk/v1/signups { access_log off; return 201 '{"status":"confirmed"}'; }
        location /_ok/kiosk/v1/heartbeat { access_log off; return 204; }
        location = /wait/kiosk/v1/signups { return 201 '{"status":"waitlisted","position":2}'; }
        location = /full/kiosk/v1/signups { return 409 '{"status":"full"}'; }
        location = /closed/kiosk/v1/signups { return 409 '{"status":"closed"}'; }
        location = /rej/kiosk/v1/signups { return 422 '{"error":"party_size too large"}'; }
        location = /e500/kiosk/v1/signups { return 500; }
        location = /e503/kiosk/v1/signups {
            add_header Retry-After 120 always;
            return 503 '{"error":"maintenance"}';
        }
        location = /e401/kiosk/v1/signups { return 401 '{"error":"unknown token"}'; }
        location = /redir/kiosk/v1/signups { return 307 http://127.0.0.1:$NGINX_PORT/ok/kiosk/v1/signups; }
        location = /weird/kiosk/v1/signups { return 200 '{"status":"maybe"}'; }
        location = /html/kiosk/v1/signups { return 404; }
        # Static files answer a POST with 405; turn that into the file.
        location /big/ { error_page 405 =200 \$uri; }
        location /drip/ { limit_rate 200; error_page 405 =200 \$uri; }
    }
EOF
}

# kiosk_sync DB HUB: one `buurtkiosk sync`; sets OUT/ERR/RC and STATUS.
kiosk_sync() {
    run "$BK" sync --config "$WORK/kiosk.ini" --db "$1" --hub "$2" --kiosk-id k1 \
        --token-file "$WORK/token" --feed "file://$SAMPLE"
    _rc=$RC _out=$OUT _err=$ERR
    run "$BK" status --config "$WORK/kiosk.ini" --db "$1"
    STATUS=$OUT
    RC=$_rc OUT=$_out ERR=$_err
}

# seed DB [ARGS...]: one sign-up with the personal test strings; sets ID.
seed() {
    _db=$1
    shift
    ID=$("$BK_SEED" --db "$_db" --activity act-koffieochtend-sleutel --occurrence "$OCC" \
        --name "$NAME" --phone "$PHONE" --email "$EMAIL" --party 2 "$@")
}

# posts_to PREFIX: sign-up POSTs the fake hub PREFIX received so far.
posts_to() { grep -c "|POST|/$1/kiosk/v1/signups|" "$WORK/access.log" 2>/dev/null || :; }

nginx_serve "$WORK" fake_hub_http
HUB=http://127.0.0.1:$NGINX_PORT

# ---- a) confirmed: body, headers, erasure -------------------------------------
DB=$WORK/a.db
seed "$DB" --waitlist
check_match "a) seed printed a UUID v4" "$ID" '????????-????-4???-????-????????????'
check_eq "a) personal data is in the db before the answer" yes "$(has_personal "$DB")"
kiosk_sync "$DB" "$HUB/ok"
check_eq "a) exit status (feed applied)" 0 "$RC"
check_match "a) sync line" "$OUT" 'feed: applied skipped=0 signups: sent=1 pending=0'
check_eq "a) outbox_confirmed" 1 "$(jget outbox_confirmed "$STATUS")"
check_eq "a) outbox_pending" 0 "$(jget outbox_pending "$STATUS")"
check_eq "a) personal data gone from db and WAL" no "$(has_personal "$DB")"
REQ=$(grep '|POST|/ok/kiosk/v1/signups|' "$WORK/access.log" || :)
check_eq "a) exactly one POST" 1 "$(printf '%s\n' "$REQ" | grep -c . || :)"
check_contains "a) bearer token" "$REQ" '|Bearer tok-e2e-secret|'
check_contains "a) content type" "$REQ" '|application/json|buurtkiosk/'
BODY=$(printf '%s\n' "$REQ" | cut -d'|' -f7- | sed 's/\\"/"/g')
check_contains "a) signup_id" "$BODY" "\"signup_id\":\"$ID\""
check_contains "a) kiosk_id" "$BODY" '"kiosk_id":"k1"'
check_contains "a) activity_id" "$BODY" '"activity_id":"act-koffieochtend-sleutel"'
check_contains "a) occurrence with local offset" "$BODY" "\"occurrence\":\"$OCC\""
check_contains "a) name" "$BODY" "\"name\":\"$NAME\""
check_contains "a) phone" "$BODY" "\"phone\":\"$PHONE\""
check_contains "a) email" "$BODY" "\"email\":\"$EMAIL\""
check_contains "a) remark null" "$BODY" '"remark":null'
check_contains "a) party_size" "$BODY" '"party_size":2'
check_contains "a) waitlist_ok" "$BODY" '"waitlist_ok":true'
check_contains "a) language" "$BODY" '"language":"nl"'
check_match "a) created_at with offset" "$BODY" '*"created_at":"20??-??-??T??:??:??+0?:00"*'
check_eq "a) one heartbeat" 1 "$(grep -c '|POST|/ok/kiosk/v1/heartbeat|' "$WORK/access.log" || :)"
HB=$(grep '|POST|/ok/kiosk/v1/heartbeat|' "$WORK/access.log" | cut -d'|' -f7- | sed 's/\\"/"/g')
check_contains "a) heartbeat kiosk_id" "$HB" '"kiosk_id":"k1"'
check_contains "a) heartbeat outbox_pending" "$HB" '"outbox_pending":0'
check_contains "a) heartbeat screen" "$HB" '"screen":"on"'
check_match "a) heartbeat free_disk_mb" "$HB" '*"free_disk_mb":[0-9]*'
check_match "a) heartbeat last_sync_ok_at" "$HB" '*"last_sync_ok_at":"20??-*'
check_not_contains "a) heartbeat has no name" "$HB" "$NAME"
check_not_contains "a) no personal data on stderr" "$ERR" "$NAME"
check_not_contains "a) no phone on stderr" "$ERR" "$PHONE"
# A second sync sends nothing more.
kiosk_sync "$DB" "$HUB/ok"
check_match "a2) nothing left to send" "$OUT" '* signups: sent=0 pending=0'
check_eq "a2) still one POST" 1 "$(grep -c '|POST|/ok/kiosk/v1/signups|' "$WORK/access.log" || :)"

# ---- b) the other final answers ------------------------------------------------
for case in "wait outbox_waitlisted" "full outbox_rejected" "closed outbox_rejected" \
    "rej outbox_rejected"; do
    # shellcheck disable=SC2086
    set -- $case
    DB=$WORK/b-$1.db
    seed "$DB" --waitlist
    kiosk_sync "$DB" "$HUB/$1"
    check_match "b) $1: sent" "$OUT" '* signups: sent=1 pending=0'
    check_eq "b) $1: $2" 1 "$(jget "$2" "$STATUS")"
    check_eq "b) $1: personal data gone" no "$(has_personal "$DB")"
    check_not_contains "b) $1: hub error text not logged at info" "$ERR" "party_size too large"
done

# ---- c) answers that keep the sign-up pending ---------------------------------
for hub in e500 e503 e401 redir weird html big; do
    DB=$WORK/c-$hub.db
    seed "$DB"
    kiosk_sync "$DB" "$HUB/$hub"
    check_eq "c) $hub: exit status follows the feed" 0 "$RC"
    check_match "c) $hub: kept" "$OUT" '* signups: sent=0 pending=1'
    check_eq "c) $hub: outbox_pending" 1 "$(jget outbox_pending "$STATUS")"
    check_eq "c) $hub: personal data kept for the retry" yes "$(has_personal "$DB")"
    check_not_contains "c) $hub: no name on stderr" "$ERR" "$NAME"
done
check_eq "c) redirect not followed" 0 "$(grep -c '|GET|/ok/' "$WORK/access.log" || :)"
check_eq "c) redirect: one POST only" 1 "$(posts_to redir)"
# The same database delivers once the hub is well.
kiosk_sync "$WORK/c-e503.db" "$HUB/ok"
check_match "c) e503 then ok: delivered" "$OUT" '* signups: sent=1 pending=0'
check_eq "c) e503 then ok: erased" no "$(has_personal "$WORK/c-e503.db")"

# ---- d) a temporary failure stops the pass; a final one does not --------------
DB=$WORK/d.db
"$BK_SEED" --db "$DB" --activity act-koffieochtend-sleutel --occurrence "$OCC" --count 5 \
    --name "$NAME" >/dev/null
BEFORE=$(posts_to e500)
kiosk_sync "$DB" "$HUB/e500"
check_match "d) 5 pending after a 500" "$OUT" '* signups: sent=0 pending=5'
check_eq "d) one backoff for the outbox: one POST" 1 "$(($(posts_to e500) - BEFORE))"
BEFORE=$(posts_to rej)
kiosk_sync "$DB" "$HUB/rej"
check_match "d) rejections do not block the rest" "$OUT" '* signups: sent=5 pending=0'
check_eq "d) five POSTs" 5 "$(($(posts_to rej) - BEFORE))"
check_eq "d) all rejected" 5 "$(jget outbox_rejected "$STATUS")"

# ---- e) hub down: a closed port --------------------------------------------------
DB=$WORK/e.db
seed "$DB"
kiosk_sync "$DB" http://127.0.0.1:1
check_eq "e) exit status follows the feed" 0 "$RC"
check_match "e) kept" "$OUT" '* signups: sent=0 pending=1'
kiosk_sync "$DB" "$HUB/ok"
check_match "e) delivered once up" "$OUT" '* signups: sent=1 pending=0'

# ---- f) a body that drips slower than 1 KiB/s is abandoned -------------------------
if [ "${BK_E2E_SLOW:-1}" = 1 ]; then
    DB=$WORK/f.db
    seed "$DB"
    T0=$(date +%s)
    kiosk_sync "$DB" "$HUB/drip"
    T1=$(date +%s)
    check_match "f) drip: kept" "$OUT" '* signups: sent=0 pending=1'
    check_eq "f) drip: given up within the low-speed window" yes \
        "$([ $((T1 - T0)) -ge 25 ] && [ $((T1 - T0)) -le 65 ] && echo yes || echo "no ($((T1 - T0)) s)")"
fi

summary
