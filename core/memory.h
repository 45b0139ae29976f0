/*
** core/memory.h — the memory a process may plan to use, and bytes in words.
**
** Limits in adisim are derived from memory, not set per key: a scenario's
** points and pools (scenario.c) and a sweep's results in flight (sweep.c)
** are estimated before anything is allocated, and refused above the cap,
** with a message naming the keys that drive the estimate. The cap is a
** process-wide setting, like the locale: a program sets it once, before
** any work (simulate --max-memory); otherwise it is ADI_MEMORY_FRACTION of
** the machine's physical memory.
**
** The estimates are meant to be conservative (above the peak actually
** reached) but not absurd: README's reliability notes give both figures
** for the reproducers they were checked on.
*/
#ifndef ADI_CORE_MEMORY_H
#define ADI_CORE_MEMORY_H

#include <stddef.h>

/* The default cap: this fraction of physical memory. */
#define ADI_MEMORY_FRACTION 0.5

/* Physical memory in bytes (sysconf), or 0 when unknown. */
double adi_memory_physical(void);

/* The cap in bytes: the one set, else ADI_MEMORY_FRACTION of physical
** memory (8 GiB when that is unknown). */
double adi_memory_cap(void);

/* Sets the cap from text: a number of bytes with an optional unit (k, M, G,
** T, powers of 1024, optionally followed by "B" or "iB"; "16G", "512MiB",
** "1.5T"), or a percentage of physical memory ("75%"). At least 1 MiB.
** ADI_OK, or ADI_EINPUT naming what was expected. Not thread-safe: call it
** before starting work. */
int adi_memory_set_cap(const char *text);

/* "4.6 GB"-style text (powers of 1024, 2 to 3 significant digits); buf needs
** 16 bytes. Returns buf. */
char *adi_format_bytes(double bytes, char *buf, size_t size);

#endif
