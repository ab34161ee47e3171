"""The single file opened from file:// in Firefox (firefox-esr + geckodriver via Selenium):
the page starts, a corpus file loads through #file-input, the demo bundle loads."""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.firefox.options import Options
from selenium.webdriver.firefox.service import Service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.abspath(os.path.join(ROOT, "..", "shared", "corpus"))
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def wait_state(d, want, secs=60):
    end = time.time() + secs
    while time.time() < end:
        if d.execute_script("return document.documentElement.dataset.state") == want:
            return True
        time.sleep(0.1)
    return False


opts = Options()
opts.add_argument("-headless")
opts.binary_location = "/usr/bin/firefox-esr"
gecko = os.path.expanduser("~/.cargo/bin/geckodriver")
d = webdriver.Firefox(options=opts, service=Service(gecko))
try:
    d.get("file://" + os.path.join(ROOT, "dist", "switchboard.html"))
    end = time.time() + 30
    while time.time() < end and not d.find_elements(By.CSS_SELECTOR, "#drop-zone"):
        time.sleep(0.1)
    check(bool(d.find_elements(By.CSS_SELECTOR, "#drop-zone")), "the page starts in Firefox from file://")
    d.find_element(By.ID, "file-input").send_keys(os.path.join(CORPUS, "000-ece-availability", "listener.log"))
    check(wait_state(d, "ready"), "a file loads (data-state=ready)")
    formats = d.execute_script('return [...document.querySelectorAll("[data-file-row]")].map(e => e.dataset.format)')
    check(formats == ["ece-listener"], f"the file row carries its format ({formats})")
    d.find_element(By.ID, "demo-button").click()
    time.sleep(0.3)
    check(wait_state(d, "ready"), "the demo bundle loads")
    n = d.execute_script('return document.querySelectorAll("[data-file-row]").length')
    check(n > 10, f"demo rows appear ({n})")
    os.makedirs(os.path.join(ROOT, "target", "e2e"), exist_ok=True)
    d.save_screenshot(os.path.join(ROOT, "target", "e2e", "firefox-demo.png"))
finally:
    d.quit()
passed = 5 - len(failures)
print(f"firefox: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
