#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: buurthub's command line (hub-api-v1.md "The hub's command
# line"): exit statuses, kiosk add/token/remove and kiosks, import of the
# sample feed and of the sample CSV (also while serve runs), a broken
# document refused with nothing changed, signups --csv, the config file,
# and the erasure of personal data after the retention period.
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

DB=$WORK/hub.db
SAMPLE=$BK_SRC/assets/sample-feed.json
CSV=$BK_SRC/tests/data/hub/activities.csv

# ---- usage, version, help ------------------------------------------------------
run "$HUB" --version
check_eq "--version exit" 0 "$RC"
check_match "--version output" "$OUT" 'buurthub [0-9]*.[0-9]*.[0-9]*'
run "$HUB" --help
check_eq "--help exit" 0 "$RC"
check_contains "--help lists serve" "$OUT" "buurthub serve"
run "$HUB"
check_eq "no command: 2" 2 "$RC"
run "$HUB" frobnicate --db "$DB"
check_eq "unknown command: 2" 2 "$RC"
run "$HUB" kiosks --db "$DB" --bogus
check_eq "unknown option: 2" 2 "$RC"
check_contains "unknown option named" "$ERR" "--bogus"
run "$HUB" kiosks
check_eq "missing --db: 2" 2 "$RC"
run "$HUB" import --db "$DB"
check_eq "import without a file: 2" 2 "$RC"
run "$HUB" kiosk add --db "$DB" "bad id!"
check_eq "kiosk add with a bad id: 2" 2 "$RC"
run "$HUB" kiosk add --db "$DB" k9 --locations "a,,b"
check_eq "kiosk add with a bad location list: 2" 2 "$RC"
run "$HUB" kiosks --db "$WORK/missing.db"
check_eq "kiosks on a missing database: 1" 1 "$RC"

# ---- kiosks ------------------------------------------------------------------------
run "$HUB" kiosk add --db "$DB" kiosk-sleutel-1 --locations loc-nieuwe-sleutel
check_eq "kiosk add exit" 0 "$RC"
check_eq "kiosk add prints one line" 1 "$(printf '%s\n' "$OUT" | wc -l)"
check_match "kiosk add prints a token" "$OUT" '[A-Za-z0-9_-]*'
check_eq "token length" 43 "${#OUT}"
TOKEN1=$OUT
run "$HUB" kiosk add --db "$DB" kiosk-sleutel-1
check_eq "duplicate kiosk add: 1" 1 "$RC"
check_eq "duplicate kiosk add: nothing on stdout" "" "$OUT"
check_contains "duplicate kiosk add: reason" "$ERR" "exists"
run "$HUB" kiosk add --db "$DB" kiosk-lindeboom
TOKEN2=$OUT
run "$HUB" kiosks --db "$DB"
check_eq "kiosks exit" 0 "$RC"
check_eq "kiosks: one line per kiosk" 2 "$(printf '%s\n' "$OUT" | wc -l)"
check_contains "kiosks: never heard from" "$(printf '%s\n' "$OUT" | grep '^kiosk-lindeboom ')" "heartbeat=never"
check_contains "kiosks: locations" "$(printf '%s\n' "$OUT" | grep '^kiosk-sleutel-1 ')" "locations=loc-nieuwe-sleutel"
if sqlite3 "$DB" 'SELECT hex(token_hash) FROM kiosks' | grep -qi -e "$TOKEN1"; then
    fail "the token is stored as is"
else
    pass
fi
check_eq "no token in the database file" 0 "$(cat "$DB"* | grep -c -e "$TOKEN1" || :)"

# ---- import -------------------------------------------------------------------------
run "$HUB" import --db "$DB" "$SAMPLE"
check_eq "import sample: exit" 0 "$RC"
check_eq "import sample: summary" \
    "imported: locations=5 activities=31 services=21 announcements=5 skipped=0" "$OUT"
run "$HUB" import --db "$DB" "$SAMPLE"
check_contains "import again: unchanged" "$OUT" "(content unchanged)"
# One out-of-range coordinate drops the coordinates with a warning, not the
# location and every service there (issue 14).
sed '0,/"lat": [0-9.]*/s//"lat": 123.0/' "$SAMPLE" >"$WORK/bad-lat.json"
run "$HUB" import --db "$DB" "$WORK/bad-lat.json"
check_eq "bad lat: imported" 0 "$RC"
check_eq "bad lat: every item kept" \
    "imported: locations=5 activities=31 services=21 announcements=5 skipped=0" "$OUT"
