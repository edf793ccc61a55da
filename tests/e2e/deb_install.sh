#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Deployment: the Debian packages install and go away cleanly.
#
# Builds the .debs with cpack from this build directory, installs them with
# dpkg -i, and checks the system user, the files, the conffile, the unit,
# `buurtkiosk --version`, and a sync run as the kiosk's user with the unit's
# environment (assets from /usr/share, database in /var/lib/buurtkiosk).
# Reinstalling keeps a locally edited conffile and the data; dpkg -r keeps
# /var/lib/buurtkiosk and the config; dpkg -P removes them and the user.
#
# It changes the machine, so it runs only as root and only when CI=true or
# BK_TEST_DEB=1, and only when no buurtkiosk (package, user, /etc or /var/lib
# directory) is there already; otherwise it prints a skip line. On any exit
# it purges what it installed: the accounts files end as they began.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

skip() {
    echo "deb_install: skipped: $*"
    exit 0
}

[ "$(id -u)" -eq 0 ] || skip "not root"
[ "${CI:-}" = true ] || [ "${BK_TEST_DEB:-}" = 1 ] ||
    skip "installs packages on this machine; set BK_TEST_DEB=1 (CI=true does) to run it"

build=$(dirname "$BK")
while [ ! -f "$build/CPackConfig.cmake" ] && [ "$build" != / ]; do
    build=$(dirname "$build")
done
[ -f "$build/CPackConfig.cmake" ] || skip "no CPackConfig.cmake above $BK (cmake/packaging.cmake not included?)"
if grep -q '^BK_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    skip "sanitizer build; the plain build's run covers the packages"
fi
for pkg in buurtkiosk buurthub; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'installed\|config-files'; then
        skip "package $pkg is on this machine already; not touching it"
    fi
    getent passwd "$pkg" >/dev/null && skip "user $pkg exists already; not touching it"
    getent group "$pkg" >/dev/null && skip "group $pkg exists already; not touching it"
    [ ! -e "/var/lib/$pkg" ] || skip "/var/lib/$pkg exists already; not touching it"
    [ ! -e "/etc/$pkg" ] || skip "/etc/$pkg exists already; not touching it"
done
command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) missing"

accounts() {
    sha256sum /etc/passwd /etc/group /etc/shadow /etc/gshadow 2>/dev/null
    find /etc/systemd/system -printf '%p %y %l\n' 2>/dev/null | LC_ALL=C sort
}
ACCOUNTS_BEFORE=$(accounts)

installed_here=
deb_cleanup() {
    for pkg in $installed_here; do
        dpkg -P "$pkg" >/dev/null 2>&1 || :
    done
    installed_here=
}
trap 'deb_cleanup; e2e_cleanup' EXIT

# ---- build --------------------------------------------------------------------------
run cpack -G DEB --config "$build/CPackConfig.cmake" -B "$WORK/pkg"
check_eq "cpack exit" 0 "$RC"
[ "$RC" -eq 0 ] || { printf '%s\n%s\n' "$OUT" "$ERR" >&2; summary; exit 1; }
KDEB=$(find "$WORK/pkg" -maxdepth 1 -name 'buurtkiosk_*.deb' | head -n 1)
HDEB=$(find "$WORK/pkg" -maxdepth 1 -name 'buurthub_*.deb' | head -n 1)
check_match "kiosk .deb built" "$(basename "$KDEB")" "buurtkiosk_*-1_$(dpkg --print-architecture).deb"
echo "deb_install: built $(basename "$KDEB")${HDEB:+ and $(basename "$HDEB")}"

check_contains "Depends from dpkg-shlibdeps" "$(dpkg-deb -f "$KDEB" Depends)" "libsdl2-2.0-0"
check_contains "Depends on the font" "$(dpkg-deb -f "$KDEB" Depends)" "fonts-dejavu-core"
check_eq "conffiles" /etc/buurtkiosk/kiosk.ini "$(dpkg-deb --ctrl-tarfile "$KDEB" | tar -xOf - ./conffiles)"
for f in ./usr/bin/buurtkiosk ./lib/systemd/system/buurtkiosk.service ./etc/buurtkiosk/kiosk.ini \
    ./usr/share/buurtkiosk/sample-feed.json ./usr/share/buurtkiosk/i18n/nl.mo \
    ./usr/share/doc/buurtkiosk/example.ini ./usr/share/doc/buurtkiosk/deploy.md; do
    check_contains "kiosk .deb holds $f" "$(dpkg-deb -c "$KDEB")" " $f"
done

# ---- install ---------------------------------------------------------------------------
installed_here=buurtkiosk
run dpkg -i "$KDEB"
check_eq "dpkg -i exit" 0 "$RC"
[ "$RC" -eq 0 ] || printf '%s\n%s\n' "$OUT" "$ERR" >&2
check_match "user" "$(getent passwd buurtkiosk || :)" \
    'buurtkiosk:x:*:*:*:/var/lib/buurtkiosk:/usr/sbin/nologin'
check_eq "system uid" 1 "$(getent passwd buurtkiosk | awk -F: '{ print ($3 < 1000) }')"
for g in video input render; do
    if getent group "$g" >/dev/null; then
        check_match "in group $g" "$(getent group "$g")" "*[:,]buurtkiosk*"
    fi
