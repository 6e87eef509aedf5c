/*
 * Unit tests of cb_diff: what changed between two codebooks, matched by id,
 * with moves judged on the order of the items both keep.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook/cb_file.h"
#include "core/cb_diff.h"
#include "core/util.h"

static const char *BASE = "carnet_codebook: 1\n"
                          "id: mini\n"
                          "title: Mini\n"
                          "language: fr\n"
                          "version: 1\n"
                          "dimensions:\n"
                          "  - id: demande\n"
                          "    label: Type de demande\n"
                          "    mode: single\n"
                          "    required: true\n"
                          "    codes:\n"
                          "      - id: caf\n"
                          "        key: c\n"
                          "        label: CAF\n"
                          "        definition: Démarche CAF.\n"
                          "        when_to_use: w\n"
                          "        when_not_to_use: wn\n"
                          "        example: ex\n"
                          "      - id: cpam\n"
                          "        key: p\n"
                          "        label: CPAM\n"
                          "        definition: d\n"
                          "        when_to_use: w\n"
                          "        when_not_to_use: wn\n"
                          "        example: ex\n"
                          "      - id: impots\n"
                          "        key: i\n"
                          "        label: Impôts\n"
                          "        definition: d\n"
                          "        when_to_use: w\n"
                          "        when_not_to_use: wn\n"
                          "        example: ex\n"
                          "  - id: public\n"
                          "    label: Public\n"
                          "    mode: multiple\n"
                          "    required: false\n"
                          "    codes:\n"
                          "      - id: jeune\n"
                          "        key: j\n"
                          "        label: Jeune\n"
                          "        definition: d\n"
                          "        when_to_use: w\n"
                          "        when_not_to_use: wn\n"
                          "        example: ex\n";

static cb_codebook *parse(const char *text)
{
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_parse("t.yaml", text, strlen(text), &cb, &d)) {
        char *s = diag_format(&d.items[0]);
        fail_msg("%s", s);
    }
    return cb;
}

/* BASE with one substring replaced (each from must occur). */
static cb_codebook *variant(const char *from, const char *to)
{
    const char *p = strstr(BASE, from);
    assert_non_null(p);
    char *t = xasprintf("%.*s%s%s", (int)(p - BASE), BASE, to, p + strlen(from));
    cb_codebook *cb = parse(t);
    free(t);
    return cb;
}

/* The one change expected between a and b. */
static cb_change *only_change(cb_changes *ch, const cb_codebook *a, const cb_codebook *b)
{
    cb_diff(a, b, ch);
    if (ch->n != 1) {
        for (size_t i = 0; i < ch->n; i++) {
            char *s = cb_change_describe(&ch->items[i]);
            print_message("change %zu: %s\n", i, s);
            free(s);
        }
        fail_msg("expected 1 change, got %zu", ch->n);
    }
    return &ch->items[0];
}

static void expect_sentence(const cb_change *c, const char *want)
{
    char *s = cb_change_describe(c);
    assert_string_equal(s, want);
    free(s);
}

