"""Codebook files on the command line: REFI-QDA (.qdc) export checked
element by element against the schema's shape, import of files written by
other QDA programs, the XLSX handout read back with openpyxl, the Markdown
handout, `codebook diff` and `codebook versions`."""
import os
import re
import xml.etree.ElementTree as ET

import openpyxl

from harness import CODEBOOKS, DATA, FR_CODEBOOK, CarnetTest

NS = "urn:QDA-XML:codebook:1.0"
Q = "{%s}" % NS
GUID = re.compile(r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|"
                  r"\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$")
RGB = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
FS = os.path.join(CODEBOOKS, "france-services-mediation.yaml")
QDC = os.path.join(DATA, "qdc")


def check_code(test, el, guids):
    """Checks a Code element as Codebook.xsd's CodeType says; returns the
    number of codes it holds, itself included."""
    test.assertEqual(el.tag, Q + "Code")
    test.assertTrue(set(el.attrib) <= {"guid", "name", "isCodable", "color"}, el.attrib)
    test.assertRegex(el.get("guid"), GUID)
    test.assertTrue(el.get("name"))
    test.assertIn(el.get("isCodable"), ("true", "false"))
    if "color" in el.attrib:
        test.assertRegex(el.get("color"), RGB)
    guids.append(el.get("guid"))
    kids = list(el)
    # Description first (at most one), then codes.
    if kids and kids[0].tag == Q + "Description":
        kids = kids[1:]
    n = 1
    for k in kids:
        n += check_code(test, k, guids)
    return n


