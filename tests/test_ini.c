/*
** tests/test_ini.c — core/ini.c: input files are read only when they are
** regular files of at most ADI_INI_MAX_FILE bytes (a FIFO is refused at
** once instead of blocking, /dev/zero instead of eating memory), and
** adi_ini_value_check accepts exactly the values that read back unchanged
** (checked by parsing each "key = value" line with inih).
*/
#include "helpers.h"

#include "core/ini.h"

#include <fcntl.h>
#include <sys/stat.h>

static void refused_file(const char *path, const char *expect)
{
    char *text = (char *)1;
    int rc = adi_ini_read_file(path, &text);
    assert_null(text);
    if (rc != ADI_EINPUT || !strstr(adi_errmsg(), expect))
        fail_msg("%s: expected \"%s\", got (rc %d) \"%s\"", path, expect, rc, adi_errmsg());
}

static void only_regular_files(void **state)
{
    (void)state;
    char *text;
    const char *fifo = path_in("f.ini");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    refused_file(fifo, "not a regular file (a FIFO)"); /* and returns: no writer needed */
    refused_file("/dev/zero", "/dev/zero: not a regular file (a character device)");
    refused_file(path_in(""), "not a regular file (a directory)");
    refused_file(path_in("none.ini"), "cannot read: No such file or directory");
    /* one byte over the cap: refused from its size, before reading */
    const char *big = path_in("big.ini");
    int fd = open(big, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)ADI_INI_MAX_FILE + 1), 0);
    close(fd);
    refused_file(big, "more than the 64 MiB an input file may have");
    assert_int_equal(truncate(big, 3), 0);
    refused_file(big, "not a text file (it contains a NUL byte)");
    FILE *f = fopen(big, "w");
    fputs("[a]\nk = v\n", f);
    fclose(f);
    assert_int_equal(adi_ini_read_file(big, &text), ADI_OK);
    assert_string_equal(text, "[a]\nk = v\n");
    free(text);
}

typedef struct got {
    char value[256];
    int n;
} got;

static int on_value(void *user, const char *section, const char *key, const char *value, int line)
{
    (void)section;
    (void)key;
    (void)line;
    got *g = user;
    snprintf(g->value, sizeof g->value, "%s", value);
    g->n++;
    return ADI_OK;
}

/* check(v) == ADI_OK exactly when "k = v" parses back as v. */
static void value_check_agrees_with_the_reader(void **state)
{
    (void)state;
    static const char *const values[] = {
        "plain", "a;b", "a ;b", ";x", " lead", "trail ", "tab\there", "a\tb", "x #y", "a=b:c",
        "nl\nx", "cr\rx", "\x7f", "µs", "a;", "a\t;b", "", "[x]",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char line[300];
        snprintf(line, sizeof line, "[s]\nk = %s\n", values[i]);
        got g = {.n = 0};
        int parsed = adi_ini_parse("t", line, NULL, on_value, &g) == ADI_OK && g.n == 1 &&
                     strcmp(g.value, values[i]) == 0;
        int ok = adi_ini_value_check("k", values[i]) == ADI_OK;
        if (ok && !parsed)
            fail_msg("'%s' passes the check but does not read back", values[i]);
        /* the check may refuse more (every control character, an empty
        ** value, which the readers take for a missing one), never less */
        if (!ok && parsed && *values[i] && !strpbrk(values[i], "\t\r\x7f"))
            fail_msg("'%s' reads back but is refused: %s", values[i], adi_errmsg());
    }
    /* the line limit: key, " = ", value */
    char v[200];
    memset(v, 'v', sizeof v);
    v[ADI_INI_MAX_LINE - 4] = '\0'; /* "k = " + 194 = 198 */
    assert_int_equal(adi_ini_value_check("k", v), ADI_OK);
    v[ADI_INI_MAX_LINE - 4] = 'v';
    v[ADI_INI_MAX_LINE - 3] = '\0';
    assert_int_equal(adi_ini_value_check("k", v), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "would be a line of 199 characters"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(only_regular_files, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test(value_check_agrees_with_the_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
