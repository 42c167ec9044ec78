"""Salesforce Bulk API 2.0 query jobs read by simple-salesforce (its bulk2 interface) and plain requests,
against flowline-sandbox, compared with what the REST query API answers for the same records.
Usage: salesforce_bulk_client.py SANDBOX_URL; prints one JSON line of facts for MarketoAndBulkSandboxTests.
"""
import csv
import datetime
import io
import json
import sys

import urllib.parse

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceError

URL = sys.argv[1].rstrip("/")
TOKEN = "sandbox-access-token"
ACCOUNT = ("Id", "Name", "Industry", "AnnualRevenue", "NumberOfEmployees", "Description", "IsDeleted",
           "CreatedDate", "LastModifiedDate", "SystemModstamp")
OPPORTUNITY = ("Id", "Name", "AccountId", "StageName", "Amount", "Probability", "CloseDate", "IsClosed",
               "CreatedDate", "LastModifiedDate")

sf = Salesforce(instance_url=URL, session_id=TOKEN, version="58.0")
# simple-salesforce builds https:// URLs from the instance; the sandbox is plain HTTP on loopback.
sf.base_url = sf.base_url.replace("https://", "http://")
sf.bulk2_url = sf.bulk2_url.replace("https://", "http://")


def rest_query(soql, include_deleted=False):
    """The REST query API's records, following nextRecordsUrl. Not simple-salesforce's query_all: it encodes
    spaces in q as '+', which flowline-sandbox's REST route (not part of this suite) does not decode."""
    url = "%s/services/data/v58.0/%s/?q=%s" % (URL, "queryAll" if include_deleted else "query", urllib.parse.quote(soql))
    records = []
    while url:
        page = requests.get(url, headers={"Authorization": "Bearer " + TOKEN}).json()
        records += page["records"]
        url = URL + page["nextRecordsUrl"] if not page["done"] else None
    return records


def bulk_rows(query, operation="query", max_records=1000):
    pages = list(getattr(sf.bulk2.Account, operation)(query, max_records=max_records, wait=0.1))
    rows = [row for page in pages for row in csv.DictReader(io.StringIO(page))]
    return rows, [len(list(csv.DictReader(io.StringIO(p)))) for p in pages]


def instant(text):
    """REST writes 2024-01-02T03:04:05.000+0000, Bulk API 2.0 2024-01-02T03:04:05.000Z: the same instant?"""
    return datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z")


def same(rest, bulk):
    if rest is None:
        return bulk == ""
    if isinstance(rest, bool):
        return bulk == ("true" if rest else "false")
    if isinstance(rest, (int, float)):
        return bulk != "" and float(bulk) == float(rest)
    if len(rest) == 28 and rest[10] == "T" and rest.endswith("+0000"):
        return bulk.endswith("Z") and instant(rest) == instant(bulk)
    return rest == bulk


def compare(rest_records, bulk_records, fields):
    rest = {r["Id"]: r for r in rest_records}
    mismatches, compared = [], 0
    for row in bulk_records:
        r = rest.get(row["Id"])
        if r is None:
            mismatches.append([row["Id"], "missing from REST"])
            continue
        for f in fields:
            compared += 1
            if not same(r[f], row[f]):
                mismatches.append([row["Id"], f, r[f], row[f]])
    return compared, mismatches[:10]


facts = {}
soql = "SELECT %s FROM Account" % ", ".join(ACCOUNT)
rest_live = rest_query(soql)
rest_all = rest_query(soql, include_deleted=True)
bulk_live, pages = bulk_rows(soql, "query", 1000)
bulk_all, _ = bulk_rows(soql, "query_all", 1000)
facts["accountIds"] = sorted(r["Id"] for r in bulk_live)
facts["accountIdsAll"] = sorted(r["Id"] for r in bulk_all)
facts["restIds"] = sorted(r["Id"] for r in rest_live)
facts["restIdsAll"] = sorted(r["Id"] for r in rest_all)
facts["pages"] = pages
facts["header"] = list(bulk_live[0].keys()) if bulk_live else []
facts["accountCompared"], facts["accountMismatches"] = compare(rest_all, bulk_all, ACCOUNT)

