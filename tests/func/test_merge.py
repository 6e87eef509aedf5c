"""carnet merge: site files merged into a lead's study, end to end.

The older-schema source, the newer-schema refusal and the clash rules are
also checked in tests/unit/test_merge.c, which can build a schema-1 file
with the store's own first migration.
"""
import hashlib
import os
import shutil

from harness import CarnetTest, FR_CODEBOOK, french_env
from studygen import Study, at, uuid7_at

DEMANDES = ["caf", "cpam", "france-travail", "logement", "impots", "ants", "energie"]


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Merge(CarnetTest):
    def site_file(self, name, site, observer, n, day):
        """A laptop's study: one session of n coded interactions, a pause, a
        session note and one deleted interaction."""
        path = os.path.join(self.dir, name)
        self.ok("init", "--site", site, db=False, cwd=self.dir, env={"CARNET_DB": path})
        s = Study(path)
        ses = s.session(s.site(site), s.observer(observer), at(9, 0, day=day), at(12, 0, day=day))
        s.con.execute("INSERT INTO pause (id, session_id, started_at, ended_at) VALUES (?, ?, ?, ?)",
                      (uuid7_at(at(10, 30, day=day)), ses, at(10, 30, day=day), at(10, 40, day=day)))
        s.con.execute("INSERT INTO session_note (id, session_id, created_at, text) VALUES (?, ?, ?, ?)",
                      (uuid7_at(at(11, 0, day=day)), ses, at(11, 0, day=day), "file d'attente jusqu'à la porte"))
        ids = []
        for k in range(n):
            ids.append(s.interaction(ses, at(9, 5 + 4 * k, day=day), at(9, 8 + 4 * k, day=day),
                                     {"demande": DEMANDES[k % len(DEMANDES)], "public": "pub-rsa",
                                      "obstacle": ["obs-email", "obs-identifiants"] if k % 2 else ["obs-aucun"],
                                      "orientation": "ori-sur-place"},
                                     note="visite %d" % k if k % 5 == 0 else None))
        s.delete(ids[-1], at(11, 50, day=day))
        s.close()
        return path, ids

    def rows(self, db, sql):
        return set(self.sql(sql, db=db))

    def test_three_site_files_merged_twice_give_exactly_the_union(self):
        self.init()
        files = [self.site_file("rennes.db", "CDAS Rennes Nord", "Anne", 12, 14),
                 self.site_file("brest.db", "France Services Brest", "Bruno", 9, 15),
                 self.site_file("rennes2.db", "CDAS Rennes Nord", "Chloé", 7, 16)]
        paths = [p for p, _ in files]
        sums = {p: digest(p) for p in paths}
        listing = sorted(os.listdir(self.dir))
        r = self.ok("merge", *paths)
        self.assertIn("rennes.db — study 'rennes'", r.stdout)
        self.ok("merge", *paths)
        again = self.ok("merge", *paths)
        for line in again.stdout.split("\n")[5:]:
            cells = line.split()
            if len(cells) >= 5 and cells[-4].isdigit():
                self.assertEqual(cells[-4:-2], ["0", "0"], line)  # nothing added, nothing updated
        # Exactly the union, row for row.
        for table, cols in (("interaction", "id, session_id, started_at, ended_at, deleted, note, incomplete"),
                            ("interaction_code", "interaction_id, dimension_id, code_id, other_text"),
                            ("audit", "id, interaction_id, at, who, action, before, after"),
                            ("session", "id, started_at, ended_at"), ("pause", "id, session_id, ended_at"),
                            ("session_note", "id, session_id, text")):
            want = set()
            for p in paths:
                want |= self.rows(p, "SELECT %s FROM %s" % (cols, table))
            self.assertEqual(self.rows(self.db, "SELECT %s FROM %s" % (cols, table)), want, table)
        # Sites by name: Rennes once, whatever each laptop's UUID for it.
        self.assertEqual(sorted(n for (n,) in self.sql("SELECT name FROM site")),
                         ["CDAS Rennes Nord", "France Services Brest"])
        rennes = self.sql("SELECT id FROM site WHERE name = 'CDAS Rennes Nord'")[0][0]
        self.assertEqual(self.sql("SELECT count(DISTINCT site_id) FROM interaction i JOIN observer o "
                                  "ON o.id = i.observer_id WHERE o.name IN ('Anne', 'Chloé')"), [(1,)])
        self.assertEqual(self.sql("SELECT count(*) FROM session WHERE site_id = ?", (rennes,)), [(2,)])
        # One codebook version: the four identical ones are one.
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version"), [(1,)])
        self.assertEqual(self.sql("PRAGMA foreign_key_check"), [])
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])
        # Sources untouched, and nothing left beside them.
        for p in paths:
            self.assertEqual(digest(p), sums[p], p)
        self.assertEqual(sorted(os.listdir(self.dir)), listing)

    def edit_both(self):
        """Merges a.db, then edits interactions in both files."""
        self.init()
        a, ids = self.site_file("a.db", "CDAS Rennes Nord", "Anne", 6, 14)
        self.ok("merge", a)
        x, y, z, w = ids[:4]
        lead, field = Study(self.db), Study(a)
        lead.edit(x, at(15, 0), {"demande": "cpam"}, who="Lead")
        field.edit(x, at(16, 0), {"demande": "logement"})
        lead.edit(y, at(17, 0), {"demande": "impots"}, who="Lead")
        field.edit(y, at(16, 30), {"demande": "energie"})
        field.edit(z, at(16, 0), {"demande": "ants"})
        # Same second on both sides: the audit row's UUID v7 (milliseconds)
        # decides.
        lead.edit(w, at(18, 0), {"demande": "retraite"}, who="Lead", aid=uuid7_at(at(18, 0), 100))
        field.edit(w, at(18, 0), {"demande": "msa"}, aid=uuid7_at(at(18, 0), 900))
        lead.close()
        field.close()
        return a, x, y, z, w

    def demande(self, i):
        return self.sql("SELECT code_id FROM interaction_code WHERE interaction_id = ? AND dimension_id = 'demande'",
                        (i,))[0][0]

    def test_conflicting_edits_the_latest_change_wins_and_is_reported(self):
        a, x, y, z, w = self.edit_both()
        r = self.ok("merge", a)
        self.assertEqual(self.demande(x), "logement")  # theirs, 16:00 after 15:00
        self.assertEqual(self.demande(y), "impots")    # ours, 17:00 after 16:30
        self.assertEqual(self.demande(z), "ants")      # only theirs changed: no conflict
        self.assertEqual(self.demande(w), "msa")       # same second, later UUID
        row = [l for l in r.stdout.split("\n") if l.strip().startswith("interactions")][0].split()
        self.assertEqual(row[1:], ["0", "3", "3", "3"])  # added, updated (x, z, w), skipped, conflicts
        tail = r.stdout.split("Interactions edited on both sides")[1]
        for i in (x, y, w):
            self.assertIn(i, tail)
        self.assertNotIn(z, tail)
        self.assertIn("%s (Lead)" % at(15, 0), tail)
        self.assertIn("%s (Anne)" % at(16, 0), tail)
        # Both histories are kept, and the merge says what it changed.
        actions = self.sql("SELECT who, action FROM audit WHERE interaction_id = ? ORDER BY seq", (x,))
        self.assertIn(("Lead", "code"), actions)
        self.assertIn(("Anne", "code"), actions)
        self.assertEqual(actions[-1], ("merge", "merge"))
        before, after = self.sql("SELECT before, after FROM audit WHERE interaction_id = ? AND action = 'merge'",
                                 (x,))[0]
        self.assertIn('"code":"cpam"', before)
        self.assertIn('"code":"logement"', after)
        # Merging again changes nothing: the merge rows are not edits.
        again = self.ok("merge", a)
        row = [l for l in again.stdout.split("\n") if l.strip().startswith("interactions")][0].split()
        self.assertEqual(row[1:3], ["0", "0"])
        self.assertEqual(self.demande(x), "logement")

    def test_a_codebook_clash_is_reported_and_nothing_is_merged(self):
        self.init()
        with open(FR_CODEBOOK, encoding="utf-8") as f:
            text = f.read()
        # The same version 1, but 'caf' now means something else.
        other = self.write("autre.yaml", text.replace("label: CAF (RSA, prime d'activité, aides au logement)",
                                                      "label: Caisse d'allocations familiales uniquement"))
        b = os.path.join(self.dir, "b.db")
        self.ok("init", "--codebook", other, db=False, env={"CARNET_DB": b})
        a, _ = self.site_file("a.db", "CDAS Rennes Nord", "Anne", 3, 14)
        r = self.carnet("merge", a, b)
        self.assertEqual(r.returncode, 1)
        self.assertIn("carnet: the codebooks clash: nothing was merged", r.stderr)
        self.assertIn("%s: codebook labacces-accueil version 1: code 'caf' is labelled "
                      "\"Caisse d'allocations familiales uniquement\" there" % b, r.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM interaction"), [(0,)])
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version"), [(1,)])

    def test_a_newer_file_or_a_missing_one_is_refused_in_one_line(self):
        self.init()
        a, _ = self.site_file("a.db", "CDAS Rennes Nord", "Anne", 3, 14)
        newer = os.path.join(self.dir, "newer.db")
        shutil.copy(a, newer)
        self.sql("PRAGMA user_version = 99", db=newer)
        r = self.carnet("merge", a, newer)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.count("\n"), 1)
        self.assertIn("%s: this study was written by a newer carnet (schema 99" % newer, r.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM interaction"), [(0,)])
        r = self.carnet("merge", os.path.join(self.dir, "absent.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("absent.db: cannot read: No such file or directory", r.stderr)
        r = self.carnet("merge")
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: carnet merge FILE...", r.stderr)

    def test_merged_studies_feed_the_agreement_report(self):
        self.init()
        a, _ = self.site_file("a.db", "CDAS Rennes Nord", "Anne", 5, 14)
        b, _ = self.site_file("b.db", "CDAS Rennes Nord", "Bruno", 5, 14)
        self.ok("merge", a, b)
        r = self.ok("agreement")
        # The last interaction of each was deleted: four units.
        self.assertIn("Units matched: 4 (Anne × Bruno: 4)", r.stdout)

    def test_french_summary(self):
        self.init()
        a, _ = self.site_file("a.db", "CDAS Rennes Nord", "Anne", 3, 14)
        r = self.ok("merge", a, env=french_env())
        self.assertIn("Fusionné dans", r.stdout)
        self.assertIn("AJOUTÉS", r.stdout)
        self.assertIn("interactions", r.stdout)
