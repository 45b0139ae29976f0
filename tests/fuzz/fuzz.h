/*
** tests/fuzz/fuzz.h — what the harnesses share: the libFuzzer entry point
** and the input as a C string.
**
** Each fuzz_*.c defines LLVMFuzzerTestOneInput for one reader. The same
** file links two ways: with clang's -fsanitize=fuzzer for `make fuzz`
** (libFuzzer's main), and with replay.c's main for `make test`, which
** feeds it every file of its committed corpus under the normal compiler
** (and under ASan + UBSan in `make check`). A harness aborts when a
** property fails, so both report it.
*/
#ifndef ADI_TESTS_FUZZ_H
#define ADI_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input up to its first NUL, NUL-terminated (the readers take text;
** a file with a NUL byte never reaches them, core/ini.c refuses it). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    size_t n = strnlen((const char *)data, size);
    char *t = malloc(n + 1);
    if (t) {
        memcpy(t, data, n);
        t[n] = '\0';
    }
    return t;
}

/* A property failed: say which and abort (libFuzzer saves the input). */
#define FUZZ_ASSERT(cond, ...)                                                 \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz property failed: %s: ", #cond);             \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

#endif
