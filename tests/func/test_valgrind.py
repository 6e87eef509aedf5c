"""The command-line commands run leak-free and error-free under valgrind
(the plain build, ./carnet: valgrind and the sanitizers do not mix)."""
import concurrent.futures
import os
import shutil
import subprocess
import unittest

from harness import CODEBOOKS, DATA, CarnetTest, FR_CODEBOOK, ROOT, base_env
from studygen import Study, at

PLAIN = os.path.join(ROOT, "carnet")
VALGRIND = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--show-leak-kinds=definite,indirect,possible", "--errors-for-leak-kinds=definite,indirect,possible"]


@unittest.skipUnless(shutil.which("valgrind") and os.path.exists(PLAIN), "valgrind or ./carnet missing")
class Valgrind(CarnetTest):
    def grind(self, *args, db=True, expect=0):
        argv = VALGRIND + [PLAIN] + (["--db", self.db] if db else []) + list(args)
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

    def test_the_commands_of_export_teams_and_codebook_work(self):
        """export, stats, demo, merge, agreement, train and the codebook's
        diff, versions, export formats and REFI-QDA import, their error
        paths too; two at a time, as valgrind is slow."""
        self.init("--site", "CDAS")
        s = Study(self.db)
        site = s.site("CDAS")
        anne, bruno = s.observer("Anne"), s.observer("Bruno")
        sa = s.session(site, anne, at(9, 0), at(12, 0))
        sb = s.session(site, bruno, at(9, 1), at(12, 0))
        for k in range(5):
            s.interaction(sa, at(9, 10 + 5 * k), at(9, 12 + 5 * k), {"demande": "caf", "public": "pub-rsa"},
                          note="note %d : nadia.martin@exemple.test, 06 12 34 56 78" % k)
            s.interaction(sb, at(9, 10 + 5 * k, 20), at(9, 12 + 5 * k), {"demande": "caf" if k % 2 else "cpam"})
        s.close()
        other = os.path.join(self.dir, "other.db")
        self.grind("--db", other, "demo", "--interactions", "40", "--seed", "2", "--quiet", db=False)
        vignettes = os.path.join(CODEBOOKS, "labacces-accueil.vignettes.yaml")
        out = lambda name: os.path.join(self.dir, name)  # noqa: E731
        first = [
            ("export", "-o", out("a.xlsx")),
            ("export", "--notes", "raw", "--format", "csv", "-o", out("a.csv")),
            ("export", "--sheets", "frequencies,time", "--month", "2026-09", "-o", out("b.xlsx")),
            ("stats", "--cross", "demande,public"),
            ("agreement", "-o", out("accord.xlsx")),
            ("train", "--check", vignettes),
            ("train", "--report"),
            ("codebook", "versions"),
            ("codebook", "export", "--format", "qdc", "-o", out("cb.qdc")),
            ("codebook", "export", "--format", "xlsx", "-o", out("cb.xlsx")),
            ("codebook", "export", "--format", "md", "-o", out("cb.md")),
            ("codebook", "diff", FR_CODEBOOK, os.path.join(CODEBOOKS, "france-services-mediation.yaml")),
        ]
        errors = [
            (("export", "-o", out("a.xlsx")), 1),  # exists
            (("export", "--quarter", "2026Q5"), 1),
            (("export", "--format", "ods"), 2),
            (("agreement", "--observers", "Anne,Nobody"), 1),
            (("train", "--check", os.path.join(DATA, "observe.yaml")), 1),
            (("codebook", "diff", "1", "9"), 1),
            (("merge", out("missing.db")), 1),
        ]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
            jobs = [ex.submit(self.grind, *args) for args in first]
            jobs += [ex.submit(self.grind, *args, expect=rc) for args, rc in errors]
            for j in jobs:
                j.result()
        # Then what changes the study, one after the other.
        # Another program's codebook does not keep the codes in use: refused.
        self.grind("codebook", "import", os.path.join(DATA, "qdc", "nvivo.qdc"), expect=1)
        with open(out("cb.qdc"), encoding="utf-8") as f:
            qdc = f.read().replace("\nversion: 1\n", "\nversion: 2\n", 1)
        self.grind("codebook", "import", self.write("v2.qdc", qdc))
        self.grind("codebook", "diff", "1", "2")
        self.grind("merge", other)
        self.grind("merge", other)  # twice: nothing new
        self.grind("purge", "--notes-before", "2026-09-15")
        self.grind("demo", "--interactions", "20", "--seed", "3", "--quiet")
        self.grind("stats")
