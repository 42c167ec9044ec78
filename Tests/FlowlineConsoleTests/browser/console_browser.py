"""Headless Chromium for the console tests: one driver with the browser console log recorded,
and the small steps every script takes (sign in, fill, choose, submit and wait for the next page).

Environment: CONSOLE_URL, ACCESS_KEY_ID, SECRET_ACCESS_KEY, ARTIFACTS, CHROMIUM, CHROMEDRIVER.
"""
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

URL = os.environ["CONSOLE_URL"].rstrip("/")


class Browser:
    def __init__(self, artifacts_prefix=""):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1700"):
            options.add_argument(argument)
        # Every console message and failed load the pages cause (CSP violations, a missing favicon…).
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
        self.wait = WebDriverWait(self.driver, 60)
        self.artifacts = os.environ.get("ARTIFACTS", "")
        self.prefix = artifacts_prefix
        self.shots = 0
        self.log = []

    def quit(self):
        self.driver.quit()

    def fail(self, message):
        self.shot("failure")
        print(message, file=sys.stderr)
        print(self.driver.page_source[:6000], file=sys.stderr)
        sys.exit(1)

    def shot(self, name):
        if not self.artifacts:
            return
        self.shots += 1
        self.driver.save_screenshot(os.path.join(self.artifacts, "%s%02d-%s.png" % (self.prefix, self.shots, name)))

    def browser_log(self):
        """The console log since the last call, each entry with the page it was read on."""
        entries = self.driver.get_log("browser")
        for entry in entries:
            entry["page"] = self.driver.current_url
        self.log += entries
        return entries

    def refused_form(self):
        """After submitting a form meant to be refused: its 400 answer is the one error Chromium
        logs for it (anything else still counts); drained from the log."""
        entries = self.driver.get_log("browser")
        for entry in entries:
            if entry.get("level") == "SEVERE" and "status of 400" not in entry.get("message", ""):
                entry["page"] = self.driver.current_url
                self.log.append(entry)
        return [e for e in entries if "status of 400" in e.get("message", "")]

    def errors(self):
        self.browser_log()
        return [e for e in self.log if e.get("level") == "SEVERE"]

    def get(self, path):
        self.driver.get(URL + path)
        self.browser_log()

    def by_id(self, element_id):
        return self.driver.find_element(By.ID, element_id)

    def submit(self, element_id, log=True):
        """Clicks a button that loads another page and waits until the old page is gone."""
        old_page = self.driver.find_element(By.TAG_NAME, "html")
        self.by_id(element_id).click()
        self.wait.until(page_replaced(old_page))
        if log:
            self.browser_log()

    def fill(self, name, value, index=0):
        element = self.driver.find_elements(By.NAME, name)[index]
        element.clear()
        element.send_keys(value)

    def choose(self, name, value, index=0):
        Select(self.driver.find_elements(By.NAME, name)[index]).select_by_value(value)

    def choose_and_reload(self, name, value):
        """Chooses in a select whose change reloads the step (the console's data-reload)."""
        select = Select(self.driver.find_element(By.NAME, name))
        if select.first_selected_option.get_attribute("value") == value:
            return
        old_page = self.driver.find_element(By.TAG_NAME, "html")
        select.select_by_value(value)
        self.wait.until(page_replaced(old_page))
        self.browser_log()

    def errors_for(self, field):
        return [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "[data-error-for='%s']" % field)]

    def sign_in(self):
        self.get("/console/flows")
        if "/console/sign-in" not in self.driver.current_url:
            self.fail("a signed-out browser was not sent to sign in")
        self.fill("accessKeyId", os.environ["ACCESS_KEY_ID"])
        self.fill("secretAccessKey", os.environ["SECRET_ACCESS_KEY"])
        self.shot("sign-in")
        self.submit("sign-in")
        self.wait.until(lambda d: d.current_url.endswith("/console/flows"))

    def wait_for_run(self):
        """On a flow's page after Run: waits for the first execution to end; its status and records."""
        def finished(d):
            cells = d.find_elements(By.CSS_SELECTOR, "#executions tbody tr:first-child .status")
            return cells and cells[0].text not in ("InProgress", "CancelStarted") and cells[0]

        # The page reloads itself while the run goes on: an element may go stale between two looks.
        status = WebDriverWait(self.driver, 180, poll_frequency=0.5,
                               ignored_exceptions=[StaleElementReferenceException]).until(finished).text
        records = self.driver.find_element(By.CSS_SELECTOR, "#executions tbody tr:first-child .records").text
        self.browser_log()
        return status, records


def page_replaced(old_page):
    """Like staleness_of, but Chromium may also answer "Node ... does not belong to the document"
    for an element of the page just left: that means replaced too."""
    def gone(_driver):
        try:
            old_page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return gone
