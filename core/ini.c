/*
** core/ini.c — inih over text in memory, with line numbers, over-long line
** detection and continuation joining (see ini.h).
**
** The reader hands inih one line at a time and, because it sees each line
** before inih does, knows what inih will make of it: a section header, a
** continuation of the previous value (inih's INI_ALLOW_MULTILINE rule: an
** indented, non-blank, non-comment line after a key of the same section),
** or something new. A value is held back until the line that ends it is
** read, so continuation lines can be appended before the caller sees it.
*/
#include "core/ini.h"
#include "core/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct reader {
    const char *path;
    const char *p, *end;  /* unread text */
    int line;             /* line just handed to inih */
    int continuation;     /* that line continues the previous value */
    int have_name;        /* inih's prev_name is set (a key since the last header) */
    adi_ini_section_fn on_section;
    adi_ini_value_fn on_value;
    void *user;
    char *section, *key, *value; /* the value held back, or key == NULL */
    size_t value_len, value_cap; /* grown by doubling: a list of 10^5 samples
                                    on 10^4 lines is joined in linear time */
    int key_line;
    int nomem;                   /* on_pair ran out of memory */
    int err_code, err_line;      /* the earliest error (err_line 0: none) */
    char err[1024];
} reader;

/* Keeps the current adi_errmsg(), prefixed with path:line, if it is the
** earliest error so far. */
static void record(reader *r, int line, int code)
{
    if (r->err_line && r->err_line <= line)
        return;
    snprintf(r->err, sizeof r->err, "%s:%d: %s", r->path, line, adi_errmsg());
    r->err_code = code;
    r->err_line = line;
}

static void clear_pending(reader *r)
{
    free(r->section);
    free(r->key);
    free(r->value);
    r->section = r->key = r->value = NULL;
}

/* Delivers the held-back value. */
static void flush(reader *r)
{
    if (!r->key)
        return;
    if (!r->err_line && r->on_value) {
        int rc = r->on_value(r->user, r->section, r->key, r->value, r->key_line);
        if (rc != ADI_OK)
            record(r, r->key_line, rc);
    }
    clear_pending(r);
}

static char *read_line(char *buf, int size, void *stream)
{
    reader *r = stream;
    if (r->p >= r->end)
        return NULL;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    size_t len = nl ? (size_t)(nl - r->p) + 1 : (size_t)(r->end - r->p);
    const char *s = r->p;
    r->p += len;
    r->line++;
    if (r->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3; /* inih skips a UTF-8 byte order mark */
        len -= 3;
    }
    int indented = len && (s[0] == ' ' || s[0] == '\t');
    size_t skip = 0;
    while (skip < len && isspace((unsigned char)s[skip]))
        skip++;
    int blank = skip == len, comment = !blank && strchr(";#", s[skip]);
    r->continuation = indented && !blank && !comment && r->have_name;
    if (!blank && !comment && !r->continuation)
        flush(r); /* this line starts something new: the held value is complete */
    if (len > (size_t)size - 1) {
        adi_fail(ADI_EINPUT, "line is longer than %d characters; continue a long list on "
                             "indented lines", size - 2);
        record(r, r->line, ADI_EINPUT);
        strcpy(buf, "\n");
        return buf;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (!blank && !comment && !r->continuation && s[skip] == '[') {
        r->have_name = 0;
        char *close = strchr(buf + skip, ']');
        if (close && r->on_section && !r->err_line) {
            *close = '\0';
            int rc = r->on_section(r->user, buf + skip + 1, r->line);
            *close = ']';
            if (rc != ADI_OK)
                record(r, r->line, rc);
        }
    }
    return buf;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    reader *r = user;
    r->have_name = 1;
    if (r->continuation && r->key && strcmp(name, r->key) == 0) {
        size_t old = r->value_len, add = strlen(value);
        if (old + add + 3 > r->value_cap) {
            size_t cap = 2 * r->value_cap > old + add + 3 ? 2 * r->value_cap : old + add + 3;
            char *grown = realloc(r->value, cap);
            if (!grown) {
                r->nomem = 1;
                return 0;
            }
            r->value = grown;
            r->value_cap = cap;
        }
        int comma = old && r->value[old - 1] != ',';
        r->value_len += (size_t)snprintf(r->value + old, add + 3, "%s%s", comma ? ", " : " ", value);
        return 1;
    }
    flush(r);
    r->section = strdup(section);
    r->key = strdup(name);
    r->value = strdup(value);
    r->key_line = r->line;
    r->value_len = r->value ? strlen(r->value) : 0;
    r->value_cap = r->value_len + 1;
    if (!r->section || !r->key || !r->value) {
        clear_pending(r);
        r->nomem = 1;
        return 0;
    }
    return 1;
}

int adi_ini_parse(const char *path, const char *text, adi_ini_section_fn on_section,
                  adi_ini_value_fn on_value, void *user)
{
    reader r = {.path = path, .p = text, .end = text + strlen(text),
                .on_section = on_section, .on_value = on_value, .user = user};
    int rc = ini_parse_stream(read_line, &r, on_pair, &r);
    flush(&r);
    clear_pending(&r);
    if (rc < 0 || r.nomem)
        return adi_fail(ADI_ENOMEM, "%s: out of memory while parsing", path);
    if (rc > 0 && (!r.err_line || rc < r.err_line)) {
        /* inih's own complaint; on_pair returns 0 only when out of memory */
        adi_fail(ADI_EINPUT, "expected 'key = value', a [section] or a comment");
        record(&r, rc, ADI_EINPUT);
    }
    if (r.err_line)
        return adi_fail(r.err_code, "%s", r.err);
    return ADI_OK;
}

int adi_ini_value_check(const char *key, const char *value)
{
    size_t len = strlen(value), line = strlen(key) + 3 + len;
    if (!len)
        return adi_fail(ADI_EINPUT, "expected a value, got nothing");
    if (isspace((unsigned char)value[0]) || isspace((unsigned char)value[len - 1]))
        return adi_fail(ADI_EINPUT, "'%s' starts or ends with white space, which a reader "
                        "drops", value);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c < 0x20 || c == 0x7f)
            return adi_fail(ADI_EINPUT, "the value holds a control character (byte %zu is "
                            "0x%02x); one line of printable text is expected", i + 1, c);
        /* "key = ;x": the ';' follows the space after '=' */
        if (c == ';' && (i == 0 || isspace((unsigned char)value[i - 1])))
            return adi_fail(ADI_EINPUT, "'%s' has a ';' %s, which a reader takes for the start "
                            "of a comment", value, i ? "after white space" : "first");
    }
    if (line > ADI_INI_MAX_LINE)
        return adi_fail(ADI_EINPUT, "'%s = ...' would be a line of %zu characters; a reader "
                        "takes at most %d (the value at most %zu)", key, line, ADI_INI_MAX_LINE,
                        ADI_INI_MAX_LINE - strlen(key) - 3);
    return ADI_OK;
}

