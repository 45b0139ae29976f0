/*
** tests/test_cli_plot.c — `plot` end to end: a small scenario simulated into
** a temporary folder, then drawn as PNG, SVG and PDF through the real
** gnuplot (skipped where it is not installed): every file there, of its
** format and of a sensible size, nothing else left behind; and every error
** a user can meet, each one message and exit 2.
*/
#include "helpers.h"

#include "plots/plot.h"

#include <dirent.h>
#include <sys/stat.h>

static const char *small =
    "[scenario]\nname = small_plot\nreplications = 2\nseed = 3\n"
    "[devices]\nmean_time = 10ms\ndistribution = exponential\n"
    "[workload]\ntasks = 300\n"
    "[sweep]\npolicy = pull, sync, serial\ndevices = 2, 4\nqueue_capacity = inf, 10\n"
    "heterogeneity = 0, 1.0\n";

static const char *const stems[] = {"1_throughput", "2_latency", "3_queue",
                                     "4_heterogeneity", "5_bounds", "6_devices"};

static int prog_env(const char *env, const char *program, const char *args, char **out,
                    char **err)
{
    return run_program_in(temp_dir(), env, program, args, out, err);
}

static int prog(const char *program, const char *args, char **out, char **err)
{
    return prog_env(NULL, program, args, out, err);
}

