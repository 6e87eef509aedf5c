/*
 * Unit tests of the codebook model and of the native YAML format:
 * every error path of the parser names the file, line and column.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/cb_match.h"
#include "core/codebook.h"
#include "core/util.h"

static const char *VALID =
    "# a comment\n"
    "carnet_codebook: 1\n"
    "id: mini\n"
    "title: Mini\n"
    "language: fr\n"
    "version: 2\n"
    "dimensions:\n"
    "  - id: demande\n"
    "    label: Type de demande\n"
    "    mode: single\n"
    "    required: true\n"
    "    codes:\n"
    "      - id: caf\n"
    "        key: c\n"
    "        label: CAF — prime d'activité\n"
    "        definition: d\n"
    "        when_to_use: w\n"
    "        when_not_to_use: wn\n"
    "        example: ex\n"
    "      - id: autre\n"
    "        key: x\n"
    "        label: Autre\n"
    "        definition: d\n"
    "        when_to_use: w\n"
    "        when_not_to_use: wn\n"
    "        example: ex\n"
    "        other: true\n"
    "        parent: caf\n"
    "  - id: obstacle\n"
    "    label: Obstacle numérique\n"
    "    mode: multiple\n"
    "    required: false\n"
    "    codes:\n"
    "      - id: mail\n"
    "        key: m\n"
    "        label: Pas d'e-mail\n"
    "        definition: d\n"
    "        when_to_use: w\n"
    "        when_not_to_use: wn\n"
    "        example: ex\n"
    "        patterns:\n"
    "          - '\\bmail\\b'\n";

/* Parses text (expected to fail) and checks the first diagnostic. */
static void expect_error(const char *text, size_t len, int line, int col, const char *needle)
{
    diag_list d = {0};
    cb_codebook *cb = (cb_codebook *)1;
    size_t n = cbf_parse("t.yaml", text, len, &cb, &d);
    if (n == 0 || d.n == 0)
        fail_msg("expected an error containing '%s'", needle);
    assert_null(cb);
    char *s = diag_format(&d.items[0]);
    if (!strstr(s, needle))
        fail_msg("got '%s', expected it to contain '%s'", s, needle);
    if (d.items[0].line != line || d.items[0].col != col)
        fail_msg("got '%s', expected line %d col %d", s, line, col);
    assert_string_equal(d.items[0].file, "t.yaml");
    free(s);
    diag_clear(&d);
}

/* VALID with one substring replaced. */
static char *variant(const char *from, const char *to)
{
    const char *p = strstr(VALID, from);
    assert_non_null(p);
    return xasprintf("%.*s%s%s", (int)(p - VALID), VALID, to, p + strlen(from));
}

static void test_valid_codebook_parses_every_field(void **state)
{
    (void)state;
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_parse("t.yaml", VALID, strlen(VALID), &cb, &d), 0);
    assert_int_equal(d.n, 0);
    assert_string_equal(cb->id, "mini");
    assert_int_equal(cb->version, 2);
    assert_int_equal(cb->ndims, 2);
    assert_int_equal(cb->dims[0].mode, CB_SINGLE);
    assert_true(cb->dims[0].required);
    assert_int_equal(cb->dims[1].mode, CB_MULTIPLE);
    const cb_code *c = &cb->dims[0].codes[1];
    assert_string_equal(c->id, "autre");
    assert_true(c->other);
    assert_string_equal(c->parent, "caf");
    assert_string_equal(cb->dims[0].codes[0].label, "CAF — prime d'activité");
    assert_int_equal(cb->dims[1].codes[0].npatterns, 1);
    assert_string_equal(cb->dims[1].codes[0].patterns[0], "\\bmail\\b");
    assert_ptr_equal(cb_code_by_key(&cb->dims[0], 'C'), &cb->dims[0].codes[0]);
    cb_free(cb);
}

