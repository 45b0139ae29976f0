/*
** model/batchlaw.c — the batch law T(s) of a kernel (see batchlaw.h): its
** fits, its choice and its evaluation. GSL does the least squares.
*/
#include "model/batchlaw.h"
#include "core/error.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[ADI_BATCH_KIND_COUNT] = {"affine", "interpolated"};

const char *adi_batch_kind_name(adi_batch_kind k)
{
    return k < ADI_BATCH_KIND_COUNT ? kind_names[k] : "?";
}

int adi_batch_kind_parse(const char *text, adi_batch_kind *k)
{
    for (int i = 0; i < ADI_BATCH_KIND_COUNT; i++)
        if (strcmp(text, kind_names[i]) == 0) {
            *k = (adi_batch_kind)i;
            return ADI_OK;
        }
    return adi_fail(ADI_EINPUT, "expected affine or interpolated, got '%s'", text);
}

int adi_batch_check(const adi_batch_law *law)
{
    if (law->n < 1 || law->n > ADI_BATCH_MAX)
        return adi_fail(ADI_EINPUT, "expected 1 to %d batch sizes, got %zu", ADI_BATCH_MAX,
                        law->n);
    for (size_t j = 0; j < law->n; j++) {
        if (law->size[j] < 1 || law->size[j] > ADI_BATCH_MAX_IMAGES)
            return adi_fail(ADI_EINPUT, "batch size %zu: expected 1 to %d images, got %zu",
                            j + 1, ADI_BATCH_MAX_IMAGES, law->size[j]);
        if (j && law->size[j] <= law->size[j - 1])
            return adi_fail(ADI_EINPUT, "batch sizes must increase: %zu after %zu",
                            law->size[j], law->size[j - 1]);
        if (!(law->mean[j] > 0) || !isfinite(law->mean[j]))
            return adi_fail(ADI_EINPUT, "batch %zu: the mean time must be > 0, got %g",
                            law->size[j], law->mean[j]);
        if (!(law->std[j] >= 0) || !isfinite(law->std[j]))
            return adi_fail(ADI_EINPUT, "batch %zu: the std must be >= 0, got %g", law->size[j],
                            law->std[j]);
        if (law->count[j] < 1)
            return adi_fail(ADI_EINPUT, "batch %zu: no samples", law->size[j]);
    }
    return ADI_OK;
}

int adi_batch_affine_positive(const adi_batch_law *law)
{
    double lo = law->intercept + law->slope * (double)law->size[0],
           hi = law->intercept + law->slope * (double)law->size[law->n - 1];
    return lo > 0 && hi > 0 && isfinite(lo) && isfinite(hi);
}

/* The straight line through (x0, y0) and (x1, y1) at x. At x = x0 it is y0
** exactly (the correction term is 0). */
static double line_at(double x0, double y0, double x1, double y1, double x)
{
    return y0 + (y1 - y0) * ((x - x0) / (x1 - x0));
}

void adi_batch_one(adi_batch_law *law, size_t size, double mean, double std, size_t count)
{
    memset(law, 0, sizeof *law);
    law->n = 1;
    law->size[0] = size;
    law->mean[0] = mean;
    law->std[0] = std;
    law->count[0] = count;
    law->law = ADI_BATCH_INTERPOLATED;
    law->slope = size ? mean / (double)size : 0;
}

