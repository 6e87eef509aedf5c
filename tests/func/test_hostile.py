"""Hostile and faulty environments through the command line: read-only
study and folder, file-size limit and full disk, a study locked by another
program, truncated, overwritten and newer studies, control characters and
invalid UTF-8 in names and codebooks, non-UTF-8 locales.  Each gives one
clear line, exit 1, and an intact study (doc/reliability.md)."""
import hashlib
import os
import resource
import signal
import sqlite3
import subprocess
import tempfile
import unittest

from harness import CarnetTest, CODEBOOKS, FR_CODEBOOK

EN_CODEBOOK = os.path.join(CODEBOOKS, "labacces-accueil.en.yaml")
NOBODY = 65534
ROOT = os.geteuid() == 0


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Hostile(CarnetTest):
    def assertRefused(self, r, *words):
        """Exit 1, one line on stderr naming the cause, no crash report."""
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        lines = r.stderr.strip().split("\n")
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("carnet: "), r.stderr)
        for w in words:
            self.assertIn(w, r.stderr)

    def versions(self):
        return self.sql("SELECT count(*) FROM codebook_version")[0][0]

    def intact(self):
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])


class AsAnotherUser(Hostile):
    """Permissions mean nothing to root: as root, these tests run carnet as
    the user nobody, in a folder that user owns."""

    def setUp(self):
        super().setUp()
        if ROOT:
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, NOBODY, NOBODY)
        self.user_ok("init")

    def tearDown(self):
        os.chmod(self.dir, 0o755)

    def as_user(self, *args, **kw):
        if ROOT:
            kw.update(user=NOBODY, group=NOBODY, extra_groups=[])
        return self.carnet(*args, **kw)

    def user_ok(self, *args):
        r = self.as_user(*args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r

    def sides(self):
        return [s for s in ("-wal", "-shm") if os.path.exists(self.db + s)]

    def test_read_only_study_refuses_to_record_and_still_reads(self):
        os.chmod(self.db, 0o400)
        before = digest(self.db)
        self.assertRefused(self.as_user("codebook", "import", EN_CODEBOOK), "read-only", "nothing can be recorded")
        self.assertRefused(self.as_user("purge", "--notes-before", "2026-01-01"), "read-only")
        self.assertIn("LabAcc", self.user_ok("codebook", "show").stdout)
        self.user_ok("backup", os.path.join(self.dir, "copy.db"))
        self.assertEqual(digest(self.db), before)
        # Reading left no read-only -wal or -shm that would block the owner.
        self.assertEqual(self.sides(), [])
        os.chmod(self.db, 0o600)
        self.user_ok("codebook", "import", EN_CODEBOOK)

    def test_read_only_folder_is_named_and_the_study_still_reads(self):
        os.chmod(self.dir, 0o555)
        self.assertRefused(self.as_user("codebook", "import", EN_CODEBOOK), "cannot be written", "-wal",
                           "Move the study")
        self.assertIn("LabAcc", self.user_ok("codebook", "show").stdout)
        self.assertEqual(self.sides(), [])
        other = os.path.join(self.dir, "new.db")
        self.assertRefused(self.as_user("init", "--db", other), "cannot create the study", "Permission denied")
        self.assertFalse(os.path.exists(other))
        os.chmod(self.dir, 0o755)
        self.intact()
        self.assertEqual(self.versions(), 1)


def limit_file_size(n):
    """For preexec_fn: a file-size limit of n bytes.  SIGXFSZ is left at its
    default: carnet itself ignores it, so that write() fails with EFBIG and
    carnet can say so instead of being killed."""
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
    return apply


class FullDisk(Hostile):
    def test_file_size_limit_refuses_the_import_and_keeps_the_study(self):
        self.init()
        # The import's pages do not fit in a 40 KB -wal file.
        r = self.carnet("codebook", "import", EN_CODEBOOK, preexec_fn=limit_file_size(40000))
        self.assertRefused(r, "file-size limit", "nothing was recorded")
        self.intact()
        self.assertEqual(self.versions(), 1)
        self.ok("codebook", "import", EN_CODEBOOK)
        self.assertEqual(self.versions(), 2)

    def test_commit_under_the_limit_is_kept_when_only_the_checkpoint_fails(self):
        self.init()
        # The -wal fits; growing the study file at the checkpoint on exit
        # does not.  The import is committed all the same, and the next
        # command finds it.
        size = os.path.getsize(self.db)
        self.ok("codebook", "import", EN_CODEBOOK, preexec_fn=limit_file_size(size + 16384))
        self.assertEqual(self.versions(), 2)
        self.intact()

    def test_init_under_a_file_size_limit_leaves_nothing_behind(self):
        r = self.carnet("init", preexec_fn=limit_file_size(64 * 1024))
        self.assertRefused(r, "file-size limit")
        self.assertEqual(os.listdir(self.dir), [])

    def test_full_disk_refuses_the_import_and_keeps_every_earlier_version(self):
        mnt = tempfile.mkdtemp(prefix="carnet-tmpfs-")
        self.addCleanup(os.rmdir, mnt)
        m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=640k", "tmpfs", mnt], capture_output=True, text=True)
        if m.returncode != 0:
            self.skipTest("cannot mount a small tmpfs here (%s)" % m.stderr.strip())
        self.addCleanup(subprocess.run, ["umount", mnt])
        self.db = os.path.join(mnt, "study.db")
        self.init()
        with open(EN_CODEBOOK, encoding="utf-8") as f:
            text = f.read()
        done = 1
        for v in range(2, 60):
            path = self.write("v%d.yaml" % v, text.replace("version: 1", "version: %d" % v, 1))
            r = self.carnet("codebook", "import", path)
            if r.returncode != 0:
                self.assertRefused(r, "disk is full", "nothing was recorded")
                break
            done += 1
        else:
            self.fail("the 640 KB disk never filled")
        self.assertGreater(done, 1)
        self.intact()
        self.assertEqual(self.versions(), done)


class Locked(Hostile):
    def test_study_locked_by_another_program_is_reported_and_reading_goes_on(self):
        self.init()
        other = sqlite3.connect(self.db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            # Waits for the busy timeout (5 s) before giving up.
            self.assertRefused(self.carnet("codebook", "import", EN_CODEBOOK), "locked by another carnet or program",
                               "try again")
            self.assertIn("LabAcc", self.ok("codebook", "show").stdout)
        finally:
            other.execute("ROLLBACK")
            other.close()
        self.ok("codebook", "import", EN_CODEBOOK)
        self.assertEqual(self.versions(), 2)


class Damaged(Hostile):
    COMMANDS = (("codebook", "show"), ("codebook", "export"), ("codebook", "import", EN_CODEBOOK),
                ("purge", "--notes-before", "2026-01-01"))

    def refused_everywhere(self, *words):
        for cmd in self.COMMANDS + (("backup", os.path.join(self.dir, "b.db")),):
            self.assertRefused(self.carnet(*cmd), *words)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "b.db")))

    def test_truncated_study_is_reported_damaged_by_every_command(self):
        self.init()
        with open(self.db, "r+b") as f:
            f.truncate(os.path.getsize(self.db) // 2 + 100)
        self.refused_everywhere("damaged", "restore it from a backup")

    def test_overwritten_pages_are_reported_damaged_by_every_command(self):
        self.init()
        size = os.path.getsize(self.db)
        with open(self.db, "r+b") as f:
            f.seek(4096)
            f.write(bytes((i * 131 + 7) % 256 for i in range(size - 4096)))
        self.refused_everywhere("damaged", "restore it from a backup")

    def test_overwritten_header_is_not_taken_for_a_study(self):
        self.init()
        with open(self.db, "r+b") as f:
            f.write(b"\x00garbage" * 512)
        self.refused_everywhere("not a carnet study", "restore it from a backup")

    def test_study_of_a_newer_carnet_is_refused_and_left_as_it_is(self):
        self.init()
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA user_version = 99")
        con.close()
        before = digest(self.db)
        self.refused_everywhere("newer carnet (schema 99", "Update carnet")
        self.assertEqual(digest(self.db), before)


class BadText(Hostile):
    def test_site_name_with_a_control_character_is_refused_and_no_study_left(self):
        r = self.carnet("init", "--site", "Mairie\x1b[31m")
        self.assertRefused(r, "control characters")
        self.assertNotIn("\x1b", r.stderr)
        self.assertFalse(os.path.exists(self.db))

    def test_site_name_that_is_not_utf8_is_refused(self):
        r = subprocess.run([self.carnet_bin(), "--db", self.db, "init", "--site", b"Mairie \xe9vry"],
                           capture_output=True, env=self.env())
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"must be UTF-8", r.stderr)
        self.assertFalse(os.path.exists(self.db))

    def test_codebook_with_escape_sequences_is_refused_and_nothing_reaches_the_terminal(self):
        with open(FR_CODEBOOK, encoding="utf-8") as f:
            text = f.read()
        bad = self.write("esc.yaml", text.replace("label: Type de demande", 'label: "Type\\e[2J\\x9b31m"', 1)
                         .replace("  - id: demande\n", '  - id: demande\n    "\\e]0;titre\\a": 1\n', 1))
        r = self.carnet("codebook", "check", bad, db=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown key '?]0;titre?'", r.stdout)
        for out in (r.stdout, r.stderr):
            self.assertNotIn("\x1b", out)
            self.assertNotIn("\x07", out)
        bad = self.write("esc2.yaml", text.replace("label: Type de demande", 'label: "Type\\e[2J\\x9b31m"', 1))
        r = self.carnet("codebook", "check", bad, db=False)
        self.assertIn("control character U+001B in 'label' of dimension 'demande'", r.stdout)
        self.init()
        self.assertEqual(self.carnet("codebook", "import", bad).returncode, 1)
        self.assertEqual(self.versions(), 1)

    def carnet_bin(self):
        from harness import CARNET
        return CARNET

    def env(self):
        from harness import base_env
        return base_env()


class Locales(Hostile):
    def test_codebook_show_is_the_same_under_c_posix_and_utf8_locales(self):
        self.init()
        utf8 = self.ok("codebook", "show").stdout
        self.assertIn("é", utf8)
        for loc in ({"LANG": "C", "LC_ALL": ""}, {"LANG": "", "LC_ALL": "POSIX"}):
            self.assertEqual(self.ok("codebook", "show", env=loc).stdout, utf8, loc)


if __name__ == "__main__":
    unittest.main()
