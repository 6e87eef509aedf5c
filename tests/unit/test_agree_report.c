/*
 * Unit tests of matching interactions into units and of the per-dimension
 * agreement report (core/agree_report.h).
 */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "core/agree_report.h"
#include "core/util.h"

/* Adds an item for coder name at site at start seconds, with codes given
 * as "dim=code" strings ending with NULL. */
static ar_item *item(ar_input *in, const char *id, const char *coder, const char *site, long long start, ...)
{
    ar_item *it = ar_input_add(in, id, ar_input_coder(in, coder), ar_input_site(in, site), start, "t");
    va_list ap;
    va_start(ap, start);
    const char *s;
    while ((s = va_arg(ap, const char *))) {
        const char *eq = strchr(s, '=');
        char dim[32];
        snprintf(dim, sizeof dim, "%.*s", (int)(eq - s), s);
        ar_item_add_code(it, dim, eq + 1);
    }
    va_end(ap);
    return it;
}

/* The id of coder c's item in unit u, or "-". */
static const char *member(const ar_input *in, const ar_units *u, size_t unit, const char *coder)
{
    size_t c = 0;
    while (strcmp(in->coders[c], coder))
        c++;
    size_t m = u->member[unit * u->ncoders + c];
    return m == AR_NONE ? "-" : in->items[m].id;
}

static void test_two_coders_are_matched_nearest_first_one_to_one(void **state)
{
    (void)state;
    ar_input in = {0};
    item(&in, "a0", "Anne", "CDAS", 0, NULL);
    item(&in, "a100", "Anne", "CDAS", 100, NULL);
    item(&in, "b50", "Bruno", "CDAS", 50, NULL);
    item(&in, "b95", "Bruno", "CDAS", 95, NULL);
    item(&in, "b300", "Bruno", "CDAS", 300, NULL);
    ar_units u;
    ar_match(&in, 60, &u);
    /* a100-b95 (5 s) is taken first; b50 is then free for a0 (50 s). */
    assert_int_equal(u.n, 2);
    assert_string_equal(member(&in, &u, 0, "Anne"), "a0");
    assert_string_equal(member(&in, &u, 0, "Bruno"), "b50");
    assert_string_equal(member(&in, &u, 1, "Anne"), "a100");
    assert_string_equal(member(&in, &u, 1, "Bruno"), "b95");
    assert_int_equal(u.nunmatched, 1);
    assert_string_equal(in.items[u.unmatched[0]].id, "b300");
    ar_units_free(&u);
    ar_input_free(&in);
}

static void test_the_nearest_start_wins_over_the_first_one(void **state)
{
    (void)state;
    ar_input in = {0};
    item(&in, "a", "Anne", "CDAS", 1000, NULL);
    item(&in, "b-far", "Bruno", "CDAS", 1040, NULL);
    item(&in, "b-near", "Bruno", "CDAS", 1010, NULL);
    ar_units u;
    ar_match(&in, 60, &u);
    assert_int_equal(u.n, 1);
    assert_string_equal(member(&in, &u, 0, "Bruno"), "b-near");
    assert_int_equal(u.nunmatched, 1);
    assert_string_equal(in.items[u.unmatched[0]].id, "b-far");
    ar_units_free(&u);
    ar_input_free(&in);
}

static void test_other_sites_same_observer_and_far_starts_never_match(void **state)
{
    (void)state;
    ar_input in = {0};
    item(&in, "a1", "Anne", "CDAS", 0, NULL);
    item(&in, "a2", "Anne", "CDAS", 5, NULL);
    item(&in, "b-mairie", "Bruno", "Mairie", 2, NULL);
    item(&in, "b-late", "Bruno", "CDAS", 200, NULL);
    ar_units u;
    ar_match(&in, 60, &u);
    assert_int_equal(u.n, 0);
    assert_int_equal(u.nunmatched, 4);
    ar_units_free(&u);
    ar_input_free(&in);
}

static void test_three_coders_share_a_unit_only_within_the_window(void **state)
{
    (void)state;
    ar_input in = {0};
    item(&in, "a", "Anne", "CDAS", 0, NULL);
    item(&in, "b", "Bruno", "CDAS", 10, NULL);
    item(&in, "c", "Chloé", "CDAS", 20, NULL);
    item(&in, "a2", "Anne", "CDAS", 500, NULL);
    item(&in, "b2", "Bruno", "CDAS", 505, NULL);
    item(&in, "c2", "Chloé", "CDAS", 508, NULL);
    ar_units u;
    ar_match(&in, 15, &u);
    /* c would stretch the first unit to 20 s: it stays alone.  The second
     * unit holds all three. */
    assert_int_equal(u.n, 2);
    assert_string_equal(member(&in, &u, 0, "Anne"), "a");
    assert_string_equal(member(&in, &u, 0, "Bruno"), "b");
    assert_string_equal(member(&in, &u, 0, "Chloé"), "-");
    assert_string_equal(member(&in, &u, 1, "Chloé"), "c2");
    assert_int_equal(u.nunmatched, 1);
    assert_string_equal(in.items[u.unmatched[0]].id, "c");
    ar_units_free(&u);
    ar_input_free(&in);
}

