#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: the staff console's content forms (issue 13; hub-api-v1.md
# "The staff console", feed-v1.md) against a real `buurthub serve` on
# loopback, driven with curl, and a real `buurtkiosk` syncing from it:
# add an activity with the contract's field names, see it in the kiosk's
# feed with a new ETag and on the kiosk's screen; a bad form answers 422
# with each error beside its field and stores nothing; no csrf -> 403;
# staff of location B cannot add to A nor open, edit or cancel A's
# activity (404); edit; cancel one date (gone from the kiosk); cancel the
# whole activity (gone from the feed, its sign-ups kept); services and
# announcements; `buurthub audit` names the actions and no personal data.
set -eu
E2E_NEED_BK=1
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"
BUURTKIOSK_ASSETS=$BK_SRC/assets
export BUURTKIOSK_ASSETS
TZ=Europe/Amsterdam
export TZ

DB=$WORK/hub.db
PW=$WORK/pw
printf 'Zomer in de buurt 2026\n' >"$PW"
PASSWORD='Zomer in de buurt 2026'
make_feed "$WORK/feed.json"
"$HUB" import --db "$DB" "$WORK/feed.json" >/dev/null
KTOKEN=$("$HUB" kiosk add --db "$DB" k1)
printf '%s\n' "$KTOKEN" >"$WORK/token"
"$HUB" staff add --db "$DB" coord --all --password-file "$PW"
"$HUB" staff add --db "$DB" staff-b --locations loc-b --password-file "$PW"
start_hub "$DB"

# login JAR USER: logged in, CSRF set from the week page.
login() {
    console_login "$1" "$2" "$PASSWORD"
    check_eq "login $2" 303 "$CODE"
    admin GET /admin/ "$1"
    CSRF=$(csrf_of)
}

feed() {
    http GET "/kiosk/v1/feed?kiosk=k1" "$KTOKEN"
    check_eq "feed: 200" 200 "$CODE"
    FEED=$BODY
    ETAG=$(header ETag)
}

n_activities() { sqlite3 "$DB" 'SELECT count(*) FROM items WHERE kind = 1'; }

DAY=$(date -d 'today + 2 days' +%F)
WEEKDAY=$(LC_ALL=C date -d "$DAY" +%a | cut -c1-2 | tr '[:lower:]' '[:upper:]')
STAMP=$(date -d "$DAY 19:30" +%Y%m%dT1930)
DAY2=$(date -d 'today + 3 days' +%F)
WEEKDAY2=$(LC_ALL=C date -d "$DAY2" +%a | cut -c1-2 | tr '[:lower:]' '[:upper:]')
# BYDAY lists the days Monday first.
if [ "$(date -d "$DAY" +%u)" -lt "$(date -d "$DAY2" +%u)" ]; then
    BYDAY2=$WEEKDAY,$WEEKDAY2
else
    BYDAY2=$WEEKDAY2,$WEEKDAY
fi
AT=$(date -d "$DAY 19:30" +%s)

login "$WORK/coord" coord
check_contains "the week page links to the add form" "$BODY" \
    '<a href="/admin/activities/new">Activiteit toevoegen</a>'

# ---- the add form: the contract's fields --------------------------------------------------
admin GET /admin/activities/new "$WORK/coord"
check_eq "add form: 200" 200 "$CODE"
check_eq "add form: no-store" no-store "$(header Cache-Control)"
for f in 'name="title"' '<select id="location_id" name="location_id"' \
    'type="date" id="date" name="date"' 'type="time" id="start" name="start"' \
    'type="time" id="end" name="end"' '<select id="repeat" name="repeat"' \
    '<option value="none"' '<option value="weekly"' '<option value="monthly"' \
    '<textarea id="description" name="description"' 'name="csrf"' \
    '<button type="submit" id="save">Opslaan</button>' '<label for="title">' \
    '<label for="date">' '<label for="location_id">' 'name="title_en"' \
    'name="weekday" id="weekday" value="MO"'; do
    check_contains "add form has $f" "$BODY" "$f"
