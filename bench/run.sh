#!/bin/sh
# make bench: wall time and peak memory (maximum resident set size, from
# GNU time -v) of `carnet demo`, `carnet export` (XLSX and CSV) and of the
# openpyxl baseline (bench/openpyxl_baseline.py, write-only and normal
# modes) on demo studies of BENCH_SIZES interactions (default 10000 100000
# 1000000).  Studies and outputs go to build/bench/ (reused between runs:
# delete the folder to regenerate); the table goes to stdout and to
# build/bench/results.md.  openpyxl's normal mode keeps every cell in
# memory; it is skipped above BENCH_NORMAL_MAX interactions (default
# 100000), where it would need tens of gigabytes.
set -eu
SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
NORMAL_MAX=${BENCH_NORMAL_MAX:-100000}
PYTHON=${PYTHON:-/usr/bin/python3}
CARNET=${CARNET:-./carnet}
OUT=build/bench
TIME=/usr/bin/time
mkdir -p "$OUT"
[ -x "$TIME" ] || { echo "bench: GNU time is missing (apt-get install time)"; exit 1; }
export TZ=${TZ:-Europe/Paris}

# Runs a command under time -v; prints "seconds MiB".
measure() {
    log="$OUT/time.log"
    if ! "$TIME" -v "$@" >"$OUT/cmd.out" 2>"$log"; then
        cat "$OUT/cmd.out" "$log" >&2
        echo "bench: failed: $*" >&2
        exit 1
    fi
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    echo "$secs $((rss / 1024))"
}

# One line of the table: size, what, seconds, MiB, output size.
row() { printf '| %s | %s | %s s | %s MiB | %s |\n' "$1" "$2" "$3" "$4" "$5" | tee -a "$OUT/results.md"; }
skipped() { printf '| %s | %s | not run | - | %s |\n' "$1" "$2" "$3" | tee -a "$OUT/results.md"; }

{
    echo "# carnet bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| interactions | what | wall | peak RSS | output |"
    echo "|---:|---|---:|---:|---:|"
} | tee "$OUT/results.md"

for n in $SIZES; do
    db="$OUT/demo-$n.db"
    if [ ! -f "$db" ]; then
        set -- $(measure "$CARNET" --db "$db" demo --interactions "$n" --seed 1 --from 2025-01-06 --quiet)
        row "$n" "carnet demo" "$1" "$2" "$(du -h "$db" | cut -f1) study"
    fi
    set -- $(measure "$CARNET" --db "$db" export -o "$OUT/carnet-$n.xlsx" --force)
    row "$n" "carnet export (XLSX, 8 sheets, charts, redacted notes)" "$1" "$2" "$(du -h "$OUT/carnet-$n.xlsx" | cut -f1)"
    set -- $(measure "$CARNET" --db "$db" export -o "$OUT/carnet-sheet-$n.xlsx" --force --notes raw \
        --sheets interactions)
    row "$n" "carnet export --sheets interactions --notes raw (the baseline's sheet)" "$1" "$2" \
        "$(du -h "$OUT/carnet-sheet-$n.xlsx" | cut -f1)"
    set -- $(measure "$CARNET" --db "$db" export --format csv -o "$OUT/carnet-$n.csv" --force)
    row "$n" "carnet export --format csv (wide + long)" "$1" "$2" \
        "$(du -ch "$OUT/carnet-$n-wide.csv" "$OUT/carnet-$n-long.csv" | tail -1 | cut -f1)"
    set -- $(measure "$PYTHON" bench/openpyxl_baseline.py --db "$db" --mode write_only -o "$OUT/openpyxl-wo-$n.xlsx")
    row "$n" "openpyxl write_only (interactions sheet only)" "$1" "$2" "$(du -h "$OUT/openpyxl-wo-$n.xlsx" | cut -f1)"
    if [ "$n" -le "$NORMAL_MAX" ]; then
        set -- $(measure "$PYTHON" bench/openpyxl_baseline.py --db "$db" --mode normal -o "$OUT/openpyxl-$n.xlsx")
        row "$n" "openpyxl normal mode (interactions sheet only)" "$1" "$2" "$(du -h "$OUT/openpyxl-$n.xlsx" | cut -f1)"
    else
        skipped "$n" "openpyxl normal mode (interactions sheet only)" "above BENCH_NORMAL_MAX"
    fi
done
echo "bench: results in $OUT/results.md"
