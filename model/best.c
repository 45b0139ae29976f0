/*
** model/best.c — the policy the model expects to be best (see best.h).
*/
#include "model/best.h"
#include "core/error.h"
#include "core/units.h"
#include "model/bounds.h"
#include "model/mm2.h"
#include "model/queueing.h"
#include "model/split.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void say(adi_best *out, const char *policy, double value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void say(adi_best *out, const char *policy, double value, const char *fmt, ...)
{
    out->policy = policy;
    out->value = value;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->why, sizeof out->why, fmt, ap);
    va_end(ap);
}

static int identical(const double *t, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (t[i] != t[0])
            return 0;
    return 1;
}

static int batch(const adi_best_point *p, adi_best *out)
{
    adi_bounds b;
    int rc = adi_model_bounds(p->times, p->n, p->m, &b);
    if (rc != ADI_OK)
        return rc;
    char x[32], y[32], z[32];
    double cv = p->exponential ? 1 : p->cv;
    if (p->n == 1) {
        say(out, "pull", b.serial_fastest, "one device: every policy runs the %llu tasks one "
            "after another (%s)", (unsigned long long)p->m,
            adi_format_time(b.serial_fastest, x, sizeof x));
        return ADI_OK;
    }
    if (p->submit_cost > 0) {
        double produce = (double)p->m * p->submit_cost;
        double least = fmax(produce, b.lower);
        char w[32];
        say(out, "pull", least, "tasks arrive one by one (%s each, %s in all): a shared queue "
            "serves them as they come (no policy beats max(m x submit cost, m/R) = %s); C* = "
            "%s, which eft and the splits aim at, assumes them all at t = 0",
            adi_format_time(p->submit_cost, x, sizeof x), adi_format_time(produce, y, sizeof y),
            adi_format_time(least, w, sizeof w), adi_format_time(b.optimal, z, sizeof z));
        return ADI_OK;
    }
    if (identical(p->times, p->n)) {
        if (cv == 0)
            say(out, "pull", b.optimal, "identical devices: pull, static, weighted and eft all "
                "make ceil(m/n) T = %s = C*", adi_format_time(b.optimal, x, sizeof x));
        else
            say(out, "pull", b.greedy_upper, "identical devices, random times (cv %.3g): pull "
                "adapts to the times as they come (m/R + max T = %s at most); static and "
                "weighted fix ceil(m/n) tasks each and wait for the slowest share", cv,
                adi_format_time(b.greedy_upper, x, sizeof x));
        return ADI_OK;
    }
    uint64_t *count = malloc(p->n * sizeof *count);
    if (!count)
        return adi_fail(ADI_ENOMEM, "out of memory");
    double weighted;
    if ((rc = adi_split_weighted(p->times, p->n, p->m, count, &weighted)) != ADI_OK) {
        free(count);
        return rc;
    }
    if (cv == 0) {
        say(out, "eft", b.optimal, "deterministic times: eft reaches C* = %s exactly, the "
            "optimum for identical tasks (weighted too, with the counts of C* fixed up front); "
            "pull is only guaranteed m/R + max T_i = %s", adi_format_time(b.optimal, x, sizeof x),
            adi_format_time(b.greedy_upper, y, sizeof y));
    } else {
        double late = 0; /* the spread of the largest share's sum */
        for (size_t i = 0; i < p->n; i++)
            late = fmax(late, sqrt((double)count[i]) * cv * p->times[i]);
        say(out, "pull", b.greedy_upper, "random times (cv %.3g): pull adapts to them as they "
            "come and stays within max T_i of m/R (%s at most); weighted and eft plan with the "
            "means (C* = %s), and a share of c_i tasks ends about sqrt(c_i) cv T_i late (up to "
            "%s here)", cv, adi_format_time(b.greedy_upper, x, sizeof x),
            adi_format_time(b.optimal, y, sizeof y), adi_format_time(late, z, sizeof z));
    }
    free(count);
    return ADI_OK;
}

static int open_load(const adi_best_point *p, adi_best *out)
{
    double R = 0;
    for (size_t i = 0; i < p->n; i++)
        R += 1 / p->times[i];
    double rho = p->rate / R;
    char x[32], y[32];
    if (rho >= 1) {
        say(out, "pull", NAN, "overloaded: lambda = %.4g/s >= R = sum 1/T_i = %.4g/s, so no "
            "policy is stable; a shared queue keeps every device busy and delivers R", p->rate,
            R);
        return ADI_OK;
    }
    adi_queue_metrics q;
    int rc;
    if (p->exponential && identical(p->times, p->n)) {
        if ((rc = adi_queue_mmc(p->rate, p->times[0], (unsigned)p->n, &q)) != ADI_OK)
            return rc;
        say(out, "pull", q.response, "one shared queue is the M/M/%zu queue: W = %s at load "
            "%.3g; per-device queues (jsq, pod) can leave a device idle while a task waits at "
            "another, so their W is larger", p->n, adi_format_time(q.response, x, sizeof x), rho);
        return ADI_OK;
    }
    if (p->exponential && p->n == 2) {
        /* device 1 of the chain is the faster */
        size_t fast = p->times[1] < p->times[0];
        double T1 = p->times[fast], T2 = p->times[1 - fast];
        adi_mm2_metrics f, r;
        if ((rc = adi_queue_mm2_hetero(p->rate, T1, T2, 1, &f)) != ADI_OK ||
            (rc = adi_queue_mm2_hetero(p->rate, T1, T2, 0.5, &r)) != ADI_OK)
            return rc;
        int fastest = f.q.response <= r.q.response;
        say(out, "pull", fastest ? f.q.response : r.q.response, "two exponential devices, the "
            "exact heterogeneous M/M/2: W = %s with the fastest idle device first, %s with a "
            "random one (pull with idle_choice = %s); per-device queues can leave a device "
            "idle while a task waits", adi_format_time(f.q.response, x, sizeof x),
            adi_format_time(r.q.response, y, sizeof y), fastest ? "fastest" : "random");
        return ADI_OK;
    }
    if (p->n == 1) {
        if ((rc = adi_queue_mg1(p->rate, p->times[0], p->exponential ? 1 : p->cv, &q)) != ADI_OK)
            return rc;
        say(out, "pull", q.response, "one device: the M/G/1 queue (Pollaczek-Khinchine), W = %s "
            "at load %.3g", adi_format_time(q.response, x, sizeof x), rho);
        return ADI_OK;
    }
    say(out, "pull", NAN, "a shared queue never leaves a device idle while a task waits, which "
        "per-device queues (jsq, pod) can; %s (load %.3g; no closed form for this pool)",
        identical(p->times, p->n) ? "the devices are identical"
                                  : "with different devices prefer idle_choice = fastest", rho);
    return ADI_OK;
}

int adi_model_best_policy(const adi_best_point *p, adi_best *out)
{
    if (p->n == 0)
        return adi_fail(ADI_EINPUT, "a pool needs at least one device");
    for (size_t i = 0; i < p->n; i++)
        if (!(p->times[i] > 0) || !isfinite(p->times[i]))
            return adi_fail(ADI_EINPUT, "device %zu: a task time must be > 0, got %g", i,
                            p->times[i]);
    if (!(p->cv >= 0) || !(p->submit_cost >= 0) || !(p->rate >= 0) || !isfinite(p->rate))
        return adi_fail(ADI_EINPUT, "cv, submit cost and rate must be >= 0 and finite");
    if (p->rate == 0 && p->m == 0)
        return adi_fail(ADI_EINPUT, "a batch needs at least one task");
    return p->rate > 0 ? open_load(p, out) : batch(p, out);
}
