/*
 * fuzz_cell.c — what every spreadsheet cell of an export goes through
 * (core/cell.h): the formula guard, decimals and serial dates.
 *
 * FUZZ_ARGS: -max_len=4096
 *
 * The input is text for cell_guard() and cell_serial(); its first 9 bytes
 * are also a double and a number of decimals for cell_decimal().
 * Invariants: a guarded cell never starts as a formula would and is the
 * text itself, or the text after one quote; a date accepted is a real
 * serial (1 January 0000 to 31 December 9999) whose whole days give the
 * same date back (a 31 April rolls over, as in a spreadsheet); a decimal reads back, with '.' for the separator, within
 * half a unit of its last place.
 */
#include "fuzz.h"

#include <math.h>

#include "core/cell.h"
#include "core/util.h"

static void guard(const char *s)
{
    char *g = cell_guard(s);
    FUZZ_ASSERT(g != NULL);
    FUZZ_ASSERT(!cell_needs_guard(g));
    if (cell_needs_guard(s))
        FUZZ_ASSERT(g[0] == '\'' && strcmp(g + 1, s) == 0);
    else
        FUZZ_ASSERT(strcmp(g, s) == 0);
    free(g);
}

/* y-m-d of a serial's whole days (1899-12-30 is day 0), by Hinnant's
 * civil_from_days. */
static void civil(long long serial, long long *y, unsigned *m, unsigned *d)
{
    long long z = serial - 25569 + 719468; /* days from 0000-03-01 */
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

static void serial(const char *s)
{
    double v;
    if (!cell_serial(s, &v))
        return;
    FUZZ_ASSERT(isfinite(v));
    FUZZ_ASSERT(v >= -693959.0 && v < 2958467.0);
    long long y;
    unsigned m, d;
    civil((long long)floor(v), &y, &m, &d);
    int sy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int sm = (s[5] - '0') * 10 + (s[6] - '0'), sd = (s[8] - '0') * 10 + (s[9] - '0');
    /* A day past the end of its month (31 April) rolls over, as in a
     * spreadsheet; a real day comes back as it is. */
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (sy % 4 == 0 && sy % 100 != 0) || sy % 400 == 0;
    bool leap_second = (s[10] == 'T' || s[10] == ' ') && s[17] == '6';
    if (sd <= mdays[sm - 1] && !(sm == 2 && sd == 29 && !leap) && !leap_second)
        FUZZ_ASSERT(y == sy && (int)m == sm && (int)d == sd);
}

static void decimal(const uint8_t *data, size_t size)
{
    if (size < 9)
        return;
    double v;
    memcpy(&v, data, sizeof v);
    int decimals = data[8] % 9 - 1; /* -1 to 7: out of range is clamped */
    char sep = data[8] & 0x80 ? ',' : '.';
    char out[40];
    cell_decimal(v, decimals, sep, out);
    FUZZ_ASSERT(memchr(out, '\0', sizeof out) != NULL);
    int dec = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
    if (!isfinite(v) || fabs(v) * pow(10, dec) > 9e17) {
        FUZZ_ASSERT(out[0] == '\0');
        return;
    }
    char *p = strchr(out, sep == ',' ? ',' : '.');
    FUZZ_ASSERT(dec == 0 ? p == NULL : p != NULL && strlen(p + 1) == (size_t)dec);
    if (p)
        *p = '.';
    double back = strtod(out, NULL);
    FUZZ_ASSERT(fabs(back - v) <= 0.5 * pow(10, -dec) * (1 + 1e-9) + fabs(v) * 1e-15);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    guard(s);
    serial(s);
    decimal(data, size);
    FUZZ_ASSERT(cell_guard(NULL) == NULL);
    free(s);
    return 0;
}
