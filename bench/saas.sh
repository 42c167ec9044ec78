#!/usr/bin/env bash
# Salesforce emulator → S3 CSV throughput: starts flowline-sandbox on loopback with RECORDS
# Account records (default 200000, pages of 2000), first reads every page with a plain HTTP client alone (the
# emulator's own speed: it must not be the bottleneck), then runs one on-demand flow with a release
# build, and prints wall time and records/s of both. Measured, never asserted. The release build
# goes to .build-release (shared with the other benchmarks; SwiftPM's lock serialises builds).
#
#   bench/saas.sh [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS="${1:-200000}"

swift build -c release --scratch-path .build-release --product flowline >/dev/null
swift build -c release --scratch-path .build-release --product flowline-sandbox >/dev/null
BIN="$(swift build -c release --scratch-path .build-release --show-bin-path)"

WORK="$(mktemp -d)"
SANDBOX_PID=""
cleanup() { [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN/flowline-sandbox" --port 0 --records "$RECORDS" --page-size 2000 >"$WORK/sandbox.out" 2>/dev/null &
SANDBOX_PID=$!
for _ in $(seq 1 100); do
  grep -q '^flowline-sandbox listening on' "$WORK/sandbox.out" 2>/dev/null && break
  sleep 0.1
done
URL="$(sed -n 's/^flowline-sandbox listening on //p' "$WORK/sandbox.out" | head -1)"

# The emulator alone: every page of the same query, one after another on one keep-alive connection
# (Python's http.client; the body is only searched for nextRecordsUrl, not parsed).
read CSTART CEND < <(python3 - "$URL" <<'PY'
import http.client, re, sys, time, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])
conn = http.client.HTTPConnection(url.hostname, url.port)
q = "SELECT Id, Name, Industry, AnnualRevenue, NumberOfEmployees, Description, IsDeleted, CreatedDate, LastModifiedDate, SystemModstamp FROM Account"
path = "/services/data/v58.0/queryAll?q=" + urllib.parse.quote(q)
start = time.time()
while path:
    conn.request("GET", path, headers={"Authorization": "Bearer sandbox-access-token", "Sforce-Query-Options": "batchSize=2000"})
    body = conn.getresponse().read()
    m = re.search(rb'"nextRecordsUrl":"([^"]*)"', body[:300])
    path = m.group(1).decode() if m else None
print(start, time.time())
PY
)

export FLOWLINE_HOME="$WORK/home"
F="$BIN/flowline"
"$F" create-connector-profile --connector-profile-name bench-sf --connector-type Salesforce --connection-mode Public \
  --connector-profile-config "{\"connectorProfileProperties\": {\"Salesforce\": {\"instanceUrl\": \"$URL\"}},
                               \"connectorProfileCredentials\": {\"Salesforce\": {\"accessToken\": \"sandbox-access-token\", \"refreshToken\": \"sandbox-refresh-token\"}}}" >/dev/null
"$F" create-flow --flow-name bench-accounts --trigger-config '{"triggerType": "OnDemand"}' \
  --source-flow-config '{"connectorType": "Salesforce", "connectorProfileName": "bench-sf", "sourceConnectorProperties": {"Salesforce": {"object": "Account", "includeDeletedRecords": true}}}' \
  --destination-flow-config-list '[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "bench", "s3OutputFormatConfig": {"fileType": "CSV"}}}}]' \
  --tasks '[{"sourceFields": [], "connectorOperator": {"Salesforce": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]' >/dev/null

START=$(date +%s.%N)
"$F" start-flow --flow-name bench-accounts >/dev/null
END=$(date +%s.%N)

WRITTEN=$("$F" describe-flow-execution-records --flow-name bench-accounts | python3 -c 'import json,sys; print(json.load(sys.stdin)["flowExecutions"][0]["executionResult"]["recordsProcessed"])')
python3 - "$START" "$END" "$WRITTEN" "$RECORDS" "$CSTART" "$CEND" <<'PY'
import sys
start, end, written, asked, cstart, cend = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
print(f"emulator alone (one client, every page): {asked} records in {cend - cstart:.2f} s = {asked / (cend - cstart):,.0f} records/s")
secs = end - start
print(f"Salesforce emulator -> S3 CSV: {written} of {asked} records in {secs:.2f} s = {written / secs:,.0f} records/s")
PY
