"""Plain HTTP checks of the console (no browser): sign-in is required, a POST without the
session's CSRF token is refused, and a connection's secret never appears in any console page.

Environment: CONSOLE_URL, ACCESS_KEY_ID, SECRET_ACCESS_KEY. Prints a JSON summary on stdout.
"""
import html
import http.client
import json
import os
import re
import subprocess
import sys
import urllib.parse

url = urllib.parse.urlparse(os.environ["CONSOLE_URL"])
SECRET = "pg-PASSWORD-5e1f0a77"
SAP_SECRET = "sap-PASSWORD-93c2d4e1"
summary = {}
trail = []  # the requests made, for a failure's message


def cli(*arguments):
    """The flowline CLI against the server's home (FLOWLINE_BIN and the home's variables are in the environment)."""
    result = subprocess.run([os.environ["FLOWLINE_BIN"], *arguments], capture_output=True, text=True, timeout=120)
    check(result.returncode == 0, "flowline %s failed: %s" % (" ".join(arguments), result.stderr))
    return json.loads(result.stdout) if result.stdout.strip() else {}


def request(method, path, cookie=None, form=None, raw=False):
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = {}
    body = None
    if cookie:
        headers["Cookie"] = cookie
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    trail.append("%s %s -> %s" % (method, path, response.status))
    return response.status, response.headers, body if raw else body.decode()


def check(condition, message):
    if not condition:
        print("\n".join(trail[-5:]), file=sys.stderr)
        print(message, file=sys.stderr)
        sys.exit(1)


def cookie_of(headers):
    value = headers.get("Set-Cookie", "")
    return value.split(";")[0], value


def csrf_of(page):
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    check(match, "no CSRF token in the page: %s" % page[-1500:])
    return match.group(1)


# Signed out: every page and every form answer with the way to the sign-in page.
for method, path in [("GET", "/console/flows"), ("GET", "/console/connections"), ("GET", "/console/wizard/details"),
                     ("POST", "/console/connections/new")]:
    status, headers, _ = request(method, path, form={} if method == "POST" else None)
    check(status == 303 and headers.get("Location") == "/console/sign-in", "%s %s without signing in answered %s" % (method, path, status))
summary["signedOutRedirects"] = True

# A wrong secret does not sign in; the right one does, with a fresh HttpOnly, SameSite=Strict cookie.
status, headers, page = request("GET", "/console/sign-in")
pending, _ = cookie_of(headers)
status, headers, page = request("POST", "/console/sign-in", cookie=pending, form={
    "csrf": csrf_of(page), "accessKeyId": os.environ["ACCESS_KEY_ID"], "secretAccessKey": "not-the-secret"})
check(status == 401 and "not the one this server accepts" in page, "a wrong secret answered %s" % status)
status, headers, page = request("GET", "/console/sign-in")
pending, _ = cookie_of(headers)
status, headers, _ = request("POST", "/console/sign-in", cookie=pending, form={
    "csrf": csrf_of(page), "accessKeyId": os.environ["ACCESS_KEY_ID"], "secretAccessKey": os.environ["SECRET_ACCESS_KEY"]})
check(status == 303 and headers.get("Location") == "/console/flows", "signing in answered %s" % status)
session, raw_cookie = cookie_of(headers)
check("HttpOnly" in raw_cookie and "SameSite=Strict" in raw_cookie, "the session cookie is %r" % raw_cookie)
check(session != pending, "signing in kept the pre-sign-in session id")
summary["cookie"] = raw_cookie.replace(session.split("=", 1)[1], "…")

status, _, page = request("GET", "/console/connections/new?connectorType=Redshift", cookie=session)
check(status == 200, "the Redshift form answered %s" % status)
token = csrf_of(page)
check('type="password" id="f-credentials.password"' in page, "the Redshift password is not a password input")
form = {"connectorType": "Redshift", "connectorProfileName": "console-warehouse", "connectionMode": "Public",
        "properties.databaseUrl": "jdbc:redshift://localhost:5439/dev", "properties.bucketName": "staging-bucket",
        "properties.roleArn": "arn:aws:iam::123456789012:role/redshift", "credentials.username": "loader",
        "credentials.password": SECRET}

