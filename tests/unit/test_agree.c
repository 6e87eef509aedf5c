/*
 * Unit tests of the agreement statistics (core/agree.h) against published
 * worked examples, and of the degenerate cases the report must name.
 */
#include "unit.h"

#include <math.h>
#include <string.h>

#include "core/agree.h"

#define M AG_MISSING

/* Two coders' values as alpha's units x coders matrix. */
static void interleave(const int *a, const int *b, int n, int *v)
{
    for (int u = 0; u < n; u++) {
        v[u * 2] = a[u];
        v[u * 2 + 1] = b[u];
    }
}

static void near(double got, double want, double tol)
{
    if (fabs(got - want) > tol)
        fail_msg("got %.6f, want %.6f (within %g)", got, want, tol);
}

/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
 * section C: four observers, twelve units, nominal values 1-5 with missing
 * values; alpha (nominal) = 0.743.  Values are shifted to 0-4. */
static void test_krippendorff_2011_four_observers_with_missing_values(void **state)
{
    (void)state;
    static const int obs[4][12] = {
        {1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
        {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
        {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
        {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
    };
    int v[12 * 4];
    for (int u = 0; u < 12; u++)
        for (int c = 0; c < 4; c++)
            v[u * 4 + c] = obs[c][u] ? obs[c][u] - 1 : M;
    ag_alpha a = ag_krippendorff_nominal(v, 12, 4, 5);
    assert_int_equal(a.why, AG_DEFINED);
    /* Unit 12 has one value only: it is not pairable, so n.. = 40. */
    near(a.pairable, 40.0, 1e-9);
    near(a.alpha, 0.743, 0.0005);
}

/* The computational example of the Wikipedia article "Krippendorff's
 * alpha": three coders, fifteen units, many missing values; alpha
 * (nominal) = 0.691. */
static void test_krippendorff_wikipedia_three_coders_fifteen_units(void **state)
{
    (void)state;
    static const int obs[3][15] = {
        {M, M, M, M, M, 3, 4, 1, 2, 1, 1, 3, 3, M, 3},
        {1, M, 2, 1, 3, 3, 4, 3, M, M, M, M, M, M, M},
        {M, M, 2, 1, 3, 4, 4, M, 2, 1, 1, 3, 3, M, 4},
    };
    int v[15 * 3];
    for (int u = 0; u < 15; u++)
        for (int c = 0; c < 3; c++)
            v[u * 3 + c] = obs[c][u] == M ? M : obs[c][u] - 1;
    ag_alpha a = ag_krippendorff_nominal(v, 15, 3, 4);
    assert_int_equal(a.why, AG_DEFINED);
    near(a.alpha, 0.691, 0.0005);
}

/* The grant-proposal example of the Wikipedia article "Cohen's kappa": 50
 * proposals, both readers say yes to 20, A yes and B no to 5, A no and B
 * yes to 10, both no to 15: po = 0.70, pe = 0.50, kappa = 0.40. */
static void test_cohen_wikipedia_grant_example_gives_kappa_0_4(void **state)
{
    (void)state;
    const long t[4] = {20, 5, 10, 15};
    ag_kappa k = ag_cohen(t, 2);
    assert_int_equal(k.why, AG_DEFINED);
    assert_int_equal(k.n, 50);
    near(k.po, 0.70, 1e-12);
    near(k.pe, 0.50, 1e-12);
    near(k.kappa, 0.40, 1e-12);
}

/* SAS/STAT User's Guide, PROC FREQ, "Getting Started: Agreement Study":
 * two dermatologists rate 88 patients on four levels.  SAS prints simple
 * kappa 0.3449, ASE 0.0724, 95% limits 0.2030 and 0.4868 (its ASE is the
 * Fleiss, Cohen & Everitt 1969 non-null standard error, as here). */
static void test_cohen_sas_skin_condition_kappa_se_and_interval(void **state)
{
    (void)state;
    const long t[16] = {10, 4, 1, 0, 5, 10, 12, 2, 2, 4, 12, 5, 0, 2, 6, 13};
    ag_kappa k = ag_cohen(t, 4);
    assert_int_equal(k.why, AG_DEFINED);
    assert_int_equal(k.n, 88);
    near(k.kappa, 0.3449, 0.00005);
    near(k.se, 0.0724, 0.00005);
    near(k.lo, 0.2030, 0.00005);
    near(k.hi, 0.4868, 0.00005);
}

/* R package vcd, Kappa(SexualFun) (Agresti's husband-and-wife table, 91
 * couples): unweighted kappa 0.1293, ASE 0.0686. */
static void test_cohen_vcd_sexualfun_kappa_and_ase(void **state)
{
    (void)state;
    const long t[16] = {7, 7, 2, 3, 2, 8, 3, 7, 1, 5, 4, 9, 2, 8, 9, 14};
    ag_kappa k = ag_cohen(t, 4);
    near(k.kappa, 0.1293, 0.00005);
    near(k.se, 0.0686, 0.00005);
}

static void test_perfect_agreement_gives_one_with_zero_error(void **state)
{
    (void)state;
    const int a[6] = {0, 1, 2, 0, 1, 2}, b[6] = {0, 1, 2, 0, 1, 2};
    long t[9];
    assert_int_equal(ag_confusion(a, b, 6, 3, t), 6);
    ag_kappa k = ag_cohen(t, 3);
    assert_int_equal(k.why, AG_DEFINED);
    near(k.po, 1.0, 1e-12);
    near(k.kappa, 1.0, 1e-12);
    near(k.se, 0.0, 1e-9);
    near(k.lo, 1.0, 1e-9);
    near(k.hi, 1.0, 1e-12);
    int v[12];
    interleave(a, b, 6, v);
    ag_alpha al = ag_krippendorff_nominal(v, 6, 2, 3);
    assert_int_equal(al.why, AG_DEFINED);
    near(al.alpha, 1.0, 1e-12);
}

/* Two units, two coders who always disagree: po = 0, pe = 0.5, kappa = -1;
 * the coincidence matrix has o01 = o10 = 2, n.. = 4, so Do = 1,
 * De = 8/12 and alpha = 1 - 12/8 = -0.5. */
static void test_total_disagreement_gives_kappa_minus_one_and_alpha_minus_half(void **state)
{
    (void)state;
    const int a[2] = {0, 1}, b[2] = {1, 0};
    long t[4];
    ag_confusion(a, b, 2, 2, t);
    assert_int_equal(t[1], 1);
    assert_int_equal(t[2], 1);
    ag_kappa k = ag_cohen(t, 2);
    assert_int_equal(k.why, AG_DEFINED);
    near(k.po, 0.0, 1e-12);
    near(k.kappa, -1.0, 1e-12);
    assert_true(k.lo >= -1.0);
    const int v[4] = {0, 1, 1, 0};
    ag_alpha al = ag_krippendorff_nominal(v, 2, 2, 2);
    near(al.d_o, 1.0, 1e-12);
    near(al.alpha, -0.5, 1e-12);
}

/* A unit one coder left unanswered is out of the confusion matrix, and out
 * of alpha's pairable values. */
static void test_a_missing_value_leaves_its_unit_out(void **state)
{
    (void)state;
    const int a[5] = {0, 1, 0, 1, 0}, b[5] = {0, 1, M, 1, 1};
    long t[4];
    assert_int_equal(ag_confusion(a, b, 5, 2, t), 4);
    ag_kappa k = ag_cohen(t, 2);
    assert_int_equal(k.n, 4);
    near(k.po, 0.75, 1e-12);
    /* Margins (A: 2/4, 2/4; B: 1/4, 3/4): pe = 0.5, kappa = 0.5. */
    near(k.kappa, 0.5, 1e-12);
    int v[10];
    interleave(a, b, 5, v);
    ag_alpha with = ag_krippendorff_nominal(v, 5, 2, 2);
    const int w[8] = {0, 0, 1, 1, 1, 1, 0, 1}; /* the same without unit 3 */
    ag_alpha without = ag_krippendorff_nominal(w, 4, 2, 2);
    near(with.pairable, 8.0, 1e-12);
    near(with.alpha, without.alpha, 1e-12);
}

/* Both coders put every unit in the same category: agreement is 100% but
 * chance agreement is total, so kappa and alpha are undefined, and say why. */
static void test_one_category_only_is_undefined_not_nan(void **state)
{
    (void)state;
    const long t[4] = {12, 0, 0, 0};
    ag_kappa k = ag_cohen(t, 2);
    assert_int_equal(k.why, AG_ONE_CATEGORY);
    near(k.po, 1.0, 1e-12);
    assert_string_equal(ag_undefined_reason(k.why), "only one category in use");
    const int v[6] = {0, 0, 0, 0, 0, 0};
    ag_alpha a = ag_krippendorff_nominal(v, 3, 2, 1);
    assert_int_equal(a.why, AG_ONE_CATEGORY);
}

static void test_no_units_is_undefined(void **state)
{
    (void)state;
    const long t[4] = {0, 0, 0, 0};
    assert_int_equal(ag_cohen(t, 2).why, AG_NO_UNITS);
    const int v[4] = {0, M, M, 1};
    assert_int_equal(ag_krippendorff_nominal(v, 2, 2, 2).why, AG_NO_UNITS);
    assert_int_equal(ag_krippendorff_nominal(NULL, 0, 2, 2).why, AG_NO_UNITS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_krippendorff_2011_four_observers_with_missing_values),
        cmocka_unit_test(test_krippendorff_wikipedia_three_coders_fifteen_units),
        cmocka_unit_test(test_cohen_wikipedia_grant_example_gives_kappa_0_4),
        cmocka_unit_test(test_cohen_sas_skin_condition_kappa_se_and_interval),
        cmocka_unit_test(test_cohen_vcd_sexualfun_kappa_and_ase),
        cmocka_unit_test(test_perfect_agreement_gives_one_with_zero_error),
        cmocka_unit_test(test_total_disagreement_gives_kappa_minus_one_and_alpha_minus_half),
        cmocka_unit_test(test_a_missing_value_leaves_its_unit_out),
        cmocka_unit_test(test_one_category_only_is_undefined_not_nan),
        cmocka_unit_test(test_no_units_is_undefined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
