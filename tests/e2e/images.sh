#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Feed images (issue 11) against a stock nginx: a feed whose activities
# name a good PNG, one over the byte limit, one over the pixel limit, bytes
# that are no picture, and a URL where nothing listens. `sync` still
# applies the feed and exits 0; only the good picture is kept beside the
# database; the detail screens show activity.image for it alone, the list
# has its thumbnail, and a screenshot holds its pixels.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=script_lib.sh
. "$(dirname "$0")/script_lib.sh"

WWW=$WORK/www
mkdir -p "$WWW"
printf '# e2e\n' >"$WORK/kiosk.ini"
start_nginx "$WORK" "$WWW"
URL=http://127.0.0.1:$NGINX_PORT

# The pictures, made here: a 120x80 PNG of one colour (RGB 200 30 140), a
# PNG header of 20000x20000 px, 5 MiB, and text.
python3 - "$WWW" <<'PY'
import struct, sys, zlib, os
d = sys.argv[1]
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
def png(w, h, rgb, rows=None):
    raw = rows if rows is not None else b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(d + "/good.png", "wb").write(png(120, 80, (200, 30, 140)))
# the header says 20000 x 20000; the data is one row (never decoded)
open(d + "/wide.png", "wb").write(png(20000, 20000, (0, 0, 0), rows=b"\0" * 10))
open(d + "/big.png", "wb").write(png(120, 80, (0, 0, 0)) + os.urandom(5 * 1024 * 1024))
open(d + "/corrupt.png", "wb").write(b"this is not a picture\n" * 20)
PY

# The first five activities of the list from now on (ended ones are not
# listed), with their first occurrence's widget id: the good picture goes to
# the first, so that its thumbnail is in view.
mkdir -p "$WORK/probe"
"$BK" sync --config "$WORK/kiosk.ini" --db "$WORK/probe/k.db" --now "$NOW" \
    --feed "file://$BK_SRC/assets/sample-feed.json" >/dev/null
python3 - "$WORK/probe/k.db" <<'PY' >"$WORK/ids"
import datetime, sqlite3, sys
now = int(datetime.datetime.fromisoformat("2026-11-25T10:00:00+01:00").timestamp())
db = sqlite3.connect(sys.argv[1])
seen = []
for act, start, end in db.execute("SELECT activity_id, starts_at, ends_at FROM occurrence"
                                  " WHERE ends_at > ? ORDER BY starts_at, activity_id", (now,)):
    if act not in [a for a, _ in seen]:
        local = datetime.datetime.fromtimestamp(start, datetime.timezone(datetime.timedelta(hours=1)))
        seen.append((act, "activity.%s.%s" % (act, local.strftime("%Y%m%dT%H%M"))))
for act, wid in seen[:5]:
    print(act, wid)
PY
python3 - "$BK_SRC/assets/sample-feed.json" "$WWW/feed.json" "$URL" "$WORK/ids" <<'PY'
import json, sys
feed = json.load(open(sys.argv[1]))
base = sys.argv[3]
acts = [line.split()[0] for line in open(sys.argv[4])]
names = [base + "/good.png", base + "/big.png", base + "/wide.png", base + "/corrupt.png",
         "http://127.0.0.1:9/nothing.png"]
pics = dict(zip(acts, names))
for a in feed["activities"]:
    if a["id"] in pics:
        a["image"] = pics[a["id"]]
feed["services"][0]["image"] = base + "/good.png"
json.dump(feed, open(sys.argv[2], "w"))
PY
GOOD=$(head -n 1 "$WORK/ids" | cut -d' ' -f1)

DB=$WORK/k/kiosk.db
mkdir -p "$WORK/k"
run "$BK" sync --config "$WORK/kiosk.ini" --db "$DB" --now "$NOW" --feed "$URL/feed.json"
check_eq "sync exits 0 ($ERR)" 0 "$RC"
check_contains "the feed is applied" "$OUT" "feed: applied"
act_of() { sed -n "${1}p" "$WORK/ids" | cut -d' ' -f1; }
check_contains "the big one is refused" "$ERR" "image $(act_of 2): over 4 MiB"
check_contains "the wide one is refused" "$ERR" "image $(act_of 3): 20000x20000 px"
check_contains "the corrupt one is refused" "$ERR" "image $(act_of 4): not a PNG or JPEG"
check_contains "the unreachable one is reported" "$ERR" "image $(act_of 5):"
IMG=$DB-images
# one kept copy and its thumbnail, for the one good URL (activity and service share it)
check_eq "only the good picture is kept" 2 "$(find "$IMG" -name '*.png' | wc -l | tr -d ' ')"
check_eq "no temporary is left" 0 "$(find "$IMG" -name '*.tmp' | wc -l | tr -d ' ')"

# The list: find each activity's first occurrence id in a dump.
cat >"$WORK/list.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
dump "$WORK/list.json"
screenshot "$WORK/list.png"
SCRIPT
run "$BK" run --config "$WORK/kiosk.ini" --db "$DB" --headless --size 1280x800 --now "$NOW" \
    --set ui.languages=nl,en,tr,ar,pl,uk --script "$WORK/list.script"
check_eq "list script runs ($ERR)" 0 "$RC"