# CSRF: without the token, and with another token, the form is refused and nothing is created.
for label, fields in [("no token", dict(form)), ("a wrong token", dict(form, csrf="0" * 64))]:
    status, _, page = request("POST", "/console/connections/new", cookie=session, form=fields)
    check(status == 403 and "CSRF" in page, "a POST with %s answered %s" % (label, status))
status, _, page = request("GET", "/console/connections", cookie=session)
check("console-warehouse" not in page, "a refused POST created the connection")
summary["csrfRefused"] = True

# A rule broken: the form comes back with the message next to the field, in plain words with the
# API's own wording on request, without the password.
status, _, page = request("POST", "/console/connections/new", cookie=session, form=dict(form, csrf=token, connectorProfileName="bad name!"))
check(status == 400 and 'data-error-for="connectorProfileName"' in page, "an invalid name answered %s" % status)
check(SECRET not in page, "the password came back in the form shown again after an error")
error = re.search(r'<div class="error" data-error-for="connectorProfileName"><span class="plain">(.*?)</span><details class="api-message">'
                  r'<summary>[^<]*</summary><code>(.*?)</code></details></div>', page)
check(error and "is not allowed" in error.group(1) and "failed to satisfy constraint" in error.group(2)
      and "failed to satisfy" not in error.group(1), "the name error is not in plain words with the API's wording beside: %s" % page[-3000:])
summary["plainError"] = html.unescape(error.group(1))

# Fields Flowline needs are marked required (Redshift's database URL, user, password); fields it
# never reads are not offered; one left empty is named before anything is sent.
for name in ["properties.databaseUrl", "credentials.username", "credentials.password"]:
    check(re.search(r'id="f-%s"[^>]*aria-required="true"' % re.escape(name), page), "%s is not marked required" % name)
for name in ["properties.workgroupName", "properties.clusterIdentifier", "properties.dataApiRoleArn"]:
    check('name="%s"' % name not in page, "the Redshift form offers %s, which Flowline does not read" % name)
status, _, page = request("POST", "/console/connections/new", cookie=session,
                          form=dict(form, csrf=token, connectorProfileName="no-url", **{"properties.databaseUrl": ""}))
check(status == 400 and re.search(r'data-error-for="properties.databaseUrl"><span class="plain">Database URL is required.', page),
      "a missing database URL answered %s without saying so next to the field" % status)
status, _, page = request("GET", "/console/connections/new?connectorType=Salesforce", cookie=session)
check(re.search(r'id="f-properties.instanceUrl"[^>]*aria-required="true"', page) and "(required)" in page,
      "the Salesforce Instance URL is not marked required")
for unused in ["clientCredentialsArn", "jwtToken", "oAuth2GrantType", "oAuthRequest", "usePrivateLinkForMetadataAndAuthorization"]:
    check(unused not in page, "the Salesforce form offers %s, which Flowline does not read" % unused)
summary["requiredMarked"] = True

# Test connection: the form's profile is tried by the service and stored nowhere. The script asks
# for JSON (the typed secrets stay in the page's inputs); without it the form comes back with the
# answer. A wrong token fails with a readable message that names the connection, never the token.
SANDBOX = os.environ["SANDBOX_URL"]
WRONG = "wrong-TOKEN-4d1e9b77"
check('id="test-connection"' in page, "the Salesforce form has no Test connection button")
salesforce = {"csrf": csrf_of(page), "connectorType": "Salesforce", "connectorProfileName": "console-sf-test", "connectionMode": "Public",
              "properties.instanceUrl": SANDBOX, "properties.isSandboxEnvironment": "false",
              "credentials.accessToken": "sandbox-access-token", "credentials.refreshToken": "sandbox-refresh-token"}
status, headers, answer = request("POST", "/console/connections/new", cookie=session, form=dict(salesforce, action="test", format="json"))
check(status == 200 and headers.get("Content-Type") == "application/json" and json.loads(answer).get("ok") is True,
      "testing the sandbox connection answered %s %s" % (status, answer))
