#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: the staff console's actions (issue 13) against a real
# `buurthub serve` on loopback, driven with curl and a cookie jar: a
# kiosk's sign-up on the list; attendance marked and undone (the element
# ids a browser test relies on), in the print view and the CSV; cancelling
# with a confirmation step, the waiting list moving up and the moved one
# marked bellen; sign-ups taken by phone confirmed, waitlisted, refused,
# and refused with errors beside their fields; 403 without csrf on each new
# POST; staff of location B get 404 for A's list actions and do not see A's
# kiosk; the kiosks page with a heartbeat and its warnings; enrolling a
# kiosk and replacing its token (the old one then gets 401); the audit
# page; no names or phones in the hub's debug log or the audit log.
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

DB=$WORK/hub.db
PW=$WORK/pw
PASSWORD='Herfst in de buurt 2026'
printf '%s\n' "$PASSWORD" >"$PW"

make_feed "$WORK/feed.json"
"$HUB" import --db "$DB" "$WORK/feed.json" >/dev/null
KTOKEN=$("$HUB" kiosk add --db "$DB" k1 --locations loc-a)
"$HUB" kiosk add --db "$DB" kb --locations loc-b >/dev/null
"$HUB" kiosk add --db "$DB" k-silent --locations loc-a >"$WORK/silent.token"
"$HUB" staff add --db "$DB" coord --all --password-file "$PW"
"$HUB" staff add --db "$DB" staff-b --locations loc-b --password-file "$PW"
BUURTKIOSK_LOG=debug
export BUURTKIOSK_LOG
: >"$WORK/hub.err"
start_hub "$DB"

login() { console_login "$1" "$2" "$PASSWORD"; }

status_of() { sqlite3 "$DB" "SELECT status FROM signups WHERE signup_id = '$1'"; }

OCC=$(occ 0 10:00)
AT=$(date -d "$OCC" +%s)
OCC1=$(occ 1 10:00)
AT1=$(date -d "$OCC1" +%s)
LIST="/admin/list?activity=act-open&at=$AT"
JAR=$WORK/coord
login "$JAR" coord
check_eq "coord login" 303 "$CODE"
admin GET /admin/ "$JAR"
CSRF=$(csrf_of)
check_eq "a csrf token" 43 "${#CSRF}"

# ---- a kiosk's sign-up on the list -------------------------------------------------------
NAME="Gerrit van Dalen-Smit"
PHONE="0611223344"
SID=$(new_uuid)
body=$(signup_body "$SID" k1 act-open "$OCC" 1 false "" "$NAME" "rolstoel")
http POST /kiosk/v1/signups "$KTOKEN" "$(printf '%s' "$body" | sed "s/0612345678/$PHONE/")"
check_eq "kiosk sign-up" 201 "$CODE"
admin GET "$LIST" "$JAR"
check_eq "list: 200" 200 "$CODE"
check_contains "list: the name" "$BODY" "$NAME"
check_contains "list: an attendance button with its id" "$BODY" \
    "<button type=\"submit\" id=\"attend-$SID\">Aanwezig</button>"
check_not_contains "list: not marked yet" "$BODY" "id=\"attended-$SID\""
check_contains "list: a cancel button" "$BODY" "id=\"cancel-$SID\""
check_contains "list: the phone sign-up form, labelled" "$BODY" '<label for="party_size">'

# ---- attendance ------------------------------------------------------------------------------
attend() { # JAR CSRF ACTIVITY AT SIGNUP PRESENT
    admin POST /admin/list/attend "$1" --data "csrf=$2&activity=$3&at=$4&signup_id=$5&present=$6"
}
admin POST /admin/list/attend "$JAR" --data "activity=act-open&at=$AT&signup_id=$SID&present=1"
check_eq "attend without csrf: 403" 403 "$CODE"
check_eq "attend without csrf: nothing marked" "" \
    "$(sqlite3 "$DB" "SELECT attended_at FROM signups WHERE signup_id = '$SID'")"
attend "$JAR" "$CSRF" act-open "$AT" "$SID" 1
check_eq "attend: 303 (PRG)" 303 "$CODE"
check_eq "attend: back to the list with a notice" \
    "/admin/list?activity=act-open&at=$AT&notice=attended" "$(header Location)"
