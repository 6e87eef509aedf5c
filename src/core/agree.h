/*
 * agree.h — inter-coder agreement statistics, in pure C.
 *
 * Percent agreement, Cohen's kappa for two coders with its large-sample
 * standard error and 95% confidence interval, Krippendorff's alpha for
 * nominal data (any number of coders, missing values allowed), and the
 * confusion matrix they are computed from.  Categories are small integers
 * 0..k-1 chosen by the caller; AG_MISSING marks a value a coder did not give.
 * The formulas and their references are in doc/agreement.md.
 *
 * A statistic that cannot be computed (no unit, or only one category in
 * use, so that chance agreement is total and kappa is 0/0) is reported as
 * undefined through a flag, never as NaN: callers print "undefined" and the
 * reason from ag_undefined_reason().
 */
#ifndef CARNET_CORE_AGREE_H
#define CARNET_CORE_AGREE_H

#include <stdbool.h>
#include <stddef.h>

#define AG_MISSING (-1)

/* The normal quantile for a two-sided 95% interval. */
#define AG_Z95 1.959963984540054

/* Why a statistic is undefined. */
typedef enum ag_why {
    AG_DEFINED = 0,
    AG_NO_UNITS,     /* no unit was coded by both coders (alpha: no pairable values) */
    AG_ONE_CATEGORY, /* every value falls in one category: chance agreement is total */
} ag_why;

/* A sentence for why (translated), e.g. "only one category in use". */
const char *ag_undefined_reason(ag_why why);

/*
 * The k x k confusion matrix of two coders over n units: counts[i * k + j]
 * is the number of units coder a put in category i and coder b in category
 * j.  Units where either value is AG_MISSING are left out.  counts must
 * hold k * k longs; it is zeroed first.  Returns the number of units counted.
 */
long ag_confusion(const int *a, const int *b, size_t n, size_t k, long *counts);

typedef struct ag_kappa {
    long n;        /* units in the confusion matrix */
    double po;     /* observed (percent / 100) agreement; valid when n > 0 */
    double pe;     /* chance agreement from the two coders' margins */
    ag_why why;    /* AG_DEFINED when kappa, se, lo, hi are meaningful */
    double kappa;
    double se;     /* Fleiss, Cohen & Everitt (1969) large-sample (non-null) SE */
    double lo, hi; /* kappa -/+ AG_Z95 * se, kept within [-1, 1] */
} ag_kappa;

/*
 * Cohen's (1960) kappa from a confusion matrix (as ag_confusion fills it).
 * po is defined whenever n > 0, even when kappa is not.
 */
ag_kappa ag_cohen(const long *counts, size_t k);

typedef struct ag_alpha {
    double pairable; /* n.. : values in units coded by two coders or more */
    double d_o, d_e; /* observed and expected disagreement */
    ag_why why;
    double alpha;
} ag_alpha;

/*
 * Krippendorff's alpha for nominal data.  values is a units x coders
 * matrix, row-major: values[u * coders + c] is coder c's category for unit
 * u, or AG_MISSING.  Categories must be in 0..k-1.  Units with fewer than
 * two values are not pairable and do not count.
 */
ag_alpha ag_krippendorff_nominal(const int *values, size_t units, size_t coders, size_t k);

#endif