class Qdc(CarnetTest):
    def test_export_has_the_shape_of_the_refi_qda_codebook_schema(self):
        self.init("--codebook", FS)
        out = os.path.join(self.dir, "fs.qdc")
        self.ok("codebook", "export", "--format", "qdc", "-o", out)
        root = ET.parse(out).getroot()
        self.assertEqual(root.tag, Q + "CodeBook")
        self.assertEqual(set(root.attrib), {"origin"})
        self.assertRegex(root.get("origin"), r"^carnet \d+\.\d+\.\d+$")
        self.assertEqual([c.tag for c in root], [Q + "Codes", Q + "Sets"])
        guids = []
        dims = list(root.find(Q + "Codes"))
        total = sum(check_code(self, d, guids) for d in dims)
        # Five dimensions as top-level codes that cannot be coded; 29 codes.
        self.assertEqual([d.get("name") for d in dims],
                         ["Thème de l'aide", "Nature de l'aide", "Autonomie numérique de la personne",
                          "Suite donnée", "Code postal de résidence"])
        self.assertTrue(all(d.get("isCodable") == "false" for d in dims))
        self.assertEqual(total, 5 + 29)
        self.assertEqual(len(guids), len(set(guids)))
        sets = list(root.find(Q + "Sets"))
        self.assertEqual(len(sets), 1)
        s = sets[0]
        self.assertEqual(set(s.attrib), {"guid", "name"})
        self.assertEqual(s.get("name"), "France Services — médiation numérique au guichet")
        members = [m.get("guid") for m in s.findall(Q + "MemberCode")]
        self.assertEqual(members, [d.get("guid") for d in dims])
        self.assertEqual([c.tag for c in s], [Q + "Description"] + [Q + "MemberCode"] * 5)
        # The definition fields and carnet's own ones, in the Description.
        famille = dims[0].find(Q + "Code")
        desc = famille.find(Q + "Description").text
        self.assertTrue(desc.startswith("Démarche auprès de la CAF ou, pour ses affiliés, de la MSA"))
        self.assertIn("\n\n## Quand l'utiliser\nL'aide porte sur un droit versé par la CAF", desc)
        self.assertIn("\n\n## carnet\ncode: th-famille\nkey: f\npattern: \\bcaf\\b\n", desc)
        # The free-text dimension's validation travels too.
        self.assertIn("validate: ^\\d{5}$\nvalidate_message: Un code postal français",
                      dims[4].find(Q + "Description").text)

    def test_export_read_back_is_the_same_codebook(self):
        self.init("--codebook", FS)
        out = os.path.join(self.dir, "fs.qdc")
        self.ok("codebook", "export", "--format", "qdc", "-o", out)
        r = self.ok("codebook", "import", out)
        self.assertIn("identical to the study's current codebook", r.stdout)
        r = self.ok("codebook", "diff", FS, out)
        self.assertEqual(r.stdout, "No differences.\n")

    def test_codebooks_of_other_qda_programs_import(self):
        self.init()
        expect = {"atlasti": ["Demandes", "Obstacles numériques", "Codes"],
                  "nvivo": ["Obstacles", "Orientation"],
                  "maxqda": ["Public", "Codes"],
                  "qualcoder": ["Type d'aide"],
                  "taguette": ["Codes"]}
        for name, dims in sorted(expect.items()):
            r = self.ok("codebook", "import", "--language", "fr", os.path.join(QDC, name + ".qdc"))
            self.assertIn("note: hotkey", r.stderr, name)
            vid = self.sql("SELECT id FROM codebook_version ORDER BY seq DESC LIMIT 1")[0][0]
            self.assertEqual([d for (d,) in self.sql("SELECT label FROM dimension WHERE version_id = ? "
                                                     "ORDER BY position", (vid,))], dims, name)
            self.assertEqual(self.sql("SELECT codebook_id, language FROM codebook_version WHERE id = ?", (vid,)),
                             [(name, "fr")])
        # NVivo's guids are kept, for dimensions and codes.
        self.assertEqual(self.sql("SELECT DISTINCT d.guid FROM dimension d JOIN codebook_version v "
                                  "ON v.id = d.version_id WHERE v.codebook_id = 'nvivo' AND d.id = 'obstacles'"),
                         [("30378ff7-8709-434b-a34b-0c21a6e91a4a",)])
        self.assertEqual(self.sql("SELECT c.guid, c.parent FROM code c JOIN codebook_version v ON v.id = c.version_id"
                                  " WHERE v.codebook_id = 'nvivo' AND c.id = 'franceconnect'"),
                         [("a16e1a92-0e2b-4d6a-868a-d21bbfc393fe", "identifiants")])
        # The QualCoder sub-category is a heading.
        self.assertEqual(self.sql("SELECT codable, hotkey FROM code c JOIN codebook_version v ON v.id = c.version_id"
                                  " WHERE v.codebook_id = 'qualcoder' AND c.id = 'accompagner'"), [(0, None)])

    def test_malformed_xml_and_wrong_namespace_name_the_line(self):
        self.init()
        bad = self.write("bad.qdc", '<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n'
                                    '<Codes>\n</CodeBook>\n')
        r = self.carnet("codebook", "import", bad)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"bad\.qdc:4:\d+: malformed XML: ")
        ns = self.write("ns.qdc", '<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:2.0"><Codes/>'
                                  '</CodeBook>\n')
        r = self.carnet("codebook", "import", ns)
        self.assertEqual(r.returncode, 1)
        self.assertIn("ns.qdc:2:1: wrong namespace 'urn:QDA-XML:codebook:2.0' for CodeBook: expected "
                      "xmlns=\"urn:QDA-XML:codebook:1.0\"", r.stderr)
        xxe = self.write("xxe.xml", '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                                    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>\n')
        r = self.carnet("codebook", "import", xxe)
        self.assertEqual(r.returncode, 1)
        self.assertIn("xxe.xml:2:1: the document declares entities", r.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM codebook_version"), [(1,)])


class Handouts(CarnetTest):
    def test_xlsx_handout_reads_back_as_laid_out_for_a4(self):
        self.init("--codebook", FS)
        out = os.path.join(self.dir, "grille.xlsx")
        self.ok("codebook", "export", "--format", "xlsx", "-o", out)
        wb = openpyxl.load_workbook(out)
        self.assertEqual(wb.sheetnames, ["Codebook", "Thème de l'aide", "Nature de l'aide",
                                         "Autonomie numérique de la pe", "Suite donnée", "Code postal de résidence"])
        cover = wb["Codebook"]
        self.assertEqual(cover["A1"].value, "France Services — médiation numérique au guichet")
        self.assertEqual(cover.page_setup.orientation, "portrait")
        self.assertEqual(cover.page_setup.paperSize, 9)
        ws = wb["Nature de l'aide"]
        self.assertEqual(ws.page_setup.paperSize, 9)  # A4
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(ws.page_setup.fitToHeight, 0)  # one page wide, as many down as needed
        self.assertEqual(ws.print_title_rows, "$5:$5")
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Nature de l'aide")
        self.assertEqual(rows[1][0], "Single choice, required — nature")
        self.assertEqual(rows[4], ("Key", "Label", "Definition", "When to use", "When not to use", "Example", "Notes"))
        self.assertEqual(rows[5][:2], ("p", "Faire pour"))
        self.assertTrue(rows[5][2].startswith("Le conseiller réalise lui-même la démarche"))
        self.assertEqual([r[0] for r in rows[5:]], ["p", "a", "m", "r", "i", "o", "x"])
        self.assertTrue(ws.cell(6, 3).alignment.wrap_text)
        self.assertIn("other, specify: asks for a line of text", rows[-1][6])
        text = wb["Code postal de résidence"]
        self.assertIn("the text must match: ^\\d{5}$", [r[0] for r in text.iter_rows(values_only=True)][3])

    def test_cells_that_look_like_formulas_stay_text(self):
        self.init()
        with open(FR_CODEBOOK, encoding="utf-8") as f:
            text = f.read()
        # (A carriage return cannot be in a codebook: validation refuses
        # control characters other than line breaks and tabs.)
        tricky = ["=1+1", "+33 6 12 34 56 78", "-5 € de frais", "@SOMME(A1)", "\tavec tabulation"]
        # The examples of the first codes of the first dimension, in order.
        parts = text.split("        example: ")
        for i, t in enumerate(tricky):
            esc = t.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
            rest = parts[i + 1].split("\n", 1)[1]
            parts[i + 1] = '"%s"\n%s' % (esc, rest)
        text = "        example: ".join(parts)
        path = self.write("tricky.yaml", text)
        self.ok("codebook", "import", path)
        out = os.path.join(self.dir, "h.xlsx")
        self.ok("codebook", "export", "--format", "xlsx", "-o", out)
        ws = openpyxl.load_workbook(out)["Type de demande"]
        examples = [ws.cell(r, 6) for r in range(6, 6 + len(tricky))]
        for cell, want in zip(examples, tricky):
            self.assertEqual(cell.data_type, "s", want)
            self.assertEqual(cell.value, want)

    def test_markdown_handout(self):
        self.init("--codebook", FS)
        r = self.ok("codebook", "export", "--format", "md")
        md = r.stdout
        self.assertTrue(md.startswith("# France Services — médiation numérique au guichet\n\n"))
        for h in ("## Thème de l'aide", "## Nature de l'aide", "## Autonomie numérique de la personne",
                  "## Suite donnée", "## Code postal de résidence"):
            self.assertIn("\n" + h + "\n", md)
        self.assertIn("### `p` — Faire pour\n\n**Definition.** Le conseiller réalise lui-même la démarche", md)
        self.assertIn("**When not to use.** La personne manipule et le conseiller la guide (aide-faire-avec).", md)
        self.assertIn("### `0` — Non observable", md)

    def test_existing_files_are_kept_without_force(self):
        self.init()
        out = os.path.join(self.dir, "h.xlsx")
        self.ok("codebook", "export", "--format", "xlsx", "-o", out)
        before = os.path.getsize(out)
        r = self.carnet("codebook", "export", "--format", "xlsx", "-o", out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists; use --force", r.stderr)
        self.assertEqual(os.path.getsize(out), before)
        self.ok("codebook", "export", "--format", "xlsx", "-o", out, "--force")
        self.assertEqual([f for f in os.listdir(self.dir) if ".tmp-" in f], [])
        r = self.carnet("codebook", "export", "--format", "pdf")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown format 'pdf': expected native, qdc, xlsx or md", r.stderr)


class Versions(CarnetTest):
    def test_diff_of_files_and_versions_and_the_version_list(self):
        self.init()
        with open(FR_CODEBOOK, encoding="utf-8") as f:
            text = f.read()
        v2 = text.replace("label: CPAM / Assurance maladie", "label: Assurance maladie (CPAM, ameli)")
        v2 = v2.replace("version: 1\n", "version: 2\n", 1)
        path = self.write("v2.yaml", v2)
        r = self.ok("codebook", "diff", FR_CODEBOOK, path, db=False)
        self.assertEqual(r.stdout, "Codebook: version changed from '1' to '2'\n"
                                   "Code 'cpam' of dimension 'demande' renamed: 'CPAM / Assurance maladie' → "
                                   "'Assurance maladie (CPAM, ameli)'\n")
        self.ok("codebook", "import", path)
        r = self.ok("codebook", "diff", "1", "2")
        self.assertIn("renamed: 'CPAM / Assurance maladie'", r.stdout)
        r = self.ok("codebook", "versions")
        lines = r.stdout.strip().split("\n")
        self.assertEqual(len(lines), 2)
        self.assertRegex(lines[1], r"^  2  \S+  labacces-accueil v2  LabAccès .*\[current\]$")
        r = self.carnet("codebook", "diff", "1", "9")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no codebook version 9", r.stderr)
        r = self.ok("codebook", "show", "--version", "1")
        self.assertIn("CPAM / Assurance maladie", r.stdout)
