/*
** core/ini.h — INI text with line numbers: the reader scenario files and
** device profiles share.
**
** inih (Debian's libinih) does the parsing, but as packaged it neither
** passes line numbers to handlers nor complains about a line longer than
** its 200-byte buffer (it silently splits it into two lines). This module
** feeds inih through its own line reader over text in memory, so it knows
** the line of every key, turns an over-long line into an error, and joins
** continuation lines before the caller sees a value:
**
**   samples = 0.0101, 0.0102,      one key, value "0.0101, 0.0102, 0.0103,
**       0.0103, 0.0104             0.0104": an indented line continues the
**                                  previous value as more items of a
**                                  comma-separated list (", " is inserted
**                                  unless the previous part ends with ',')
**
** Callers get one call per section header and one per complete value, in
** file order. A callback that fails (returns non-ADI_OK after adi_fail)
** stops the delivery; its message is prefixed with "path:line: ". Syntax
** errors inih finds become "path:line: expected 'key = value', ...". Only
** the first error (the one on the earliest line) is reported.
**
** Cost: one pass, one copy of each value; values are freed after their
** callback returns (callers copy what they keep).
*/
#ifndef ADI_CORE_INI_H
#define ADI_CORE_INI_H

#include <stddef.h>

/* inih reads at most this many characters per line (its buffer is 200 bytes
** with the newline and the terminating NUL). */
#define ADI_INI_MAX_LINE 198

/* A section header "[name]" on `line`. */
typedef int (*adi_ini_section_fn)(void *user, const char *section, int line);

/* A complete value; `line` is the line of its key. section is "" for keys
** before the first header. The strings are valid during the call only. */
typedef int (*adi_ini_value_fn)(void *user, const char *section, const char *key,
                                const char *value, int line);

/* Parses text (NUL-terminated); `path` is only used in messages. Either
** callback may be NULL. Returns ADI_OK, the first failing callback's code,
** ADI_EINPUT for a syntax error or ADI_ENOMEM. */
int adi_ini_parse(const char *path, const char *text, adi_ini_section_fn on_section,
                  adi_ini_value_fn on_value, void *user);

/* The first error of a reader whose callbacks keep going after an error (so
** that a later, more telling one, such as a newer format, can take
** precedence), kept as "path:line: message". line 0: none yet. */
typedef struct adi_ini_error {
    const char *path;
    int line, code;
    char text[1024];
} adi_ini_error;

/* Keeps the message (printf-style) unless an error is kept already. */
void adi_ini_error_note(adi_ini_error *e, int code, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Raises the kept error (adi_fail with its code) and returns its code. */
int adi_ini_error_raise(const adi_ini_error *e);

/* ---- strict readers of sectioned tables ---------------------------------------
** Device profiles and measurement records are read by the same rules: known
** sections only, each at most once; every key belongs to some sections and
** may appear in each at most once; no key before the first section. The
** caller describes its sections and keys (a table of its own field structs,
** each holding a name and a bit mask of the sections it may appear in) and
** gets one call per section and per key; adi_ini_table_parse() reports the
** structural errors, the first one wins (adi_ini_error), and the caller's
** `complete` step then reads which keys it saw on which line from
** adi_ini_seen. Keys of a section already reported are skipped. */

#define ADI_INI_MAX_SECTIONS 16

typedef struct adi_ini_table {
    const char *const *sections; /* [nsections] names */
    int nsections;
    const char *expected;        /* for messages: "[record], [conv] or [x2]" */
    const void *keys;            /* the caller's field structs, [nkeys] */
    size_t nkeys, key_size;      /* key_size = sizeof one field struct */
    size_t name_offset;          /* offsetof(field, name): const char * */
    size_t where_offset;         /* offsetof(field, where): unsigned, bit s = section s */
    /* Section s begins on `line` (first time only). ADI_OK, or ADI_ENOMEM. */
    int (*on_section)(void *user, int s, int line);
    /* Key k of section s with its value. ADI_OK; ADI_ENOMEM stops the
    ** reading; another code (with adi_fail's message) is kept as that key's
    ** error, "[section] key: message", if it is the first. */
    int (*on_key)(void *user, int s, size_t k, const char *value, int line);
} adi_ini_table;

typedef struct adi_ini_seen {
    unsigned present;                        /* bit s: section s was read */
    int section_line[ADI_INI_MAX_SECTIONS];
    int *key_line;                           /* [nsections * nkeys], 0: absent */
    adi_ini_error err;                       /* the first problem (line 0: none) */
} adi_ini_seen;

/* Reads text by table t into *seen (its key_line is malloc'ed: free it with
** adi_ini_seen_free). ADI_OK when the text could be read at all (its
** problems are in seen->err: raise them with adi_ini_error_raise once the
** caller has looked for a more telling one, such as a newer format), or
** ADI_ENOMEM / ADI_EINPUT for a syntax error, with the message set. */
int adi_ini_table_parse(const char *path, const char *text, const adi_ini_table *t, void *user,
                        adi_ini_seen *seen);
void adi_ini_seen_free(adi_ini_seen *seen);

/* The line of key k in section s, 0 when absent. */
static inline int adi_ini_seen_line(const adi_ini_seen *seen, const adi_ini_table *t, int s,
                                    size_t k)
{
    return seen->key_line[(size_t)s * t->nkeys + k];
}

/* Whether the line "key = value" reads back as exactly that key and value:
** ADI_OK, or ADI_EINPUT with a message saying why not (the value is empty,
** is empty (the readers take it for a missing one), starts or ends with
** white space, holds a control character, holds a ';'
** after white space, which inih takes for the start of a comment, or makes
** the line longer than ADI_INI_MAX_LINE). Writers check every free-text
** value with it so that what they write is what a reader gets. */
int adi_ini_value_check(const char *key, const char *value);

/* The largest input file (scenario, profile, record) read, in bytes: what
** keeps /dev/zero or a runaway file from taking all memory. The sample and
** count limits of profiles and records fit inside it. */
#define ADI_INI_MAX_FILE (64 << 20)

/* Reads a whole text file into *text (malloc'ed, NUL-terminated; the caller
** frees it). Only a regular file of at most ADI_INI_MAX_FILE bytes is read:
** a directory, FIFO, device or socket is refused without waiting on it, as
** is a file holding a NUL byte (not text). All ADI_EINPUT; messages name
** the path. */
int adi_ini_read_file(const char *path, char **text);

#endif
