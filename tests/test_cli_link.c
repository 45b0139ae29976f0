/*
** tests/test_cli_link.c — `calibrate --serve` and `calibrate --link` end to
** end: over loopback (the profile's [link] from the task's sizes, its row in
** the database, the server's account), their bad options (exit 2, nothing
** written), and over a veth pair between two network namespaces whose both
** directions a tbf qdisc shapes to 20 Mbit/s: the measured bandwidth each
** way must be within 3 % of what TCP can carry at that rate (the rate less
** the headers of each 1500-byte frame). The namespace test needs root and
** iproute2 and skips, saying why, without them; it removes its namespaces
** (named after this process) whatever happens. Addresses: 127.0.0.1, and
** 192.0.2.1/.2 (TEST-NET-1) inside the namespaces only.
*/
#include "helpers.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static int prog(const char *args, char **out, char **err)
{
    return run_program_in(temp_dir(), NULL, "calibrate", args, out, err);
}

/* The absolute path of bin/calibrate. */
static void calibrate_path(char *out, size_t size)
{
    char here[1024];
    const char *b = bin_dir();
    if (b[0] == '/')
        snprintf(out, size, "%s/calibrate", b);
    else
        snprintf(out, size, "%s/%s/calibrate", getcwd(here, sizeof here) ? here : ".", b);
}

/* The server a test started and has not seen exit (0: none): a test that
** fails midway leaves it to the teardown, which stops it. */
static pid_t server_pid;

/* Starts `[prefix] calibrate --serve --port bind` in the background, its
** stderr into serve.err; returns its pid and sets *port from its first line
** (within 10 s). */
static pid_t start_server(const char *prefix, const char *bind, int *port)
{
    char cal[1200], cmd[2000];
    calibrate_path(cal, sizeof cal);
    snprintf(cmd, sizeof cmd, "exec %s '%s' --serve --port %s 2>'%s'", prefix, cal, bind,
             path_in("serve.err"));
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    server_pid = pid;
    *port = -1;
    for (int i = 0; i < 1000 && *port < 0; i++) {
        char *text = read_file(path_in("serve.err"));
        const char *at = text ? strstr(text, "on port ") : NULL;
        if (at)
            *port = atoi(at + 8);
        free(text);
        if (*port < 0)
            pause_ms(10);
    }
    if (*port < 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        fail_msg("the server did not say its port within 10 s");
    }
    return pid;
}

/* The server's exit status, waiting at most 20 s (then it is stopped). */
static int stop_server(pid_t pid)
{
    int status;
    for (int i = 0; i < 2000; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            server_pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        pause_ms(10);
    }
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    server_pid = 0;
    return -1;
}

static int server_teardown(void **state)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        server_pid = 0;
    }
    return temp_dir_teardown(state);
}

static void over_loopback(void **state)
{
    (void)state;
    int port;
    pid_t pid = start_server("", "127.0.0.1:0", &port);
    char args[256], *err;
    snprintf(args, sizeof args, "--device d --kernel x2 --quick --link 127.0.0.1:%d --out d.ini "
             "--db d.db --quiet", port);
    int rc = prog(args, NULL, &err);
    if (rc != 0)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    free(err);
    assert_int_equal(stop_server(pid), 0);
    char *served = read_file(path_in("serve.err"));
    assert_non_null(strstr(served, "calibrate: served 127.0.0.1:"));
    assert_non_null(strstr(served, "55 round trips, 1966080 bytes down, 1966080 up"));
    free(served);
    adi_profile *pf;
    assert_int_equal(adi_profile_load(path_in("d.ini"), &pf), ADI_OK);
    const adi_link_profile *l;
    assert_int_equal(adi_profile_link(pf, &l), ADI_OK);
    assert_true(l->input_bytes == 393216 && l->output_bytes == 393216);
    assert_true(pf->kernel[ADI_KERNEL_X2]->input_bytes == 393216);
    assert_int_equal(l->latency.n, 50);
    assert_int_equal(l->down.n, 5);
    assert_true(l->down.mean > 0 && l->up.mean > 0);
    assert_int_equal(db_count("d.db", "SELECT count(*) FROM calibration_link WHERE device = 'd'"
                              " AND input_bytes = 393216 AND latency_samples = 50"), 1);
    assert_int_equal(db_count("d.db", "SELECT count(*) FROM calibration_link l JOIN calibration c"
                              " USING (profile_sha256)"), 1);
    adi_profile_free(pf);
}

static void bad_options_exit_2(void **state)
{
    (void)state;
    static const struct {
        const char *args, *message;
    } cases[] = {
        {"--serve --device d", "--serve answers other devices' --link: it takes only --port"},
        {"--serve --quick", "--serve answers other devices' --link"},
        {"--port 5577 --device d", "--port and --sessions go with --serve"},
        {"--serve --sessions 0", "--sessions: expected a whole number from 1"},
        {"--serve --port 127.0.0.1:70000", "--serve --port: expected HOST[:PORT]"},
        {"--device d --link h:99999 --out f.ini", "expected HOST[:PORT] with a port from 0"},
        {"--device d --import r.rec --link h", "--link measures this machine's link: not with "
                                                "--import"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err;
        int rc = prog(cases[i].args, NULL, &err);
        if (rc != 2 || !strstr(err, cases[i].message))
            fail_msg("calibrate %s: exit %d, \"%s\"; expected 2 and \"%s\"", cases[i].args, rc,
                     err, cases[i].message);
        free(err);
    }
    /* no server there: exit 2, and neither profile nor database written */
    char args[256], *err;
    snprintf(args, sizeof args, "--device d --kernel x2 --quick --link 127.0.0.1:1 --out f.ini "
             "--db f.db");
    assert_int_equal(prog(args, NULL, &err), 2);
    assert_non_null(strstr(err, "calibrate: --link 127.0.0.1:1: cannot connect"));
    free(err);
    assert_false(exists("f.ini"));
    assert_false(exists("f.db"));
}

/* ---- a shaped veth pair between two namespaces ----------------------------- */

static char ns_c[32], ns_d[32], veth_c[16], veth_d[16];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    cmd[0] = '{';
    cmd[1] = ' ';
    vsnprintf(cmd + 2, sizeof cmd - 8, fmt, ap);
    va_end(ap);
    strcat(cmd, "; }"); /* the whole of a && b, not b alone, into run_command's files */
    return run_command(cmd, NULL, NULL);
}

