/*
** model/queueing.c — Erlang B/C, M/M/c/K, Pollaczek-Khinchine and M/M/c
** response-time quantiles (see queueing.h).
**
** Numerics: Erlang B by its stable recursion B(k) = a B(k-1) / (k + a
** B(k-1)); M/M/c/K probabilities in log space, normalised by their maximum,
** so K in the thousands and loads above 1 neither overflow nor underflow.
** Quantiles and the rate search use GSL's Brent solver.
*/
#include "model/queueing.h"
#include "core/error.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int check(double lambda, double T, unsigned c)
{
    if (!(lambda > 0) || !(T > 0) || c == 0 || !isfinite(lambda) || !isfinite(T))
        return adi_fail(ADI_EINPUT, "queueing formulas need lambda > 0, T > 0 and c >= 1");
    return ADI_OK;
}

/* Erlang C: the probability an arrival waits in M/M/c with offered load a. */
static double erlang_c(double a, unsigned c)
{
    double b = 1;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / ((double)k + a * b);
    return (double)c * b / ((double)c - a * (1 - b));
}

int adi_queue_mmc(double lambda, double T, unsigned c, adi_queue_metrics *out)
{
    int rc = check(lambda, T, c);
    if (rc != ADI_OK)
        return rc;
    double a = lambda * T;
    if (a >= c)
        return adi_fail(ADI_EINPUT, "M/M/%u is unstable at load lambda T / c = %g", c, a / c);
    memset(out, 0, sizeof *out);
    out->wait_prob = erlang_c(a, c);
    out->waiting = out->wait_prob / ((double)c / T - lambda);
    out->response = out->waiting + T;
    out->in_system = lambda * out->response;
    out->throughput = lambda;
    out->utilization = a / c;
    return ADI_OK;
}

int adi_queue_mmck(double lambda, double T, unsigned c, uint64_t Q, adi_queue_metrics *out)
{
    int rc = check(lambda, T, c);
    if (rc != ADI_OK)
        return rc;
    if (Q > 10000000)
        return adi_fail(ADI_EINPUT, "M/M/c/K with more than 10^7 places: use M/M/c");
    uint64_t K = c + Q;
    double *logp = malloc((K + 1) * sizeof *logp);
    if (!logp)
        return adi_fail(ADI_ENOMEM, "out of memory");
    logp[0] = 0;
    double top = 0;
    for (uint64_t n = 1; n <= K; n++) {
        double servers = n < c ? (double)n : (double)c;
        logp[n] = logp[n - 1] + log(lambda * T / servers);
        if (logp[n] > top)
            top = logp[n];
    }
    double norm = 0, L = 0, Lq = 0, busy = 0;
    for (uint64_t n = 0; n <= K; n++) {
        double p = exp(logp[n] - top);
        norm += p;
        L += (double)n * p;
        Lq += n > c ? (double)(n - c) * p : 0;
        busy += (n < c ? (double)n : (double)c) * p;
    }
    double wait = 0; /* P(an accepted arrival finds all servers busy) */
    for (uint64_t n = c; n < K; n++)
        wait += exp(logp[n] - top);
    memset(out, 0, sizeof *out);
    out->block = exp(logp[K] - top) / norm;
    out->in_system = L / norm;
    out->throughput = lambda * (1 - out->block);
    out->response = out->in_system / out->throughput;
    out->waiting = Lq / norm / out->throughput;
    out->utilization = busy / norm / c;
    out->wait_prob = out->block < 1 ? wait / norm / (1 - out->block) : 1;
    free(logp);
    return ADI_OK;
}

int adi_queue_mg1(double lambda, double T, double cv, adi_queue_metrics *out)
{
    int rc = check(lambda, T, 1);
    if (rc != ADI_OK)
        return rc;
    double rho = lambda * T;
    if (rho >= 1)
        return adi_fail(ADI_EINPUT, "M/G/1 is unstable at load %g", rho);
    memset(out, 0, sizeof *out);
    double second_moment = (1 + cv * cv) * T * T; /* E[S^2] */
    out->waiting = lambda * second_moment / (2 * (1 - rho));
    out->response = out->waiting + T;
    out->in_system = lambda * out->response;
    out->throughput = lambda;
    out->utilization = rho;
    out->wait_prob = rho; /* PASTA: the server is busy a fraction rho of the time */
    return ADI_OK;
}

double adi_queue_mmc_response_tail(double lambda, double T, unsigned c, double t)
{
    double mu = 1 / T, theta = c * mu - lambda, C = erlang_c(lambda * T, c);
    if (t <= 0)
        return 1;
    /* E_theta + E_mu exceeds t with probability (theta e^-mu t - mu e^-theta t)
    ** / (theta - mu); the limit theta -> mu is (1 + mu t) e^-mu t. */
    double both = fabs(theta - mu) > 1e-9 * mu
                      ? (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu)
                      : (1 + mu * t) * exp(-mu * t);
    return (1 - C) * exp(-mu * t) + C * both;
}

struct tail_args {
    double lambda, T, p;
    unsigned c;
};

static double tail_minus(double t, void *arg)
{
    const struct tail_args *a = arg;
    return adi_queue_mmc_response_tail(a->lambda, a->T, a->c, t) - (1 - a->p);
}

/* Brent on f over [lo, hi] where f changes sign. */
static int brent(gsl_function *f, double lo, double hi, double *root)
{
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = gsl_root_fsolver_set(s, f, lo, hi), status = GSL_CONTINUE;
    for (int i = 0; rc == GSL_SUCCESS && status == GSL_CONTINUE && i < 200; i++) {
        rc = gsl_root_fsolver_iterate(s);
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                        gsl_root_fsolver_x_upper(s), 0, 1e-13);
    }
    *root = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    return rc == GSL_SUCCESS ? ADI_OK
                             : adi_fail(ADI_EINTERNAL, "root finding failed: %s", gsl_strerror(rc));
}

int adi_queue_mmc_response_quantile(double lambda, double T, unsigned c, double p, double *t)
{
    int rc = check(lambda, T, c);
    if (rc != ADI_OK)
        return rc;
    if (!(p > 0 && p < 1) || lambda * T >= c)
        return adi_fail(ADI_EINPUT, "need 0 < p < 1 and a stable M/M/%u", c);
    adi_gsl_quiet();
    struct tail_args a = {lambda, T, p, c};
    gsl_function f = {tail_minus, &a};
    double hi = T;
    while (tail_minus(hi, &a) > 0)
        hi *= 2;
    return brent(&f, 0, hi, t);
}

struct rate_args {
    double T, p, bound;
    unsigned c;
};

static double quantile_minus_bound(double lambda, void *arg)
{
    const struct rate_args *a = arg;
    double t;
    if (adi_queue_mmc_response_quantile(lambda, a->T, a->c, a->p, &t) != ADI_OK)
        return INFINITY;
    return t - a->bound;
}

int adi_queue_mmc_max_rate(double T, unsigned c, double p, double bound, double *lambda)
{
    int rc = check(1, T, c);
    if (rc != ADI_OK)
        return rc;
    adi_gsl_quiet();
    struct rate_args a = {T, p, bound, c};
    /* The quantile grows with lambda from its value at lambda -> 0 (pure
    ** service: -T ln(1 - p)) to infinity at lambda -> c / T. */
    double lo = 1e-9 * c / T, hi = c / T * (1 - 1e-12);
    if (quantile_minus_bound(lo, &a) > 0) {
        *lambda = 0;
        return ADI_OK;
    }
    gsl_function f = {quantile_minus_bound, &a};
    return brent(&f, lo, hi, lambda);
}
