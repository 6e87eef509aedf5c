/*
 * Unit tests of compiled codebook patterns: suggestions from a note and
 * validation of free-text answers, in French with accents.
 */
#include "unit.h"

#include <string.h>

#include "codebook/cb_file.h"
#include "core/cb_match.h"

static const char *text =
    "carnet_codebook: 1\nid: t\ntitle: T\nlanguage: fr\nversion: 1\n"
    "dimensions:\n"
    "  - id: demande\n    label: Demande\n    codes:\n"
    "      - id: caf\n        key: c\n        label: CAF\n        definition: x\n        when_to_use: x\n"
    "        when_not_to_use: x\n        example: x\n"
    "        patterns:\n          - '\\brsa\\b'\n          - 'prime d.activit'\n"
    "      - id: impots\n        key: i\n        label: Impôts\n        definition: x\n        when_to_use: x\n"
    "        when_not_to_use: x\n        example: x\n"
    "        patterns:\n          - 'impôts?'\n          - 'déclaration de revenus'\n"
    "      - id: vieux\n        label: Retiré\n        retired: true\n        definition: x\n        when_to_use: x\n"
    "        when_not_to_use: x\n        example: x\n        patterns:\n          - 'rsa'\n"
    "      - id: autre\n        key: a\n        label: Autre\n        other: true\n        definition: x\n"
    "        when_to_use: x\n        when_not_to_use: x\n        example: x\n"
    "        validate: '^\\p{L}[\\p{L} -]{2,}$'\n        validate_message: Écrire un nom d'organisme\n"
    "  - id: commune\n    label: Code postal\n    mode: text\n    validate: '^\\d{5}$'\n"
    "    validate_message: Cinq chiffres\n";

static cb_codebook *load(void)
{
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_parse("t.yaml", text, strlen(text), &cb, &d), 0);
    return cb;
}

static void test_note_suggests_codes_caselessly_with_accents(void **state)
{
    (void)state;
    cb_codebook *cb = load();
    cb_matcher *m = cb_matcher_new(cb, "t.yaml", NULL);
    cb_suggestion s[4];
    assert_int_equal(cb_matcher_suggest(m, "Vient pour sa PRIME D'ACTIVITÉ", s, 4), 1);
    assert_string_equal(cb->dims[s[0].dim].codes[s[0].code].id, "caf");
    /* "IMPÔTS" in capitals matches the lowercase "impôts?" */
    assert_int_equal(cb_matcher_suggest(m, "problème IMPÔTS et RSA", s, 4), 2);
    assert_string_equal(cb->dims[s[0].dim].codes[s[0].code].id, "caf");
    assert_string_equal(cb->dims[s[1].dim].codes[s[1].code].id, "impots");
    /* \b keeps "rsa" from matching inside a word; retired codes never suggest */
    assert_int_equal(cb_matcher_suggest(m, "une bourse académique", s, 4), 0);
    cb_matcher_free(m);
    cb_free(cb);
}

static void test_suggestions_beyond_max_are_counted_not_written(void **state)
{
    (void)state;
    cb_codebook *cb = load();
    cb_matcher *m = cb_matcher_new(cb, "t.yaml", NULL);
    cb_suggestion s[1] = {{99, 99}};
    assert_int_equal(cb_matcher_suggest(m, "rsa, impôts", s, 1), 2);
    assert_int_equal(s[0].code, 0);
    assert_int_equal(cb_matcher_suggest(m, "", s, 1), 0);
    assert_int_equal(cb_matcher_suggest(m, "\xff\xfe rsa", s, 1), 0);
    cb_matcher_free(m);
    cb_free(cb);
}

static void test_free_text_validation_gives_the_codebook_message(void **state)
{
    (void)state;
    cb_codebook *cb = load();
    cb_matcher *m = cb_matcher_new(cb, "t.yaml", NULL);
    const char *msg = "unset";
    assert_true(cb_matcher_validate(m, 1, CB_NO_CODE, "35000", &msg));
    assert_null(msg);
    assert_false(cb_matcher_validate(m, 1, CB_NO_CODE, "3500", &msg));
    assert_string_equal(msg, "Cinq chiffres");
    assert_false(cb_matcher_validate(m, 0, 3, "Préfecture d'Ille", &msg)); /* no apostrophe in the class */
    assert_string_equal(msg, "Écrire un nom d'organisme");
    assert_true(cb_matcher_validate(m, 0, 3, "Électricité de Bretagne", &msg));
    /* codes without a pattern accept anything */
    assert_true(cb_matcher_validate(m, 0, 0, "", &msg));
    cb_matcher_free(m);
    cb_free(cb);
}

static void test_invalid_pattern_is_reported_at_its_place(void **state)
{
    (void)state;
    diag_list d = {0};
    assert_false(cb_pattern_check("prime (d", (cb_pos){12, 13}, "g.yaml", &d));
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].line, 12);
    assert_int_equal(d.items[0].col, 13);
    assert_non_null(strstr(d.items[0].msg, "missing closing parenthesis"));
    diag_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_note_suggests_codes_caselessly_with_accents),
        cmocka_unit_test(test_suggestions_beyond_max_are_counted_not_written),
        cmocka_unit_test(test_free_text_validation_gives_the_codebook_message),
        cmocka_unit_test(test_invalid_pattern_is_reported_at_its_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
