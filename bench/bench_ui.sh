#!/bin/sh
# bench_ui.sh [BUILD_DIR] [bench_ui options...]
#
# The screen's performance report (bench/README.md): runs bench_ui from an
# existing build (default build/release; it builds nothing), which measures
# in process and, through the LD_PRELOAD probe, the real buurtkiosk binary,
# and prints one table.
#
# Chromium (row 6, the baseline): measured when `chromium` is installed;
# with BK_BENCH_CHROMIUM=1 the script first installs Debian's package if it
# is missing (apt-get, as root); with BK_BENCH_CHROMIUM=0 it is skipped.
set -eu

build=${1:-build/release}
[ $# -gt 0 ] && shift

bench_ui=$build/bench/bench_ui
kiosk=$build/buurtkiosk
probe=$build/bench/bk_frame_probe.so
for f in "$bench_ui" "$kiosk" "$probe"; do
    if [ ! -e "$f" ]; then
        echo "bench_ui.sh: $f is missing; build first, e.g." >&2
        echo "  cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release && make -C $build -j2" >&2
        exit 2
    fi
done
if ! grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "bench_ui.sh: note: $build is not a Release build; figures are not worth quoting" >&2
fi

chromium=
case ${BK_BENCH_CHROMIUM:-} in
0) ;;
*)
    chromium=$(command -v chromium || command -v chromium-browser || true)
    if [ -z "$chromium" ] && [ "${BK_BENCH_CHROMIUM:-}" = 1 ]; then
        echo "bench_ui.sh: installing Debian's chromium for the baseline row" >&2
        if [ "$(id -u)" = 0 ]; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2 || true
        else
            sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2 || true
        fi
        chromium=$(command -v chromium || true)
    fi
    ;;
esac

if [ -n "$chromium" ]; then
    exec "$bench_ui" --kiosk "$kiosk" --probe "$probe" --chromium "$chromium" "$@"
fi
exec "$bench_ui" --kiosk "$kiosk" --probe "$probe" "$@"
