/*
** sim/hist.c — the log-linear histogram's slow paths (see hist.h).
*/
#include "sim/hist.h"

#include <math.h>
#include <stdlib.h>

/* Grow by at least this many buckets (two octaves) to amortise reallocs. */
#define GROW_SLACK (2 << ADI_HIST_SUB_BITS)

void adi_hist_init(adi_hist *h)
{
    memset(h, 0, sizeof *h);
    h->min = INFINITY;
    h->max = -INFINITY;
}

void adi_hist_free(adi_hist *h)
{
    free(h->counts);
    adi_hist_init(h);
}

static double from_bits(uint64_t bits)
{
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

double adi_hist_bucket_lo(int64_t i)
{
    return from_bits((uint64_t)i << (52 - ADI_HIST_SUB_BITS));
}

double adi_hist_bucket_hi(int64_t i)
{
    return from_bits((uint64_t)(i + 1) << (52 - ADI_HIST_SUB_BITS));
}

/* Makes [lo, hi) cover index i. */
static int cover(adi_hist *h, int64_t i)
{
    if (h->counts && i >= h->lo && i < h->hi)
        return 0;
    int64_t lo = h->lo, hi = h->hi;
    if (!h->counts || i < lo)
        lo = i - GROW_SLACK;
    if (!h->counts || i >= hi)
        hi = i + 1 + GROW_SLACK;
    if (lo < 0)
        lo = 0;
    uint64_t *c = calloc((size_t)(hi - lo), sizeof *c);
    if (!c)
        return -1;
    if (h->counts)
        memcpy(c + (h->lo - lo), h->counts, (size_t)(h->hi - h->lo) * sizeof *c);
    free(h->counts);
    h->counts = c;
    h->lo = lo;
    h->hi = hi;
    return 0;
}

int adi_hist_shrink(adi_hist *h)
{
    if (!h->counts)
        return 0;
    int64_t first = 0, last = h->hi - h->lo - 1;
    while (first <= last && h->counts[first] == 0)
        first++;
    while (last >= first && h->counts[last] == 0)
        last--;
    if (first > last) { /* nothing outside the zero bucket */
        free(h->counts);
        h->counts = NULL;
        h->lo = h->hi = 0;
        return 0;
    }
    size_t n = (size_t)(last - first + 1);
    uint64_t *c = malloc(n * sizeof *c);
    if (!c)
        return -1;
    memcpy(c, h->counts + first, n * sizeof *c);
    free(h->counts);
    h->counts = c;
    h->hi = h->lo + last + 1;
    h->lo += first;
    return 0;
}

int adi_hist_add_grow(adi_hist *h, double v)
{
    int64_t i = adi_hist_index(v);
    if (cover(h, i) != 0)
        return -1;
    h->counts[i - h->lo]++;
    h->n++;
    return 0;
}

int adi_hist_add_bucket(adi_hist *h, int64_t index, uint64_t count)
{
    if (count == 0)
        return 0;
    if (index < 0) {
        h->zero += count;
        if (h->min > 0)
            h->min = 0;
        if (h->max < 0)
            h->max = 0;
    } else {
        if (cover(h, index) != 0)
            return -1;
        h->counts[index - h->lo] += count;
        double lo = adi_hist_bucket_lo(index), hi = adi_hist_bucket_hi(index);
        if (lo < h->min)
            h->min = lo;
        if (hi > h->max)
            h->max = hi;
    }
    h->n += count;
    return 0;
}

int adi_hist_merge(adi_hist *dst, const adi_hist *src)
{
    if (src->n == 0)
        return 0;
    if (src->counts) {
        if (cover(dst, src->lo) != 0 || cover(dst, src->hi - 1) != 0)
            return -1;
        for (int64_t i = src->lo; i < src->hi; i++)
            dst->counts[i - dst->lo] += src->counts[i - src->lo];
    }
    dst->zero += src->zero;
    dst->n += src->n;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
    return 0;
}

void adi_hist_subtract(adi_hist *dst, const adi_hist *src)
{
    for (int64_t i = src->lo; i < src->hi; i++)
        dst->counts[i - dst->lo] -= src->counts[i - src->lo];
    dst->zero -= src->zero;
    dst->n -= src->n;
}

int adi_hist_copy(adi_hist *dst, const adi_hist *src)
{
    adi_hist_init(dst);
    return adi_hist_merge(dst, src);
}

double adi_hist_quantile(const adi_hist *h, double p)
{
    if (h->n == 0)
        return NAN;
    if (p >= 1)
        return h->max;
    uint64_t rank = (uint64_t)ceil(p * (double)h->n);
    if (rank < 1)
        rank = 1;
    uint64_t seen = h->zero;
    if (rank <= seen)
        return h->min > 0 ? h->min : 0;
    for (int64_t i = h->lo; i < h->hi; i++) {
        seen += h->counts[i - h->lo];
        if (seen >= rank) {
            double mid = 0.5 * (adi_hist_bucket_lo(i) + adi_hist_bucket_hi(i));
            return mid < h->min ? h->min : mid > h->max ? h->max : mid;
        }
    }
    return h->max;
}
