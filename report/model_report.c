/*
** report/model_report.c — printing the analytic model (see model_report.h)
** and the policy table. A policy's prediction is its descriptor's; the
** policy the model expects to be best is model/best.h's, one line per
** distinct pool and workload under the table (a sweep over policies
** repeats each pool once per policy: the line is the same, printed once;
** O(points x lines) to find the repeats, as the network's tables do).
*/
#include "report/model_report.h"
#include "core/error.h"
#include "core/units.h"
#include "model/best.h"
#include "check/checks.h"
#include "check/steady.h"
#include "policy/policy.h"
#include "report/network_report.h"
#include "report/report.h"

#include <math.h>
#include <stdlib.h>

#include <string.h>

/* One labelled line: the label padded to a common column. */
static void line(FILE *f, const char *label, const char *value, const char *note)
{
    fprintf(f, "%-44s %s%s%s\n", label, value, note ? "   " : "", note ? note : "");
}

int adi_report_pool(FILE *f, const double *times, size_t n, uint64_t m)
{
    adi_bounds b;
    int rc = adi_model_bounds(times, n, m, &b);
    if (rc != ADI_OK)
        return rc;
    char t[32], u[32], label[96], value[96];
    fprintf(f, "pool: %zu device%s, T_i =", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n && i < 16; i++)
        fprintf(f, "%s %s", i ? "," : "", adi_format_time(times[i], t, sizeof t));
    fprintf(f, "%s\n", n > 16 ? ", ..." : "");
    snprintf(value, sizeof value, "%llu", (unsigned long long)m);
    line(f, "tasks m", value, NULL);
    snprintf(value, sizeof value, "%.6g tasks/s", b.R);
    line(f, "throughput bound R = sum 1/T_i", value, NULL);
    line(f, "makespan lower bound m/R", adi_format_time(b.lower, t, sizeof t), NULL);
    line(f, "greedy upper bound m/R + max T_i", adi_format_time(b.greedy_upper, t, sizeof t),
         "(deterministic pull)");
    line(f, "optimal makespan C* for identical tasks", adi_format_time(b.optimal, t, sizeof t),
         "(smallest C with sum floor(C/T_i) >= m)");
    line(f, "paper's ceil(m/n) max T_i", adi_format_time(b.paper, t, sizeof t),
         b.paper == b.sync_rounds ? "(= the synchronous-rounds makespan)"
                                  : "(an upper bound on synchronous rounds here)");
    if (b.paper != b.sync_rounds)
        line(f, "synchronous-rounds makespan", adi_format_time(b.sync_rounds, t, sizeof t),
             "(the last, partial round runs on devices 0, 1, ...)");
    snprintf(label, sizeof label, "serial on the fastest device (%s)",
             adi_format_time(b.min_time, u, sizeof u));
    line(f, label, adi_format_time(b.serial_fastest, t, sizeof t), NULL);
    snprintf(label, sizeof label, "serial on the slowest device (%s)",
             adi_format_time(b.max_time, u, sizeof u));
    line(f, label, adi_format_time(b.serial_slowest, t, sizeof t), NULL);
    snprintf(value, sizeof value, "%.4gx at best (C*), %.4gx guaranteed for pull",
             b.serial_fastest / b.optimal, b.serial_fastest / b.greedy_upper);
    line(f, "speed-up over the fastest serial", value, NULL);
    snprintf(value, sizeof value, "%.4gx at best (C*), %.4gx guaranteed for pull",
             b.serial_slowest / b.optimal, b.serial_slowest / b.greedy_upper);
    line(f, "speed-up over the slowest serial", value, NULL);
    line(f, "task-weighted mean service time n/R", adi_format_time(b.harmonic_mean, t, sizeof t),
         "(harmonic mean: the mean task time under pull)");
    line(f, "paper's E[L] = mean T_i", adi_format_time(b.arithmetic_mean, t, sizeof t),
         "(arithmetic mean: overstates it when devices differ)");
    return ADI_OK;
}

