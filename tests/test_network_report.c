/*
** tests/test_network_report.c — the network table (report/network_report.h)
** on a hand-made star of three devices, one bound by each of its compute,
** its link and its segment, and nothing printed for a bad star.
*/
#include "helpers.h"

#include "core/units.h"
#include "report/network_report.h"

/* B_c = 1 MB/s, 10 kB in, 1 kB out, k = 1, 100 tasks.
**   0: T = 100 ms, no link limit, L = 0: b = 1 MB/s, c0 = 10 + 100 = 110 ms,
**      h = 100 ms: compute; 100 ms at k = 1, 110 ms at k = 0; hidden at k = 1.
**   1: UART, T = 10 ms, 14400 B/s, L = 5 ms: c0 = 10 + 694.4 + 10 ms =
**      714.4 ms, h = 694.4 ms: its link; hidden at k = 1 (714.4 / 2 < 694.4).
**   2: T = 50 ms, 1 MB/s, L = 1 ms, behind a 20 kB/s segment: b = 20 kB/s,
**      c0 = 2 + 500 + 50 = 552 ms: 276 ms at k = 1 (3.62 tasks/s), but the
**      segment carries 2 tasks/s: bound by its segment, share 2; hidden at
**      k = 11 (552 / 12 = 46 ms <= 50 ms).
** R_net(1) = 10 + 1/0.69444 + 2 = 13.44; R_net(0) = 1/0.11 + 1/0.71444 +
** 1/0.552 = 12.3022; R_net(11) = 13.44; the coordinator alone 100 tasks/s. */
static void three_devices_by_hand(void **state)
{
    (void)state;
    adi_netdev d[3] = {{0.1, INFINITY, 0, -1}, {0.01, 14400, 0.005, -1}, {0.05, 1e6, 0.001, 0}};
    const double seg = 2e4;
    adi_star s = {.n = 3, .dev = d, .nseg = 1, .seg_bw = &seg, .coord_bw = 1e6, .s_in = 1e4,
                  .s_out = 1e3};
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    assert_int_equal(adi_report_network(f, &s, 100, 1), ADI_OK);
    fclose(f);
    print_message("%s", text);
    assert_non_null(strstr(text, "network: 3 devices, coordinator 1 MB/s, 10000 B in, 1000 B out "
                                 "per task, prefetch k = 1, m = 100 tasks\n"));
    const char *rows[3] = {strstr(text, "\n     0 "), strstr(text, "\n     1 "),
                           strstr(text, "\n     2 ")};
    for (int i = 0; i < 3; i++)
        assert_non_null(rows[i]);
    static const char *const want[3][5] = {
        {"inf", "compute", " 100 ms", " 110 ms", "k = 1"},
        {"14.4 kB/s", "link", "694.4 ms", "714.4 ms", "k = 1"},
        {"1 MB/s", "segment", " 276 ms", " 552 ms", "k = 11"},
    };
    for (int i = 0; i < 3; i++) {
        const char *end = strchr(rows[i] + 1, '\n');
        char row[256];
        snprintf(row, sizeof row, "%.*s", (int)(end - rows[i] - 1), rows[i] + 1);
        for (int j = 0; j < 5; j++)
            if (!strstr(row, want[i][j]))
                fail_msg("device %d: no '%s' in '%s'", i, want[i][j], row);
    }
    assert_non_null(strstr(rows[2], " 2\n"));  /* its share: the segment's 2 tasks/s */
    assert_non_null(strstr(text, "pool throughput R_net at k = 1       13.44 tasks/s"));
    assert_non_null(strstr(text, "without prefetch (k = 0)             12.3022 tasks/s"));
    assert_non_null(strstr(text, "with k = 11 (hides every device's)   13.44 tasks/s"));
    assert_non_null(strstr(text, "coordinator's link alone             100 tasks/s"));
    assert_non_null(strstr(text, "makespan lower bound"));
    assert_non_null(strstr(text, "greedy upper bound"));
    free(text);

    /* a bad star: an error, and not a byte written */
    d[1].latency = -1;
    text = NULL;
    f = open_memstream(&text, &size);
    assert_int_equal(adi_report_network(f, &s, 100, 1), ADI_EINPUT);
    fclose(f);
    assert_int_equal(size, 0);
    assert_non_null(strstr(adi_errmsg(), "device 1: latency"));
    free(text);
}

static void bandwidths(void **state)
{
    (void)state;
    char b[16];
    assert_string_equal(adi_format_bandwidth(125e6, b, sizeof b), "125 MB/s");
    assert_string_equal(adi_format_bandwidth(14400, b, sizeof b), "14.4 kB/s");
    assert_string_equal(adi_format_bandwidth(999, b, sizeof b), "999 B/s");
    assert_string_equal(adi_format_bandwidth(INFINITY, b, sizeof b), "inf");
    assert_string_equal(adi_format_bandwidth(2.5e15, b, sizeof b), "2500 TB/s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(three_devices_by_hand),
        cmocka_unit_test(bandwidths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
