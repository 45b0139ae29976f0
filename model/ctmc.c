/*
** model/ctmc.c — builds and solves the pull policy's Markov chain (see
** ctmc.h). States are encoded as integers (the idle list as base-(n+1)
** digits, or a marker plus q) and kept sorted, so a transition's target is
** found by binary search.
*/
#include "model/ctmc.h"
#include "core/error.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>
#include <stdlib.h>
#include <string.h>

/* Codes: an idle list (d_1, ..., d_k) is sum (d_j + 1) (n+1)^(j-1), so the
** empty list (all busy, q = 0) is 0; "all busy, q" for q >= 1 is QUEUED + q,
** above every idle-list code. */
#define QUEUED ((uint64_t)1 << 40)

typedef struct chain {
    size_t n, count, cap;
    uint64_t *code;
    uint64_t Q;
} chain;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Every idle list (ordered: the device idle longest first); with `sets`
** only those in ascending order, one per set of idle devices (the other
** rules do not remember who became idle first). */
static void enumerate(chain *c, uint64_t code, uint64_t weight, unsigned used, size_t from,
                      int sets)
{
    c->code[c->count++] = code;
    for (size_t d = sets ? from : 0; d < c->n; d++)
        if (!(used & 1u << d))
            enumerate(c, code + (d + 1) * weight, weight * (c->n + 1), used | 1u << d, d + 1,
                      sets);
}

size_t adi_ctmc_states(size_t n, uint64_t Q)
{
    size_t lists = 0, term = 1;
    for (size_t k = 0; k <= n; k++) {
        lists += term; /* n! / (n-k)! ordered subsets of size k */
        term *= n - k;
    }
    return lists + (size_t)Q;
}

static size_t index_of(const chain *c, uint64_t code)
{
    uint64_t *hit = bsearch(&code, c->code, c->count, sizeof code, cmp_u64);
    return (size_t)(hit - c->code);
}

/* Decodes an idle list into ids[], returns its length; *busy gets the mask. */
static size_t decode(const chain *c, uint64_t code, size_t *ids, unsigned *busy)
{
    size_t k = 0;
    *busy = (1u << c->n) - 1;
    if (code >= QUEUED)
        return 0;
    for (; code; code /= c->n + 1) {
        ids[k] = (size_t)(code % (c->n + 1)) - 1;
        *busy &= ~(1u << ids[k]);
        k++;
    }
    return k;
}

static uint64_t encode(const chain *c, const size_t *ids, size_t k)
{
    uint64_t code = 0, weight = 1;
    for (size_t j = 0; j < k; j++, weight *= c->n + 1)
        code += (ids[j] + 1) * weight;
    return code;
}

