#!/usr/bin/env bash
# Flowline throughput and memory, side by side with a reference on the same file.
#
#   bench/run.sh [ROWS ...]        default: 1000000
#
# For each row count: generates the deterministic CRM CSV (bench/generate_crm_csv.py), then runs
#   - flowline S3 CSV -> S3 Parquet (typed mapping, snappy), one run
#   - flowline S3 CSV -> S3 CSV (Map_all), one run
#   - pyarrow CSV -> Parquet, single-threaded (the reference)
# and prints wall time, records/s and peak resident memory (GNU time's %M).
# Figures are measurements for the notes, never assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
rows_list=("${@:-1000000}")
out=bench/out
mkdir -p "$out"

command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
python3 -c "import pyarrow" 2>/dev/null || { echo "bench: needs pyarrow (pip install pyarrow)" >&2; exit 1; }

echo "bench: building flowline (release)" >&2
swift build -c release --product flowline >&2
bin="$(swift build -c release --show-bin-path)/flowline"

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

printf "\n%-34s %10s %12s %14s %12s\n" "run" "rows" "seconds" "records/s" "peak MB"
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
    done
    read -r secs kb < <(measure "pyarrow" python3 -c "$pyarrow_ref" "$csv" "$out/pyarrow-$rows.parquet")
    printf "%-34s %10d %12.2f %14.0f %12.1f\n" "pyarrow CSV -> PARQUET (1 thread)" "$rows" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
    rm -rf "$home"
done
