"""Privacy through the command line: private files whatever the umask,
`carnet backup` (consistent while another program writes, never
overwriting by accident) and `carnet purge --notes-before DATE` (the text
gone from every file of the study, the purge in the audit log)."""
import csv
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time

import openpyxl

from harness import CarnetTest
from studygen import Study, at, uuid7

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


def list_all(folder):
    out = []
    for root, dirs, files in os.walk(folder):
        out += [os.path.join(root, f) for f in files]
    return sorted(out)


class Outputs(CarnetTest):
    """Every file carnet writes is private (0600, its exports folder 0700)
    whatever the umask, and leaves no temporary file behind."""

    def setUp(self):
        super().setUp()
        from observe_util import CODEBOOK
        self.init("--codebook", CODEBOOK, "--site", "CDAS")
        s = Study(self.db)
        site = s.site("CDAS")
        anne, bruno = s.observer("Anne"), s.observer("Bruno")
        sa = s.session(site, anne, at(9, 0), at(12, 0))
        sb = s.session(site, bruno, at(9, 1), at(12, 0))
        for k in range(6):
            s.interaction(sa, at(9, 10 + 5 * k), at(9, 12 + 5 * k), {"motif": "caf", "public": "jeune"},
                          note="note %d de nadia.martin@exemple.test" % k)
            s.interaction(sb, at(9, 10 + 5 * k, 20), at(9, 12 + 5 * k), {"motif": "caf" if k % 2 else "cpam",
                                                                        "public": "jeune"})
        s.close()
        self.tmpdir = os.path.join(self.dir, "tmpdir")
        os.mkdir(self.tmpdir)

    def run_umask0(self, *args):
        old = os.umask(0)
        try:
            return self.ok(*args, env={"TMPDIR": self.tmpdir})
        finally:
            os.umask(old)

    def test_every_output_is_private_whatever_the_umask(self):
        out = os.path.join(self.dir, "out")
        os.mkdir(out)
        self.run_umask0("export", "-o", os.path.join(out, "a.xlsx"))
        self.run_umask0("export", "--format", "csv", "-o", os.path.join(out, "c.csv"))
        self.run_umask0("export")  # to exports/, a folder carnet creates
        for fmt in ("native", "qdc", "xlsx", "md"):
            self.run_umask0("codebook", "export", "--format", fmt, "-o", os.path.join(out, "cb." + fmt))
        self.run_umask0("agreement", "-o", os.path.join(out, "accord.xlsx"))
        self.run_umask0("backup", os.path.join(out, "b.db"))
        files = list_all(out) + list_all(os.path.join(self.dir, "exports"))
        self.assertEqual(len(files), 10, files)
        for f in files:
            self.assertEqual(mode(f), 0o600, f)
        self.assertEqual(mode(os.path.join(self.dir, "exports")), 0o700)
        # No temporary file left, beside the outputs or in TMPDIR.
        self.assertEqual(list_all(self.tmpdir), [])
        self.assertEqual([f for f in files if ".tmp-" in f or "/tmp" in f[len(self.dir):]], [])

    def test_an_export_killed_mid_way_leaves_only_a_private_partial_file_beside_it(self):
        self.ok("demo", "--interactions", "30000", "--seed", "3", "--quiet")
        for fmt, name in (("xlsx", "big.xlsx"), ("csv", "big.csv")):
            out = os.path.join(self.dir, "k-" + fmt)
            os.mkdir(out)
            from harness import CARNET, base_env
            p = subprocess.Popen([CARNET, "--db", self.db, "export", "--notes", "raw", "--format", fmt, "-o",
                                  os.path.join(out, name)], env=base_env({"TMPDIR": self.tmpdir}),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Killed once the export is writing (its temporary files exist).
            end = time.time() + 60
            while time.time() < end and p.poll() is None and not os.listdir(out):
                time.sleep(0.01)
            time.sleep(0.3)
            p.kill()
            p.wait()
            self.assertEqual(p.returncode, -signal.SIGKILL, "the export ended before it could be killed")
            left = os.listdir(out)
            # Only carnet's own temporary output (libxlsxwriter's files are
            # unlinked as soon as they are open), private.
            self.assertTrue(left, "nothing was being written")
            for f in left:
                self.assertRegex(f, r"^big(-wide|-long)?\.(xlsx|csv)\.tmp-\w{6}$")
                self.assertEqual(mode(os.path.join(out, f)), 0o600)
            self.assertEqual(list_all(self.tmpdir), [])

    def test_typed_answers_are_redacted_like_notes_unless_raw(self):
        con = sqlite3.connect(self.db)
        (ix,) = con.execute("SELECT id FROM interaction ORDER BY started_at LIMIT 1").fetchone()
        con.execute("UPDATE interaction_code SET code_id = 'motif-autre', other_text = ? WHERE interaction_id = ?"
                    " AND dimension_id = 'motif'", ("Mme Dupont, 06 12 34 56 78", ix))
        con.execute("INSERT INTO interaction_text VALUES (?, 'commune', ?)", (ix, "nadia.martin@exemple.test"))
        con.commit()
        con.close()
        got = {}
        for notes in ("redacted", "none", "raw"):
            xlsx = os.path.join(self.dir, "%s.xlsx" % notes)
            self.ok("export", "--notes", notes, "-o", xlsx)
            head, *rows = list(openpyxl.load_workbook(xlsx)["Interactions"].iter_rows(values_only=True))
            row = next(r for r in rows if r[0] == ix)
            got[notes] = (row[head.index("Motif: Other motif (specified)")], row[head.index("Postcode")])
            self.ok("export", "--notes", notes, "--format", "csv", "-o", os.path.join(self.dir, notes + ".csv"))
            with open(os.path.join(self.dir, notes + "-long.csv"), encoding="utf-8", newline="") as f:
                texts = sorted(r["text"] for r in csv.DictReader(f) if r["uuid"] == ix and r["text"])
            self.assertEqual(texts, sorted(got[notes]), notes)
        self.assertEqual(got["redacted"], ("Mme Dupont, [TEL]", "[EMAIL]"))
        self.assertEqual(got["none"], ("Mme Dupont, [TEL]", "[EMAIL]"))
        self.assertEqual(got["raw"], ("Mme Dupont, 06 12 34 56 78", "nadia.martin@exemple.test"))
        readme = "\n".join(str(r) for r in openpyxl.load_workbook(os.path.join(self.dir, "redacted.xlsx"))[
            "Read me"].iter_rows(values_only=True))
        self.assertIn('"other, specify" and free-text answers redacted like notes', readme)


class PurgedStudies(CarnetTest):
    """A purge's audit row has no interaction: export, stats, agreement and
    merge take it in their stride; and a note purged on either side of a
    merge stays purged (doc/merge.md)."""

    def setUp(self):
        super().setUp()
        self.init("--site", "CDAS")
        s = Study(self.db)
        site = s.site("CDAS")
        anne, bruno = s.observer("Anne"), s.observer("Bruno")
        for day in (14, 16):
            sa = s.session(site, anne, at(9, 0, day=day), at(12, 0, day=day))
            sb = s.session(site, bruno, at(9, 1, day=day), at(12, 0, day=day))
            for k in range(4):
                tag = "SECRET" if day == 14 else "KEPT"
                s.interaction(sa, at(9, 10 + 5 * k, day=day), at(9, 12 + 5 * k, day=day),
                              {"demande": "caf", "public": "pub-rsa"}, note="%s-A%d-%d" % (tag, day, k))
                s.interaction(sb, at(9, 10 + 5 * k, 20, day=day), at(9, 12 + 5 * k, day=day),
                              {"demande": "caf" if k % 2 else "cpam", "public": "pub-rsa"},
                              note="%s-B%d-%d" % (tag, day, k))
            s.con.execute("INSERT INTO session_note VALUES (?, ?, ?, ?)",
                          (uuid7(), sa, at(10, 0, day=day), "SESSION-%s-%d" % ("SECRET" if day == 14 else "KEPT",
                                                                              day)))
        s.close()

    def files_hold(self, db, text):
        data = b""
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                with open(db + suffix, "rb") as f:
                    data += f.read()
        return text.encode() in data

    def copy(self, name):
        path = os.path.join(self.dir, name)
        self.ok("backup", path)
        return path

    def test_export_stats_agreement_and_merge_take_the_purge_row_in_their_stride(self):
        before = self.ok("agreement").stdout
        self.ok("purge", "--notes-before", "2026-09-15")
        self.assertEqual(self.sql("SELECT count(*) FROM audit WHERE interaction_id IS NULL"), [(1,)])
        self.assertEqual(self.ok("agreement").stdout, before)
        self.ok("stats")
        xlsx = os.path.join(self.dir, "p.xlsx")
        self.ok("export", "--notes", "raw", "-o", xlsx)
        head, *rows = list(openpyxl.load_workbook(xlsx)["Interactions"].iter_rows(values_only=True))
        notes = sorted(r[head.index("Note")] or "" for r in rows)
        self.assertEqual(notes, [""] * 8 + sorted("KEPT-%s16-%d" % (w, k) for w in "AB" for k in range(4)))
        self.ok("export", "--format", "csv", "-o", os.path.join(self.dir, "p.csv"))
        # Merged into a fresh study, and a fresh study merged into it.
        other = os.path.join(self.dir, "other.db")
        r = self.carnet("--db", other, "init", "--site", "CDAS", db=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.ok("--db", other, "merge", self.db, db=False)
        self.assertEqual(self.sql("SELECT count(*) FROM audit WHERE action = 'purge' AND interaction_id IS NULL",
                                  db=other), [(1,)])
        self.assertEqual(self.sql("SELECT count(*) FROM interaction WHERE note LIKE 'SECRET%'", db=other), [(0,)])
        self.ok("merge", other)
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(self.ok("agreement").stdout, before)

    def test_merging_a_purged_copy_purges_the_same_notes_here(self):
        purged = self.copy("purged.db")
        self.ok("--db", purged, "purge", "--notes-before", "2026-09-15", db=False)
        self.assertTrue(self.files_hold(self.db, "SECRET-A14-0"))
        r = self.ok("merge", purged)
        self.assertIn("Purged on the way, as a purge of the study or of a file had already removed them: 8 "
                      "interaction notes, 1 session notes", r.stdout)
        self.assertEqual(self.sql("SELECT count(*) FROM interaction WHERE note LIKE 'SECRET%'"), [(0,)])
        self.assertEqual(self.sql("SELECT count(*) FROM interaction WHERE note LIKE 'KEPT%'"), [(8,)])
        self.assertEqual(self.sql("SELECT text FROM session_note"), [("SESSION-KEPT-16",)])
        for text in ("SECRET-A14-0", "SECRET-B14-3", "SESSION-SECRET"):
            self.assertFalse(self.files_hold(self.db, text), text)
        self.assertTrue(self.files_hold(self.db, "KEPT-A16-0"))
        # The re-applied purge is in the audit log, after the source's.
        self.assertEqual(self.sql("SELECT who FROM audit WHERE action = 'purge' ORDER BY seq"),
                         [("purge",), ("merge",)])
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])
        # Merging it again changes nothing.
        self.assertNotIn("Purged on the way", self.ok("merge", purged).stdout)

    def test_merging_into_a_purged_study_never_brings_purged_notes_back(self):
        laptop = self.copy("laptop.db")
        self.ok("purge", "--notes-before", "2026-09-15")
        # On the laptop, after the copy: an old interaction edited (the
        # laptop is ahead for it), a new one of the 14th with a note, and a
        # field note of the 14th.
        s = Study(laptop)
        (old,) = s.con.execute("SELECT id FROM interaction WHERE note = 'SECRET-A14-0'").fetchone()
        s.edit(old, at(11, 0), codes={"demande": "cpam"})
        (sa,) = s.con.execute("SELECT session_id FROM interaction WHERE id = ?", (old,)).fetchone()
        s.interaction(sa, at(11, 30), at(11, 35), {"demande": "caf"}, note="SECRET-NEW-14")
        s.con.execute("INSERT INTO session_note VALUES (?, ?, ?, ?)", (uuid7(), sa, at(11, 40), "SESSION-SECRET-NEW"))
        s.close()
        r = self.ok("merge", laptop)
        self.assertIn("Purged on the way", r.stdout)
        self.assertEqual(self.sql("SELECT count(*) FROM interaction WHERE note LIKE 'SECRET%'"), [(0,)])
        self.assertEqual(self.sql("SELECT code_id FROM interaction_code WHERE interaction_id = ? AND"
                                  " dimension_id = 'demande'", (old,)), [("cpam",)])
        self.assertEqual(self.sql("SELECT count(*) FROM interaction"), [(17,)])
        self.assertEqual(self.sql("SELECT text FROM session_note ORDER BY text"), [("SESSION-KEPT-16",)])
        for text in ("SECRET-A14-0", "SECRET-NEW-14", "SESSION-SECRET-NEW"):
            self.assertFalse(self.files_hold(self.db, text), text)
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])
