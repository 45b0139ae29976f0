/*
** tests/test_link.c — the link measurement (calibrate/link.h) over
** loopback: HOST[:PORT] parsing, a server in a thread measured by the
** client (every field filled, sizes as asked, one session per device, the
** profile's [link] from its task's sizes), and the failures: no server, a
** server that breaks off, a client that speaks another protocol, no device
** in time, sizes out of range. Every address is 127.0.0.1.
*/
#include "helpers.h"

#include "calibrate/link.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

static void split(void **state)
{
    (void)state;
    char h[64], p[16];
    static const struct { const char *text, *host, *port; } good[] = {
        {"pi.lan", "pi.lan", "5577"},       {"10.1.2.3:6000", "10.1.2.3", "6000"},
        {"[::1]:7000", "::1", "7000"},      {"[fe80::1%eth0]", "fe80::1%eth0", "5577"},
        {"::1", "::1", "5577"},             {":0", "", "0"},
        {"coordinator:65535", "coordinator", "65535"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(adi_link_split(good[i].text, "5577", h, sizeof h, p, sizeof p), ADI_OK);
        assert_string_equal(h, good[i].host);
        assert_string_equal(p, good[i].port);
    }
    static const char *const bad[] = {"h:65536", "h:", "h:x1", "[::1", "[::1]x", "h:-1",
                                      "h:+80", "[::1]:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(adi_link_split(bad[i], "5577", h, sizeof h, p, sizeof p), ADI_EINPUT);
        assert_non_null(strstr(adi_errmsg(), "expected HOST[:PORT]"));
    }
    assert_int_equal(adi_link_split("averyveryverylonghostname.example", "1", h, 8, p, sizeof p),
                     ADI_EINPUT);
}

/* ---- a server in a thread ---------------------------------------------------- */

typedef struct served {
    const char *bind;
    size_t sessions;
    double wait;
    pthread_t thread;
    int fds[2];           /* the first line's port goes through this pipe */
    int rc;
    char msg[512];        /* adi_errmsg() of the server's thread */
    char lines[4][256];
    size_t nlines;
} served;

static void capture(void *ctx, const char *line)
{
    served *sv = ctx;
    if (sv->nlines < 4)
        snprintf(sv->lines[sv->nlines], sizeof sv->lines[0], "%s", line);
    if (sv->nlines++ == 0) {
        int port = -1;
        const char *at = strstr(line, "on port ");
        if (at)
            port = atoi(at + 8);
        assert_int_equal(write(sv->fds[1], &port, sizeof port), sizeof port);
    }
}

static void *serve_thread(void *arg)
{
    served *sv = arg;
    sv->rc = adi_link_serve(sv->bind, sv->sessions, sv->wait, capture, sv);
    snprintf(sv->msg, sizeof sv->msg, "%s", adi_errmsg());
    if (sv->nlines == 0) { /* never listened: unblock the waiting test */
        int port = -1;
        assert_int_equal(write(sv->fds[1], &port, sizeof port), sizeof port);
    }
    return NULL;
}

/* Starts the server; returns its port (-1 if it could not listen). */
static int start(served *sv, size_t sessions, double wait)
{
    memset(sv, 0, sizeof *sv);
    sv->bind = "127.0.0.1:0";
    sv->sessions = sessions;
    sv->wait = wait;
    assert_int_equal(pipe(sv->fds), 0);
    assert_int_equal(pthread_create(&sv->thread, NULL, serve_thread, sv), 0);
    int port;
    assert_int_equal(read(sv->fds[0], &port, sizeof port), sizeof port);
    return port;
}

static void finish(served *sv)
{
    assert_int_equal(pthread_join(sv->thread, NULL), 0);
    close(sv->fds[0]);
    close(sv->fds[1]);
}

static void measured_over_loopback(void **state)
{
    (void)state;
    served sv;
    int port = start(&sv, 2, 10);
    assert_true(port > 0);
    assert_non_null(strstr(sv.lines[0], "serving link measurements on port"));
    char peer[64];
    snprintf(peer, sizeof peer, "127.0.0.1:%d", port);
    adi_link_options o = {.peer = peer, .input_bytes = 393216, .output_bytes = 131072,
                          .pings = 30, .reps = 4};
    adi_link_profile l;
    assert_int_equal(adi_link_measure(&o, &l), ADI_OK);
    assert_string_equal(l.peer, peer);
    assert_int_equal(l.latency.n, 30);
    assert_int_equal(l.down.n, 4);
    assert_int_equal(l.up.n, 4);
    assert_true(l.latency.mean > 0 && l.latency.mean < 0.1);
    assert_true(l.latency.p50 > 0 && l.latency.p50 <= l.latency.mean * 30);
    assert_true(l.latency.std >= 0);
    /* Sane figures, not a speed claim (the shaped-veth test of test_cli_link
    ** checks accuracy): a loaded machine can stall a transfer for
    ** milliseconds, so the bounds are what any loopback clears by far. Both
    ** sizes are large enough for a transfer to outlast a ping's round trip
    ** on loopback: with 4 KiB up it often did not, and adi_link_measure
    ** rightly refused to tell a bandwidth (a third of the runs failed). */
    assert_true(l.down.mean > 1e5 && l.up.mean > 1e4 && l.down.p50 > 1e5);
    assert_true(isfinite(l.down.mean) && isfinite(l.up.mean));
    assert_true(l.input_bytes == 393216 && l.output_bytes == 131072);
    assert_int_equal(strlen(l.created), 20);
    assert_int_equal(l.created[19], 'Z');
    /* the second device: a profile's [link] from its task's sizes (x2,
    ** batch 32: 393216 bytes each way) */
    adi_profile *pf = adi_profile_new();
    const double t[3] = {1e-3, 1.1e-3, 1.2e-3};
    adi_conv_shape xs = {32, 3, 3, 32, 32};
    assert_int_equal(adi_profile_add(pf, ADI_KERNEL_X2, "cifar10", &xs, 1, 3, 0, 786432, t, 3),
                     ADI_OK);
    assert_int_equal(adi_link_calibrate(pf, peer, 1), ADI_OK);
    const adi_link_profile *got;
    assert_int_equal(adi_profile_link(pf, &got), ADI_OK);
    assert_true(got->input_bytes == 393216 && got->output_bytes == 393216);
    assert_int_equal(got->latency.n, 50);
    assert_int_equal(got->down.n, 5);
    adi_profile_free(pf);
    finish(&sv);
    assert_int_equal(sv.rc, ADI_OK);
    assert_int_equal(sv.nlines, 3);
    assert_non_null(strstr(sv.lines[1], "35 round trips, 1572864 bytes down, 524288 up"));
    assert_non_null(strstr(sv.lines[2], "55 round trips, 1966080 bytes down, 1966080 up"));
}

/* A free port on loopback, closed again: nobody listens there. */
static int dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* A fake server that accepts once, answers the hello, then hangs up. */
static void *hang_up(void *arg)
{
    int lfd = *(int *)arg, fd = accept(lfd, NULL, NULL);
    unsigned char h[16];
    if (fd >= 0 && recv(fd, h, 16, MSG_WAITALL) == 16 && send(fd, h, 16, 0) == 16)
        close(fd);
    return NULL;
}

static void failures(void **state)
{
    (void)state;
    char peer[64];
    adi_link_profile l;
    snprintf(peer, sizeof peer, "127.0.0.1:%d", dead_port());
    adi_link_options o = {.peer = peer, .input_bytes = 1000, .output_bytes = 1000, .pings = 3,
                          .reps = 3};
    assert_int_equal(adi_link_measure(&o, &l), ADI_EIO);
    assert_non_null(strstr(adi_errmsg(), "cannot connect: Connection refused"));
    assert_non_null(strstr(adi_errmsg(), "calibrate --serve"));

    /* sizes and peers out of range, refused before any connection */
    static const double sizes[] = {0, 1.5, 2e9, NAN};
    for (size_t i = 0; i < 4; i++) {
        o.input_bytes = sizes[i];
        assert_int_equal(adi_link_measure(&o, &l), ADI_EINPUT);
        assert_non_null(strstr(adi_errmsg(), "the input size must be a whole number of bytes"));
    }
    o.input_bytes = 1000;
    o.peer = ":5577";
    assert_int_equal(adi_link_measure(&o, &l), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "no host"));

    /* a server that hangs up after the hello */
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(lfd, 1), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, hang_up, &lfd), 0);
    snprintf(peer, sizeof peer, "127.0.0.1:%d", ntohs(a.sin_port));
    o.peer = peer;
    assert_int_equal(adi_link_measure(&o, &l), ADI_EIO);
    assert_non_null(strstr(adi_errmsg(), "the server broke off"));
    pthread_join(t, NULL);
    close(lfd);

    /* a client that is not calibrate --link: the server says so */
    served sv;
    int port = start(&sv, 1, 10);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_port = htons((uint16_t)port);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(send(fd, "GET / HTTP/1.0\r\n\r\n", 18, 0), 18);
    finish(&sv);
    close(fd);
    assert_int_equal(sv.rc, ADI_EIO);
    assert_non_null(strstr(sv.msg, "not an adisim link measurement"));

    /* nobody comes: the server gives up after its wait */
    port = start(&sv, 1, 0.2);
    assert_true(port > 0);
    finish(&sv);
    assert_int_equal(sv.rc, ADI_EIO);
    assert_non_null(strstr(sv.msg, "no device connected within 0.2 s (0 of 1 served)"));

    /* an address it cannot listen on */
    sv.bind = "127.0.0.1:99999";
    assert_int_equal(adi_link_serve("127.0.0.1:99999", 1, 1, capture, &sv), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "--serve --port"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split),
        cmocka_unit_test(measured_over_loopback),
        cmocka_unit_test(failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
