# shellcheck shell=sh disable=SC2034
# The set-up the kiosk's fault tests share (faults.sh, tls_ca.sh); sourced
# after hub_lib.sh. fault_hub ACTIVITY KIOSK: a feed of two activities the
# day after tomorrow (ACTIVITY at 10:00 with 200 places, a coffee morning
# at 14:00) imported into a hub without leases or rate limits, a token for
# KIOSK in $WORK/token, the hub started ($URL). fault_peer_start (after
# make_pki CN peer): tests/e2e/fault_peer.py in front of the hub, plain and
# TLS ($PEER, $TLS_PEER), its fault named in $MODE, its log in $PLOG;
# stopped on exit by the trap this file sets.

PEER_PID=
stop_peer() {
    if [ -n "$PEER_PID" ]; then
        kill "$PEER_PID" 2>/dev/null || :
        wait "$PEER_PID" 2>/dev/null || :
    fi
    PEER_PID=
}
trap 'stop_peer; hub_cleanup' EXIT

fault_hub() {
    test_day_after_tomorrow
    cat >"$WORK/feed.json" <<JSON
{"format": "buurtkiosk-feed", "version": 1, "generated_at": "$now",
 "locations": [{"id": "loc-e2e", "name": "Buurthuis Proef"}],
 "activities": [{"id": "$1", "title": "Kerstdiner",
   "starts_at": "${day}T10:00:00$offset", "location_id": "loc-e2e",
   "signup": {"capacity": 200, "fields": ["name", "phone"]}},
  {"id": "act-koffie", "title": "Koffieochtend",
   "starts_at": "${day}T14:00:00$offset", "location_id": "loc-e2e"}]}
JSON
    HDB=$WORK/hub.db
    # No leases: every sign-up must ask the hub, so only the hub's answer
    # can confirm it.
    printf '[hub]\nlease_max = 0\nrate_per_token = 100000\nrate_per_address = 100000\n' \
        >"$WORK/hub.ini"
    run "$HUB" import --db "$HDB" --config "$WORK/hub.ini" "$WORK/feed.json"
    check_eq "hub import" 0 "$RC"
    [ "$RC" = 0 ] || { printf '%s\n' "$ERR" >&2; exit 1; }
    "$HUB" kiosk add --db "$HDB" "$2" >"$WORK/token"
    start_hub "$HDB" --config "$WORK/hub.ini"
}

fault_peer_start() {
    MODE=$WORK/mode
    PLOG=$WORK/peer.log
    echo ok >"$MODE"
    python3 "$BK_SRC/tests/e2e/fault_peer.py" --port-file "$WORK/peer.port" \
        --mode-file "$MODE" --hub "$URL" --log "$PLOG" --tls-cert "$PKI/peer.pem" \
        --tls-key "$PKI/peer.key" --tls-port-file "$WORK/peer.tls-port" 2>"$WORK/peer.err" &
    PEER_PID=$!
    _i=0
    while [ ! -s "$WORK/peer.port" ] && [ $_i -lt 100 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    [ -s "$WORK/peer.port" ] ||
        { echo "fault_peer.py did not start" >&2; cat "$WORK/peer.err" >&2; exit 1; }
    PEER=http://127.0.0.1:$(cat "$WORK/peer.port")
    TLS_PEER=https://127.0.0.1:$(cat "$WORK/peer.tls-port")
}
