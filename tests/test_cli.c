/*
** tests/test_cli.c — end to end: the programs as a user runs them, their
** output, exit codes (0 ok, 1 a check failed, 2 bad input) and what they
** leave in the database.
*/
#include "helpers.h"
#include "policy/policy.h"

#include <sqlite3.h>

/* Runs "<bin>/<program> <args>" from the temporary directory. */
static int prog(const char *program, const char *args, char **out, char **err)
{
    return run_program_in(temp_dir(), NULL, program, args, out, err);
}

static const char *small =
    "; a small version of the ablation\n"
    "[scenario]\nname = small\nreplications = 3\nseed = 7\n"
    "[devices]\nmean_time = 20ms\ndistribution = lognormal\ncv = 0.2\n"
    "[workload]\ntasks = 2000\n"
    "[sweep]\npolicy = pull, sync, serial\ndevices = 2, 4\nqueue_capacity = inf, 50\n"
    "heterogeneity = 0, 0.5, 1.0\n";

static void simulate_stores_and_skips(void **state)
{
    (void)state;
    write_file(path_in("small.ini"), small);
    char *out, *err;
    assert_int_equal(prog("simulate", "small.ini --jobs 2 --csv small.csv", &out, &err), 0);
    /* Header plus one row per point (36), the infeasible ones included. */
    size_t lines = 0;
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + 36);
    assert_non_null(strstr(out, "throughput/s (95% CI)"));
    assert_non_null(strstr(out, "skipped: heterogeneity 1 is impossible with 2 devices"));
    assert_null(strstr(out, "FAIL"));
    assert_non_null(strstr(err, "36 points (6 infeasible, 0 already stored), ran 30 points / 90 runs"));
    assert_int_equal(db_count("results.db", "SELECT count(*) FROM run"), 90);
    assert_int_equal(db_count("results.db", "SELECT count(*) FROM bound_check WHERE holds = 0"), 0);
    /* The scenario's file is recorded with its absolute path, so its stored
    ** text (and the profiles it names) can be read again from anywhere. */
    assert_int_equal(db_count("results.db", "SELECT substr(path, 1, 1) = '/' FROM scenario"), 1);
    char *csv = read_file(path_in("small.csv"));
    assert_non_null(csv);
    assert_int_equal(strncmp(csv, "point,policy,workload,n_devices,", 32), 0);
    assert_non_null(strstr(csv, ",infeasible\n"));
    free(csv);

    /* A rerun runs nothing and prints the same table. */
    char *out2, *err2;
    assert_int_equal(prog("simulate", "small.ini", &out2, &err2), 0);
    assert_string_equal(out, out2);
    assert_non_null(strstr(err2, "30 already stored), ran 0 points / 0 runs"));
    assert_int_equal(db_count("results.db", "SELECT count(*) FROM run"), 90);
    free(out);
    free(err);
    free(out2);
    free(err2);

    /* Adding a sweep value runs only the new points; the scenario's new
    ** text is a new scenario row that includes the old points too. */
    char bigger[1024];
    snprintf(bigger, sizeof bigger, "%s", small);
    *strstr(bigger, "devices = 2, 4") = '\0';
    strcat(bigger, "devices = 2, 4, 8\nqueue_capacity = inf, 50\nheterogeneity = 0, 0.5, 1.0\n");
    write_file(path_in("small.ini"), bigger);
    assert_int_equal(prog("simulate", "small.ini", NULL, &err), 0);
    assert_non_null(strstr(err, "ran 18 points / 54 runs"));
    assert_int_equal(db_count("results.db", "SELECT count(*) FROM scenario"), 2);
    assert_int_equal(db_count("results.db", "SELECT count(*) FROM scenario_point WHERE scenario_id = 2"), 48);
    free(err);
}

