/*
 * period.h — dates and periods as the user types them on the command line
 * (--from 2026-07-01, --quarter 2026Q3, --month 2026-09, --year 2026).
 *
 * A period is a half-open range of local calendar dates [from, to), kept as
 * "YYYY-MM-DD" text: the stored timestamps begin with the local date, so a
 * period filters them with two text comparisons, which SQLite does on an
 * index.  Either end may be open ("").
 */
#ifndef CARNET_CORE_PERIOD_H
#define CARNET_CORE_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct period {
    char from[11]; /* first day included, or "" */
    char to[11];   /* first day excluded, or "" */
    char label[32];/* for file names: "2026Q3", "2026-09", "2026", "2026-07-01_2026-09-30", "all" */
} period;

/* Parses YYYY-MM-DD, refusing days that do not exist (2026-02-30). */
bool period_parse_date(const char *s, int *y, int *m, int *d);

/* The day after y-m-d, formatted as YYYY-MM-DD into out (11 bytes). */
void period_next_day(int y, int m, int d, char out[11]);

typedef enum period_kind { PERIOD_QUARTER, PERIOD_MONTH, PERIOD_YEAR } period_kind;

/*
 * Sets *out to the quarter ("2026Q3", also "2026-Q3"), month ("2026-09") or
 * year ("2026") in s.  On failure returns false and writes a sentence into
 * err naming what was expected.
 */
bool period_parse(period_kind kind, const char *s, period *out, char *err, size_t errlen);

/*
 * Sets *out from --from and --to dates (either may be NULL; to is
 * inclusive).  Returns false with a sentence in err when a date is invalid
 * or from is after to.
 */
bool period_from_dates(const char *from, const char *to, period *out, char *err, size_t errlen);

/* true when the local timestamp ts (starting "YYYY-MM-DD") falls in p. */
bool period_contains(const period *p, const char *ts);

#endif
