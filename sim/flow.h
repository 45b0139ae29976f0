/*
** sim/flow.h — max-min fair bandwidth sharing among flows (the network's
** fluid model, DESIGN.md "The network").
**
** A network is a fixed set of resources (one direction of a link, of a
** segment or of the coordinator's link), each with a capacity in bytes/s.
** A flow moves S bytes across a small fixed path of resources (at most
** ADI_FLOW_PATH_MAX). At every instant the active flows share the resources
** max-min fairly with equal weights (progressive filling): the rates are the
** unique allocation in which no flow can go faster without slowing one that
** is no faster than it. A flow finishes when its S bytes are through. An
** infinite capacity constrains nothing; a flow whose path is all infinite
** (or that has 0 bytes) finishes the instant it starts.
**
**        device 0 --up/down--+
**        device 1 --up/down--+-- [segment] --+-- coordinator link -- coordinator
**        device 2 --up/down----------------- +
**
** Latency is the caller's: the module sees a transfer when its bytes start
** to move (after L_i), and a request (0 bytes, latency only) never at all.
**
** Time. The network has a clock, `now`, that only moves forward
** (adi_flow_advance). Rates are piecewise constant; between two changes the
** module does no work at all: a flow keeps the bytes it had left at its last
** rate change and the time of that change, and its completion time is
** last + left / rate. When a flow joins or leaves (or a capacity changes),
** the rates are recomputed only in the connected component of the changed
** flow (flows linked through finite resources they share): elsewhere no
** share can change. Within the component, only flows whose rate really
** changed are brought up to date (left -= old rate * elapsed, then a new
** completion time). This is SimGrid's lazy update (CM02's
** update_remains_lazy), so both compute the same quantities the same way.
** With an infinite coordinator link a component is one device direction
** (or one segment direction); with a finite one it is every flow of one
** direction.
**
** Ownership: the network owns its flows; ids are small integers valid from
** adi_flow_start until the flow is removed (then the id may be reused).
*/
#ifndef ADI_SIM_FLOW_H
#define ADI_SIM_FLOW_H

#include <stddef.h>
#include <stdint.h>

/* The most resources one flow crosses (device, segment, coordinator, spare). */
#define ADI_FLOW_PATH_MAX 4

typedef struct adi_flownet adi_flownet;

/* A network of `count` resources; capacity[r] is resource r's capacity in
** bytes/s (>= 0; INFINITY for none). The clock starts at 0. On success *out
** is the network (free it with adi_flow_free); on failure *out is NULL and
** adi_errmsg() says why. */
int adi_flow_new(adi_flownet **out, size_t count, const double *capacity);

/* Frees the network and its flows. NULL does nothing. */
void adi_flow_free(adi_flownet *net);

/* Moves the clock to t seconds: t >= now, and t must not pass the next
** completion (a flow that is through must be removed first). O(1). */
int adi_flow_advance(adi_flownet *net, double t);

/* The clock, in seconds. */
double adi_flow_now(const adi_flownet *net);

/* Starts a flow of `bytes` (>= 0, finite) now over path[0..len) (1 <= len
** <= ADI_FLOW_PATH_MAX distinct resources). `tag` is the caller's, handed
** back by adi_flow_tag. *id receives the flow's id. Recomputes the shares
** of the component it joins. ADI_OK, ADI_EINPUT or ADI_ENOMEM (nothing
** changed). */
int adi_flow_start(adi_flownet *net, double bytes, const uint32_t *path, size_t len,
                   uint64_t tag, uint32_t *id);

/* The earliest completion: returns 1 and sets *time (seconds) and *id, or
** returns 0 when no flow is active. Flows that finish at the same time come
** out in the order they were started. O(1). */
int adi_flow_next(const adi_flownet *net, double *time, uint32_t *id);

/* Removes flow id now (finished, or cut short: its bytes are lost) and
** recomputes the shares of the flows it was sharing with. ADI_OK, or
** ADI_EINPUT for an id that is not active. */
int adi_flow_remove(adi_flownet *net, uint32_t id);

/* Sets resource r's capacity (bytes/s, >= 0 or INFINITY) from now on. */
int adi_flow_set_capacity(adi_flownet *net, size_t r, double capacity);

/* Flow id's rate in bytes/s (INFINITY if nothing constrains it), its bytes
** left at the current clock, its completion time in seconds (INFINITY if its
** rate is 0) and its tag. The id must be active. */
double adi_flow_rate(const adi_flownet *net, uint32_t id);
double adi_flow_left(const adi_flownet *net, uint32_t id);
double adi_flow_finish(const adi_flownet *net, uint32_t id);
uint64_t adi_flow_tag(const adi_flownet *net, uint32_t id);

/* Active flows. */
size_t adi_flow_count(const adi_flownet *net);

#endif
