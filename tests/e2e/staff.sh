#!/bin/sh
# Staff mode by script (automation-v1 "The staff gesture", staff-pin and
# staff ids): the gesture, five wrong PINs and the lockout, the right PIN,
# sync now, hiding an item (gone from the resident screens, back after
# unhiding), a local announcement on attract, leaving; and opening hours:
# outside them the screen is dark and a tap wakes it.
set -eu
. "$BK_SRC/tests/e2e/lib.sh"
. "$BK_SRC/tests/e2e/script_lib.sh"

kiosk_db
pin_hash=$(printf '2468\n' | "$BK" hash-pin)
printf '[staff]\npin_hash = %s\n' "$pin_hash" >"$WORK/staff.ini"
KCONF=$WORK/staff.ini

wrong_pin='tap "#pin.1"
tap "#pin.1"
tap "#pin.1"
tap "#pin.1"
tap "#pin.ok"'

cat >"$WORK/staff.script" <<SCRIPT
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
# Locked for five minutes, also after leaving the pad.
wait 240000
hold 10 10 5000
expect-screen staff-pin
dump "$WORK/still-locked.json"
tap "#pin.cancel"
wait 61000
hold 10 10 5000
tap "#pin.2"
tap "#pin.4"
tap "#pin.6"
tap "#pin.8"
tap "#pin.ok"
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

kiosk "$WORK/staff.script" --config "$KCONF"
check_eq "staff script exit status" 0 "$RC"
check_eq "no step failed" "" "$(printf '%s' "$ERR" | grep -E '^[0-9]+: ' || :)"
check_eq "the pad is locked after five wrong PINs" false "$(dump_field "$WORK/locked.json" pin.ok enabled)"
check_eq "still locked after 4 minutes" false "$(dump_field "$WORK/still-locked.json" pin.5 enabled)"
check_contains "the lock message" "$(dump_field "$WORK/locked.json" staff.pin.message label)" "om 10:0"

# Unhiding brings it back (same database: the choice is kept).
db=$WORK/run$KRUN/kiosk.db
cat >"$WORK/unhide.script" <<SCRIPT
hold 10 10 5000
tap "#pin.2"
tap "#pin.4"
tap "#pin.6"
tap "#pin.8"
tap "#pin.ok"
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
