#!/usr/bin/env python3
"""The staff console in a real browser (issue 13's first required test).

Headless Chromium (Debian's chromium and chromedriver, through Selenium)
against a real `buurthub serve` on loopback and a real `buurtkiosk`:

  log in through the form; from /admin/ follow "Activiteit toevoegen"; add
  tonight's activity with a unique title; the kiosk syncs and its script
  finds the title; the kiosk signs up "Fatma Yilmaz" by script; from
  /admin/ follow the occurrence's link to its list, where the name appears;
  follow "Afdrukken": the print view has the name and a print stylesheet;
  back on the list press "Aanwezig" (attend-SIGNUPID), after which
  attended-SIGNUPID shows; log out; the list's URL now lands on the login.

Every page is also looked at 640 CSS pixels wide (1280 at 200 % zoom): no
horizontal scroll. A screenshot of each step goes to $BK_BROWSER_OUT
(default: a new directory under $TMPDIR; printed at the end), kept after the test.

Run by console_browser.sh, which decides about skipping. Environment: BK,
BUURTHUB, BK_SRC, BK_CHROMIUM, BK_CHROMEDRIVER, BK_BROWSER_OUT.
Exit 0 when every step passed, 1 at the first step that failed (the later
steps depend on it), with the page's source saved next to the screenshots.
"""

import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import zoneinfo

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")
PASSWORD = "Een lange zin als wachtwoord"
NAME = "Fatma Yilmaz"
PHONE = "0612345678"
NARROW = 640  # CSS pixels: a 1280 px window at 200 % zoom


class StepFailed(Exception):
    pass


