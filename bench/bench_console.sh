#!/bin/sh
# bench_console.sh [BUILD_DIR] [--quick] [--activities N] [--signups N]
#                  [--runs N] [--tmpdir DIR] [--keep]
#
# The staff console's report (bench/README.md, "The staff console:
# bench_console.sh"; issue 13's benchmark): a hub database with N
# activities (default 10,000: bench/make-feed's generator over 20
# locations, reshaped so that most repeat weekly, some are one-off and some
# monthly) and M sign-ups (default 50,000: confirmed, waitlisted, full and
# closed), then the real `buurthub serve` on loopback with --now inside the
# feed's fortnight, a coordinator (`--all`) and a staff member of one
# location, each logged in through the form, and timed GETs over one
# keep-alive connection per page: the week page, a list of ~30 sign-ups,
# a list of ~500, the print view of the ~500 and their CSV. One table:
# p50 / p95 / max in ms (curl's time_total: request written to last byte
# read, on loopback, so the hub's time plus a little of curl's) and the
# issue's target, p95 <= 50 ms for the week and list pages. Each row also
# gives the hub's CPU time per GET (/proc/PID/stat), which a loaded
# machine does not inflate the way it does the wall clock.
#
# The sign-ups go in by direct SQL on the schema `buurthub` itself made
# (one transaction, the sqlite3 CLI), not through 50,000 HTTP posts: the
# report is about reading them back. confirmed_places is filled from them
# as the hub keeps it.
#
# Like the other reports, a missed target still exits 0. Exit 1 means a
# measurement could not be made or a page did not answer what it should
# (not 200, a name or a row missing, keep-alive not kept); the temp dir is
# then kept and its path printed. Exit 2: bad usage or no build. --quick
# (the CTest smoke test, bench_console_smoke): 300 activities, 2,000
# sign-ups, 5 runs; it judges answers, never timings.
set -u

usage() {
    echo "usage: bench_console.sh [BUILD_DIR] [--quick] [--activities N] [--signups N]" >&2
    echo "                        [--runs N] [--tmpdir DIR] [--keep]" >&2
    exit 2
}

build=build/release
quick=0
activities=10000
signups=50000
runs=200
tmp_root=
keep=0
first_arg=1
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1; activities=300; signups=2000; runs=5 ;;
    --activities) [ $# -ge 2 ] || usage; activities=$2; shift ;;
    --signups) [ $# -ge 2 ] || usage; signups=$2; shift ;;
    --runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
    --tmpdir) [ $# -ge 2 ] || usage; tmp_root=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) [ $first_arg = 1 ] || usage; build=$1 ;;
    esac
    first_arg=0
    shift
done
for n in "$activities" "$signups" "$runs"; do
    case $n in ''|*[!0-9]*|0) usage ;; esac
done
# The two lists are carved out of the sign-ups first.
[ "$signups" -ge 1000 ] || usage

hub=$build/src/hub/buurthub
make_feed=$build/bench/make_feed
for bin in "$hub" "$make_feed"; do
    if [ ! -x "$bin" ]; then
        echo "bench_console.sh: $bin is missing; build first, e.g." >&2
        echo "  cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release && make -C $build -j2" >&2
        exit 2
    fi
done
if [ $quick = 0 ] && ! grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "bench_console.sh: note: $build is not a Release build; figures are not worth quoting" >&2
fi
for tool in curl sqlite3 python3; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "bench_console.sh: $tool is missing (deps/debian-packages.txt)" >&2
        exit 1
    fi
done

# The feed generator's fortnight is around 2026-11-25 (bench/feedgen.c):
# the week page from here shows its second half.
NOW=2026-11-25T09:00:00+01:00
now_s=$(date -d "$NOW" +%s)

[ -n "$tmp_root" ] || tmp_root=$build/bench
mkdir -p "$tmp_root" || exit 1
dir=$(mktemp -d "$tmp_root/bench-console.XXXXXX") || exit 1
dir=$(cd "$dir" && pwd)
db=$dir/hub.db
table_file=$dir/table.tsv
: >"$table_file"
failures=0
hub_pid=

# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [ -n "$hub_pid" ]; then kill "$hub_pid" 2>/dev/null; wait "$hub_pid" 2>/dev/null; fi
    if [ "$failures" -gt 0 ] || [ "$keep" = 1 ]; then
        echo "bench_console.sh: files kept in $dir" >&2
    else
        rm -rf "$dir"
    fi
}
trap cleanup EXIT
trap 'failures=$((failures + 1)); exit 1' INT TERM

