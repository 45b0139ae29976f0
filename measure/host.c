/*
** measure/host.c — describing the machine calibrate runs on (host.h).
*/
#include "measure/host.h"

#include <ctype.h>
#include <stdint.h>
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

/* Why this program seems to run under an emulator, into why (or ""). See
** host.h. */
static void emulation(const char *cpuinfo_keys, char *why, size_t size)
{
    why[0] = '\0';
#if defined(__linux__) && defined(__aarch64__)
    uint64_t midr;
    __asm__ volatile("mrs %0, midr_el1" : "=r"(midr)); /* Linux emulates this read */
    if ((midr >> 24 & 0xff) == 0) {
        snprintf(why, size, "qemu-user (the CPU's MIDR_EL1 %#llx has implementer 0, QEMU's "
                 "own model)", (unsigned long long)midr);
        return;
    }
#endif
#if defined(__linux__) && (defined(__aarch64__) || defined(__arm__))
    if (cpuinfo_keys && strstr(cpuinfo_keys, "vendor_id\n"))
        snprintf(why, size, "an emulator such as qemu-user (an ARM program, and /proc/cpuinfo "
                 "describes an x86 CPU)");
#elif defined(__linux__) && (defined(__x86_64__) || defined(__i386__))
    if (cpuinfo_keys && strstr(cpuinfo_keys, "CPU implementer\n"))
        snprintf(why, size, "an emulator such as qemu-user (an x86 program, and /proc/cpuinfo "
                 "describes an ARM CPU)");
#elif defined(__APPLE__) && defined(__x86_64__)
    int translated = 0;
    size_t len = sizeof translated;
    (void)cpuinfo_keys;
    if (sysctlbyname("sysctl.proc_translated", &translated, &len, NULL, 0) == 0 && translated)
        snprintf(why, size, "Rosetta 2 (an x86-64 build on Apple silicon)");
#else
    (void)cpuinfo_keys;
    (void)size;
#endif
}

/* The CPU model into out; the names of /proc/cpuinfo's keys (one per line,
** "CPU implementer", "vendor_id", ...) into names, or names[0] = 0 without it. */
static void cpu_model(char *out, size_t size, char *names, size_t names_size)
{
    out[0] = '\0';
    names[0] = '\0';
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
    size_t klen = 0;
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        size_t name = strcspn(line, "\t:");
        if (klen + name + 2 < names_size) { /* the first CPU's keys are enough */
            memcpy(names + klen, line, name);
            klen += name;
            names[klen++] = '\n';
            names[klen] = '\0';
        }
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

void adi_host_cpu(char *out, size_t size)
{
    char buf[256], keys[2048];
    cpu_model(buf, sizeof buf, keys, sizeof keys);
    set_text(out, size, buf);
}

void adi_host_describe(adi_record *rec, const char *blas)
{
    char buf[256], keys[2048];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(rec->created, sizeof rec->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(rec->created, sizeof rec->created, "unknown");
    set_text(rec->adisim, sizeof rec->adisim, ADI_VERSION);
    cpu_model(buf, sizeof buf, keys, sizeof keys);
    set_text(rec->cpu, sizeof rec->cpu, buf);
    emulation(keys[0] ? keys : NULL, buf, sizeof buf);
    if (buf[0])
        set_text(rec->emulator, sizeof rec->emulator, buf);
    else
        snprintf(rec->emulator, sizeof rec->emulator, "none");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    rec->cores = cores > 0 ? (unsigned)cores : 1;
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(buf, sizeof buf, "%s %s %s", u.sysname, u.release, u.machine);
    else
        buf[0] = '\0';
    set_text(rec->os, sizeof rec->os, buf);
    set_text(rec->compiler, sizeof rec->compiler, adi_host_compiler());
    set_text(rec->blas, sizeof rec->blas, blas);
}
