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