/* The policy's own makespan prediction for a point, as text (its
** descriptor's predict() for a batch at t = 0 with a free producer). */
static int predicted_makespan(const adi_point *p, const adi_bounds *b, const double *times,
                              const adi_sampler *dev, size_t n, char *out, size_t size)
{
    char x[32];
    if (p->workload->open) {
        snprintf(out, size, "%s", b->R > p->rate ? "open, stable" : "open, overloaded");
        return ADI_OK;
    }
    if (p->submit_cost > 0) {
        snprintf(out, size, ">= %s", adi_format_time(fmax(b->lower, p->submit_cost * (double)p->tasks), x, sizeof x));
        return ADI_OK;
    }
    adi_policy_pool pool = {.n = n, .times = times, .dev = dev, .m = p->tasks,
                            .capacity = p->capacity, .overflow = p->overflow,
                            .deterministic = p->dist == ADI_DIST_DETERMINISTIC, .b = b,
                            .params = &p->params};
    return p->policy->predict(&pool, out, size);
}

/* The exact steady state of each open-workload point, where one applies. */
static int steady_table(FILE *f, const adi_scenario *sc)
{
    fprintf(f, "\nexact steady state (lambda = arrival rate; block = P(an arrival is lost); "
               "L = mean tasks in system; W = mean response; U = utilization):\n");
    int width = adi_scenario_policy_width(sc);
    char label[128];
    fprintf(f, "%-*s %5s %7s %5s %10s  %-8s %11s %10s %10s %8s\n", width, "policy", "n", "Q", "h",
            "lambda/s", "model", "block", "L", "W", "U");
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        adi_steady_model model;
        adi_queue_metrics m;
        int rc = adi_steady_point(p, &model, &m);
        if (rc != ADI_OK)
            return rc;
        char q[32], w[32];
        if (p->capacity == ADI_CAPACITY_INF)
            snprintf(q, sizeof q, "inf");
        else
            snprintf(q, sizeof q, "%llu", (unsigned long long)p->capacity);
        fprintf(f, "%-*s %5zu %7s %5.2f %10.4g  ", width,
                adi_scenario_policy_label(sc, p, label, sizeof label), p->n_devices, q,
                p->heterogeneity, p->rate);
        if (model == ADI_STEADY_NONE)
            fprintf(f, "none (no exact result for this policy, distribution, overflow or load)\n");
        else
            fprintf(f, "%-8s %11.4g %10.4g %10s %7.2f%%\n", adi_steady_model_name(model), m.block,
                    m.in_system, adi_format_time(m.response, w, sizeof w), 100 * m.utilization);
    }
    return ADI_OK;
}

/* 1 when text is not among seen[0..*nseen), and then keeps it there (the
** caller frees seen's strings); 0 when it is, and frees it. O(*nseen). */
static int first_time(char **seen, size_t *nseen, char *text)
{
    for (size_t j = 0; j < *nseen; j++)
        if (strcmp(seen[j], text) == 0) {
            free(text);
            return 0;
        }
    seen[(*nseen)++] = text;
    return 1;
}

/* Over a network the compute-only columns say nothing about the makespan:
** R_net and the bounds every run is checked against (check/checks.h). */
static int net_bounds(FILE *f, const adi_point *p)
{
    adi_point_netbounds nb;
    int rc = adi_check_network_model(p, &nb);
    if (rc != ADI_OK)
        return rc;
    char lo[32], hi[32], text[80];
    if (isnan(nb.upper))
        snprintf(text, sizeof text, ">= %s", adi_format_time(nb.lower, lo, sizeof lo));
    else
        snprintf(text, sizeof text, "%s .. %s", adi_format_time(nb.lower, lo, sizeof lo),
                 adi_format_time(nb.upper, hi, sizeof hi));
    fprintf(f, " %10.6g  %s", nb.R, text);
    return ADI_OK;
}