done
admin GET "/admin/activities/new?lang=en" "$WORK/coord"
check_contains "add form in English" "$BODY" '<button type="submit" id="save">Save</button>'

feed
ETAG1=$ETAG
BEFORE=$(n_activities)

# ---- a form with mistakes: 422, the errors beside their fields, nothing stored -----------
admin POST /admin/activities/new "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=" --data-urlencode "location_id=loc-a" \
    --data-urlencode "date=2026-13-45" --data-urlencode "start=19:30" \
    --data-urlencode "end=21:00" --data-urlencode "repeat=none" \
    --data-urlencode "description=Kept text & more"
check_eq "bad form: 422" 422 "$CODE"
check_contains "bad form: summary at the top" "$BODY" 'class="error-summary"'
check_contains "bad form: summary links to the title by its label" "$BODY" '<a href="#title">Titel</a>: Vul dit in.'
check_contains "bad form: title error" "$BODY" 'id="title-error">Vul dit in.'
check_contains "bad form: title tied to its error" "$BODY" \
    'id="title" name="title" aria-invalid="true" aria-describedby="title-error"'
check_contains "bad form: date error" "$BODY" 'id="date-error">Schrijf een datum'
check_contains "bad form: the date as typed" "$BODY" 'value="2026-13-45"'
check_contains "bad form: the description kept" "$BODY" 'Kept text &amp; more</textarea>'
check_contains "bad form: the location kept" "$BODY" '<option value="loc-a" selected>'
check_not_contains "bad form: no error on start" "$BODY" 'start-error'
check_eq "bad form: nothing stored" "$BEFORE" "$(n_activities)"

# The validator's reason on its field: end before start.
admin POST /admin/activities/new "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=Avond" --data-urlencode "location_id=loc-a" \
    --data-urlencode "date=$DAY" --data-urlencode "start=19:30" \
    --data-urlencode "end=18:00" --data-urlencode "repeat=none"
check_eq "end before start: 422" 422 "$CODE"
check_contains "end before start: beside end" "$BODY" 'id="end-error">Dit ligt vóór het begin.'
admin POST /admin/activities/new "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=Avond" --data-urlencode "location_id=loc-zz" \
    --data-urlencode "date=$DAY" --data-urlencode "start=19:30" --data-urlencode "repeat=yearly"
check_eq "bad repeat: 422" 422 "$CODE"
check_contains "bad repeat: beside repeat" "$BODY" 'id="repeat-error"'
admin POST /admin/activities/new "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=Avond" --data-urlencode "location_id=loc-zz" \
    --data-urlencode "date=$DAY" --data-urlencode "start=19:30"
check_eq "unknown location: 422" 422 "$CODE"
check_contains "unknown location: beside it" "$BODY" 'id="location_id-error">Deze locatie bestaat niet'
check_eq "bad forms: nothing stored" "$BEFORE" "$(n_activities)"

# Without csrf: 403 before anything else.
admin POST /admin/activities/new "$WORK/coord" --data-urlencode "title=Zonder csrf" \
    --data-urlencode "location_id=loc-a" --data-urlencode "date=$DAY" \
    --data-urlencode "start=19:30" --data-urlencode "repeat=none"
check_eq "no csrf: 403" 403 "$CODE"
admin POST /admin/activities/new "$WORK/coord" --data-urlencode "csrf=wrong" \
    --data-urlencode "title=Zonder csrf" --data-urlencode "location_id=loc-a" \
    --data-urlencode "date=$DAY" --data-urlencode "start=19:30"
check_eq "wrong csrf: 403" 403 "$CODE"
check_eq "no csrf: nothing stored" "$BEFORE" "$(n_activities)"

# ---- add: the contract's fields only -------------------------------------------------------
admin POST /admin/activities/new "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=Breiclub Proef" --data-urlencode "location_id=loc-a" \
    --data-urlencode "date=$DAY" --data-urlencode "start=19:30" \
    --data-urlencode "end=21:00" --data-urlencode "repeat=weekly" \
    --data-urlencode "description=Breien met koffie"