static int gnuplot_installed(void)
{
    return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

static int setup(void **state)
{
    (void)state;
    if (temp_dir_setup(NULL) != 0)
        return -1;
    write_file(path_in("small.ini"), small);
    return prog("simulate", "small.ini --db r.db --quiet", NULL, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    temp_dir_teardown(NULL);
    return 0;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Entries of a folder; `hidden`: only those starting with a dot. */
static int entries(const char *folder, int hidden)
{
    DIR *d = opendir(folder);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && (!hidden || e->d_name[0] == '.'))
            n++;
    closedir(d);
    return n;
}

static void draws_png_svg_pdf(void **state)
{
    (void)state;
    if (!gnuplot_installed())
        skip();
    char *out, *err;
    assert_int_equal(prog("plot", "--db r.db --out png", &out, &err), 0);
    /* stdout: the files written, one a line. */
    char expect[1024] = "";
    for (int i = 0; i < 6; i++)
        snprintf(expect + strlen(expect), sizeof expect - strlen(expect), "png/%s.png\n",
                 stems[i]);
    strcat(expect, "png/index.html\n");
    assert_string_equal(out, expect);
    assert_non_null(strstr(err, "plot: small_plot: 6 figures (png), chosen point 5;"));
    assert_null(strstr(err, "gnuplot says")); /* no warnings from gnuplot */
    free(out);
    free(err);
    for (int i = 0; i < 6; i++) {
        char name[64];
        snprintf(name, sizeof name, "png/%s.png", stems[i]);
        unsigned char *png = (unsigned char *)read_file(path_in(name));
        assert_non_null(png);
        assert_int_equal(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
        /* IHDR: width and height, big-endian, at bytes 16 and 20. */
        long w = (long)png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
        long h = (long)png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23];
        assert_true(w >= 900 && w <= 3000 && h >= 600 && h <= 2000);
        long size = file_size(path_in(name));
        assert_true(size > 20000 && size < 2000000);
        free(png);
    }
    char *html = read_file(path_in("png/index.html"));
    assert_non_null(html);
    assert_non_null(strstr(html, "<h1>Scenario small_plot</h1>"));
    assert_non_null(strstr(html, "<img src=\"5_bounds.png\""));
    assert_non_null(strstr(html, "heterogeneity = 0, 1.0")); /* the scenario text */
    free(html);
    assert_int_equal(entries(path_in("png"), 0), 7);
    assert_int_equal(entries(path_in("png"), 1), 0);

    assert_int_equal(prog("plot", "--db r.db --scenario small_plot --out svg --format svg",
                          NULL, NULL), 0);
    for (int i = 0; i < 6; i++) {
        char name[64];
        snprintf(name, sizeof name, "svg/%s.svg", stems[i]);
        char *svg = read_file(path_in(name));
        assert_non_null(svg);
        assert_true(strncmp(svg, "<?xml", 5) == 0 || strncmp(svg, "<svg", 4) == 0);
        assert_non_null(strstr(svg, "</svg>"));
        assert_true(strlen(svg) > 10000);
        free(svg);
    }
    html = read_file(path_in("svg/index.html"));
    assert_non_null(strstr(html, "<img src=\"1_throughput.svg\""));
    free(html);
    assert_int_equal(entries(path_in("svg"), 0), 7);

    /* the uniform short options: -d, -o, -q */
    assert_int_equal(prog("plot", "-d r.db -o pdf --format pdf -q", &out, NULL), 0);
    assert_string_equal(out, "");
    free(out);
    char *pdf = read_file(path_in("pdf/2_latency.pdf"));
    assert_non_null(pdf);
    assert_int_equal(strncmp(pdf, "%PDF-", 5), 0);
    free(pdf);
    assert_true(file_size(path_in("pdf/6_devices.pdf")) > 5000);

    /* Without --out: figures/<scenario>; --point picks figures 2 and 6. */
    assert_int_equal(prog("plot", "--db r.db --point 0", NULL, &err), 0);
    assert_non_null(strstr(err, "chosen point 0;"));
    free(err);
    assert_true(file_size(path_in("figures/small_plot/6_devices.png")) > 10000);
    html = read_file(path_in("figures/small_plot/index.html"));
    assert_non_null(strstr(html, "figures 2, 6 and 10 show point 0"));
    free(html);
}

/* The policy figures through the real gnuplot: 11_policies for a batch
** over m and h, 12_batching for pull_batch; each a PNG of a sensible size,
** without a gnuplot warning, in index.html; and each skipped, saying why,
** where it does not apply (small_plot sweeps no m and no b). */
static void draws_the_policy_figures(void **state)
{
    (void)state;
    if (!gnuplot_installed())
        skip();
    char *out, *err;
    write_file(path_in("pol.ini"), "[scenario]\nname = pol\nreplications = 2\n[devices]\n"
               "count = 4\nmean_time = 10ms\ndistribution = lognormal\ncv = 0.2\n"
               "[workload]\n[sweep]\npolicy = pull, static, weighted, eft, steal\n"
               "estimates = exact, online\nheterogeneity = 0, 0.5, 1\ntasks = 10, 100, 1000\n");
    write_file(path_in("bat.ini"), "[scenario]\nname = bat\nreplications = 2\n[devices]\n"
               "count = 2\nmean_time = 10ms\nbatch_overhead = 0.5\n[workload]\n"
               "kind = poisson\ntasks = 2000\n[sweep]\npull_batch = 1, 2, 8\n"
               "max_delay = 5ms, inf\nrate = 150, 250\n");
    assert_int_equal(prog("simulate", "pol.ini --db p.db --quiet", NULL, NULL), 0);
    assert_int_equal(prog("simulate", "bat.ini --db p.db --quiet", NULL, NULL), 0);
    static const char *const which[2][3] = {{"pol", "11_policies", "12_batching"},
                                            {"bat", "12_batching", "11_policies"}};
    for (int k = 0; k < 2; k++) {
        char args[128], name[64], skipped[160];
        snprintf(args, sizeof args, "--db p.db --scenario %s --out %s", which[k][0], which[k][0]);
        assert_int_equal(prog("plot", args, &out, &err), 0);
        snprintf(name, sizeof name, "%s/%s.png", which[k][0], which[k][1]);
        assert_non_null(strstr(out, name));
        snprintf(skipped, sizeof skipped, "plot: figure %d (%s) not drawn: %s", k ? 11 : 12,
                 which[k][2], k ? "the chosen point's slice has a single policy"
                                : "the scenario does not sweep pull_batch");
        assert_non_null(strstr(err, skipped));
        assert_null(strstr(err, "gnuplot says"));
        free(out);
        free(err);
        unsigned char *png = (unsigned char *)read_file(path_in(name));
        assert_non_null(png);
        assert_int_equal(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
        long w = (long)png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
        long h = (long)png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23];
        assert_true(w >= 1000 && w <= 3000 && h >= 700 && h <= 2000);
        assert_true(file_size(path_in(name)) > 30000);
        free(png);
        snprintf(name, sizeof name, "%s/index.html", which[k][0]);
        char *html = read_file(path_in(name));
        snprintf(name, sizeof name, "<img src=\"%s.png\"", which[k][1]);
        assert_non_null(strstr(html, name));
        free(html);
    }
    /* small_plot: neither applies */
    assert_int_equal(prog("plot", "--db r.db --out small", NULL, &err), 0);
    assert_non_null(strstr(err, "figure 11 (11_policies) not drawn: the chosen point's slice "
                                "has a single number of tasks m"));
    assert_non_null(strstr(err, "figure 12 (12_batching) not drawn: the scenario does not sweep "
                                "pull_batch"));
    free(err);
}

static void errors_exit_2(void **state)
{
    (void)state;
    char *err;
    /* Checked before anything else: no gnuplot on $PATH. */
    assert_int_equal(prog_env("PATH=/nonexistent", "plot", "--db r.db", NULL, &err), 2);
    assert_string_equal(err, "plot: gnuplot not found: install gnuplot-nox\n");
    free(err);
    if (!gnuplot_installed())
        return; /* the rest get past that check only with gnuplot */

    assert_int_equal(prog("plot", "--db r.db --scenario nope", NULL, &err), 2);
    assert_string_equal(err, "plot: r.db: no scenario named 'nope'; it holds: small_plot\n");
    free(err);
    assert_int_equal(prog("plot", "--db missing.db", NULL, &err), 2);
    assert_string_equal(err, "plot: missing.db: no such database (bin/simulate writes one)\n");
    free(err);
    assert_int_equal(access(path_in("missing.db"), F_OK), -1);

    /* A scenario whose every point is impossible: stored, but no runs. */
    write_file(path_in("empty.ini"), "[scenario]\nname = empty\n[devices]\ncount = 2\n"
                                     "mean_time = 1\nheterogeneity = 1\n[workload]\ntasks = 5\n");
    assert_int_equal(prog("simulate", "empty.ini --db e.db --quiet", NULL, NULL), 0);
    assert_int_equal(prog("plot", "--db e.db", NULL, &err), 2);
    assert_non_null(strstr(err, "plot: e.db: scenario 'empty' has no stored runs"));
    free(err);

    /* Point 1 is n = 2, h = 1: infeasible. */
    assert_int_equal(prog("plot", "--db r.db --point 1", NULL, &err), 2);
    assert_non_null(strstr(err, "no stored runs: heterogeneity 1 is impossible with 2 devices"));
    free(err);
    assert_int_equal(prog("plot", "--db r.db --point 24", NULL, &err), 2);
    assert_non_null(strstr(err, "has points 0 to 23"));
    free(err);

    /* An output folder that cannot be made, or written. */
    write_file(path_in("file.txt"), "a file, not a folder\n");
    assert_int_equal(prog("plot", "--db r.db --out file.txt/figs", NULL, &err), 2);
    assert_string_equal(err, "plot: file.txt/figs: cannot create the folder: Not a directory\n");
    free(err);
    assert_int_equal(prog("plot", "--db r.db --out file.txt", NULL, &err), 2);
    assert_string_equal(err, "plot: file.txt: not a folder\n");
    free(err);
    if (geteuid() != 0) { /* root writes anywhere */
        mkdir(path_in("ro"), 0555);
        assert_int_equal(prog("plot", "--db r.db --out ro", NULL, &err), 2);
        assert_non_null(strstr(err, "plot: ro: cannot write: Permission denied"));
        free(err);
    }

    /* gnuplot's own error: its words reach the user, no file is left. */
    mkdir(path_in("fakebin"), 0755);
    write_file(path_in("fakebin/gnuplot"), "#!/bin/sh\n/bin/cat >/dev/null\n"
                                           "echo 'line 3: unknown or ambiguous terminal type' >&2\n"
                                           "exit 1\n");
    chmod(path_in("fakebin/gnuplot"), 0755);
    char env[800];
    snprintf(env, sizeof env, "PATH='%s'", path_in("fakebin"));
    assert_int_equal(prog_env(env, "plot", "--db r.db --out bad", NULL, &err), 2);
    assert_string_equal(err, "plot: figure 1 (1_throughput): gnuplot failed (exit 1):\n"
                             "line 3: unknown or ambiguous terminal type\n");
    free(err);
    assert_int_equal(entries(path_in("bad"), 0), 0);

    /* Usage. */
    assert_int_equal(prog("plot", "--db r.db --format bmp", NULL, &err), 2);
    assert_string_equal(err, "plot: --format: expected png, svg or pdf\n");
    free(err);
    assert_int_equal(prog("plot", "--point two", NULL, &err), 2);
    assert_non_null(strstr(err, "--point"));
    free(err);
    assert_int_equal(prog("plot", "extra", NULL, NULL), 2);
    assert_int_equal(prog("plot", "--frobnicate", NULL, NULL), 2);
}

static void help_and_version(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(prog("plot", "--help", &out, NULL), 0);
    assert_int_equal(strncmp(out, "Usage: plot [OPTION]...\n", 24), 0);
    /* every figure the library draws, by the library's own names */
    for (int fig = 0; fig < ADI_FIG_COUNT; fig++)
        if (!strstr(out, adi_plot_figure_stem(fig)))
            fail_msg("plot --help does not list figure %s", adi_plot_figure_stem(fig));
    free(out);
    assert_int_equal(prog("plot", "--version", &out, NULL), 0);
    assert_non_null(strstr(out, "plot (adisim) "));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(draws_png_svg_pdf, setup, teardown),
        cmocka_unit_test_setup_teardown(draws_the_policy_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_exit_2, setup, teardown),
        cmocka_unit_test_setup_teardown(help_and_version, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
