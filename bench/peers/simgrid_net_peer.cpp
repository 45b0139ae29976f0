/*
** bench/peers/simgrid_net_peer.cpp — SimGrid (S4U, 3.32) simulating pull
** with prefetch k over a star, the protocol of DESIGN.md "The network",
** with SimGrid's own flow-level network model doing the sharing. Same job
** file and output as net_ref.c (bench/peers/README.md, "Network jobs").
**
** Platform: a host per device (speed 1e9 flop/s; a task is 1e9 T_i flop),
** a coordinator host, and one SimGrid link per direction and resource:
** device i's link (B_i), its segment's (if any), the coordinator's (B_c).
** Separate links per direction make each full duplex (what a
** SPLITDUPLEX link is inside SimGrid). An infinite bandwidth is left out of
** the route: SimGrid links need a finite one, and an infinite link
** constrains nothing anyway.
**
** Configuration, and why each item is needed for exact agreement:
**   network/model:CM02       plain max-min; the default LV08 multiplies
**                            latencies by 13.01, bandwidths by 0.97 and
**                            weighs flows by latency + 20537 / bandwidth
**   network/crosstraffic:0   otherwise every flow also takes 5 % of the
**                            reverse route (TCP acks): directions interfere
**   network/TCP-gamma:0      otherwise a flow is capped at gamma / (2 L)
**                            (a 4 MiB TCP window): 1 GB/s at L = 2 ms
**   latency before the bytes CM02 takes a route's latency before the bytes
**                            move (the flow's lmm variable has weight 0
**                            until then), as DESIGN.md does; but once
**                            moving, a flow's weight (sharing penalty) is
**                            its route latency, so flows of different
**                            latencies share a link in proportion to 1/L
**                            (RTT-unfair TCP). DESIGN.md's shares are
**                            equal. So by default the links have zero
**                            latency (every flow has weight 1) and each
**                            transfer's actor sleeps L_i before its bytes
**                            start. `--latency links` puts L_i on the
**                            device links instead (SimGrid's own latency
**                            phase): exact too while every flow sharing a
**                            finite resource has the same latency, and
**                            1/L-weighted otherwise (README shows by how
**                            much).
**
** Actors: a device actor computes the inputs it has received in arrival
** order (a semaphore counts them); every transfer is an actor of its own
** (sleep L_i, then Comm::sendto between the two hosts), and what happens
** on arrival (the coordinator serving a request, a device receiving an
** input, a task being done) runs in it at the arrival instant. The last
** output wakes every device actor, which then stops, and the run ends.
*/
#include <simgrid/s4u.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;
static constexpr double FLOP = 1e9;

struct Device {
    double time = 0, bw = 0, lat = 0;
    long seg = -1;
    sg4::Host* host = nullptr;
    sg4::SemaphorePtr inputs; /* received, not yet computed */
};

struct Star {
    std::vector<Device> dev;
    std::vector<double> seg_bw;
    double coord_bw = 0;
    unsigned long long m = 0, k = 0, queue = 0, done = 0;
    double s_in = 0, s_out = 0;
    sg4::Host* coord = nullptr;
    bool latency_in_links = false;
};

static Star star;

static bool read_bw(std::istream& in, double& v)
{
    std::string w;
    if (!(in >> w))
        return false;
    if (w == "inf") {
        v = INFINITY;
        return true;
    }
    char* end;
    v = std::strtod(w.c_str(), &end);
    return *end == '\0' && v >= 0 && std::isfinite(v);
}

static bool read_star(std::istream& raw)
{
    std::stringstream in; /* without the comment lines */
    for (std::string line; std::getline(raw, line);)
        if (line.empty() || line[0] != '#')
            in << line << '\n';
    std::string w;
    size_t n, nseg;
    if (!(in >> w >> n >> nseg) || w != "star" || n == 0 || !read_bw(in, star.coord_bw))
        return false;
    star.seg_bw.resize(nseg);
    for (auto& b : star.seg_bw)
        if (!(in >> w) || w != "seg" || !read_bw(in, b))
            return false;
    star.dev.resize(n);
    for (auto& d : star.dev)
        if (!(in >> w >> d.time) || w != "dev" || !read_bw(in, d.bw) || !(in >> d.lat >> d.seg) ||
            d.seg < -1 || d.seg >= (long)nseg || !std::isfinite(d.bw))
            return false;
    return (in >> w >> star.m >> star.k >> star.s_in >> star.s_out) && w == "pull";
}

static void transfer(size_t i, bool input);

/* The coordinator serves a request from device i (FIFO: one at a time, at
** its arrival instant); with no task left it waits for ever. */
static void request_in(size_t i)
{
    if (star.queue == 0)
        return;
    star.queue--;
    transfer(i, true);
}

