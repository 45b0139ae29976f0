/*
** model/bounds.c — closed forms and bounds of a pool (see bounds.h).
*/
#include "model/bounds.h"
#include "core/error.h"
#include "sim/events.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int check_pool(const double *times, size_t n, uint64_t m)
{
    if (n == 0)
        return adi_fail(ADI_EINPUT, "a pool needs at least one device");
    if (m == 0)
        return adi_fail(ADI_EINPUT, "the number of tasks must be at least 1");
    for (size_t i = 0; i < n; i++)
        if (!(times[i] > 0) || !isfinite(times[i]))
            return adi_fail(ADI_EINPUT, "device %zu: a task time must be > 0, got %g", i,
                            times[i]);
    return ADI_OK;
}

int adi_model_optimal_makespan(const double *times, size_t n, uint64_t m, double *c)
{
    int rc = check_pool(times, n, m);
    if (rc != ADI_OK)
        return rc;
    double R = 0;
    for (size_t i = 0; i < n; i++)
        R += 1 / times[i];
    /* C* >= m/R because sum floor(C/T_i) <= C R. Every multiple j T_i with
    ** j <= floor(L/T_i) - 1 lies below L = m/R, so it is counted up front;
    ** the rest are visited in increasing order until m are counted. Since
    ** the count starts at >= m - 2n, at most 2n candidates are popped. */
    double L = (double)m / R;
    uint64_t counted = 0, *mult = malloc(n * sizeof *mult);
    adi_events heap;
    if (!mult || adi_events_init(&heap, n, (uint32_t)(n - 1)) != 0) {
        free(mult);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    rc = ADI_OK;
    for (size_t i = 0; i < n && rc == ADI_OK; i++) {
        double below = floor(L / times[i]) - 1;
        mult[i] = below > 0 ? (uint64_t)below : 0;
        counted += mult[i];
        if (adi_events_push(&heap, (double)(mult[i] + 1) * times[i], 0, (uint32_t)i) != 0)
            rc = adi_fail(ADI_ENOMEM, "out of memory");
    }
    while (rc == ADI_OK) {
        adi_event e = adi_events_pop(&heap);
        if (++counted >= m) {
            *c = e.time;
            break;
        }
        uint32_t i = adi_event_who(&heap, e);
        mult[i]++;
        if (adi_events_push(&heap, (double)(mult[i] + 1) * times[i], 0, i) != 0)
            rc = adi_fail(ADI_ENOMEM, "out of memory");
    }
    adi_events_free(&heap);
    free(mult);
    return rc;
}

int adi_model_bounds(const double *times, size_t n, uint64_t m, adi_bounds *b)
{
    int rc = check_pool(times, n, m);
    if (rc != ADI_OK)
        return rc;
    memset(b, 0, sizeof *b);
    b->n = n;
    b->m = m;
    b->min_time = b->max_time = times[0];
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        b->R += 1 / times[i];
        sum += times[i];
        if (times[i] < b->min_time)
            b->min_time = times[i];
        if (times[i] > b->max_time)
            b->max_time = times[i];
    }
    double md = (double)m;
    b->lower = md / b->R;
    b->greedy_upper = b->lower + b->max_time;
    uint64_t rounds = m / n, r = m % n;
    b->paper = (double)(rounds + (r > 0)) * b->max_time;
    double last = 0;
    for (size_t i = 0; i < r; i++)
        if (times[i] > last)
            last = times[i];
    b->sync_rounds = (double)rounds * b->max_time + last;
    b->serial_fastest = md * b->min_time;
    b->serial_slowest = md * b->max_time;
    b->harmonic_mean = (double)n / b->R;
    b->arithmetic_mean = sum / (double)n;
    return adi_model_optimal_makespan(times, n, m, &b->optimal);
}

/* ---- expected maximum -------------------------------------------------------- */

struct max_args {
    const adi_sampler *dev;
    size_t n;
};

static double one_minus_prod_cdf(double t, void *arg)
{
    const struct max_args *a = arg;
    double prod = 1;
    for (size_t i = 0; i < a->n && prod > 0; i++)
        prod *= adi_sampler_cdf(&a->dev[i], t);
    return 1 - prod;
}

/* A time beyond which every device's tail probability is below 1e-17. */
static double upper_limit(const adi_sampler *dev, size_t n)
{
    double b = 0;
    for (size_t i = 0; i < n; i++) {
        const adi_sampler *s = &dev[i];
        double q = s->dist == ADI_DIST_EXPONENTIAL ? gsl_cdf_exponential_Qinv(1e-17, s->mean)
                 : s->dist == ADI_DIST_LOGNORMAL ? gsl_cdf_lognormal_Qinv(1e-17, s->p1, s->p2)
                 : s->dist == ADI_DIST_GAMMA ? adi_gamma_Qinv(1e-17, s->p1, s->p2)
                 : s->dist == ADI_DIST_EMPIRICAL ? s->samples[s->nsamples - 1]
                 : s->mean;
        if (q > b)
            b = q;
    }
    return b;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Empirical CDFs are step functions: integrate exactly between the steps. */
static int expected_max_steps(const adi_sampler *dev, size_t n, double *e)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += dev[i].dist == ADI_DIST_EMPIRICAL ? dev[i].nsamples : 1;
    double *t = malloc(total * sizeof *t);
    if (!t)
        return adi_fail(ADI_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (dev[i].dist == ADI_DIST_EMPIRICAL)
            for (size_t j = 0; j < dev[i].nsamples; j++)
                t[k++] = dev[i].samples[j];
        else
            t[k++] = dev[i].mean;
    }
    qsort(t, total, sizeof *t, cmp_double);
    struct max_args a = {dev, n};
    double sum = t[0]; /* below the smallest step every CDF is 0 */
    for (size_t j = 0; j + 1 < total; j++)
        if (t[j + 1] > t[j])
            sum += one_minus_prod_cdf(t[j], &a) * (t[j + 1] - t[j]);
    free(t);
    *e = sum;
    return ADI_OK;
}

int adi_model_expected_max(const adi_sampler *dev, size_t n, double *e)
{
    if (n == 0)
        return adi_fail(ADI_EINPUT, "no devices");
    int steps = 1;
    for (size_t i = 0; i < n; i++)
        steps &= dev[i].dist == ADI_DIST_DETERMINISTIC || dev[i].dist == ADI_DIST_EMPIRICAL;
    if (steps)
        return expected_max_steps(dev, n, e);
    adi_gsl_quiet();
    struct max_args a = {dev, n};
    gsl_function f = {one_minus_prod_cdf, &a};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(2000);
    if (!w)
        return adi_fail(ADI_ENOMEM, "out of memory");
    double err, b = upper_limit(dev, n);
    int rc = gsl_integration_qag(&f, 0, b, 0, 1e-12, 2000, GSL_INTEG_GAUSS61, w, e, &err);
    gsl_integration_workspace_free(w);
    if (rc != GSL_SUCCESS && !(rc == GSL_EROUND && err <= 1e-10 * *e))
        return adi_fail(ADI_EINTERNAL, "expected maximum: GSL quadrature failed: %s",
                        gsl_strerror(rc));
    return ADI_OK;
}

int adi_model_sync_expected(const adi_sampler *dev, size_t n, uint64_t m, double *e)
{
    double full = 0, last = 0;
    uint64_t rounds = m / n, r = m % n;
    int rc = rounds ? adi_model_expected_max(dev, n, &full) : ADI_OK;
    if (rc == ADI_OK && r)
        rc = adi_model_expected_max(dev, (size_t)r, &last);
    if (rc == ADI_OK)
        *e = (double)rounds * full + last;
    return rc;
}
