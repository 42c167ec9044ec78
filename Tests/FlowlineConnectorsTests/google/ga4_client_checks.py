"""GA4 against flowline-sandbox through Google's own client libraries.

google-analytics-admin and google-analytics-data with their REST transport (the endpoint keeps
its http:// scheme, which their transports accept), authenticated by google-auth user credentials
that renew at the sandbox's /token. Prints one JSON line summarising what the clients saw; the
Swift suite GoogleAnalyticsSandboxTests asserts on it.

Environment: SANDBOX_URL, GA4_PROPERTY_COUNT.
"""
import json
import os
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

from google.analytics.admin_v1beta import AnalyticsAdminServiceClient
from google.analytics.data_v1beta import BetaAnalyticsDataClient
from google.analytics.data_v1beta.types import (
    DateRange, Dimension, Filter, FilterExpression, Metric, OrderBy, RunReportRequest)
from google.api_core import exceptions
from google.api_core.client_options import ClientOptions
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials

URL = os.environ["SANDBOX_URL"]
TOKYO, UTC = "401000001", "401000002"


def admin(path, method="POST"):
    req = urllib.request.Request(URL + path, method=method, data=b"" if method == "POST" else None)
    return json.loads(urllib.request.urlopen(req).read())


def credentials(refresh_token="sandbox-refresh-token"):
    return Credentials(token=None, refresh_token=refresh_token, client_id="sandbox-client-id",
                       client_secret="sandbox-client-secret", token_uri=URL + "/token")


def clients(creds):
    options = ClientOptions(api_endpoint=URL)
    return (AnalyticsAdminServiceClient(credentials=creds, transport="rest", client_options=options),
            BetaAnalyticsDataClient(credentials=creds, transport="rest", client_options=options))


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def hour_sessions(data, prop, local_hour, day):
    """Sessions of one local hour (YYYYMMDDHH), read with an in-list filter on dateHour."""
    r = data.run_report(RunReportRequest(
        property=f"properties/{prop}", date_ranges=[DateRange(start_date=day, end_date=day)],
        dimensions=[Dimension(name="dateHour")], metrics=[Metric(name="sessions")],
        dimension_filter=FilterExpression(filter=Filter(
            field_name="dateHour", in_list_filter=Filter.InListFilter(values=[local_hour])))))
    return sum(int(row.metric_values[0].value) for row in r.rows)


