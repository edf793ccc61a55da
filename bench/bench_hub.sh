#!/bin/sh
# bench_hub.sh [BUILD_DIR] [--quick] [--seconds N] [--capacity N|unlimited]
#              [--tmpdir DIR] [--keep]
#
# The hub's performance report (bench/README.md, "The hub: bench_hub.sh"):
# the real buurthub from an existing build (default build/release; this
# script builds nothing) on loopback, loaded by wrk, prints one table:
#
#   1. the feed answered 304 (If-None-Match), requests/s;   target >= 5,000/s
#   2. sign-ups answered 201, per second, with nothing lost
#      or duplicated, and a repeat phase answered 200;      target >= 1,000/s
#
# Like the other reports: a missed target still exits 0. Exit status 1
# means a measurement could not be made or a correctness check failed (an
# answer other than the expected one, a sign-up lost or stored twice); the
# temp dir is then kept and its path printed. Exit 2: bad usage or no
# build. Without wrk (apt-get install wrk) the rows say `skipped`; with
# --quick (the CTest smoke test: 2 s runs, 100 repeats) the script then
# exits 77, which CTest counts as skipped.
#
# --seconds N: the length of each run (default 10). --capacity: the
# bench activity's places per occurrence (default 1000000; `unlimited`
# drops the field, and the hub then skips its count of places taken).
# --tmpdir DIR: where the databases go (default BUILD_DIR/bench: a disk,
# because every sign-up's commit fsyncs; the table says when it is tmpfs).
#
# The load tool runs on the same machine as the hub: on a 2-core machine
# they share both cores, and the figures are a floor for the hub alone.
set -u

usage() {
    echo "usage: bench_hub.sh [BUILD_DIR] [--quick] [--seconds N] [--capacity N|unlimited]" >&2
    echo "                    [--tmpdir DIR] [--keep]" >&2
    exit 2
}

build=build/release
quick=0
seconds=10
capacity=1000000
tmp_root=
keep=0
first_arg=1
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1; seconds=2 ;;
    --seconds) [ $# -ge 2 ] || usage; seconds=$2; shift ;;
    --capacity) [ $# -ge 2 ] || usage; capacity=$2; shift ;;
    --tmpdir) [ $# -ge 2 ] || usage; tmp_root=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) [ $first_arg = 1 ] || usage; build=$1 ;;
    esac
    first_arg=0
    shift
done
case $seconds in ''|*[!0-9]*|0) usage ;; esac
case $capacity in unlimited) ;; ''|*[!0-9]*) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
hub=$build/src/hub/buurthub
sample_feed=$src/assets/sample-feed.json
threads=2
connections=32
repeats=1000
[ $quick = 1 ] && repeats=100

if [ ! -x "$hub" ]; then
    echo "bench_hub.sh: $hub is missing; build first, e.g." >&2
    echo "  cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release && make -C $build -j2" >&2
    exit 2
fi
if ! grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "bench_hub.sh: note: $build is not a Release build; figures are not worth quoting" >&2
fi

# ---- the table -----------------------------------------------------------------

table_file=$(mktemp "${TMPDIR:-/tmp}/bench-hub-rows.XXXXXX") || exit 1
failures=0

# row MEASURE RESULT TARGET OK
row() {
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$table_file"
    [ "$4" = FAILED ] && failures=$((failures + 1))
    return 0
}

print_table() {
    awk -F '\t' '
        { for (c = 1; c <= 4; c++) { cell[NR, c] = $c; if (length($c) > w[c]) w[c] = length($c) } }
        END {
            split("measure result target ok", head, " ")
            for (c = 1; c <= 4; c++) if (length(head[c]) > w[c]) w[c] = length(head[c])
            line = "|"; for (c = 1; c <= 4; c++) line = line sprintf(" %-*s |", w[c], head[c]); print line
            line = "|"; for (c = 1; c <= 4; c++) { d = "-"; for (k = 0; k < w[c]; k++) d = d "-"; line = line d "-|" }; print line
            for (r = 1; r <= NR; r++) {
                line = "|"; for (c = 1; c <= 4; c++) line = line sprintf(" %-*s |", w[c], cell[r, c]); print line
            }
        }' "$table_file"
}

ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

