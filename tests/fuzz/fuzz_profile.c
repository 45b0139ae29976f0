/*
** tests/fuzz/fuzz_profile.c — the profile reader (profile/profile.c) on
** any text: it returns ADI_OK or ADI_EINPUT with a message naming the file,
** never crashes; and a profile it accepts round-trips: its text parses to
** a profile whose text is the same (text -> parse -> text is a fixed
** point), unless the writer refuses it (then it says why, and nothing is
** written).
*/
#include "fuzz.h"

#include "profile/profile.h"
#include "core/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    adi_profile *pf = NULL, *back = NULL;
    int rc = adi_profile_parse("fuzz.ini", text, &pf);
    FUZZ_ASSERT(rc == ADI_OK || rc == ADI_EINPUT, "rc %d: %s", rc, adi_errmsg());
    FUZZ_ASSERT(rc == ADI_OK || strncmp(adi_errmsg(), "fuzz.ini", 8) == 0, "%s", adi_errmsg());
    char *a = NULL, *b = NULL;
    if (rc == ADI_OK && adi_profile_text(pf, &a) == ADI_OK) {
        rc = adi_profile_parse("fuzz.ini", a, &back);
        FUZZ_ASSERT(rc == ADI_OK, "the written text does not read back: %s", adi_errmsg());
        rc = adi_profile_text(back, &b);
        FUZZ_ASSERT(rc == ADI_OK, "the text of a profile read back is refused: %s", adi_errmsg());
        FUZZ_ASSERT(strcmp(a, b) == 0, "text -> parse -> text is not a fixed point");
    }
    free(a);
    free(b);
    adi_profile_free(back);
    adi_profile_free(pf);
    free(text);
    return 0;
}