def main():
    out = {}
    # Google's clock pinned an hour after the data's anchor: with the wall clock, late events keep
    # arriving while the test reads, and pages read a moment apart disagree (as on Google's servers).
    anchor = parse(admin("/_sandbox/ga4", "GET")["anchor"])
    admin(f"/_sandbox/ga4?now={iso(anchor + timedelta(hours=1))}")
    creds = credentials()
    admin_client, data = clients(creds)

    # Account summaries, paged by the client's pager: default page size, then one over the maximum.
    pager = admin_client.list_account_summaries()
    pages = list(pager.pages)
    out["summaryPagesDefault"] = len(pages)
    out["summaryFirstPageSize"] = len(pages[0].account_summaries)
    accounts = [a for p in pages for a in p.account_summaries]
    out["accounts"] = len(accounts)
    out["properties"] = sorted(ps.property for a in accounts for ps in a.property_summaries)
    out["propertyCount"] = len(out["properties"])
    pages = list(admin_client.list_account_summaries(request={"page_size": 500}).pages)
    out["summaryPagesAt500"] = [len(p.account_summaries) for p in pages]

    # Properties and their time zones.
    out["timeZones"] = {p: admin_client.get_property(name=f"properties/{p}").time_zone for p in (TOKYO, UTC)}
    out["currencies"] = {p: admin_client.get_property(name=f"properties/{p}").currency_code for p in (TOKYO, UTC)}

    # Metadata.
    meta = data.get_metadata(name=f"properties/{TOKYO}/metadata")
    out["dimensions"] = sorted(d.api_name for d in meta.dimensions)
    out["metricTypes"] = {m.api_name: m.type_.name for m in meta.metrics}
    out["metricCategories"] = sorted({m.category for m in meta.metrics})

    # A report paged with limit/offset up to rowCount equals the same report read in one request.
    base = dict(property=f"properties/{UTC}", date_ranges=[DateRange(start_date="30daysAgo", end_date="today")],
                dimensions=[Dimension(name="dateHourMinute"), Dimension(name="country"), Dimension(name="deviceCategory"),
                            Dimension(name="sessionSource")],
                metrics=[Metric(name="eventCount"), Metric(name="sessions"), Metric(name="activeUsers")],
                order_bys=[OrderBy(dimension=OrderBy.DimensionOrderBy(dimension_name="dateHourMinute")),
                           OrderBy(dimension=OrderBy.DimensionOrderBy(dimension_name="country")),
                           OrderBy(dimension=OrderBy.DimensionOrderBy(dimension_name="deviceCategory")),
                           OrderBy(dimension=OrderBy.DimensionOrderBy(dimension_name="sessionSource"))])
    whole = data.run_report(RunReportRequest(**base, limit=250000))
    paged, offset, requests = [], 0, 0
    while True:
        r = data.run_report(RunReportRequest(**base, limit=700, offset=offset, return_property_quota=True))
        requests += 1
        paged += [tuple(v.value for v in row.dimension_values) + tuple(v.value for v in row.metric_values) for row in r.rows]
        offset += 700
        if offset >= r.row_count:
            break
    out["rowCount"] = whole.row_count
    out["wholeRows"] = len(whole.rows)
    out["pagedRows"] = len(paged)
    out["pagedDistinct"] = len(set(paged))
    out["pagedRequests"] = requests
    out["pagedEqualsWhole"] = paged == [tuple(v.value for v in row.dimension_values) + tuple(v.value for v in row.metric_values)
                                        for row in whole.rows]
    out["defaultLimitRows"] = len(data.run_report(RunReportRequest(**base)).rows)
    out["metadataTimeZone"] = whole.metadata.time_zone
    out["metricHeaderTypes"] = [h.type_.name for h in whole.metric_headers]

    # Quotas: what each request consumed comes off what remains.
    q1 = data.run_report(RunReportRequest(**base, limit=10, return_property_quota=True)).property_quota
    q2 = data.run_report(RunReportRequest(**base, limit=10, return_property_quota=True)).property_quota
    out["quota"] = {
        "tokensPerHourConsumed": q2.tokens_per_hour.consumed,
        "tokensPerHourRemainingDrop": q1.tokens_per_hour.remaining - q2.tokens_per_hour.remaining,
        "tokensPerDayRemaining": q2.tokens_per_day.remaining,
        "tokensPerProjectPerHourRemaining": q2.tokens_per_project_per_hour.remaining,
        "concurrentRemaining": q2.concurrent_requests.remaining,
        "serverErrorsRemaining": q2.server_errors_per_project_per_hour.remaining,
        "thresholdedRemaining": q2.potentially_thresholded_requests_per_hour.remaining,
    }

    # Filters: a string filter and an in-list filter agree with rows filtered by hand.
    countries = data.run_report(RunReportRequest(property=f"properties/{UTC}", date_ranges=[DateRange(start_date="30daysAgo", end_date="today")],
                                                 dimensions=[Dimension(name="country")], metrics=[Metric(name="eventCount")]))
    by_country = {row.dimension_values[0].value: int(row.metric_values[0].value) for row in countries.rows}
    exact = data.run_report(RunReportRequest(property=f"properties/{UTC}", date_ranges=[DateRange(start_date="30daysAgo", end_date="today")],
                                             metrics=[Metric(name="eventCount")],
                                             dimension_filter=FilterExpression(filter=Filter(field_name="country", string_filter=Filter.StringFilter(
                                                 match_type=Filter.StringFilter.MatchType.BEGINS_WITH, value="côte")))))
    listed = data.run_report(RunReportRequest(property=f"properties/{UTC}", date_ranges=[DateRange(start_date="30daysAgo", end_date="today")],
                                              metrics=[Metric(name="eventCount")],
                                              dimension_filter=FilterExpression(filter=Filter(field_name="country", in_list_filter=Filter.InListFilter(
                                                  values=["Japan", "Brazil"], case_sensitive=True)))))
    japan = data.run_report(RunReportRequest(property=f"properties/{UTC}", date_ranges=[DateRange(start_date="30daysAgo", end_date="today")],
                                             dimensions=[Dimension(name="country")], metrics=[Metric(name="eventCount")],
                                             metric_aggregations=["TOTAL"],
                                             dimension_filter=FilterExpression(filter=Filter(field_name="country", string_filter=Filter.StringFilter(
                                                 match_type=Filter.StringFilter.MatchType.EXACT, value="Japan")))))
    out["filters"] = {
        "exact": [r.dimension_values[0].value for r in japan.rows] == ["Japan"],
        "total": int(japan.totals[0].metric_values[0].value) == by_country["Japan"],
        "beginsWith": int(exact.rows[0].metric_values[0].value) == by_country["Côte d’Ivoire"],
        "inList": int(listed.rows[0].metric_values[0].value) == by_country["Japan"] + by_country["Brazil"],
        "countries": sorted(by_country),
    }

    # Errors in Google's format, raised as the client's typed exceptions.
    try:
        data.run_report(RunReportRequest(property=f"properties/{UTC}", date_ranges=[DateRange(start_date="today", end_date="today")],
                                         dimensions=[Dimension(name="ga:date")], metrics=[Metric(name="sessions")]))
        out["badDimension"] = "accepted"
    except exceptions.BadRequest as e:
        out["badDimension"] = f"{type(e).__name__}: {e.message}"
    try:
        data.run_report(RunReportRequest(property="properties/999", date_ranges=[DateRange(start_date="today", end_date="today")],
                                         metrics=[Metric(name="sessions")]))
        out["unknownProperty"] = "accepted"
    except exceptions.Forbidden as e:
        out["unknownProperty"] = f"{type(e).__name__}: {e.message}"

    # The documented JSON by hand, as a connector would send it: int64 fields as numbers, enums as
    # names; errors as {"error": {"code", "message", "status"}}.
    def raw(body):
        req = urllib.request.Request(f"{URL}/v1beta/properties/{UTC}:runReport", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {creds.token}", "Content-Type": "application/json"})
        try:
            return 200, json.loads(urllib.request.urlopen(req).read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())
    range30 = [{"startDate": "30daysAgo", "endDate": "today"}]
    code, body = raw({"dateRanges": range30, "dimensions": [{"name": "date"}], "metrics": [{"name": "sessions"}],
                      "limit": 1, "offset": 0, "orderBys": [{"dimension": {"dimensionName": "date", "orderType": "NUMERIC"}, "desc": True}]})
    out["rawNumbers"] = {"code": code, "rows": len(body.get("rows", [])), "rowCount": body.get("rowCount"),
                         "metricType": body["metricHeaders"][0]["type"]}
    code, body = raw({"dateRanges": range30, "metrics": [{"name": "sessions"}], "limit": -1})
    out["rawNegativeLimit"] = {"code": code, "status": body["error"]["status"], "errorCode": body["error"]["code"]}

    # Late data on a pinned clock: an hour read while open, again three hours later (more events
    # processed), and again after late sessions arrive.
    hour = anchor - timedelta(hours=3)
    for prop, offset_hours in ((UTC, 0), (TOKYO, 9)):
        local = hour + timedelta(hours=offset_hours)
        key, day = local.strftime("%Y%m%d%H"), local.strftime("%Y-%m-%d")
        admin(f"/_sandbox/ga4?now={iso(hour + timedelta(minutes=30))}")
        open_read = hour_sessions(data, prop, key, day)
        admin(f"/_sandbox/ga4?now={iso(hour + timedelta(hours=3))}")
        later_read = hour_sessions(data, prop, key, day)
        added = admin(f"/_sandbox/ga4/late-hits?property={prop}&hour={iso(hour)}&count=5")["added"]
        after_late = hour_sessions(data, prop, key, day)
        admin(f"/_sandbox/ga4?now={iso(hour + timedelta(hours=60))}")
        settled = hour_sessions(data, prop, key, day)
        out.setdefault("lateData", {})[prop] = {"hour": key, "open": open_read, "threeHoursLater": later_read,
                                                "added": added, "afterLateHits": after_late, "settled": settled}

    # Time zones: late sessions added to one UTC hour show up in the Tokyo property's hour nine later.
    admin(f"/_sandbox/ga4?now={iso(anchor + timedelta(minutes=10))}")
    target = anchor - timedelta(hours=5)
    for prop, offset_hours in ((TOKYO, 9), (UTC, 0)):
        before = data.run_report(RunReportRequest(property=f"properties/{prop}", date_ranges=[DateRange(start_date="3daysAgo", end_date="today")],
                                                  dimensions=[Dimension(name="dateHour")], metrics=[Metric(name="sessions")], limit=1000))
        admin(f"/_sandbox/ga4/late-hits?property={prop}&hour={iso(target)}&count=7")
        after = data.run_report(RunReportRequest(property=f"properties/{prop}", date_ranges=[DateRange(start_date="3daysAgo", end_date="today")],
                                                 dimensions=[Dimension(name="dateHour")], metrics=[Metric(name="sessions")], limit=1000))
        b = {r.dimension_values[0].value: int(r.metric_values[0].value) for r in before.rows}
        a = {r.dimension_values[0].value: int(r.metric_values[0].value) for r in after.rows}
        changed = {k: a[k] - b.get(k, 0) for k in a if a[k] != b.get(k, 0)}
        out.setdefault("zoneShift", {})[prop] = {"changed": changed,
                                                 "expected": (target + timedelta(hours=offset_hours)).strftime("%Y%m%d%H")}

    # Access tokens expire on Google's clock (the last one was issued at anchor + 60 h at the
    # latest): later, the client is refused once, renews, and goes on.
    refreshed_before = admin("/_sandbox/stats", "GET")["refreshed"]
    admin(f"/_sandbox/ga4?now={iso(anchor + timedelta(hours=100))}")
    data.get_metadata(name=f"properties/{UTC}/metadata")
    stats = admin("/_sandbox/stats", "GET")
    out["renewedAfterExpiry"] = stats["refreshed"] - refreshed_before
    # ... and when the sandbox revokes every token.
    admin("/_sandbox/expire-tokens")
    data.get_metadata(name=f"properties/{UTC}/metadata")
    out["renewedAfterRevocation"] = admin("/_sandbox/stats", "GET")["refreshed"] - stats["refreshed"]
    try:
        clients(credentials("1//revoked"))[1].get_metadata(name=f"properties/{UTC}/metadata")
        out["badRefreshToken"] = "accepted"
    except RefreshError as e:
        out["badRefreshToken"] = f"RefreshError: {e}"

    # Quota exhaustion: 429 RESOURCE_EXHAUSTED until the next hour on Google's clock.
    admin("/_sandbox/ga4/quota?tokensPerHour=5&reset=true")
    served, refusal = 0, None
    for _ in range(20):
        try:
            data.run_report(RunReportRequest(**base, limit=10))
            served += 1
        except exceptions.TooManyRequests as e:
            refusal = f"{type(e).__name__} {e.code}: {e.message}"
            break
    admin(f"/_sandbox/ga4?now={iso(anchor + timedelta(hours=101))}")
    quota = data.run_report(RunReportRequest(**base, limit=10, return_property_quota=True)).property_quota
    out["exhaustion"] = {"served": served, "refusal": refusal, "nextHourRemaining": quota.tokens_per_hour.remaining}
    admin("/_sandbox/ga4/quota?tokensPerHour=40000&reset=true")
    admin("/_sandbox/ga4?now=real")
    print(json.dumps(out))


main()
