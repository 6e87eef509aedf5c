#!/bin/sh
# Runs libFuzzer harnesses for FUZZ_SECONDS each (default 60):
#     tests/fuzz/run.sh [NAME...]      (default: every tests/fuzz/fuzz_*.c)
# from the top of the tree, after `make fuzz-build`.  Each harness starts
# from its kept inputs (tests/fuzz/corpus/NAME/, the folders its
# FUZZ_SEEDS: line names) and grows a working corpus in
# build/fuzz/corpus/NAME/.  A crash, leak, timeout or out-of-memory input
# is written to tests/fuzz/regressions/NAME/, which `make check` replays:
# commit it with the fix.  Prints one line per harness and fails if any
# found something.  The full log is build/fuzz/logs/NAME.log.
set -u
secs=${FUZZ_SECONDS:-60}
names="$*"
if [ -z "$names" ]; then
    for f in tests/fuzz/fuzz_*.c; do
        n=${f#tests/fuzz/fuzz_}
        names="$names ${n%.c}"
    done
fi
mkdir -p build/fuzz/logs
status=0
for name in $names; do
    src=tests/fuzz/fuzz_$name.c
    bin=build/fuzz/fuzz_$name
    if [ ! -x "$bin" ]; then
        echo "fuzz $name: no harness $bin (is there a $src?)"
        status=1
        continue
    fi
    seeds=$(sed -n 's/.*FUZZ_SEEDS:\(.*\)/\1/p' "$src" | head -n 1)
    args=$(sed -n 's/.*FUZZ_ARGS:\(.*\)/\1/p' "$src" | head -n 1)
    work=build/fuzz/corpus/$name
    found=tests/fuzz/regressions/$name
    mkdir -p "$work" "$found" "tests/fuzz/corpus/$name"
    before=$(ls "$found" | wc -l)
    log=build/fuzz/logs/$name.log
    t0=$(date +%s)
    # shellcheck disable=SC2086 # seeds and args are word lists
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$found/" $args "$work" "tests/fuzz/corpus/$name" $seeds >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    units=$(ls "$work" | wc -l)
    after=$(ls "$found" | wc -l)
    # Seconds actually spent (a finding stops the run early), for the record
    # kept in build/fuzz/history.log (doc/reliability.md sums it).
    spent=$(($(date +%s) - t0))
    echo "$(date -u +%FT%TZ) $name seconds=$spent execs=${execs:-0} rc=$rc corpus=$units" \
        >>build/fuzz/history.log
    if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
        echo "fuzz $name: FOUND after ${execs:-?} executions (exit $rc); new input(s) in $found/, log $log"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken)' "$log" | head -n 5
        status=1
    else
        echo "fuzz $name: ${secs}s, ${execs:-?} executions, coverage ${cov:-?}, corpus $units, nothing found"
    fi
done
exit $status