check_match "bad lat: a warning" "$ERR" "*warning location loc-* (#0): lat/lon out of range; both dropped*"
run "$HUB" import --db "$DB" "$SAMPLE"
check_eq "sample again: exit" 0 "$RC"

start_hub "$DB"
http GET "/kiosk/v1/feed?kiosk=kiosk-lindeboom" "$TOKEN2"
check_eq "feed after import: 200" 200 "$CODE"
ETAG=$(header ETag)
check_contains "feed after import: sample content" "$BODY" '"id":"act-digicafe"'

head -c 30000 "$SAMPLE" >"$WORK/broken.json"
run "$HUB" import --db "$DB" "$WORK/broken.json"
check_eq "broken import: 1" 1 "$RC"
check_contains "broken import: reason" "$ERR" "refused"
check_contains "broken import: says why" "$ERR" "JSON"
printf '{"format":"buurtkiosk-feed","version":2}' >"$WORK/v2.json"
run "$HUB" import --db "$DB" "$WORK/v2.json"
check_eq "version 2: 1" 1 "$RC"
check_contains "version 2: reason" "$ERR" "version 2"
run "$HUB" import --db "$DB" "$WORK/nonexistent.json"
check_eq "missing file: 1" 1 "$RC"
# Issue 14: a document whose every activity is invalid is rejected whole,
# also with --force, naming each item as the kiosk's validate-feed does.
printf '{"format":"buurtkiosk-feed","version":1,"activities":[1,"x",null,{"id":{}}]}' \
    >"$WORK/garbage.json"
run "$HUB" import --db "$DB" --force "$WORK/garbage.json"
check_eq "garbage, forced: 1" 1 "$RC"
check_contains "garbage: says why" "$ERR" "import refused: generated_at is missing"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["activities"]=[1,"x",None,{"id":{}}]; json.dump(d,open(sys.argv[2],"w"))' \
    "$SAMPLE" "$WORK/all-skipped.json"
run "$HUB" import --db "$DB" --force "$WORK/all-skipped.json"
check_eq "every activity skipped, forced: 1" 1 "$RC"
check_contains "every activity skipped: says why" "$ERR" \
    "import refused: every one of the 4 activities was skipped"
check_contains "every activity skipped: the kiosk's lines" "$ERR" \
    "skipped activity (no id) (#3): id is not [A-Za-z0-9_-]{1,128}"
# Import safety: fewer than half of 31 activities kept needs --force.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["activities"]=d["activities"][:15]; json.dump(d,open(sys.argv[2],"w"))' \
    "$SAMPLE" "$WORK/fifteen.json"
run "$HUB" import --db "$DB" "$WORK/fifteen.json"
check_eq "15 of 31 activities: 1" 1 "$RC"
check_contains "15 of 31: says what would go" "$ERR" \
    "it would keep 15 of the 31 activities and remove 16: "
check_contains "15 of 31: names --force" "$ERR" "--force"
check_eq "15 of 31: nothing on stdout" "" "$OUT"
http GET "/kiosk/v1/feed?kiosk=kiosk-lindeboom" "$TOKEN2" "" -H "If-None-Match: $ETAG"
check_eq "refused imports changed nothing (304)" 304 "$CODE"

# CSV of activities, while serve runs: 3 rows in place of 31 activities
# needs --force.
run "$HUB" import --db "$DB" "$CSV"
check_eq "import CSV without --force: 1" 1 "$RC"
check_contains "import CSV without --force: says what would go" "$ERR" \
    "it would keep 0 of the 31 activities and remove 31"
