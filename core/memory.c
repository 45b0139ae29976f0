/*
** core/memory.c — the process's memory cap (see memory.h).
*/
#include "core/memory.h"
#include "core/error.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static double cap; /* bytes; 0: the default */

double adi_memory_physical(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (double)pages * (double)page : 0;
}

double adi_memory_cap(void)
{
    if (cap > 0)
        return cap;
    double phys = adi_memory_physical();
    return phys > 0 ? ADI_MEMORY_FRACTION * phys : 8.0 * 1024 * 1024 * 1024;
}

int adi_memory_set_cap(const char *text)
{
    char *end;
    double v = strtod(text, &end), scale = 1;
    const char *u = end;
    while (isspace((unsigned char)*u))
        u++;
    int ok = end != text && isfinite(v) && v > 0 && isdigit((unsigned char)text[0]);
    if (ok && *u == '%') {
        double phys = adi_memory_physical();
        ok = u[1] == '\0' && v <= 100 && phys > 0;
        v = v / 100 * phys;
    } else if (ok) {
        static const char units[] = "kmgt";
        const char *at = *u ? strchr(units, tolower((unsigned char)*u)) : NULL;
        if (at) {
            scale = pow(1024, (double)(at - units + 1));
            u++;
        }
        ok = *u == '\0' || strcasecmp(u, "b") == 0 || (at && strcasecmp(u, "ib") == 0);
    }
    if (!ok || !(v * scale >= 1024 * 1024))
        return adi_fail(ADI_EINPUT, "--max-memory: expected a size of at least 1 MiB such as "
                        "16G, 512MiB or 75%% (of physical memory), got '%s'", text);
    cap = v * scale;
    return ADI_OK;
}

char *adi_format_bytes(double bytes, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int i = 0;
    while (bytes >= 1024 && i < 6) {
        bytes /= 1024;
        i++;
    }
    snprintf(buf, size, i ? "%.3g %s" : "%.0f %s", bytes, units[i]);
    return buf;
}
