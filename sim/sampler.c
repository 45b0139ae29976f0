/*
** sim/sampler.c — parameterising GSL's distributions by mean and cv, and
** their CDFs (see sampler.h).
*/
#include "sim/sampler.h"
#include "core/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

static const char *const names[ADI_DIST_COUNT] = {
    "deterministic", "exponential", "lognormal", "gamma", "empirical",
};

const char *adi_dist_name(adi_dist d)
{
    return d < ADI_DIST_COUNT ? names[d] : "?";
}

int adi_dist_parse(const char *name, adi_dist *d)
{
    for (int i = 0; i < ADI_DIST_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *d = (adi_dist)i;
            return ADI_OK;
        }
    return adi_fail(ADI_EINPUT,
                    "expected deterministic, exponential, lognormal, gamma or "
                    "empirical, got '%s'", name);
}

int adi_sampler_init(adi_sampler *s, adi_dist d, double mean, double cv)
{
    adi_ziggurat_init(); /* for exponential draws */
    memset(s, 0, sizeof *s);
    if (!(mean > 0) || !isfinite(mean))
        return adi_fail(ADI_EINPUT, "a mean task time must be > 0, got %g s", mean);
    if (!(cv >= 0) || !isfinite(cv))
        return adi_fail(ADI_EINPUT, "cv must be >= 0, got %g", cv);
    s->dist = d;
    s->mean = mean;
    s->cv = cv;
    s->skew = d == ADI_DIST_EXPONENTIAL ? 2
            : d == ADI_DIST_GAMMA       ? 2 * cv
            : d == ADI_DIST_LOGNORMAL   ? (cv * cv + 3) * cv
                                        : 0;
    switch (d) {
    case ADI_DIST_DETERMINISTIC:
        if (cv != 0)
            return adi_fail(ADI_EINPUT, "a deterministic time has cv = 0, got %g", cv);
        return ADI_OK;
    case ADI_DIST_EXPONENTIAL:
        if (cv != 1)
            return adi_fail(ADI_EINPUT, "an exponential time has cv = 1, got %g", cv);
        return ADI_OK;
    case ADI_DIST_LOGNORMAL:
        if (cv == 0)
            return adi_fail(ADI_EINPUT, "lognormal needs cv > 0 (use deterministic)");
        if (cv > ADI_LOGNORMAL_MAX_CV)
            return adi_fail(ADI_EINPUT, "a lognormal's cv must be in (0, %g], got %g",
                            ADI_LOGNORMAL_MAX_CV, cv);
        s->p2 = sqrt(log1p(cv * cv));
        s->p1 = log(mean) - s->p2 * s->p2 / 2;
        return ADI_OK;
    case ADI_DIST_GAMMA:
        if (cv == 0)
            return adi_fail(ADI_EINPUT, "gamma needs cv > 0 (use deterministic)");
        if (cv > ADI_GAMMA_MAX_CV)
            return adi_fail(ADI_EINPUT, "a gamma's cv must be in (0, %g] (shape 1/cv^2 >= %g), "
                            "got %g", ADI_GAMMA_MAX_CV, 1 / (ADI_GAMMA_MAX_CV * ADI_GAMMA_MAX_CV), cv);
        s->p1 = 1 / (cv * cv);
        s->p2 = mean * cv * cv;
        return ADI_OK;
    default:
        return adi_fail(ADI_EINPUT, "empirical times come from a profile's samples");
    }
}

int adi_sampler_init_empirical(adi_sampler *s, const double *samples, size_t n)
{
    memset(s, 0, sizeof *s);
    if (n == 0)
        return adi_fail(ADI_EINPUT, "an empirical distribution needs samples");
    double sum = 0, sq = 0, cube = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(samples[i] > 0) || !isfinite(samples[i]))
            return adi_fail(ADI_EINPUT, "sample %zu is not a positive time: %g", i, samples[i]);
        if (i && samples[i] < samples[i - 1])
            return adi_fail(ADI_EINPUT, "empirical samples must be sorted");
        sum += samples[i];
    }
    s->dist = ADI_DIST_EMPIRICAL;
    s->samples = samples;
    s->nsamples = n;
    s->mean = sum / (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = samples[i] - s->mean;
        sq += d * d;
        cube += d * d * d;
    }
    double sd = sqrt(sq / (double)n);
    s->cv = sd / s->mean;
    s->skew = sd > 0 ? cube / (double)n / (sd * sd * sd) : 0;
    return ADI_OK;
}

double adi_sampler_draw_other(const adi_sampler *s, gsl_rng *r)
{
    switch (s->dist) {
    case ADI_DIST_LOGNORMAL: return exp(s->p1 + s->p2 * gsl_ran_gaussian_ziggurat(r, 1));
    case ADI_DIST_GAMMA: return gsl_ran_gamma(r, s->p1, s->p2);
    case ADI_DIST_EMPIRICAL: return s->samples[gsl_rng_uniform_int(r, s->nsamples)];
    default: return s->mean;
    }
}

double adi_sampler_cdf(const adi_sampler *s, double t)
{
    if (t < 0)
        return 0;
    switch (s->dist) {
    case ADI_DIST_DETERMINISTIC: return t >= s->mean ? 1 : 0;
    case ADI_DIST_EXPONENTIAL: return gsl_cdf_exponential_P(t, s->mean);
    case ADI_DIST_LOGNORMAL: return t > 0 ? gsl_cdf_lognormal_P(t, s->p1, s->p2) : 0;
    case ADI_DIST_GAMMA: return adi_gamma_P(t, s->p1, s->p2);
    case ADI_DIST_EMPIRICAL: {
        /* samples are sorted: count those <= t by binary search */
        size_t lo = 0, hi = s->nsamples;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->samples[mid] <= t)
                lo = mid + 1;
            else
                hi = mid;
        }
        return (double)lo / (double)s->nsamples;
    }
    default: return 0;
    }
}

/* Shapes from which the Wilson-Hilferty transform replaces GSL (sampler.h). */
#define WH_SHAPE 1e4

double adi_gamma_P(double t, double shape, double scale)
{
    if (shape < WH_SHAPE)
        return gsl_cdf_gamma_P(t, shape, scale);
    if (!(t > 0))
        return 0;
    double v = 1 / (9 * shape);
    return gsl_cdf_ugaussian_P((cbrt(t / (shape * scale)) - (1 - v)) / sqrt(v));
}

double adi_gamma_Qinv(double q, double shape, double scale)
{
    if (shape < WH_SHAPE)
        return gsl_cdf_gamma_Qinv(q, shape, scale);
    double v = 1 / (9 * shape), c = 1 - v + gsl_cdf_ugaussian_Qinv(q) * sqrt(v);
    return c > 0 ? shape * scale * c * c * c : 0;
}