admin GET "$(header Location)" "$JAR"
check_contains "attended: marked with its id" "$BODY" "id=\"attended-$SID\">aanwezig</span>"
check_contains "attended: the notice" "$BODY" 'role="status">Aanwezigheid genoteerd.'
check_contains "attended: a button to undo" "$BODY" "id=\"unattend-$SID\""
check_not_contains "attended: no attend button any more" "$BODY" "id=\"attend-$SID\""
admin GET "/admin/print?activity=act-open&at=$AT" "$JAR"
check_contains "print view: attendance column" "$BODY" "<th scope=\"col\">Aanwezig</th>"
check_contains "print view: marked" "$BODY" "<td>aanwezig</td>"
check_not_contains "print view: no forms" "$BODY" "/admin/list/attend"
admin GET "/admin/list.csv?activity=act-open&at=$AT" "$JAR"
check_match "csv: attended is the last column" "$(printf '%s' "$BODY" | head -n 1 | tr -d '\r')" \
    'signup_id,activity_id,occurrence,status,party_size,name,phone,email,remark,kiosk_id,created_at,received_at,call,*,attended'
check_match "csv: the row says yes" "$(printf '%s' "$BODY" | grep "$SID" | tr -d '\r')" "*,yes"
attend "$JAR" "$CSRF" act-open "$AT" "$SID" 0
check_eq "undo: 303" 303 "$CODE"
admin GET "$LIST" "$JAR"
check_contains "undone: the attend button again" "$BODY" "id=\"attend-$SID\""
check_not_contains "undone: no mark" "$BODY" "id=\"attended-$SID\""
admin GET "/admin/list.csv?activity=act-open&at=$AT" "$JAR"
check_match "csv after undo: empty" "$(printf '%s' "$BODY" | grep "$SID" | tr -d '\r')" "*,"
check_not_contains "csv after undo: not yes" "$(printf '%s' "$BODY" | grep "$SID" | tr -d '\r' | sed 's/.*,//')" "yes"
attend "$JAR" "$CSRF" act-open "$AT" "$SID" 1
attend "$JAR" "$CSRF" act-open "$AT" "$SID" 2
check_eq "attend with present=2: 400" 400 "$CODE"
attend "$JAR" "$CSRF" act-open "$AT1" "$SID" 1
check_eq "attend: a sign-up of another occurrence: 404" 404 "$CODE"
attend "$JAR" "$CSRF" act-open "$AT" "$(new_uuid)" 1
check_eq "attend: an unknown sign-up: 404" 404 "$CODE"
attend "$JAR" "$CSRF" act-open "$AT" "not-a-uuid" 1
check_eq "attend: not a sign-up id: 404" 404 "$CODE"

# ---- cancelling: the waiting list moves up --------------------------------------------------
W1=$(new_uuid)
W2=$(new_uuid)
W3=$(new_uuid)
http POST /kiosk/v1/signups "$KTOKEN" "$(signup_body "$W1" k1 act-one-wait "$OCC" 1 true "" "Eerste Wachter")"
http POST /kiosk/v1/signups "$KTOKEN" "$(signup_body "$W2" k1 act-one-wait "$OCC" 1 true "" "Tweede Wachter")"
http POST /kiosk/v1/signups "$KTOKEN" "$(signup_body "$W3" k1 act-one-wait "$OCC" 1 true "" "Derde Wachter")"
check_eq "third on the waiting list" 201 "$CODE"
WLIST="/admin/list?activity=act-one-wait&at=$AT"
admin GET "$WLIST" "$JAR"
check_contains "waiting rows have a cancel button" "$BODY" "id=\"cancel-$W3\""
check_not_contains "waiting rows have no attendance" "$BODY" "id=\"attend-$W2\""
admin POST /admin/list/cancel "$JAR" --data "activity=act-one-wait&at=$AT&signup_id=$W1"
check_eq "cancel without csrf: 403" 403 "$CODE"
admin POST /admin/list/cancel "$JAR" --data "csrf=$CSRF&activity=act-one-wait&at=$AT&signup_id=$W1"
check_eq "cancel: a confirmation page first" 200 "$CODE"
check_contains "confirmation: says whom" "$BODY" "Eerste Wachter"
check_contains "confirmation: a POST with confirm=1" "$BODY" 'name="confirm" value="1"'
check_eq "confirmation: nothing cancelled yet" confirmed "$(status_of "$W1")"
admin POST /admin/list/cancel "$JAR" \
    --data "csrf=$CSRF&activity=act-one-wait&at=$AT&signup_id=$W1&confirm=1"