summary["testConnectionOK"] = True
check(not cli("describe-connector-profiles", "--connector-profile-names", "console-sf-test").get("connectorProfileDetails"),
      "testing a connection stored it")
wrong = dict(salesforce, **{"credentials.accessToken": WRONG, "credentials.refreshToken": WRONG + "-refresh"})
status, _, answer = request("POST", "/console/connections/new", cookie=session, form=dict(wrong, action="test", format="json"))
result = json.loads(answer)
check(status == 200 and result.get("ok") is False and "console-sf-test" in result.get("message", "") and WRONG not in answer,
      "testing wrong tokens answered %s %s" % (status, answer))
summary["testConnectionFailure"] = result["message"]
status, _, page = request("POST", "/console/connections/new", cookie=session, form=dict(wrong, action="test"))
check(status == 200 and re.search(r'<div id="test-result" role="status" class="alert"><span class="plain">The connection failed', page)
      and WRONG not in page, "testing wrong tokens without the script answered %s" % status)
# Editing a stored connection: tried with its sealed credentials when none is typed.
status, headers, _ = request("POST", "/console/connections/new", cookie=session, form=salesforce)
check(status == 303, "creating the sandbox Salesforce connection answered %s" % status)
status, _, page = request("GET", "/console/connections/console-sf-test/edit", cookie=session)
status, _, answer = request("POST", "/console/connections/console-sf-test/edit", cookie=session, form={
    "csrf": csrf_of(page), "connectionMode": "Public", "properties.instanceUrl": SANDBOX, "properties.isSandboxEnvironment": "false",
    "action": "test", "format": "json"})
check(json.loads(answer).get("ok") is True, "testing the stored connection answered %s" % answer)
summary["testConnectionStored"] = True

# The favicon is served (no page logs a failed request for it) and every page names it.
status, headers, icon = request("GET", "/favicon.ico", raw=True)
check(status == 200 and headers.get("Content-Type") == "image/x-icon" and icon[:4] == b"\x00\x00\x01\x00",
      "/favicon.ico answered %s %s" % (status, headers.get("Content-Type")))
check('<link rel="icon" href="/favicon.ico">' in page, "the pages do not name the favicon")
summary["favicon"] = len(icon)

status, headers, _ = request("POST", "/console/connections/new", cookie=session, form=dict(form, csrf=token))
check(status == 303, "creating the connection answered %s" % status)
pages = ["/console/connections", "/console/connections/console-warehouse", "/console/connections/console-warehouse/edit",
         "/console/flows", "/console/wizard/new", "/console/wizard/details", "/console/wizard/connections", "/console/wizard/review"]
for path in pages:
    status, headers, page = request("GET", path, cookie=session)
    if status == 303:
        status, headers, page = request("GET", headers["Location"], cookie=session)
    check(status == 200, "%s answered %s" % (path, status))
    check(SECRET not in page, "the password appears in %s" % path)
summary["pagesWithoutSecret"] = len(pages)

# SAP OData: its credentials are nested structures, basic or OAuth; the form offers them as a
# choice of groups and sends the chosen one.
status, _, page = request("GET", "/console/connections/new?connectorType=SAPOData", cookie=session)
check(status == 200, "the SAP OData form answered %s" % status)
check('name="choice.credentials" value="basicAuthCredentials"' in page and 'name="choice.credentials" value="oAuthCredentials"' in page,
      "the SAP OData form does not offer basic or OAuth credentials")
check('type="password" id="f-credentials.basicAuthCredentials.password"' in page, "the SAP OData password is not a password input")
check('type="password" id="f-credentials.oAuthCredentials.clientSecret"' in page, "the SAP OData client secret is not a password input")
check('id="f-properties.oAuthProperties.oAuthScopes"' in page, "the OAuth properties nested in the SAP properties are missing")
for label in ["OAuth Properties (optional)", "Basic Auth Credentials"]:
    check(label in page, "the SAP OData form has no label %r" % label)
# Flowline never makes an OAuth authorization-code request, nor reads disableSSO or a PrivateLink name.
for unused in ["oAuthRequest", "disableSSO", "privateLinkServiceName"]:
    check(unused not in page, "the SAP OData form offers %s, which Flowline does not read" % unused)