/* With [network]: model/network.h's table for each distinct star, m and
** prefetch among the points (points that differ only by policy share one;
** serial's one device makes its own). */
static int network_tables(FILE *f, const adi_scenario *sc)
{
    size_t np = adi_scenario_npoints(sc), nseen = 0;
    char **seen = calloc(np, sizeof *seen);
    adi_netdev *dev = NULL;
    int rc = seen ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    fprintf(f, "\nthe network (R/s to mean T above count compute only; R_net and the net bounds "
               "are what every run over the network is checked against; the tables below use "
               "pull's window, prefetch k):\n");
    for (size_t i = 0; i < np && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        char *key = NULL;
        if (p->infeasible || (rc = adi_point_key(p, KEY_POLICY, &key)) != ADI_OK)
            continue;
        if (!first_time(seen, &nseen, key))
            continue;
        const double *times;
        const adi_sampler *samplers;
        size_t n = adi_point_used_devices(p, &times, &samplers);
        free(dev);
        if (!(dev = malloc(n * sizeof *dev))) {
            rc = adi_fail(ADI_ENOMEM, "out of memory");
            break;
        }
        adi_star star = adi_point_star(p, dev, n);
        fputc('\n', f);
        if (p->policy->devices == ADI_DEVICES_ONE)
            fprintf(f, "policy %s: device %zu alone\n", adi_policy_name(p->policy),
                    p->serial_device);
        rc = adi_report_network(f, &star, p->tasks, p->net.prefetch);
        adi_point_netbounds nb; /* pull's batches: the bounds their runs are checked against */
        if (rc == ADI_OK && p->params.batch > 1 &&
            (rc = adi_check_network_model(p, &nb)) == ADI_OK) {
            char a[32];
            fprintf(f, "with pull_batch = %llu (the table is for one task a message; batches "
                       "travel as one, model/netbatch.h):\n",
                    (unsigned long long)p->params.batch);
            fprintf(f, "%-36s %.6g tasks/s   (each device at its best k / cycle_i(k), k <= %llu)\n",
                    "pool throughput R_b,net", nb.R, (unsigned long long)p->params.batch);
            fprintf(f, "%-36s %s   (max(m / R_b,net, one batch's trip); the greedy bound above "
                       "is not claimed)\n", "makespan lower bound",
                    adi_format_time(nb.lower, a, sizeof a));
        }
    }
    for (size_t j = 0; j < nseen; j++)
        free(seen[j]);
    free(seen);
    free(dev);
    return rc;
}

