#!/bin/sh
# Runs every suite of carnet's tests and ends with one line
# "N passed, N failed" that sums them:
#   - unit tests (cmocka), built plain and with ASan+UBSan;
#   - fuzz replays: every input kept for a fuzz harness (its findings under
#     tests/fuzz/regressions/NAME/, its corpus and seed folders) run through the harness
#     built with ASan+UBSan, one test per harness;
#   - functional tests (tests/func, Python's unittest driving the real
#     binary, built with ASan+UBSan, through tmux, and reading exports back
#     with openpyxl).
set -u
PYTHON=${PYTHON:-/usr/bin/python3}
pass=0
fail=0
failed_names=""

for t in build/tests/test_* build/asan/tests/test_*; do
    [ -x "$t" ] || continue
    out=$(CMOCKA_MESSAGE_OUTPUT=TAP ASAN_OPTIONS=detect_leaks=1 "$t" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or leaked without a failing assertion
    fi
    if [ "$f" -ne 0 ]; then
        printf '%s\n' "$out"
        failed_names="$failed_names $t"
    fi
    echo "unit $t: $p passed, $f failed"
    pass=$((pass + p))
    fail=$((fail + f))
done

for r in build/asan/replay/fuzz_*; do
    [ -x "$r" ] || continue
    name=${r##*/fuzz_}
    seeds=$(sed -n 's/.*FUZZ_SEEDS:\(.*\)/\1/p' "tests/fuzz/fuzz_$name.c" | head -n 1)
    # shellcheck disable=SC2086 # seeds is a list of folders
    out=$(ASAN_OPTIONS=detect_leaks=1 "$r" "tests/fuzz/regressions/$name" "tests/fuzz/corpus/$name" $seeds 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1))
        printf '%s\n' "$out" | tail -n 1
    else
        printf '%s\n' "$out" | tail -n 40
        echo "replay $name: FAILED (exit $rc)"
        failed_names="$failed_names $r"
        fail=$((fail + 1))
    fi
done

CARNET_BIN=${CARNET_BIN:-build/asan/carnet}
export CARNET_BIN
out=$("$PYTHON" tests/func/run.py 2>&1)
rc=$?
printf '%s\n' "$out"
line=$(printf '%s\n' "$out" | grep -E '^func: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/^func: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
else
    p=0
    f=1
fi
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
pass=$((pass + p))
fail=$((fail + f))

[ -n "$failed_names" ] && echo "failing unit suites and replays:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
