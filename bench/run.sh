#!/usr/bin/env bash
# Flowline throughput and memory, side by side with a reference on the same file.
#
#   bench/run.sh [ROWS ...]        default: 1000000; e.g. `bench/run.sh 1000000 5000000`
#   FLOWLINE_BIN=path bench/run.sh  measures that binary instead of building this checkout
#   BENCH_PG=0 bench/run.sh         leaves out the PostgreSQL rows (no throwaway cluster)
#
# For each row count: generates the deterministic CRM CSV (bench/generate_crm_csv.py), then runs
#   - flowline S3 CSV -> S3 Parquet (typed mapping, snappy), one run
#   - flowline S3 CSV -> S3 CSV (Map_all), one run
#   - pyarrow CSV -> Parquet, single-threaded (the reference)
#   - flowline S3 CSV -> Redshift (PostgreSQL, COPY in one transaction) next to
#     psql's `\copy … FROM … CSV HEADER` into an identical table, with their ratio
#     (a throwaway cluster from scripts/postgres unless FLOWLINE_BENCH_PG_URL names one)
# and prints wall time, records/s and peak resident memory (GNU time's %M), then for each row count
# flowline's Parquet time as a multiple of pyarrow's (the target is 1.5x or less; peak memory under
# 200 MB and the same at every size). On a shared machine compare figures taken in the same minute.
# Figures are measurements for the notes, never assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
rows_list=("${@:-1000000}")
out=bench/out
mkdir -p "$out"

command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
python3 -c "import pyarrow" 2>/dev/null || { echo "bench: needs pyarrow (pip install pyarrow)" >&2; exit 1; }

if [ -n "${FLOWLINE_BIN:-}" ]; then
    bin=$FLOWLINE_BIN   # an already-built binary, e.g. to compare two versions on the same file
else
    echo "bench: building flowline (release, .build-release)" >&2
    swift build -c release --scratch-path .build-release --product flowline >&2
    bin="$(swift build -c release --scratch-path .build-release --show-bin-path)/flowline"
fi

measure() {  # label, command...; prints "seconds peak_kb"
    local label=$1 log="$out/time.$$"
    shift
    /usr/bin/time -f "%e %M" -o "$log" "$@" >"$out/last.stdout" 2>"$out/last.stderr" || { echo "bench: $label failed:" >&2; cat "$out/last.stderr" >&2; exit 1; }
    tail -n 1 "$log"
    rm -f "$log"
}