check_eq "cancel confirmed: 303" 303 "$CODE"
check_eq "cancel: back with a notice" "/admin/list?activity=act-one-wait&at=$AT&notice=moved-up" \
    "$(header Location)"
check_eq "cancelled" cancelled "$(status_of "$W1")"
check_eq "the first waiting moved up" confirmed "$(status_of "$W2")"
admin GET "$WLIST" "$JAR"
check_contains "moved up: marked bellen" "$BODY" \
    "<td>Tweede Wachter</td><td></td><td>1</td><td></td><td><span class=\"call\">bellen</span> (van de wachtlijst)</td>"
check_contains "the second waiting is now first" "$BODY" "<tr><td>1</td><td>Derde Wachter</td>"
check_not_contains "the cancelled one is off the list" "$BODY" "Eerste Wachter"
admin POST /admin/list/cancel "$JAR" \
    --data "csrf=$CSRF&activity=act-one-wait&at=$AT&signup_id=$W1&confirm=1"
check_eq "cancel twice: back with a refusal" \
    "/admin/list?activity=act-one-wait&at=$AT&notice=not-cancellable" "$(header Location)"
admin POST /admin/list/cancel "$JAR" \
    --data "csrf=$CSRF&activity=act-open&at=$AT&signup_id=$W3&confirm=1"
check_eq "cancel: a sign-up of another activity: 404" 404 "$CODE"
check_eq "... and it stays" waitlisted "$(status_of "$W3")"

# ---- sign-ups taken by phone ------------------------------------------------------------------
add() { # JAR CSRF ACTIVITY AT NAME PHONE PARTY [MORE CURL ARGS]
    _j=$1 _c=$2 _a=$3 _t=$4 _n=$5 _p=$6 _s=$7
    shift 7
    admin POST /admin/list/add "$_j" --data "csrf=$_c&activity=$_a&at=$_t&waitlist_ok=1" \
        --data-urlencode "name=$_n" --data-urlencode "phone=$_p" --data "party_size=$_s" "$@"
}
console_status() {
    sqlite3 "$DB" "SELECT status FROM signups WHERE kiosk_id = 'console' AND name = '$1'"
}
admin POST /admin/list/add "$JAR" --data "activity=act-one-wait&at=$AT1&name=x&party_size=1"
check_eq "add without csrf: 403" 403 "$CODE"
add "$JAR" "$CSRF" act-one-wait "$AT1" "Telefoon Een" 0622000001 1
check_eq "phone sign-up: 303" 303 "$CODE"
check_eq "phone sign-up: confirmed" "/admin/list?activity=act-one-wait&at=$AT1&notice=confirmed" \
    "$(header Location)"
check_eq "phone sign-up: stored confirmed, kiosk console" confirmed "$(console_status 'Telefoon Een')"
add "$JAR" "$CSRF" act-one-wait "$AT1" "Telefoon Twee" 0622000002 1
check_eq "full: waitlisted" "/admin/list?activity=act-one-wait&at=$AT1&notice=waitlisted" \
    "$(header Location)"
check_eq "full: stored waitlisted" waitlisted "$(console_status 'Telefoon Twee')"
admin GET "$(header Location)" "$JAR"
check_contains "waitlisted: the notice" "$BODY" "Vol: op de wachtlijst gezet."
check_contains "waitlisted: on the waiting list" "$BODY" "<tr><td>1</td><td>Telefoon Twee</td>"
add "$JAR" "$CSRF" act-one-full "$AT1" "Telefoon Drie" 0622000003 1
check_eq "no waiting list: the first confirmed" confirmed "$(console_status 'Telefoon Drie')"
add "$JAR" "$CSRF" act-one-full "$AT1" "Telefoon Vier" 0622000004 1
check_eq "no waiting list, full: refused" \
    "/admin/list?activity=act-one-full&at=$AT1&notice=full" "$(header Location)"
