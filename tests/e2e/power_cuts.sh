#!/bin/sh
# Power cuts everywhere (issue 14): SIGKILL, the nearest a test gets to a
# pulled plug, at seeded random moments in four places, taken in turn:
#
#   apply    the kiosk while `buurtkiosk sync` applies a big feed (a file
#            feed, alternately two different documents);
#   confirm  the kiosk while a resident's sign-up is confirmed (a touch
#            script against the real buurthub on loopback);
#   deliver  the kiosk while its outbox pushes sign-ups to the hub;
#   hub      the hub while it takes those sign-ups.
#
# After every kill (and the restart that follows): PRAGMA integrity_check
# is "ok" on every database, `status` still works, and the content the
# apply kiosk holds is the feed it held before or the one being applied,
# never a mix. At the end, after the outbox has drained: every sign-up in
# the kiosk's outbox, and every one a done screen was shown for, is at the
# hub exactly once (no loss, no duplicate).
#
# POWER_CUTS (default 30, as CI runs it) counts kills that landed, i.e.
# hit the process while it was still at work; POWER_CUTS_SEED repeats a
# run (the seed is printed). The full run: POWER_CUTS=200 (tests/README.md).
set -eu
. "$BK_SRC/tests/e2e/lib.sh"

: "${BUURTHUB:?BUURTHUB must name the buurthub binary}"
: "${BK_SEED:?BK_SEED must name the outbox_seed tool}"
: "${BK_MAKE_FEED:?BK_MAKE_FEED must name the make_feed tool}"
command -v sqlite3 >/dev/null || { echo "no sqlite3 CLI: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
BUURTKIOSK_ASSETS=$BK_SRC/assets
BUURTKIOSK_LOG=${BUURTKIOSK_LOG:-warn}
export BUURTKIOSK_ASSETS BUURTKIOSK_LOG

KILLS=${POWER_CUTS:-30}
SEED=${POWER_CUTS_SEED:-$(date +%s)}
FEED_SIZE=${POWER_CUTS_FEED:-5000}
echo "power_cuts: seed $SEED, $KILLS kills (repeat: POWER_CUTS=$KILLS POWER_CUTS_SEED=$SEED)"

HUB_PID=
KPID=
stop_all() {
    for p in $KPID $HUB_PID; do
        kill -9 "$p" 2>/dev/null || :
        wait "$p" 2>/dev/null || :
    done
    KPID=
    HUB_PID=
}
trap 'stop_all; e2e_cleanup' EXIT

# A seeded generator in the shell itself (an LCG, glibc's constants), so
# that a run repeats from its seed without a process per draw.
RND_STATE=$((SEED % 2147483648))
rnd() {
    RND_STATE=$(((RND_STATE * 1103515245 + 12345) % 2147483648))
    R=$((RND_STATE / 65536 % $1))
}
now_ms() { date +%s%3N; }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# integrity DB: "ok" or what SQLite found.
integrity() { sqlite3 "$1" 'PRAGMA integrity_check' 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
# content_hash DB: every item of the content with its text, hashed.
content_hash() {
    sqlite3 "$1" "SELECT 'a', id, title FROM activity ORDER BY id;
                  SELECT 's', id, name FROM service ORDER BY id;
                  SELECT 'l', id, name FROM location ORDER BY id;
                  SELECT 'n', id, text FROM announcement ORDER BY id;
                  SELECT 'o', count(*) FROM occurrence;" | sha256sum | cut -c1-16
}

TZ=Europe/Amsterdam
export TZ
day=$(date -d '+2 days' +%Y-%m-%d)
stamp=$(date -d "$day 10:00" +%Y%m%dT1000)
occurrence=$(date -d "$day 10:00" +%Y-%m-%dT10:00:00%:z)
now=$(date +%Y-%m-%dT%H:%M:%S%:z)
# No capacity: every sign-up is confirmed, so a missing one is a lost one.
cat >"$WORK/hub-feed.json" <<JSON
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "$now",
 "activities": [{"id": "act-power", "title": "Stroomstoring", "starts_at": "$occurrence",
   "signup": {"fields": ["name"]}}]}
JSON
hub_db=$WORK/hub.db
"$BUURTHUB" import --db "$hub_db" "$WORK/hub-feed.json" >/dev/null
"$BUURTHUB" kiosk add --db "$hub_db" kiosk-power >"$WORK/token"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[kiosk]\nid = kiosk-power\nhub = http://127.0.0.1:%s\ntoken_file = %s\n' "$port" \
    "$WORK/token" >"$WORK/kiosk.ini"
printf '[kiosk]\nid = kiosk-content\n' >"$WORK/content.ini"
kdb=$WORK/k/kiosk.db
cdb=$WORK/c/kiosk.db

hub_start() {
    buurthub_start "$hub_db" "127.0.0.1:$port" || exit 1
}

# Two big feeds, told apart by size and seed; their hashes once applied.
"$BK_MAKE_FEED" "$FEED_SIZE" 1 >"$WORK/big-0.json"
"$BK_MAKE_FEED" $((FEED_SIZE - FEED_SIZE / 5)) 2 >"$WORK/big-1.json"
t0=$(now_ms)
run "$BK" sync --config "$WORK/content.ini" --db "$WORK/h0/kiosk.db" --feed "file://$WORK/big-0.json"
check_contains "big feed 0 applies" "$OUT" "feed: applied"
apply_ms=$(($(now_ms) - t0))
run "$BK" sync --config "$WORK/content.ini" --db "$WORK/h1/kiosk.db" --feed "file://$WORK/big-1.json"
check_contains "big feed 1 applies" "$OUT" "feed: applied"
hash_0=$(content_hash "$WORK/h0/kiosk.db")
hash_1=$(content_hash "$WORK/h1/kiosk.db")
check_eq "the two feeds differ" yes "$([ "$hash_0" != "$hash_1" ] && echo yes || echo no)"
run "$BK" sync --config "$WORK/content.ini" --db "$cdb" --feed "file://$WORK/big-0.json"
content_now=$hash_0

hub_start
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
check_contains "the kiosk syncs from the hub" "$OUT" "feed: applied"

# A resident's sign-up; the done screen is dumped the moment it shows.
signup_script() {
    cat <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.act-power.$stamp"
tap "#activity.signup"
type "$1"
tap "#signup.consent"
tap "#signup.submit"
expect-screen signup-done
dump "$2"
wait 3100
SCRIPT
}
# How long a whole sign-up takes, and a delivery of five.
signup_script "kalibratie" "$WORK/done-cal.json" >"$WORK/cal.script"
t0=$(now_ms)
run "$BK" run --config "$WORK/kiosk.ini" --db "$kdb" --headless --now "$now" \
    --script "$WORK/cal.script"
check_eq "a sign-up without a cut" 0 "$RC"
confirm_ms=$(($(now_ms) - t0))
echo "kalibratie" >>"$WORK/told"
"$BK_SEED" --db "$kdb" --activity act-power --occurrence "$occurrence" --count 5 \
    --name "kalibratie levering" >/dev/null
t0=$(now_ms)
run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
deliver_ms=$(($(now_ms) - t0))
check_contains "five delivered" "$OUT" "sent=5"
echo "power_cuts: apply ${apply_ms} ms, sign-up ${confirm_ms} ms, delivery of 5 ${deliver_ms} ms"

# Each place's window for the kill, in ms, starting from the calibration
# and adapted as the run goes: a kill that came after the process had
# finished shrinks it by 1/8, one that landed widens it by 1/8, so that
# about half the kills land, spread up to the very end of the work (where
# the commits and the done screen are) whatever this machine's speed.
win_apply=$((apply_ms + 1))
win_confirm=$((confirm_ms + 1))
win_deliver=$((deliver_ms + 1))
# adapt NAME: after a kill, from LANDED.
adapt() {
    eval "_w=\$win_$1"
    if [ "$LANDED" = 1 ]; then _w=$((_w * 9 / 8 + 1)); else _w=$((_w * 7 / 8 + 1)); fi
    eval "win_$1=$_w"
}

# kill_at PID MS: SIGKILL after MS; LANDED=1 when the process was still
# at work then (it died of the signal), 0 when it had finished.
kill_at() {
    sleep_ms "$2"
    kill -9 "$1" 2>/dev/null || :
    set +e
    wait "$1"
    _rc=$?
    set -e
    if [ $_rc -eq 137 ]; then LANDED=1; else LANDED=0; fi
}

# After every cut: each database whole, and the kiosk starts on it.
check_after() {
    for _db in "$cdb" "$kdb" "$hub_db"; do
        _r=$(integrity "$_db")
        if [ "$_r" != ok ]; then
            fail "kill $landed ($1): integrity_check of $(basename "$(dirname "$_db")")/$(basename "$_db"): $_r"
        else
            pass
        fi
    done
    run "$BK" status --config "$WORK/kiosk.ini" --db "$kdb"
    check_eq "kill $landed ($1): status after the restart" 0 "$RC"
}

landed=0
tries=0
missed=0
phase_n=0
while [ $landed -lt "$KILLS" ]; do
    tries=$((tries + 1))
    if [ $tries -gt $((KILLS * 4 + 10)) ]; then
        fail "only $landed of $KILLS kills landed in $tries tries"
        break
    fi
    phase_n=$((phase_n + 1))
    case $((phase_n % 4)) in
    1)
        phase=apply
        which=$(((phase_n / 4 + 1) % 2))
        rnd "$win_apply"
        "$BK" sync --config "$WORK/content.ini" --db "$cdb" \
            --feed "file://$WORK/big-$which.json" >/dev/null 2>>"$WORK/apply.err" &
        KPID=$!
        kill_at "$KPID" "$R"
        KPID=
        got=$(content_hash "$cdb")
        new=$([ "$which" = 0 ] && echo "$hash_0" || echo "$hash_1")
        if [ "$got" = "$content_now" ] || [ "$got" = "$new" ]; then
            pass
        else
            fail "kill $landed (apply after $R ms): content is neither the old feed nor the new one"
        fi
        content_now=$got
        ;;
    2)
        phase=confirm
        name="bewoner $(printf '%s' "$phase_n" | tr '0-9' 'a-j')"
        signup_script "$name" "$WORK/done-$phase_n.json" >"$WORK/s.script"
        # Most of a run is start-up and typing: aim at its end, where the
        # outbox write and the hub's answer happen (5/8 to 9/8 of it).
        rnd $((win_confirm / 2 + 1))
        "$BK" run --config "$WORK/kiosk.ini" --db "$kdb" --headless --now "$now" \
            --script "$WORK/s.script" >/dev/null 2>>"$WORK/confirm.err" &
        KPID=$!
        R=$((win_confirm * 5 / 8 + R))
        kill_at "$KPID" "$R"
        KPID=
        # The dump is written when the done screen shows: that resident
        # was told, and the hub must hold the sign-up.
        [ -s "$WORK/done-$phase_n.json" ] && echo "$name" >>"$WORK/told"
        ;;
    3)
        phase=deliver
        "$BK_SEED" --db "$kdb" --activity act-power --occurrence "$occurrence" --count 5 \
            --name "levering $phase_n" >/dev/null
        rnd "$win_deliver"
        "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb" >/dev/null 2>>"$WORK/deliver.err" &
        KPID=$!
        kill_at "$KPID" "$R"
        KPID=
        ;;
    0)
        phase=hub
        "$BK_SEED" --db "$kdb" --activity act-power --occurrence "$occurrence" --count 5 \
            --name "hub $phase_n" >/dev/null
        rnd "$win_deliver"
        "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb" >/dev/null 2>>"$WORK/deliver.err" &
        KPID=$!
        sleep_ms "$R"
        LANDED=0
        kill -0 "$KPID" 2>/dev/null && LANDED=1
        kill -9 "$HUB_PID" 2>/dev/null || :
        wait "$HUB_PID" 2>/dev/null || :
        HUB_PID=
        wait "$KPID" 2>/dev/null || :
        KPID=
        _r=$(integrity "$hub_db")
        check_eq "kill $landed (hub after $R ms): hub database before the restart" ok "$_r"
        hub_start
        ;;
    esac
    case $phase in hub) adapt deliver ;; *) adapt "$phase" ;; esac
    if [ "$LANDED" = 1 ]; then
        landed=$((landed + 1))
        echo "$phase" >>"$WORK/phases"
    else
        missed=$((missed + 1))
    fi
    check_after "$phase"
