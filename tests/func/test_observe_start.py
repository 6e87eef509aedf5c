"""`carnet observe` starting and stopping: the start-up form offering the
last site and observer, quitting with interactions open, the command line
(flags, errors, no terminal), and the key map of doc/observe.md."""
import os
import re
import sqlite3
import subprocess

from harness import ROOT, base_env
from observe_util import ObserveTest


class Start(ObserveTest):
    codebook = None  # init --site "France Services Démo"

    def test_the_form_offers_the_last_site_and_the_known_names(self):
        t = self.observe(site=None, observer=None, wait=False)
        s = t.wait_for("a new observation session")
        self.assertIn("France Services Démo", s)
        self.assertIn("New study: type a name", s)  # no observer yet
        t.send("Enter")  # the observer field is empty: it asks
        t.wait_for("Type your name")
        t.type("Élise")
        t.send("Enter")
        t.wait_for("Session opened at")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        # A second site, then the form again: both names offered, the last
        # ones in the fields; Down picks among them; typing replaces.
        t = self.observe(site="CDAS Nord", observer="Bob")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        t = self.observe(site=None, observer=None, wait=False)
        s = t.wait_for("Up/Down: CDAS Nord \xb7 France Services Démo")
        self.assertRegex(s, r"Site: +CDAS Nord")
        self.assertRegex(s, r"Observer: +Bob")
        t.send("Down", "Down")
        t.wait_until(lambda s: re.search(r"Site: +France Services Démo", s), "the second site")
        t.send("Tab")
        t.type("Camille")
        t.wait_until(lambda s: re.search(r"Observer: +Camille *\n", s), "the name typed over the one offered")
        t.send("Enter")
        s = t.wait_for("Session opened at")
        self.assertIn("France Services Démo \xb7 Camille", s.split("\n")[0])
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        self.assertEqual(self.sql("SELECT s.name, o.name FROM session JOIN site s ON s.id = site_id"
                                  " JOIN observer o ON o.id = observer_id ORDER BY started_at, session.id"),
                         [("France Services Démo", "Élise"), ("CDAS Nord", "Bob"), ("France Services Démo", "Camille")])
        self.assertEqual(self.sql("SELECT value FROM setting WHERE key = 'last_observer'"), [("Camille",)])

    def test_the_header_names_the_study_cut_to_fit_at_80_columns(self):
        con = sqlite3.connect(self.db)
        with con:
            con.execute("UPDATE study SET name = 'Étude LabAccès, accueil du CDAS de Fougères, 2026'")
        con.close()
        t = self.observe(site="France Services Démo", observer="Élise")
        head = t.screen().split("\n")[0]
        self.assertLessEqual(len(head.rstrip()), 80)
        # The site, the observer and the counts whole; the study's name cut.
        self.assertRegex(head, r"^ Étude[^·]*… · France Services Démo · Élise +\d\d:\d\d:\d\d")
        self.assertIn("0 interactions", head)
        t.resize(160, 30)
        head = t.wait_until(lambda s: "Fougères, 2026 ·" in s.split("\n")[0], "the whole name at 160 columns")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)

    def test_esc_leaves_the_form_without_opening_a_session(self):
        t = self.observe(site=None, observer=None, wait=False)
        t.wait_for("a new observation session")
        t.send("Escape")
        self.assertEqual(t.exit_status(), 0)
        self.assertEqual(self.sql("SELECT count(*) FROM session"), [(0,)])

    def test_quitting_with_an_interaction_open_asks_twice_and_keeps_it(self):
        t = self.observe()
        t.send("Space")
        t.wait_for("Started #1")
        t.send("C-x")
        s = t.wait_for("1 interaction is still open: press F10 (or Ctrl-X) again to quit;")
        self.assertIn("it stays\n open", s)
        t.send("C-c")  # does not quit, and disarms
        t.wait_for("Ctrl-C does not quit")
        t.send("F10")
        t.wait_for("1 interaction is still open")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        self.assertEqual(self.sql("SELECT count(*) FROM interaction WHERE ended_at IS NULL"), [(1,)])
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE ended_at IS NOT NULL"), [(1,)])


class CommandLine(ObserveTest):
    def test_the_guide_holds_the_key_map_the_screen_obeys(self):
        r = self.ok("observe", "--keys", db=False)
        with open(os.path.join(ROOT, "doc", "observe.md"), encoding="utf-8") as f:
            guide = f.read()
        self.assertIn("| `Space` | Start a new interaction", r.stdout)
        self.assertIn(r.stdout, guide)

    def test_bad_flags_and_missing_studies(self):
        r = self.carnet("observe", "--bogus")
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: carnet observe [--site NAME] [--observer NAME] [--keys]", r.stderr)
        r = self.carnet("observe", "extra")
        self.assertEqual(r.returncode, 2)
        r = self.carnet("--db", os.path.join(self.dir, "none.db"), "observe", db=False)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.count("\n"), 1)
        self.assertIn("no study here", r.stderr)

    def test_without_a_terminal_it_says_so(self):
        r = subprocess.run([self.carnet_path(), "--db", self.db, "observe", "--site", "x", "--observer", "y"],
                           capture_output=True, text=True, env=base_env(), stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "carnet: this screen needs a terminal (standard input and output are not one)\n")
        self.assertEqual(self.sql("SELECT count(*) FROM session"), [(0,)])

    def carnet_path(self):
        from harness import CARNET
        return CARNET


class Sequences(ObserveTest):
    def test_an_unknown_key_sequence_is_ignored_never_taken_for_hotkeys(self):
        t = self.observe(env={"TERM": "linux"})
        t.send("Space")
        t.wait_for("Started #1")
        # F1 and Ctrl-Up as an xterm sends them, to a program told the
        # terminal is the Linux console: Esc O P would be hotkey P.
        t.type("\x1bOP")
        s = t.wait_for("Ignored a key the terminal sent as Esc O P (does TERM=linux")
        self.assertRegex(s, r"Motif\* +required")
        t.type("\x1b[1;5A")
        s = t.wait_for("Ignored a key the terminal sent as Esc [ 1 ; 5 A")
        self.assertRegex(s, r"Motif\* +required")
        t.type("\x1bc")  # an Alt chord: Esc c
        t.wait_for("Ignored a key the terminal sent as Esc c")
        t.send("c")
        t.wait_for("#1 Motif: CAF benefits")
        t.send("Enter")
        t.wait_for("Recorded #1")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        self.assertEqual(self.created()[1]["codes"], {("motif", "caf", None)})