static void remove_namespaces(void)
{
    sh("ip netns del %s", ns_c);
    sh("ip netns del %s", ns_d);
    sh("ip link del %s", veth_c); /* if it never left this namespace */
}

static int namespaces_setup(void **state)
{
    int pid = (int)getpid();
    snprintf(ns_c, sizeof ns_c, "adisim-%d-coord", pid);
    snprintf(ns_d, sizeof ns_d, "adisim-%d-dev", pid);
    snprintf(veth_c, sizeof veth_c, "adi%dc", pid % 1000000);
    snprintf(veth_d, sizeof veth_d, "adi%dd", pid % 1000000);
    return temp_dir_setup(state);
}

static int namespaces_teardown(void **state)
{
    int rc = server_teardown(state);
    remove_namespaces();
    return rc;
}

#define RATE_BIT 20e6  /* the tbf rate, bit/s */
#define MTU 1500

static void over_shaped_namespaces(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        print_message("skipped: making network namespaces needs root\n");
        skip();
    }
    if (sh("command -v ip && command -v tc") != 0) {
        print_message("skipped: no ip or tc (Debian's iproute2: tools/install-deps.sh)\n");
        skip();
    }
    char *err = NULL;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ip netns add %s", ns_c);
    if (run_command(cmd, NULL, &err) != 0) {
        print_message("skipped: network namespaces are not available here: %s", err ? err : "");
        free(err);
        skip();
    }
    free(err);
    assert_int_equal(sh("ip netns add %s", ns_d), 0);
    assert_int_equal(sh("ip link add %s type veth peer name %s", veth_c, veth_d), 0);
    assert_int_equal(sh("ip link set %s netns %s && ip link set %s netns %s", veth_c, ns_c,
                        veth_d, ns_d), 0);
    const char *ns[2] = {ns_c, ns_d}, *dev[2] = {veth_c, veth_d}, *addr[2] = {"192.0.2.1",
                                                                             "192.0.2.2"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sh("ip -n %s addr add %s/24 dev %s && ip -n %s link set %s mtu %d up",
                            ns[i], addr[i], dev[i], ns[i], dev[i], MTU), 0);
        /* every frame out of either end goes through a 20 Mbit/s token bucket */
        assert_int_equal(sh("ip netns exec %s tc qdisc add dev %s root tbf rate %.0fbit "
                            "burst 5kb latency 50ms", ns[i], dev[i], RATE_BIT), 0);
    }
    char prefix[128], args[256];
    snprintf(prefix, sizeof prefix, "ip netns exec %s", ns_c);
    int port;
    pid_t pid = start_server(prefix, "192.0.2.1:0", &port);
    char cal[1200], full[2000];
    calibrate_path(cal, sizeof cal);
    snprintf(args, sizeof args, "--device d --kernel x2 --quick --link 192.0.2.1:%d --out '%s' "
             "--quiet", port, path_in("ns.ini"));
    snprintf(full, sizeof full, "ip netns exec %s '%s' %s", ns_d, cal, args);
    int rc = run_command(full, NULL, &err);
    if (rc != 0)
        print_error("%s\n", err);
    free(err);
    assert_int_equal(rc, 0);
    assert_int_equal(stop_server(pid), 0);
    adi_profile *pf;
    assert_int_equal(adi_profile_load(path_in("ns.ini"), &pf), ADI_OK);
    const adi_link_profile *l;
    assert_int_equal(adi_profile_link(pf, &l), ADI_OK);
    /* TCP's payload per frame: the MTU less IP (20), TCP (20) and its
    ** timestamps (12); tbf counts the frame with its Ethernet header (14) */
    double rate = RATE_BIT / 8, goodput = rate * (MTU - 52) / (MTU + 14);
    print_message("20 Mbit/s by tbf = %.0f B/s, TCP can carry %.0f B/s; measured down %.0f B/s "
                  "(%+.2f %%, std %.0f), up %.0f B/s (%+.2f %%, std %.0f), %zu + %zu transfers "
                  "of %.0f B; latency %.1f us (p50 %.1f us)\n", rate, goodput, l->down.mean,
                  100 * (l->down.mean / goodput - 1), l->down.std, l->up.mean,
                  100 * (l->up.mean / goodput - 1), l->up.std, l->down.n, l->up.n,
                  l->input_bytes, 1e6 * l->latency.mean, 1e6 * l->latency.p50);
    assert_true(fabs(l->down.mean / goodput - 1) < 0.03);
    assert_true(fabs(l->up.mean / goodput - 1) < 0.03);
    assert_true(fabs(l->down.p50 / goodput - 1) < 0.03);
    adi_profile_free(pf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(over_loopback, temp_dir_setup, server_teardown),
        cmocka_unit_test_setup_teardown(bad_options_exit_2, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(over_shaped_namespaces, namespaces_setup,
                                        namespaces_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
