/*
 * Unit tests of training: the vignette file reader (positions of every
 * problem), the shipped vignettes against the shipped codebook, scoring a
 * run against the reference, and wrapping text for the screen.
 */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook/cb_file.h"
#include "codebook/vignettes.h"
#include "core/text.h"
#include "core/training.h"
#include "core/util.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static cb_codebook *shipped_codebook(void)
{
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_read_file(SRCDIR "/codebooks/labacces-accueil.yaml", &cb, &d), 0);
    return cb;
}

static void test_shipped_vignettes_use_only_codes_of_the_shipped_codebook(void **state)
{
    (void)state;
    const char *path = SRCDIR "/codebooks/labacces-accueil.vignettes.yaml";
    diag_list d = {0};
    vg_set *s;
    char *source;
    size_t bad = vgf_read_file(path, &s, &source, &d);
    for (size_t i = 0; i < d.n; i++) {
        char *m = diag_format(&d.items[i]);
        print_error("%s\n", m);
        free(m);
    }
    assert_int_equal(bad, 0);
    assert_non_null(strstr(source, "carnet_vignettes: 1"));
    cb_codebook *cb = shipped_codebook();
    bad = vg_check(s, cb, path, &d);
    for (size_t i = 0; i < d.n; i++) {
        char *m = diag_format(&d.items[i]);
        print_error("%s\n", m);
        free(m);
    }
    assert_int_equal(bad, 0);
    assert_true(s->n >= 20);
    for (size_t i = 0; i < s->n; i++) {
        assert_non_null(s->items[i].title);
        assert_non_null(s->items[i].explanation);
        /* A reference on every choice dimension (vg_check says so), and
         * texts short enough to read on an 80x24 screen. */
        assert_int_equal(s->items[i].nrefs, 4);
        char **lines;
        size_t n = u8_wrap(s->items[i].text, 76, &lines);
        u8_lines_free(lines, n);
        if (n > 7)
            fail_msg("vignette %s takes %zu lines at 76 columns", s->items[i].id, n);
    }
    diag_clear(&d);
    free(source);
    vg_free(s);
    cb_free(cb);
}

/* Parses text and expects its first problem at line:col, containing msg. */
static void expect_problem(const char *text, int line, int col, const char *msg)
{
    diag_list d = {0};
    vg_set *s;
    size_t bad = vgf_parse("t.yaml", text, strlen(text), &s, &d);
    assert_null(s);
    assert_true(bad > 0);
    if (d.items[0].line != line || d.items[0].col != col || !strstr(d.items[0].msg, msg))
        fail_msg("got %d:%d: %s; want %d:%d: ...%s...", d.items[0].line, d.items[0].col, d.items[0].msg, line, col,
                 msg);
    diag_clear(&d);
}

#define HEAD "carnet_vignettes: 1\ncodebook: mini\ntitle: T\nvignettes:\n"

static void test_vignette_problems_are_reported_at_their_place(void **state)
{
    (void)state;
    expect_problem("", 1, 1, "empty file: expected vignettes");
    expect_problem("carnet_vignettes: 1\ncodebook: mini\ntitle: T\nvignettes: []\n", 1, 1, "no vignettes");
    expect_problem(HEAD "  - id: a\n    reference: {d: x}\n", 5, 5, "missing field 'text' in vignette 'a'");
    expect_problem(HEAD "  - id: a\n    text: t\n", 5, 5, "missing field 'reference'");
    expect_problem(HEAD "  - id: a\n    text: t\n    refrence: {d: x}\n", 7, 5, "unknown key 'refrence' in vignette");
    expect_problem(HEAD "  - id: a\n    text: t\n    reference: [x]\n", 7, 16, "expected a mapping of dimension ids");
    expect_problem(HEAD "  - id: a\n    text: t\n    reference: {d: {x: 1}}\n", 7, 20, "a code id or a list");
    expect_problem(HEAD "  - id: a\n    text: t\n    reference: {d: x, d: y}\n", 7, 23, "duplicate key 'd'");
    expect_problem(HEAD "  - id: a\n    text: t\n    reference: {d: x}\n  - id: a\n    text: u\n    reference: {d: x}\n",
                   8, 9, "duplicate vignette id 'a' (first at line 5)");
    expect_problem(HEAD "  - id: A b\n    text: t\n    reference: {d: x}\n", 5, 9, "invalid vignette id 'A b'");
    expect_problem("carnet_vignettes: 2\ncodebook: mini\ntitle: T\nvignettes: [{id: a, text: t, reference: {}}]\n", 1,
                   1, "newer format");
    expect_problem("codebook: mini\n", 1, 1, "missing field 'carnet_vignettes'");
    expect_problem(HEAD "  - id: a\n    text: \"caf\xe9\"\n", 6, 15, "invalid UTF-8 (byte 0xE9)");
    expect_problem(HEAD "  - id: a\n    text: t\n    reference: {d: x}\n---\nx: 1\n", 9, 1, "a second YAML document");
    expect_problem(HEAD "  - id: a\n   text: t\n", 6, 4, "syntax error");
}

