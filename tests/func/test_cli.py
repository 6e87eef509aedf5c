"""The command line: exit codes, usage, help, version, init."""
import os
import stat

from harness import CarnetTest, FR_CODEBOOK


class CommandLine(CarnetTest):
    def test_version_prints_name_and_version(self):
        r = self.ok("--version", db=False)
        self.assertRegex(r.stdout, r"^carnet \d+\.\d+\.\d+\n$")

    def test_help_lists_every_command(self):
        r = self.ok("--help", db=False)
        for cmd in ("init", "codebook"):
            self.assertIn("\n  %s " % cmd, r.stdout)

    def test_unknown_command_prints_usage_and_exits_2(self):
        r = self.carnet("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", r.stderr)
        self.assertIn("Usage: carnet", r.stderr)

    def test_bad_flag_prints_usage_and_exits_2(self):
        r = self.carnet("init", "--bogus")
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: carnet init", r.stderr)
        self.assertFalse(os.path.exists(self.db))

    def test_init_creates_private_study_whatever_the_umask(self):
        old = os.umask(0)
        try:
            self.init()
        finally:
            os.umask(old)
        self.assertEqual(stat.S_IMODE(os.stat(self.db).st_mode), 0o600)
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(self.sql("PRAGMA journal_mode"), [("wal",)])
        self.assertEqual(self.sql("SELECT codebook_id FROM codebook_version"), [("labacces-accueil",)])


