"""Walks the Flowline web console in headless Chromium, as a new user would.

Signs in, creates a Salesforce connection (its secrets must not come back in any page), is shown
an invalid flow name and a 51st tag next to their fields, walks the wizard to an S3 -> S3 flow
with a mask and a filter, runs it, waits for the execution history to show it succeeded and reads
where its output went. Then visits every console page and collects the browser's console log,
which must hold no error. Saves a screenshot of every step into ARTIFACTS. Prints a JSON summary.

Environment: CONSOLE_URL, ACCESS_KEY_ID, SECRET_ACCESS_KEY, ARTIFACTS, BUCKET, FLOW_NAME,
EXPECTED_RECORDS, CHROMIUM, CHROMEDRIVER.
"""
import json
import os

from selenium.webdriver.common.by import By

from console_browser import Browser

BUCKET = os.environ["BUCKET"]
FLOW = os.environ["FLOW_NAME"]
SECRETS = ["sf-access-TOKEN-7f3a9c", "sf-refresh-TOKEN-2b8d41"]
CONNECTORS = ["Redshift", "Salesforce", "Zendesk", "Servicenow", "Slack", "Marketo", "SAPOData", "Googleanalytics"]

b = Browser()
driver = b.driver
summary = {}


def no_secret_in_page(where):
    for secret in SECRETS:
        if secret in driver.page_source:
            b.fail("a secret came back in %s" % where)


def shown(element_id):
    elements = driver.find_elements(By.ID, element_id)
    return bool(elements) and elements[0].is_displayed()


