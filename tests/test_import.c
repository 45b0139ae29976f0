/*
** tests/test_import.c — measurement records (measure/record.h) and their
** import into profiles (profile/import.h): a record written and read back
** is the same record; counts become seconds by their unit (ns / 1e9, cycles
** / clock, instructions x cpi / clock), with the source and origin that
** say so; and every record that must not become a profile is refused with
** a message naming file, line and key: malformed ones, a newer format,
** counts that are not threads x reps, work that does not match the shape,
** wrong outputs, an emulator's clock times, cycles without a clock; and a
** kernel's further batch sizes (format 2) round-trip, import into the
** profile's batch law, and are refused when their keys do not agree.
*/
#include "helpers.h"

#include "profile/import.h"
#include "measure/record_file.h"
#include "core/error.h"
#include "core/ini.h"

static uint64_t x2_counts[4] = {100, 101, 103, 100};
static uint64_t conv_counts[2] = {5000, 5002};
static adi_record_kernel x2k, convk;

/* A record of both kernels, as a device would write it. */
static adi_record sample(adi_unit unit, const char *emulator)
{
    adi_record r = {.format = 1, .cores = 1, .unit = unit, .clock_hz = 0};
    snprintf(r.device, sizeof r.device, "m4");
    snprintf(r.created, sizeof r.created, "unknown");
    snprintf(r.adisim, sizeof r.adisim, "0.1.0");
    snprintf(r.cpu, sizeof r.cpu, "Cortex-M4 r0p0");
    snprintf(r.os, sizeof r.os, "bare metal");
    snprintf(r.compiler, sizeof r.compiler, "gcc 12");
    snprintf(r.blas, sizeof r.blas, "adi_gemm_plain");
    snprintf(r.emulator, sizeof r.emulator, "%s", emulator);
    x2k = (adi_record_kernel){.layer = "cifar10", .shape = {32, 3, 3, 32, 32},
                              .task = "streamed", .threads = 1, .reps = 4, .warmup = 1,
                              .work = 8ull * 32 * 3 * 32 * 32, .checked = 98304,
                              .checksum = 0x4967c096c95908bbull, .counts = x2_counts};
    convk = (adi_record_kernel){.layer = "stem", .shape = {2, 3, 64, 32, 32},
                                .task = "in bands", .threads = 2, .reps = 1,
                                .work = 2ull * 2 * 64 * 1024 * 27, .checked = 10083,
                                .checksum = 0x85d7f24e6c9376ecull, .counts = conv_counts};
    r.kernel[ADI_KERNEL_X2] = &x2k;
    r.kernel[ADI_KERNEL_CONV] = &convk;
    return r;
}

static char *text_of(const adi_record *r)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    assert_int_equal(adi_record_print(r, f), ADI_OK);
    fclose(f);
    return buf;
}

static void round_trip(void **state)
{
    (void)state;
    adi_record r = sample(ADI_UNIT_INSTRUCTIONS, "qemu-system-arm -icount");
    char *text = text_of(&r);
    assert_non_null(strstr(text, "\nunit = instructions\nclock_hz = 0\nemulator = qemu"));
    assert_non_null(strstr(text, "\ncounts = 100, 101, 103, 100\n"));
    assert_non_null(strstr(text, "\nchecksum = 4967c096c95908bb\n"));
    adi_record *back;
    assert_int_equal(adi_record_parse("r.rec", text, &back), ADI_OK);
    assert_string_equal(back->device, "m4");
    assert_int_equal(back->unit, ADI_UNIT_INSTRUCTIONS);
    for (int k = 0; k < ADI_KERNEL_COUNT; k++) {
        const adi_record_kernel *a = r.kernel[k], *b = back->kernel[k];
        assert_string_equal(a->layer, b->layer);
        assert_string_equal(a->task, b->task);
        assert_memory_equal(&a->shape, &b->shape, sizeof a->shape);
        assert_true(a->threads == b->threads && a->reps == b->reps && a->warmup == b->warmup);
        assert_true(a->work == b->work && a->checked == b->checked && a->checksum == b->checksum);
        assert_memory_equal(a->counts, b->counts, a->threads * a->reps * sizeof *a->counts);
    }
    char *again = text_of(back);
    assert_string_equal(text, again);
    free(again);
    adi_record_free(back);
    adi_record_free(NULL);
    free(text);

    /* 20 counts continue over 3 lines, none near inih's limit */
    uint64_t many[20];
    for (int i = 0; i < 20; i++)
        many[i] = 18446744073709551615ull - (uint64_t)i;
    x2k.counts = many;
    x2k.reps = 20;
    r.kernel[ADI_KERNEL_CONV] = NULL;
    text = text_of(&r);
    assert_int_equal(adi_record_parse("r.rec", text, &back), ADI_OK);
    assert_memory_equal(back->kernel[ADI_KERNEL_X2]->counts, many, sizeof many);
    assert_null(back->kernel[ADI_KERNEL_CONV]);
    adi_record_free(back);
    free(text);
}

