"""Shared helpers for carnet's functional tests.

They drive the real binary (CARNET_BIN, default ./carnet) as a person would:
on the command line, or in a real terminal through tmux (send-keys to type,
capture-pane to read the screen), and check the study with SQLite directly.
"""
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CARNET = os.path.abspath(os.environ.get("CARNET_BIN") or os.path.join(ROOT, "carnet"))
CODEBOOKS = os.path.join(ROOT, "codebooks")
DATA = os.path.join(ROOT, "tests", "data")
FR_CODEBOOK = os.path.join(CODEBOOKS, "labacces-accueil.yaml")


def french_env():
    """Environment variables for a French interface."""
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    if "fr_fr.utf8" in out or "fr_fr.utf-8" in out:
        return {"LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8", "LANGUAGE": "fr"}
    return {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": "fr"}


ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": ""}


def base_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARNET_")}
    env.update(ENGLISH)
    env["CARNET_BIN"] = CARNET
    # The sanitizer build lives in build/asan/: point it at the tree's data.
    env["CARNET_DATADIR"] = ROOT
    env["CARNET_LOCALEDIR"] = os.path.join(ROOT, "build", "locale")
    # ASan's leak checker needs ptrace-free exits; keep its reports on stderr.
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    if extra:
        env.update(extra)
    return env


class CarnetTest(unittest.TestCase):
    """A test with its own temporary folder and study path."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="carnet-test-")
        self.db = os.path.join(self.dir, "study.db")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def carnet(self, *args, env=None, input=None, db=True, timeout=120, cwd=None, **popen):
        """Runs carnet with --db set to this test's study; returns the
        CompletedProcess (stdout and stderr as text).  popen goes to
        subprocess.run (preexec_fn, user...)."""
        argv = [CARNET]
        if db:
            argv += ["--db", self.db]
        argv += list(args)
        return subprocess.run(argv, capture_output=True, text=True, env=base_env(env), input=input,
                              timeout=timeout, cwd=cwd or self.dir, **popen)

    def ok(self, *args, **kw):
        r = self.carnet(*args, **kw)
        self.assertEqual(r.returncode, 0, "carnet %s failed:\n%s%s" % (" ".join(args), r.stdout, r.stderr))
        return r

    def init(self, *args, **kw):
        return self.ok("init", *args, **kw)

    def sql(self, query, params=(), db=None):
        con = sqlite3.connect(db or self.db)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path


class Tmux:
    """One program in a detached tmux session of a given size.

    Each instance has its own tmux server (-L), so tests can run in
    parallel.  The program runs under a small shell that, when it ends,
    prints "[exit N]" on a line of its own and stays: tmux 3.3a may drop
    the last output of a pane whose process exits (what a curses program
    prints after leaving the alternate screen) and may not report the exit
    status of a pane reaped in a worker process, so the shell keeps the
    pane alive and says the status itself.  pid() is the program's.
    """

    EXIT_RE = re.compile(r"\[exit (\d+)\]")

    def __init__(self, argv, width=80, height=24, env=None, cwd=None):
        self.sock = "carnet-%d-%d" % (os.getpid(), int(time.monotonic() * 1e6))
        e = base_env(env)
        envs = ["%s=%s" % (k, v) for k, v in (env or {}).items()]
        # A program killed in the middle leaves the terminal raw (no carriage
        # return on a newline): stty sane, and the status on a line of its own.
        wrapped = ["env"] + envs + ["sh", "-c", '"$@"; s=$?; stty sane 2>/dev/null; printf "\\r\\n[exit %d]\\n" $s; '
                                    'exec sleep 86400', "sh"] + list(argv)
        cmd = " ".join(_shq(a) for a in wrapped)
        self._tmux("-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height), "-s", "t",
                   cmd, env=e, cwd=cwd)

    def _tmux(self, *args, env=None, cwd=None, check=True):
        return subprocess.run(["tmux", "-u", "-L", self.sock] + list(args), capture_output=True, text=True,
                              env=env or base_env(), cwd=cwd, check=check)

    def send(self, *keys, literal=False):
        """Types keys: tmux key names ("Space", "Enter", "Tab", "F10", "C-c")
        or, with literal=True, text typed character by character."""
        if literal:
            self._tmux("send-keys", "-t", "t", "-l", *keys)
        else:
            self._tmux("send-keys", "-t", "t", *keys)

    def screen(self):
        return self._tmux("capture-pane", "-p", "-t", "t").stdout

    def wait_for(self, text, timeout=10.0):
        """Waits until text is on screen; returns the screen or fails."""
        end = time.time() + timeout
        s = ""
        while time.time() < end:
            s = self.screen()
            if text in s:
                return s
            time.sleep(0.05)
        raise AssertionError("%r not on screen after %.0fs; screen:\n%s" % (text, timeout, s))

    def wait_gone(self, text, timeout=10.0):
        end = time.time() + timeout
        s = ""
        while time.time() < end:
            s = self.screen()
            if text not in s:
                return s
            time.sleep(0.05)
        raise AssertionError("%r still on screen after %.0fs; screen:\n%s" % (text, timeout, s))

    def history(self):
        """All that the pane shows, the lines scrolled off the top included
        (what a program printed after leaving its screen, a long report)."""
        return self._tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "t").stdout

    def resize(self, width, height):
        self._tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def pid(self):
        """The pid of the program (the child of the pane's shell)."""
        shell = int(self._tmux("display-message", "-p", "-t", "t", "#{pane_pid}").stdout.strip())
        end = time.time() + 5
        while time.time() < end:
            kids = subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True).stdout.split()
            kids = [int(k) for k in kids]
            # the program, not the shell's closing sleep
            kids = [k for k in kids if _comm(k) != "sleep"]
            if kids:
                return kids[0]
            time.sleep(0.02)
        raise AssertionError("no program running in the pane; screen:\n" + self.screen())

    def dead(self):
        """Whether the program has ended."""
        return self.EXIT_RE.search(self.screen()) is not None

    def exit_status(self, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            m = self.EXIT_RE.search(self.screen())
            if m:
                return int(m.group(1))
            time.sleep(0.05)
        raise AssertionError("program still running after %.0fs; screen:\n%s" % (timeout, self.screen()))

    def close(self):
        self._tmux("kill-server", check=False)


def _comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def _shq(s):
    return "'" + str(s).replace("'", "'\\''") + "'"
