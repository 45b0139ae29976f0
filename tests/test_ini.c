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

/* ---- the strict table reader (adi_ini_table_parse) ---- */

typedef struct toy_key {
    const char *name;
    unsigned where; /* bit 0: [a], bit 1: [b] */
} toy_key;

static const char *const toy_sections[] = {"a", "b"};
static const toy_key toy_keys[] = {{"x", 1u}, {"y", 3u}, {"bad", 2u}};

typedef struct toy {
    int sections_opened, keys_seen;
} toy;

static int toy_section(void *user, int s, int line)
{
    (void)s, (void)line;
    ((toy *)user)->sections_opened++;
    return ADI_OK;
}

static int toy_value(void *user, int s, size_t k, const char *value, int line)
{
    (void)s, (void)line, (void)value;
    ((toy *)user)->keys_seen++;
    return k == 2 ? adi_fail(ADI_EINPUT, "never good") : ADI_OK;
}

static const adi_ini_table toy_table = {
    toy_sections, 2, "[a] or [b]", toy_keys, 3, sizeof(toy_key),
    offsetof(toy_key, name), offsetof(toy_key, where), toy_section, toy_value,
};

/* Reads text; returns the first problem's message ("" for none). */
static const char *toy_read(const char *text, toy *counts, adi_ini_seen *seen)
{
    static char message[1200];
    memset(counts, 0, sizeof *counts);
    assert_int_equal(adi_ini_table_parse("t.ini", text, &toy_table, counts, seen), ADI_OK);
    message[0] = 0;
    if (seen->err.line) {
        assert_int_equal(adi_ini_error_raise(&seen->err), ADI_EINPUT);
        snprintf(message, sizeof message, "%s", adi_errmsg());
    }
    return message;
}

static void table_reader_rules(void **state)
{
    (void)state;
    toy c;
    adi_ini_seen seen;
    assert_string_equal(toy_read("[a]\nx = 1\ny = 2\n[b]\ny = 3\n", &c, &seen), "");
    assert_int_equal(c.sections_opened, 2);
    assert_int_equal(c.keys_seen, 3);
    assert_int_equal(seen.present, 3u);
    assert_int_equal(seen.section_line[1], 4);
    assert_int_equal(adi_ini_seen_line(&seen, &toy_table, 0, 1), 3);
    assert_int_equal(adi_ini_seen_line(&seen, &toy_table, 1, 0), 0);
    adi_ini_seen_free(&seen);

    const struct {
        const char *text, *message;
    } bad[] = {
        {"x = 1\n[a]\n", "t.ini:1: x: key outside of any section"},
        {"[c]\nx = 1\n", "t.ini:1: unknown section [c] (expected [a] or [b])"},
        {"[a]\n[a]\n", "t.ini:2: [a] appears twice (first on line 1)"},
        {"[b]\nx = 1\n", "t.ini:2: [b] x: unknown key"},
        {"[a]\nx = 1\nx = 2\n", "t.ini:3: [a] x: given twice (first on line 2)"},
        {"[b]\nbad = 1\n", "t.ini:2: [b] bad: never good"},
        /* the first problem wins, and a reported section's keys are skipped */
        {"[a]\n[a]\nnothing = 1\n[b]\nz = 1\n", "t.ini:2: [a] appears twice (first on line 1)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_string_equal(toy_read(bad[i].text, &c, &seen), bad[i].message);
        adi_ini_seen_free(&seen);
    }
    toy_read("[c]\nx = 1\ny = 2\n[a]\nx = 1\n", &c, &seen);
    assert_int_equal(c.keys_seen, 1); /* only [a]'s */
    adi_ini_seen_free(&seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(only_regular_files, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test(value_check_agrees_with_the_reader),
        cmocka_unit_test(table_reader_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