if ! command -v wrk >/dev/null 2>&1; then
    row "1. feed answered 304, requests/s" "skipped (no wrk: apt-get install wrk)" ">= 5000/s" skipped
    row "2. sign-ups answered 201, per second" "skipped (no wrk: apt-get install wrk)" ">= 1000/s" skipped
    print_table
    rm -f "$table_file"
    [ $quick = 1 ] && exit 77
    exit 0
fi
for tool in curl od; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "bench_hub.sh: $tool is missing (deps/debian-packages.txt)" >&2
        rm -f "$table_file"
        exit 1
    fi
done

# The databases go to the build dir's disk unless told otherwise: commits
# fsync, and tmpfs would make them free.
[ -n "$tmp_root" ] || tmp_root=$build/bench
mkdir -p "$tmp_root" || exit 1
dir=$(mktemp -d "$tmp_root/bench-hub.XXXXXX") || exit 1
dir=$(cd "$dir" && pwd)
fstype=$(stat -f -c %T "$dir" 2>/dev/null || echo unknown)

hub_pid=
wrk_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [ -n "$wrk_pid" ]; then kill "$wrk_pid" 2>/dev/null; wait "$wrk_pid" 2>/dev/null; fi
    if [ -n "$hub_pid" ]; then kill "$hub_pid" 2>/dev/null; wait "$hub_pid" 2>/dev/null; fi
    rm -f "$table_file"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { # a step could not be done: no row can follow from it
    echo "bench_hub.sh: $*" >&2
}

clk_tck=$(getconf CLK_TCK)
cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# start_hub DB NAME: serve on a free loopback port; sets hub_pid and url.
start_hub() {
    # A run that gave up early may have left its hub running.
    if [ -n "$hub_pid" ]; then kill "$hub_pid" 2>/dev/null; wait "$hub_pid" 2>/dev/null; fi
    : >"$dir/$2.out"
    # The benchmark measures throughput from one address and two tokens,
    # so the per-token and per-address rates (hub-api-v1.md "Limits the
    # hub keeps") are lifted; test_hub_rate and hub_limits.sh test them.
    printf '[hub]\nrate_per_token = 0\nrate_per_address = 0\nconnections_per_address = 0\n' \
        >"$dir/unlimited.ini"
    "$hub" serve --db "$1" --listen 127.0.0.1:0 --config "$dir/unlimited.ini" \
        >"$dir/$2.out" 2>"$dir/$2.log" &
    hub_pid=$!
    url=
    i=0
    while [ $i -lt 100 ]; do
        url=$(sed -n 's/^listening on //p' "$dir/$2.out")
        [ -n "$url" ] && return 0
        kill -0 "$hub_pid" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    fail "buurthub serve did not start (see $dir/$2.log)"
    return 1
}

# stop_hub: SIGTERM, and the hub must exit 0 (every sign-up on disk).
stop_hub() {
    kill -TERM "$hub_pid" 2>/dev/null
    wait "$hub_pid"
    rc=$?
    hub_pid=
    return $rc
}

# new_kiosk DB: adds kiosk k1 and prints its token.
new_kiosk() {
    "$hub" kiosk add --db "$1" k1
}

# wrk_requests FILE: "N requests in 10.01s" -> N and the seconds.
wrk_requests() {
    awk '/ requests in / {
            d = $4; sub(/,$/, "", d)
            if (d ~ /ms$/) { sub(/ms$/, "", d); d = d / 1000 }
            else if (d ~ /m$/) { sub(/m$/, "", d); d = d * 60 }
            else if (d ~ /h$/) { sub(/h$/, "", d); d = d * 3600 }
            else sub(/s$/, "", d)
            print $1, d }' "$1"
}
wrk_non2xx3xx() {
    awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1"
}
wrk_socket_errors() { # the sum of connect, read, write and timeout errors
    awk '/Socket errors:/ { gsub(/,/, ""); n = $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"
}

