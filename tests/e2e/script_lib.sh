# shellcheck shell=sh disable=SC2034
# Helpers for the tests that drive the kiosk in script mode (golden.sh,
# walk.sh, rotation.sh); sourced after lib.sh (POSIX sh). Only the words of
# automation-v1 are used: --headless, --size, --now, --script, --lang, --set,
# and the dump format.

# The fixed moment every script-mode test runs at: a Wednesday with
# activities today, tomorrow and later this week in the sample feed.
NOW=2026-11-25T10:00:00+01:00

# The catalogs and sample feed of the source tree under test, whatever the
# binary was built with.
BUURTKIOSK_ASSETS=$BK_SRC/assets
export BUURTKIOSK_ASSETS

# kiosk_db: an empty config (so that /etc/buurtkiosk/kiosk.ini plays no part)
# and a database synced from the sample feed at $NOW, so that the footer
# says "Bijgewerkt om 10:00". Sets KCONF and KDB0 (the template database;
# each run gets its own copy). Exits the test when the sync fails.
kiosk_db() {
    KCONF=$WORK/empty.ini
    printf '# script-mode tests: built-in defaults only\n' >"$KCONF"
    mkdir -p "$WORK/db0"
    KDB0=$WORK/db0/kiosk.db
    if ! "$BK" sync --config "$KCONF" --db "$KDB0" --now "$NOW" \
        --feed "file://$BK_SRC/assets/sample-feed.json" >"$WORK/sync.out" 2>&1; then
        printf 'cannot sync the sample feed:\n' >&2
        cat "$WORK/sync.out" >&2
        exit 1
    fi
    KRUN=0
}

# kiosk SCRIPT [OPTION ...]: runs the kiosk headless on SCRIPT at $NOW with a
# fresh copy of the synced database (default --size 1280x800; a later --size
# wins). Sets OUT, ERR and RC like run.
kiosk() {
    _script=$1
    shift
    KRUN=$((KRUN + 1))
    mkdir -p "$WORK/run$KRUN"
    cp "$KDB0" "$WORK/run$KRUN/kiosk.db"
    run "$BK" run --config "$KCONF" --db "$WORK/run$KRUN/kiosk.db" --headless \
        --size 1280x800 --now "$NOW" --script "$_script" "$@"
}

# script_quote TEXT: TEXT as a script string, quotes included.
script_quote() {
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/[\\"]/\\&/g')"
}

# dump_obj FILE ID: the object of the widget with that id in a dump, on one
# line ({"id": ... }); empty when there is none. Assumes no "}" inside the
# object's strings, which holds for the widgets the tests look up.
dump_obj() {
    _re=$(printf '%s' "$2" | sed -e 's/[].[\\*^$/]/\\&/g')
    tr '\n' ' ' <"$1" | tr -s ' ' | sed -e 's/} *, *{/}\
{/g' | grep "^ *\[* *{ *\"id\": *\"$_re\"," | head -n 1 || :
}

# dump_rect FILE ID: "x y w h" of that widget, or empty.
dump_rect() {
    dump_obj "$1" "$2" | sed -n -e 's/.*"rect": *\[ *\([0-9-]*\) *, *\([0-9-]*\) *, *\([0-9-]*\) *, *\([0-9-]*\) *\].*/\1 \2 \3 \4/p'
}

# dump_field FILE ID FIELD: a scalar field (true, false, null, a number, or
# a "string" with its quotes) of that widget, or empty.
dump_field() {
    dump_obj "$1" "$2" | awk -v f="\"$3\":" '{
        i = index($0, f)
        if (!i) exit
        s = substr($0, i + length(f))
        sub(/^ */, "", s)
        if (substr(s, 1, 1) != "\"") {
            match(s, /^[a-z0-9.-]+/)
            print substr(s, 1, RLENGTH)
            exit
        }
        out = "\""
        for (j = 2; j <= length(s); j++) {
            c = substr(s, j, 1)
            out = out c
            if (c == "\\") {
                j++
                out = out substr(s, j, 1)
            } else if (c == "\"") {
                break
            }
        }
        print out
    }'
}

# png_size FILE: "WIDTH HEIGHT" from the IHDR chunk (big-endian 32-bit at
# offsets 16 and 20), or "not-a-png".
png_size() {
    _sig=$(od -An -tx1 -N16 "$1" 2>/dev/null | tr -d ' \n')
    case $_sig in
    89504e470d0a1a0a????????49484452) ;;
    *)
        echo not-a-png
        return 0
        ;;
    esac
    # shellcheck disable=SC2046
    set -- $(od -An -tu1 -j16 -N8 "$1")
    echo "$(($1 * 16777216 + $2 * 65536 + $3 * 256 + $4)) $(($5 * 16777216 + $6 * 65536 + $7 * 256 + $8))"
}

# first_line_of TEXT PATTERN: the first line of TEXT matching the grep -E
# PATTERN (empty if none). Used to pick "LINE: reason" out of stderr, which
# also holds the kiosk's log lines.
first_line_of() {
    printf '%s\n' "$1" | grep -E -e "$2" | head -n 1 || :
}
