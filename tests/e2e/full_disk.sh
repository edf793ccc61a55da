#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# A full disk never blanks the screen and never loses a sign-up. The
# kiosk's data directory is a real 4 MiB filesystem (tmpfs), filled to the
# last byte after the first sync:
# - the kiosk still starts and shows the cached activities (read-only);
# - a sync says why it cannot apply and keeps the cache as it was;
# - a resident's sign-up is not promised: the form says it could not be
#   saved and keeps what was typed, and nothing half-written is left;
# - with room again the same sign-up goes through and reaches the real
#   buurthub exactly once;
# - buurthub itself on a full disk answers a sign-up with a temporary 503
#   and Retry-After, and takes it once there is room.
# Exit 77 (skipped) without BUURTHUB, or where a filesystem cannot be
# mounted (not root).
set -eu
E2E_NEED_BK=1
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

DISK=$WORK/disk
mkdir -p "$DISK"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=4m,mode=0755 tmpfs "$DISK" 2>/dev/null; then
    echo "cannot mount a small filesystem here (needs root): skipped"
    exit 77
fi
trap 'umount "$DISK" 2>/dev/null || :; hub_cleanup' EXIT

make_feed "$WORK/feed.json"
HUBDB=$WORK/hub.db
run "$HUB" import --db "$HUBDB" "$WORK/feed.json"
check_eq "hub import" 0 "$RC"
"$HUB" kiosk add --db "$HUBDB" kiosk-vol >"$WORK/token"
start_hub "$HUBDB"
printf '[kiosk]\nid = kiosk-vol\nhub = %s\ntoken_file = %s\n' "$URL" "$WORK/token" \
    >"$WORK/kiosk.ini"
KDB=$DISK/kiosk.db
run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB"
check_contains "first sync applies the hub's feed" "$OUT" "feed: applied"
activities=$(jget activities "$("$BK" status --config "$WORK/kiosk.ini" --db "$KDB")")
check_eq "activities cached" 6 "$activities"

# Fill the filesystem to the last byte.
dd if=/dev/zero of="$DISK/filler" bs=4096 2>/dev/null || :
check_eq "the disk is full" 0 "$(df --output=avail "$DISK" | tail -n 1 | tr -d ' ')"

# A new feed cannot be applied: the sync says why and changes nothing.
sed 's/Voor iedereen/Voor iedereen, vernieuwd/' "$WORK/feed.json" >"$WORK/feed2.json"
run "$HUB" import --db "$HUBDB" "$WORK/feed2.json"
check_eq "hub import of a new version" 0 "$RC"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB"
check_eq "sync on a full disk exits 1" 1 "$RC"
check_contains "sync says the disk is full" "$OUT" "disk is full or read-only"
run "$BK" status --config "$WORK/kiosk.ini" --db "$KDB"
check_eq "status still reads the cache" 0 "$RC"
check_eq "the cache is as it was" "$activities" "$(jget activities "$OUT")"
check_eq "status says it is read-only" true "$(jget read_only "$OUT")"

STAMP=$(TZ=Europe/Amsterdam date -d "$(occ 0 10:00)" +%Y%m%dT%H%M)
NOW=$(rfc '+0 minutes')
cat >"$WORK/form.steps" <<SCRIPT
tap "#attract"
tap "#home.activities"
expect-screen activities
expect "Koffie"
tap "#filter.all"
tap "#activity.act-open.$STAMP"
tap "#activity.signup"
expect-screen signup
type "Jan Vol-Schijf"
tap "#field.phone"
type "0612345678"
tap "#signup.consent"
tap "#signup.submit"
SCRIPT
cp "$WORK/form.steps" "$WORK/full.script"
cat >>"$WORK/full.script" <<SCRIPT
expect-screen signup
expect "#signup.error.store"
expect "Jan Vol-Schijf"
screenshot "$WORK/full.png"
SCRIPT
run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless --now "$NOW" \
    --script "$WORK/full.script"
check_eq "the kiosk runs on a full disk (script exit status)" 0 "$RC"
check_eq "no step failed" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"
check_contains "it says it shows the cache read-only" "$ERR" "showing the cache read-only"
check_eq "a frame was drawn" true "$([ -s "$WORK/full.png" ] && echo true || echo false)"
run "$HUB" signups --db "$HUBDB" --csv
check_eq "nothing reached the hub" 0 "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c . || :)"

# The kiosk as systemd runs it (with its network thread): it keeps running
# on the full disk, and restarts by itself (exit 0, for Restart=always) at
# the first sync after room was made.
INVOCATION_ID=e2e-full-disk "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless \
    --set sync.interval_s=30 >"$WORK/service.out" 2>"$WORK/service.err" &
KIOSK_PID=$!
sleep 3
check_eq "the kiosk keeps running on a full disk" running \
    "$(kill -0 "$KIOSK_PID" 2>/dev/null && echo running || echo stopped)"
