#!/bin/sh
# The layers' includes (docs/design.md, "Layers"): each folder of src/
# includes only the project's layers below it and its own libraries. The
# linker already refuses a call upward (cmake/seams.cmake); this catches
# what the linker cannot see: a type or a macro taken from above, or a
# library's header where the layer must not depend on it (SQLite in the
# screens, SDL below sdl/, libcurl outside net/).
# Env: BK_SRC (source dir).
set -u
. "$BK_SRC/tests/e2e/lib.sh"

# allowed LAYER: the project folders and system headers it may include
allowed() {
    case $1 in
    base) echo "base" ;;
    # qrencode.h: the take-home code's matrix is plain data (model/qr.c);
    # hb.h: Unicode properties of typed text (model/unitext.c);
    # pthread.h: a swap's second thread, alive for one feed_parse call
    # (model/feed.c, feed_sink.threaded)
    model) echo "base model sqlite3.h jansson.h yajl/ sodium.h qrencode.h hb.h pthread.h" ;;
    view) echo "base view jansson.h fribidi.h linebreak.h" ;;
    screens) echo "base model view screens sodium.h pthread.h" ;;
    script) echo "base model view screens script" ;;
    net) echo "base model net curl/ sodium.h pthread.h jansson.h" ;;
    # sdl: read-aloud's worker thread owns espeak-ng (speech.c)
    sdl) echo "base model view sdl SDL.h SDL_ttf.h SDL_image.h fontconfig/ hb.h espeak-ng/ pthread.h" ;;
    hub) echo "base model hub microhttpd.h sqlite3.h jansson.h sodium.h zlib.h pthread.h" ;;
    app) echo "base model view screens script net sdl app SDL.h systemd/ sodium.h jansson.h" ;;
    esac
}

# The libraries whose headers only some layers may include.
GUARDED='sqlite3.h jansson.h yajl/ sodium.h qrencode.h curl/ SDL.h SDL_ttf.h SDL_image.h fontconfig/ hb.h fribidi.h linebreak.h microhttpd.h zlib.h systemd/ pthread.h espeak-ng/'

for dir in "$BK_SRC"/src/*/; do
    layer=$(basename "$dir")
    ok=$(allowed "$layer")
    if [ -z "$ok" ]; then
        fail "src/$layer: a folder docs/design.md does not name as a layer"
        continue
    fi
    for file in "$dir"*.c "$dir"*.h; do
        [ -e "$file" ] || continue
        rel=${file#"$BK_SRC"/}
        # project includes: "layer/file.h"
        for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*"/\1/p' "$file" | sort -u); do
            case " $ok " in
            *" $inc "*) ;;
            *) fail "$rel includes from $inc/, above or beside layer $layer" ;;
            esac
        done
        # library headers, <...>
        for inc in $(sed -n 's/^#include <\([^>]*\)>/\1/p' "$file" | sort -u); do
            for g in $GUARDED; do
                case $inc in
                "$g"*)
                    case " $ok " in
                    *" $g "*) ;;
                    *) fail "$rel includes <$inc>, which layer $layer must not depend on" ;;
                    esac
                    ;;
                esac
            done
        done
    done
    pass "src/$layer: includes only what its layer may"
done
summary
