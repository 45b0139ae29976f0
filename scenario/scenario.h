/*
** scenario/scenario.h — scenario files: parsing, validation and the sweep.
**
** A scenario is an INI file (inih) with sections [scenario], [devices],
** [workload], [queue], [network] and [sweep]; scenario/keys.h lists every key. Loading
** reads the whole file, checks every key and value, expands the sweep (the
** Cartesian product of the [sweep] lists) into points, and resolves each
** point's device pool. Any problem is reported as one message naming file,
** line and key; nothing else happens, so a bad file never reaches the
** database.
**
** A point is one combination of parameter values (scenario/point.h); it is
** simulated `replications` times. Its key is a canonical text of every value
** that affects its results, derived from the key table, used as its identity
** in the database and to derive its random streams, so the same point gives
** the same numbers in any scenario, in any sweep position.
**
** Infeasible points (a heterogeneity no set of positive times can have) are
** kept, marked with the reason, and skipped by the simulator.
**
** A calibrated pool ([devices] profiles) reads each device profile once
** (profile/profile.h), relative to the scenario file's directory; the
** scenario owns them, and the empirical samplers borrow their sorted
** samples. Each point's key then names every profile by the SHA-256 of its
** text, and the scenario's own SHA-256 covers them too, so recalibrating a
** device makes new points and a new scenario row: stored results are never
** reused for a different measurement. The devices of a pool must run the
** same task (kernel, layer, batch, shape); a profile whose times are
** estimated (emulated or from published figures) is accepted and named by
** adi_scenario_estimated.
*/
#ifndef ADI_SCENARIO_SCENARIO_H
#define ADI_SCENARIO_SCENARIO_H

#include "scenario/point.h"
#include "sim/sampler.h"
#include "sim/sim.h"
#include "sim/workload.h"

#include <stddef.h>
#include <stdint.h>

typedef struct adi_scenario adi_scenario;

/* Parameters a sweep can vary (for choosing the columns of tables). */
typedef enum adi_param {
    ADI_PARAM_POLICY, ADI_PARAM_DEVICES, ADI_PARAM_CAPACITY, ADI_PARAM_HETEROGENEITY,
    ADI_PARAM_MEAN_TIME, ADI_PARAM_TASKS, ADI_PARAM_RATE, ADI_PARAM_PREFETCH,
    ADI_PARAM_COORDINATOR, ADI_PARAM_INPUT_SIZE, ADI_PARAM_LINK_SCALE,
    /* the policy keys (a point whose policy does not take one has its default) */
    ADI_PARAM_IDLE_CHOICE, ADI_PARAM_PULL_BATCH, ADI_PARAM_MAX_DELAY, ADI_PARAM_ESTIMATES,
    ADI_PARAM_CHOICES, ADI_PARAM_VICTIM, ADI_PARAM_STEAL_START, ADI_PARAM_COUNT
} adi_param;

/* Reads and validates the file. On success *out owns everything; on failure
** *out is NULL and adi_errmsg() gives "path:line: [section] key: why". */
int adi_scenario_load(const char *path, adi_scenario **out);

/* The same from text in memory; `path` is only used in messages. */
int adi_scenario_parse(const char *path, const char *text, adi_scenario **out);

/* A profile a calibrated scenario read: its name as [devices] profiles gives
** it, the SHA-256 of its text, and the text. */
typedef struct adi_scenario_file {
    const char *name, *sha256, *text;
} adi_scenario_file;

/* The same, reading the profiles named in files[0..n) from their stored
** text (sha256 unused) instead of from disk: a scenario read back from the
** database is the one that ran, even after its profiles were recalibrated,
** moved or deleted. A profile not in files is read from disk. */
int adi_scenario_parse_stored(const char *path, const char *text, const adi_scenario_file *files,
                              size_t nfiles, adi_scenario **out);

void adi_scenario_free(adi_scenario *sc);

/* The distinct profiles a calibrated scenario read, in listed order (0 for
** a synthetic pool); the strings are valid while sc lives. */
size_t adi_scenario_nfiles(const adi_scenario *sc);
adi_scenario_file adi_scenario_file_at(const adi_scenario *sc, size_t j);

const char *adi_scenario_name(const adi_scenario *sc);
const char *adi_scenario_path(const adi_scenario *sc);   /* as given, for messages */
/* The file's absolute path (or the path as given, for text parsed from
** memory): what the database records, so that a stored scenario can be
** read again, with the profiles it names, from any directory. */
const char *adi_scenario_source(const adi_scenario *sc);
const char *adi_scenario_text(const adi_scenario *sc);   /* the file as read */
/* NULL when every device's times were measured; otherwise the calibrated
** pool's devices whose times are estimates, with how they were estimated
** ("raspberry_pi (estimated), cortex_m4 (emulated)"; profile.h's source),
** which tables and figures show. Valid as long as sc. */
const char *adi_scenario_estimated(const adi_scenario *sc);
/* SHA-256 (hex) of the text; for a calibrated pool, of the text followed by
** the profiles' SHA-256s, so that recalibrating changes it. */
const char *adi_scenario_sha256(const adi_scenario *sc);
size_t adi_scenario_npoints(const adi_scenario *sc);
const adi_point *adi_scenario_point(const adi_scenario *sc, size_t i);

/* For a calibrated pool: the kernel profile that device i (in pool order,
** the same for every point) was measured with: its kernel, shape, batch and
** times. NULL for a synthetic pool or i out of range. Valid while sc lives. */
struct adi_kernel_profile;
const struct adi_kernel_profile *adi_scenario_device_kernel(const adi_scenario *sc, size_t i);

/* The whole profile of device i (its host, BLAS, source); NULL as above. */
struct adi_profile;
const struct adi_profile *adi_scenario_device_profile(const adi_scenario *sc, size_t i);

/* "path:line: [section] key" where the file sets the key named (a key of
** keys.h, by its name outside [sweep]; "... (default)" when not given), for
** messages about a key from outside this module. Returns buf. */
char *adi_scenario_key_where(const adi_scenario *sc, const char *key, char *buf, size_t size);

/* Bytes the points and pools were estimated to take when the scenario was
** read (refused above adi_memory_cap(), core/memory.h): loading a scenario
** of more is refused before anything is allocated, naming the keys. */
double adi_scenario_memory(const adi_scenario *sc);

/* 1 when the sweep gives the parameter more than one value. */
int adi_scenario_varies(const adi_scenario *sc, adi_param p);

/* The point's policy as tables name it: its name, then the value of each
** policy key the sweep varies and the policy takes ("pull fastest", "pull
** b=4", "pod d=3", "steal random equal"; D= for max_delay). Returns buf. */
char *adi_scenario_policy_label(const adi_scenario *sc, const adi_point *p, char *buf,
                                size_t size);

/* The widest such label of the scenario's points, at least 7 (a table's
** policy column; 7 for every scenario that varies no policy key and runs
** none of the longer names). */
int adi_scenario_policy_width(const adi_scenario *sc);

/* Documentation of the keys, for `simulate --list-keys`: i in [0, count). */
typedef struct adi_key_doc {
    const char *section, *key, *sweep, *default_value, *help;
} adi_key_doc;
size_t adi_scenario_key_count(void);
adi_key_doc adi_scenario_key_doc(size_t i);

#endif
