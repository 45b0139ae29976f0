/*
** bench/peers/simgrid_peer.cpp — SimGrid (S4U) behind the peers' job-file
** interface (bench/peers/README.md). Device i of a job is an actor on its
** own host of speed 1e9 / T_i flop/s; a task of time S is an execute() of
** 1e9 S flop. Pull: actors take tasks from a shared count; sync: a
** barrier per round. All jobs run in one engine on separate hosts, so the
** engine's start-up is paid once (what a SimGrid user would do for a sweep).
*/
#include <simgrid/s4u.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;
static constexpr double FLOP = 1e9;

struct Job {
    std::string policy, dist;
    double cv = 0;
    unsigned long long m = 0, started = 0;
    std::vector<double> times;
    std::vector<unsigned long long> count;
    double makespan = 0;
    std::mt19937_64 rng;
    sg4::BarrierPtr barrier;
    double draw(double t)
    {
        if (dist == "exponential")
            return std::exponential_distribution<double>(1 / t)(rng);
        if (dist == "lognormal") {
            double s = std::sqrt(std::log1p(cv * cv));
            return std::lognormal_distribution<double>(std::log(t) - s * s / 2, s)(rng);
        }
        return t;
    }
};

static void device(Job* job, size_t d)
{
    size_t n = job->times.size();
    double speed = FLOP / job->times[d];
    if (job->policy == "sync") {
        for (unsigned long long r = 0; r * n + d < job->m; r++) {
            sg4::this_actor::execute(job->draw(job->times[d]) * speed);
            job->count[d]++;
            job->makespan = sg4::Engine::get_clock();
            if ((r + 1) * n < job->m) /* a next round exists: everyone waits */
                job->barrier->wait();
        }
        return;
    }
    while (job->started < job->m) {
        job->started++;
        sg4::this_actor::execute(job->draw(job->times[d]) * speed);
        job->count[d]++;
        job->makespan = sg4::Engine::get_clock();
    }
}

int main(int argc, char** argv)
{
    sg4::Engine engine(&argc, argv);
    std::string word;
    size_t njobs;
    std::cin >> word >> njobs;
    std::vector<std::unique_ptr<Job>> jobs;
    auto* zone = sg4::create_full_zone("world");
    std::vector<std::vector<sg4::Host*>> hosts(njobs);
    for (size_t j = 0; j < njobs; j++) {
        auto job = std::make_unique<Job>();
        unsigned long long seed;
        size_t n;
        std::cin >> word >> job->policy >> job->dist >> job->cv >> seed >> job->m >> n;
        job->times.resize(n);
        job->count.assign(n, 0);
        job->rng.seed(seed);
        for (size_t i = 0; i < n; i++) {
            std::cin >> job->times[i];
            hosts[j].push_back(zone->create_host("h" + std::to_string(j) + "_" + std::to_string(i),
                                                 FLOP / job->times[i]));
        }
        jobs.push_back(std::move(job));
    }
    zone->seal();
    for (size_t j = 0; j < njobs; j++) {
        Job* job = jobs[j].get();
        size_t active = std::min<unsigned long long>(job->times.size(), job->m);
        if (job->policy == "sync")
            job->barrier = sg4::Barrier::create((unsigned)active);
        for (size_t d = 0; d < active; d++)
            sg4::Actor::create("d", hosts[j][d], device, job, d);
    }
    engine.run();
    for (auto& job : jobs) {
        std::printf("result %.17g", job->makespan);
        for (auto c : job->count)
            std::printf(" %llu", c);
        std::printf("\n");
    }
    return 0;
}
