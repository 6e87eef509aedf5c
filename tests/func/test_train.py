"""carnet train: a trainee's run driven in a real terminal (tmux), its
score screen, the printed report with the codebook entries of every
disagreement, and the stored runs a trainer compares."""
import os

import yaml

from harness import CarnetTest, CARNET, FR_CODEBOOK, Tmux, french_env

VIGNETTES = """carnet_vignettes: 1
codebook: labacces-accueil
title: Trois passages
vignettes:
  - id: tp1
    title: Carte Vitale perdue
    text: Un homme de 71 ans a perdu sa carte Vitale ; il n'a pas d'adresse e-mail. L'agent commande la carte avec lui.
    reference: {demande: cpam, public: pub-age, obstacle: [obs-email], orientation: ori-sur-place}
  - id: tp2
    title: Courrier de taxe foncière
    text: Une femme de 66 ans veut comprendre un courrier papier des impôts ; rien à faire en ligne.
    reference: {demande: impots, public: pub-age, obstacle: [obs-aucun], orientation: ori-sur-place}
    explanation: 66 ans, c'est pub-age.
  - id: tp3
    title: Radiation
    text: Un demandeur d'emploi de 23 ans a été radié et bloque à l'étape FranceConnect ; rendez-vous pris mardi.
    reference: {demande: france-travail, public: pub-demandeur-emploi, obstacle: [obs-langage, obs-authentification], orientation: ori-rdv}
"""

with open(FR_CODEBOOK, encoding="utf-8") as f:
    CODEBOOK = yaml.safe_load(f)
KEYS = {(d["id"], c["id"]): str(c["key"]) for d in CODEBOOK["dimensions"] for c in d.get("codes", [])}
DIMS = [(d["id"], d["mode"]) for d in CODEBOOK["dimensions"] if d["mode"] != "text"]


