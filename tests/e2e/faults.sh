#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# What the kiosk must survive (hub-api-v1 "What the kiosk must survive";
# feed-v1 "Transport"): the real buurtkiosk against fault_peer.py, a
# loopback server in front of the real buurthub that answers the feed GET,
# the sign-up POST and the heartbeat POST with one fault at a time, for
# every fault in the table below:
#   (a) `sync` exits with the contract's status and names the reason in its
#       line and in `status`; the content held is unchanged;
#   (b) a sign-up made by script meanwhile is never told "confirmed",
#       stays in the outbox through a `sync` against the fault (the log
#       names the reason, for the sign-up and the heartbeat), and once the
#       peer is healthy reaches the hub exactly once;
#   (c) the real event loop (`run --headless`, its network thread pulling
#       from the peer) answers taps within 100 ms while a feed drips or
#       100 MiB of noise arrive, and keeps its content.
# Slow rows (a body dripping a byte a second) take the kiosk's 30 s
# low-speed limit each. FAULTS_ONLY="s500 drip" runs only those rows.
set -eu
# In CI a missing part is a failure, not a skip.
if [ "${CI:-}" = true ]; then
    [ -x "${BUURTHUB:-}" ] || { echo "CI: no buurthub" >&2; exit 1; }
    command -v python3 >/dev/null || { echo "CI: no python3" >&2; exit 1; }
fi
E2E_NEED_BK=1
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
command -v openssl >/dev/null || { echo "no openssl: skipped"; exit 77; }
BUURTKIOSK_ASSETS=$BK_SRC/assets
export BUURTKIOSK_ASSETS
# shellcheck source=fault_lib.sh
. "$(dirname "$0")/fault_lib.sh"

# fault | sync exit | feed result | feed reason | sign-up reason | heartbeat reason
# (a reason is a fixed string the log line must contain; "-" for the
# heartbeat: accepted). Rows tls-* talk to the peer's TLS port, whose
# certificate comes from a CA made here that the kiosk does not trust.
ROWS='
s204|1|rejected|not valid JSON|HTTP 204 with an unexpected body|-
s304|0|unchanged||HTTP 304|HTTP 304
s400|1|unreachable|HTTP status 400|HTTP 400|HTTP 400
s401|1|unreachable|HTTP status 401|refused this kiosk'"'"'s token (HTTP 401)|HTTP 401
s403|1|unreachable|HTTP status 403|refused this kiosk'"'"'s token (HTTP 403)|HTTP 403
s404|1|unreachable|HTTP status 404|HTTP 404|HTTP 404
s409|1|unreachable|HTTP status 409|HTTP 409|HTTP 409
s410|1|unreachable|HTTP status 410|HTTP 410|HTTP 410
s413|1|unreachable|HTTP status 413|HTTP 413|HTTP 413
s422|1|unreachable|HTTP status 422|HTTP 422|HTTP 422
s429|1|unreachable|HTTP status 429|HTTP 429|HTTP 429
s429-retry|1|unreachable|HTTP status 429|HTTP 429|HTTP 429
s500|1|unreachable|HTTP status 500|HTTP 500|HTTP 500
s502|1|unreachable|HTTP status 502|HTTP 502|HTTP 502
s503-retry|1|unreachable|HTTP status 503|HTTP 503|HTTP 503
s504|1|unreachable|HTTP status 504|HTTP 504|HTTP 504
r301|1|unreachable|Maximum (5) redirects followed|HTTP 301|HTTP 301
r302|1|unreachable|Maximum (5) redirects followed|HTTP 302|HTTP 302
r307|1|unreachable|Maximum (5) redirects followed|HTTP 307|HTTP 307
r308|1|unreachable|Maximum (5) redirects followed|HTTP 308|HTTP 308
redirect-other-host|1|unreachable|HTTP status 401|HTTP 302|HTTP 302
garbage|1|rejected|not valid JSON|HTTP 200 with an unexpected body|HTTP 200
empty|1|rejected|not valid JSON|HTTP 200 with an unexpected body|HTTP 200
html|1|rejected|not valid JSON|HTTP 200 with an unexpected body|HTTP 200
truncated|1|rejected|not valid JSON|HTTP 200 with an unexpected body|HTTP 200
length-short|1|rejected|not valid JSON|HTTP 200 with an unexpected body|HTTP 200
length-long|1|unreachable|transfer closed|transfer closed|transfer closed
reset|1|unreachable|reset by peer|reset by peer|reset by peer
noise|1|rejected|the body is over 16 MiB|answer over 64 KiB|answer over 64 KiB
drip|1|unreachable|too slow|too slow|too slow
tls-untrusted|1|unreachable|SSL certificate problem|SSL certificate problem|SSL certificate problem
tls-https-to-http|1|unreachable|SSL certificate problem|SSL certificate problem|SSL certificate problem
'

