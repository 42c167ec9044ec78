"""Builds two flows in the console's wizard in headless Chromium, on a CSV source whose fields are
all text: one filtering "amount is greater than or equal to 1000" into CSV, leaving the filter's
data type as the wizard proposes it; one writing Parquet with the wizard's default mapping. Runs
both and prints where their output went (the Swift test reads the files back).

Only form names the console has long had are used, so the script also runs against an older
console and shows what it did there.

Environment: CONSOLE_URL, ACCESS_KEY_ID, SECRET_ACCESS_KEY, ARTIFACTS, BUCKET, CHROMIUM, CHROMEDRIVER.
"""
import json
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from console_browser import Browser

BUCKET = os.environ["BUCKET"]
b = Browser(artifacts_prefix="typed-")
driver = b.driver
summary = {}


def build(flow, file_type, filters):
    b.get("/console/wizard/new")
    b.fill("flowName", flow)
    b.submit("next")
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/connections"))
    # Choosing the bucket reloads the step on this console; the button does it on any.
    Select(driver.find_element(By.NAME, "sourceEntity")).select_by_value(BUCKET)
    b.submit("load-entities")
    Select(driver.find_element(By.NAME, "sourcePrefix")).select_by_value("orders")
    b.fill("destinationBucket", BUCKET)
    b.fill("destinationPrefix", "out-" + flow)
    b.choose("destinationFileType", file_type)
    b.shot(flow + "-connections")
    b.submit("next")
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/trigger"))
    b.submit("next")
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/mapping"))
    b.by_id("mapping-all").click()
    b.shot(flow + "-mapping")
    b.submit("next")
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/filters"))
    for field, op, value in filters:
        b.submit("add-filter")
        b.choose("filter.field", field)
        b.choose("filter.op", op)
        b.fill("filter.value", value)
    b.shot(flow + "-filters")
    b.submit("next")
    b.wait.until(lambda d: d.current_url.endswith("/console/wizard/review"))
    summary[flow + "Tasks"] = b.by_id("tasks").text
    b.shot(flow + "-review")
    b.submit("create-flow")
    b.wait.until(lambda d: d.current_url.split("?")[0].endswith("/console/flows/" + flow))
    b.submit("run-flow")
    status, records = b.wait_for_run()
    b.shot(flow + "-run")
    if status != "Successful":
        b.fail("%s ended %s" % (flow, status))
    summary[flow] = {"status": status, "records": records, "prefix": "out-" + flow}


try:
    b.sign_in()
    build("big-orders", "CSV", [("amount", "GREATER_THAN_OR_EQUAL_TO", "1000")])
    build("orders-parquet", "PARQUET", [])
    summary["browserErrors"] = ["%s: %s" % (e["page"], e["message"]) for e in b.errors()]
    print(json.dumps(summary))
finally:
    b.quit()
