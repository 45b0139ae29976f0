/*
** calibrate/link.c — the link measurement's server and client (see link.h
** for what is measured and the protocol).
**
** Every socket call is bounded: sockets carry SO_RCVTIMEO / SO_SNDTIMEO of
** ADI_LINK_TIMEOUT, connect and accept wait in poll() with a timeout, and
** writes use MSG_NOSIGNAL (or SO_NOSIGPIPE), so a peer that vanishes is an
** error message, never a hang or a SIGPIPE. Transfers move zeros through
** one 1 MiB buffer (TCP does not compress, so their content is irrelevant).
*/
#include "calibrate/link.h"
#include "profile/fit.h"
#include "core/clock.h"
#include "core/error.h"

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: SO_NOSIGPIPE below instead */
#endif

#define BUF_BYTES (1u << 20)
#define HEADER 16
#define VERSION 1
#define WARMUP_PINGS 5

/* ---- the wire --------------------------------------------------------------- */

static void pack(unsigned char *h, char op, uint64_t arg)
{
    memcpy(h, "ADL1", 4);
    h[4] = (unsigned char)op;
    h[5] = h[6] = h[7] = 0;
    for (int i = 0; i < 8; i++)
        h[8 + i] = (unsigned char)(arg >> (56 - 8 * i));
}

/* The op of a well-formed header (and its argument), or 0. */
static char unpack(const unsigned char *h, uint64_t *arg)
{
    if (memcmp(h, "ADL1", 4) != 0 || h[5] || h[6] || h[7])
        return 0;
    *arg = 0;
    for (int i = 0; i < 8; i++)
        *arg = *arg << 8 | h[8 + i];
    return (char)h[4];
}

/* 0, or -1 with errno (ETIMEDOUT for a peer too slow, EPIPE for one gone). */
static int send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                errno = ETIMEDOUT;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 0, or -1 with errno (ECONNRESET for a peer that closed). buf NULL: discard
** into scratch (BUF_BYTES). */
static int recv_all(int fd, void *buf, uint64_t len, char *scratch)
{
    char *p = buf;
    while (len) {
        size_t want = buf ? (size_t)len : (size_t)(len < BUF_BYTES ? len : BUF_BYTES);
        ssize_t n = recv(fd, buf ? p : scratch, want, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n == 0 ? ECONNRESET
                  : errno == EAGAIN || errno == EWOULDBLOCK ? ETIMEDOUT : errno;
            return -1;
        }
        if (buf)
            p += n;
        len -= (uint64_t)n;
    }
    return 0;
}

static int send_bytes(int fd, uint64_t len, const char *zeros)
{
    while (len) {
        size_t chunk = len < BUF_BYTES ? (size_t)len : BUF_BYTES;
        if (send_all(fd, zeros, chunk) != 0)
            return -1;
        len -= chunk;
    }
    return 0;
}

/* Timeouts on every call, no SIGPIPE, no Nagle (small messages go now). */
static void tune(int fd)
{
    struct timeval tv = {(time_t)ADI_LINK_TIMEOUT, 0};
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef SO_NOSIGPIPE
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
}

int adi_link_split(const char *text, const char *default_port, char *host, size_t host_size,
                   char *port, size_t port_size)
{
    const char *h = text, *hend, *p = NULL, *first = strchr(text, ':'), *last = strrchr(text, ':');
    if (text[0] == '[') { /* [v6]:port or [v6] */
        const char *close = strchr(text, ']');
        if (!close || (close[1] && close[1] != ':'))
            goto bad;
        h = text + 1;
        hend = close;
        p = close[1] == ':' ? close + 2 : NULL;
    } else if (first && first == last) { /* host:port */
        hend = first;
        p = first + 1;
    } else { /* a name, or a bare IPv6 address */
        hend = text + strlen(text);
    }
    const char *ps = p ? p : default_port;
    size_t hlen = (size_t)(hend - h), plen = strlen(ps);
    if (hlen >= host_size || !plen || plen > 5 || plen >= port_size ||
        strspn(ps, "0123456789") != plen || atol(ps) > 65535)
        goto bad;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    memcpy(port, ps, plen + 1);
    return ADI_OK;
bad:
    return adi_fail(ADI_EINPUT, "expected HOST[:PORT] with a port from 0 to 65535, got '%s'", text);
}

/* ---- the server ------------------------------------------------------------- */

typedef struct server {
    int fd;
    char *buf;        /* BUF_BYTES of zeros, and scratch for what comes in */
    char *scratch;
} server;