http GET "/kiosk/v1/feed?kiosk=kiosk-lindeboom" "$TOKEN2" "" -H "If-None-Match: $ETAG"
check_eq "refused CSV changed nothing (304)" 304 "$CODE"
run "$HUB" import --db "$DB" --force "$CSV"
check_eq "import CSV: exit" 0 "$RC"
check_contains "import CSV: summary" "$OUT" "imported: activities=3 from CSV"
http GET "/kiosk/v1/feed?kiosk=kiosk-lindeboom" "$TOKEN2" "" -H "If-None-Match: $ETAG"
check_eq "feed after CSV import: 200" 200 "$CODE"
check_contains "CSV activity in the feed" "$BODY" '"id":"act-breicafe"'
check_contains "CSV local time as RFC 3339" "$BODY" '"starts_at":"2026-12-01T14:00:00+01:00"'
check_not_contains "old activities replaced" "$BODY" '"id":"act-digicafe"'
check_contains "locations kept" "$BODY" '"id":"loc-liendert"'
check_contains "services kept" "$BODY" '"services":[{'
ETAG=$(header ETag)
printf 'id;title_nl;starts_at;location_id\nx-1;Goed;2026-12-01 10:00;loc-liendert\nx-2;Fout;morgen;loc-liendert\nx-3;Ook fout;2026-12-01 10:00;loc-nergens\n' >"$WORK/bad.csv"
run "$HUB" import --db "$DB" "$WORK/bad.csv"
check_eq "bad CSV: 1" 1 "$RC"
check_contains "bad CSV: names line 3" "$ERR" "line 3 (x-2)"
check_contains "bad CSV: names line 4" "$ERR" "line 4 (x-3)"
http GET "/kiosk/v1/feed?kiosk=kiosk-lindeboom" "$TOKEN2" "" -H "If-None-Match: $ETAG"
check_eq "bad CSV changed nothing (304)" 304 "$CODE"

# ---- kiosk token / remove while serving ----------------------------------------------
run "$HUB" kiosk token --db "$DB" kiosk-lindeboom
check_eq "kiosk token: exit" 0 "$RC"
check_eq "kiosk token: 43 characters" 43 "${#OUT}"
NEWTOKEN=$OUT
http GET "/kiosk/v1/feed?kiosk=kiosk-lindeboom" "$TOKEN2"
check_eq "old token stops working" 401 "$CODE"
http GET "/kiosk/v1/feed?kiosk=kiosk-lindeboom" "$NEWTOKEN"
check_eq "new token works" 200 "$CODE"
run "$HUB" kiosk token --db "$DB" nobody
check_eq "kiosk token for an unknown kiosk: 1" 1 "$RC"

# ---- signups --csv ---------------------------------------------------------------------
# The sheet's breicafé is on Tuesdays at 14:00 from 2026-12-01, not on
# 2026-12-29: a Tuesday at least a week ahead that it runs on.
DAY=$(TZ=Europe/Amsterdam date -d 'next tuesday + 7 days' +%F)
[ "$(date -d "$DAY" +%s)" -ge "$(date -d 2026-12-08 +%s)" ] || DAY=2026-12-08
[ "$DAY" != 2026-12-29 ] || DAY=2027-01-05
OCC=$(TZ=Europe/Amsterdam date -d "$DAY 14:00" +%FT%T%:z)
ID=$(new_uuid)
http POST /kiosk/v1/signups "$NEWTOKEN" "$(signup_body "$ID" kiosk-lindeboom act-breicafe "$OCC" 1 false '' 'Jansen, \"Jan\"')"
check_eq "sign-up for a CSV activity: 201" 201 "$CODE"
run "$HUB" signups --db "$DB" --csv
check_eq "signups --csv: exit" 0 "$RC"
HEAD=$(printf '%s\n' "$OUT" | head -n 1 | tr -d '\r')
check_match "signups --csv: header" "$HEAD" \
    'signup_id,activity_id,occurrence,status,party_size,name,phone,email,remark,kiosk_id,created_at,received_at*'
ROW=$(printf '%s\n' "$OUT" | grep "^$ID," | tr -d '\r')
check_match "signups --csv: the row" "$ROW" \
    "$ID,act-breicafe,$OCC,confirmed,1,\"Jansen, \"\"Jan\"\"\",0612345678,,,kiosk-lindeboom,*"
