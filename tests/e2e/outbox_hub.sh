#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: the kiosk's outbox against the real hub on loopback
# (hub-api-v1 "Sign-ups", "Heartbeat", "What the kiosk must survive"):
# sign-ups reach the hub exactly once, the kiosk records the hub's answers
# and erases the personal data, the hub down (stopped) or refusing the
# token keeps them pending until it is back, and `buurtkiosk sync` killed
# with SIGKILL at random moments, over and over, still delivers every
# sign-up exactly once. Exit 77 (skipped) without BUURTHUB.
set -eu
E2E_NEED_BK=1
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"
: "${BK_SEED:?BK_SEED must name the outbox_seed test tool}"

NAME=Jansen-Testnaam
PHONE=0612345678
EMAIL=test@example.org
HUBDB=$WORK/hub.db
printf '# e2e\n' >"$WORK/kiosk.ini"

# A feed whose occurrences lie a week ahead, whatever day the test runs:
# act-open (no capacity; name, phone, email, remark) and act-small (one
# place, no waiting list).
DAY=$(TZ=Europe/Amsterdam date -d '+7 days' +%Y-%m-%d)
OFFSET=$(TZ=Europe/Amsterdam date -d "$DAY 10:00" +%:z)
OCC=${DAY}T10:00:00$OFFSET
NOW=$(TZ=Europe/Amsterdam date +%Y-%m-%dT%H:%M:%S%:z)
cat >"$WORK/feed.json" <<EOF
{
  "format": "buurtkiosk-feed",
  "version": 1,
  "generated_at": "$NOW",
  "locations": [{"id": "loc-e2e", "name": "Buurthuis E2E"}],
  "activities": [
    {"id": "act-open", "title": "Open middag", "location_id": "loc-e2e",
     "starts_at": "$OCC", "ends_at": "${DAY}T12:00:00$OFFSET",
     "signup": {"fields": ["name", "phone", "email", "remark"]}},
    {"id": "act-small", "title": "Kleine groep", "location_id": "loc-e2e",
     "starts_at": "$OCC", "signup": {"capacity": 1, "fields": ["name", "phone"]}}
  ],
  "services": [],
  "announcements": []
}
EOF

run "$BUURTHUB" import --db "$HUBDB" "$WORK/feed.json"
check_eq "hub import" 0 "$RC"
"$BUURTHUB" kiosk add --db "$HUBDB" k1 >"$WORK/token"
check_match "kiosk token" "$(cat "$WORK/token")" '?*'
# One kiosk sends hundreds of sign-ups within a minute here (rounds of 30,
# killed and repeated): the hub's request rates (hub_limits.sh tests them)
# are lifted so that this test is about the outbox alone.
printf '[hub]\nrate_per_token = 0\nrate_per_address = 0\n' >"$WORK/hub.ini"
start_hub "$HUBDB" --config "$WORK/hub.ini"

# kiosk_sync DB [URL]: one `buurtkiosk sync` with the hub's own feed; sets
# OUT/ERR/RC and STATUS.
kiosk_sync() {
    run "$BK" sync --config "$WORK/kiosk.ini" --db "$1" --hub "${2:-$URL}" --kiosk-id k1 \
        --token-file "${TOKEN_FILE:-$WORK/token}"
    _rc=$RC _out=$OUT _err=$ERR
    run "$BK" status --config "$WORK/kiosk.ini" --db "$1"
    STATUS=$OUT
    RC=$_rc OUT=$_out ERR=$_err
}

# seed DB ACTIVITY COUNT: COUNT sign-ups; their ids go to DB.ids.
seed() {
    "$BK_SEED" --db "$1" --activity "$2" --occurrence "$OCC" --count "$3" \
        --name "$NAME" --phone "$PHONE" --email "$EMAIL" >>"$1.ids"
}

hub_csv() { "$BUURTHUB" signups --db "$HUBDB" --csv; }

# once_at_hub IDS_FILE: "ok" when every id is in exactly one CSV row.
once_at_hub() {
    hub_csv >"$WORK/signups.csv"
    while read -r _id; do
        _n=$(grep -c -F "$_id" "$WORK/signups.csv" || :)
        if [ "$_n" -ne 1 ]; then
            echo "$_id: $_n rows"
            return
        fi
    done <"$1"
    echo ok
}

# ---- a) delivered, answered, erased --------------------------------------------
DB=$WORK/a.db
seed "$DB" act-open 3
check_eq "a) personal data in the db before" yes "$(has_personal "$DB")"
kiosk_sync "$DB"
check_eq "a) exit status" 0 "$RC"
check_match "a) sync line" "$OUT" 'feed: applied skipped=0 signups: sent=3 pending=0'
check_eq "a) confirmed" 3 "$(jget outbox_confirmed "$STATUS")"
check_eq "a) each sign-up once at the hub" ok "$(once_at_hub "$DB.ids")"
check_eq "a) personal data gone from the kiosk" no "$(has_personal "$DB")"
check_contains "a) the hub has the name" "$(hub_csv)" "$NAME"
check_contains "a) the hub's CSV header" "$(hub_csv | head -n 1)" \
    'signup_id,activity_id,occurrence,status,party_size,name,phone,email,remark,kiosk_id,created_at,received_at'
