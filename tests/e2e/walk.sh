#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: walk every resident screen by widget id in script mode, once in
# Dutch (the default) and once with --lang en, checking texts with expect,
# expect-screen after each navigation and expect-not where something must be
# gone; the idle warning and timeout by wait; scroll-to near the end of
# filter.all; then how a failing or malformed script ends (automation-v1).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=script_lib.sh
. "$(dirname "$0")/script_lib.sh"

kiosk_db

# strings_for LANG: the texts the walk expects, from the catalogs and the
# sample feed.
strings_for() {
    case $1 in
    nl)
        WELCOME="Welkom in het buurthuis"
        TAP_START="Tik om te beginnen"
        T_ACTIVITIES="Activiteiten"
        T_SERVICES="Hulp en advies"
        T_ANNOUNCEMENTS="Mededelingen"
        T_TODAY="Vandaag"
        T_WEEK="Deze week"
        T_ALL="Alles"
        T_BACK="Terug"
        T_HOME="Begin"
        WALK_TITLE="Wandelgroep"
        DIGI_TITLE="Digicafé: hulp met DigiD, telefoon en computer"
        DIGI_WHEN="donderdag 26 november, 10:00"
        DIGI_PLACES="nog 5 plaatsen"
        TOPIC_MZ="Mantelzorg"
        SVC_MZ="Steunpunt Mantelzorg"
        SVC_WT="Wijkteam"
        ANN_NOW="buurtbudget voor 2027"
        ANN_LATER="donderdag 24 en donderdag 31 december"
        IDLE_TITLE="Bent u er nog?"
        REPAIR_WHEN="zaterdag 20 februari"
        ;;
    en)
        WELCOME="Welcome to the community centre"
        TAP_START="Tap to start"
        T_ACTIVITIES="Activities"
        T_SERVICES="Help and advice"
        T_ANNOUNCEMENTS="Announcements"
        T_TODAY="Today"
        T_WEEK="This week"
        T_ALL="All"
        T_BACK="Back"
        T_HOME="Start"
        WALK_TITLE="Walking group"
        DIGI_TITLE="Digital café: help with DigiD, phone and computer"
        DIGI_WHEN="Thursday 26 November, 10:00"
        DIGI_PLACES="5 places left"
        TOPIC_MZ="Informal care"
        SVC_MZ="Carers' support centre"
        SVC_WT="Neighbourhood team"
        ANN_NOW="2027 neighbourhood budget"
        ANN_LATER="Thursday 24 and Thursday 31 December"
        IDLE_TITLE="Are you still there?"
        REPAIR_WHEN="Saturday 20 February"
        ;;
    esac
}

