/*
 * Unit tests of the REFI-QDA codebook format (cb_qdc.h): native → qdc →
 * native keeps every field, exports validate against the published schema,
 * files shaped like those of ATLAS.ti, NVivo, MAXQDA, QualCoder and Taguette
 * import, and malformed or hostile XML is refused with its line.
 *
 * Run from the top of the tree (make check does): fixtures are read from
 * tests/data/qdc/ and codebooks/.
 */
#include "unit.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook/cb_file.h"
#include "codebook/cb_qdc.h"
#include "core/util.h"

#define DATA "tests/data/qdc/"

/* A codebook that uses every field, with text that could trip the layout. */
static const char *AWKWARD =
    "carnet_codebook: 1\n"
    "id: piege\n"
    "title: \"Pièges & <balises> « guillemets »\"\n"
    "language: fr\n"
    "version: 7\n"
    "description: |\n"
    "  Première ligne.\n"
    "  ## carnet\n"
    "  \\ une barre au début\n"
    "dimensions:\n"
    "  - id: demande\n"
    "    label: Type de demande\n"
    "    mode: single\n"
    "    required: true\n"
    "    color: '#3366cc'\n"
    "    codes:\n"
    "      - id: enfant\n"
    "        key: e\n"
    "        label: Enfant avant son parent\n"
    "        definition: |\n"
    "          ## When to use\n"
    "          n'est pas un titre ici.\n"
    "\n"
    "          ## Exemple\n"
    "        when_to_use: \"Avec une fin de ligne\\n\"\n"
    "        when_not_to_use: \"  espaces devant, & et < et >\"\n"
    "        example: \"\\\\bcaf\\\\b au début\"\n"
    "        parent: caf\n"
    "        color: '#AA00ff'\n"
    "        guid: '{DA6FB31D-ABD9-45FC-9E02-F58E408F7BE4}'\n"
    "      - id: caf\n"
    "        key: c\n"
    "        label: CAF\n"
    "        definition: d\n"
    "        when_to_use: w\n"
    "        when_not_to_use: wn\n"
    "        example: ex\n"
    "        patterns:\n"
    "          - '\\bcaf\\b'\n"
    "          - 'prime d.activit[ée]'\n"
    "      - id: autre\n"
    "        key: x\n"
    "        label: Autre\n"
    "        definition: d\n"
    "        when_to_use: w\n"
    "        when_not_to_use: wn\n"
    "        example: ex\n"
    "        other: true\n"
    "        validate: '^[A-Za-zÀ-ÿ -]{2,}$'\n"
    "        validate_message: 'Précisez en toutes lettres : key: value'\n"
    "      - id: ancien\n"
    "        label: Ancien code\n"
    "        definition: d\n"
    "        when_to_use: w\n"
    "        when_not_to_use: wn\n"
    "        example: ex\n"
    "        retired: true\n"
    "      - id: groupe\n"
    "        label: Groupe\n"
    "        definition: d\n"
    "        when_to_use: w\n"
    "        when_not_to_use: wn\n"
    "        example: ex\n"
    "        codable: false\n"
    "  - id: commune\n"
    "    label: Commune\n"
    "    mode: text\n"
    "    required: false\n"
    "    retired: true\n"
    "    guid: 30378ff7-8709-434b-a34b-0c21a6e91a4a\n"
    "    validate: '^\\d{5}$'\n"
    "    validate_message: Un code postal de cinq chiffres.\n";

static cb_codebook *parse_yaml(const char *text)
{
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_parse("t.yaml", text, strlen(text), &cb, &d)) {
        char *s = diag_format(&d.items[0]);
        fail_msg("%s", s);
    }
    return cb;
}

static cb_codebook *read_yaml(const char *path)
{
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_read_file(path, &cb, &d)) {
        char *s = diag_format(&d.items[0]);
        fail_msg("%s", s);
    }
    return cb;
}

/* Parses qdc text that must be accepted. */
static cb_codebook *parse_qdc(const char *name, const char *text, diag_list *notes)
{
    diag_list d = {0};
    cb_codebook *cb;
    cbq_options o = {.language = "fr"};
    if (cbq_parse(name, text, strlen(text), &o, &cb, &d, notes)) {
        char *s = diag_format(&d.items[0]);
        fail_msg("%s", s);
    }
    return cb;
}

