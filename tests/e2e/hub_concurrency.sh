#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: two kiosks (two tokens) sign up at the same instant for the
# last place of an occurrence, 20 times on fresh occurrences, with and
# without a waiting list. Exactly one gets the place; the other is
# waitlisted (position 1) or told "full"; never two confirmed. Two curl
# processes are released together from a spin on a start file.
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

ROUNDS=20
DB=$WORK/hub.db
make_feed "$WORK/feed.json"
"$HUB" import --db "$DB" "$WORK/feed.json" >/dev/null
T1=$("$HUB" kiosk add --db "$DB" k1)
T2=$("$HUB" kiosk add --db "$DB" k2)
start_hub "$DB"

# post_at GO OUT TOKEN BODY: a background curl that starts when GO exists.
post_at() {
    printf '%s' "$4" >"$2.json"
    (
        while [ ! -e "$1" ]; do :; done
        exec curl -s -o "$2.body" -w '%{http_code}' -m 30 -X POST \
            -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
            --data-binary "@$2.json" "$URL/kiosk/v1/signups" >"$2.code"
    ) &
    RACERS="$RACERS $!"
}

race() { # ACTIVITY ROUND -> sets R1, R2 ("code body")
    _occ=$(occ "$2" 10:00)
    _go=$WORK/go.$1.$2
    RACERS=
    post_at "$_go" "$WORK/a.$1.$2" "$T1" "$(signup_body "$(new_uuid)" k1 "$1" "$_occ" 1 true)"
    post_at "$_go" "$WORK/b.$1.$2" "$T2" "$(signup_body "$(new_uuid)" k2 "$1" "$_occ" 1 true)"
    sleep 0.2
    : >"$_go"
    # shellcheck disable=SC2086 # (a bare wait would wait for the hub too)
    wait $RACERS
    R1="$(cat "$WORK/a.$1.$2.code") $(cat "$WORK/a.$1.$2.body")"
    R2="$(cat "$WORK/b.$1.$2.code") $(cat "$WORK/b.$1.$2.body")"
}

CONFIRMED='201 {"status":"confirmed"}'
for activity in act-one-wait act-one-full; do
    if [ $activity = act-one-wait ]; then
        OTHER='201 {"status":"waitlisted","position":1}'
    else
        OTHER='409 {"status":"full"}'
    fi
    r=0
    while [ $r -lt $ROUNDS ]; do
        race $activity $r
        pair=$(printf '%s\n%s\n' "$R1" "$R2" | sort)
        want=$(printf '%s\n%s\n' "$CONFIRMED" "$OTHER" | sort)
        check_eq "$activity round $r: one place, one $(echo "$OTHER" | cut -c5-)" "$want" "$pair"
        r=$((r + 1))
    done
done

# What the hub stored agrees: one confirmed per occurrence, never two.
stop_hub
"$HUB" signups --db "$DB" --csv | tr -d '\r' >"$WORK/signups.csv"
for activity in act-one-wait act-one-full; do
    most=$(grep ",$activity," "$WORK/signups.csv" | grep ',confirmed,' | cut -d, -f3 | sort |
        uniq -c | sort -rn | head -n 1 | awk '{print $1}')
    check_eq "$activity: at most one confirmed per occurrence" 1 "$most"
    check_eq "$activity: $ROUNDS occurrences got their place" "$ROUNDS" \
        "$(grep ",$activity," "$WORK/signups.csv" | grep -c ',confirmed,')"
done
check_eq "every sign-up stored" $((ROUNDS * 4)) "$(($(wc -l <"$WORK/signups.csv") - 1))"
summary
