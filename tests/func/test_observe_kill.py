"""`carnet observe` killed with SIGKILL: nothing the screen showed as
recorded is lost, the study stays intact, and the interactions left open
are offered at the next start."""
import json
import re
import signal

from observe_util import ObserveTest


class Kill(ObserveTest):
    def code(self, t, n, keys):
        t.send("Space")
        t.wait_for("Started #%d" % n)
        t.send(*keys)
        t.send("Enter")
        t.wait_for("Recorded #%d" % n)

    def assert_audit_matches_rows(self):
        """The last audit row of each interaction is what the row holds:
        no change half written, none committed without its audit row."""
        for (i,) in self.sql("SELECT id FROM interaction"):
            (after,) = self.sql("SELECT after FROM audit WHERE interaction_id = ? ORDER BY seq DESC LIMIT 1", (i,))[0]
            snap = json.loads(after)
            (ended, note, deleted) = self.sql("SELECT ended_at, note, deleted FROM interaction WHERE id = ?", (i,))[0]
            self.assertEqual((snap["ended_at"], snap["note"], snap["deleted"]), (ended, note, deleted))
            codes = set(self.sql("SELECT dimension_id, code_id FROM interaction_code WHERE interaction_id = ?", (i,)))
            self.assertEqual({(c["dimension"], c["code"]) for c in snap["codes"]}, codes)

    def test_a_sigkill_loses_nothing_the_screen_showed_as_recorded(self):
        t = self.observe()
        for n in range(1, 6):
            self.code(t, n, ["c" if n % 2 else "p", "j", "m"])
        t.send("Space", "p")
        t.wait_for("#6 Motif: Health insurance")
        t.send(":")
        t.type("pas encore enregistré")
        t.wait_for("pas encore enregistré")
        # A burst of keys, the screen read, then the kill at once: whatever
        # the screen said was recorded must be in the study.
        t.send("Escape")
        t.wait_for("Left without recording")
        t.send("Space", "c", "j", "Enter", "Space", "p", "s", "Enter", "Space", "c")
        shown = t.screen()
        t.kill()
        self.assert_intact()
        rows = self.created()
        ended = [n for n, r in rows.items() if r["ended"]]
        for m in re.finditer(r"^ #(\d+) ", shown.split("Last interactions")[1], re.M):
            self.assertIn(int(m.group(1)), ended, shown)
        m = re.search(r"Recorded #(\d+)", shown)
        if m:
            self.assertIn(int(m.group(1)), ended)
        for n in range(1, 6):
            self.assertEqual(rows[n]["codes"], {("motif", "caf" if n % 2 else "cpam", None),
                                                ("public", "jeune", None), ("obstacle", "mail", None)})
        self.assertEqual(rows[6]["codes"], {("motif", "cpam", None)})
        self.assertIsNone(rows[6]["note"])  # typed, never recorded
        self.assertIsNone(rows[6]["ended"])
        self.assert_audit_matches_rows()
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE ended_at IS NULL"), [(1,)])

        # The next start offers what was left open; go on coding it here.
        still_open = [n for n, r in rows.items() if not r["ended"]]
        t2 = self.observe(wait=False)
        s = t2.wait_for("left open by an earlier session")
        self.assertIn("%d interactions of yours" % len(still_open) if len(still_open) > 1 else
                      "1 interaction of yours", s)
        t2.send("Enter")
        t2.wait_for("taken up: + switches to")
        t2.send("+")
        t2.wait_for("Coding #1")
        t2.send("j")
        t2.wait_for("#1 Public: Young person")
        t2.send("Enter")
        t2.wait_for("Recorded #1")
        t2.send("F10")
        if len(still_open) > 1:
            t2.wait_for("still open")
            t2.send("F10")
        self.assertEqual(t2.exit_status(), 0)
        r6 = self.created()[6]
        self.assertTrue(r6["ended"])
        self.assertEqual(r6["codes"], {("motif", "cpam", None), ("public", "jeune", None)})
        # it keeps its own session: the one that was killed
        self.assertEqual(self.sql("SELECT count(DISTINCT session_id) FROM interaction"), [(1,)])
        self.assertEqual(self.sql("SELECT count(*) FROM session"), [(2,)])
        self.assert_intact()

    def test_interactions_left_open_can_be_ended_at_their_last_change(self):
        t = self.observe()
        t.send("Space", "c")
        t.wait_for("#1 Motif: CAF benefits")
        t.kill(signal.SIGKILL)
        (last,) = self.sql("SELECT at FROM audit ORDER BY seq DESC LIMIT 1")[0]
        t2 = self.observe(wait=False)
        t2.wait_for("left open by an earlier session")
        t2.send("Down", "Enter")
        t2.wait_for("1 interaction ended")
        t2.send("F10")
        self.assertEqual(t2.exit_status(), 0)
        r = self.created()[1]
        self.assertEqual(r["ended"][:19], last[:19])
        self.assertEqual(r["actions"], ["create", "code", "end"])
        # and another observer's open interactions are never offered
        t3 = self.observe(observer="Bob")
        t3.send("Space")
        t3.wait_for("Started #1")
        t3.kill()
        t4 = self.observe()  # Élise again: nothing of Bob's is offered
        t4.send("F10")
        self.assertEqual(t4.exit_status(), 0)

    def test_sigterm_closes_the_session_like_quitting(self):
        t = self.observe()
        t.send("Space", "c")
        t.wait_for("#1 Motif: CAF benefits")
        t.kill(signal.SIGTERM)
        self.assertEqual(t.exit_status(), 0)
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE ended_at IS NOT NULL"), [(1,)])
        self.assertEqual(self.created()[1]["codes"], {("motif", "caf", None)})
