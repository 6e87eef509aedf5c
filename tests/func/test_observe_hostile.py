"""Hostile environments through the real `carnet observe`: a terminal
smaller than 80x24, no TERM, an unknown TERM or one that cannot move the
cursor, the C and POSIX locales, a note of a megabyte pasted, pasted lines,
invalid UTF-8 and control characters typed, a read-only study, a full disk
and a file-size limit reached while coding, a study locked at start.  Each
gives a clear message and leaves the study intact, with everything the
screen showed as recorded in it (doc/reliability.md)."""
import csv
import fcntl
import os
import pty
import select
import sqlite3
import struct
import subprocess
import tempfile
import termios
import time

import openpyxl

from harness import CARNET, base_env
from observe_util import ObserveTest

NOBODY = 65534
IS_ROOT = os.geteuid() == 0


def run_on_pty(argv, env=None, cwd=None, timeout=30, **popen):
    """Runs argv on a new pseudo-terminal of 80x24; returns (exit status,
    every byte it wrote, whether the terminal's modes are as before)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    before = termios.tcgetattr(slave)
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True,
                         **popen)
    out = b""
    end = time.time() + timeout
    try:
        while time.time() < end:
            r, _, _ = select.select([master], [], [], 0.1)
            if r:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break
            elif p.poll() is not None:
                break
        rc = p.wait(timeout=max(1, end - time.time()))
        same = termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)
    return rc, out, same


class Terminals(ObserveTest):
    def refused(self, env_changes, message):
        env = base_env()
        env.update({k: v for k, v in env_changes.items() if v is not None})
        for k, v in env_changes.items():
            if v is None:
                env.pop(k, None)
        argv = [CARNET, "--db", self.db, "observe", "--site", "CDAS Test", "--observer", "Élise"]
        rc, out, same = run_on_pty(argv, env=env, cwd=self.dir)
        # One line on the terminal (the pty turns \n into \r\n), no curses
        # sequence before or after it, the terminal's modes untouched.
        self.assertEqual(out.decode(), "carnet: %s\r\n" % message)
        self.assertEqual(rc, 1)
        self.assertTrue(same, "the terminal's modes were changed")
        self.assertEqual(self.sql("SELECT count(*) FROM session"), [(0,)])
        self.assert_intact()

    def test_no_term_is_one_clear_line_and_exit_1(self):
        self.refused({"TERM": None}, "TERM is not set: cannot drive the terminal (try TERM=xterm)")

    def test_an_unknown_term_is_one_clear_line_and_exit_1(self):
        self.refused({"TERM": "vt9000-nonesuch"}, "unknown terminal type 'vt9000-nonesuch' (try TERM=xterm)")

    def test_a_terminal_that_cannot_move_the_cursor_is_refused(self):
        self.refused({"TERM": "dumb"},
                     "the terminal 'dumb' cannot move the cursor: this screen needs a full-screen terminal "
                     "(xterm, GNOME Terminal, the Linux console, tmux...; try TERM=xterm)")

    def test_standard_input_not_a_terminal_is_refused(self):
        r = self.carnet("observe", "--site", "CDAS Test", "--observer", "Élise", stdin=subprocess.DEVNULL)
        self.assertEqual((r.returncode, r.stdout), (1, ""))
        self.assertEqual(r.stderr, "carnet: this screen needs a terminal (standard input and output are not one)\n")


class SmallTerminal(ObserveTest):
    def test_too_small_at_start_says_so_obeys_nothing_and_codes_once_enlarged(self):
        t = self.observe(width=60, height=20, wait=False)
        s = t.wait_for("Terminal too small: 60x20. carnet needs at least 80x24.")
        self.assertIn("Enlarge the window; nothing is lost meanwhile.", s)
        # Keys typed blind are not obeyed: nobody saw what they would do.
        t.send("Space", "c")
        t.wait_for("Terminal too small")
        t.resize(80, 24)
        s = t.wait_for("No interaction open: Space starts one")
        self.assertEqual(self.sql("SELECT count(*) FROM interaction"), [(0,)])
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE ended_at IS NULL"), [(1,)])
        t.send("Space", "c", "j")
        t.wait_for("#1 Public: Young person")
        t.send("Enter")
        t.wait_for("Recorded #1")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        self.assertEqual(self.created()[1]["codes"], {("motif", "caf", None), ("public", "jeune", None)})

    def test_shrunk_while_typing_a_note_keeps_the_line_and_what_was_recorded(self):
        t = self.observe()
        t.send("Space", "c")
        t.wait_for("#1 Motif: CAF benefits")
        t.send(":")
        t.type("rappeler lundi")
        t.wait_for("rappeler lundi")
        t.resize(79, 24)
        t.wait_for("Terminal too small: 79x24")
        t.type("zz")
        t.send("Enter")
        t.resize(80, 23)
        t.wait_for("Terminal too small: 80x23")
        t.resize(80, 24)
        s = t.wait_for("Note on #1:")
        self.assertIn("rappeler lundi", s)
        self.assertNotIn("rappeler lundizz", s)
        self.assertIsNone(self.created()[1]["note"])
        t.send("Enter")
        t.wait_for("#1: note recorded")
        t.send("Enter")
        t.wait_for("Recorded #1")
        t.resize(70, 20)
        t.wait_for("Terminal too small")
        # F10 quits even so: everything is recorded.
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        r = self.created()[1]
        self.assertEqual((r["note"], r["codes"]), ("rappeler lundi", {("motif", "caf", None)}))
        self.assertTrue(r["ended"])
        self.assert_intact()


class Locales(ObserveTest):
    def test_c_and_posix_locales_show_and_store_accented_letters(self):
        for loc in ({"LANG": "C", "LC_ALL": ""}, {"LANG": "", "LC_ALL": "POSIX"}):
            t = self.observe(env=loc)
            s = t.wait_for("Test study \xb7 CDAS Test \xb7 \xc9lise")
            self.assertIn("Space new", s)
            t.send("Space", "x")
            t.wait_for("Other motif, specify:")
            t.type("\xc9lan solidaire")
            t.wait_for("\xc9lan solidaire")
            t.send("Enter")
            t.wait_for("#1 Motif: Other motif (\xc9lan solidaire)")
            t.send(":")
            t.type("d\xe9j\xe0 venu \xe0 \xc9vry, \u2014 \xab caf \xbb")
            t.wait_for("Suggested (Tab):")
            t.send("Enter")
            t.wait_for("#1: note recorded")
            t.send("Enter")
            t.wait_for("Recorded #1")
            t.send("F10")
            self.assertEqual(t.exit_status(), 0)
        con = sqlite3.connect(self.db)
        con.text_factory = bytes
        rows = con.execute("SELECT i.note, c.other_text FROM interaction i JOIN interaction_code c"
                           " ON c.interaction_id = i.id AND c.dimension_id = 'motif' ORDER BY i.started_at").fetchall()
        con.close()
        want = ("d\xe9j\xe0 venu \xe0 \xc9vry, \u2014 \xab caf \xbb".encode(), "\xc9lan solidaire".encode())
        self.assertEqual(rows, [want, want])


class BigNote(ObserveTest):
    def paste(self, t, text, bracketed=True):
        path = os.path.join(self.dir, "paste-%d.txt" % time.monotonic_ns())
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        t._tmux("load-buffer", "-b", "p", path)
        t._tmux("paste-buffer", *(["-p"] if bracketed else []), "-d", "-b", "p", "-t", "t")

    def test_a_megabyte_note_pasted_is_stored_whole_the_screen_goes_on_and_exports_work(self):
        word = "Pr\xe9voir un rendez-vous \xe0 la CAF d'\xc9vry ; "
        text = word * (999_990 // len(word.encode())) + "FIN-DE-NOTE"
        self.assertGreater(len(text.encode()), 999_950)
        t = self.observe()
        t.send("Space", "c")
        t.wait_for("#1 Motif: CAF benefits")
        t.send(":")
        t.wait_for("Note on #1:")
        self.paste(t, text)
        # Read one character at a time by curses: a few seconds.
        t.wait_for("FIN-DE-NOTE", timeout=120)
        t.send("Enter")
        t.wait_for("#1: note recorded", timeout=60)
        # Still responsive: keys are obeyed at once.
        t.send("j")
        t.wait_for("#1 Public: Young person")
        t.send("Enter")
        t.wait_for("Recorded #1")
        t.send("/")
        t.wait_for("Note of #1: Pr\xe9voir un rendez-vous")
        t.send("Escape")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        r = self.created()[1]
        self.assertEqual(r["note"], text)
        self.assertEqual(r["codes"], {("motif", "caf", None), ("public", "jeune", None)})
        self.assert_intact()

        xlsx = os.path.join(self.dir, "out.xlsx")
        self.ok("export", "--notes", "raw", "-o", xlsx)
        ws = openpyxl.load_workbook(xlsx, read_only=True)["Interactions"]
        rows = list(ws.iter_rows(values_only=True))
        col = [c for c in rows[0]].index("Note")
        cell = rows[1][col]
        # A spreadsheet cell holds 32,767 characters at most: the note is
        # cut there, saying so; the CSV export has it whole.
        self.assertEqual(len(cell), 32767)
        self.assertTrue(text.startswith(cell[:32000]))
        self.assertTrue(cell.endswith("[\u2026 cut: %d characters]" % len(text)), cell[-60:])
        stem = os.path.join(self.dir, "out")
        self.ok("export", "--notes", "raw", "--format", "csv", "-o", stem + ".csv")
        csv.field_size_limit(1 << 24)
        with open(stem + "-wide.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[1][rows[0].index("note")], text)

    def test_pasted_lines_go_into_the_line_never_taken_for_keys(self):
        t = self.observe()
        t.send("Space")
        t.wait_for("Started #1")
        t.send(":")
        t.wait_for("Note on #1:")
        self.paste(t, "premi\xe8re ligne\ncpj Space\tderni\xe8re\n")
        t.wait_for("premi\xe8re ligne cpj Space derni\xe8re")
        t.send("Enter")
        t.wait_for("#1: note recorded")
        # With no line open a paste records nothing.
        self.paste(t, "cpj\n")
        s = t.wait_for("Pasted text goes into a note or an answer only")
        self.assertRegex(s, r"Motif\* +required")
        # An "other, specify" answer takes a paste too.
        t.send("x")
        t.wait_for("Other motif, specify:")
        self.paste(t, "Banque\n")
        t.wait_for("Banque")
        t.send("Enter")
        t.wait_for("#1 Motif: Other motif (Banque)")
        t.send("Enter", "F10")
        self.assertEqual(t.exit_status(), 0)
        rows = self.created()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[1]["note"], "premi\xe8re ligne cpj Space derni\xe8re")
        self.assertEqual(rows[1]["codes"], {("motif", "motif-autre", "Banque")})


class BadKeys(ObserveTest):
    def test_invalid_utf8_and_control_characters_typed_are_never_stored_nor_shown_raw(self):
        t = self.observe()
        t.send("Space")
        t.wait_for("Started #1")
        t.send(":")
        t.wait_for("Note on #1:")
        t.type("avant ")
        # Bytes that are not UTF-8, C1 controls (U+009B is CSI: "turn red"),
        # a C0 control, DEL, and an escape sequence setting the title.
        t._tmux("send-keys", "-t", "t", "-H", "ff", "fe", "c3", "28", "c2", "9b", "33", "31", "6d", "07", "0f")
        t.type("\x1b]0;pwned\x07")
        t.type(" apr\xe8s")
        t.wait_for("apr\xe8s")
        t.send("Enter")
        t.wait_for("#1: note recorded")
        # The note is drawn as text: no escape sequence inside it.
        esc = t.screen_escapes()
        note = esc[esc.index("Note: avant"):esc.index("apr\xe8s")]
        self.assertNotIn("\x1b", note)
        self.assertNotIn("\x9b", esc)
        title = t._tmux("display-message", "-p", "-t", "t", "#{pane_title}").stdout
        self.assertNotIn("pwned", title)
        t.send("Enter", "F10")
        self.assertEqual(t.exit_status(), 0)
        con = sqlite3.connect(self.db)
        con.text_factory = bytes
        (note,) = con.execute("SELECT note FROM interaction").fetchone()
        (after,) = con.execute("SELECT after FROM audit WHERE action = 'note'").fetchone()
        con.close()
        text = note.decode("utf-8")  # valid UTF-8, or this raises
        after.decode("utf-8")
        self.assertTrue(text.startswith("avant ") and text.endswith(" apr\xe8s"), text)
        for ch in text:
            self.assertFalse(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F, "control character %r stored" % ch)
        self.assert_intact()


def tmpfs(test, size):
    """A small tmpfs for the test (skipped, saying why, where mount is
    refused); returns its folder."""
    mnt = tempfile.mkdtemp(prefix="carnet-tmpfs-")
    test.addCleanup(os.rmdir, mnt)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs", mnt], capture_output=True, text=True)
    if m.returncode != 0:
        test.skipTest("cannot mount a small tmpfs here (%s)" % m.stderr.strip())
    test.addCleanup(subprocess.run, ["umount", "-l", mnt])
    return mnt


class Faults(ObserveTest):
    codebook = None  # set up in each test, on its own disk

    def setUp(self):
        super(ObserveTest, self).setUp()
        self.tmuxes = []

    def start(self, db):
        self.db = db
        from observe_util import CODEBOOK
        self.init("--codebook", CODEBOOK, "--name", "Test study")
        return self.observe()

    def code_one(self, t, n):
        t.send("Space")
        t.wait_for("Started #%d" % n)
        t.send("c", "j")
        t.wait_for("#%d Public: Young person" % n)
        t.send("Enter")
        t.wait_for("Recorded #%d" % n)

    def until_refused(self, t, reason):
        """Starts interactions until one is refused; returns how many the
        screen showed as recorded meanwhile, and the screen."""
        started = 0
        for _ in range(200):
            t.send("Space")
            s = t.wait_until(lambda s: "Not recorded" in s or ("Started #%d" % (started + 2)) in s, "a reply")
            if "Not recorded" in s:
                self.assertIn(reason, s.replace("\n ", " "))
                return started, s
            started += 1
        self.fail("never refused")

    def test_a_full_disk_while_coding_says_not_recorded_and_keeps_everything(self):
        mnt = tmpfs(self, "1m")
        t = self.start(os.path.join(mnt, "study.db"))
        self.code_one(t, 1)
        filler = os.path.join(mnt, "filler")
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        started, s = self.until_refused(t, "the disk is full; nothing was recorded. Free some space and retry")
        self.assertNotIn("Started #%d" % (started + 2), s)
        os.unlink(filler)
        t.send("Space")
        n = started + 2
        t.wait_for("Started #%d" % n)
        t.send("c", "j", "Enter")
        t.wait_for("Recorded #%d" % n)
        t.send("F10", "F10")
        self.assertEqual(t.exit_status(), 0)
        rows = self.created()
        self.assertEqual(len(rows), n)
        for k in (1, n):
            self.assertEqual(rows[k]["codes"], {("motif", "caf", None), ("public", "jeune", None)})
            self.assertTrue(rows[k]["ended"])
        self.assert_intact()

    def test_a_file_size_limit_reached_while_coding_says_why_and_recording_resumes(self):
        t = self.start(self.db)
        self.code_one(t, 1)
        pid = str(t.pid())
        size = max(os.path.getsize(self.db + "-wal"), 4096)
        # The soft limit only: raising it back needs no privilege.
        subprocess.run(["prlimit", "--pid", pid, "--fsize=%d:unlimited" % size], check=True)
        started, s = self.until_refused(t, "the file-size limit is reached (ulimit -f: %d bytes)" % size)
        subprocess.run(["prlimit", "--pid", pid, "--fsize=unlimited"], check=True)
        n = started + 2
        t.send("Space", "c", "j", "Enter")
        t.wait_for("Recorded #%d" % n)
        t.send("F10", "F10")
        self.assertEqual(t.exit_status(), 0)
        rows = self.created()
        self.assertEqual(len(rows), n)
        self.assertEqual(rows[n]["codes"], {("motif", "caf", None), ("public", "jeune", None)})
        self.assert_intact()

    def test_a_read_only_study_is_refused_before_the_screen_opens(self):
        self.init("--name", "Test study")
        if IS_ROOT:
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, NOBODY, NOBODY)
            os.chown(self.db, NOBODY, NOBODY)
        os.chmod(self.db, 0o400)
        before = open(self.db, "rb").read()
        kw = dict(user=NOBODY, group=NOBODY, extra_groups=[]) if IS_ROOT else {}
        argv = [CARNET, "--db", self.db, "observe", "--site", "CDAS Test", "--observer", "Élise"]
        rc, out, same = run_on_pty(argv, env=base_env(), cwd=self.dir, **kw)
        self.assertEqual(rc, 1)
        self.assertEqual(out.decode(), "carnet: %s: the study is read-only (Permission denied); nothing can be "
                         "recorded. Check its permissions\r\n" % self.db)
        self.assertTrue(same)
        self.assertEqual(open(self.db, "rb").read(), before)
        self.assertFalse(os.path.exists(self.db + "-wal"))

    def test_a_study_locked_at_start_says_so_after_waiting_and_records_nothing(self):
        self.init("--name", "Test study")
        other = sqlite3.connect(self.db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            argv = [CARNET, "--db", self.db, "observe", "--site", "CDAS Test", "--observer", "Élise"]
            rc, out, same = run_on_pty(argv, env=base_env(), cwd=self.dir)
        finally:
            other.execute("ROLLBACK")
            other.close()
        self.assertEqual(rc, 1)
        text = out.decode()
        self.assertTrue(text.endswith("the study is locked by another carnet or program; try again\r\n"), text)
        self.assertEqual(text.count("\n"), 1, text)
        self.assertTrue(same)
        self.assertEqual(self.sql("SELECT count(*) FROM session"), [(0,)])
