/*
** kernels/buffers.h — the buffers of one task (input, weights, output,
** im2col), placed the same way wherever a kernel is timed or executed.
**
** Placement matters. With each buffer at the same offset within its 4 KiB
** page, which is what large malloc or aligned_alloc blocks get (each is its
** own mmap), the conv task ran 8 to 10 % slower on this machine (an AMD EPYC
** VM: 66 to 68.5 ms against 60.4 to 62.4 ms for layer1, batch 64), most
** likely from 4 KiB aliasing between the streams im2col and the GEMM read
** and write. It made the simulator look wrong: calibrate got mmap blocks,
** while execute, after its first run, got glibc heap blocks at other
** offsets (glibc raises its mmap threshold once such a block is freed), so
** tasks ran 6 to 8 % faster than their profile said. Every caller now gets
** one block in which buffer k starts k KiB into a page.
*/
#ifndef ADI_CALIBRATE_BUFFERS_H
#define ADI_CALIBRATE_BUFFERS_H

#include <stddef.h>

typedef struct adi_task_buffers {
    float *in, *w, *out, *col; /* NULL where the length is 0 */
    void *block;
} adi_task_buffers;

/* Lengths in floats (0: no such buffer). Returns 0, or -1 when out of
** memory (then *b holds nothing to free). The contents are undefined. */
int adi_task_buffers_alloc(adi_task_buffers *b, size_t n_in, size_t n_w, size_t n_out,
                           size_t n_col);

/* Frees the block; b may be zeroed or freed already. */
void adi_task_buffers_free(adi_task_buffers *b);

#endif
