/*
** plots/draw.c — the process half of plot.h: gnuplot through popen().
**
** One gnuplot process per figure. Each gets its whole program (data
** included, as inline data blocks) through the pipe, so no script or data
** file is ever written; the processes are started one after another and
** render in parallel, then reaped in order. Each writes its figure to a
** hidden temporary name in the output folder; nothing gets its final name
** until every figure and index.html are complete, and on any failure every
** temporary file is removed: the folder holds the previous figures or the
** new ones, never half of a file.
**
** gnuplot's stdout and stderr go to a temporary file (mkstemp, in the
** output folder, which also proves the folder writable) that is read after
** pclose() and removed. A non-zero exit status is an error carrying that
** text; text after a clean exit is a warning handed to the caller. The
** shell's 127 ("command not found") means gnuplot vanished from $PATH
** after the check.
**
** SIGPIPE: if gnuplot dies while we write, write() fails with EPIPE instead
** of killing the caller: the signal is blocked around the writes and any
** instance raised meanwhile is consumed before unblocking.
*/
#include "plots/plot_int.h"

#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUTPUT_MAX 700 /* bytes of gnuplot's output quoted in a message */

void adi_plot_outcome_free(adi_plot_outcome *o)
{
    for (int i = 0; i < ADI_FIG_COUNT; i++) {
        free(o->warnings[i]);
        o->warnings[i] = NULL;
    }
}

int adi_plot_gnuplot_found(void)
{
    const char *path = getenv("PATH");
    if (!path)
        return 0;
    const char *dir = path;
    for (;;) {
        const char *end = strchr(dir, ':');
        size_t len = end ? (size_t)(end - dir) : strlen(dir);
        char exe[4096];
        /* An empty entry is the current directory (POSIX). */
        snprintf(exe, sizeof exe, "%.*s%sgnuplot", (int)len, dir, len ? "/" : "");
        struct stat st;
        if (stat(exe, &st) == 0 && S_ISREG(st.st_mode) && access(exe, X_OK) == 0)
            return 1;
        if (!end)
            return 0;
        dir = end + 1;
    }
}

/* mkdir -p. */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = ADI_OK;
    for (char *c = p + 1;; c++) {
        if (*c != '/' && *c != '\0')
            continue;
        char save = *c;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = adi_fail(ADI_EIO, "%s: cannot create the folder: %s", p, strerror(errno));
            break;
        }
        *c = save;
        if (!save)
            break;
    }
    free(p);
    struct stat st;
    if (rc == ADI_OK && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = adi_fail(ADI_EIO, "%s: not a folder", dir);
    return rc;
}

/* A malloc'ed printf: the caller frees it; NULL when out of memory. */
static char *format_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format_path(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (p) {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)len + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

/* "exec gnuplot >'out' 2>&1" with out quoted for the shell. */
static char *gnuplot_command(const char *out)
{
    char *cmd = malloc(strlen(out) * 4 + 64);
    if (!cmd)
        return NULL;
    char *c = cmd + sprintf(cmd, "exec gnuplot >'");
    for (const char *s = out; *s; s++) {
        if (*s == '\'')
            c += sprintf(c, "'\\''");
        else
            *c++ = *s;
    }
    strcpy(c, "' 2>&1");
    return cmd;
}

/* The first OUTPUT_MAX bytes of a file ("[...]" when there is more),
** trailing white space removed; NULL when it is empty. */
static char *read_output(const char *path)
{
    static const char more[] = "\n[...]";
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = malloc(OUTPUT_MAX + sizeof more);
    size_t n = buf ? fread(buf, 1, OUTPUT_MAX + 1, f) : 0;
    fclose(f);
    if (!buf)
        return NULL;
    int cut = n > OUTPUT_MAX;
    if (cut)
        n = OUTPUT_MAX;
    while (n && strchr(" \t\r\n", buf[n - 1]))
        n--;
    if (!n) {
        free(buf);
        return NULL;
    }
    memcpy(buf + n, cut ? more : "", cut ? sizeof more : 1);
    return buf;
}

typedef struct job {
    FILE *pipe;
    char *tmp;        /* the figure, until renamed */
    char *final;
    char *output;     /* gnuplot's stdout + stderr */
    int rc;           /* of writing the program */
    char why[1024];   /* its message */
} job;

static void block_sigpipe(sigset_t *old, int *was_pending)
{
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, old);
    sigpending(&pending);
    *was_pending = sigismember(&pending, SIGPIPE);
}

