/*
 * cell.c — spreadsheet cells: formula neutralisation, decimals, serial
 * dates (cell.h).
 */
#include "core/cell.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

bool cell_needs_guard(const char *s)
{
    if (!s)
        return false;
    switch (s[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return true;
    default:
        return false;
    }
}

char *cell_guard(const char *s)
{
    if (!s)
        return NULL;
    if (!cell_needs_guard(s))
        return xstrdup(s);
    return xasprintf("'%s", s);
}

/* Code points of s (continuation bytes not counted, as libxlsxwriter
 * counts). */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

char *cell_xlsx_cut(const char *s)
{
    if (!s || strlen(s) <= CELL_MAX_CHARS)
        return NULL;
    size_t n = chars(s);
    if (n <= CELL_MAX_CHARS)
        return NULL;
    char *tail = xasprintf(_("[\xE2\x80\xA6 cut: %zu characters]"), n);
    size_t keep = CELL_MAX_CHARS - chars(tail), at = 0;
    for (size_t k = 0; s[at]; at++)
        if (((unsigned char)s[at] & 0xC0) != 0x80 && k++ == keep)
            break;
    char *out = xasprintf("%.*s%s", (int)at, s, tail);
    free(tail);
    return out;
}

void cell_decimal(double v, int decimals, char sep, char out[40])
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!isfinite(v)) {
        snprintf(out, 40, "%s", "");
        return;
    }
    long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    bool neg = v < 0;
    double a = fabs(v) * (double)scale;
    if (a > 9e17) {
        snprintf(out, 40, "%s", "");
        return;
    }
    long long n = llround(a);
    long long ip = n / scale, fp = n % scale;
    if (neg && n == 0)
        neg = false;
    /* By hand rather than with snprintf: CSV tables hold millions. */
    char digits[24];
    size_t k = 0, o = 0;
    do
        digits[k++] = (char)('0' + ip % 10);
    while (ip /= 10);
    if (neg)
        out[o++] = '-';
    while (k)
        out[o++] = digits[--k];
    if (decimals > 0) {
        out[o++] = sep;
        for (int i = decimals - 1; i >= 0; i--, fp /= 10)
            out[o + (size_t)i] = (char)('0' + fp % 10);
        o += (size_t)decimals;
    }
    out[o] = '\0';
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

bool cell_serial(const char *s, double *out)
{
    int y, m, d, hh = 0, mm = 0, ss = 0;
    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-' || !str_digits(s, 4, &y) || !str_digits(s + 5, 2, &m) ||
        !str_digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    if (s[10] == 'T' || s[10] == ' ') {
        if (strlen(s) < 19 || s[13] != ':' || s[16] != ':' || !str_digits(s + 11, 2, &hh) || !str_digits(s + 14, 2, &mm) ||
            !str_digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
            return false;
    }
    /* 1899-12-30 is serial 0: that epoch absorbs Lotus 1-2-3's phantom
     * 29 February 1900 for every date after March 1900. */
    long long days = days_from_civil(y, (unsigned)m, (unsigned)d) - days_from_civil(1899, 12, 30);
    *out = (double)days + (hh * 3600 + mm * 60 + ss) / 86400.0;
    return true;
}
