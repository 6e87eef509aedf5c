/*
 * period.c — parsing dates and periods (period.h).  Pure: no clock, no
 * locale, so every case is a unit test.
 */
#include "core/period.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

bool period_parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!str_digits(s, 4, y) || !str_digits(s + 5, 2, m) || !str_digits(s + 8, 2, d))
        return false;
    return *y >= 1970 && *y <= 9998 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in(*y, *m);
}

/* Formats digit by digit: the ranges are checked by the callers, and this
 * keeps the compiler's truncation analysis quiet without a larger buffer. */
static void ymd(char out[11], int y, int m, int d)
{
    unsigned v[3] = {(unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u};
    out[0] = (char)('0' + v[0] / 1000);
    out[1] = (char)('0' + v[0] / 100 % 10);
    out[2] = (char)('0' + v[0] / 10 % 10);
    out[3] = (char)('0' + v[0] % 10);
    out[4] = '-';
    out[5] = (char)('0' + v[1] / 10);
    out[6] = (char)('0' + v[1] % 10);
    out[7] = '-';
    out[8] = (char)('0' + v[2] / 10);
    out[9] = (char)('0' + v[2] % 10);
    out[10] = '\0';
}

void period_next_day(int y, int m, int d, char out[11])
{
    if (++d > days_in(y, m)) {
        d = 1;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    ymd(out, y, m, d);
}


bool period_parse(period_kind kind, const char *s, period *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int y = 0, q = 0, m = 0;
    size_t n = s ? strlen(s) : 0;
    switch (kind) {
    case PERIOD_QUARTER:
        if (n == 6 && str_digits(s, 4, &y) && (s[4] == 'Q' || s[4] == 'q') && str_digits(s + 5, 1, &q))
            ;
        else if (n == 7 && str_digits(s, 4, &y) && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q') && str_digits(s + 6, 1, &q))
            ;
        else
            q = 0;
        if (q < 1 || q > 4 || y < 1970 || y > 9998) {
            snprintf(err, errlen, _("invalid quarter '%s': expected YEARQn such as 2026Q3"), s ? s : "");
            return false;
        }
        ymd(out->from, y, 3 * q - 2, 1);
        if (q == 4)
            ymd(out->to, y + 1, 1, 1);
        else
            ymd(out->to, y, 3 * q + 1, 1);
        snprintf(out->label, sizeof out->label, "%04dQ%d", y, q);
        return true;
    case PERIOD_MONTH:
        if (!(n == 7 && str_digits(s, 4, &y) && s[4] == '-' && str_digits(s + 5, 2, &m)) || m < 1 || m > 12 || y < 1970 ||
            y > 9998) {
            snprintf(err, errlen, _("invalid month '%s': expected YYYY-MM such as 2026-09"), s ? s : "");
            return false;
        }
        ymd(out->from, y, m, 1);
        if (m == 12)
            ymd(out->to, y + 1, 1, 1);
        else
            ymd(out->to, y, m + 1, 1);
        snprintf(out->label, sizeof out->label, "%04d-%02d", y, m);
        return true;
    case PERIOD_YEAR:
        if (!(n == 4 && str_digits(s, 4, &y)) || y < 1970 || y > 9998) {
            snprintf(err, errlen, _("invalid year '%s': expected YYYY such as 2026"), s ? s : "");
            return false;
        }
        ymd(out->from, y, 1, 1);
        ymd(out->to, y + 1, 1, 1);
        snprintf(out->label, sizeof out->label, "%04d", y);
        return true;
    }
    return false;
}

bool period_from_dates(const char *from, const char *to, period *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int y, m, d;
    if (from) {
        if (!period_parse_date(from, &y, &m, &d)) {
            snprintf(err, errlen, _("invalid date '%s': expected YYYY-MM-DD such as 2026-09-14"), from);
            return false;
        }
        ymd(out->from, y, m, d);
    }
    if (to) {
        if (!period_parse_date(to, &y, &m, &d)) {
            snprintf(err, errlen, _("invalid date '%s': expected YYYY-MM-DD such as 2026-09-30"), to);
            return false;
        }
        period_next_day(y, m, d, out->to);
    }
    if (from && to && strcmp(from, to) > 0) {
        snprintf(err, errlen, _("the period starts (%s) after it ends (%s)"), from, to);
        return false;
    }
    if (from && to)
        snprintf(out->label, sizeof out->label, "%s_%s", from, to);
    else if (from)
        snprintf(out->label, sizeof out->label, "from-%s", from);
    else if (to)
        snprintf(out->label, sizeof out->label, "to-%s", to);
    else
        snprintf(out->label, sizeof out->label, "all");
    return true;
}

bool period_contains(const period *p, const char *ts)
{
    if (!ts || strlen(ts) < 10)
        return false;
    if (p->from[0] && strncmp(ts, p->from, 10) < 0)
        return false;
    if (p->to[0] && strncmp(ts, p->to, 10) >= 0)
        return false;
    return true;
}
