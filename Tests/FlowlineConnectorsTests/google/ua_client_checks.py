"""Universal Analytics against flowline-sandbox through google-api-python-client.

The `analytics` v3 (Management API) and `analyticsreporting` v4 services are built from the
static discovery documents shipped in the library, with `api_endpoint` pointed at the sandbox and
google-auth user credentials that renew at the sandbox's /token. Prints one JSON line summarising
what the client saw; the Swift suite GoogleAnalyticsSandboxTests asserts on it.

Environment: SANDBOX_URL.
"""
import json
import os
import urllib.request
from datetime import datetime, timedelta, timezone

from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

URL = os.environ["SANDBOX_URL"]
MAIN, TOKYO = "187654321", "187654322"


def admin(path, method="POST"):
    req = urllib.request.Request(URL + path, method=method, data=b"" if method == "POST" else None)
    return json.loads(urllib.request.urlopen(req).read())


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    out = {}
    creds = Credentials(token=None, refresh_token="sandbox-refresh-token", client_id="sandbox-client-id",
                        client_secret="sandbox-client-secret", token_uri=URL + "/token")
    management = build("analytics", "v3", credentials=creds, static_discovery=True,
                       client_options={"api_endpoint": URL + "/analytics/v3/"})
    reporting = build("analyticsreporting", "v4", credentials=creds, static_discovery=True,
                      client_options={"api_endpoint": URL + "/"})

    # accountSummaries: the default page, then every page by start-index while nextLink is given.
    first = management.management().accountSummaries().list().execute()
    out["defaultItemsPerPage"] = first["itemsPerPage"]
    out["totalResults"] = first["totalResults"]
    out["firstPageItems"] = len(first["items"])
    views, start, pages = [], 1, 0
    while True:
        page = management.management().accountSummaries().list(max_results=1000, start_index=start).execute()
        pages += 1
        views += [p["id"] for a in page.get("items", []) for w in a["webProperties"] for p in w["profiles"]]
        if "nextLink" not in page:
            break
        start += page["itemsPerPage"]
    out["summaryPages"] = pages
    out["views"] = len(views)
    out["distinctViews"] = len(set(views))
    over = management.management().accountSummaries().list(max_results=5000).execute()
    out["itemsPerPageAt5000"] = over["itemsPerPage"]

    # Views' time zones from the profiles resource.
    profiles = management.management().profiles().list(accountId="4711", webPropertyId="~all").execute()
    out["timezones"] = {p["id"]: p["timezone"] for p in profiles["items"]}
    out["tokyoProfile"] = management.management().profiles().get(accountId="4711", webPropertyId="UA-4711-1", profileId=TOKYO).execute()["timezone"]

    # A report paged with pageSize/pageToken has every row once, rowCount in all.
    body = {"viewId": MAIN, "dateRanges": [{"startDate": "30daysAgo", "endDate": "today"}],
            "dimensions": [{"name": "ga:dateHourMinute"}, {"name": "ga:country"}],
            "metrics": [{"expression": "ga:sessions"}, {"expression": "ga:pageviews"}], "pageSize": 400}
    rows, token, requests, row_count = [], None, 0, None
    while True:
        request = dict(body, pageToken=token) if token else body
        report = reporting.reports().batchGet(body={"reportRequests": [request]}).execute()["reports"][0]
        requests += 1
        rows += [tuple(r["dimensions"]) for r in report["data"].get("rows", [])]
        row_count = report["data"]["rowCount"]
        token = report.get("nextPageToken")
        if not token:
            break
    out["report"] = {"rows": len(rows), "distinct": len(set(rows)), "rowCount": row_count, "requests": requests,
                     "golden": report["data"]["isDataGolden"], "ordered": rows == sorted(rows)}

    # Time zones: the same hits by hour in the UTC view and the Tokyo view are nine hours apart.
    def by_hour(view, start, end):
        r = reporting.reports().batchGet(body={"reportRequests": [{
            "viewId": view, "dateRanges": [{"startDate": start, "endDate": end}], "dimensions": [{"name": "ga:dateHour"}],
            "metrics": [{"expression": "ga:sessions"}], "pageSize": 10000}]}).execute()["reports"][0]
        return {row["dimensions"][0]: int(row["metrics"][0]["values"][0]) for row in r["data"].get("rows", [])}
    utc, tokyo = by_hour(MAIN, "2000-01-01", "2100-01-01"), by_hour(TOKYO, "2000-01-01", "2100-01-01")
    shifted = {(datetime.strptime(k, "%Y%m%d%H") + timedelta(hours=9)).strftime("%Y%m%d%H"): v for k, v in utc.items()}
    out["zones"] = {"hours": len(utc), "tokyoEqualsUtcPlusNine": shifted == tokyo, "sessions": sum(utc.values())}

    # Golden data and late hits on Google's pinned clock.
    anchor = datetime.strptime(admin("/_sandbox/ga4", "GET")["anchor"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    hour = anchor - timedelta(hours=2)
    admin(f"/_sandbox/ga4?now={iso(anchor + timedelta(minutes=20))}")
    day = hour.strftime("%Y-%m-%d")
    key = hour.strftime("%Y%m%d%H")

    def hour_report():
        r = reporting.reports().batchGet(body={"reportRequests": [{
            "viewId": MAIN, "dateRanges": [{"startDate": day, "endDate": day}], "dimensions": [{"name": "ga:dateHour"}],
            "metrics": [{"expression": "ga:sessions"}], "dimensionFilterClauses": [{"filters": [
                {"dimensionName": "ga:dateHour", "operator": "EXACT", "expressions": [key]}]}]}]}).execute()["reports"][0]
        return sum(int(x["metrics"][0]["values"][0]) for x in r["data"].get("rows", [])), r["data"]["isDataGolden"]
    before, golden_recent = hour_report()
    admin(f"/_sandbox/ga/late-hits?hour={iso(hour)}&count=6")
    after, _ = hour_report()
    admin(f"/_sandbox/ga4?now={iso(anchor + timedelta(days=3))}")
    _, golden_later = hour_report()
    out["late"] = {"before": before, "after": after, "goldenWhileRecent": golden_recent, "goldenThreeDaysOn": golden_later}
    admin("/_sandbox/ga4?now=real")

    # Google's errors as the client raises them.
    try:
        reporting.reports().batchGet(body={"reportRequests": [{"viewId": "1", "metrics": [{"expression": "ga:sessions"}]}]}).execute()
        out["unknownView"] = "accepted"
    except HttpError as e:
        out["unknownView"] = f"{e.resp.status} {json.loads(e.content)['error']['status']}"
    try:
        reporting.reports().batchGet(body={"reportRequests": [{"viewId": MAIN, "metrics": [{"expression": "ga:nope"}]}]}).execute()
        out["unknownMetric"] = "accepted"
    except HttpError as e:
        out["unknownMetric"] = f"{e.resp.status} {json.loads(e.content)['error']['status']}"
    print(json.dumps(out))


main()
