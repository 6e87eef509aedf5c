/*
 * Unit tests of the patterns of the shipped France Services codebook through
 * cb_match: French notes with accents and capitals suggest the right codes,
 * free-text answers are validated with the codebook's message, and both
 * survive a REFI-QDA round trip.  Headings and retired codes are never
 * suggested.  Run from the top of the tree (make check does).
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "codebook/cb_file.h"
#include "codebook/cb_qdc.h"
#include "core/cb_match.h"
#include "core/util.h"

#define FS "codebooks/france-services-mediation.yaml"

static cb_codebook *load(void)
{
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_read_file(FS, &cb, &d))
        fail_msg("%s", d.items[0].msg);
    return cb;
}

/* The ids of the codes suggested for note, joined by spaces. */
static char *suggest(const cb_codebook *cb, const cb_matcher *m, const char *note)
{
    cb_suggestion s[16];
    size_t n = cb_matcher_suggest(m, note, s, 16);
    strbuf b = {0};
    sb_add(&b, "");
    for (size_t i = 0; i < n && i < 16; i++)
        sb_printf(&b, i ? " %s" : "%s", cb->dims[s[i].dim].codes[s[i].code].id);
    return sb_take(&b);
}

static void expect_suggestions(const cb_codebook *cb, const cb_matcher *m, const char *note, const char *want)
{
    char *got = suggest(cb, m, note);
    if (strcmp(got, want))
        fail_msg("note '%s': got '%s', expected '%s'", note, got, want);
    free(got);
}

static size_t dim_index(const cb_codebook *cb, const char *id)
{
    for (size_t i = 0; i < cb->ndims; i++)
        if (!strcmp(cb->dims[i].id, id))
            return i;
    fail_msg("no dimension %s", id);
    return 0;
}

static size_t code_index(const cb_dimension *d, const char *id)
{
    for (size_t i = 0; i < d->ncodes; i++)
        if (!strcmp(d->codes[i].id, id))
            return i;
    fail_msg("no code %s", id);
    return 0;
}

/* What the shipped codebook must do, on any copy of it. */
static void check_patterns(const cb_codebook *cb)
{
    diag_list d = {0};
    cb_matcher *m = cb_matcher_new(cb, FS, &d);
    assert_int_equal(d.n, 0);
    expect_suggestions(cb, m, "Vient pour sa DÉCLARATION TRIMESTRIELLE, la prime d’activité a baissé", "th-famille");
    expect_suggestions(cb, m, "mot de passe ameli perdu, carte Vitale à renouveler", "th-sante th-numerique");
    expect_suggestions(cb, m, "radié de Pôle emploi, s'actualiser", "th-emploi");
    expect_suggestions(cb, m, "pole emploi", "th-emploi");
    expect_suggestions(cb, m, "demande de réversion après le décès de son mari", "th-retraite");
    expect_suggestions(cb, m, "avis d'imposition pour le bailleur", "th-impots th-logement");
    expect_suggestions(cb, m, "Chèque énergie, MaPrimeRénov'", "th-logement");
    expect_suggestions(cb, m, "rien à voir", "");
    /* "caf" as a word only: "cafétéria" suggests nothing. */
    expect_suggestions(cb, m, "rendez-vous à la cafétéria", "");

    size_t cp = dim_index(cb, "code-postal");
    const char *msg;
    assert_true(cb_matcher_validate(m, cp, CB_NO_CODE, "35000", &msg));
    assert_false(cb_matcher_validate(m, cp, CB_NO_CODE, "3500", &msg));
    assert_string_equal(msg, "Un code postal français, cinq chiffres, par exemple 35000.");
    assert_false(cb_matcher_validate(m, cp, CB_NO_CODE, "35 000", &msg));
    size_t th = dim_index(cb, "theme");
    size_t autre = code_index(&cb->dims[th], "th-autre");
    assert_true(cb_matcher_validate(m, th, autre, "ANEF", &msg));
    assert_true(cb_matcher_validate(m, th, autre, "Écoles", &msg));
    assert_false(cb_matcher_validate(m, th, autre, "é", &msg));
    assert_string_equal(msg, "Précisez le domaine en quelques lettres, par exemple « ANEF » ou « MDPH ».");
    assert_false(cb_matcher_validate(m, th, autre, "12", &msg));
    cb_matcher_free(m);
}

static void test_french_notes_suggest_and_answers_validate(void **state)
{
    (void)state;
    cb_codebook *cb = load();
    check_patterns(cb);
    cb_free(cb);
}

static void test_patterns_and_validation_survive_a_qdc_round_trip(void **state)
{
    (void)state;
    cb_codebook *cb = load();
    diag_list d = {0};
    char *xml = cbq_write(cb, "carnet test", &d);
    assert_non_null(xml);
    cb_codebook *back;
    assert_int_equal(cbq_parse("fs.qdc", xml, strlen(xml), NULL, &back, &d, NULL), 0);
    check_patterns(back);
    free(xml);
    cb_free(back);
    cb_free(cb);
}

static void test_headings_and_retired_codes_are_never_suggested(void **state)
{
    (void)state;
    cb_codebook *cb = load();
    size_t th = dim_index(cb, "theme");
    cb_dimension *d = &cb->dims[th];
    d->codes[code_index(d, "th-sante")].retired = true;
    d->codes[code_index(d, "th-numerique")].uncodable = true;
    diag_list dl = {0};
    cb_matcher *m = cb_matcher_new(cb, FS, &dl);
    expect_suggestions(cb, m, "mot de passe ameli perdu", "");
    expect_suggestions(cb, m, "prime d'activité", "th-famille");
    cb_matcher_free(m);
    cb_free(cb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_french_notes_suggest_and_answers_validate),
        cmocka_unit_test(test_patterns_and_validation_survive_a_qdc_round_trip),
        cmocka_unit_test(test_headings_and_retired_codes_are_never_suggested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
