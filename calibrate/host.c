/*
** calibrate/host.c — describing the machine calibrate runs on (host.h).
*/
#include "calibrate/host.h"
#include "calibrate/blas.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#ifdef __APPLE__
#include <sys/sysctl.h>
#endif

#ifndef ADI_VERSION
#define ADI_VERSION "unknown"
#endif

const char *adi_host_compiler(void)
{
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#else
    return "unknown C compiler";
#endif
}

/* Copies src into dst (size bytes), trimmed, with characters that an INI
** line cannot hold replaced by spaces or commas. */
static void set_text(char *dst, size_t size, const char *src)
{
    while (isspace((unsigned char)*src))
        src++;
    size_t n = 0;
    for (; *src && n + 1 < size; src++)
        dst[n++] = *src == ';' ? ',' : *src == '#' || iscntrl((unsigned char)*src) ? ' ' : *src;
    while (n && isspace((unsigned char)dst[n - 1]))
        n--;
    dst[n] = '\0';
    if (!n)
        snprintf(dst, size, "unknown");
}

static void cpu_model(char *out, size_t size)
{
    out[0] = '\0';
#ifdef __APPLE__
    size_t len = size;
    if (sysctlbyname("machdep.cpu.brand_string", out, &len, NULL, 0) == 0)
        return;
    out[0] = '\0';
#endif
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    static const char *const keys[] = {"model name", "Model", "Hardware", "cpu model", "CPU part"};
    char line[512], found[5][256] = {{0}};
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        for (size_t k = 0; k < 5; k++) {
            size_t kl = strlen(keys[k]);
            if (!found[k][0] && strncmp(line, keys[k], kl) == 0 &&
                (isspace((unsigned char)line[kl]) || line[kl] == ':')) {
                size_t len = strlen(colon + 1);
                len = len < sizeof found[k] ? len : sizeof found[k] - 1;
                memcpy(found[k], colon + 1, len);
                found[k][len] = '\0';
            }
        }
    }
    fclose(f);
    for (size_t k = 0; k < 5; k++)
        if (found[k][0]) {
            size_t len = strnlen(found[k], sizeof found[k]);
            len = len < size ? len : size - 1;
            memcpy(out, found[k], len);
            out[len] = '\0';
            return;
        }
}

void adi_host_describe(adi_profile *pf)
{
    char buf[256];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(pf->created, sizeof pf->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(pf->created, sizeof pf->created, "unknown");
    set_text(pf->adisim, sizeof pf->adisim, ADI_VERSION);
    cpu_model(buf, sizeof buf);
    set_text(pf->cpu, sizeof pf->cpu, buf);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    pf->cores = cores > 0 ? (unsigned)cores : 1;
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(buf, sizeof buf, "%s %s %s", u.sysname, u.release, u.machine);
    else
        buf[0] = '\0';
    set_text(pf->os, sizeof pf->os, buf);
    set_text(pf->compiler, sizeof pf->compiler, adi_host_compiler());
    set_text(pf->blas, sizeof pf->blas, adi_blas_name());
}
