/*
** tests/fuzz/replay.c — a fuzz harness's corpus as an ordinary test: feeds
** every file under the directories (or files) named on the command line to
** LLVMFuzzerTestOneInput, in name order, and prints "N passed, 0 failed".
** A failing property aborts (fuzz.h), so the test fails with the file's
** name on stderr. Built with the normal compiler (make test) and under
** ASan + UBSan (make check).
*/
#include "fuzz.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *current; /* the file being replayed, for a failing property */

static void name_culprit(int sig)
{
    static const char msg[] = "replay: the input that failed: ";
    if (write(2, msg, sizeof msg - 1) < 0 || write(2, current, strlen(current)) < 0 ||
        write(2, "\n", 1) < 0)
        _exit(1);
    signal(sig, SIG_DFL);
    raise(sig);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            uint8_t *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
        }
    }
    fclose(f);
    if (!buf)
        return -1;
    current = path;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    size_t done = 0, failed = 0;
    signal(SIGABRT, name_culprit);
    signal(SIGSEGV, name_culprit);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no corpus %s\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            failed += replay_file(argv[i]) != 0;
            done++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        char **names = NULL;
        size_t n = 0;
        for (struct dirent *e; d && (e = readdir(d));) {
            if (e->d_name[0] == '.')
                continue;
            names = realloc(names, (n + 1) * sizeof *names);
            names[n] = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
            sprintf(names[n++], "%s/%s", argv[i], e->d_name);
        }
        if (d)
            closedir(d);
        qsort(names, n, sizeof *names, by_name);
        for (size_t j = 0; j < n; j++, done++) {
            failed += replay_file(names[j]) != 0;
            free(names[j]);
        }
        free(names);
    }
    if (done == 0) {
        fprintf(stderr, "replay: an empty corpus tests nothing\n");
        return 1;
    }
    printf("replay: %zu passed, %zu failed\n", done - failed, failed);
    return failed != 0;
}