/* One point's line: what identifies its pool and workload, then the policy
** model/best.h names, the value it reaches and why. *out is malloc'ed. */
static int best_line(const adi_scenario *sc, const adi_point *p, adi_netdev *dev, double *t,
                     char **out)
{
    adi_point_task_cycles(p, dev, t);
    adi_best_point bp = {.times = t, .n = p->n_devices, .m = p->tasks,
                         .rate = p->workload->open ? p->rate : 0,
                         .cv = p->dist == ADI_DIST_DETERMINISTIC ? 0 : p->cv,
                         .exponential = p->dist == ADI_DIST_EXPONENTIAL,
                         .submit_cost = p->submit_cost};
    adi_best best;
    int rc = adi_model_best_policy(&bp, &best);
    if (rc != ADI_OK)
        return rc;
    size_t size = 0;
    FILE *f = open_memstream(out, &size);
    if (!f)
        return adi_fail(ADI_ENOMEM, "out of memory");
    char x[32], v[48];
    fprintf(f, "n %zu, h %.2f, T %s", p->n_devices, p->heterogeneity,
            adi_format_time(p->mean_time, x, sizeof x));
    if (p->workload->open)
        fprintf(f, ", lambda %.4g/s", p->rate);
    else
        fprintf(f, ", m %llu", (unsigned long long)p->tasks);
    if (p->submit_cost > 0)
        fprintf(f, ", submit %s", adi_format_time(p->submit_cost, x, sizeof x));
    if (p->network)
        adi_report_net_values(f, sc, p, 1);
    if (isnan(best.value))
        v[0] = '\0';
    else
        snprintf(v, sizeof v, " (%s%s)", p->workload->open ? "W = " : "",
                 adi_format_time(best.value, x, sizeof x));
    fprintf(f, ": %s%s: %s\n", best.policy, v, best.why);
    if (fclose(f) != 0 || !*out) {
        free(*out);
        *out = NULL;
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    return ADI_OK;
}

/* The policy the model expects to be best, once per distinct line. */
static int best_table(FILE *f, const adi_scenario *sc)
{
    size_t np = adi_scenario_npoints(sc), nseen = 0, most = 0;
    for (size_t i = 0; i < np; i++)
        if (adi_scenario_point(sc, i)->n_devices > most)
            most = adi_scenario_point(sc, i)->n_devices;
    char **seen = calloc(np, sizeof *seen);
    double *t = malloc(most * sizeof *t);
    adi_netdev *dev = malloc(most * sizeof *dev);
    int rc = seen && t && dev ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    if (rc == ADI_OK)
        fprintf(f, "\nthe policy the model expects to be best (model/best.h; per pool and "
                   "workload, whatever the point's policy%s):\n",
                adi_scenario_point(sc, 0)->network
                    ? "; over the network each device's least time per task with its "
                      "transfers, so C* there leaves out the first request and the last output"
                    : "");
    for (size_t i = 0; i < np && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        char *text = NULL;
        if (p->infeasible || (rc = best_line(sc, p, dev, t, &text)) != ADI_OK)
            continue;
        if (first_time(seen, &nseen, text))
            fputs(text, f);
    }
    for (size_t j = 0; j < nseen; j++)
        free(seen[j]);
    free(seen);
    free(t);
    free(dev);
    return rc;
}

int adi_report_scenario_model(FILE *f, const adi_scenario *sc)
{
    int poisson = adi_scenario_point(sc, 0)->workload->open;
    int width = adi_scenario_policy_width(sc);
    int net = adi_scenario_point(sc, 0)->network;
    fprintf(f, "%-*s %5s %7s %5s %9s %10s", width, "policy", "n", "Q", "h", "T", "m");
    adi_report_net_headings(f, sc);
    fprintf(f, "  %10s %-24s %10s %10s %10s %10s %10s %10s%s%s\n", "R/s", "predicted makespan",
            "m/R", "C*", "greedy", "paper", "n/R", "mean T", poisson ? "   lambda/R" : "",
            net ? "    R_net/s  net bounds" : "");
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        char t[8][32], q[32], predicted[64], label[128];
        if (p->capacity == ADI_CAPACITY_INF)
            snprintf(q, sizeof q, "inf");
        else
            snprintf(q, sizeof q, "%llu", (unsigned long long)p->capacity);
        fprintf(f, "%-*s %5zu %7s %5.2f %9s %10llu", width,
                adi_scenario_policy_label(sc, p, label, sizeof label), p->n_devices, q,
                p->heterogeneity, adi_format_time(p->mean_time, t[0], sizeof t[0]),
                (unsigned long long)p->tasks);
        adi_report_net_params(f, sc, p);
        fputs("  ", f);
        if (p->infeasible) {
            fprintf(f, "infeasible: %s\n", p->infeasible);
            continue;
        }
        const double *times;
        const adi_sampler *dev;
        size_t n = adi_point_used_devices(p, &times, &dev);
        adi_bounds b;
        int rc = adi_model_bounds(times, n, p->tasks, &b);
        if (rc == ADI_OK)
            rc = predicted_makespan(p, &b, times, dev, n, predicted, sizeof predicted);
        if (rc != ADI_OK)
            return rc;
        fprintf(f, "%10.6g %-24s %10s %10s %10s %10s %10s %10s", b.R, predicted,
                adi_format_time(b.lower, t[1], 32), adi_format_time(b.optimal, t[2], 32),
                adi_format_time(b.greedy_upper, t[3], 32), adi_format_time(b.paper, t[4], 32),
                adi_format_time(b.harmonic_mean, t[5], 32),
                adi_format_time(b.arithmetic_mean, t[6], 32));
        if (poisson)
            fprintf(f, " %10.4g", p->rate / b.R);
        if (net && (rc = net_bounds(f, p)) != ADI_OK)
            return rc;
        fputc('\n', f);
    }
    int rc = best_table(f, sc);
    if (rc == ADI_OK && poisson && !adi_scenario_point(sc, 0)->network)
        rc = steady_table(f, sc);
    return rc == ADI_OK && adi_scenario_point(sc, 0)->network ? network_tables(f, sc) : rc;
}

int adi_report_policies(FILE *f)
{
    int rc = adi_policy_table_check();
    if (rc != ADI_OK)
        return rc;
    for (size_t i = 0; i < adi_policy_count(); i++) {
        const adi_policy_desc *p = adi_policy_at(i);
        fprintf(f, "%-8s %s%s. Devices: %s. Workloads:", p->name, p->help,
                i == 0 ? " (the default)" : "",
                p->devices == ADI_DEVICES_ONE ? "one (serial_device)" : "all");
        for (size_t w = 0, k = 0; w < adi_workload_count(); w++)
            if (adi_policy_runs(p, adi_workload_at(w)))
                fprintf(f, "%s %s", k++ ? "," : "", adi_workload_at(w)->name);
        fprintf(f, ". Over a network: %s.\n", p->net.rule);
    }
    return ADI_OK;
}
