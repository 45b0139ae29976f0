/*
** model/batchlaw.h — how a kernel's time grows with its batch: the law T(s)
** of one call on s images, fitted to `calibrate --batch B1,B2,...` (each
** size measured as calibrate measures one: warm-up, reps, every sample,
** the result checked first), and T_i(b), the time of one batch of b tasks
** run together, which the simulator will ask for (pull_batch = b).
**
** The sizes s_0 < s_1 < ... < s_{k-1} are images per call; s_0, the
** smallest, is the task (the profile's `batch`), so a batch of b tasks is
** one call on b s_0 images. From each size's mean t_j, std sd_j and sample
** count n_j, two laws:
**
**   affine        T(s) = a + c s by least squares, weighted by the inverse
**                 variance of each mean, w_j = n_j / sd_j^2 (GSL's
**                 gsl_fit_wlinear); when some size has no spread (sd_j = 0:
**                 an emulator, a cache-less microcontroller) or one sample,
**                 those weights do not exist and the fit is unweighted
**                 (gsl_fit_linear). Its error: the largest relative miss at
**                 the measured sizes, max_j |a + c s_j - t_j| / t_j.
**   interpolated  the measured means, joined by straight lines: exact at the
**                 measured sizes. Its error, to judge the sizes in between:
**                 the largest leave-one-out miss, each interior t_j against
**                 the line through its neighbours (0 with fewer than 3 sizes).
**
** The law the simulator uses (`law`): affine when its error is at most
** ADI_BATCH_AFFINE_MAX_ERROR (5 %, about what this shared machine's drift
** between two measurements is) and it stays positive over the measured
** sizes; otherwise interpolated. An affine law that misses a measured mean
** by more than 5 % is not that device's law (a cache that overflows, a BLAS
** that changes its blocking): the points are then the better description.
**
** No extrapolation: T is given for s_0 <= s <= s_{k-1} only, so a batch of
** b tasks needs b s_0 <= s_{k-1}. Beyond, adi_batch_time refuses and says
** which sizes to measure: a law fitted to 1..64 images says nothing
** reliable about 256 (caches, memory), and a simulated batch must come from
** something measured. With one size (every profile before format 4, or
** calibrate without a list) only b = 1 is known: T = the measured mean.
**
** A profile keeps each kernel's law (adi_kernel_profile.batch, profile/
** profile.h); T_i(b) for the simulator is adi_batch_time(&kp->batch, b).
** The law lives here, below profile/ and policy/, so that the model's
** batching bounds (model/batching.h) and the policies can use it.
**
** Cost: O(k) to fit (k <= 16), O(log k) per evaluation. Pure: no I/O.
*/
#ifndef ADI_MODEL_BATCHLAW_H
#define ADI_MODEL_BATCHLAW_H

#include <stddef.h>
#include <stdint.h>

#define ADI_BATCH_MAX 16            /* batch sizes one kernel may be measured at */
#define ADI_BATCH_MAX_IMAGES 65536  /* the largest size, images per call (calibrate's --batch) */
#define ADI_BATCH_AFFINE_MAX_ERROR 0.05

typedef enum adi_batch_kind {
    ADI_BATCH_AFFINE,
    ADI_BATCH_INTERPOLATED,
    ADI_BATCH_KIND_COUNT
} adi_batch_kind;

/* "affine", "interpolated" (a static string; "?" out of range). */
const char *adi_batch_kind_name(adi_batch_kind k);

/* ADI_OK with *k, or ADI_EINPUT "expected affine or interpolated, got '...'". */
int adi_batch_kind_parse(const char *text, adi_batch_kind *k);

typedef struct adi_batch_law {
    size_t n;                     /* sizes measured, 1 .. ADI_BATCH_MAX */
    size_t size[ADI_BATCH_MAX];   /* images per call, ascending; size[0] is the task */
    double mean[ADI_BATCH_MAX];   /* s per call */
    double std[ADI_BATCH_MAX];    /* s, of the samples (n - 1; 0 with one sample) */
    size_t count[ADI_BATCH_MAX];  /* samples behind mean and std */
    adi_batch_kind law;           /* what adi_batch_time evaluates */
    double intercept;             /* affine: T(s) = intercept + slope s; s */
    double slope;                 /* s per image */
    double affine_error;          /* max relative miss of the affine law at the sizes */
    double interpolated_error;    /* max relative leave-one-out miss of interpolation */
} adi_batch_law;

/* The measured part (n, size, mean, std, count) is well formed: 1 <= n <=
** ADI_BATCH_MAX, sizes strictly increasing from >= 1 to at most
** ADI_BATCH_MAX_IMAGES, means finite and > 0, stds finite and >= 0, counts
** >= 1. ADI_EINPUT naming the first entry that is not. */
int adi_batch_check(const adi_batch_law *law);

/* The law of a kernel measured at one size: n = 1, that size's mean, std
** and count, interpolated (T = mean), intercept 0, slope mean / size,
** errors 0 (what adi_batch_fit gives for n = 1, without its checks: a
** profile from before format 4 may hold any batch). */
void adi_batch_one(adi_batch_law *law, size_t size, double mean, double std, size_t count);

/* Fits both laws to the measured part and chooses one (above): fills law,
** intercept, slope and both errors. With n = 1 there is nothing to fit:
** interpolated (T = mean[0]), intercept 0, slope mean[0] / size[0], errors
** 0. ADI_EINPUT from adi_batch_check, ADI_EINTERNAL if GSL fails. */
int adi_batch_fit(adi_batch_law *law);

/* Whether the affine law is positive at every measured size (it is linear,
** so at both ends): what an affine `law` must be. */
int adi_batch_affine_positive(const adi_batch_law *law);

/* T(s) for s_0 <= s <= s_{k-1} images, by the chosen law; ADI_EINPUT beyond. */
int adi_batch_law_time(const adi_batch_law *law, double images, double *seconds);

/* The largest batch of tasks measured: floor(s_{k-1} / s_0) (1 with one size). */
uint64_t adi_batch_max_tasks(const adi_batch_law *law);

/* T_i(b): the mean time of one batch of b >= 1 tasks run as one call, s
** (the law at b s_0 images). For b = 1 with the interpolated law it is
** mean[0] exactly; with the affine law it is within affine_error of it.
** ADI_EINPUT for b = 0 or b > adi_batch_max_tasks, naming the sizes
** measured and the `calibrate --batch` that would measure it. */
int adi_batch_time(const adi_batch_law *law, uint64_t tasks, double *seconds);

#endif