soql = "SELECT %s FROM Opportunity" % ", ".join(OPPORTUNITY)
opportunities_rest = rest_query(soql)
opportunities, _ = bulk_rows(soql, "query", 50000)
facts["opportunities"] = len(opportunities)
facts["opportunityCompared"], facts["opportunityMismatches"] = compare(opportunities_rest, opportunities, OPPORTUNITY)
facts["nullAmounts"] = sum(1 for r in opportunities if r["Amount"] == "")

# A child-to-parent field, named as written, against the parent's name from the REST API.
names = {r["Id"]: r["Name"] for r in rest_all}
related, _ = bulk_rows("SELECT Id, AccountId, Account.Name FROM Opportunity WHERE StageName = 'Closed Won'", "query", 50000)
facts["relatedHeader"] = list(related[0].keys()) if related else []
facts["relatedRows"] = len(related)
facts["relatedWrong"] = [r["Id"] for r in related if names.get(r["AccountId"]) != r["Account.Name"]][:10]

# What the guide says Bulk API 2.0 refuses.
refusals = {}
for name, query in [("count", "SELECT COUNT() FROM Account"), ("groupBy", "SELECT Industry FROM Account GROUP BY Industry"),
                    ("offset", "SELECT Id FROM Account LIMIT 10 OFFSET 5"), ("nested", "SELECT Id, (SELECT Id FROM Contacts) FROM Account"),
                    ("fields", "SELECT FIELDS(STANDARD) FROM Account"), ("compound", "SELECT Id, BillingAddress FROM Account"),
                    ("typeof", "SELECT TYPEOF What WHEN Account THEN Name END FROM Event"), ("unknownField", "SELECT Id, NoSuchField FROM Account")]:
    try:
        list(sf.bulk2.Account.query(query, wait=0.1))
        refusals[name] = "accepted"
    except SalesforceError as e:
        refusals[name] = [e.status, e.content[0]["errorCode"]]
facts["refusals"] = refusals

# The job's life by hand: results before completion, the locator chain, abort, delete.
h = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}
jobs = URL + "/services/data/v58.0/jobs/query"
job = requests.post(jobs, headers=h, json={"operation": "query", "query": "SELECT Id FROM Contact"}).json()
facts["created"] = job["state"]
facts["early"] = requests.get(jobs + "/" + job["id"] + "/results", headers=h).status_code
states = [job["state"]]
while states[-1] not in ("JobComplete", "Failed", "Aborted") and len(states) < 20:
    states.append(requests.get(jobs + "/" + job["id"], headers=h).json()["state"])
facts["states"] = states
locators, counts, locator = [], [], None
while True:
    r = requests.get(jobs + "/" + job["id"] + "/results", headers=h, params={"maxRecords": 700, **({"locator": locator} if locator else {})})
    locator = r.headers["Sforce-Locator"]
    locators.append(locator)
    counts.append(int(r.headers["Sforce-NumberOfRecords"]))
    if locator == "null":
        break
facts["locators"], facts["counts"] = locators, counts
facts["otherVersion"] = requests.get(URL + "/services/data/v59.0/jobs/query/" + job["id"] + "/results", headers=h).status_code
aborted = requests.post(jobs, headers=h, json={"operation": "queryAll", "query": "SELECT Id FROM Account", "columnDelimiter": "PIPE"}).json()
facts["abort"] = requests.patch(jobs + "/" + aborted["id"], headers=h, json={"state": "Aborted"}).json()["state"]
facts["abortedResults"] = requests.get(jobs + "/" + aborted["id"] + "/results", headers=h).status_code
facts["delete"] = requests.delete(jobs + "/" + job["id"], headers=h).status_code
facts["afterDelete"] = requests.get(jobs + "/" + job["id"], headers=h).status_code
print(json.dumps(facts))
