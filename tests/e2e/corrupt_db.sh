#!/bin/sh
# A corrupt kiosk database (automation-v1.md, `--db`): a file of garbage, a
# truncated database, and one with a damaged page in the content table but
# a readable outbox. Each time the kiosk starts, moves the file aside as
# {db}.corrupt-{timestamp} (with its -wal) with a log line, `status` works on
# the fresh cache, the next sync fills it and the screen shows it, and the
# unsent sign-ups the old file still gives are delivered to the real
# buurthub; the log says how many were rescued, and says so when some could
# not be read.
set -eu
. "$BK_SRC/tests/e2e/lib.sh"

: "${BUURTHUB:?BUURTHUB must name the buurthub binary}"
: "${BK_SEED:?BK_SEED must name the outbox_seed tool}"
: "${BK_MAKE_FEED:?BK_MAKE_FEED must name the make_feed tool}"
command -v sqlite3 >/dev/null || { echo "no sqlite3 CLI: skipped"; exit 77; }
BUURTKIOSK_ASSETS=$BK_SRC/assets
BUURTKIOSK_LOG=info
export BUURTKIOSK_ASSETS BUURTKIOSK_LOG
HUB_PID=
trap '[ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null; e2e_cleanup' EXIT

TZ=Europe/Amsterdam
export TZ
day=$(date -d '+2 days' +%Y-%m-%d)
stamp=$(date -d "$day 10:00" +%Y%m%dT1000)
occurrence=$(date -d "$day 10:00" +%Y-%m-%dT10:00:00%:z)
now=$(date +%Y-%m-%dT%H:%M:%S%:z)
cat >"$WORK/hub-feed.json" <<JSON
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "$now",
 "activities": [{"id": "act-herstel", "title": "Herstelochtend", "starts_at": "$occurrence",
   "signup": {"fields": ["name"]}}]}
JSON
hub_db=$WORK/hub.db
"$BUURTHUB" import --db "$hub_db" "$WORK/hub-feed.json" >/dev/null
"$BUURTHUB" kiosk add --db "$hub_db" kiosk-herstel >"$WORK/token"
buurthub_start "$hub_db" 127.0.0.1:0
printf '[kiosk]\nid = kiosk-herstel\nhub = %s\ntoken_file = %s\n' "$hub" "$WORK/token" \
    >"$WORK/kiosk.ini"
printf '[kiosk]\nid = kiosk-herstel\n' >"$WORK/offline.ini"
"$BK_MAKE_FEED" 2000 7 >"$WORK/big.json"

cat >"$WORK/shows.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
expect "Herstelochtend"
tap "#activity.act-herstel.$stamp"
expect-screen activity
SCRIPT
printf 'expect-screen attract\n' >"$WORK/starts.script"

# hub_count NAME: rows at the hub whose name starts with NAME.
hub_count() {
    "$BUURTHUB" signups --db "$hub_db" --csv | grep -c "$1" || :
}

# A kiosk cache with content (the big feed) and five unsent sign-ups, all
# in the database file itself (the WAL checkpointed away).
make_cache() {
    mkdir -p "$(dirname "$1")"
    run "$BK" sync --config "$WORK/offline.ini" --db "$1" --feed "file://$WORK/big.json"
    check_contains "$2: the big feed applies" "$OUT" "feed: applied"
    "$BK_SEED" --db "$1" --activity act-herstel --occurrence "$occurrence" --count 5 \
        --name "$2 bewoner" >/dev/null
    sqlite3 "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
}

