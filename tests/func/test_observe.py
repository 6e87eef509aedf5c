"""`carnet observe` in English: a scripted session of more than 20
interactions using every feature of the screen, then the study checked row
by row and the screen's text checked along the way."""
import re

from observe_util import ObserveTest


def hms(ts):
    return ts[11:19]


class ScriptedSession(ObserveTest):
    def code_one(self, t, keys, num, text=None):
        """Starts an interaction, types keys, ends it; waits for the screen
        to say it is recorded."""
        t.send("Space")
        t.wait_for("Started #%d" % num)
        if keys:
            t.send(*keys)
        if text:
            t.type(text)
        t.send("Enter")
        return t.wait_for("Recorded #%d" % num)

    def test_a_scripted_session_is_recorded_exactly(self):
        t = self.observe()
        s = t.screen()
        self.assertIn("Test study", s.split("\n")[0])
        self.assertIn("CDAS Test", s.split("\n")[0])
        self.assertIn("No interaction open: Space starts one", s)
        self.assertIn("Old motif", self.sql("SELECT label FROM code WHERE id = 'ancien'")[0][0])
        self.assertNotIn("Old motif", s)  # a retired code is not offered

        # 1: every dimension, the free-text one typed, then ended.
        t.send("Space", "c", "j", "m", "w")
        t.wait_for("*w Lost password")
        t.send("Tab")
        t.wait_for("Postcode \xb7 free text")
        t.type("35000")
        t.wait_for("#1 Postcode:")
        t.send("Enter")
        t.wait_for("#1 Postcode: 35000")
        t.send("s", "Enter")
        s = t.wait_for("Recorded #1")
        self.assertIn("#1 ", s.split("Last interactions")[1])

        # 2 and 3 overlap: two visitors at once, each with its own times.
        t.send("Space")
        t.wait_for("Started #2")
        t.send("p", "Space")
        t.wait_for("Started #3")
        s = t.send("c", "j")
        s = t.wait_for("#3 Public: Young person")
        open_row = s.split("\n")[1]
        self.assertRegex(open_row, r"Open: +#2 \d\d:\d\d \(\d+:\d\d\) +#3 ")
        t.send("+")
        t.wait_for("Coding #2")
        t.send("s", "Enter")
        s = t.wait_for("Recorded #2")
        self.assertIn("#3 started", s)  # the other open one is coded next
        t.send("Enter")
        t.wait_for("Recorded #3")

        # 4: undo and redo, through the audit log.
        t.send("Space", "c")
        t.wait_for("#4 Motif: CAF benefits")
        t.send("<")
        t.wait_for("Undone: #4 Motif: CAF benefits removed")
        t.send("C-z")
        t.wait_for("Undone: #4 deleted")
        t.send(">")
        t.wait_for("Redone: #4 restored")
        t.send("C-y")
        t.wait_for("Redone: #4 Motif: CAF benefits")
        t.send("j", "Enter")
        t.wait_for("Recorded #4")

        # 5: "other, specify", refused until it has the codebook's form.
        t.send("Space", "x")
        t.wait_for("Other motif, specify:")
        t.type("B2")
        t.send("Enter")
        t.wait_for("Three letters at least, no digits")
        t.send("BSpace")
        t.type("anque de France")
        t.send("Enter")
        t.wait_for("#5 Motif: Other motif (Banque de France)")
        t.send("s", "Enter")
        t.wait_for("Recorded #5")

        # 6: the free-text answer refused, then accepted; a required
        # dimension left empty is flagged and kept incomplete.
        t.send("Space")
        t.wait_for("Started #6")
        t.send("Tab", "Tab", "Tab")
        t.wait_for("Postcode \xb7 free text")
        t.type("350")
        t.send("Enter")
        t.wait_for("Five digits, as 35000")
        t.type("00")
        t.send("Enter")
        t.wait_for("#6 Postcode: 35000")
        s = t.screen()
        self.assertIn("Motif*", s)
        self.assertRegex(s, r"Public\* +required")
        t.send("Enter")
        s = t.wait_for("Recorded #6")
        self.assertIn("incomplete: Motif, Public missing", s)
        self.assertIn("[incomplete]", s.split("Last interactions")[1])

        # 7: a note suggests codes; Tab applies them while the line stays.
        t.send("Space", ":")
        t.wait_for("Note on #7:")
        t.type("prime d'activité, mot de passe oublié")
        t.wait_for("mot de passe oublié")
        s = t.wait_for("Suggested (Tab):")
        self.assertIn("Motif: CAF benefits", s)
        self.assertIn("Obstacle: Lost password", s)
        t.send("Tab")
        t.wait_for("#7 Motif: CAF benefits")
        t.send("Tab")
        t.wait_for("#7 Obstacle: Lost password")
        t.send("Enter")
        t.wait_for("#7: note recorded")
        t.send("Tab", "s", "Enter")
        t.wait_for("Recorded #7")

        # A field note on the session, timestamped when begun.
        t.type(";")  # tmux takes a bare ; for its own separator
        t.wait_for("Field note on the session")
        t.type("Panne du réseau à la CAF")
        t.send("Enter")
        t.wait_for("Field note recorded")

        # 8-10: tally mode, one key a complete interaction.
        t.send("*")
        t.wait_for("Tally mode: each key records a complete interaction on Motif")
        t.send("c")
        t.wait_for("Recorded #8 (tally): CAF benefits")
        t.send("c")
        t.wait_for("Recorded #9 (tally)")
        t.send("p")
        t.wait_for("Recorded #10 (tally): Health insurance")
        t.send("Space")
        t.wait_for("Tally mode: each key records a whole interaction")
        t.send("*")
        t.wait_for("Tally mode off")

        # 11: a pause in the middle of an interaction is left out of it.
        t.send("Space", "c")
        t.wait_for("#11 Motif: CAF benefits")
        t.send(",")
        s = t.wait_for("Session paused at")
        self.assertIn("PAUSED", s.split("\n")[0])
        t.send("Space")
        t.wait_for("The session is paused: press , (or F6) to resume first")
        start = t.clock()
        t.wait_until(lambda s: t.clock() is not None and t.clock() >= start + 2, "two seconds of pause")
        t.send(",")
        s = t.wait_for("Session resumed after a pause of 0:0")
        self.assertNotIn("PAUSED", s.split("\n")[0])
        t.send("j", "Enter")
        t.wait_for("Recorded #11")

        # 12-21: a queue at the desk.
        for n in range(12, 22):
            self.code_one(t, ["c" if n % 2 else "p", "j" if n % 3 else "s"], n)

        # The history: change an earlier interaction's codes, times, note;
        # delete one.
        t.send("/")
        t.wait_for("History of the session: 21 interactions")
        t.send("Home", "Enter")
        t.wait_for("Changing #1: its codes and note; Enter comes back")
        t.send("Tab")  # from Outcome round to Motif
        t.wait_for("Motif* \xb7 one choice")
        t.send("p")
        t.wait_for("#1 Motif: Health insurance")
        t.send("Enter")
        t.wait_for("Back to the open interactions")
        first = self.created()[1]
        t.send("/")
        t.wait_for("History of the session")
        t.send("Home", "@")
        t.wait_for("Times of #1")
        t.wait_for("%s %s" % (hms(first["started"]), hms(first["ended"])))
        t.send("C-u")
        t.type("%s %s" % (hms(first["started"]), "23:59:58"))
        t.send("Enter")
        t.wait_for("#1: times %s-23:59:58" % hms(first["started"]))
        t.send(":")
        t.wait_for("Note on #1:")
        t.type("rappeler lundi")
        t.send("Enter")
        t.wait_for("#1: note recorded")
        t.send("Down", "BSpace")
        t.wait_for("#2 deleted")
        s = t.screen()
        self.assertIn("[deleted]", s)
        t.send("Escape")
        t.wait_for("Last interactions")

        # Wider: more of the last interactions; too small: said plainly,
        # keys not obeyed; back.
        t.resize(100, 30)
        s = t.wait_until(lambda s: len(s.split("\n")[0]) > 80, "a wider screen")
        last = s.split("Last interactions")[1].strip("\n").split("\n")
        self.assertGreaterEqual(len([l for l in last if re.match(r" #\d", l)]), 6)
        t.resize(70, 20)
        t.wait_for("Terminal too small: 70x20. carnet needs at least 80x24.")
        t.send("Space")
        t.resize(80, 24)
        s = t.wait_for("Last interactions")
        self.assertNotIn("Started #22", s)
        self.assertTrue(all(len(l) <= 80 for l in s.split("\n")))

        # Help and a code's entry.
        t.send("?")
        s = t.wait_for("carnet observe: the keys")
        self.assertIn("Start a new interaction", s)
        t.send("Escape")
        t.wait_for("Last interactions")
        t.send("!")
        s = t.wait_for("When not to use it")
        self.assertIn("Definition of CAF benefits.", s)
        t.send("Escape")
        t.wait_for("Last interactions")

        t.send("F10")
        self.assertEqual(t.exit_status(), 0, t.screen())
        self.check_rows(first)

    def seq(self, row, action):
        return self.sql("SELECT min(seq) FROM audit WHERE interaction_id = ? AND action = ?", (row["id"], action))[0][0]

    def check_rows(self, first):
        rows = self.created()
        self.assertEqual(len(rows), 21)
        r = rows[1]
        self.assertEqual(r["codes"], {("motif", "cpam", None), ("public", "jeune", None), ("obstacle", "mail", None),
                                      ("obstacle", "mdp", None), ("suite", "sur-place", None)})
        self.assertEqual(r["texts"], {"commune": "35000"})
        self.assertEqual(r["note"], "rappeler lundi")
        self.assertEqual(r["started"], first["started"])
        self.assertEqual(hms(r["ended"]), "23:59:58")
        self.assertEqual(r["actions"], ["create", "code", "code", "code", "code", "text", "code", "end", "code",
                                        "times", "note"])
        self.assertEqual((r["incomplete"], r["deleted"], r["tally"]), (0, 0, 0))
        self.assertEqual(rows[2]["codes"], {("motif", "cpam", None), ("public", "senior", None)})
        self.assertEqual(rows[2]["deleted"], 1)
        self.assertEqual(rows[2]["actions"][-1], "delete")
        self.assertEqual(rows[3]["codes"], {("motif", "caf", None), ("public", "jeune", None)})
        # 2 and 3 overlapped: 3 started before 2 ended, and ended after.
        self.assertLessEqual(rows[3]["started"], rows[2]["ended"])
        self.assertGreaterEqual(rows[3]["ended"], rows[2]["ended"])
        self.assertLess(self.seq(rows[3], "create"), self.seq(rows[2], "end"))
        self.assertLess(self.seq(rows[2], "end"), self.seq(rows[3], "end"))
        self.assertEqual(rows[4]["actions"], ["create", "code", "uncode", "delete", "restore", "code", "code", "end"])
        self.assertEqual(rows[4]["deleted"], 0)
        self.assertEqual(rows[5]["codes"], {("motif", "motif-autre", "Banque de France"), ("public", "senior", None)})
        self.assertEqual(rows[6]["texts"], {"commune": "35000"})
        self.assertEqual((rows[6]["incomplete"], rows[6]["codes"]), (1, set()))
        self.assertEqual(rows[7]["note"], "prime d'activité, mot de passe oublié")
        self.assertEqual(rows[7]["codes"], {("motif", "caf", None), ("obstacle", "mdp", None),
                                            ("public", "senior", None)})
        for n, code in ((8, "caf"), (9, "caf"), (10, "cpam")):
            self.assertEqual((rows[n]["tally"], rows[n]["incomplete"], rows[n]["codes"]),
                             (1, 0, {("motif", code, None)}))
            self.assertEqual(rows[n]["started"], rows[n]["ended"])
        # 11: its paused time is the overlap with the session's pause.
        (ps, pe), = self.sql("SELECT started_at, ended_at FROM pause")
        (overlap,) = self.sql("SELECT min(unixepoch(?), unixepoch(?)) - max(unixepoch(?), unixepoch(?))",
                              (rows[11]["ended"], pe, rows[11]["started"], ps))[0]
        self.assertGreaterEqual(overlap, 2)
        self.assertEqual(rows[11]["paused"], overlap)
        for n in range(12, 22):
            want = {("motif", "caf" if n % 2 else "cpam", None), ("public", "jeune" if n % 3 else "senior", None)}
            self.assertEqual(rows[n]["codes"], want, n)
            self.assertEqual(rows[n]["actions"], ["create", "code", "code", "end"])
            self.assertEqual(rows[n]["incomplete"], 0)
            self.assertLessEqual(rows[n - 1]["ended"], rows[n]["started"])  # one after the other
            self.assertLessEqual(rows[n]["started"], rows[n]["ended"])
        self.assertEqual(self.sql("SELECT text FROM session_note"), [("Panne du réseau à la CAF",)])
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE ended_at IS NOT NULL"), [(1,)])
        self.assertEqual(self.sql("SELECT DISTINCT who FROM audit"), [("Élise",)])
        self.assert_intact()