static void restore_sigpipe(const sigset_t *old, int was_pending)
{
    if (!was_pending) { /* raised by our writes: discard it */
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        const struct timespec zero = {0, 0};
        while (sigtimedwait(&set, NULL, &zero) > 0)
            continue;
    }
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* Starts gnuplot on figure fig and writes its program. A failure after
** popen() leaves j->pipe open for finish() to reap. */
static int start(const adi_plot_data *d, int fig, adi_plot_format fmt, const char *dir, job *j)
{
    const char *ext = adi_plot_format_name(fmt), *stem = adi_plot_figure_stem(fig);
    j->tmp = format_path("%s/.%s.tmp%ld.%s", dir, stem, (long)getpid(), ext);
    j->final = format_path("%s/%s.%s", dir, stem, ext);
    j->output = format_path("%s/.gnuplot-%s.XXXXXX", dir, stem);
    if (!j->tmp || !j->final || !j->output)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int fd = mkstemp(j->output);
    if (fd < 0) {
        int e = errno;
        free(j->output);
        j->output = NULL;
        return adi_fail(ADI_EIO, "%s: cannot write: %s", dir, strerror(e));
    }
    close(fd);
    char *cmd = gnuplot_command(j->output);
    if (!cmd)
        return adi_fail(ADI_ENOMEM, "out of memory");
    j->pipe = popen(cmd, "w");
    free(cmd);
    if (!j->pipe)
        return adi_fail(ADI_EIO, "cannot start gnuplot: %s", strerror(errno));
    sigset_t old;
    int pending;
    block_sigpipe(&old, &pending);
    int rc = adi_plot_write_figure(d, fig, fmt, j->tmp, j->pipe);
    restore_sigpipe(&old, pending);
    return rc;
}

/* 1 when the figure at path ends as a whole file of its format does (PNG's
** IEND chunk, SVG's </svg>, PDF's %%EOF): gnuplot exits 0 even when its
** writes failed, so a full disk shows as a figure cut short. *size: bytes. */
static int figure_complete(const char *path, adi_plot_format fmt, long long *size)
{
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    unsigned char tail[32];
    FILE *f = fopen(path, "rb");
    *size = 0;
    if (!f)
        return 0;
    size_t n = 0;
    if (fseek(f, 0, SEEK_END) == 0 && (*size = ftell(f)) > 0 &&
        fseek(f, *size > (long long)sizeof tail ? (long)(*size - (long long)sizeof tail) : 0,
              SEEK_SET) == 0)
        n = fread(tail, 1, sizeof tail, f);
    fclose(f);
    if (fmt == ADI_PLOT_PNG)
        return n >= sizeof iend && memcmp(tail + n - sizeof iend, iend, sizeof iend) == 0;
    while (n && strchr(" \t\r\n", tail[n - 1]))
        n--;
    const char *end = fmt == ADI_PLOT_SVG ? "</svg>" : "%%EOF";
    size_t len = strlen(end);
    return n >= len && memcmp(tail + n - len, end, len) == 0;
}

/* Why a file cannot be written in dir now: the errno of writing 64 KiB
** there (ENOSPC: the disk is full), or 0 when that works. */
static int write_probe(const char *dir)
{
    char *path = format_path("%s/.space.tmp%ld", dir, (long)getpid());
    if (!path)
        return ENOMEM;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), e = fd < 0 ? errno : 0;
    static const char zeros[4096];
    for (int i = 0; fd >= 0 && i < 16 && !e; i++)
        if (write(fd, zeros, sizeof zeros) != (ssize_t)sizeof zeros)
            e = errno ? errno : ENOSPC;
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    free(path);
    return e;
}

/* The error for a figure gnuplot left empty or cut short. */
static int not_written(int fig, const char *dir, long long size, const char *nl, const char *said)
{
    const char *stem = adi_plot_figure_stem(fig);
    int e = write_probe(dir);
    if (e)
        return adi_fail(ADI_EIO, "figure %d (%s): %s: cannot write: %s (gnuplot's figure stops "
                        "at %lld bytes)%s%s", fig + 1, stem, dir, strerror(e), size, nl, said);
    if (!size)
        return adi_fail(ADI_EIO, "figure %d (%s): gnuplot wrote no figure%s%s", fig + 1, stem, nl,
                        said);
    return adi_fail(ADI_EIO, "figure %d (%s): gnuplot's figure is incomplete (%lld bytes)%s%s",
                    fig + 1, stem, size, nl, said);
}

/* Waits for gnuplot and judges what it did: ADI_OK (its output, if any,
** becomes the figure's warning) or the error. */
static int finish(int fig, adi_plot_format fmt, const char *dir, job *j, adi_plot_outcome *out)
{
    int rc = j->rc;
    if (!j->pipe)
        return rc == ADI_OK ? ADI_OK : adi_fail(rc, "%s", j->why);
    sigset_t old;
    int pending;
    block_sigpipe(&old, &pending);
    int status = pclose(j->pipe);
    restore_sigpipe(&old, pending);
    j->pipe = NULL;
    char *text = read_output(j->output);
    unlink(j->output);
    const char *stem = adi_plot_figure_stem(fig), *nl = text ? ":\n" : "",
               *said = text ? text : "";
    long long size;
    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
        rc = adi_fail(ADI_EINPUT, "gnuplot not found: install gnuplot-nox");
    else if (rc != ADI_OK) /* gnuplot's words explain a broken pipe best */
        rc = text ? adi_fail(rc, "figure %d (%s): gnuplot failed:\n%s", fig + 1, stem, text)
                  : adi_fail(rc, "%s", j->why);
    else if (status == -1 || !WIFEXITED(status))
        rc = adi_fail(ADI_EIO, "figure %d (%s): gnuplot did not exit normally%s%s", fig + 1,
                      stem, nl, said);
    else if (WEXITSTATUS(status) != 0)
        rc = adi_fail(ADI_EIO, "figure %d (%s): gnuplot failed (exit %d)%s%s", fig + 1, stem,
                      WEXITSTATUS(status), nl, said);
    else if (!figure_complete(j->tmp, fmt, &size))
        rc = not_written(fig, dir, size, nl, said);
    else if (text) {
        out->warnings[fig] = text;
        text = NULL;
    }
    free(text);
    return rc;
}

