/*
** calibrate/beside.c — a profile's task as a co-runner (see beside.h).
*/
#include "calibrate/beside.h"
#include "exec/execute.h"
#include "core/error.h"

int adi_beside_load(const char *path, adi_kernel k, adi_profile **pf, adi_calibrate_corunner *out)
{
    const adi_kernel_profile *kp = NULL;
    int rc = adi_profile_load(path, pf);
    if (rc == ADI_OK)
        rc = adi_profile_need(*pf, k, &kp);
    if (rc != ADI_OK) {
        adi_profile_free(*pf);
        *pf = NULL;
        return adi_fail_prefix(rc, "--beside");
    }
    *out = (adi_calibrate_corunner){(*pf)->device, k, kp->shape,
                                    adi_execute_gemm(*pf) == adi_gemm_plain};
    return ADI_OK;
}
