#!/usr/bin/python3
"""bench/peers/heapq_peer.py - a plain Python event loop (heapq) behind the
peers' job-file interface (bench/peers/README.md). Events are (time, seq,
device): equal times in scheduling order, as in adisim."""
import heapq, math, random, sys

def sampler(dist, cv, rng):
    if dist == "deterministic":
        return lambda t: t
    if dist == "exponential":
        return lambda t: rng.expovariate(1.0 / t)
    sigma = math.sqrt(math.log1p(cv * cv))
    return lambda t: rng.lognormvariate(math.log(t) - sigma * sigma / 2, sigma)

def run(policy, draw, m, times):
    n = len(times)
    count = [0] * n
    heap, seq, started, now = [], 0, 0, 0.0
    if policy == "sync":
        while started < m:
            k = min(n, m - started)
            heap = []
            for d in range(k):
                heapq.heappush(heap, (now + draw(times[d]), seq, d)); seq += 1
            started += k
            while heap:
                now, _, d = heapq.heappop(heap)
                count[d] += 1
        return now, count
    for d in range(min(n, m)):
        heapq.heappush(heap, (draw(times[d]), seq, d)); seq += 1
        started += 1
    makespan = 0.0
    while heap:
        now, _, d = heapq.heappop(heap)
        count[d] += 1
        makespan = now
        if started < m:
            heapq.heappush(heap, (now + draw(times[d]), seq, d)); seq += 1
            started += 1
    return makespan, count

def main():
    tokens = sys.stdin.read().split()
    assert tokens[0] == "jobs"
    pos, out = 2, []
    for _ in range(int(tokens[1])):
        assert tokens[pos] == "job"
        policy, dist, cv, seed, m, n = tokens[pos + 1:pos + 7]
        n, m = int(n), int(m)
        times = [float(x) for x in tokens[pos + 7:pos + 7 + n]]
        pos += 7 + n
        draw = sampler(dist, float(cv), random.Random(int(seed)))
        makespan, count = run(policy, draw, m, times)
        out.append("result %r %s" % (makespan, " ".join(map(str, count))))
    print("\n".join(out))

main()
