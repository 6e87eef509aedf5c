"""The field notes of a session, listed from its history: each with the
time it was begun, in that order, a long one wrapped under its time, so
that the observer can read again what they wrote."""
import re

from observe_util import ObserveTest

LONG = ("Les deux agents sont en formation jusqu'à midi : une seule personne à l'accueil, "
        "la file d'attente déborde dans le couloir et plusieurs visiteurs repartent sans être reçus.")


class FieldNotes(ObserveTest):
    def write_note(self, t, text):
        t.type(";")
        t.wait_for("Field note on the session (")
        t.type(text)
        t.send("Enter")
        return t.wait_for("Field note recorded")

    def test_the_history_lists_the_field_notes_in_the_order_written(self):
        t = self.observe()
        t.send("/")
        t.wait_for("History of the session: 0 interactions")
        t.send("Tab")
        s = t.wait_for("Field notes of the session: 0")
        self.assertIn("No field note yet.", s)
        t.send("Escape")
        t.wait_for("History of the session: 0 interactions")
        t.send("Escape")
        t.wait_for("Last interactions")

        self.write_note(t, "Réseau en panne depuis l'ouverture")
        t.send("Space", "c", "j", "Enter")
        t.wait_for("Recorded #1")
        t.send("/")
        t.wait_for("History of the session: 1 interaction \xb7 1 field note (Tab)")
        self.write_note(t, LONG)  # from the history too
        s = t.wait_for("History of the session: 1 interaction \xb7 2 field notes (Tab)")

        t.send("Tab")
        s = t.wait_for("Field notes of the session: 2")
        rows = s.split("\n")
        times = [(r[0], r[1]) for r in self.sql("SELECT created_at, text FROM session_note ORDER BY created_at")]
        self.assertEqual([x[1] for x in times], ["Réseau en panne depuis l'ouverture", LONG])
        first = [i for i, r in enumerate(rows) if "Réseau en panne" in r][0]
        second = [i for i, r in enumerate(rows) if "Les deux agents" in r][0]
        self.assertLess(first, second)
        self.assertEqual(rows[first], "  %s  Réseau en panne depuis l'ouverture" % times[0][0][11:19])
        self.assertTrue(rows[second].startswith("  %s  Les deux agents" % times[1][0][11:19]), rows[second])
        # The long one goes on under its text, not under the time.
        self.assertRegex(rows[second + 1], r"^ {12}\S")
        rest = " ".join(r.strip() for r in rows[second:second + 3])
        self.assertIn("repartent sans être reçus.", rest)
        self.assertIn("Esc close", rows[-2] if not rows[-1] else rows[-1])
        # Any key that does not scroll goes back to the history.
        t.send("Escape")
        t.wait_for("History of the session: 1 interaction")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        self.assertEqual(self.sql("SELECT count(*) FROM session_note"), [(2,)])