# ---- the hub, its content, a kiosk ---------------------------------------------------
fault_hub act-fout kiosk-fout

# ---- a CA the kiosk does not know, and a certificate for 127.0.0.1 --------------------
make_pki "fault test CA" peer

# ---- the peer ---------------------------------------------------------------------------
fault_peer_start
# The peer answers "unknown fault" for a name it does not know: the table
# and the peer must agree.
known=$(python3 "$BK_SRC/tests/e2e/fault_peer.py" --port-file /dev/null --list)

printf '[kiosk]\nid = kiosk-fout\nhub = %s\ntoken_file = %s\n' "$PEER" "$WORK/token" \
    >"$WORK/kiosk.ini"
KDB=$WORK/kiosk/kiosk.db
kiosk() { run "$BK" "$@" --config "$WORK/kiosk.ini" --db "$KDB"; }

kiosk sync
check_contains "healthy: the feed comes through the peer" "$OUT" "feed: applied skipped=0"
check_eq "healthy: exit 0" 0 "$RC"

# content: what the kiosk holds, from `status` (counts and the ETag).
content() {
    run "$BK" status --config "$WORK/kiosk.ini" --db "$KDB"
    for k in locations activities services announcements feed_etag; do
        printf '%s=%s ' "$k" "$(jget "$k" "$OUT")"
    done
}
BEFORE=$(content)
check_contains "the kiosk holds the feed" "$BEFORE" "locations=1 activities=2 "

# A sign-up the way a resident makes it, while the hub misbehaves. With no
# lease the kiosk must ask the hub; it never says "confirmed" without it.
signup_script() {
    cat <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.act-fout.$stamp"
tap "#activity.signup"
type "Fout $(printf %s "$1" | tr 0-9 a-j)"
tap "#field.phone"
type "0612345678"
tap "#signup.consent"
tap "#signup.submit"
expect-screen signup-done
wait 3100
expect "#done.pending"
expect-not "#done.confirmed"
SCRIPT
}

hub_rows() {
    "$HUB" signups --db "$HDB" --csv | tail -n +2 | grep -c . || :
}