fail() { # a page did not answer what it should: the run fails
    echo "bench_console.sh: $*" >&2
    failures=$((failures + 1))
}

# row MEASURE RESULT TARGET OK
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$table_file"; }

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

# ---- the database ------------------------------------------------------------------

t0=$(date +%s.%N)
# Mostly weekly: two of every three of the generator's one-off activities
# become weekly on their own weekday (FREQ=WEEKLY without BYDAY repeats on
# starts_at's weekday, so starts_at stays an occurrence). With its 30 %
# weekly and 10 % monthly that makes 70 % weekly, 20 % one-off, 10 %
# monthly.
if ! "$make_feed" "$activities" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for i, a in enumerate(doc["activities"]):
    if "rrule" not in a and i % 3 != 0:
        a["rrule"] = "FREQ=WEEKLY"
json.dump(doc, sys.stdout, ensure_ascii=False)
' >"$dir/feed.json"; then
    fail "make_feed failed"
    exit 1
fi
if ! "$hub" import --db "$db" "$dir/feed.json" >"$dir/import.out" 2>&1; then
    fail "buurthub import failed (see $dir/import.out)"
    exit 1
fi
"$hub" kiosk add --db "$db" k1 >/dev/null || { fail "kiosk add failed"; exit 1; }

# The two lists: activities with sign-up whose starts_at is in the week
# page's days; the one-location staff's location is the first one's.
week_end=$((now_s + 6 * 86400))
pick() { # pick OFFSET: "id|starts_at|location_id" of an activity
    sqlite3 "$db" "SELECT a.id || '|' || a.starts_at || '|' || i.location_id FROM activities a
        JOIN items i ON i.kind = 1 AND i.id = a.id WHERE a.has_signup AND a.starts_at >= $now_s
        AND a.starts_at < $week_end AND i.location_id IS NOT NULL
        ORDER BY a.starts_at, a.id LIMIT 1 OFFSET $1"
}
kind_ok=$(sqlite3 "$db" "SELECT COUNT(*) FROM items WHERE kind = 1 AND id IN (SELECT id FROM activities)")
[ "$kind_ok" -gt 0 ] || { fail "items.kind 1 is not the activities' kind any more: fix pick()"; exit 1; }
big=$(pick 0)
small=$(pick 1)
if [ -z "$big" ] || [ -z "$small" ]; then
    fail "no two activities with sign-up in the week: the feed changed?"
    exit 1
fi
big_id=${big%%|*}; big_at=${big#*|}; big_loc=${big_at#*|}; big_at=${big_at%|*}
small_id=${small%%|*}; small_at=${small#*|}; small_at=${small_at%|*}

# status_of N SIZE: the status of the Nth of SIZE sign-ups of one
# occurrence: 76 % confirmed, 16 % waitlisted (positions in order), 8 %
# refused (full, or closed for every third of those).
if ! sqlite3 "$db" >"$dir/fill.out" 2>&1 <<EOF
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TEMP TABLE plan(activity_id TEXT, occurrence INTEGER, n INTEGER, k INTEGER);
-- The ~500 and the ~30.
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 500)
INSERT INTO plan SELECT '$big_id', $big_at, n, n FROM seq;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 30)
INSERT INTO plan SELECT '$small_id', $small_at, n, n FROM seq;
-- The rest spread over every other activity with sign-up, on its first
-- start, or on the one a week later for the weekly ones (every other).
CREATE TEMP TABLE targets AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS t, id,
         starts_at + CASE WHEN rrule = 'FREQ=WEEKLY' AND (rowid % 2) = 1 THEN 7 * 86400 ELSE 0 END
           AS at
  FROM activities WHERE has_signup AND id NOT IN ('$big_id', '$small_id');
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $signups - 530)
INSERT INTO plan SELECT id, at, n, 0 FROM seq JOIN targets
  ON t = (n - 1) % (SELECT COUNT(*) FROM targets);
-- Number each occurrence's sign-ups 1, 2, ... in arrival order.
CREATE TEMP TABLE numbered AS
  SELECT activity_id, occurrence, n,
         row_number() OVER (PARTITION BY activity_id, occurrence ORDER BY n) AS k
  FROM plan;
