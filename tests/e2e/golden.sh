#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Golden screenshots: every script in tests/golden/scripts/ is played at each
# size in SIZES, headless (software renderer) at a fixed --now on a database
# synced at that moment, and its last frame is compared pixel for pixel with
# tests/golden/images/SIZE/NAME.png (pngdiff tolerance 0).
#
# On a mismatch the actual frame and pngdiff's picture of the difference stay
# in ${BK_GOLDEN_OUT:-/tmp/buurtkiosk-golden}/SIZE/NAME.{actual,diff}.png and
# their paths are printed. Refresh on purpose with scripts/refresh-goldens,
# which runs this file with BK_GOLDEN_UPDATE=1 (write the images instead of
# comparing). How goldens are made: tests/golden/README.md.
#
# Env: BK (kiosk), BK_SRC (source dir), BK_PNGDIFF (pngdiff; not needed when
# updating), BK_GOLDEN_OUT (where mismatches go), BK_GOLDEN_UPDATE.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=script_lib.sh
. "$(dirname "$0")/script_lib.sh"

SIZES="1280x800 1080x1920"
GOLDEN=$BK_SRC/tests/golden
UPDATE=${BK_GOLDEN_UPDATE:-0}
OUTDIR=${BK_GOLDEN_OUT:-/tmp/buurtkiosk-golden}
if [ "$UPDATE" != 1 ]; then
    : "${BK_PNGDIFF:?BK_PNGDIFF must name the pngdiff binary}"
fi

# ---- the packages the pixels depend on ---------------------------------------
# tests/golden/README.md pins them between the pinned-versions markers, one
# table row each: | `package` | `version` |. A different installed version is
# worth a warning (a mismatch below is then probably the font stack, not the
# kiosk), never a different outcome.
pinned_versions() {
    # shellcheck disable=SC2016
    sed -n -e '/<!-- pinned-versions -->/,/<!-- \/pinned-versions -->/{
s/^| `\([^`]*\)` | `\([^`]*\)` |$/\1 \2/p
}' "$GOLDEN/README.md"
}

installed_version() {
    dpkg-query -W -f='${Version}\n' "$1" 2>/dev/null | head -n 1 || :
}

VERSIONS_DIFFER=0
check_versions() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        printf 'WARNING: no dpkg-query: cannot compare the font stack with tests/golden/README.md\n' >&2
        VERSIONS_DIFFER=1
        return 0
    fi
    _pins=$(pinned_versions)
    if [ -z "$_pins" ]; then
        printf 'WARNING: tests/golden/README.md pins no package versions\n' >&2
        VERSIONS_DIFFER=1
        return 0
    fi
    while read -r _pkg _want; do
        _have=$(installed_version "$_pkg")
        if [ "$_have" != "$_want" ]; then
            printf 'WARNING: %s is %s here but the goldens were made with %s (tests/golden/README.md); a mismatch may come from that\n' \
                "$_pkg" "${_have:-not installed}" "$_want" >&2
            VERSIONS_DIFFER=1
        fi
    done <<EOF
$_pins
EOF
}
[ "$UPDATE" = 1 ] || check_versions

# ---- render -------------------------------------------------------------------
kiosk_db

# render SCRIPT SIZE PNG: plays SCRIPT at SIZE and writes its last frame to
# PNG. A file NAME.args beside NAME.script adds kiosk options, one argument
# a line, @SRC@ standing for the source tree (for --set of a branding
# file). Returns 1 (with the reason on stderr) when the kiosk fails.
render() {
    _script=$1
    _size=$2
    _png=$3
    _play=$WORK/play.script
    {
        cat "$_script"
        printf '\nscreenshot %s\n' "$(script_quote "$_png")"
    } >"$_play"
    rm -f "$_png"
    _args=${_script%.script}.args
    set -- "$_play" --size "$_size"
    if [ -f "$_args" ]; then
        while IFS= read -r _arg || [ -n "$_arg" ]; do
            case $_arg in '' | '#'*) continue ;; esac
            set -- "$@" "$(printf '%s' "$_arg" | sed -e "s|@SRC@|$BK_SRC|g")"
        done <"$_args"
    fi
    kiosk "$@"
    if [ "$RC" -ne 0 ] || [ ! -s "$_png" ]; then
        printf '%s at %s: the kiosk exited %s:\n%s\n' "$_script" "$_size" "$RC" "$ERR" >&2
        return 1
    fi
}

NAMES=
for script in "$GOLDEN"/scripts/*.script; do
    [ -e "$script" ] || continue
    NAMES="$NAMES $(basename "$script" .script)"
done
if [ -z "$NAMES" ]; then
    fail "no scripts in $GOLDEN/scripts"
fi

for size in $SIZES; do
    images=$GOLDEN/images/$size
    for name in $NAMES; do
        script=$GOLDEN/scripts/$name.script
        actual=$WORK/$size-$name.png
        if ! render "$script" "$size" "$actual"; then
            fail "$size/$name: could not render"
            continue
        fi
        expected=$images/$name.png
        if [ "$UPDATE" = 1 ]; then
            mkdir -p "$images"
            if [ -f "$expected" ] && cmp -s "$actual" "$expected"; then
                printf 'unchanged %s/%s.png\n' "$size" "$name"
            else
                if [ -f "$expected" ]; then
                    printf 'changed   %s/%s.png\n' "$size" "$name"
                else
                    printf 'new       %s/%s.png\n' "$size" "$name"
                fi
                cp "$actual" "$expected"
            fi
            pass
            continue
        fi
        keep=$OUTDIR/$size/$name.actual.png
        diff=$OUTDIR/$size/$name.diff.png
        rm -f "$keep" "$diff"
        if [ ! -f "$expected" ]; then
            mkdir -p "$OUTDIR/$size"
            cp "$actual" "$keep"
            fail "$size/$name: no golden $expected (make it with scripts/refresh-goldens; this run's frame: $keep)"
            continue
        fi
        set +e
        "$BK_PNGDIFF" "$expected" "$actual" "$WORK/diff.png" 0 >"$WORK/pngdiff.out" 2>&1
        drc=$?
        set -e
        if [ "$drc" -eq 0 ]; then
            pass
        else
            mkdir -p "$OUTDIR/$size"
            cp "$actual" "$keep"
            if [ -f "$WORK/diff.png" ]; then
                mv "$WORK/diff.png" "$diff"
            else
                diff="(none: pngdiff exited $drc)"
            fi
            fail "$size/$name differs from tests/golden/images/$size/$name.png: $(sed -e 's/; diff in .*$//' "$WORK/pngdiff.out" | tr '\n' ' ')
    expected: $expected
    actual:   $keep
    diff:     $diff"
        fi
    done
    # An image without a script is a golden nobody checks any more.
    for image in "$images"/*.png; do
        [ -e "$image" ] || continue
        name=$(basename "$image" .png)
        if [ ! -f "$GOLDEN/scripts/$name.script" ]; then
            if [ "$UPDATE" = 1 ]; then
                rm -f "$image"
                printf 'removed   %s/%s.png (no script)\n' "$size" "$name"
            else
                fail "$size/$name.png has no script $GOLDEN/scripts/$name.script"
            fi
        fi
    done
done

if [ "$FAILED" -gt 0 ] && [ "$VERSIONS_DIFFER" = 1 ]; then
    printf 'NOTE: the installed font stack differs from the one the goldens were made with (warnings above)\n' >&2
fi
summary