admin GET "$(header Location)" "$JAR"
check_contains "refused: a clear message" "$BODY" "Niet aangemeld: de activiteit is vol"
check_eq "refused: nobody beyond capacity" 1 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM signups WHERE activity_id = 'act-one-full' AND occurrence = $AT1 AND status = 'confirmed'")"
# Errors beside their fields, values kept.
add "$JAR" "$CSRF" act-open "$AT1" "" 0622000005 1
check_eq "no name: 422" 422 "$CODE"
check_contains "no name: the error beside the field" "$BODY" '<p class="error" id="name-error">'
check_contains "no name: tied to it" "$BODY" 'aria-describedby="name-error"'
check_contains "no name: the phone kept" "$BODY" 'value="0622000005"'
add "$JAR" "$CSRF" act-open "$AT1" "Telefoon Vijf" "bel me" 1
check_eq "a bad phone: 422" 422 "$CODE"
check_contains "a bad phone: beside the field" "$BODY" 'id="phone-error"'
check_contains "a bad phone: the name kept" "$BODY" 'value="Telefoon Vijf"'
for bad in 0 21 abc -1 "" 1.5; do
    add "$JAR" "$CSRF" act-open "$AT1" "Telefoon Zes" 0622000006 "$bad"
    check_eq "party size [$bad]: 422" 422 "$CODE"
    check_contains "party size [$bad]: beside the field" "$BODY" 'id="party_size-error"'
done
check_eq "refused forms store nothing" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM signups WHERE name IN ('Telefoon Vijf', 'Telefoon Zes')")"
add "$JAR" "$CSRF" act-open "$((AT1 + 60))" "Telefoon Zeven" 0622000007 1
check_eq "add to no occurrence: 404" 404 "$CODE"
add "$JAR" "$CSRF" act-open "$AT1" "Telefoon Acht" 0622000008 3
check_eq "a party of 3 where the activity does not ask: 422" 422 "$CODE"
add "$JAR" "$CSRF" act-open "$AT1" "Telefoon Acht" 0622000008 1 --data-urlencode "remark=graag vooraan"
check_eq "with a remark: confirmed" confirmed "$(console_status 'Telefoon Acht')"
check_eq "the phone and remark stored" "0622000008|graag vooraan" \
    "$(sqlite3 "$DB" "SELECT phone, remark FROM signups WHERE name = 'Telefoon Acht'")"

# ---- staff of location B ---------------------------------------------------------------------
JB=$WORK/staffb
login "$JB" staff-b
admin GET /admin/ "$JB"
CSRFB=$(csrf_of)
attend "$JB" "$CSRFB" act-open "$AT" "$SID" 0
check_eq "B: attend on A's list: 404" 404 "$CODE"
admin POST /admin/list/cancel "$JB" \
    --data "csrf=$CSRFB&activity=act-one-wait&at=$AT&signup_id=$W3&confirm=1"
check_eq "B: cancel on A's list: 404" 404 "$CODE"
check_eq "B: nothing cancelled" waitlisted "$(status_of "$W3")"
add "$JB" "$CSRFB" act-open "$AT" "Niet Van B" 0622000009 1
check_eq "B: add to A's list: 404" 404 "$CODE"
check_eq "B: nothing added" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM signups WHERE name = 'Niet Van B'")"
check_eq "B: A's attendance untouched" 1 \
    "$(sqlite3 "$DB" "SELECT attended_at IS NOT NULL FROM signups WHERE signup_id = '$SID'")"