class Codebooks(CarnetTest):
    def shipped(self):
        return sorted(os.path.join(os.path.dirname(FR_CODEBOOK), f)
                      for f in os.listdir(os.path.dirname(FR_CODEBOOK))
                      if f.endswith(".yaml") and not f.endswith(".vignettes.yaml"))

    def test_check_accepts_every_shipped_codebook(self):
        r = self.ok("codebook", "check", *self.shipped(), db=False)
        self.assertEqual(r.stdout, "")
        self.assertIn("labacces-accueil.yaml: ok (4 dimensions", r.stderr)

    def test_check_refuses_duplicate_hotkey_with_file_line_col(self):
        with open(FR_CODEBOOK, encoding="utf-8") as f:
            text = f.read()
        # The second code of the first dimension takes the first one's key.
        lines = text.split("\n")
        keys = [i for i, l in enumerate(lines) if l.strip().startswith("key:")]
        first = lines[keys[0]].split(":", 1)[1].strip()
        lines[keys[1]] = lines[keys[1]].split("key:")[0] + "key: " + first
        bad = self.write("dup.yaml", "\n".join(lines))
        r = self.carnet("codebook", "check", bad, db=False)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stdout, r"^%s:%d:\d+: duplicate hotkey " % (bad.replace(".", r"\."), keys[1] + 1))

    def test_check_reports_every_file_and_fails_if_any_is_bad(self):
        bad = self.write("bad.yaml", "carnet_codebook: 1\nid: x\n")
        r = self.carnet("codebook", "check", FR_CODEBOOK, bad, db=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s:1:1: missing field 'title'" % bad, r.stdout)
        r = self.carnet("codebook", "check", os.path.join(self.dir, "nope.yaml"), db=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("nope.yaml: cannot open: No such file or directory", r.stdout)

    def test_check_without_file_is_a_usage_error(self):
        r = self.carnet("codebook", "check", db=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: carnet codebook check FILE...", r.stderr)

    def test_import_then_export_gives_back_the_file_without_comments(self):
        self.init()
        for path in self.shipped():
            self.ok("codebook", "import", path)
            r = self.ok("codebook", "export")
            with open(path, encoding="utf-8") as f:
                want = "".join(l for l in f if not l.lstrip().startswith("#"))
            self.assertEqual(r.stdout, want, path)

    def test_importing_the_same_codebook_adds_no_version(self):
        self.init()
        r = self.ok("codebook", "import", FR_CODEBOOK)
        self.assertIn("identical", r.stdout)
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version"), [(1,)])

    def test_invalid_import_adds_nothing(self):
        self.init()
        bad = self.write("bad.yaml", "carnet_codebook: 1\nid: Bad Id\n")
        r = self.carnet("codebook", "import", bad)
        self.assertEqual(r.returncode, 1)
        self.assertIn("bad.yaml:2:5: invalid codebook id 'Bad Id'", r.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version"), [(1,)])

    def test_export_to_file_refuses_to_overwrite_without_force(self):
        self.init()
        out = os.path.join(self.dir, "cb.yaml")
        self.ok("codebook", "export", "-o", out)
        r = self.carnet("codebook", "export", "-o", out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists; use --force", r.stderr)
        self.ok("codebook", "export", "-o", out, "--force")
        self.ok("codebook", "check", out, db=False)

    def test_show_prints_an_aligned_table_with_accents(self):
        self.init()
        r = self.ok("codebook", "show")
        self.assertIn("Obstacle numérique [obstacle] — multiple choice", r.stdout)
        rows = [l for l in r.stdout.split("\n") if l.startswith("  ") and not l.startswith("  KEY")]
        self.assertGreater(len(rows), 40)
        # Labels start in the same column on every row of the table.
        header = [l for l in r.stdout.split("\n") if l.startswith("  KEY")][0]
        col = header.index("LABEL")
        for l in rows:
            self.assertNotEqual(l[col - 1:col], "", l)
            self.assertEqual(l[col - 2:col], "  ", l)


class Studies(CarnetTest):
    def test_missing_study_gives_one_line_and_exit_1(self):
        r = self.carnet("codebook", "show")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.count("\n"), 1)
        self.assertIn("no study here; create one with 'carnet init'", r.stderr)

    def test_file_that_is_not_a_study_gives_one_line_and_exit_1(self):
        with open(self.db, "w") as f:
            f.write("not a database, just text that is long enough\n" * 20)
        r = self.carnet("codebook", "show")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.count("\n"), 1)
        self.assertIn("not a carnet study", r.stderr)

    def test_init_twice_refuses_and_keeps_the_first_study(self):
        self.init("--site", "CDAS de Rennes")
        r = self.carnet("init")
        self.assertEqual(r.returncode, 1)
        self.assertIn("already there", r.stderr)
        self.assertEqual(self.sql("SELECT name FROM site"), [("CDAS de Rennes",)])

    def test_init_with_invalid_codebook_creates_nothing(self):
        bad = self.write("bad.yaml", "carnet_codebook: 1\n")
        r = self.carnet("init", "--codebook", bad)
        self.assertEqual(r.returncode, 1)
        self.assertFalse(os.path.exists(self.db))

    def test_carnet_db_variable_chooses_the_study(self):
        other = os.path.join(self.dir, "other.db")
        self.ok("init", env={"CARNET_DB": other}, db=False)
        self.assertTrue(os.path.exists(other))
        self.ok("codebook", "show", env={"CARNET_DB": other}, db=False)

    def test_default_study_is_carnet_db_in_the_current_folder(self):
        self.ok("init", db=False)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "carnet.db")))
        self.assertEqual(self.sql("SELECT name FROM study", db=os.path.join(self.dir, "carnet.db")), [("carnet",)])


class French(CarnetTest):
    def test_help_and_errors_speak_french_under_a_french_locale(self):
        from harness import french_env
        r = self.ok("--help", env=french_env(), db=False)
        self.assertIn("Commandes", r.stdout)
        self.assertTrue(all(len(l) <= 80 for l in r.stdout.split("\n")), r.stdout)
        r = self.carnet("frobnicate", env=french_env())
        self.assertEqual(r.returncode, 2)
        self.assertIn("commande inconnue", r.stderr)
        r = self.carnet("codebook", "show", env=french_env())
        self.assertIn("carnet init", r.stderr)
        self.assertNotIn("no study here", r.stderr)

    def test_show_uses_french_headers_and_keeps_accents(self):
        from harness import french_env
        self.init()
        r = self.ok("codebook", "show", env=french_env())
        self.assertIn("TOUCHE", r.stdout)
        self.assertIn("LIBELLÉ", r.stdout)
        self.assertIn("Obstacle numérique [obstacle] — choix multiple", r.stdout)
