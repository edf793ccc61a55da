#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Deployment: every systemd unit in systemd/ passes `systemd-analyze verify`
# with nothing at all on stderr, and `systemd-analyze security --offline=yes`
# rates it at or below its exposure target (buurthub.service 2.0, every
# other unit 4.0). Prints each unit's score. The kiosk unit keeps the
# settings docs/deploy.md promises (KMS/DRM, notify + watchdog, its user,
# closed device policy).
#
# Units name /usr/bin/buurtkiosk and /usr/bin/buurthub, which a build
# machine does not have: verify checks a copy in which they point at the
# built binaries (or a stand-in when the hub is not built yet).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "deploy_units: systemd-analyze is missing (deps/debian-packages.txt lists systemd; run scripts/setup-deps)" >&2
    exit 1
fi

# built_binary NAME: the build's NAME next to $BK, or below its build dir.
built_binary() {
    _dir=$(dirname "$BK")
    for _p in "$_dir/$1" "$_dir/src/hub/$1" "$_dir/hub/$1"; do
        [ -x "$_p" ] && [ -f "$_p" ] && { echo "$_p"; return 0; }
    done
    find "$_dir" -maxdepth 3 -type f -name "$1" -perm -u+x 2>/dev/null | head -n 1
}

mkdir -p "$WORK/bin" "$WORK/units"
for name in buurtkiosk buurthub; do
    target=$(built_binary "$name")
    [ -n "$target" ] || target=/bin/true
    ln -sf "$target" "$WORK/bin/$name"
done

units=
for f in "$BK_SRC"/systemd/*.service "$BK_SRC"/systemd/*.socket "$BK_SRC"/systemd/*.timer \
    "$BK_SRC"/systemd/*.path "$BK_SRC"/systemd/*.target "$BK_SRC"/systemd/*.mount; do
    [ -f "$f" ] && units="$units $f"
done
check_contains "systemd/ has the kiosk unit" "$units" "/buurtkiosk.service"

for f in $units; do
    name=$(basename "$f")
    sed -e "s#/usr/bin/buurtkiosk#$WORK/bin/buurtkiosk#g" \
        -e "s#/usr/bin/buurthub#$WORK/bin/buurthub#g" "$f" >"$WORK/units/$name"

    run systemd-analyze verify "$WORK/units/$name"
    check_eq "$name: verify exit" 0 "$RC"
    check_eq "$name: verify stderr" "" "$ERR"
    check_eq "$name: verify stdout" "" "$OUT"

    case $name in
    buurthub.service) limit=2.0 ;;
    *) limit=4.0 ;;
    esac
    run systemd-analyze security --offline=yes --no-pager "$WORK/units/$name"
    check_eq "$name: security exit" 0 "$RC"
    score=$(printf '%s\n' "$OUT" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [ -z "$score" ]; then
        fail "$name: no exposure score in: $OUT $ERR"
        continue
    fi
    echo "deploy_units: $name exposure $score (target <= $limit)"
    if awk -v s="$score" -v l="$limit" 'BEGIN { exit !(s <= l) }'; then
        pass
    else
        printf '%s\n' "$OUT" | grep '✗' >&2 || :
        fail "$name: exposure $score is above $limit"
    fi
done

# ---- the kiosk unit's promises ----------------------------------------------
K=$BK_SRC/systemd/buurtkiosk.service
for line in 'Type=notify' 'NotifyAccess=main' 'WatchdogSec=30' 'Restart=always' 'RestartSec=2' \
    'Environment=SDL_VIDEODRIVER=kmsdrm' \
    'ExecStart=/usr/bin/buurtkiosk run --config /etc/buurtkiosk/kiosk.ini' \
    'User=buurtkiosk' 'SupplementaryGroups=video input render' \
    'StateDirectory=buurtkiosk' 'ConfigurationDirectory=buurtkiosk' \
    'DevicePolicy=closed' 'DeviceAllow=char-drm rw' 'DeviceAllow=char-input r' \
    'ProtectSystem=strict' 'NoNewPrivileges=yes' 'CapabilityBoundingSet=' \
    'MemoryDenyWriteExecute=yes' 'SystemCallFilter=@system-service' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK' 'UMask=0077' \
    'WantedBy=multi-user.target'; do
    if grep -qxF "$line" "$K"; then pass; else fail "buurtkiosk.service lacks the line '$line'"; fi
done
# Writable: only the state directory (ProtectSystem=strict, no ReadWritePaths).
check_eq "no ReadWritePaths" 0 "$(grep -c '^ReadWritePaths=' "$K" || :)"

summary