static void test_write_then_parse_gives_the_same_codebook(void **state)
{
    (void)state;
    diag_list d = {0};
    cb_codebook *a, *b;
    assert_int_equal(cbf_parse("t.yaml", VALID, strlen(VALID), &a, &d), 0);
    /* Awkward values: leading indicator, colon-space, multi-line, quotes. */
    free(a->dims[0].codes[0].example);
    a->dims[0].codes[0].example = xstrdup("- « Bonjour : je viens pour la CAF »\nDeuxième ligne\n");
    free(a->dims[0].codes[1].definition);
    a->dims[0].codes[1].definition = xstrdup("\"quoted\" # not a comment\ttab");
    free(a->description);
    a->description = xstrdup("true");
    char *text = cbf_write(a);
    assert_int_equal(cbf_parse("w.yaml", text, strlen(text), &b, &d), 0);
    assert_true(cb_equal(a, b));
    char *again = cbf_write(b);
    assert_string_equal(text, again);
    free(text);
    free(again);
    cb_free(a);
    cb_free(b);
}

static void test_missing_field_names_the_field_and_the_code(void **state)
{
    (void)state;
    char *t = variant("        definition: d\n        when_to_use: w\n        when_not_to_use: wn\n        example: "
                      "ex\n      - id: autre",
                      "        when_to_use: w\n        when_not_to_use: wn\n        example: ex\n      - id: autre");
    expect_error(t, strlen(t), 13, 9, "missing field 'definition' in code 'caf': expected what the code means");
    free(t);
}

static void test_duplicate_hotkey_is_refused_with_position(void **state)
{
    (void)state;
    char *t = variant("key: x", "key: C");
    expect_error(t, strlen(t), 21, 14, "duplicate hotkey 'C' in dimension 'demande': already used by code 'caf' at line 14");
    free(t);
}

static void test_duplicate_code_id_across_dimensions_is_refused(void **state)
{
    (void)state;
    char *t = variant("id: mail", "id: caf");
    expect_error(t, strlen(t), 34, 13, "duplicate code id 'caf': already used at line 13");
    free(t);
}

static void test_unknown_parent_is_refused(void **state)
{
    (void)state;
    char *t = variant("parent: caf", "parent: cpam");
    expect_error(t, strlen(t), 28, 17, "unknown parent 'cpam' for code 'autre'");
    free(t);
}

static void test_invalid_utf8_points_at_the_byte(void **state)
{
    (void)state;
    char *t = variant("Type de demande", "Type de \xE9tude");
    expect_error(t, strlen(t), 9, 20, "invalid UTF-8 (byte 0xE9)");
    free(t);
}

static void test_bad_indentation_is_a_syntax_error_with_position(void **state)
{
    (void)state;
    char *t = variant("    mode: single\n", "   mode: single\n");
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_not_equal(cbf_parse("t.yaml", t, strlen(t), &cb, &d), 0);
    assert_null(cb);
    assert_int_equal(d.items[0].line, 10);
    assert_non_null(strstr(d.items[0].msg, "syntax error"));
    diag_clear(&d);
    free(t);
}

static void test_tab_indentation_is_a_syntax_error(void **state)
{
    (void)state;
    char *t = variant("    label: Type de demande", "\tlabel: Type de demande");
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_not_equal(cbf_parse("t.yaml", t, strlen(t), &cb, &d), 0);
    assert_int_equal(d.items[0].line, 9);
    assert_non_null(strstr(d.items[0].msg, "syntax error"));
    diag_clear(&d);
    free(t);
}

static void test_empty_file_says_what_was_expected(void **state)
{
    (void)state;
    expect_error("", 0, 1, 1, "empty file: expected a codebook");
    expect_error("# only a comment\n\n", 18, 1, 1, "empty file");
}

static void test_ten_megabyte_file_is_refused_before_parsing(void **state)
{
    (void)state;
    char path[] = "/tmp/carnet-big-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(VALID, f);
    for (int i = 0; i < 10 * 1024; i++) {
        char line[1024];
        memset(line, 'a', sizeof line - 1);
        line[0] = '#';
        line[sizeof line - 2] = '\n';
        line[sizeof line - 1] = 0;
        fputs(line, f);
    }
    fclose(f);
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_read_file(path, &cb, &d), 1);
    assert_null(cb);
    assert_non_null(strstr(d.items[0].msg, "file too large"));
    assert_int_equal(d.items[0].line, 1);
    diag_clear(&d);
    unlink(path);
}

