/*
** scenario/keys.h — every key a scenario file may contain, in one table.
**
** The parser, the defaults, the `simulate --list-keys` documentation dump
** (which README's key table is generated from), the sweep and the point key
** all come from this list, so a new key is one line here plus the code that
** uses it.
**
** X(id, section, key, kind, default, sweep name, point key, help)
**   default    NULL when the key has no default (required, or optional)
**   sweep name the key's name in [sweep] when it can be swept, else NULL
**   point key  how the key enters the point key (scenario/point.h), the text
**              that identifies a point in the database and seeds its runs;
**              every key that can change results must be in it, or stored
**              runs of other values would be reused:
**     IN_KEY(position, label, when, format, field)
**              " label=value" at that position (1, 2, ...; a new key takes
**              the next free one, so existing keys keep their text), the
**              value being the point's `field` written as `format`
**              (point.c), when: ALWAYS, POISSON (an open workload: kind =
**              poisson), SERIAL (a one-device policy: serial), CALIBRATED
**              ([devices] profiles), EXPLICIT ([devices] times), NETWORK
**              (a [network] section), or NOT_DEFAULT (left out while the value,
**              written by its format, reads as `default` exactly: what a new
**              key needs, so that the points of existing scenarios keep their
**              keys and their results); TAKEN, a policy key: NOT_DEFAULT,
**              and left out too when the point's policy does not take it
**              (its descriptor's keys, policy/policy.h), so that a pull
**              point is the same point whatever victim says; TAKEN_BATCH,
**              the same for a key of batches: left out unless the point's
**              policy takes pull_batch and its pull_batch is above 1
**     NOT_IN_KEY(why)
**              the key cannot change results, and why
**   tests/test_point.c checks that every key says one or the other.
**   help       NULL for keys whose values are a table's entries (policy,
**              kind): their help lists the table's names and help lines
*/
#ifndef ADI_SCENARIO_KEYS_H
#define ADI_SCENARIO_KEYS_H