static adi_profile *imported(const adi_record *r, const adi_import_options *o)
{
    adi_profile *pf;
    int rc = adi_profile_from_record(r, o, &pf);
    if (rc != ADI_OK)
        fail_msg("import failed: %s", adi_errmsg());
    return pf;
}

static void conversions(void **state)
{
    (void)state;
    /* instructions: x cpi / clock, emulated, with the assumption written down */
    adi_record r = sample(ADI_UNIT_INSTRUCTIONS, "qemu-system-arm -icount");
    adi_profile *pf = imported(&r, NULL);
    assert_int_equal(pf->source, ADI_SOURCE_EMULATED);
    assert_true(pf->cpi == ADI_IMPORT_CPI && pf->clock_hz == ADI_IMPORT_CLOCK_HZ);
    const adi_kernel_profile *kp = pf->kernel[ADI_KERNEL_X2];
    assert_true(kp->samples[2] == 103 * (1.5 / 168e6));
    assert_close(kp->instructions, 101.0, 1e-15);
    assert_close(kp->stats.mean, 101 * 1.5 / 168e6, 1e-12);
    assert_string_equal(kp->task, "streamed");
    assert_string_equal(kp->checksum, "4967c096c95908bb");
    assert_non_null(strstr(pf->origin, "instructions counted by qemu-system-arm -icount"));
    assert_string_equal(pf->device, "m4");
    assert_int_equal(strlen(pf->created), 20); /* the record had no date: the import's */
    adi_profile_free(pf);
    adi_import_options o = {.device = "m4-slow", .cpi = 2, .clock_hz = 84e6};
    pf = imported(&r, &o);
    assert_string_equal(pf->device, "m4-slow");
    assert_true(pf->kernel[ADI_KERNEL_X2]->samples[2] == 103 * (2 / 84e6));
    adi_profile_free(pf);

    /* cycles at the record's clock or --clock: measured */
    r = sample(ADI_UNIT_CYCLES, "none");
    r.clock_hz = 100000000;
    pf = imported(&r, NULL);
    assert_int_equal(pf->source, ADI_SOURCE_MEASURED);
    assert_true(pf->kernel[ADI_KERNEL_CONV]->samples[1] == 5002 * (1 / 1e8));
    assert_non_null(strstr(pf->origin, "cycles counted around each task, converted at 100 MHz"));
    assert_true(pf->cpi == 0 && pf->kernel[ADI_KERNEL_CONV]->instructions == 0);
    adi_profile_free(pf);

    /* ns: one division, as the clock read it */
    r = sample(ADI_UNIT_NS, "none");
    o = (adi_import_options){.path = "pi4.record"};
    pf = imported(&r, &o);
    assert_true(pf->kernel[ADI_KERNEL_X2]->samples[1] == 101 / 1e9);
    assert_non_null(strstr(pf->origin, "CLOCK_MONOTONIC around each task), imported from pi4.record"));
    /* a profile from an import reads back like any other */
    char *text;
    adi_profile *back;
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    assert_int_equal(adi_profile_parse("p.ini", text, &back), ADI_OK);
    assert_string_equal(back->kernel[ADI_KERNEL_CONV]->checksum, "85d7f24e6c9376ec");
    adi_profile_free(back);
    free(text);
    adi_profile_free(pf);
}

