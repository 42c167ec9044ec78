"""Walks the Flowline web console in headless Chromium, as a new user would.

Signs in, creates a Salesforce connection (its secrets must not come back in any page), is shown
an invalid flow name and a 51st tag next to their fields, walks the wizard to an S3 -> S3 flow
with a mask and a filter, runs it and waits for the execution history to show it succeeded.
Saves a screenshot of every step into ARTIFACTS. Prints a JSON summary on stdout.

Environment: CONSOLE_URL, ACCESS_KEY_ID, SECRET_ACCESS_KEY, ARTIFACTS, BUCKET, FLOW_NAME,
EXPECTED_RECORDS, CHROMIUM, CHROMEDRIVER.
"""
import json
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

URL = os.environ["CONSOLE_URL"].rstrip("/")
ARTIFACTS = os.environ["ARTIFACTS"]
BUCKET = os.environ["BUCKET"]
FLOW = os.environ["FLOW_NAME"]
SECRETS = ["sf-access-TOKEN-7f3a9c", "sf-refresh-TOKEN-2b8d41"]
shot_number = 0


def fail(message):
    shot("failure")
    print(message, file=sys.stderr)
    print(driver.page_source[:4000], file=sys.stderr)
    sys.exit(1)


def shot(name):
    global shot_number
    shot_number += 1
    driver.save_screenshot(os.path.join(ARTIFACTS, "%02d-%s.png" % (shot_number, name)))


def by_id(element_id):
    return driver.find_element(By.ID, element_id)


