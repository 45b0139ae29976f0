/*
** tests/helpers.h — what several test files need: cmocka's headers in the
** right order, temporary directories, running a program and capturing its
** output, and a floating-point comparison with a stated tolerance.
*/
#ifndef ADI_TESTS_HELPERS_H
#define ADI_TESTS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* |a - b| <= rel * max(|a|, |b|) (or both zero). */
#define assert_close(a, b, rel)                                                       \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(fabs(a_ - b_) <= (rel) * fmax(fabs(a_), fabs(b_)))) {                   \
            print_error("%s = %.17g and %s = %.17g differ by more than %g (relative)\n", \
                        #a, a_, #b, b_, (double)(rel));                               \
            _fail(__FILE__, __LINE__);                                                \
        }                                                                             \
    } while (0)

/* A fresh directory under $TMPDIR (or /tmp); the caller removes it with
** remove_tree(). Returns a malloc'ed path. */
static inline char *make_temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char *dir = malloc(512);
    snprintf(dir, 512, "%s/adisim-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

static inline void remove_tree(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(dir);
}

static inline void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Reads a whole file (malloc'ed, NUL-terminated), or NULL. */
static inline char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* Runs a shell command with stdout and stderr captured into *out / *err
** (malloc'ed; pass NULL to discard). Returns the exit status, or -1. */
static inline int run_command(const char *cmd, char **out, char **err)
{
    char *dir = make_temp_dir();
    char o[600], e[600], full[4096];
    snprintf(o, sizeof o, "%s/out", dir);
    snprintf(e, sizeof e, "%s/err", dir);
    snprintf(full, sizeof full, "%s >'%s' 2>'%s'", cmd, o, e);
    int status = system(full);
    if (out)
        *out = read_file(o);
    if (err)
        *err = read_file(e);
    remove_tree(dir);
    return status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
}

/* The directory of the programs under test ($ADISIM_BIN, default bin). */
static inline const char *bin_dir(void)
{
    const char *b = getenv("ADISIM_BIN");
    return b && *b ? b : "bin";
}

#endif
