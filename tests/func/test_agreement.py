"""carnet agreement: two observers' sessions at one desk, end to end.

The figures expected here are computed in the test from the coded data
with the textbook formulas (Cohen 1960, Krippendorff 2011), independently
of carnet's C code; tests/unit/test_agree.c checks that code against
published worked examples.
"""
import os
import re
from collections import Counter

import openpyxl

from harness import CarnetTest, french_env
from studygen import Study, at

SITE = "CDAS Rennes Nord"

# (Anne's demande, Bruno's demande, Bruno's delay in seconds)
PAIRS = [("caf", "caf", 15), ("caf", "caf", 40), ("cpam", "cpam", 5), ("caf", "cpam", 20),
         ("logement", "logement", 10), ("impots", "caf", 30), ("caf", "caf", 0), ("france-travail", "france-travail", 25),
         ("cpam", "cpam", 12), ("logement", "caf", 8)]


def kappa(pairs):
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ra, rb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ra[c] * rb[c] for c in ra) / n / n
    return po, (po - pe) / (1 - pe)


def alpha(units):
    """Nominal alpha of units given as lists of values (missing left out)."""
    o = Counter()
    for vals in units:
        m = len(vals)
        if m < 2:
            continue
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    o[(a, b)] += 1 / (m - 1)
    n = sum(o.values())
    nc = Counter()
    for (a, _), w in o.items():
        nc[a] += w
    do = sum(w for (a, b), w in o.items() if a != b) / n
    de = sum(nc[a] * nc[b] for a in nc for b in nc if a != b) / (n * (n - 1))
    return 1 - do / de