check_eq "add: 303" 303 "$CODE"
check_eq "add: to the list, saved" "/admin/activities?done=saved" "$(header Location)"
check_eq "add: one more activity" "$((BEFORE + 1))" "$(n_activities)"
ID=$(sqlite3 "$DB" "SELECT id FROM items WHERE kind = 1 AND body LIKE '%Breiclub Proef%'")
check_match "add: a generated id" "$ID" 'act-????????????????'
feed
check_contains "feed: the title" "$FEED" '"title":{"nl":"Breiclub Proef"}'
check_contains "feed: weekly on the date's day" "$FEED" "\"rrule\":\"FREQ=WEEKLY;BYDAY=$WEEKDAY\""
check_contains "feed: starts at the date and time" "$FEED" "\"starts_at\":\"${DAY}T19:30:00"
if [ "$ETAG" != "$ETAG1" ]; then pass; else fail "the feed's ETag did not change"; fi
ETAG2=$ETAG

admin GET "/admin/activities?done=saved" "$WORK/coord"
check_eq "list: 200" 200 "$CODE"
check_contains "list: saved notice" "$BODY" 'class="notice"'
check_contains "list: the activity" "$BODY" 'Breiclub Proef'
check_contains "list: its edit link" "$BODY" "/admin/activities/edit?id=$ID"
check_contains "list: its cancel link" "$BODY" "/admin/activities/cancel?id=$ID"
check_contains "list: add link" "$BODY" '>Activiteit toevoegen</a>'

# ---- a real kiosk syncs and finds it -----------------------------------------------------------
printf '[kiosk]\nid = k1\nhub = %s\ntoken_file = %s\n' "$URL" "$WORK/token" >"$WORK/kiosk.ini"
KDB=$WORK/kiosk/kiosk.db
run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB"
check_contains "kiosk sync applies the feed" "$OUT" "feed: applied"
cat >"$WORK/find.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.$ID.$STAMP"
expect "Breiclub Proef"
SCRIPT
NOW=$(date +%Y-%m-%dT%H:%M:%S%:z)
run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless --now "$NOW" --script "$WORK/find.script"
check_eq "the kiosk shows the new activity" 0 "$RC"

# ---- staff of location B -------------------------------------------------------------------------
CSRF_COORD=$CSRF
login "$WORK/b" staff-b
admin GET /admin/activities "$WORK/b"
check_not_contains "B's list: not A's activity" "$BODY" 'Breiclub'
admin GET /admin/activities/new "$WORK/b"
check_not_contains "B's form: A is no choice" "$BODY" 'value="loc-a"'
check_contains "B's form: B is" "$BODY" 'value="loc-b"'
admin POST /admin/activities/new "$WORK/b" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=Indringer" --data-urlencode "location_id=loc-a" \
    --data-urlencode "date=$DAY" --data-urlencode "start=10:00" --data-urlencode "repeat=none"
check_eq "B adds to A: refused" 422 "$CODE"
check_contains "B adds to A: beside the location" "$BODY" 'id="location_id-error"'
admin GET "/admin/activities/edit?id=$ID" "$WORK/b"
check_eq "B opens A's activity: 404" 404 "$CODE"
admin POST "/admin/activities/edit?id=$ID" "$WORK/b" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=Overgenomen" --data-urlencode "location_id=loc-b" \
    --data-urlencode "date=$DAY" --data-urlencode "start=10:00" --data-urlencode "repeat=none"