/* The network's swept parameters are columns of the table and of the CSV
** (without them the rows of a prefetch or link sweep would look alike). */
static void network_columns(void **state)
{
    (void)state;
    write_file(path_in("net.ini"),
               "[scenario]\nname = net\n[devices]\ntimes = 1ms, 2ms\n[workload]\ntasks = 50\n"
               "[network]\nlinks = 100Mbit/s 1ms\ninput_size = 100kB\noutput_size = 1kB\n"
               "[sweep]\nprefetch = 0, 2\nlink_scale = 1, 4\n");
    char *out, *err;
    assert_int_equal(prog("simulate", "net.ini --csv net.csv", &out, &err), 0);
    const char *header = "policy      n       Q     h   k   links  throughput";
    assert_int_equal(strncmp(out, header, strlen(header)), 0);
    assert_non_null(strstr(out, "0.33   2      4x  "));
    char *csv = read_file(path_in("net.csv"));
    assert_non_null(strstr(csv, ",status,prefetch,coordinator_bytes_per_s,input_bytes,"
                                "output_bytes,link_scale\n"));
    assert_non_null(strstr(csv, ",ok,2,inf,100000,1000,4\n"));
    free(csv);
    free(out);
    free(err);
}

static void jobs_do_not_change_results(void **state)
{
    (void)state;
    write_file(path_in("small.ini"), small);
    assert_int_equal(prog("simulate", "small.ini --jobs 1 --db one.db --quiet", NULL, NULL), 0);
    assert_int_equal(prog("simulate", "small.ini --jobs 5 --db five.db --quiet", NULL, NULL), 0);
    char *a = db_dump(path_in("one.db")), *b = db_dump(path_in("five.db"));
    assert_true(strlen(a) > 10000);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void shards_merge_into_the_same_database(void **state)
{
    (void)state;
    write_file(path_in("small.ini"), small);
    assert_int_equal(prog("simulate", "small.ini --db one.db --quiet", NULL, NULL), 0);
    char *err;
    for (int i = 1; i <= 3; i++) {
        char args[128];
        snprintf(args, sizeof args, "small.ini --shard %d/3 --db s%d.db --jobs 1", i, i);
        assert_int_equal(prog("simulate", args, NULL, &err), 0);
        assert_non_null(strstr(err, "(one shard)"));
        free(err);
    }
    /* Shards in any order give the single run's database, row for row. */
    char *out;
    assert_int_equal(prog("simulate", "--merge s3.db s1.db s2.db --db merged.db", &out, &err), 0);
    assert_non_null(strstr(err, "merged 3 databases into merged.db: 30 new points"));
    assert_non_null(strstr(out, "throughput/s (95% CI)"));
    char *a = db_dump(path_in("one.db")), *b = db_dump(path_in("merged.db"));
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(out);
    free(err);
    /* Merging again adds nothing. */
    assert_int_equal(prog("simulate", "--merge s1.db --db merged.db --quiet", NULL, NULL), 0);
    assert_int_equal(db_count("merged.db", "SELECT count(*) FROM point"), 30);
    /* Bad shards and bad merges. */
    assert_int_equal(prog("simulate", "small.ini --shard 0/3", NULL, &err), 2);
    assert_non_null(strstr(err, "--shard: expected I/K with 1 <= I <= K, got '0/3'"));
    free(err);
    assert_int_equal(prog("simulate", "small.ini --shard 4/3", NULL, NULL), 2);
    write_file(path_in("text.db"), "not a database at all, but a text file of some length.......\n");
    assert_int_equal(prog("simulate", "--merge text.db --db m2.db", NULL, &err), 2);
    assert_non_null(strstr(err, "text.db"));
    free(err);
    assert_int_equal(prog("simulate", "--merge small.ini s1.db", NULL, NULL), 2);

    /* A calibrated scenario's profile is stored with it and merged with it,
    ** and the merged table is read back from it, not from the file, which
    ** may have been recalibrated since (it used to say "no stored runs"). */
    char *mac = read_file("profiles/mac_studio.ini");
    assert_non_null(mac);
    write_file(path_in("p.ini"), mac);
    write_file(path_in("cal.ini"), "[scenario]\nname = cal\n[devices]\nprofiles = p.ini x2\n"
                                   "kernel = x2\ndistribution = empirical\n[workload]\n"
                                   "tasks = 100\n[sweep]\npolicy = pull, serial, sync\n");
    assert_int_equal(prog("simulate", "cal.ini --db c.db --quiet", NULL, NULL), 0);
    assert_int_equal(prog("simulate", "cal.ini --shard 1/2 --db c1.db --quiet", NULL, NULL), 0);
    assert_int_equal(prog("simulate", "cal.ini --shard 2/2 --db c2.db --quiet", NULL, NULL), 0);
    size_t len = strlen(mac);
    char *recalibrated = malloc(len + 32);
    snprintf(recalibrated, len + 32, "%s; recalibrated\n", mac);
    write_file(path_in("p.ini"), recalibrated);
    assert_int_equal(prog("simulate", "--merge c2.db c1.db --db cm.db", &out, &err), 0);
    assert_non_null(strstr(err, "3 new points; 8 checks, 0 failed"));
    assert_null(strstr(out, "no stored runs"));
    assert_int_equal(db_count("cm.db", "SELECT count(*) FROM scenario_profile"), 1);
    a = db_dump(path_in("c.db"));
    b = db_dump(path_in("cm.db"));
    assert_non_null(strstr(a, "p.ini|"));
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(out);
    free(err);
    free(recalibrated);
    free(mac);
}

static void bad_input_writes_nothing(void **state)
{
    (void)state;
    write_file(path_in("bad.ini"), "[scenario]\nname = bad\n[devices]\ncount = 4\n"
                                   "mean_time = fast\n[workload]\ntasks = 10\n");
    char *err;
    assert_int_equal(prog("simulate", "bad.ini --db bad.db", NULL, &err), 2);
    assert_string_equal(err, "simulate: bad.ini:5: [devices] mean_time: expected a time such "
                             "as 50ms, 1.2s or 0.5, got 'fast'\n");
    assert_int_equal(access(path_in("bad.db"), F_OK), -1);
    free(err);

    assert_int_equal(prog("simulate", "missing.ini", NULL, &err), 2);
    assert_non_null(strstr(err, "simulate: missing.ini: cannot read"));
    free(err);

    write_file(path_in("ok.ini"), "[scenario]\nname = ok\n[devices]\ncount = 2\nmean_time = 1\n"
                                  "[workload]\ntasks = 10\n");
    assert_int_equal(prog("simulate", "ok.ini --db /nonexistent/dir/r.db", NULL, &err), 2);
    assert_non_null(strstr(err, "simulate: /nonexistent/dir/r.db: cannot open the database"));
    free(err);
    write_file(path_in("text.db"), "not a database at all, but a text file of some length.......\n");
    assert_int_equal(prog("simulate", "ok.ini --db text.db", NULL, &err), 2);
    assert_non_null(strstr(err, "text.db"));
    free(err);

    assert_int_equal(prog("simulate", "ok.ini --jobs 0", NULL, &err), 2);
    assert_non_null(strstr(err, "--jobs"));
    free(err);
    assert_int_equal(prog("simulate", "--frobnicate ok.ini", NULL, NULL), 2);
    assert_int_equal(prog("simulate", "", NULL, NULL), 2);
    assert_int_equal(prog("simulate", "a.ini b.ini", NULL, NULL), 2);
}

/* The exit status 1 path: a stored check that does not hold is reported and
** fails the run. (Real runs never fail a bound; we edit the database.) */
static void violated_check_exits_1(void **state)
{
    (void)state;
    write_file(path_in("ok.ini"), "[scenario]\nname = ok\n[devices]\ntimes = 1, 3\n"
                                  "[workload]\ntasks = 10\n");
    assert_int_equal(prog("simulate", "ok.ini --db v.db", NULL, NULL), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_in("v.db"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE bound_check SET holds = 0, observed = 99"
                                      " WHERE bound = 'makespan_le_greedy'", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    char *out, *err;
    assert_int_equal(prog("simulate", "ok.ini --db v.db", &out, &err), 1);
    assert_non_null(strstr(out, "FAIL 1/"));
    assert_non_null(strstr(err, "check failed: point 0"));
    assert_non_null(strstr(err, "makespan_le_greedy: predicted 10.5, observed 99"));
    free(out);
    free(err);
}

static void model_cli(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(prog("model", "--times 1.2,1.5,1.1,2.0,1.8,1.3,1.7,1.4 --tasks 1000", &out, &err), 0);
    /* R = sum 1/T_i = 5.5364; C* = 181.5 s (brute force in test_bounds). */
    assert_non_null(strstr(out, "throughput bound R = sum 1/T_i               5.5364 tasks/s"));
    assert_non_null(strstr(out, "makespan lower bound m/R                     180.6 s"));
    assert_non_null(strstr(out, "greedy upper bound m/R + max T_i             182.6 s"));
    assert_non_null(strstr(out, "optimal makespan C* for identical tasks      181.5 s"));
    assert_non_null(strstr(out, "paper's ceil(m/n) max T_i                    250 s"));
    assert_non_null(strstr(out, "serial on the fastest device (1.1 s)         1100 s"));
    assert_non_null(strstr(out, "serial on the slowest device (2 s)           2000 s"));
    assert_non_null(strstr(out, "6.061x at best"));
    assert_non_null(strstr(out, "task-weighted mean service time n/R          1.445 s"));
    assert_non_null(strstr(out, "paper's E[L] = mean T_i                      1.5 s"));
    free(out);
    free(err);
    write_file(path_in("small.ini"), small);
    assert_int_equal(prog("model", "small.ini", &out, NULL), 0);
    assert_non_null(strstr(out, "scenario small: 36 points"));
    assert_non_null(strstr(out, "infeasible"));
    free(out);
    /* with [network]: the network's table for each distinct star and prefetch */
    write_file(path_in("net.ini"), "[scenario]\nname = net\n[devices]\ntimes = 1s, 2s\n"
               "[workload]\ntasks = 10\n[network]\nlinks = 800bit/s 0.5s\n"
               "input_size = 100B\noutput_size = 50B\n[sweep]\nprefetch = 0, 1\n");
    assert_int_equal(prog("model", "net.ini", &out, NULL), 0);
    assert_non_null(strstr(out, "network: 2 devices, coordinator inf, 100 B in, 50 B out per "
                                "task, prefetch k = 0, m = 10 tasks"));
    assert_non_null(strstr(out, "prefetch k = 1, m = 10 tasks"));
    assert_non_null(strstr(out, "pool throughput R_net at k = 1"));
    /* and the per-point table shows k and the network's bounds: by hand, a
    ** device's cycle at k = 0 is its request (0.5 s), its input (0.5 s + 100 B
    ** at 100 B/s) and its task, 3 s and 4 s: R_net = 1/3 + 1/4 = 7/12 per s,
    ** m/R_net = 17.14 s; the greedy bound 19 s is what pull makes (the 10th
    ** task is sent at 15.5 s: 1.5 s in, 1 s of compute, 1 s back) */
    assert_non_null(strstr(out, "   k         R/s"));
    assert_non_null(strstr(out, "R_net/s  net bounds\n"));
    assert_non_null(strstr(out, "   0.583333  17.14 s .. 19 s\n"));
    free(out);
    /* with batches of 2 (T_i(2) = 1.5 T_i): the network's section adds the
    ** bounds the runs are checked against. By hand, a batch of k's cycle at
    ** prefetch 0 is its request, k inputs and T_i(k): 1 + 2 + 1.5 = 4.5 s and
    ** 1 + 2 + 3 = 6 s for k = 2, better than 3 s and 4 s for one task, so
    ** R_b,net = 2/4.5 + 2/6 = 7/9 per s and m / R_b,net = 12.86 s. */
    write_file(path_in("netb.ini"), "[scenario]\nname = netb\npull_batch = 2\n"
               "[devices]\ntimes = 1s, 2s\nbatch_overhead = 0.5\n[workload]\ntasks = 10\n"
               "[network]\nlinks = 800bit/s 0.5s\ninput_size = 100B\noutput_size = 50B\n");
    assert_int_equal(prog("model", "netb.ini", &out, NULL), 0);
    assert_non_null(strstr(out, "with pull_batch = 2 (the table is for one task a message"));
    assert_non_null(strstr(out, "pool throughput R_b,net              0.777778 tasks/s"));
    assert_non_null(strstr(out, "makespan lower bound                 12.86 s   (max(m / R_b,net"));
    free(out);
    /* the policy the model expects to be best, once per pool and workload
    ** whatever the point's policy:
    ** - T = (1 s, 3 s), m = 4, deterministic: C* = 3 s (floor(3/1) +
    **   floor(3/3) = 4), which eft reaches (h: std 1 s over mean 2 s);
    ** - exponential times: pull, within max T_i = 3 s of m/R = 4 / (4/3 per s);
    ** - Poisson at 1/s on exponential devices of 1 s and 2 s: the
    **   heterogeneous M/M/2 solved by hand (balance over empty, fast, slow,
    **   n >= 2 with rho = 2/3): the fastest idle first gives P(n = 2) = 3/17,
    **   L = 13.5 P(n = 2), W = 40.5/17 = 2.382 s; a random one P(n = 2) =
    **   2/11, W = 27/11 = 2.455 s. */
    static const struct {
        const char *devices, *workload, *policies, *line;
    } best[] = {
        {"times = 1s, 3s\n", "tasks = 4\n", "pull, static, eft",
         "\nn 2, h 0.50, T 2 s, m 4: eft (3 s): deterministic times: eft reaches C* = 3 s "
         "exactly"},
        {"times = 1s, 3s\ndistribution = exponential\n", "tasks = 4\n", "pull, eft",
         "\nn 2, h 0.50, T 2 s, m 4: pull (6 s): random times (cv 1)"},
        {"times = 1s, 2s\ndistribution = exponential\n", "kind = poisson\nrate = 1\ntasks = 1000\n",
         "pull, jsq",
         "\nn 2, h 0.33, T 1.5 s, lambda 1/s: pull (W = 2.382 s): two exponential devices, the "
         "exact heterogeneous M/M/2: W = 2.382 s with the fastest idle device first, 2.455 s "
         "with a random one (pull with idle_choice = fastest)"},
    };
    for (size_t i = 0; i < sizeof best / sizeof best[0]; i++) {
        char ini[512];
        snprintf(ini, sizeof ini, "[scenario]\nname = best\n[devices]\n%s[workload]\n%s"
                 "[sweep]\npolicy = %s\n", best[i].devices, best[i].workload, best[i].policies);
        write_file(path_in("best.ini"), ini);
        assert_int_equal(prog("model", "best.ini", &out, NULL), 0);
        char *at = strstr(out, best[i].line);
        if (!at || strstr(at + 1, best[i].line))
            fail_msg("bin/model %s: expected once\n%s\nin\n%s", best[i].policies, best[i].line,
                     out);
        free(out);
    }
    assert_int_equal(prog("model", "--times 1,0 --tasks 5", NULL, &err), 2);
    assert_non_null(strstr(err, "model: --times: expected a time > 0, got '0'"));
    free(err);
    assert_int_equal(prog("model", "--times 1,2", NULL, &err), 2);
    free(err);
    assert_int_equal(prog("model", "--times 1,2 --tasks many", NULL, &err), 2);
    assert_non_null(strstr(err, "--tasks"));
    free(err);
}

/* Every program: --help begins "Usage: NAME " (help2man's SYNOPSIS) and
** ends with the exit statuses, 0 and 2 always and 1 only where a check can
** fail; a short option is one of the uniform ones, with its one meaning;
** --version names adisim; a bad option prints the usage and exits 2. */
static void help_and_version(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int exits_1;
    } programs[] = {{"simulate", 1}, {"model", 0},   {"capacity", 0},
                    {"calibrate", 0}, {"plot", 0},   {"execute", 0}};
    static const char *const uniform[] = {"-d, --db ", "-j, --jobs ", "-q, --quiet\n",
                                          "-q, --quiet ", "-o, --out ", "-h, --help ",
                                          "-V, --version "};
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        const char *name = programs[i].name;
        char *out, *err, want[64];
        assert_int_equal(prog(name, "--help", &out, NULL), 0);
        snprintf(want, sizeof want, "Usage: %s ", name);
        if (strncmp(out, want, strlen(want)) != 0)
            fail_msg("%s --help does not begin with \"%s\"", name, want);
        const char *exits = strstr(out, "\nExit status:\n  0  ");
        if (!exits || !strstr(exits, "\n  2  ") || !strstr(exits, "\n  1  ") != !programs[i].exits_1)
            fail_msg("%s --help: no exit statuses 0%s and 2 at its end", name,
                     programs[i].exits_1 ? ", 1" : "");
        assert_null(strstr(exits + 1, "\n\n")); /* the last section */
        for (const char *line = out; (line = strstr(line, "\n  -")) != NULL; line++) {
            if (line[4] == '-')
                continue; /* a long option only */
            int known = 0;
            for (size_t u = 0; u < sizeof uniform / sizeof uniform[0]; u++)
                known |= strncmp(line + 3, uniform[u], strlen(uniform[u])) == 0;
            if (!known)
                fail_msg("%s --help: a short option that is not one of the uniform ones: %.30s",
                         name, line + 1);
        }
        assert_non_null(strstr(out, "  -h, --help "));
        free(out);
        assert_int_equal(prog(name, "--version", &out, NULL), 0);
        snprintf(want, sizeof want, "%s (adisim) ", name);
        assert_int_equal(strncmp(out, want, strlen(want)), 0);
        free(out);
        assert_int_equal(prog(name, "-V", &out, NULL), 0);
        assert_int_equal(strncmp(out, want, strlen(want)), 0);
        free(out);
        assert_int_equal(prog(name, "--frobnicate", NULL, &err), 2);
        snprintf(want, sizeof want, "Usage: %s ", name);
        assert_non_null(strstr(err, want));
        free(err);
    }
    char *out;
    assert_int_equal(prog("simulate", "--list-keys", &out, NULL), 0);
    assert_non_null(strstr(out, "| workload | `tasks` | `tasks` |"));
    assert_non_null(strstr(out, "| queue | `capacity` | `queue_capacity` | inf |"));
    /* the policy key's help comes from the policy table */
    assert_non_null(strstr(out, "| scenario | `policy` | `policy` | pull | pull (shared FIFO"));
    free(out);
    /* one line per entry of the policy table, each starting with its name */
    assert_int_equal(prog("simulate", "--list-policies", &out, NULL), 0);
    const char *line = out;
    for (size_t i = 0; i < adi_policy_count(); i++, line = strchr(line, '\n') + 1) {
        const adi_policy_desc *p = adi_policy_at(i);
        size_t len = strlen(p->name);
        if (strncmp(line, p->name, len) != 0 || line[len] != ' ' || !strchr(line, '\n'))
            fail_msg("line %zu of --list-policies does not start with %s: %s", i, p->name, line);
        assert_non_null(strstr(line, p->help));
        assert_non_null(strstr(line, p->net.rule));
    }
    assert_string_equal(line, "");
    assert_non_null(strstr(out, "serial   pull on one device. Devices: one (serial_device). "
                                "Workloads: batch, poisson. Over a network: pull on its one "
                                "device and that device's link.\n"));
    free(out);
}

/* The uniform short options work: -d, -j and -q in simulate, the letters
** that meant other options before (-s, -c, -m) do not. */
static void short_options(void **state)
{
    (void)state;
    write_file(path_in("small.ini"), small);
    char *out, *err;
    assert_int_equal(prog("simulate", "small.ini -d short.db -j 2 -q", &out, &err), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "");
    free(out);
    free(err);
    assert_int_equal(db_count("short.db", "SELECT count(*) FROM run"), 90);
    assert_false(exists("results.db"));
    assert_int_equal(prog("simulate", "small.ini -j 0", NULL, &err), 2);
    assert_non_null(strstr(err, "simulate: --jobs: expected a whole number from 1 to 4096, got '0'"));
    free(err);
    static const char *const gone[] = {"small.ini -s 1/2", "small.ini -c t.csv", "-m a.db"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(prog("simulate", gone[i], NULL, &err), 2);
        assert_non_null(strstr(err, "Usage: simulate"));
        free(err);
    }
    assert_int_equal(prog("capacity", "small.ini --latency p99=1s -j x", NULL, &err), 2);
    assert_non_null(strstr(err, "capacity: --jobs: expected a whole number from 1 to 4096"));
    free(err);
}

static void capacity_cli(void **state)
{
    (void)state;
    write_file(path_in("srv.ini"), "[scenario]\nname = srv\nreplications = 4\n[devices]\n"
                                   "count = 2\nmean_time = 10ms\ndistribution = exponential\n"
                                   "[workload]\nkind = poisson\ntasks = 20000\n"
                                   "[sweep]\nrate = 50, 100\n");
    char *out, *err;
    assert_int_equal(prog("capacity", "srv.ini --latency p90=50ms --precision 0.02", &out, &err), 0);
    assert_non_null(strstr(out, "largest arrival rate with p90 of the response time <= 50 ms"));
    assert_non_null(strstr(out, "(M/M/c)"));
    /* Two rates, one pool: one row. */
    assert_null(strstr(strstr(out, "(M/M/c)") + 1, "(M/M/c)"));
    free(out);
    free(err);
    assert_int_equal(prog("capacity", "srv.ini --latency fast", NULL, &err), 2);
    assert_non_null(strstr(err, "capacity: expected a latency bound such as p99=100ms"));
    free(err);
    assert_int_equal(prog("capacity", "srv.ini", NULL, NULL), 2);
    assert_int_equal(prog("capacity", "srv.ini --latency p99=1s --confidence 2", NULL, &err), 2);
    assert_non_null(strstr(err, "--confidence"));
    free(err);
}

/* README's key table is the one the program prints (one source of truth). */
static void readme_documents_every_key(void **state)
{
    (void)state;
    char *keys, *readme = read_file("README.md");
    assert_non_null(readme);
    assert_int_equal(prog("simulate", "--list-keys", &keys, NULL), 0);
    char *begin = strstr(readme, "<!-- keys:begin -->\n"), *end = strstr(readme, "<!-- keys:end -->");
    assert_non_null(begin);
    assert_non_null(end);
    begin += strlen("<!-- keys:begin -->\n");
    *end = '\0';
    if (strcmp(begin, keys) != 0)
        fail_msg("README's key table is out of date; paste `bin/simulate --list-keys` between the markers");
    free(keys);
    free(readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(network_columns, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(simulate_stores_and_skips, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(jobs_do_not_change_results, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(shards_merge_into_the_same_database, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(bad_input_writes_nothing, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(violated_check_exits_1, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(model_cli, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(help_and_version, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(short_options, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(capacity_cli, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(readme_documents_every_key, temp_dir_setup, temp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
