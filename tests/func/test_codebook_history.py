"""A study whose codebook is edited three times mid-study (twice by import,
once in the editor) still attributes every earlier interaction to its
original code id and codebook version, and a version that would drop a code
in use is refused."""
import json
import os
import sqlite3

from harness import CARNET, CODEBOOKS, CarnetTest, Tmux

FS = os.path.join(CODEBOOKS, "france-services-mediation.yaml")


class History(CarnetTest):
    n = 0

    def record(self, theme, nature="aide-faire-pour"):
        """Records one ended interaction on the current codebook version, as
        doc/data-model.md says a writer must: UUID-like ids, local times with
        offset, its codes, and its audit row."""
        History.n += 1
        i = History.n
        vid, seq = self.sql("SELECT id, seq FROM codebook_version ORDER BY seq DESC LIMIT 1")[0]
        iid = "0192f000-0000-7000-8000-%012d" % i
        start = "2026-09-14T09:%02d:00+02:00" % i
        end = "2026-09-14T09:%02d:30+02:00" % i
        codes = sorted([("nature", nature, None), ("theme", theme, None)])
        snapshot = {"id": iid, "session": "se1", "codebook_version": vid, "started_at": start, "ended_at": end,
                    "incomplete": 1, "tally": 0, "deleted": 0, "paused_seconds": 0, "note": None,
                    "codes": [{"dimension": d, "code": c, "other": o} for d, c, o in codes], "texts": []}
        con = sqlite3.connect(self.db)
        try:
            with con:
                if i == 1 or not con.execute("SELECT 1 FROM session WHERE id = 'se1'").fetchall():
                    con.execute("INSERT INTO site VALUES ('s1', 'France Services Redon', ?)", (start,))
                    con.execute("INSERT INTO observer VALUES ('o1', 'Camille', ?)", (start,))
                    con.execute("INSERT INTO session (id, site_id, observer_id, codebook_version_id, started_at)"
                                " VALUES ('se1', 's1', 'o1', ?, ?)", (vid, start))
                # incomplete: autonomie and suite, required, are not answered.
                con.execute("INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id,"
                            " started_at, ended_at, incomplete, updated_at) VALUES (?, 'se1', 's1', 'o1', ?, ?, ?, 1,"
                            " ?)", (iid, vid, start, end, end))
                for d, c, o in codes:
                    con.execute("INSERT INTO interaction_code VALUES (?, ?, ?, ?)", (iid, d, c, o))
                con.execute("INSERT INTO audit (id, interaction_id, at, who, action, before, after) VALUES"
                            " (?, ?, ?, 'Camille', 'create', NULL, ?)",
                            ("0192f000-0000-7000-9000-%012d" % i, iid, start, json.dumps(snapshot)))
        finally:
            con.close()
        return iid, seq

    def import_edit(self, name, *replacements):
        """Exports the current codebook, edits its text, imports it back."""
        r = self.ok("codebook", "export")
        text = r.stdout
        for old, new in replacements:
            self.assertIn(old, text)
            text = text.replace(old, new, 1)
        self.ok("codebook", "import", self.write(name, text))

    def label_then(self, iid):
        """The interaction's theme code and its label in the version it was
        coded with."""
        return self.sql("SELECT ic.code_id, c.label, v.seq FROM interaction i"
                        " JOIN interaction_code ic ON ic.interaction_id = i.id AND ic.dimension_id = 'theme'"
                        " JOIN codebook_version v ON v.id = i.codebook_version_id"
                        " JOIN code c ON c.version_id = i.codebook_version_id AND c.id = ic.code_id"
                        " WHERE i.id = ?", (iid,))[0]

    def test_old_interactions_keep_their_code_and_version_through_three_edits(self):
        self.init("--codebook", FS)
        i1, _ = self.record("th-sante")
        i2, _ = self.record("th-emploi")
        i3, _ = self.record("th-famille", "aide-montrer")

        # Edit 1: th-sante renamed (and the author's version raised).
        self.import_edit("v2.yaml", ("label: Santé (Assurance maladie)", "label: Assurance maladie (ameli, C2S)"),
                         ("version: 1\n", "version: 2\n"))
        i4, _ = self.record("th-sante")
        i5, _ = self.record("th-numerique")

        # Edit 2: a new code at the top of the dimension.
        self.import_edit("v3.yaml", ("version: 2\n", "version: 3\n"),
                         ("    codes:\n", "    codes:\n      - id: th-alimentation\n        key: v\n"
                                        "        label: Aide alimentaire\n        definition: Colis, bons.\n"
                                        "        when_to_use: w\n        when_not_to_use: wn\n"
                                        "        example: ex\n"))
        i6, _ = self.record("th-alimentation")

        # Edit 3, in the editor: give th-sante the key 'h' and retire
        # th-emploi (the third and fourth codes now).
        t = Tmux([CARNET, "--db", self.db, "codebook", "edit", "--who", "Camille"], cwd=self.dir)
        self.addCleanup(t.close)
        t.wait_for("Codes of “Thème de l'aide”")
        t.send("Tab", "Down", "Down")
        t.wait_for("Definition [th-sante]")
        t.send("k", "h")
        t.wait_for("now has hotkey 'h'")
        t.send("Down")
        t.wait_for("Definition [th-emploi]")
        t.send("x")
        t.wait_for("Code 'th-emploi' retired")
        t.send("s")
        t.wait_for("Saved as a new version")
        t.send("q")
        t.wait_for("Saved the codebook as version 4.")
        self.assertEqual(t.exit_status(), 0, t.screen())
        i7, _ = self.record("th-sante")

        # A version that drops th-emploi, which interactions use, is refused.
        text = self.ok("codebook", "export").stdout
        start = text.index("      - id: th-emploi\n")
        stop = text.index("      - id: th-retraite\n")
        r = self.carnet("codebook", "import", self.write("drop.yaml", text[:start] + text[stop:]))
        self.assertEqual(r.returncode, 1)
        self.assertIn("code 'th-emploi' of dimension 'theme' is used by 1 interactions and cannot be removed; "
                      "retire it instead (retired: true)", r.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version"), [(4,)])

        # Every interaction keeps the version it was coded with and reads
        # under its code's meaning at the time.
        self.assertEqual(self.label_then(i1), ("th-sante", "Santé (Assurance maladie)", 1))
        self.assertEqual(self.label_then(i2), ("th-emploi", "Emploi (France Travail)", 1))
        self.assertEqual(self.label_then(i3), ("th-famille", "Prestations familiales et solidarité (CAF, MSA)", 1))
        self.assertEqual(self.label_then(i4), ("th-sante", "Assurance maladie (ameli, C2S)", 2))
        self.assertEqual(self.label_then(i5), ("th-numerique", "Usages numériques de base", 2))
        self.assertEqual(self.label_then(i6), ("th-alimentation", "Aide alimentaire", 3))
        self.assertEqual(self.label_then(i7), ("th-sante", "Assurance maladie (ameli, C2S)", 4))
        # Counting by code id across versions (doc/data-model.md, rule 4)
        # puts the renamed code's interactions together, under the label of
        # the latest version that has the code; the retired code is still
        # there to be labelled.
        counts = self.sql(
            "SELECT ic.code_id, count(*), (SELECT c.label FROM code c JOIN codebook_version v ON v.id = c.version_id"
            "  WHERE c.id = ic.code_id ORDER BY v.seq DESC LIMIT 1),"
            " (SELECT c.retired FROM code c JOIN codebook_version v ON v.id = c.version_id"
            "  WHERE c.id = ic.code_id ORDER BY v.seq DESC LIMIT 1)"
            " FROM interaction_code ic JOIN interaction i ON i.id = ic.interaction_id"
            " WHERE ic.dimension_id = 'theme' AND i.deleted = 0 GROUP BY ic.code_id ORDER BY ic.code_id")
        self.assertEqual(counts, [("th-alimentation", 1, "Aide alimentaire", 0),
                                  ("th-emploi", 1, "Emploi (France Travail)", 1),
                                  ("th-famille", 1, "Prestations familiales et solidarité (CAF, MSA)", 0),
                                  ("th-numerique", 1, "Usages numériques de base", 0),
                                  ("th-sante", 3, "Assurance maladie (ameli, C2S)", 0)])
        # Nothing about earlier versions changed: each still shows as it was.
        r = self.ok("codebook", "show", "--version", "1")
        self.assertIn("th-sante", r.stdout)
        self.assertIn("Santé (Assurance maladie)", r.stdout)
        self.assertNotIn("retired", r.stdout)
        r = self.ok("codebook", "diff", "1", "4")
        for line in ("Codebook: version changed from '1' to '4'",
                     "Code 'th-alimentation' added to dimension 'theme': 'Aide alimentaire'",
                     "Code 'th-sante' of dimension 'theme' renamed: 'Santé (Assurance maladie)' → "
                     "'Assurance maladie (ameli, C2S)'",
                     "Code 'th-sante' of dimension 'theme': hotkey 's' → 'h'",
                     "Code 'th-emploi' of dimension 'theme' retired"):
            self.assertIn(line + "\n", r.stdout)
        self.assertEqual(self.sql("SELECT seq, saved_by FROM codebook_version ORDER BY seq"),
                         [(1, None), (2, None), (3, None), (4, "Camille")])
