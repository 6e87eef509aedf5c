/*
 * Unit tests of the small pure helpers: UUID v7, UTF-8 width and fitting,
 * UTF-8 validation, timestamps.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "core/uuid.h"

static void test_uuid_v7_layout_carries_time_version_and_variant(void **state)
{
    (void)state;
    const uint8_t rnd[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    char out[UUID_STRLEN];
    uuid_v7_format(0x017F22E279B0ULL, rnd, out);
    assert_string_equal(out, "017f22e2-79b0-7fff-bfff-ffffffffffff");
    assert_true(uuid_valid(out));
    char a[UUID_STRLEN], b[UUID_STRLEN];
    uuid_new(a);
    uuid_new(b);
    assert_true(uuid_valid(a));
    assert_string_not_equal(a, b);
    assert_false(uuid_valid("017F22E2-79B0-7FFF-BFFF-FFFFFFFFFFFF"));
    assert_false(uuid_valid("017f22e2-79b0-7fff-bfff-fffffffffff"));
}

static void test_width_counts_columns_not_bytes(void **state)
{
    (void)state;
    assert_int_equal(u8_width("Évry"), 4);
    assert_int_equal(u8_width("prime d'activité"), 16);
    assert_int_equal(u8_width("e\xCC\x81"), 1); /* e + combining acute */
    assert_int_equal(u8_width("日本"), 4);
}

static void test_fit_cuts_with_an_ellipsis_and_pads(void **state)
{
    (void)state;
    char *s = u8_fit("Complémentaire santé solidaire", 12, 0);
    assert_string_equal(s, "Complémenta…");
    assert_int_equal(u8_width(s), 12);
    free(s);
    s = u8_fit("Évry", 6, 1);
    assert_string_equal(s, "Évry  ");
    free(s);
    s = u8_fit("a\tb\x1b", 10, 0);
    assert_string_equal(s, "a?b?");
    free(s);
    /* U+009B is CSI in C1: "\xc2\x9b" "31m" would turn the screen red. */
    s = u8_fit("\xc2\x9b" "31m\x7f\xc2\x85", 10, 0);
    assert_string_equal(s, "?31m??");
    free(s);
    s = u8_fit("日本語", 5, 0);
    assert_int_equal(u8_width(s), 5);
    free(s);
}

static void test_utf8_validation_refuses_overlongs_and_surrogates(void **state)
{
    (void)state;
    assert_true(utf8_valid("é", 2));
    assert_false(utf8_valid("\xC0\xAF", 2));
    assert_false(utf8_valid("\xED\xA0\x80", 3));
    assert_false(utf8_valid("\xE9t\xE9", 3));
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4));
    assert_false(utf8_valid("\xC3", 1));
}

static void test_timestamp_keeps_local_offset_and_parses_back(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Paris", 1);
    tzset();
    char ts[TS_LEN];
    ts_format(1789000000, ts); /* 2026-09-10, summer time */
    assert_string_equal(ts, "2026-09-10T02:26:40+02:00");
    time_t t;
    assert_true(ts_parse(ts, &t));
    assert_int_equal(t, 1789000000);
    ts_format(1766000000, ts); /* December: winter time */
    assert_string_equal(ts + 19, "+01:00");
    assert_false(ts_parse("2026-09-10 02:26:40", &t));
    assert_false(ts_parse("2026-13-10T02:26:40+02:00", &t));
}

static void test_encode_gives_the_bytes_decode_reads_back(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        const char *bytes;
    } cases[] = {{'a', "a"}, {0xE9, "\xC3\xA9"}, {0x20AC, "\xE2\x82\xAC"}, {0x1F600, "\xF0\x9F\x98\x80"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[5] = {0};
        size_t n = u8_encode(cases[i].cp, out);
        assert_int_equal(n, strlen(cases[i].bytes));
        assert_string_equal(out, cases[i].bytes);
        uint32_t back;
        assert_int_equal(u8_decode(out, n, &back), n);
        assert_int_equal(back, cases[i].cp);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid_v7_layout_carries_time_version_and_variant),
        cmocka_unit_test(test_width_counts_columns_not_bytes),
        cmocka_unit_test(test_fit_cuts_with_an_ellipsis_and_pads),
        cmocka_unit_test(test_encode_gives_the_bytes_decode_reads_back),
        cmocka_unit_test(test_utf8_validation_refuses_overlongs_and_surrogates),
        cmocka_unit_test(test_timestamp_keeps_local_offset_and_parses_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