check_eq "B edits A's activity: 404" 404 "$CODE"
admin GET "/admin/activities/cancel?id=$ID" "$WORK/b"
check_eq "B asks to cancel A's activity: 404" 404 "$CODE"
admin POST /admin/activities/cancel "$WORK/b" --data-urlencode "csrf=$CSRF" --data-urlencode "id=$ID"
check_eq "B cancels A's activity: 404" 404 "$CODE"
admin POST /admin/activities/cancel-date "$WORK/b" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "id=$ID" --data-urlencode "at=$AT"
check_eq "B cancels a date of A's activity: 404" 404 "$CODE"
check_contains "A's activity untouched" "$(sqlite3 "$DB" "SELECT body FROM items WHERE id = '$ID'")" 'Breiclub Proef'
admin POST /admin/activities/new "$WORK/b" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=Taalcafé B" --data-urlencode "location_id=loc-b" \
    --data-urlencode "date=$DAY" --data-urlencode "start=10:00" --data-urlencode "repeat=monthly"
check_eq "B adds to B: 303" 303 "$CODE"
CSRF_B=$CSRF
CSRF=$CSRF_COORD

# ---- edit ------------------------------------------------------------------------------------------
admin GET "/admin/activities/edit?id=$ID" "$WORK/coord"
check_eq "edit form: 200" 200 "$CODE"
check_contains "edit form: the title filled in" "$BODY" 'value="Breiclub Proef"'
check_contains "edit form: weekly chosen" "$BODY" '<option value="weekly" selected>'
check_contains "edit form: the day ticked" "$BODY" "value=\"$WEEKDAY\" checked"
check_contains "edit form: the next dates" "$BODY" "name=\"at\" value=\"$AT\""
admin POST "/admin/activities/edit?id=$ID" "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=Breiclub Nieuw" --data-urlencode "title_en=Knitting club" \
    --data-urlencode "location_id=loc-a" --data-urlencode "date=$DAY" \
    --data-urlencode "start=19:30" --data-urlencode "end=21:00" --data-urlencode "repeat=weekly" \
    --data-urlencode "weekday=$WEEKDAY" --data-urlencode "weekday=$WEEKDAY2" \
    --data-urlencode "signup=yes" --data-urlencode "capacity=12" --data-urlencode "waitlist=1"
check_eq "edit: 303" 303 "$CODE"
feed
check_contains "feed: the new title" "$FEED" '"title":{"nl":"Breiclub Nieuw",'
check_contains "feed: translated" "$FEED" '"en":"Knitting club"}'
check_contains "feed: weekly on two days" "$FEED" "\"rrule\":\"FREQ=WEEKLY;BYDAY=$BYDAY2\""
check_contains "feed: sign-up with 12 places" "$FEED" '"capacity":12'
if [ "$ETAG" != "$ETAG2" ]; then pass; else fail "the ETag did not change on edit"; fi

# A sign-up for the first date, to see it survive the cancellation.
http POST /kiosk/v1/signups "$KTOKEN" "$(signup_body "$(new_uuid)" k1 "$ID" \
    "$(date -d "@$AT" +%FT%T%:z)" 1 false "" "Jan Jansen" "Graag")"
check_eq "a sign-up for the first date" 201 "$CODE"

# ---- cancel one date -------------------------------------------------------------------------------
admin POST /admin/activities/cancel-date "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "id=$ID" --data-urlencode "at=$((AT + 60))"
check_eq "cancel a date that is no occurrence: 404" 404 "$CODE"
admin POST /admin/activities/cancel-date "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "id=$ID" --data-urlencode "at=$AT"
check_eq "cancel a date: 303" 303 "$CODE"
feed
check_contains "feed: the date in exdates" "$FEED" "\"exdates\":[\"${DAY}T19:30:00"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB"
check_contains "kiosk sync applies the change" "$OUT" "feed: applied"
sed "s/Breiclub Proef/Breiclub Nieuw/" "$WORK/find.script" >"$WORK/find2.script"
run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless --now "$NOW" --script "$WORK/find2.script"
check_eq "the kiosk no longer lists the cancelled date" 1 "$([ "$RC" -ne 0 ] && echo 1 || echo 0)"
NEXT_STAMP=$(date -d "$DAY2 19:30" +%Y%m%dT1930)
sed "s/$STAMP/$NEXT_STAMP/" "$WORK/find2.script" >"$WORK/find3.script"
run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless --now "$NOW" --script "$WORK/find3.script"
check_eq "the kiosk still lists the next day" 0 "$RC"