static cb_codebook *mini(void)
{
    static const char *text =
        "carnet_codebook: 1\nid: mini\ntitle: Mini\nlanguage: fr\nversion: 1\ndimensions:\n"
        "  - id: d\n    label: Demande\n    mode: single\n    codes:\n"
        "      - {id: a, key: a, label: A, definition: dA, when_to_use: x, when_not_to_use: nA, example: x}\n"
        "      - {id: b, key: b, label: B, definition: dB, when_to_use: x, when_not_to_use: nB, example: x}\n"
        "      - {id: c, key: c, label: C, definition: dC, when_to_use: x, when_not_to_use: nC, example: x, "
        "retired: true}\n"
        "  - id: note\n    label: Note\n    mode: text\n"
        "  - id: e\n    label: Obstacles\n    mode: multiple\n    codes:\n"
        "      - {id: x, key: x, label: X, definition: dX, when_to_use: x, when_not_to_use: nX, example: x}\n"
        "      - {id: y, key: y, label: Y, definition: dY, when_to_use: x, when_not_to_use: nY, example: x}\n"
        "      - {id: h, label: H, codable: false, definition: dH, when_to_use: x, when_not_to_use: nH, example: x}\n";
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_parse("mini", text, strlen(text), &cb, &d), 0);
    return cb;
}

static vg_set *parse_ok(const char *text)
{
    diag_list d = {0};
    vg_set *s;
    assert_int_equal(vgf_parse("t.yaml", text, strlen(text), &s, &d), 0);
    return s;
}

static void test_references_are_checked_against_the_codebook(void **state)
{
    (void)state;
    cb_codebook *cb = mini();
    vg_set *s = parse_ok(HEAD "  - id: a\n    text: t\n    reference: {d: [a, b], e: z, note: x, f: a}\n"
                              "  - id: b\n    text: t\n    reference: {d: c}\n"
                              "  - id: c\n    text: t\n    reference: {d: a, e: [x, h]}\n");
    diag_list d = {0};
    assert_int_equal(vg_check(s, cb, "t.yaml", &d), 7);
    const char *want[] = {
        "7:17: dimension 'd' is single choice: the reference needs exactly one code, found 2",
        "7:31: unknown code 'z' in dimension 'e' of codebook mini",
        "7:34: dimension 'note' is free text in codebook mini: it takes no reference code",
        "7:43: unknown dimension 'f': not in codebook mini",
        "10:20: code 'c' of dimension 'd' is retired in codebook mini",
        "10:16: vignette 'b' has no reference coding for dimension 'e' (give [] for no code)",
        "13:30: code 'h' of dimension 'e' is a heading in codebook mini: it cannot be chosen",
    };
    assert_int_equal(d.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < d.n; i++) {
        char *m = diag_format(&d.items[i]);
        assert_string_equal(m + strlen("t.yaml:"), want[i]);
        free(m);
    }
    diag_clear(&d);
    vg_free(s);
    s = parse_ok("carnet_vignettes: 1\ncodebook: other\ntitle: T\nvignettes: [{id: a, text: t, reference: {}}]\n");
    assert_int_equal(vg_check(s, cb, "t.yaml", &d), 1);
    assert_non_null(strstr(d.items[0].msg, "for codebook 'other' but the study's codebook is 'mini'"));
    diag_clear(&d);
    vg_free(s);
    cb_free(cb);
}

/* Four vignettes; the trainee misses d on v2 and v4 and e on v3.
 *   d: reference a a b b, trainee a b b (none) -> 2/4 agreed;
 *      categories a, b, none: table [[1,1,0],[0,1,1],[0,0,0]], po = 0.5,
 *      pe = (2/4)(1/4) + (2/4)(2/4) = 0.375, kappa = 0.125 / 0.625 = 0.2.
 *   e: reference {x} {} {x,y} {y}, trainee {x} {} {x} {y} -> 3/4 agreed;
 *      pooled over x and y: (1,1) 3, (1,0) 1, (0,0) 4 -> po = 7/8,
 *      pe = (4/8)(3/8) + (4/8)(5/8) = 0.5, kappa = 0.75. */
