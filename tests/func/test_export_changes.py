"""carnet export: the read-me says what changed between the codebook versions
in use during the selection (core/cb_diff.h), read back with openpyxl."""
import os
import sqlite3

from harness import CarnetTest, ROOT, french_env
from test_export import PARIS, load


class ReadMeChanges(CarnetTest):
    def setUp(self):
        super().setUp()
        v1 = open(os.path.join(ROOT, "codebooks", "labacces-accueil.yaml"), encoding="utf-8").read()
        self.init()
        # Version 1 in January, version 2 (CAF renamed, MSA retired) in
        # March, version 3 (only its number changes) in May.
        self.ok("demo", "--interactions", "60", "--seed", "1", "--from", "2026-01-05", "--days", "20", "--quiet",
                env=PARIS)
        v2 = v1.replace("version: 1", "version: 2", 1)
        v2 = v2.replace("label: CAF (RSA, prime d'activité, aides au logement)", "label: CAF renommée", 1)
        v2 = v2.replace("      - id: msa\n        key: m\n", "      - id: msa\n        retired: true\n", 1)
        self.ok("codebook", "import", self.write("v2.yaml", v2))
        self.ok("demo", "--interactions", "60", "--seed", "2", "--from", "2026-03-02", "--days", "20", "--quiet",
                env=PARIS)
        self.ok("codebook", "import", self.write("v3.yaml", v2.replace("version: 2", "version: 3", 1)))
        self.ok("demo", "--interactions", "60", "--seed", "3", "--from", "2026-05-04", "--days", "20", "--quiet",
                env=PARIS)

    def read_me(self, *args, env=None):
        out = os.path.join(self.dir, "out.xlsx")
        e = dict(PARIS)
        e.update(env or {})
        self.ok("export", "-o", out, "--force", *args, env=e)
        wb = load(out)
        return [r[:2] for r in wb.worksheets[0].iter_rows(values_only=True)]

    def section(self, rows, heading):
        """The values under a heading, up to the next heading."""
        at = [r[0] for r in rows].index(heading)
        out = []
        for label, value in rows[at + 1:]:
            if label:
                break
            if value is not None:
                out.append(value)
        return out

    def test_changes_between_consecutive_versions_in_use(self):
        rows = self.read_me()
        changes = self.section(rows, "What changed between the versions in use")
        self.assertEqual(changes, [
            "labacces-accueil version 1 → labacces-accueil version 2: 4 changes",
            "Codebook: version changed from '1' to '2'",
            "Code 'caf' of dimension 'demande' renamed: 'CAF (RSA, prime d'activité, aides au logement)' → "
            "'CAF renommée'",
            "Code 'msa' of dimension 'demande' retired",
            "Code 'msa' of dimension 'demande': hotkey 'm' → none",
            "labacces-accueil version 2 → labacces-accueil version 3: 1 change",
            "Codebook: version changed from '2' to '3'",
        ])
        # right after the versions in use
        labels = [r[0] for r in rows if r[0]]
        self.assertEqual(labels.index("What changed between the versions in use"),
                         labels.index("Codebook versions in use") + 1)

    def test_one_version_in_use_has_no_changes_and_unused_versions_are_passed_over(self):
        rows = self.read_me("--from", "2026-01-01", "--to", "2026-01-31")
        self.assertNotIn("What changed between the versions in use", [r[0] for r in rows])
        # With March's interactions deleted, version 2 is not in use: the
        # changes go from version 1 to version 3 at once.
        con = sqlite3.connect(self.db)
        con.execute("UPDATE interaction SET deleted = 1 WHERE started_at >= '2026-03' AND started_at < '2026-04'")
        con.commit()
        con.close()
        changes = self.section(self.read_me(), "What changed between the versions in use")
        self.assertEqual(changes, [
            "labacces-accueil version 1 → labacces-accueil version 3: 4 changes",
            "Codebook: version changed from '1' to '3'",
            "Code 'caf' of dimension 'demande' renamed: 'CAF (RSA, prime d'activité, aides au logement)' → "
            "'CAF renommée'",
            "Code 'msa' of dimension 'demande' retired",
            "Code 'msa' of dimension 'demande': hotkey 'm' → none",
        ])

    def test_in_french(self):
        rows = self.read_me(env=french_env())
        changes = self.section(rows, "Ce qui a changé entre les versions en usage")
        self.assertEqual(changes[0], "labacces-accueil version 1 → labacces-accueil version 2 : 4 changements")
        self.assertEqual(changes[5], "labacces-accueil version 2 → labacces-accueil version 3 : 1 changement")
