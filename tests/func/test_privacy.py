"""Privacy through the command line: private files whatever the umask,
`carnet backup` (consistent while another program writes, never
overwriting by accident) and `carnet purge --notes-before DATE` (the text
gone from every file of the study, the purge in the audit log)."""
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time

from harness import CarnetTest

WRITER = textwrap.dedent("""
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
    i = 0
    while True:
        i += 1
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO setting (key, value) VALUES (?, ?)", ("k%06d" % i, "v"))
        con.execute("COMMIT")
        if i == 50:
            print("ready", flush=True)
""")


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class Files(CarnetTest):
    def test_study_and_backup_are_private_whatever_the_umask(self):
        old = os.umask(0)
        try:
            self.init()
            backup = os.path.join(self.dir, "b.db")
            self.ok("backup", backup)
        finally:
            os.umask(old)
        self.assertEqual(mode(self.db), 0o600)
        self.assertEqual(mode(backup), 0o600)
        # Another program with the study open makes SQLite create -wal and
        # -shm: they take the study's mode.
        con = sqlite3.connect(self.db)
        con.execute("INSERT INTO setting VALUES ('k', 'v')")
        con.commit()
        try:
            self.assertEqual(mode(self.db + "-wal"), 0o600)
            self.assertEqual(mode(self.db + "-shm"), 0o600)
        finally:
            con.close()


class Backup(CarnetTest):
    def test_backup_while_another_program_commits_is_a_consistent_prefix(self):
        self.init()
        con = sqlite3.connect(self.db)
        # A few megabytes, so that the copy takes several steps.
        con.execute("INSERT INTO setting VALUES ('big', ?)", ("x" * 4000000,))
        con.commit()
        con.close()
        w = subprocess.Popen([sys.executable, "-c", WRITER, self.db], stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(w.stdout.readline().strip(), "ready")
            backup = os.path.join(self.dir, "live.db")
            r = self.ok("backup", backup)
        finally:
            w.kill()
            w.wait()
        self.assertRegex(r.stdout, r"^Backed up .* to .*live\.db \(0 interactions, \d+ bytes\), checked\.\n$")
        self.assertEqual(self.sql("PRAGMA integrity_check", db=backup), [("ok",)])
        keys = [k for (k,) in self.sql("SELECT key FROM setting WHERE key LIKE 'k0%' ORDER BY key", db=backup)]
        self.assertGreaterEqual(len(keys), 50)
        self.assertEqual(keys, ["k%06d" % i for i in range(1, len(keys) + 1)])
        self.assertGreater(self.sql("SELECT count(*) FROM setting WHERE key LIKE 'k0%'")[0][0], len(keys) - 1)

    def test_backup_never_replaces_a_file_without_force(self):
        self.init()
        dest = self.write("b.db", "keep me")
        r = self.carnet("backup", dest)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists; use --force", r.stderr)
        with open(dest) as f:
            self.assertEqual(f.read(), "keep me")
        self.ok("backup", "--force", dest)
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version", db=dest), [(1,)])
        r = self.carnet("backup", self.db, "--force")
        self.assertEqual(r.returncode, 1)
        self.assertIn("the study itself", r.stderr)
        self.assertEqual(self.carnet("backup").returncode, 2)
        self.assertEqual(self.carnet("backup", "a", "b").returncode, 2)
        self.assertEqual(sorted(os.listdir(self.dir)), ["b.db", "study.db"] + sorted(
            f for f in os.listdir(self.dir) if f.startswith("study.db-")))


class Purge(CarnetTest):
    def add_notes(self):
        """Rows as the live-coding write path leaves them: an interaction of
        the 14th and one of the 15th with notes and audit snapshots, and a
        session note of each day."""
        con = sqlite3.connect(self.db)
        (vid,) = con.execute("SELECT id FROM codebook_version").fetchone()
        con.execute("INSERT INTO site VALUES ('s', 'CDAS', '2026-09-14T08:00:00+02:00')")
        con.execute("INSERT INTO observer VALUES ('o', 'Élise', '2026-09-14T08:00:00+02:00')")
        con.execute("INSERT INTO session VALUES ('se', 's', 'o', ?, '2026-09-14T08:00:00+02:00', NULL)", (vid,))
        for ix, day, note in (("i14", "2026-09-14", "SECRET-DUPONT 06 12 34 56 78"), ("i15", "2026-09-15", "KEPT-15")):
            at = day + "T09:00:00+02:00"
            con.execute("INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id,"
                        " started_at, note, updated_at) VALUES (?, 'se', 's', 'o', ?, ?, ?, ?)",
                        (ix, vid, at, note, at))
            con.execute("INSERT INTO audit (id, interaction_id, at, who, action, before, after)"
                        " VALUES (?, ?, ?, 'Élise', 'note', json_object('id', ?, 'note', NULL),"
                        " json_object('id', ?, 'note', ?))", ("a" + ix, ix, at, ix, ix, note))
            con.execute("INSERT INTO session_note VALUES (?, 'se', ?, ?)", ("n" + ix, at, "SESSION-" + note))
        con.commit()
        con.close()

    def files_hold(self, text):
        data = b""
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                with open(self.db + suffix, "rb") as f:
                    data += f.read()
        return text.encode() in data

    def test_purge_removes_the_notes_of_the_period_from_every_file(self):
        self.init()
        self.add_notes()
        r = self.ok("purge", "--notes-before", "2026-09-15", "--dry-run")
        self.assertEqual(r.stdout, "Would purge notes before 2026-09-15: 1 interaction notes, 1 session notes,"
                                   " 1 audit rows.\n")
        self.assertTrue(self.files_hold("SECRET-DUPONT"))
        # Another program has the study open (idle) during the purge.
        other = sqlite3.connect(self.db)
        other.execute("SELECT count(*) FROM study").fetchall()
        try:
            r = self.ok("purge", "--notes-before", "2026-09-15")
            self.assertEqual(r.stdout, "Purged notes before 2026-09-15: 1 interaction notes, 1 session notes,"
                                       " 1 audit rows.\n")
            self.assertEqual(r.stderr, "")
            self.assertFalse(self.files_hold("SECRET-DUPONT"))
            self.assertFalse(self.files_hold("06 12 34 56 78"))
            self.assertTrue(self.files_hold("KEPT-15"))
        finally:
            other.close()
        self.assertEqual(self.sql("SELECT id FROM interaction WHERE note IS NULL"), [("i14",)])
        self.assertEqual(self.sql("SELECT text FROM session_note"), [("SESSION-KEPT-15",)])
        rows = self.sql("SELECT who, json_extract(after, '$.notes_before') FROM audit WHERE action = 'purge'")
        self.assertEqual(rows, [("purge", "2026-09-15")])
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])

    def test_purge_needs_a_valid_date(self):
        self.init()
        r = self.carnet("purge")
        self.assertEqual(r.returncode, 2)
        self.assertIn("purge needs --notes-before DATE", r.stderr)
        r = self.carnet("purge", "--notes-before", "14/09/2026")
        self.assertEqual(r.returncode, 1)
        self.assertIn("invalid date '14/09/2026': expected YYYY-MM-DD", r.stderr)
        self.assertEqual(self.carnet("purge", "--bogus").returncode, 2)