static cb_codebook *read_fixture(const char *file, diag_list *notes)
{
    diag_list d = {0};
    cb_codebook *cb;
    cbq_options o = {.language = "fr", .fill = "À écrire."};
    if (cbq_read_file(file, &o, &cb, &d, notes)) {
        char *s = diag_format(&d.items[0]);
        fail_msg("%s", s);
    }
    return cb;
}

/* Checks that text is refused and that the first problem is at line and
 * contains needle. */
static void expect_refused(const char *text, int line, const char *needle)
{
    diag_list d = {0}, notes = {0};
    cb_codebook *cb = (cb_codebook *)1;
    size_t n = cbq_parse("x.qdc", text, strlen(text), NULL, &cb, &d, &notes);
    if (!n || !d.n)
        fail_msg("expected a refusal containing '%s'", needle);
    assert_null(cb);
    char *s = diag_format(&d.items[0]);
    if (!strstr(s, needle) || d.items[0].line != line)
        fail_msg("got '%s', expected line %d and '%s'", s, line, needle);
    free(s);
    diag_clear(&d);
    diag_clear(&notes);
}

static char *export(const cb_codebook *cb)
{
    diag_list d = {0};
    char *xml = cbq_write(cb, "carnet test", &d);
    if (!xml) {
        char *s = diag_format(&d.items[0]);
        fail_msg("%s", s);
    }
    return xml;
}

static void round_trip(cb_codebook *a)
{
    char *xml = export(a);
    cb_codebook *b = parse_qdc("rt.qdc", xml, NULL);
    if (!cb_equal(a, b)) {
        char *ya = cbf_write(a), *yb = cbf_write(b);
        print_message("before:\n%s\nafter:\n%s\n", ya, yb);
        free(ya);
        free(yb);
        fail_msg("the codebook read back differs");
    }
    /* And a second export is the same document: guids are stable. */
    char *again = export(b);
    assert_string_equal(xml, again);
    free(again);
    free(xml);
    cb_free(b);
}

static void test_shipped_codebooks_survive_a_qdc_round_trip(void **state)
{
    (void)state;
    const char *files[] = {"codebooks/labacces-accueil.yaml", "codebooks/labacces-accueil.en.yaml",
                           "codebooks/france-services-mediation.yaml", "codebooks/france-services-mediation.en.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        cb_codebook *cb = read_yaml(files[i]);
        round_trip(cb);
        cb_free(cb);
    }
}

static void test_every_field_and_awkward_text_survive_a_round_trip(void **state)
{
    (void)state;
    cb_codebook *cb = parse_yaml(AWKWARD);
    /* Values the YAML above cannot say simply.  (A carriage return is a
     * control character that codebook validation refuses, as an escape
     * would be: it moves a terminal's cursor.) */
    free(cb->dims[0].codes[1].definition);
    cb->dims[0].codes[1].definition = xstrdup("Ligne\navec\ttabulation\n\n\nfin");
    round_trip(cb);
    cb_free(cb);
}

/* Validates xml against the REFI-QDA Codebook schema; returns libxml2's
 * verdict (0: valid). */
static int schema_check(const char *xml)
{
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(DATA "Codebook.xsd");
    xmlSchemaPtr schema = xmlSchemaParse(pc);
    assert_non_null(schema);
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "export.qdc", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    int r = xmlSchemaValidateDoc(vc, doc);
    xmlFreeDoc(doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pc);
    return r;
}

