"""The codebook editor, driven in a real terminal through tmux: add a code,
rename, retire, change a hotkey (a conflict is refused and explained), edit a
definition in the multi-line editor, save, and find the new version in the
study; a code in use cannot be deleted; the screen says when it is too small."""
import os

from harness import CARNET, CODEBOOKS, CarnetTest, Tmux

FS = os.path.join(CODEBOOKS, "france-services-mediation.yaml")


class Editor(CarnetTest):
    def start(self, *extra):
        t = Tmux([CARNET, "--db", self.db, "codebook", "edit"] + list(extra),
                 cwd=self.dir)
        self.addCleanup(t.close)
        t.wait_for("Codes of “Thème de l'aide”")
        return t

    def left(self, t, last_line):
        """Waits until the editor has ended, printing last_line (which says
        the path taken), with exit status 0."""
        t.wait_for(last_line)
        self.assertEqual(t.exit_status(), 0, t.screen())

    def record_interaction(self, code_id):
        """One interaction coded code_id on dimension theme, as the live
        coding screen would write it (doc/data-model.md)."""
        vid = self.sql("SELECT id FROM codebook_version ORDER BY seq DESC LIMIT 1")[0][0]
        self.sql_script(
            "INSERT INTO site VALUES ('s1', 'France Services Redon', '2026-09-14T09:00:00+02:00');"
            "INSERT INTO observer VALUES ('o1', 'Camille', '2026-09-14T09:00:00+02:00');"
            "INSERT INTO session (id, site_id, observer_id, codebook_version_id, started_at)"
            " VALUES ('se1', 's1', 'o1', '%s', '2026-09-14T09:00:00+02:00');"
            "INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id, started_at,"
            " ended_at, updated_at) VALUES ('i1', 'se1', 's1', 'o1', '%s', '2026-09-14T09:05:00+02:00',"
            " '2026-09-14T09:09:00+02:00', '2026-09-14T09:09:00+02:00');"
            "INSERT INTO interaction_code VALUES ('i1', 'theme', '%s', NULL);" % (vid, vid, code_id))

    def sql_script(self, script):
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            con.executescript(script)
        finally:
            con.close()

    def current(self, column, code_id):
        return self.sql("SELECT %s FROM code c JOIN codebook_version v ON v.id = c.version_id "
                        "WHERE c.id = ? ORDER BY v.seq DESC LIMIT 1" % column, (code_id,))[0][0]

    def test_add_rename_retire_rekey_define_and_save(self):
        self.init("--codebook", FS)
        t = self.start("--who", "Camille")
        t.send("Tab")  # to the codes of the first dimension, on th-famille

        # Add a code after th-famille: its label, then the proposed id.
        t.send("a")
        t.wait_for("new code: its label")
        t.send("Aide alimentaire", literal=True)
        t.send("Enter")
        t.wait_for("Proposed id below")
        self.assertIn("aide-alimentaire", t.screen())
        t.send("Enter")
        # The form of the new code opens, with a hotkey proposed from its
        # label: a and i are taken, d is free.
        t.wait_for("Code 'aide-alimentaire' added with hotkey 'd'")

        # Its four fields, in the multi-line editor.
        fields = [("Colis et bons alimentaires.", "Deuxième ligne : épicerie solidaire, cœur du quartier."),
                  ("La personne demande où obtenir une aide alimentaire.", None),
                  ("Demande d'aide financière générale (th-famille).", None),
                  ("Un homme demande l'adresse de l'épicerie sociale.", None)]
        t.send("Down", "Down")  # Label, Hotkey, Definition
        for first, second in fields:
            t.send("Enter")
            t.wait_for("Ctrl-S or F2 keep")
            t.send(first, literal=True)
            if second:
                t.send("Enter")
                t.send(second, literal=True)
            t.send("C-s")
            t.wait_gone("Ctrl-S or F2 keep")
            t.send("Down")
        t.send("Escape")
        t.wait_for("Codes of")

        # Rename th-sante (two rows down): the id stays.
        t.send("Down")
        t.wait_for("Definition [th-sante]")
        t.send("r")
        t.wait_for("Label — Santé (Assurance maladie)")
        t.send("C-u")
        t.send("Santé, Assurance maladie", literal=True)
        t.send("Enter")
        t.wait_for("Renamed; the id stays")

        # Retire th-emploi.
        t.send("Down")
        t.wait_for("Definition [th-emploi]")
        t.send("x")
        t.wait_for("Code 'th-emploi' retired")
        self.assertIn("Emploi (France Travail) (retired)", t.screen())

        # Give th-retraite the key of th-famille: refused and explained.
        t.send("Down")
        t.wait_for("Definition [th-retraite]")
        t.send("k")
        t.wait_for("Press the new hotkey")
        t.send("f")
        s = t.wait_for("is already the key of")
        self.assertIn("'f' is already the key of “Prestations familiales et solidarité", s.replace("\n", " "))
        t.send("9")
        t.wait_for("now has hotkey '9'")

        # Save, then leave.
        t.send("s")
        t.wait_for("Saved as a new version (codebook version 2)")
        t.send("q")
        self.left(t, "Saved the codebook as version 2.")

        self.assertEqual(self.sql("SELECT seq, version, saved_by FROM codebook_version ORDER BY seq"),
                         [(1, 1, None), (2, 2, "Camille")])
        self.assertEqual(self.current("hotkey", "aide-alimentaire"), "d")
        self.assertEqual(self.current("definition", "aide-alimentaire"),
                         "Colis et bons alimentaires.\nDeuxième ligne : épicerie solidaire, cœur du quartier.")
        self.assertEqual(self.current("example", "aide-alimentaire"), "Un homme demande l'adresse de l'épicerie sociale.")
        self.assertEqual(self.current("position", "aide-alimentaire"), 1)
        self.assertEqual(self.current("label", "th-sante"), "Santé, Assurance maladie")
        self.assertEqual(self.current("retired", "th-emploi"), 1)
        self.assertEqual(self.current("hotkey", "th-retraite"), "9")
        # Version 1 is as it was.
        self.assertEqual(self.sql("SELECT c.label, c.retired, c.hotkey FROM code c JOIN codebook_version v"
                                  " ON v.id = c.version_id WHERE v.seq = 1 AND c.id IN ('th-sante', 'th-emploi',"
                                  " 'th-retraite') ORDER BY c.position"),
                         [("Santé (Assurance maladie)", 0, "s"), ("Emploi (France Travail)", 0, "e"),
                          ("Retraite", 0, "r")])
        # The saved version is a valid codebook file.
        r = self.ok("codebook", "export", "-o", os.path.join(self.dir, "v2.yaml"))
        self.ok("codebook", "check", os.path.join(self.dir, "v2.yaml"), db=False)
        r = self.ok("codebook", "diff", "1", "2")
        self.assertIn("Code 'aide-alimentaire' added to dimension 'theme': 'Aide alimentaire'", r.stdout)
        self.assertIn("Code 'th-sante' of dimension 'theme' renamed: 'Santé (Assurance maladie)' → "
                      "'Santé, Assurance maladie'", r.stdout)
        self.assertIn("Code 'th-emploi' of dimension 'theme' retired", r.stdout)
        self.assertIn("Code 'th-retraite' of dimension 'theme': hotkey 'r' → '9'", r.stdout)

    def test_code_in_use_is_retired_never_deleted_and_unused_one_is(self):
        self.init("--codebook", FS)
        self.record_interaction("th-famille")
        t = self.start()
        t.send("Tab")
        t.send("d")
        s = t.wait_for("never deleted")
        self.assertIn("“Prestations familiales et solidarité (CAF, MSA)” is used by 1 recorded answers: it can be "
                      "retired (x), never deleted.", s.replace("\n ", " ").replace("\n", " "))
        # th-sante was never used: it can go.
        t.send("Down")
        t.wait_for("Definition [th-sante]")
        t.send("d")
        t.wait_for("Delete code “Santé (Assurance maladie)” (th-sante)?")
        t.send("y")
        t.wait_for("Code 'th-sante' deleted.")
        # Leaving with unsaved changes asks first.
        t.send("q")
        t.wait_for("unsaved changes")
        t.send("s")
        self.left(t, "Saved the codebook as version 2.")
        self.assertEqual(self.sql("SELECT count(*) FROM code c JOIN codebook_version v ON v.id = c.version_id"
                                  " WHERE v.seq = 2 AND c.id = 'th-sante'"), [(0,)])
        self.assertEqual(self.sql("SELECT count(*) FROM code c JOIN codebook_version v ON v.id = c.version_id"
                                  " WHERE v.seq = 2 AND c.id = 'th-famille'"), [(1,)])

    def test_invalid_codebook_is_not_saved_and_problems_are_listed(self):
        self.init("--codebook", FS)
        t = self.start()
        t.send("Tab", "a")
        t.wait_for("new code: its label")
        t.send("Sans définition", literal=True)
        t.send("Enter")
        t.wait_for("Proposed id below")
        t.send("Enter")
        t.wait_for("added with hotkey")
        t.send("Escape")
        t.send("s")
        s = t.wait_for("Fix these, then save again")
        self.assertIn("missing field 'definition' in code 'sans-definition'", s)
        t.send("Escape")
        t.send("q")
        t.wait_for("unsaved changes")
        t.send("d")
        self.left(t, "No change saved.")
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version"), [(1,)])

    def test_help_too_small_screen_and_reused_id(self):
        self.init("--codebook", FS)
        t = self.start()
        t.send("?")
        t.wait_for("retire, or restore")
        t.send("Space")
        t.wait_for("Codes of")
        t.resize(70, 20)
        t.wait_for("Terminal too small: 70x20")
        t.resize(80, 24)
        t.wait_for("Codes of")
        # An id of the codebook cannot be given to a new code.
        t.send("Tab", "a")
        t.wait_for("new code: its label")
        t.send("Retraite", literal=True)
        t.send("Enter")
        t.wait_for("Proposed id below")
        t.send("C-u")
        t.send("th-retraite", literal=True)
        t.send("Enter")
        t.wait_for("Code 'th-retraite' already exists")
        t.send("Escape")
        t.send("q")
        self.left(t, "No change saved.")

    def test_f10_and_ctrl_x_leave_the_editor_as_they_quit_the_other_screens(self):
        self.init("--codebook", FS)
        t = self.start()
        self.assertIn("F10 quit", t.screen().split("\n")[-2])
        t.send("F10")
        self.left(t, "No change saved.")
        t.close()
        # From the form, after a change: it asks first; from a text being
        # typed, it says to keep or drop the text, and leaves nothing half done.
        t = self.start()
        t.send("Tab", "Enter")
        t.wait_for("↑↓ choose a field")
        t.send("Enter")
        t.wait_for("⏎ keep   Esc cancel")
        t.send(" (famille)", literal=True)
        t.send("F10")
        t.wait_for("Keep the text (Ctrl-S or F2) or drop it (Esc) first")
        t.send("C-x")
        t.wait_for("Keep the text (Ctrl-S or F2) or drop it (Esc) first")
        t.send("Enter")  # a label is one line: Enter keeps it
        t.wait_for("↑↓ choose a field")
        t.send("C-x")
        t.wait_for("The codebook has unsaved changes.")
        t.send("F10")  # not an answer: the question stays
        t.send("Escape")
        t.wait_for("↑↓ choose a field")
        t.send("?")
        t.wait_for("leave the editor (asks first when changes are unsaved)")
        t.send("F10")
        t.wait_for("The codebook has unsaved changes.")
        t.send("d")
        self.left(t, "No change saved.")
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version"), [(1,)])

    def test_no_terminal_is_a_clear_error(self):
        self.init()
        r = self.carnet("codebook", "edit")
        self.assertEqual(r.returncode, 1)
        self.assertIn("needs a terminal", r.stderr)
