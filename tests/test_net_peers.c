/*
** tests/test_net_peers.c — the network's reference (bench/peers/net_ref.c,
** pull with prefetch over a star on sim/flow.h) on hand-computed stars, and
** against SimGrid's flow model of the same stars (simgrid_net_peer.cpp):
** every completion time within 1e-9 relative (net_compare --test: 37
** stars, see net_compare.c for the set).
**
** The programs come from $ADISIM_NET_PEERS (the Makefile builds them). The
** SimGrid comparison skips, saying why, where SimGrid is not installed
** (tools/install-bench-deps.sh installs it; `make bench-peers` runs it).
*/
#include "helpers.h"

static const char *peers(void)
{
    const char *d = getenv("ADISIM_NET_PEERS");
    return d && *d ? d : "build/bench";
}

/* Runs net_ref on `job`; returns its exit status, with its output. */
static int run_reference(const char *job, char **out, char **err)
{
    char path[600], cmd[1400];
    char *dir = make_temp_dir();
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/job", dir);
    write_file(path, job);
    snprintf(cmd, sizeof cmd, "'%s/net_ref' < '%s'", peers(), path);
    int rc = run_command(cmd, out, err);
    remove_tree(dir);
    return rc;
}

/* Runs net_ref on `job` and checks that it prints `want`. */
static void reference_prints(const char *job, const char *want)
{
    char *out = NULL, *err = NULL;
    int rc = run_reference(job, &out, &err);
    if (rc != 0)
        print_error("net_ref: exit %d: %s\n", rc, err ? err : "");
    assert_int_equal(rc, 0);
    assert_string_equal(out, want);
    free(out);
    free(err);
}

/* One device, T = 1 s, 100 B/s each way, L = 0.5 s, 100 B in, 50 B out.
** k = 0: request in at 0.5; input latency to 1.0, 100 B at 100 B/s: in at
** 2.0; computed 3.0; output latency to 3.5, 50 B: done 4.0. The request
** sent at 3.0 is in at 3.5: input bytes 4.0 -> 5.0 (the link's other
** direction is the output's), computed 6.0, done 7.0.
** k = 1: both requests in at 0.5, both inputs move from 1.0 sharing the
** down direction at 50 B/s: in at 3.0; computed 4.0 and 5.0; outputs
** 4.5 -> 5.0 and 5.5 -> 6.0. */
static void one_device_by_hand(void **state)
{
    (void)state;
    reference_prints("# by hand\nstar 1 0 inf\ndev 1 100 0.5 -1\npull 2 0 100 50\n",
                     "done 0 4\ndone 0 7\n");
    reference_prints("star 1 0 inf\ndev 1 100 0.5 -1\npull 2 1 100 50\n", "done 0 5\ndone 0 6\n");
}

/* Two devices share a 100 B/s coordinator link (devices 100 B/s, L = 0),
** 0-byte outputs, k = 0, one task each. Both inputs (100 B) move from 0
** at 50 B/s: in at 2.0; device 0 computes 1 s (done 3.0), device 1 3 s
** (done 5.0). With a segment of 40 B/s in front of both: 20 B/s each, in
** at 5.0, done at 6.0 and 8.0. */
static void coordinator_and_segment_by_hand(void **state)
{
    (void)state;
    reference_prints("star 2 0 100\ndev 1 100 0 -1\ndev 3 100 0 -1\npull 2 0 100 0\n",
                     "done 0 3\ndone 1 5\n");
    reference_prints("star 2 1 100\nseg 40\ndev 1 100 0 0\ndev 3 100 0 0\npull 2 0 100 0\n",
                     "done 0 6\ndone 1 8\n");
}

static void bad_job_file(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    assert_int_equal(run_reference("star 1 0 inf\ndev 1 -5 0.5 -1\npull 2 0 100 50\n", &out, &err), 2);
    assert_non_null(strstr(err, "dev T BW LATENCY SEG"));
    free(out);
    free(err);
    assert_int_equal(run_reference("star 1 0 inf\ndev 1 5 0.5 -1\npull 2 0 100.5 50\n", &out, &err), 2);
    assert_non_null(strstr(err, "whole bytes"));
    free(out);
    free(err);
}

static void against_simgrid(void **state)
{
    (void)state;
    char sg[600], cmd[1400];
    snprintf(sg, sizeof sg, "%s/simgrid_net_peer", peers());
    if (access(sg, X_OK) != 0) {
        print_message("skipped: no %s (SimGrid is not installed: tools/install-bench-deps.sh "
                      "installs it, then `make test` builds the peer)\n", sg);
        skip();
        return;
    }
    snprintf(cmd, sizeof cmd, "'%s/net_compare' --bin '%s' --test", peers(), peers());
    char *out = NULL, *err = NULL;
    int rc = run_command(cmd, &out, &err);
    if (rc != 0)
        print_error("net_compare: exit %d\n%s%s\n", rc, out ? out : "", err ? err : "");
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "37 stars"));
    assert_non_null(strstr(out, "every completion time within 1e-9"));
    /* the comparison can tell: 1/L-weighted sharing is caught */
    assert_non_null(strstr(out, "as expected"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_device_by_hand),
        cmocka_unit_test(coordinator_and_segment_by_hand),
        cmocka_unit_test(bad_job_file),
        cmocka_unit_test(against_simgrid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