check_not_contains "a) no personal data on stderr" "$ERR" "$NAME"
run "$BUURTHUB" kiosks --db "$HUBDB"
check_contains "a) heartbeat reached the hub" "$OUT" k1
kiosk_sync "$DB"
check_match "a2) nothing more to send" "$OUT" '* signups: sent=0 pending=0'
check_eq "a2) still once" ok "$(once_at_hub "$DB.ids")"

# ---- b) full and unknown activity: final, erased, not blocking -----------------
DB=$WORK/b.db
seed "$DB" act-small 2
seed "$DB" act-nonexistent 1
seed "$DB" act-open 1
kiosk_sync "$DB"
check_match "b) all four answered" "$OUT" '* signups: sent=4 pending=0'
check_eq "b) confirmed" 2 "$(jget outbox_confirmed "$STATUS")"
check_eq "b) full + unknown activity" 2 "$(jget outbox_rejected "$STATUS")"
check_eq "b) personal data gone" no "$(has_personal "$DB")"

# ---- c) hub down, then back ---------------------------------------------------
stop_hub
DB=$WORK/c.db
seed "$DB" act-open 2
kiosk_sync "$DB"
check_eq "c) down: exit status (feed unreachable)" 1 "$RC"
check_match "c) down: kept" "$OUT" 'feed: unreachable * signups: sent=0 pending=2'
check_eq "c) down: personal data kept for the retry" yes "$(has_personal "$DB")"
start_hub "$HUBDB" --config "$WORK/hub.ini"
kiosk_sync "$DB"
check_eq "c) up: exit status" 0 "$RC"
check_match "c) up: delivered" "$OUT" '* signups: sent=2 pending=0'
check_eq "c) up: once at the hub" ok "$(once_at_hub "$DB.ids")"

# ---- d) a wrong token keeps sign-ups pending -------------------------------------
DB=$WORK/d.db
seed "$DB" act-open 1
printf 'not-the-token\n' >"$WORK/bad-token"
TOKEN_FILE=$WORK/bad-token kiosk_sync "$DB"
check_match "d) 401: kept" "$OUT" '* signups: sent=0 pending=1'
kiosk_sync "$DB"
check_match "d) right token: delivered" "$OUT" '* signups: sent=1 pending=0'

# ---- e) SIGKILL at random moments, until nothing is pending ----------------------
# Kills land at random within 0 to 60 % of what one whole sync of 30 takes
# here (about a tenth of a second on a quiet machine, several times that
# under a sanitizer or a busy CPU): before, in and after the transfers and
# transactions, and some syncs finish. Five rounds of 30 sign-ups, each on
# its own kiosk database.
DB=$WORK/e0.db
seed "$DB" act-open 30
T0=$(date +%s%N)
kiosk_sync "$DB"
WINDOW=$(awk -v ns=$(($(date +%s%N) - T0)) 'BEGIN { w = ns / 1e9 * 0.6; printf "%.3f", w < 0.06 ? 0.06 : w }')
check_match "e0) a whole sync of 30, timed: ${WINDOW}s to kill in" "$OUT" '* signups: sent=30 pending=0'
SEED=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
for round in 1 2 3 4 5; do
    DB=$WORK/e$round.db
    seed "$DB" act-open 30
    i=0
    KILLED=0
    while [ $i -lt 300 ]; do
        PENDING=$("$BK" status --config "$WORK/kiosk.ini" --db "$DB" |
            grep -o '"outbox_pending": *[0-9]*' | grep -o '[0-9]*$')
        [ "$PENDING" -eq 0 ] && break
        DELAY=$(awk -v s=$((SEED + round * 1000 + i)) -v w="$WINDOW" 'BEGIN { srand(s); printf "%.3f", rand() * w }')
        "$BK" sync --config "$WORK/kiosk.ini" --db "$DB" --hub "$URL" --kiosk-id k1 \
            --token-file "$WORK/token" >/dev/null 2>&1 &
        PID=$!
        sleep "$DELAY"
        kill -9 "$PID" 2>/dev/null && KILLED=$((KILLED + 1))
        wait "$PID" 2>/dev/null || :
        i=$((i + 1))
    done
    printf 'e%d) %d syncs, %d of them killed\n' "$round" "$i" "$KILLED"
    check_eq "e$round) nothing left pending" 0 "$PENDING"
    kiosk_sync "$DB"
    check_match "e$round) a last clean sync" "$OUT" '* signups: sent=0 pending=0'
    check_eq "e$round) every sign-up exactly once at the hub" ok "$(once_at_hub "$DB.ids")"
    check_eq "e$round) the hub holds the 30" 30 "$(grep -c -F -f "$DB.ids" "$WORK/signups.csv" || :)"
    check_eq "e$round) the kiosk has 30 answers" 30 "$(jget outbox_confirmed "$STATUS")"
    check_eq "e$round) personal data gone from the kiosk" no "$(has_personal "$DB")"
done

summary