INSERT INTO signups(signup_id, kiosk_id, activity_id, occurrence, status, position,
  party_size, name, phone, email, remark, waitlist_ok, language, created_at, received_at,
  erased_at, response, to_call)
SELECT printf('bench-%s-%d-%06d', activity_id, occurrence, n), 'k1', activity_id, occurrence,
  CASE WHEN k % 25 = 0 THEN 'full' WHEN k % 25 = 12 THEN 'closed'
       WHEN k % 25 IN (3, 7, 16, 20) THEN 'waitlisted' ELSE 'confirmed' END,
  NULL, 1 + k % 3, printf('Bewoner %d', n), printf('06%08d', n), NULL,
  CASE WHEN k % 5 = 0 THEN 'rolstoel' END, 1, 'nl', $now_s - 86400, $now_s - 86400 + n, NULL,
  '{"status":"bench"}', 0
FROM numbered;
-- Waiting-list positions in order of arrival, per occurrence.
UPDATE signups SET position = (SELECT COUNT(*) FROM signups s2
    WHERE s2.activity_id = signups.activity_id AND s2.occurrence = signups.occurrence
      AND s2.status = 'waitlisted' AND s2.rowid <= signups.rowid)
  WHERE status = 'waitlisted';
INSERT OR REPLACE INTO confirmed_places
  SELECT activity_id, occurrence, SUM(party_size) FROM signups WHERE status = 'confirmed'
  GROUP BY activity_id, occurrence;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
EOF
then
    fail "filling the sign-ups failed (see $dir/fill.out)"
    exit 1
fi
n_act=$(sqlite3 "$db" 'SELECT COUNT(*) FROM activities')
n_weekly=$(sqlite3 "$db" "SELECT COUNT(*) FROM activities WHERE rrule LIKE 'FREQ=WEEKLY%'")
n_signups=$(sqlite3 "$db" 'SELECT COUNT(*) FROM signups')
n_big=$(sqlite3 "$db" "SELECT COUNT(*) FROM signups WHERE activity_id = '$big_id' AND occurrence = $big_at")
n_small=$(sqlite3 "$db" "SELECT COUNT(*) FROM signups WHERE activity_id = '$small_id' AND occurrence = $small_at")
n_big_conf=$(sqlite3 "$db" "SELECT COUNT(*) FROM signups WHERE activity_id = '$big_id' AND occurrence = $big_at AND status = 'confirmed'")
t1=$(date +%s.%N)

# ---- the hub and two logins ------------------------------------------------------------

printf 'bench console password\n' >"$dir/pw"
"$hub" staff add --db "$db" coord --all --password-file "$dir/pw" || { fail "staff add failed"; exit 1; }
"$hub" staff add --db "$db" one --locations "$big_loc" --password-file "$dir/pw" ||
    { fail "staff add failed"; exit 1; }

: >"$dir/hub.out"
# Every GET comes from one address: the per-address rate (hub-api-v1.md
# "Limits the hub keeps") is lifted so that it measures the pages.
printf '[hub]\nrate_per_address = 0\n' >"$dir/unlimited.ini"
BUURTKIOSK_LOG=warn "$hub" serve --db "$db" --listen 127.0.0.1:0 --now "$NOW" \
    --config "$dir/unlimited.ini" \
    >"$dir/hub.out" 2>"$dir/hub.log" &
hub_pid=$!
url=
i=0
while [ $i -lt 100 ]; do
    url=$(sed -n 's/^listening on //p' "$dir/hub.out")
    [ -n "$url" ] && break
    kill -0 "$hub_pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
[ -n "$url" ] || { fail "buurthub serve did not start (see $dir/hub.log)"; exit 1; }

login() { # login USER JAR
    code=$(curl -s -o /dev/null -w '%{http_code}' -c "$2" --data-urlencode "username=$1" \
        --data-urlencode 'password=bench console password' "$url/admin/login")
    [ "$code" = 303 ] || { fail "login of $1 answered $code"; return 1; }
}
login coord "$dir/coord.jar" || exit 1
login one "$dir/one.jar" || exit 1

clk_tck=$(getconf CLK_TCK)
cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# ---- timed GETs ---------------------------------------------------------------------

# fetch JAR PATH FILE: one GET, the body into FILE; prints the status.
fetch() {
    curl -s -b "$1" -o "$3" -w '%{http_code}' "$url$2"
}

