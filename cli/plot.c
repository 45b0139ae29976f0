/*
** cli/plot.c — `plot`: draw a scenario's figures from the results database
** with gnuplot. Only options, messages and the exit code live here; the
** work is in plots/ (data, figure programs, the gnuplot processes).
**
** Exit: 0 figures drawn, 2 bad input or usage, no gnuplot, no runs, an
** unwritable folder or gnuplot failing.
*/
#include "core/error.h"
#include "plots/plot.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: plot [--db FILE] [--scenario NAME] [--out DIR] [--format png|svg|pdf] [--point N]\n"
    "            [--quiet]\n"
    "\n"
    "Draws the figures of one scenario's stored runs with gnuplot (through a pipe;\n"
    "no scripts are written) into DIR, with an index.html that shows them all:\n"
    "  1_throughput     throughput vs devices n, one line per policy, one panel per\n"
    "                   heterogeneity h, beside the bound R = sum 1/T_i\n"
    "  2_latency        latency CDF per policy at the chosen point, p50/p95/p99\n"
    "  3_queue          idle time and max latency vs queue capacity Q\n"
    "  4_heterogeneity  throughput and makespan vs h, one line per n, per policy\n"
    "  5_bounds         simulated makespan against m/R, m/R + max T_i and the\n"
    "                   paper's ceil(m/n) max T_i, every batch point\n"
    "  6_devices        tasks done and utilization per device at the chosen point\n"
    "Parameters a figure does not plot are fixed at the chosen point's values.\n"
    "\n"
    "  --db FILE        results database (default: results.db)\n"
    "  --scenario NAME  the scenario (default: the only one in the database)\n"
    "  --out DIR        output folder, created if missing (default: figures/NAME)\n"
    "  --format F       png (default), svg or pdf\n"
    "  --point N        the chosen point: sweep position N (the `point` column of\n"
    "                   `simulate --csv`); default: the pull point with the most\n"
    "                   devices, then the largest Q, then the largest h\n"
    "  --quiet          print nothing but errors and gnuplot's warnings\n"
    "  --help, --version\n"
    "\n"
    "Prints the files written. Exit status: 0 drawn, 2 bad input, no runs, no\n"
    "gnuplot, an unwritable folder or a gnuplot error.\n";

static int fail(const char *msg)
{
    fprintf(stderr, "plot: %s\n", msg);
    return 2;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},     {"scenario", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},    {"format", required_argument, NULL, 'f'},
        {"point", required_argument, NULL, 'p'},  {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *db = "results.db", *scenario = NULL, *out = NULL;
    adi_plot_format format = ADI_PLOT_PNG;
    size_t point = ADI_PLOT_POINT_DEFAULT;
    int quiet = 0, opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "d:s:o:f:p:qhV", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 's': scenario = optarg; break;
        case 'o': out = optarg; break;
        case 'q': quiet = 1; break;
        case 'f':
            if (adi_plot_format_parse(optarg, &format) != ADI_OK)
                return fail("--format: expected png, svg or pdf");
            break;
        case 'p': {
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || !*optarg || optarg[0] == '-' || v >= ADI_PLOT_POINT_DEFAULT)
                return fail("--point: expected a sweep position (0, 1, ...)");
            point = (size_t)v;
            break;
        }
        case 'h': fputs(usage, stdout); return 0;
        case 'V': puts("plot (adisim) " ADI_VERSION); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return 2;
    }
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