int adi_ini_read_file(const char *path, char **out)
{
    *out = NULL;
    /* O_NONBLOCK: opening a FIFO with no writer must not wait for one (it is
    ** refused below as not a regular file). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return adi_fail(ADI_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return adi_fail(ADI_EINPUT, "%s: cannot read: %s", path, strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return adi_fail(ADI_EINPUT, "%s: not a regular file (%s): adisim reads scenarios, "
                        "profiles and records only from regular files", path,
                        S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO"
                        : S_ISCHR(st.st_mode) ? "a character device"
                        : S_ISBLK(st.st_mode) ? "a block device"
                        : S_ISSOCK(st.st_mode) ? "a socket" : "not a file");
    }
    if (st.st_size > ADI_INI_MAX_FILE) {
        close(fd);
        return adi_fail(ADI_EINPUT, "%s: %lld bytes, more than the %d MiB an input file may "
                        "have", path, (long long)st.st_size, ADI_INI_MAX_FILE >> 20);
    }
    /* Read to the end, but never past the cap: the file may grow meanwhile. */
    size_t size = (size_t)st.st_size + 1, used = 0;
    char *text = malloc(size + 1);
    int rc = text ? ADI_OK : adi_fail(ADI_ENOMEM, "%s: out of memory", path);
    while (rc == ADI_OK) {
        if (used == size) {
            size_t grown = size * 2 > (size_t)ADI_INI_MAX_FILE + 1 ? (size_t)ADI_INI_MAX_FILE + 1
                                                                  : size * 2;
            char *t = grown > size ? realloc(text, grown + 1) : NULL;
            if (!t) {
                rc = grown > size ? adi_fail(ADI_ENOMEM, "%s: out of memory", path)
                                  : adi_fail(ADI_EINPUT, "%s: grew past the %d MiB an input "
                                             "file may have while it was read", path,
                                             ADI_INI_MAX_FILE >> 20);
                break;
            }
            text = t;
            size = grown;
        }
        ssize_t got = read(fd, text + used, size - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            rc = adi_fail(ADI_EINPUT, "%s: cannot read: %s", path, strerror(errno));
        else if (got == 0)
            break;
        else
            used += (size_t)got;
    }
    close(fd);
    if (rc == ADI_OK) {
        text[used] = '\0';
        if (strlen(text) != used)
            rc = adi_fail(ADI_EINPUT, "%s: not a text file (it contains a NUL byte)", path);
    }
    if (rc != ADI_OK) {
        free(text);
        return rc;
    }
    *out = text;
    return ADI_OK;
}

void adi_ini_error_note(adi_ini_error *e, int code, int line, const char *fmt, ...)
{
    if (e->line)
        return;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(e->text, sizeof e->text, "%s:%d: %s", e->path, line, msg);
    e->line = line;
    e->code = code;
}

int adi_ini_error_raise(const adi_ini_error *e)
{
    return adi_fail(e->code, "%s", e->text);
}

/* ---- strict readers of sectioned tables ------------------------------------ */

typedef struct table_reader {
    const adi_ini_table *t;
    void *user;
    adi_ini_seen *seen;
    int sec; /* the current section; -1 before any, -2 inside one already reported */
} table_reader;

static const char *key_name(const adi_ini_table *t, size_t k)
{
    return *(const char *const *)((const char *)t->keys + k * t->key_size + t->name_offset);
}

static unsigned key_where(const adi_ini_table *t, size_t k)
{
    return *(const unsigned *)((const char *)t->keys + k * t->key_size + t->where_offset);
}

static int table_section(void *user, const char *name, int line)
{
    table_reader *tr = user;
    const adi_ini_table *t = tr->t;
    adi_ini_seen *seen = tr->seen;
    int s;
    for (s = 0; s < t->nsections && strcmp(name, t->sections[s]) != 0; s++)
        ;
    tr->sec = -2;
    if (s == t->nsections) {
        adi_ini_error_note(&seen->err, ADI_EINPUT, line, "unknown section [%s] (expected %s)",
                           name, t->expected);
        return ADI_OK;
    }
    if (seen->present & 1u << s) {
        adi_ini_error_note(&seen->err, ADI_EINPUT, line, "[%s] appears twice (first on line %d)",
                           name, seen->section_line[s]);
        return ADI_OK;
    }
    tr->sec = s;
    seen->present |= 1u << s;
    seen->section_line[s] = line;
    return t->on_section ? t->on_section(tr->user, s, line) : ADI_OK;
}

static int table_value(void *user, const char *section, const char *key, const char *value,
                       int line)
{
    table_reader *tr = user;
    const adi_ini_table *t = tr->t;
    adi_ini_seen *seen = tr->seen;
    if (tr->sec == -2)
        return ADI_OK; /* inside a section already reported */
    if (tr->sec < 0) {
        adi_ini_error_note(&seen->err, ADI_EINPUT, line, "%s: key outside of any section", key);
        return ADI_OK;
    }
    size_t k;
    for (k = 0; k < t->nkeys; k++)
        if ((key_where(t, k) & 1u << tr->sec) && strcmp(key_name(t, k), key) == 0)
            break;
    if (k == t->nkeys) {
        adi_ini_error_note(&seen->err, ADI_EINPUT, line, "[%s] %s: unknown key", section, key);
        return ADI_OK;
    }
    int *at = &seen->key_line[(size_t)tr->sec * t->nkeys + k];
    if (*at) {
        adi_ini_error_note(&seen->err, ADI_EINPUT, line, "[%s] %s: given twice (first on line %d)",
                           section, key, *at);
        return ADI_OK;
    }
    *at = line;
    int rc = t->on_key(tr->user, tr->sec, k, value, line);
    if (rc == ADI_ENOMEM)
        return rc;
    if (rc != ADI_OK)
        adi_ini_error_note(&seen->err, rc, line, "[%s] %s: %s", section, key, adi_errmsg());
    return ADI_OK;
}

int adi_ini_table_parse(const char *path, const char *text, const adi_ini_table *t, void *user,
                        adi_ini_seen *seen)
{
    memset(seen, 0, sizeof *seen);
    seen->err.path = path;
    if (t->nsections > ADI_INI_MAX_SECTIONS)
        return adi_fail(ADI_EINTERNAL, "%s: a table of %d sections (at most %d)", path,
                        t->nsections, ADI_INI_MAX_SECTIONS);
    seen->key_line = calloc((size_t)t->nsections * t->nkeys + 1, sizeof *seen->key_line);
    if (!seen->key_line)
        return adi_fail(ADI_ENOMEM, "out of memory");
    table_reader tr = {t, user, seen, -1};
    return adi_ini_parse(path, text, table_section, table_value, &tr);
}

void adi_ini_seen_free(adi_ini_seen *seen)
{
    free(seen->key_line);
    seen->key_line = NULL;
}
