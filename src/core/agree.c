/*
 * agree.c — agreement statistics (agree.h); the formulas are written out,
 * with their sources, in doc/agreement.md.
 *
 * Everything is computed from counts in double precision; the sums are
 * small (a field study has hundreds of matched interactions, not
 * millions), so no compensated summation is needed.
 */
#include "core/agree.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

const char *ag_undefined_reason(ag_why why)
{
    switch (why) {
    case AG_NO_UNITS:
        return _("no unit coded by two observers");
    case AG_ONE_CATEGORY:
        return _("only one category in use");
    case AG_DEFINED:
        break;
    }
    return "";
}

long ag_confusion(const int *a, const int *b, size_t n, size_t k, long *counts)
{
    memset(counts, 0, k * k * sizeof *counts);
    long used = 0;
    for (size_t u = 0; u < n; u++) {
        if (a[u] == AG_MISSING || b[u] == AG_MISSING)
            continue;
        assert(a[u] >= 0 && (size_t)a[u] < k && b[u] >= 0 && (size_t)b[u] < k);
        counts[(size_t)a[u] * k + (size_t)b[u]]++;
        used++;
    }
    return used;
}

static double clamp1(double x)
{
    return x < -1.0 ? -1.0 : x > 1.0 ? 1.0 : x;
}

ag_kappa ag_cohen(const long *counts, size_t k)
{
    ag_kappa r = {0};
    for (size_t i = 0; i < k * k; i++)
        r.n += counts[i];
    if (r.n == 0) {
        r.why = AG_NO_UNITS;
        return r;
    }
    double n = (double)r.n;
    double *row = xcalloc(k, sizeof *row), *col = xcalloc(k, sizeof *col);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double p = (double)counts[i * k + j] / n;
            row[i] += p;
            col[j] += p;
            if (i == j)
                r.po += p;
        }
    for (size_t i = 0; i < k; i++)
        r.pe += row[i] * col[i];
    /* pe reaches 1 only when both coders used one and the same category:
     * kappa is then 0/0.  Compare with a tolerance, since pe is a sum of
     * products of quotients. */
    if (1.0 - r.pe < 1e-12) {
        r.why = AG_ONE_CATEGORY;
        free(row);
        free(col);
        return r;
    }
    double kap = (r.po - r.pe) / (1.0 - r.pe);
    /* Fleiss, Cohen & Everitt (1969), equation (13): the large-sample
     * variance of kappa when kappa is not assumed to be zero, which is the
     * one a confidence interval needs. */
    double a = 0.0, b = 0.0;
    for (size_t i = 0; i < k; i++) {
        double p = (double)counts[i * k + i] / n;
        double t = 1.0 - (row[i] + col[i]) * (1.0 - kap);
        a += p * t * t;
        for (size_t j = 0; j < k; j++) {
            if (i == j)
                continue;
            double q = (double)counts[i * k + j] / n;
            double s = col[i] + row[j];
            b += q * s * s;
        }
    }
    b *= (1.0 - kap) * (1.0 - kap);
    double c = kap - r.pe * (1.0 - kap);
    double var = (a + b - c * c) / ((1.0 - r.pe) * (1.0 - r.pe) * n);
    /* The three terms cancel exactly under perfect agreement, or when one
     * coder used a single category; rounding then leaves a crumb (of
     * either sign) instead of zero. */
    if (var < 1e-12)
        var = 0.0;
    r.kappa = kap;
    r.se = sqrt(var);
    r.lo = clamp1(kap - AG_Z95 * r.se);
    r.hi = clamp1(kap + AG_Z95 * r.se);
    r.why = AG_DEFINED;
    free(row);
    free(col);
    return r;
}

ag_alpha ag_krippendorff_nominal(const int *values, size_t units, size_t coders, size_t k)
{
    ag_alpha r = {0};
    /* Only the margins n_c of the coincidence matrix and its off-diagonal
     * total are needed for nominal data, so the k x k matrix itself is not
     * built. */
    double *nc = xcalloc(k, sizeof *nc);
    long *cnt = xcalloc(k, sizeof *cnt);
    double off = 0.0;
    for (size_t u = 0; u < units; u++) {
        memset(cnt, 0, k * sizeof *cnt);
        long m = 0;
        for (size_t c = 0; c < coders; c++) {
            int v = values[u * coders + c];
            if (v == AG_MISSING)
                continue;
            assert(v >= 0 && (size_t)v < k);
            cnt[v]++;
            m++;
        }
        if (m < 2)
            continue;
        /* Unit u adds cnt[c] * cnt[k] / (m - 1) to o_ck for c != k, and
         * cnt[c] * (cnt[c] - 1) / (m - 1) to o_cc; row c then sums to
         * cnt[c]. */
        for (size_t c = 0; c < k; c++) {
            if (!cnt[c])
                continue;
            nc[c] += (double)cnt[c];
            off += (double)cnt[c] * (double)(m - cnt[c]) / (double)(m - 1);
        }
        r.pairable += (double)m;
    }
    if (r.pairable < 2.0) {
        r.why = AG_NO_UNITS;
        goto out;
    }
    double n = r.pairable, expected = 0.0;
    for (size_t c = 0; c < k; c++)
        expected += nc[c] * (n - nc[c]);
    r.d_o = off / n;
    r.d_e = expected / (n * (n - 1.0));
    if (r.d_e <= 0.0) {
        r.why = AG_ONE_CATEGORY;
        goto out;
    }
    r.alpha = 1.0 - r.d_o / r.d_e;
    r.why = AG_DEFINED;
out:
    free(nc);
    free(cnt);
    return r;
}
