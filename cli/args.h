/*
** cli/args.h — what every program shares, so that they read alike: one
** table of options per program from which getopt_long's arrays and the
** --help text are both made, the short options, counts and numbers parsed
** one way, the messages ("program: why", exit 2), --help and --version.
** Linked into every program (not into the library, which never prints).
**
** Short options are uniform: -d is always --db, -j --jobs, -q --quiet, -o
** --out, -h --help, -V --version, and no other option has one (a letter
** given to another option's name is ignored), so a letter never means two
** things in two programs. --help prints the usage (its first line begins
** "Usage:", which help2man turns into the manual's SYNOPSIS), the
** description, the options, notes, and ends with the exit statuses.
**
** Adding an option is one line in the program's table and one case in its
** switch: {"list-policies", OPT_LIST_POLICIES, NULL, "print ... and exit"}.
*/
#ifndef ADI_CLI_ARGS_H
#define ADI_CLI_ARGS_H

#include <getopt.h> /* optarg, optind */
#include <stdint.h>
#include <stdio.h>

/* The uniform short options, and the first id of options without one. */
enum {
    ADI_CLI_DB = 'd', ADI_CLI_JOBS = 'j', ADI_CLI_QUIET = 'q', ADI_CLI_OUT = 'o',
    ADI_CLI_HELP = 'h', ADI_CLI_VERSION = 'V', ADI_CLI_LONG = 256
};

typedef struct adi_cli_option {
    const char *name; /* the long name, without "--" */
    int id;           /* what adi_cli_next returns: ADI_CLI_DB ... for the uniform ones, else
                         ADI_CLI_LONG, ADI_CLI_LONG + 1, ... */
    const char *arg;  /* the argument's name in the help ("FILE"); NULL: a flag */
    const char *help; /* its help, wrapped to fit ('\n' breaks a line there) */
} adi_cli_option;

/* The uniform options, each with its own help text. */
#define ADI_CLI_OPT_DB(help) {"db", ADI_CLI_DB, "FILE", help}
#define ADI_CLI_OPT_JOBS(help) {"jobs", ADI_CLI_JOBS, "N", help}
#define ADI_CLI_OPT_QUIET(help) {"quiet", ADI_CLI_QUIET, NULL, help}
#define ADI_CLI_OPT_OUT(arg, help) {"out", ADI_CLI_OUT, arg, help}

typedef struct adi_cli_program {
    const char *name;       /* "simulate": the prefix of every message */
    const char *usage;      /* "Usage: simulate [OPTION]... SCENARIO.ini\n  or:  ...\n" */
    const char *about;      /* what it does (paragraphs), or NULL */
    const adi_cli_option *options; /* ends with {NULL}; --help and --version are added */
    const char *notes;      /* printed after the options, or NULL */
    const char *exit_ok;    /* what exit status 0 means */
    const char *exit_check; /* what 1 means; NULL for a program that never exits 1 */
    const char *exit_bad;   /* what 2 means */
    const char *version_note; /* appended to --version's line, or NULL */
} adi_cli_program;

/* The next option (getopt_long over p's table): its id, with optarg set;
** ADI_CLI_HELP, ADI_CLI_VERSION or '?' (a bad option) for adi_cli_other; -1 after the
** last (optind: the first operand). At most 40 options. */
int adi_cli_next(const adi_cli_program *p, int argc, char **argv);

/* What adi_cli_next returned and the program does not handle: --help (to
** stdout, 0), --version (0), or a bad option (the help to stderr, 2).
** Returns the exit status. */
int adi_cli_other(const adi_cli_program *p, int id);

/* Writes the help to f: usage, about, "Options:" (each option's help
** wrapped at 80 columns), notes, "Exit status:". */
void adi_cli_help(const adi_cli_program *p, FILE *f);

/* Prints the help to stderr (wrong operands); returns 2. */
int adi_cli_usage_error(const adi_cli_program *p);

/* Prints "name: msg" to stderr; returns 2. */
int adi_cli_fail(const adi_cli_program *p, const char *msg);

/* A count: adi_parse_uint (core/units.h: digits, or 1e6) within [min,
** max]. ADI_OK, or ADI_EINPUT with "--option: expected a whole number from
** min to max, got 'text'" (">= min" for max = UINT64_MAX) in adi_errmsg. */
int adi_cli_count(const char *option, const char *text, uint64_t min, uint64_t max, uint64_t *out);

/* A real number strictly between lo and hi (adi_parse_real), messages alike. */
int adi_cli_real(const char *option, const char *text, double lo, double hi, double *out);

#endif