static void refused_import(adi_record *r, const char *expect)
{
    adi_profile *pf = (adi_profile *)1;
    int rc = adi_profile_from_record(r, NULL, &pf);
    assert_null(pf);
    if (rc != ADI_EINPUT || !strstr(adi_errmsg(), expect))
        fail_msg("expected \"%s\", got (rc %d) \"%s\"", expect, rc, adi_errmsg());
}

/* Parsing text with `key` of [section] replaced by repl must fail with a
** message containing expect (its "%d" the line of mark). */
static void refused_text(const char *text, const char *section, const char *key, const char *repl,
                         const char *expect, const char *mark)
{
    char head[64], find[64];
    snprintf(head, sizeof head, "[%s]\n", section);
    snprintf(find, sizeof find, "\n%s = ", key);
    const char *at = strstr(strstr(text, head), find) + 1, *end = strchr(at, '\n') + 1;
    char *t = malloc(strlen(text) + strlen(repl) + 3);
    sprintf(t, "%.*s%s\n%s", (int)(at - text), text, repl, end);
    int line = 1;
    const char *m = mark ? strstr(t, mark) : NULL;
    if (m && *mark == '\n')
        m++;
    for (const char *c = t; m && c < m; c++)
        line += *c == '\n';
    char want[512];
    const char *d = strstr(expect, "%d");
    if (d)
        snprintf(want, sizeof want, "%.*s%d%s", (int)(d - expect), expect, line, d + 2);
    else
        snprintf(want, sizeof want, "%s", expect);
    adi_record *r = (adi_record *)1;
    int rc = adi_record_parse("r.rec", t, &r);
    assert_null(r);
    if (rc != ADI_EINPUT || !strstr(adi_errmsg(), want))
        fail_msg("expected \"%s\", got (rc %d) \"%s\"", want, rc, adi_errmsg());
    free(t);
}

static void refusals(void **state)
{
    (void)state;
    adi_record r = sample(ADI_UNIT_NS, "qemu-user (MIDR implementer 0)");
    refused_import(&r, "the times were taken under qemu-user (MIDR implementer 0): they are the "
                       "emulator's, not the device's; this record is good for checking the kernels only");
    r = sample(ADI_UNIT_INSTRUCTIONS, "none");
    refused_import(&r, "unit = instructions but no emulator is named");
    r = sample(ADI_UNIT_CYCLES, "none");
    refused_import(&r, "the counts are cycles and the record names no clock: give the core clock "
                       "with --clock HZ");
    r = sample(ADI_UNIT_NS, "none");
    x2k.wrong = 3;
    refused_import(&r, "[x2]: the device computed 3 wrong outputs of 98304 checked: refusing");

    r = sample(ADI_UNIT_NS, "none");
    char *text = text_of(&r);
    refused_text(text, "x2", "reps", "reps = 5", "r.rec:%d: [x2] counts: 4 counts, but threads x "
                 "reps = 1 x 5 = 5", "\ncounts = 100");
    refused_text(text, "conv", "flops", "flops = 12",
                 "r.rec: [conv] flops = 12, but the task's shape implies 7077888", NULL);
    refused_text(text, "x2", "batch", "batch = 31",
                 "r.rec: [x2] bytes = 786432, but the task's shape implies 761856", NULL);
    refused_text(text, "record", "format", "format = 3\ncolour = red",
                 "r.rec:%d: [record] format: written by a newer adisim (format 3; this one reads "
                 "up to 2)", "format = 3");
    refused_text(text, "record", "unit", "unit = seconds",
                 "r.rec:%d: [record] unit: expected ns, cycles or instructions, got 'seconds'",
                 "unit = seconds");
    refused_text(text, "x2", "checksum", "checksum = 4967C096C95908BB",
                 "r.rec:%d: [x2] checksum: expected 16 lowercase hex digits", "4967C");
    refused_text(text, "x2", "counts", "counts = 1, 2, 0, 4",
                 "r.rec:%d: [x2] counts: count 3: expected an integer >= 1, got '0'", "1, 2, 0");
    refused_text(text, "x2", "wrong", "speed = 3",
                 "r.rec:%d: [x2] speed: unknown key", "speed = 3");
    refused_text(text, "x2", "wrong", "checked = 1", "r.rec:%d: [x2] checked: given twice",
                 "checked = 1\n");
    refused_text(text, "record", "blas", "; no blas", "r.rec:%d: [record] blas is missing",
                 "[record]");
    /* a text a profile line could not hold back: inih reads "task =;x" as
    ** ";x", which "task = ;x" in a profile would turn into a comment */
    refused_text(text, "x2", "task", "task =;x",
                 "r.rec:%d: [x2] task: a profile could not hold it: ';x' has a ';' first", "task =;x");
    refused_text(text, "record", "cpu", "cpu = a\x01b",
                 "r.rec:%d: [record] cpu: a profile could not hold it: the value holds a control "
                 "character", "cpu = a");
    adi_record *none;
    assert_int_equal(adi_record_parse("r.rec", "; a banner\n[conv]\n", &none), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "r.rec: no [record] section (is this an adisim "
                                         "measurement record?)"));
    assert_int_equal(adi_record_parse("r.rec", "Booting...\n[record]\n", &none), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "r.rec:1: expected 'key = value'"));
    free(text);
}