#define ADI_SCENARIO_KEYS(X)                                                          \
    X(KEY_NAME, SCENARIO, "name", NAME, NULL, NULL,                                   \
      NOT_IN_KEY("it names results, not what they are: scenarios that agree on every other key share their points"),     \
      "Required. Names the scenario in the database and figures (letters, digits, . _ -).") \
    X(KEY_SEED, SCENARIO, "seed", UINT, "42", NULL,                                   \
      IN_KEY(13, "seed", ALWAYS, U64, seed),     \
      "Base seed; each (point, replication) gets its own GSL stream derived from it.") \
    X(KEY_REPLICATIONS, SCENARIO, "replications", COUNT, "1", NULL,                   \
      IN_KEY(12, "reps", ALWAYS, U64, replications),     \
      "Independent repetitions of every point (confidence intervals need >= 2).")     \
    X(KEY_POLICY, SCENARIO, "policy", POLICY, "pull", "policy",                       \
      IN_KEY(1, "policy", ALWAYS, POLICY, policy),     \
      NULL /* the policy table's names and help lines (policy/policy.h) */)             \
    X(KEY_IDLE_CHOICE, SCENARIO, "idle_choice", IDLE, "longest", "idle_choice",       \
      IN_KEY(27, "idle", TAKEN, IDLE, params.idle_choice),     \
      "pull: which idle device takes a task that arrives while several are idle: longest (the one idle longest, the paper's), fastest (the smallest T_i) or random.") \
    X(KEY_PULL_BATCH, SCENARIO, "pull_batch", BATCH, "1", "pull_batch",                \
      IN_KEY(28, "batch", TAKEN, U64, params.batch),     \
      "pull: b, the most waiting tasks a device takes at once and runs as one batch of time T_i(b) (the profiles' batch law; a synthetic pool's batch_overhead), 1 to 65536.") \
    X(KEY_MAX_DELAY, SCENARIO, "max_delay", DELAY, "inf", "max_delay",                 \
      IN_KEY(29, "delay", TAKEN_BATCH, DELAY, params.max_delay),     \
      "pull with pull_batch > 1: how long a batch may wait to fill once its first task waits, or inf (until b wait, the queue is full or no more tasks can come).") \
    X(KEY_ESTIMATES, SCENARIO, "estimates", ESTIMATES, "exact", "estimates",          \
      IN_KEY(30, "estimates", TAKEN, ESTIMATES, params.estimates),     \
      "weighted, eft, steal, jsq, pod: the T_i they plan with: exact (the profiles') or online (the pool's mean until a device completes a task, then the mean of its completed tasks' times).") \
    X(KEY_CHOICES, SCENARIO, "choices", CHOICES, "2", "choices",                      \
      IN_KEY(31, "choices", TAKEN, U64, params.choices),     \
      "pod: d, the devices drawn at random for each arrival (at most the pool's), which joins the one of least expected work.") \
    X(KEY_VICTIM, SCENARIO, "victim", VICTIM, "longest", "victim",                    \
      IN_KEY(32, "victim", TAKEN, VICTIM, params.victim),     \
      "steal: whose queue an idle device steals half of: longest (the most waiting tasks) or random (a queue that holds any).") \
    X(KEY_STEAL_START, SCENARIO, "steal_start", STEAL_START, "weighted", "steal_start", \
      IN_KEY(33, "start", TAKEN, STEAL_START, params.steal_start),     \
      "steal: the split the per-device queues start from: weighted (the counts behind C*) or equal (static's).") \
    X(KEY_SERIAL_DEVICE, SCENARIO, "serial_device", SERIALDEV, "fastest", NULL,       \
      IN_KEY(16, "serial", SERIAL, SIZE, serial_device),     \
      "The device a serial run uses: fastest, slowest, or a device index (0 = first).") \
    X(KEY_PERCENTILES, SCENARIO, "percentiles", PERCENTILES, "streaming", NULL,       \
      IN_KEY(17, "percentiles", NOT_DEFAULT, PERCENTILES, exact_percentiles),     \
      "Latency percentiles from a histogram within 0.1 % (streaming), or exact from every latency kept (exact; at most 10^7 tasks).") \
    X(KEY_COUNT, DEVICES, "count", DEVICES, NULL, "devices",                          \
      IN_KEY(3, "n", ALWAYS, SIZE, n_devices),     \
      "n, the number of devices of a synthetic pool.")                                \
    X(KEY_MEAN_TIME, DEVICES, "mean_time", TIME, NULL, "mean_time",                   \
      IN_KEY(4, "T", ALWAYS, REAL, mean_time),     \
      "Mean task time T of a synthetic pool (mean of the T_i), 1 ps to 1e9 s.")                      \
    X(KEY_HETEROGENEITY, DEVICES, "heterogeneity", HETEROGENEITY, "0", "heterogeneity", \
      IN_KEY(5, "h", ALWAYS, REAL, heterogeneity),     \
      "std(T_i)/mean(T_i) across the devices of a synthetic pool (population std; must be < sqrt(n-1), and every T_i it implies within 1 ps to 1e9 s).") \
    X(KEY_TIMES, DEVICES, "times", TIMES, NULL, NULL,                                 \
      IN_KEY(20, "times", EXPLICIT, TIMES, times),     \
      "Explicit per-device mean task times, e.g. 1.2s, 1.5s, 1.1s (instead of count/mean_time), each 1 ps to 1e9 s.") \
    X(KEY_PROFILES, DEVICES, "profiles", PROFILES, NULL, NULL,                        \
      IN_KEY(19, "profiles", CALIBRATED, TEXT, profiles),     \
      "Calibrated pool: device profiles from `calibrate`, each with its number of devices, e.g. profiles/pi.ini x4, profiles/mac.ini x1 (paths relative to the scenario file; instead of count/mean_time/times).") \
    X(KEY_KERNEL, DEVICES, "kernel", KERNEL, "conv", NULL,                            \
      IN_KEY(18, "kernel", CALIBRATED, KERNEL, kernel),     \
      "Which measured kernel's task times a calibrated pool uses: conv or x2.")       \
    X(KEY_BATCH_OVERHEAD, DEVICES, "batch_overhead", FRACTION, "0", NULL,            \
      IN_KEY(34, "overhead", TAKEN_BATCH, REAL, batch_overhead),     \
      "A synthetic pool's batch law: the fraction f of one task's time a batch pays once, T_i(k) = T_i (f + (1 - f) k) for k tasks (0: k T_i, no gain), 0 to 1. Calibrated pools use their profiles' (calibrate --batch).") \
    X(KEY_DISTRIBUTION, DEVICES, "distribution", DIST, "deterministic", NULL,         \
      IN_KEY(6, "dist", ALWAYS, DIST, dist),     \
      "Spread of one device's task times: deterministic, exponential, lognormal or gamma. With profiles: empirical (resample the measured times), lognormal or gamma (the profile's fit) or deterministic (their mean).") \
    X(KEY_CV, DEVICES, "cv", CV, NULL, NULL,                                          \
      IN_KEY(7, "cv", ALWAYS, REAL, cv),     \
      "std/mean of one device's task times (lognormal: required, at most 10; gamma: required, at most 5; exponential: 1; profiles: measured).") \
    X(KEY_KIND, WORKLOAD, "kind", WORKLOAD, "batch", NULL,                            \
      IN_KEY(2, "workload", ALWAYS, WORKLOAD, workload),     \
      NULL /* the workload table's (sim/workload.h) */)                               \
    X(KEY_TASKS, WORKLOAD, "tasks", TASKS, NULL, "tasks",                             \
      IN_KEY(8, "m", ALWAYS, U64, tasks),     \
      "Required. m, the number of tasks (batch) or of arrivals (poisson).")           \
    X(KEY_RATE, WORKLOAD, "rate", RATE, NULL, "rate",                                 \
      IN_KEY(14, "rate", POISSON, REAL, rate),     \
      "Poisson arrival rate lambda, e.g. 200 or 200/s (poisson only), 1e-9/s to 1e12/s.")               \
    X(KEY_SUBMIT_COST, WORKLOAD, "submit_cost", TIME0, "0", NULL,                     \
      IN_KEY(9, "submit", ALWAYS, REAL, submit_cost),     \
      "Time the producer spends submitting each task: 0, or 1 ps to 1e9 s.")                               \
    X(KEY_WARMUP, WORKLOAD, "warmup", WARMUP, "10%", NULL,                            \
      IN_KEY(15, "warmup", POISSON, U64, warmup),     \
      "Poisson: first arrivals left out of the steady-state estimates, as a count or a percentage of tasks.") \
    X(KEY_CAPACITY, QUEUE, "capacity", CAPACITY, "inf", "queue_capacity",             \
      IN_KEY(10, "Q", ALWAYS, CAPACITY, capacity),     \
      "Q: tasks that may wait (not counting those in service), or inf.")              \
    X(KEY_OVERFLOW, QUEUE, "overflow", OVERFLOW, "block", NULL,                       \
      IN_KEY(11, "overflow", ALWAYS, OVERFLOW, overflow),     \
      "When the queue is full: block (the producer waits) or drop (the task is lost).") \
    X(KEY_LINKS, NETWORK, "links", LINKS, NULL, NULL,                                 \
      IN_KEY(21, "links", NETWORK, LINKS, net.link),     \
      "The network: each device's link to the coordinator, in device order, BANDWIDTH LATENCY (1Gbit/s 50us, 921600bit/s 1ms), optionally @SEGMENT and xN (repeats); one entry applies to every device; or profile: each device's measured [link] (the slower direction). Without it nothing travels.") \
    X(KEY_COORDINATOR, NETWORK, "coordinator", BANDWIDTH, "inf", "coordinator",      \
      IN_KEY(22, "coord", NETWORK, BANDWIDTH, net.coord_bw),     \
      "The coordinator link's bandwidth each way, which every transfer crosses (inf: no limit).") \
    X(KEY_SEGMENTS, NETWORK, "segments", SEGMENTS, NULL, NULL,                        \
      IN_KEY(23, "segments", NETWORK, SEGMENTS, net.seg_bw),     \
      "Shared segments (a Wi-Fi cell, a switch uplink): NAME BANDWIDTH, comma-separated; a links entry with @NAME sits behind it.") \
    X(KEY_INPUT_SIZE, NETWORK, "input_size", BYTES, NULL, "input_size",               \
      IN_KEY(24, "in", NETWORK, REAL, net.s_in),     \
      "Bytes of one task's input (393216B, 384KiB, 1.5MB); a calibrated pool defaults to its kernel's.") \
    X(KEY_OUTPUT_SIZE, NETWORK, "output_size", BYTES, NULL, NULL,                     \
      IN_KEY(25, "out", NETWORK, REAL, net.s_out),     \
      "Bytes of one task's output; a calibrated pool defaults to its kernel's.")       \
    X(KEY_PREFETCH, NETWORK, "prefetch", PREFETCH, "0", "prefetch",                   \
      IN_KEY(26, "prefetch", NETWORK, U64, net.prefetch),     \
      "k: a pulling device keeps up to 1 + k tasks requested and not yet computed.") \
    X(KEY_LINK_SCALE, NETWORK, "link_scale", SCALE, "1", "link_scale",                  \
      NOT_IN_KEY("it multiplies link bandwidths, and the links it makes are in the key (links=): a scaled point is the point of those links"),     \
      "Multiplies the bandwidth of every device's link (or of link_scale_devices'), 1e-6 to 1e6; swept, it gives throughput against link bandwidth (plot's 8_bandwidth). Segments and the coordinator keep theirs.") \
    X(KEY_LINK_SCALE_DEVICES, NETWORK, "link_scale_devices", INDICES, "all", NULL,      \
      NOT_IN_KEY("it says which links link_scale multiplies, and the links it makes are in the key (links=)"),     \
      "The devices whose links link_scale multiplies: all, or device indices in pool order (0 = first), e.g. 2 or 0, 1.")

/* Key ids: KEY_NAME, KEY_SEED, ... */
typedef enum adi_key_id {
#define ADI_X_ID(id, sec, key, kind, def, sweep, point, help) id,
    ADI_SCENARIO_KEYS(ADI_X_ID)
#undef ADI_X_ID
    KEY_COUNT_
} adi_key_id;

#endif
