/*
** model/mm2.c — the heterogeneous M/M/2 in closed form (see mm2.h for the
** chain and the formulas).
*/
#include "model/mm2.h"
#include "core/error.h"

#include <math.h>

int adi_queue_mm2_hetero(double lambda, double T1, double T2, double f, adi_mm2_metrics *out)
{
    if (!(lambda > 0) || !(T1 > 0) || !(T2 > 0) || !isfinite(lambda) || !isfinite(T1) ||
        !isfinite(T2))
        return adi_fail(ADI_EINPUT, "heterogeneous M/M/2: the rate and both times must be "
                        "positive and finite");
    if (!(f >= 0 && f <= 1))
        return adi_fail(ADI_EINPUT, "heterogeneous M/M/2: the probability of the first device "
                        "must be in [0, 1], got %g", f);
    double mu1 = 1 / T1, mu2 = 1 / T2, rho = lambda / (mu1 + mu2);
    if (!(rho < 1))
        return adi_fail(ADI_EINPUT, "heterogeneous M/M/2: the load lambda/(mu1 + mu2) = %g must "
                        "be below 1", rho);
    /* Everything relative to p_0 = 1 first, then normalised. */
    double p2 = lambda * lambda * (f * (lambda + mu2) + (1 - f) * (lambda + mu1)) /
                (mu1 * mu2 * (2 * lambda + mu1 + mu2));
    double pa = (f * lambda + mu2 * p2) / (lambda + mu1);
    double pb = ((1 - f) * lambda + mu1 * p2) / (lambda + mu2);
    double busy_both = p2 / (1 - rho); /* sum of p_n over n >= 2 */
    double p0 = 1 / (1 + pa + pb + busy_both);
    p2 *= p0;
    pa *= p0;
    pb *= p0;
    busy_both *= p0;
    double L = pa + pb + p2 * (2 / (1 - rho) + rho / ((1 - rho) * (1 - rho)));
    double queued = p2 * rho / ((1 - rho) * (1 - rho)); /* sum of (n - 2) p_n */
    out->p_empty = p0;
    out->busy[0] = pa + busy_both;
    out->busy[1] = pb + busy_both;
    out->q.block = 0;
    out->q.in_system = L;
    out->q.response = L / lambda;
    out->q.waiting = queued / lambda;
    out->q.throughput = lambda;
    out->q.utilization = (out->busy[0] + out->busy[1]) / 2;
    out->q.wait_prob = busy_both; /* PASTA: an arrival waits when both are busy */
    return ADI_OK;
}
