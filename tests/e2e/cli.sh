#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: the command-line contract of automation-v1 (no network):
# --version, bad options, validate-feed, status on a missing database,
# sync from a file:// feed (the SHA-256 unchanged rule), config --check.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SAMPLE=$BK_SRC/assets/sample-feed.json
EMPTY_INI=$WORK/empty.ini
printf '# e2e\n' >"$EMPTY_INI"

# ---- --version, unknown option ----------------------------------------------
run "$BK" --version
check_eq "--version exit" 0 "$RC"
check_match "--version prints the version" "$OUT" 'buurtkiosk [0-9]*'

run "$BK" --no-such-option
check_eq "unknown option exit" 2 "$RC"
check_contains "unknown option named on stderr" "$ERR" --no-such-option

# ---- validate-feed --------------------------------------------------------
run "$BK" validate-feed "$SAMPLE"
check_eq "validate-feed sample exit" 0 "$RC"
check_match "validate-feed sample last line" "$(printf '%s\n' "$OUT" | tail -n 1)" \
    'feed: applied skipped=0 *'
check_eq "validate-feed sample: no skipped lines" 0 "$(printf '%s\n' "$OUT" | grep -c '^skipped' || :)"

head -c 30000 "$SAMPLE" >"$WORK/broken.json"
run "$BK" validate-feed "$WORK/broken.json"
check_eq "validate-feed broken exit" 1 "$RC"
check_match "validate-feed broken line" "$(printf '%s\n' "$OUT" | tail -n 1)" \
    'feed: rejected (?*) skipped=0 *'

# Two bad items: an activity without title, one with an offset-less start.
sed -e '/"id": "act-koffieochtend-sleutel"/{n;s/"title"/"titel"/;}' \
    -e '/"id": "act-repaircafe"/,/"starts_at"/s/\("starts_at": "[^"]*\)+01:00"/\1"/' \
    "$SAMPLE" >"$WORK/two-bad.json"
check_eq "two-bad fixture differs in 2 lines" 4 "$(diff "$SAMPLE" "$WORK/two-bad.json" | grep -c '^[<>]' || :)"
run "$BK" validate-feed "$WORK/two-bad.json"
check_eq "validate-feed two-bad exit" 0 "$RC"
check_eq "validate-feed two-bad: 2 skipped lines" 2 "$(printf '%s\n' "$OUT" | grep -c '^skipped' || :)"
check_contains "skipped line names the untitled item" "$(printf '%s\n' "$OUT" | grep '^skipped')" act-koffieochtend-sleutel
check_contains "skipped line names the bad-start item" "$(printf '%s\n' "$OUT" | grep '^skipped')" act-repaircafe
check_match "validate-feed two-bad feed line" "$(printf '%s\n' "$OUT" | tail -n 1)" \
    'feed: applied skipped=2 *'

# ---- status on a database that does not exist -------------------------------
mkdir "$WORK/nodb"
run "$BK" status --config "$EMPTY_INI" --db "$WORK/nodb/kiosk.db"
check_eq "status no-db exit" 0 "$RC"
check_contains "status no-db activities" "$OUT" '"activities": 0'
check_contains "status no-db feed_etag" "$OUT" '"feed_etag": null'
check_eq "status no-db last_sync_error" null "$(jget last_sync_error "$OUT")"
check_eq "status created no file" "" "$(ls -A "$WORK/nodb")"

# ---- sync from file:// -------------------------------------------------------
cp "$SAMPLE" "$WORK/feed.json"
sync_file() {
    run "$BK" sync --config "$EMPTY_INI" --db "$WORK/kiosk.db" --feed "file://$WORK/feed.json"
}
sync_file
check_eq "file sync 1 exit" 0 "$RC"
check_match "file sync 1 line" "$OUT" 'feed: applied skipped=0 *'
run "$BK" status --config "$EMPTY_INI" --db "$WORK/kiosk.db"
check_eq "file sync 1 activities" 31 "$(jget activities "$OUT")"

sync_file
check_eq "file sync 2 exit" 0 "$RC"
check_match "file sync 2 line (same bytes)" "$OUT" 'feed: unchanged skipped=0 *'

touch -t 203001010000.00 "$WORK/feed.json"
sync_file
check_eq "file sync 3 exit" 0 "$RC"
check_match "file sync 3 line (touched only)" "$OUT" 'feed: unchanged skipped=0 *'

sed 's/"nl": "Koffieochtend",/"nl": "Koffieochtend met taart",/' "$SAMPLE" >"$WORK/feed.json"
sync_file
check_eq "file sync 4 exit" 0 "$RC"
check_match "file sync 4 line (new bytes)" "$OUT" 'feed: applied skipped=0 *'