# walk_script LANG: every screen by id, then the idle warning and timeout.
# At 1280x800 (the coordinates of the one tap X Y are nav.home's there).
walk_script() {
    strings_for "$1"
    cat <<EOF
# ---- attract ----
expect-screen attract
expect "#attract"
expect "$WELCOME"
expect "$TAP_START"
expect "$WALK_TITLE"
tap "#attract"
# ---- home ----
expect-screen home
expect-not "#attract"
expect-not "$TAP_START"
expect "#home.activities"
expect "#home.services"
expect "#home.announcements"
expect "#lang.nl"
expect "#lang.en"
expect "#a11y.large"
expect "#a11y.contrast"
expect "$T_ACTIVITIES"
expect "$T_SERVICES"
expect "$T_ANNOUNCEMENTS"
expect-not "#nav.home"
expect-not "#nav.back"
dump $(script_quote "$WORK/walk-$1-home.json")
tap "#home.activities"
# ---- activities ----
expect-screen activities
expect-not "#home.activities"
expect "#nav.home"
expect "#nav.back"
expect "$T_HOME"
expect "$T_BACK"
expect "#filter.today"
expect "#filter.week"
expect "#filter.all"
expect "#filter.theme.other"
expect "$T_TODAY"
expect "$T_WEEK"
expect "$T_ALL"
expect "#activity.act-wandelgroep.20261125T1000"
expect "$WALK_TITLE"
expect "#activity.act-beweegclub-65.20261126T1000"
dump $(script_quote "$WORK/walk-$1-activities.json")
tap "#filter.today"
expect-screen activities
expect "#activity.act-wandelgroep.20261125T1000"
expect-not "#activity.act-beweegclub-65.20261126T1000"
tap "$T_WEEK"
expect "#activity.act-beweegclub-65.20261126T1000"
tap "#activity.act-digicafe.20261126T1000"
# ---- activity ----
expect-screen activity
expect "$DIGI_TITLE"
expect "$DIGI_WHEN"
expect "#activity.places"
expect "$DIGI_PLACES"
expect-not "#activity.signup"
expect-not "#filter.week"
expect "#nav.back"
tap "#nav.back"
expect-screen activities
expect-not "#activity.places"
expect-not "$DIGI_WHEN"
expect "#filter.week"
tap "#nav.home"
expect-screen home
expect-not "#nav.home"
expect-not "#filter.week"
tap "#home.services"
# ---- services ----
expect-screen services
expect "#topic.mantelzorg"
expect "#topic.geldzaken"
expect "#topic.overig"
expect "$TOPIC_MZ"
expect "#service.svc-wijkteam"
expect "$SVC_WT"
tap "#topic.mantelzorg"
expect-screen services
expect "#service.svc-steunpunt-mantelzorg"
expect "$SVC_MZ"
expect-not "#service.svc-wijkteam"
tap "#service.svc-steunpunt-mantelzorg"
# ---- service ----
expect-screen service
expect "$SVC_MZ"
expect "033-000 10 03"
expect-not "#topic.mantelzorg"
tap "#nav.back"
expect-screen services
expect-not "033-000 10 03"
expect "#topic.mantelzorg"
tap "#nav.home"
expect-screen home
tap "#home.announcements"
# ---- announcements ----
expect-screen announcements
expect "$T_ANNOUNCEMENTS"
expect "$ANN_NOW"
expect-not "$ANN_LATER"
tap "#nav.back"
expect-screen home
expect-not "$ANN_NOW"
# ---- idle warning and timeout (ui.idle_warn_s 90, ui.idle_countdown_s 30) ----
tap "$T_ACTIVITIES"
expect-screen activities
tap "#a11y.large"
dump $(script_quote "$WORK/walk-$1-large.json")
wait 89000
expect-not "#idle.stay"
wait 2000
expect "#idle.stay"
expect "$IDLE_TITLE"
expect-not "#filter.week"
expect-screen activities
tap "#idle.stay"
expect-not "#idle.stay"
expect-not "$IDLE_TITLE"
expect "#filter.week"
expect-screen activities
wait 91000
expect "#idle.stay"
tap 217 47
expect-not "#idle.stay"
expect-screen activities
wait 119000
expect-screen activities
expect "#idle.stay"
wait 2000
expect-screen attract
expect-not "#idle.stay"
expect "Welkom in het buurthuis"
tap "#attract"
expect-screen home
expect "Activiteiten"
dump $(script_quote "$WORK/walk-$1-reset.json")
EOF
}

# ---- the walk, in both languages ---------------------------------------------
for lang in nl en; do
    walk_script "$lang" >"$WORK/walk-$lang.script"
    if [ "$lang" = nl ]; then
        kiosk "$WORK/walk-$lang.script"
    else
        kiosk "$WORK/walk-$lang.script" --lang en
    fi
    check_eq "walk $lang: exit status" 0 "$RC"
    if [ "$RC" -ne 0 ]; then
        line=$(first_line_of "$ERR" '^[0-9]+: ')
        n=${line%%:*}
        printf 'walk %s stopped at line %s: %s\n' "$lang" "$n" \
            "$(sed -n "${n:-0}p" "$WORK/walk-$lang.script" 2>/dev/null || :)" >&2
        printf '%s\n' "$ERR" >&2
        continue
    fi
    # The toggles as the dumps saw them: on before the timeout, back to the
    # config's values (off) after it, and the language back to nl.
    check_eq "walk $lang: a11y.large on after the tap" true \
        "$(dump_field "$WORK/walk-$lang-large.json" a11y.large checked)"
    check_eq "walk $lang: a11y.large off after the timeout" false \
        "$(dump_field "$WORK/walk-$lang-reset.json" a11y.large checked)"
    check_eq "walk $lang: lang.nl checked after the timeout" true \
        "$(dump_field "$WORK/walk-$lang-reset.json" lang.nl checked)"
    check_eq "walk $lang: lang.en unchecked after the timeout" false \
        "$(dump_field "$WORK/walk-$lang-reset.json" lang.en checked)"
    check_eq "walk $lang: lang.$lang checked at the start" true \
        "$(dump_field "$WORK/walk-$lang-home.json" "lang.$lang" checked)"
    check_eq "walk $lang: filter.week checked as activities opens" true \
        "$(dump_field "$WORK/walk-$lang-activities.json" filter.week checked)"
done

