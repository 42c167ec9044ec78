"""Reads flowline-sandbox's SAP OData v2 service with pyodata, SAP's community OData client, and
prints what it saw as JSON for SAPODataSandboxTests to judge.

    pyodata_check.py read URL RECORDS    whole set by __next, $skip/$top windows, counts
    pyodata_check.py logon URL           wrong sap-client and wrong password, as pyodata reports them
    pyodata_check.py metadata URL        entity types and their keys
    pyodata_check.py probe URL PATH [POST]  one raw request: status, content type, body

pyodata follows d.__next as an opaque URL (GetEntitySetRequest.next_url) and sends $top, $skip,
$filter, $inlinecount and /$count itself, so nothing here builds an OData URL by hand except the
raw probes, which use urllib to see the wire form pyodata hides.
"""

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import pyodata
import requests
from pyodata.exceptions import HttpError

SERVICE = "/sap/opu/odata/sap/API_BUSINESS_PARTNER/"
USER, PASSWORD = "admin", "sandbox-password"


def client(base, client_number="100", password=PASSWORD):
    session = requests.Session()
    session.auth = (USER, password)
    session.params = {"sap-client": client_number}
    return pyodata.Client(base + SERVICE, session)


def entities(entity_set):
    # pyodata sends a request's options as one encoded string, so requests drops the session's
    # params: sap-client goes on each request as a custom option (pyodata's `custom`).
    return entity_set.get_entities().custom("sap-client", "100")


def expected_ids(records):
    # The sandbox's A_BusinessPartner keys: 10 digits from 1000000 on, in key order.
    return ["%010d" % (1_000_000 + i) for i in range(records)]


def read_chain(entity_set, request):
    """Every entity of a request, following __next; returns (ids, requests made, next links seen)."""
    result = request.execute()
    ids = [e.BusinessPartner for e in result]
    links = []
    while result.next_url:
        links.append(result.next_url)
        result = entity_set.get_entities().next_url(result.next_url).execute()
        ids += [e.BusinessPartner for e in result]
    return ids, 1 + len(links), links


def raw_get(base, path_and_query, password=PASSWORD, method="GET"):
    req = urllib.request.Request(base + path_and_query, method=method, data=b"" if method == "POST" else None)
    token = base64.b64encode(f"{USER}:{password}".encode()).decode()
    req.add_header("Authorization", "Basic " + token)
    req.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode()


def read(base, records):
    service = client(base)
    partners = service.entity_sets.A_BusinessPartner
    want = expected_ids(records)
    out = {}

    ids, calls, links = read_chain(partners, entities(partners).select("BusinessPartner"))
    out["all"] = {"count": len(ids), "matches": ids == want, "requests": calls,
                  "firstNext": links[0] if links else None}

    windows = []
    for skip, top in [(0, 97), (97, 97), (50, 47), (0, 1), (records - 10, 97), (records + 5, 10), (3, 0)]:
        request = entities(partners).select("BusinessPartner").skip(skip).top(top)
        got, calls, _ = read_chain(partners, request)
        expect = want[skip:skip + top]
        windows.append({"skip": skip, "top": top, "got": len(got), "expected": len(expect),
                        "matches": got == expect, "requests": calls})
    out["windows"] = windows

    # Client paging as a connector that loses nothing does it: $skip on after each window's chain,
    # until a window comes back shorter than $top.
    top, skip, seen, windows_read = 97, 0, [], 0
    while True:
        got, _, _ = read_chain(partners, entities(partners).select("BusinessPartner").skip(skip).top(top))
        seen += got
        windows_read += 1
        if len(got) < top:
            break
        skip += top
    out["clientPaging"] = {"count": len(seen), "matches": seen == want, "windows": windows_read}

    cut = "%010d" % (1_000_000 + min(records, 100))
    filtered = entities(partners).select("BusinessPartner").filter(f"BusinessPartner lt '{cut}'")
    got, calls, _ = read_chain(partners, filtered)
    out["filtered"] = {"count": len(got), "matches": got == want[:100], "requests": calls}

    out["count"] = entities(partners).count().execute()
    out["filteredCount"] = entities(partners).filter(f"BusinessPartner lt '{cut}'").count().execute()
    out["countWithTop"] = entities(partners).top(3).count().execute()
    inline = entities(partners).select("BusinessPartner").top(5).count(inline=True).execute()
    out["inlineCount"] = inline.total_count
    out["inlinePage"] = len(inline)

    # The wire form pyodata hides: __count is a string, __next carries $skiptoken and the client's options.
    status, _, body = raw_get(base, SERVICE + "A_BusinessPartner?sap-client=100&$format=json&$select=BusinessPartner"
                                             "&$top=97&$inlinecount=allpages")
    d = json.loads(body)["d"] if status == 200 else {}
    out["raw"] = {"status": status, "countType": type(d.get("__count")).__name__, "count": d.get("__count"),
                  "next": d.get("__next"), "page": len(d.get("results", []))}
    status, content_type, body = raw_get(base, SERVICE + "A_BusinessPartner/$count?sap-client=100")
    out["rawCount"] = {"status": status, "contentType": content_type, "body": body}
    return out


def logon(base):
    out = {}
    for name, kwargs in [("wrongClient", {"client_number": "200"}), ("wrongPassword", {"password": "not-it"})]:
        try:
            client(base, **kwargs)
            out[name] = {"raised": False}
        except HttpError as err:
            out[name] = {"raised": True, "status": err.response.status_code, "body": err.response.text,
                         "wwwAuthenticate": err.response.headers.get("WWW-Authenticate")}
    # No sap-client at all: the system's default client.
    status, _, _ = raw_get(base, SERVICE + "$metadata")
    out["noClient"] = {"status": status}
    return out


def metadata(base):
    service = client(base)
    types = {t.name: [k.name for k in t.key_proprties] for t in service.schema.entity_types}
    sets = {s.name: s.entity_type.name for s in service.schema.entity_sets}
    return {"entityTypes": types, "entitySets": sets}


def main():
    mode, base = sys.argv[1], sys.argv[2].rstrip("/")
    if mode == "read":
        result = read(base, int(sys.argv[3]))
    elif mode == "logon":
        result = logon(base)
    elif mode == "metadata":
        result = metadata(base)
    elif mode == "probe":
        status, content_type, body = raw_get(base, sys.argv[3], method=sys.argv[4] if len(sys.argv) > 4 else "GET")
        result = {"status": status, "contentType": content_type, "body": body}
    else:
        raise SystemExit(f"unknown mode {mode!r}: read, logon or metadata")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