static void test_a_run_is_scored_per_dimension_with_its_disagreements(void **state)
{
    (void)state;
    cb_codebook *cb = mini();
    vg_set *s = parse_ok(HEAD "  - {id: v1, text: t, reference: {d: a, e: [x]}}\n"
                              "  - {id: v2, text: t, reference: {d: a, e: []}}\n"
                              "  - {id: v3, text: t, reference: {d: b, e: [x, y]}}\n"
                              "  - {id: v4, text: t, reference: {d: b, e: y}}\n"
                              "  - {id: v5, text: t, reference: {d: b, e: y}}\n");
    tr_run r;
    tr_run_init(&r, s->n, cb->ndims);
    const char *d[4] = {"a", "b", "b", NULL};
    const char *e[4][2] = {{"x", NULL}, {NULL, NULL}, {"x", NULL}, {"y", NULL}};
    for (size_t v = 0; v < 4; v++) {
        r.answered[v] = true;
        if (d[v])
            tr_codes_set(tr_run_codes(&r, v, 0), d[v]);
        for (size_t k = 0; k < 2 && e[v][k]; k++)
            tr_codes_toggle(tr_run_codes(&r, v, 2), e[v][k]);
    }
    /* v5 was never reached: it counts nowhere. */
    tr_score sc;
    tr_score_run(cb, s, &r, &sc);
    assert_int_equal(sc.answered, 4);
    assert_int_equal(sc.perfect, 1);
    assert_int_equal(sc.ndims, 2);
    assert_int_equal(sc.dims[0].dim, 0);
    assert_int_equal(sc.dims[0].agreed, 2);
    assert_true(fabs(sc.dims[0].kappa.kappa - 0.2) < 1e-12);
    assert_int_equal(sc.dims[1].dim, 2);
    assert_int_equal(sc.dims[1].agreed, 3);
    assert_true(fabs(sc.dims[1].kappa.po - 0.875) < 1e-12);
    assert_true(fabs(sc.dims[1].kappa.kappa - 0.75) < 1e-12);
    assert_int_equal(sc.nmisses, 3);
    const tr_miss want[3] = {{1, 0}, {2, 2}, {3, 0}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(sc.misses[i].vignette, want[i].vignette);
        assert_int_equal(sc.misses[i].dim, want[i].dim);
    }
    tr_score_free(&sc);
    /* Toggling twice takes a code away again. */
    tr_codes_toggle(tr_run_codes(&r, 3, 2), "y");
    assert_int_equal(tr_run_codes(&r, 3, 2)->n, 0);
    tr_run_free(&r);
    vg_free(s);
    cb_free(cb);
}

static void test_wrapping_counts_columns_and_cuts_long_words(void **state)
{
    (void)state;
    char **l;
    size_t n = u8_wrap("Une allocataire élève seule ses enfants", 16, &l);
    assert_int_equal(n, 3);
    assert_string_equal(l[0], "Une allocataire");
    assert_string_equal(l[1], "élève seule ses");
    assert_string_equal(l[2], "enfants");
    u8_lines_free(l, n);
    n = u8_wrap("abcdefghij klm", 4, &l);
    assert_int_equal(n, 4);
    assert_string_equal(l[0], "abcd");
    assert_string_equal(l[2], "ij");
    assert_string_equal(l[3], "klm");
    u8_lines_free(l, n);
    n = u8_wrap("un\n\ndeux  trois\n", 20, &l);
    assert_int_equal(n, 3);
    assert_string_equal(l[1], "");
    assert_string_equal(l[2], "deux trois");
    u8_lines_free(l, n);
    assert_int_equal(u8_wrap("", 10, &l), 0);
    u8_lines_free(l, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_vignettes_use_only_codes_of_the_shipped_codebook),
        cmocka_unit_test(test_vignette_problems_are_reported_at_their_place),
        cmocka_unit_test(test_references_are_checked_against_the_codebook),
        cmocka_unit_test(test_a_run_is_scored_per_dimension_with_its_disagreements),
        cmocka_unit_test(test_wrapping_counts_columns_and_cuts_long_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