static void test_unknown_key_lists_the_expected_keys(void **state)
{
    (void)state;
    char *t = variant("when_not_to_use: wn\n        example: ex\n        other", "when_not_to_uses: wn\n        "
                                                                              "example: ex\n        other");
    expect_error(t, strlen(t), 25, 9, "unknown key 'when_not_to_uses' in code");
    free(t);
}

static void test_hotkey_must_be_one_letter_or_digit(void **state)
{
    (void)state;
    char *t = variant("key: x", "key: xy");
    expect_error(t, strlen(t), 21, 14, "expected exactly one letter or digit");
    free(t);
    t = variant("key: x", "key: '!'");
    expect_error(t, strlen(t), 21, 14, "invalid hotkey '!'");
    free(t);
}

static void test_invalid_pattern_reports_pcre2_message(void **state)
{
    (void)state;
    char *t = variant("'\\bmail\\b'", "'(mail'");
    expect_error(t, strlen(t), 42, 13, "invalid pattern '(mail': missing closing parenthesis");
    free(t);
}

static void test_wrong_types_and_values_are_explained(void **state)
{
    (void)state;
    char *t = variant("required: true", "required: yes");
    expect_error(t, strlen(t), 11, 15, "'required' must be true or false, found 'yes'");
    free(t);
    t = variant("mode: multiple", "mode: several");
    expect_error(t, strlen(t), 31, 11, "unknown mode 'several'");
    free(t);
    t = variant("carnet_codebook: 1", "carnet_codebook: 2");
    expect_error(t, strlen(t), 2, 1, "unsupported format version 2");
    free(t);
    expect_error("- a\n- b\n", 8, 1, 1, "expected a codebook");
}

static void test_duplicate_mapping_key_is_refused(void **state)
{
    (void)state;
    char *t = variant("title: Mini\n", "title: Mini\ntitle: Maxi\n");
    expect_error(t, strlen(t), 5, 1, "duplicate key 'title' (first given at line 4)");
    free(t);
}

static void test_parent_cycle_is_refused(void **state)
{
    (void)state;
    char *t = variant("        example: ex\n      - id: autre", "        example: ex\n        parent: autre\n      - id: autre");
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_not_equal(cbf_parse("t.yaml", t, strlen(t), &cb, &d), 0);
    bool found = false;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.items[i].msg, "parent cycle") != NULL;
    assert_true(found);
    diag_clear(&d);
    free(t);
}

static void test_clone_is_deep_and_equal(void **state)
{
    (void)state;
    diag_list d = {0};
    cb_codebook *a;
    assert_int_equal(cbf_parse("t.yaml", VALID, strlen(VALID), &a, &d), 0);
    cb_codebook *b = cb_clone(a);
    assert_true(cb_equal(a, b));
    b->dims[0].codes[0].label[0] = 'X';
    assert_false(cb_equal(a, b));
    cb_free(a);
    cb_free(b);
}


static void test_proposed_hotkey_is_first_free_letter_of_the_label_then_a_digit(void **state)
{
    (void)state;
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_parse("t.yaml", VALID, strlen(VALID), &cb, &d), 0);
    cb_dimension *dim = &cb->dims[0]; /* keys c (caf) and x (autre) */
    assert_int_equal(cb_propose_key(dim, NULL, "Énergie"), 'e');
    /* c is taken, a is free: "Caisse" gives 'a'. */
    assert_int_equal(cb_propose_key(dim, NULL, "Caisse"), 'a');
    assert_int_equal(cb_propose_key(dim, NULL, "CX"), '1');
    /* The code's own key does not count against it. */
    assert_int_equal(cb_propose_key(dim, &dim->codes[0], "CAF"), 'c');
    assert_int_equal(cb_propose_key(dim, NULL, "Œuvre"), 'o');
    cb_free(cb);
}

