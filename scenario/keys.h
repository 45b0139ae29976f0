/*
** scenario/keys.h — every key a scenario file may contain, in one table.
**
** The parser, the defaults, the `simulate --list-keys` documentation dump
** (which README's key table is generated from) and the sweep all come from
** this list, so a new key is one line here plus the code that uses it.
**
** X(id, section, key, kind, default, sweep name, help)
**   default    NULL when the key has no default (required, or optional)
**   sweep name the key's name in [sweep] when it can be swept, else NULL
**   help       NULL for keys whose values are a table's entries (policy,
**              kind): their help lists the table's names and help lines
*/
#ifndef ADI_SCENARIO_KEYS_H
#define ADI_SCENARIO_KEYS_H

#define ADI_SCENARIO_KEYS(X)                                                          \
    X(KEY_NAME, SCENARIO, "name", NAME, NULL, NULL,                                   \
      "Required. Names the scenario in the database and figures (letters, digits, . _ -).") \
    X(KEY_SEED, SCENARIO, "seed", UINT, "42", NULL,                                   \
      "Base seed; each (point, replication) gets its own GSL stream derived from it.") \
    X(KEY_REPLICATIONS, SCENARIO, "replications", COUNT, "1", NULL,                   \
      "Independent repetitions of every point (confidence intervals need >= 2).")     \
    X(KEY_POLICY, SCENARIO, "policy", POLICY, "pull", "policy",                       \
      NULL /* the policy table's names and help lines (policy/policy.h) */)             \
    X(KEY_SERIAL_DEVICE, SCENARIO, "serial_device", SERIALDEV, "fastest", NULL,       \
      "The device a serial run uses: fastest, slowest, or a device index (0 = first).") \
    X(KEY_PERCENTILES, SCENARIO, "percentiles", PERCENTILES, "streaming", NULL,       \
      "Latency percentiles from a histogram within 0.1 % (streaming), or exact from every latency kept (exact; at most 10^7 tasks).") \
    X(KEY_COUNT, DEVICES, "count", DEVICES, NULL, "devices",                          \
      "n, the number of devices of a synthetic pool.")                                \
    X(KEY_MEAN_TIME, DEVICES, "mean_time", TIME, NULL, "mean_time",                   \
      "Mean task time T of a synthetic pool (mean of the T_i), 1 ps to 1e9 s.")                      \
    X(KEY_HETEROGENEITY, DEVICES, "heterogeneity", HETEROGENEITY, "0", "heterogeneity", \
      "std(T_i)/mean(T_i) across the devices of a synthetic pool (population std; must be < sqrt(n-1), and every T_i it implies within 1 ps to 1e9 s).") \
    X(KEY_TIMES, DEVICES, "times", TIMES, NULL, NULL,                                 \
      "Explicit per-device mean task times, e.g. 1.2s, 1.5s, 1.1s (instead of count/mean_time), each 1 ps to 1e9 s.") \
    X(KEY_PROFILES, DEVICES, "profiles", PROFILES, NULL, NULL,                        \
      "Calibrated pool: device profiles from `calibrate`, each with its number of devices, e.g. profiles/pi.ini x4, profiles/mac.ini x1 (paths relative to the scenario file; instead of count/mean_time/times).") \
    X(KEY_KERNEL, DEVICES, "kernel", KERNEL, "conv", NULL,                            \
      "Which measured kernel's task times a calibrated pool uses: conv or x2.")       \
    X(KEY_DISTRIBUTION, DEVICES, "distribution", DIST, "deterministic", NULL,         \
      "Spread of one device's task times: deterministic, exponential, lognormal or gamma. With profiles: empirical (resample the measured times), lognormal or gamma (the profile's fit) or deterministic (their mean).") \
    X(KEY_CV, DEVICES, "cv", CV, NULL, NULL,                                          \
      "std/mean of one device's task times (lognormal: required, at most 10; gamma: required, at most 5; exponential: 1; profiles: measured).") \
    X(KEY_KIND, WORKLOAD, "kind", WORKLOAD, "batch", NULL,                            \
      NULL /* the workload table's (sim/workload.h) */)                               \
    X(KEY_TASKS, WORKLOAD, "tasks", TASKS, NULL, "tasks",                             \
      "Required. m, the number of tasks (batch) or of arrivals (poisson).")           \
    X(KEY_RATE, WORKLOAD, "rate", RATE, NULL, "rate",                                 \
      "Poisson arrival rate lambda, e.g. 200 or 200/s (poisson only), 1e-9/s to 1e12/s.")               \
    X(KEY_SUBMIT_COST, WORKLOAD, "submit_cost", TIME0, "0", NULL,                     \
      "Time the producer spends submitting each task: 0, or 1 ps to 1e9 s.")                               \
    X(KEY_WARMUP, WORKLOAD, "warmup", WARMUP, "10%", NULL,                            \
      "Poisson: first arrivals left out of the steady-state estimates, as a count or a percentage of tasks.") \
    X(KEY_CAPACITY, QUEUE, "capacity", CAPACITY, "inf", "queue_capacity",             \
      "Q: tasks that may wait (not counting those in service), or inf.")              \
    X(KEY_OVERFLOW, QUEUE, "overflow", OVERFLOW, "block", NULL,                       \
      "When the queue is full: block (the producer waits) or drop (the task is lost).")

/* Key ids: KEY_NAME, KEY_SEED, ... */
typedef enum adi_key_id {
#define ADI_X_ID(id, sec, key, kind, def, sweep, help) id,
    ADI_SCENARIO_KEYS(ADI_X_ID)
#undef ADI_X_ID
    KEY_COUNT_
} adi_key_id;

#endif
