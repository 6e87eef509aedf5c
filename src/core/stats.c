/*
 * stats.c — shares, streamed quantiles, cross-tabulations (stats.h).
 */
#include "core/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

double stats_share(long long part, long long whole)
{
    return whole > 0 ? (double)part / (double)whole : 0.0;
}

void stats_quantile_init(stats_quantile *s, double q, long long n)
{
    memset(s, 0, sizeof *s);
    if (q < 0)
        q = 0;
    if (q > 1)
        q = 1;
    s->q = q;
    s->n = n < 1 ? 1 : n;
    double h = (double)(s->n - 1) * q;
    s->lo = (long long)floor(h);
    s->hi = s->lo + 1 < s->n ? s->lo + 1 : s->lo;
    s->frac = h - (double)s->lo;
}

void stats_quantile_feed(stats_quantile *s, long long rank, double v)
{
    if (rank == s->lo)
        s->vlo = v;
    if (rank == s->hi)
        s->vhi = v;
}

void stats_quantile_feed_run(stats_quantile *s, long long rank, long long count, double v)
{
    if (s->lo >= rank && s->lo < rank + count)
        s->vlo = v;
    if (s->hi >= rank && s->hi < rank + count)
        s->vhi = v;
}

double stats_quantile_value(const stats_quantile *s)
{
    return s->vlo + s->frac * (s->vhi - s->vlo);
}

double stats_quantile_sorted(const double *v, size_t n, double q)
{
    stats_quantile s;
    stats_quantile_init(&s, q, (long long)n);
    stats_quantile_feed(&s, s.lo, v[s.lo]);
    stats_quantile_feed(&s, s.hi, v[s.hi]);
    return stats_quantile_value(&s);
}

void stats_xtab_init(stats_xtab *x, size_t nr, size_t nc)
{
    x->nr = nr;
    x->nc = nc;
    x->cell = xcalloc(nr * nc, sizeof *x->cell);
    x->rowsum = xcalloc(nr, sizeof *x->rowsum);
    x->colsum = xcalloc(nc, sizeof *x->colsum);
    x->total = 0;
}

void stats_xtab_free(stats_xtab *x)
{
    free(x->cell);
    free(x->rowsum);
    free(x->colsum);
    memset(x, 0, sizeof *x);
}

void stats_xtab_add(stats_xtab *x, size_t r, size_t c, long long n)
{
    if (r >= x->nr || c >= x->nc)
        return;
    x->cell[r * x->nc + c] += n;
    x->rowsum[r] += n;
    x->colsum[c] += n;
    x->total += n;
}

long long stats_xtab_get(const stats_xtab *x, size_t r, size_t c)
{
    return r < x->nr && c < x->nc ? x->cell[r * x->nc + c] : 0;
}

double stats_xtab_row_share(const stats_xtab *x, size_t r, size_t c)
{
    return r < x->nr ? stats_share(stats_xtab_get(x, r, c), x->rowsum[r]) : 0.0;
}

double stats_xtab_col_share(const stats_xtab *x, size_t r, size_t c)
{
    return c < x->nc ? stats_share(stats_xtab_get(x, r, c), x->colsum[c]) : 0.0;
}