sap = {"csrf": csrf_of(page), "connectorType": "SAPOData", "connectorProfileName": "console-sap", "connectionMode": "Public",
       "properties.applicationHostUrl": "https://sap.example.com", "properties.applicationServicePath": "/sap/opu/odata/iwfnd/catalogservice;v=2",
       "properties.portNumber": "443", "properties.clientNumber": "100",
       "choice.credentials": "basicAuthCredentials", "credentials.basicAuthCredentials.username": "sap-reader",
       "credentials.basicAuthCredentials.password": SAP_SECRET,
       # Typed into the group not chosen: not sent.
       "credentials.oAuthCredentials.clientId": "ignored-client"}
# The chosen group left half empty: the service's message lands next to the missing member, the password not echoed.
status, _, page = request("POST", "/console/connections/new", cookie=session, form=dict(sap, **{"credentials.basicAuthCredentials.username": ""}))
check(status == 400 and 'data-error-for="credentials.basicAuthCredentials.username"' in page,
      "a missing SAP user name answered %s without a message by its field" % status)
check(SAP_SECRET not in page, "the SAP password came back in the form shown again after an error")
status, headers, _ = request("POST", "/console/connections/new", cookie=session, form=sap)
check(status == 303 and headers.get("Location") == "/console/connections/console-sap", "creating the SAP OData connection answered %s" % status)
described = cli("describe-connector-profiles", "--connector-profile-names", "console-sap")["connectorProfileDetails"]
check(len(described) == 1 and described[0]["connectorType"] == "SAPOData", "describe-connector-profiles does not show console-sap: %r" % described)
properties = described[0]["connectorProfileProperties"]["SAPOData"]
check(properties["applicationHostUrl"] == "https://sap.example.com" and properties["portNumber"] == 443 and properties["clientNumber"] == "100",
      "the SAP properties stored are %r" % properties)
check(SAP_SECRET not in json.dumps(described), "describe-connector-profiles shows the SAP password")
summary["sapProfile"] = {"name": described[0]["connectorProfileName"], "host": properties["applicationHostUrl"]}
for path in ["/console/connections", "/console/connections/console-sap", "/console/connections/console-sap/edit"]:
    status, _, page = request("GET", path, cookie=session)
    check(status == 200, "%s answered %s" % (path, status))
    check(SAP_SECRET not in page, "the SAP password appears in %s" % path)
    check("ignored-client" not in page, "the OAuth group not chosen was stored (%s)" % path)
summary["sapPagesWithoutSecret"] = 3

# Editing it: the stored settings come back in the form; with the credentials left empty the sealed ones stay.
status, _, page = request("GET", "/console/connections/console-sap/edit", cookie=session)
check('id="f-properties.applicationHostUrl" name="properties.applicationHostUrl" value="https://sap.example.com"' in page,
      "the SAP edit form does not show the stored host")
edit = {key: value for key, value in sap.items() if not key.startswith("credentials.")}
edit.update({"csrf": csrf_of(page), "properties.applicationHostUrl": "https://sap2.example.com"})
status, headers, page = request("POST", "/console/connections/console-sap/edit", cookie=session, form=edit)
check(status == 303, "saving the SAP edit answered %s: %s" % (status, page[-1500:]))
described = cli("describe-connector-profiles", "--connector-profile-names", "console-sap")["connectorProfileDetails"]
check(described[0]["connectorProfileProperties"]["SAPOData"]["applicationHostUrl"] == "https://sap2.example.com",
      "the SAP edit was not stored: %r" % described)
summary["sapEditedHost"] = described[0]["connectorProfileProperties"]["SAPOData"]["applicationHostUrl"]

# Flows: edit through the wizard, activate and deactivate a scheduled flow, delete.
BUCKET = os.environ["BUCKET"]
source = json.dumps({"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": BUCKET, "bucketPrefix": "in"}}})
destination = json.dumps([{"connectorType": "S3", "destinationConnectorProperties": {"S3": {
    "bucketName": BUCKET, "bucketPrefix": "out", "s3OutputFormatConfig": {"fileType": "CSV"}}}}])
