/* Unit tests of the statistics helpers (core/stats.c) and of the codebook
 * union (core/cb_union.c). */
#include "unit.h"

#include <math.h>
#include <string.h>

#include "core/cb_union.h"
#include "core/stats.h"
#include "core/util.h"

static void test_share_of_nothing_is_zero(void **state)
{
    (void)state;
    assert_true(stats_share(1, 4) == 0.25);
    assert_true(stats_share(3, 0) == 0.0);
}

static void test_quantiles_interpolate_like_percentile_inc(void **state)
{
    (void)state;
    /* PERCENTILE.INC({1,2,3,4,10}, 0.5) = 3; (…, 0.9) = 7.6 */
    const double v[] = {1, 2, 3, 4, 10};
    assert_true(fabs(stats_quantile_sorted(v, 5, 0.5) - 3.0) < 1e-12);
    assert_true(fabs(stats_quantile_sorted(v, 5, 0.9) - 7.6) < 1e-12);
    /* even count: median halfway */
    const double w[] = {2, 4, 6, 8};
    assert_true(fabs(stats_quantile_sorted(w, 4, 0.5) - 5.0) < 1e-12);
    assert_true(fabs(stats_quantile_sorted(w, 4, 0.9) - 7.4) < 1e-12);
    const double one[] = {42};
    assert_true(stats_quantile_sorted(one, 1, 0.9) == 42);
}

static void test_streamed_quantile_equals_the_array_one(void **state)
{
    (void)state;
    double v[101];
    for (int i = 0; i <= 100; i++)
        v[i] = i * i;
    stats_quantile q;
    stats_quantile_init(&q, 0.9, 101);
    for (int i = 0; i <= 100; i++)
        stats_quantile_feed(&q, i, v[i]);
    assert_true(stats_quantile_value(&q) == stats_quantile_sorted(v, 101, 0.9));
    assert_true(stats_quantile_value(&q) == 8100);
}

static void test_quantile_from_runs_of_equal_values_equals_the_array_one(void **state)
{
    (void)state;
    /* 1, 1, 1, 2, 5, 5, 5, 5, 9, 9 as a histogram (value, count). */
    const double v[] = {1, 1, 1, 2, 5, 5, 5, 5, 9, 9};
    const double val[] = {1, 2, 5, 9};
    const long long cnt[] = {3, 1, 4, 2};
    const double qs[] = {0, 0.25, 0.5, 0.9, 1};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        stats_quantile q;
        stats_quantile_init(&q, qs[i], 10);
        long long rank = 0;
        for (size_t j = 0; j < 4; j++) {
            stats_quantile_feed_run(&q, rank, cnt[j], val[j]);
            rank += cnt[j];
        }
        assert_true(stats_quantile_value(&q) == stats_quantile_sorted(v, 10, qs[i]));
    }
}

static void test_crosstab_margins_and_shares(void **state)
{
    (void)state;
    stats_xtab x;
    stats_xtab_init(&x, 2, 3);
    stats_xtab_add(&x, 0, 0, 2);
    stats_xtab_add(&x, 0, 2, 6);
    stats_xtab_add(&x, 1, 0, 2);
    stats_xtab_add(&x, 5, 0, 9); /* out of range: ignored */
    assert_int_equal(x.total, 10);
    assert_int_equal(x.rowsum[0], 8);
    assert_int_equal(x.colsum[0], 4);
    assert_true(stats_xtab_row_share(&x, 0, 2) == 0.75);
    assert_true(stats_xtab_col_share(&x, 1, 0) == 0.5);
    assert_true(stats_xtab_col_share(&x, 0, 1) == 0.0);
    stats_xtab_free(&x);
}

static cb_codebook *version(int v, const char *label_a, bool with_b, bool with_c)
{
    cb_codebook *cb = cb_new();
    cb->id = xstrdup("x");
    cb->version = v;
    cb_dimension *d = cb_add_dimension(cb);
    d->id = xstrdup("dem");
    d->label = xstrdup("Demande");
    cb_code *a = cb_add_code(d);
    a->id = xstrdup("a");
    a->label = xstrdup(label_a);
    a->key = 'a';
    if (with_b) {
        cb_code *b = cb_add_code(d);
        b->id = xstrdup("b");
        b->label = xstrdup("Bé");
        b->key = 'b';
    }
    if (with_c) {
        cb_dimension *e = cb_add_dimension(cb);
        e->id = xstrdup("old");
        e->label = xstrdup("Ancienne");
        cb_code *c = cb_add_code(e);
        c->id = xstrdup("c");
        c->label = xstrdup("Cé");
    }
    return cb;
}

static void test_union_labels_with_the_latest_and_keeps_what_older_versions_had(void **state)
{
    (void)state;
    cb_codebook *v[2] = {version(1, "Ancien nom", true, true), version(2, "Nouveau nom", false, false)};
    cb_codebook *u = cb_union(v, 2);
    assert_int_equal(u->ndims, 2);
    assert_string_equal(u->dims[0].codes[0].label, "Nouveau nom");
    assert_false(u->dims[0].codes[0].retired);
    assert_int_equal(u->dims[0].ncodes, 2);
    assert_string_equal(u->dims[0].codes[1].id, "b");
    assert_true(u->dims[0].codes[1].retired);
    assert_int_equal(u->dims[0].codes[1].key, 0);
    assert_string_equal(u->dims[1].id, "old");
    assert_true(u->dims[1].retired);
    assert_int_equal(cb_dim_index(u, "old"), 1);
    assert_int_equal(cb_code_index(&u->dims[0], "b"), 1);
    assert_true(cb_code_index(&u->dims[0], "zz") == (size_t)-1);
    cb_free(u);
    cb_free(v[0]);
    cb_free(v[1]);
    u = cb_union(NULL, 0);
    assert_int_equal(u->ndims, 0);
    cb_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_share_of_nothing_is_zero),
        cmocka_unit_test(test_quantiles_interpolate_like_percentile_inc),
        cmocka_unit_test(test_streamed_quantile_equals_the_array_one),
        cmocka_unit_test(test_quantile_from_runs_of_equal_values_equals_the_array_one),
        cmocka_unit_test(test_crosstab_margins_and_shares),
        cmocka_unit_test(test_union_labels_with_the_latest_and_keeps_what_older_versions_had),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
