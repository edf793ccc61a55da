#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: a console session ends after `[hub] session_idle_min` minutes
# without a request, and a request inside that window keeps it alive
# (hub-api-v1.md "The staff console"). A real `buurthub serve` on loopback
# with session_idle_min = 1, driven with curl and a cookie jar.
#
# How time passes: the session's row in the real SQLite file
# (staff_sessions.last_seen, unix seconds, written by hub_session.c at every
# request) is aged with the sqlite3 CLI while the hub runs, instead of
# waiting 61 s for real. The hub reads that row at every request and judges
# it against its own clock, so what is tested is the product's whole path;
# only the waiting is skipped, which keeps this test at a few seconds in a
# suite that already runs long. No time hook is added to the product for it.
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

DB=$WORK/hub.db
PASSWORD='een wachtwoord voor de test'
printf '%s\n' "$PASSWORD" >"$WORK/pw"
make_feed "$WORK/feed.json"
"$HUB" import --db "$DB" "$WORK/feed.json" >/dev/null
"$HUB" staff add --db "$DB" coord --all --password-file "$WORK/pw"
printf '[hub]\nsession_idle_min = 1\n' >"$WORK/hub.ini"
start_hub "$DB" --config "$WORK/hub.ini"

JAR=$WORK/jar
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }
last_seen() { sql "SELECT last_seen FROM staff_sessions WHERE username = 'coord'"; }
# age SECONDS: the session was last used SECONDS earlier than it was.
age() { sql "UPDATE staff_sessions SET last_seen = last_seen - $1 WHERE username = 'coord'"; }

LIST="/admin/list?activity=act-open&at=$(date -d "$(occ 0 10:00)" +%s)"

console_login "$JAR" coord "$PASSWORD"
check_eq "login: 303" 303 "$CODE"
admin GET /admin/ "$JAR"
check_eq "logged in: the week page" 200 "$CODE"
check_eq "one session row" 1 "$(sql 'SELECT count(*) FROM staff_sessions')"

# Inside the window: 50 s idle, then a request. It answers, and counts as
# use: last_seen moves to now, so 50 s more (100 s since the login's last
# request but one) is still inside the window.
age 50
before=$(last_seen)
admin GET "$LIST" "$JAR"
check_eq "50 s idle (of 60): the list still answers" 200 "$CODE"
after=$(last_seen)
now=$(date +%s)
if [ "$after" -gt "$before" ] && [ $((now - after)) -le 5 ]; then
    pass
else
    fail "a request did not renew last_seen ($before -> $after, now $now)"
fi
age 50
admin GET /admin/ "$JAR"
check_eq "50 s idle again after a request: still alive" 200 "$CODE"
age 55
admin GET "$LIST" "$JAR"
check_eq "55 s idle: still alive" 200 "$CODE"
CSRF=$(csrf_of)
check_eq "the page carries a csrf token" 43 "${#CSRF}"

# Past the window: one minute and a second without a request.
age 61
admin GET "$LIST" "$JAR"
check_eq "61 s idle: the list is gone, 303" 303 "$CODE"
check_eq "61 s idle: to the login" /admin/login "$(header Location)"
check_not_contains "61 s idle: no names" "$BODY" "Koffie"
check_eq "the ended session's row is gone" 0 "$(sql 'SELECT count(*) FROM staff_sessions')"
# The old cookie opens nothing any more, also for a POST with its csrf.
admin GET /admin/ "$JAR"
check_eq "the old cookie, the week page: 303" 303 "$CODE"
admin POST /admin/logout "$JAR" --data-urlencode "csrf=$CSRF"
check_eq "the old cookie, a POST with its csrf: 403" 403 "$CODE"

# Exactly one minute idle ends it too ("after 1 minute without a request").
console_login "$JAR" coord "$PASSWORD"
check_eq "a new login: 303" 303 "$CODE"
admin GET /admin/ "$JAR"
check_eq "the new session works" 200 "$CODE"
age 60
admin GET /admin/ "$JAR"
check_eq "60 s idle: ended" 303 "$CODE"

stop_hub
check_eq "serve exits 0 on SIGTERM" 0 "$HUB_RC"
summary