# check_recovered CASE DB: the start moved the file aside with a log line,
# status works on a fresh cache, the kiosk starts, the next sync fills it
# and the screen shows it.
check_recovered() {
    _case=$1
    _db=$2
    # The first start after the damage: status (never fetches content).
    run "$BK" status --config "$WORK/kiosk.ini" --db "$_db"
    printf '%s\n' "$ERR" >"$WORK/first.err"
    check_eq "$_case: status exits 0" 0 "$RC"
    check_contains "$_case: the log names the damage" "$ERR" "is corrupt"
    check_contains "$_case: and where the file went" "$ERR" "moved to $_db.corrupt-"
    check_eq "$_case: a fresh cache" 0 "$(jget activities "$OUT")"
    _aside=$(ls "$_db".corrupt-* 2>/dev/null | grep -v -- '-wal$\|-shm$\|-journal$' | head -n 1)
    check_match "$_case: {db}.corrupt-{timestamp}" "$(basename "$_aside")" \
        'kiosk.db.corrupt-2[0-9][0-9][0-9][01][0-9][0-3][0-9]T[0-2][0-9][0-5][0-9][0-5][0-9]Z'
    check_eq "$_case: the fresh cache is whole" ok "$(sqlite3 "$_db" 'PRAGMA integrity_check')"
    run "$BK" status --config "$WORK/kiosk.ini" --db "$_db"
    check_not_contains "$_case: a second start finds nothing wrong" "$ERR" "is corrupt"
    check_eq "$_case: one file moved aside" 1 \
        "$(ls "$_db".corrupt-* | grep -c -v -- '-wal$\|-shm$\|-journal$')"
    run "$BK" run --config "$WORK/offline.ini" --db "$_db" --headless --now "$now" \
        --script "$WORK/starts.script"
    check_eq "$_case: the kiosk starts on it" 0 "$RC"
    run "$BK" sync --config "$WORK/kiosk.ini" --db "$_db"
    check_contains "$_case: the next sync fills it" "$OUT" "feed: applied"
    run "$BK" run --config "$WORK/kiosk.ini" --db "$_db" --headless --now "$now" \
        --script "$WORK/shows.script"
    check_eq "$_case: the screen shows the synced content" 0 "$RC"
}

# 1. A file of garbage, with a WAL of garbage beside it (SQLite drops
# that WAL itself: it belongs to no database).
db=$WORK/garbage/kiosk.db
mkdir -p "$WORK/garbage"
yes 'geen database maar rommel' | head -c 200000 >"$db"
yes 'rommel' | head -c 5000 >"$db-wal"
check_recovered garbage "$db"
check_contains "garbage: nothing rescued" "$(cat "$WORK/first.err")" "rescued 0 unsent sign-ups"
check_contains "garbage: and the log says the outbox could not be read" \
    "$(cat "$WORK/first.err")" "could not be read"

# 2. A truncated database: the last pages gone (the outbox was written last).
db=$WORK/truncated/kiosk.db
make_cache "$db" truncated
size=$(stat -c %s "$db")
truncate -s $((size * 2 / 3 / 4096 * 4096)) "$db"
run "$BK" status --config "$WORK/kiosk.ini" --db "$db"
check_eq "truncated: status exits 0" 0 "$RC"
check_contains "truncated: the log names the damage" "$ERR" "is corrupt"
check_contains "truncated: the log counts the rescue" "$ERR" "rescued "
rescued=$(printf '%s\n' "$ERR" | sed -n 's/.*rescued \([0-9]*\) unsent.*/\1/p' | head -n 1)
if [ "${rescued:-0}" -lt 5 ]; then
    check_contains "truncated: sign-ups not rescued are not lost silently" "$ERR" \
        "could not be read"
fi
echo "corrupt_db: truncated: ${rescued:-no} of 5 sign-ups rescued"
check_eq "truncated: the rescued ones are pending" "${rescued:-x}" "$(jget outbox_pending "$OUT")"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$db"
check_contains "truncated: the next sync fills it" "$OUT" "feed: applied"
check_eq "truncated: the rescued ones reach the hub" "${rescued:-x}" "$(hub_count 'truncated bewoner')"

