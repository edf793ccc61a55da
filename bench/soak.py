#!/usr/bin/env python3
"""soak: the kiosk under a long, seeded random session (issue 14, "Soak").

The real binary, `buurtkiosk run --headless`, with its event loop and its
network thread, gets taps, swipes and holds across every screen through
bench/input_feed.c (an LD_PRELOAD finger), and between them staff's
"sync now" again and again while nginx serves a feed this script swaps:
good (two different feeds, so each good one applies) and broken in turn
(garbage bytes, a truncated feed, a feed the contract rejects whole, an
HTML error page). bench/frame_probe.c reports each presented frame.

It measures and prints as one table:
  - no crash: the kiosk is still running at the end and stops cleanly on
    SIGTERM with status 0 (under ASan: LeakSanitizer finds nothing, else
    the status is not 0 and its report is printed);
  - RSS growth after the warm-up (Soak.warmup_end: every tap target
    tapped, the first staff visit over, the kiosk's text cache full, and
    at least a tenth of the actions), judged at rest: VmRSS on the attract
    screen after the idle timeout, before each staff visit and at the end
    (the kiosk gives free heap back there, src/app/run.c give_back_heap),
    from the first such sample after the warm-up to the last. Beside it,
    for information, VmRSS (from /proc/PID/status) sampled
    at least a hundred times and once per 1,000 actions; per window of
    --window actions (10,000) with the heap's bytes in use and free
    (mallinfo2, through input_feed.c), SQLite's memory and RssFile beside
    it; the samples are written to soak-rss.tsv (--series prints RSS);
  - tap to frame: from writing the finger's lift to the next presented
    frame, p50 and p99 over the first and the last tenth of the taps;
  - every sync's outcome as the kiosk logs it (applied for a good feed,
    rejected for a broken one).
Exit status 0 when there was no crash, no sanitizer report, every sync
ended as it should and RSS grew by at most 1 MiB after the warm-up
(judged without a sanitizer, when at least one window follows the
warm-up); 1 otherwise. The frame times are reported, never failed on:
timings on a shared machine are noise.

  soak.py --kiosk BK --make-feed MF --input-feed SO --probe SO
          [--actions N] [--syncs N] [--seed S] [--size WxH]
          [--sanitized] [--tmpdir DIR] [--keep] [--series] [--progress N]
          [--warmup N] [--window N]
The full soak is --actions 100000 --syncs 1000 (bench/README.md).
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PIN = "246813"
WAKE_FD = 250          # where input_feed.c puts the loop's eventfd
FRAME_WAIT_S = 0.06    # how long a tap waits for its frame (ASan: 0.12)
TAP_HOLD_S = 0.02      # finger down to up
GAP_S = 0.01           # between actions
SWIPE_STEP_S = 0.016   # between a swipe's moves (a 60 Hz touch panel)
SYNC_TIMEOUT_S = 60.0
RSS_LIMIT_KIB = 1024
SYNCS_PER_VISIT = 20   # staff's "sync now" taps per visit to the staff screen
IDLE_WARN_S = 15       # the config's smallest ui.idle_warn_s
IDLE_COUNTDOWN_S = 20  # and ui.idle_countdown_s

BROKEN_KINDS = ("garbage", "truncated", "rejected-whole", "html")


def log(msg):
    print(msg, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


class Nginx:
    """Serves DIR/www on a loopback port; the feed is www/feed.json."""

    def __init__(self, work, binary="nginx"):
        self.dir = os.path.join(work, "nginx")
        self.www = os.path.join(work, "www")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        os.makedirs(self.www, exist_ok=True)
        self.port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        conf = f"""{user}