check_contains "signups --csv: CRLF line ends" "$(printf '%s' "$OUT" | od -c | head -n 20)" '\r  \n'
run "$HUB" signups --db "$DB" --activity act-kerstmarkt --csv
check_eq "signups --activity: only the header" 1 "$(printf '%s\n' "$OUT" | wc -l)"
run "$HUB" signups --db "$DB"
check_contains "signups (text): the sign-up" "$OUT" "act-breicafe confirmed"

# ---- control and format characters ----------------------------------------------------------
# A name with a right-to-left override is refused as an invalid sign-up (422).
http POST /kiosk/v1/signups "$NEWTOKEN" "$(signup_body "$(new_uuid)" kiosk-lindeboom act-breicafe "$OCC" 1 false '' 'Jan \u202eneznaJ')"
check_eq "a name with a bidi override: 422" 422 "$CODE"
check_match "a name with a bidi override: the reason" "$BODY" '{"error":"name*"}'
http POST /kiosk/v1/signups "$NEWTOKEN" "$(signup_body "$(new_uuid)" kiosk-lindeboom act-breicafe "$OCC" 1 false '' '\u200b\u00a0')"
check_eq "a name of zero-width and no-break spaces: 422" 422 "$CODE"
# What was stored before the hub refused them is printed escaped, never raw.
sqlite3 "$DB" "UPDATE signups SET name = 'Jan ' || char(0x202e) || char(0x85) || 'x\' WHERE signup_id = '$ID'"
run "$HUB" signups --db "$DB"
check_contains "signups: a bidi override escaped" "$OUT" 'name=Jan \u{202E}\u{85}x\\ '
check_not_contains "signups: no raw override" "$OUT" "$(printf '\342\200\256')"
http POST /kiosk/v1/heartbeat "$NEWTOKEN" '{"kiosk_id":"kiosk-lindeboom","version":"1.2.0\u202e","last_sync_error":"x\u2066y\u0085"}'
check_eq "heartbeat with format characters: 204" 204 "$CODE"
run "$HUB" kiosks --db "$DB"
check_contains "kiosks: version escaped" "$OUT" 'version=1.2.0\u{202E} '
check_contains "kiosks: last error escaped" "$OUT" 'last_error=x\u{2066}y\u{85}'
check_not_contains "kiosks: no raw isolate" "$OUT" "$(printf '\342\201\246')"

# ---- remove --------------------------------------------------------------------------------
run "$HUB" kiosk remove --db "$DB" kiosk-sleutel-1
check_eq "kiosk remove: exit" 0 "$RC"
check_eq "kiosk remove: silent" "" "$OUT"
run "$HUB" kiosk remove --db "$DB" kiosk-sleutel-1
check_eq "kiosk remove again: 1" 1 "$RC"
# The command line's kiosk changes are audited as the console's are, by
# "cli", never with the token; refused ones leave no row.
run "$HUB" audit --db "$DB"
check_match "audit: kiosk add by cli" "$OUT" "* cli kiosk.enrol kiosk-sleutel-1*"
check_match "audit: kiosk token by cli" "$OUT" "* cli kiosk.token kiosk-lindeboom*"
check_match "audit: kiosk remove by cli" "$OUT" "* cli kiosk.remove kiosk-sleutel-1*"
check_eq "audit: one remove row (the second was refused)" 1 \
    "$(printf '%s\n' "$OUT" | grep -c ' kiosk.remove kiosk-sleutel-1$')"
check_not_contains "audit: no token" "$OUT" "$NEWTOKEN"
check_not_contains "audit: nothing for the unknown kiosk" "$OUT" "nobody"
http GET "/kiosk/v1/feed?kiosk=kiosk-sleutel-1" "$TOKEN1"
check_eq "a removed kiosk's token: 401" 401 "$CODE"
run "$HUB" kiosks --db "$DB"
check_eq "kiosks after remove" 1 "$(printf '%s\n' "$OUT" | wc -l)"
run "$HUB" signups --db "$DB" --csv
check_eq "sign-ups survive the kiosk's removal" 1 "$(printf '%s\n' "$OUT" | grep -c "^$ID,")"
stop_hub
check_eq "serve: exit 0 on SIGTERM" 0 "$HUB_RC"

# ---- config file --------------------------------------------------------------------------
printf '# hub\n[hub]\nlisten = 127.0.0.1:0\ntimezone = Europe/Amsterdam\nretention_days = 30\n' \
    >"$WORK/hub.ini"