thumbs=$(python3 -c 'import json,sys; print(sum(1 for w in json.load(open(sys.argv[1])) if w["role"] == "image" and w["visible"]))' "$WORK/list.json")
check_eq "the list shows one thumbnail (the good one in view)" 1 "$thumbs"

# png_pixel FILE X Y: "R G B" of a screenshot's pixel (8-bit RGB/RGBA PNG).
png_pixel() {
    python3 - "$@" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
x, y = int(sys.argv[2]), int(sys.argv[3])
pos, idat, w, h, ct = 8, b"", 0, 0, 0
while pos < len(data):
    n = struct.unpack(">I", data[pos:pos + 4])[0]
    t = data[pos + 4:pos + 8]
    body = data[pos + 8:pos + 8 + n]
    if t == b"IHDR":
        w, h, bd, ct = struct.unpack(">IIBB", body[:10])
    elif t == b"IDAT":
        idat += body
    pos += 12 + n
bpp = 4 if ct == 6 else 3
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
rows = []
i = 0
for r in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for k in range(stride):
        a = line[k - bpp] if k >= bpp else 0
        b = prev[k]; c = prev[k - bpp] if k >= bpp else 0
        if f == 1: line[k] = (line[k] + a) & 255
        elif f == 2: line[k] = (line[k] + b) & 255
        elif f == 3: line[k] = (line[k] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[k] = (line[k] + pr) & 255
    rows.append(line); prev = line
px = rows[y][x * bpp:x * bpp + 3]
print(px[0], px[1], px[2])
PY
}

# image_rect DUMP ID: "x y w h" of widget ID, or nothing
image_rect() {
    python3 -c '
import json, sys
for w in json.load(open(sys.argv[1])):
    if w["id"] == sys.argv[2] and w["visible"]:
        print(*w["rect"])' "$1" "$2"
}

while read -r act id; do
    for lang in nl ar; do
        for size in 1280x800 1080x1920; do
            name=$act-$lang-$size
            cat >"$WORK/$name.script" <<SCRIPT
tap "#attract"
tap "#lang.$lang"
tap "#home.activities"
tap "#filter.all"
tap "#$id"
expect-screen activity
dump "$WORK/$name.json"
screenshot "$WORK/$name.png"
SCRIPT
            run "$BK" run --config "$WORK/kiosk.ini" --db "$DB" --headless --size "$size" \
                --now "$NOW" --set ui.languages=nl,en,tr,ar,pl,uk --script "$WORK/$name.script"
            check_eq "$name: script runs ($ERR)" 0 "$RC"
            rect=$(image_rect "$WORK/$name.json" activity.image)
            if [ "$act" = "$GOOD" ]; then
                if [ -z "$rect" ]; then
                    fail "$name: no activity.image"
                    continue
                fi
                pass
                # shellcheck disable=SC2086
                set -- $rect
                check_eq "$name: the picture's pixels in its middle" "200 30 140" \
                    "$(png_pixel "$WORK/$name.png" $(($1 + $3 / 2)) $(($2 + $4 / 2)))"
                fh=${size#*x}
                if [ "$4" -gt $((fh * 2 / 5)) ]; then
                    fail "$name: the image is $4 px high, over 40 % of $fh"
                else
                    pass
                fi
            else
                check_eq "$name: no activity.image" "" "$rect"
            fi
        done
    done
done <"$WORK/ids"
check_eq "five activities found in the list" 5 "$(wc -l <"$WORK/ids" | tr -d ' ')"

# Read aloud on the detail with a picture: the title is said once, not
# again for the picture that carries it as its label.
good_id=$(awk -v a="$GOOD" '$1 == a { print $2 }' "$WORK/ids")
cat >"$WORK/speak.script" <<SCRIPT
tap "#attract"
tap "#home.activities"
tap "#filter.all"
tap "#$good_id"
expect "#activity.image"
tap "#a11y.speak"
SCRIPT
: >"$WORK/speech.log"
run env SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$WORK/speech.raw" \
    "$BK" run --config "$WORK/kiosk.ini" --db "$DB" --headless --size 1280x800 \
    --now "$NOW" --speech-log "$WORK/speech.log" --script "$WORK/speak.script"
check_eq "speech script runs ($ERR)" 0 "$RC"
title=$(python3 -c '
import json, sys
for w in json.load(open(sys.argv[1])):
    if w["id"] == "activity.image": print(w["label"])' "$WORK/$GOOD-nl-1280x800.json")
said=$(grep -c -F -x "nl	$title" "$WORK/speech.log")
check_eq "the title '$title' is said once on entry" 1 "$said"

# A picture no longer named goes at the next sync.
python3 - "$WWW/feed.json" <<'PY'
import json, sys
feed = json.load(open(sys.argv[1]))
for a in feed["activities"]:
    a.pop("image", None)
feed["services"][0].pop("image", None)
feed["generated_at"] = "2026-11-25T09:30:00+01:00"
json.dump(feed, open(sys.argv[1], "w"))
PY
run "$BK" sync --config "$WORK/kiosk.ini" --db "$DB" --now "$NOW" --feed "$URL/feed.json"
check_contains "the second feed is applied" "$OUT" "feed: applied"
check_eq "the unnamed picture is removed" 0 "$(find "$IMG" -name '*.png' | wc -l | tr -d ' ')"
summary