static void test_exports_follow_the_refi_qda_codebook_schema(void **state)
{
    (void)state;
    cb_codebook *cb = parse_yaml(AWKWARD);
    char *xml = export(cb);
    assert_int_equal(schema_check(xml), 0);
    assert_non_null(strstr(xml, "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"carnet test\">"));
    /* A dimension is a top-level code that cannot be coded; a retired code
     * cannot be coded by other tools either. */
    assert_non_null(strstr(xml, "name=\"Type de demande\" isCodable=\"false\" color=\"#3366cc\""));
    assert_non_null(strstr(xml, "name=\"Ancien code\" isCodable=\"false\""));
    assert_non_null(strstr(xml, "name=\"CAF\" isCodable=\"true\""));
    free(xml);
    cb_free(cb);
    cb = read_yaml("codebooks/labacces-accueil.yaml");
    xml = export(cb);
    assert_int_equal(schema_check(xml), 0);
    free(xml);
    cb_free(cb);
}

static void test_derived_guids_are_name_based_uuids(void **state)
{
    (void)state;
    char g[UUID_STRLEN];
    /* Values from Python: uuid.uuid5(carnet namespace, name). */
    cbq_guid_for("labacces-accueil", "code", "caf", g);
    assert_string_equal(g, "3b5fc22f-b517-5cbd-80e9-a892d41788ad");
    cbq_guid_for("labacces-accueil", "codebook", NULL, g);
    assert_string_equal(g, "10991ca4-838a-5eb8-b30f-720f9b66664a");
    char *long_id = xasprintf("%0100d", 0);
    memset(long_id, 'x', 100);
    cbq_guid_for(long_id, "code", "é", g);
    assert_string_equal(g, "2d036b75-06c7-507c-a3e1-8226b39a34f2");
    free(long_id);
}

static void test_control_characters_are_refused_on_export(void **state)
{
    (void)state;
    cb_codebook *cb = parse_yaml(AWKWARD);
    free(cb->dims[0].codes[1].example);
    cb->dims[0].codes[1].example = xstrdup("bip\x07");
    diag_list d = {0};
    assert_null(cbq_write(cb, NULL, &d));
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.items[0].msg, "code 'caf': the example holds a control character (0x07)"));
    diag_clear(&d);
    cb_free(cb);
}

static const cb_dimension *dim(const cb_codebook *cb, const char *id)
{
    const cb_dimension *d = cb_find_dimension(cb, id);
    if (!d)
        fail_msg("no dimension '%s'", id);
    return d;
}

static const cb_code *code(const cb_dimension *d, const char *id)
{
    const cb_code *c = cb_find_code(d, id);
    if (!c)
        fail_msg("no code '%s' in '%s'", id, d->id);
    return c;
}

static void test_atlasti_code_groups_become_dimensions(void **state)
{
    (void)state;
    diag_list notes = {0};
    cb_codebook *cb = read_fixture(DATA "atlasti.qdc", &notes);
    assert_string_equal(cb->id, "atlasti");
    assert_string_equal(cb->language, "fr");
    assert_int_equal(cb->ndims, 3);
    const cb_dimension *d = dim(cb, "demandes");
    assert_string_equal(d->label, "Demandes");
    assert_string_equal(d->guid, "b52647a1-c959-4b8f-a2e7-5fe72382096f");
    assert_string_equal(d->description, "Groupe de codes : l'organisme de la démarche.");
    assert_int_equal(d->mode, CB_MULTIPLE);
    const cb_code *c = code(d, "demande-caf");
    assert_string_equal(c->guid, "df0155a6-9fd4-4b03-ad79-e41aa2e845ae");
    assert_string_equal(c->color, "#3366CC");
    assert_string_equal(c->definition, "Démarche auprès de la CAF : RSA, prime d'activité, aides au logement.");
    assert_string_equal(c->when_to_use, "À écrire.");
    assert_int_equal(c->key, 'd');
    assert_int_equal(code(d, "demande-cpam")->key, 'e');
    d = dim(cb, "obstacles-numeriques");
    assert_string_equal(code(d, "pas-d-adresse-e-mail")->color, "#CC3333");
    assert_int_equal(code(d, "mot-de-passe-oublie")->key, 'm');
    /* The code in no group gets a dimension of its own. */
    d = dim(cb, "codes");
    assert_int_equal(d->ncodes, 1);
    assert_string_equal(d->codes[0].label, "Mémo de méthode");
    bool said = false;
    for (size_t i = 0; i < notes.n; i++)
        said |= strstr(notes.items[i].msg, "set 'Demandes' becomes dimension 'demandes'") != NULL;
    assert_true(said);
    diag_clear(&notes);
    cb_free(cb);
}

