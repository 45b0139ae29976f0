/*
** core/stats.h — the small statistics every module needs: compensated
** summation (so identities such as Little's law can be checked to 1e-9 on
** runs of 10^8 tasks) and Student-t confidence intervals over replications
** (GSL's gsl_stats_* and gsl_cdf_tdist_Pinv do the arithmetic).
*/
#ifndef ADI_CORE_STATS_H
#define ADI_CORE_STATS_H

#include <math.h>
#include <stddef.h>

/* Neumaier's compensated sum: error O(eps) instead of O(n eps). */
typedef struct adi_sum {
    double s, c;
} adi_sum;

static inline void adi_sum_add(adi_sum *k, double x)
{
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

static inline double adi_sum_value(const adi_sum *k) { return k->s + k->c; }

/* A blocked sum for hot loops: plain additions into a block of at most
** ADI_BLOCK terms, each block folded into a compensated total. The error is
** at most about ADI_BLOCK * eps relative (6e-14), far below what the checks
** tolerate, at a third of the cost of compensating every term. */
#define ADI_BLOCK 256
typedef struct adi_blocksum {
    double block;
    unsigned terms;
    adi_sum total;
} adi_blocksum;

static inline void adi_blocksum_add(adi_blocksum *b, double x)
{
    b->block += x;
    if (++b->terms == ADI_BLOCK) {
        adi_sum_add(&b->total, b->block);
        b->block = 0;
        b->terms = 0;
    }
}

static inline double adi_blocksum_value(const adi_blocksum *b)
{
    adi_sum t = b->total;
    adi_sum_add(&t, b->block);
    return adi_sum_value(&t);
}

/* A two-sided confidence interval for a mean. */
typedef struct adi_ci {
    double mean;
    double half;   /* half-width (hi - lo) / 2; NAN when n < 2 (no interval) */
    double lo, hi; /* Student t: mean -/+ half; -inf/+inf when n < 2 */
    double level;  /* confidence level, e.g. 0.95 */
    size_t n;
} adi_ci;

/* Student-t interval for the mean of x[0..n) at the given level (0 < level
** < 1). With n == 1 the interval is unbounded (half = NAN). n must be >= 1. */
adi_ci adi_ci_t(const double *x, size_t n, double level);

/* Interval for the mean of x[0..n) when a model gives the standard
** deviation sd >= 0 and skewness skew of one x. Unlike adi_ci_t it does
** not trust the sample's spread, which says little when x is skewed and n
** small (most samples then miss the rare large values). The normal
** quantiles get the Cornish-Fisher term for the mean's skewness g =
** skew / sqrt(n): mu lies in [mean - s (z + c), mean + s (z - c)] with s =
** sd / sqrt(n), c = g (z^2 - 1) / 6, accurate while |g| is small (0.1). */
adi_ci adi_ci_known(const double *x, size_t n, double sd, double skew, double level);

#endif
