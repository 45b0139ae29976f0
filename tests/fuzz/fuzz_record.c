/*
** tests/fuzz/fuzz_record.c — the measurement record reader
** (profile/import.c) on any text: ADI_OK or ADI_EINPUT, never a crash;
** and record -> profile -> parse succeeds: whatever profile the import
** makes and the writer accepts reads back.
*/
#include "fuzz.h"

#include "profile/import.h"
#include "core/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    adi_record *r = NULL;
    int rc = adi_record_parse("fuzz.record", text, &r);
    FUZZ_ASSERT(rc == ADI_OK || rc == ADI_EINPUT, "rc %d: %s", rc, adi_errmsg());
    adi_profile *pf = NULL, *back = NULL;
    char *t = NULL;
    adi_import_options o = {.path = "fuzz.record", .note = "fuzzed"};
    if (rc == ADI_OK && adi_profile_from_record(r, &o, &pf) == ADI_OK &&
        adi_profile_text(pf, &t) == ADI_OK) {
        rc = adi_profile_parse("fuzz.ini", t, &back);
        FUZZ_ASSERT(rc == ADI_OK, "an imported profile does not read back: %s", adi_errmsg());
    }
    free(t);
    adi_profile_free(back);
    adi_profile_free(pf);
    adi_record_free(r);
    free(text);
    return 0;
}