made=0
tried_feed=0
tried_signup=0
tried_beat=0
# (The table is read without a pipe, so that the counts survive the loop.)
printf '%s\n' "$ROWS" | grep . >"$WORK/rows"
while IFS='|' read -r fault rc result reason push_why beat_why; do
    case " ${FAULTS_ONLY:-$fault} " in *" $fault "*) ;; *) continue ;; esac
    hub=$PEER
    case $fault in
    tls-untrusted)
        hub=$TLS_PEER
        echo ok >"$MODE"
        ;;
    tls-https-to-http)
        hub=$TLS_PEER
        echo https-to-http >"$MODE"
        ;;
    *)
        check_contains "$fault: the peer knows the fault" "$known" "$fault"
        echo "$fault" >"$MODE"
        ;;
    esac
    : >"$PLOG"

    # (b) first: a sign-up made as the fault starts is never confirmed.
    # The hub answered a moment ago (the kiosk's own note of it, as a
    # good pass leaves it): the kiosk offers sign-up beyond its lease only
    # then, and must now find out the hub is gone.
    sqlite3 "$KDB" "UPDATE meta SET value = 'ok' WHERE key = 'hub_contact'"
    made=$((made + 1))
    signup_script "$made" >"$WORK/signup.script"
    run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --hub "$hub" --headless \
        --now "$now" --script "$WORK/signup.script"
    check_eq "$fault: sign-up script exit" 0 "$RC"
    check_eq "$fault: sign-up script steps" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"

    # (a) and (b): one sync against the fault.
    start=$(date +%s)
    run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB" --hub "$hub"
    took=$(($(date +%s) - start))
    log=$ERR
    line=$(printf '%s\n' "$OUT" | grep '^feed: ' || :)
    check_eq "$fault: sync exit status" "$rc" "$RC"
    if [ -n "$reason" ]; then
        check_contains "$fault: the sync line's result" "$line" "feed: $result ("
        check_contains "$fault: the sync line names the reason" "$line" "$reason"
    else
        check_contains "$fault: the sync line's result" "$line" "feed: $result skipped="
    fi
    check_contains "$fault: sign-ups wait" "$line" "signups: sent=0 pending=$made"
    check_eq "$fault: the content is unchanged" "$BEFORE" "$(content)"
    run "$BK" status --config "$WORK/kiosk.ini" --db "$KDB"
    if [ "$rc" = 1 ]; then
        check_contains "$fault: status names the reason" "$(jget last_sync_error "$OUT")" "$reason"
    fi
    check_eq "$fault: the outbox keeps every sign-up" "$made" "$(jget outbox_pending "$OUT")"
    check_eq "$fault: none confirmed without the hub" 0 "$(jget outbox_confirmed "$OUT")"
    check_eq "$fault: none rejected" 0 "$(jget outbox_rejected "$OUT")"
    tried_feed=$((tried_feed + 1))
    tried_signup=$((tried_signup + 1))
    tried_beat=$((tried_beat + 1))
    # The sync's log names why, for the sign-up and for the heartbeat.
    check_contains "$fault: the log names the sign-up's reason" \
        "$(printf '%s\n' "$log" | grep -E "not delivered|refused this kiosk" || :)" "$push_why"
    beat_line=$(printf '%s\n' "$log" | grep "heartbeat not accepted" || :)
    if [ "$beat_why" = - ]; then
        check_eq "$fault: the heartbeat is accepted" "" "$beat_line"
    else
        check_contains "$fault: the log names the heartbeat's reason" "$beat_line" "$beat_why"
    fi
    check_eq "$fault: nothing reached the hub" 0 "$(hub_rows)"
    case $fault in
    redirect-other-host)
        # The token went to the peer, never to the other host it named.
        check_contains "$fault: the first hop had the token" "$(cat "$PLOG")" "redirect-other-host token"
        check_eq "$fault: no token to another host" "" \
            "$(grep '^http localhost' "$PLOG" | grep ' token$' || :)"
        ;;
    tls-https-to-http)
        check_eq "$fault: nothing over plain http" "" "$(grep '^http ' "$PLOG" || :)"
        ;;
    esac
    printf '%s: %ss\n' "$fault" "$took" >>"$WORK/timings"
done <"$WORK/rows"
cat "$WORK/timings" 2>/dev/null || :

# 304 to a request that carried no validator: nothing was ever applied
# from this URL, so nothing is "unchanged".
echo s304 >"$MODE"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$WORK/fresh/kiosk.db" --hub "$PEER"
check_eq "304 without validators: exit" 1 "$RC"
check_contains "304 without validators: reason" "$OUT" "feed: unreachable (HTTP 304"
tried_feed=$((tried_feed + 1))

# ---- the real event loop: its network thread against the peer ----------------------
# live MODE SECONDS: runs `run --headless` (no script: the network thread
# pulls at once and then on its own schedule, heartbeats every 30 s) for
# SECONDS against MODE (the peer's mode file: "FAULT" alone is the feed's
# fault, or lines like "feed=FAULT heartbeat=FAULT"), then SIGTERM. Sets
# GETS (feed requests the peer saw), BEATS (heartbeat POSTs) and STOP_MS
# (from SIGTERM to exit: the loop is not held by a transfer).
live() {
    case $1 in
    *=*) printf '%s\n' $1 >"$MODE" ;;
    *) echo "feed=$1" >"$MODE" ;;
    esac
    : >"$PLOG"
    "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless \
        --set sync.interval_s=30 --set sync.heartbeat_s=30 >"$WORK/live.out" 2>"$WORK/live.err" &
    _pid=$!
    sleep "$2"
    _alive=$(kill -0 "$_pid" 2>/dev/null && echo yes || echo no)
    _t0=$(date +%s%N)
    kill -TERM "$_pid" 2>/dev/null || :
    set +e
    wait "$_pid"
    LIVE_RC=$?
    set -e
    STOP_MS=$((($(date +%s%N) - _t0) / 1000000))
    GETS=$(grep -c ' feed GET ' "$PLOG" || :)
    BEATS=$(grep -c ' heartbeat POST ' "$PLOG" || :)
    check_eq "live $1: still running after $2 s" yes "$_alive"
    check_eq "live $1: exit status after SIGTERM" 0 "$LIVE_RC"
    check_eq "live $1: the content is unchanged" "$BEFORE" "$(content)"
}
# Retry-After is honoured, by the pull and by the heartbeat alike: one GET
# and one heartbeat in 40 s, where the backoff alone (30 s +-20 %) pulls
# twice and the heartbeat's 30 s interval beats twice.
live "feed=s429-retry heartbeat=s429-retry" 40
check_eq "429 with Retry-After 120: one pull in 40 s" 1 "$GETS"
check_eq "429 with Retry-After 120: one heartbeat in 40 s" 1 "$BEATS"
check_contains "429 with Retry-After: the log says so for the pull" "$(cat "$WORK/live.err")" \
    "feed server asks to come back in 120 s"
