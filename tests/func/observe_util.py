"""What the tests of `carnet observe` share (tests/func/test_observe*.py).

They drive the real binary in tmux, type as an observer would, wait for
what the screen says (never for a fixed time), and read the study back
with SQLite, row by row.
"""
import os
import re
import signal
import subprocess
import time

from harness import CARNET, DATA, CarnetTest, Tmux

CODEBOOK = os.path.join(DATA, "observe.yaml")


class Screen(Tmux):
    """A Tmux that also reads the screen with its attributes, and learns
    the program's exit status from a file its shell writes (tmux 3.3
    sometimes leaves the dead program unreaped, pane not dead)."""

    def __init__(self, argv, status, **kw):
        self.status = status
        super().__init__(["sh", "-c", '"$@"; echo $? > "$0"', status] + list(argv), **kw)

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
        end = time.time() + timeout
        while time.time() < end:
            if os.path.exists(self.status):
                with open(self.status) as f:
                    st = f.read().strip()
                if st:
                    return int(st)
            time.sleep(0.05)
        raise AssertionError("program still running after %.0fs; screen:\n%s" % (timeout, self.screen()))

    def carnet_pid(self):
        """The program's pid (the pane runs its shell)."""
        out = subprocess.run(["pgrep", "-P", str(self.pid())], capture_output=True, text=True).stdout.split()
        return int(out[0])

    def kill(self, sig=signal.SIGKILL):
        os.kill(self.carnet_pid(), sig)


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
        status = os.path.join(self.dir, "status-%d" % len(self.tmuxes))
        t = Screen(argv + list(args), status, width=width, height=height, env=env, cwd=self.dir)
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