/* Format 2: a kernel measured at further batch sizes (calibrate --batch
** 32,64,128 on x2) carries each size's reps, warm-up, self-check and
** counts, reads back the same, and imports into the profile's batch law
** (each size's mean from its own counts); a record without them is format
** 1's text; malformed groups of keys are refused naming line and key. */
static void batch_sizes(void **state)
{
    (void)state;
    adi_record r = sample(ADI_UNIT_NS, "none");
    uint64_t c64[3] = {200, 202, 204}, c128[2] = {400, 404};
    adi_record_batch more[2] = {
        {.batch = 64, .reps = 3, .warmup = 2, .checked = 7, .checksum = 0x1234567890abcdefull,
         .counts = c64},
        {.batch = 128, .reps = 2, .warmup = 1, .checked = 9, .checksum = 1, .counts = c128},
    };
    x2k.nbatches = 2;
    x2k.batches = more;
    char *text = text_of(&r);
    assert_non_null(strstr(text, "\nbatches = 64, 128\nbatch_reps = 3, 2\nbatch_warmup = 2, 1\n"
                                 "batch_checked = 7, 9\nbatch_wrong = 0, 0\nbatch_checksum = "
                                 "1234567890abcdef, 0000000000000001\nbatch_counts = 200, 202, "
                                 "204, 400, 404\n"));
    const char *conv = strstr(text, "[conv]"), *x2 = strstr(text, "[x2]"), *at = strstr(conv, "batches");
    assert_true(conv < x2 && at > x2); /* conv has none */
    adi_record *back;
    assert_int_equal(adi_record_parse("r.rec", text, &back), ADI_OK);
    const adi_record_kernel *k = back->kernel[ADI_KERNEL_X2];
    assert_int_equal(k->nbatches, 2);
    for (size_t j = 0; j < 2; j++) {
        const adi_record_batch *a = &more[j], *b = &k->batches[j];
        assert_true(a->batch == b->batch && a->reps == b->reps && a->warmup == b->warmup &&
                    a->checked == b->checked && a->wrong == b->wrong && a->checksum == b->checksum);
        assert_memory_equal(a->counts, b->counts, a->reps * sizeof *a->counts);
    }
    assert_int_equal(back->kernel[ADI_KERNEL_CONV]->nbatches, 0);
    char *again = text_of(back);
    assert_string_equal(text, again);
    free(again);

    /* the profile: three sizes, each mean from its own counts */
    adi_profile *pf = imported(back, NULL);
    const adi_batch_law *law = &pf->kernel[ADI_KERNEL_X2]->batch;
    assert_int_equal(law->n, 3);
    assert_true(law->size[0] == 32 && law->size[1] == 64 && law->size[2] == 128);
    assert_close(law->mean[1], 202e-9, 1e-12);
    assert_close(law->mean[2], 402e-9, 1e-12);
    assert_true(law->count[1] == 3 && law->count[2] == 2);
    assert_int_equal(pf->kernel[ADI_KERNEL_X2]->nsamples, 4); /* the task's own */
    assert_int_equal(pf->kernel[ADI_KERNEL_CONV]->batch.n, 1);
    adi_profile_free(pf);
    adi_record_free(back);

    /* a wrong output at a further size refuses the import too */
    more[1].wrong = 2;
    refused_import(&r, "[x2]: the device computed 2 wrong outputs of 9 checked at batch size 128");
    more[1].wrong = 0;

    refused_text(text, "x2", "batch_warmup", "batch_warmup = 2",
                 "r.rec:%d: [x2] batch_warmup: 1 entries, but batches lists 2 sizes",
                 "batch_warmup = 2\n");
    refused_text(text, "x2", "batch_reps", "; none",
                 "r.rec:%d: [x2] batch_reps is missing (with further batch sizes, every batch_ "
                 "key is given)", "[x2]");
    refused_text(text, "x2", "batches", "batches = 64, 64",
                 "r.rec:%d: [x2] batches: the sizes must increase from the task's batch (32) to "
                 "at most 65536: 64 after 64", "batches = 64, 64");
    refused_text(text, "x2", "batches", "batches = 16, 64",
                 "r.rec:%d: [x2] batches: the sizes must increase from the task's batch (32)",
                 "batches = 16");
    refused_text(text, "x2", "batch_counts", "batch_counts = 1, 2, 3, 4",
                 "r.rec:%d: [x2] batch_counts: 4 counts, but threads x the sum of batch_reps = 5",
                 "batch_counts = 1");
    refused_text(text, "x2", "batch_checksum", "batch_checksum = 12, 1",
                 "r.rec:%d: [x2] batch_checksum: entry 1: expected 16 lowercase hex digits",
                 "batch_checksum = 12");
    refused_text(text, "x2", "batches",
                 "batches = 33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48",
                 "r.rec:%d: [x2] batches: at most 15 further batch sizes, got 16", "batches = 33");
    refused_text(text, "record", "format", "format = 1",
                 "r.rec:%d: [x2] batches: only in a format 2 record", "batches = 64");
    free(text);
    x2k.nbatches = 0;
    x2k.batches = NULL;
}

