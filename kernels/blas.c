/*
** kernels/blas.c — gsl_blas_sgemm as an adi_gemm_fn, and the OpenBLAS
** thread setting (see blas.h).
*/
#include "kernels/blas.h"
#include "core/error.h"

#include <gsl/gsl_blas.h>
#include <pthread.h>
#include <stdio.h>

#ifndef ADI_BLAS
#define ADI_BLAS "gslcblas"
#endif
#ifndef ADI_BLAS_OPENBLAS
#define ADI_BLAS_OPENBLAS 0
#endif

#if ADI_BLAS_OPENBLAS
/* Declared here rather than through OpenBLAS's cblas.h, whose CBLAS
** declarations clash with GSL's gsl_cblas.h. */
void openblas_set_num_threads(int num_threads);
char *openblas_get_corename(void);
#endif

int adi_gemm_blas(void *ctx, size_t m, size_t n, size_t k, const float *a, const float *b,
                  float *c)
{
    (void)ctx;
    gsl_matrix_float_const_view A = gsl_matrix_float_const_view_array(a, m, k);
    gsl_matrix_float_const_view B = gsl_matrix_float_const_view_array(b, k, n);
    gsl_matrix_float_view C = gsl_matrix_float_view_array(c, m, n);
    return gsl_blas_sgemm(CblasNoTrans, CblasNoTrans, 1.0f, &A.matrix, &B.matrix, 0.0f,
                          &C.matrix);
}

static void single_once(void)
{
    adi_gsl_quiet();
#if ADI_BLAS_OPENBLAS
    openblas_set_num_threads(1);
#endif
}

void adi_blas_single_thread(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, single_once);
}

static char name[128];

static void name_once(void)
{
#if ADI_BLAS_OPENBLAS
    const char *core = openblas_get_corename();
    if (core && *core) {
        snprintf(name, sizeof name, "%s (%s)", ADI_BLAS, core);
        return;
    }
#endif
    snprintf(name, sizeof name, "%s", ADI_BLAS);
}

const char *adi_blas_name(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, name_once);
    return name;
}
