"""The console in a real browser (Debian's chromium through Selenium), as an on-call engineer
uses it: sign in, see a firing run appear without reloading, open it, approve its gate and see
the next step run, acknowledge, create and expire a silence, rehearse the runbook; and the refusals: a label with
<script> is text, a form without its CSRF token changes nothing, every page fits 390 px.

Driven by ConsoleBrowserTests.swift, which starts `rbx serve` and sets RBX_URL, RBX_TOKEN (the
shared API token), CONSOLE_TOKEN (ana's named token) and SCREENSHOTS (a directory). Exits 1 with
FAIL: and a screenshot on the first expectation that does not hold."""

import json
import os
import sys
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["RBX_URL"]
API_TOKEN = os.environ["RBX_TOKEN"]
CONSOLE_TOKEN = os.environ["CONSOLE_TOKEN"]
SHOTS = os.environ["SCREENSHOTS"]
HOSTILE = "<script>alert('label')</script>"

options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(20)


def shot(name):
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def check(condition, message):
    if not condition:
        shot("failure")
        print("FAIL: " + message + " (at " + driver.current_url + ")")
        print(driver.page_source[:3000])
        driver.quit()
        sys.exit(1)


def wait_for(predicate, message, seconds=20):
    try:
        WebDriverWait(driver, seconds, poll_frequency=0.2).until(lambda _: predicate())
    except TimeoutException:
        check(False, "timed out: " + message)


def api(method, path, body=None):
    request = urllib.request.Request(
        BASE + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + API_TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
        return json.loads(text) if text.strip() else None


def text_of(css):
    # One script call reads the element and its text together, so a page replaced between a
    # lookup and a read (a redirect, a live refresh) is never a stale element.
    try:
        return driver.execute_script(
            "var element = document.querySelector(arguments[0]); return element ? element.innerText : '';", css)
    except WebDriverException:
        return ""


def no_dialog():
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


# Signing in: the console sends a stranger to the sign-in form and back where they wanted to go.
driver.get(BASE + "/console/runs")
check("/console/login" in driver.current_url, "an anonymous visitor is sent to sign in")
driver.find_element(By.NAME, "token").send_keys(CONSOLE_TOKEN)
driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
wait_for(lambda: driver.current_url.endswith("/console/runs"), "signed in, back on the runs page")
check("ana" in text_of("header .who"), "the header names who is signed in")

# A firing run appears by itself: the page polls, nobody reloads.
api("POST", "/api/v2/alerts", [{"labels": {"alertname": "DiskFull", "severity": "critical", "instance": HOSTILE}}])
wait_for(lambda: "DiskFull" in text_of("#live-runs"), "the new run shows up on the open runs page")
wait_for(lambda: "waiting for approval: gate" in text_of("#live-runs"), "the run waits at its gate")
check(HOSTILE in text_of("#live-runs"), "the hostile label is shown as text")
check(no_dialog(), "no script from a label ran")
check(len(driver.find_elements(By.TAG_NAME, "script")) == 1, "the page has rbx's one script and no other")
shot("runs")

# The run's page: the gate's prompt and what the diagnostics found, then approve.
driver.find_element(By.LINK_TEXT, "DiskFull").click()
wait_for(lambda: "Approval needed: gate" in text_of("main"), "the run page shows the gate")
check("Free space on" in text_of(".gate"), "the gate shows its prompt")
check("disk at 93%" in text_of(".gate"), "the gate shows what the step before it found")
check(no_dialog(), "no script ran on the run page")
shot("run-gate")
driver.find_element(By.CSS_SELECTOR, ".gate button.primary").click()
wait_for(lambda: "Approved" in text_of("main"), "the approval is confirmed")
wait_for(lambda: os.path.exists(os.environ["PURGED_FILE"]), "the remediation really ran")
wait_for(lambda: "purge · remediation · ok" in text_of("#live-run"), "the run page shows the step that ran")

# Acknowledge with a note.
ack = driver.find_element(By.CSS_SELECTOR, "form[action$='/ack']")
ack.find_element(By.NAME, "note").send_keys("on it")
ack.find_element(By.CSS_SELECTOR, "button").click()
wait_for(lambda: "ana (on it)" in text_of("main"), "the run says who acknowledged it")
run_id = driver.current_url.split("/console/runs/")[1].split("?")[0]
check(api("GET", "/api/v1/runs/" + run_id)["acked_by"] == "ana", "the API agrees: acknowledged by ana")
shot("run")

# A form without its CSRF token is refused and changes nothing.
driver.execute_script(
    "var form = document.querySelector(\"form[action$='/resolve']\");"
    "form.querySelector(\"input[name=csrf]\").remove(); form.submit();")
wait_for(lambda: "Refused" in text_of("h1"), "the form without a CSRF token is refused")
check(api("GET", "/api/v1/runs/" + run_id).get("resolved_at") is None, "the run was not resolved")

# Silences: create one, see it in the API (amtool's view), expire it.
driver.get(BASE + "/console/silences")
driver.find_element(By.NAME, "matchers").send_keys('alertname="DiskFull", instance=~".*"')
duration = driver.find_element(By.NAME, "duration")
duration.clear()
duration.send_keys("1h")
driver.find_element(By.NAME, "comment").send_keys("disk swap")
driver.find_element(By.CSS_SELECTOR, "form[action='/console/silences'] button").click()
wait_for(lambda: "active" in text_of("tbody"), "the new silence is listed as active")
silences = api("GET", "/api/v2/silences")
check(len(silences) == 1 and silences[0]["createdBy"] == "ana", "the API lists the silence, made by ana")
shot("silences")
driver.find_element(By.CSS_SELECTOR, "form[action$='/expire'] button").click()
wait_for(lambda: "expired" in text_of("tbody"), "the silence is expired")
check(api("GET", "/api/v2/silences")[0]["status"]["state"] == "expired", "the API agrees: expired")

# The catalog draws the flow as SVG, without a script.
driver.get(BASE + "/console/catalog/purge")
check(len(driver.find_elements(By.CSS_SELECTOR, "svg.flow rect")) >= 3, "the flow is drawn")
shot("catalog")

# Rehearse: a fire drill of the runbook's sample alert through this server, marked drill.
driver.find_element(By.CSS_SELECTOR, "form[action$='/rehearse'] button").click()
wait_for(lambda: "Drill started" in text_of("main"), "the drill is confirmed")
wait_for(lambda: "drill" in text_of("#live-runs .s-drill"), "the drill's run appears, marked drill")
shot("drill")

# At 390 px wide nothing needs a sideways scroll of the page, and the actions are reachable.
driver.set_window_size(390, 844)
for name, path in [("runs-390", "/console/runs"), ("run-390", "/console/runs/" + run_id),
                   ("silences-390", "/console/silences"), ("catalog-390", "/console/catalog/purge"),
                   ("status-390", "/status")]:
    driver.get(BASE + path)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 1, path + " is " + str(overflow) + " px wider than a 390 px screen")
    shot(name)
driver.get(BASE + "/console/runs/" + run_id)
button = driver.find_element(By.CSS_SELECTOR, "form[action$='/resolve'] button")
check(button.is_displayed() and button.size["width"] > 0, "Resolve is usable at 390 px")

driver.quit()
print("ok: console in chromium")