/* A transfer's actor: its latency, then its bytes, then its arrival. */
static void transfer(size_t i, bool input)
{
    Device& d = star.dev[i];
    sg4::Host* src = input ? star.coord : d.host;
    sg4::Host* dst = input ? d.host : star.coord;
    double bytes = input ? star.s_in : star.s_out;
    sg4::Actor::create(input ? "input" : "output", src, [i, input, src, dst, bytes]() {
        Device& dv = star.dev[i];
        if (!star.latency_in_links && dv.lat > 0)
            sg4::this_actor::sleep_for(dv.lat);
        sg4::Comm::sendto(src, dst, (uint64_t)bytes);
        if (input) {
            dv.inputs->release();
        } else {
            star.done++;
            std::printf("done %zu %.17g\n", i, sg4::Engine::get_clock());
            if (star.done == star.m) /* wake the devices: they stop */
                for (auto& other : star.dev)
                    other.inputs->release();
        }
    });
}

/* A request: 0 bytes from device i to the coordinator. */
static void request(size_t i)
{
    Device& d = star.dev[i];
    sg4::Actor::create("request", d.host, [i]() {
        Device& dv = star.dev[i];
        if (!star.latency_in_links && dv.lat > 0)
            sg4::this_actor::sleep_for(dv.lat);
        sg4::Comm::sendto(dv.host, star.coord, 0);
        request_in(i);
    });
}

static void device(size_t i)
{
    Device& d = star.dev[i];
    for (;;) {
        d.inputs->acquire();
        if (star.done == star.m)
            return;
        sg4::this_actor::execute(FLOP * d.time);
        transfer(i, false);
        request(i);
    }
}

static void build_platform()
{
    auto* zone = sg4::create_full_zone("star");
    star.coord = zone->create_host("coordinator", FLOP);
    auto link = [&](const std::string& name, double bw, double lat) -> sg4::Link* {
        if (std::isinf(bw))
            return nullptr;
        return zone->create_link(name, bw)->set_latency(lat)->seal();
    };
    sg4::Link* c_up = link("coord_up", star.coord_bw, 0);
    sg4::Link* c_down = link("coord_down", star.coord_bw, 0);
    std::vector<sg4::Link*> s_up, s_down;
    for (size_t g = 0; g < star.seg_bw.size(); g++) {
        s_up.push_back(link("seg" + std::to_string(g) + "_up", star.seg_bw[g], 0));
        s_down.push_back(link("seg" + std::to_string(g) + "_down", star.seg_bw[g], 0));
    }
    for (size_t i = 0; i < star.dev.size(); i++) {
        Device& d = star.dev[i];
        d.host = zone->create_host("dev" + std::to_string(i), FLOP);
        d.inputs = sg4::Semaphore::create(0);
        double lat = star.latency_in_links ? d.lat : 0;
        sg4::Link* up = link("dev" + std::to_string(i) + "_up", d.bw, lat);
        sg4::Link* down = link("dev" + std::to_string(i) + "_down", d.bw, lat);
        std::vector<sg4::LinkInRoute> to_coord, from_coord;
        auto add = [](std::vector<sg4::LinkInRoute>& r, sg4::Link* l) {
            if (l)
                r.emplace_back(l);
        };
        add(to_coord, up);
        add(from_coord, c_down);
        if (d.seg >= 0) {
            add(to_coord, s_up[d.seg]);
            add(from_coord, s_down[d.seg]);
        }
        add(to_coord, c_up);
        add(from_coord, down);
        zone->add_route(d.host->get_netpoint(), star.coord->get_netpoint(), nullptr, nullptr, to_coord,
                        false);
        zone->add_route(star.coord->get_netpoint(), d.host->get_netpoint(), nullptr, nullptr, from_coord,
                        false);
    }
    zone->seal();
}

int main(int argc, char** argv)
{
    sg4::Engine engine(&argc, argv);
    for (int a = 1; a < argc; a++) {
        if (std::strcmp(argv[a], "--latency") == 0 && a + 1 < argc &&
            (std::strcmp(argv[a + 1], "links") == 0 || std::strcmp(argv[a + 1], "sleep") == 0)) {
            star.latency_in_links = std::strcmp(argv[++a], "links") == 0;
        } else {
            std::fprintf(stderr, "usage: simgrid_net_peer [--latency sleep|links] < JOB\n");
            return 2;
        }
    }
    sg4::Engine::set_config("network/model:CM02");
    sg4::Engine::set_config("network/crosstraffic:0");
    sg4::Engine::set_config("network/TCP-gamma:0");
    if (!read_star(std::cin)) {
        std::fprintf(stderr, "simgrid_net_peer: bad job file (see bench/peers/README.md)\n");
        return 2;
    }
    star.queue = star.m;
    build_platform();
    for (size_t i = 0; i < star.dev.size(); i++) {
        sg4::Actor::create("device", star.dev[i].host, device, i);
        for (unsigned long long j = 0; j <= star.k; j++)
            request(i);
    }
    engine.run();
    if (star.done != star.m) {
        std::fprintf(stderr, "simgrid_net_peer: only %llu of %llu tasks done\n", star.done, star.m);
        return 1;
    }
    return 0;
}