# ---- the list is ordered by start, then title in the current language ----------
# On Thursday 26 November at 10:00 start both the Beweegclub 65+ (en:
# Exercise club 65+) and the Digicafé (en: Digital café).
item_y() {
    dump_rect "$1" "$2" | cut -d ' ' -f 2
}
if [ -f "$WORK/walk-nl-activities.json" ] && [ -f "$WORK/walk-en-activities.json" ]; then
    by=$(item_y "$WORK/walk-nl-activities.json" activity.act-beweegclub-65.20261126T1000)
    dy=$(item_y "$WORK/walk-nl-activities.json" activity.act-digicafe.20261126T1000)
    check_eq "nl: Beweegclub before Digicafé" yes "$([ "${by:-0}" -lt "${dy:-0}" ] && echo yes || echo "no ($by, $dy)")"
    by=$(item_y "$WORK/walk-en-activities.json" activity.act-beweegclub-65.20261126T1000)
    dy=$(item_y "$WORK/walk-en-activities.json" activity.act-digicafe.20261126T1000)
    check_eq "en: Digital café before Exercise club" yes "$([ "${dy:-0}" -lt "${by:-0}" ] && echo yes || echo "no ($dy, $by)")"
fi

# ---- dump: reading order ---------------------------------------------------------
# automation-v1: "dump writes a JSON array, in reading order". On home the
# language toggles share a row (Nederlands left of English) and the footer
# with the a11y toggles lies below the three buttons.
if [ -f "$WORK/walk-nl-home.json" ]; then
    ids=$(sed -n -e 's/^ *"id": *"\([^"]*\)",*$/\1/p' "$WORK/walk-nl-home.json" | tr '\n' ' ')
    order() {
        printf '%s\n' "$ids" | tr ' ' '\n' | grep -n -x -e "$1" | cut -d: -f1
    }
    check_eq "dump reading order: lang.nl before lang.en ($ids)" yes \
        "$([ "$(order lang.nl)" -lt "$(order lang.en)" ] && echo yes || echo no)"
    check_eq "dump reading order: home.services before a11y.large ($ids)" yes \
        "$([ "$(order home.services)" -lt "$(order a11y.large)" ] && echo yes || echo no)"
fi

# ---- scroll-to near the end of filter.all, and tap it -----------------------------
# The Repair Café of Saturday 20 February 2027 is among the last items of the
# 90 days (the list ends on 22 February). At 1080x1920 it lies within
# scroll-to's reach of 50 half-viewport swipes from the top; at 1280x800 the
# sample feed's ~214 occurrences are longer than that reach, so there a
# few flings come first.
for lang in nl en; do
    strings_for "$lang"
    cat >"$WORK/scroll-$lang.script" <<EOF