tasks = json.dumps([{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}])
filtered = json.dumps([
    {"sourceFields": ["amount"], "connectorOperator": {"S3": "GREATER_THAN"}, "taskType": "Filter",
     "taskProperties": {"VALUE": "20", "DATA_TYPE": "integer"}},
    {"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}])
cli("create-flow", "--flow-name", "console-edit", "--description", "before the edit", "--trigger-config", json.dumps({"triggerType": "OnDemand"}),
    "--source-flow-config", source, "--destination-flow-config-list", destination, "--tasks", filtered)
cli("create-flow", "--flow-name", "console-scheduled", "--trigger-config", json.dumps({"triggerType": "Scheduled", "triggerProperties": {
    "Scheduled": {"scheduleExpression": "rate(1days)", "dataPullMode": "Complete"}}}),
    "--source-flow-config", source, "--destination-flow-config-list", destination, "--tasks", tasks)

# The S3 source prefix: picked from the bucket's folders once the bucket is chosen.
status, _, page = request("GET", "/console/wizard/new", cookie=session)
status, _, page = request("GET", "/console/wizard/connections", cookie=session)
check(status == 200 and '<input type="text" id="f-sourcePrefix"' in page, "before a bucket is chosen the prefix is not typed (%s)" % status)
status, _, page = request("POST", "/console/wizard/connections", cookie=session, form={
    "csrf": csrf_of(page), "action": "refresh", "sourceType": "S3", "sourceEntity": BUCKET, "destinationType": "S3"})
prefix_select = re.search(r'<select id="f-sourcePrefix" name="sourcePrefix" >(.*?)</select>', page)
check(status == 200 and prefix_select, "after choosing the bucket the prefix is not a choice (%s)" % status)
folders = re.findall(r'<option value="([^"]*)"', prefix_select.group(1))
check(folders == ["", "archive", "in"], "the prefix choices are %r, expected the bucket's folders" % folders)
summary["prefixChoices"] = folders[1:]

status, headers, _ = request("GET", "/console/flows/console-edit/edit", cookie=session)
check(status == 303 and headers.get("Location") == "/console/wizard/details", "editing a flow answered %s" % status)
status, _, page = request("GET", "/console/wizard/details", cookie=session)
check(status == 200 and "before the edit" in page, "the wizard does not show the flow's description")
status, headers, _ = request("POST", "/console/wizard/details", cookie=session,
                             form={"csrf": csrf_of(page), "action": "next", "description": "after the edit"})
check(status == 303, "the details step answered %s" % status)
# The filter's value, as the wizard's filters step shows it, changed from 20 to 30.
status, _, page = request("GET", "/console/wizard/filters", cookie=session)
check(status == 200 and 'name="filter.value" value="20"' in page, "the filters step does not show the flow's filter value 20")
status, headers, page = request("POST", "/console/wizard/filters", cookie=session, form=[
    ("csrf", csrf_of(page)), ("action", "next"), ("filter.field", "amount"), ("filter.op", "GREATER_THAN"),
    ("filter.value", "30"), ("filter.upper", ""), ("filter.dataType", "integer")])
check(status == 303 and headers.get("Location") == "/console/wizard/review", "the filters step answered %s: %s" % (status, page[-1500:]))
status, _, page = request("GET", "/console/wizard/review", cookie=session)
check(status == 200 and "after the edit" in page, "the review does not show the new description")
status, headers, page = request("POST", "/console/wizard/review", cookie=session, form={"csrf": csrf_of(page), "action": "create"})
check(status == 303 and headers.get("Location", "").startswith("/console/flows/console-edit"), "saving the edited flow answered %s: %s" % (status, page[-2000:]))
flow = cli("describe-flow", "--flow-name", "console-edit")
check(flow["description"] == "after the edit", "describe-flow shows the description %r" % flow.get("description"))
check(flow["sourceFlowConfig"]["sourceConnectorProperties"]["S3"]["bucketPrefix"] == "in", "the edit changed the source: %r" % flow["sourceFlowConfig"])
filters = [t for t in flow["tasks"] if t["taskType"] == "Filter" and t["connectorOperator"].get("S3") == "GREATER_THAN"]
check(len(filters) == 1 and filters[0]["taskProperties"].get("VALUE") == "30", "describe-flow shows the filters %r" % filters)
summary["editedDescription"] = flow["description"]
summary["editedFilterValue"] = filters[0]["taskProperties"]["VALUE"]


def flow_action(name, action, confirmed=False):
    status, _, page = request("GET", "/console/flows/" + name, cookie=session)
    check(status == 200, "the page of %s answered %s" % (name, status))
    form = {"csrf": csrf_of(page)}
    if confirmed:
        form["confirmed"] = "yes"
    status, headers, _ = request("POST", "/console/flows/%s/%s" % (name, action), cookie=session, form=form)
    check(status == 303, "%s %s answered %s" % (action, name, status))
    return urllib.parse.unquote(headers.get("Location", ""))


# The wizard's repeated rows: every control labelled, ids unique on the page, a Remove button each.
status, _, page = request("GET", "/console/wizard/new", cookie=session)
status, _, page = request("GET", "/console/wizard/mapping", cookie=session)
for _ in range(2):
    status, _, page = request("POST", "/console/wizard/mapping", cookie=session, form={"csrf": csrf_of(page), "action": "add-mask", "mappingMode": "all"})
status, _, page = request("POST", "/console/wizard/mapping", cookie=session, form=[
    ("csrf", csrf_of(page)), ("action", "add-filter"), ("mappingMode", "all"),
    ("mask.field", "first"), ("mask.op", "MASK_ALL"), ("mask.length", ""), ("mask.character", ""),
    ("mask.field", "second"), ("mask.op", "MASK_LAST_N"), ("mask.length", "2"), ("mask.character", "")])
ids = re.findall(r' id="([^"]+)"', page)
check(len(ids) == len(set(ids)), "element ids repeat on the mapping step: %r" % sorted(i for i in ids if ids.count(i) > 1))
for i in range(2):
    for name in ["mask.field", "mask.op", "mask.length", "mask.character"]:
        check('<label for="f-%s-%d">' % (name, i) in page and 'id="f-%s-%d"' % (name, i) in page, "mask row %d has no labelled %s" % (i, name))
    check('id="remove-mask-%d"' % i in page, "mask row %d has no Remove button" % i)
status, _, page = request("POST", "/console/wizard/mapping", cookie=session, form=[
    ("csrf", csrf_of(page)), ("action", "remove-mask-0"), ("mappingMode", "all"),
    ("mask.field", ""), ("mask.op", "MASK_ALL"), ("mask.length", ""), ("mask.character", ""),
    ("mask.field", ""), ("mask.op", "MASK_LAST_N"), ("mask.length", "2"), ("mask.character", "")])
check(page.count('name="mask.op"') == 1 and re.search(r'<option value="MASK_LAST_N" selected>', page), "Remove did not remove the first mask row")
summary["rowsLabelled"] = True


# A schedule's start, end and time zone, set in the wizard and stored as AppFlow's members.
status, headers, _ = request("GET", "/console/flows/console-scheduled/edit", cookie=session)
status, _, page = request("GET", "/console/wizard/trigger", cookie=session)
check(status == 200 and re.search(r'<fieldset data-show-when="triggerType=Scheduled" id="schedule">', page), "the schedule fields are hidden for a scheduled flow")
trigger = {"action": "next", "triggerType": "Scheduled", "scheduleKind": "rate", "rateValue": "1", "rateUnit": "days",
           "scheduleStart": "2030-01-02T03:04", "scheduleEnd": "2030-01-01T00:00", "timezone": "Europe/Paris", "dataPullMode": "Complete"}
status, headers, page = request("POST", "/console/wizard/trigger", cookie=session, form=dict(trigger, csrf=csrf_of(page)))
check(status == 303 and headers.get("Location") == "/console/wizard/mapping", "the trigger step answered %s: %s" % (status, page[-2000:]))
status, _, page = request("GET", "/console/wizard/review", cookie=session)
status, headers, page = request("POST", "/console/wizard/review", cookie=session, form={"csrf": csrf_of(page), "action": "create"})
check(status == 303, "saving a schedule ending before it starts answered %s" % status)
status, _, page = request("GET", "/console/wizard/trigger", cookie=session)
check(re.search(r'data-error-for="scheduleEnd"><span class="plain">The schedule must end after it starts.', page), "an end before the start is not reported next to the end")
status, headers, page = request("POST", "/console/wizard/trigger", cookie=session, form=dict(trigger, csrf=csrf_of(page), scheduleEnd="2030-03-01T00:00"))
check(status == 303, "the trigger step answered %s: %s" % (status, page[-2000:]))
status, _, page = request("GET", "/console/wizard/review", cookie=session)
status, headers, page = request("POST", "/console/wizard/review", cookie=session, form={"csrf": csrf_of(page), "action": "create"})
check(status == 303 and headers.get("Location", "").startswith("/console/flows/console-scheduled"), "saving the schedule answered %s: %s" % (status, page[-2000:]))
scheduled = cli("describe-flow", "--flow-name", "console-scheduled")["triggerConfig"]["triggerProperties"]["Scheduled"]
check(scheduled.get("timezone") == "Europe/Paris" and scheduled.get("scheduleStartTime", "").startswith("2030-01-02T02:04:00")
      and scheduled.get("scheduleEndTime", "").startswith("2030-02-28T23:00:00"), "describe-flow shows the schedule %r" % scheduled)
summary["schedule"] = [scheduled["scheduleStartTime"], scheduled["scheduleEndTime"], scheduled["timezone"]]
status, _, page = request("GET", "/console/flows/console-scheduled", cookie=session)
check("from 2030-01-02 03:04 until 2030-03-01 00:00 (Europe/Paris)" in page, "the flow page does not show the schedule's start, end and zone")

check(cli("describe-flow", "--flow-name", "console-scheduled")["flowStatus"] == "Draft", "a new scheduled flow is not a draft")
location = flow_action("console-scheduled", "activate")
check("Activated flow console-scheduled" in location, "activating answered %s" % location)
statuses = [cli("describe-flow", "--flow-name", "console-scheduled")["flowStatus"]]
location = flow_action("console-scheduled", "deactivate")
check("Deactivated flow console-scheduled" in location, "deactivating answered %s" % location)
statuses.append(cli("describe-flow", "--flow-name", "console-scheduled")["flowStatus"])
check(statuses == ["Active", "Suspended"], "activate then deactivate left the flow %r" % statuses)
summary["scheduledStatuses"] = statuses

# Delete is styled as destructive and asks first: without confirming, nothing is deleted.
status, _, page = request("GET", "/console/flows/console-edit", cookie=session)
check(re.search(r'<button type="submit" id="delete-flow" class="danger">', page) and re.search(r'<button type="submit" id="run-flow">', page),
      "Delete is not styled apart from Run")
status, _, page = request("POST", "/console/flows/console-edit/delete", cookie=session, form={"csrf": csrf_of(page)})
check(status == 200 and "Delete flow console-edit?" in page and 'class="danger" id="confirm"' in page, "delete without confirming answered %s" % status)
check(cli("describe-flow", "--flow-name", "console-edit")["flowName"] == "console-edit", "an unconfirmed delete deleted the flow")
location = flow_action("console-edit", "delete", confirmed=True)
check(location.startswith("/console/flows?") and "Deleted flow console-edit" in location, "deleting answered %s" % location)
names = [f["flowName"] for f in cli("list-flows").get("flows", [])]
check("console-edit" not in names and "console-scheduled" in names, "after deleting, list-flows shows %r" % names)
status, _, page = request("GET", "/console/flows", cookie=session)
check("console-edit" not in page, "the deleted flow is still on the flows page")
summary["deleted"] = "console-edit"

# Signing out ends the session.
status, _, page = request("GET", "/console/flows", cookie=session)
status, headers, _ = request("POST", "/console/sign-out", cookie=session, form={"csrf": csrf_of(page)})
check(status == 303 and headers.get("Location") == "/console/sign-in", "signing out answered %s" % status)
status, headers, _ = request("GET", "/console/flows", cookie=session)
check(status == 303, "the session still works after signing out")
print(json.dumps(summary))
