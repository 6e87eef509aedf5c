"""`make run`'s script, tests/demo-run.sh: on a fresh folder it creates the
demo study, fills it with synthetic interactions and opens the coding
screen, where a visitor can be coded at once; the second time it reuses the
study."""
import os

from harness import ROOT, CarnetTest, Tmux


class MakeRun(CarnetTest):
    def run_script(self):
        t = Tmux(["sh", os.path.join(ROOT, "tests", "demo-run.sh")],
                 env={"CARNET_DEMO_DIR": self.dir, "CARNET_OBSERVER": "Élise"}, cwd=self.dir)
        self.addCleanup(t.close)
        return t

    def test_opens_the_coding_screen_on_a_populated_demo_study(self):
        t = self.run_script()
        t.wait_for("Space starts", timeout=60)
        db = os.path.join(self.dir, "carnet.db")
        self.assertEqual(self.sql("SELECT name FROM study", db=db), [("Démo LabAccès",)])
        self.assertEqual(self.sql("SELECT count(*) FROM interaction", db=db), [(3000,)])
        self.assertEqual(oct(os.stat(db).st_mode & 0o777), "0o600")
        t.send("Space")
        t.wait_for("1 interaction")
        t.send("c")
        t.wait_for("CAF")
        t.send("Enter")
        t.wait_for("Recorded #1")
        t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        rows = self.sql("SELECT i.started_at IS NOT NULL, o.name, s.name FROM interaction i"
                        " JOIN observer o ON o.id = i.observer_id JOIN site s ON s.id = i.site_id"
                        " JOIN interaction_code c ON c.interaction_id = i.id"
                        " WHERE o.name = 'Élise' AND c.code_id = 'caf'", db=db)
        self.assertEqual(rows, [(1, "Élise", "France Services Vitré")])
        # a second run reuses the study and adds nothing synthetic
        t2 = self.run_script()
        t2.wait_for("Space starts", timeout=30)
        t2.send("F10")
        self.assertEqual(t2.exit_status(), 0)
        self.assertEqual(self.sql("SELECT count(*) FROM interaction", db=db), [(3001,)])