# timed NAME JAR PATH: RUNS GETs of PATH on one connection (one curl,
# keep-alive), after one untimed GET; writes NAME.ms (one time per line)
# and checks every answer was 200 and only the first opened a connection.
timed() {
    cfg=$dir/$1.curl
    : >"$cfg"
    j=0
    while [ $j -le "$runs" ]; do
        printf 'url = "%s%s"\noutput = "/dev/null"\n' "$url" "$3" >>"$cfg"
        j=$((j + 1))
    done
    # The hub's own CPU time over the timed GETs (the warm-up included,
    # which is why it is an average): on a loaded machine the wall clock
    # mostly measures the other jobs, this does not.
    cpu0=$(cpu_ticks "$hub_pid")
    curl -s -b "$dir/$2.jar" -K "$cfg" -w '%{http_code} %{time_total} %{num_connects}\n' >"$dir/$1.raw" ||
        { fail "$1: curl failed"; return 1; }
    cpu1=$(cpu_ticks "$hub_pid")
    awk -v t=$((cpu1 - cpu0)) -v hz="$clk_tck" -v n=$((runs + 1)) \
        'BEGIN { printf "%.2f", t * 1000 / hz / n }' >"$dir/$1.cpu"
    bad=$(awk 'NR > 1 && ($1 != 200 || $3 != 0) { n++ } NR == 1 && $1 != 200 { n++ }
               END { print n + 0 }' "$dir/$1.raw")
    [ "$bad" = 0 ] || { fail "$1: $bad answers not 200 or not on the kept-alive connection"; return 1; }
    # The first is the warm-up (statements prepared, pages cached).
    awk 'NR > 1 { printf "%.3f\n", $2 * 1000 }' "$dir/$1.raw" | sort -n >"$dir/$1.ms"
}

# p95 NAME: the 95th percentile in ms, nearest rank.
p95() {
    awk '{ v[NR] = $1 } END { i = int(0.95 * NR + 0.999999); if (i < 1) i = 1; print v[i] }' "$dir/$1.ms"
}

# stats NAME: "p50 X ms, p95 Y ms, max Z ms (N); hub CPU C ms/GET",
# nearest rank.
stats() {
    awk -v cpu="$(cat "$dir/$1.cpu")" '{ v[NR] = $1 } END {
        i50 = int(0.5 * NR + 0.999999); i95 = int(0.95 * NR + 0.999999)
        printf "p50 %.2f ms, p95 %.2f ms, max %.2f ms (%d); hub CPU %s ms/GET", v[i50], v[i95], v[NR], NR, cpu }' "$dir/$1.ms"
}

# measure NAME LABEL TARGET_MS|-: NAME's row, judged against the target.
measure() {
    if [ ! -s "$dir/$1.ms" ]; then
        row "$2" "FAILED" "${3:+p95 <= $3 ms}" FAILED
        return
    fi
    result=$(stats "$1")
    if [ "$3" = - ]; then
        row "$2" "$result" - info
    elif awk -v p="$(p95 "$1")" -v t="$3" 'BEGIN { exit !(p <= t) }'; then
        row "$2" "$result" "p95 <= $3 ms" ok
    else
        row "$2" "$result" "p95 <= $3 ms" MISSED
    fi
}

list_q="activity=$big_id&at=$big_at"
small_q="activity=$small_id&at=$small_at"

# What each page must hold, checked once on a body before it is timed.
code=$(fetch "$dir/coord.jar" /admin/ "$dir/week.html")
[ "$code" = 200 ] || fail "week page: $code"
week_rows=$(grep -o '<tr><td>' "$dir/week.html" | wc -l)
# Every occurrence of the week must be linked (hub-api-v1.md). When the
# coordinator's page misses the two lists, the report says so in a row of
# its own and goes on measuring; the one-location page must have them.
week_links=yes
for q in "activity=$big_id&amp;at=$big_at" "activity=$small_id&amp;at=$small_at"; do
    grep -q "/admin/list?$q" "$dir/week.html" || week_links=no
done
week_bytes=$(wc -c <"$dir/week.html")
code=$(fetch "$dir/one.jar" /admin/ "$dir/week1.html")
[ "$code" = 200 ] || fail "week page, one location: $code"
grep -q "/admin/list?activity=$big_id&amp;at=$big_at" "$dir/week1.html" ||
    fail "week page, one location: no link to its own $big_id"
