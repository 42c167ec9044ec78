"""Marketo's limits and Bulk Extract, read by marketorestpython (the community client on PyPI) and plain
requests, against flowline-sandbox. Usage: marketo_client.py SANDBOX_URL SCENARIO; prints one JSON line of
facts for the Swift suite MarketoAndBulkSandboxTests to assert on.

Scenarios:
  leads       leads by partition (1003), a 400-field list by GET (414) and by POST _method=GET, every lead
              by Bulk Extract in 31-day createdAt windows, the same leads by REST, values compared
  activities  every activity by Bulk Extract and by REST paging tokens, values compared
  queue       Bulk Extract limits: 10 queued jobs, 2 processing, Range downloads, daily export quota; tokens
              only in the Authorization header
  rate        10 concurrent calls (615), 100 calls in the past 20 s (606), the client answered once the window
              frees, daily quota (607)
"""
import csv
import datetime
import hashlib
import io
import json
import sys
import threading
import time
import urllib.request

import requests
from marketorestpython.client import MarketoClient
from marketorestpython.helper.exceptions import MarketoException

URL = sys.argv[1].rstrip("/")
SCENARIO = sys.argv[2]
DAY = datetime.timedelta(days=1)


def client(max_retry_time=300):
    mc = MarketoClient("sandbox", "sandbox-client-id", "sandbox-client-secret", max_retry_time=max_retry_time)
    mc.host = URL  # the client builds https://<munchkin>.mktorest.com; the sandbox is plain HTTP on loopback
    mc.authenticate()
    return mc


def admin(path, method="POST"):
    req = urllib.request.Request(URL + path, method=method, data=b"" if method == "POST" else None)
    return json.loads(urllib.request.urlopen(req).read())


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def windows(start, end):
    """[start, end] cut into createdAt windows of 31 days less a second (Marketo's limit is 31 days, both ends included)."""
    out = []
    while start <= end:
        stop = min(start + 31 * DAY - datetime.timedelta(seconds=1), end)
        out.append((start, stop))
        start = stop + datetime.timedelta(seconds=1)
    return out


def export(mc, entity, fields, filters):
    """Create, enqueue, poll and download one export job with the client; check its checksum."""
    create = getattr(mc, "create_%s_export_job" % entity)
    job = create(fields=fields, filters=filters, format="CSV")[0]
    getattr(mc, "enqueue_%s_export_job" % entity)(job["exportId"])
    statuses = []
    for _ in range(100):  # the sandbox moves a job on per status poll; 100 polls is far past what it needs
        status = getattr(mc, "get_%s_export_job_status" % entity)(job["exportId"])[0]
        statuses.append(status["status"])
        if status["status"] in ("Completed", "Failed", "Cancelled"):
            break
    data = getattr(mc, "get_%s_export_job_file" % entity)(job["exportId"])
    checksum_ok = status.get("fileChecksum") == "sha256:" + hashlib.sha256(data).hexdigest()
    size_ok = status.get("fileSize") == len(data)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return rows, {"statuses": statuses, "checksumOk": checksum_ok, "sizeOk": size_ok,
                  "numberOfRecordsOk": status.get("numberOfRecords") == len(rows)}


