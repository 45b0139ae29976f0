/*
** kernels/blas.h — the host's GEMM for the convolution kernel: GSL's
** CBLAS interface (gsl_blas_sgemm), linked against OpenBLAS when the build
** found it (pkg-config openblas) and GSL's own reference CBLAS otherwise.
** The Makefile passes the choice as ADI_BLAS ("openblas 0.3.21" or
** "gslcblas 2.7.1") and ADI_BLAS_OPENBLAS (1 or 0).
**
** OpenBLAS threads: calibrate measures one single-threaded task per core,
** so adi_blas_single_thread() calls openblas_set_num_threads(1) before the
** first measurement (setting OPENBLAS_NUM_THREADS=1 after the library has
** been loaded would be too late: OpenBLAS reads it in its constructor).
** GSL's CBLAS is single-threaded anyway.
*/
#ifndef ADI_CALIBRATE_BLAS_H
#define ADI_CALIBRATE_BLAS_H

#include <stddef.h>

/* An adi_gemm_fn (kernels.h) over gsl_blas_sgemm; ctx unused. Returns GSL's
** status (0 on success). */
int adi_gemm_blas(void *ctx, size_t m, size_t n, size_t k, const float *a, const float *b,
                  float *c);

/* Makes the BLAS use one thread per call (idempotent, thread-safe). */
void adi_blas_single_thread(void);

/* "openblas 0.3.21 (Zen)" or "gslcblas 2.7.1": the BLAS behind
** adi_gemm_blas, with OpenBLAS's kernel family when it reports one. A
** static string. */
const char *adi_blas_name(void);

#endif