rm -f "$DISK/filler"
i=0
while kill -0 "$KIOSK_PID" 2>/dev/null && [ $i -lt 450 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$KIOSK_PID" 2>/dev/null; then
    kill "$KIOSK_PID"
    fail "the kiosk did not restart within 45 s of the disk having room"
fi
set +e
wait "$KIOSK_PID"
service_rc=$?
set -e
check_eq "it exits 0 to be restarted" 0 "$service_rc"
check_contains "it says why" "$(cat "$WORK/service.err")" "the disk has room again"
run "$HUB" kiosks --db "$HUBDB"
check_contains "its heartbeat told the hub" "$OUT" "disk is full or read-only"

# Room again: the same sign-up goes through and reaches the hub once.
cp "$WORK/form.steps" "$WORK/room.script"
cat >>"$WORK/room.script" <<SCRIPT
expect-screen signup-done
sync
tap "#signup.done"
SCRIPT
run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless --now "$NOW" \
    --script "$WORK/room.script"
check_eq "with room the sign-up works (script exit status)" 0 "$RC"
check_eq "no step failed with room" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"
check_not_contains "writable again" "$ERR" "read-only"
run "$HUB" signups --db "$HUBDB" --csv
rows=$(printf '%s\n' "$OUT" | tail -n +2)
check_eq "exactly one sign-up at the hub" 1 "$(printf '%s\n' "$rows" | grep -c . || :)"
check_contains "the resident's name" "$rows" "Jan Vol-Schijf"
run "$BK" status --config "$WORK/kiosk.ini" --db "$KDB"
check_eq "kiosk: confirmed" 1 "$(jget outbox_confirmed "$OUT")"
check_eq "kiosk: nothing pending" 0 "$(jget outbox_pending "$OUT")"
check_eq "status: writable again" false "$(jget read_only "$OUT")"
stop_hub

# The hub on a full disk: a sign-up it cannot store is a temporary 503
# with Retry-After (the kiosk keeps it), and is taken once there is room.
FULL_HUBDB=$DISK/hub.db
run "$HUB" import --db "$FULL_HUBDB" "$WORK/feed.json"
check_eq "second hub import" 0 "$RC"
TOKEN=$("$HUB" kiosk add --db "$FULL_HUBDB" kiosk-vol)
start_hub "$FULL_HUBDB"
dd if=/dev/zero of="$DISK/filler" bs=4096 2>/dev/null || :
check_eq "the disk is full again" 0 "$(df --output=avail "$DISK" | tail -n 1 | tr -d ' ')"
SIGNUP=$(signup_body "$(new_uuid)" kiosk-vol act-open "$(occ 0 10:00)" 1 false "" "Piet Vol-Hub")
http POST /kiosk/v1/signups "$TOKEN" "$SIGNUP"
check_eq "hub on a full disk: 503" 503 "$CODE"
check_eq "hub on a full disk: Retry-After" 120 "$(header Retry-After)"
check_contains "hub on a full disk: says why" "$BODY" "cannot store sign-ups now"
rm -f "$DISK/filler"
http POST /kiosk/v1/signups "$TOKEN" "$SIGNUP"
check_eq "hub with room: 201" 201 "$CODE"
check_eq "hub with room: confirmed" '{"status":"confirmed"}' "$BODY"
check_not_contains "the hub's log holds no name" "$(cat "$WORK/hub.err")" "Piet Vol-Hub"
stop_hub

# A cache from before 16 KiB pages meets a full disk at a start: the
# kiosk shows it read-only, as any cache on a full disk, and does not try
# to rewrite it (store.c, convert_page_size); with room again the next
# start rewrites it.
rm -f "$FULL_HUBDB" "$KDB" "$KDB-wal" "$KDB-shm"
OLD=$DISK/old.db
run "$BK" sync --config "$WORK/kiosk.ini" --db "$OLD" --feed "file://$WORK/feed.json"
check_contains "older cache: filled from the feed file" "$OUT" "feed: applied"
sqlite3 "$OLD" "PRAGMA journal_mode=DELETE; PRAGMA page_size=4096; VACUUM;
                PRAGMA journal_mode=WAL;" >/dev/null
check_eq "older cache: 4 KiB pages" 4096 "$(sqlite3 "$OLD" 'PRAGMA page_size')"
dd if=/dev/zero of="$DISK/filler" bs=4096 2>/dev/null || :
check_eq "the disk is full a third time" 0 "$(df --output=avail "$DISK" | tail -n 1 | tr -d ' ')"
run "$BK" status --config "$WORK/kiosk.ini" --db "$OLD"
check_eq "older cache on a full disk: status works" 0 "$RC"
check_eq "older cache on a full disk: the activities" "$activities" "$(jget activities "$OUT")"
check_contains "older cache on a full disk: read-only, and says so" "$ERR" \
    "showing the cache read-only"
check_not_contains "older cache on a full disk: no rewrite" "$ERR" "rewritten"
rm -f "$DISK/filler"
check_eq "older cache after the failed rewrite: still 4 KiB pages" 4096 \
    "$(sqlite3 "$OLD" 'PRAGMA page_size')"
check_eq "older cache after the failed rewrite: intact" ok \
    "$(sqlite3 "$OLD" 'PRAGMA integrity_check')"
run "$BK" status --config "$WORK/kiosk.ini" --db "$OLD"
check_contains "with room: rewritten" "$ERR" "rewritten as pages of 16384 bytes"
check_eq "with room: the activities" "$activities" "$(jget activities "$OUT")"
check_eq "with room: 16 KiB pages" 16384 "$(sqlite3 "$OLD" 'PRAGMA page_size')"
check_eq "with room: in WAL again" wal "$(sqlite3 "$OLD" 'PRAGMA journal_mode')"
summary
