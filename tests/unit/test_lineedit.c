/*
 * Unit tests of the one-line editor (core/lineedit.h) at its limits: a
 * note of a megabyte typed a character at a time, the line full, and what
 * is refused (control characters, surrogates).
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "core/lineedit.h"
#include "core/util.h"

static void test_a_megabyte_typed_a_character_at_a_time_is_kept_whole(void **state)
{
    (void)state;
    le_line l = {0};
    size_t n = 0;
    /* "é" and "a" in turn: two bytes and one. */
    while (n + 2 <= 1000000) {
        assert_true(le_insert(&l, n % 3 ? 'a' : 0xE9));
        n += n % 3 ? 1 : 2;
    }
    assert_int_equal(l.len, n);
    assert_int_equal(strlen(le_text(&l)), n);
    assert_true(utf8_valid(le_text(&l), l.len));
    assert_int_equal(l.cur, n);
    /* It grew by doubling: a few allocations, not one per character. */
    assert_true(l.cap >= l.len + 1 && l.cap <= 2 * (l.len + 1) + 8);
    le_free(&l);
}

static void test_a_full_line_refuses_more_and_says_it_is_full(void **state)
{
    (void)state;
    le_line l = {0};
    char *big = malloc(LE_MAX);
    memset(big, 'x', LE_MAX - 1);
    big[LE_MAX - 1] = '\0';
    le_set(&l, big);
    assert_int_equal(l.len, LE_MAX - 1);
    assert_false(le_full(&l, 'y'));
    assert_true(le_full(&l, 0xE9)); /* two bytes do not fit */
    assert_false(le_insert(&l, 0xE9));
    assert_true(le_insert(&l, 'y'));
    assert_int_equal(l.len, LE_MAX);
    assert_true(le_full(&l, 'z'));
    assert_false(le_insert(&l, 'z'));
    assert_int_equal(l.len, LE_MAX);
    /* A longer text set at once is cut on a character boundary. */
    char *longer = xasprintf("%s\xC3\xA9", big);
    le_set(&l, longer);
    assert_int_equal(l.len, LE_MAX - 1);
    free(longer);
    free(big);
    le_free(&l);
}

static void test_control_characters_and_surrogates_are_never_inserted(void **state)
{
    (void)state;
    le_line l = {0};
    const unsigned long refused[] = {0, 0x07, 0x1B, 0x7F, 0x80, 0x9B, 0x9F, 0xD800, 0xDFFF, 0x110000};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_false(le_insert(&l, refused[i]));
        assert_false(le_full(&l, refused[i]));
    }
    assert_string_equal(le_text(&l), "");
    assert_true(le_insert(&l, 0xA0));
    assert_true(le_insert(&l, 0x1F600));
    assert_string_equal(le_text(&l), "\xC2\xA0\xF0\x9F\x98\x80");
    le_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_megabyte_typed_a_character_at_a_time_is_kept_whole),
        cmocka_unit_test(test_a_full_line_refuses_more_and_says_it_is_full),
        cmocka_unit_test(test_control_characters_and_surrogates_are_never_inserted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