class Agreement(CarnetTest):
    def setUp(self):
        super().setUp()
        self.init("--site", SITE)
        s = Study(self.db)
        site = s.site(SITE)
        self.anne, self.bruno = s.observer("Anne"), s.observer("Bruno")
        self.sa = s.session(site, self.anne, at(9, 0), at(12, 0))
        self.sb = s.session(site, self.bruno, at(9, 2), at(12, 1))
        for n, (a, b, delay) in enumerate(PAIRS):
            t = 9 * 60 + 10 + 6 * n
            s.interaction(self.sa, at(t // 60, t % 60), at(t // 60, t % 60 + 3),
                          {"demande": a, "public": "pub-rsa", "obstacle": ["obs-email"] if n % 3 else [],
                           "orientation": "ori-sur-place"})
            s.interaction(self.sb, at(t // 60, t % 60, delay), at(t // 60, t % 60 + 3),
                          {"demande": b, "public": "pub-rsa" if n % 4 else "pub-age", "obstacle": ["obs-email"],
                           "orientation": "ori-sur-place" if n != 2 else "ori-rdv"})
        # Anne alone at 11:30; Bruno's interaction two minutes after hers is
        # out of the 60-second window; a deleted one counts nowhere.
        self.alone = s.interaction(self.sa, at(11, 30), at(11, 33), {"demande": "caf"})
        self.late = s.interaction(self.sb, at(11, 32), at(11, 35), {"demande": "caf"})
        gone = s.interaction(self.sb, at(11, 30, 5), at(11, 31), {"demande": "ants"})
        s.delete(gone, at(11, 31))
        s.close()

    def row(self, out, variable):
        for line in out.split("\n"):
            if line.startswith("  %s  " % variable):
                return line[len(variable) + 2:].split()
        self.fail("no row %r in:\n%s" % (variable, out))

    def test_report_gives_n_agreement_kappa_alpha_per_dimension(self):
        r = self.ok("agreement")
        po, k = kappa([(a, b) for a, b, _ in PAIRS])
        row = self.row(r.stdout, "demande")
        # Anne × Bruno  N  AGREEMENT  KAPPA  SE  lo – hi  ALPHA
        self.assertEqual(row[0:3], ["Anne", "×", "Bruno"])
        self.assertEqual(row[3], "10")
        self.assertEqual(row[4], "%.1f%%" % (100 * po))
        self.assertEqual(row[5], "%.3f" % k)
        self.assertEqual(row[10], "%.3f" % alpha([[a, b] for a, b, _ in PAIRS]))
        self.assertIn("Units matched: 10 (Anne × Bruno: 10); interactions left unmatched: 2.", r.stdout)

    def test_multiple_choice_is_one_presence_variable_per_code(self):
        r = self.ok("agreement")
        # Anne left obstacle empty for n % 3 == 0: those units are missing
        # for her, not "absent", so only 6 units count.
        row = self.row(r.stdout, "obstacle: obs-email")
        self.assertEqual(row[3], "6")
        self.assertEqual(row[4], "100.0%")
        self.assertEqual(row[5], "undefined")
        self.assertIn("only one category in use", " ".join(row))

    def test_one_category_only_is_undefined_not_nan(self):
        r = self.ok("agreement")
        self.assertNotIn("nan", r.stdout.lower())
        row = self.row(r.stdout, "orientation")
        self.assertEqual(row[4], "90.0%")
        # Anne always chose ori-sur-place: kappa is 0 (pe = po), not undefined.
        self.assertEqual(row[5], "0.000")

    def test_confusion_matrix_and_unmatched_interactions_are_listed(self):
        r = self.ok("agreement")
        block = r.stdout.split("Type de demande [demande]")[1].split("\n\n")[0]
        lines = block.split("\n")
        self.assertIn("Anne (rows) × Bruno (columns)", lines[1])
        cols = lines[2].split()
        self.assertEqual(cols, ["caf", "cpam", "france-travail", "impots", "logement"])
        caf = lines[3].split()
        self.assertEqual(caf, ["caf", "3", "1", "0", "0", "0"])
        # Columns are aligned: every count ends under its header's end.
        for line in lines[3:8]:
            for m in re.finditer(r"\d+", line):
                self.assertIn(m.end(), [h.end() for h in re.finditer(r"\S+", lines[2])], line)
        tail = r.stdout.split("Interactions left unmatched:")[1]
        self.assertIn(self.alone, tail)
        self.assertIn(self.late, tail)
        self.assertEqual(tail.count(SITE), 2)

    def test_xlsx_holds_the_same_figures(self):
        out = os.path.join(self.dir, "accord.xlsx")
        r = self.ok("agreement", "-o", out)
        self.assertIn("10 units matched, 2 unmatched", r.stdout)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        wb = openpyxl.load_workbook(out)
        self.assertEqual(wb.sheetnames, ["Summary", "Sessions", "Confusion", "Units", "Unmatched"])
        ws = wb["Summary"]
        rows = list(ws.iter_rows(values_only=True))
        head = rows.index(next(r for r in rows if r[0] == "Dimension"))
        data = {(r[0], r[1]): r for r in rows[head + 1:]}
        po, k = kappa([(a, b) for a, b, _ in PAIRS])
        d = data[("demande", None)]
        self.assertEqual(d[3:6], ("Anne", "Bruno", 10))
        self.assertAlmostEqual(d[6], po, places=9)
        self.assertAlmostEqual(d[7], k, places=9)
        self.assertLess(d[9], d[7])
        self.assertGreater(d[10], d[7])
        e = data[("obstacle", "obs-email")]
        self.assertIsNone(e[7])
        self.assertEqual(e[13], "only one category in use")
        self.assertEqual(len(list(wb["Units"].iter_rows())), 1 + 20)
        unmatched = [r[3] for r in wb["Unmatched"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(sorted(unmatched), sorted([self.alone, self.late]))
        r = self.carnet("agreement", "-o", out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists; use --force", r.stderr)
        self.ok("agreement", "-o", out, "--force")

    def test_a_wider_window_matches_the_late_interaction(self):
        r = self.ok("agreement", "--window", "150")
        self.assertIn("Units matched: 11", r.stdout)
        self.assertIn("interactions left unmatched: 0.", r.stdout)

    def test_sessions_option_names_the_sessions_by_id_or_prefix(self):
        r = self.ok("agreement", "--sessions", "%s,%s" % (self.sa, self.sb[:20]))
        self.assertIn("Units matched: 10", r.stdout)
        r = self.carnet("agreement", "--sessions", "%s,%s" % (self.sa, "ffff"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("no session 'ffff'", r.stderr)

    def test_two_sessions_of_one_observer_are_refused(self):
        s = Study(self.db)
        other = s.session(s.site(SITE), self.anne, at(14, 0), at(15, 0))
        s.close()
        r = self.carnet("agreement", "--sessions", "%s,%s" % (self.sa, other))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.count("\n"), 1)
        self.assertIn("are both Anne's: agreement needs two observers", r.stderr)

    def test_observers_option_and_unknown_observer(self):
        s = Study(self.db)
        site = s.site(SITE)
        chloe = s.session(site, s.observer("Chloé"), at(9, 0), at(12, 0))
        s.interaction(chloe, at(9, 10, 10), at(9, 12), {"demande": "caf"})
        s.close()
        r = self.ok("agreement")
        self.assertIn("Anne × Chloé", r.stdout)
        r = self.ok("agreement", "--observers", "Anne,Bruno")
        self.assertNotIn("Chloé", r.stdout)
        r = self.carnet("agreement", "--observers", "Anne,Zoé")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no observer named 'Zoé'", r.stderr)

    def test_sessions_that_do_not_overlap_give_one_line_and_exit_1(self):
        s = Study(self.db)
        far = s.session(s.site("Mairie de Brest"), s.observer("Chloé"), at(9, 0), at(12, 0))
        s.close()
        r = self.carnet("agreement", "--sessions", "%s,%s" % (self.sa, far))
        self.assertEqual(r.returncode, 1)
        self.assertIn("not at the same site", r.stderr)
        r = self.carnet("agreement", "--observers", "Anne,Chloé")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no sessions of two observers overlap at the same site", r.stderr)

    def test_bad_options_are_usage_errors(self):
        for args in (["--window", "soon"], ["--window", "-5"], ["--sessions", "a,b", "--observers", "x,y"],
                     ["--sessions", "only-one"], ["extra"]):
            r = self.carnet("agreement", *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("usage: carnet agreement", r.stderr)

    def test_french_report(self):
        r = self.ok("agreement", env=french_env())
        self.assertIn("Accord entre observateurs", r.stdout)
        self.assertIn("indéfini", r.stdout)
        self.assertIn("une seule catégorie utilisée", r.stdout)
        self.assertIn("Interactions non appariées", r.stdout)
        out = os.path.join(self.dir, "accord.xlsx")
        self.ok("agreement", "-o", out, env=french_env())
        wb = openpyxl.load_workbook(out)
        self.assertEqual(wb.sheetnames[0], "Synthèse")
        # Numbers are numbers whatever the locale's decimal comma.
        ws = wb[wb.sheetnames[0]]
        kappas = [r[7] for r in ws.iter_rows(values_only=True) if r[0] == "demande"]
        self.assertIsInstance(kappas[0], float)