# ---- config --check -------------------------------------------------------
run "$BK" config --check "$BK_SRC/kiosk-config/example.ini"
check_eq "config --check example exit" 0 "$RC"
check_eq "config --check example prints nothing" "" "$OUT$ERR"

printf '[ui]\nrotation = 45\n' >"$WORK/bad.ini"
run "$BK" config --check "$WORK/bad.ini"
check_eq "config --check bad exit" 2 "$RC"
check_match "config --check bad names FILE:2" "$ERR" "$WORK/bad.ini:2: ?*"

# ---- the organisation's logo ----------------------------------------------
# A missing file stops the start with FILE:LINE, like any bad value.
printf '[kiosk]\nid = k1\n[branding]\nlogo = %s\n' "$WORK/no-logo.png" >"$WORK/logo.ini"
run "$BK" config --check "$WORK/logo.ini"
check_eq "config --check missing logo exit" 2 "$RC"
check_eq "config --check missing logo message" \
    "$WORK/logo.ini:4: branding.logo: cannot read '$WORK/no-logo.png': No such file or directory" "$ERR"
run "$BK" run --config "$WORK/logo.ini" --db "$WORK/logo.db" --headless --script /dev/null
check_eq "run with a missing logo exit" 2 "$RC"
check_contains "run with a missing logo names FILE:4" "$ERR" "$WORK/logo.ini:4: branding.logo"

# A file that looks like a PNG but does not decode costs the logo, not the
# screen: the kiosk runs, says why, and shows no plate.
printf '\211PNG\r\n\032\n truncated' >"$WORK/no-logo.png"
run "$BK" config --check "$WORK/logo.ini"
check_eq "config --check PNG-looking logo exit" 0 "$RC"
printf 'expect-screen attract\nexpect-not "#logo"\ndump "%s"\n' "$WORK/logo.json" >"$WORK/logo.script"
run "$BK" run --config "$WORK/logo.ini" --db "$WORK/logo.db" --headless --script "$WORK/logo.script"
check_eq "run with a broken logo exit" 0 "$RC"
check_contains "run with a broken logo warns" "$ERR" "branding.logo: cannot decode $WORK/no-logo.png"
check_contains "run with a broken logo goes on" "$ERR" "showing no logo"
check_contains "run with a broken logo shows attract" "$(cat "$WORK/logo.json")" '"id": "attract"'

# The bundled test logo is shown.
cp "$BK_SRC/tests/data/logo.png" "$WORK/no-logo.png"
printf 'expect-screen attract\nexpect "#logo"\n' >"$WORK/logo.script"
run "$BK" run --config "$WORK/logo.ini" --db "$WORK/logo.db" --headless --script "$WORK/logo.script"
check_eq "run with a logo exit" 0 "$RC"
check_eq "run with a logo says nothing" "" "$(printf '%s' "$ERR" | grep -v '^info: ' || :)"

# ---- languages need a catalog ----------------------------------------------
# A well-formed code without a catalog is a bad value with FILE:LINE, from
# the checker and at start alike, rather than a kiosk that will not start.
printf '[kiosk]\nid = k1\n[ui]\nlanguages = nl, ar, fr\n' >"$WORK/lang.ini"
run "$BK" config --check "$WORK/lang.ini"
check_eq "config --check language without catalog exit" 2 "$RC"
check_contains "config --check language without catalog names FILE:4" "$ERR" \
    "$WORK/lang.ini:4: ui.languages: 'fr' has no catalog"
run "$BK" run --config "$WORK/lang.ini" --db "$WORK/lang.db" --headless --script /dev/null
check_eq "run with a language without catalog exit" 2 "$RC"
check_contains "run with a language without catalog names FILE:4" "$ERR" \
    "$WORK/lang.ini:4: ui.languages: 'fr' has no catalog"
printf '[kiosk]\nid = k1\n[staff]\nlanguage = fr\n' >"$WORK/staff-lang.ini"
run "$BK" config --check "$WORK/staff-lang.ini"
check_eq "config --check staff.language without catalog exit" 2 "$RC"
check_contains "config --check staff.language names FILE:4" "$ERR" \
    "$WORK/staff-lang.ini:4: staff.language: 'fr' has no catalog"
# Every language with a catalog starts, the drafts included.
printf '[kiosk]\nid = k1\n[ui]\nlanguages = nl, en, tr, ar, pl, uk\n[staff]\nlanguage = pl\n' \
    >"$WORK/lang.ini"
