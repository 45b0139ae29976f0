/*
** sim/select.c — introselect for the exact percentiles (see select.h).
**
** Invariant of the selection loop: every element left of lo is <= every
** element of [lo, hi), which is <= every element from hi on, and the rank
** k lies in [lo, hi). A partition shrinks [lo, hi) to the side holding k,
** so when the range is small enough to sort, x[k] is the rank-k value and
** everything right of k is >= it: the next, larger rank can start at k + 1.
*/
#include "sim/select.h"

#include <math.h>

#define SMALL 16 /* ranges this short are insertion-sorted */

static inline void swap(double *x, size_t i, size_t j)
{
    double t = x[i];
    x[i] = x[j];
    x[j] = t;
}

static void insertion_sort(double *x, size_t lo, size_t hi)
{
    for (size_t i = lo + 1; i < hi; i++) {
        double v = x[i];
        size_t j = i;
        for (; j > lo && x[j - 1] > v; j--)
            x[j] = x[j - 1];
        x[j] = v;
    }
}

/* Hoare's partition of [lo, hi) (hi - lo >= 2) around the value at x[lo]:
** returns j with lo <= j < hi - 1, [lo, j] <= pivot <= [j + 1, hi). Both
** scans stop at keys equal to the pivot, so ties are spread over both sides.
** (i starts at lo - 1, which wraps for lo = 0; unsigned, so well defined.) */
static size_t hoare(double *x, size_t lo, size_t hi)
{
    double p = x[lo];
    size_t i = lo - 1, j = hi;
    for (;;) {
        do
            j--;
        while (x[j] > p);
        do
            i++;
        while (x[i] < p);
        if (i >= j)
            return j;
        swap(x, i, j);
    }
}

/* Moves the median of x[a], x[b], x[c] to x[a]. */
static void median3_to(double *x, size_t a, size_t b, size_t c)
{
    /* m = index of the median */
    size_t m;
    if (x[a] < x[b])
        m = x[b] < x[c] ? b : x[a] < x[c] ? c : a;
    else
        m = x[a] < x[c] ? a : x[b] < x[c] ? c : b;
    swap(x, a, m);
}

static double select_guaranteed(double *x, size_t lo, size_t hi, size_t k);

/* The median of medians of five of [lo, hi): its index, after moving the
** group medians to the front of the range. */
static size_t median_of_medians(double *x, size_t lo, size_t hi)
{
    size_t g = 0;
    for (size_t i = lo; i + 5 <= hi; i += 5, g++) {
        insertion_sort(x, i, i + 5);
        swap(x, lo + g, i + 2); /* lo + g < i: an already visited group */
    }
    if (g == 0)
        return lo;
    size_t mid = lo + g / 2;
    select_guaranteed(x, lo, lo + g, mid);
    return mid;
}

/* Three-way partition of [lo, hi) around p (a value in the range):
** [lo, *lt) < p, [*lt, *gt) == p, [*gt, hi) > p (Dijkstra). */
static void partition3(double *x, size_t lo, size_t hi, double p, size_t *lt, size_t *gt)
{
    size_t a = lo, i = lo, b = hi;
    while (i < b) {
        if (x[i] < p)
            swap(x, a++, i++);
        else if (x[i] > p)
            swap(x, i, --b);
        else
            i++;
    }
    *lt = a;
    *gt = b;
}

/* The rank-k value of [lo, hi) in O(hi - lo) time whatever the data, with
** the loop invariant of the file's comment. */
static double select_guaranteed(double *x, size_t lo, size_t hi, size_t k)
{
    while (hi - lo > SMALL) {
        double p = x[median_of_medians(x, lo, hi)];
        size_t lt, gt;
        partition3(x, lo, hi, p, &lt, &gt);
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else {
            /* [lt, gt) all equal p: sort nothing, k is in place. The
            ** invariant for the next rank holds ([gt, hi) > p). */
            return x[k];
        }
    }
    insertion_sort(x, lo, hi);
    return x[k];
}

/* The rank-k value of [lo, hi), expected linear by median-of-three
** quickselect; once its partitions have scanned 8 times the range (random
** data needs about 3: bad luck or an adversary), the rest falls back to the
** guaranteed selection, so the whole is O(hi - lo) in the worst case. */
static double select_one(double *x, size_t lo, size_t hi, size_t k)
{
    double budget = 8.0 * (double)(hi - lo);
    while (hi - lo > SMALL) {
        if ((budget -= (double)(hi - lo)) < 0)
            return select_guaranteed(x, lo, hi, k);
        median3_to(x, lo, lo + (hi - lo) / 2, hi - 1);
        size_t j = hoare(x, lo, hi);
        if (k <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
    insertion_sort(x, lo, hi);
    return x[k];
}

/* The rank-k value of x[0..n), given that the ranks asked before were
** nondecreasing and below k + 1 (*lo: one past the last of them). */
static double next_rank(double *x, size_t n, size_t *lo, size_t k, int guaranteed)
{
    if (k < *lo) /* the same rank again: already in place */
        return x[k];
    double v = guaranteed ? select_guaranteed(x, *lo, n, k) : select_one(x, *lo, n, k);
    *lo = k + 1;
    return v;
}

void adi_select_ranks(double *x, size_t n, const size_t *ranks, size_t count, double *out)
{
    size_t lo = 0;
    for (size_t j = 0; j < count; j++)
        out[j] = next_rank(x, n, &lo, ranks[j], 0);
}

void adi_select_ranks_bfprt(double *x, size_t n, const size_t *ranks, size_t count, double *out)
{
    size_t lo = 0;
    for (size_t j = 0; j < count; j++)
        out[j] = next_rank(x, n, &lo, ranks[j], 1);
}

size_t adi_select_rank_of(double p, size_t n)
{
    size_t rank = (size_t)ceil(p * (double)n);
    return (rank ? rank : 1) - 1;
}

void adi_select_percentiles(double *x, size_t n, const double *p, size_t count, double *out)
{
    size_t lo = 0;
    for (size_t j = 0; j < count; j++)
        out[j] = next_rank(x, n, &lo, adi_select_rank_of(p[j], n), 0);
}