# ---- cancel the whole activity --------------------------------------------------------------------
admin GET "/admin/activities/cancel?id=$ID" "$WORK/coord"
check_eq "cancel page: 200" 200 "$CODE"
check_contains "cancel page: a button" "$BODY" 'id="cancel"'
admin POST /admin/activities/cancel "$WORK/coord" --data-urlencode "csrf=$CSRF" --data-urlencode "id=$ID"
check_eq "cancel: 303" 303 "$CODE"
feed
check_not_contains "feed: the activity is gone" "$FEED" "$ID"
check_eq "its sign-up stays on the hub" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM signups WHERE activity_id = '$ID'")"
admin GET "/admin/activities/edit?id=$ID" "$WORK/coord"
check_eq "a cancelled activity: 404" 404 "$CODE"

# ---- services with walk-in hours ------------------------------------------------------------------
admin GET /admin/services/new "$WORK/coord"
check_eq "service form: 200" 200 "$CODE"
check_contains "service form: walk-in days" "$BODY" 'name="walk_in_days_1" id="walk_in_days_1" value="mo"'
check_contains "service form: save" "$BODY" 'id="save"'
admin POST /admin/services/new "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "name=Hulp bij post" --data-urlencode "location_id=loc-a" \
    --data-urlencode "walk_in_days_1=mo" --data-urlencode "walk_in_opens_1=09:00" \
    --data-urlencode "walk_in_closes_1=08:00"
check_eq "service closing before it opens: 422" 422 "$CODE"
check_contains "service: the error beside closes" "$BODY" 'id="walk_in_closes_1-error"'
admin POST /admin/services/new "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "name=Hulp bij post" --data-urlencode "location_id=loc-a" \
    --data-urlencode "walk_in_days_1=mo" --data-urlencode "walk_in_days_1=th" \
    --data-urlencode "walk_in_opens_1=09:00" --data-urlencode "walk_in_closes_1=11:00" \
    --data-urlencode "phone=033 000 00 00"
check_eq "service add: 303" 303 "$CODE"
SVC=$(sqlite3 "$DB" "SELECT id FROM items WHERE kind = 2 AND body LIKE '%Hulp bij post%'")
feed
check_contains "feed: the service's walk-in hours" "$FEED" \
    '"walk_in":[{"days":["mo","th"],"opens":"09:00","closes":"11:00"}]'
admin GET /admin/services "$WORK/b"
check_contains "B's services: B's" "$BODY" 'Formulierenhulp'
check_not_contains "B's services: not A's" "$BODY" 'Hulp bij post'
admin GET "/admin/services/edit?id=$SVC" "$WORK/b"
check_eq "B opens A's service: 404" 404 "$CODE"
admin POST /admin/services/remove "$WORK/b" --data-urlencode "csrf=$CSRF_B" --data-urlencode "id=$SVC"
check_eq "B removes A's service: 404" 404 "$CODE"
admin GET "/admin/services/edit?id=$SVC" "$WORK/coord"
check_contains "service edit form: filled in" "$BODY" 'value="Hulp bij post"'
check_contains "service edit form: the days ticked" "$BODY" 'value="th" checked'
admin POST "/admin/services/edit?id=$SVC" "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "name=Hulp bij brieven" --data-urlencode "location_id=loc-a" \
    --data-urlencode "walk_in_days_1=tu" --data-urlencode "walk_in_opens_1=13:00" \
    --data-urlencode "walk_in_closes_1=15:00"
