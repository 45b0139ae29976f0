/*
** exec/rescale.c — a point with its devices' times scaled (see rescale.h).
*/
#include "exec/rescale.h"
#include "core/error.h"
#include "sweep/sweep.h"

#include <math.h>
#include <stdlib.h>

int adi_sweep_run_rescaled(const adi_point *p, const double *scale, uint64_t rep,
                           adi_run_result *out)
{
    size_t n = p->n_devices, nsamples = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(scale[i] > 0) || !isfinite(scale[i]))
            return adi_fail(ADI_EINPUT, "device %zu: a time scale must be > 0, got %g", i,
                            scale[i]);
        nsamples += p->device[i].dist == ADI_DIST_EMPIRICAL ? p->device[i].nsamples : 0;
    }
    adi_sampler *dev = calloc(n, sizeof *dev);
    double *times = calloc(n, sizeof *times);
    double *samples = nsamples ? malloc(nsamples * sizeof *samples) : NULL;
    int rc = dev && times && (samples || !nsamples) ? ADI_OK
                                                    : adi_fail(ADI_ENOMEM, "out of memory");
    double *next = samples;
    for (size_t i = 0; i < n && rc == ADI_OK; i++) {
        const adi_sampler *s = &p->device[i];
        if (s->dist == ADI_DIST_EMPIRICAL) {
            for (size_t k = 0; k < s->nsamples; k++) /* sorted stays sorted */
                next[k] = s->samples[k] * scale[i];
            rc = adi_sampler_init_empirical(&dev[i], next, s->nsamples);
            next += s->nsamples;
        } else {
            rc = adi_sampler_init(&dev[i], s->dist, s->mean * scale[i], s->cv);
        }
        times[i] = dev[i].mean;
    }
    if (rc == ADI_OK) {
        adi_point q = *p;
        q.device = dev;
        q.times = times;
        rc = adi_sweep_run_one(&q, rep, out);
    }
    free(samples);
    free(times);
    free(dev);
    return rc;
}