static void test_nvivo_nested_codes_keep_their_hierarchy_and_guids(void **state)
{
    (void)state;
    diag_list notes = {0};
    cb_codebook *cb = read_fixture(DATA "nvivo.qdc", &notes);
    assert_int_equal(cb->ndims, 2);
    const cb_dimension *d = dim(cb, "obstacles");
    assert_string_equal(d->guid, "30378ff7-8709-434b-a34b-0c21a6e91a4a");
    assert_string_equal(d->description, "Ce qui empêche la personne de faire sa démarche en ligne.");
    assert_int_equal(d->ncodes, 3);
    assert_string_equal(d->codes[0].id, "identifiants");
    assert_string_equal(d->codes[1].id, "franceconnect");
    assert_string_equal(d->codes[1].parent, "identifiants");
    assert_string_equal(d->codes[2].id, "equipement");
    assert_null(d->codes[2].parent);
    assert_int_equal(d->codes[2].key, 'e');
    /* Exported again, every guid of the file is there. */
    char *xml = export(cb);
    const char *guids[] = {"30378ff7-8709-434b-a34b-0c21a6e91a4a", "e3e9a578-7576-4bfe-a11f-4776b1a5ac98",
                           "a16e1a92-0e2b-4d6a-868a-d21bbfc393fe", "f6fb1b5d-f73b-45d8-9842-0a582698336e",
                           "e193e526-7167-41b3-a815-955498fa780b", "6c4dec9a-1f22-4e3d-8856-ad55e315a498",
                           "fb3710f7-0c0e-4d67-92f0-930b35c060e4"};
    for (size_t i = 0; i < sizeof guids / sizeof guids[0]; i++)
        if (!strstr(xml, guids[i]))
            fail_msg("guid %s lost on export", guids[i]);
    /* And the export reads back as the same codebook. */
    cb_codebook *again = parse_qdc("again.qdc", xml, NULL);
    assert_true(cb_equal(cb, again));
    cb_free(again);
    free(xml);
    diag_clear(&notes);
    cb_free(cb);
}

static void test_maxqda_braced_guids_and_colors(void **state)
{
    (void)state;
    cb_codebook *cb = read_fixture(DATA "maxqda.qdc", NULL);
    const cb_dimension *d = dim(cb, "public");
    assert_string_equal(d->guid, "{13A46BD2-9D0B-43C2-AB77-87B60D5A6CAB}");
    assert_string_equal(d->color, "#FF8000");
    const cb_code *c = code(d, "personne-agee");
    assert_string_equal(c->label, "Personne âgée");
    assert_string_equal(c->guid, "{DA6FB31D-ABD9-45FC-9E02-F58E408F7BE4}");
    /* Another tool's text is kept as it is, headings or not. */
    assert_string_equal(code(d, "aidant")->definition,
                        "Vient pour un proche.\n\nQuand l'utiliser : la démarche concerne une autre personne.");
    assert_int_equal(dim(cb, "codes")->ncodes, 1);
    cb_free(cb);
}

static void test_qualcoder_categories_and_uncodable_subcategories(void **state)
{
    (void)state;
    cb_codebook *cb = read_fixture(DATA "qualcoder.qdc", NULL);
    assert_int_equal(cb->ndims, 1);
    const cb_dimension *d = dim(cb, "type-d-aide");
    assert_string_equal(d->description, "Ce que fait le conseiller.");
    const cb_code *acc = code(d, "accompagner");
    assert_true(acc->uncodable);
    assert_int_equal(acc->key, 0);
    const cb_code *avec = code(d, "faire-avec");
    assert_false(avec->uncodable);
    assert_string_equal(avec->parent, "accompagner");
    assert_string_equal(avec->color, "#81F7F3");
    assert_int_equal(avec->key, 'a');
    cb_free(cb);
}