/* What --note and a long record path make of origin: refused, or cut to
** one line, and in every accepted case the profile reads back the same. */
static void origin_round_trips(void **state)
{
    (void)state;
    adi_record r = sample(ADI_UNIT_NS, "none");
    adi_profile *pf;
    adi_import_options o = {.path = "r.rec", .note = "a ;b"};
    assert_int_equal(adi_profile_from_record(&r, &o, &pf), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "--note: 'a ;b' has a ';' after white space"));
    o.note = "a;b";
    assert_int_equal(adi_profile_from_record(&r, &o, &pf), ADI_OK);
    assert_non_null(strstr(pf->origin, "r.rec; a;b"));
    adi_profile_free(pf);
    /* a path of 180 characters: origin is cut at a word to fit one line */
    char path[181];
    memset(path, 'p', 180);
    path[180] = '\0';
    path[60] = ' ';
    o = (adi_import_options){.path = path};
    assert_int_equal(adi_profile_from_record(&r, &o, &pf), ADI_OK);
    assert_true(strlen("origin = ") + strlen(pf->origin) <= ADI_INI_MAX_LINE);
    assert_non_null(strstr(pf->origin, " ..."));
    char *text;
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    adi_profile *back;
    assert_int_equal(adi_profile_parse("p.ini", text, &back), ADI_OK);
    assert_string_equal(back->origin, pf->origin);
    adi_profile_free(back);
    free(text);
    adi_profile_free(pf);
    /* 2^64 - 1 flops: the writer prints a double beyond long long's range
    ** (UBSan with float-cast-overflow watches the conversion) */
    r = sample(ADI_UNIT_NS, "none");
    assert_int_equal(adi_profile_from_record(&r, NULL, &pf), ADI_OK);
    pf->kernel[ADI_KERNEL_CONV]->work = 18446744073709551615.0;
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    assert_non_null(strstr(text, "\nflops = 1.8446744073709552e+19\n"));
    free(text);
    adi_profile_free(pf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(conversions),
        cmocka_unit_test(refusals),
        cmocka_unit_test(origin_round_trips),
        cmocka_unit_test(batch_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