class Run:
    def __init__(self):
        self.bk = os.environ["BK"]
        self.hub_bin = os.environ["BUURTHUB"]
        self.src = os.environ["BK_SRC"]
        self.work = tempfile.mkdtemp(prefix="bk-browser.", dir=os.environ.get("TMPDIR"))
        self.out = os.environ.get("BK_BROWSER_OUT") or tempfile.mkdtemp(
            prefix="bk-browser-shots.", dir=os.environ.get("TMPDIR"))
        shutil.rmtree(self.out, ignore_errors=True)
        os.makedirs(self.out)
        self.hub = None
        self.driver = None
        self.shot = 0
        self.passed = 0
        self.step_name = "setup"

    # ---- bookkeeping ---------------------------------------------------------------

    def step(self, name):
        self.step_name = name
        print(f"-- {name}", flush=True)

    def ok(self, what):
        self.passed += 1
        print(f"ok   {what}", flush=True)

    def check(self, cond, what):
        if not cond:
            raise StepFailed(what)
        self.ok(what)

    def screenshot(self, name):
        self.shot += 1
        path = os.path.join(self.out, f"{self.shot:02d}-{name}.png")
        self.driver.save_screenshot(path)
        return path

    # ---- the hub and the kiosk ---------------------------------------------------------

    def hub_cmd(self, *args, **kw):
        return subprocess.run([self.hub_bin, *args], check=True, capture_output=True, text=True,
                              **kw).stdout

    def hub_now(self):
        """The hub's clock: --now plus the time since serve started."""
        return self.now + (time.monotonic() - self.hub_started)

    def start_hub(self):
        # Today at noon in the hub's zone: tonight's activity is hours away
        # whatever the hour the test runs at.
        today = datetime.datetime.now(ZONE).date()
        noon = datetime.datetime.combine(today, datetime.time(12, 0), ZONE)
        self.today = today
        self.now = noon.timestamp()
        self.db = os.path.join(self.work, "hub.db")
        feed = {
            "format": "buurtkiosk-feed", "version": 1,
            "generated_at": noon.isoformat(), "publisher": {"name": "Proef"},
            "languages": ["nl"],
            "locations": [{"id": "loc-proef", "name": "Buurthuis Proef"},
                          {"id": "loc-ander", "name": "Buurthuis Ander"}],
            "activities": [{
                "id": "act-bestaand", "title": "Koffieochtend", "location_id": "loc-ander",
                "starts_at": (noon - datetime.timedelta(hours=2)).isoformat(),
                "rrule": "FREQ=WEEKLY"}],
        }
        with open(os.path.join(self.work, "feed.json"), "w") as f:
            json.dump(feed, f)
        self.hub_cmd("import", "--db", self.db, os.path.join(self.work, "feed.json"))
        token = self.hub_cmd("kiosk", "add", "--db", self.db, "kiosk-proef")
        self.token_file = os.path.join(self.work, "token")
        with open(self.token_file, "w") as f:
            f.write(token)
        pw = os.path.join(self.work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        self.hub_cmd("staff", "add", "--db", self.db, "coord", "--all", "--password-file", pw)
        out = open(os.path.join(self.work, "hub.out"), "w")
        err = open(os.path.join(self.work, "hub.err"), "w")
        self.hub = subprocess.Popen(
            [self.hub_bin, "serve", "--db", self.db, "--listen", "127.0.0.1:0",
             "--now", noon.isoformat()], stdout=out, stderr=err)
        self.hub_started = time.monotonic()
        for _ in range(100):
            with open(os.path.join(self.work, "hub.out")) as f:
                m = re.search(r"^listening on (\S+)", f.read(), re.M)
            if m:
                self.url = m.group(1)
                break
            if self.hub.poll() is not None:
                break
            time.sleep(0.1)
        else:
            m = None
        if not m:
            raise StepFailed("buurthub serve did not start (hub.err in " + self.work + ")")
        self.kiosk_ini = os.path.join(self.work, "kiosk.ini")
        with open(self.kiosk_ini, "w") as f:
            f.write(f"[kiosk]\nid = kiosk-proef\nhub = {self.url}\n"
                    f"token_file = {self.token_file}\ntimezone = Europe/Amsterdam\n")
        self.kiosk_db = os.path.join(self.work, "kiosk", "kiosk.db")
        os.makedirs(os.path.dirname(self.kiosk_db))

    def kiosk_now(self):
        return datetime.datetime.fromtimestamp(int(self.hub_now()), ZONE).isoformat()

    def kiosk(self, *args):
        env = dict(os.environ, BUURTKIOSK_ASSETS=os.path.join(self.src, "assets"),
                   TZ="Europe/Amsterdam", SDL_VIDEODRIVER="dummy")
        r = subprocess.run([self.bk, *args, "--config", self.kiosk_ini, "--db", self.kiosk_db,
                            "--now", self.kiosk_now()],
                           capture_output=True, text=True, env=env, timeout=120)
        return r

    def kiosk_script(self, name, lines):
        path = os.path.join(self.work, name + ".script")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        r = self.kiosk("run", "--headless", "--script", path)
        with open(os.path.join(self.out, name + ".log"), "w") as f:
            f.write(r.stdout + r.stderr)
        return r

    # ---- the browser -----------------------------------------------------------------

    def start_browser(self):
        opts = webdriver.ChromeOptions()
        opts.binary_location = os.environ.get("BK_CHROMIUM", "/usr/bin/chromium")
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                    "--disable-gpu", "--window-size=1280,900", "--lang=nl-NL",
                    f"--user-data-dir={os.path.join(self.work, 'chromium')}"):
            opts.add_argument(arg)
        # Dutch first, as a Dutch buurthuis's browser asks.
        opts.add_experimental_option("prefs", {"intl.accept_languages": "nl-NL,nl"})
        service = Service(os.environ.get("BK_CHROMEDRIVER", "/usr/bin/chromedriver"),
                          log_path=os.path.join(self.work, "chromedriver.log"))
        self.driver = webdriver.Chrome(options=opts, service=service)
        self.driver.set_page_load_timeout(30)

    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path

    def narrow_check(self, name):
        """No horizontal scroll at 640 CSS px (200 % zoom of 1280); on the
        week page no time and no header word broken over two lines."""
        d = self.driver
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": NARROW, "height": 900, "deviceScaleFactor": 2,
                           "mobile": False})
        try:
            width = d.execute_script("return window.innerWidth")
            scroll = d.execute_script(
                "return Math.max(document.documentElement.scrollWidth,"
                " document.body ? document.body.scrollWidth : 0)")
            client = d.execute_script("return document.documentElement.clientWidth")
            # Cells of one word whose text takes more than one line box.
            broken = d.execute_script(
                "return [...document.querySelectorAll('table.week th,"
                " table.week td:first-child')].filter(c => {"
                " const r = document.createRange(); r.selectNodeContents(c);"
                " const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));"
                " return !/\\s/.test(c.textContent.trim()) && tops.size > 1;"
                "}).map(c => c.textContent)")
            self.screenshot(name + "-640px")
        finally:
            d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self.check(width == NARROW, f"{name}: the window is {NARROW} CSS px wide ({width})")
        self.check(scroll <= client,
                   f"{name}: no horizontal scroll at {NARROW} px (content {scroll}, view {client})")
        self.check(not broken, f"{name}: no time or heading broken mid-word at {NARROW} px"
                               f" ({broken or 'none'})")

    def wait_path(self, path, what):
        try:
            WebDriverWait(self.driver, 10).until(lambda d: self.path() == path)
        except WebDriverException:
            pass
        self.check(self.path() == path, f"{what} (at {self.driver.current_url})")

    # ---- the flow --------------------------------------------------------------------

    def run(self):
        d = self.driver
        self.step("log in through the form")
        d.get(self.url + "/admin/")
        self.wait_path("/admin/login", "/admin/ without a session lands on the login page")
        self.screenshot("login")
        self.narrow_check("login")
        d.find_element(By.ID, "username").send_keys("coord")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        d.find_element(By.CSS_SELECTOR, 'form[action="/admin/login"] [type="submit"]').click()
        self.wait_path("/admin/", "the login leads to /admin/")
        self.check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl",
                   "the console speaks Dutch to a Dutch browser")
        self.check("Koffieochtend" in d.page_source, "the week page lists this week's activity")
        self.screenshot("week")
        self.narrow_check("week")

        self.step("add tonight's activity through the form")
        title = "Proefavond " + uuid.uuid4().hex[:8]
        d.find_element(By.LINK_TEXT, "Activiteit toevoegen").click()
        self.check(d.find_elements(By.NAME, "title") != [],
                   "'Activiteit toevoegen' leads to the add-activity form")
        self.screenshot("add-form")
        self.narrow_check("add-form")
        d.find_element(By.NAME, "title").send_keys(title)
        Select(d.find_element(By.NAME, "location_id")).select_by_value("loc-proef")
        self.fill(By.NAME, "date", self.today.isoformat())
        self.fill(By.NAME, "start", "19:00")
        self.fill(By.NAME, "end", "21:00")
        repeat = d.find_elements(By.NAME, "repeat")
        if repeat and repeat[0].tag_name == "select":
            Select(repeat[0]).select_by_value("none")
        else:
            d.find_element(By.CSS_SELECTOR, 'input[name="repeat"][value="none"]').click()
        d.find_element(By.NAME, "description").send_keys(
            "Een avond om te proberen of alles werkt.")
        # Sign-up is not among the contract's fields; where the form offers
        # it, residents must be able to sign up for this one.
        for field in d.find_elements(By.NAME, "signup"):
            if field.tag_name == "select":
                Select(field).select_by_value("yes")
            elif field.get_attribute("type") == "checkbox" and not field.is_selected():
                field.click()
        for cap in d.find_elements(By.NAME, "capacity"):
            cap.clear()
            cap.send_keys("12")
        self.screenshot("add-form-filled")
        d.find_element(By.ID, "save").click()
        WebDriverWait(d, 10).until(lambda dr: dr.execute_script(
            "return document.readyState") == "complete")
        self.screenshot("saved")
        d.get(self.url + "/admin/")
        links = d.find_elements(By.LINK_TEXT, title)
        self.check(len(links) == 1, "the week page links the new activity's occurrence")
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(links[0].get_attribute("href")).query)
        activity, at = q["activity"][0], int(q["at"][0])
        start = datetime.datetime.fromtimestamp(at, ZONE)
        self.check(start.date() == self.today and start.strftime("%H:%M") == "19:00",
                   f"the occurrence is today at 19:00 ({start.isoformat()})")
        list_url = links[0].get_attribute("href")

        self.step("the kiosk syncs and its script finds the title")
        r = self.kiosk("sync")
        self.check(r.returncode == 0 and "feed: applied" in r.stdout + r.stderr,
                   "the kiosk's sync applies the hub's feed")
        occ = f"#activity.{activity}.{start.strftime('%Y%m%dT%H%M')}"
        open_it = ['tap "#attract"', 'tap "#home.activities"', 'tap "#filter.today"',
                   f'scroll-to "{occ}"', f'expect "{title}"', f'tap "{occ}"',
                   f'expect "{title}"']
        r = self.kiosk_script("find", open_it + [
            f'screenshot "{os.path.join(self.out, "kiosk-activity.png")}"',
            'tap "#activity.signup"', "expect-screen signup",
            f'dump "{os.path.join(self.work, "signup-form.json")}"'])
        self.check(r.returncode == 0, f"the kiosk's script finds '{title}' and its sign-up "
                   f"(exit {r.returncode}: {r.stderr.strip()[-300:]})")

        self.step("the kiosk signs up by script")
        with open(os.path.join(self.work, "signup-form.json")) as f:
            ids = set(re.findall(r'"id":\s*"([^"]+)"', f.read()))
        form = ['tap "#activity.signup"', "expect-screen signup", f'type "{NAME}"']
        if "field.phone" in ids:
            form += ['tap "#field.phone"', f'type "{PHONE}"']
        r = self.kiosk_script("signup", open_it + form + [
            'tap "#signup.consent"', 'tap "#signup.submit"', "expect-screen signup-done",
            'expect "#done.confirmed"',
            f'screenshot "{os.path.join(self.out, "kiosk-done.png")}"',
            "sync", 'tap "#signup.done"', "expect-screen attract"])
        self.check(r.returncode == 0, f"the kiosk's sign-up is confirmed "
                   f"(exit {r.returncode}: {r.stderr.strip()[-300:]})")
        csv = self.hub_cmd("signups", "--db", self.db, "--activity", activity, "--csv")
        rows = [line for line in csv.splitlines()[1:] if line]
        self.check(len(rows) == 1 and NAME in rows[0] and "confirmed" in rows[0],
                   "the hub holds the one confirmed sign-up")
        signup_id = rows[0].split(",")[0]

        self.step("the name appears on the occurrence's list")
        d.get(self.url + "/admin/")
        d.find_element(By.LINK_TEXT, title).click()
        self.wait_path("/admin/list", "the occurrence's link leads to its list")
        self.check(NAME in d.find_element(By.TAG_NAME, "main").text, f"the list shows {NAME}")
        self.screenshot("list")
        self.narrow_check("list")

        self.step("the print view renders")
        d.find_element(By.LINK_TEXT, "Afdrukken").click()
        self.wait_path("/admin/print", "'Afdrukken' leads to the print view")
        self.check(NAME in d.find_element(By.TAG_NAME, "body").text,
                   f"the print view shows {NAME}")
        self.check(d.execute_script(
            "for (const s of document.styleSheets) for (const r of s.cssRules)"
            "  if (r instanceof CSSPageRule || (r instanceof CSSMediaRule &&"
            "      r.media.mediaText.includes('print'))) return true;"
            "return false;"), "the print view has a print stylesheet (@page or @media print)")
        self.screenshot("print")
        d.back()
        self.wait_path("/admin/list", "back on the list")

        self.step("attendance is marked")
        button = d.find_elements(By.ID, "attend-" + signup_id)
        self.check(len(button) == 1, f"the confirmed row has a button attend-{signup_id}")
        self.check(button[0].text.strip() == "Aanwezig", "the button says 'Aanwezig'")
        button[0].click()
        try:
            WebDriverWait(d, 10).until(
                lambda dr: dr.find_elements(By.ID, "attended-" + signup_id))
        except WebDriverException:
            pass
        self.check(d.find_elements(By.ID, "attended-" + signup_id) != [],
                   f"after pressing it the page shows attended-{signup_id}")
        self.screenshot("attended")
        self.narrow_check("attended")

        self.step("log out, and the list is no longer reachable")
        d.find_element(By.CSS_SELECTOR, 'form[action="/admin/logout"] [type="submit"]').click()
        self.wait_path("/admin/login", "logging out lands on the login page")
        self.screenshot("logged-out")
        d.get(list_url)
        self.wait_path("/admin/login", "the list's URL now lands on the login page")
        self.check(NAME not in d.page_source, "and shows no name")
        self.screenshot("list-after-logout")

    def fill(self, by, name, value):
        """Types a value into a field; date and time inputs take the
        digits in the browser's own order, so set those directly."""
        el = self.driver.find_element(by, name)
        if el.get_attribute("type") in ("date", "time"):
            self.driver.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", el, value)
        else:
            el.clear()
            el.send_keys(value)

    def close(self, failed):
        if self.driver:
            try:
                self.driver.quit()
            except WebDriverException:
                pass
        if self.hub:
            self.hub.send_signal(signal.SIGTERM)
            try:
                self.hub.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.hub.kill()
                self.hub.wait()
        if failed:
            for name in ("hub.err", "chromedriver.log"):
                p = os.path.join(self.work, name)
                if os.path.exists(p):
                    shutil.copy(p, self.out)
        shutil.rmtree(self.work, ignore_errors=True)


def main():
    r = Run()
    failed = True
    try:
        r.start_hub()
        r.start_browser()
        r.run()
        failed = False
    except (StepFailed, WebDriverException, subprocess.CalledProcessError, OSError,
            KeyError, ValueError) as e:
        msg = getattr(e, "msg", None) or str(e)
        if isinstance(e, subprocess.CalledProcessError):
            msg += " " + (e.stderr or "")
        print(f"FAIL [{r.step_name}] {type(e).__name__}: {msg.strip()}", file=sys.stderr)
        if r.driver:
            try:
                r.screenshot("failed")
                with open(os.path.join(r.out, "failed.html"), "w") as f:
                    f.write(r.driver.page_source)
                print(f"     at {r.driver.current_url}", file=sys.stderr)
            except WebDriverException:
                pass
    finally:
        r.close(failed)
    print(f"{r.passed} passed, {1 if failed else 0} failed; screenshots in {r.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
