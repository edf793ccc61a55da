# shellcheck shell=sh disable=SC2034
# Shared helpers for the end-to-end tests (sourced; POSIX sh).
# Callers get: $WORK (a private temp dir, removed on exit), run, check_*,
# jget (a field of `status` JSON), has_personal,
# start_nginx/nginx_serve/stop_nginx, summary. Tests without the kiosk
# (hub_lib.sh) set E2E_NEED_BK=0 first.

[ "${E2E_NEED_BK:-1}" = 0 ] || : "${BK:?BK must name the buurtkiosk binary}"
: "${BK_SRC:?BK_SRC must name the source dir}"

PASSED=0
FAILED=0
NGINX_PID_FILE=

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bk-e2e.XXXXXX")
e2e_cleanup() {
    stop_nginx
    rm -rf "$WORK"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM HUP

pass() { PASSED=$((PASSED + 1)); }
fail() {
    FAILED=$((FAILED + 1))
    printf 'FAIL %s\n' "$*" >&2
}

# check_eq NAME EXPECTED GOT
check_eq() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: expected [$2], got [$3]"; fi
}

# check_contains NAME HAYSTACK NEEDLE (fixed string)
check_contains() {
    case $2 in
    *"$3"*) pass ;;
    *) fail "$1: expected to contain [$3], got [$2]" ;;
    esac
}

# check_not_contains NAME HAYSTACK NEEDLE
check_not_contains() {
    case $2 in
    *"$3"*) fail "$1: expected not to contain [$3], got [$2]" ;;
    *) pass ;;
    esac
}

# check_match NAME TEXT GLOB  (a shell pattern over the whole text)
check_match() {
    # shellcheck disable=SC2254
    case $2 in
    $3) pass ;;
    *) fail "$1: expected to match [$3], got [$2]" ;;
    esac
}

# run CMD...: sets OUT, ERR (trailing newlines dropped) and RC; never exits.
run() {
    set +e
    "$@" >"$WORK/.out" 2>"$WORK/.err"
    RC=$?
    set -e
    OUT=$(cat "$WORK/.out")
    ERR=$(cat "$WORK/.err")
}

# jget FIELD JSON: the raw value of a top-level field ("..." strings keep
# their quotes and escapes; numbers, null, true, false as written).
jget() {
    printf '%s\n' "$2" |
        grep -oE "\"$1\"[[:space:]]*:[[:space:]]*(\"([^\"\\\\]|\\\\.)*\"|[^,}[:space:]]+)" |
        head -n 1 | sed -E "s/^\"$1\"[[:space:]]*:[[:space:]]*//"
}

# junquote VALUE: a JSON string value as plain text (\" and \\ only).
junquote() {
    printf '%s\n' "$1" | sed -e 's/^"//' -e 's/"$//' -e 's/\\"/"/g' -e 's/\\\\/\\/g'
}

# nginx_serve DIR HTTP_FN: start nginx on a free 127.0.0.1 port from a
# config in DIR whose http block, after the temp paths, is what HTTP_FN DIR
# prints (called with NGINX_PORT set). Sets NGINX_PORT and NGINX_PID_FILE.
nginx_serve() {
    _dir=$1
    _http=$2
    _user=
    [ "$(id -u)" -eq 0 ] && _user='user root;'
    _base=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    _base=$((20000 + _base % 30000))
    for _try in 0 1 2 3 4 5 6 7 8 9; do
        NGINX_PORT=$((_base + _try * 7))
        mkdir -p "$_dir/tmp"
        {
            cat <<EOF
$_user
daemon on;
worker_processes 1;
pid $_dir/nginx.pid;
error_log $_dir/error.log;
events { worker_connections 64; }
http {
    client_body_temp_path $_dir/tmp/body;
    proxy_temp_path $_dir/tmp/proxy;
    fastcgi_temp_path $_dir/tmp/fastcgi;
    uwsgi_temp_path $_dir/tmp/uwsgi;
    scgi_temp_path $_dir/tmp/scgi;
EOF
            "$_http" "$_dir"
            printf '}\n'
        } >"$_dir/nginx.conf"
        rm -f "$_dir/nginx.pid"
        if /usr/sbin/nginx -p "$_dir" -c "$_dir/nginx.conf" 2>>"$_dir/start.log"; then
            NGINX_PID_FILE=$_dir/nginx.pid
            _i=0
            while [ ! -s "$NGINX_PID_FILE" ] && [ $_i -lt 50 ]; do
                sleep 0.1
                _i=$((_i + 1))
            done
            [ -s "$NGINX_PID_FILE" ] && return 0
            printf 'nginx started but wrote no pid file\n' >&2
            return 1
        fi
    done
    printf 'could not start nginx:\n' >&2
    cat "$_dir/start.log" "$_dir/error.log" >&2 2>/dev/null || :
    return 1
}

# has_personal DB: "yes" when one of the caller's personal test strings
# ($NAME, $PHONE, $EMAIL) is in the database file or its WAL, else "no".
has_personal() {
    for _f in "$1" "$1-wal"; do
        [ -f "$_f" ] || continue
        for _s in "$NAME" "$PHONE" "$EMAIL"; do
            if grep -q -a -F "$_s" "$_f"; then
                echo yes
                return
            fi
        done
    done
    echo no
}

# start_nginx DIR ROOT: serve ROOT on 127.0.0.1 from a config in DIR; sets
# NGINX_PORT. Access log: DIR/access.log, one line per request:
# status|If-None-Match|If-Modified-Since|Content-Encoding sent|User-Agent|request
start_nginx() {
    _root=$2
    nginx_serve "$1" static_nginx_http
}

# static_nginx_http DIR: start_nginx's http block (serves $_root).
static_nginx_http() {
    cat <<EOF
    types { application/json json; }
    default_type application/octet-stream;
    log_format kiosk escape=none
        '\$status|\$http_if_none_match|\$http_if_modified_since|\$sent_http_content_encoding|\$http_user_agent|\$request';
    access_log $1/access.log kiosk;
    gzip on;
    gzip_types application/json;
    gzip_min_length 0;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $_root;
    }
EOF
}

