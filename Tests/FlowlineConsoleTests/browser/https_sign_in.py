"""Signs in to the Flowline console over HTTPS in headless Chromium.

Chromium trusts the test's CA because $HOME/.pki/nssdb (a fresh NSS database made by the test)
holds it; no certificate errors are ignored. Prints a JSON summary: whether the sign-in reached
the flows page, the page title, and the session cookie's Secure and HttpOnly flags.

Environment: CONSOLE_URL (https://…), ACCESS_KEY_ID, SECRET_ACCESS_KEY, ARTIFACTS, CHROMIUM, CHROMEDRIVER, HOME.
"""
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ["CONSOLE_URL"].rstrip("/")
options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
wait = WebDriverWait(driver, 60)
summary = {}
try:
    driver.get(URL + "/console/flows")
    if "/console/sign-in" not in driver.current_url or "Sign in" not in driver.title:
        driver.save_screenshot(os.path.join(os.environ["ARTIFACTS"], "failure.png"))
        print("the HTTPS sign-in page did not load (%s, %r)" % (driver.current_url, driver.title), file=sys.stderr)
        print(driver.page_source[:2000], file=sys.stderr)
        sys.exit(1)
    driver.find_element(By.NAME, "accessKeyId").send_keys(os.environ["ACCESS_KEY_ID"])
    driver.find_element(By.NAME, "secretAccessKey").send_keys(os.environ["SECRET_ACCESS_KEY"])
    driver.save_screenshot(os.path.join(os.environ["ARTIFACTS"], "01-sign-in.png"))
    driver.find_element(By.ID, "sign-in").click()
    wait.until(lambda d: d.current_url.endswith("/console/flows"))
    driver.save_screenshot(os.path.join(os.environ["ARTIFACTS"], "02-flows.png"))
    summary["signedIn"] = True
    summary["pageTitle"] = driver.title
    cookies = [c for c in driver.get_cookies() if c["name"] == "flowline_console"]
    summary["cookieSecure"] = bool(cookies and cookies[0].get("secure"))
    summary["cookieHttpOnly"] = bool(cookies and cookies[0].get("httpOnly"))
finally:
    driver.quit()
print(json.dumps(summary))