done
for p in apply confirm deliver hub; do
    printf 'power_cuts: %s %s kills\n' "$(grep -c "^$p\$" "$WORK/phases" || :)" "$p"
done
echo "power_cuts: $landed kills landed, $missed finished before the kill"

# Drain: the hub up, the outbox sent until nothing is pending.
i=0
while [ $i -lt 5 ]; do
    run "$BK" sync --config "$WORK/kiosk.ini" --db "$kdb"
    run "$BK" status --config "$WORK/kiosk.ini" --db "$kdb"
    [ "$(jget outbox_pending "$OUT")" = 0 ] && break
    i=$((i + 1))
done
check_eq "nothing left unsent" 0 "$(jget outbox_pending "$OUT")"
check_eq "nothing refused" 0 "$(jget outbox_rejected "$OUT")"

run "$BUURTHUB" signups --db "$hub_db" --csv
csv=$OUT
header=$(printf '%s\n' "$csv" | head -n 1)
col() { printf '%s\n' "$header" | tr ',' '\n' | grep -n "^$1\$" | cut -d: -f1; }
id_col=$(col signup_id)
name_col=$(col name)
printf '%s\n' "$csv" | tail -n +2 | cut -d, -f"$id_col" | sort >"$WORK/hub-ids"
sqlite3 "$kdb" "SELECT signup_id FROM outbox" | sort >"$WORK/kiosk-ids"
check_eq "no sign-up twice at the hub" "" "$(uniq -d "$WORK/hub-ids")"
check_eq "every sign-up the kiosk stored is at the hub, and no other" "" \
    "$(sort -u "$WORK/hub-ids" | diff - "$WORK/kiosk-ids" || :)"
told=0
while read -r name; do
    told=$((told + 1))
    n=$(printf '%s\n' "$csv" | awk -F, -v n="$name" -v c="$name_col" 'NR > 1 && $c == n' | wc -l)
    check_eq "$name: told, at the hub exactly once" 1 "$n"
done <"$WORK/told"
echo "power_cuts: $(wc -l <"$WORK/kiosk-ids") sign-ups stored, $told residents shown the done screen," \
    "$(wc -l <"$WORK/hub-ids") rows at the hub"
stop_all
summary
