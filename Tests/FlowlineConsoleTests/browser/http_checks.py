"""Plain HTTP checks of the console (no browser): sign-in is required, a POST without the
session's CSRF token is refused, and a connection's secret never appears in any console page.

Environment: CONSOLE_URL, ACCESS_KEY_ID, SECRET_ACCESS_KEY. Prints a JSON summary on stdout.
"""
import http.client
import json
import os
import re
import sys
import urllib.parse

url = urllib.parse.urlparse(os.environ["CONSOLE_URL"])
SECRET = "pg-PASSWORD-5e1f0a77"
summary = {}


def request(method, path, cookie=None, form=None):
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
    text = response.read().decode()
    connection.close()
    return response.status, response.headers, text


def check(condition, message):
    if not condition:
        print(message, file=sys.stderr)
        sys.exit(1)


def cookie_of(headers):
    value = headers.get("Set-Cookie", "")
    return value.split(";")[0], value


def csrf_of(page):
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    check(match, "no CSRF token in the page")
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

# A rule broken: the form comes back with the message next to the field, without the password.
status, _, page = request("POST", "/console/connections/new", cookie=session, form=dict(form, csrf=token, connectorProfileName="bad name!"))
check(status == 400 and 'data-error-for="connectorProfileName"' in page, "an invalid name answered %s" % status)
check(SECRET not in page, "the password came back in the form shown again after an error")

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

# Signing out ends the session.
status, _, page = request("GET", "/console/flows", cookie=session)
status, headers, _ = request("POST", "/console/sign-out", cookie=session, form={"csrf": csrf_of(page)})
check(status == 303 and headers.get("Location") == "/console/sign-in", "signing out answered %s" % status)
status, headers, _ = request("GET", "/console/flows", cookie=session)
check(status == 303, "the session still works after signing out")
print(json.dumps(summary))