def rest_text(value):
    """A REST JSON value as Bulk Extract writes it in CSV (absent or null is `null`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def leads():
    mc = client()
    facts = {"partitions": [p["id"] for p in mc.get_lead_partitions()]}
    try:
        mc.get_multiple_leads_by_filter_type(filterType="leadPartitionId", filterValues="1")
        facts["partitionCall"] = "succeeded"
    except MarketoException as e:
        facts["partitionCall"] = e.code
    fields = [f["rest"]["name"] for f in mc.describe() if "rest" in f]
    facts["fields"] = len(fields)
    # The wide field list as a GET, as a client that ignores the URL limit sends it.
    token = mc.token
    wide = requests.get(URL + "/rest/v1/leads.json", headers={"Authorization": "Bearer " + token},
                        params={"filterType": "id", "filterValues": "1001,1002", "fields": ",".join(fields)})
    facts["wideGetStatus"] = wide.status_code
    facts["wideGetUrlBytes"] = len(wide.request.url) - len(URL)

    # Every lead by Bulk Extract: 31-day createdAt windows over the last 90 days.
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    bulk, jobs = {}, []
    for start, stop in windows(now - 90 * DAY, now + DAY):
        rows, job = export(mc, "leads", fields, {"createdAt": {"startAt": iso(start), "endAt": iso(stop)}})
        jobs.append(job)
        for row in rows:
            facts.setdefault("duplicates", 0)
            if row["id"] in bulk:
                facts["duplicates"] += 1
            bulk[row["id"]] = row
    facts["jobs"] = jobs
    facts["bulkIds"] = sorted(int(i) for i in bulk)
    try:
        mc.create_leads_export_job(fields=["id"], format="CSV",
                   filters={"createdAt": {"startAt": iso(now - 32 * DAY), "endAt": iso(now)}})
        facts["longWindow"] = "accepted"
    except MarketoException as e:
        facts["longWindow"] = e.code

    # The same leads by REST, 300 ids a call, every field: the client sends them as POST _method=GET.
    ids = sorted(bulk, key=int)
    rest = {}
    for k in range(0, len(ids), 300):
        for lead in mc.get_multiple_leads_by_filter_type(filterType="id",
                               filterValues=",".join(ids[k:k + 300]), fields=",".join(fields)):
            rest[str(lead["id"])] = lead
    facts["restIds"] = sorted(int(i) for i in rest)
    mismatches, compared = [], 0
    for lead_id, row in bulk.items():
        for name in fields:
            compared += 1
            if rest_text(rest.get(lead_id, {}).get(name)) != row[name]:
                mismatches.append([lead_id, name, rest.get(lead_id, {}).get(name), row[name]])
    facts["compared"] = compared
    facts["mismatches"] = mismatches[:10]
    return facts


def activities():
    mc = client()
    types = [t["id"] for t in mc.get_activity_types()]
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    since = now - 40 * DAY
    rest = {}
    for page in mc.get_lead_activities_yield(activityTypeIds=[str(t) for t in types],
                           sinceDatetime=iso(since), batchSize=300):
        for a in page:
            rest[a["marketoGUID"]] = a
    bulk = {}
    jobs = []
    for start, stop in windows(since, now + DAY):
        rows, job = export(mc, "activities", None, {"createdAt": {"startAt": iso(start), "endAt": iso(stop)},
                                                    "activityTypeIds": types})
        jobs.append(job)
        for row in rows:
            bulk[row["marketoGUID"]] = row
    mismatches, compared = [], 0
    for guid, row in bulk.items():
        a = rest.get(guid)
        if a is None:
            mismatches.append([guid, "missing from REST"])
            continue
        for name in ("leadId", "activityDate", "activityTypeId", "primaryAttributeValueId", "primaryAttributeValue"):
            compared += 1
            if rest_text(a.get(name)) != row[name]:
                mismatches.append([guid, name, a.get(name), row[name]])
        compared += 1
        if {x["name"]: x["value"] for x in a.get("attributes", [])} != json.loads(row["attributes"]):
            mismatches.append([guid, "attributes", a.get("attributes"), row["attributes"]])
        if row["campaignId"] != "null":
            mismatches.append([guid, "campaignId", None, row["campaignId"]])
    return {"types": types, "restIds": sorted(a["id"] for a in rest.values()), "restCount": len(rest),
            "bulkCount": len(bulk), "jobs": jobs, "columns": list(next(iter(bulk.values())).keys()) if bulk else [],
            "compared": compared, "mismatches": mismatches[:10]}


def queue():
    mc = client()
    headers = {"Authorization": "Bearer " + mc.token, "Content-Type": "application/json"}
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    body = {"fields": ["id", "email"], "filter": {"createdAt": {"startAt": iso(now - 30 * DAY), "endAt": iso(now)}}}
    base = URL + "/bulk/v1/leads/export"
    ids = [requests.post(base + "/create.json", headers=headers, json=body).json()["result"][0]["exportId"] for _ in range(11)]
    enqueued = [requests.post(base + "/%s/enqueue.json" % i, headers=headers).json() for i in ids]
    again = requests.post(base + "/%s/enqueue.json" % ids[0], headers=headers).json()
    first = [requests.get(base + "/%s/status.json" % i, headers=headers).json()["result"][0]["status"] for i in ids[:10]]
    facts = {"enqueueErrors": [e["errors"][0]["message"] if not e["success"] else None for e in enqueued],
             "enqueueAgain": again["errors"][0] if not again["success"] else None, "statusesAfterOnePoll": first}
    # Poll until every queued job completed: never more than two Processing at once.
    most_processing = 0
    for _ in range(60):
        statuses = [requests.get(base + "/%s/status.json" % i, headers=headers).json()["result"][0]["status"] for i in ids[:10]]
        most_processing = max(most_processing, statuses.count("Processing"))
        if all(s == "Completed" for s in statuses):
            break
    facts["finalStatuses"] = statuses
    facts["mostProcessing"] = most_processing
    # A file in two Range requests, as the Bulk Extract page describes.
    whole = requests.get(base + "/%s/file.json" % ids[0], headers=headers)
    head = requests.get(base + "/%s/file.json" % ids[0], headers=dict(headers, Range="bytes=0-99"))
    tail = requests.get(base + "/%s/file.json" % ids[0], headers=dict(headers, Range="bytes=100-"))
    facts["range"] = {"status": [head.status_code, tail.status_code], "contentRange": head.headers.get("Content-Range"),
                      "acceptRanges": head.headers.get("Accept-Ranges"), "joined": head.content + tail.content == whole.content,
                      "wholeStatus": whole.status_code}
    facts["notCompletedFile"] = requests.get(base + "/%s/file.json" % ids[10], headers=headers).status_code
    cancelled = requests.post(base + "/%s/cancel.json" % ids[10], headers=headers).json()["result"][0]["status"]
    facts["cancelled"] = cancelled
    # The daily export allocation, set just above what was already exported, is used up by one more job.
    used = admin("/_sandbox/marketo", "GET")["exportBytesToday"]
    admin("/_sandbox/marketo?exportQuota=%d" % used)
    try:
        mc.create_leads_export_job(fields=["id"], filters=body["filter"], format="CSV")
        facts["quota"] = "accepted"
    except MarketoException as e:
        facts["quota"] = [e.code, e.message]
    # With header tokens required, the access_token query parameter is refused and the header still works.
    admin("/_sandbox/marketo?headerTokens=on")
    params = {"filterType": "id", "filterValues": "1001"}
    facts["tokenInQuery"] = requests.get(URL + "/rest/v1/leads.json", params=dict(params, access_token=mc.token)).json().get("errors")
    facts["tokenInHeader"] = requests.get(URL + "/rest/v1/leads.json", params=params, headers=headers).json()["success"]
    admin("/_sandbox/marketo?headerTokens=off")
    return facts


def rate():
    mc = client()
    token = mc.token
    leads_url = URL + "/rest/v1/leads.json"
    params = {"filterType": "id", "filterValues": "1001"}
    auth = {"Authorization": "Bearer " + token}
    # Ten calls held open are the concurrency limit; the eleventh is refused with 615.
    admin("/_sandbox/marketo?hold=on")
    held = []
    threads = [threading.Thread(target=lambda: held.append(requests.get(leads_url, headers=auth, params=params).json()))
               for _ in range(10)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while admin("/_sandbox/marketo", "GET")["inFlight"] < 10 and time.time() < deadline:
        time.sleep(0.02)
    eleventh = requests.get(leads_url, headers=auth, params=params).json()
    admin("/_sandbox/marketo?hold=off")
    for t in threads:
        t.join()
    facts = {"held": [h["success"] for h in held], "eleventh": eleventh.get("errors")}
    # 100 calls in the past 20 seconds are the rate limit: call until refused (at most 150 calls).
    answers = []
    for _ in range(150):
        r = requests.get(leads_url, headers=auth, params=params).json()
        answers.append("ok" if r["success"] else r["errors"][0]["code"])
        if not r["success"]:
            facts["refusal"] = r["errors"][0]
            break
    facts["okBeforeRefusal"] = answers.count("ok")
    # The client sees the 606 (told not to retry) ...
    try:
        client(max_retry_time=0).get_lead_partitions()
        facts["client606"] = "accepted"
    except MarketoException as e:
        facts["client606"] = e.code
    # ... and, retrying on its own, loses its token: HttpLib pops access_token from the arguments before the
    # first attempt, and backoff repeats the call with the same (now tokenless) arguments. Reported, not asserted.
    try:
        client(max_retry_time=5).get_lead_partitions()
        facts["clientRetry"] = "accepted"
    except MarketoException as e:
        facts["clientRetry"] = e.code
    # Once the calls of the past 20 seconds are fewer than 100 again, the client is answered.
    deadline = time.time() + 90
    while admin("/_sandbox/marketo", "GET")["countedInWindow"] >= 100 and time.time() < deadline:
        time.sleep(0.25)
    facts["clientAfterWindow"] = [l["id"] for l in mc.get_multiple_leads_by_filter_type(
        filterType="id", filterValues="1001,1002")]
    # A daily quota already used up answers 607, which the client does not retry.
    counted = admin("/_sandbox/marketo", "GET")["countedToday"]
    admin("/_sandbox/marketo?rateLimit=off&dailyQuota=%d" % counted)
    try:
        mc.get_lead_partitions()
        facts["quota"] = "accepted"
    except MarketoException as e:
        facts["quota"] = [e.code, e.message]
    admin("/_sandbox/marketo?dailyQuota=off")
    return facts


print(json.dumps({"leads": leads, "activities": activities, "queue": queue, "rate": rate}[SCENARIO]()))