check_eq "service edit: 303" 303 "$CODE"
feed
check_contains "feed: the service edited" "$FEED" '"name":{"nl":"Hulp bij brieven"}'
check_contains "feed: the edit kept the phone" "$FEED" '"phone":"033 000 00 00"'
admin POST /admin/services/remove "$WORK/coord" --data-urlencode "csrf=$CSRF" --data-urlencode "id=$SVC"
check_eq "service remove: 303" 303 "$CODE"
feed
check_not_contains "feed: the service removed" "$FEED" "$SVC"

# ---- announcements ---------------------------------------------------------------------------------
admin POST /admin/announcements/new "$WORK/b" --data-urlencode "csrf=$CSRF_B" \
    --data-urlencode "text=Overal koffie" --data-urlencode "priority=normal"
check_eq "B's announcement everywhere: 422" 422 "$CODE"
check_contains "B's announcement everywhere: beside the locations" "$BODY" 'id="location_ids-error"'
admin POST /admin/announcements/new "$WORK/b" --data-urlencode "csrf=$CSRF_B" \
    --data-urlencode "text=Koffie in A" --data-urlencode "location_ids=loc-a"
check_eq "B's announcement for A: 422" 422 "$CODE"
admin POST /admin/announcements/new "$WORK/b" --data-urlencode "csrf=$CSRF_B" \
    --data-urlencode "text=Vandaag dicht" --data-urlencode "location_ids=loc-b" \
    --data-urlencode "priority=urgent" --data-urlencode "until=$DAY"T18:00
check_eq "B's urgent announcement for B: 303" 303 "$CODE"
ANN=$(sqlite3 "$DB" "SELECT id FROM items WHERE kind = 3 AND body LIKE '%Vandaag dicht%'")
feed
check_contains "feed: the announcement" "$FEED" \
    "{\"id\":\"$ANN\",\"text\":{\"nl\":\"Vandaag dicht\"},\"until\":\"${DAY}T18:00:00"
check_contains "feed: urgent, for B" "$FEED" '"location_ids":["loc-b"],"priority":"urgent"}'
admin GET /admin/announcements/edit?id=ann-all "$WORK/b"
check_eq "B opens the announcement for everywhere: 404" 404 "$CODE"
admin GET /admin/announcements "$WORK/b"
check_contains "B's announcements: B's" "$BODY" 'Vandaag dicht'
check_not_contains "B's announcements: not everywhere's" "$BODY" 'Voor iedereen'
admin POST /admin/announcements/new "$WORK/coord" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "text=Kerstborrel" --data-urlencode "priority=normal"
check_eq "a coordinator's announcement everywhere: 303" 303 "$CODE"
admin POST /admin/announcements/remove "$WORK/b" --data-urlencode "csrf=$CSRF_B" --data-urlencode "id=$ANN"
check_eq "B removes B's announcement: 303" 303 "$CODE"
feed
check_not_contains "feed: the announcement removed" "$FEED" "$ANN"
check_contains "feed: the coordinator's" "$FEED" 'Kerstborrel'

# ---- the audit log ----------------------------------------------------------------------------------
run "$HUB" audit --db "$DB"
check_contains "audit: add" "$OUT" "coord activity.add $ID"
check_contains "audit: edit" "$OUT" "coord activity.edit $ID"
check_contains "audit: cancel a date" "$OUT" "coord activity.cancel-date $ID"
check_contains "audit: cancel" "$OUT" "coord activity.cancel $ID"
check_contains "audit: B's add" "$OUT" "staff-b activity.add act-"
check_contains "audit: service add" "$OUT" "coord service.add $SVC"
check_contains "audit: service edit" "$OUT" "coord service.edit $SVC"
check_contains "audit: service remove" "$OUT" "coord service.remove $SVC"
check_contains "audit: announcement add" "$OUT" "staff-b announcement.add $ANN"
check_contains "audit: announcement remove" "$OUT" "staff-b announcement.remove $ANN"
check_not_contains "audit: no name" "$OUT" "Jan"
check_not_contains "audit: no phone" "$OUT" "0612345678"
check_not_contains "hub log: no name" "$(cat "$WORK/hub.err")" "Jan Jansen"

summary