static void test_identical_codebooks_have_no_change(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE), *b = parse(BASE);
    cb_changes ch = {0};
    cb_diff(a, b, &ch);
    assert_int_equal(ch.n, 0);
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_renamed_code_keeps_its_id_and_is_reported_as_renamed(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE), *b = variant("label: CAF\n", "label: CAF (RSA, prime d'activité)\n");
    cb_changes ch = {0};
    cb_change *c = only_change(&ch, a, b);
    assert_int_equal(c->kind, CB_CH_CODE_RENAMED);
    assert_string_equal(c->dim_id, "demande");
    assert_string_equal(c->code_id, "caf");
    assert_string_equal(c->before, "CAF");
    assert_string_equal(c->after, "CAF (RSA, prime d'activité)");
    expect_sentence(c, "Code 'caf' of dimension 'demande' renamed: 'CAF' → 'CAF (RSA, prime d'activité)'");
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_retired_and_restored_codes(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE), *b = variant("        label: CPAM\n", "        label: CPAM\n        retired: true\n");
    cb_changes ch = {0};
    cb_change *c = only_change(&ch, a, b);
    assert_int_equal(c->kind, CB_CH_CODE_RETIRED);
    assert_string_equal(c->code_id, "cpam");
    expect_sentence(c, "Code 'cpam' of dimension 'demande' retired");
    cb_changes_clear(&ch);
    c = only_change(&ch, b, a);
    assert_int_equal(c->kind, CB_CH_CODE_RESTORED);
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_adding_a_code_on_top_moves_nothing_else(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE);
    cb_codebook *b = variant("    codes:\n      - id: caf\n", "    codes:\n      - id: msa\n        key: m\n        label: MSA\n"
                                                             "        definition: d\n        when_to_use: w\n"
                                                             "        when_not_to_use: wn\n        example: ex\n"
                                                             "      - id: caf\n");
    cb_changes ch = {0};
    cb_change *c = only_change(&ch, a, b);
    assert_int_equal(c->kind, CB_CH_CODE_ADDED);
    assert_string_equal(c->code_id, "msa");
    assert_string_equal(c->after, "MSA");
    cb_changes_clear(&ch);
    /* And the other way round, the code is removed. */
    c = only_change(&ch, b, a);
    assert_int_equal(c->kind, CB_CH_CODE_REMOVED);
    assert_string_equal(c->before, "MSA");
    expect_sentence(c, "Code 'msa' removed from dimension 'demande' (was 'MSA')");
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_swapping_two_codes_reports_one_move(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE), *b = parse(BASE);
    cb_dimension *d = &b->dims[0];
    cb_code t = d->codes[0]; /* caf cpam impots -> cpam caf impots */
    d->codes[0] = d->codes[1];
    d->codes[1] = t;
    cb_changes ch = {0};
    cb_change *c = only_change(&ch, a, b);
    assert_int_equal(c->kind, CB_CH_CODE_MOVED);
    /* The longest kept order is (cpam, impots) or (caf, impots): one of the
     * two swapped codes is reported, with its old and new positions. */
    if (!strcmp(c->code_id, "caf")) {
        assert_string_equal(c->before, "1");
        assert_string_equal(c->after, "2");
    } else {
        assert_string_equal(c->code_id, "cpam");
        assert_string_equal(c->before, "2");
        assert_string_equal(c->after, "1");
    }
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_code_moved_to_another_dimension(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE), *b = parse(BASE);
    /* impots goes from demande to public. */
    cb_code moved = b->dims[0].codes[2];
    b->dims[0].ncodes--;
    cb_code *dst = cb_add_code(&b->dims[1]);
    *dst = moved;
    cb_changes ch = {0};
    cb_change *c = only_change(&ch, a, b);
    assert_int_equal(c->kind, CB_CH_CODE_DIMENSION);
    assert_string_equal(c->dim_id, "public");
    assert_string_equal(c->before, "demande");
    assert_string_equal(c->after, "public");
    expect_sentence(c, "Code 'impots' moved from dimension 'demande' to dimension 'public'");
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_parent_hotkey_and_definition_changes(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE);
    cb_codebook *b = variant("        key: p\n        label: CPAM\n        definition: d\n",
                             "        key: v\n        label: CPAM\n        definition: Assurance maladie.\n"
                             "        parent: caf\n");
    cb_changes ch = {0};
    cb_diff(a, b, &ch);
    assert_int_equal(ch.n, 3);
    assert_int_equal(ch.items[0].kind, CB_CH_CODE_PARENT);
    assert_null(ch.items[0].before);
    assert_string_equal(ch.items[0].after, "caf");
    expect_sentence(&ch.items[0], "Code 'cpam' of dimension 'demande' moved under 'caf'");
    assert_int_equal(ch.items[1].kind, CB_CH_CODE_HOTKEY);
    assert_string_equal(ch.items[1].before, "p");
    assert_string_equal(ch.items[1].after, "v");
    expect_sentence(&ch.items[1], "Code 'cpam' of dimension 'demande': hotkey 'p' → 'v'");
    assert_int_equal(ch.items[2].kind, CB_CH_CODE_FIELD);
    assert_string_equal(ch.items[2].field, "definition");
    expect_sentence(&ch.items[2], "Code 'cpam' of dimension 'demande': definition changed from 'd' to 'Assurance maladie.'");
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_long_definitions_are_not_quoted(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE);
    cb_codebook *b = variant("definition: Démarche CAF.\n", "definition: |\n          Démarche auprès de la CAF.\n"
                                                           "          Deuxième ligne.\n");
    cb_changes ch = {0};
    cb_change *c = only_change(&ch, a, b);
    expect_sentence(c, "Code 'caf' of dimension 'demande': definition changed");
    assert_string_equal(c->after, "Démarche auprès de la CAF.\nDeuxième ligne.\n");
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_dimension_changes(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE);
    cb_codebook *b = variant("    label: Public\n    mode: multiple\n    required: false\n",
                             "    label: Public reçu\n    mode: single\n    required: true\n    retired: true\n");
    cb_changes ch = {0};
    cb_diff(a, b, &ch);
    assert_int_equal(ch.n, 4);
    assert_int_equal(ch.items[0].kind, CB_CH_DIM_RETIRED);
    assert_int_equal(ch.items[1].kind, CB_CH_DIM_RENAMED);
    expect_sentence(&ch.items[1], "Dimension 'public' renamed: 'Public' → 'Public reçu'");
    assert_int_equal(ch.items[2].kind, CB_CH_DIM_MODE);
    expect_sentence(&ch.items[2], "Dimension 'public' changed mode: multiple → single");
    assert_int_equal(ch.items[3].kind, CB_CH_DIM_REQUIRED);
    expect_sentence(&ch.items[3], "Dimension 'public' is now required");
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_moved_dimension_and_codebook_fields(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE), *b = parse(BASE);
    cb_dimension t = b->dims[0];
    b->dims[0] = b->dims[1];
    b->dims[1] = t;
    b->version = 2;
    cb_changes ch = {0};
    cb_diff(a, b, &ch);
    assert_int_equal(ch.n, 2);
    assert_int_equal(ch.items[0].kind, CB_CH_CODEBOOK);
    expect_sentence(&ch.items[0], "Codebook: version changed from '1' to '2'");
    assert_int_equal(ch.items[1].kind, CB_CH_DIM_MOVED);
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