/* Adds rate from state i to the state with code `to` in the transposed
** generator (so that G^T pi = 0 is a plain linear system). */
static void flow(gsl_matrix *gt, const chain *c, size_t i, uint64_t to, double rate)
{
    size_t j = index_of(c, to);
    gsl_matrix_set(gt, j, i, gsl_matrix_get(gt, j, i) + rate);
    gsl_matrix_set(gt, i, i, gsl_matrix_get(gt, i, i) - rate);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The chain for an idle rule: ADI_CTMC_LONGEST (the ordered list) or one
** of the rules on sets. */
static int solve(const double *times, size_t n, double lambda, uint64_t Q, int rule,
                 adi_queue_metrics *out, double *device_util)
{
    if (n == 0 || n > ADI_CTMC_MAX_DEVICES)
        return adi_fail(ADI_EINPUT, "the exact chain handles 1 to %d devices, not %zu",
                        ADI_CTMC_MAX_DEVICES, n);
    if (!(lambda > 0))
        return adi_fail(ADI_EINPUT, "the arrival rate must be > 0");
    for (size_t d = 0; d < n; d++)
        if (!(times[d] > 0))
            return adi_fail(ADI_EINPUT, "device %zu: a task time must be > 0", d);
    int sets = rule != ADI_CTMC_LONGEST;
    size_t S = sets ? ((size_t)1 << n) + (size_t)Q : adi_ctmc_states(n, Q);
    if (Q > ADI_CTMC_MAX_STATES || S > ADI_CTMC_MAX_STATES)
        return adi_fail(ADI_EINPUT, "the exact chain would have %zu states (limit %d)",
                        Q > ADI_CTMC_MAX_STATES ? (size_t)Q : S, ADI_CTMC_MAX_STATES);
    adi_gsl_quiet();
    chain c = {.n = n, .cap = S, .Q = Q, .code = malloc(S * sizeof(uint64_t))};
    gsl_matrix *gt = gsl_matrix_calloc(S, S);
    gsl_vector *rhs = gsl_vector_calloc(S), *pi = gsl_vector_alloc(S);
    gsl_permutation *perm = gsl_permutation_alloc(S);
    int rc = ADI_OK;
    if (!c.code || !gt || !rhs || !pi || !perm) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for a chain of %zu states", S);
        goto done;
    }
    enumerate(&c, 0, 1, 0, 0, sets);
    for (uint64_t q = 1; q <= Q; q++)
        c.code[c.count++] = QUEUED + q;
    qsort(c.code, c.count, sizeof *c.code, cmp_u64);

    for (size_t i = 0; i < S; i++) {
        size_t ids[ADI_CTMC_MAX_DEVICES + 1];
        unsigned busy;
        uint64_t q = c.code[i] >= QUEUED ? c.code[i] - QUEUED : 0;
        size_t k = decode(&c, c.code[i], ids, &busy);
        /* An arrival: to the device idle longest (the list's first), the
        ** fastest idle one, or each idle one alike. */
        if (k > 0 && rule == ADI_CTMC_RANDOM) {
            for (size_t a = 0; a < k; a++) {
                size_t rest[ADI_CTMC_MAX_DEVICES + 1], r = 0;
                for (size_t b = 0; b < k; b++)
                    if (b != a)
                        rest[r++] = ids[b];
                flow(gt, &c, i, encode(&c, rest, r), lambda / (double)k);
            }
        } else if (k > 0 && rule == ADI_CTMC_FASTEST) {
            size_t best = 0, rest[ADI_CTMC_MAX_DEVICES + 1], r = 0;
            for (size_t a = 1; a < k; a++)
                if (times[ids[a]] < times[ids[best]] ||
                    (times[ids[a]] == times[ids[best]] && ids[a] < ids[best]))
                    best = a;
            for (size_t b = 0; b < k; b++)
                if (b != best)
                    rest[r++] = ids[b];
            flow(gt, &c, i, encode(&c, rest, r), lambda);
        } else if (k > 0)
            flow(gt, &c, i, encode(&c, ids + 1, k - 1), lambda);
        else if (q < Q)
            flow(gt, &c, i, QUEUED + q + 1, lambda);
        /* A completion of each busy device. */
        for (size_t d = 0; d < n; d++) {
            if (!(busy & 1u << d))
                continue;
            double mu = 1 / times[d];
            if (q > 0) {
                flow(gt, &c, i, q > 1 ? QUEUED + q - 1 : 0, mu);
            } else {
                size_t next[ADI_CTMC_MAX_DEVICES + 1];
                memcpy(next, ids, k * sizeof *ids);
                next[k] = d;
                if (sets)
                    qsort(next, k + 1, sizeof *next, cmp_size);
                flow(gt, &c, i, encode(&c, next, k + 1), mu);
            }
        }
    }
    /* Replace one balance equation by the normalisation sum pi = 1. */
    for (size_t j = 0; j < S; j++)
        gsl_matrix_set(gt, S - 1, j, 1);
    gsl_vector_set(rhs, S - 1, 1);
    int sign;
    if (gsl_linalg_LU_decomp(gt, perm, &sign) != GSL_SUCCESS ||
        gsl_linalg_LU_solve(gt, perm, rhs, pi) != GSL_SUCCESS) {
        rc = adi_fail(ADI_EINTERNAL, "the chain's balance equations are singular");
        goto done;
    }

    memset(out, 0, sizeof *out);
    if (device_util)
        memset(device_util, 0, n * sizeof *device_util);
    double busy_total = 0, queued = 0, waits = 0;
    for (size_t i = 0; i < S; i++) {
        double p = gsl_vector_get(pi, i);
        size_t ids[ADI_CTMC_MAX_DEVICES + 1];
        unsigned busy;
        uint64_t q = c.code[i] >= QUEUED ? c.code[i] - QUEUED : 0;
        size_t k = decode(&c, c.code[i], ids, &busy);
        size_t nbusy = n - k;
        out->in_system += p * (double)(nbusy + q);
        busy_total += p * (double)nbusy;
        queued += p * (double)q;
        if (k == 0 && q < Q)
            waits += p; /* an arrival here is accepted and waits */
        if (k == 0 && q == Q)
            out->block += p;
        for (size_t d = 0; d < n && device_util; d++)
            if (busy & 1u << d)
                device_util[d] += p;
    }
    out->throughput = lambda * (1 - out->block);
    out->response = out->in_system / out->throughput;
    out->waiting = queued / out->throughput;
    out->utilization = busy_total / (double)n;
    out->wait_prob = out->block < 1 ? waits / (1 - out->block) : 1;
done:
    free(c.code);
    gsl_matrix_free(gt);
    gsl_vector_free(rhs);
    gsl_vector_free(pi);
    gsl_permutation_free(perm);
    return rc;
}

int adi_ctmc_pull(const double *times, size_t n, double lambda, uint64_t Q,
                  adi_queue_metrics *out, double *device_util)
{
    return solve(times, n, lambda, Q, ADI_CTMC_LONGEST, out, device_util);
}

int adi_ctmc_pull_rule(const double *times, size_t n, double lambda, uint64_t Q, int rule,
                       adi_queue_metrics *out, double *device_util)
{
    if (rule != ADI_CTMC_LONGEST && rule != ADI_CTMC_FASTEST && rule != ADI_CTMC_RANDOM)
        return adi_fail(ADI_EINPUT, "unknown idle rule %d", rule);
    return solve(times, n, lambda, Q, rule, out, device_util);
}

size_t adi_ctmc_states_rule(size_t n, uint64_t Q, int rule)
{
    return rule == ADI_CTMC_LONGEST ? adi_ctmc_states(n, Q) : ((size_t)1 << n) + (size_t)Q;
}
