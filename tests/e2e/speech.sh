#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: read-aloud through automation-v1's words only. The kiosk
# runs a script headless with --speech-log and SDL's disk audio driver:
#   - a11y.speak on home: the home screen is said (the log's first lines
#     are the dump's labels in order) and a11y.volume appears;
#   - a first tap on a target says its label and leaves the screen as it
#     is; a second tap on it opens it, and the new screen is said;
#   - the kiosk plays that out before it exits: the disk driver's file
#     holds non-silent 16-bit samples;
#   - the idle reset ends read-aloud: no a11y.volume, a single tap acts.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=script_lib.sh
. "$(dirname "$0")/script_lib.sh"

kiosk_db

# loud FILE: how many samples of a raw 16-bit file are far from silence.
loud() {
    od -An -v -td2 -w2 "$1" | awk '{ v = $1 < 0 ? -$1 : $1; if (v > 300) n++ } END { print n + 0 }'
}

# label FILE ID: the widget's label in a dump.
label() {
    dump_field "$1" "$2" label | sed -e 's/^"//' -e 's/"$//'
}

LOG=$WORK/speech.log
RAW=$WORK/audio.raw
cat >"$WORK/tap.script" <<EOF
tap "#attract"
expect-not "#a11y.volume"
tap "#a11y.speak"
expect "#a11y.volume"
dump "$WORK/home.json"
tap "#home.announcements"
expect-screen home
tap "#home.announcements"
expect-screen announcements
dump "$WORK/announcements.json"
EOF
export SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$RAW"
started=$(date +%s)
kiosk "$WORK/tap.script" --speech-log "$LOG" --set ui.languages=nl,en,tr,ar,pl,uk
ended=$(date +%s)
check_eq "tap script exit ($ERR)" 0 "$RC"
if [ $((ended - started)) -le 15 ]; then pass; else fail "speech took $((ended - started)) s to play out (at most 10 s)"; fi
log=$(cat "$LOG")

# The home screen, said in the dump's order: title first, then the
# languages (each in its own voice), the tiles, the footer.
check_eq "first utterance: the home title" "nl	$(label "$WORK/home.json" title)" \
    "$(sed -n 1p "$LOG")"
check_contains "Türkçe in Turkish's voice" "$log" "tr	Türkçe"
check_contains "Arabic's name in its voice" "$log" "ar	العربية"
# The first tap said the target's label; the screen stayed home.
tile=$(label "$WORK/home.json" home.announcements)
check_contains "first tap says the label" "$log" "nl	$tile"
# The second tap opened the screen, which said its title.
check_contains "the new screen is said" "$log" "nl	$(label "$WORK/announcements.json" title)"
check_eq "every line is LANG<TAB>TEXT" 0 "$(grep -cv '^[a-z][a-z]	.' "$LOG" || :)"

# Heard: the disk driver's file holds speech, not only silence.
n=$(loud "$RAW")
check_match "non-silent samples in the disk file ($n)" "$n" '[1-9][0-9][0-9][0-9]*'

# The idle reset ends read-aloud; a single tap acts again.
cat >"$WORK/idle.script" <<EOF
tap "#attract"
tap "#a11y.speak"
expect "#a11y.volume"
wait 600000
expect-screen attract
tap "#attract"
expect-screen home
expect-not "#a11y.volume"
tap "#home.services"
expect-screen services
EOF
kiosk "$WORK/idle.script" --speech-log "$WORK/idle.log"
check_eq "idle script exit ($ERR)" 0 "$RC"

# A speech log that cannot be written is refused.
kiosk "$WORK/idle.script" --speech-log "$WORK/no/such/dir/speech.log"
check_eq "unwritable speech log" 1 "$RC"
check_contains "says which option" "$ERR" "--speech-log"

summary
