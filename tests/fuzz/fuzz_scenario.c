/*
** tests/fuzz/fuzz_scenario.c — the scenario reader (scenario/scenario.c)
** on any text: ADI_OK or ADI_EINPUT (ADI_ENOMEM is not expected: the
** memory cap is set to 256 MiB, and the load estimate must refuse
** before allocating more), never a crash or a hang; an accepted scenario's
** sweep has a finite memory estimate. Profiles it names are read from
** the working directory like any file (the corpus names none that exist).
*/
#include "fuzz.h"

#include "core/error.h"
#include "core/memory.h"
#include "scenario/scenario.h"
#include "sweep/sweep.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int once;
    if (!once++)
        adi_memory_set_cap("256M");
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    adi_scenario *sc = NULL;
    int rc = adi_scenario_parse("fuzz.ini", text, &sc);
    FUZZ_ASSERT(rc == ADI_OK || rc == ADI_EINPUT, "rc %d: %s", rc, adi_errmsg());
    if (rc == ADI_OK) {
        double need = adi_sweep_memory(sc, 2, NULL);
        FUZZ_ASSERT(need > 0 && isfinite(need), "estimate %g", need);
    }
    adi_scenario_free(sc);
    free(text);
    return 0;
}