tasks_typed='[
 {"sourceFields":["Id","AccountName","FirstName","LastName","Email","Phone","Industry","Stage","Amount","Probability","CloseDate","LastModifiedDate","Description"],"connectorOperator":{"S3":"PROJECTION"},"taskType":"Filter","taskProperties":{}},
 {"sourceFields":["Id"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"Id","taskType":"Map","taskProperties":{"DESTINATION_DATA_TYPE":"integer"}},
 {"sourceFields":["AccountName"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"AccountName","taskType":"Map","taskProperties":{}},
 {"sourceFields":["FirstName"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"FirstName","taskType":"Map","taskProperties":{}},
 {"sourceFields":["LastName"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"LastName","taskType":"Map","taskProperties":{}},
 {"sourceFields":["Email"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"Email","taskType":"Map","taskProperties":{}},
 {"sourceFields":["Phone"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"Phone","taskType":"Map","taskProperties":{}},
 {"sourceFields":["Industry"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"Industry","taskType":"Map","taskProperties":{}},
 {"sourceFields":["Stage"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"Stage","taskType":"Map","taskProperties":{}},
 {"sourceFields":["Amount"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"Amount","taskType":"Map","taskProperties":{"DESTINATION_DATA_TYPE":"double"}},
 {"sourceFields":["Probability"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"Probability","taskType":"Map","taskProperties":{"DESTINATION_DATA_TYPE":"double"}},
 {"sourceFields":["CloseDate"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"CloseDate","taskType":"Map","taskProperties":{"DESTINATION_DATA_TYPE":"date"}},
 {"sourceFields":["LastModifiedDate"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"LastModifiedDate","taskType":"Map","taskProperties":{"DESTINATION_DATA_TYPE":"datetime"}},
 {"sourceFields":["Description"],"connectorOperator":{"S3":"NO_OP"},"destinationField":"Description","taskType":"Map","taskProperties":{}}
]'
tasks_all='[{"sourceFields":[],"connectorOperator":{"S3":"NO_OP"},"taskType":"Map_all","taskProperties":{}}]'
trigger='{"triggerType":"OnDemand"}'

pyarrow_ref='
import sys, pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq
pa.set_cpu_count(1); pa.set_io_thread_count(1)
t = pc.read_csv(sys.argv[1], read_options=pc.ReadOptions(use_threads=False), parse_options=pc.ParseOptions(newlines_in_values=True),
                convert_options=pc.ConvertOptions(strings_can_be_null=True))
pq.write_table(t, sys.argv[2], compression="snappy")
'

pg_url=${FLOWLINE_BENCH_PG_URL:-}
with_pg=${BENCH_PG:-1}
if [ "$with_pg" = 1 ] && [ -z "$pg_url" ]; then
    echo "bench: starting a throwaway PostgreSQL (scripts/postgres)" >&2
    eval "$(scripts/postgres start)"
    trap 'scripts/postgres stop' EXIT
    pg_url=$FLOWLINE_TEST_PG_URL
fi
pg_table_ddl='("Id" bigint, "AccountName" text, "FirstName" text, "LastName" text, "Email" text, "Phone" text,
 "Industry" text, "Stage" text, "Amount" double precision, "Probability" double precision, "CloseDate" date,
 "LastModifiedDate" timestamptz, "Description" text)'

printf "\n%-34s %10s %12s %14s %12s\n" "run" "rows" "seconds" "records/s" "peak MB"
summary=()
for rows in "${rows_list[@]}"; do
    csv="$out/crm-$rows.csv"
    [ -f "$csv" ] || python3 bench/generate_crm_csv.py "$rows" "$csv"
    home="$(mktemp -d)"
    export FLOWLINE_HOME="$home" FLOWLINE_S3_ROOT="$home/s3"
    mkdir -p "$home/s3/bench-in/crm" "$home/s3/bench-out"
    cp "$csv" "$home/s3/bench-in/crm/crm.csv"
    src='{"connectorType":"S3","sourceConnectorProperties":{"S3":{"bucketName":"bench-in","bucketPrefix":"crm/"}}}'
    for kind in PARQUET CSV; do
        tasks=$tasks_typed; preserve=true
        [ "$kind" = CSV ] && tasks=$tasks_all
        dest="[{\"connectorType\":\"S3\",\"destinationConnectorProperties\":{\"S3\":{\"bucketName\":\"bench-out\",\"s3OutputFormatConfig\":{\"fileType\":\"$kind\",\"preserveSourceDataTyping\":$preserve,\"aggregationConfig\":{\"aggregationType\":\"SingleFile\"}}}}}]"
        "$bin" create-flow --flow-name "bench-$kind" --trigger-config "$trigger" --source-flow-config "$src" \
            --destination-flow-config-list "$dest" --tasks "$tasks" >/dev/null
        read -r secs kb < <(measure "flowline $kind" "$bin" start-flow --flow-name "bench-$kind")
        printf "%-34s %10d %12.2f %14.0f %12.1f\n" "flowline CSV -> $kind" "$rows" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
        [ "$kind" = PARQUET ] && { parquet_secs=$secs; parquet_kb=$kb; }
        [ "$kind" = CSV ] && csv_kb=$kb
    done
    read -r secs kb < <(measure "pyarrow" python3 -c "$pyarrow_ref" "$csv" "$out/pyarrow-$rows.parquet")
    printf "%-34s %10d %12.2f %14.0f %12.1f\n" "pyarrow CSV -> PARQUET (1 thread)" "$rows" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
    summary+=("$(printf "%-10d %8.2f %8.2f %8.2f   %9.1f %9.1f %9.1f" "$rows" "$parquet_secs" "$secs" \
        "$(echo "$parquet_secs / $secs" | bc -l)" "$(echo "$parquet_kb / 1024" | bc -l)" "$(echo "$csv_kb / 1024" | bc -l)" \
        "$(echo "$kb / 1024" | bc -l)")")
    if [ "$with_pg" != 1 ]; then rm -rf "$home"; continue; fi

    # Redshift destination (PostgreSQL): the same CSV through a flowline flow and through psql.
    psql "$pg_url" -X -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS bench_flowline, bench_psql" \
        -c "CREATE TABLE bench_flowline $pg_table_ddl" -c "CREATE TABLE bench_psql $pg_table_ddl" >/dev/null
    pg_host=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(f"{p.hostname}:{p.port or 5432}{p.path}")' "$pg_url")
    pg_user=$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlparse(sys.argv[1]).username))' "$pg_url")
    pg_password=$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlparse(sys.argv[1]).password or ""))' "$pg_url")
    profile_config=$(python3 -c 'import json, sys; print(json.dumps({"connectorProfileProperties": {"Redshift": {"databaseUrl": "jdbc:redshift://" + sys.argv[1], "bucketName": "bench-stage", "roleArn": "arn:aws:iam::123456789012:role/bench"}}, "connectorProfileCredentials": {"Redshift": {"username": sys.argv[2], "password": sys.argv[3]}}}))' "$pg_host" "$pg_user" "$pg_password")
    "$bin" create-connector-profile --connector-profile-name bench-warehouse --connector-type Redshift --connection-mode Public \
        --connector-profile-config "$profile_config" >/dev/null
    dest='[{"connectorType":"Redshift","connectorProfileName":"bench-warehouse","destinationConnectorProperties":{"Redshift":{"object":"public.bench_flowline","intermediateBucketName":"bench-stage"}}}]'
    "$bin" create-flow --flow-name bench-redshift --trigger-config "$trigger" --source-flow-config "$src" \
        --destination-flow-config-list "$dest" --tasks "$tasks_typed" >/dev/null
    read -r fsecs fkb < <(measure "flowline REDSHIFT" "$bin" start-flow --flow-name bench-redshift)
    read -r psecs pkb < <(measure "psql copy" psql "$pg_url" -X -q -v ON_ERROR_STOP=1 -c "\\copy bench_psql FROM '$csv' CSV HEADER")
    loaded=$(psql "$pg_url" -X -At -c "SELECT (SELECT count(*) FROM bench_flowline) || ' ' || (SELECT count(*) FROM bench_psql)")
    [ "$loaded" = "$rows $rows" ] || { echo "bench: row counts differ: flowline/psql = $loaded" >&2; exit 1; }
    printf "%-34s %10d %12.2f %14.0f %12.1f\n" "flowline CSV -> REDSHIFT (PG COPY)" "$rows" "$fsecs" "$(echo "$rows / $fsecs" | bc -l)" "$(echo "$fkb / 1024" | bc -l)"
    printf "%-34s %10d %12.2f %14.0f %12.1f\n" "psql \\copy CSV HEADER" "$rows" "$psecs" "$(echo "$rows / $psecs" | bc -l)" "$(echo "$pkb / 1024" | bc -l)"
    printf "%-34s %10s %12.2f\n" "  flowline / psql wall time" "" "$(echo "$fsecs / $psecs" | bc -l)"
    psql "$pg_url" -X -q -c "DROP TABLE bench_flowline, bench_psql" >/dev/null
    rm -rf "$home"
done

printf "\n%-10s %8s %8s %8s   %9s %9s %9s\n" "rows" "flowline" "pyarrow" "ratio" "MB parq" "MB csv" "MB pyarr"
printf "%-10s %8s %8s %8s   %9s %9s %9s\n" "" "parquet s" "s" "(<=1.5)" "(flowline)" "(flowline)" ""
printf "%s\n" "${summary[@]}"