"$HUB" serve --db "$DB" --config "$WORK/hub.ini" >"$WORK/cfg.out" 2>"$WORK/cfg.err" &
CFG_PID=$!
i=0
while ! grep -q '^listening on ' "$WORK/cfg.out" && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
check_match "serve --config listens where the file says" "$(cat "$WORK/cfg.out")" \
    'listening on http://127.0.0.1:[1-9]*'
kill -TERM "$CFG_PID"
wait "$CFG_PID" || :
printf '[hub]\nretention_days = forever\n' >"$WORK/bad.ini"
run "$HUB" serve --db "$DB" --config "$WORK/bad.ini"
check_eq "bad config: 2" 2 "$RC"
check_contains "bad config: file:line" "$ERR" "bad.ini:2"
printf '[hub]\ntimezone = Mars/Olympus\n' >"$WORK/tz.ini"
run "$HUB" kiosks --db "$DB" --config "$WORK/tz.ini"
check_eq "unknown zone: 2" 2 "$RC"
printf '[hub]\nlisten = nowhere\n' >"$WORK/listen.ini"
run "$HUB" serve --db "$DB" --config "$WORK/listen.ini"
check_eq "bad listen: 2" 2 "$RC"

# ---- retention: personal data erased 30 days after the occurrence --------------------------
check_eq "the name is in the database before" 1 \
    "$(sqlite3 "$DB" "SELECT COUNT(*) FROM signups WHERE name IS NOT NULL")"
LATER=$(TZ=Europe/Amsterdam date -d "$OCC + 31 days" +%FT%T%:z)
start_hub "$DB" --now "$LATER"
stop_hub
run "$HUB" signups --db "$DB" --csv
ROW=$(printf '%s\n' "$OUT" | grep "^$ID," | tr -d '\r')
check_match "after retention: no personal data" "$ROW" "$ID,act-breicafe,$OCC,confirmed,1,,,,,kiosk-lindeboom,*"
check_eq "after retention: not in the file or its WAL" 0 "$(cat "$DB"* | grep -c 'Jansen' || :)"
check_contains "after retention: logged without names" "$(cat "$WORK/hub.err")" "erased the personal data of 1"
check_not_contains "the log names no resident" "$(cat "$WORK/hub.err")" "Jansen"

# ---- signups cancel, the waiting list, the call column ------------------------------------
CDB=$WORK/cancel.db
COCC=$(occ 4 19:00)
cat >"$WORK/cancel-feed.json" <<EOF
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "2026-11-25T08:00:00+01:00", "publisher": {"name": "Test"}, "languages": ["nl"],
 "locations": [{"id": "loc-a", "name": "Buurthuis A"}],
 "activities": [{"id": "act-wacht", "title": "Workshop", "location_id": "loc-a",
   "starts_at": "$COCC", "signup": {"capacity": 1, "waitlist": true, "fields": ["name", "phone"]}}]}
EOF
run "$HUB" import --db "$CDB" "$WORK/cancel-feed.json"
check_eq "cancel hub: import" 0 "$RC"
CT=$("$HUB" kiosk add --db "$CDB" kc)
start_hub "$CDB"
C1=$(new_uuid)
W1=$(new_uuid)
W2=$(new_uuid)
F1=$(new_uuid)
http POST /kiosk/v1/signups "$CT" "$(signup_body "$C1" kc act-wacht "$COCC" 1 true '' 'Eerste Els')"
check_eq "cancel hub: confirmed" '201 {"status":"confirmed"}' "$CODE $BODY"
http POST /kiosk/v1/signups "$CT" "$(signup_body "$W1" kc act-wacht "$COCC" 1 true '' 'Wachtende Wim')"
check_eq "cancel hub: 1st on the list" '201 {"status":"waitlisted","position":1}' "$CODE $BODY"
http POST /kiosk/v1/signups "$CT" "$(signup_body "$W2" kc act-wacht "$COCC" 1 true '' 'Tweede Truus')"
check_eq "cancel hub: 2nd on the list" '201 {"status":"waitlisted","position":2}' "$CODE $BODY"
http POST /kiosk/v1/signups "$CT" "$(signup_body "$F1" kc act-wacht "$COCC" 1 false '' 'Volle Fien')"
check_eq "cancel hub: full" '409 {"status":"full"}' "$CODE $BODY"

