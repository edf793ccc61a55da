# shellcheck shell=sh disable=SC2034
# Shared helpers for the buurthub end-to-end tests (sourced; POSIX sh).
# Sources lib.sh ($WORK, removed on exit, pass/fail, check_*, run, jget,
# summary) and adds: start_hub/stop_hub ($URL), http (one request with
# curl: $CODE, $BODY, $HEADERS), occ (an occurrence's start), make_feed (a
# feed whose dates are relative to today), signup_body, new_uuid, and for
# the staff console: admin (a request with a cookie jar), console_login,
# csrf_of; make_pki (a test CA and a certificate for 127.0.0.1).
# BK is not needed; a test that drives the kiosk too sets E2E_NEED_BK=1.

# The hub's own tests name the binary HUB; the kiosk's tests that need a
# hub name it BUURTHUB (set by CTest only when the hub is built) and are
# skipped (77) without it.
if [ -z "${HUB:-}" ] && [ -n "${BUURTHUB:-}" ]; then
    HUB=$BUURTHUB
fi
if [ -z "${HUB:-}" ] || [ ! -x "$HUB" ]; then
    echo "neither HUB nor BUURTHUB names the buurthub binary: skipped"
    exit 77
fi
: "${BK_SRC:?BK_SRC must name the source dir}"

E2E_NEED_BK=${E2E_NEED_BK:-0}
# shellcheck source=lib.sh
. "$BK_SRC/tests/e2e/lib.sh"

HUB_PID=
URL=
# Logs must be quiet enough to read but say what happened.
BUURTKIOSK_LOG=info
export BUURTKIOSK_LOG

hub_cleanup() {
    if [ -n "$HUB_PID" ]; then
        kill "$HUB_PID" 2>/dev/null || :
        wait "$HUB_PID" 2>/dev/null || :
    fi
    e2e_cleanup
}
trap hub_cleanup EXIT

# start_hub DB [ARGS...]: serve on a free loopback port; sets URL, HUB_PID.
start_hub() {
    _hub_db=$1
    shift
    buurthub_start "$_hub_db" 127.0.0.1:0 "$@"
    URL=$hub
}

# stop_hub: SIGTERM and wait; sets HUB_RC.
stop_hub() {
    [ -n "$HUB_PID" ] || return 0
    kill -TERM "$HUB_PID" 2>/dev/null || :
    set +e
    wait "$HUB_PID"
    HUB_RC=$?
    set -e
    HUB_PID=
}

# http METHOD PATH TOKEN [BODY [EXTRA CURL ARGS...]]: one request. Sets
# CODE, BODY (the response body) and HEADERS. TOKEN "-" sends none.
http() {
    _method=$1
    _path=$2
    _token=$3
    shift 3
    _data=
    if [ $# -gt 0 ]; then
        _data=$1
        shift
    fi
    set -- -s -X "$_method" -o "$WORK/.body" -D "$WORK/.headers" -w '%{http_code}' "$@"
    [ "$_token" = - ] || set -- "$@" -H "Authorization: Bearer $_token"
    if [ -n "$_data" ]; then
        printf '%s' "$_data" >"$WORK/.data"
        set -- "$@" -H 'Content-Type: application/json' --data-binary "@$WORK/.data"
    fi
    rm -f "$WORK/.body" "$WORK/.headers"
    set +e
    CODE=$(curl "$@" "$URL$_path")
    set -e
    BODY=$(cat "$WORK/.body" 2>/dev/null || :)
    HEADERS=$(tr -d '\r' <"$WORK/.headers" 2>/dev/null || :)
}

# header NAME: a response header's value from the last http call.
header() {
    printf '%s\n' "$HEADERS" | sed -n "s/^$1: //Ip" | head -n 1
}

new_uuid() { cat /proc/sys/kernel/random/uuid; }

# signup_field FEED ACTIVITY FIELD: the value of signup.FIELD (an integer
# or a flat object, as the hub writes them, compact) of one activity in a
# feed document; empty when absent.
signup_field() {
    printf '%s' "$1" | awk -v id="\"id\":\"$2\"" '{
        i = index($0, id); if (!i) exit
        s = substr($0, i); j = index(s, "\"signup\":{"); if (!j) exit
        s = substr(s, j + 9); d = 0
        for (k = 1; k <= length(s); k++) {
            c = substr(s, k, 1)
            if (c == "{") d++
            else if (c == "}" && --d == 0) { print substr(s, 1, k); exit }
        }
    }' | sed -n "s/.*\"$3\":\([0-9][0-9]*\|{[^}]*}\).*/\1/p"
}

# occ DAYS HH:MM: the start, in the hub's zone, of the occurrence DAYS days
# after tomorrow at HH:MM (a daily activity from tomorrow has one each day).
occ() {
    _day=$(TZ=Europe/Amsterdam date -d "today + $(($1 + 1)) days" +%F)
    TZ=Europe/Amsterdam date -d "$_day $2" +%FT%T%:z
}

# rfc NOW-OFFSET: an instant relative to now ("-2 hours", "+30 minutes").
rfc() { TZ=Europe/Amsterdam date -d "now $1" +%FT%T%:z; }

