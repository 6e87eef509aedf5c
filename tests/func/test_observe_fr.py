"""`carnet observe` in French with the shipped French codebook (accents,
AZERTY digits), without colours, and under the terminals it must work in:
xterm, screen, tmux and the Linux console (as TERM under tmux)."""
import glob
import os
import re
import subprocess

from harness import ROOT, french_env
from observe_util import ObserveTest


def colour_codes(s):
    """The SGR colour parameters of a screen read with its escapes."""
    found = []
    for params in re.findall(r"\x1b\[([0-9;]*)m", s):
        for p in params.split(";"):
            if p and (30 <= int(p) <= 37 or 40 <= int(p) <= 47 or 90 <= int(p) <= 107 or p in ("38", "48")):
                found.append(p)
    return found


class French(ObserveTest):
    codebook = None  # the shipped French codebook

    def test_the_french_screen_fits_80x24_keeps_accents_and_no_colour(self):
        env = dict(french_env(), NO_COLOR="1", TERM="xterm-256color")
        t = self.observe(env=env, site=None, observer=None, wait=False)
        s = t.wait_for("nouvelle séance d'observation")
        self.assertIn("France Services Démo", s)  # the last site, offered
        self.assertIn("Observateur·rice :", s)
        t.type("Élise")
        t.send("Enter")
        s = t.wait_for("Séance ouverte à")
        self.assertIn("Complémentaire santé solidaire (C2S)", s)
        self.assertIn("Espace nouvelle", s)
        self.assertIn("F10 quitter", s)
        self.assertIn("? aide", s)
        self.assertIn("séance 0:0", s.split("\n")[0])
        self.assertEqual(colour_codes(t.screen_escapes()), [])
        self.assertIn("\x1b[7m", t.screen_escapes())  # reverse video instead

        t.send("Space")
        t.wait_for("Début du n° 1 à")
        t.type("é")  # the unshifted 2 of an AZERTY keyboard: the C2S code
        t.wait_for("n° 1 Type de demande : Complémentaire santé solidaire (C2S)")
        t.send("a", "0", "Tab", "s")
        s = t.wait_for("n° 1 Orientation : Traité sur place")
        self.assertIn("Personne âgée", s)
        t.send("Enter")
        s = t.wait_for("Enregistré n° 1")
        self.assertIn("Dernières interactions", s)
        self.assertIn("Complémentaire santé solidaire (C2S) · Personne âgée (65 an…", s)

        # An "other, specify" answer with accents, and a note.
        t.send("Space", "x")
        t.wait_for("Autre demande, préciser :")
        t.type("Chèque énergie")
        t.send("Enter")
        t.wait_for("n° 2 Type de demande : Autre demande (Chèque énergie)")
        t.type(":")
        t.wait_for("Note sur le n° 2 :")
        t.type("cœur du problème : l'accès à caf.fr")
        t.wait_for("cœur du problème")
        t.send("Enter")
        t.wait_for("n° 2 : note enregistrée")
        t.send("Enter")
        s = t.wait_for("Enregistré n° 2")
        self.assertIn("incomplet : il manque Public, Orientation", s)

        # Help and an entry, in French.
        t.send("?")
        s = t.wait_for("carnet observe : les touches")
        self.assertIn("Sur l'écran de codage", s)
        self.assertIn("Commence une nouvelle interaction", s)
        t.send("Escape")
        t.wait_for("Dernières interactions")
        t.send("!")
        s = t.wait_for("Quand ne pas l'employer")
        self.assertIn("Définition", s)
        t.send("Escape")
        t.wait_for("Dernières interactions")
        t.send("C-c")
        t.wait_for("Ctrl-C ne quitte pas")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)

        rows = self.created()
        self.assertEqual(rows[1]["codes"], {("demande", "c2s", None), ("public", "pub-age", None),
                                            ("obstacle", "obs-aucun", None), ("orientation", "ori-sur-place", None)})
        self.assertEqual(rows[1]["incomplete"], 0)
        self.assertEqual(rows[2]["codes"], {("demande", "dem-autre", "Chèque énergie")})
        self.assertEqual(rows[2]["note"], "cœur du problème : l'accès à caf.fr")
        self.assertEqual(rows[2]["incomplete"], 1)
        self.assertEqual(self.sql("SELECT s.name, o.name FROM session JOIN site s ON s.id = site_id"
                                  " JOIN observer o ON o.id = observer_id"), [("France Services Démo", "Élise")])

    def test_every_string_of_the_program_has_a_french_translation(self):
        # The coding screen's, and those of every screen and command it
        # opens or shares code with: the whole program.
        sources = sorted(glob.glob(os.path.join(ROOT, "src", "*", "*.c")))
        pot = os.path.join(self.dir, "observe.pot")
        subprocess.run(["xgettext", "--from-code=UTF-8", "-k_", "-kN_", "-kngettext:1,2", "-o", pot] + sources,
                       check=True)
        cat = os.path.join(self.dir, "all.po")
        subprocess.run(["msgcat", "--use-first", "-o", cat] + sorted(glob.glob(os.path.join(ROOT, "po/fr/*.po"))),
                       check=True)
        r = subprocess.run(["msgcmp", "--use-untranslated", cat, pot], capture_output=True, text=True)
        missing = [l for l in r.stderr.split("\n") if "this message is used but not defined" in l]
        self.assertEqual(missing, [])
        r = subprocess.run(["msgattrib", "--untranslated", cat], capture_output=True, text=True)
        self.assertNotIn("msgid", r.stdout.replace('msgid ""\nmsgstr ""', ""))


class Terminals(ObserveTest):
    def code_two(self, t, quit_key):
        t.send("Space", "c", "j")
        t.wait_for("#1 Public: Young person")
        t.send("Enter")
        t.wait_for("Recorded #1")
        t.send("Space", "p")
        t.wait_for("#2 Motif: Health insurance")
        t.send("Left")  # back to Motif: arrows move between dimensions everywhere
        t.wait_for("> Motif*")
        t.send("Right", "s", "Enter")
        t.wait_for("Recorded #2")
        t.type("?")
        t.wait_for("carnet observe: the keys")
        t.send("Escape")
        t.wait_for("Last interactions")
        t.send(quit_key)
        self.assertEqual(t.exit_status(), 0)

    def test_the_screen_works_under_xterm_screen_tmux_and_the_linux_console(self):
        for term in ("xterm-256color", "xterm", "screen", "tmux-256color", "linux"):
            with self.subTest(term=term):
                before = len(self.created())
                t = self.observe(env={"TERM": term})
                # F10 does not reach every terminal: Ctrl-X always does.
                self.code_two(t, "C-x" if term == "linux" else "F10")
                t.close()
                rows = self.created()
                self.assertEqual(len(rows), before + 2)
                self.assertEqual(rows[before + 2]["codes"], {("motif", "cpam", None), ("public", "senior", None)})
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE ended_at IS NOT NULL"), [(5,)])

    def test_colours_are_used_unless_no_color_is_set(self):
        t = self.observe(env={"TERM": "xterm-256color"})
        self.assertNotEqual(colour_codes(t.screen_escapes()), [])
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
