/*
** measure/host.h — what machine a profile was measured on: CPU model,
** cores, operating system, compiler, BLAS, and the time (UTC).
**
** Portability: the CPU model comes from /proc/cpuinfo on Linux ("model
** name" on x86, "Model" on a Raspberry Pi, "Hardware" or "CPU part"
** elsewhere) and from sysctl machdep.cpu.brand_string on macOS; "unknown"
** when neither answers. Values are made safe for one INI line (no ';',
** '#' or control characters).
**
** Emulation: a program for ARM run by qemu-user on an x86 machine sees the
** x86 machine's /proc/cpuinfo (qemu-user passes it through), and one for
** x86 on an ARM machine sees the reverse. So on Linux, a /proc/cpuinfo that
** describes another architecture than the program's (a "vendor_id" line
** for an ARM build, a "CPU implementer" line for an x86 build) means the
** times are an emulator's, and `emulator` says so; on aarch64 QEMU's own
** CPU model ("max", implementer 0, which no hardware uses) says it too,
** and on macOS, Rosetta 2 (sysctl.proc_translated).
** Only libc: the probe build (no GSL) uses this file.
*/
#ifndef ADI_CALIBRATE_HOST_H
#define ADI_CALIBRATE_HOST_H

#include "measure/record.h"

/* Fills rec's created, adisim, cpu, cores, os, compiler, emulator and blas
** (the name of the GEMM the kernels use, given by the caller). */
void adi_host_describe(adi_record *rec, const char *blas);

/* This machine's CPU model as adi_host_describe writes it into a record (and
** so into the profiles measured here). */
void adi_host_cpu(char *out, size_t size);

/* The compiler that built adisim, e.g. "gcc 12.2.0" (a static string). */
const char *adi_host_compiler(void);

#endif