static void test_taguette_flat_tags_and_empty_descriptions(void **state)
{
    (void)state;
    cb_codebook *cb = read_fixture(DATA "taguette.qdc", NULL);
    assert_int_equal(cb->ndims, 1);
    const cb_dimension *d = &cb->dims[0];
    assert_int_equal(d->ncodes, 3);
    assert_string_equal(code(d, "retraite")->definition, "À écrire.");
    assert_string_equal(code(d, "reorientation")->label, "réorientation");
    assert_int_equal(code(d, "rsa")->key, 'r');
    assert_int_equal(code(d, "retraite")->key, 'e');
    assert_int_equal(code(d, "reorientation")->key, 'o');
    assert_string_equal(cb->description, "Imported from a REFI-QDA codebook written by Taguette 1.4.1.");
    cb_free(cb);
}

static void test_malformed_xml_is_refused_with_its_line(void **state)
{
    (void)state;
    expect_refused("<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n<Codes>\n"
                   "<Code guid=\"df0155a6-9fd4-4b03-ad79-e41aa2e845ae\" name=\"a\" isCodable=\"true\">\n"
                   "</Codes>\n</CodeBook>\n",
                   5, "malformed XML: ");
    expect_refused("", 1, "malformed XML");
}

static void test_wrong_or_missing_namespace_is_refused(void **state)
{
    (void)state;
    expect_refused("<?xml version=\"1.0\"?>\n\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1:0\"><Codes/></CodeBook>\n", 3,
                   "wrong namespace 'urn:QDA-XML:codebook:1:0' for CodeBook: expected "
                   "xmlns=\"urn:QDA-XML:codebook:1.0\"");
    expect_refused("<CodeBook><Codes/></CodeBook>", 1, "wrong namespace '' for CodeBook");
    expect_refused("<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"/>", 1, "a REFI-QDA project, not a codebook");
    expect_refused("<html><body/></html>", 1, "not a REFI-QDA codebook: the root element is <html>");
}

static void test_missing_attributes_and_duplicate_guids_are_refused(void **state)
{
    (void)state;
    expect_refused("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>\n<Code name=\"a\" isCodable=\"true\"/>\n"
                   "</Codes></CodeBook>",
                   2, "Code without a guid attribute");
    expect_refused("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>\n"
                   "<Code guid=\"df0155a6-9fd4-4b03-ad79-e41aa2e845ae\" name=\"a\" isCodable=\"true\"/>\n"
                   "<Code guid=\"df0155a6-9fd4-4b03-ad79-e41aa2e845ae\" name=\"b\" isCodable=\"true\"/>\n"
                   "</Codes></CodeBook>",
                   3, "guid df0155a6-9fd4-4b03-ad79-e41aa2e845ae is given to two codes (first at line 2)");
    expect_refused("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes/></CodeBook>", 1,
                   "no codes: expected <Codes> with at least one <Code>");
}

/* Codes nested n deep, each with the guid ...-(its depth). */
static char *nested(int n)
{
    strbuf b = {0};
    sb_add(&b, "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>\n");
    for (int i = 0; i < n; i++)
        sb_printf(&b, "<Code guid=\"df0155a6-9fd4-4b03-ad79-%012d\" name=\"c%d\" isCodable=\"true\">", i, i);
    for (int i = 0; i < n; i++)
        sb_add(&b, "</Code>");
    sb_add(&b, "\n</Codes></CodeBook>\n");
    return sb_take(&b);
}

static void test_deep_huge_and_doubly_claimed_documents_are_refused_with_a_reason(void **state)
{
    (void)state;
    char *t = nested(100);
    expect_refused(t, 2, "codes nested more than 64 levels deep");
    free(t);
    /* libxml2's own limit, in carnet's words. */
    t = nested(300);
    expect_refused(t, 2, "malformed XML: elements nested more than 256 levels deep");
    free(t);
    char *big = xcalloc(CBF_MAX_BYTES + 2, 1);
    memset(big, ' ', CBF_MAX_BYTES + 1);
    memcpy(big, "<CodeBook", 9);
    expect_refused(big, 1, "file too large: a codebook is at most 4194304 bytes");
    free(big);
    /* A set becomes a dimension exported with the set's guid: a guid given
     * to two sets, or to a set and a code, could not be read back. */
    static const char codes[] = "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>\n"
                                "<Code guid=\"df0155a6-9fd4-4b03-ad79-e41aa2e845ae\" name=\"a\" isCodable=\"true\"/>\n"
                                "</Codes><Sets>\n";
    char *two = xasprintf("%s<Set guid=\"d86566ca-380c-4a2d-ac9f-c24aea5706a3\" name=\"s\"/>\n"
                          "<Set guid=\"d86566ca-380c-4a2d-ac9f-c24aea5706a3\" name=\"t\"/>\n</Sets></CodeBook>",
                          codes);
    expect_refused(two, 5, "guid d86566ca-380c-4a2d-ac9f-c24aea5706a3 is given to two sets (first at line 4)");
    free(two);
    char *clash = xasprintf("%s<Set guid=\"df0155a6-9fd4-4b03-ad79-e41aa2e845ae\" name=\"s\"/>\n</Sets></CodeBook>",
                            codes);
    expect_refused(clash, 4, "guid df0155a6-9fd4-4b03-ad79-e41aa2e845ae is given to a set and to a code (line 2)");
    free(clash);
}

static void test_entity_declarations_are_refused(void **state)
{
    (void)state;
    /* External entity (XXE): would read a local file. */
    expect_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE CodeBook [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
                   "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"df0155a6-9fd4-4b03-ad79-"
                   "e41aa2e845ae\" name=\"&xxe;\" isCodable=\"true\"/></Codes></CodeBook>",
                   3, "declares entities");
    /* Exponential expansion ("billion laughs"). */
    expect_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
                   " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n<lolz>&lol2;</lolz>",
                   3, "declares entities");
    /* The same in UTF-16, where the bytes do not spell <!ENTITY: refused
     * after parsing, from the document's declarations. */
    const char *u8 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE c [<!ENTITY e \"x\">]>\n"
                     "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes/></CodeBook>";
    size_t n = strlen(u8);
    char *u16 = xcalloc(2 * n + 2, 1);
    u16[0] = (char)0xFF;
    u16[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++)
        u16[2 + 2 * i] = u8[i];
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_not_equal(cbq_parse("u16.qdc", u16, 2 * n + 2, NULL, &cb, &d, NULL), 0);
    assert_null(cb);
    assert_non_null(strstr(d.items[0].msg, "declares entities"));
    diag_clear(&d);
    free(u16);
}

static void test_sniffing_tells_xml_from_yaml(void **state)
{
    (void)state;
    assert_true(cbq_sniff("\xEF\xBB\xBF  \n<?xml", 10));
    assert_true(cbq_sniff("<CodeBook/>", 11));
    assert_false(cbq_sniff("carnet_codebook: 1\n", 19));
    assert_false(cbq_sniff("   ", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_codebooks_survive_a_qdc_round_trip),
        cmocka_unit_test(test_every_field_and_awkward_text_survive_a_round_trip),
        cmocka_unit_test(test_exports_follow_the_refi_qda_codebook_schema),
        cmocka_unit_test(test_derived_guids_are_name_based_uuids),
        cmocka_unit_test(test_control_characters_are_refused_on_export),
        cmocka_unit_test(test_atlasti_code_groups_become_dimensions),
        cmocka_unit_test(test_nvivo_nested_codes_keep_their_hierarchy_and_guids),
        cmocka_unit_test(test_maxqda_braced_guids_and_colors),
        cmocka_unit_test(test_qualcoder_categories_and_uncodable_subcategories),
        cmocka_unit_test(test_taguette_flat_tags_and_empty_descriptions),
        cmocka_unit_test(test_malformed_xml_is_refused_with_its_line),
        cmocka_unit_test(test_wrong_or_missing_namespace_is_refused),
        cmocka_unit_test(test_missing_attributes_and_duplicate_guids_are_refused),
        cmocka_unit_test(test_deep_huge_and_doubly_claimed_documents_are_refused_with_a_reason),
        cmocka_unit_test(test_entity_declarations_are_refused),
        cmocka_unit_test(test_sniffing_tells_xml_from_yaml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
