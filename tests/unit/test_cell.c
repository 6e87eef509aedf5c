/* Unit tests of spreadsheet cells (core/cell.c): formula neutralisation,
 * locale-free decimals, serial dates. */
#include "unit.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/cell.h"

static void test_text_that_could_run_as_a_formula_gets_an_apostrophe(void **state)
{
    (void)state;
    const char *bad[] = {"=HYPERLINK(\"http://x\",\"y\")", "+33 6 12", "-2+3", "@SUM(A1)", "\tx", "\rx"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_true(cell_needs_guard(bad[i]));
        char *g = cell_guard(bad[i]);
        assert_int_equal(g[0], '\'');
        assert_string_equal(g + 1, bad[i]);
        free(g);
    }
}

static void test_ordinary_text_is_left_alone(void **state)
{
    (void)state;
    const char *ok[] = {"CAF", "", " =not first", "'quoted", "Évry", "1+1"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_false(cell_needs_guard(ok[i]));
        char *g = cell_guard(ok[i]);
        assert_string_equal(g, ok[i]);
        free(g);
    }
    assert_null(cell_guard(NULL));
    assert_false(cell_needs_guard(NULL));
}

static void test_decimals_ignore_the_locale_and_round(void **state)
{
    (void)state;
    setlocale(LC_NUMERIC, "fr_FR.UTF-8"); /* may be missing: the result must not depend on it */
    char b[40];
    cell_decimal(12.345, 2, '.', b);
    assert_string_equal(b, "12.35");
    cell_decimal(12.5, 1, ',', b);
    assert_string_equal(b, "12,5");
    cell_decimal(-0.04, 1, '.', b);
    assert_string_equal(b, "0.0");
    cell_decimal(-3.25, 1, '.', b);
    assert_string_equal(b, "-3.3");
    cell_decimal(7, 0, ',', b);
    assert_string_equal(b, "7");
    cell_decimal(0.5, 2, ',', b);
    assert_string_equal(b, "0,50");
    setlocale(LC_NUMERIC, "C");
}

static void test_serial_dates_match_the_spreadsheet_epoch(void **state)
{
    (void)state;
    double s;
    assert_true(cell_serial("1900-03-01", &s));
    assert_true(s == 61.0);
    assert_true(cell_serial("2026-09-14", &s));
    assert_true(s == 46279.0);
    assert_true(cell_serial("2026-09-14T12:00:00+02:00", &s));
    assert_true(s == 46279.5);
    assert_true(cell_serial("2026-03-29T09:05:12+02:00", &s)); /* the day clocks go forward */
    assert_true(s > 46110.378 && s < 46110.379);
    assert_false(cell_serial("2026-9-14", &s));
    assert_false(cell_serial("2026-09-14T25:00:00", &s));
    assert_false(cell_serial(NULL, &s));
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void test_text_longer_than_a_cell_holds_is_cut_saying_so(void **state)
{
    (void)state;
    assert_null(cell_xlsx_cut(NULL));
    assert_null(cell_xlsx_cut("short"));
    /* 32,767 characters of two bytes each fit, although longer in bytes. */
    char *fits = malloc(2 * CELL_MAX_CHARS + 1);
    for (size_t i = 0; i < CELL_MAX_CHARS; i++)
        memcpy(fits + 2 * i, "\xC3\xA9", 2);
    fits[2 * CELL_MAX_CHARS] = '\0';
    assert_null(cell_xlsx_cut(fits));
    free(fits);
    char *big = malloc(100001);
    for (size_t i = 0; i < 100000; i++)
        big[i] = i % 2 ? 'a' : 'b';
    big[100000] = '\0';
    char *cut = cell_xlsx_cut(big);
    assert_non_null(cut);
    assert_int_equal(code_points(cut), CELL_MAX_CHARS);
    assert_string_equal(cut + strlen(cut) - strlen("[\xE2\x80\xA6 cut: 100000 characters]"),
                        "[\xE2\x80\xA6 cut: 100000 characters]");
    assert_memory_equal(cut, big, 30000);
    free(cut);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_that_could_run_as_a_formula_gets_an_apostrophe),
        cmocka_unit_test(test_ordinary_text_is_left_alone),
        cmocka_unit_test(test_decimals_ignore_the_locale_and_round),
        cmocka_unit_test(test_serial_dates_match_the_spreadsheet_epoch),
        cmocka_unit_test(test_text_longer_than_a_cell_holds_is_cut_saying_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