check_contains "429 with Retry-After: the log names the heartbeat's reason and wait" \
    "$(cat "$WORK/live.err")" "heartbeat not accepted: HTTP 429; the hub asks to come back in 120 s"
live "feed=s429 heartbeat=s429" 40
check_eq "429 without Retry-After: the backoff pulls again" yes \
    "$([ "$GETS" -ge 2 ] && echo yes || echo no)"
check_eq "429 without Retry-After: the heartbeat comes again at its interval" yes \
    "$([ "$BEATS" -ge 2 ] && echo yes || echo no)"
# A body dripping, 100 MiB of noise: the loop stops at once on SIGTERM,
# the transfer in the network thread is cancelled, not waited for.
for f in drip noise; do
    live "$f" 4
    check_eq "live $f: the peer was pulling" yes "$([ "$GETS" -ge 1 ] && echo yes || echo no)"
    check_eq "live $f: stops within 2 s of SIGTERM (${STOP_MS} ms)" yes \
        "$([ "$STOP_MS" -lt 2000 ] && echo yes || echo no)"
done
echo ok >"$MODE"

# ---- (c) taps answered while the network thread is stuck ---------------------------
# The real event loop, no script: bk_tap_shim.so (tap_shim.c) queues finger
# taps into it and logs when each finger lifts (U) and when every frame is
# presented (P). Where to tap comes from a script's dumps of the same
# screens on the same database.
taps_at() { # DUMP ID: "X Y", the centre of that widget's rect
    python3 - "$1" "$2" <<'PY'
import json, sys
for w in json.load(open(sys.argv[1])):
    if w["id"] == sys.argv[2]:
        x, y, w_, h = w["rect"]
        print(x + w_ // 2, y + h // 2)
        break
PY
}
attract_point() { # DUMP: a point of the attract screen no other widget covers
    python3 - "$1" <<'PY'
import json, sys
ws = [w["rect"] for w in json.load(open(sys.argv[1])) if w["role"] != "screen"]
for y in range(790, 0, -10):
    for x in range(10, 1280, 10):
        if not any(r[0] <= x < r[0] + r[2] and r[1] <= y < r[1] + r[3] for r in ws):
            print(x, y)
            sys.exit()
PY
}
if [ -z "${BK_TAP_SHIM:-}" ] || [ ! -f "$BK_TAP_SHIM" ]; then
    echo "no BK_TAP_SHIM (a sanitizer build): the tap latency part is left out"
else
    cat >"$WORK/where.script" <<SCRIPT
dump "$WORK/attract.json"
tap "#attract"
dump "$WORK/home.json"
tap "#home.activities"
tap "#filter.all"
dump "$WORK/list.json"
SCRIPT
    run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless --script "$WORK/where.script"
    check_eq "the screens' dumps" 0 "$RC"
    p_attract=$(attract_point "$WORK/attract.json")
    p_acts=$(taps_at "$WORK/home.json" home.activities)
    p_all=$(taps_at "$WORK/list.json" filter.all)
    p_item=$(taps_at "$WORK/list.json" "activity.act-koffie.$(date -d "$day 14:00" +%Y%m%dT1400)")
    p_home=$(taps_at "$WORK/list.json" nav.home)
    check_match "tap points found" "$p_attract|$p_acts|$p_all|$p_item|$p_home" \
        '[0-9]* [0-9]*|[0-9]* [0-9]*|[0-9]* [0-9]*|[0-9]* [0-9]*|[0-9]* [0-9]*'
    # busy MODE: the kiosk's loop tapped 9 times while MODE holds its network thread.
    busy() {
        echo "$1" >"$MODE"
        : >"$PLOG"
        : >"$WORK/tap.log"
        rm -f "$WORK/tap.fifo"
        mkfifo "$WORK/tap.fifo"
        BK_TAP_FIFO=$WORK/tap.fifo BK_TAP_LOG_FD=9 BK_TAP_SIZE="1280 800" \
            LD_PRELOAD=$BK_TAP_SHIM "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" \
            --headless --size 1280x800 9>>"$WORK/tap.log" >"$WORK/busy.out" 2>"$WORK/busy.err" &
        _pid=$!
        exec 8>"$WORK/tap.fifo"
        # Until the faulty conversation is under way, and a second into it.
        _i=0
        while ! grep -q " ${2} " "$PLOG" && [ $_i -lt 100 ]; do
            sleep 0.1
            _i=$((_i + 1))
        done
        sleep 1
        for _p in "$p_attract" "$p_acts" "$p_all" "$p_item" "$p_home" "$p_acts" "$p_all" \
            "$p_home" "$p_acts"; do
            echo "tap $_p" >&8
            sleep 0.4
        done
        # Still stuck: the pass has not ended (its line is not logged yet).
        _stuck=$(grep -c "$3" "$WORK/busy.err" || :)
        exec 8>&-
        kill -TERM "$_pid" 2>/dev/null || :
        set +e
        wait "$_pid"
        _rc=$?
        set -e
        check_eq "busy $1: exit after SIGTERM" 0 "$_rc"
        check_eq "busy $1: the transfer was still under way during the taps" 0 "$_stuck"
        # Each lift (U) and the first frame after it (P): the answer's delay.
        awk '$1 == "U" { u = $2; want = 1; next }
             $1 == "P" && want { printf "%d\n", ($2 - u) / 1000000; want = 0 }' \
            "$WORK/tap.log" >"$WORK/latency"
        check_eq "busy $1: every tap answered with a frame" 9 "$(grep -c . "$WORK/latency" || :)"
        _max=$(sort -n "$WORK/latency" | tail -n 1)
        check_eq "busy $1: the slowest answer within 100 ms (${_max} ms)" yes \
            "$([ -n "$_max" ] && [ "$_max" -lt 100 ] && echo yes || echo no)"
        printf 'busy %s: answers in ms: %s\n' "$1" "$(tr '\n' ' ' <"$WORK/latency")"
        check_eq "busy $1: the content is unchanged" "$BEFORE" "$(content)"
    }
    busy feed=drip "feed GET" "sync: feed:"
    busy feed=noise-slow "feed GET" "sync: feed:"
    # The hub's feed changed meanwhile (the sign-ups above reached it, and
    # its counts with them): take it first, so that only the heartbeat
    # is at fault.
    echo ok >"$MODE"
    kiosk sync
    BEFORE=$(content)
    busy "heartbeat=drip" "heartbeat POST" "heartbeat not accepted"
    # The list still shows what the kiosk held.
    run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless --script "$WORK/where.script"
    check_contains "the list after the faults" "$(cat "$WORK/list.json")" '"activity.act-fout.'
    check_contains "the list after the faults, both" "$(cat "$WORK/list.json")" '"activity.act-koffie.'
fi
echo ok >"$MODE"

# ---- healthy again: every sign-up reaches the hub, once ---------------------------
echo ok >"$MODE"
kiosk sync
check_eq "healthy again: exit" 0 "$RC"
check_contains "healthy again: all sent" "$OUT" " pending=0"
run "$BK" status --config "$WORK/kiosk.ini" --db "$KDB"
check_eq "healthy again: confirmed" "$made" "$(jget outbox_confirmed "$OUT")"
check_eq "healthy again: the hub holds each sign-up once" "$made" "$(hub_rows)"
kiosk sync
check_eq "a second sync adds none" "$made" "$(hub_rows)"
check_eq "distinct sign-up ids" "$made" \
    "$("$HUB" signups --db "$HDB" --csv | tail -n +2 | cut -d, -f1 | sort -u | grep -c . || :)"

printf 'faults tried: feed %d, sign-up %d, heartbeat %d\n' "$tried_feed" "$tried_signup" \
    "$tried_beat"
stop_peer
summary
