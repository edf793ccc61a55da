#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: `buurtkiosk sync` against a stock nginx serving the feed as a
# static file (feed-v1 Transport: ETag/If-None-Match, 304, gzip; Validation:
# rejected feeds keep the cache, bad items are skipped; validators belong to
# the URL that gave them).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SAMPLE=$BK_SRC/assets/sample-feed.json
WWW=$WORK/www
DB=$WORK/kiosk.db
LOG=$WORK/access.log
mkdir -p "$WWW"
# An empty config so that a kiosk.ini installed on this machine plays no part.
printf '# e2e\n' >"$WORK/kiosk.ini"

# publish SRC STAMP: put SRC in place as the served feed.json with mtime
# STAMP (touch -t), so every version gets its own ETag and Last-Modified.
publish() {
    cp "$1" "$WWW/feed.json.new"
    touch -t "$2" "$WWW/feed.json.new"
    mv "$WWW/feed.json.new" "$WWW/feed.json"
}

kiosk_lines() { grep -c '|buurtkiosk/' "$LOG" 2>/dev/null || :; }

# sync_once: run one sync; sets OUT/ERR/RC, STATUS (status JSON) and REQ (the
# access-log line of the kiosk's request, empty unless exactly one was made).
sync_once() {
    _before=$(kiosk_lines)
    run "$BK" sync --config "$WORK/kiosk.ini" --db "$DB" --feed "$URL"
    _rc=$RC _out=$OUT _err=$ERR
    _after=$(kiosk_lines)
    REQ=
    if [ "$((${_after:-0} - ${_before:-0}))" -eq 1 ]; then
        REQ=$(grep '|buurtkiosk/' "$LOG" | tail -n 1)
    fi
    run "$BK" status --config "$WORK/kiosk.ini" --db "$DB"
    STATUS=$OUT
    RC=$_rc OUT=$_out ERR=$_err
}

field() { printf '%s\n' "$REQ" | cut -d'|' -f"$1"; }

# served_header NAME: a response header of a gzip GET of the feed, as nginx
# sends it to a client that accepts gzip (like the kiosk).
served_header() {
    curl -s --compressed -o /dev/null -D - "$URL" | tr -d '\r' |
        grep -i "^$1:" | head -n 1 | sed 's/^[^:]*: *//'
}

check_counts() { # STEP LOC ACT SVC ANN
    check_eq "$1 status locations" "$2" "$(jget locations "$STATUS")"
    check_eq "$1 status activities" "$3" "$(jget activities "$STATUS")"
    check_eq "$1 status services" "$4" "$(jget services "$STATUS")"
    check_eq "$1 status announcements" "$5" "$(jget announcements "$STATUS")"
}

start_nginx "$WORK" "$WWW"
URL=http://127.0.0.1:$NGINX_PORT/feed.json

# ---- a) first sync of the sample feed -------------------------------------
publish "$SAMPLE" 202601010000.00
sync_once
check_eq "a) exit status" 0 "$RC"
check_match "a) sync line" "$OUT" 'feed: applied skipped=0 *'
check_counts "a)" 5 31 21 5
ETAG_A=$(served_header etag)
LM_A=$(served_header last-modified)
check_match "a) nginx sends an ETag" "$ETAG_A" '?*'
check_eq "a) feed_etag is the served ETag" "$ETAG_A" "$(junquote "$(jget feed_etag "$STATUS")")"
check_eq "a) one request, status 200" 200 "$(field 1)"
check_eq "a) no If-None-Match on the first pull" "" "$(field 2)"
check_eq "a) body came gzip-encoded" gzip "$(field 4)"
check_eq "a) last_sync_error" null "$(jget last_sync_error "$STATUS")"

# ---- b) second sync: conditional GET, 304 ---------------------------------
sync_once
check_eq "b) exit status" 0 "$RC"
check_match "b) sync line" "$OUT" 'feed: unchanged skipped=0 *'
check_eq "b) request answered 304" 304 "$(field 1)"
check_eq "b) If-None-Match is the ETag, verbatim" "$ETAG_A" "$(field 2)"
check_eq "b) If-Modified-Since is the Last-Modified" "$LM_A" "$(field 3)"
check_counts "b)" 5 31 21 5

# ---- c) changed feed: one title renamed, one announcement dropped ---------
sed 's/"nl": "Koffieochtend",/"nl": "Koffieochtend met taart",/' "$SAMPLE" |
    awk -v id=ann-energie-winter '
        /^    \{$/ { buf = $0 "\n"; inobj = 1; next }
        inobj {
            buf = buf $0 "\n"
            if ($0 ~ /^    \},?$/) {
                inobj = 0
                if (index(buf, "\"id\": \"" id "\"") == 0) printf "%s", buf
            }
            next
        }
        { print }' >"$WORK/feed-c.json"
check_eq "c) fixture differs by 1 title and 1 announcement" \
    "1 4" "$(grep -c 'Koffieochtend met taart' "$WORK/feed-c.json") $(grep -c '"id": "ann-' "$WORK/feed-c.json")"
