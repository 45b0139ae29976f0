/*
** model/split.c — the weighted and equal splits and the steal bounds (see
** split.h). C* comes from model/bounds.c.
*/
#include "model/split.h"
#include "core/error.h"
#include "model/bounds.h"

#include <math.h>
#include <stdlib.h>

/* #{k >= 1 : k c <= limit}, computed as the products are (k * c in double),
** so that a multiple equal to limit is counted exactly when it is equal. */
static uint64_t multiples_upto(double c, double limit)
{
    double q = floor(limit / c);
    uint64_t k = q > 0 ? (uint64_t)q : 0;
    while ((double)(k + 1) * c <= limit)
        k++;
    while (k > 0 && (double)k * c > limit)
        k--;
    return k;
}

int adi_split_weighted(const double *cycle, size_t n, uint64_t m, uint64_t *count,
                       double *makespan)
{
    double cstar; /* which checks the pool */
    int rc = adi_model_optimal_makespan(cycle, n, m, &cstar);
    if (rc != ADI_OK)
        return rc;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += count[i] = multiples_upto(cycle[i], cstar);
    /* the surplus goes back from the devices tied at C*, highest index first */
    for (size_t i = n; i-- > 0 && total > m;)
        if (count[i] > 0 && (double)count[i] * cycle[i] == cstar) {
            count[i]--;
            total--;
        }
    if (total != m)
        return adi_fail(ADI_EINTERNAL, "weighted split: %llu tasks counted for %llu",
                        (unsigned long long)total, (unsigned long long)m);
    if (makespan)
        *makespan = adi_split_makespan(cycle, count, n);
    return ADI_OK;
}

void adi_split_equal(size_t n, uint64_t m, uint64_t *count)
{
    for (size_t i = 0; i < n; i++)
        count[i] = m / n + (i < m % n);
}

double adi_split_makespan(const double *cycle, const uint64_t *count, size_t n)
{
    double most = 0;
    for (size_t i = 0; i < n; i++)
        if ((double)count[i] * cycle[i] > most)
            most = (double)count[i] * cycle[i];
    return most;
}

/* Slots of device i at or below t: #{j >= 0 : first + j step <= t}, as the
** slots are computed. */
static uint64_t slots_upto(double first, double step, double t)
{
    if (first > t)
        return 0;
    double q = floor((t - first) / step);
    uint64_t j = q > 0 ? (uint64_t)q : 0;
    while (first + (double)(j + 1) * step <= t)
        j++;
    while (j > 0 && first + (double)j * step > t)
        j--;
    return j + 1;
}

static uint64_t count_upto(const double *first, const double *step, size_t n, double t,
                           uint64_t k)
{
    uint64_t c = 0;
    for (size_t i = 0; i < n && c < k; i++)
        c += slots_upto(first[i], step[i], t);
    return c;
}

int adi_split_kth_slot(const double *first, const double *step, size_t n, uint64_t k,
                       double *slot)
{
    if (n == 0 || k == 0)
        return adi_fail(ADI_EINPUT, "the k-th slot needs devices and k >= 1");
    double lo = INFINITY, hi = 0, rate = 0, lead = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(first[i] >= 0) || !isfinite(first[i]) || !(step[i] > 0) || !isfinite(step[i]))
            return adi_fail(ADI_EINPUT, "device %zu: slots from %g every %g", i, first[i],
                            step[i]);
        if (first[i] < lo)
            lo = first[i];
        /* one device alone reaches k slots by first + (k - 1) step */
        double alone = first[i] + (double)(k - 1) * step[i];
        if (i == 0 || alone < hi)
            hi = alone;
        rate += 1 / step[i];
        lead += first[i] / step[i];
    }
    if (count_upto(first, step, n, lo, k) >= k) {
        *slot = lo;
        return ADI_OK;
    }
    /* A narrower bracket from the rates: count(t) <= t rate + n, and
    ** count(t) >= t rate - lead; each end is kept only if it brackets. */
    double a = ((double)k - (double)n) / rate * (1 - 1e-9), b = ((double)k + lead) / rate *
                                                                 (1 + 1e-9);
    if (a > lo && a < hi && count_upto(first, step, n, a, k) < k)
        lo = a;
    if (b > lo && b < hi && count_upto(first, step, n, b, k) >= k)
        hi = b;
    /* the answer is a slot in (lo, hi]: bisect to adjacent doubles, then
    ** take the smallest slot above lo */
    for (int it = 0; it < 2000 && nextafter(lo, INFINITY) < hi; it++) {
        double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi)
            break;
        if (count_upto(first, step, n, mid, k) >= k)
            hi = mid;
        else
            lo = mid;
    }
    /* count(lo) < k <= count(hi): the answer is the smallest slot in (lo, hi] */
    double best = hi;
    for (size_t i = 0; i < n; i++) {
        uint64_t j = slots_upto(first[i], step[i], lo); /* slots <= lo; the next is number j */
        double next = first[i] + (double)j * step[i];
        if (next > lo && next < best)
            best = next;
    }
    *slot = best;
    return ADI_OK;
}

int adi_split_steal_bounds(const double *cycle, const double *cost, size_t n, uint64_t m,
                           int w_min, adi_steal_bounds *out)
{
    int rc = adi_model_optimal_makespan(cycle, n, m, &out->lower); /* checks the pool */
    if (rc != ADI_OK)
        return rc;
    if (w_min != 1 && w_min != 2)
        return adi_fail(ADI_EINPUT, "a steal needs 1 or 2 waiting tasks (ceil or floor of "
                        "half), got %d", w_min);
    for (size_t i = 0; cost && i < n; i++) {
        if (!(cost[i] >= 0) || !isfinite(cost[i]))
            return adi_fail(ADI_EINPUT, "device %zu: a steal's cost must be >= 0, got %g", i,
                            cost[i]);
        if (cost[i] > 0 && w_min == 2)
            return adi_fail(ADI_EINPUT, "device %zu: no bound is derived for floor(w/2) steals "
                            "that cost time (tasks in flight can start the steals again)", i);
    }
    double *first = malloc(n * sizeof *first), *step = malloc(n * sizeof *step);
    if (!first || !step) {
        free(first);
        free(step);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        double s = cost ? cost[i] : 0;
        first[i] = s;
        step[i] = cycle[i] + s;
    }
    rc = adi_split_kth_slot(first, step, n, m + (uint64_t)(w_min - 1), &out->last);
    free(first);
    free(step);
    if (rc != ADI_OK)
        return rc;
    double X = out->last, upper = 0;
    for (size_t i = 0; i < n; i++) {
        double s = cost ? cost[i] : 0, f;
        if (s == 0) /* its last start is its last multiple <= X */
            f = (double)(multiples_upto(cycle[i], X) + (uint64_t)w_min) * cycle[i];
        else
            f = X + cycle[i];
        if (f > upper)
            upper = f;
    }
    out->upper = upper;
    return ADI_OK;
}
