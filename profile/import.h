/*
** profile/import.h — from a measurement record (record.h) to a device
** profile (profile.h): reading a record strictly, converting its counts to
** seconds, and saying where they came from.
**
**   unit          seconds                          profile source
**   ns            count / 1e9                      measured
**   cycles        count / clock_hz                 measured (cycles counted on
**                                                  the device; the clock is the
**                                                  record's or --clock)
**   instructions  count x cpi / clock_hz           emulated: an estimate; cpi and
**                                                  clock_hz are written into the
**                                                  profile with the mean count
**
** A record whose clock times were taken under an emulator (qemu-user, which
** host.c detects) is refused: those are the emulator's times, not the
** device's; such a record is good for checking the kernels only. A record
** that reports a wrong output, or whose work per task does not match its
** shape, is refused too.
**
** The default CPI: 1.5 cycles per instruction, our reading of the
** Cortex-M4 Technical Reference Manual's instruction timings for the
** kernels' inner loops (loads and stores 2 cycles unless pipelined, taken
** branches 2 to 4, single-precision add and multiply 1), assuming memory
** without wait states (an STM32F4's ART accelerator hides most flash wait
** states in loops). It is an assumption, stated in every profile it makes;
** a board's DWT cycle counter replaces it with a measurement.
*/
#ifndef ADI_CALIBRATE_IMPORT_H
#define ADI_CALIBRATE_IMPORT_H

#include "profile/profile.h"
#include "measure/record.h"

#define ADI_IMPORT_CPI 1.5
#define ADI_IMPORT_CLOCK_HZ 168e6 /* an STM32F4's Cortex-M4 at full speed */

typedef struct adi_import_options {
    const char *device;   /* the profile's device name; NULL: the record's */
    double cpi;           /* instructions only; 0: ADI_IMPORT_CPI */
    double clock_hz;      /* instructions: 0 = ADI_IMPORT_CLOCK_HZ; cycles: 0 = the record's */
    const char *path;     /* the record's file (named in origin); NULL: measured here */
    const char *note;     /* appended to origin ("; " note), e.g. what the device stands in
                             for; NULL: none. ADI_EINPUT when origin would not fit a line */
} adi_import_options;

/* Reads a record; on failure *out is NULL and the message names the file,
** the line and the key. The caller frees it with adi_record_free. Anything
** before the first line "[record]" that is not INI (a boot banner from a
** serial console) is an error; comments are fine. */
int adi_record_parse(const char *path, const char *text, adi_record **out);
int adi_record_load(const char *path, adi_record **out);

/* The profile of a record (statistics, fits, source, origin); o may be NULL
** (defaults). The profile is new; the caller frees it. */
int adi_profile_from_record(const adi_record *r, const adi_import_options *o, adi_profile **out);

#endif