try:
    b.sign_in()
    b.shot("flows-empty")

    # A Salesforce connection: the fields come from the model's shapes; secrets are password inputs,
    # the Instance URL is marked required and the client credentials ARN (unused) is not offered.
    b.get("/console/connections/new")
    b.choose("connectorType", "Salesforce")
    b.submit("choose-connector")
    if b.by_id("f-properties.instanceUrl").get_attribute("aria-required") != "true":
        b.fail("the Instance URL is not marked required")
    if driver.find_elements(By.NAME, "credentials.clientCredentialsArn"):
        b.fail("the form offers the client credentials ARN, which Flowline does not read")
    b.fill("connectorProfileName", "console-salesforce")
    b.fill("properties.instanceUrl", "https://example.my.salesforce.com")
    if driver.find_element(By.NAME, "credentials.accessToken").get_attribute("type") != "password":
        b.fail("the access token is not a password input")
    b.fill("credentials.accessToken", SECRETS[0])
    b.fill("credentials.refreshToken", SECRETS[1])
    # Test connection against the emulator with these (wrong) tokens: the answer shows in place and
    # the secrets typed stay in their inputs, never in the answer.
    b.fill("properties.instanceUrl", os.environ["SANDBOX_URL"])
    b.by_id("test-connection").click()
    b.wait.until(lambda d: d.find_element(By.ID, "test-result").get_attribute("class") in ("notice", "alert"))
    summary["testConnection"] = b.by_id("test-result").find_element(By.CLASS_NAME, "plain").text
    if b.by_id("f-credentials.accessToken").get_attribute("value") != SECRETS[0]:
        b.fail("testing the connection lost the typed access token")
    if any(secret in b.by_id("test-result").get_attribute("textContent") for secret in SECRETS):
        b.fail("a secret came back in the test's answer")
    b.shot("connection-test")
    b.fill("properties.instanceUrl", "https://example.my.salesforce.com")
    b.shot("connection-form")
    b.submit("save-connection")
    b.wait.until(lambda d: d.current_url.endswith("/console/connections/console-salesforce"))
    no_secret_in_page("the connection page")
    b.shot("connection-created")
    b.submit("edit-connection")
    no_secret_in_page("the connection edit form")
    b.get("/console/connections")
    if "console-salesforce" not in driver.page_source:
        b.fail("the new connection is not listed")
    no_secret_in_page("the connections list")
    b.shot("connections")

    # SAP OData: basic or OAuth credentials, one group shown at a time by the radio buttons.
    b.get("/console/connections/new?connectorType=SAPOData")
    basic = b.by_id("s-credentials.basicAuthCredentials")
    oauth = b.by_id("s-credentials.oAuthCredentials")
    if not basic.is_displayed() or oauth.is_displayed():
        b.fail("the SAP OData form does not start with the basic credentials only")
    b.by_id("f-choice.credentials.oAuthCredentials").click()
    if basic.is_displayed() or not oauth.is_displayed():
        b.fail("choosing OAuth does not show the OAuth credentials instead of the basic ones")
    if driver.find_element(By.NAME, "credentials.oAuthCredentials.clientSecret").get_attribute("type") != "password":
        b.fail("the SAP OData client secret is not a password input")
    b.shot("sap-odata-oauth")

    # The wizard, step 1, with an invalid name and 51 tags: both shown next to their fields, in
    # plain words, with the API's wording one click away.
    b.get("/console/wizard/new")
    b.fill("flowName", "-not a valid name")
    b.wait.until(lambda d: any(e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-live-for='flowName']")))
    summary["liveNameMessage"] = driver.find_element(By.CSS_SELECTOR, "[data-live-for='flowName']").text
    b.fill("tags", "\n".join("tag%d=v%d" % (i, i) for i in range(51)))
    b.browser_log()
    b.submit("next", log=False)
    summary["refusedForms"] = len(b.refused_form())
    name_errors, tag_errors = b.errors_for("flowName"), b.errors_for("tags")
    if not any("start with a letter or digit" in e for e in name_errors):
        b.fail("the invalid flow name was not explained next to the field: %r" % name_errors)
    if not any("at most 50 tags" in e for e in tag_errors):
        b.fail("the 51st tag was not explained next to the field: %r" % tag_errors)
    raw = driver.find_element(By.CSS_SELECTOR, "[data-error-for='tags'] details code").get_attribute("textContent")
    if "less than or equal to 50" not in raw:
        b.fail("the API's wording of the tag error is not available: %r" % raw)
    summary["nameError"], summary["tagError"], summary["tagApiMessage"] = name_errors[0], tag_errors[0], raw
    b.shot("details-errors")

    b.fill("flowName", FLOW)
    b.fill("description", "Accounts over 20, emails masked")
    b.fill("tags", "team=analytics")
    b.shot("details")
    b.submit("next")

    # Source and destination: the bucket is picked from list-connector-entities; choosing it
    # reloads the step with its folders. Redshift's fields stay hidden while S3 is the destination.
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/connections"))
    b.choose_and_reload("sourceEntity", BUCKET)
    b.choose("sourcePrefix", "in")
    if shown("destination-redshift") or not shown("destination-s3"):
        b.fail("the destination fields do not follow the S3 destination")
    b.choose("destinationType", "Redshift")
    if not shown("destination-redshift") or shown("destination-s3"):
        b.fail("choosing Redshift does not show its fields instead of S3's")
    b.choose("destinationType", "S3")
    b.fill("destinationBucket", BUCKET)
    b.fill("destinationPrefix", "out")
    b.choose("destinationFileType", "CSV")
    b.shot("source-destination")
    b.submit("next")

    # The trigger: schedule fields only for a schedule.
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/trigger"))
    if shown("schedule"):
        b.fail("schedule fields are shown for an on-demand flow")
    b.choose("triggerType", "Scheduled")
    if not shown("schedule") or not shown("f-scheduleStart") or not shown("f-timezone"):
        b.fail("a schedule does not offer its start and time zone")
    b.choose("triggerType", "OnDemand")
    b.shot("trigger")
    b.submit("next")

    # Mapping: all fields, and a mask over the email (fields come from sampling the objects).
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/mapping"))
    b.by_id("mapping-all").click()
    b.submit("add-mask")
    b.submit("add-mask")
    if not shown("remove-mask-1") or not driver.find_elements(By.CSS_SELECTOR, "label[for='f-mask.field-1']"):
        b.fail("a mask row has no label or remove button")
    b.submit("remove-mask-1")
    if len(driver.find_elements(By.NAME, "mask.field")) != 1:
        b.fail("removing the second mask row left %d rows" % len(driver.find_elements(By.NAME, "mask.field")))
    b.choose("mask.field", "email")
    b.choose("mask.op", "MASK_ALL")
    b.shot("mapping")
    b.submit("next")

    # A filter: the comparisons offered follow the field's type.
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/filters"))
    b.submit("add-filter")
    b.choose("filter.field", "name")
    offered = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#f-filter\\.op-0 option") if o.is_enabled()]
    if "GREATER_THAN" in offered or "CONTAINS" not in offered:
        b.fail("a text field offers %r" % offered)
    b.choose("filter.field", "amount")
    offered = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#f-filter\\.op-0 option") if o.is_enabled()]
    if "GREATER_THAN" not in offered or "CONTAINS" in offered:
        b.fail("a numeric field offers %r" % offered)
    summary["numericOperators"] = offered
    b.choose("filter.op", "GREATER_THAN")
    b.fill("filter.value", "20")
    b.shot("filters")
    b.submit("next")

    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/review"))
    tasks = b.by_id("tasks").text
    if "Mask" not in tasks or "GREATER_THAN" not in tasks:
        b.fail("the review does not show the mask and the filter: %s" % tasks)
    b.shot("review")
    b.submit("create-flow")
    b.wait.until(lambda d: d.current_url.split("?")[0].endswith("/console/flows/" + FLOW))
    b.shot("flow-created")

    # Run now, then read the execution history until the run is over (the page refreshes itself).
    if "danger" in (b.by_id("run-flow").get_attribute("class") or "") or "danger" not in (b.by_id("delete-flow").get_attribute("class") or ""):
        b.fail("Run and Delete are not styled apart")
    b.submit("run-flow")
    b.wait.until(lambda d: "Started run" in d.find_element(By.ID, "notice").text)
    b.shot("run-started")
    status, records = b.wait_for_run()
    b.shot("execution-history")
    summary["status"], summary["records"] = status, records
    if status != "Successful":
        b.fail("the run ended %s" % status)
    if records != os.environ["EXPECTED_RECORDS"]:
        b.fail("the run processed %s records, expected %s" % (records, os.environ["EXPECTED_RECORDS"]))
    b.get("/console/flows/" + FLOW)
    summary["output"] = b.by_id("output").text
    summary["outputFiles"] = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#output-files li")]

    b.get("/console/flows")
    row = driver.find_element(By.CSS_SELECTOR, "#flows tbody tr").text
    if FLOW not in row or "Successful" not in row:
        b.fail("the flows list does not show the flow's last run: %s" % row)
    b.shot("flows")

    # Delete asks first, on a page of its own; Cancel leaves the flow as it was.
    b.get("/console/flows/" + FLOW)
    b.submit("delete-flow")
    if "danger" not in (b.by_id("confirm").get_attribute("class") or ""):
        b.fail("the confirmation button is not styled as destructive")
    b.shot("delete-confirm")
    b.submit("cancel")

    # Every page of the console, for the browser's console log.
    pages = ["/console/flows", "/console/flows/" + FLOW, "/console/connections", "/console/connections/new",
             "/console/connections/console-salesforce", "/console/connections/console-salesforce/edit"]
    pages += ["/console/connections/new?connectorType=" + c for c in CONNECTORS]
    pages += ["/console/flows/%s/edit" % FLOW] + ["/console/wizard/" + step for step in
                                                  ("details", "connections", "trigger", "mapping", "filters", "review")]
    for path in pages:
        b.get(path)
    b.get("/console/connections/console-salesforce")
    b.submit("delete-connection")
    b.submit("cancel")
    b.get("/console/flows")
    driver.find_element(By.CSS_SELECTOR, "nav button").click()
    b.wait.until(lambda d: "/console/sign-in" in d.current_url)
    b.browser_log()
    summary["pagesVisited"] = len(pages) + 3
    summary["browserErrors"] = ["%s: %s" % (e["page"], e["message"]) for e in b.errors()]
    summary["browserLogEntries"] = len(b.log)
    summary["screenshots"] = b.shots
    print(json.dumps(summary))
finally:
    b.quit()