def submit(element_id):
    """Clicks a button that loads another page and waits until the old page is gone."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    by_id(element_id).click()
    wait.until(page_replaced(old_page))


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


def fill(name, value):
    element = driver.find_element(By.NAME, name)
    element.clear()
    element.send_keys(value)


def choose(name, value, index=0):
    Select(driver.find_elements(By.NAME, name)[index]).select_by_value(value)


def errors_for(field):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "[data-error-for='%s']" % field)]


def no_secret_in_page(where):
    for secret in SECRETS:
        if secret in driver.page_source:
            fail("a secret came back in %s" % where)


options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1700"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
wait = WebDriverWait(driver, 60)
summary = {}
try:
    # Sign in: the console sends a signed-out browser to the sign-in form.
    driver.get(URL + "/console/flows")
    if "/console/sign-in" not in driver.current_url:
        fail("a signed-out browser was not sent to sign in")
    fill("accessKeyId", os.environ["ACCESS_KEY_ID"])
    fill("secretAccessKey", os.environ["SECRET_ACCESS_KEY"])
    shot("sign-in")
    submit("sign-in")
    wait.until(lambda d: d.current_url.endswith("/console/flows"))
    shot("flows-empty")

    # A Salesforce connection: the fields come from the model's shapes; secrets are password inputs.
    driver.get(URL + "/console/connections/new")
    choose("connectorType", "Salesforce")
    submit("choose-connector")
    fill("connectorProfileName", "console-salesforce")
    fill("properties.instanceUrl", "https://example.my.salesforce.com")
    if driver.find_element(By.NAME, "credentials.accessToken").get_attribute("type") != "password":
        fail("the access token is not a password input")
    fill("credentials.accessToken", SECRETS[0])
    fill("credentials.refreshToken", SECRETS[1])
    shot("connection-form")
    submit("save-connection")
    wait.until(lambda d: d.current_url.endswith("/console/connections/console-salesforce"))
    no_secret_in_page("the connection page")
    shot("connection-created")
    submit("edit-connection")
    no_secret_in_page("the connection edit form")
    driver.get(URL + "/console/connections")
    if "console-salesforce" not in driver.page_source:
        fail("the new connection is not listed")
    no_secret_in_page("the connections list")
    shot("connections")

    # SAP OData: basic or OAuth credentials, one group shown at a time by the radio buttons.
    driver.get(URL + "/console/connections/new?connectorType=SAPOData")
    basic = by_id("s-credentials.basicAuthCredentials")
    oauth = by_id("s-credentials.oAuthCredentials")
    if not basic.is_displayed() or oauth.is_displayed():
        fail("the SAP OData form does not start with the basic credentials only")
    by_id("f-choice.credentials.oAuthCredentials").click()
    if basic.is_displayed() or not oauth.is_displayed():
        fail("choosing OAuth does not show the OAuth credentials instead of the basic ones")
    if driver.find_element(By.NAME, "credentials.oAuthCredentials.clientSecret").get_attribute("type") != "password":
        fail("the SAP OData client secret is not a password input")
    shot("sap-odata-oauth")

    # The wizard, step 1, with an invalid name and 51 tags: both shown next to their fields.
    driver.get(URL + "/console/wizard/new")
    fill("flowName", "-not a valid name")
    wait.until(lambda d: any(e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-live-for='flowName']")))
    summary["liveNameMessage"] = driver.find_element(By.CSS_SELECTOR, "[data-live-for='flowName']").text
    fill("tags", "\n".join("tag%d=v%d" % (i, i) for i in range(51)))
    submit("next")
    name_errors, tag_errors = errors_for("flowName"), errors_for("tags")
    if not any("regular expression pattern" in e for e in name_errors):
        fail("the invalid flow name was not reported next to the field: %r" % name_errors)
    if not any("less than or equal to 50" in e for e in tag_errors):
        fail("the 51st tag was not reported next to the field: %r" % tag_errors)
    summary["nameError"], summary["tagError"] = name_errors[0], tag_errors[0]
    shot("details-errors")

    fill("flowName", FLOW)
    fill("description", "Accounts over 20, emails masked")
    fill("tags", "team=analytics")
    shot("details")
    submit("next")

    # Source and destination: the bucket is picked from list-connector-entities.
    wait.until(lambda d: d.current_url.endswith("/console/wizard/connections"))
    choose("sourceEntity", BUCKET)
    fill("sourcePrefix", "in")
    fill("destinationBucket", BUCKET)
    fill("destinationPrefix", "out")
    choose("destinationFileType", "CSV")
    shot("source-destination")
    submit("next")

    wait.until(lambda d: d.current_url.endswith("/console/wizard/trigger"))
    choose("triggerType", "OnDemand")
    shot("trigger")
    submit("next")

    # Mapping: all fields, and a mask over the email (fields come from describe-connector-entity).
    wait.until(lambda d: d.current_url.endswith("/console/wizard/mapping"))
    by_id("mapping-all").click()
    submit("add-mask")
    wait.until(lambda d: d.find_elements(By.NAME, "mask.field"))
    choose("mask.field", "email")
    choose("mask.op", "MASK_ALL")
    shot("mapping")
    submit("next")

    wait.until(lambda d: d.current_url.endswith("/console/wizard/filters"))
    submit("add-filter")
    wait.until(lambda d: d.find_elements(By.NAME, "filter.field"))
    choose("filter.field", "amount")
    choose("filter.op", "GREATER_THAN")
    fill("filter.value", "20")
    choose("filter.dataType", "integer")
    shot("filters")
    submit("next")

    wait.until(lambda d: d.current_url.endswith("/console/wizard/review"))
    tasks = driver.find_element(By.ID, "tasks").text
    if "Mask" not in tasks or "GREATER_THAN" not in tasks:
        fail("the review does not show the mask and the filter: %s" % tasks)
    shot("review")
    submit("create-flow")
    wait.until(lambda d: d.current_url.split("?")[0].endswith("/console/flows/" + FLOW))
    shot("flow-created")

    # Run now, then read the execution history until the run is over (the page refreshes itself).
    submit("run-flow")
    wait.until(lambda d: "Started run" in d.find_element(By.ID, "notice").text)
    shot("run-started")

    def finished(d):
        cells = d.find_elements(By.CSS_SELECTOR, "#executions tbody tr:first-child .status")
        return cells and cells[0].text not in ("InProgress", "CancelStarted") and cells[0]

    # The page reloads itself while the run goes on: an element may go stale between two looks.
    status = WebDriverWait(driver, 180, poll_frequency=0.5, ignored_exceptions=[StaleElementReferenceException]).until(finished).text
    records = driver.find_element(By.CSS_SELECTOR, "#executions tbody tr:first-child .records").text
    shot("execution-history")
    summary["status"], summary["records"] = status, records
    if status != "Successful":
        fail("the run ended %s" % status)
    if records != os.environ["EXPECTED_RECORDS"]:
        fail("the run processed %s records, expected %s" % (records, os.environ["EXPECTED_RECORDS"]))

    driver.get(URL + "/console/flows")
    row = driver.find_element(By.CSS_SELECTOR, "#flows tbody tr").text
    if FLOW not in row or "Successful" not in row:
        fail("the flows list does not show the flow's last run: %s" % row)
    shot("flows")
    print(json.dumps(summary))
finally:
    driver.quit()
