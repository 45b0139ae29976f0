/*
** cli/plot.c — `plot`: draw a scenario's figures from the results database
** with gnuplot. Only options, messages and the exit code live here; the
** work is in plots/ (data, figure programs, the gnuplot processes).
**
** Exit: 0 figures drawn, 2 bad input or usage, no gnuplot, no runs, an
** unwritable folder or gnuplot failing.
*/
#include "cli/args.h"
#include "core/error.h"
#include "plots/plot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_SCENARIO = ADI_CLI_LONG, OPT_FORMAT, OPT_POINT };

static const adi_cli_option options[] = {
    ADI_CLI_OPT_DB("results database (default: results.db)"),
    {"scenario", OPT_SCENARIO, "NAME", "the scenario (default: the only one in the database)"},
    ADI_CLI_OPT_OUT("DIR", "output folder, created if missing (default: figures/NAME)"),
    {"format", OPT_FORMAT, "F", "png (default), svg or pdf"},
    {"point", OPT_POINT, "N", "the chosen point: sweep position N (the `point` column of "
     "`simulate --csv`); default: the pull point with the most devices, then the largest Q, "
     "then the largest h"},
    ADI_CLI_OPT_QUIET("print nothing but errors and gnuplot's warnings"),
    {NULL, 0, NULL, NULL},
};

/* Every figure of plots/plot.h (tests/test_cli_plot.c checks each stem is here). */
static const adi_cli_program program = {
    .name = "plot",
    .usage = "Usage: plot [OPTION]...\n",
    .about = "Draws the figures of one scenario's stored runs with gnuplot (through a pipe;\n"
             "no scripts are written) into DIR, with an index.html that shows them all:\n"
             "  1_throughput     throughput vs devices n, one line per policy, one panel per\n"
             "                   heterogeneity h, beside the bound R = sum 1/T_i\n"
             "  2_latency        latency CDF per policy at the chosen point, p50/p95/p99\n"
             "  3_queue          idle time and max latency vs queue capacity Q\n"
             "  4_heterogeneity  throughput and makespan vs h, one line per n, per policy\n"
             "  5_bounds         simulated makespan against m/R, m/R + max T_i and the\n"
             "                   paper's ceil(m/n) max T_i, every batch point\n"
             "  6_devices        tasks done and utilization per device at the chosen point\n"
             "  7_exact          simulated steady state against exact queueing results\n"
             "                   (loss, L, W, U) per point, for open workloads that have them\n"
             "  8_bandwidth      over a network: throughput vs link bandwidth (link_scale),\n"
             "                   one line per policy, with each policy's bound R_net\n"
             "  9_prefetch       over a network: throughput vs prefetch k, with R_net(k)\n"
             "                   and R_net(0)\n"
             "  10_time_split    over a network: each device's time at the chosen point,\n"
             "                   computing, transfers and waiting, stacked, per policy\n"
             "  11_policies      which policy wins: makespan / C* per policy variant vs m\n"
             "                   and h (a batch), or p99 latency vs the rate and h (Poisson)\n"
             "  12_batching      throughput and p99 latency vs pull_batch b, per rate and\n"
             "                   max_delay, with the bound R_b\n"
             "Parameters a figure does not plot are fixed at the chosen point's values.\n"
             "A figure that does not apply (its x axis would hold one value) is skipped,\n"
             "with the reason. Prints the files written.\n",
    .options = options,
    .exit_ok = "figures drawn",
    .exit_bad = "bad input or usage, no runs stored, no gnuplot, an unwritable folder or a "
                "gnuplot error",
};

static int fail(const char *msg) { return adi_cli_fail(&program, msg); }

int main(int argc, char **argv)
{
    const char *db = "results.db", *scenario = NULL, *out = NULL;
    adi_plot_format format = ADI_PLOT_PNG;
    size_t point = ADI_PLOT_POINT_DEFAULT;
    int quiet = 0;
    for (int id; (id = adi_cli_next(&program, argc, argv)) != -1;) {
        uint64_t v;
        switch (id) {
        case ADI_CLI_DB: db = optarg; break;
        case OPT_SCENARIO: scenario = optarg; break;
        case ADI_CLI_OUT: out = optarg; break;
        case ADI_CLI_QUIET: quiet = 1; break;
        case OPT_FORMAT:
            if (adi_plot_format_parse(optarg, &format) != ADI_OK)
                return fail("--format: expected png, svg or pdf");
            break;
        case OPT_POINT:
            if (adi_cli_count("--point", optarg, 0, ADI_PLOT_POINT_DEFAULT - 1, &v) != ADI_OK)
                return fail("--point: expected a sweep position (0, 1, ...)");
            point = (size_t)v;
            break;
        default: return adi_cli_other(&program, id);
        }
    }
    if (optind != argc)
        return adi_cli_usage_error(&program);
    /* Before reading anything: without gnuplot nothing can be drawn. */
    if (!adi_plot_gnuplot_found())
        return fail("gnuplot not found: install gnuplot-nox");

    adi_plot_data *d;
    if (adi_plot_load(db, scenario, point, &d) != ADI_OK)
        return fail(adi_errmsg());
    char *dir = NULL;
    if (!out) {
        const char *name = adi_plot_scenario_name(d);
        if ((dir = malloc(strlen(name) + 16)))
            sprintf(dir, "figures/%s", name);
        out = dir;
    }
    adi_plot_outcome res;
    int rc = out ? adi_plot_draw(d, out, format, &res) : adi_fail(ADI_ENOMEM, "out of memory");
    if (rc == ADI_OK) {
        const char *ext = adi_plot_format_name(format);
        for (int fig = 0; fig < ADI_FIG_COUNT; fig++) {
            const char *why;
            if (res.drawn[fig] && !quiet)
                printf("%s/%s.%s\n", out, adi_plot_figure_stem(fig), ext);
            else if (!res.drawn[fig] && !quiet && !adi_plot_figure_applies(d, fig, &why))
                fprintf(stderr, "plot: figure %d (%s) not drawn: %s\n", fig + 1,
                        adi_plot_figure_stem(fig), why);
            if (res.warnings[fig]) /* never silent, even with --quiet */
                fprintf(stderr, "plot: figure %d (%s): gnuplot says:\n%s\n", fig + 1,
                        adi_plot_figure_stem(fig), res.warnings[fig]);
        }
        if (!quiet) {
            printf("%s/index.html\n", out);
            fprintf(stderr, "plot: %s: %zu figures (%s), chosen point %zu; open %s/index.html\n",
                    adi_plot_scenario_name(d), res.ndrawn, ext, adi_plot_chosen_point(d), out);
        }
        adi_plot_outcome_free(&res);
    }
    int status = rc == ADI_OK ? 0 : fail(adi_errmsg());
    free(dir);
    adi_plot_data_free(d);
    return status;
}
