/*
** tests/test_args.c — cli/args.h, the option helper of every program: the
** help's layout (what help2man reads), short options only for the uniform
** names, counts and numbers parsed one way with one kind of message, and
** getopt_long driven from the table.
*/
#include "helpers.h"

#include "cli/args.h"

enum { OPT_FLAG = ADI_CLI_LONG, OPT_LONG };

static const adi_cli_option options[] = {
    ADI_CLI_OPT_DB("results database"),
    {"flag", OPT_FLAG, NULL, "a flag"},
    /* a letter that is not uniform for its name gets no short option */
    {"device", 'd', "NAME", "the device"},
    {"a-very-long-option-name", OPT_LONG, "VALUE", "one two three four five six seven eight "
     "nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen\nbreak here"},
    ADI_CLI_OPT_QUIET("quiet"),
    {NULL, 0, NULL, NULL},
};

static const adi_cli_program program = {
    .name = "prog",
    .usage = "Usage: prog [OPTION]... FILE\n",
    .about = "Does things.\n",
    .options = options,
    .exit_ok = "done",
    .exit_bad = "bad input or usage, or something else that goes on for long enough to need "
                "a second line",
};

static char *help_text(const adi_cli_program *p)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    adi_cli_help(p, f);
    fclose(f);
    return buf;
}

static void help_layout(void **state)
{
    (void)state;
    char *h = help_text(&program);
    assert_string_equal(
        h, "Usage: prog [OPTION]... FILE\n"
           "\n"
           "Does things.\n"
           "\n"
           "Options:\n"
           "  -d, --db FILE         results database\n"
           "      --flag            a flag\n"
           "      --device NAME     the device\n"
           "      --a-very-long-option-name VALUE\n"
           "                        one two three four five six seven eight nine ten eleven\n"
           "                        twelve thirteen fourteen fifteen sixteen seventeen\n"
           "                        break here\n"
           "  -q, --quiet           quiet\n"
           "  -h, --help            print this help and exit\n"
           "  -V, --version         print the version and exit\n"
           "\n"
           "Exit status:\n"
           "  0  done\n"
           "  2  bad input or usage, or something else that goes on for long enough to need\n"
           "     a second line\n");
    for (char *line = h; *line;) { /* nothing wider than 80 columns */
        size_t len = strcspn(line, "\n");
        assert_true(len <= 80);
        line += len + (line[len] == '\n');
    }
    free(h);
    adi_cli_program checks = program;
    checks.exit_check = "a check failed";
    h = help_text(&checks);
    assert_non_null(strstr(h, "\nExit status:\n  0  done\n  1  a check failed\n  2  bad"));
    free(h);
}

static int parse(char *const *args, int n, int *ids, const char **values)
{
    char *argv[16] = {"prog"};
    for (int i = 0; i < n; i++)
        argv[i + 1] = args[i];
    optind = 1;
    opterr = 0;
    int k = 0;
    for (int id; (id = adi_cli_next(&program, n + 1, argv)) != -1; k++) {
        ids[k] = id;
        values[k] = optarg;
    }
    return k;
}

static void table_drives_getopt(void **state)
{
    (void)state;
    char *args[] = {"-d", "a.db", "--flag", "-q", "--device", "pi", "--a-very", "v", "FILE"};
    int ids[16];
    const char *values[16];
    assert_int_equal(parse(args, 9, ids, values), 5);
    assert_int_equal(ids[0], ADI_CLI_DB);
    assert_string_equal(values[0], "a.db");
    assert_int_equal(ids[1], OPT_FLAG);
    assert_int_equal(ids[2], ADI_CLI_QUIET);
    assert_int_equal(ids[3], 'd'); /* --device: its id, but no -d of its own */
    assert_string_equal(values[3], "pi");
    assert_int_equal(ids[4], OPT_LONG); /* an unambiguous prefix */
    assert_int_equal(optind, 9);
    char *bad[] = {"-j", "2"}; /* not in this program's table */
    assert_int_equal(parse(bad, 2, ids, values), 1); /* "2" is an operand then */
    assert_int_equal(ids[0], '?');
    char *help[] = {"-h", "-V"};
    assert_int_equal(parse(help, 2, ids, values), 2);
    assert_int_equal(ids[0], ADI_CLI_HELP);
    assert_int_equal(ids[1], ADI_CLI_VERSION);
}

static void counts_and_reals(void **state)
{
    (void)state;
    uint64_t v = 7;
    assert_int_equal(adi_cli_count("--jobs", "12", 1, 4096, &v), ADI_OK);
    assert_int_equal(v, 12);
    assert_int_equal(adi_cli_count("--jobs", "1e3", 1, 4096, &v), ADI_OK); /* as scenarios */
    assert_int_equal(v, 1000);
    static const char *const bad[] = {"0", "4097", "-1", "2.5", "many", "", "3x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        assert_int_equal(adi_cli_count("--jobs", bad[i], 1, 4096, &v), ADI_EINPUT);
        char want[128];
        snprintf(want, sizeof want, "--jobs: expected a whole number from 1 to 4096, got '%s'",
                 bad[i]);
        assert_string_equal(adi_errmsg(), want);
        assert_int_equal(v, 7); /* untouched */
    }
    assert_int_equal(adi_cli_count("--tasks", "0", 1, UINT64_MAX, &v), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "--tasks: expected a whole number >= 1, got '0'");
    assert_int_equal(adi_cli_count("--point", "0", 0, 10, &v), ADI_OK);
    assert_int_equal(v, 0);

    double d = 0;
    assert_int_equal(adi_cli_real("--confidence", "0.9", 0, 1, &d), ADI_OK);
    assert_true(d == 0.9);
    assert_int_equal(adi_cli_real("--confidence", "1", 0, 1, &d), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "--confidence: expected a number between 0 and 1, got '1'");
    assert_int_equal(adi_cli_real("--confidence", "nan", 0, 1, &d), ADI_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_layout),
        cmocka_unit_test(table_drives_getopt),
        cmocka_unit_test(counts_and_reals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
