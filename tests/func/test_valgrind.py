"""The command-line commands run leak-free and error-free under valgrind
(the plain build, ./carnet: valgrind and the sanitizers do not mix)."""
import os
import shutil
import unittest

from harness import CarnetTest, FR_CODEBOOK, ROOT

PLAIN = os.path.join(ROOT, "carnet")
VALGRIND = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--show-leak-kinds=definite,indirect,possible", "--errors-for-leak-kinds=definite,indirect,possible"]


@unittest.skipUnless(shutil.which("valgrind") and os.path.exists(PLAIN), "valgrind or ./carnet missing")
class Valgrind(CarnetTest):
    def grind(self, *args, db=True, expect=0):
        argv = VALGRIND + [PLAIN] + (["--db", self.db] if db else []) + list(args)
        import subprocess
        from harness import base_env
        r = subprocess.run(argv, capture_output=True, text=True, env=base_env(), cwd=self.dir, timeout=300)
        self.assertNotEqual(r.returncode, 99, "valgrind found errors or leaks in %s:\n%s" % (args, r.stderr))
        self.assertNotIn("==", r.stderr, r.stderr)
        self.assertEqual(r.returncode, expect, "%s: %s%s" % (args, r.stdout, r.stderr))
        return r

    def test_every_command_and_its_error_paths(self):
        bad = self.write("bad.yaml", "carnet_codebook: 1\nid: x\ntitle: [\n")
        self.grind("--help", db=False)
        self.grind("--version", db=False)
        self.grind("frobnicate", expect=2)
        self.grind("codebook", "show", expect=1)  # no study yet
        self.grind("codebook", "check", FR_CODEBOOK, db=False)
        self.grind("codebook", "check", bad, db=False, expect=1)
        self.grind("init", "--site", "CDAS Rennes")
        self.grind("init", expect=1)  # already there
        self.grind("codebook", "import", os.path.join(os.path.dirname(FR_CODEBOOK), "labacces-accueil.en.yaml"))
        self.grind("codebook", "import", bad, expect=1)
        self.grind("codebook", "export", "-o", os.path.join(self.dir, "out.yaml"))
        self.grind("codebook", "show")
        self.grind("backup", os.path.join(self.dir, "b.db"))
        self.grind("backup", os.path.join(self.dir, "b.db"), expect=1)
        self.grind("purge", "--notes-before", "2026-09-15", "--dry-run")
        self.grind("purge", "--notes-before", "2026-09-15")
        self.grind("purge", "--notes-before", "nope", expect=1)
        self.grind("purge", expect=2)