# ---- kiosks --------------------------------------------------------------------------------------
hb() { # TOKEN KIOSK LAST_SYNC_OK
    http POST /kiosk/v1/heartbeat "$1" \
        "{\"kiosk_id\":\"$2\",\"version\":\"1.2.0-test\",\"uptime_s\":86400,\"feed_etag\":\"\\\"abc\\\"\",\"last_sync_ok_at\":\"$3\",\"last_sync_error\":\"dns lookup failed\",\"outbox_pending\":3,\"outbox_rejected\":1,\"screen\":\"fault\",\"free_disk_mb\":812}"
}
hb "$KTOKEN" k1 "$(rfc '-5 minutes')"
check_eq "heartbeat: 204" 204 "$CODE"
hb "$(cat "$WORK/silent.token")" k-silent "$(rfc '-2 days')"
# An hour of silence, without waiting an hour: the heartbeat as if sent then.
sqlite3 "$DB" "UPDATE heartbeats SET received_at = received_at - 3600 WHERE kiosk_id = 'k-silent'"
admin GET /admin/kiosks "$JAR"
check_eq "kiosks: 200" 200 "$CODE"
check_eq "kiosks: no-store" no-store "$(header Cache-Control)"
K1=$(printf '%s' "$BODY" | sed -n 's/.*\(<section class="kiosk" id="kiosk-k1".*\)/\1/p' | sed 's#</section>.*##')
check_contains "k1: the version" "$K1" "1.2.0-test"
check_contains "k1: the screen" "$K1" "storing"
check_contains "k1: the last error" "$K1" "dns lookup failed"
check_contains "k1: pending" "$K1" "<dt>Aanmeldingen nog te versturen</dt><dd>3</dd>"
check_contains "k1: rejected" "$K1" "<dt>Aanmeldingen geweigerd</dt><dd>1</dd>"
check_contains "k1: free disk" "$K1" "812 MB"
check_contains "k1: how long ago" "$K1" "seconden geleden"
check_contains "k1: no warning" "$K1" 'id="ok-k1"'
KS=$(printf '%s' "$BODY" | sed -n 's/.*\(<section class="kiosk" id="kiosk-k-silent".*\)/\1/p' | sed 's#</section>.*##')
check_contains "silent kiosk: a warning in words" "$KS" "langer dan drie hartslagen stil"
check_contains "silent kiosk: content older than a day" "$KS" "ouder is dan een dag"
check_contains "silent kiosk: an hour ago" "$KS" "60 minuten geleden"
check_contains "a kiosk never heard from: a warning" "$BODY" \
    '<p class="error warning" id="warning-kb"><strong>Let op:</strong> deze kiosk heeft nog nooit'
admin GET /admin/kiosks "$JB"
check_eq "B: kiosks page" 200 "$CODE"
check_contains "B sees B's kiosk" "$BODY" 'id="kiosk-kb"'
check_not_contains "B does not see A's kiosk" "$BODY" 'id="kiosk-k1"'
check_not_contains "B does not see A's other kiosk" "$BODY" 'k-silent'
check_not_contains "B: no location A to choose" "$BODY" 'value="loc-a"'
admin POST /admin/kiosks/token "$JB" --data "csrf=$CSRFB&kiosk_id=k1&confirm=1"
check_eq "B: new token for A's kiosk: 404" 404 "$CODE"
admin POST /admin/kiosks/enrol "$JB" --data "csrf=$CSRFB&kiosk_id=k-b2&locations=loc-a"
check_eq "B: enrol for location A: 422" 422 "$CODE"
check_contains "B: the error beside the locations" "$BODY" 'id="locations-error"'
admin POST /admin/kiosks/enrol "$JB" --data "csrf=$CSRFB&kiosk_id=k-b2"
check_eq "B: enrol for all locations: 422" 422 "$CODE"
check_eq "B: nothing enrolled" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM kiosks WHERE id = 'k-b2'")"

# Enrol, the token once.
admin POST /admin/kiosks/enrol "$JAR" --data "kiosk_id=k-new&locations=loc-a"
check_eq "enrol without csrf: 403" 403 "$CODE"
admin POST /admin/kiosks/enrol "$JAR" --data "csrf=$CSRF&kiosk_id=k1&locations=loc-a"
check_eq "enrol an existing id: 422" 422 "$CODE"
check_contains "existing id: beside the field" "$BODY" 'id="kiosk_id-error"'
admin POST /admin/kiosks/enrol "$JAR" --data "csrf=$CSRF&kiosk_id=no%20spaces&locations=loc-a"
check_eq "enrol a bad id: 422" 422 "$CODE"
admin POST /admin/kiosks/enrol "$JAR" --data "csrf=$CSRF&kiosk_id=k-new&locations=loc-a"
check_eq "enrol: 200, not a redirect" 200 "$CODE"
check_eq "enrol: no-store" no-store "$(header Cache-Control)"
check_contains "enrol: how to use it" "$BODY" "kiosk.token_file"
TOKEN=$(printf '%s' "$BODY" | sed -n 's/.*<code id="token"[^>]*>\([^<]*\)<.*/\1/p')
check_eq "enrol: a token" 43 "${#TOKEN}"
check_eq "enrol: the kiosk's locations" '["loc-a"]' \
    "$(sqlite3 "$DB" "SELECT locations FROM kiosks WHERE id = 'k-new'")"
