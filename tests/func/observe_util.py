"""What the tests of `carnet observe` share (tests/func/test_observe*.py).

They drive the real binary in tmux, type as an observer would, wait for
what the screen says (never for a fixed time), and read the study back
with SQLite, row by row.
"""
import os
import re
import signal
import time

from harness import CARNET, DATA, CarnetTest, Tmux

CODEBOOK = os.path.join(DATA, "observe.yaml")


class Screen(Tmux):
    """A Tmux that also reads the screen with its attributes, waits for a
    condition on it, types text, reads the clock of the header, and kills
    the program (harness.Tmux gives its pid and exit status)."""

    def screen_escapes(self):
        return self._tmux("capture-pane", "-p", "-e", "-t", "t").stdout

    def wait_until(self, cond, what, timeout=10.0):
        """Waits until cond(screen) is true; returns the screen or fails."""
        end = time.time() + timeout
        s = ""
        while time.time() < end:
            s = self.screen()
            if cond(s):
                return s
            time.sleep(0.05)
        raise AssertionError("%s: not on screen after %.0fs; screen:\n%s" % (what, timeout, s))

    def type(self, text):
        # tmux takes an argument ending in ";" for its command separator.
        if text.endswith(";"):
            text = text[:-1] + "\\;"
        self.send(text, literal=True)

    def clock(self):
        """The clock of the header, as seconds since midnight."""
        m = re.search(r"\b(\d\d):(\d\d):(\d\d) \xb7", self.screen().split("\n")[0])
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) if m else None

    def exit_status(self, timeout=30.0):
        # Closing a session under ASan on a busy machine takes a while.
        return super().exit_status(timeout)

    def kill(self, sig=signal.SIGKILL):
        """Sends sig to the program and waits until it has ended: a commit
        under way when the signal is sent lands before the study is read."""
        os.kill(self.pid(), sig)
        self.exit_status()


class ObserveTest(CarnetTest):
    """A study with the test codebook (or the shipped one) and the screen
    open on it."""

    codebook = CODEBOOK

    def setUp(self):
        super().setUp()
        if self.codebook:
            self.init("--codebook", self.codebook, "--name", "Test study")
        else:
            self.init("--name", "Test study", "--site", "France Services Démo")
        self.tmuxes = []

    def tearDown(self):
        for t in self.tmuxes:
            t.close()
        super().tearDown()

    def observe(self, *args, width=80, height=24, env=None, site="CDAS Test", observer="Élise", wait=True):
        argv = [CARNET, "--db", self.db, "observe"]
        if site:
            argv += ["--site", site]
        if observer:
            argv += ["--observer", observer]
        t = Screen(argv + list(args), width=width, height=height, env=env, cwd=self.dir)
        self.tmuxes.append(t)
        if wait:
            t.wait_for("Space" if not env or "LANGUAGE" not in env or not env["LANGUAGE"] else "Espace")
        return t

    def created(self):
        """The interactions in the order they were created (the screen's
        numbers): {number: row}."""
        ids = [r[0] for r in self.sql("SELECT interaction_id FROM audit WHERE action IN ('create', 'tally') ORDER BY seq")]
        out = {}
        for n, i in enumerate(ids, 1):
            row = self.sql("SELECT id, started_at, ended_at, incomplete, tally, deleted, paused_seconds, note,"
                           " unixepoch(ended_at) - unixepoch(started_at) - paused_seconds"
                           " FROM interaction WHERE id = ?", (i,))[0]
            codes = set(self.sql("SELECT dimension_id, code_id, other_text FROM interaction_code"
                                 " WHERE interaction_id = ?", (i,)))
            texts = dict(self.sql("SELECT dimension_id, text FROM interaction_text WHERE interaction_id = ?", (i,)))
            actions = [r[0] for r in self.sql("SELECT action FROM audit WHERE interaction_id = ? ORDER BY seq", (i,))]
            out[n] = dict(id=row[0], started=row[1], ended=row[2], incomplete=row[3], tally=row[4], deleted=row[5],
                          paused=row[6], note=row[7], duration=row[8], codes=codes, texts=texts, actions=actions)
        return out

    def assert_intact(self):
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])