# ---- 1. the feed, answered 304 -------------------------------------------------------

feed_row="1. feed answered 304 (wrk -t$threads -c$connections -d${seconds}s), requests/s"
bench_feed() {
    db=$dir/feed.db
    if ! "$hub" import --db "$db" "$sample_feed" >"$dir/feed-import.out" 2>&1; then
        row "$feed_row" "buurthub import failed (see $dir/feed-import.out)" ">= 5000/s" FAILED
        return
    fi
    token=$(new_kiosk "$db") || { row "$feed_row" "buurthub kiosk add failed" ">= 5000/s" FAILED; return; }
    start_hub "$db" feed || { row "$feed_row" "buurthub serve did not start" ">= 5000/s" FAILED; return; }
    feed_url="$url/kiosk/v1/feed?kiosk=k1"
    status=$(curl -s -o "$dir/feed.json" -D "$dir/feed.headers" -w '%{http_code}' \
                  -H "Authorization: Bearer $token" "$feed_url")
    etag=$(tr -d '\r' <"$dir/feed.headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p')
    if [ "$status" != 200 ] || [ -z "$etag" ]; then
        row "$feed_row" "first GET: HTTP $status, ETag '$etag'" ">= 5000/s" FAILED
        return
    fi
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
                  -H "If-None-Match: $etag" "$feed_url")
    if [ "$status" != 304 ]; then
        row "$feed_row" "GET with If-None-Match: HTTP $status, not 304" ">= 5000/s" FAILED
        return
    fi
    feed_bytes=$(wc -c <"$dir/feed.json")

    # The plain run: wrk's own count of answers that are not 2xx/3xx.
    cpu0=$(cpu_ticks "$hub_pid")
    wrk -t$threads -c$connections -d"${seconds}s" -H "Authorization: Bearer $token" \
        -H "If-None-Match: $etag" "$feed_url" >"$dir/wrk-feed.out" 2>&1
    rc=$?
    cpu1=$(cpu_ticks "$hub_pid")
    # shellcheck disable=SC2046 # two numbers, split on purpose
    set -- $(wrk_requests "$dir/wrk-feed.out")
    if [ $rc != 0 ] || [ $# != 2 ]; then
        row "$feed_row" "wrk failed (exit $rc, see $dir/wrk-feed.out)" ">= 5000/s" FAILED
        return
    fi
    n=$1 secs=$2
    bad=$(wrk_non2xx3xx "$dir/wrk-feed.out")
    sock=$(wrk_socket_errors "$dir/wrk-feed.out")
    rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
    ok=$(awk -v r="$rate" 'BEGIN { print ((r >= 5000) ? "ok" : "MISSED") }')
    row "$feed_row" "$rate/s ($n in ${secs} s)" ">= 5000/s" "$ok"
    if [ "$bad" = 0 ] && [ "$sock" = 0 ]; then
        row "1. wrk: non-2xx/3xx answers; socket errors" "0; 0" "0" ok
    else
        row "1. wrk: non-2xx/3xx answers; socket errors" "$bad; $sock" "0" FAILED
    fi
    row "1. hub CPU per 304 (user+sys, /proc/PID/stat)" "$(awk -v c=$((cpu1 - cpu0)) -v t="$clk_tck" -v n="$n" -v s="$secs" -v k="$ncpu" \
        'BEGIN { printf "%.1f us (%.0f %% of %s cores over the run)", c / t / n * 1e6, c / t / s / k * 100, k }')" - info

    # The same load with a script that counts every status.
    wrk -t$threads -c$connections -d"${seconds}s" -s "$here/hub_status.lua" \
        -H "Authorization: Bearer $token" -H "If-None-Match: $etag" "$feed_url" \
        >"$dir/wrk-feed-lua.out" 2>&1
    rc=$?
    total=$(sed -n 's/^TOTAL requests=\([0-9]*\).*/\1/p' "$dir/wrk-feed-lua.out")
    n304=$(awk '$1 == "STATUS" && $2 == 304 { print $3 }' "$dir/wrk-feed-lua.out")
    other=$(awk '$1 == "STATUS" && $2 != 304 { printf "%s%s x%s", sep, $2, $3; sep = ", " }' "$dir/wrk-feed-lua.out")
    sock=$(awk '/^TOTAL/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] != "requests" && kv[1] != "duration_us" && kv[1] != "status") n += kv[2] } } END { print n + 0 }' "$dir/wrk-feed-lua.out")
    dur=$(sed -n 's/^TOTAL .*duration_us=\([0-9]*\).*/\1/p' "$dir/wrk-feed-lua.out")
    if [ $rc != 0 ] || [ -z "$total" ] || [ -z "$dur" ]; then
        row "1. every answer 304 (wrk Lua script counting statuses)" "wrk failed (exit $rc, see $dir/wrk-feed-lua.out)" "all 304" FAILED
    elif [ -z "$other" ] && [ "${n304:-0}" = "$total" ] && [ "$total" -gt 0 ] && [ "$sock" = 0 ]; then
        row "1. every answer 304 (wrk Lua script counting statuses)" "$total of $total ($(awk -v n="$total" -v d="$dur" 'BEGIN { printf "%.0f", n / d * 1e6 }')/s with the script)" "all 304" ok
    else
        row "1. every answer 304 (wrk Lua script counting statuses)" "304 x${n304:-0} of $total; others: ${other:-none}; socket errors $sock" "all 304" FAILED
    fi
    row "1. the feed (sample-feed.json), first GET" "HTTP 200, $feed_bytes bytes, ETag $etag" - info
    if ! stop_hub; then
        row "1. buurthub stopped by SIGTERM" "exit status $rc" "0" FAILED
    fi
}

# ---- 2. sign-ups -----------------------------------------------------------------------

signup_row="2. sign-ups answered 201, per second"

# signup_run MODE NAME [env assignments...]: runs wrk with hub_signup.lua
# until every thread has had every answer (it creates a done file), then
# stops it with SIGINT. Output in $dir/wrk-NAME.out.
signup_run() {
    mode=$1 name=$2
    shift 2
    done_dir=$dir/done-$name
    mkdir -p "$done_dir"
    # -d is only a ceiling: the script stops sending sign-ups by itself.
    ceiling=$((seconds + 60))
    env BENCH_MODE="$mode" BENCH_TAG="$tag" BENCH_TOKEN="$token" BENCH_KIOSK=k1 \
        BENCH_ACTIVITY=act-bench BENCH_OCCURRENCE="$occurrence" BENCH_CREATED="$created" \
        BENCH_SECONDS="$seconds" BENCH_DONE_DIR="$done_dir" "$@" \
        wrk -t$threads -c$connections -d"${ceiling}s" -s "$here/hub_signup.lua" \
        "$url/kiosk/v1/signups" >"$dir/wrk-$name.out" 2>&1 &
    wrk_pid=$!
    while kill -0 "$wrk_pid" 2>/dev/null; do
        if [ "$(find "$done_dir" -name 'thread-*' | wc -l)" -ge $threads ]; then
            kill -INT "$wrk_pid" 2>/dev/null
            break
        fi
        sleep 0.1
    done
    wait "$wrk_pid"
    wrk_rc=$?
    wrk_pid=
    return $wrk_rc
}

# signup_value NAME KEY: KEY=... from the SIGNUPS line of a run.
signup_value() {
    awk -v k="$2" '$1 == "SIGNUPS" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$dir/wrk-$1.out"
}
status_count() { # status_count NAME STATUS
    awk -v s="$2" '$1 == "STATUS" && $2 == s { n = $3 } END { print n + 0 }' "$dir/wrk-$1.out"
}
other_statuses() { # other_statuses NAME EXPECTED
    awk -v s="$2" '$1 == "STATUS" && $2 != s { printf "%s%s x%s", sep, $2, $3; sep = ", " }' "$dir/wrk-$1.out"
}

# check_rows EXPORT SENT_LIST: reads the hub's CSV export and prints
#   rows distinct ours bad_status
# rows: data rows; distinct: distinct signup_ids; ours: rows whose id is
# this run's, of a thread 1..N, with a counter 1..sent of that thread
# (SENT_LIST "t:n,t:n"); bad_status: rows not "confirmed".
check_rows() {
    awk -F, -v tag="$tag" -v sent="$2" '
        function hex(s,    i, v) {
            v = 0
            for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
            return v
        }
        BEGIN {
            n = split(sent, pairs, ",")
            for (i = 1; i <= n; i++) { split(pairs[i], kv, ":"); max[kv[1] + 0] = kv[2] + 0 }
        }
        NR == 1 { next }
        {
            sub(/\r$/, "")
            rows++
            id = $1
            if (!(id in seen)) { seen[id] = 1; distinct++ }
            if ($4 != "confirmed") bad++
            if (split(id, p, "-") == 5 && p[1] == tag && p[2] == "0000" && p[4] == "8000" &&
                substr(p[3], 1, 1) == "4" && length(p[5]) == 12) {
                t = hex(substr(p[3], 2)); k = hex(p[5])
                if ((t in max) && k >= 1 && k <= max[t]) ours++
            }
        }
        END { print rows + 0, distinct + 0, ours + 0, bad + 0 }' "$1"
}

bench_signups() {
    db=$dir/signup.db
    # One activity, a few days from now, that takes a million sign-ups per
    # occurrence (--capacity) and asks for a name and a phone number.
    capacity_field="\"capacity\": $capacity, "
    [ "$capacity" = unlimited ] && capacity_field=
    day=$(date -d '+3 days' +%Y-%m-%d)
    occurrence=$(TZ=Europe/Amsterdam date -d "$day 10:00" +%Y-%m-%dT%H:%M:%S%:z)
    ends=$(TZ=Europe/Amsterdam date -d "$day 11:30" +%Y-%m-%dT%H:%M:%S%:z)
    created=$(date +%Y-%m-%dT%H:%M:%S%:z)
    cat >"$dir/bench-feed.json" <<EOF
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "$created",
 "publisher": {"name": "bench_hub.sh"}, "languages": ["nl", "en"],
 "locations": [{"id": "loc-bench", "name": {"nl": "Buurthuis De Meetlat", "en": "Community centre De Meetlat"},
                "address": "Meetlatstraat 1, 3811 AA Amersfoort"}],
 "activities": [{"id": "act-bench", "title": {"nl": "Spreekuur geldzaken", "en": "Money matters drop-in"},
                 "summary": {"nl": "Hulp bij brieven en rekeningen.", "en": "Help with letters and bills."},
                 "location_id": "loc-bench", "starts_at": "$occurrence", "ends_at": "$ends",
                 "signup": {$capacity_field"closes_before_min": 60, "fields": ["name", "phone"]}}]}
EOF
    if ! "$hub" import --db "$db" "$dir/bench-feed.json" >"$dir/signup-import.out" 2>&1 ||
       ! grep -q 'activities=1 .*skipped=0' "$dir/signup-import.out"; then
        row "$signup_row" "buurthub import of the bench feed failed (see $dir/signup-import.out)" ">= 1000/s" FAILED
        return
    fi
    token=$(new_kiosk "$db") || { row "$signup_row" "buurthub kiosk add failed" ">= 1000/s" FAILED; return; }
    token2=$("$hub" kiosk add --db "$db" k2) || { row "$signup_row" "buurthub kiosk add k2 failed" ">= 1000/s" FAILED; return; }
    start_hub "$db" signup || { row "$signup_row" "buurthub serve did not start" ">= 1000/s" FAILED; return; }
    tag=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
    # Both kiosks pull their feed first, so that each holds a lease (hub-api-v1
    # "Telling the resident the truth") and every sign-up is judged against
    # its own lease and the other's: the first ones within k1's lease, the
    # rest beyond it.
    for pair in "k1 $token" "k2 $token2"; do
        set -- $pair
        curl -s -o "$dir/lease-$1.json" -H "Authorization: Bearer $2" "$url/kiosk/v1/feed?kiosk=$1"
    done
    lease=$(sed -n 's/.*"lease":\([0-9]*\).*/\1/p' "$dir/lease-k1.json")
    row "2. leases held when the run starts (k1's feed; k2 holds as many)" "${lease:-none}" - info

    cpu0=$(cpu_ticks "$hub_pid")
    signup_run new new
    rc=$?
    cpu1=$(cpu_ticks "$hub_pid")
    sent=$(signup_value new sent)
    answered=$(signup_value new answered)
    window=$(signup_value new window_s)
    if [ $rc != 0 ] || [ -z "$sent" ] || [ -z "$window" ]; then
        row "$signup_row" "wrk failed (exit $rc, see $dir/wrk-new.out)" ">= 1000/s" FAILED
        return
    fi
    n201=$(status_count new 201)
    others=$(other_statuses new 201)
    badbody=$(signup_value new badbody)
    sent_list=$(awk '$1 == "THREAD" { sub(/^sent=/, "", $3); printf "%s%s:%s", sep, $2, $3; sep = "," }' "$dir/wrk-new.out")
    rate=$(awk -v n="$n201" -v w="$window" 'BEGIN { printf "%.0f", (w > 0 ? n / w : 0) }')
    ok=$(awk -v r="$rate" 'BEGIN { print ((r >= 1000) ? "ok" : "MISSED") }')
    row "$signup_row (wrk -t$threads -c$connections, ${seconds} s of sending; capacity $capacity)" \
        "$rate/s ($n201 in $window s)" ">= 1000/s" "$ok"
    row "2. hub CPU per sign-up (user+sys, /proc/PID/stat)" "$(awk -v c=$((cpu1 - cpu0)) -v t="$clk_tck" -v n="$n201" -v s="$window" -v k="$ncpu" \
        'BEGIN { if (n > 0) printf "%.0f us (%.0f %% of %s cores over the run)", c / t / n * 1e6, c / t / s / k * 100, k; else print "-" }')" - info

    # Nothing lost, nothing stored twice: every id was sent once (by
    # construction), every answer was a 201 with the right body, and the
    # export holds exactly the ids sent, once each.
    "$hub" signups --db "$db" --csv >"$dir/signups-1.csv" 2>"$dir/signups-1.err" ||
        { row "2. rows = 201 answers = distinct ids sent" "buurthub signups --csv failed" "equal" FAILED; return; }
    # shellcheck disable=SC2046 # four numbers, split on purpose
    set -- $(check_rows "$dir/signups-1.csv" "$sent_list")
    rows=$1 distinct=$2 ours=$3 notconf=$4
    result="rows $rows, 201s $n201, ids sent $sent (distinct rows $distinct, of this run $ours)"
    if [ "$answered" != "$sent" ]; then
        row "2. rows = 201 answers = distinct ids sent" "$result; $((sent - answered)) unanswered" "equal" FAILED
    elif [ -n "$others" ] || [ "$badbody" != 0 ] || [ "$notconf" != 0 ]; then
        row "2. rows = 201 answers = distinct ids sent" "$result; other answers: ${others:-none}; bad bodies $badbody; rows not confirmed $notconf" "equal" FAILED
    elif [ "$rows" = "$n201" ] && [ "$n201" = "$sent" ] && [ "$distinct" = "$rows" ] && [ "$ours" = "$rows" ] && [ "$rows" -gt 0 ]; then
        row "2. rows = 201 answers = distinct ids sent" "$rows = $n201 = $sent (lost 0, duplicated 0)" "equal" ok
    else
        row "2. rows = 201 answers = distinct ids sent" "$result" "equal" FAILED
    fi

    # The rate second by second (received_at has whole seconds): the first
    # and the last whole second of the run, without the partial ones.
    per_second=$(awk -F, 'NR > 1 { if ($12 != last) { n++; last = $12 }; c[n]++ }
        END { if (n >= 4) printf "%d/s in the 2nd second, %d/s in the %dth", c[2], c[n - 1], n - 1;
              else print "-" }' "$dir/signups-1.csv")
    row "2. sign-ups stored per second (received_at), early vs late" "$per_second" - info

    # The repeat phase: the first ids of each thread again.
    per_thread=$((repeats / threads))
    quotas=$(awk -v q=$per_thread '$1 == "THREAD" { sub(/^sent=/, "", $3); printf "%s%d", sep, ($3 + 0 < q ? $3 + 0 : q); sep = "," }' "$dir/wrk-new.out")
    want=$(echo "$quotas" | tr ',' '\n' | awk '{ n += $1 } END { print n + 0 }')
    signup_run repeat repeat BENCH_QUOTAS="$quotas"
    rc=$?
    rsent=$(signup_value repeat sent)
    ranswered=$(signup_value repeat answered)
    n200=$(status_count repeat 200)
    rothers=$(other_statuses repeat 200)
    rbad=$(signup_value repeat badbody)
    "$hub" signups --db "$db" --csv >"$dir/signups-2.csv" 2>/dev/null
    # shellcheck disable=SC2046 # four numbers, split on purpose
    set -- $(check_rows "$dir/signups-2.csv" "$sent_list")
    rows2=$1
    result="$n200 of $rsent answered 200; rows $rows -> $rows2"
    if [ $rc != 0 ] || [ -z "$rsent" ]; then
        row "2. repeat: ids sent again answered 200, no new row" "wrk failed (exit $rc, see $dir/wrk-repeat.out)" "all 200" FAILED
    elif [ "$rsent" = "$want" ] && [ "$ranswered" = "$rsent" ] && [ "$n200" = "$rsent" ] &&
         [ -z "$rothers" ] && [ "$rbad" = 0 ] && [ "$rows2" = "$rows" ] && [ "$rsent" -gt 0 ]; then
        row "2. repeat: ids sent again answered 200, no new row" "$result" "all 200" ok
    else
        row "2. repeat: ids sent again answered 200, no new row" "$result (wanted $want); others: ${rothers:-none}; bad bodies $rbad" "all 200" FAILED
    fi
    if ! stop_hub; then
        row "2. buurthub stopped by SIGTERM" "exit status $rc" "0" FAILED
    fi
}

storage="$fstype"
[ "$fstype" = ext2/ext3 ] && storage="ext2/ext3/ext4" # one magic number for all three
[ "$fstype" = tmpfs ] && storage="tmpfs: commits do not reach a disk, figures too good"
row "databases on (statfs of the temp dir)" "$storage ($dir)" "not tmpfs" "$([ "$fstype" = tmpfs ] && echo MISSED || echo ok)"
bench_feed
bench_signups

load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
row "machine" "$ncpu CPUs, shared by wrk and buurthub; load average $load_start at the start, $load_end at the end" - info
print_table

if [ $failures -gt 0 ]; then
    echo "bench_hub.sh: $failures check(s) failed; files kept in $dir" >&2
    exit 1
fi
if [ $keep = 1 ]; then
    echo "bench_hub.sh: files kept in $dir" >&2
else
    rm -rf "$dir"
fi
exit 0