stop_nginx() {
    [ -n "$NGINX_PID_FILE" ] && [ -s "$NGINX_PID_FILE" ] || return 0
    _pid=$(cat "$NGINX_PID_FILE")
    kill "$_pid" 2>/dev/null || :
    _i=0
    # Gone, or a zombie waiting for init to reap it (its socket is closed).
    while _st=$(ps -o stat= -p "$_pid" 2>/dev/null) && [ "${_st#Z}" = "$_st" ] &&
        [ $_i -lt 50 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    NGINX_PID_FILE=
}

# test_day_after_tomorrow: the zone Europe/Amsterdam (TZ, exported) and,
# for a test activity at 10:00 local the day after tomorrow: day
# (YYYY-MM-DD), stamp (that occurrence's YYYYMMDDT1000, as automation-v1
# names it), offset (its UTC offset, +01:00) and now (RFC 3339).
test_day_after_tomorrow() {
    TZ=Europe/Amsterdam
    export TZ
    day=$(date -d '+2 days' +%Y-%m-%d)
    stamp=$(date -d "$day 10:00" +%Y%m%dT1000)
    offset=$(date -d "$day 10:00" +%:z)
    now=$(date +%Y-%m-%dT%H:%M:%S%:z)
}

# buurthub_start DB LISTEN [ARGS...]: a real buurthub ($BUURTHUB, or the
# hub's own tests' $HUB) serving DB on LISTEN (127.0.0.1:0 for any free
# port) in the background, with ARGS after them. Sets HUB_PID, and hub to
# the URL it listens on; its stdout goes to $WORK/hub.out, its log is
# added to $WORK/hub.err. Returns 1, showing the log, when it is not
# listening within 10 s.
buurthub_start() {
    _db=$1
    _listen=$2
    shift 2
    : >"$WORK/hub.out"
    "${BUURTHUB:-$HUB}" serve --db "$_db" --listen "$_listen" "$@" \
        >"$WORK/hub.out" 2>>"$WORK/hub.err" &
    HUB_PID=$!
    _i=0
    while ! grep -q '^listening on ' "$WORK/hub.out" 2>/dev/null; do
        if [ $_i -ge 200 ] || ! kill -0 "$HUB_PID" 2>/dev/null; then
            printf 'buurthub did not start:\n' >&2
            cat "$WORK/hub.err" >&2
            return 1
        fi
        sleep 0.05
        _i=$((_i + 1))
    done
    hub=$(sed -n 's/^listening on //p' "$WORK/hub.out")
}

# buurthub_stop: SIGTERM to the hub buurthub_start started, and wait.
buurthub_stop() {
    [ -n "${HUB_PID:-}" ] || return 0
    kill "$HUB_PID" 2>/dev/null || :
    wait "$HUB_PID" 2>/dev/null || :
    HUB_PID=
}

summary() {
    printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
    [ "$FAILED" -eq 0 ]
}