http GET "/kiosk/v1/feed?kiosk=k-new" "$TOKEN"
check_eq "the new token opens the feed" 200 "$CODE"
admin GET /admin/kiosks "$JAR"
check_not_contains "the kiosks page does not show the token again" "$BODY" "$TOKEN"
admin POST /admin/kiosks/token "$JAR" --data "kiosk_id=k-new&confirm=1"
check_eq "token without csrf: 403" 403 "$CODE"
admin POST /admin/kiosks/token "$JAR" --data "csrf=$CSRF&kiosk_id=k-new"
check_eq "token: a confirmation first" 200 "$CODE"
check_contains "token confirmation: confirm=1" "$BODY" 'name="confirm" value="1"'
http GET "/kiosk/v1/feed?kiosk=k-new" "$TOKEN"
check_eq "the token still works before confirming" 200 "$CODE"
admin POST /admin/kiosks/token "$JAR" --data "csrf=$CSRF&kiosk_id=k-new&confirm=1"
check_eq "token: 200" 200 "$CODE"
TOKEN2=$(printf '%s' "$BODY" | sed -n 's/.*<code id="token"[^>]*>\([^<]*\)<.*/\1/p')
check_eq "token: a new token" 43 "${#TOKEN2}"
http GET "/kiosk/v1/feed?kiosk=k-new" "$TOKEN"
check_eq "the old token: 401" 401 "$CODE"
http GET "/kiosk/v1/feed?kiosk=k-new" "$TOKEN2"
check_eq "the new token: 200" 200 "$CODE"
admin POST /admin/kiosks/token "$JAR" --data "csrf=$CSRF&kiosk_id=no-such-kiosk&confirm=1"
check_eq "token of an unknown kiosk: 404" 404 "$CODE"

# ---- the audit page --------------------------------------------------------------------------------
admin GET /admin/audit "$JAR"
check_eq "audit page: 200" 200 "$CODE"
check_eq "audit page: no-store" no-store "$(header Cache-Control)"
check_contains "audit page: attendance" "$BODY" "<td>coord</td><td>signup.attend</td><td>$SID</td>"
check_contains "audit page: cancel" "$BODY" "<td>signup.cancel</td><td>$W1</td>"
check_contains "audit page: enrol" "$BODY" "<td>kiosk.enrol</td><td>k-new</td>"
check_contains "audit page: token" "$BODY" "<td>kiosk.token</td><td>k-new</td>"
check_contains "audit page: staff-b's login too" "$BODY" "<td>staff-b</td><td>login</td>"
admin GET /admin/audit "$JB"
check_contains "B's audit page: B's own rows" "$BODY" "<td>staff-b</td><td>login</td>"
check_not_contains "B's audit page: not coord's" "$BODY" "<td>coord</td>"

# ---- no personal data in the log or the audit log -----------------------------------------------
stop_hub
check_eq "serve stops cleanly" 0 "$HUB_RC"
check_not_contains "no sanitizer report" "$(cat "$WORK/hub.err")" "Sanitizer"
check_contains "the log is at debug level" "$(cat "$WORK/hub.err")" "taken by phone"
run "$HUB" audit --db "$DB"
PHONE_ADDS=$(sqlite3 "$DB" "SELECT signup_id FROM signups WHERE kiosk_id = 'console'")
for id in $PHONE_ADDS; do
    check_contains "audit: signup.add $id" "$OUT" "coord signup.add $id"
done
check_eq "audit: one signup.add per phone sign-up" "$(printf '%s\n' "$PHONE_ADDS" | wc -l)" \
    "$(printf '%s\n' "$OUT" | grep -c ' signup.add ')"
for s in "$NAME" "$PHONE" rolstoel "Wachter" "Telefoon" 0622000 "graag vooraan" "$TOKEN" "$TOKEN2"; do
    check_not_contains "log without [$s]" "$(cat "$WORK/hub.err")" "$s"
    check_not_contains "audit without [$s]" "$OUT" "$s"
done

summary
