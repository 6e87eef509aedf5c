/* Unit tests of the date and period parser (core/period.c). */
#include "unit.h"

#include <string.h>

#include "core/period.h"

static void test_quarter_three_covers_july_to_september(void **state)
{
    (void)state;
    period p;
    char err[128];
    assert_true(period_parse(PERIOD_QUARTER, "2026Q3", &p, err, sizeof err));
    assert_string_equal(p.from, "2026-07-01");
    assert_string_equal(p.to, "2026-10-01");
    assert_string_equal(p.label, "2026Q3");
    assert_true(period_parse(PERIOD_QUARTER, "2026-q4", &p, err, sizeof err));
    assert_string_equal(p.to, "2027-01-01");
}

static void test_bad_quarter_names_the_expected_form(void **state)
{
    (void)state;
    period p;
    char err[128];
    assert_false(period_parse(PERIOD_QUARTER, "2026Q5", &p, err, sizeof err));
    assert_non_null(strstr(err, "2026Q3"));
    assert_false(period_parse(PERIOD_QUARTER, "", &p, err, sizeof err));
    assert_false(period_parse(PERIOD_MONTH, "2026-13", &p, err, sizeof err));
    assert_false(period_parse(PERIOD_YEAR, "26", &p, err, sizeof err));
}

static void test_month_december_ends_next_year(void **state)
{
    (void)state;
    period p;
    char err[128];
    assert_true(period_parse(PERIOD_MONTH, "2026-12", &p, err, sizeof err));
    assert_string_equal(p.from, "2026-12-01");
    assert_string_equal(p.to, "2027-01-01");
}

static void test_dates_refuse_impossible_days(void **state)
{
    (void)state;
    int y, m, d;
    assert_true(period_parse_date("2024-02-29", &y, &m, &d));
    assert_false(period_parse_date("2026-02-29", &y, &m, &d));
    assert_false(period_parse_date("2026-04-31", &y, &m, &d));
    assert_false(period_parse_date("2026-4-1", &y, &m, &d));
    assert_false(period_parse_date("2026-04-01x", &y, &m, &d));
}

static void test_to_date_is_inclusive(void **state)
{
    (void)state;
    period p;
    char err[128];
    assert_true(period_from_dates("2026-09-01", "2026-09-30", &p, err, sizeof err));
    assert_true(period_contains(&p, "2026-09-30T17:59:00+02:00"));
    assert_false(period_contains(&p, "2026-10-01T08:00:00+02:00"));
    assert_false(period_contains(&p, "2026-08-31T23:59:59+02:00"));
    assert_false(period_from_dates("2026-09-30", "2026-09-01", &p, err, sizeof err));
    assert_true(period_from_dates(NULL, NULL, &p, err, sizeof err));
    assert_string_equal(p.label, "all");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quarter_three_covers_july_to_september),
        cmocka_unit_test(test_bad_quarter_names_the_expected_form),
        cmocka_unit_test(test_month_december_ends_next_year),
        cmocka_unit_test(test_dates_refuse_impossible_days),
        cmocka_unit_test(test_to_date_is_inclusive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
