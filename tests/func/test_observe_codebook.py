"""The codebook editor opened from `carnet observe`, the session staying
open: a code added and saved there is coded at once on the interactions
started after it, while those started before keep their version; a heading
made there is never offered; the screen is drawn again, at its new size
when the terminal was resized inside the editor."""
import signal

from observe_util import ObserveTest

# The fields every code needs before a save (doc/codebook-format.md).
FIELDS = ["Advice on a household budget.", "The visitor asks for help with a budget.",
          "A debt file (Banque de France): another code.", "A woman asks how to plan her bills."]


class EditorFromTheCodingScreen(ObserveTest):
    def versions(self):
        return [r[0] for r in self.sql("SELECT id FROM codebook_version ORDER BY seq")]

    def add_code(self, t, label):
        """In the editor's list: a code after the first one of the first
        dimension, its definition fields filled in."""
        t.send("Tab", "a")
        t.wait_for("new code: its label")
        t.send(label, literal=True)
        t.send("Enter")
        t.wait_for("Proposed id below")
        t.send("Enter")
        s = t.wait_for("added with hotkey")
        t.send("Down", "Down")  # Label, Hotkey, Definition
        for text in FIELDS:
            t.send("Enter")
            t.wait_for("Ctrl-S or F2 keep")
            t.send(text, literal=True)
            t.send("C-s")
            t.wait_gone("Ctrl-S or F2 keep")
            t.send("Down")
        return s

    def test_a_code_added_mid_session_is_coded_on_the_interactions_started_after(self):
        t = self.observe()
        t.send("Space", "c", "j", "Enter")
        t.wait_for("Recorded #1")
        t.send("Space", "p")  # #2 stays open across the edit
        t.wait_for("#2 Motif: Health insurance")
        session = self.sql("SELECT id FROM session")[0][0]

        t.send("$")
        t.wait_for("Codes of “Motif”")
        s = self.add_code(t, "Budget advice")
        self.assertIn("Code 'budget-advice' added with hotkey 'b'", s)
        # The terminal grows while the editor is open.
        t.resize(100, 30)
        t.wait_until(lambda s: len(s.rstrip("\n").split("\n")) == 30 and "[modified]" in s, "the editor at 100x30")
        t.send("s")
        t.wait_for("Saved as a new version (codebook version 2)")
        t.send("Escape")
        t.wait_for("Codes of “Motif”")
        t.send("F10")
        s = t.wait_for("Codebook version 2 for the interactions started from now on")
        # The coding screen again, drawn whole at the new size.
        self.assertNotIn("codebook editor", s)
        rows = s.rstrip("\n").split("\n")
        self.assertEqual(len(rows), 30)
        self.assertIn("Test study", rows[0])
        self.assertIn("CDAS Test", rows[0])
        self.assertRegex(rows[0], r"\d\d:\d\d:\d\d \xb7 session \d+:\d\d \xb7 2 interactions$")
        self.assertIn("F10 quit", rows[-1])
        self.assertIn("$ codebook", rows[-1])  # on a bar wide enough
        self.assertIn("Open: ", rows[1])
        self.assertIn("#2 ", rows[1])

        # #2 was started under version 1: the new key is not there.
        t.send("Left")
        t.wait_for("> Motif*")
        t.send("b")
        t.wait_for("No code has the key b in Motif")
        t.send("Tab", "s", "Enter")
        t.wait_for("Recorded #2")
        # #3 is started under version 2: b codes the new code.
        t.send("Space")
        t.wait_for("Started #3")
        s = t.wait_for("b Budget advice")
        t.send("b")
        t.wait_for("#3 Motif: Budget advice")
        t.send("s", "Enter")
        t.wait_for("Recorded #3")
        t.resize(80, 24)
        s = t.wait_until(lambda s: len(s.rstrip("\n").split("\n")) == 24 and "Last interactions" in s, "80x24")
        self.assertIn("#3 ", s.split("Last interactions")[1])
        self.assertIn("Budget advice", s.split("Last interactions")[1])
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)

        v1, v2 = self.versions()
        rows = self.created()
        version = {n: self.sql("SELECT codebook_version_id FROM interaction WHERE id = ?", (r["id"],))[0][0]
                   for n, r in rows.items()}
        self.assertEqual(version, {1: v1, 2: v1, 3: v2})
        self.assertEqual(rows[1]["codes"], {("motif", "caf", None), ("public", "jeune", None)})
        self.assertEqual(rows[2]["codes"], {("motif", "cpam", None), ("public", "senior", None)})
        self.assertEqual(rows[3]["codes"], {("motif", "budget-advice", None), ("public", "senior", None)})
        # One session from start to end, which keeps the version it opened with.
        self.assertEqual(self.sql("SELECT id, codebook_version_id, ended_at IS NOT NULL FROM session"),
                         [(session, v1, 1)])
        self.assertEqual({r[0] for r in self.sql("SELECT session_id FROM interaction")}, {session})
        self.assertEqual(self.sql("SELECT saved_by FROM codebook_version WHERE id = ?", (v2,)), [("Élise",)])
        self.assert_intact()

    def test_a_heading_made_in_the_editor_is_never_offered(self):
        t = self.observe()
        t.send("$")
        t.wait_for("Codes of “Motif”")
        t.send("Tab", "Down")
        t.wait_for("Definition [cpam]")
        t.send("Enter")
        t.wait_for("↑↓ choose a field")
        t.send("End", "Up")  # "Can be chosen", above "Colour"
        t.send("Enter")
        t.wait_for("This code is now a heading")
        t.send("s")
        t.wait_for("Saved as a new version (codebook version 2)")
        t.send("C-x")
        t.wait_for("Codebook version 2 for the interactions started from now on")
        t.send("Space")
        t.wait_for("Started #1")
        s = t.screen()
        self.assertIn("c CAF benefits", s)
        self.assertNotIn("Health insurance", s)
        # Its key chooses nothing, and the highlight passes it by.
        t.send("p")
        t.wait_for("No code has the key p in Motif")
        for key in ("Down", "Down", "Down", "End", "Home"):
            t.send(key)
            t.send("!")
            s = t.wait_for("When to use it")
            self.assertNotIn("Health insurance", s)
            t.send("Escape")
            t.wait_for("Last interactions")
        t.send("End", "=")
        t.wait_for("#1 Motif: Other motif, specify:")
        t.send("Escape")
        t.wait_for("Left without recording")
        t.send("Home", "=")
        t.wait_for("#1 Motif: CAF benefits")
        t.send("F10")
        t.wait_for("still open")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        v2 = self.versions()[1]
        self.assertEqual(self.sql("SELECT codable FROM code WHERE id = 'cpam' AND version_id = ?", (v2,)), [(0,)])
        self.assertEqual(self.created()[1]["codes"], {("motif", "caf", None)})

    def test_sigterm_in_the_editor_closes_the_session_like_quitting(self):
        t = self.observe()
        t.send("Space", "c")
        t.wait_for("#1 Motif: CAF benefits")
        t.send("F9")
        t.wait_for("Codes of “Motif”")
        t.send("Tab", "x")
        t.wait_for("[modified]")
        t.kill(signal.SIGTERM)
        self.assertEqual(t.exit_status(), 0)
        # The session is closed; what the editor had not saved is not.
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE ended_at IS NOT NULL"), [(1,)])
        self.assertEqual(len(self.versions()), 1)
        self.assertEqual(self.created()[1]["codes"], {("motif", "caf", None)})
