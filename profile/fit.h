/*
** profile/fit.h — summary statistics of measured task times and the
** maximum-likelihood fits of two families to them.
**
**   lognormal  zeta = mean(ln x), sigma^2 = mean((ln x - zeta)^2)
**              (closed form; GSL's parameterisation, gsl_ran_lognormal)
**   gamma      shape k solves ln k - digamma(k) = ln mean(x) - mean(ln x),
**              scale = mean(x) / k (GSL's Brent root finder on a bracket
**              around Minka's closed-form start; gsl_ran_gamma's
**              parameterisation)
**
** For each: the log-likelihood of the samples and the Kolmogorov-Smirnov
** distance sup |F_n - F| (reported, so a reader can judge the fit). The
** better family is the one with the higher log-likelihood; both have two
** parameters, so this is also the AIC and the BIC choice.
**
** Costs: O(n log n) (one sort), a few dozen digamma evaluations.
*/
#ifndef ADI_CALIBRATE_FIT_H
#define ADI_CALIBRATE_FIT_H

#include "sim/sampler.h"

#include <stddef.h>

typedef struct adi_time_stats {
    size_t n;
    double mean, std;   /* seconds; std with n - 1 (0 when n == 1) */
    double min, p50, p95, p99, max; /* seconds; percentiles interpolated
                                       between order statistics (GSL) */
} adi_time_stats;

typedef struct adi_fit_family {
    double p1, p2;      /* lognormal: zeta (ln s), sigma; gamma: shape, scale (s) */
    double loglik;      /* sum of ln pdf(x_i) */
    double ks;          /* Kolmogorov-Smirnov distance, in [0, 1] */
} adi_fit_family;

typedef struct adi_fit {
    adi_fit_family lognormal, gamma;
    adi_dist best;      /* ADI_DIST_LOGNORMAL or ADI_DIST_GAMMA */
} adi_fit;

/* Statistics of x[0..n), n >= 1 (x need not be sorted). */
int adi_time_stats_compute(const double *x, size_t n, adi_time_stats *out);

/* Fits both families to x[0..n): n >= 2, every x > 0 and finite, and at
** least two different values (a distribution needs a spread). ADI_EINPUT
** with a message otherwise. */
int adi_fit_times(const double *x, size_t n, adi_fit *out);

/* Log-likelihood and KS distance of family d (lognormal or gamma) with
** parameters p1, p2 on x[0..n) sorted ascending (p1, p2 are copied into
** *out too). */
void adi_fit_score(adi_dist d, double p1, double p2, const double *sorted, size_t n,
                   adi_fit_family *out);

/* The mean and cv of family d with parameters p1, p2: what the simulator's
** sampler needs (sampler.h parameterises by mean and cv). */
void adi_fit_moments(adi_dist d, double p1, double p2, double *mean, double *cv);

#endif