static void test_missing_hotkeys_are_proposed_with_a_notice(void **state)
{
    (void)state;
    char *t = variant("        key: x\n", "");
    diag_list d = {0}, notes = {0};
    cb_codebook *cb;
    /* Checking is strict... */
    assert_int_not_equal(cbf_parse("t.yaml", t, strlen(t), &cb, &d), 0);
    assert_non_null(strstr(d.items[0].msg, "missing field 'key' in code 'autre'"));
    diag_clear(&d);
    /* ...importing proposes one. */
    assert_int_equal(cbf_parse_keys("t.yaml", t, strlen(t), &cb, &d, &notes), 0);
    assert_int_equal(cb->dims[0].codes[1].key, 'a');
    assert_int_equal(notes.n, 1);
    char *s = diag_format(&notes.items[0]);
    assert_string_equal(s, "t.yaml:20:9: hotkey 'a' proposed for code 'autre' (Autre) in dimension 'demande'");
    free(s);
    diag_clear(&notes);
    cb_free(cb);
    free(t);
}

static void test_slug_folds_accents_and_joins_words(void **state)
{
    (void)state;
    char *s = cb_slug("Énergie (chèque énergie, fournisseur)");
    assert_string_equal(s, "energie-cheque-energie-fournisseur");
    free(s);
    s = cb_slug("Cœur d'œuvre");
    assert_string_equal(s, "coeur-d-oeuvre");
    free(s);
    s = cb_slug("« — »");
    assert_string_equal(s, "code");
    free(s);
}

static void test_codable_color_and_guid_of_dimensions_round_trip(void **state)
{
    (void)state;
    char *t = variant("    label: Obstacle numérique\n", "    label: Obstacle numérique\n    color: '#3366cc'\n"
                                                           "    guid: '{30378FF7-8709-434B-A34B-0C21A6E91A4A}'\n");
    char *t2 = xasprintf("%s        codable: false\n", t);
    free(t);
    diag_list d = {0};
    cb_codebook *a, *b;
    assert_int_equal(cbf_parse("t.yaml", t2, strlen(t2), &a, &d), 0);
    assert_string_equal(a->dims[1].color, "#3366cc");
    assert_string_equal(a->dims[1].guid, "{30378FF7-8709-434B-A34B-0C21A6E91A4A}");
    assert_true(a->dims[1].codes[0].uncodable);
    /* A heading cannot be chosen by its key. */
    assert_null(cb_code_by_key(&a->dims[1], 'm'));
    char *text = cbf_write(a);
    assert_int_equal(cbf_parse("w.yaml", text, strlen(text), &b, &d), 0);
    assert_true(cb_equal(a, b));
    b->dims[1].codes[0].uncodable = false;
    assert_false(cb_equal(a, b));
    free(text);
    free(t2);
    cb_free(a);
    cb_free(b);
}

static void test_invalid_guid_and_color_are_refused_at_their_place(void **state)
{
    (void)state;
    char *t = variant("    mode: multiple\n", "    mode: multiple\n    guid: not-a-guid\n");
    expect_error(t, strlen(t), 32, 11, "invalid guid 'not-a-guid' for dimension 'obstacle'");
    free(t);
    t = variant("    mode: multiple\n", "    mode: multiple\n    color: blue\n");
    expect_error(t, strlen(t), 32, 12, "invalid color 'blue' for dimension 'obstacle': expected #rrggbb");
    free(t);
    assert_true(cb_valid_guid("30378ff7-8709-434b-a34b-0c21a6e91a4a"));
    assert_true(cb_valid_guid("{30378FF7-8709-434B-A34B-0C21A6E91A4A}"));
    assert_false(cb_valid_guid("{30378FF7-8709-434B-A34B-0C21A6E91A4A"));
    assert_false(cb_valid_guid("30378ff7-8709-434b-a34b-0c21a6e91a4"));
}

