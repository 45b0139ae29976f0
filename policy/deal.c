/*
** policy/deal.c — dealing tasks by a split's list schedule (see deal.h).
*/
#include "policy/deal.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

/* Device i's next end, (dealt + 1) C_i, before device j's (ties: lower index). */
static int before(const adi_deal *d, uint32_t i, uint32_t j)
{
    double a = (double)(d->dealt[i] + 1) * d->cycle[i], b = (double)(d->dealt[j] + 1) * d->cycle[j];
    return a < b || (a == b && i < j);
}

static void sift_down(adi_deal *d, size_t at)
{
    uint32_t x = d->heap[at];
    for (;;) {
        size_t c = 2 * at + 1;
        if (c >= d->n)
            break;
        if (c + 1 < d->n && before(d, d->heap[c + 1], d->heap[c]))
            c++;
        if (!before(d, d->heap[c], x))
            break;
        d->heap[at] = d->heap[c];
        at = c;
    }
    d->heap[at] = x;
}

int adi_deal_init(adi_deal *d, const double *cycle, size_t n, int weighted)
{
    memset(d, 0, sizeof *d);
    d->n = n;
    d->weighted = weighted;
    if (!weighted)
        return ADI_OK;
    d->cycle = malloc(n * sizeof *d->cycle);
    d->dealt = calloc(n, sizeof *d->dealt);
    d->heap = malloc(n * sizeof *d->heap);
    if (!d->cycle || !d->dealt || !d->heap) {
        adi_deal_free(d);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", n);
    }
    memcpy(d->cycle, cycle, n * sizeof *d->cycle);
    for (size_t i = 0; i < n; i++)
        d->heap[i] = (uint32_t)i;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(d, i);
    return ADI_OK;
}

void adi_deal_free(adi_deal *d)
{
    free(d->cycle);
    free(d->dealt);
    free(d->heap);
    d->cycle = NULL;
    d->dealt = NULL;
    d->heap = NULL;
}

size_t adi_deal_peek(const adi_deal *d)
{
    return d->weighted ? d->heap[0] : d->next;
}

size_t adi_deal_take(adi_deal *d)
{
    if (!d->weighted) {
        size_t i = d->next;
        d->next = i + 1 == d->n ? 0 : i + 1;
        return i;
    }
    uint32_t i = d->heap[0];
    d->dealt[i]++;
    sift_down(d, 0);
    return i;
}