static int listen_on(const char *bind_to, server *sv, int *port)
{
    char host[256], portstr[16], bare[24];
    const char *b = bind_to ? bind_to : ADI_LINK_PORT;
    if (strspn(b, "0123456789") == strlen(b)) { /* a bare port: every address */
        snprintf(bare, sizeof bare, ":%.8s", b);
        b = bare;
    }
    int rc = adi_link_split(b, ADI_LINK_PORT, host, sizeof host, portstr, sizeof portstr);
    if (rc != ADI_OK)
        return adi_fail_prefix(rc, "--serve --port");
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE}, *res, *a;
    int gai = getaddrinfo(host[0] ? host : NULL, portstr, &hints, &res);
    if (gai != 0)
        return adi_fail(ADI_EIO, "--serve: cannot listen on '%s': %s", bind_to ? bind_to : "",
                        gai_strerror(gai));
    int err = 0;
    sv->fd = -1;
    for (a = res; a && sv->fd < 0; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol), one = 1, zero = 0;
        if (fd < 0) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (a->ai_family == AF_INET6) /* both families on one socket where it can */
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 4) == 0)
            sv->fd = fd;
        else {
            err = errno;
            close(fd);
        }
    }
    freeaddrinfo(res);
    if (sv->fd < 0)
        return adi_fail(ADI_EIO, "--serve: cannot listen on port %s: %s", portstr, strerror(err));
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(sv->fd, (struct sockaddr *)&ss, &len);
    *port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                     : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return ADI_OK;
}

static void name_of(const struct sockaddr_storage *ss, socklen_t len, char *out, size_t size)
{
    char h[128], p[16];
    if (getnameinfo((const struct sockaddr *)ss, len, h, sizeof h, p, sizeof p,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(out, size, "?");
    else
        snprintf(out, size, strchr(h, ':') ? "[%s]:%s" : "%s:%s", h, p);
}

/* One device's session, until its goodbye. */
static int serve_one(server *sv, int fd, const char *who, uint64_t counts[3])
{
    unsigned char h[HEADER];
    for (;;) {
        uint64_t arg;
        if (recv_all(fd, h, HEADER, NULL) != 0)
            return adi_fail(ADI_EIO, "%s: the device broke off: %s", who, strerror(errno));
        char op = unpack(h, &arg);
        int bad = 0;
        switch (op) {
        case 'H':
            pack(h, 'H', VERSION);
            bad = arg != VERSION || send_all(fd, h, HEADER) != 0;
            break;
        case 'P':
            counts[0]++;
            bad = send_all(fd, h, HEADER) != 0;
            break;
        case 'D':
            counts[1] += arg;
            bad = arg > ADI_LINK_MAX_BYTES || send_bytes(fd, arg, sv->buf) != 0;
            break;
        case 'U':
            counts[2] += arg;
            bad = arg > ADI_LINK_MAX_BYTES || recv_all(fd, NULL, arg, sv->scratch) != 0;
            pack(h, 'A', arg);
            bad = bad || send_all(fd, h, HEADER) != 0;
            break;
        case 'Q':
            pack(h, 'Q', 0);
            send_all(fd, h, HEADER);
            return ADI_OK;
        default:
            return adi_fail(ADI_EIO, "%s: not an adisim link measurement (calibrate --link)", who);
        }
        if (bad)
            return adi_fail(ADI_EIO, "%s: the session failed (%s): %s", who,
                            op == 'H' && arg != VERSION ? "another protocol version" : "a transfer",
                            strerror(errno));
    }
}

int adi_link_serve(const char *bind_to, size_t sessions, double wait, adi_link_say say, void *ctx)
{
    server sv = {-1, calloc(1, BUF_BYTES), malloc(BUF_BYTES)};
    int port = 0, rc = sv.buf && sv.scratch ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    if (rc == ADI_OK)
        rc = listen_on(bind_to, &sv, &port);
    char line[320];
    if (rc == ADI_OK) {
        snprintf(line, sizeof line, "serving link measurements on port %d (%zu device%s, "
                 "`calibrate --device NAME --link THIS_HOST:%d` on each)", port, sessions,
                 sessions == 1 ? "" : "s", port);
        say(ctx, line);
    }
    for (size_t i = 0; i < sessions && rc == ADI_OK; i++) {
        struct pollfd pfd = {sv.fd, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)fmin(wait * 1000, 2e9));
        if (ready <= 0) {
            rc = adi_fail(ADI_EIO, "--serve: no device connected within %g s (%zu of %zu served)",
                          wait, i, sessions);
            break;
        }
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept(sv.fd, (struct sockaddr *)&ss, &len);
        if (fd < 0) {
            rc = adi_fail(ADI_EIO, "--serve: accept: %s", strerror(errno));
            break;
        }
        tune(fd);
        char who[160];
        name_of(&ss, len, who, sizeof who);
        uint64_t counts[3] = {0, 0, 0};
        double t0 = adi_clock_s();
        rc = serve_one(&sv, fd, who, counts);
        close(fd);
        if (rc == ADI_OK) {
            snprintf(line, sizeof line, "served %s: %llu round trips, %llu bytes down, %llu up, "
                     "in %.1f s", who, (unsigned long long)counts[0],
                     (unsigned long long)counts[1], (unsigned long long)counts[2],
                     adi_clock_s() - t0);
            say(ctx, line);
        }
    }
    if (sv.fd >= 0)
        close(sv.fd);
    free(sv.buf);
    free(sv.scratch);
    return rc;
}

/* ---- the client ------------------------------------------------------------- */

/* A connected, tuned socket to host:port within ADI_LINK_TIMEOUT, or -1 with
** the failure recorded. */
static int dial(const char *host, const char *port, const char *peer)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res, *a;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        adi_fail(ADI_EIO, "--link %s: %s", peer, gai_strerror(gai));
        return -1;
    }
    int fd = -1, err = ECONNREFUSED;
    for (a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        int c = connect(fd, a->ai_addr, a->ai_addrlen);
        if (c != 0 && errno == EINPROGRESS) {
            struct pollfd pfd = {fd, POLLOUT, 0};
            socklen_t len = sizeof err;
            if (poll(&pfd, 1, (int)(ADI_LINK_TIMEOUT * 1000)) == 1 &&
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
                c = 0;
            else if (err == 0)
                err = ETIMEDOUT;
        } else if (c != 0) {
            err = errno;
        }
        if (c != 0) {
            close(fd);
            fd = -1;
            continue;
        }
        fcntl(fd, F_SETFL, flags);
        tune(fd);
    }
    freeaddrinfo(res);
    if (fd < 0)
        adi_fail(ADI_EIO, "--link %s: cannot connect: %s (is `calibrate --serve` running "
                 "there?)", peer, strerror(err));
    return fd;
}

