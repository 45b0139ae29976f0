/*
** tests/test_units.c — the value parsers accept what README documents and
** reject everything else with a message that names the problem.
*/
#include "helpers.h"

#include "core/error.h"
#include "core/units.h"

static void times_with_units(void **state)
{
    (void)state;
    static const struct { const char *text; double seconds; } ok[] = {
        {"1.2s", 1.2}, {"50ms", 0.05}, {"50 ms", 0.05}, {"20us", 20e-6},
        {"20\xc2\xb5s", 20e-6}, {"100ns", 100e-9}, {"0.5", 0.5}, {"  3 ", 3},
        {"1e-3s", 1e-3}, {"0", 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double s = -1;
        assert_int_equal(adi_parse_time(ok[i].text, &s), ADI_OK);
        assert_close(s, ok[i].seconds, 1e-15);
    }
    static const char *const bad[] = {"", "ms", "5 m s", "5min", "-1s", "1,5s", "inf", "nan",
                                      "0x10", "5s5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double s;
        assert_int_equal(adi_parse_time(bad[i], &s), ADI_EINPUT);
    }
    double s;
    adi_parse_time("5xs", &s);
    assert_non_null(strstr(adi_errmsg(), "unknown time unit in '5xs'"));
}

static void whole_numbers(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(adi_parse_uint("1000", 1, &v), ADI_OK);
    assert_int_equal(v, 1000);
    assert_int_equal(adi_parse_uint("1e6", 1, &v), ADI_OK);
    assert_int_equal(v, 1000000);
    assert_int_equal(adi_parse_uint("18446744073709551615", 0, &v), ADI_OK);
    assert_true(v == UINT64_MAX);
    assert_int_equal(adi_parse_uint("18446744073709551616", 0, &v), ADI_EINPUT);
    assert_int_equal(adi_parse_uint("0", 1, &v), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), ">= 1"));
    assert_int_equal(adi_parse_uint("-3", 0, &v), ADI_EINPUT);
    assert_int_equal(adi_parse_uint("2.5", 0, &v), ADI_EINPUT);
    assert_int_equal(adi_parse_uint("1.5e1", 0, &v), ADI_OK);
    assert_int_equal(v, 15);
    assert_int_equal(adi_parse_uint("12abc", 0, &v), ADI_EINPUT);
}

static void capacities_and_rates(void **state)
{
    (void)state;
    uint64_t q;
    assert_int_equal(adi_parse_capacity("inf", &q), ADI_OK);
    assert_true(q == ADI_CAPACITY_INF);
    assert_int_equal(adi_parse_capacity(" Infinite ", &q), ADI_OK);
    assert_true(q == ADI_CAPACITY_INF);
    assert_int_equal(adi_parse_capacity("100", &q), ADI_OK);
    assert_int_equal(q, 100);
    assert_int_equal(adi_parse_capacity("0", &q), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "expected 'inf' or a positive number"));
    assert_int_equal(adi_parse_capacity("-5", &q), ADI_EINPUT);

    double r;
    assert_int_equal(adi_parse_rate("200", &r), ADI_OK);
    assert_close(r, 200, 1e-15);
    assert_int_equal(adi_parse_rate("200/s", &r), ADI_OK);
    assert_close(r, 200, 1e-15);
    assert_int_equal(adi_parse_rate("0.2/ms", &r), ADI_OK);
    assert_close(r, 200, 1e-12);
    assert_int_equal(adi_parse_rate("0", &r), ADI_EINPUT);
    assert_int_equal(adi_parse_rate("5/parsec", &r), ADI_EINPUT);
}

/* Sizes and bandwidths: SI and binary units; the usual mistakes get a hint. */
static void sizes_and_bandwidths(void **state)
{
    (void)state;
    double v;
    assert_int_equal(adi_parse_bytes("393216B", &v), ADI_OK);
    assert_true(v == 393216);
    assert_int_equal(adi_parse_bytes("384KiB", &v), ADI_OK);
    assert_true(v == 393216);
    assert_int_equal(adi_parse_bytes("1.5MB", &v), ADI_OK);
    assert_true(v == 1.5e6);
    assert_int_equal(adi_parse_bandwidth("921600bit/s", 0, &v), ADI_OK);
    assert_true(v == 115200);
    assert_int_equal(adi_parse_bandwidth("inf", 1, &v), ADI_OK);
    assert_true(isinf(v));
    const struct { const char *text; int bytes; const char *hint; } bad[] = {
        {"100KB", 1, "KB is ambiguous: write kB (1000 bytes) or KiB (1024 bytes)"},
        {"100 kb", 1, "kb is ambiguous"},
        {"100", 1, "expected a size with its unit"},
        {"50Mbps", 0, "; write Mbit/s"},
        {"921600 baud", 0, "baud rate is bits per second"},
        {"10KB/s", 0, "KB/s is ambiguous"},
        {"inf", 0, "expected a positive bandwidth"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = bad[i].bytes ? adi_parse_bytes(bad[i].text, &v)
                              : adi_parse_bandwidth(bad[i].text, 0, &v);
        assert_int_equal(rc, ADI_EINPUT);
        if (!strstr(adi_errmsg(), bad[i].hint))
            fail_msg("'%s': %s", bad[i].text, adi_errmsg());
    }
}

static void lists(void **state)
{
    (void)state;
    char **items;
    size_t n;
    assert_int_equal(adi_split_list(" 2, 4 ,8,16 ", &items, &n), ADI_OK);
    assert_int_equal(n, 4);
    assert_string_equal(items[0], "2");
    assert_string_equal(items[1], "4");
    assert_string_equal(items[3], "16");
    free(items);
    assert_int_equal(adi_split_list("1,,2", &items, &n), ADI_EINPUT);
    assert_int_equal(adi_split_list("1,2,", &items, &n), ADI_EINPUT);
    assert_int_equal(adi_split_list("", &items, &n), ADI_EINPUT);
}

static void shortest_exact_decimal(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(adi_format_exact(0.05, buf, sizeof buf), "0.05");
    assert_string_equal(adi_format_exact(1.0 / 3, buf, sizeof buf), "0.3333333333333333");
    for (int i = 0; i < 1000; i++) {
        double x = exp((i - 500) * 0.0731) * (1 + i * 1e-7);
        adi_format_exact(x, buf, sizeof buf);
        assert_true(strtod(buf, NULL) == x);
    }
    assert_string_equal(adi_format_time(0.05, buf, sizeof buf), "50 ms");
    assert_string_equal(adi_format_time(1.25, buf, sizeof buf), "1.25 s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(times_with_units), cmocka_unit_test(whole_numbers),
        cmocka_unit_test(capacities_and_rates), cmocka_unit_test(sizes_and_bandwidths),
        cmocka_unit_test(lists),
        cmocka_unit_test(shortest_exact_decimal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
