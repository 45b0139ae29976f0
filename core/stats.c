/*
** core/stats.c — confidence intervals for a mean (see stats.h).
*/
#include "core/stats.h"
#include "core/error.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

adi_ci adi_ci_t(const double *x, size_t n, double level)
{
    adi_ci ci = {.mean = gsl_stats_mean(x, 1, n), .level = level, .n = n};
    if (n < 2) {
        ci.half = NAN;
        ci.lo = -INFINITY;
        ci.hi = INFINITY;
        return ci;
    }
    adi_gsl_quiet();
    double sd = gsl_stats_sd_m(x, 1, n, ci.mean);
    double t = gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)(n - 1));
    ci.half = t * sd / sqrt((double)n);
    ci.lo = ci.mean - ci.half;
    ci.hi = ci.mean + ci.half;
    return ci;
}

adi_ci adi_ci_known(const double *x, size_t n, double sd, double skew, double level)
{
    adi_ci ci = {.mean = gsl_stats_mean(x, 1, n), .level = level, .n = n};
    double root = sqrt((double)n), s = sd / root;
    double z = gsl_cdf_ugaussian_Pinv(0.5 + level / 2), c = skew / root * (z * z - 1) / 6;
    ci.lo = ci.mean - s * (z + c);
    ci.hi = ci.mean + s * (z - c);
    ci.half = (ci.hi - ci.lo) / 2;
    return ci;
}
