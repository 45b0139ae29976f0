/*
** calibrate/beside.h — the co-runner of `calibrate --beside PROFILE`: the
** task a device profile describes (kernel, shape, batch and GEMM), to run
** over and over on another core while this device is timed (measure.h).
** Full build only: it reads a profile.
*/
#ifndef ADI_CALIBRATE_BESIDE_H
#define ADI_CALIBRATE_BESIDE_H

#include "measure/measure.h"
#include "profile/profile.h"

/* Reads the profile at path and fills *out with its kernel k's task; *pf
** receives the profile (out->device points into it; the caller frees it
** with adi_profile_free). Errors start with "--beside: " and name the file;
** *pf is NULL then. */
int adi_beside_load(const char *path, adi_kernel k, adi_profile **pf, adi_calibrate_corunner *out);

#endif
