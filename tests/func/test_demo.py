"""carnet demo: creates the study when missing, reproducible with --seed,
clear errors on bad options."""
import os

from harness import CarnetTest


class Demo(CarnetTest):
    def content(self, db):
        return self.sql("SELECT i.started_at, i.ended_at, i.tally, i.deleted, i.incomplete, coalesce(i.note, ''),"
                        " s.name, o.name, (SELECT group_concat(code_id, ' ') FROM (SELECT code_id FROM"
                        " interaction_code c WHERE c.interaction_id = i.id ORDER BY code_id))"
                        " FROM interaction i JOIN site s ON s.id = i.site_id JOIN observer o ON o.id = i.observer_id"
                        " ORDER BY i.started_at, 9", db=db)

    def test_demo_creates_the_study_and_the_same_seed_gives_the_same_interactions(self):
        r = self.ok("demo", "--interactions", "300", "--sites", "2", "--seed", "3", "--from", "2026-01-05",
                    env={"TZ": "Europe/Paris"})
        self.assertIn("Created study", r.stdout)
        self.assertIn("Added 300 demo interactions", r.stdout)
        self.assertEqual(self.sql("SELECT count(*) FROM interaction"), [(300,)])
        self.assertEqual(self.sql("SELECT count(*) FROM site"), [(2,)])
        self.assertEqual(self.sql("SELECT count(*) FROM observer"), [(4,)])
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])
        other = os.path.join(self.dir, "other.db")
        self.ok("--db", other, "demo", "--interactions", "300", "--sites", "2", "--seed", "3", "--from",
                "2026-01-05", db=False, env={"TZ": "Europe/Paris"})
        self.assertEqual(self.content(self.db), self.content(other))
        ids = {x for (x,) in self.sql("SELECT id FROM interaction")}
        self.assertFalse(ids & {x for (x,) in self.sql("SELECT id FROM interaction", db=other)})
        # a second run adds to the study
        self.ok("demo", "--interactions", "50", "--quiet")
        self.assertEqual(self.sql("SELECT count(*) FROM interaction"), [(350,)])

    def test_bad_options_are_usage_errors(self):
        for args in (("--interactions", "-1"), ("--sites", "0"), ("--seed", "x"), ("--bogus",)):
            r = self.carnet("demo", *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("usage: carnet demo", r.stderr)
        r = self.carnet("demo", "--from", "2026-02-30")
        self.assertEqual(r.returncode, 1)
        self.assertIn("invalid date '2026-02-30'", r.stderr)
        self.assertFalse(os.path.exists(self.db))
