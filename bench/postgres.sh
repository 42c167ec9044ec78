#!/usr/bin/env bash
# Flowline's Redshift destination (PostgreSQL COPY) next to psql's \copy, on the same CSV.
#
#   bench/postgres.sh [ROWS ...]          default: 1000000
#   FLOWLINE_BIN=path bench/postgres.sh   measures that binary instead of building this checkout
#   FLOWLINE_BENCH_PG_URL=postgresql://…  uses that server instead of a throwaway cluster
#   FLOWLINE_BENCH_REPEAT=N               runs each side N times (default 1); prints every run
#
# For each row count: generates (or reuses) the deterministic CRM CSV (bench/generate_crm_csv.py)
# and loads it twice into identical, freshly created tables with the same column types:
#   - flowline start-flow: S3 CSV -> Redshift with a typed mapping (integer, double, date,
#     datetime like bench/run.sh), one COPY in one transaction;
#   - psql -c "\copy … FROM … CSV HEADER": psql reads the file, the server parses the CSV.
# Prints wall time, records/s, peak resident memory (GNU time %M) and CPU seconds of the
# measured process (user+sys: for psql almost nothing, the server does the work), then the
# wall-time ratio. Compares the two tables and warns, with a sample, when their rows differ. Figures are measurements, not assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rows_list=("${@:-1000000}")
repeat=${FLOWLINE_BENCH_REPEAT:-1}
out=$root/bench/out
mkdir -p "$out"

command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
command -v psql >/dev/null || { echo "bench: needs psql (apt-get install postgresql-client)" >&2; exit 1; }

if [ -n "${FLOWLINE_BIN:-}" ]; then
    bin=$FLOWLINE_BIN
else
    echo "bench: building flowline (release, .build-release)" >&2
    swift build -c release --scratch-path .build-release --product flowline >&2
    bin="$(swift build -c release --scratch-path .build-release --show-bin-path)/flowline"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/flowline-pgbench.XXXXXX")
cleanup() {
    [ -n "${started_pg:-}" ] && scripts/postgres stop
    rm -rf "$work"
}
trap cleanup EXIT

pg_url=${FLOWLINE_BENCH_PG_URL:-}
if [ -z "$pg_url" ]; then
    echo "bench: starting a throwaway PostgreSQL (scripts/postgres)" >&2
    eval "$(scripts/postgres start)"
    started_pg=1
    pg_url=$FLOWLINE_TEST_PG_URL
fi
pg() { psql "$pg_url" -X -q -v ON_ERROR_STOP=1 "$@"; }

# Runs a command under GNU time; sets wall, peak_kb and cpu. A failure shows its stderr and stops.
measure() {
    local label=$1
    shift
    if ! /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr"; then
        echo "bench: $label failed:" >&2
        cat "$work/stderr" "$work/stdout" >&2
        exit 1
    fi
    read -r wall peak_kb user sys < <(tail -n 1 "$work/time")
    cpu=$(echo "$user + $sys" | bc -l)
}

row() {  # label rows wall peak_kb cpu
    printf "%-36s %9d %9.2f %12.0f %9.1f %9.2f\n" "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)" "$(echo "$4 / 1024" | bc -l)" "$5"
}

ddl='("Id" bigint, "AccountName" text, "FirstName" text, "LastName" text, "Email" text, "Phone" text,
 "Industry" text, "Stage" text, "Amount" double precision, "Probability" double precision, "CloseDate" date,
 "LastModifiedDate" timestamptz, "Description" text)'
tasks='[{"sourceFields":["Id","AccountName","FirstName","LastName","Email","Phone","Industry","Stage","Amount","Probability","CloseDate","LastModifiedDate","Description"],"connectorOperator":{"S3":"PROJECTION"},"taskType":"Filter","taskProperties":{}}'
for pair in Id:integer AccountName FirstName LastName Email Phone Industry Stage Amount:double Probability:double \
            CloseDate:date LastModifiedDate:datetime Description; do
    f=${pair%%:*} props='{}'
    [ "$f" != "$pair" ] && props="{\"DESTINATION_DATA_TYPE\":\"${pair#*:}\"}"
    tasks+=",{\"sourceFields\":[\"$f\"],\"connectorOperator\":{\"S3\":\"NO_OP\"},\"destinationField\":\"$f\",\"taskType\":\"Map\",\"taskProperties\":$props}"
done
tasks+=']'

