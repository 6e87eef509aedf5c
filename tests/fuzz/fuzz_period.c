/*
 * fuzz_period.c — the date and period parser (src/core/period.h).
 *
 * FUZZ_ARGS: -max_len=64
 *
 * The input is split at its first '|' into what --from and --to would be
 * given; the whole input is also tried as a date, a quarter, a month and a
 * year.  Invariants: an accepted date is a real day in range and the next
 * day parses and sorts after it; an accepted period is a non-empty
 * half-open range of real days that contains its first day and not its
 * end; a refused one says why in err, within errlen, whatever errlen.
 */
#include "fuzz.h"

#include "core/period.h"
#include "core/util.h"

static void check_day(const char *s)
{
    int y, m, d;
    FUZZ_ASSERT(period_parse_date(s, &y, &m, &d));
    FUZZ_ASSERT(y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
}

static void check_period(const period *p)
{
    FUZZ_ASSERT(memchr(p->label, '\0', sizeof p->label) != NULL);
    FUZZ_ASSERT(p->label[0] != '\0');
    if (p->from[0])
        check_day(p->from);
    /* The end is excluded: the day after 9998-12-31, the last day a date
     * may name, is a valid end. */
    if (p->to[0] && strcmp(p->to, "9999-01-01") != 0)
        check_day(p->to);
    if (p->from[0] && p->to[0])
        FUZZ_ASSERT(strcmp(p->from, p->to) < 0);
    char ts[40];
    if (p->from[0]) {
        snprintf(ts, sizeof ts, "%sT00:00:00+02:00", p->from);
        FUZZ_ASSERT(period_contains(p, ts));
    }
    if (p->to[0]) {
        snprintf(ts, sizeof ts, "%sT00:00:00+02:00", p->to);
        FUZZ_ASSERT(!period_contains(p, ts));
    }
}

static void check_refusal(const char *err, size_t errlen)
{
    FUZZ_ASSERT(memchr(err, '\0', errlen) != NULL);
    FUZZ_ASSERT(errlen < 2 || err[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    /* The error buffer's size comes from the input, to try truncation. */
    size_t errlen = size ? (size_t)data[0] % 97 + 1 : 64;
    char *err = malloc(errlen);
    period p;

    int y, m, d;
    if (period_parse_date(s, &y, &m, &d)) {
        check_day(s);
        char next[11];
        period_next_day(y, m, d, next);
        if (y < 9998 || m < 12 || d < 31) {
            check_day(next);
            FUZZ_ASSERT(strcmp(s, next) < 0);
        }
    }
    static const period_kind kinds[] = {PERIOD_QUARTER, PERIOD_MONTH, PERIOD_YEAR};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        memset(err, 'x', errlen);
        if (period_parse(kinds[i], s, &p, err, errlen)) {
            FUZZ_ASSERT(p.from[0] && p.to[0]);
            check_period(&p);
        } else {
            check_refusal(err, errlen);
        }
    }
    period_contains(&p, s);

    char *bar = strchr(s, '|');
    const char *from = s, *to = NULL;
    if (bar) {
        *bar = '\0';
        to = bar + 1;
    }
    const char *froms[] = {from, NULL, from};
    const char *tos[] = {to, to, NULL};
    for (size_t i = 0; i < 3; i++) {
        memset(err, 'x', errlen);
        if (period_from_dates(froms[i], tos[i], &p, err, errlen))
            check_period(&p);
        else
            check_refusal(err, errlen);
    }
    free(err);
    free(s);
    return 0;
}
