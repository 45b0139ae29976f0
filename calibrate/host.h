/*
** calibrate/host.h — what machine a profile was measured on: CPU model,
** cores, operating system, compiler, BLAS, and the time (UTC).
**
** Portability: the CPU model comes from /proc/cpuinfo on Linux ("model
** name" on x86, "Model" on a Raspberry Pi, "Hardware" or "CPU part"
** elsewhere) and from sysctl machdep.cpu.brand_string on macOS; "unknown"
** when neither answers. Values are made safe for one INI line (no ';',
** '#' or control characters).
*/
#ifndef ADI_CALIBRATE_HOST_H
#define ADI_CALIBRATE_HOST_H

#include "calibrate/profile.h"

/* Fills pf's created, adisim, cpu, cores, os, compiler and blas. */
void adi_host_describe(adi_profile *pf);

/* The compiler that built adisim, e.g. "gcc 12.2.0" (a static string). */
const char *adi_host_compiler(void);

#endif
