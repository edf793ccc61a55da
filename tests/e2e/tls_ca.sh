#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# sync.ca_file (config-v1 extension, docs/spec-notes.md "sync.ca_file"):
# a hub behind a private CA. The real buurtkiosk against fault_peer.py's
# TLS port (a certificate from a CA made here), in front of the real
# buurthub:
#   (0) a sync.ca_file that cannot be read is a config error (exit 2);
#       without the option the private CA is not trusted;
#   (a) with the CA named, the feed, a sign-up and the heartbeat go over
#       TLS: the kiosk applies the feed, the hub holds the sign-up, the
#       heartbeat is accepted;
#   (b) an https answer redirecting to http is refused: nothing reaches
#       the plain-http port, the log names the reason, the content and the
#       outbox stay, and once the peer is healthy the sign-up arrives once.
set -eu
# In CI a missing part is a failure, not a skip.
if [ "${CI:-}" = true ]; then
    [ -x "${BUURTHUB:-}" ] || { echo "CI: no buurthub" >&2; exit 1; }
    command -v python3 >/dev/null || { echo "CI: no python3" >&2; exit 1; }
fi
E2E_NEED_BK=1
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
command -v openssl >/dev/null || { echo "no openssl: skipped"; exit 77; }
command -v sqlite3 >/dev/null || { echo "no sqlite3: skipped"; exit 77; }
BUURTKIOSK_ASSETS=$BK_SRC/assets
export BUURTKIOSK_ASSETS
# shellcheck source=fault_lib.sh
. "$(dirname "$0")/fault_lib.sh"

# ---- the hub, its content, a kiosk ---------------------------------------------------
fault_hub act-tls kiosk-tls

# ---- a private CA, and a certificate for 127.0.0.1 ------------------------------------
make_pki "municipality test CA" peer

# ---- the peer: TLS in front of the hub, and a plain-http port beside it ------------------
fault_peer_start

printf '[kiosk]\nid = kiosk-tls\nhub = %s\ntoken_file = %s\n[sync]\nca_file = %s\n' \
    "$TLS_PEER" "$WORK/token" "$PKI/ca.pem" >"$WORK/kiosk.ini"
KDB=$WORK/kiosk/kiosk.db
kiosk() { run "$BK" "$@" --config "$WORK/kiosk.ini" --db "$KDB"; }

# content: what the kiosk holds, from `status` (counts and the ETag).
content() {
    run "$BK" status --config "$WORK/kiosk.ini" --db "$KDB"
    for k in locations activities services announcements feed_etag; do
        printf '%s=%s ' "$k" "$(jget "$k" "$OUT")"
    done
}
hub_rows() {
    "$HUB" signups --db "$HDB" --csv | tail -n +2 | grep -c . || :
}
# signup N DONE: a sign-up the way a resident makes it (name N in letters),
# and the done screen's word 3 s later (DONE: confirmed or pending); with
# no lease the kiosk must ask the hub and never says "confirmed" without
# its answer. RUN_LOG is the run's log (its network thread pulls at start).
signup() {
    cat >"$WORK/signup.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#activity.act-tls.$stamp"
tap "#activity.signup"
type "Proef $(printf %s "$1" | tr 0-9 a-j)"
tap "#field.phone"
type "0612345678"
tap "#signup.consent"
tap "#signup.submit"
expect-screen signup-done
wait 3100
expect "#done.$2"
SCRIPT
    run "$BK" run --config "$WORK/kiosk.ini" --db "$KDB" --headless --now "$now" \
        --script "$WORK/signup.script"
    RUN_LOG=$ERR
}

# ---- (0) the option's edges ---------------------------------------------------------------
# A CA file that is not there: a config error before any network.
: >"$PLOG"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB" --set "sync.ca_file=$PKI/no-such.pem"
check_eq "missing ca_file: exit 2" 2 "$RC"
check_contains "missing ca_file: the error names the key" "$ERR" "sync.ca_file"
check_contains "missing ca_file: and why" "$ERR" "No such file or directory"
# A file that holds no certificate (the CA's private key).
run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB" --set "sync.ca_file=$PKI/ca.key"
check_eq "ca_file without a certificate: exit 2" 2 "$RC"
check_contains "ca_file without a certificate: why" "$ERR" "holds no PEM certificate"
check_eq "config errors: nothing was asked" "" "$(cat "$PLOG")"
# Without the option the system's CAs are asked, and they do not know this one.
run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB" --set "sync.ca_file="
check_eq "system CAs: exit 1" 1 "$RC"
check_contains "system CAs: the private CA is not trusted" "$OUT" "SSL certificate problem"
# Another CA named: the system's are not asked beside it (the peer's CA is
# not in that file either).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=another CA" -keyout "$PKI/other.key" -out "$PKI/other.pem" 2>/dev/null
run "$BK" sync --config "$WORK/kiosk.ini" --db "$KDB" --set "sync.ca_file=$PKI/other.pem"
check_eq "another CA: exit 1" 1 "$RC"
check_contains "another CA: not trusted" "$OUT" "SSL certificate problem"

