/*
 * timeutil.c — ISO 8601 timestamps with the local UTC offset (timeutil.h).
 */
#include "core/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ts_format(time_t t, char out[TS_LEN])
{
    struct tm tm;
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999) {
        size_t n = strftime(out, TS_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(out + n, TS_LEN - n, "%c%02d:%02d", sign, (int)(off / 3600 % 100), (int)(off % 3600 / 60));
        return;
    }
    /* What strftime() and snprintf() above write, digit by digit (a demo
     * formats millions). */
    const int v[] = {year / 100, year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     (int)(off / 3600 % 100), (int)(off % 3600 / 60)};
    static const char sep[] = {0, '-', '-', 'T', ':', ':', 0, ':', 0};
    size_t o = 0;
    for (int i = 0; i < 9; i++) {
        if (i == 7)
            out[o++] = sign;
        out[o++] = (char)('0' + v[i] / 10);
        out[o++] = (char)('0' + v[i] % 10);
        if (sep[i])
            out[o++] = sep[i];
    }
    out[o] = '\0';
}

void ts_now(char out[TS_LEN])
{
    ts_format(time(NULL), out);
}

bool ts_parse(const char *s, time_t *out)
{
    int Y, M, D, h, m, sec, oh, om;
    char sign;
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d%n", &Y, &M, &D, &h, &m, &sec, &sign, &oh, &om, &n) != 9 ||
        s[n] || (sign != '+' && sign != '-') || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
        return false;
    struct tm tm = {.tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = sec};
    time_t utc = timegm(&tm);
    long off = (oh * 3600L + om * 60L) * (sign == '-' ? -1 : 1);
    *out = utc - off;
    return true;
}