week1_rows=$(grep -o '<tr><td>' "$dir/week1.html" | wc -l)
# The link's text is the activity's title (the feed's Dutch one), not its id.
big_title=$(sqlite3 "$db" "SELECT json_extract(body, '\$.title.nl') FROM items WHERE kind = 1 AND id = '$big_id'")
link_text=$(sed -n "s|.*activity=$big_id&amp;at=${big_at}[^>]*>\([^<]*\)</a>.*|\1|p" "$dir/week1.html" | head -n 1)
if [ -z "$big_title" ] || [ "$link_text" != "$big_title" ]; then
    fail "week page, one location: $big_id's link reads [$link_text], not its title [$big_title]"
fi
if [ "$week1_rows" -ge "$week_rows" ] && [ "$n_act" -gt 100 ]; then
    fail "week page, one location: $week1_rows rows, not fewer than the coordinator's $week_rows"
fi
code=$(fetch "$dir/coord.jar" "/admin/list?$small_q" "$dir/small.html")
[ "$code" = 200 ] || fail "list ~30: $code"
small_names=$(grep -o 'Bewoner [0-9]*' "$dir/small.html" | sort -u | wc -l)
[ "$small_names" = "$n_small" ] || fail "list ~30: $small_names names of $n_small"
code=$(fetch "$dir/coord.jar" "/admin/list?$list_q" "$dir/big.html")
[ "$code" = 200 ] || fail "list ~500: $code"
big_names=$(grep -o 'Bewoner [0-9]*' "$dir/big.html" | sort -u | wc -l)
[ "$big_names" = "$n_big" ] || fail "list ~500: $big_names names of $n_big"
code=$(fetch "$dir/coord.jar" "/admin/print?$list_q" "$dir/print.html")
[ "$code" = 200 ] || fail "print view: $code"
grep -q '@page' "$dir/print.html" || fail "print view: no print stylesheet (@page)"
print_names=$(grep -o 'Bewoner [0-9]*' "$dir/print.html" | sort -u | wc -l)
[ "$print_names" = "$n_big" ] || fail "print view: $print_names names of $n_big"
code=$(fetch "$dir/coord.jar" "/admin/list.csv?$list_q" "$dir/list.csv")
[ "$code" = 200 ] || fail "CSV: $code"
csv_names=$(grep -c 'Bewoner [0-9]' "$dir/list.csv")
[ "$csv_names" = "$n_big" ] || fail "CSV: $csv_names rows with a name, of $n_big"
code=$(fetch "$dir/one.jar" "/admin/list?$list_q" "$dir/one-big.html")
[ "$code" = 200 ] || fail "list ~500, one location's staff: $code"
[ $failures = 0 ] || exit 1

timed week coord "/admin/"
timed week1 one "/admin/"
timed small coord "/admin/list?$small_q"
timed big coord "/admin/list?$list_q"
timed print coord "/admin/print?$list_q"
timed csv coord "/admin/list.csv?$list_q"
[ $failures = 0 ] || exit 1

ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
row "database" "$n_act activities ($n_weekly weekly), $n_signups sign-ups, 20 locations" - info
row "filled in (feed, import, sign-ups by SQL)" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')" - info
if [ $week_links = yes ]; then
    row "week page, coordinator: links the two lists" yes yes ok
elif [ $quick = 1 ]; then
    fail "week page: no link to $big_id's or $small_id's list"
else
    row "week page, coordinator: links the two lists" "no: $week_rows occurrences shown, not all of the week's" yes MISSED
fi
measure week "week page /admin/, coordinator ($week_rows occurrences, $((week_bytes / 1024)) KiB)" 50
measure week1 "week page /admin/, staff of $big_loc ($week1_rows occurrences)" 50
measure small "list, $n_small sign-ups" 50
measure big "list, $n_big sign-ups ($n_big_conf confirmed)" 50
measure print "print view of the $n_big" -
measure csv "CSV of the $n_big" -
row "machine" "$ncpu CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $runs GETs per row after 1 warm-up, one keep-alive connection" - info
print_table

kill -TERM "$hub_pid" 2>/dev/null
wait "$hub_pid"
rc=$?
hub_pid=
[ $rc = 0 ] || { fail "buurthub serve exited $rc on SIGTERM (see $dir/hub.log)"; exit 1; }
exit 0