done
check_eq "state dir" "700 buurtkiosk:buurtkiosk" "$(stat -c '%a %U:%G' /var/lib/buurtkiosk 2>&1)"
run /usr/bin/buurtkiosk --version
check_eq "--version exit" 0 "$RC"
check_match "--version" "$OUT" 'buurtkiosk [0-9]*'
check_contains "conffile registered" "$(dpkg-query -W -f='${Conffiles}' buurtkiosk)" "/etc/buurtkiosk/kiosk.ini"
check_eq "conffile is the example" "" \
    "$(cmp /etc/buurtkiosk/kiosk.ini /usr/share/doc/buurtkiosk/minimal.ini 2>&1)"
run /usr/bin/buurtkiosk config --check /etc/buurtkiosk/kiosk.ini
check_eq "installed config passes --check" 0 "$RC"
check_eq "unit installed" yes "$([ -f /lib/systemd/system/buurtkiosk.service ] && echo yes || echo no)"
check_eq "unit not enabled by the package" no \
    "$([ -e /etc/systemd/system/multi-user.target.wants/buurtkiosk.service ] && echo yes || echo no)"

# As the unit runs it: the kiosk's user and groups, the unit's Environment=
# lines, a config with no hub (so: the bundled feed from /usr/share).
env_args=$(sed -n 's/^Environment=//p' /lib/systemd/system/buurtkiosk.service | tr '\n' ' ')
umask_unit=$(sed -n 's/^UMask=//p' /lib/systemd/system/buurtkiosk.service)
chmod 0755 "$WORK"
printf '[kiosk]\nid = deb-test\n' >"$WORK/nohub.ini"
chmod 0644 "$WORK/nohub.ini"
# shellcheck disable=SC2086,SC2016 # env_args: KEY=VALUE words; $1 and $@ are the inner sh's
run setpriv --reuid=buurtkiosk --regid=buurtkiosk --init-groups \
    env -i PATH=/usr/bin:/bin $env_args sh -c 'umask "$1" && shift && exec "$@"' sh "${umask_unit:-0022}" \
    /usr/bin/buurtkiosk sync --config "$WORK/nohub.ini"
check_eq "sync as buurtkiosk exit" 0 "$RC"
check_match "sync as buurtkiosk" "$OUT" 'feed: applied*'
check_eq "database in the state dir" "600 buurtkiosk" "$(stat -c '%a %U' /var/lib/buurtkiosk/kiosk.db 2>&1)"

# ---- reinstall: a local edit and the data stay -------------------------------------------
echo "# edited on site" >>/etc/buurtkiosk/kiosk.ini
run dpkg -i --force-confdef --force-confold "$KDEB"
check_eq "reinstall exit" 0 "$RC"
check_eq "local edit kept" "# edited on site" "$(tail -n 1 /etc/buurtkiosk/kiosk.ini)"
check_eq "data kept on reinstall" yes "$([ -f /var/lib/buurtkiosk/kiosk.db ] && echo yes || echo no)"

# ---- the hub, when there is one -----------------------------------------------------------
if [ -n "$HDEB" ]; then
    installed_here="buurthub $installed_here"
    run dpkg -i "$HDEB"
    check_eq "hub dpkg -i exit" 0 "$RC"
    check_match "hub user" "$(getent passwd buurthub || :)" 'buurthub:x:*:/var/lib/buurthub:/usr/sbin/nologin'
    run /usr/bin/buurthub --version
    check_eq "buurthub --version exit" 0 "$RC"
    touch /var/lib/buurthub/keep
    run dpkg -r buurthub
    check_eq "hub dpkg -r exit" 0 "$RC"
    check_eq "hub data kept on remove" yes "$([ -f /var/lib/buurthub/keep ] && echo yes || echo no)"
    run dpkg -P buurthub
    check_eq "hub dpkg -P exit" 0 "$RC"
    check_eq "hub data gone on purge" no "$([ -e /var/lib/buurthub ] && echo yes || echo no)"
    check_eq "hub user gone on purge" "" "$(getent passwd buurthub || :)"
    installed_here=buurtkiosk
else
    echo "deb_install: no buurthub .deb (no buurthub target yet); hub package not checked"
fi

# ---- remove: data and config stay ----------------------------------------------------------
run dpkg -r buurtkiosk
check_eq "dpkg -r exit" 0 "$RC"
check_eq "binary gone" no "$([ -e /usr/bin/buurtkiosk ] && echo yes || echo no)"
check_eq "unit gone" no "$([ -e /lib/systemd/system/buurtkiosk.service ] && echo yes || echo no)"
check_eq "data kept on remove" yes "$([ -f /var/lib/buurtkiosk/kiosk.db ] && echo yes || echo no)"
check_eq "config kept on remove" "# edited on site" "$(tail -n 1 /etc/buurtkiosk/kiosk.ini 2>&1)"
check_contains "user kept on remove" "$(getent passwd buurtkiosk || :)" buurtkiosk
check_contains "package state config-files" "$(dpkg-query -W -f='${Status}' buurtkiosk 2>&1)" config-files

# ---- purge: all gone, machine as before ----------------------------------------------------
run dpkg -P buurtkiosk
check_eq "dpkg -P exit" 0 "$RC"
installed_here=
check_eq "data gone on purge" no "$([ -e /var/lib/buurtkiosk ] && echo yes || echo no)"
check_eq "config gone on purge" no "$([ -e /etc/buurtkiosk ] && echo yes || echo no)"
check_eq "user gone on purge" "" "$(getent passwd buurtkiosk || :)"
check_eq "group gone on purge" "" "$(getent group buurtkiosk || :)"
check_eq "package unknown after purge" "" "$(dpkg-query -W -f='${Status}' buurtkiosk 2>/dev/null || :)"
check_eq "accounts and units as before" "$ACCOUNTS_BEFORE" "$(accounts)"

summary