static void test_pattern_check_gives_pcre2_message_with_accents(void **state)
{
    (void)state;
    diag_list d = {0};
    assert_true(cb_pattern_check("d[ée]marche|\\bcaf\\b", (cb_pos){3, 7}, "t.yaml", &d));
    assert_int_equal(d.n, 0);
    assert_false(cb_pattern_check("prime d(activit[ée]", (cb_pos){3, 7}, "t.yaml", &d));
    char *s = diag_format(&d.items[0]);
    assert_string_equal(s, "t.yaml:3:7: invalid pattern 'prime d(activit[ée]': missing closing parenthesis "
                           "(at offset 20)");
    free(s);
    diag_clear(&d);
    /* A validation pattern of an other-specify code is checked too, at its node. */
    char *t = variant("        other: true\n", "        other: true\n        validate: '^(\\d{5}$'\n");
    expect_error(t, strlen(t), 28, 19, "invalid pattern '^(\\d{5}$': missing closing parenthesis");
    free(t);
}

static void test_insert_and_remove_keep_the_order(void **state)
{
    (void)state;
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_parse("t.yaml", VALID, strlen(VALID), &cb, &d), 0);
    cb_dimension *dim = &cb->dims[0];
    cb_code *c = cb_insert_code(dim, 1);
    c->id = xstrdup("msa");
    assert_int_equal(dim->ncodes, 3);
    assert_string_equal(dim->codes[0].id, "caf");
    assert_string_equal(dim->codes[1].id, "msa");
    assert_string_equal(dim->codes[2].id, "autre");
    cb_remove_code(dim, 0);
    assert_int_equal(dim->ncodes, 2);
    assert_string_equal(dim->codes[0].id, "msa");
    cb_dimension *nd = cb_insert_dimension(cb, 0);
    nd->id = xstrdup("first");
    assert_string_equal(cb->dims[0].id, "first");
    assert_string_equal(cb->dims[1].id, "demande");
    cb_remove_dimension(cb, 1);
    assert_int_equal(cb->ndims, 2);
    assert_string_equal(cb->dims[1].id, "obstacle");
    cb_free(cb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_codebook_parses_every_field),
        cmocka_unit_test(test_write_then_parse_gives_the_same_codebook),
        cmocka_unit_test(test_missing_field_names_the_field_and_the_code),
        cmocka_unit_test(test_duplicate_hotkey_is_refused_with_position),
        cmocka_unit_test(test_duplicate_code_id_across_dimensions_is_refused),
        cmocka_unit_test(test_unknown_parent_is_refused),
        cmocka_unit_test(test_invalid_utf8_points_at_the_byte),
        cmocka_unit_test(test_bad_indentation_is_a_syntax_error_with_position),
        cmocka_unit_test(test_tab_indentation_is_a_syntax_error),
        cmocka_unit_test(test_empty_file_says_what_was_expected),
        cmocka_unit_test(test_ten_megabyte_file_is_refused_before_parsing),
        cmocka_unit_test(test_unknown_key_lists_the_expected_keys),
        cmocka_unit_test(test_hotkey_must_be_one_letter_or_digit),
        cmocka_unit_test(test_invalid_pattern_reports_pcre2_message),
        cmocka_unit_test(test_wrong_types_and_values_are_explained),
        cmocka_unit_test(test_duplicate_mapping_key_is_refused),
        cmocka_unit_test(test_parent_cycle_is_refused),
        cmocka_unit_test(test_clone_is_deep_and_equal),
        cmocka_unit_test(test_proposed_hotkey_is_first_free_letter_of_the_label_then_a_digit),
        cmocka_unit_test(test_missing_hotkeys_are_proposed_with_a_notice),
        cmocka_unit_test(test_slug_folds_accents_and_joins_words),
        cmocka_unit_test(test_codable_color_and_guid_of_dimensions_round_trip),
        cmocka_unit_test(test_invalid_guid_and_color_are_refused_at_their_place),
        cmocka_unit_test(test_pattern_check_gives_pcre2_message_with_accents),
        cmocka_unit_test(test_insert_and_remove_keep_the_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