# make_feed FILE: the test feed. Two locations; daily activities from
# tomorrow 10:00 (plenty of room, one place with and without a waiting
# list, no limit); one starting in 30 minutes that closes an hour before;
# one without sign-up; announcements for everywhere and for loc-b only.
make_feed() {
    _start=$(occ 0 10:00)
    _soon=$(TZ=Europe/Amsterdam date -d "now + 30 minutes" +%FT%H:%M:00%:z)
    cat >"$1" <<EOF
{"format": "buurtkiosk-feed", "version": 1,
 "generated_at": "2026-01-01T00:00:00+01:00",
 "publisher": {"name": "Test"}, "languages": ["nl"],
 "locations": [
  {"id": "loc-a", "name": "Buurthuis A"},
  {"id": "loc-b", "name": "Buurthuis B"}],
 "activities": [
  {"id": "act-open", "title": "Koffie", "location_id": "loc-a", "starts_at": "$_start",
   "rrule": "FREQ=DAILY",
   "signup": {"capacity": 100, "taken": 0, "fields": ["name", "phone", "remark"]}},
  {"id": "act-one-wait", "title": "Een plek met wachtlijst", "location_id": "loc-a",
   "starts_at": "$_start", "rrule": "FREQ=DAILY",
   "signup": {"capacity": 1, "waitlist": true, "fields": ["name"]}},
  {"id": "act-one-full", "title": "Een plek", "location_id": "loc-a",
   "starts_at": "$_start", "rrule": "FREQ=DAILY",
   "signup": {"capacity": 1, "waitlist": false, "fields": ["name"]}},
  {"id": "act-unlimited", "title": "Iedereen welkom", "starts_at": "$_start",
   "rrule": "FREQ=DAILY", "signup": {"fields": ["name"]}},
  {"id": "act-soon", "title": "Zo meteen", "location_id": "loc-b", "starts_at": "$_soon",
   "signup": {"capacity": 10, "closes_before_min": 60, "fields": ["name"]}},
  {"id": "act-none", "title": "Inloop", "location_id": "loc-b", "starts_at": "$_start",
   "rrule": "FREQ=WEEKLY"}],
 "services": [
  {"id": "svc-a", "name": "Hulp bij geldzaken", "location_id": "loc-a"},
  {"id": "svc-b", "name": "Formulierenhulp", "location_id": "loc-b"}],
 "announcements": [
  {"id": "ann-all", "text": "Voor iedereen"},
  {"id": "ann-b", "text": "Alleen in B", "location_ids": ["loc-b"]}]}
EOF
}

# signup_body ID KIOSK ACTIVITY OCCURRENCE [PARTY [WAITLIST_OK [CREATED [NAME [REMARK]]]]]
# NAME and REMARK are JSON strings' contents, or null; CREATED "" = a minute ago.
signup_body() {
    _name=${8-Jan Jansen}
    [ "$_name" = null ] || _name="\"$_name\""
    _remark=${9-null}
    [ "$_remark" = null ] || _remark="\"$_remark\""
    printf '{"signup_id":"%s","kiosk_id":"%s","activity_id":"%s","occurrence":"%s",' \
        "$1" "$2" "$3" "$4"
    printf '"name":%s,"phone":"0612345678","email":null,"party_size":%s,"remark":%s,' \
        "$_name" "${5:-1}" "$_remark"
    printf '"waitlist_ok":%s,"language":"nl","created_at":"%s"}' "${6:-false}" \
        "${7:-$(rfc '-1 minute')}"
}

# ---- the staff console --------------------------------------------------------------------

# admin METHOD PATH JAR [CURL ARGS...]: one console request with a cookie
# jar (read and written); sets CODE, BODY, HEADERS.
admin() {
    _m=$1
    _p=$2
    _jar=$3
    shift 3
    rm -f "$WORK/.body" "$WORK/.headers"
    touch "$_jar"
    set +e
    CODE=$(curl -s -X "$_m" -o "$WORK/.body" -D "$WORK/.headers" -w '%{http_code}' \
        -b "$_jar" -c "$_jar" "$@" "$URL$_p")
    set -e
    BODY=$(cat "$WORK/.body" 2>/dev/null || :)
    HEADERS=$(tr -d '\r' <"$WORK/.headers" 2>/dev/null || :)
}

# console_login JAR USER PASSWORD [CURL ARGS...]: the login form's POST;
# CODE is 303 when it worked.
console_login() {
    _jar=$1
    _u=$2
    _pw=$3
    shift 3
    admin POST /admin/login "$_jar" --data-urlencode "username=$_u" \
        --data-urlencode "password=$_pw" "$@"
}

# The CSRF token in the last page's BODY.
csrf_of() { printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1; }

# make_pki CN NAME: a CA named CN ($PKI/ca.pem, its key ca.key) and a
# certificate for 127.0.0.1 and localhost that it signed ($PKI/NAME.pem,
# its key NAME.key), in $PKI=$WORK/pki. Needs openssl.
make_pki() {
    PKI=$WORK/pki
    mkdir -p "$PKI"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -subj "/CN=$1" -keyout "$PKI/ca.key" -out "$PKI/ca.pem" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -subj "/CN=127.0.0.1" -keyout "$PKI/$2.key" -out "$PKI/$2.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$PKI/ext"
    openssl x509 -req -in "$PKI/$2.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
        -CAcreateserial -days 2 -extfile "$PKI/ext" -out "$PKI/$2.pem" 2>/dev/null
}