/* A dimension with codes given as "id=label" strings ending with NULL
 * (the validation rules of files do not matter here). */
static void dim(cb_codebook *cb, const char *id, cb_mode mode, ...)
{
    cb_dimension *d = cb_add_dimension(cb);
    d->id = xstrdup(id);
    d->label = xstrdup(id);
    d->mode = mode;
    va_list ap;
    va_start(ap, mode);
    const char *s;
    while ((s = va_arg(ap, const char *))) {
        const char *eq = strchr(s, '=');
        cb_code *c = cb_add_code(d);
        c->id = xstrndup(s, (size_t)(eq - s));
        c->label = xstrdup(eq + 1);
    }
    va_end(ap);
}

static cb_codebook *mini(void)
{
    cb_codebook *cb = cb_new();
    dim(cb, "demande", CB_SINGLE, "a=Aide", "b=Bail", "c=Caisse", NULL);
    dim(cb, "note", CB_TEXT, NULL);
    dim(cb, "obstacle", CB_MULTIPLE, "x=Ixe", "y=Igrec", "z=Zède", NULL);
    return cb;
}

static void test_report_has_a_variable_per_single_dimension_and_per_used_code(void **state)
{
    (void)state;
    ar_input in = {0};
    item(&in, "a1", "Anne", "CDAS", 0, "demande=a", "obstacle=x", NULL);
    item(&in, "b1", "Bruno", "CDAS", 3, "demande=a", "obstacle=x", "obstacle=y", NULL);
    item(&in, "a2", "Anne", "CDAS", 100, "demande=b", NULL);
    item(&in, "b2", "Bruno", "CDAS", 101, "demande=a", "obstacle=y", NULL);
    item(&in, "a3", "Anne", "CDAS", 200, "demande=b", NULL);
    item(&in, "b3", "Bruno", "CDAS", 200, "obstacle=z", NULL);
    ar_units u;
    ar_match(&in, 30, &u);
    assert_int_equal(u.n, 3);
    cb_codebook *cb = mini();
    ar_report r;
    ar_report_build(&in, &u, cb, &r);
    /* demande, then obstacle x, y, z; the text dimension is left out. */
    assert_int_equal(r.nvars, 4);
    ar_var *d = &r.vars[0];
    assert_string_equal(d->dim_id, "demande");
    assert_null(d->code_id);
    /* Only the codes in use, in the codebook's order; c is unused. */
    assert_int_equal(d->ncat, 2);
    assert_string_equal(d->cat_ids[0], "a");
    assert_string_equal(d->cat_labels[1], "Bail");
    assert_int_equal(d->npairs, 1);
    /* Unit 3 has no answer from Bruno on demande: out of kappa. */
    assert_int_equal(d->pairs[0].kappa.n, 2);
    const long want[4] = {1, 0, 1, 0};
    assert_memory_equal(d->pairs[0].confusion, want, sizeof want);
    assert_true(d->pairs[0].kappa.po == 0.5);
    ar_var *x = &r.vars[1];
    assert_string_equal(x->dim_id, "obstacle");
    assert_string_equal(x->code_id, "x");
    assert_string_equal(x->code_label, "Ixe");
    /* Anne gave no obstacle in units 2 and 3: missing, not absent. */
    assert_int_equal(x->pairs[0].kappa.n, 1);
    assert_int_equal(x->pairs[0].confusion[3], 1);
    assert_int_equal(x->pairs[0].kappa.why, AG_ONE_CATEGORY);
    assert_string_equal(r.vars[2].code_id, "y");
    assert_int_equal(r.vars[2].pairs[0].confusion[1], 1); /* Anne absent, Bruno present */
    assert_string_equal(r.vars[3].code_id, "z");
    ar_report_free(&r);
    cb_free(cb);
    ar_units_free(&u);
    ar_input_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_coders_are_matched_nearest_first_one_to_one),
        cmocka_unit_test(test_the_nearest_start_wins_over_the_first_one),
        cmocka_unit_test(test_other_sites_same_observer_and_far_starts_never_match),
        cmocka_unit_test(test_three_coders_share_a_unit_only_within_the_window),
        cmocka_unit_test(test_report_has_a_variable_per_single_dimension_and_per_used_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