run "$BK" config --check "$WORK/lang.ini"
check_eq "config --check every catalog exit" 0 "$RC"
printf 'expect-screen attract\n' >"$WORK/lang.script"
run "$BK" run --config "$WORK/lang.ini" --db "$WORK/lang.db" --headless --script "$WORK/lang.script"
check_eq "run with every catalog exit" 0 "$RC"
check_eq "run with every catalog: no string falls back to Dutch" "" \
    "$(printf '%s' "$ERR" | grep 'shown in Dutch' || :)"
# staff.language need not be offered to residents: its catalog is loaded too.
printf '[kiosk]\nid = k1\n[staff]\nlanguage = uk\n' >"$WORK/lang.ini"
run "$BK" run --config "$WORK/lang.ini" --db "$WORK/lang.db" --headless --script "$WORK/lang.script"
check_eq "run with a staff.language residents are not offered exit" 0 "$RC"

run "$BK" status --config "$EMPTY_INI" --db "$WORK/kiosk.db" --set ui.rotation=90
check_eq "--set ui.rotation=90 exit" 0 "$RC"
run "$BK" status --config "$EMPTY_INI" --db "$WORK/kiosk.db" --set ui.rotation=45
check_eq "--set ui.rotation=45 exit" 2 "$RC"
check_eq "--set ui.rotation=45 prints no status" "" "$OUT"

run "$BK" status --config "$BK_SRC/kiosk-config/minimal.ini" --db "$WORK/kiosk.db"
check_eq "--config minimal.ini exit" 0 "$RC"
run "$BK" status --config /nonexistent/kiosk.ini --db "$WORK/kiosk.db"
check_eq "--config missing exit" 2 "$RC"
check_contains "--config missing names the file" "$ERR" /nonexistent/kiosk.ini

# kiosk.hub: plain http:// only on loopback, refused at start with the reason.
run "$BK" status --config "$EMPTY_INI" --db "$WORK/kiosk.db" --hub http://192.0.2.7:8080
check_eq "--hub http:// off loopback: exit 2" 2 "$RC"
check_contains "--hub http:// off loopback: says why" "$ERR" "only on loopback"
printf '[kiosk]\nhub = http://hub.example.org\n' >"$WORK/lanhub.ini"
run "$BK" config --check "$WORK/lanhub.ini"
check_eq "config --check: http hub on the LAN: exit 2" 2 "$RC"
check_contains "config --check: names file and line" "$ERR" "lanhub.ini:2"
run "$BK" run --config "$WORK/lanhub.ini" --db "$WORK/kiosk.db" --headless --script /dev/null
check_eq "run with an http hub on the LAN does not start: exit 2" 2 "$RC"
run "$BK" status --config "$EMPTY_INI" --db "$WORK/kiosk.db" --hub http://127.0.0.1:1
check_eq "--hub http:// on loopback: exit 0" 0 "$RC"
run "$BK" status --config "$EMPTY_INI" --db "$WORK/kiosk.db" --hub https://hub.example.org
check_eq "--hub https://: exit 0" 0 "$RC"

# Quitting only by signal: the real loop (dummy video driver) ends cleanly
# on SIGTERM, with a line saying so (SDL_QUIT and window closes are ignored:
# tests/unit/test_stop.c).
"$BK" run --config "$EMPTY_INI" --db "$WORK/kiosk.db" --headless >"$WORK/loop.out" \
    2>"$WORK/loop.err" &
LOOP_PID=$!
i=0
while ! grep -q "showing" "$WORK/loop.err" && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
check_eq "the real loop is running" 0 "$(kill -0 "$LOOP_PID" 2>/dev/null; echo $?)"
kill -TERM "$LOOP_PID"
set +e
wait "$LOOP_PID"
LOOP_RC=$?
set -e
check_eq "SIGTERM ends the loop: exit 0" 0 "$LOOP_RC"
check_contains "SIGTERM: said so" "$(cat "$WORK/loop.err")" "stopping on SIGTERM"

# umask(077) at start: a database made from a shell with umask 022 (no
# systemd to set it) is readable by its owner only, and so is its WAL.
mkdir "$WORK/fresh"
run sh -c 'umask 022; exec "$0" sync --config "$1" --db "$2" --feed "file://$3"' "$BK" \
    "$EMPTY_INI" "$WORK/fresh/kiosk.db" "$BK_SRC/assets/sample-feed.json"
check_eq "sync into a fresh database: exit" 0 "$RC"
check_eq "a fresh database is 0600" 600 "$(stat -c %a "$WORK/fresh/kiosk.db")"
for f in "$WORK"/fresh/*; do
    case "$(stat -c %a "$f")" in
    600 | 700) ;;
    *) check_eq "$(basename "$f") is not world-readable" 600 "$(stat -c %a "$f")" ;;
    esac
done

summary
