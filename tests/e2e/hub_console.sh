#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: the staff console's foundation (hub-api-v1.md "The hub's
# command line", `staff` and `audit`, and "The staff console"): exit
# statuses 0/1/2 of staff add, password and remove; the password taken from
# the file's first line; then a real `buurthub serve` on loopback driven
# with curl and a cookie jar: no session -> 303 to the login, POST -> 403;
# a wrong password shows the form and sets no cookie; a right one sets a
# new HttpOnly SameSite=Strict cookie (Secure behind an https proxy);
# CSRF; staff of location B get 404 for location A's list; no-store;
# 429 after 5 failures per username (also for the right password) and
# after 20 per address; logout and a password change end sessions; a
# sign-up posted by a kiosk appears on the list, its print view and its
# CSV; the hub's debug log and the audit log hold no names or phones.
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

DB=$WORK/hub.db
PW=$WORK/pw
printf 'Zomer in de buurt 2026\nthis second line is not the password\n' >"$PW"
PW2=$WORK/pw2
printf 'ander wachtwoord\r\n' >"$PW2"
: >"$WORK/empty"

# ---- staff: bad usage is 2 ----------------------------------------------------------
run "$HUB" staff
check_eq "staff without an action: 2" 2 "$RC"
run "$HUB" staff frob --db "$DB" alice
check_eq "staff with an unknown action: 2" 2 "$RC"
run "$HUB" staff add --db "$DB" alice --password-file "$PW"
check_eq "staff add without --locations or --all: 2" 2 "$RC"
check_contains "staff add: says what is missing" "$ERR" "--all"
run "$HUB" staff add --db "$DB" alice --locations loc-a --all --password-file "$PW"
check_eq "staff add with both --locations and --all: 2" 2 "$RC"
run "$HUB" staff add --db "$DB" alice --all
check_eq "staff add without --password-file: 2" 2 "$RC"
for bad in Alice "al ice" "" "a/b" "$(printf '%065d' 0)"; do
    run "$HUB" staff add --db "$DB" "$bad" --all --password-file "$PW"
    check_eq "staff add of username [$bad]: 2" 2 "$RC"
done
run "$HUB" staff add --db "$DB" alice --locations "a,,b" --password-file "$PW"
check_eq "staff add with a bad location list: 2" 2 "$RC"
run "$HUB" staff remove --db "$DB" alice --all
check_eq "staff remove with --all: 2" 2 "$RC"
run "$HUB" staff password --db "$DB" alice
check_eq "staff password without --password-file: 2" 2 "$RC"
run "$HUB" staff add --db "$DB" alice bob --all --password-file "$PW"
check_eq "staff add with two usernames: 2" 2 "$RC"
run "$HUB" audit
check_eq "audit without --db: 2" 2 "$RC"
run "$HUB" audit --db "$WORK/missing.db"
check_eq "audit of a missing database: 1" 1 "$RC"

# ---- staff: refusals are 1 ----------------------------------------------------------
run "$HUB" staff add --db "$DB" alice --all --password-file "$WORK/missing"
check_eq "staff add with a missing password file: 1" 1 "$RC"
run "$HUB" staff add --db "$DB" alice --all --password-file "$WORK/empty"
check_eq "staff add with an empty password: 1" 1 "$RC"

# ---- staff: accounts ----------------------------------------------------------------
run "$HUB" staff add --db "$DB" coord --all --password-file "$PW"
check_eq "staff add --all" 0 "$RC"
check_eq "staff add prints nothing" "" "$OUT"
run "$HUB" staff add --db "$DB" alice --locations loc-a,loc-b --password-file "$PW"
check_eq "staff add --locations" 0 "$RC"
run "$HUB" staff add --db "$DB" alice --all --password-file "$PW2"
check_eq "existing username: 1" 1 "$RC"
check_contains "existing username: reason" "$ERR" "exists"
run "$HUB" staff password --db "$DB" alice --password-file "$PW2"
check_eq "staff password" 0 "$RC"
run "$HUB" staff password --db "$DB" nobody --password-file "$PW2"
check_eq "staff password of an unknown username: 1" 1 "$RC"
run "$HUB" staff remove --db "$DB" coord
check_eq "staff remove" 0 "$RC"
run "$HUB" staff remove --db "$DB" coord
check_eq "staff remove twice: 1" 1 "$RC"
if sqlite3 "$DB" 'SELECT password_hash FROM staff' | grep -q -e 'Zomer' -e 'ander'; then
    fail "a password is stored as is"
else
    pass
fi
check_match "the hash is Argon2id" "$(sqlite3 "$DB" "SELECT password_hash FROM staff WHERE username='alice'")" '$argon2id$*'

