#!/usr/bin/python3
"""bench/peers/simpy_peer.py - Debian's SimPy (2.3, object-oriented API)
behind the peers' job-file interface (bench/peers/README.md). One process per
device pulls from a shared count of tasks; sync rounds wait on a SimEvent.
SimPy 2 runs equal times first in, first out, as adisim does."""
import math, random, sys
from SimPy.Simulation import Simulation, Process, SimEvent, hold, waitevent

class Job:
    def __init__(self, policy, draw, m, times):
        self.policy, self.draw, self.m, self.times = policy, draw, m, times
        self.started, self.makespan = 0, 0.0
        self.count = [0] * len(times)

class Puller(Process):
    def __init__(self, sim, job, d):
        Process.__init__(self, sim=sim)
        self.job, self.d = job, d
    def run(self):
        job = self.job
        while job.started < job.m:
            job.started += 1
            yield hold, self, job.draw(job.times[self.d])
            job.count[self.d] += 1
            job.makespan = self.sim.now()

class Rounds(Process):
    """Synchronous rounds: device d takes task r n + d of round r; all wait
    for the slowest (a SimEvent signalled by the last to finish)."""
    def __init__(self, sim, job, d, state):
        Process.__init__(self, sim=sim)
        self.job, self.d, self.state = job, d, state
    def run(self):
        job, n, st = self.job, len(self.job.times), self.state
        r = 0
        while r * n + self.d < job.m:
            yield hold, self, job.draw(job.times[self.d])
            job.count[self.d] += 1
            job.makespan = self.sim.now()
            st["done"] += 1
            active = min(n, job.m - r * n)
            if st["done"] == active:
                st["done"] = 0
                ev, st["event"] = st["event"], SimEvent(sim=self.sim)
                ev.signal()
            else:
                yield waitevent, self, st["event"]
            r += 1

def sampler(dist, cv, rng):
    if dist == "deterministic":
        return lambda t: t
    if dist == "exponential":
        return lambda t: rng.expovariate(1.0 / t)
    sigma = math.sqrt(math.log1p(cv * cv))
    return lambda t: rng.lognormvariate(math.log(t) - sigma * sigma / 2, sigma)

def main():
    tokens = sys.stdin.read().split()
    pos, out = 2, []
    for _ in range(int(tokens[1])):
        policy, dist, cv, seed, m, n = tokens[pos + 1:pos + 7]
        n, m = int(n), int(m)
        times = [float(x) for x in tokens[pos + 7:pos + 7 + n]]
        pos += 7 + n
        job = Job(policy, sampler(dist, float(cv), random.Random(int(seed))), m, times)
        sim = Simulation()
        sim.initialize()
        state = {"done": 0, "event": SimEvent(sim=sim)}
        for d in range(n):
            p = Rounds(sim, job, d, state) if policy == "sync" else Puller(sim, job, d)
            sim.activate(p, p.run())
        sim.simulate(until=1e300)
        out.append("result %r %s" % (job.makespan, " ".join(map(str, job.count))))
    print("\n".join(out))

main()
