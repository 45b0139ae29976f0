/*
** sim/pool.h — synthetic pools of heterogeneous devices.
**
** A scenario describes a pool by its size n, mean task time T and
** heterogeneity h = std(T_i) / mean(T_i) (population std). This module turns
** (n, T, h) into n positive per-device means T_i whose mean is T and whose
** std/mean is h to 1e-12.
**
** Shape: the T_i are lognormal quantiles, T_i ~ exp(sigma z_i) with
** z_i = Phi^-1((i + 1/2) / n), scaled to mean T; sigma is the root of
** std/mean(sigma) = h (GSL's Brent solver). For n = 2 this is T(1 -+ h).
** The result is sorted ascending: device 0 is the fastest. Real fleets look
** like this: a few fast machines and a long tail of slow ones.
**
** Limit: n positive numbers have std/mean < sqrt(n - 1) (the supremum is
** approached as all but one tend to 0), so h >= sqrt(n - 1) is impossible:
** with n = 2, h = 1 would need a device that takes no time at all. Such a
** point is reported as infeasible rather than approximated.
*/
#ifndef ADI_SIM_POOL_H
#define ADI_SIM_POOL_H

#include <stddef.h>

/* The supremum sqrt(n - 1) of std/mean for n positive values (excluded). */
double adi_pool_max_heterogeneity(size_t n);

/* Fills times[0..n) as described above. Returns ADI_OK, or ADI_EINPUT with
** a message when (n, h) is infeasible or mean is not positive. */
int adi_pool_spread(size_t n, double mean, double heterogeneity, double *times);

/* Population std / mean of x[0..n). */
double adi_pool_cv(const double *x, size_t n);

#endif
