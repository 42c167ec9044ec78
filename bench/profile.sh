#!/usr/bin/env bash
# Instruction counts of CSV -> Parquet runs, repeatable where wall time on a shared machine is not.
#
#   bench/profile.sh [ROWS] [REPO]     default: 100000 rows, this checkout
#   RELEASE_DIR=dir bench/profile.sh   release objects from elsewhere (default REPO/.build-release/...)
#
# Valgrind 3.19 (Debian 12) dies on Swift's async main, so the run goes through bench/harness/main.swift,
# a synchronous main linked against REPO's release objects (build them first:
# `swift build -c release --scratch-path .build-release --product flowline`). Two flows run under `valgrind --tool=callgrind`: the
# typed mapping of bench/run.sh and Map_all, both to Parquet; the total instructions (all threads)
# are printed, the callgrind files kept in bench/out/ for `callgrind_annotate`. Then the single-threaded
# pyarrow reference of bench/run.sh on the same file, less a run that only imports pyarrow, for the
# instruction ratio.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rows=${1:-100000}
repo="$(cd "${2:-$here/..}" && pwd)"
out="$here/out"
mkdir -p "$out"
command -v valgrind >/dev/null || { echo "profile: needs valgrind (apt-get install valgrind)" >&2; exit 1; }

rel="${RELEASE_DIR:-$repo/.build-release/x86_64-unknown-linux-gnu/release}"
[ -f "$rel/flowline.product/Objects.LinkFileList" ] || { echo "profile: no release build in $repo" >&2; exit 1; }
maps=(-Xcc -I/usr/include/postgresql)
for m in CSnappy CZstd CSQLite CLibPQ; do maps+=(-Xcc "-fmodule-map-file=$repo/Sources/$m/module.modulemap"); done
# C modules of the dependencies (e.g. _NumericsShims) have their module maps in the build directory.
for m in "$rel"/../../checkouts/*/Sources/*/include/module.modulemap "$rel"/*.build/module.modulemap; do
    [ -f "$m" ] && maps+=(-Xcc "-fmodule-map-file=$m")
done
swiftc -O -c "$here/harness/main.swift" -module-name harness -I "$rel/Modules" "${maps[@]}" -o "$out/harness.o"
grep -v "/flowline.build/" "$rel/flowline.product/Objects.LinkFileList" > "$out/harness.objects"
echo "$out/harness.o" >> "$out/harness.objects"
swiftc -L/usr/lib/x86_64-linux-gnu -lsqlite3 -lpq -lzstd -lsnappy -lstdc++ -L "$rel" -o "$out/harness" -emit-executable \
    -Xlinker --gc-sections -Xlinker "-rpath=$rel" "@$out/harness.objects" -lm -lz
# Valgrind 3.19 cannot read the DWARF 5 debug info either; symbols suffice.
objcopy --strip-debug "$out/harness"
bin="$rel/flowline"

csv="$out/crm-$rows.csv"
[ -f "$csv" ] || python3 "$here/generate_crm_csv.py" "$rows" "$csv"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export FLOWLINE_HOME="$home" FLOWLINE_S3_ROOT="$home/s3"
mkdir -p "$home/s3/bench-in/crm" "$home/s3/bench-out"
cp "$csv" "$home/s3/bench-in/crm/crm.csv"

typed='[{"sourceFields":["Id","AccountName","FirstName","LastName","Email","Phone","Industry","Stage","Amount","Probability","CloseDate","LastModifiedDate","Description"],"connectorOperator":{"S3":"PROJECTION"},"taskType":"Filter","taskProperties":{}}'
for pair in Id:integer AccountName FirstName LastName Email Phone Industry Stage Amount:double Probability:double \
            CloseDate:date LastModifiedDate:datetime Description; do
    f=${pair%%:*} props='{}'
    [ "$f" != "$pair" ] && props="{\"DESTINATION_DATA_TYPE\":\"${pair#*:}\"}"
    typed+=",{\"sourceFields\":[\"$f\"],\"connectorOperator\":{\"S3\":\"NO_OP\"},\"destinationField\":\"$f\",\"taskType\":\"Map\",\"taskProperties\":$props}"
done
typed+=']'
all='[{"sourceFields":[],"connectorOperator":{"S3":"NO_OP"},"taskType":"Map_all","taskProperties":{}}]'
src='{"connectorType":"S3","sourceConnectorProperties":{"S3":{"bucketName":"bench-in","bucketPrefix":"crm/"}}}'
dest='[{"connectorType":"S3","destinationConnectorProperties":{"S3":{"bucketName":"bench-out","s3OutputFormatConfig":{"fileType":"PARQUET","preserveSourceDataTyping":true,"aggregationConfig":{"aggregationType":"SingleFile"}}}}}]'

printf "%-28s %10s %18s\n" "run" "rows" "instructions"
for kind in typed all; do
    tasks=$typed
    [ "$kind" = all ] && tasks=$all
    "$bin" create-flow --flow-name "prof-$kind" --trigger-config '{"triggerType":"OnDemand"}' \
        --source-flow-config "$src" --destination-flow-config-list "$dest" --tasks "$tasks" >/dev/null
    file="$out/callgrind.$kind.out"
    valgrind --tool=callgrind --callgrind-out-file="$file" "$out/harness" "prof-$kind" \
        >"$out/last.stdout" 2>"$out/callgrind.$kind.log"
    grep -q "^started" "$out/last.stdout" || { echo "profile: run failed:" >&2; cat "$out/last.stdout" >&2; exit 1; }
    total=$(grep -E '^(summary|totals):' "$file" | head -n 1 | awk '{print $2}')
    printf "%-28s %10d %18s\n" "CSV -> PARQUET ($kind)" "$rows" "$total"
done

python="$(python3 -c 'import sys; print(sys.executable)')"   # the interpreter itself, not a pyenv shim
reference='
import sys, pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq
pa.set_cpu_count(1); pa.set_io_thread_count(1)
if sys.argv[1] != "-":
    t = pc.read_csv(sys.argv[1], read_options=pc.ReadOptions(use_threads=False), parse_options=pc.ParseOptions(newlines_in_values=True),
                    convert_options=pc.ConvertOptions(strings_can_be_null=True))
    pq.write_table(t, sys.argv[2], compression="snappy")
'
count() { valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.pyarrow.out" "$python" -c "$reference" "$@" 2>&1 \
    | sed -n 's/.*Collected : //p'; }
base=$(count - -)
full=$(count "$csv" "$out/pyarrow-$rows.parquet")
printf "%-28s %10d %18s\n" "pyarrow (1 thread, no import)" "$rows" "$((full - base))"