# ---- audit -----------------------------------------------------------------------------
run "$HUB" audit --db "$DB"
check_eq "audit exit" 0 "$RC"
check_eq "audit: one line per change" 4 "$(printf '%s\n' "$OUT" | wc -l)"
check_match "audit line shape" "$(printf '%s\n' "$OUT" | head -n 1)" \
    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]*[+-][0-9:]* cli staff.add coord'
check_contains "audit: password change" "$OUT" "cli staff.password alice"
check_contains "audit: removal" "$OUT" "cli staff.remove coord"
check_not_contains "audit: no password" "$OUT" "Zomer"

# ---- the console -------------------------------------------------------------------------
make_feed "$WORK/feed.json"
"$HUB" import --db "$DB" "$WORK/feed.json" >/dev/null
KTOKEN=$("$HUB" kiosk add --db "$DB" k1)
"$HUB" staff add --db "$DB" coord --all --password-file "$PW"
"$HUB" staff add --db "$DB" staff-b --locations loc-b --password-file "$PW"
"$HUB" staff add --db "$DB" limited --all --password-file "$PW"
PASSWORD='Zomer in de buurt 2026'
BUURTKIOSK_LOG=debug
export BUURTKIOSK_LOG
: >"$WORK/hub.err"
start_hub "$DB"

# login JAR USER PASSWORD [CURL ARGS...]
login() { console_login "$@"; }

OCC=$(occ 0 10:00)
AT=$(date -d "$OCC" +%s)
LIST="/admin/list?activity=act-open&at=$AT"

# No session.
admin GET /admin/ "$WORK/none"
check_eq "no session: 303" 303 "$CODE"
check_eq "no session: to the login" /admin/login "$(header Location)"
admin GET "$LIST" "$WORK/none"
check_eq "no session, a list: 303" 303 "$CODE"
admin GET /admin/nonsense "$WORK/none"
check_eq "no session, an unknown page: 303" 303 "$CODE"
admin POST /admin/logout "$WORK/none" --data "csrf=x"
check_eq "no session, a POST: 403" 403 "$CODE"
admin GET /admin/login "$WORK/none"
check_eq "login page" 200 "$CODE"
check_contains "login form: username" "$BODY" 'name="username"'
check_contains "login form: password" "$BODY" 'name="password"'
check_contains "login form: labelled" "$BODY" '<label for="username">'
check_contains "login form: Dutch first" "$BODY" 'lang="nl"'
admin GET "/admin/login?lang=en" "$WORK/none"
check_contains "login form: English" "$BODY" 'Password'

# A wrong password: the form again, no cookie.
login "$WORK/jar1" coord "wrong"
check_eq "wrong password: the form again" 200 "$CODE"
check_contains "wrong password: the form" "$BODY" 'name="password"'
check_eq "wrong password: no cookie" "" "$(header Set-Cookie)"
check_eq "wrong password: no session row" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM staff_sessions')"

# The right password.
login "$WORK/jar1" coord "$PASSWORD"
check_eq "login: 303" 303 "$CODE"
check_eq "login: to /admin/" /admin/ "$(header Location)"
COOKIE=$(header Set-Cookie)
check_contains "cookie: HttpOnly" "$COOKIE" "HttpOnly"
check_contains "cookie: SameSite=Strict" "$COOKIE" "SameSite=Strict"
check_not_contains "cookie: not Secure on plain loopback" "$COOKIE" "Secure"
FIRST=$(printf '%s' "$COOKIE" | sed 's/;.*//')
login "$WORK/jar2" coord "$PASSWORD" -H 'X-Forwarded-Proto: https'
COOKIE2=$(header Set-Cookie)
check_contains "cookie behind an https proxy: Secure" "$COOKIE2" "; Secure"
if [ "$FIRST" = "$(printf '%s' "$COOKIE2" | sed 's/;.*//')" ]; then
    fail "a second login got the same session"
else
    pass
fi
# A login while holding a session still gets a new one.
login "$WORK/jar2" coord "$PASSWORD"
if [ "$(printf '%s' "$COOKIE2" | sed 's/;.*//')" = "$(header Set-Cookie | sed 's/;.*//')" ]; then
    fail "a login kept the session it came with"
else
    pass
fi

# The week.
admin GET /admin/ "$WORK/jar1"
check_eq "week: 200" 200 "$CODE"
check_eq "week: no-store" no-store "$(header Cache-Control)"
check_contains "week: links the occurrence's list" "$BODY" "/admin/list?activity=act-open&amp;at=$AT"
check_contains "week: coordinator sees location B" "$BODY" "Zo meteen"
CSRF=$(csrf_of)
check_eq "week: a csrf field" 43 "${#CSRF}"