# The profile points at the same server, as Redshift's jdbc URL and credentials.
profile_config=$(python3 - "$pg_url" <<'EOF'
import json, sys, urllib.parse as u
p = u.urlparse(sys.argv[1])
print(json.dumps({
    "connectorProfileProperties": {"Redshift": {
        "databaseUrl": f"jdbc:redshift://{p.hostname}:{p.port or 5432}{p.path}",
        "bucketName": "bench-stage", "roleArn": "arn:aws:iam::123456789012:role/bench"}},
    "connectorProfileCredentials": {"Redshift": {
        "username": u.unquote(p.username or ""), "password": u.unquote(p.password or "")}}}))
EOF
)

export FLOWLINE_HOME="$work/home" FLOWLINE_S3_ROOT="$work/s3"
mkdir -p "$FLOWLINE_S3_ROOT/bench-in/crm"
"$bin" create-connector-profile --connector-profile-name bench-warehouse --connector-type Redshift \
    --connection-mode Public --connector-profile-config "$profile_config" >/dev/null
src='{"connectorType":"S3","sourceConnectorProperties":{"S3":{"bucketName":"bench-in","bucketPrefix":"crm/"}}}'
dest='[{"connectorType":"Redshift","connectorProfileName":"bench-warehouse","destinationConnectorProperties":{"Redshift":{"object":"public.bench_flowline","intermediateBucketName":"bench-stage"}}}]'
"$bin" create-flow --flow-name bench-redshift --trigger-config '{"triggerType":"OnDemand"}' --source-flow-config "$src" \
    --destination-flow-config-list "$dest" --tasks "$tasks" >/dev/null

printf "\n%-36s %9s %9s %12s %9s %9s\n" "run" "rows" "seconds" "records/s" "peak MB" "cpu s"
for rows in "${rows_list[@]}"; do
    csv="$out/crm-$rows.csv"
    [ -f "$csv" ] || python3 bench/generate_crm_csv.py "$rows" "$csv"
    rm -f "$FLOWLINE_S3_ROOT"/bench-in/crm/*
    ln "$csv" "$FLOWLINE_S3_ROOT/bench-in/crm/crm.csv" 2>/dev/null || cp "$csv" "$FLOWLINE_S3_ROOT/bench-in/crm/crm.csv"
    for ((i = 1; i <= repeat; i++)); do
        pg -c "DROP TABLE IF EXISTS bench_flowline, bench_psql" -c "CREATE TABLE bench_flowline $ddl" \
           -c "CREATE TABLE bench_psql $ddl" >/dev/null
        measure "flowline start-flow" "$bin" start-flow --flow-name bench-redshift
        grep -q '"executionId"' "$work/stdout" || { echo "bench: flowline printed no execution:" >&2; cat "$work/stdout" "$work/stderr" >&2; exit 1; }
        fwall=$wall
        row "flowline S3 CSV -> Redshift (COPY)" "$rows" "$wall" "$peak_kb" "$cpu"
        measure "psql \\copy" psql "$pg_url" -X -q -v ON_ERROR_STOP=1 -c "\\copy bench_psql FROM '$csv' CSV HEADER"
        row "psql \\copy … CSV HEADER" "$rows" "$wall" "$peak_kb" "$cpu"
        printf "%-36s %9s %9.2f\n" "  flowline / psql wall time" "" "$(echo "$fwall / $wall" | bc -l)"
        # Same rows, same values: every column compared as text, either way round.
        diff=$(pg -At -c "SELECT (SELECT count(*) FROM bench_flowline) || ' ' || (SELECT count(*) FROM bench_psql) || ' ' ||
                                  (SELECT count(*) FROM (SELECT * FROM bench_flowline EXCEPT ALL SELECT * FROM bench_psql) d) || ' ' ||
                                  (SELECT count(*) FROM (SELECT * FROM bench_psql EXCEPT ALL SELECT * FROM bench_flowline) d)")
        if [ "$diff" != "$rows $rows 0 0" ]; then
            echo "  WARNING: the tables differ (flowline rows, psql rows, rows only in flowline's, only in psql's) = $diff" >&2
            pg -At -F ' | ' -c "SELECT 'flowline', * FROM (SELECT * FROM bench_flowline EXCEPT ALL SELECT * FROM bench_psql ORDER BY 1 LIMIT 1) a
                                 UNION ALL SELECT 'psql', * FROM (SELECT * FROM bench_psql EXCEPT ALL SELECT * FROM bench_flowline ORDER BY 1 LIMIT 1) b" >&2
        fi
    done
done
pg -c "DROP TABLE IF EXISTS bench_flowline, bench_psql" >/dev/null