class Training(CarnetTest):
    def setUp(self):
        super().setUp()
        self.init()
        self.file = self.write("trois.vignettes.yaml", VIGNETTES)

    def start(self, *extra, env=None, width=80, height=24):
        t = Tmux([CARNET, "--db", self.db, "train", self.file] + list(extra), width, height, env=env, cwd=self.dir)
        self.addCleanup(t.close)
        return t

    def finish(self, t):
        """Waits for the program to end; returns its exit status and all
        that the pane shows, scrolled-off lines included (the report)."""
        return t.exit_status(20), t.history()

    def code(self, t, coding):
        """Types a coding as the trainee would: a hotkey per single-choice
        dimension (which moves on), hotkeys then Tab for a multiple-choice
        one, then Enter."""
        for dim, mode in DIMS:
            value = coding.get(dim, [] if mode == "multiple" else None)
            if mode == "single":
                if value:
                    t.send(KEYS[(dim, value)], literal=True)
                else:
                    t.send("Tab")
            else:
                for code in value:
                    t.send(KEYS[(dim, code)], literal=True)
                t.send("Tab")
        t.send("Enter")

    def test_a_run_gives_a_score_and_every_disagreement_with_the_codebook_entries(self):
        t = self.start("--trainee", "Léa")
        t.wait_for("tp1 — Carte Vitale perdue")
        s = t.screen()
        self.assertIn("vignette 1/3 · Léa", s)
        self.assertIn("[p] CPAM / Assurance mal", s)
        self.code(t, {"demande": "cpam", "public": "pub-age", "obstacle": ["obs-email"],
                      "orientation": "ori-sur-place"})
        t.wait_for("tp2 — Courrier de taxe foncière")
        # The wrong public, then the right rest.
        self.code(t, {"demande": "impots", "public": "pub-rsa", "obstacle": ["obs-aucun"],
                      "orientation": "ori-sur-place"})
        t.wait_for("tp3 — Radiation")
        # One obstacle missing, the wrong orientation.
        self.code(t, {"demande": "france-travail", "public": "pub-demandeur-emploi", "obstacle": ["obs-langage"],
                      "orientation": "ori-organisme"})
        score = t.wait_for("vignettes answered")
        self.assertIn("Léa: 3 vignettes answered; exactly as the reference: 1.", score)
        self.assertIn("Type de demande", score)
        self.assertIn("3/3 (100.0%)", score)
        self.assertIn("2/3 (66.7%)", score)
        self.assertIn("Disagreements: 3", score)
        self.assertIn("tp2 · Public: pub-age (reference) / pub-rsa (yours)", score)
        t.send("Enter")
        rc, out = self.finish(t)
        self.assertEqual(rc, 0)
        self.assertIn("Training report — Léa — Trois passages", out)
        self.assertIn("3 of 3 vignettes answered; exactly as the reference: 1.", out)
        report = out.split("Disagreements: 3")[1]
        # Each disagreement: the vignette, both codings, the codebook entries.
        self.assertIn("tp2 — Courrier de taxe foncière", report)
        self.assertIn("Une femme de 66 ans veut comprendre un courrier papier", report)
        self.assertIn("Trainer's note: 66 ans, c'est pub-age.", report)
        self.assertIn("reference: pub-age — Personne âgée (65 ans et plus)", report)
        self.assertIn("trainee:   pub-rsa — Allocataire du RSA", report)
        self.assertIn("Definition: Personne de 65 ans ou plus", report)
        self.assertIn("When not to use: Bénéficiaire de la seule prime d'activité", report)
        self.assertIn("reference: obs-langage — Langage administratif; obs-authentification", report)
        self.assertIn("obs-authentification — Double authentification ou FranceConnect", report)
        self.assertIn("trainee:   ori-organisme — Orienté vers l'organisme", report)
        self.assertNotIn("tp1 — Carte Vitale", report)
        # The study keeps the run.
        run = self.sql("SELECT id, trainee, ended_at IS NOT NULL, title, source IS NOT NULL FROM training_run")
        self.assertEqual(len(run), 1)
        self.assertEqual(run[0][1:], ("Léa", 1, "Trois passages", 1))
        self.assertEqual(self.sql("SELECT vignette_id FROM training_vignette ORDER BY position"),
                         [("tp1",), ("tp2",), ("tp3",)])
        self.assertEqual(self.sql("SELECT code_id FROM training_answer WHERE vignette_id = 'tp3' ORDER BY code_id"),
                         [("france-travail",), ("obs-langage",), ("ori-organisme",), ("pub-demandeur-emploi",)])

    def test_an_empty_dimension_asks_for_confirmation_and_f10_keeps_what_was_done(self):
        t = self.start("--trainee", "Noé")
        t.wait_for("tp1 — Carte Vitale perdue")
        t.send("p", literal=True)
        t.send("Enter")
        t.wait_for("Public has no code: Enter again to go on anyway")
        t.send("Enter")
        t.wait_for("tp2 — Courrier")
        t.send("z", literal=True)
        t.wait_for("no code of Type de demande has the key 'z'")
        t.send("F10")
        rc, out = self.finish(t)
        self.assertEqual(rc, 0)
        self.assertIn("1 of 3 vignettes answered; exactly as the reference: 0.", out)
        self.assertIn("The run was left before the end", out)
        self.assertIn("trainee:   (no code)", out)
        self.assertEqual(self.sql("SELECT ended_at FROM training_run"), [(None,)])
        self.assertEqual(self.sql("SELECT code_id FROM training_answer"), [("cpam",)])
        r = self.ok("train", "--report")
        self.assertIn("1/3*", r.stdout)

    def test_ctrl_x_quits_as_f10_does(self):
        t = self.start("--trainee", "Noé")
        t.wait_for("tp1 — Carte Vitale perdue")
        t.send("C-c")
        t.wait_for("F10 (or Ctrl-X) quits; the vignettes you finished are saved")
        t.send("C-x")
        rc, out = self.finish(t)
        self.assertEqual(rc, 0)
        self.assertIn("0 of 3 vignettes answered", out)

    def test_runs_are_listed_side_by_side_and_reported_after_the_file_is_gone(self):
        for who, public in (("Léa", "pub-age"), ("Sami", "pub-rsa")):
            t = self.start("--trainee", who)
            for vid, coding in (("tp1", {"demande": "cpam", "public": public, "obstacle": ["obs-email"],
                                         "orientation": "ori-sur-place"}),
                                ("tp2", {"demande": "impots", "public": "pub-age", "obstacle": ["obs-aucun"],
                                         "orientation": "ori-sur-place"}),
                                ("tp3", {"demande": "france-travail", "public": "pub-demandeur-emploi",
                                         "obstacle": ["obs-langage", "obs-authentification"],
                                         "orientation": "ori-rdv"})):
                t.wait_for(vid + " — ")
                self.code(t, coding)
            t.wait_for("vignettes answered")
            t.send("Enter")
            self.assertEqual(self.finish(t)[0], 0)
        os.unlink(self.file)
        r = self.ok("train", "--report")
        lines = r.stdout.split("\n")
        self.assertIn("public (% / kappa)", lines[0])
        lea = [l for l in lines if " Léa " in l and "Trois passages" in l][0]
        sami = [l for l in lines if " Sami " in l and "Trois passages" in l][0]
        self.assertIn("3/3", lea)
        self.assertIn("100% / 1.00", lea)
        self.assertIn("67% / ", sami)
        r = self.ok("train", "--report", "--trainee", "Sami")
        self.assertNotIn(" Léa ", r.stdout)
        run = self.sql("SELECT id FROM training_run WHERE trainee = 'Sami'")[0][0]
        r = self.ok("train", "--report", "--run", run[:30])
        self.assertIn("Training report — Sami — Trois passages", r.stdout)
        self.assertIn("Disagreements: 1", r.stdout)
        self.assertIn("trainee:   pub-rsa — Allocataire du RSA", r.stdout)
        r = self.carnet("train", "--report", "--run", "ffff")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no training run 'ffff'", r.stderr)

    def test_the_screen_fits_80x24_in_french_and_says_when_it_is_too_small(self):
        t = self.start("--trainee", "Léa", env=french_env())
        s = t.wait_for("tp1 — Carte Vitale perdue")
        self.assertIn("formation", s)
        lines = s.split("\n")
        self.assertTrue(lines[-2].lstrip().startswith("touche"), s)
        t.resize(70, 20)
        t.wait_for("trop petit")
        t.send("p", literal=True)  # not acted on: nothing is shown to act on
        t.resize(80, 24)
        s = t.wait_for("tp1 — Carte Vitale perdue")
        self.assertIn("▶ Type de demande     —", s)
        t.resize(70, 20)
        t.wait_for("trop petit")
        t.send("F10")
        rc, out = self.finish(t)
        self.assertEqual(rc, 0)
        self.assertIn("Rapport de formation — Léa", out)

    def test_runs_merge_into_the_lead_study(self):
        t = self.start("--trainee", "Léa")
        for vid in ("tp1", "tp2", "tp3"):
            t.wait_for(vid + " — ")
            self.code(t, {"demande": "cpam", "public": "pub-age", "obstacle": ["obs-aucun"],
                          "orientation": "ori-sur-place"})
        t.wait_for("vignettes answered")
        t.send("Enter")
        self.assertEqual(self.finish(t)[0], 0)
        lead = os.path.join(self.dir, "lead.db")
        self.ok("init", db=False, env={"CARNET_DB": lead})
        r = self.ok("merge", self.db, db=False, env={"CARNET_DB": lead})
        row = [l for l in r.stdout.split("\n") if l.strip().startswith("training runs")][0].split()
        self.assertEqual(row[2:], ["1", "0", "0", "0"])
        r = self.ok("merge", self.db, db=False, env={"CARNET_DB": lead})
        row = [l for l in r.stdout.split("\n") if l.strip().startswith("training runs")][0].split()
        self.assertEqual(row[2:], ["0", "0", "1", "0"])
        r = self.ok("train", "--report", db=False, env={"CARNET_DB": lead})
        self.assertIn("Léa", r.stdout)
        self.assertIn("3/3", r.stdout)

    def test_check_and_usage_errors(self):
        r = self.carnet("train", "--check", self.file)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ok (3 vignettes, codebook labacces-accueil version 1)", r.stderr)
        shipped = os.path.join(os.path.dirname(FR_CODEBOOK), "labacces-accueil.vignettes.yaml")
        self.ok("train", "--check", shipped)
        bad = self.write("bad.yaml", VIGNETTES.replace("orientation: ori-rdv", "orientation: ori-nulle-part"))
        r = self.carnet("train", "--check", bad)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"bad\.yaml:17:\d+: unknown code 'ori-nulle-part' in dimension 'orientation'")
        r = self.carnet("train", bad, "--trainee", "X")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.sql("SELECT count(*) FROM training_run"), [(0,)])
        r = self.carnet("train", self.file)
        self.assertEqual(r.returncode, 1)
        self.assertIn("give --trainee NAME", r.stderr)
        r = self.carnet("train", self.file, "--trainee", "Léa")
        self.assertEqual(r.returncode, 1)
        self.assertIn("this screen needs a terminal", r.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM training_run"), [(0,)])
        for args in ([], ["a", "b"], ["--report", self.file], ["--run", "x", self.file], ["--bogus"]):
            r = self.carnet("train", *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("usage: carnet train", r.stderr)
        r = self.carnet("codebook", "check", self.file)
        self.assertIn("this is a vignette file, not a codebook", r.stdout)