tap "#attract"
tap "#home.activities"
expect-screen activities
tap "#filter.all"
expect-not "#activity.act-repaircafe.20270220T1000"
scroll-to "#activity.act-repaircafe.20270220T1000"
dump $(script_quote "$WORK/scroll-$lang.json")
tap "#activity.act-repaircafe.20270220T1000"
expect-screen activity
expect "Repair Café"
expect "$REPAIR_WHEN"
tap "#nav.back"
expect-screen activities
EOF
    kiosk "$WORK/scroll-$lang.script" --size 1080x1920 --lang "$lang"
    check_eq "scroll-to near the end, 1080x1920, $lang: exit status ($ERR)" 0 "$RC"
    if [ "$RC" -eq 0 ]; then
        # Fully inside the list's viewport after scroll-to.
        # shellcheck disable=SC2046
        set -- $(dump_rect "$WORK/scroll-$lang.json" activity.act-repaircafe.20270220T1000) \
            $(dump_rect "$WORK/scroll-$lang.json" activities.list)
        if [ $# -eq 8 ] && [ "$2" -ge "$6" ] && [ $(($2 + $4)) -le $(($6 + $8)) ]; then
            pass
        else
            fail "scroll-to $lang: item not fully inside the list: item+list rects [$*]"
        fi
    fi
done
{
    echo 'tap "#attract"'
    echo 'tap "#home.activities"'
    echo 'tap "#filter.all"'
    # expect builds the frame first: see the swipe check below.
    echo 'expect "#filter.all"'
    for _i in 1 2 3 4 5 6 7 8 9 10 11 12; do
        echo 'swipe 640 700 640 290 300'
        echo 'wait 3000'
    done
    echo 'scroll-to "#activity.act-repaircafe.20270220T1000"'
    echo 'tap "#activity.act-repaircafe.20270220T1000"'
    echo 'expect-screen activity'
    echo 'expect "zaterdag 20 februari"'
} >"$WORK/scroll-fling.script"
kiosk "$WORK/scroll-fling.script"
check_eq "flings then scroll-to near the end, 1280x800: exit status ($ERR)" 0 "$RC"

# ---- swipe scrolls the list right after a navigation ------------------------------
# A swipe is a finger drag like any other: it must move the list also when
# it is the first step after the list appeared.
cat >"$WORK/swipe.script" <<'EOF'
tap "#attract"
tap "#home.activities"
swipe 640 700 640 290 300
wait 3000
expect-screen activities
expect-not "#activity.act-wandelgroep.20261125T1000"
EOF
kiosk "$WORK/swipe.script"
check_eq "swipe right after the list appeared scrolls it ($ERR)" 0 "$RC"

# ---- a failing step: exit 1, "LINE: reason" on stderr, nothing after it runs ----
cat >"$WORK/fail-expect.script" <<EOF
# comments and blank lines count as lines

tap "#attract"
expect-screen home
expect "Deze tekst staat nergens"
screenshot $(script_quote "$WORK/after-fail.png")
EOF
kiosk "$WORK/fail-expect.script"
check_eq "failing expect: exit status" 1 "$RC"
line=$(first_line_of "$ERR" '^[0-9]+: ')
check_match "failing expect: stderr names line 5" "$line" '5: *'
check_contains "failing expect: stderr names the text" "$line" "Deze tekst staat nergens"
check_eq "failing expect: later steps do not run" no "$([ -e "$WORK/after-fail.png" ] && echo yes || echo no)"

# failing_step NAME LINE STEP...: a script of the given lines fails at LINE.
failing_step() {
    _name=$1
    _line=$2
    shift 2
    printf '%s\n' "$@" >"$WORK/fail.script"
    kiosk "$WORK/fail.script"
    check_eq "$_name: exit status" 1 "$RC"
    check_match "$_name: stderr names line $_line" "$(first_line_of "$ERR" '^[0-9]+: ')" "$_line: ?*"
}
failing_step "expect-screen on the wrong screen" 2 'tap "#attract"' 'expect-screen activities'
failing_step "expect-not of a visible id" 3 'tap "#attract"' '# a comment' 'expect-not "#home.services"'
failing_step "expect-not of a visible text" 1 'expect-not "Tik om te beginnen"'
failing_step "tap of a missing id" 2 'tap "#attract"' 'tap "#home.nothing"'
failing_step "tap of a missing label" 2 'tap "#attract"' 'tap "Bestaat niet"'
failing_step "scroll-to a missing item" 3 'tap "#attract"' 'tap "#home.activities"' 'scroll-to "#activity.none.20261125T1000"'
failing_step "tap on a widget under the idle warning" 4 'tap "#attract"' 'wait 91000' 'expect "#idle.stay"' 'tap "#home.activities"'

# ---- a malformed script: exit 2 before any step runs ------------------------------
bad_script() {
    _name=$1
    _line=$2
    shift 2
    printf '%s\n' "screenshot $(script_quote "$WORK/bad-ran.png")" "$@" >"$WORK/bad.script"
    rm -f "$WORK/bad-ran.png"
    kiosk "$WORK/bad.script"
    check_eq "$_name: exit status" 2 "$RC"
    # "LINE: reason", possibly after the file's name ("FILE: LINE: reason"
    # or "FILE:LINE: reason").
    _msg=$(first_line_of "$ERR" "(^|:) ?$_line: ")
    check_match "$_name: stderr names line $_line ($ERR)" "$_msg" "*$_line: ?*"
    check_contains "$_name: stderr names the script" "$_msg" "$WORK/bad.script"
    check_eq "$_name: no step ran" no "$([ -e "$WORK/bad-ran.png" ] && echo yes || echo no)"
}
bad_script "unknown step" 3 'tap "#attract"' 'frobnicate 3'
bad_script "unterminated string" 2 'expect "#attract'
bad_script "wait without a number" 2 'wait soon'
bad_script "tap with one coordinate" 3 '# c' 'tap 10'
bad_script "unknown screen name" 2 'expect-screen nowhere'

# ---- the command line around a script ------------------------------------------
kiosk "$WORK/no-such.script"
check_eq "missing script file: exit status" 2 "$RC"
check_contains "missing script file: named on stderr" "$ERR" "$WORK/no-such.script"
printf 'expect-screen attract\n' >"$WORK/ok.script"
kiosk "$WORK/ok.script" --lang fr
check_eq "--lang fr (not in ui.languages) is a bad command line: exit status" 2 "$RC"
check_contains "--lang fr: named on stderr" "$ERR" "--lang fr"

summary