# A sign-up from a kiosk, then its list.
NAME="Truus de Ruiter-Vink"
PHONE="0687654321"
body=$(signup_body "$(new_uuid)" k1 act-open "$OCC" 1 false "" "$NAME" "graag een stoel")
body=$(printf '%s' "$body" | sed "s/0612345678/$PHONE/")
http POST /kiosk/v1/signups "$KTOKEN" "$body"
check_eq "kiosk sign-up [$BODY]" 201 "$CODE"
admin GET "$LIST" "$WORK/jar1"
check_eq "list: 200" 200 "$CODE"
check_eq "list: no-store" no-store "$(header Cache-Control)"
check_contains "list: the name" "$BODY" "$NAME"
check_contains "list: the phone" "$BODY" "$PHONE"
check_contains "list: the remark" "$BODY" "graag een stoel"
check_contains "list: links Afdrukken" "$BODY" ">Afdrukken</a>"
check_contains "list: links the CSV" "$BODY" "/admin/list.csv?activity=act-open&amp;at=$AT"
admin GET "/admin/print?activity=act-open&at=$AT" "$WORK/jar1"
check_eq "print view: 200" 200 "$CODE"
check_contains "print view: A4" "$BODY" "size:A4"
check_contains "print view: the name" "$BODY" "$NAME"
admin GET "/admin/list.csv?activity=act-open&at=$AT" "$WORK/jar1"
check_eq "csv: 200" 200 "$CODE"
check_eq "csv: no-store" no-store "$(header Cache-Control)"
check_contains "csv: header" "$BODY" "signup_id,activity_id,occurrence,status,party_size,name,phone"
check_contains "csv: the row" "$BODY" "$NAME,$PHONE"
# The waiting list with positions; full requests marked "bellen".
for who in Eerste Tweede Derde; do
    http POST /kiosk/v1/signups "$KTOKEN" \
        "$(signup_body "$(new_uuid)" k1 act-one-wait "$OCC" 1 true "" "Wacht $who")"
    http POST /kiosk/v1/signups "$KTOKEN" \
        "$(signup_body "$(new_uuid)" k1 act-one-full "$OCC" 1 false "" "Vol $who")"
done
check_eq "the third full request: 409" 409 "$CODE"
admin GET "/admin/list?activity=act-one-wait&at=$AT" "$WORK/jar1"
check_contains "waiting list: position 1" "$BODY" "<tr><td>1</td><td>Wacht Tweede</td>"
check_contains "waiting list: position 2" "$BODY" "<tr><td>2</td><td>Wacht Derde</td>"
admin GET /admin/ "$WORK/jar1"
check_contains "week: counts confirmed, waiting, to call" "$BODY" \
    "act-one-wait&amp;at=$AT\">Een plek met wachtlijst</a></td><td>Buurthuis A</td><td>1 / 1</td><td>2</td><td>0</td>"
check_contains "week: full requests to call" "$BODY" \
    "act-one-full&amp;at=$AT\">Een plek</a></td><td>Buurthuis A</td><td>1 / 1</td><td>0</td><td>2</td>"
admin GET "/admin/list?activity=act-one-full&at=$AT" "$WORK/jar1"
check_eq "full requests: bellen twice" 2 "$(printf '%s' "$BODY" | grep -o '<span class="call">bellen</span> (vol)' | wc -l)"
check_contains "full requests: the name" "$BODY" "Vol Derde"

admin GET "/admin/list?activity=act-open&at=$((AT + 60))" "$WORK/jar1"
check_eq "list of no occurrence: 404" 404 "$CODE"
admin GET "/admin/list?activity=act-nope&at=$AT" "$WORK/jar1"
check_eq "list of no activity: 404" 404 "$CODE"

# Staff of location B.
login "$WORK/jarb" staff-b "$PASSWORD"
check_eq "staff-b login" 303 "$CODE"
admin GET "$LIST" "$WORK/jarb"
check_eq "B asking for A's list: 404" 404 "$CODE"
check_not_contains "B asking for A's list: no name" "$BODY" "$NAME"
admin GET "/admin/list.csv?activity=act-open&at=$AT" "$WORK/jarb"
check_eq "B asking for A's CSV: 404" 404 "$CODE"
admin GET "/admin/print?activity=act-open&at=$AT" "$WORK/jarb"
check_eq "B asking for A's print view: 404" 404 "$CODE"
admin GET /admin/ "$WORK/jarb"
check_not_contains "B's week: no A activity" "$BODY" "act-open"
check_contains "B's week: its own activity" "$BODY" "Zo meteen"

