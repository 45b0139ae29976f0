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
