#!/usr/bin/python3
"""Runs the functional tests of carnet (tests/func/test_*.py) with unittest.

Test modules run in parallel worker processes (tmux tests mostly wait on the
terminal, so this shortens the suite); each module uses its own temporary
folder and tmux server.  Prints one line per failing test and a closing line
"func: N passed, N failed, N skipped".

    run.py [-j N] [-k PATTERN] [MODULE...]
"""
import argparse
import concurrent.futures
import io
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def run_module(name, pattern):
    loader = unittest.TestLoader()
    if pattern:
        loader.testNamePatterns = ["*%s*" % pattern]
    suite = loader.loadTestsFromName(name)
    buf = io.StringIO()
    start = time.time()
    res = unittest.TextTestRunner(stream=buf, verbosity=2).run(suite)
    return (name, res.testsRun, len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses),
            len(res.skipped), buf.getvalue(), time.time() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", type=int, default=int(os.environ.get("CARNET_TEST_JOBS", "3")))
    ap.add_argument("-k", default=None)
    ap.add_argument("modules", nargs="*")
    a = ap.parse_args()
    mods = a.modules or sorted(f[:-3] for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py"))
    mods = [m[:-3] if m.endswith(".py") else os.path.basename(m) for m in mods]
    total = failed = skipped = 0
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, a.j)) as ex:
        for name, n, f, s, out, secs in ex.map(run_module, mods, [a.k] * len(mods)):
            total += n
            failed += f
            skipped += s
            print("func %s: %d run, %d failed, %d skipped (%.1fs)" % (name, n, f, s, secs))
            if f:
                print(out)
    print("func: %d passed, %d failed, %d skipped" % (total - failed - skipped, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
