"""The web desk in a real browser (docs/desk.md, docs/testing.md).

A real `syncd serve` on a loopback port with a real field replica of squad-3: the field drafts, reviews,
signs and syncs two reports; chen (central editor) signs in to the desk in headless Chromium with
JavaScript off, finds both in the inbox, adopts one at city level and returns the other with a comment,
each signed with the PIN of chen's key on the central; the field's next sync brings both decisions
back; chen signs out. Screenshots of each page go to --screenshots. Exits 1 naming the first thing
that was not as expected.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

PIN = "desk browser pin 2026"
PASSWORD = "desk password of chen"


class Failure(Exception):
    pass


def expect(condition, what):
    if not condition:
        raise Failure(what)


class Bureau:
    """A central and a field replica of squad-3 in a temporary folder, driven by the real binaries."""

    def __init__(self, bin_dir, work):
        self.syncd = os.path.join(bin_dir, "syncd")
        self.cli = os.path.join(bin_dir, "report-cli")
        self.work = work
        self.central = os.path.join(work, "central.sqlite")
        self.field = os.path.join(work, "field.sqlite")
        self.pin_file = os.path.join(work, "pin")
        with open(self.pin_file, "w") as f:
            f.write(PIN + "\n")
        self.env = dict(os.environ, REPORT_PIN_FILE=self.pin_file)
        self.server = None

    def run(self, *args):
        done = subprocess.run(args, cwd=self.work, env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise Failure(f"{' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def set_up(self):
        s, db = self.syncd, self.central
        self.run(s, "init", "--db", db, "--bureau", "某某局")
        self.run(s, "unit", "add", "--db", db, "--id", "squad-3", "--name", "第三中队")
        for who, name, unit, role in [
            ("wang", "王小明", "squad-3", "drafter"),
            ("li", "李队长", "squad-3", "unit-head"),
            ("zhao", "赵局长", "squad-3", "leader"),
            ("chen", "陈编辑", "bureau", "central-editor"),
        ]:
            self.run(s, "member", "add", "--db", db, "--id", who, "--name", name, "--unit", unit, "--role", role)
        token = self.run(s, "enroll", "--db", db, "--unit", "squad-3", "--device", "laptop")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log = open(os.path.join(self.work, "server.log"), "w")
        self.server = subprocess.Popen([s, "serve", "--db", db, "--listen", f"127.0.0.1:{self.port}"], cwd=self.work, stdout=log, stderr=log)
        wait_for_port(self.port, self.server)
        self.run(self.cli, "init", "--db", self.field, "--central", self.url, "--token", token)
        for who in ["wang", "li", "zhao"]:
            code = self.run(s, "member", "invite", "--db", db, "--member", who)
            self.run(self.cli, "key", "setup", "--db", self.field, "--as", who, "--code", code)
        code = self.run(s, "member", "invite", "--db", db, "--member", "chen")
        self.run(self.cli, "key", "setup", "--db", db, "--as", "chen", "--code", code)
        password_file = os.path.join(self.work, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD + "\n")
        self.run(s, "member", "password", "--db", db, "--member", "chen", "--password-file", password_file)
        self.run(self.cli, "sync", "--db", self.field)

    def signed_report(self, title, body):
        f = self.field
        report = self.run(self.cli, "draft", "--db", f, "--as", "wang", "--category", "dynamic", "--title", title, "--body", body)
        self.run(self.cli, "submit", "--db", f, "--as", "wang", report)
        self.run(self.cli, "review", "--db", f, "--as", "li", report)
        self.run(self.cli, "sign", "--db", f, "--as", "zhao", report)
        return report

    def field_state(self, report):
        return json.loads(self.run(self.cli, "show", report, "--db", self.field, "--json"))["state"]

    def stop(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, server):
    """Waits until the server accepts connections (or has died): a connect that blocks, not a sleep."""
    for _ in range(600):
        if server.poll() is not None:
            raise Failure("syncd serve exited before it listened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return
        except OSError:
            select_timeout(0.05)
    raise Failure("syncd serve did not listen within 30 s")


def select_timeout(seconds):
    import select

    select.select([], [], [], seconds)


def submit(driver, button):
    """Clicks a form's button (or a link) and waits until the answer's page has replaced the one it was on:
    the old page's root element is gone (stale, or no longer in any document while the new one loads)
    and the new page is loaded."""
    page = driver.find_element(By.TAG_NAME, "html")
    button.click()

    def replaced(_):
        try:
            page.is_enabled()
            return False
        except (StaleElementReferenceException, WebDriverException):
            return True

    WebDriverWait(driver, 30).until(replaced)
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: d.find_element(By.TAG_NAME, "main"))


def browser():
    options = Options()
    options.binary_location = shutil.which("chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN"]:
        options.add_argument(argument)
    # The desk must work with JavaScript off: it is off in this browser.
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="reportsync-desk-")
    bureau = Bureau(args.bin, work)
    driver = None
    try:
        bureau.set_up()
        adopted = bureau.signed_report("中队开展夜查", "今晚中队开展辖区夜查，查处违规经营两起。")
        returned = bureau.signed_report("辖区巡查情况", "本周巡查三次。")
        bureau.run(bureau.cli, "sync", "--db", bureau.field)

        driver = browser()
        shot = lambda name: driver.save_screenshot(os.path.join(args.screenshots, name + ".png"))
        driver.get(bureau.url + "/desk/inbox")
        expect(driver.current_url.endswith("/desk/sign-in"), "the inbox did not send a stranger to the sign-in page")
        driver.find_element(By.NAME, "member").send_keys("chen")
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        shot("1-sign-in")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
        expect(driver.current_url.endswith("/desk/inbox"), f"signing in did not open the inbox: {driver.current_url}")
        inbox = driver.find_element(By.TAG_NAME, "main").text
        expect("中队开展夜查" in inbox and "辖区巡查情况" in inbox, f"the inbox lacks the field's reports: {inbox}")
        expect("陈编辑" in driver.page_source, "the page does not say who is signed in")
        shot("2-inbox")

        submit(driver, driver.find_element(By.LINK_TEXT, "中队开展夜查"))
        expect("今晚中队开展辖区夜查" in driver.page_source, "the report page does not show the body")
        shot("3-report")
        adopt = driver.find_element(By.CSS_SELECTOR, f"form[action='/desk/reports/{adopted}/adopt']")
        Select(adopt.find_element(By.NAME, "level")).select_by_value("city")
        adopt.find_element(By.NAME, "outlet").send_keys("政务信息快报")
        adopt.find_element(By.NAME, "pin").send_keys(PIN)
        submit(driver, adopt.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        page = driver.find_element(By.TAG_NAME, "main").text
        expect("已采用" in page, f"the adoption is not shown after the form: {page}")
        expect("已记录：采用" in page, "the page does not say what was recorded")
        expect("市级" in page, "the history does not name the level")
        shot("4-adopted")

        driver.get(bureau.url + f"/desk/reports/{returned}")
        back = driver.find_element(By.CSS_SELECTOR, f"form[action='/desk/reports/{returned}/return']")
        back.find_element(By.NAME, "comment").send_keys("请补充巡查发现的问题和处理结果。")
        back.find_element(By.NAME, "pin").send_keys(PIN)
        submit(driver, back.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        expect("已退回" in driver.find_element(By.TAG_NAME, "main").text, "the return is not shown after the form")
        shot("5-returned")

        driver.get(bureau.url + "/desk/inbox")
        expect("中队开展夜查" not in driver.find_element(By.TAG_NAME, "main").text, "a decided report is still in the inbox")
        submit(driver, driver.find_element(By.LINK_TEXT, "时限"))
        expect("时限" in driver.title, f"the deadlines page did not open: {driver.title}")
        shot("6-deadlines")
        submit(driver, driver.find_element(By.LINK_TEXT, "同步"))
        expect("laptop" in driver.find_element(By.TAG_NAME, "main").text, "the sync page does not list the field's device")
        shot("7-sync")
        submit(driver, driver.find_element(By.LINK_TEXT, "积分与通报"))
        expect("第三中队" in driver.find_element(By.TAG_NAME, "main").text, "the scores page does not list squad-3")
        bars = driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
        expect(bars and bars[0].size["width"] > 0, "the scores page draws no bar for the adopted report's unit")
        points = driver.find_element(By.CSS_SELECTOR, "details.points")
        points.find_element(By.TAG_NAME, "summary").click()  # a native <details>: opens with JavaScript off
        expect("被采用" in points.text and "中队开展夜查" in points.text, f"squad-3's points do not explain the adoption: {points.text}")
        shot("8-scores")
        submit(driver, driver.find_element(By.LINK_TEXT, "约稿"))
        expect("发出约稿" in driver.find_element(By.TAG_NAME, "main").text, "the solicitations page did not open")
        shot("9-solicitations")

        # The field's next sync brings both decisions back.
        bureau.run(bureau.cli, "sync", "--db", bureau.field)
        expect(bureau.field_state(adopted) == "adopted", "the field did not receive the adoption")
        expect(bureau.field_state(returned) == "returned", "the field did not receive the return")

        submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/desk/sign-out'] button"))
        expect(driver.current_url.endswith("/desk/sign-in"), "signing out did not end on the sign-in page")
        driver.get(bureau.url + "/desk/inbox")
        expect(driver.current_url.endswith("/desk/sign-in"), "the inbox opened after signing out")
        print(f"desk browser test: passed; screenshots in {args.screenshots}")
        return 0
    except Failure as failure:
        print(f"desk browser test FAILED: {failure}", file=sys.stderr)
        if driver:
            driver.save_screenshot(os.path.join(args.screenshots, "failure.png"))
        log = os.path.join(work, "server.log")
        if os.path.exists(log):
            print(open(log).read()[-4000:], file=sys.stderr)
        return 1
    finally:
        if driver:
            driver.quit()
        bureau.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
