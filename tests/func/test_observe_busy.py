"""Two carnet processes on one study: two observers code side by side; a
study locked by another program gives a clear message, records nothing
and shows nothing as recorded, rather than hanging."""
import sqlite3

from observe_util import ObserveTest


class TwoProcesses(ObserveTest):
    def test_two_observers_code_side_by_side_on_one_study(self):
        a = self.observe(observer="Élise")
        b = self.observe(observer="Bob", site="CDAS Nord")
        for n in range(1, 4):
            a.send("Space", "c", "j")
            b.send("Space", "p", "s")
            a.wait_for("#%d Public: Young person" % n)
            b.wait_for("#%d Public: Senior" % n)
            a.send("Enter")
            b.send("Enter")
            a.wait_for("Recorded #%d" % n)
            b.wait_for("Recorded #%d" % n)
        a.send("F10")
        b.send("F10")
        self.assertEqual((a.exit_status(), b.exit_status()), (0, 0))
        rows = self.sql("SELECT o.name, count(*), sum(i.ended_at IS NOT NULL) FROM interaction i"
                        " JOIN observer o ON o.id = i.observer_id GROUP BY o.name ORDER BY o.name")
        self.assertEqual(rows, [("Bob", 3, 3), ("Élise", 3, 3)])
        self.assertEqual(self.sql("SELECT count(*) FROM interaction_code ic JOIN interaction i"
                                  " ON i.id = ic.interaction_id JOIN observer o ON o.id = i.observer_id"
                                  " WHERE o.name = 'Bob' AND ic.code_id IN ('cpam', 'senior')"), [(6,)])
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE ended_at IS NOT NULL"), [(2,)])
        self.assert_intact()

    def test_a_locked_study_says_so_and_shows_nothing_as_recorded(self):
        t = self.observe()
        t.send("Space")
        t.wait_for("Started #1")
        other = sqlite3.connect(self.db, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            t.send("c")
            # The store waits 5 s for the lock, then gives up with a reason.
            s = t.wait_for("Not recorded:", timeout=20)
            self.assertIn("locked by another carnet", s.replace("\n ", " "))
            self.assertRegex(s, r"Motif\* +required")
            self.assertNotIn("*c CAF benefits", s)
        finally:
            other.execute("ROLLBACK")
            other.close()
        t.send("c")
        s = t.wait_for("#1 Motif: CAF benefits")
        t.send("Enter")
        t.wait_for("Recorded #1")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        r = self.created()[1]
        self.assertEqual(r["actions"], ["create", "code", "end"])
        self.assertEqual(r["codes"], {("motif", "caf", None)})