run "$HUB" signups cancel --db "$CDB" 00000000-0000-4000-8000-000000000000
check_eq "cancel an unknown id: 1" 1 "$RC"
check_contains "cancel an unknown id: says so" "$ERR" "no sign-up"
run "$HUB" signups cancel --db "$CDB" not-an-id
check_eq "cancel a malformed id: 1" 1 "$RC"
run "$HUB" signups cancel --db "$CDB" "$F1"
check_eq "cancel a full one: 1" 1 "$RC"
check_contains "cancel a full one: the reason" "$ERR" "is full"
run "$HUB" signups cancel --db "$CDB"
check_eq "cancel without an id: 2" 2 "$RC"
run "$HUB" signups cancel --db "$CDB" "$C1" "$W1"
check_eq "cancel with two ids: 2" 2 "$RC"
run "$HUB" signups cancel --db "$CDB" --csv "$C1"
check_eq "cancel --csv: 2" 2 "$RC"
# While serve runs on the same database.
run "$HUB" signups cancel --db "$CDB" "$C1"
check_eq "cancel a confirmed one: 0" 0 "$RC"
check_contains "cancel: says who moved up" "$OUT" "moved up from the waiting list: 1"
run "$HUB" signups cancel --db "$CDB" "$C1"
check_eq "cancel it again: 1" 1 "$RC"
check_contains "cancel it again: the reason" "$ERR" "is cancelled"

http POST /kiosk/v1/signups "$CT" "$(signup_body "$W1" kc act-wacht "$COCC" 1 true '' 'Wachtende Wim')"
check_eq "repeat of the one moved up: 200 confirmed" '200 {"status":"confirmed"}' "$CODE $BODY"
http POST /kiosk/v1/signups "$CT" "$(signup_body "$W2" kc act-wacht "$COCC" 1 true '' 'Tweede Truus')"
check_eq "repeat of the next: now 1st" '200 {"status":"waitlisted","position":1}' "$CODE $BODY"
http POST /kiosk/v1/signups "$CT" "$(signup_body "$C1" kc act-wacht "$COCC" 1 true '' 'Eerste Els')"
check_eq "repeat of the cancelled one: 409 full" '409 {"status":"full"}' "$CODE $BODY"

run "$HUB" signups --db "$CDB" --csv
check_eq "csv after cancel: exit" 0 "$RC"
HEAD=$(printf '%s\n' "$OUT" | head -n 1 | tr -d '\r')
check_match "csv: header with call" "$HEAD" \
    'signup_id,activity_id,occurrence,status,party_size,name,phone,email,remark,kiosk_id,created_at,received_at,call*'
# column of a sign-up's row: csv_col ID N
csv_col() { printf '%s\n' "$OUT" | tr -d '\r' | grep "^$1," | cut -d, -f"$2"; }
check_eq "csv: the cancelled one" "cancelled," "$(csv_col "$C1" 4),$(csv_col "$C1" 13)"
check_eq "csv: moved up, to call" "confirmed,yes" "$(csv_col "$W1" 4),$(csv_col "$W1" 13)"
check_eq "csv: still waiting, no call" "waitlisted," "$(csv_col "$W2" 4),$(csv_col "$W2" 13)"
check_eq "csv: full, to call, with the name" "full,yes,Volle Fien,0612345678" \
    "$(csv_col "$F1" 4),$(csv_col "$F1" 13),$(csv_col "$F1" 6),$(csv_col "$F1" 7)"
run "$HUB" signups --db "$CDB"
check_contains "text listing: the full one, with its name and a call" "$OUT" \
    "full party=1 name=Volle Fien phone=0612345678"
check_match "text listing: call=yes on the full one" \
    "$(printf '%s\n' "$OUT" | grep "$F1")" "* call=yes"
check_match "text listing: call=yes on the one moved up" \
    "$(printf '%s\n' "$OUT" | grep "$W1")" "* call=yes"
stop_hub
check_not_contains "cancel hub: the log names no resident" "$(cat "$WORK/hub.err")" "Volle Fien"
summary
