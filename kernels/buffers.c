/*
** kernels/buffers.c — one block per task's buffers, each starting at a
** different offset within a page (see buffers.h for why).
*/
#include "kernels/buffers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096
#define STAGGER 1024 /* buffer k starts k * STAGGER bytes into a page */

/* The whole pages buffer k occupies, its stagger included. */
static size_t region(int k, size_t floats)
{
    return ((size_t)k * STAGGER + floats * sizeof(float) + PAGE - 1) / PAGE * PAGE;
}

int adi_task_buffers_alloc(adi_task_buffers *b, size_t n_in, size_t n_w, size_t n_out,
                           size_t n_col)
{
    memset(b, 0, sizeof *b);
    const size_t n[4] = {n_in, n_w, n_out, n_col};
    float **slot[4] = {&b->in, &b->w, &b->out, &b->col};
    size_t total = 0;
    for (int k = 0; k < 4; k++) {
        if (n[k] > (SIZE_MAX / 4 - 2 * PAGE) / sizeof(float))
            return -1;
        if (n[k])
            total += region(k, n[k]);
    }
    if (!total)
        return 0;
    char *block = aligned_alloc(PAGE, total);
    if (!block)
        return -1;
    b->block = block;
    size_t at = 0;
    for (int k = 0; k < 4; k++) {
        if (!n[k])
            continue;
        *slot[k] = (float *)(block + at + (size_t)k * STAGGER);
        at += region(k, n[k]);
    }
    return 0;
}

void adi_task_buffers_free(adi_task_buffers *b)
{
    free(b->block);
    memset(b, 0, sizeof *b);
}