# CSRF, before anything else.
admin POST /admin/logout "$WORK/jar1"
check_eq "POST without csrf: 403" 403 "$CODE"
admin POST /admin/logout "$WORK/jar1" --data "csrf=$(printf '%s' "$CSRF" | tr 'A-Za-z' 'B-ZAb-za')"
check_eq "POST with a wrong csrf: 403" 403 "$CODE"
admin POST /admin/nonsense "$WORK/jar1" --data "other=1"
check_eq "POST elsewhere without csrf: 403" 403 "$CODE"
admin GET /admin/ "$WORK/jar1"
check_eq "the session lives on after refused POSTs" 200 "$CODE"
admin GET /admin/logout "$WORK/jar1"
check_eq "GET logout changes nothing" 405 "$CODE"
admin GET /admin/ "$WORK/jar1"
check_eq "still logged in after GET logout" 200 "$CODE"

# Logout: the old cookie opens nothing.
cp "$WORK/jar1" "$WORK/jar1.old"
admin POST /admin/logout "$WORK/jar1" --data "csrf=$CSRF"
check_eq "logout: 303" 303 "$CODE"
check_eq "logout: to the login" /admin/login "$(header Location)"
admin GET /admin/ "$WORK/jar1.old"
check_eq "old cookie after logout: 303" 303 "$CODE"
admin GET "$LIST" "$WORK/jar1.old"
check_eq "old cookie after logout, the list: 303" 303 "$CODE"
check_not_contains "old cookie after logout: no name" "$BODY" "$NAME"

# A new password ends the user's sessions.
admin GET /admin/ "$WORK/jarb"
check_eq "staff-b logged in" 200 "$CODE"
"$HUB" staff password --db "$DB" staff-b --password-file "$PW"
admin GET /admin/ "$WORK/jarb"
check_eq "after staff password: 303" 303 "$CODE"
login "$WORK/jarb" staff-b "$PASSWORD"
"$HUB" staff remove --db "$DB" staff-b
admin GET /admin/ "$WORK/jarb"
check_eq "after staff remove: 303" 303 "$CODE"

# Five failures for one username: 429, also for the right password.
for i in 1 2 3 4 5; do
    login "$WORK/jarl" limited "wrong $i"
    check_eq "failure $i: the form" 200 "$CODE"
done
login "$WORK/jarl" limited "$PASSWORD"
check_eq "sixth try, right password: 429" 429 "$CODE"
RA=$(header Retry-After)
check_match "429: Retry-After" "$RA" '[0-9]*'
if [ "${RA:-0}" -gt 0 ] && [ "${RA:-0}" -le 900 ]; then pass; else fail "Retry-After $RA"; fi
check_eq "429: no cookie" "" "$(header Set-Cookie)"
login "$WORK/jarc" coord "$PASSWORD"
check_eq "another username still logs in" 303 "$CODE"

# Twenty failures from one address (behind the proxy: X-Forwarded-For).
for i in $(seq 1 20); do
    login "$WORK/jarx" "nobody$i" "wrong" -H 'X-Forwarded-For: 192.0.2.7'
done
login "$WORK/jarx" coord "$PASSWORD" -H 'X-Forwarded-For: 192.0.2.7'
check_eq "21st from one address: 429" 429 "$CODE"
login "$WORK/jarx" coord "$PASSWORD" -H 'X-Forwarded-For: 192.0.2.8'
check_eq "another address: 303" 303 "$CODE"

# No personal data in the log (debug level) or the audit log.
stop_hub
check_eq "serve stops cleanly (no leak under ASan)" 0 "$HUB_RC"
check_not_contains "no sanitizer report" "$(cat "$WORK/hub.err")" "Sanitizer"
check_contains "the log is at debug level" "$(cat "$WORK/hub.err")" "staff login"
for s in "$NAME" "$PHONE" "graag een stoel" "$PASSWORD" "wrong"; do
    check_not_contains "log without [$s]" "$(cat "$WORK/hub.err")" "$s"
done
run "$HUB" audit --db "$DB"
check_contains "audit: logins" "$OUT" "coord login"
check_contains "audit: logout" "$OUT" "coord logout"
for s in "$NAME" "$PHONE" "$PASSWORD"; do
    check_not_contains "audit without [$s]" "$OUT" "$s"
done

# secure_cookies = true: Secure on plain loopback too.
printf '[hub]\nsecure_cookies = true\n' >"$WORK/hub.conf"
start_hub "$DB" --config "$WORK/hub.conf"
login "$WORK/jars" coord "$PASSWORD"
check_contains "secure_cookies: Secure" "$(header Set-Cookie)" "; Secure"
stop_hub
check_eq "serve with a config stops cleanly" 0 "$HUB_RC"

summary