/* A request and its answer; -1 with errno on failure. */
static int ask(int fd, char op, uint64_t arg, char want, uint64_t *got)
{
    unsigned char h[HEADER];
    pack(h, op, arg);
    if (send_all(fd, h, HEADER) != 0 || recv_all(fd, h, HEADER, NULL) != 0)
        return -1;
    if (unpack(h, got) != want) {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* times[0..n) of transfers of `bytes`, less rtt: the bandwidth statistics. */
static int bandwidth(const char *what, double bytes, double *times, size_t n, double rtt,
                     adi_link_stat *out)
{
    double sum = 0, rates = 0, sq = 0;
    size_t pos = 0;
    for (size_t j = 0; j < n; j++) {
        times[j] -= rtt;
        sum += times[j];
        if (times[j] > 0) {
            double r = bytes / times[j];
            pos++;
            double d = r - rates; /* Welford: rates holds the running mean */
            rates += d / (double)pos;
            sq += d * (r - rates);
        }
    }
    double p50 = median(times, n);
    if (!(sum > 0) || !(p50 > 0))
        return adi_fail(ADI_EINPUT, "--link: %s transfers of %.0f bytes took no longer than a "
                        "small message's round trip: too small to tell a bandwidth", what, bytes);
    *out = (adi_link_stat){bytes / (sum / (double)n), pos > 1 ? sqrt(sq / (double)(pos - 1)) : 0,
                           bytes / p50, n};
    return ADI_OK;
}

static int check_size(const char *what, double v)
{
    if (!(v >= 1 && v <= (double)ADI_LINK_MAX_BYTES && v == floor(v)))
        return adi_fail(ADI_EINPUT, "--link: the %s size must be a whole number of bytes from 1 "
                        "to %llu, got %.17g", what, (unsigned long long)ADI_LINK_MAX_BYTES, v);
    return ADI_OK;
}

int adi_link_measure(const adi_link_options *o, adi_link_profile *out)
{
    memset(out, 0, sizeof *out);
    char host[256], port[16];
    int rc = adi_link_split(o->peer, ADI_LINK_PORT, host, sizeof host, port, sizeof port);
    if (rc != ADI_OK)
        return adi_fail_prefix(rc, "--link");
    if (!host[0])
        return adi_fail(ADI_EINPUT, "--link: expected HOST[:PORT], got '%s' (no host)", o->peer);
    if ((rc = check_size("input", o->input_bytes)) != ADI_OK ||
        (rc = check_size("output", o->output_bytes)) != ADI_OK)
        return rc;
    size_t pings = o->pings ? o->pings : 200, reps = o->reps ? o->reps : 10;
    double budget = o->budget > 0 ? o->budget : 20;
    snprintf(out->peer, sizeof out->peer, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
    double *rtt = malloc(pings * sizeof *rtt), *down = malloc(reps * sizeof *down),
           *up = malloc(reps * sizeof *up);
    char *buf = calloc(1, BUF_BYTES), *scratch = malloc(BUF_BYTES);
    int fd = -1;
    if (!rtt || !down || !up || !buf || !scratch) {
        rc = adi_fail(ADI_ENOMEM, "out of memory");
        goto done;
    }
    if ((fd = dial(host, port, out->peer)) < 0) {
        rc = ADI_EIO;
        goto done;
    }
    uint64_t got;
    if (ask(fd, 'H', VERSION, 'H', &got) != 0 || got != VERSION)
        goto broken;
    for (size_t j = 0; j < pings + WARMUP_PINGS; j++) {
        double t0 = adi_clock_s();
        if (ask(fd, 'P', j, 'P', &got) != 0 || got != j)
            goto broken;
        if (j >= WARMUP_PINGS)
            rtt[j - WARMUP_PINGS] = adi_clock_s() - t0;
    }
    size_t nd = 0, nu = 0;
    uint64_t in = (uint64_t)o->input_bytes, outb = (uint64_t)o->output_bytes;
    unsigned char h[HEADER];
    for (double start = adi_clock_s(); nd < reps && (nd < 3 || adi_clock_s() - start < budget);
         nd++) {
        double t0 = adi_clock_s();
        pack(h, 'D', in);
        if (send_all(fd, h, HEADER) != 0 || recv_all(fd, NULL, in, scratch) != 0)
            goto broken;
        down[nd] = adi_clock_s() - t0;
    }
    for (double start = adi_clock_s(); nu < reps && (nu < 3 || adi_clock_s() - start < budget);
         nu++) {
        double t0 = adi_clock_s();
        pack(h, 'U', outb);
        if (send_all(fd, h, HEADER) != 0 || send_bytes(fd, outb, buf) != 0 ||
            recv_all(fd, h, HEADER, NULL) != 0 || unpack(h, &got) != 'A' || got != outb)
            goto broken;
        up[nu] = adi_clock_s() - t0;
    }
    ask(fd, 'Q', 0, 'Q', &got); /* goodbye; the measurement is done either way */
    adi_time_stats ls;
    for (size_t j = 0; j < pings; j++)
        rtt[j] /= 2; /* one way */
    if ((rc = adi_time_stats_compute(rtt, pings, &ls)) != ADI_OK)
        goto done;
    out->latency = (adi_link_stat){ls.mean, ls.std, ls.p50, pings};
    out->input_bytes = o->input_bytes;
    out->output_bytes = o->output_bytes;
    if ((rc = bandwidth("down", o->input_bytes, down, nd, 2 * ls.p50, &out->down)) != ADI_OK ||
        (rc = bandwidth("up", o->output_bytes, up, nu, 2 * ls.p50, &out->up)) != ADI_OK)
        goto done;
    time_t now = time(NULL);
    struct tm tm;
    strftime(out->created, sizeof out->created, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    goto done;
broken:
    rc = adi_fail(ADI_EIO, "--link %s: the server broke off: %s", out->peer,
                  errno == EPROTO ? "it does not speak this protocol" : strerror(errno));
done:
    if (fd >= 0)
        close(fd);
    free(rtt);
    free(down);
    free(up);
    free(buf);
    free(scratch);
    return rc;
}

int adi_link_calibrate(adi_profile *pf, const char *peer, int quick)
{
    const adi_kernel_profile *kp = pf->kernel[ADI_KERNEL_CONV] ? pf->kernel[ADI_KERNEL_CONV]
                                                               : pf->kernel[ADI_KERNEL_X2];
    if (!kp)
        return adi_fail(ADI_EINPUT, "--link: the profile has no kernel to take the sizes from");
    adi_link_options o = {.peer = peer, .input_bytes = kp->input_bytes,
                          .output_bytes = kp->output_bytes, .pings = quick ? 50 : 0,
                          .reps = quick ? 5 : 0, .budget = quick ? 5 : 0};
    adi_link_profile link;
    int rc = adi_link_measure(&o, &link);
    return rc == ADI_OK ? adi_profile_set_link(pf, &link) : rc;
}
