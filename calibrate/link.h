/*
** calibrate/link.h — measuring a device's link to the coordinator, over
** TCP with plain POSIX sockets: `calibrate --serve` on the coordinator's
** machine answers, `calibrate --device NAME --link HOST[:PORT]` on the
** device measures, and the result becomes the profile's [link]
** (adi_link_profile, profile/profile.h).
**
** What is measured, in the network model's terms (a transfer of S bytes
** takes L, then S / B):
**   latency    small messages (16 bytes) bounced off the server, TCP_NODELAY
**              on both ends: L = RTT / 2 per round trip (a few untimed first)
**   down       the device asks for S_in bytes and times the request until
**              the last byte is in: RTT + S_in / B; the transfer's time is
**              that less the median RTT
**   up         the device sends S_out bytes and times them until the
**              server's acknowledgement: S_out / B + RTT, less the same
** S_in and S_out are the task's own input and output sizes (its kernel's,
** adi_kernel_io_bytes), so what TCP does at that size (slow start, the
** window) is in the figure, as it would be in the deployment. Bandwidths
** are bytes / the mean transfer time (the rate that gives the mean time);
** the spread is the std of each transfer's own rate.
**
** The protocol: every message starts with a 16-byte header, "ADL1", one
** op byte, three zero bytes, a 64-bit big-endian argument. H (hello, the
** version, answered with H), P (ping: echoed), D n (the server sends n
** bytes), U n (n bytes follow; the server answers A n once they are in), Q
** (goodbye: answered with Q, then closed). Transfers are at most
** ADI_LINK_MAX_BYTES; anything else ends the session.
**
** Bounds: the server serves one device at a time, a given number of them,
** waits at most `wait` s for each to connect and drops one that is silent
** for ADI_LINK_TIMEOUT s; the client makes a fixed number of round trips
** and transfers, stopping a direction early once it has spent its time
** budget (and has 3 samples). Nothing runs for ever.
**
** Cost: memory 1 MiB of buffer on each side; time, the transfers
** themselves (10 each way of the task's sizes by default).
*/
#ifndef ADI_CALIBRATE_LINK_H
#define ADI_CALIBRATE_LINK_H

#include "profile/profile.h"

#include <stddef.h>
#include <stdint.h>

#define ADI_LINK_PORT "5577"           /* the default TCP port */
#define ADI_LINK_MAX_BYTES (1ull << 30) /* the largest transfer either side does */
#define ADI_LINK_TIMEOUT 30.0           /* s: a peer silent this long is gone */

typedef struct adi_link_options {
    const char *peer;        /* the server: HOST, HOST:PORT, [IPV6]:PORT */
    double input_bytes;      /* each transfer down, and up: whole, 1 .. ADI_LINK_MAX_BYTES */
    double output_bytes;
    size_t pings;            /* timed round trips (0: 200) */
    size_t reps;             /* transfers each way (0: 10) */
    double budget;           /* s per direction: no new transfer after it, once 3 are
                                done (0: 20 s) */
} adi_link_options;

/* Measures the link to o->peer into *out (peer, created, latency, down,
** up, sizes). ADI_EINPUT for bad options, ADI_EIO when the server cannot be
** reached or breaks off, with the peer in the message. */
int adi_link_measure(const adi_link_options *o, adi_link_profile *out);

/* The link measured with the sizes of pf's task (its conv kernel, else its
** x2), set as pf's [link]; quick: 50 round trips and 5 transfers each way. */
int adi_link_calibrate(adi_profile *pf, const char *peer, int quick);

/* What the server has to say: one line, no newline (the CLI prints it). */
typedef void (*adi_link_say)(void *ctx, const char *line);

/* Serves `sessions` devices one after another on bind = [ADDR:]PORT (NULL:
** every address, ADI_LINK_PORT; port 0: any free one, which the first line
** said names), waiting at most `wait` s for each. Says where it listens,
** then one line per device served. ADI_OK when all were served; ADI_EIO
** when it cannot listen, no device came in time, or one broke off (the
** others already served stay served). */
int adi_link_serve(const char *bind, size_t sessions, double wait, adi_link_say say, void *ctx);

/* Splits HOST[:PORT] ("[::1]:5577", "pi.lan", "10.0.0.2:6000"; a bare IPv6
** address has no port) into host (may come out empty: "" for ":6000") and
** port (default_port when none is given). ADI_EINPUT when it is not one. */
int adi_link_split(const char *text, const char *default_port, char *host, size_t host_size,
                   char *port, size_t port_size);

#endif
