/*
** core/units.h — parsing and printing the values users write in scenario
** and profile files: times with units, counts, rates, queue capacities and
** comma-separated lists.
**
** Every parser is strict: the whole string must be consumed, numbers must be
** finite, and the error message (fetched with adi_errmsg) says what was
** expected and what was found. Callers add the file, line and key.
** Times are returned in seconds.
*/
#ifndef ADI_CORE_UNITS_H
#define ADI_CORE_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* The times adisim simulates, in seconds: 1 ps to 1e9 s (31.7 years). Every
** time a scenario gives (and every device time it implies) must lie in this
** range, and a rate's mean gap between arrivals too. Within it the engine's
** sums stay finite and normal: m <= 1e12 tasks of at most 1e9 s make 1e21 s,
** n <= 1e6 devices of that 1e27 device-seconds, squares 1e54; below it,
** 1e-300 ns is a subnormal in which the bounds lose their digits. */
#define ADI_TIME_MIN 1e-12
#define ADI_TIME_MAX 1e9

/* ADI_OK when seconds is in [ADI_TIME_MIN, ADI_TIME_MAX] (or 0 when zero_ok);
** else ADI_EINPUT with "expected a time from 1 ps to 1e9 s[ or 0], got
** 'text'". */
int adi_check_time(double seconds, int zero_ok, const char *text);

/* Queue capacity meaning "no limit". */
#define ADI_CAPACITY_INF UINT64_MAX

/* "1.2s", "50 ms", "20us", "20µs", "100ns", or a bare number of seconds.
** Negative times are rejected; zero is accepted (callers that need a
** positive time check that themselves). */
int adi_parse_time(const char *text, double *seconds);

/* A finite real number, no unit. */
int adi_parse_real(const char *text, double *value);

/* A non-negative integer: digits, or an integral scientific form like 1e6.
** min is the smallest value accepted (1 for counts that must be positive). */
int adi_parse_uint(const char *text, uint64_t min, uint64_t *value);

/* "inf" (also "infinite", "unbounded") or a positive integer. */
int adi_parse_capacity(const char *text, uint64_t *capacity);

/* An arrival rate in tasks per second: "200", "200/s", "0.2/ms". Positive. */
int adi_parse_rate(const char *text, double *per_second);

/* A bandwidth in bytes/s: a number and a unit, bits (bit/s, kbit/s,
** Mbit/s, Gbit/s, Tbit/s; decimal) or bytes (B/s, kB/s, MB/s, GB/s, TB/s,
** KiB/s, MiB/s, GiB/s), or "inf" (no limit) when inf_ok. Positive and
** finite; a bare number (no unit) is an error, since bits and bytes differ
** by 8. */
int adi_parse_bandwidth(const char *text, int inf_ok, double *bytes_per_s);

/* A size in whole bytes: a number and a unit (B, kB, MB, GB, TB, KiB, MiB,
** GiB, TiB), from 0 to 2^53 (what a double holds exactly), e.g. 393216B,
** 384KiB, 1.5MB. A bare number, a fraction of a byte or more than 2^53 is
** an error. */
int adi_parse_bytes(const char *text, double *bytes);

/* Splits a comma-separated list into trimmed items. Empty items (",,") and
** an empty list are errors. On success *items is one malloc'ed block holding
** the pointer array and the strings; the caller frees it with free(). */
int adi_split_list(const char *text, char ***items, size_t *count);

/* Prints x with the fewest significant digits (up to 17) that read back as
** exactly x ("0.05", not "0.050000000000000003"). buf needs 32 bytes. */
char *adi_format_exact(double x, char *buf, size_t size);

/* Prints a time with a unit chosen for 4 significant digits ("50.00 ms",
** "1.250 s", "12.34 ks" is never used: large times stay in s). Returns buf. */
char *adi_format_time(double seconds, char *buf, size_t size);

/* A bandwidth for a person, in decimal units: bytes ("125 MB/s", "14.4
** kB/s") or bits ("1 Gbit/s", "737.3 kbit/s"); "inf" for no limit. buf
** needs 16 bytes; returns it. */
char *adi_format_bandwidth(double bytes_per_s, char *buf, size_t size);
char *adi_format_bitrate(double bytes_per_s, char *buf, size_t size);

/* "a, b or c": the names name_at(0..n) as a message lists the valid
** choices (a table's entries); with help_at, "a (its help), b (...) or c
** (...)". Returns buf (truncated to size). */
char *adi_format_choices(const char *(*name_at)(size_t i), const char *(*help_at)(size_t i),
                         size_t n, char *buf, size_t size);

/* A table of `what`s (policy, workload) is complete: for each entry
** lacks_at(i) is NULL (else it says what the entry lacks) and no two names
** are equal. ADI_OK, or ADI_EINTERNAL "policy table entry 3 (x) has no
** ..." (name_at is called only on entries that lack nothing). */
int adi_check_choices(const char *what, size_t n, const char *(*name_at)(size_t i),
                      const char *(*lacks_at)(size_t i));

/* *index = the i < n with name_at(i) equal to name; else ADI_EINPUT
** "expected a, b or c, got 'name'". */
int adi_parse_choice(const char *name, const char *(*name_at)(size_t i), size_t n,
                     size_t *index);

#endif
