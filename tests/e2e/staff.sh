#!/bin/sh
# Staff mode by script (automation-v1 "The staff gesture", staff-pin and
# staff ids): the gesture, five wrong PINs and the lockout, kept in the
# database across restarts with a growing back-off, the right PIN,
# sync now, hiding an item (gone from the resident screens, back after
# unhiding), a local announcement on attract, leaving; and opening hours:
# outside them the screen is dark and a tap wakes it.
set -eu
. "$BK_SRC/tests/e2e/lib.sh"
. "$BK_SRC/tests/e2e/script_lib.sh"

kiosk_db
# A staff PIN has at least 6 digits: hash-pin refuses shorter ones.
for short in 1 2468 24681; do
    run sh -c "printf '%s\n' $short | \"\$0\" hash-pin" "$BK"
    check_eq "hash-pin refuses $short: exit 2" 2 "$RC"
    check_contains "hash-pin refuses $short: says why" "$ERR" "6 to 12 digits"
done
pin_hash=$(printf '246813\n' | "$BK" hash-pin)
printf '[staff]\npin_hash = %s\n' "$pin_hash" >"$WORK/staff.ini"
KCONF=$WORK/staff.ini

wrong_pin='tap "#pin.1"
tap "#pin.1"
tap "#pin.1"
tap "#pin.1"
tap "#pin.1"
tap "#pin.1"
tap "#pin.ok"'
right_pin='tap "#pin.2"
tap "#pin.4"
tap "#pin.6"
tap "#pin.8"
tap "#pin.1"
tap "#pin.3"
tap "#pin.ok"'

# Five wrong PINs lock the pad for 5 minutes; then the kiosk stops (a
# restart or a power cut).
cat >"$WORK/lock.script" <<SCRIPT
# The gesture: 5 s still in the top-left corner.
hold 10 10 5000
expect-screen staff-pin
$wrong_pin
expect "#staff.pin.message"
$wrong_pin
$wrong_pin
$wrong_pin
$wrong_pin
dump "$WORK/locked.json"
tap "#pin.cancel"
expect-screen attract
SCRIPT
kiosk "$WORK/lock.script" --config "$KCONF"
check_eq "lock script exit status" 0 "$RC"
check_eq "lock script: no step failed" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"
check_eq "the pad is locked after five wrong PINs" false "$(dump_field "$WORK/locked.json" pin.ok enabled)"
check_contains "the lock message" "$(dump_field "$WORK/locked.json" staff.pin.message label)" "om 10:0"
db=$WORK/run$KRUN/kiosk.db
check_eq "the count is in the database" 5 \
    "$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'pin_failures'")"

# Restarted at the same moment: still locked (no key can be pressed).
cat >"$WORK/restart.script" <<SCRIPT
hold 10 10 5000
expect-screen staff-pin
dump "$WORK/still-locked.json"
tap "#pin.cancel"
# After the 5 minutes: one more wrong PIN locks for 10 minutes.
wait 310000
hold 10 10 5000
$wrong_pin
dump "$WORK/locked-again.json"
tap "#pin.cancel"
SCRIPT
run "$BK" run --config "$KCONF" --db "$db" --headless --size 1280x800 --now "$NOW" \
    --script "$WORK/restart.script"
check_eq "restart script exit status" 0 "$RC"
check_eq "restart script: no step failed" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"
check_eq "still locked after a restart" false "$(dump_field "$WORK/still-locked.json" pin.5 enabled)"
check_eq "the sixth wrong PIN locks again" false "$(dump_field "$WORK/locked-again.json" pin.ok enabled)"
check_eq "six in a row" 6 "$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'pin_failures'")"
check_contains "the log says for how long" "$ERR" "locked for 600 s after 6 wrong PINs"

# Restarted again: 500 s on (clock from --now plus the script's waits) still
# locked; after the 10 minutes, the right PIN opens staff mode and clears
# the count.
cat >"$WORK/staff.script" <<SCRIPT
wait 500000
hold 10 10 5000
dump "$WORK/locked-100s.json"
tap "#pin.cancel"
wait 110000
hold 10 10 5000
$right_pin
expect-screen staff
expect "#staff.sync"
tap "#staff.sync"
expect "#staff.info.0"
tap "#staff.items"
tap "#staff.hide.activity.act-beweegclub-65"
tap "#staff.items.done"
tap "#staff.announce"
type "zaal dicht"
tap "#staff.announce.days.7"
tap "#staff.announce.save"
tap "#staff.exit"
expect-screen attract
expect "zaal dicht"
tap "#attract"
tap "#home.activities"
expect-screen activities
expect "Wandelgroep"
expect-not "Beweegclub 65+"
SCRIPT
NOW2=$(date -d "@$(($(date -d "$NOW" +%s) + 310))" +%FT%T%:z)
run "$BK" run --config "$KCONF" --db "$db" --headless --size 1280x800 --now "$NOW2" \
    --script "$WORK/staff.script"
check_eq "staff script exit status" 0 "$RC"
check_eq "no step failed" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"
check_eq "locked 500 s into the 10 minutes" false \
    "$(dump_field "$WORK/locked-100s.json" pin.ok enabled)"
check_eq "the right PIN clears the count" "" \
    "$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'pin_failures'")"

# Unhiding brings it back (same database: the choice is kept).
cat >"$WORK/unhide.script" <<SCRIPT
hold 10 10 5000
$right_pin
tap "#staff.items"
tap "#staff.hide.activity.act-beweegclub-65"
tap "#staff.items.done"
tap "#staff.exit"
tap "#attract"
tap "#home.activities"
expect "Beweegclub 65+"
SCRIPT
run "$BK" run --config "$KCONF" --db "$db" --headless --now "$NOW" --script "$WORK/unhide.script"
check_eq "unhide script exit status" 0 "$RC"
run "$BK" status --config "$KCONF" --db "$db"
check_match "staff actions are counted" "$(jget staff_actions "$OUT")" "[1-9]*"

# Opening hours: closed at 10:00 on a Wednesday; a tap wakes it.
printf '[display]\nschedule = mo-fr 13:00-17:00\n' >"$WORK/hours.ini"
cat >"$WORK/hours.script" <<SCRIPT
expect-screen off
dump "$WORK/off.json"
tap 640 400
expect-screen attract
wait 301000
expect-screen off
SCRIPT
kiosk "$WORK/hours.script" --config "$WORK/hours.ini"
check_eq "opening hours script exit status" 0 "$RC"
check_eq "the dark screen has one widget" 1 "$(grep -c '"id"' "$WORK/off.json")"

summary
