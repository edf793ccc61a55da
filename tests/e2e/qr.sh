#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Take-home codes (issue 11): the real kiosk, headless, takes a screenshot
# of a detail screen and zbarimg (Debian's zbar-tools) reads the QR code
# back from the PNG: an activity with a url (the url itself), one without
# (an iCalendar event of the occurrence shown), a service with and without
# a url (the url, a vCard), and the code after a sign-up (an event with the
# activity only, never the resident's name or phone). Read at 800x480,
# 1280x800 and 1080x1920, in Dutch and in Arabic (mirrored frame).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=script_lib.sh
. "$(dirname "$0")/script_lib.sh"

if ! command -v zbarimg >/dev/null 2>&1; then
    fail "zbarimg not found: install zbar-tools (deps/debian-packages.txt)"
    summary
fi

kiosk_db
ALL_LANGS="--set ui.languages=nl,en,tr,ar,pl,uk"

# code_of NAME SCRIPT [OPTION ...]: runs SCRIPT (its screenshot goes to
# $WORK/NAME.png) and sets CODE to what zbarimg reads there, CR removed,
# and LINES to the same unfolded (RFC 5545 3.1: CRLF + space removed).
code_of() {
    _name=$1
    _script=$2
    shift 2
    kiosk "$_script" "$@"
    check_eq "$_name: script runs ($ERR)" 0 "$RC"
    CODE=$(zbarimg --raw -q "$WORK/$_name.png" 2>/dev/null | tr -d '\r' || :)
    if [ -z "$CODE" ]; then
        fail "$_name: zbarimg reads no code in $WORK/$_name.png"
    fi
    LINES=$(printf '%s\n' "$CODE" | awk 'NR > 1 && /^ / { printf "%s", substr($0, 2); next }
        NR > 1 { printf "\n" } { printf "%s", $0 } END { printf "\n" }')
    # a kept copy for a look when something fails
    if [ -n "${BK_QR_KEEP:-}" ]; then
        mkdir -p "$BK_QR_KEEP" && cp "$WORK/$_name.png" "$BK_QR_KEEP/"
    fi
}

# ---- an activity without a url: the occurrence as an event ----------------
for size in 800x480 1280x800 1080x1920; do
    for lang in nl ar; do
        name=digicafe-$lang-$size
        cat >"$WORK/$name.script" <<SCRIPT
tap "#attract"
tap "#lang.$lang"
tap "#home.activities"
tap "#activity.act-digicafe.20261126T1000"
expect-screen activity
expect "#activity.qr"
screenshot "$WORK/$name.png"
SCRIPT
        # shellcheck disable=SC2086
        code_of "$name" "$WORK/$name.script" --size "$size" $ALL_LANGS
        check_contains "$name: a calendar" "$CODE" "BEGIN:VCALENDAR
VERSION:2.0"
        check_contains "$name: an event" "$CODE" "BEGIN:VEVENT"
        check_contains "$name: the occurrence shown, in the kiosk's zone" "$CODE" \
            "DTSTART;TZID=Europe/Amsterdam:20261126T100000
DTEND;TZID=Europe/Amsterdam:20261126T120000"
        check_contains "$name: one UID per occurrence" "$CODE" \
            "UID:act-digicafe-20261126T090000Z@buurtkiosk"
        check_contains "$name: DTSTAMP at --now" "$CODE" "DTSTAMP:20261125T090000Z"
        check_contains "$name: the place, escaped" "$LINES" \
            "LOCATION:Bibliotheek Schothorst (voorbeeld)\\, Boekweitplein 5\\, 3817 MN Amersfoort"
        check_contains "$name: folded at 75 octets" "$CODE" "3817 MN Ame
 rsfoort"
        check_contains "$name: the short description" "$CODE" \
            "DESCRIPTION:Vragen over DigiD\\, je telefoon of de computer? Kom langs."
        check_contains "$name: the end" "$CODE" "END:VEVENT
END:VCALENDAR"
    done
done
# The title in the resident's language, UTF-8 read back as UTF-8 (ECI).
check_contains "digicafe nl: the title" \
    "$(zbarimg --raw -q "$WORK/digicafe-nl-1280x800.png" | tr -d '\r')" \
    "SUMMARY:Digicafé: hulp met DigiD\\, telefoon en computer"

# ---- an activity with a url: the url itself ---------------------------------
cat >"$WORK/lichtjes.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
scroll-to "#activity.act-lichtjesavond.20261212T1630"
tap "#activity.act-lichtjesavond.20261212T1630"
expect-screen activity
expect "#activity.qr"
screenshot "$WORK/lichtjes.png"
SCRIPT
for size in 800x480 1080x1920; do
    code_of lichtjes "$WORK/lichtjes.script" --size "$size"
    check_eq "lichtjes $size: the activity's url" "https://example.org/lichtjesavond" "$CODE"
done

# ---- a service without a url: a vCard; with one: the url --------------------
cat >"$WORK/formulieren.script" <<SCRIPT
tap "#attract"
tap "#home.services"
scroll-to "#service.svc-formulierenhulp"
tap "#service.svc-formulierenhulp"
expect-screen service
expect "#service.qr"
screenshot "$WORK/formulieren.png"
SCRIPT
for size in 800x480 1280x800 1080x1920; do
    code_of formulieren "$WORK/formulieren.script" --size "$size"
    check_contains "formulieren $size: a vCard 3.0" "$CODE" "BEGIN:VCARD
VERSION:3.0
N:"
    check_contains "formulieren $size: the organisation" "$CODE" "ORG:Formulierenhulp (voorbeeld)"
    check_contains "formulieren $size: the phone" "$CODE" "TEL;TYPE=WORK,VOICE:033-000 10 04"
    check_contains "formulieren $size: the e-mail" "$CODE" "EMAIL;TYPE=INTERNET:formulieren@example.org"
    check_contains "formulieren $size: the address" "$LINES" "ADR;TYPE=WORK:;Bibliotheek Schothorst (voorbeeld);Boekweitplein 5\\, 3817 MN Amersfoort;;;;"
    check_contains "formulieren $size: the end" "$CODE" "END:VCARD"
done
cat >"$WORK/wijkteam.script" <<SCRIPT
tap "#attract"
tap "#home.services"
tap "#service.svc-wijkteam"
expect-screen service
expect "#service.qr"
screenshot "$WORK/wijkteam.png"
SCRIPT
code_of wijkteam "$WORK/wijkteam.script" --size 1280x800
check_eq "wijkteam: the service's url" "https://example.org/wijkteam" "$CODE"

# ---- after a sign-up: the event, without the resident -----------------------
# A hub that does not answer: the sign-up waits in the outbox. The code
# comes with a place (hub-api-v1 "Telling the resident the truth"), so the
# feed gives this kiosk a lease for the Digicafé: the kiosk confirms within
# it on its own, and the done screen has its code.
python3 - "$BK_SRC/assets/sample-feed.json" >"$WORK/lease-feed.json" <<'PY'
import json, sys
feed = json.load(open(sys.argv[1]))
for a in feed["activities"]:
    if a["id"] == "act-digicafe":
        a["signup"]["lease"] = 2
print(json.dumps(feed))
PY
mkdir -p "$WORK/db-lease"
KDB0=$WORK/db-lease/kiosk.db
"$BK" sync --config "$KCONF" --db "$KDB0" --now "$NOW" --feed "file://$WORK/lease-feed.json" \
    >"$WORK/sync-lease.out" 2>&1
for size in 1280x800 1080x1920; do
    cat >"$WORK/signup-$size.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#activity.act-digicafe.20261126T1000"
tap "#activity.signup"
expect-screen signup
type "Jan Jansen"
tap "#key.next"
type "0612345678"
tap "#signup.consent"
tap "#signup.submit"
expect-screen signup-done
expect "#done.confirmed"
expect "#signup.qr"
screenshot "$WORK/signup-$size.png"
SCRIPT
    code_of "signup-$size" "$WORK/signup-$size.script" --size "$size" --hub http://127.0.0.1:9
    check_contains "signup $size: the occurrence signed up for" "$CODE" \
        "DTSTART;TZID=Europe/Amsterdam:20261126T100000"
    check_contains "signup $size: the activity" "$CODE" "SUMMARY:Digicafé"
    check_not_contains "signup $size: no name" "$CODE" "Jansen"
    check_not_contains "signup $size: no phone" "$CODE" "12345678"
done

summary
