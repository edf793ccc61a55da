#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: the shipped TLS proxy (hub-config/nginx-buurthub.conf) in
# front of the real buurthub, with a certificate from a CA made here:
# kiosk API and console over https, verification failing closed without
# the CA, plain http redirected, the console cookie Secure, headers over
# 8 KiB refused at the door, and request rates counted per real client
# (the address nginx appends to X-Forwarded-For), not per proxy.
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

DB=$WORK/hub.db
make_feed "$WORK/feed.json"
run "$HUB" import --db "$DB" "$WORK/feed.json"
check_eq "import exit" 0 "$RC"
T1=$("$HUB" kiosk add --db "$DB" k1)
printf 'een-lang-wachtwoord\n' >"$WORK/pw"
"$HUB" staff add --db "$DB" anna --all --password-file "$WORK/pw"
printf '[hub]\nrate_per_address = 30\n' >"$WORK/hub.ini"
start_hub "$DB" --config "$WORK/hub.ini"
HUB_PORT=${URL##*:}

# ---- a CA and a certificate for 127.0.0.1 ----------------------------------------
make_pki "buurthub test CA" hub

# ---- nginx with the shipped site, its ports and paths replaced -----------------
# The http port is the https port + 1 (nginx_serve picks the first).
tls_site() {
    sed -e "s|listen \[::\]:[0-9]*.*;||" \
        -e "s|listen 443 ssl;|listen 127.0.0.1:$NGINX_PORT ssl;|" \
        -e "s|listen 80;|listen 127.0.0.1:$((NGINX_PORT + 1));|" \
        -e "s|https://\$host|https://\$host:$NGINX_PORT|" \
        -e "s|/etc/letsencrypt/live/hub.example.org/fullchain.pem|$PKI/hub.pem|" \
        -e "s|/etc/letsencrypt/live/hub.example.org/privkey.pem|$PKI/hub.key|" \
        -e "s|http://127.0.0.1:8080|http://127.0.0.1:$HUB_PORT|" \
        "$BK_SRC/hub-config/nginx-buurthub.conf"
}
nginx_serve "$WORK/nginx" tls_site
TLS=https://127.0.0.1:$NGINX_PORT

code() { curl -s -o /dev/null -w '%{http_code}' "$@" || :; }

# ---- the kiosk API over TLS --------------------------------------------------------
check_eq "feed over https with the CA" 200 \
    "$(code --cacert "$PKI/ca.pem" -H "Authorization: Bearer $T1" "$TLS/kiosk/v1/feed?kiosk=k1")"
check_eq "gzip passes through" gzip \
    "$(curl -s -o /dev/null -D - --cacert "$PKI/ca.pem" -H 'Accept-Encoding: gzip' \
        -H "Authorization: Bearer $T1" "$TLS/kiosk/v1/feed?kiosk=k1" |
        tr -d '\r' | sed -n 's/^[Cc]ontent-[Ee]ncoding: //p')"
set +e
curl -s -o /dev/null -H "Authorization: Bearer $T1" "$TLS/kiosk/v1/feed?kiosk=k1"
VERIFY=$?
set -e
check_eq "without the CA verification fails closed (curl 60)" 60 "$VERIFY"
printf '%s' "$(signup_body "$(new_uuid)" k1 act-open "$(occ 1 10:00)")" >"$WORK/body.json"
check_eq "a sign-up over https: 201" 201 \
    "$(code --cacert "$PKI/ca.pem" -X POST -H "Authorization: Bearer $T1" \
        -H 'Content-Type: application/json' --data-binary "@$WORK/body.json" \
        "$TLS/kiosk/v1/signups")"
check_eq "plain http is redirected" 301 "$(code "http://127.0.0.1:$((NGINX_PORT + 1))/kiosk/v1/feed")"
check_eq "other paths: 404 at the proxy" 404 "$(code --cacert "$PKI/ca.pem" "$TLS/")"
PAD=$(head -c 9000 /dev/zero | tr '\0' 'a')
CODE=$(code --cacert "$PKI/ca.pem" -H "X-Pad: $PAD" "$TLS/kiosk/v1/feed?kiosk=k1")
case $CODE in 400 | 431 | 494) pass ;; *) fail "9 KB of headers through the proxy: $CODE" ;; esac

# ---- the console over TLS: Secure cookie -------------------------------------------
COOKIE=$(curl -s -o /dev/null -D - --cacert "$PKI/ca.pem" \
    -d username=anna -d password=een-lang-wachtwoord "$TLS/admin/login" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: //p')
check_contains "session cookie over https" "$COOKIE" "buurthub_session="
check_contains "...Secure (X-Forwarded-Proto from the proxy)" "$COOKIE" "; Secure"
check_contains "...HttpOnly" "$COOKIE" "HttpOnly"

# ---- rates per real client, not per proxy --------------------------------------------
n=0
limited=no
while [ $n -lt 120 ]; do
    if [ "$(code --interface 127.0.0.2 --cacert "$PKI/ca.pem" "$TLS/admin/login")" = 429 ]; then
        limited=yes
        break
    fi
    n=$((n + 1))
done
check_eq "127.0.0.2 through the proxy reaches its rate" yes "$limited"
if [ "$n" -ge 30 ]; then pass; else fail "127.0.0.2 limited after $n requests"; fi
check_eq "127.0.0.3 through the same proxy: answered" 200 \
    "$(code --interface 127.0.0.3 --cacert "$PKI/ca.pem" "$TLS/admin/login")"
check_contains "the hub names the real client" "$(cat "$WORK/hub.err")" "127.0.0.2 over its request rate"

stop_nginx
stop_hub
check_eq "the hub stops cleanly" 0 "$HUB_RC"
summary
