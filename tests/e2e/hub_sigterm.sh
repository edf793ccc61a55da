#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: SIGTERM in the middle of a burst of sign-ups. The hub stops
# cleanly (exit 0), and every sign-up it answered with a 2xx is in the
# database afterwards, with the status it was told.
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

SENDERS=4
PER_SENDER=150
DB=$WORK/hub.db
make_feed "$WORK/feed.json"
"$HUB" import --db "$DB" "$WORK/feed.json" >/dev/null
TOKEN=$("$HUB" kiosk add --db "$DB" k1)
start_hub "$DB"
OCC=$(occ 3 10:00)

# One sender: sign-ups one after another, each answer logged as "code id body".
sender() {
    _n=0
    while [ $_n -lt $PER_SENDER ]; do
        _id=$(new_uuid)
        signup_body "$_id" k1 act-unlimited "$OCC" >"$WORK/s.$1.json"
        _code=$(curl -s -m 10 -o "$WORK/s.$1.body" -w '%{http_code}' -X POST \
            -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
            --data-binary "@$WORK/s.$1.json" "$URL/kiosk/v1/signups" || :)
        printf '%s %s %s\n' "$_code" "$_id" "$(cat "$WORK/s.$1.body" 2>/dev/null || :)" \
            >>"$WORK/answers.$1"
        _n=$((_n + 1))
    done
}

PIDS=
s=0
while [ $s -lt $SENDERS ]; do
    sender $s &
    PIDS="$PIDS $!"
    s=$((s + 1))
done
# Let the burst get going, then stop the hub under it.
i=0
while [ "$(cat "$WORK"/answers.* 2>/dev/null | wc -l)" -lt 40 ] && [ $i -lt 300 ]; do
    sleep 0.05
    i=$((i + 1))
done
stop_hub
# shellcheck disable=SC2086
wait $PIDS
check_eq "serve exits 0 on SIGTERM" 0 "$HUB_RC"
check_contains "serve said it stopped" "$(cat "$WORK/hub.err")" "stopped"

cat "$WORK"/answers.* >"$WORK/answers"
ACCEPTED=$(grep -c '^20[01] ' "$WORK/answers" || :)
REFUSED=$(grep -c '^000 ' "$WORK/answers" || :)
printf 'burst: %s sign-ups answered 2xx, %s not connected after the stop\n' "$ACCEPTED" "$REFUSED"
if [ "$ACCEPTED" -ge 40 ]; then pass; else fail "the burst got only $ACCEPTED answers before the stop"; fi
if [ "$REFUSED" -gt 0 ]; then pass; else fail "the hub did not stop during the burst"; fi
check_eq "nothing but 201 or no answer" 0 \
    "$(grep -v '^201 .* {"status":"confirmed"}$' "$WORK/answers" | grep -vc '^000 ' || :)"

"$HUB" signups --db "$DB" --csv | tr -d '\r' >"$WORK/stored.csv"
grep '^20[01] ' "$WORK/answers" | cut -d' ' -f2 >"$WORK/accepted.ids"
MISSING=0
while read -r id; do
    grep -q "^$id,act-unlimited,$OCC,confirmed," "$WORK/stored.csv" || MISSING=$((MISSING + 1))
done <"$WORK/accepted.ids"
check_eq "every 2xx sign-up is in the database" 0 "$MISSING"
# Sign-ups cut off mid-request may be stored without their answer having
# arrived; never the other way round.
STORED=$(($(wc -l <"$WORK/stored.csv") - 1))
if [ "$STORED" -ge "$ACCEPTED" ]; then pass; else fail "stored $STORED < answered $ACCEPTED"; fi

# And the database is whole: a restart serves and counts them.
start_hub "$DB"
http GET "/kiosk/v1/feed?kiosk=k1" "$TOKEN"
check_eq "restart: feed 200" 200 "$CODE"
check_contains "restart: the feed counts every stored sign-up" "$BODY" "\"$OCC\":$STORED"
stop_hub
summary
