#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Deployment: the shell scripts pass shellcheck, and scripts/provision
#  - plans without changing anything (--dry-run), on a tree and on this machine;
#  - turns a scratch Raspberry Pi OS-like tree (--root, --no-apt) into a kiosk;
#  - run a second time, changes nothing: the tree is the same byte for byte
#    (contents, modes, owners, symlinks), and it says there was nothing to do;
#  - does the same for --config, --token and --readonly-root (on an ext4 image);
#  - refuses bad input with a clear message and an untouched tree.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

P=$BK_SRC/scripts/provision

# ---- shellcheck -----------------------------------------------------------------
if ! command -v shellcheck >/dev/null 2>&1; then
    echo "provision: shellcheck is missing (deps/debian-packages.txt lists it; run scripts/setup-deps)" >&2
    exit 1
fi
is_sh() { head -n 1 "$1" | grep -Eq '^#!(/usr)?/bin/(env )?(ba|da)?sh'; }
# Ours: clean at every severity. The rest of scripts/: no warnings or errors.
for f in "$BK_SRC"/scripts/provision "$BK_SRC"/scripts/package "$BK_SRC"/scripts/cross-arm64 \
    "$BK_SRC"/packaging/deb/*/* "$BK_SRC"/tests/e2e/deploy_units.sh \
    "$BK_SRC"/tests/e2e/provision.sh "$BK_SRC"/tests/e2e/deb_install.sh; do
    [ -f "$f" ] || continue
    run shellcheck -x "$f"
    check_eq "shellcheck ${f#"$BK_SRC"/}" "" "$OUT$ERR"
done
for f in "$BK_SRC"/scripts/*; do
    if [ ! -f "$f" ] || ! is_sh "$f"; then continue; fi
    run shellcheck -x -S warning "$f"
    check_eq "shellcheck -S warning ${f#"$BK_SRC"/}" "" "$OUT$ERR"
done

# ---- a scratch system tree ------------------------------------------------------
# What Raspberry Pi OS Lite looks like to provision after the buurtkiosk
# package is installed: accounts (a user pi with console autologin), the
# package's unit and example, a firmware cmdline.txt, an fstab.
make_tree() {
    _r=$1
    mkdir -p "$_r/etc/systemd/system/getty@tty1.service.d" "$_r/lib/systemd/system" \
        "$_r/usr/share/doc/buurtkiosk" "$_r/usr/bin" "$_r/usr/sbin" "$_r/boot/firmware" \
        "$_r/usr/share/initramfs-tools/scripts/init-bottom"
    echo 12.8 >"$_r/etc/debian_version"
    printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' \
        'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' \
        'pi:x:1000:1000:,,,:/home/pi:/bin/bash' >"$_r/etc/passwd"
    printf '%s\n' 'root:x:0:' 'video:x:44:pi' 'input:x:105:pi' 'render:x:106:pi' \
        'nogroup:x:65534:' 'pi:x:1000:' >"$_r/etc/group"
    printf '%s\n' 'root:*:19000:0:99999:7:::' 'nobody:*:19000:0:99999:7:::' \
        'pi:*:19000:0:99999:7:::' >"$_r/etc/shadow"
    printf '%s\n' 'root:*::' 'video:*::pi' 'input:*::pi' 'render:*::pi' 'nogroup:*::' \
        'pi:!::' >"$_r/etc/gshadow"
    chmod 0640 "$_r/etc/shadow" "$_r/etc/gshadow"
    printf '#!/bin/sh\nexit 1\n' >"$_r/usr/sbin/nologin"
    printf '#!/bin/sh\n' >"$_r/usr/bin/buurtkiosk"
    chmod 0755 "$_r/usr/sbin/nologin" "$_r/usr/bin/buurtkiosk"
    cp "$BK_SRC/systemd/buurtkiosk.service" "$_r/lib/systemd/system/"
    cp "$BK_SRC/kiosk-config/example.ini" "$BK_SRC/kiosk-config/minimal.ini" "$_r/usr/share/doc/buurtkiosk/"
    for t in multi-user.target graphical.target basic.target getty@.service; do
        if [ -f "/lib/systemd/system/$t" ]; then
            cp "/lib/systemd/system/$t" "$_r/lib/systemd/system/"
        else
            printf '[Unit]\nDescription=%s\n' "$t" >"$_r/lib/systemd/system/$t"
        fi
    done
    ln -s getty@.service "$_r/lib/systemd/system/autovt@.service"
    ln -s /lib/systemd/system/graphical.target "$_r/etc/systemd/system/default.target"
    # shellcheck disable=SC2016 # $TERM is for systemd, not for this shell
    printf '[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin pi --noclear %%I $TERM\n' \
        >"$_r/etc/systemd/system/getty@tty1.service.d/autologin.conf"
    printf '%s\n' 'console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait quiet' \
        >"$_r/boot/firmware/cmdline.txt"
    printf '%s\n' '[all]' 'dtoverlay=vc4-kms-v3d' 'auto_initramfs=1' >"$_r/boot/firmware/config.txt"
    printf '%s\n' 'proc            /proc           proc    defaults          0       0' \
        'PARTUUID=4e639091-01  /boot/firmware  vfat    defaults          0       2' \
        'PARTUUID=4e639091-02  /               ext4    defaults,noatime  0       1' >"$_r/etc/fstab"
    printf '#!/bin/sh\n' >"$_r/usr/share/initramfs-tools/scripts/init-bottom/overlayroot"
}

# snapshot DIR: every entry with type, mode, owner, size, link target and
# content hash: two equal snapshots are two trees equal byte for byte.
snapshot() {
    (cd "$1" && find . -printf '%p %y %m %u:%g %s %l\n' | LC_ALL=C sort) >"$WORK/.snap"
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) >>"$WORK/.snap"
    cat "$WORK/.snap"
}

R=$WORK/root
make_tree "$R"
before=$(snapshot "$R")

# ---- dry run on the tree: the plan, and no change ---------------------------------
run "$P" --root "$R" --no-apt --dry-run
check_eq "dry-run exit" 0 "$RC"
check_eq "dry-run stderr" "" "$ERR"
check_eq "dry-run changed nothing" "$before" "$(snapshot "$R")"
for step in "would create system user buurtkiosk: useradd --system" \
    "would add buurtkiosk to video,input,render: usermod -a -G video,input,render buurtkiosk" \
    "would install /etc/buurtkiosk/kiosk.ini (0644 root:root)" \
    "would enable buurtkiosk.service: systemctl --root=$R enable buurtkiosk.service" \
    "would mask getty@tty1.service" \
    "would remove console autologin /etc/systemd/system/getty@tty1.service.d/autologin.conf" \
    "would boot to multi-user.target" \
    "would set consoleblank=0 in the kernel command line (/boot/firmware/cmdline.txt)" \
    "+console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait quiet consoleblank=0" \
    "dry run done: 8 change(s) planned, nothing changed"; do
    check_contains "dry-run plan: $step" "$OUT" "$step"
done
check_eq "dry-run: every line is provision's" "" "$(printf '%s\n' "$OUT" | grep -v '^provision: \|^    [-+]' || :)"

# ---- first run ----------------------------------------------------------------------
run "$P" --root "$R" --no-apt
check_eq "run 1 exit" 0 "$RC"
check_contains "run 1 says it changed things" "$OUT" "done: 8 change(s)"
first=$(snapshot "$R")
check_match "user created, no login" "$(grep '^buurtkiosk:' "$R/etc/passwd")" \
    'buurtkiosk:x:*:*:*:/var/lib/buurtkiosk:/usr/sbin/nologin'
check_match "system uid" "$(awk -F: '$1 == "buurtkiosk" { print ($3 < 1000) }' "$R/etc/passwd")" 1
for g in video input render; do
    check_match "in group $g" "$(grep "^$g:" "$R/etc/group")" "*[:,]buurtkiosk*"
done
check_contains "pi keeps video" "$(grep '^video:' "$R/etc/group")" ":pi,"
check_eq "config from the minimal example" "" "$(cmp "$R/etc/buurtkiosk/kiosk.ini" "$BK_SRC/kiosk-config/minimal.ini" 2>&1)"
check_eq "config mode" "644 0:0" "$(stat -c '%a %u:%g' "$R/etc/buurtkiosk/kiosk.ini")"
check_eq "unit enabled" /lib/systemd/system/buurtkiosk.service \
    "$(readlink "$R/etc/systemd/system/multi-user.target.wants/buurtkiosk.service")"
check_eq "getty@tty1 masked" /dev/null "$(readlink "$R/etc/systemd/system/getty@tty1.service")"
check_eq "autovt@tty1 masked (an alias of getty@)" masked \
    "$(systemctl --root="$R" is-enabled autovt@tty1.service 2>/dev/null || :)"
check_eq "autologin gone" no "$([ -e "$R/etc/systemd/system/getty@tty1.service.d/autologin.conf" ] && echo yes || echo no)"
check_contains "default target" "$(readlink "$R/etc/systemd/system/default.target")" multi-user.target
check_eq "cmdline" \
    "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait quiet consoleblank=0" \
    "$(cat "$R/boot/firmware/cmdline.txt")"
check_eq "cmdline stays one line" 1 "$(wc -l <"$R/boot/firmware/cmdline.txt")"
check_eq "fstab untouched without --readonly-root" 3 "$(wc -l <"$R/etc/fstab")"

# ---- second run: nothing to do, same tree byte for byte ----------------------------------
run "$P" --root "$R" --no-apt
check_eq "run 2 exit" 0 "$RC"
check_eq "run 2 tree identical" "$first" "$(snapshot "$R")"
check_contains "run 2 says nothing to change" "$OUT" "done: nothing to change"
check_eq "run 2 only ok lines" "" "$(printf '%s\n' "$OUT" | grep -v '^provision: ok: \|^provision: done: ' || :)"
run "$P" --root "$R" --no-apt --dry-run
check_contains "dry-run after: nothing planned" "$OUT" "dry run done: 0 change(s) planned"

# ---- --config and --token: installed once, then left alone ------------------------------
printf '[kiosk]\nid = kiosk-test-1\n' >"$WORK/kiosk.ini"
printf 'secret-token\n' >"$WORK/token"
run "$P" --root "$R" --no-apt --config "$WORK/kiosk.ini" --token "$WORK/token"
check_eq "--config run exit" 0 "$RC"
check_contains "--config says so" "$OUT" "provision: install /etc/buurtkiosk/kiosk.ini"
check_eq "--config content" "" "$(cmp "$WORK/kiosk.ini" "$R/etc/buurtkiosk/kiosk.ini" 2>&1)"
gid=$(awk -F: '$1 == "buurtkiosk" { print $3 }' "$R/etc/group")
check_eq "token mode and owner (the tree's buurtkiosk group)" "640 0:$gid" \
    "$(stat -c '%a %u:%g' "$R/etc/buurtkiosk/token")"
third=$(snapshot "$R")
run "$P" --root "$R" --no-apt --config "$WORK/kiosk.ini" --token "$WORK/token"
check_eq "--config again: same tree" "$third" "$(snapshot "$R")"
check_contains "--config again: nothing to change" "$OUT" "done: nothing to change"

# ---- a consoleblank already there is set to 0, not doubled ------------------------
R2=$WORK/root2
make_tree "$R2"
printf 'console=tty1 consoleblank=600 root=/dev/mmcblk0p2 rootwait\n' >"$R2/boot/firmware/cmdline.txt"
run "$P" --root "$R2" --no-apt
check_eq "consoleblank=600 becomes 0" "console=tty1 consoleblank=0 root=/dev/mmcblk0p2 rootwait" \
    "$(cat "$R2/boot/firmware/cmdline.txt")"
# Debian on a board that boots with GRUB: /etc/default/grub instead.
rm "$R2/boot/firmware/cmdline.txt"
printf 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX=""\n' >"$R2/etc/default.grub.tmp"
mkdir -p "$R2/etc/default" && mv "$R2/etc/default.grub.tmp" "$R2/etc/default/grub"
run "$P" --root "$R2" --no-apt
check_eq "grub exit" 0 "$RC"
check_contains "grub cmdline" "$(cat "$R2/etc/default/grub")" 'GRUB_CMDLINE_LINUX_DEFAULT="quiet consoleblank=0"'
check_contains "grub: asks for update-grub" "$OUT" "update-grub"
g2=$(snapshot "$R2")
run "$P" --root "$R2" --no-apt
check_eq "grub: second run same tree" "$g2" "$(snapshot "$R2")"

# ---- --readonly-root ---------------------------------------------------------------
R3=$WORK/root3
make_tree "$R3"
if command -v mkfs.ext4 >/dev/null 2>&1; then
    truncate -s 8M "$WORK/data.img"
    mkfs.ext4 -q -F -L bkdata "$WORK/data.img"
    uuid=$(blkid -o value -s UUID "$WORK/data.img")
    b3=$(snapshot "$R3")
    run "$P" --root "$R3" --no-apt --readonly-root --data-device "$WORK/data.img" --dry-run
    check_eq "readonly dry-run exit" 0 "$RC"
    check_contains "readonly plan: fstab" "$OUT" "would mount UUID=$uuid on /var/lib/buurtkiosk"
    check_contains "readonly plan: overlayroot" "$OUT" "would install /etc/overlayroot.local.conf"
    check_eq "readonly dry-run changed nothing" "$b3" "$(snapshot "$R3")"
    run "$P" --root "$R3" --no-apt --readonly-root --data-device "$WORK/data.img"
    check_eq "readonly exit" 0 "$RC"
    check_contains "fstab line" "$(tail -n 1 "$R3/etc/fstab")" \
        "UUID=$uuid	/var/lib/buurtkiosk	ext4	defaults,noatime,nodev,nosuid,noexec	0	2"
    check_contains "overlayroot config" "$(cat "$R3/etc/overlayroot.local.conf")" \
        'overlayroot="tmpfs:swap=0,recurse=0"'
    r3=$(snapshot "$R3")
    run "$P" --root "$R3" --no-apt --readonly-root --data-device "$WORK/data.img"
    check_eq "readonly second run same tree" "$r3" "$(snapshot "$R3")"
    check_contains "readonly second run nothing to change" "$OUT" "done: nothing to change"
    # A partition that is not ext4, and a firmware without an initramfs:
    # refused before anything is written.
    R4=$WORK/root4
    make_tree "$R4"
    truncate -s 1M "$WORK/empty.img"
    b4=$(snapshot "$R4")
    run "$P" --root "$R4" --no-apt --readonly-root --data-device "$WORK/empty.img"
    check_eq "no file system: exit 1" 1 "$RC"
    check_contains "no file system: says so" "$ERR" "has no file system"
    printf '[all]\ndtoverlay=vc4-kms-v3d\n' >"$R4/boot/firmware/config.txt"
    b4=$(snapshot "$R4")
    run "$P" --root "$R4" --no-apt --readonly-root --data-device "$WORK/data.img" --dry-run
    check_eq "no initramfs: exit 1" 1 "$RC"
    check_contains "no initramfs: says so" "$ERR" "auto_initramfs=1"
    check_eq "no initramfs: dry run changed nothing" "$b4" "$(snapshot "$R4")"
else
    echo "provision: mkfs.ext4 missing, --readonly-root checks skipped"
fi

# ---- refusals ----------------------------------------------------------------------
run "$P" --root "$R" --dry-run
check_eq "--root without --no-apt: usage error" 2 "$RC"
check_contains "--root without --no-apt: says why" "$ERR" "--no-apt"
run "$P" --bogus
check_eq "unknown option exit" 2 "$RC"
mkdir -p "$WORK/empty"
run "$P" --root "$WORK/empty" --no-apt
check_eq "not a Debian tree: exit 1" 1 "$RC"
check_contains "not a Debian tree: says so" "$ERR" "not a Debian system"
R5=$WORK/root5
make_tree "$R5"
rm "$R5/lib/systemd/system/buurtkiosk.service"
b5=$(snapshot "$R5")
run "$P" --root "$R5" --no-apt
check_eq "no package: exit 1" 1 "$RC"
check_contains "no package: says so" "$ERR" "install the buurtkiosk package first"
check_eq "no package: tree untouched" "$b5" "$(snapshot "$R5")"

# ---- dry run on this machine: a plan, and nothing changed ------------------------------
# (Only what provision itself would touch is compared: other tests may
# install packages meanwhile.)
host_state() {
    for f in /etc/fstab /etc/default/grub /boot/firmware/cmdline.txt /boot/cmdline.txt; do
        [ -f "$f" ] && sha256sum "$f"
    done
    find /etc/systemd/system -printf '%p %y %m %l\n' 2>/dev/null | LC_ALL=C sort
}
hb=$(host_state)
run "$P" --dry-run
check_eq "host dry-run exit" 0 "$RC"
check_contains "host dry-run plans the kiosk unit" "$OUT" "buurtkiosk.service"
check_contains "host dry-run ends" "$OUT" "provision: dry run done:"
check_eq "host dry-run: every line is provision's" "" \
    "$(printf '%s\n' "$OUT" | grep -v '^provision: \|^    [-+]' || :)"
check_eq "host dry-run changed nothing" "$hb" "$(host_state)"

summary
