#!/usr/bin/env python3
"""lockdown: no key and no crash takes the kiosk off its screen (issue 14).

1. Keys: the real binary (`run --headless`, its event loop) gets, through
   bench/input_feed.c, every key a hostile resident with a keyboard might
   try: Alt+F4, Ctrl+Q, Ctrl+W, Alt+Tab, Ctrl+Alt+F1..F12, Escape, the
   Windows key, Ctrl+Alt+Delete; and SDL_QUIT and a window close, which a
   window manager sends. After each the kiosk still runs; after all of
   them a tap on attract still draws a frame within a second, and SIGTERM
   still stops it with status 0.
2. Never as root: as root, `run` on a screen (not --headless) exits 2
   with a message saying why, before opening anything; --headless runs.
3. A crash restarts to attract within 5 s: the kiosk is killed with
   SIGSEGV, started again after the unit's RestartSec (as systemd's
   Restart=always does; no running systemd here), and the time from the
   kill to the new process's first frame is measured. Its first frame is
   the attract screen (a `dump` of the first frame in script mode, same
   database, says so).
4. The unit: Restart=always, RestartSec of at most 4 s, a User that is not
   root, and the console held (TTYPath=/dev/tty1, StandardInput=tty) so
   that SDL turns the kernel's VT switching keys off.
Environment: BK, BK_SRC, BK_INPUT_FEED, BK_PROBE, BK_MAKE_FEED.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import types

sys.path.insert(0, os.path.join(os.environ["BK_SRC"], "bench"))
import soak  # noqa: E402  (the Kiosk and Nginx helpers)

PASSED = 0
FAILED = 0


def check(name, ok, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
    else:
        FAILED += 1
        print(f"FAIL {name} {detail}", file=sys.stderr, flush=True)


# SDL keycodes and modifiers (SDL_keycode.h).
SDLK_ESCAPE = 27
SDLK_TAB = 9
SDLK_DELETE = 127
SDLK_Q = ord("q")
SDLK_W = ord("w")
SDLK_F = [(1 << 30) | (58 + i) for i in range(12)]   # F1..F12: scancodes 58..69
SDLK_LGUI = (1 << 30) | 227
KMOD_LCTRL = 0x0040
KMOD_LALT = 0x0100
KMOD_LGUI = 0x0400

KEYS = [("Alt+F4", SDLK_F[3], KMOD_LALT), ("Ctrl+Q", SDLK_Q, KMOD_LCTRL),
        ("Ctrl+W", SDLK_W, KMOD_LCTRL), ("Alt+Tab", SDLK_TAB, KMOD_LALT),
        ("Escape", SDLK_ESCAPE, 0), ("Super", SDLK_LGUI, KMOD_LGUI),
        ("Ctrl+Alt+Delete", SDLK_DELETE, KMOD_LCTRL | KMOD_LALT)] + \
       [(f"Ctrl+Alt+F{i + 1}", SDLK_F[i], KMOD_LCTRL | KMOD_LALT) for i in range(12)]


def keys(args, conf, db, work, env):
    k = soak.Kiosk(args, conf, db, work, env)
    check("keys: first frame", k.wait_frame_after(0, 30.0) is not None)
    for name, sym, mod in KEYS:
        k.send(f"K {sym} {mod}")
        time.sleep(0.15)
        check(f"keys: still running after {name}", k.alive())
    for name, line in (("SDL_QUIT", "Q"), ("window close", "C")):
        mark = k.log_len()
        k.send(line)
        check(f"keys: {name} is ignored and said so",
              k.wait_log(mark, r"ignored a request to close the window", 2.0) is not None)
        time.sleep(0.15)
        check(f"keys: still running after {name}", k.alive())
    check("keys: no program started (no shell, no dialog)", not k.children(),
          str(k.children()))
    t = time.monotonic_ns()
    k.send("D 640 700")
    time.sleep(0.03)
    k.send("U 640 700")
    check("keys: a tap still draws a frame", k.wait_frame_after(t, 1.0) is not None)
    rc = k.stop()
    check("keys: SIGTERM stops it with 0", rc == 0, f"(status {rc})")


def never_root(args, conf, db, work, env):
    if os.geteuid() != 0:
        print("lockdown: not root, the refusal as root is not tried")
        return
    r = subprocess.run([args.kiosk, "run", "--config", conf, "--db", db], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    err = r.stderr.decode()
    check("root: run on a screen exits 2", r.returncode == 2, f"(status {r.returncode})")
    check("root: says why", "refusing to run on a screen as root" in err, err)
    r = subprocess.run([args.kiosk, "run", "--windowed", "--config", conf, "--db", db],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    check("root: --windowed too", r.returncode == 2, f"(status {r.returncode})")
    script = os.path.join(work, "one.script")
    with open(script, "w") as f:
        f.write("expect-screen attract\n")
    r = subprocess.run([args.kiosk, "run", "--headless", "--config", conf, "--db", db,
                        "--script", script], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    check("root: --headless runs", r.returncode == 0, r.stderr.decode())


def unit_value(text, key):
    vals = re.findall(rf"^{key}=(.*)$", text, re.M)
    return vals[-1] if vals else None


def crash_restart(args, conf, db, work, env, restart_s):
    k = soak.Kiosk(args, conf, db, work, env)
    check("crash: first frame", k.wait_frame_after(0, 30.0) is not None)
    t_kill = time.monotonic()
    k.proc.send_signal(signal.SIGSEGV)
    rc = k.proc.wait(timeout=30)
    k.stop()
    # Under ASan its SEGV handler reports and exits 1 instead of dying
    # of the signal; either way the process is gone.
    check("crash: SIGSEGV ended it", rc != 0, f"(status {rc})")
    # What systemd does for Restart=always: wait RestartSec, start again.
    time.sleep(max(0.0, restart_s - (time.monotonic() - t_kill)))
    k2 = soak.Kiosk(args, conf, db, work, env)
    first = k2.wait_frame_after(0, 30.0)
    took = (first / 1e9 - t_kill) if first else float("inf")
    print(f"lockdown: SIGSEGV to the first frame of the restarted kiosk: {took:.2f} s "
          f"(RestartSec {restart_s:g} s)")
    check("crash: back on screen within 5 s", took <= 5.0, f"({took:.2f} s)")
    rc = k2.stop()
    check("crash: the restarted kiosk stops with 0", rc == 0, f"(status {rc})")
    # The screen a fresh start shows, on the database the crash left.
    out = os.path.join(work, "first.json")
    script = os.path.join(work, "first.script")
    with open(script, "w") as f:
        f.write(f'dump "{out}"\n')
    r = subprocess.run([args.kiosk, "run", "--headless", "--size", args.size, "--config",
                        conf, "--db", db, "--script", script], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    screen = ""
    if r.returncode == 0:
        with open(out) as f:
            screen = next((w["id"] for w in json.load(f) if w.get("role") == "screen"), "")
    check("crash: it starts on attract", screen == "attract", f"({screen!r})")


def unit(src):
    text = open(os.path.join(src, "systemd", "buurtkiosk.service")).read()
    check("unit: Restart=always", unit_value(text, "Restart") == "always")
    rs = unit_value(text, "RestartSec")
    restart_s = float(rs) if rs and re.fullmatch(r"[0-9.]+", rs) else 99.0
    check("unit: RestartSec <= 4 s", restart_s <= 4.0, f"({rs})")
    user = unit_value(text, "User")
    check("unit: a User, not root", user not in (None, "", "root", "0"), f"({user})")
    check("unit: holds tty1", unit_value(text, "TTYPath") == "/dev/tty1")
    check("unit: as its controlling terminal", unit_value(text, "StandardInput") == "tty")
    check("unit: logs to the journal, not the screen",
          unit_value(text, "StandardOutput") == "journal" and
          unit_value(text, "StandardError") == "journal")
    check("unit: may open its console", "DeviceAllow=/dev/tty1 rw" in text and
          "DeviceAllow=/dev/tty rw" in text)
    check("unit: never gives up", unit_value(text, "StartLimitIntervalSec") == "0")
    return restart_s


def main():
    env = dict(os.environ)
    env.setdefault("BUURTKIOSK_LOG", "info")
    env["SDL_AUDIODRIVER"] = "dummy"
    args = types.SimpleNamespace(kiosk=env["BK"], input_feed=env["BK_INPUT_FEED"],
                                 probe=env["BK_PROBE"], size="1280x800")
    if env.get("BK_SANITIZED") == "1":
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    work = tempfile.mkdtemp(prefix="bk-lockdown.")
    restart_s = unit(env["BK_SRC"])
    conf = os.path.join(work, "kiosk.ini")
    with open(conf, "w") as f:
        f.write("[kiosk]\nid = lockdown\n")
    db = os.path.join(work, "kiosk.db")
    subprocess.run([args.kiosk, "sync", "--config", conf, "--db", db], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    keys(args, conf, db, work, env)
    never_root(args, conf, db, work, env)
    crash_restart(args, conf, db, work, env, restart_s)
    print(f"{PASSED} passed, {FAILED} failed")
    if FAILED == 0:
        subprocess.run(["rm", "-rf", work], check=False)
    else:
        print(f"lockdown: files kept in {work}")
    return 0 if FAILED == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