/* index.html into tmp; messages name index, the file it becomes. */
static int write_index(const adi_plot_data *d, adi_plot_format fmt, const adi_plot_outcome *out,
                       const char *tmp, const char *index)
{
    FILE *f = fopen(tmp, "w");
    if (!f)
        return adi_fail(ADI_EIO, "%s: cannot write: %s", index, strerror(errno));
    int rc = adi_plot_write_index(d, fmt, out->drawn, f);
    if (rc != ADI_OK)
        rc = adi_fail_prefix(rc, "%s", index);
    if (fclose(f) != 0 && rc == ADI_OK)
        rc = adi_fail(ADI_EIO, "%s: cannot write: %s", index, strerror(errno));
    return rc;
}

/* Keeps the first error's code and message. */
static void note_error(int rc, int *first, char *message, size_t size)
{
    if (rc != ADI_OK && *first == ADI_OK) {
        *first = rc;
        snprintf(message, size, "%s", adi_errmsg());
    }
}

int adi_plot_draw(const adi_plot_data *d, const char *dir, adi_plot_format fmt,
                  adi_plot_outcome *out)
{
    memset(out, 0, sizeof *out);
    if (!adi_plot_gnuplot_found())
        return adi_fail(ADI_EINPUT, "gnuplot not found: install gnuplot-nox");
    int rc = make_dirs(dir);
    if (rc != ADI_OK)
        return rc;
    job *jobs = calloc(ADI_FIG_COUNT, sizeof *jobs);
    if (!jobs)
        return adi_fail(ADI_ENOMEM, "out of memory");
    char message[1024] = "";
    int first = ADI_OK, stop = 0;
    for (int fig = 0; fig < ADI_FIG_COUNT && !stop; fig++) {
        const char *why;
        if (!adi_plot_figure_applies(d, fig, &why))
            continue;
        job *j = &jobs[fig];
        if ((j->rc = start(d, fig, fmt, dir, j)) != ADI_OK) {
            snprintf(j->why, sizeof j->why, "%s", adi_errmsg());
            stop = 1; /* finish() reports it, with gnuplot's words if any */
        }
    }
    /* Reap every process, even after a failure. */
    for (int fig = 0; fig < ADI_FIG_COUNT; fig++) {
        if (!jobs[fig].tmp)
            continue;
        rc = finish(fig, fmt, dir, &jobs[fig], out);
        note_error(rc, &first, message, sizeof message);
        out->drawn[fig] = rc == ADI_OK;
    }
    char *index_tmp = format_path("%s/.index.tmp%ld.html", dir, (long)getpid());
    char *index = format_path("%s/index.html", dir);
    if (!index_tmp || !index)
        note_error(adi_fail(ADI_ENOMEM, "out of memory"), &first, message, sizeof message);
    if (first == ADI_OK)
        note_error(write_index(d, fmt, out, index_tmp, index), &first, message, sizeof message);
    /* All or nothing: rename everything, or remove every temporary file. */
    for (int fig = 0; fig < ADI_FIG_COUNT && first == ADI_OK; fig++)
        if (jobs[fig].tmp && rename(jobs[fig].tmp, jobs[fig].final) != 0)
            note_error(adi_fail(ADI_EIO, "%s: cannot write: %s", jobs[fig].final,
                                strerror(errno)), &first, message, sizeof message);
    if (first == ADI_OK && rename(index_tmp, index) != 0)
        note_error(adi_fail(ADI_EIO, "%s: cannot write: %s", index, strerror(errno)), &first,
                   message, sizeof message);
    for (int fig = 0; fig < ADI_FIG_COUNT; fig++) {
        job *j = &jobs[fig];
        if (first != ADI_OK && j->tmp)
            unlink(j->tmp);
        if (first == ADI_OK && !j->tmp) { /* skipped now: no stale figure of ours */
            char *stale = format_path("%s/%s.%s", dir, adi_plot_figure_stem(fig),
                                      adi_plot_format_name(fmt));
            if (stale)
                unlink(stale);
            free(stale);
        }
        if (j->output && first != ADI_OK)
            unlink(j->output);
        free(j->tmp);
        free(j->final);
        free(j->output);
    }
    if (index_tmp && first != ADI_OK)
        unlink(index_tmp);
    free(index_tmp);
    free(index);
    free(jobs);
    if (first != ADI_OK) {
        adi_plot_outcome_free(out);
        memset(out, 0, sizeof *out);
        return adi_fail(first, "%s", message);
    }
    for (int fig = 0; fig < ADI_FIG_COUNT; fig++)
        out->ndrawn += (size_t)out->drawn[fig];
    return ADI_OK;
}