# ---- (a) trusted: all three conversations over TLS ------------------------------------------
: >"$PLOG"
kiosk sync
check_eq "trusted: exit 0" 0 "$RC"
check_contains "trusted: the feed applies over TLS" "$OUT" "feed: applied skipped=0"
check_not_contains "trusted: the heartbeat is accepted" "$ERR" "heartbeat not accepted"
check_contains "trusted: the feed came over https with the token" "$(cat "$PLOG")" \
    "https 127.0.0.1:$(cat "$WORK/peer.tls-port") feed GET /kiosk/v1/feed"
check_contains "trusted: the heartbeat went over https" "$(cat "$PLOG")" "heartbeat POST"
check_contains "trusted: the kiosk holds the feed" "$(content)" "locations=1 activities=2 "

# The kiosk's network thread may deliver it while the done screen shows,
# or the sync after: either way it goes over TLS.
signup 1 confirmed
check_eq "trusted: the hub confirms on the done screen" 0 "$RC"
kiosk sync
check_eq "trusted: the second sync's exit" 0 "$RC"
check_contains "trusted: the sign-up is delivered" "$OUT" "pending=0"
check_contains "trusted: it went over https" "$(grep signups "$PLOG" || :)" "https "
check_eq "trusted: the hub holds it" 1 "$(hub_rows)"
check_eq "trusted: nothing over plain http" "" "$(grep '^http ' "$PLOG" || :)"

# ---- (b) https redirecting to http: refused --------------------------------------------------
BEFORE=$(content)
echo https-to-http >"$MODE"
sqlite3 "$KDB" "UPDATE meta SET value = 'ok' WHERE key = 'hub_contact'"
: >"$PLOG"
signup 2 pending
check_eq "to http: the done screen says pending" 0 "$RC"
# The done screen's ask: a POST's redirect is never followed.
check_contains "to http: the ask's log names the reason" \
    "$(printf '%s\n' "$RUN_LOG" | grep 'not delivered' || :)" "HTTP 302"
kiosk sync
log=$ERR
line=$(printf '%s\n' "$OUT" | grep '^feed: ' || :)
check_eq "to http: sync exit 1" 1 "$RC"
check_contains "to http: the feed is unreachable" "$line" "feed: unreachable ("
# libcurl's words for a redirect to a scheme it was told not to follow.
check_contains "to http: the line names the refused scheme" "$line" 'Protocol "http" not supported'
check_contains "to http: the sign-up waits" "$line" "signups: sent=0 pending=1"
# A POST is never redirected: the sign-up and the heartbeat see the 302.
check_contains "to http: the log names the sign-up's reason" \
    "$(printf '%s\n' "$log" | grep 'not delivered' || :)" "HTTP 302"
check_contains "to http: the log names the heartbeat's reason" \
    "$(printf '%s\n' "$log" | grep 'heartbeat not accepted' || :)" "HTTP 302"
check_contains "to http: the redirects came over https" "$(cat "$PLOG")" "https-to-http"
check_eq "to http: nothing reached the plain-http port" "" "$(grep '^http ' "$PLOG" || :)"
check_eq "to http: the content is unchanged" "$BEFORE" "$(content)"
run "$BK" status --config "$WORK/kiosk.ini" --db "$KDB"
check_contains "to http: status names the reason" "$(jget last_sync_error "$OUT")" \
    'Protocol \"http\" not supported'
check_eq "to http: the outbox keeps the sign-up" 1 "$(jget outbox_pending "$OUT")"
check_eq "to http: the hub has only the first" 1 "$(hub_rows)"

# Healthy again: the held sign-up arrives, once.
echo ok >"$MODE"
kiosk sync
check_eq "healthy again: exit 0" 0 "$RC"
check_contains "healthy again: the sign-up is sent" "$OUT" "signups: sent=1 pending=0"
check_eq "healthy again: the hub holds both, once each" 2 "$(hub_rows)"

summary