# 3. A damaged page in the content table; the outbox still reads.
db=$WORK/page/kiosk.db
make_cache "$db" page
page=$(sqlite3 "$db" "SELECT pageno FROM dbstat WHERE name = 'activity' AND pagetype = 'leaf'
                      ORDER BY pageno LIMIT 1 OFFSET 20")
check_match "page: the activity table has leaf pages" "$page" '[0-9]*'
# Half a page of 0xff over its cells: SQLite's checks see a broken page.
head -c 2048 /dev/zero | tr '\0' '\377' |
    dd of="$db" bs=1 seek=$(((page - 1) * 4096 + 1024)) conv=notrunc 2>/dev/null
cp "$db" "$WORK/damaged.db"
check_recovered page "$db"
check_contains "page: all five sign-ups rescued" "$(cat "$WORK/first.err")" \
    "rescued 5 unsent sign-ups"
check_not_contains "page: none lost" "$(cat "$WORK/first.err")" "could not be read"
check_eq "page: delivered, each once" 5 "$(hub_count 'page bewoner')"
run "$BK" status --config "$WORK/kiosk.ini" --db "$db"
check_eq "page: nothing left unsent" 0 "$(jget outbox_pending "$OUT")"
check_eq "page: five confirmed" 5 "$(jget outbox_confirmed "$OUT")"
check_eq "page: status says how long answered rows are kept" 30 "$(jget outbox_kept_days "$OUT")"

# 5. Power cuts during the replacement itself: SIGKILL at random moments
# of the start that replaces the damaged file (seeded, the seed printed),
# then a start left alone: all five unsent sign-ups are there, once.
seed=${CORRUPT_DB_SEED:-$(date +%s)}
echo "corrupt_db: kills during the replacement, seed $seed"
t0=$(date +%s%3N)
mkdir -p "$WORK/timing"
cp "$WORK/damaged.db" "$WORK/timing/kiosk.db"
"$BK" status --config "$WORK/offline.ini" --db "$WORK/timing/kiosk.db" >/dev/null 2>&1
took=$(($(date +%s%3N) - t0 + 1))
k=0
landed=0
while [ $k -lt 10 ]; do
    k=$((k + 1))
    db=$WORK/cut$k/kiosk.db
    mkdir -p "$WORK/cut$k"
    cp "$WORK/damaged.db" "$db"
    ms=$(((seed * 7919 + k * 104729) % took))
    "$BK" status --config "$WORK/offline.ini" --db "$db" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    kill -9 $pid 2>/dev/null || :
    set +e
    wait $pid 2>/dev/null
    [ $? -eq 137 ] && landed=$((landed + 1))
    set -e
    # The kiosk starts again, and maybe is cut again halfway.
    run "$BK" status --config "$WORK/offline.ini" --db "$db"
    check_eq "cut $k after $ms ms: status after the restart" 0 "$RC"
    check_eq "cut $k after $ms ms: five unsent sign-ups, once" 5 "$(jget outbox_pending "$OUT")"
    check_eq "cut $k: no rebuild left over" 0 "$(ls "$db"-rebuild* 2>/dev/null | wc -l)"
    check_eq "cut $k: the cache is whole" ok "$(sqlite3 "$db" 'PRAGMA integrity_check')"
done
echo "corrupt_db: $landed of 10 kills hit the replacement ($took ms)"
# The two states a cut can leave, made on purpose: the damaged file gone
# aside and the rebuild not yet renamed in; the rebuild half made.
mkdir -p "$WORK/cutA" "$WORK/cutB"
cp "$WORK/cut1/kiosk.db" "$WORK/cutA/kiosk.db-rebuild"
# (status reads no database that is not there: a sync is the next start.)
run "$BK" sync --config "$WORK/offline.ini" --db "$WORK/cutA/kiosk.db" \
    --feed "file://$WORK/hub-feed.json"
check_contains "cut after the move: the rebuild is renamed in" "$ERR" "finished replacing"
run "$BK" status --config "$WORK/offline.ini" --db "$WORK/cutA/kiosk.db"
check_eq "cut after the move: five unsent sign-ups" 5 "$(jget outbox_pending "$OUT")"
cp "$WORK/damaged.db" "$WORK/cutB/kiosk.db"
yes 'half' | head -c 8192 >"$WORK/cutB/kiosk.db-rebuild"
run "$BK" status --config "$WORK/offline.ini" --db "$WORK/cutB/kiosk.db"
check_contains "cut during the rebuild: it is discarded" "$ERR" "discarding an unfinished rebuild"
check_eq "cut during the rebuild: rebuilt again, five unsent sign-ups" 5 \
    "$(jget outbox_pending "$OUT")"

# 6. Corruption met while running (docs/spec-notes.md "Corruption met
# while running"): two kiosks run on caches with the big feed and five
# unsent sign-ups, one as under systemd (INVOCATION_ID set), one not. A
# page of the activity table is damaged under them, and a changed feed
# makes their network threads read it. The one under systemd ends by
# itself (exit 0, for systemd to start it again) with a log line; its next
# start moves the file aside and rescues the five. The other keeps running
# and showing, and says once that a restart is needed.
# The kiosks pull the feed their caches were made from: their first pass
# finds it unchanged and writes no content, so the activity table's pages
# are read from the database file, where the damage goes.
cp "$WORK/big.json" "$WORK/big.orig.json"
for m in managed manual; do
    make_cache "$WORK/$m/kiosk.db" "$m"
    printf '[kiosk]\nid = kiosk-herstel\nfeed = file://%s\n' "$WORK/big.json" >"$WORK/$m.ini"
done
INVOCATION_ID=e2e-corrupt "$BK" run --config "$WORK/managed.ini" --db "$WORK/managed/kiosk.db" \
    --headless --set sync.interval_s=30 >"$WORK/managed.out" 2>"$WORK/managed.err" &
managed_pid=$!
env -u INVOCATION_ID "$BK" run --config "$WORK/manual.ini" --db "$WORK/manual/kiosk.db" \
    --headless --set sync.interval_s=30 >"$WORK/manual.out" 2>"$WORK/manual.err" &
manual_pid=$!
# Both have made their first pass (the feed unchanged) before the damage.
i=0
while { ! grep -q 'feed: unchanged' "$WORK/managed.err" ||
    ! grep -q 'feed: unchanged' "$WORK/manual.err"; } && [ $i -lt 200 ]; do
    sleep 0.1
    i=$((i + 1))
done
for m in managed manual; do
    check_contains "running $m: the first pass" "$(cat "$WORK/$m.err")" "feed: unchanged"
    page=$(sqlite3 "$WORK/$m/kiosk.db" "SELECT pageno FROM dbstat WHERE name = 'activity'
                          AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 20")
    # The whole page, its header too: any read of it fails at once (cells
    # alone may pass for other cells to a search by key).
    head -c 4096 /dev/zero | tr '\0' '\377' |
        dd of="$WORK/$m/kiosk.db" bs=4096 seek=$((page - 1)) conv=notrunc 2>/dev/null
done
# A changed feed: the next pass replaces the content, through that page.
"$BK_MAKE_FEED" 1999 7 >"$WORK/big.json"
# The next pass comes within 36 s (30 s +-20 %); the restart waits for
# nothing else in a kiosk nobody uses.
i=0
while kill -0 "$managed_pid" 2>/dev/null && [ $i -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
managed_alive=$(kill -0 "$managed_pid" 2>/dev/null && echo yes || echo no)
check_eq "running, under systemd: it ends by itself" no "$managed_alive"
[ "$managed_alive" = no ] || kill -TERM "$managed_pid"
set +e
wait "$managed_pid"
managed_rc=$?
set -e
check_eq "running, under systemd: exit 0, for systemd to start it again" 0 "$managed_rc"
log=$(cat "$WORK/managed.err")
check_contains "running, under systemd: the log says why" "$log" \
    "SQLite reports $WORK/managed/kiosk.db corrupt while running: restarting when nobody"
check_contains "running, under systemd: and that it restarts" "$log" \
    "restarting to replace the corrupt cache"
check_eq "running, under systemd: said once" 1 \
    "$(printf '%s\n' "$log" | grep -c 'corrupt while running' || :)"
check_not_contains "running, under systemd: no personal data in the log" "$log" "bewoner"
# What systemd does next: start it again. The start's check moves the file
# aside and rescues the five.
run "$BK" status --config "$WORK/managed.ini" --db "$WORK/managed/kiosk.db"
check_contains "running, the next start: moved aside" "$ERR" "moved to $WORK/managed/kiosk.db.corrupt-"
check_contains "running, the next start: all five rescued" "$ERR" "rescued 5 unsent sign-ups"
check_eq "running, the next start: five pending" 5 "$(jget outbox_pending "$OUT")"
run "$BK" run --config "$WORK/managed.ini" --db "$WORK/managed/kiosk.db" --headless \
    --now "$now" --script "$WORK/starts.script"
check_eq "running, the next start: the kiosk runs" 0 "$RC"
check_not_contains "running, the next start: no restart for the old damage" "$ERR" \
    "corrupt while running"
# Not under systemd: nobody would start it again, so it keeps running.
i=0
while ! grep -q 'corrupt while running' "$WORK/manual.err" && [ $i -lt 200 ]; do
    sleep 0.1
    i=$((i + 1))
done
sleep 2
check_eq "running, not under systemd: still running" yes \
    "$(kill -0 "$manual_pid" 2>/dev/null && echo yes || echo no)"
kill -TERM "$manual_pid" 2>/dev/null || :
set +e
wait "$manual_pid"
manual_rc=$?
set -e
check_eq "running, not under systemd: stops on SIGTERM, 0" 0 "$manual_rc"
check_contains "running, not under systemd: the log asks for a restart" \
    "$(cat "$WORK/manual.err")" "corrupt while running: restart the kiosk to move it aside"
check_not_contains "running, not under systemd: it did not restart itself" \
    "$(cat "$WORK/manual.err")" "restarting to replace"
cp "$WORK/big.orig.json" "$WORK/big.json"

# 4. A healthy database is left alone.
db=$WORK/healthy/kiosk.db
make_cache "$db" healthy
run "$BK" status --config "$WORK/kiosk.ini" --db "$db"
check_not_contains "healthy: not called corrupt" "$ERR" "corrupt"
check_eq "healthy: nothing moved aside" 0 "$(ls "$db".corrupt-* 2>/dev/null | wc -l)"
check_eq "healthy: its sign-ups stay" 5 "$(jget outbox_pending "$OUT")"
summary
