/*
 * stats.h — the arithmetic of carnet's tables: shares, quantiles read from
 * a sorted stream, and cross-tabulations with their margins.
 *
 * The counting itself is done by the store (src/store/st_export.c); what is
 * left is pure arithmetic, kept here so that it has unit tests and so that the
 * workbook and `carnet stats` give the same figures.
 */
#ifndef CARNET_CORE_STATS_H
#define CARNET_CORE_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* part / whole as a fraction (0.25 for a quarter); 0 when whole is 0. */
double stats_share(long long part, long long whole);

/*
 * A quantile of n values read in ascending order, one at a time, without
 * keeping them: the definition is linear interpolation between order
 * statistics (Hyndman and Fan's type 7, what Excel's PERCENTILE.INC and
 * LibreOffice's PERCENTILE compute), so the workbook's figures can be
 * checked with a spreadsheet formula.
 */
typedef struct stats_quantile {
    double q;           /* 0.5 for the median, 0.9 for the 90th percentile */
    long long n;        /* how many values will be fed */
    long long lo, hi;   /* the 0-based ranks needed */
    double frac;        /* weight of the value at rank hi */
    double vlo, vhi;
} stats_quantile;

/* Prepares for n values (n >= 1). */
void stats_quantile_init(stats_quantile *s, double q, long long n);
/* Feeds the value at 0-based rank `rank` of the ascending order. */
void stats_quantile_feed(stats_quantile *s, long long rank, double v);
/* Feeds v as the value at the `count` ranks from `rank` on (a run of
 * equal values, as a histogram gives them). */
void stats_quantile_feed_run(stats_quantile *s, long long rank, long long count, double v);
/* The quantile, once every rank up to s->hi has been fed. */
double stats_quantile_value(const stats_quantile *s);

/* The same quantile of an array sorted in ascending order (n >= 1). */
double stats_quantile_sorted(const double *v, size_t n, double q);

/*
 * A cross-tabulation of nr row categories by nc column categories, with
 * its margins.  Cells count interactions; with a multiple-choice dimension
 * an interaction can count in several cells, so a margin is the sum of its
 * cells (answers), not a number of interactions.
 */
typedef struct stats_xtab {
    size_t nr, nc;
    long long *cell;   /* nr * nc, row-major */
    long long *rowsum; /* nr */
    long long *colsum; /* nc */
    long long total;
} stats_xtab;

/* Zeroed table.  Free with stats_xtab_free(). */
void stats_xtab_init(stats_xtab *x, size_t nr, size_t nc);
void stats_xtab_free(stats_xtab *x);
/* Adds n to cell (r, c) and to the margins. */
void stats_xtab_add(stats_xtab *x, size_t r, size_t c, long long n);
long long stats_xtab_get(const stats_xtab *x, size_t r, size_t c);
/* The cell as a share of its row / column / the whole table. */
double stats_xtab_row_share(const stats_xtab *x, size_t r, size_t c);
double stats_xtab_col_share(const stats_xtab *x, size_t r, size_t c);

#endif