daemon off;
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {self.dir}/tmp/body;
    proxy_temp_path {self.dir}/tmp/proxy;
    fastcgi_temp_path {self.dir}/tmp/fastcgi;
    uwsgi_temp_path {self.dir}/tmp/uwsgi;
    scgi_temp_path {self.dir}/tmp/scgi;
    types {{ application/json json; text/html html; }}
    access_log off;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.www};
    }}
}}
"""
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen(
            [binary, "-p", self.dir, "-c", os.path.join(self.dir, "nginx.conf")],
            stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def serve(self, body):
        """Swaps the served feed atomically (a reader sees old or new)."""
        tmp = os.path.join(self.www, ".feed.json.new")
        with open(tmp, "wb") as f:
            f.write(body)
        os.rename(tmp, os.path.join(self.www, "feed.json"))

    def url(self):
        return f"http://127.0.0.1:{self.port}/feed.json"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Kiosk:
    """The real binary with the finger and the frame probe preloaded."""

    def __init__(self, args, conf, db, work, env):
        self.args = args
        in_r, self.in_w = os.pipe()
        self.probe_r, probe_w = os.pipe()
        env = dict(env)
        env["LD_PRELOAD"] = f"{args.probe} {args.input_feed}"
        env["BK_PROBE_FD"] = str(probe_w)
        env["BK_PROBE_LOOP"] = "1"    # E and W lines: a lift that drew nothing
        env["BK_INPUT_FD"] = str(in_r)
        env["BK_INPUT_WAKE_FD"] = str(WAKE_FD)
        env["BK_INPUT_SIZE"] = args.size
        self.stderr_path = os.path.join(work, "kiosk.log")
        self.stderr_file = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [args.kiosk, "run", "--headless", "--size", args.size, "--config", conf,
             "--db", db],
            env=env, pass_fds=(in_r, probe_w), stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        os.close(in_r)
        os.close(probe_w)
        self.lock = threading.Condition()
        self.presents = []      # CLOCK_MONOTONIC ns of each frame
        self.lifts = []         # (ns, tid): the loop took a finger lift
        self.waits = []         # (ns, tid): a thread blocked in poll()
        self.lines = []         # the kiosk's log, line by line
        threading.Thread(target=self._read_probe, daemon=True).start()
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_probe(self):
        with os.fdopen(self.probe_r, "r") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "P":
                    with self.lock:
                        self.presents.append(int(parts[1]))
                        self.lock.notify_all()
                elif len(parts) == 3 and parts[0] in "EW":
                    with self.lock:
                        (self.lifts if parts[0] == "E" else self.waits).append(
                            (int(parts[1]), parts[2]))
                        del self.waits[:-64]
                        del self.lifts[:-64]
                        self.lock.notify_all()

    def _read_log(self):
        for raw in self.proc.stderr:
            self.stderr_file.write(raw)
            self.stderr_file.flush()
            with self.lock:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.lock.notify_all()

    def send(self, line):
        try:
            os.write(self.in_w, (line + "\n").encode())
        except BrokenPipeError:
            pass  # the kiosk is gone: the caller's alive() check says so

    def alive(self):
        return self.proc.poll() is None

    def frames(self):
        with self.lock:
            return len(self.presents)

    def wait_frame_after(self, t_ns, timeout):
        """The first frame presented after t_ns, or None: after timeout,
        or as soon as the loop took the lift sent after t_ns and went back
        to sleep without drawing (frame_probe.c's E and W lines)."""
        end = time.monotonic() + timeout
        with self.lock:
            while True:
                # Frames come in order: look from the end back.
                i = len(self.presents)
                while i > 0 and self.presents[i - 1] > t_ns:
                    i -= 1
                if i < len(self.presents):
                    return self.presents[i]
                lift = next((e for e in self.lifts if e[0] > t_ns), None)
                if lift and any(w[1] == lift[1] and w[0] > lift[0] for w in self.waits):
                    return None
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.lock.wait(left)

    def wait_log(self, start, pattern, timeout):
        """The first log line from index start matching pattern, or None."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        with self.lock:
            i = start
            while True:
                while i < len(self.lines):
                    if rx.search(self.lines[i]):
                        return self.lines[i]
                    i += 1
                left = end - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self.lock.wait(min(left, 0.5))

    def log_len(self):
        with self.lock:
            return len(self.lines)

    def children(self):
        """The processes the kiosk has started and that still run (it
        starts none headless: a shell here would be a way out)."""
        out = []
        try:
            for tid in os.listdir(f"/proc/{self.proc.pid}/task"):
                with open(f"/proc/{self.proc.pid}/task/{tid}/children") as f:
                    out += f.read().split()
        except OSError:
            pass
        return out

    def rss_kib(self, field="VmRSS"):
        """VmRSS, or RssAnon (the heap, stacks, textures) or RssFile (the
        mapped fonts and libraries, shared with the page cache)."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return -1

    def memory(self, trim=False):
        """The heap's and SQLite's figures (KiB) from input_feed.c's memory
        report, beside VmRSS: {"rss", "used", "free", "mmap", "arena",
        "top", "sqlite", "sqlite_pcache"}. trim: malloc_trim(0) first
        (what the heap could give back; only at the end of a run)."""
        mark = self.log_len()
        self.send("T" if trim else "S")
        line = self.wait_log(mark, r"bk_input_feed: mem", 5.0)
        out = {"rss": self.rss_kib(), "anon": self.rss_kib("RssAnon"),
               "file": self.rss_kib("RssFile")}
        if line:
            for k, v in re.findall(r"(\w+)=(-?\d+)", line):
                out[k] = int(v)
        return out

    def fonts(self):
        """The font files the kiosk has mapped: FreeType maps each face it
        opens, so this is what faces are open."""
        try:
            with open(f"/proc/{self.proc.pid}/maps") as f:
                return {line.split()[-1] for line in f
                        if line.rstrip().endswith((".ttf", ".otf", ".ttc"))}
        except OSError:
            return set()

    def stop(self):
        os.close(self.in_w)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        time.sleep(0.2)  # the log thread reads what is left
        self.stderr_file.close()
        return rc


LEASE = 5  # places each occurrence leaves the soak's kiosk (with_signup_open)


def with_signup_open(feed_bytes):
    """The generated feed with sign-up open on every activity. The
    generator gives three in ten a sign-up, often full or closed, so the
    sign-up form and its keyboards would be reached only now and then,
    late and by chance. Here each activity's page leads to the form until
    it starts, which the warm-up (Soak.tour) then draws like every other
    screen. The soak's hub never answers, so each also gets a lease:
    places the kiosk may confirm on its own (hub-api-v1.md), which needs a
    capacity with places left; without one the kiosk offers no form."""
    feed = json.loads(feed_bytes)
    for act in feed["activities"]:
        su = act.get("signup")
        if su is None:
            # The generator's field sets, in turn: the phone pad and the
            # e-mail field each come up.
            extra = (["email"], ["party_size", "remark"], [])[sum(map(ord, act["id"])) % 3]
            act["signup"] = {"fields": ["name", "phone"] + extra}
        su = act["signup"]
        su["waitlist"] = True
        su["closes_before_min"] = 0
        su["capacity"] = cap = max(su.get("capacity", 30), LEASE + 1)
        taken = su.get("taken", 0)
        su["taken"] = {k: min(v, cap - LEASE) for k, v in taken.items()} \
            if isinstance(taken, dict) else min(taken, cap - LEASE)
        su["lease"] = LEASE
    return json.dumps(feed, ensure_ascii=False).encode()


def make_feeds(args, work, seed):
    """Two good feeds of different content, and the broken ones."""
    good = []
    for k in range(2):
        out = subprocess.run([args.make_feed, str(args.activities), str(seed + k)],
                             check=True, stdout=subprocess.PIPE).stdout
        good.append(with_signup_open(out))
    rng = random.Random(seed)
    broken = {
        "garbage": bytes(rng.getrandbits(8) for _ in range(4096)),
        "truncated": good[0][: len(good[0]) // 2],
        # The feed contract rejects it whole: no generated_at, every
        # activity invalid (issue 14's first finding).
        "rejected-whole": b'{"format":"buurtkiosk-feed","version":1,'
                          b'"activities":[1,"x",null,{"id":{}}]}',
        "html": b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    }
    return good, broken


LAYOUTS = 3  # the on-screen keyboard's layouts (src/screens/keyboard.c)
LANGS = ("nl", "en")  # the config's ui.languages; the first is the default


def dump_screens(args, conf, db, work, env):
    """The widgets of every screen in every offered language, from `dump`
    in script mode at the same size and config: where the random finger
    aims, the tour's and the staff path's positions. Keys are "LANG/NAME";
    searchK and signupK are the keyboard's layout K, signup-phone the
    form with the phone pad up. Returns (screens, item): item the activity
    on the list's first page whose sign-up form was dumped, or None."""
    def run_script(name, steps):
        path = os.path.join(work, name + ".script")
        with open(path, "w") as f:
            f.write("\n".join(steps) + "\n")
        r = subprocess.run([args.kiosk, "run", "--headless", "--size", args.size,
                            "--config", conf, "--db", db, "--script", path],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise RuntimeError(f"the walk {name} failed: " + r.stderr.decode("utf-8", "replace"))

    def d(name):
        return f'dump "{os.path.join(work, name.replace("/", "-") + ".json")}"'

    def keyboard(tag, name):
        """Dumps each layout in turn; the last tap brings the first back."""
        out = []
        for k in range(LAYOUTS):
            out += [d(f"{tag}/{name}{k}"), 'tap "#key.layout"']
        return out

    def resident(tag):
        return [d(f"{tag}/home"), 'tap "#home.activities"', 'tap "#filter.all"',
                d(f"{tag}/activities"),
                'tap "#nav.home"', 'tap "#home.services"', d(f"{tag}/services"),
                'tap "#nav.home"', 'tap "#home.announcements"', d(f"{tag}/announcements"),
                'tap "#nav.home"', 'tap "#home.search"'] + keyboard(tag, "search") + \
               ['tap "#nav.home"']

    def signup(tag, item):
        return ['tap "#home.activities"', 'tap "#filter.all"', f'tap "#{item}"',
                d(f"{tag}/activity"), 'tap "#activity.signup"'] + keyboard(tag, "signup") + \
               ['tap "#field.phone"', d(f"{tag}/signup-phone")]

    def load(tag):
        out = {}
        for f in os.listdir(work):
            if f.startswith(tag + "-") and f.endswith(".json"):
                with open(os.path.join(work, f)) as fh:
                    out[tag + "/" + f[len(tag) + 1:-5]] = json.load(fh)
        return out

    first = LANGS[0]
    hold = "hold 10 10 5200"
    pin = [f'tap "#pin.{c}"' for c in PIN] + ['tap "#pin.ok"']
    run_script("walk", [d(f"{first}/attract"), 'tap "#attract"'] + resident(first) +
               [hold, d(f"{first}/staff-pin")] + pin + [d(f"{first}/staff")])
    # Every activity takes sign-ups (with_signup_open), but not once it
    # has started: the first on the list that has not.
    items = [w["id"] for w in load(first)[f"{first}/activities"]
             if w.get("id", "").startswith("activity.")]
    item = None
    for candidate in items:
        try:
            run_script("signup", ['tap "#attract"'] + signup(first, candidate))
            item = candidate
            break
        except RuntimeError:
            continue
    if item is None:
        # Possible late in a day when every activity on the first page has
        # started; the random finger still reaches the form further down.
        log("soak: no activity on the list's first page takes sign-ups now: "
            "the sign-up form is not in the walk or the tour")
    screens = load(first)
    for lang in LANGS[1:]:
        run_script("walk-" + lang, ['tap "#attract"', f'tap "#lang.{lang}"'] +
                   resident(lang) + (signup(lang, item) if item else []))
        screens.update(load(lang))
    return screens, item


def centre(w):
    x, y, ww, hh = w["rect"]
    return x + ww // 2, y + hh // 2


# With read-aloud on, a button takes two taps (the first says it), and the
# idle reset does not turn it off: the staff path's single taps would miss.
# The random finger leaves the accessibility row alone (its buttons move
# with the language, so the whole row; the walk's tests cover them).
AVOID = ("a11y.speak", "a11y.large", "a11y.contrast")


def targets_of(screens):
    """Where a finger may land: every enabled widget but the staff screens'
    and those in AVOID."""
    out = []
    for name, widgets in screens.items():
        if name.split("/")[-1] in ("staff-pin", "staff"):
            continue
        for w in widgets:
            if w.get("enabled") and w.get("visible") and w.get("role") != "screen" \
                    and w.get("id") not in AVOID \
                    and w.get("rect") and w["rect"][2] > 0 and w["rect"][3] > 0:
                out.append((w.get("id", ""), centre(w)))
    return out


def avoid_rects(screens, width):
    """The rows AVOID's widgets are in, on every screen seen."""
    return [[0, w["rect"][1], width, w["rect"][3]] for widgets in screens.values()
            for w in widgets if w.get("id") in AVOID and w.get("rect")]


def nav_homes(screens):
    """Every place nav.home was seen (it moves when there is no nav.back)."""
    return sorted({centre(w) for widgets in screens.values() for w in widgets
                   if w.get("id") == "nav.home"})


def find(screens, screen, wid):
    for w in screens[screen]:
        if w.get("id") == wid:
            return centre(w)
    raise RuntimeError(f"no {wid} on {screen}")


class Soak:
    def __init__(self, args, kiosk, nginx, screens, signup_item, feeds, rng):
        self.args = args
        self.first = LANGS[0]  # the one attract and staff use
        self.signup_item = signup_item  # its page leads to the sign-up form
        self.k = kiosk
        self.nginx = nginx
        self.screens = screens
        self.good, self.broken = feeds
        self.rng = rng
        self.targets = targets_of(screens)
        self.avoid = avoid_rects(screens, int(args.size.split('x')[0]))
        self.homes = nav_homes(screens)
        self.idle_s = IDLE_WARN_S + IDLE_COUNTDOWN_S + 1.0
        self.w, self.h = (int(v) for v in args.size.split("x"))
        self.latencies = []    # (action index, ms)
        self.rss = []          # (action index, KiB)
        self.mem = []          # (action index, Kiosk.memory())
        self.trimmed = None    # Kiosk.memory(trim=True) at the end
        self.rest = []         # (action index, KiB): at rest on attract (rest_sample)
        # What the warm-up waits for (see warmup_end): the action index at
        # which the kiosk logged its text cache full, each tap target was
        # first tapped, and the first staff visit (its syncs) ended.
        self.cache_full_at = None
        self.target_ids = {t for t, _ in self.targets}
        self.tapped = set()
        self.all_tapped_at = None
        self.first_visit_at = None
        self.log_scanned = 0
        self.syncs = []        # (kind, expected, got line)
        self.counts = {"tap": 0, "swipe": 0, "hold": 0}
        self.sync_no = 0
        self.good_no = 0       # good feeds served: a and b in turn
        self.broken_no = 0     # broken feeds served: BROKEN_KINDS in turn
        self.errors = []
        self.fonts_known = set()  # font files mapped (Kiosk.fonts)
        self.fonts_opened = []    # (action index, file): mapped after the tour

    def tap(self, x, y, index, measure=True):
        wait = 0.12 if self.args.sanitized else FRAME_WAIT_S
        self.k.send(f"D {x} {y}")
        time.sleep(TAP_HOLD_S * self.args.pace)
        t = time.monotonic_ns()
        self.k.send(f"U {x} {y}")
        if measure:
            p = self.k.wait_frame_after(t, wait)
            if p is not None:
                self.latencies.append((index, (p - t) / 1e6))
        time.sleep(GAP_S * self.args.pace)

    def swipe(self):
        x = self.rng.randrange(self.w // 5, self.w * 4 // 5)
        y1 = self.rng.randrange(self.h // 4, self.h * 3 // 4)
        y2 = max(0, min(self.h - 1, y1 + self.rng.choice((-1, 1)) * self.rng.randrange(80, 400)))
        steps = self.rng.randrange(3, 9)
        self.k.send(f"D {x} {y1}")
        for i in range(1, steps + 1):
            time.sleep(SWIPE_STEP_S * self.args.pace)
            self.k.send(f"M {x} {y1 + (y2 - y1) * i // steps}")
        self.k.send(f"U {x} {y2}")
        time.sleep(GAP_S * self.args.pace)

    def hold(self):
        # Away from the staff corner: the lift of a hold is not a tap.
        x = self.rng.randrange(100, self.w)
        y = self.rng.randrange(100, self.h)
        self.k.send(f"D {x} {y}")
        time.sleep(self.rng.uniform(0.3, 0.8) * self.args.pace)
        self.k.send(f"U {x} {y}")
        time.sleep(GAP_S * self.args.pace)

    def action(self, index):
        r = self.rng.random()
        if r < 0.55 and self.targets:
            tid, (x, y) = self.rng.choice(self.targets)
            self.tap(x, y, index)
            self.counts["tap"] += 1
            self.tapped.add(tid)
            if self.all_tapped_at is None and self.tapped >= self.target_ids:
                self.all_tapped_at = index
        elif r < 0.75:
            while True:
                x, y = self.rng.randrange(self.w), self.rng.randrange(self.h)
                if not any(rx - 8 <= x < rx + rw + 8 and ry - 8 <= y < ry + rh + 8
                           for rx, ry, rw, rh in self.avoid):
                    break
            self.tap(x, y, index)
            self.counts["tap"] += 1
        elif r < 0.97:
            self.swipe()
            self.counts["swipe"] += 1
        else:
            self.hold()
            self.counts["hold"] += 1

    def go_home(self):
        """Each place nav.home may be, twice: from any resident screen to
        home (the first tap may only wake attract or close the idle
        warning; on home the taps land on the title)."""
        for home in self.homes:
            self.tap(*home, -1, measure=False)
            self.tap(*home, -1, measure=False)

    def tour(self):
        """Once, before the random session, in each offered language: home,
        the search screen and the sign-up form with each keyboard layout in
        turn, and the form's phone pad. A random finger gets to the third
        layout (two taps on the layout key in a row) only now and then, so
        the faces those keys need opened late, after the warm-up; the
        warm-up is meant to have drawn every screen."""
        def tap(lang, name, wid):
            self.tap(*find(self.screens, f"{lang}/{name}", wid), -1, measure=False)
        current = self.first
        for lang in LANGS:
            self.go_home()
            tap(current, "home", "lang." + lang)
            current = lang
            tap(lang, "home", "home.search")
            for k in range(LAYOUTS):
                tap(lang, f"search{k}", "key.layout")
            tap(lang, "search0", "nav.home")
            if not self.signup_item:
                continue
            tap(lang, "home", "home.activities")
            tap(lang, "activities", "filter.all")
            tap(lang, "activities", self.signup_item)
            tap(lang, "activity", "activity.signup")
            for k in range(LAYOUTS):
                tap(lang, f"signup{k}", "key.layout")
            tap(lang, "signup0", "field.phone")
            tap(lang, "signup-phone", "nav.home")
        self.go_home()
        tap(current, "home", "lang." + self.first)
        time.sleep(0.5)
        self.fonts_known = self.k.fonts()
        log("soak: faces open after the tour: " +
            ", ".join(sorted(os.path.basename(f) for f in self.fonts_known)))

    def enter_staff(self, i):
        """Home, the staff gesture, the PIN. True once staff mode is open.
        First the idle timeout: it brings any screen back to attract in the
        first language with large text off, where the staff path's
        positions hold."""
        time.sleep(self.idle_s)
        self.rest_sample(i)
        for _ in range(3):
            self.go_home()
            mark = self.k.log_len()
            self.k.send("D 10 10")
            time.sleep(5.3)
            self.k.send("U 10 10")
            if not self.k.wait_log(mark, r"PIN pad opened", 2.0):
                continue
            mark = self.k.log_len()
            for c in PIN:
                self.tap(*find(self.screens, self.first + "/staff-pin", f"pin.{c}"), -1, measure=False)
            self.tap(*find(self.screens, self.first + "/staff-pin", "pin.ok"), -1, measure=False)
            if self.k.wait_log(mark, r"staff logged in", 3.0):
                return True
        return False

    def sync_once(self, good):
        """One "sync now": serves a good feed (the two in turn) or the next
        broken kind, taps the button, and checks the outcome of that pass:
        the first feed line after this tap's "staff action: sync" (a pass
        the kiosk started by itself before the tap ends before it)."""
        if good:
            kind = "good-" + "ab"[self.good_no % 2]
            body = self.good[self.good_no % 2]
            self.good_no += 1
        else:
            kind = BROKEN_KINDS[self.broken_no % len(BROKEN_KINDS)]
            body = self.broken[kind]
            self.broken_no += 1
        self.sync_no += 1
        self.nginx.serve(body)
        mark = self.k.log_len()
        self.tap(*find(self.screens, self.first + "/staff", "staff.sync"), -1, measure=False)
        line = None
        asked = self.k.wait_log(mark, r"staff action: sync", SYNC_TIMEOUT_S)
        if asked is not None:
            with self.k.lock:
                at = self.k.lines.index(asked, mark)
            line = self.k.wait_log(at + 1, r"feed: (applied|unchanged|rejected|unreachable)",
                                   SYNC_TIMEOUT_S)
        expected = "applied" if good else "rejected"
        got = line[line.index("feed: "):] if line else "(no sync line)"
        self.syncs.append((kind, expected, got))
        if not got.startswith("feed: " + expected):
            self.errors.append(f"sync {self.sync_no} ({kind}): expected {expected}, got {got}")

    def staff_visit(self, i, n):
        if not self.enter_staff(i):
            self.errors.append("could not open staff mode")
            return
        # Good and broken in turn, a good one last: after a rejected feed
        # the kiosk tries again by itself with backoff (net/sync.c), and
        # such a pass must not run into the next visit's syncs.
        for j in range(n):
            self.sync_once(good=(n - 1 - j) % 2 == 0)
        self.tap(*find(self.screens, self.first + "/staff", "staff.exit"), -1, measure=False)

    def watch_log(self, index):
        """Notes the action at which the text cache filled."""
        with self.k.lock:
            lines = self.k.lines[self.log_scanned:]
            self.log_scanned = len(self.k.lines)
        if self.cache_full_at is None and any("text cache full" in x for x in lines):
            self.cache_full_at = index

    def rest_sample(self, i):
        """VmRSS at rest: the idle timeout has brought the kiosk back to
        attract (the caller waited self.idle_s), where it gives free heap
        back; a moment more for that."""
        time.sleep(1.0)
        self.rest.append((i, self.k.memory()["rss"]))

    def sample(self, i):
        opened = self.k.fonts() - self.fonts_known
        self.fonts_known |= opened
        self.fonts_opened += [(i, os.path.basename(f)) for f in sorted(opened)]
        m = self.k.memory()
        self.rss.append((i, m["rss"]))
        self.mem.append((i, m))
        self.watch_log(i)

    def run(self):
        a = self.args
        visits = max(1, -(-a.syncs // SYNCS_PER_VISIT))
        per_visit = [a.syncs // visits + (1 if i < a.syncs % visits else 0)
                     for i in range(visits)]
        # Sync visits spread evenly over the actions.
        visit_at = {(i + 1) * a.actions // (visits + 1): i for i in range(visits)}
        # At least a hundred samples, one every 1,000 actions at most, and
        # one on each window's edge (the per-window table).
        sample_every = max(1, min(a.actions // 100, 1000))
        self.tour()
        start = time.monotonic()
        for i in range(a.actions):
            if i in visit_at:
                self.staff_visit(i, per_visit[visit_at[i]])
                if self.first_visit_at is None:
                    self.first_visit_at = i
            self.action(i)
            if i % sample_every == 0 or i % a.window == 0 or i == a.actions - 1:
                if not self.k.alive():
                    self.errors.append(f"the kiosk died after {i} actions")
                    return
                self.sample(i)
                if self.k.children():
                    self.errors.append(f"the kiosk runs another program after {i} actions: "
                                       f"{self.k.children()}")
            if a.progress and i and i % a.progress == 0:
                log(f"soak: {i} actions, {len(self.syncs)} syncs, "
                    f"RSS {self.rss[-1][1]} KiB, {time.monotonic() - start:.0f} s")
        # The last working sample, then at rest on attract, as before each
        # staff visit: the judged figure.
        time.sleep(0.5)
        self.sample(a.actions)
        time.sleep(self.idle_s)
        self.rest_sample(a.actions)
        # Then what a malloc_trim(0) gives back: free heap pages RSS still
        # counts (fragmentation), not a leak. Measured after the judged
        # sample, so it changes no figure that is judged.
        self.trimmed = self.k.memory(trim=True)

    def warmup_end(self):
        """The action after which RSS is judged, or None while the warm-up
        is not over: every tap target tapped once (each screen and each
        language button, so every screen and language drawn), the first
        staff visit with its good and broken syncs done, the kiosk's text
        cache full (its largest bounded cache: 24 MiB of textures; it logs
        the moment), and at least --warmup actions (default a tenth). The
        other caches are bounded far below (bench/README.md) and fill
        before these."""
        a = self.args
        parts = (self.all_tapped_at, self.first_visit_at if a.syncs else 0,
                 self.cache_full_at)
        if any(p is None for p in parts):
            return None
        minimum = a.warmup if a.warmup is not None else a.actions // 10
        end = max(minimum, *parts)
        # The first sample at or after it.
        return next((i for i, _ in self.rss if i >= end), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--make-feed", required=True)
    ap.add_argument("--input-feed", required=True)
    ap.add_argument("--probe", required=True)
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    ap.add_argument("--actions", type=int, default=100000)
    ap.add_argument("--syncs", type=int, default=1000)
    ap.add_argument("--activities", type=int, default=300)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--size", default="1280x800")
    ap.add_argument("--sanitized", action="store_true",
                    help="the kiosk is an ASan build: RSS is reported, not judged")
    ap.add_argument("--pace", type=float, default=1.0,
                    help="scales every wait a finger makes (tap, swipe step, hold, "
                         "gap); 0.5 is a quick hand on a 120 Hz panel")
    ap.add_argument("--tmpdir", default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--series", action="store_true", help="print the RSS series")
    ap.add_argument("--progress", type=int, default=0, help="a line every N actions")
    ap.add_argument("--warmup", type=int, default=None,
                    help="the warm-up's least actions (default: a tenth); it also waits "
                         "for every target tapped, a staff visit and the text cache full")
    ap.add_argument("--window", type=int, default=10000,
                    help="RSS growth is reported per this many actions, and judged only "
                         "when at least one window follows the warm-up")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4), "little")
    log(f"soak: seed {seed} (again: --seed {seed}), {a.actions} actions, {a.syncs} syncs")
    rng = random.Random(seed)

    work = tempfile.mkdtemp(prefix="bk-soak.", dir=a.tmpdir)
    env = dict(os.environ)
    env.setdefault("BUURTKIOSK_LOG", "info")
    env["SDL_AUDIODRIVER"] = "dummy"
    if a.sanitized:
        # The probes are preloaded before the ASan runtime; they allocate
        # nothing it needs to see first.
        opts = env.get("ASAN_OPTIONS", "")
        env["ASAN_OPTIONS"] = (opts + ":" if opts else "") + \
            "verify_asan_link_order=0:detect_leaks=1"
    nginx = None
    kiosk = None
    ok = False
    try:
        nginx = Nginx(work, a.nginx)
        good, broken = make_feeds(a, work, seed)
        nginx.serve(good[0])
        pin_hash = subprocess.run([a.kiosk, "hash-pin"], input=(PIN + "\n").encode(),
                                  check=True, stdout=subprocess.PIPE).stdout.decode().strip()
        conf = os.path.join(work, "kiosk.ini")
        closed = free_port()  # a hub nobody answers: sign-up screens exist, sends fail fast
        with open(conf, "w") as f:
            f.write(f"[kiosk]\nfeed = {nginx.url()}\nhub = http://127.0.0.1:{closed}\n"
                    f"id = soak\n[sync]\ninterval_s = 86400\n"
                    f"[ui]\nlanguages = {','.join(LANGS)}\nidle_warn_s = {IDLE_WARN_S}\nidle_countdown_s = {IDLE_COUNTDOWN_S}\n"
                    f"[staff]\npin_hash = {pin_hash}\n")
        db = os.path.join(work, "kiosk.db")
        r = subprocess.run([a.kiosk, "sync", "--config", conf, "--db", db], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if not r.stdout.startswith(b"feed: applied"):
            raise RuntimeError("the first sync did not apply: " + r.stdout.decode())
        screens, item = dump_screens(a, conf, db, work, env)
        log("soak: screens seen by the walk: " + ", ".join(sorted(screens)))

        kiosk = Kiosk(a, conf, db, work, env)
        if kiosk.wait_frame_after(0, 30.0) is None:
            raise RuntimeError("the kiosk drew no first frame")
        soak = Soak(a, kiosk, nginx, screens, item, (good, broken), rng)
        t0 = time.monotonic()
        soak.run()
        elapsed = time.monotonic() - t0
        alive = kiosk.alive()
        frames = kiosk.frames()
        rc = kiosk.stop()
        log_text = open(kiosk.stderr_path, errors="replace").read()
        sanitizer = re.findall(r"ERROR: (?:LeakSanitizer|AddressSanitizer)[^\n]*|"
                               r"runtime error:[^\n]*", log_text)
        ok = report(a, soak, alive, rc, sanitizer, frames, elapsed)
        if not ok:
            tail = log_text.splitlines()[-40:]
            log("soak: the kiosk's log ends:\n  " + "\n  ".join(tail))
        with open(os.path.join(work, "soak-rss.tsv"), "w") as f:
            keys = ("rss", "anon", "file", "used", "free", "mmap", "arena", "top", "sqlite", "sqlite_pcache")
            f.write("action\t" + "\t".join(keys) + "\n")
            f.writelines(f"{i}\t" + "\t".join(str(m.get(k, "")) for k in keys) + "\n"
                         for i, m in soak.mem)
        # The judged samples: VmRSS at rest on attract, before each staff
        # visit and at the end.
        with open(os.path.join(work, "soak-rest.tsv"), "w") as f:
            f.write("action\trss_at_rest\n")
            f.writelines(f"{i}\t{kib}\n" for i, kib in soak.rest)
    except (RuntimeError, subprocess.CalledProcessError, OSError) as e:
        log(f"soak: could not run: {e}")
    finally:
        if kiosk and kiosk.alive():
            kiosk.proc.kill()
        if nginx:
            nginx.stop()
        if a.keep or not ok:
            log(f"soak: files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


def report(a, soak, alive, rc, sanitizer, frames, elapsed):
    n = a.actions
    warm = soak.warmup_end()
    series = [(i, v) for i, v in soak.rss if warm is not None and i >= warm]
    base = series[0][1] if series else -1
    last = soak.rss[-1][1] if soak.rss else -1
    peak = max((v for _, v in series), default=-1)
    growth = last - base if series else 0
    # Judged: at rest, from the first rest sample after the warm-up to the
    # last (at the end).
    rest = [(i, v) for i, v in soak.rest if warm is not None and i >= warm]
    rest_growth = rest[-1][1] - rest[0][1] if len(rest) >= 2 else 0
    mem = dict(soak.mem)
    m0, m1 = mem.get(warm, {}), mem.get(soak.rss[-1][0], {}) if soak.rss else {}
    first = [ms for i, ms in soak.latencies if i < n // 10]
    final = [ms for i, ms in soak.latencies if i >= n - n // 10]
    applied = sum(1 for k, e, g in soak.syncs if e == "applied")
    broken = len(soak.syncs) - applied
    sync_ok = not soak.errors and len(soak.syncs) == a.syncs
    # Judged once the warm-up is over (warmup_end) and at least one window
    # of actions follows it: before the text cache is full RSS grows as it
    # should, and a span shorter than a window hides a slow leak. Not under
    # ASan, whose shadow memory and quarantine are RSS too.
    judged_span = n - warm if warm is not None else 0
    judged = not a.sanitized and judged_span >= a.window and len(rest) >= 2
    rss_ok = not judged or rest_growth <= RSS_LIMIT_KIB
    if a.sanitized:
        rss_why = "n/a (ASan)"
    elif warm is None:
        missing = [what for what, at in (("text cache not full", soak.cache_full_at),
                                         ("targets not all tapped", soak.all_tapped_at),
                                         ("no staff visit", soak.first_visit_at if a.syncs
                                          else 0)) if at is None]
        rss_why = "n/a (warm-up not over: " + ", ".join(missing) + ")"
    elif judged_span < a.window:
        rss_why = f"n/a ({judged_span} actions after warm-up, under --window {a.window})"
    elif not judged:
        rss_why = "n/a (no staff visit after the warm-up: one sample at rest)"
    else:
        rss_why = "ok" if rss_ok else "FAILED"
    crash_ok = alive and rc == 0 and not sanitizer
    p99_first, p99_last = percentile(first, 99), percentile(final, 99)
    p99_ok = p99_last <= max(p99_first * 1.5, p99_first + 2.0)

    rows = [
        ("actions (taps, swipes, holds)",
         f"{soak.counts['tap']} / {soak.counts['swipe']} / {soak.counts['hold']}", "", ""),
        ("syncs (good applied / broken rejected)",
         f"{applied} / {broken} of {a.syncs}", "all as expected", "ok" if sync_ok else "FAILED"),
        ("crash, exit status on SIGTERM",
         f"{'running' if alive else 'DIED'}, {rc}", "running, 0", "ok" if alive and rc == 0
         else "FAILED"),
        ("sanitizer reports (ASan, LSan, UBSan)",
         str(len(sanitizer)) if a.sanitized else "n/a (not a sanitizer build)", "0",
         "ok" if not sanitizer else "FAILED"),
        ("warm-up over at action (targets, staff, text cache)",
         f"{warm if warm is not None else '-'} ({soak.all_tapped_at}, {soak.first_visit_at}, "
         f"{soak.cache_full_at})", "", ""),
        ("RSS after warm-up, at the end, peak (KiB)", f"{base}, {last}, {peak}", "", ""),
        ("RSS at rest (attract) after warm-up, at the end (KiB)",
         f"{rest[0][1] if rest else '-'} (action {rest[0][0] if rest else '-'}), "
         f"{rest[-1][1] if rest else '-'}", "", ""),
        ("RSS growth at rest after warm-up (KiB)", str(rest_growth), f"<= {RSS_LIMIT_KIB}",
         rss_why),
        ("RSS growth while working, after warm-up (KiB)", str(growth), "", "info"),
        ("heap in use after warm-up, at the end (KiB)",
         f"{m0.get('used', '-')}, {m1.get('used', '-')}", "", ""),
        ("heap free (kept) after warm-up, at the end (KiB)",
         f"{m0.get('free', '-')}, {m1.get('free', '-')}", "", ""),
        ("RssFile (fonts, libraries) after warm-up, at the end (KiB)",
         f"{m0.get('file', '-')}, {m1.get('file', '-')}", "", ""),
        ("SQLite memory after warm-up, at the end (KiB)",
         f"{m0.get('sqlite', '-')}, {m1.get('sqlite', '-')}", "", ""),
        ("RSS at the end after malloc_trim(0) (KiB), the trim's time",
         f"{(soak.trimmed or {}).get('rss', '-')}, "
         f"{(soak.trimmed or {}).get('trim_us', 0) / 1000:.1f} ms", "", ""),
        ("tap to frame, first tenth p50 / p99 (ms)",
         f"{percentile(first, 50):.1f} / {p99_first:.1f} ({len(first)} taps)", "", ""),
        ("tap to frame, last tenth p50 / p99 (ms)",
         f"{percentile(final, 50):.1f} / {p99_last:.1f} ({len(final)} taps)",
         "p99 unchanged", "ok" if p99_ok else "MISSED"),
        ("frames presented, wall time", f"{frames}, {elapsed:.0f} s", "", ""),
        ("faces opened after the tour (action: file)",
         ", ".join(f"{i}: {f}" for i, f in soak.fonts_opened) or "none", "", "info"),
    ]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    log(f"{'soak':<{w0}}  {'measured':<{w1}}  {'target':<{w2}}  result")
    for r in rows:
        log(f"{r[0]:<{w0}}  {r[1]:<{w1}}  {r[2]:<{w2}}  {r[3]}")
    # Per window: a linear leak shows as the same growth in every window,
    # a cache filling as growth that stops.
    edges = sorted({i for i, _ in soak.rss if i % a.window == 0} | {soak.rss[-1][0]}) \
        if soak.rss else []
    if len(edges) > 1:
        log(f"RSS per {a.window} actions (KiB): window, RSS at its end, growth; "
            "heap in use growth; heap free growth; RssFile growth")
        for lo, hi in zip(edges, edges[1:]):
            r0, r1 = dict(soak.rss)[lo], dict(soak.rss)[hi]
            u = mem.get(hi, {}).get("used", 0) - mem.get(lo, {}).get("used", 0)
            f = mem.get(hi, {}).get("free", 0) - mem.get(lo, {}).get("free", 0)
            tag = "" if warm is not None and lo >= warm else "  (warm-up)"
            fl = mem.get(hi, {}).get("file", 0) - mem.get(lo, {}).get("file", 0)
            log(f"  {lo:>6}-{hi:<6}  {r1:>7}  {r1 - r0:>+7}   {u:>+7}   {f:>+7}   {fl:>+7}{tag}")
    if a.series:
        log("RSS series (action KiB): " + " ".join(f"{i}:{v}" for i, v in soak.rss))
    for e in soak.errors[:20]:
        log("soak: " + e)
    for s in sanitizer[:20]:
        log("soak: " + s)
    return sync_ok and rss_ok and crash_ok


if __name__ == "__main__":
    sys.exit(main())
