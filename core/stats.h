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

/* A two-sided confidence interval for a mean. */
typedef struct adi_ci {
    double mean;
    double half;   /* half-width; NAN when n < 2 (no interval) */
    double lo, hi; /* mean -/+ half; -inf/+inf when n < 2 */
    double level;  /* confidence level, e.g. 0.95 */
    size_t n;
} adi_ci;

/* Student-t interval for the mean of x[0..n) at the given level (0 < level
** < 1). With n == 1 the interval is unbounded (half = NAN). n must be >= 1. */
adi_ci adi_ci_t(const double *x, size_t n, double level);

#endif