int adi_batch_fit(adi_batch_law *law)
{
    int rc = adi_batch_check(law);
    if (rc != ADI_OK)
        return rc;
    size_t k = law->n;
    if (k == 1) {
        adi_batch_one(law, law->size[0], law->mean[0], law->std[0], law->count[0]);
        return ADI_OK;
    }
    law->law = ADI_BATCH_INTERPOLATED;
    law->affine_error = law->interpolated_error = 0;
    double x[ADI_BATCH_MAX], w[ADI_BATCH_MAX];
    int weighted = 1;
    for (size_t j = 0; j < k; j++) {
        x[j] = (double)law->size[j];
        weighted &= law->std[j] > 0 && law->count[j] >= 2;
        w[j] = weighted ? (double)law->count[j] / (law->std[j] * law->std[j]) : 1;
    }
    adi_gsl_quiet();
    double c00, c01, c11, chisq;
    int g = weighted ? gsl_fit_wlinear(x, 1, w, 1, law->mean, 1, k, &law->intercept,
                                       &law->slope, &c00, &c01, &c11, &chisq)
                     : gsl_fit_linear(x, 1, law->mean, 1, k, &law->intercept, &law->slope,
                                      &c00, &c01, &c11, &chisq);
    if (g != GSL_SUCCESS || !isfinite(law->intercept) || !isfinite(law->slope))
        return adi_fail(ADI_EINTERNAL, "the affine fit of the batch times failed: %s",
                        gsl_strerror(g));
    for (size_t j = 0; j < k; j++) {
        double miss = fabs(law->intercept + law->slope * x[j] - law->mean[j]) / law->mean[j];
        if (miss > law->affine_error)
            law->affine_error = miss;
    }
    for (size_t j = 1; j + 1 < k; j++) {
        double p = line_at(x[j - 1], law->mean[j - 1], x[j + 1], law->mean[j + 1], x[j]);
        double miss = fabs(p - law->mean[j]) / law->mean[j];
        if (miss > law->interpolated_error)
            law->interpolated_error = miss;
    }
    if (law->affine_error <= ADI_BATCH_AFFINE_MAX_ERROR && adi_batch_affine_positive(law))
        law->law = ADI_BATCH_AFFINE;
    return ADI_OK;
}

int adi_batch_law_time(const adi_batch_law *law, double images, double *seconds)
{
    size_t k = law->n;
    if (k < 1 || !(images >= (double)law->size[0]) || !(images <= (double)law->size[k - 1]))
        return adi_fail(ADI_EINPUT, "%g images: outside the measured batch sizes (%zu to %zu)",
                        images, k ? law->size[0] : 0, k ? law->size[k - 1] : 0);
    if (law->law == ADI_BATCH_AFFINE) {
        *seconds = law->intercept + law->slope * images;
        return ADI_OK;
    }
    /* the segment [size[lo], size[lo + 1]] holding images */
    size_t lo = 0, hi = k - 1;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if ((double)law->size[mid] <= images)
            lo = mid;
        else
            hi = mid;
    }
    *seconds = k == 1 || images == (double)law->size[lo]
                   ? law->mean[lo]
                   : line_at((double)law->size[lo], law->mean[lo], (double)law->size[lo + 1],
                             law->mean[lo + 1], images);
    return ADI_OK;
}

uint64_t adi_batch_max_tasks(const adi_batch_law *law)
{
    return law->n && law->size[0] ? law->size[law->n - 1] / law->size[0] : 0;
}

int adi_batch_time(const adi_batch_law *law, uint64_t tasks, double *seconds)
{
    uint64_t most = adi_batch_max_tasks(law);
    if (tasks < 1)
        return adi_fail(ADI_EINPUT, "a batch holds at least 1 task");
    if (tasks > most) {
        char sizes[ADI_BATCH_MAX * 8] = "";
        for (size_t j = 0; j < law->n; j++)
            snprintf(sizes + strlen(sizes), sizeof sizes - strlen(sizes), "%s%zu", j ? "," : "",
                     law->size[j]);
        if (law->n && tasks <= ADI_BATCH_MAX_IMAGES / law->size[0])
            return adi_fail(ADI_EINPUT, "a batch of %llu tasks is %llu images, but the batch "
                            "sizes measured are %s (a task is %zu): no extrapolation; measure "
                            "it with `calibrate --batch %s,%llu`", (unsigned long long)tasks,
                            (unsigned long long)tasks * law->size[0], sizes, law->size[0],
                            sizes, (unsigned long long)tasks * law->size[0]);
        return adi_fail(ADI_EINPUT, "a batch of %llu tasks is more than the %d images a batch "
                        "can be measured at (the batch sizes measured are %s, a task is %zu)",
                        (unsigned long long)tasks, ADI_BATCH_MAX_IMAGES, sizes,
                        law->n ? law->size[0] : 0);
    }
    return adi_batch_law_time(law, (double)(tasks * law->size[0]), seconds);
}
