/*
** core/clock.h — the monotonic clock in seconds, for elapsed times (a sweep's,
** a calibration's, an execution's, a benchmark's). Header-only, so the
** libc-only probe build (measure/probe.mk) has it without another object.
*/
#ifndef ADI_CORE_CLOCK_H
#define ADI_CORE_CLOCK_H

#include <time.h>

/* CLOCK_MONOTONIC now, in seconds since an arbitrary start. */
static inline double adi_clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
