/*
** sim/sampler.h — one device's service-time distribution.
**
** Each device has a mean task time T_i and a family; the spread of one
** device's task times around T_i is its coefficient of variation cv:
**
**   deterministic  every task takes T_i (cv = 0; draws no random numbers)
**   exponential    mean T_i (cv = 1 by definition)
**   lognormal      sigma^2 = ln(1 + cv^2), zeta = ln T_i - sigma^2 / 2
**   gamma          shape 1 / cv^2, scale T_i cv^2
**   empirical      a uniformly chosen measured sample (calibration)
**
** The parameterisations above make the mean exactly T_i, so a scenario's
** mean_time and heterogeneity mean what they say whatever the family.
**
** Speed: draws are in the simulator's innermost loop, so they avoid
** logarithms. A lognormal is exp(zeta + sigma Z) with Z from GSL's ziggurat
** normal; an exponential comes from the exponential ziggurat (ziggurat.h).
** Measured with GSL's taus2 generator: 14 ns a lognormal draw against 37 ns
** for gsl_ran_lognormal; an exponential draw, see ziggurat.h.
*/
#ifndef ADI_SIM_SAMPLER_H
#define ADI_SIM_SAMPLER_H

#include "sim/ziggurat.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>

typedef enum adi_dist {
    ADI_DIST_DETERMINISTIC,
    ADI_DIST_EXPONENTIAL,
    ADI_DIST_LOGNORMAL,
    ADI_DIST_GAMMA,
    ADI_DIST_EMPIRICAL,
    ADI_DIST_COUNT
} adi_dist;

typedef struct adi_sampler {
    adi_dist dist;
    double mean;           /* seconds: T_i */
    double cv;             /* std / mean of one task's time */
    double skew;           /* its skewness E(S - T)^3 / std^3 (0 when cv = 0):
                              2 exponential, 2 cv gamma, (cv^2 + 3) cv
                              lognormal, the samples' for empirical */
    double p1, p2;         /* family parameters (zeta/sigma, shape/scale) */
    const double *samples; /* empirical: borrowed, seconds, sorted ascending */
    size_t nsamples;
} adi_sampler;

/* Name <-> enum ("deterministic", ...). parse returns ADI_OK or ADI_EINPUT. */
const char *adi_dist_name(adi_dist d);
int adi_dist_parse(const char *name, adi_dist *d);

/* The largest cv of a lognormal and of a gamma. Above about 11 (lognormal)
** and 400 (gamma) the analytic model's quadrature of the expected maximum
** fails; a gamma's draws fall below DBL_MIN with probability (DBL_MIN /
** scale)^shape / Gamma(shape + 1), 1e-3 at cv = 10 (shape 0.01) and below
** 1e-11 at cv = 5 for any time of at least 1 ps. */
#define ADI_LOGNORMAL_MAX_CV 10.0
#define ADI_GAMMA_MAX_CV 5.0

/* A parametric sampler with the given mean (> 0) and cv. deterministic needs
** cv == 0, exponential cv == 1, lognormal cv in (0, ADI_LOGNORMAL_MAX_CV],
** gamma cv in (0, ADI_GAMMA_MAX_CV]; the message states the range. */
int adi_sampler_init(adi_sampler *s, adi_dist d, double mean, double cv);

/* An empirical sampler over samples[0..n) (seconds, all > 0, sorted
** ascending); the array is borrowed and must outlive the sampler. */
int adi_sampler_init_empirical(adi_sampler *s, const double *samples, size_t n);

/* An exponential of mean 1 (ziggurat.h; adi_ziggurat_init must have run). */
static inline double adi_exponential1(gsl_rng *r)
{
    return adi_exponential_zig(r);
}

/* The draws of the distributions below other than deterministic and
** exponential (sampler.c). */
double adi_sampler_draw_other(const adi_sampler *s, gsl_rng *r);

/* One task's service time in seconds. Always inlined: the engine draws one
** per task, and the call and switch were a twentieth of its instructions
** per task on exponential times; the rarer distributions are a call. */
static inline __attribute__((always_inline)) double adi_sampler_draw(const adi_sampler *s,
                                                                     gsl_rng *r)
{
    if (s->dist == ADI_DIST_EXPONENTIAL)
        return s->mean * adi_exponential1(r);
    if (s->dist == ADI_DIST_DETERMINISTIC)
        return s->mean;
    return adi_sampler_draw_other(s, r);
}

/* P(time <= t): for the expected-maximum formulas of the analytic model. */
double adi_sampler_cdf(const adi_sampler *s, double t);

/* The gamma CDF P(X <= t) and upper quantile (P(X > x) = q) for shape k
** and scale theta. GSL's incomplete gamma function goes wrong for shapes
** above about 1e5 (at k = 1e6 its CDF leaves [0, 1] near the mean, and its
** quantiles land below the mean), which calibrated devices with a spread
** under 0.3 % reach; for k >= 1e4 these use the Wilson-Hilferty cube-root
** normal transform instead, whose CDF error there is below 1e-6. */
double adi_gamma_P(double t, double shape, double scale);
double adi_gamma_Qinv(double q, double shape, double scale);

/* 1 when every draw equals the mean (no randomness). */
static inline int adi_sampler_is_deterministic(const adi_sampler *s)
{
    return s->dist == ADI_DIST_DETERMINISTIC;
}

#endif
