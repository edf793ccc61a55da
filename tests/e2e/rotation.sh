#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: ui.rotation in script mode (automation-v1: "--size is the panel
# as the display reports it; with ui.rotation 90 or 270 the resident's frame
# is its height by its width. Script coordinates, dump rects and screenshots
# are all in the resident's frame").
#
# For each rotation, on a 1280x800 panel: the screenshot's size (from the
# PNG header), the attract widget's rect in a dump, and taps by coordinates
# taken from a dump of home: the centre of home.activities must open
# activities, the centre of home.announcements must open announcements.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=script_lib.sh
. "$(dirname "$0")/script_lib.sh"

kiosk_db
PANEL=1280x800

for rot in 0 90 180 270; do
    case $rot in
    90 | 270) fw=800 fh=1280 ;;
    *) fw=1280 fh=800 ;;
    esac
    dir=$WORK/rot$rot
    mkdir -p "$dir"

    # 1. The frame: screenshot and dump of attract, then home's dump.
    cat >"$dir/look.script" <<EOF
expect-screen attract
screenshot $(script_quote "$dir/attract.png")
dump $(script_quote "$dir/attract.json")
tap "#attract"
expect-screen home
screenshot $(script_quote "$dir/home.png")
dump $(script_quote "$dir/home.json")
EOF
    kiosk "$dir/look.script" --size "$PANEL" --set "ui.rotation=$rot"
    check_eq "rotation $rot: exit status ($ERR)" 0 "$RC"
    [ "$RC" -eq 0 ] || continue
    check_eq "rotation $rot: attract screenshot is ${fw}x${fh}" "$fw $fh" "$(png_size "$dir/attract.png")"
    check_eq "rotation $rot: home screenshot is ${fw}x${fh}" "$fw $fh" "$(png_size "$dir/home.png")"
    check_eq "rotation $rot: attract rect" "0 0 $fw $fh" "$(dump_rect "$dir/attract.json" attract)"

    # Every rect of home lies inside the resident's frame.
    outside=$(tr '\n' ' ' <"$dir/home.json" | tr -s ' ' | grep -o '"rect": *\[[^]]*\]' |
        sed -e 's/[^0-9 -]/ /g' | while read -r x y w h; do
            if [ "$x" -lt 0 ] || [ "$y" -lt 0 ] || [ $((x + w)) -gt "$fw" ] || [ $((y + h)) -gt "$fh" ]; then
                printf '[%s %s %s %s] ' "$x" "$y" "$w" "$h"
            fi
        done)
    check_eq "rotation $rot: home's rects inside ${fw}x${fh}" "" "$outside"

    # 2. Taps at coordinates from the dump.
    for target in activities announcements; do
        # shellcheck disable=SC2046
        set -- $(dump_rect "$dir/home.json" "home.$target")
        if [ $# -ne 4 ]; then
            fail "rotation $rot: no rect for home.$target in the dump"
            continue
        fi
        cx=$(($1 + $3 / 2))
        cy=$(($2 + $4 / 2))
        cat >"$dir/tap-$target.script" <<EOF
tap "#attract"
expect-screen home
tap $cx $cy
expect-screen $target
EOF
        kiosk "$dir/tap-$target.script" --size "$PANEL" --set "ui.rotation=$rot"
        check_eq "rotation $rot: tap $cx $cy (centre of home.$target) opens $target ($ERR)" 0 "$RC"
    done
done

# 3. The resident sees the same picture whatever way the panel is mounted:
# 180 gives 0's frame, 270 gives 90's, pixel for pixel.
if [ -n "${BK_PNGDIFF:-}" ]; then
    for pair in "0 180" "90 270"; do
        # shellcheck disable=SC2086
        set -- $pair
        for shot in attract home; do
            a=$WORK/rot$1/$shot.png
            b=$WORK/rot$2/$shot.png
            if [ -f "$a" ] && [ -f "$b" ]; then
                run "$BK_PNGDIFF" "$a" "$b" "$WORK/rot$1-$2-$shot.diff.png" 0
                check_eq "rotation $2 shows the same $shot frame as $1 ($OUT)" 0 "$RC"
            fi
        done
    done
fi

summary