static void test_added_dimension_lists_its_codes(void **state)
{
    (void)state;
    cb_codebook *a = parse(BASE), *b = parse(BASE);
    cb_dimension *d = cb_add_dimension(b);
    d->id = xstrdup("orientation");
    d->label = xstrdup("Orientation");
    cb_code *c = cb_add_code(d);
    c->id = xstrdup("sur-place");
    c->label = xstrdup("Réglé sur place");
    cb_changes ch = {0};
    cb_diff(a, b, &ch);
    assert_int_equal(ch.n, 2);
    assert_int_equal(ch.items[0].kind, CB_CH_DIM_ADDED);
    expect_sentence(&ch.items[0], "Dimension 'orientation' added: 'Orientation'");
    assert_int_equal(ch.items[1].kind, CB_CH_CODE_ADDED);
    assert_string_equal(ch.items[1].dim_id, "orientation");
    cb_changes_clear(&ch);
    cb_diff(b, a, &ch);
    assert_int_equal(ch.n, 2);
    assert_int_equal(ch.items[0].kind, CB_CH_DIM_REMOVED);
    assert_int_equal(ch.items[1].kind, CB_CH_CODE_REMOVED);
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_codebooks_have_no_change),
        cmocka_unit_test(test_renamed_code_keeps_its_id_and_is_reported_as_renamed),
        cmocka_unit_test(test_retired_and_restored_codes),
        cmocka_unit_test(test_adding_a_code_on_top_moves_nothing_else),
        cmocka_unit_test(test_swapping_two_codes_reports_one_move),
        cmocka_unit_test(test_code_moved_to_another_dimension),
        cmocka_unit_test(test_parent_hotkey_and_definition_changes),
        cmocka_unit_test(test_long_definitions_are_not_quoted),
        cmocka_unit_test(test_dimension_changes),
        cmocka_unit_test(test_moved_dimension_and_codebook_fields),
        cmocka_unit_test(test_added_dimension_lists_its_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
