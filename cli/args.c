/*
** cli/args.c — the options, help and messages every program shares (see
** args.h). The getopt_long arrays are built from the program's table on
** the first call; a program parses its options once, so they live in
** static storage.
*/
#include "cli/args.h"
#include "core/error.h"
#include "core/units.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define MAX_OPTIONS 40
#define HELP_COLUMN 24 /* where the options' help text starts */
#define HELP_WIDTH 80  /* and where it ends */

/* The uniform short options (args.h): a letter is given only with its name. */
static const struct {
    int id;
    const char *name;
} uniform[] = {{ADI_CLI_DB, "db"},     {ADI_CLI_JOBS, "jobs"}, {ADI_CLI_QUIET, "quiet"},
               {ADI_CLI_OUT, "out"},   {ADI_CLI_HELP, "help"}, {ADI_CLI_VERSION, "version"}};
#define NUNIFORM (sizeof uniform / sizeof uniform[0])

static const adi_cli_option standard[] = {
    {"help", ADI_CLI_HELP, NULL, "print this help and exit"},
    {"version", ADI_CLI_VERSION, NULL, "print the version and exit"},
};

static int has_short(const adi_cli_option *o)
{
    for (size_t i = 0; i < NUNIFORM; i++)
        if (o->id == uniform[i].id && strcmp(o->name, uniform[i].name) == 0)
            return 1;
    return 0;
}

/* Calls f on every option of p's table, then --help and --version. */
static void each_option(const adi_cli_program *p, void (*f)(const adi_cli_option *, void *),
                        void *ctx)
{
    for (const adi_cli_option *o = p->options; o && o->name; o++)
        f(o, ctx);
    for (size_t i = 0; i < 2; i++)
        f(&standard[i], ctx);
}

typedef struct arrays {
    struct option longopts[MAX_OPTIONS + 1];
    char shortopts[2 * MAX_OPTIONS + 2];
    size_t n, ns;
} arrays;

static void add_option(const adi_cli_option *o, void *ctx)
{
    arrays *a = ctx;
    if (a->n == MAX_OPTIONS)
        return;
    a->longopts[a->n++] = (struct option){o->name, o->arg ? required_argument : no_argument,
                                          NULL, o->id};
    if (has_short(o)) {
        a->shortopts[a->ns++] = (char)o->id;
        if (o->arg)
            a->shortopts[a->ns++] = ':';
    }
}

int adi_cli_next(const adi_cli_program *p, int argc, char **argv)
{
    static arrays a;
    static const adi_cli_program *built;
    if (built != p) {
        memset(&a, 0, sizeof a);
        each_option(p, add_option, &a);
        built = p;
    }
    return getopt_long(argc, argv, a.shortopts, a.longopts, NULL);
}

/* Writes text from column `col` on, wrapped at HELP_WIDTH, each further
** line indented to `indent` ('\n' breaks a line where the text wants it). */
static void wrap(FILE *f, const char *text, int col, int indent)
{
    int start = col;
    for (const char *c = text; *c;) {
        size_t word = strcspn(c, " \n");
        if (col > start && col + 1 + (int)word > HELP_WIDTH) {
            fprintf(f, "\n%*s", indent, "");
            col = start = indent;
        } else if (col > start) {
            fputc(' ', f);
            col++;
        }
        col += fprintf(f, "%.*s", (int)word, c);
        c += word;
        if (*c == '\n' && c[1]) {
            fprintf(f, "\n%*s", indent, "");
            col = start = indent;
        }
        while (*c == ' ' || *c == '\n')
            c++;
    }
    fputc('\n', f);
}

/* "  -d, --db FILE", padded to HELP_COLUMN, then the help. */
static void print_option(const adi_cli_option *o, void *ctx)
{
    FILE *f = ctx;
    int n = has_short(o) ? fprintf(f, "  -%c, --%s", o->id, o->name)
                         : fprintf(f, "      --%s", o->name);
    if (o->arg)
        n += fprintf(f, " %s", o->arg);
    if (n > HELP_COLUMN - 2) {
        fputc('\n', f);
        n = 0;
    }
    fprintf(f, "%*s", HELP_COLUMN - n, "");
    wrap(f, o->help, HELP_COLUMN, HELP_COLUMN);
}

void adi_cli_help(const adi_cli_program *p, FILE *f)
{
    fputs(p->usage, f);
    if (p->about)
        fprintf(f, "\n%s", p->about);
    fputs("\nOptions:\n", f);
    each_option(p, print_option, f);
    if (p->notes)
        fprintf(f, "\n%s", p->notes);
    const char *what[3] = {p->exit_ok, p->exit_check, p->exit_bad};
    fputs("\nExit status:\n", f);
    for (int status = 0; status < 3; status++)
        if (what[status]) /* 1 only for a program whose checks can fail */
            wrap(f, what[status], fprintf(f, "  %d  ", status), 5);
}

int adi_cli_other(const adi_cli_program *p, int id)
{
    if (id == ADI_CLI_HELP) {
        adi_cli_help(p, stdout);
        return 0;
    }
    if (id == ADI_CLI_VERSION) {
        printf("%s (adisim) %s%s%s\n", p->name, ADI_VERSION, p->version_note ? ", " : "",
               p->version_note ? p->version_note : "");
        return 0;
    }
    return adi_cli_usage_error(p);
}

int adi_cli_usage_error(const adi_cli_program *p)
{
    adi_cli_help(p, stderr);
    return 2;
}

int adi_cli_fail(const adi_cli_program *p, const char *msg)
{
    fprintf(stderr, "%s: %s\n", p->name, msg);
    return 2;
}

int adi_cli_count(const char *option, const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t v;
    if (adi_parse_uint(text, 0, &v) == ADI_OK && v >= min && v <= max) {
        *out = v;
        return ADI_OK;
    }
    if (max == UINT64_MAX)
        return adi_fail(ADI_EINPUT, "%s: expected a whole number >= %llu, got '%s'", option,
                        (unsigned long long)min, text);
    return adi_fail(ADI_EINPUT, "%s: expected a whole number from %llu to %llu, got '%s'",
                    option, (unsigned long long)min, (unsigned long long)max, text);
}

int adi_cli_real(const char *option, const char *text, double lo, double hi, double *out)
{
    double v;
    if (adi_parse_real(text, &v) != ADI_OK || !(v > lo && v < hi))
        return adi_fail(ADI_EINPUT, "%s: expected a number between %g and %g, got '%s'", option,
                        lo, hi, text);
    *out = v;
    return ADI_OK;
}