publish "$WORK/feed-c.json" 202601010100.00
sync_once
check_eq "c) exit status" 0 "$RC"
check_match "c) sync line" "$OUT" 'feed: applied skipped=0 *'
check_eq "c) full body after If-None-Match of the old ETag" "200|$ETAG_A" "$(field 1)|$(field 2)"
check_counts "c)" 5 31 21 4
ETAG_C=$(served_header etag)
check_not_contains "c) ETag changed" "$ETAG_C" "$ETAG_A"
check_eq "c) feed_etag follows" "$ETAG_C" "$(junquote "$(jget feed_etag "$STATUS")")"

# ---- d) broken (truncated) feed: rejected, content kept ---------------------
head -c 20000 "$SAMPLE" >"$WORK/feed-d.json"
publish "$WORK/feed-d.json" 202601010200.00
sync_once
check_eq "d) exit status" 1 "$RC"
check_match "d) sync line" "$OUT" 'feed: rejected (*) skipped=0 *'
check_contains "d) reason mentions JSON" "$(printf '%s' "$OUT" | sed -n 's/^feed: rejected (\(.*\)) skipped=.*/\1/p')" JSON
check_eq "d) request got the body" 200 "$(field 1)"
check_counts "d)" 5 31 21 4
check_match "d) last_sync_error is set" "$(jget last_sync_error "$STATUS")" '"?*"'
check_eq "d) feed_etag still the applied one" "$ETAG_C" "$(junquote "$(jget feed_etag "$STATUS")")"

# ---- e) version 2: rejected, content kept ---------------------------------
sed 's/^  "version": 1,$/  "version": 2,/' "$SAMPLE" >"$WORK/feed-e.json"
check_eq "e) fixture has version 2" 1 "$(grep -c '^  "version": 2,$' "$WORK/feed-e.json")"
publish "$WORK/feed-e.json" 202601010300.00
sync_once
check_eq "e) exit status" 1 "$RC"
check_match "e) sync line" "$OUT" 'feed: rejected (*version*) skipped=0 *'
check_eq "e) If-None-Match is the last applied ETag" "$ETAG_C" "$(field 2)"
check_counts "e)" 5 31 21 4
check_match "e) last_sync_error mentions version" "$(jget last_sync_error "$STATUS")" '"*version*"'

# ---- f) server stopped: unreachable, content kept -------------------------
stop_nginx
sync_once
check_eq "f) exit status" 1 "$RC"
check_match "f) sync line" "$OUT" 'feed: unreachable (?*) skipped=0 *'
check_counts "f)" 5 31 21 4
check_match "f) last_sync_error is set" "$(jget last_sync_error "$STATUS")" '"?*"'

# ---- g) one bad item among good ones: applied, skipped=1 --------------------
start_nginx "$WORK" "$WWW"
URL=http://127.0.0.1:$NGINX_PORT/feed.json
sed '/"id": "act-koffieochtend-sleutel"/{n;s/"title"/"titel"/;}' "$SAMPLE" >"$WORK/feed-g.json"
check_eq "g) fixture lost one title" 30 "$(grep -c '^      "title": ' "$WORK/feed-g.json")"
publish "$WORK/feed-g.json" 202601010400.00
sync_once
check_eq "g) exit status" 0 "$RC"
check_match "g) sync line" "$OUT" 'feed: applied skipped=1 *'
check_eq "g) body came gzip-encoded" "200|gzip" "$(field 1)|$(field 4)"
check_counts "g)" 5 30 21 5

# ---- h) validators belong to their URL (feed-v1 Transport) ------------------
# A file:// feed dated June, then another URL on nginx whose file is older:
# an If-Modified-Since carried over from the file would get a 304 there and
# keep a feed the kiosk never saw "unchanged".
cp "$WORK/feed-c.json" "$WORK/a.json"
touch -t 202606010000.00 "$WORK/a.json"
FILE_URL=file://$WORK/a.json
run "$BK" sync --config "$WORK/kiosk.ini" --db "$DB" --feed "$FILE_URL"
check_eq "h) file feed: exit status" 0 "$RC"
check_match "h) file feed: applied" "$OUT" 'feed: applied skipped=0 *'
cp "$SAMPLE" "$WWW/b.json.new"
touch -t 202601010000.00 "$WWW/b.json.new"
mv "$WWW/b.json.new" "$WWW/b.json"
URL=http://127.0.0.1:$NGINX_PORT/b.json
sync_once
check_eq "h) new URL: exit status" 0 "$RC"
check_match "h) new URL: applied, not unchanged" "$OUT" 'feed: applied skipped=0 *'
check_eq "h) new URL: 200, no If-None-Match, no If-Modified-Since" "200||" \
    "$(field 1)|$(field 2)|$(field 3)"
check_counts "h)" 5 31 21 5
sync_once
check_eq "h) same URL again: its own validators, 304" "304|$(served_header last-modified)" \
    "$(field 1)|$(field 3)"
check_match "h) same URL again: unchanged" "$OUT" 'feed: unchanged skipped=0 *'
# Back to the file: its hash was kept for another URL, so it is applied again.
run "$BK" sync --config "$WORK/kiosk.ini" --db "$DB" --feed "$FILE_URL"
check_match "h) back to the file: applied" "$OUT" 'feed: applied skipped=0 *'
run "$BK" sync --config "$WORK/kiosk.ini" --db "$DB" --feed "$FILE_URL"
check_match "h) the file again: unchanged" "$OUT" 'feed: unchanged skipped=0 *'

summary
