/*
** tests/test_profile.c — device profiles: written, read back bit for bit
** (statistics, fits, every sample, the host), the text stable under a
** second round trip, and every kind of malformed profile refused with one
** message naming file, line and key (a newer format first of all); older
** formats read (1 and 2: the task's bytes from its shape; 3: one batch
** size); a measured link ([link]) round-trips and is what `links =
** profile` finds; several batch sizes and their law round-trip and are
** checked when read.
*/
#include "helpers.h"

#include "profile/profile.h"
#include "core/error.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* A profile with both kernels, conv measured with 2 copies of 5 reps. */
static adi_profile *sample_profile(void)
{
    adi_profile *pf = adi_profile_new();
    assert_non_null(pf);
    snprintf(pf->device, sizeof pf->device, "pi4-a");
    snprintf(pf->created, sizeof pf->created, "2024-05-01T12:00:00Z");
    snprintf(pf->adisim, sizeof pf->adisim, "0.1.0");
    snprintf(pf->cpu, sizeof pf->cpu, "Raspberry Pi 4 Model B Rev 1.4");
    snprintf(pf->os, sizeof pf->os, "Linux 6.1.0-rpi7-rpi-v8 aarch64");
    snprintf(pf->compiler, sizeof pf->compiler, "gcc 12.2.0");
    snprintf(pf->blas, sizeof pf->blas, "openblas 0.3.21 (CORTEXA72)");
    pf->cores = 4;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double conv[10], x2[300];
    for (int i = 0; i < 10; i++)
        conv[i] = gsl_ran_gamma(r, 400, 0.8 / 400);
    for (int i = 0; i < 300; i++)
        x2[i] = 1e-4 * gsl_ran_lognormal(r, 0, 0.2);
    gsl_rng_free(r);
    adi_conv_shape cs = {64, 64, 64, 32, 32}, xs = {32, 3, 3, 32, 32};
    assert_int_equal(adi_profile_add(pf, ADI_KERNEL_CONV, "layer1", &cs, 2, 5, 3,
                                     adi_conv_flops(&cs), conv, 10), ADI_OK);
    assert_int_equal(adi_profile_add(pf, ADI_KERNEL_X2, "cifar10", &xs, 1, 300, 100,
                                     2.0 * 4 * 32 * 3 * 32 * 32, x2, 300), ADI_OK);
    return pf;
}

/* Field by field (the struct has padding), bit for bit. */
static void same_law(const adi_batch_law *a, const adi_batch_law *b)
{
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->size, b->size, sizeof a->size);
    assert_memory_equal(a->mean, b->mean, sizeof a->mean);
    assert_memory_equal(a->std, b->std, sizeof a->std);
    assert_memory_equal(a->count, b->count, sizeof a->count);
    assert_int_equal(a->law, b->law);
    assert_memory_equal(&a->intercept, &b->intercept, sizeof a->intercept);
    assert_memory_equal(&a->slope, &b->slope, sizeof a->slope);
    assert_memory_equal(&a->affine_error, &b->affine_error, sizeof a->affine_error);
    assert_memory_equal(&a->interpolated_error, &b->interpolated_error,
                        sizeof a->interpolated_error);
}

static void same_kernel(const adi_kernel_profile *a, const adi_kernel_profile *b)
{
    assert_int_equal(a->kernel, b->kernel);
    assert_string_equal(a->layer, b->layer);
    assert_memory_equal(&a->shape, &b->shape, sizeof a->shape);
    assert_true(a->threads == b->threads && a->reps == b->reps && a->warmup == b->warmup);
    assert_true(a->work == b->work && a->rate == b->rate);
    assert_true(a->input_bytes == b->input_bytes && a->output_bytes == b->output_bytes);
    assert_memory_equal(&a->stats, &b->stats, sizeof a->stats);
    assert_memory_equal(&a->fit, &b->fit, sizeof a->fit);
    same_law(&a->batch, &b->batch);
    assert_int_equal(a->nsamples, b->nsamples);
    assert_memory_equal(a->samples, b->samples, a->nsamples * sizeof *a->samples);
    assert_memory_equal(a->sorted, b->sorted, a->nsamples * sizeof *a->sorted);
    for (size_t i = 1; i < b->nsamples; i++)
        assert_true(b->sorted[i - 1] <= b->sorted[i]);
}

static void round_trip(void **state)
{
    (void)state;
    adi_profile *pf = sample_profile(), *back;
    assert_int_equal(pf->kernel[ADI_KERNEL_CONV]->stats.n, 10);
    assert_int_equal(adi_profile_save(pf, path_in("pi.ini")), ADI_OK);
    assert_int_equal(strlen(pf->sha256), 64);
    assert_int_equal(adi_profile_load(path_in("pi.ini"), &back), ADI_OK);
    assert_string_equal(back->sha256, pf->sha256);
    assert_int_equal(back->format, ADI_PROFILE_FORMAT);
    assert_string_equal(back->device, "pi4-a");
    assert_string_equal(back->created, pf->created);
    assert_string_equal(back->cpu, pf->cpu);
    assert_string_equal(back->os, pf->os);
    assert_string_equal(back->blas, pf->blas);
    assert_string_equal(back->compiler, pf->compiler);
    assert_int_equal(back->cores, 4);
    for (int k = 0; k < ADI_KERNEL_COUNT; k++)
        same_kernel(pf->kernel[k], back->kernel[k]);
    assert_int_equal(back->kernel[ADI_KERNEL_X2]->shape.out_c, 3);
    /* the text is a fixed point: reading and writing again changes nothing */
    char *a, *b;
    assert_int_equal(adi_profile_text(pf, &a), ADI_OK);
    assert_int_equal(adi_profile_text(back, &b), ADI_OK);
    assert_string_equal(a, b);
    char *file = read_file(path_in("pi.ini"));
    assert_string_equal(a, file);
    /* a person can read it: comments, units, one line per statistic */
    assert_non_null(strstr(a, "; conv: one batch of 64 images through ResNet18's layer1 convolution"));
    assert_non_null(strstr(a, "\nthreads = 2\nreps = 5\nwarmup = 3\n"));
    assert_non_null(strstr(a, "\nflops = 4831838208\n"));
    assert_non_null(strstr(a, "\ninput_bytes = 16777216\noutput_bytes = 16777216\n"));
    assert_non_null(strstr(a, "\ninput_bytes = 393216\noutput_bytes = 393216\n"));
    /* no line reaches inih's limit; the 300 samples take 50 lines */
    size_t lines = 0, longest = 0, len = 0;
    for (const char *c = a; *c; c++, len++)
        if (*c == '\n') {
            longest = len > longest ? len : longest;
            len = (size_t)-1;
            lines++;
        }
    assert_true(longest <= 198);
    assert_true(lines > 100);
    const adi_kernel_profile *kp;
    assert_int_equal(adi_profile_need(back, ADI_KERNEL_X2, &kp), ADI_OK);
    assert_ptr_equal(kp, back->kernel[ADI_KERNEL_X2]);
    free(a);
    free(b);
    free(file);
    adi_profile_free(pf);
    adi_profile_free(back);
    adi_profile_free(NULL);
}

/* adi_profile_text must refuse what would not read back the same: each
** case below once wrote a profile that simulate rejected or misread. */
static void writer_refuses(adi_profile *pf, const char *expect)
{
    char *text = (char *)1;
    int rc = adi_profile_text(pf, &text);
    assert_null(text);
    if (rc != ADI_EINPUT || !strstr(adi_errmsg(), expect))
        fail_msg("expected \"%s\", got (rc %d) \"%s\"", expect, rc, adi_errmsg());
}

static void only_what_reads_back(void **state)
{
    (void)state;
    adi_profile *pf = sample_profile();
    adi_kernel_profile *conv = pf->kernel[ADI_KERNEL_CONV];
    snprintf(conv->task, sizeof conv->task, "two ;copies");
    writer_refuses(pf, "[conv] task: 'two ;copies' has a ';' after white space");
    snprintf(conv->task, sizeof conv->task, ";x");
    writer_refuses(pf, "[conv] task: ';x' has a ';' first");
    snprintf(conv->task, sizeof conv->task, " padded");
    writer_refuses(pf, "[conv] task: ' padded' starts or ends with white space");
    snprintf(conv->task, sizeof conv->task, "tab\there");
    writer_refuses(pf, "[conv] task: the value holds a control character");
    snprintf(conv->task, sizeof conv->task, "two;copies"); /* no space: not a comment */
    char *text;
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    free(text);
    /* 190 characters fit the field but not the line "origin = ..." */
    memset(pf->origin, 'o', 190);
    pf->origin[190] = '\0';
    writer_refuses(pf, "[profile] origin: 'origin = ...' would be a line of 199 characters");
    pf->origin[189] = '\0';
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    free(text);
    /* numbers the reader would refuse or read differently */
    double ll = conv->fit.lognormal.loglik;
    conv->fit.lognormal.loglik = INFINITY;
    writer_refuses(pf, "cannot write this profile: it would not read back: profile:");
    conv->fit.lognormal.loglik = ll;
    conv->fit.lognormal.p1 = -0.0; /* keeps its sign */
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    adi_profile *back;
    assert_int_equal(adi_profile_parse("p.ini", text, &back), ADI_OK);
    assert_true(signbit(back->kernel[ADI_KERNEL_CONV]->fit.lognormal.p1));
    adi_profile_free(back);
    free(text);
    conv->samples[3] = 1e-320; /* subnormal: strtod reports a range error */
    writer_refuses(pf, "[conv] samples: sample 4");
    adi_profile_free(pf);
}

/* Replaces (or with repl NULL deletes) the line "key = ..." of [section]. */
static char *edit(const char *text, const char *section, const char *key, const char *repl)
{
    char head[64], find[64];
    snprintf(head, sizeof head, "[%s]\n", section);
    snprintf(find, sizeof find, "\n%s = ", key);
    const char *s = strstr(text, head);
    assert_non_null(s);
    const char *at = strstr(s, find);
    assert_non_null(at);
    at++;
    const char *end = strchr(at, '\n');
    char *out = malloc(strlen(text) + (repl ? strlen(repl) : 0) + 2);
    size_t n = (size_t)(at - text);
    memcpy(out, text, n);
    out[n] = '\0';
    if (repl) {
        strcat(out, repl);
        strcat(out, "\n");
    }
    strcat(out, end + 1);
    return out;
}

static int line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    assert_non_null(at);
    if (*needle == '\n')
        at++;
    int line = 1;
    for (const char *c = text; c < at; c++)
        line += *c == '\n';
    return line;
}

/* Parsing must fail with a message containing expect ("%d" = line of mark). */
static void refused(const char *text, const char *expect, const char *mark)
{
    char want[512];
    const char *d = strstr(expect, "%d");
    if (d)
        snprintf(want, sizeof want, "%.*s%d%s", (int)(d - expect), expect,
                 mark ? line_of(text, mark) : 0, d + 2);
    else
        snprintf(want, sizeof want, "%s", expect);
    adi_profile *pf = (adi_profile *)1;
    int rc = adi_profile_parse("p.ini", text, &pf);
    assert_null(pf);
    if (rc != ADI_EINPUT || !strstr(adi_errmsg(), want))
        fail_msg("expected a message containing \"%s\", got (rc %d) \"%s\"", want, rc, adi_errmsg());
}

static void malformed_profiles(void **state)
{
    (void)state;
    adi_profile *pf = sample_profile();
    char *good, *t;
    assert_int_equal(adi_profile_text(pf, &good), ADI_OK);

    t = edit(good, "conv", "mean", "mean = fast");
    refused(t, "p.ini:%d: [conv] mean: expected a time such as 50ms, 1.2s or 0.5, got 'fast'",
            "mean = fast");
    free(t);
    t = edit(good, "x2", "p95", NULL);
    refused(t, "p.ini:%d: [x2] p95 is missing", "[x2]");
    free(t);
    t = edit(good, "conv", "std", "colour = blue");
    refused(t, "p.ini:%d: [conv] colour: unknown key", "colour");
    free(t);
    t = edit(good, "conv", "reps", "reps = 6");
    refused(t, "p.ini:%d: [conv] samples: 10 samples, but threads x reps = 2 x 6 = 12",
            "\nsamples = ");
    free(t);
    t = edit(good, "conv", "fit", "fit = weibull");
    refused(t, "p.ini:%d: [conv] fit: expected lognormal, gamma or none, got 'weibull'", "weibull");
    free(t);
    t = edit(good, "host", "cores", "cores = 4\ncores = 8");
    refused(t, "p.ini:%d: [host] cores: given twice (first on line", "cores = 8");
    free(t);
    t = edit(good, "profile", "device", "device = my pi");
    refused(t, "p.ini:%d: [profile] device: expected letters, digits", "my pi");
    free(t);
    t = edit(good, "conv", "threads", "[gpu]\nthreads = 2");
    refused(t, "p.ini:%d: unknown section [gpu]", "[gpu]");
    free(t);
    t = edit(good, "conv", "gamma_ks", "gamma_ks = -0.1");
    refused(t, "p.ini:%d: [conv] gamma_ks: expected a number >= 0, got '-0.1'", "-0.1");
    free(t);

    /* a negative sample in the middle of a continued list */
    char *neg = strdup(good);
    char *samples = strstr(strstr(neg, "[x2]"), "\nsamples = ");
    char *third = strchr(strchr(samples, ',') + 1, ',') + 2;
    *third = '-';
    char expect[64];
    snprintf(expect, sizeof expect, "p.ini:%d: [x2] samples: sample 3: ",
             line_of(neg, "[x2]") + line_of(strstr(neg, "[x2]"), "\nsamples = ") - 1);
    refused(neg, expect, NULL);
    free(neg);

    /* a newer format is named first, even ahead of keys this reader does
    ** not know (which a newer writer may well add) */
    t = edit(good, "conv", "std", "variance = 1e-6");
    char *newer = edit(t, "profile", "format", "format = 5");
    refused(newer, "p.ini:%d: [profile] format: written by a newer adisim (format 5; this one "
                   "reads up to 4)", "format = 5");
    free(t);
    free(newer);

    /* not a profile at all */
    refused("[scenario]\nname = x\n", "p.ini:1: unknown section [scenario]", NULL);
    refused("", "p.ini: [profile] format is missing", NULL);
    refused("[profile]\nformat = 1\ndevice = d\ncreated = now\nadisim = 0\n", "p.ini: no [host] section", NULL);
    char *bare = strdup(good);
    *strstr(bare, "; conv: one batch") = '\0';
    refused(bare, "p.ini: no measured kernel ([conv] or [x2] section)", NULL);
    free(bare);
    char longline[400] = "[profile]\nformat = 1\n; ";
    memset(longline + strlen(longline), 'x', 250);
    refused(longline, "p.ini:3: line is longer than 198 characters", NULL);
    refused("[profile]\nformat = 1\nthis is not ini\n", "p.ini:3: expected 'key = value'", NULL);

    /* a profile without the kernel a scenario asks for */
    adi_profile *one;
    t = strdup(good);
    *strstr(t, "; x2: the paper's") = '\0';
    assert_int_equal(adi_profile_parse("p.ini", t, &one), ADI_OK);
    const adi_kernel_profile *kp;
    assert_int_equal(adi_profile_need(one, ADI_KERNEL_X2, &kp), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "p.ini: no [x2] section (it has [conv]); measure it with "
                                      "`calibrate --kernel x2`");
    adi_profile_free(one);
    free(t);
    free(good);
    adi_profile_free(pf);
}

static void save_is_all_or_nothing(void **state)
{
    (void)state;
    adi_profile *pf = sample_profile();
    assert_int_equal(adi_profile_save(pf, "/nonexistent/dir/p.ini"), ADI_EIO);
    assert_non_null(strstr(adi_errmsg(), "/nonexistent/dir/p.ini: cannot write"));
    /* overwriting leaves no temporary file behind */
    assert_int_equal(adi_profile_save(pf, path_in("p.ini")), ADI_OK);
    assert_int_equal(adi_profile_save(pf, path_in("p.ini")), ADI_OK);
    char cmd[800], *out;
    snprintf(cmd, sizeof cmd, "ls '%s'", temp_dir());
    assert_int_equal(run_command(cmd, &out, NULL), 0);
    assert_string_equal(out, "p.ini\n");
    free(out);
    adi_profile_free(pf);
    /* the bad measurements adi_profile_add refuses */
    pf = adi_profile_new();
    adi_conv_shape s = {1, 1, 1, 1, 1};
    const double same[4] = {1, 1, 1, 1};
    assert_int_equal(adi_profile_add(pf, ADI_KERNEL_X2, "x", &s, 2, 2, 0, 8, same, 3), ADI_EINPUT);
    assert_null(pf->kernel[ADI_KERNEL_X2]);
    adi_profile_free(pf);
}

/* Format 2: where the times come from. Equal samples have no fit (fit =
** none, no fit parameters); an emulated profile carries cpi, clock_hz and
** instructions, which no other profile may; format 1 still reads, as
** measured. */
static void sources_and_formats(void **state)
{
    (void)state;
    adi_profile *pf = sample_profile(), *back;
    adi_conv_shape xs = {32, 3, 3, 32, 32};
    const double same[4] = {2e-3, 2e-3, 2e-3, 2e-3};
    assert_int_equal(adi_profile_add(pf, ADI_KERNEL_X2, "cifar10", &xs, 1, 4, 1,
                                     2.0 * 4 * 32 * 3 * 32 * 32, same, 4), ADI_OK);
    assert_int_equal(pf->kernel[ADI_KERNEL_X2]->fit.best, ADI_DIST_DETERMINISTIC);
    pf->source = ADI_SOURCE_EMULATED;
    pf->cpi = 1.5;
    pf->clock_hz = 168e6;
    pf->kernel[ADI_KERNEL_X2]->instructions = 224000;
    pf->kernel[ADI_KERNEL_CONV]->instructions = 1e9;
    snprintf(pf->origin, sizeof pf->origin, "instructions counted by qemu-system-arm");
    snprintf(pf->kernel[ADI_KERNEL_X2]->task, sizeof pf->kernel[0]->task, "streamed");
    snprintf(pf->kernel[ADI_KERNEL_X2]->checksum, sizeof pf->kernel[0]->checksum,
             "00ff00ff00ff00ff");
    assert_true(adi_profile_estimated(pf));
    char *text;
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    assert_non_null(strstr(text, "\nsource = emulated\norigin = instructions counted by qemu"));
    assert_non_null(strstr(text, "\ncpi = 1.5\nclock_hz = 168000000\n"));
    assert_non_null(strstr(text, "NOT MEASURED"));
    const char *x2 = strstr(text, "[x2]");
    assert_non_null(strstr(x2, "\nfit = none\n"));
    assert_null(strstr(x2, "lognormal_zeta"));
    assert_non_null(strstr(x2, "\ntask = streamed\n"));
    assert_non_null(strstr(x2, "\ninstructions = 224000\n"));
    assert_non_null(strstr(x2, "\nchecksum = 00ff00ff00ff00ff\n"));
    assert_int_equal(adi_profile_parse("p.ini", text, &back), ADI_OK);
    assert_int_equal(back->source, ADI_SOURCE_EMULATED);
    assert_true(back->cpi == 1.5 && back->clock_hz == 168e6);
    assert_true(back->kernel[ADI_KERNEL_X2]->instructions == 224000);
    assert_int_equal(back->kernel[ADI_KERNEL_X2]->fit.best, ADI_DIST_DETERMINISTIC);
    assert_string_equal(back->origin, pf->origin);
    char *again;
    assert_int_equal(adi_profile_text(back, &again), ADI_OK);
    assert_string_equal(text, again);
    free(again);
    adi_profile_free(back);

    /* keys that do not apply, and those missing */
    char *t = edit(text, "x2", "fit", "fit = none\nlognormal_zeta = 1");
    refused(t, "p.ini:%d: [x2] lognormal_zeta: only with a fit (this kernel's fit is none)",
            "lognormal_zeta = 1\n");
    free(t);
    t = edit(text, "profile", "source", "source = measured");
    refused(t, "p.ini:%d: [profile] cpi: only in an emulated profile (source = emulated)",
            "\ncpi = ");
    free(t);
    t = edit(text, "profile", "source", "source = guessed");
    refused(t, "p.ini:%d: [profile] source: expected measured, emulated or estimated, got "
               "'guessed'", "guessed");
    free(t);
    t = edit(text, "x2", "instructions", NULL);
    refused(t, "p.ini:%d: [x2] instructions is missing", "[x2]");
    free(t);
    t = edit(text, "profile", "origin", NULL);
    refused(t, "p.ini:%d: [profile] origin is missing", "[profile]");
    free(t);
    free(text);
    adi_profile_free(pf);

    /* format 1, as calibrate wrote it before format 2: measured */
    pf = sample_profile();
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    char *v1 = edit(text, "profile", "format", "format = 1"), *u;
    u = edit(v1, "profile", "source", NULL);
    free(v1);
    v1 = edit(u, "profile", "origin", NULL);
    free(u);
    for (int k = 0; k < 2; k++) {
        const char *sec = k ? "x2" : "conv";
        static const char *const newer_keys[] = {"task", "checksum", "input_bytes",
                                                 "output_bytes", "batches"};
        for (int j = 0; j < 5; j++) {
            u = edit(v1, sec, newer_keys[j], NULL);
            free(v1);
            v1 = u;
        }
    }
    assert_int_equal(adi_profile_parse("p.ini", v1, &back), ADI_OK);
    assert_int_equal(back->format, 1);
    assert_int_equal(back->source, ADI_SOURCE_MEASURED);
    assert_false(adi_profile_estimated(back));
    assert_non_null(strstr(back->origin, "format 1"));
    assert_string_equal(back->kernel[ADI_KERNEL_CONV]->task, adi_kernel_host_task(ADI_KERNEL_CONV));
    assert_string_equal(back->kernel[ADI_KERNEL_X2]->checksum, "unknown");
    same_kernel(pf->kernel[ADI_KERNEL_CONV], back->kernel[ADI_KERNEL_CONV]);
    assert_true(back->kernel[ADI_KERNEL_X2]->input_bytes == 393216); /* from the shape */
    adi_profile_free(back);
    /* format 2's keys are not format 1's */
    t = edit(v1, "profile", "adisim", "adisim = 0.1.0\nsource = measured");
    refused(t, "p.ini:%d: [profile] source: only in a format 2 profile", "source = ");
    free(t);
    free(v1);

    /* format 2, as calibrate wrote it before kernels said their bytes: they
    ** come from the shape, and the keys are format 3's */
    char *v2 = edit(text, "profile", "format", "format = 2");
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < 3; j++) {
            u = edit(v2, k ? "x2" : "conv", j == 2 ? "batches" : j ? "output_bytes" : "input_bytes",
                     NULL);
            free(v2);
            v2 = u;
        }
    assert_int_equal(adi_profile_parse("p.ini", v2, &back), ADI_OK);
    assert_int_equal(back->format, 2);
    same_kernel(pf->kernel[ADI_KERNEL_X2], back->kernel[ADI_KERNEL_X2]);
    assert_true(back->kernel[ADI_KERNEL_CONV]->input_bytes == 16777216);
    assert_true(back->kernel[ADI_KERNEL_CONV]->output_bytes == 16777216);
    adi_profile_free(back);
    t = edit(v2, "x2", "bytes", "bytes = 786432\ninput_bytes = 1");
    refused(t, "p.ini:%d: [x2] input_bytes: only in a format 3 profile", "input_bytes");
    free(t);
    t = malloc(strlen(v2) + 400);
    sprintf(t, "%s\n[link]\npeer = c:1\n", v2);
    refused(t, "p.ini:%d: [link]: only in a format 3 profile", "[link]");
    free(t);
    free(v2);
    free(text);
    adi_profile_free(pf);
}

/* A measured link (calibrate --link): written after the kernels, read back
** bit for bit, what `links = profile` asks for, and refused when malformed. */
static void links(void **state)
{
    (void)state;
    adi_profile *pf = sample_profile(), *back;
    const adi_link_profile *got;
    assert_int_equal(adi_profile_link(pf, &got), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "profile: no [link] section (the link to the coordinator "
                        "was not measured); measure it with `calibrate --device pi4-a --link "
                        "HOST[:PORT]` against `calibrate --serve` on the coordinator");
    adi_link_profile l = {.peer = "coordinator.lan:5577", .created = "2024-05-01T12:05:00Z",
                          .latency = {1.25e-4, 3e-6, 1.24e-4, 200},
                          .down = {2.4e6, 1.5e4, 2.41e6, 10},
                          .up = {2.3e6, 2e4, 2.29e6, 10},
                          .input_bytes = 393216, .output_bytes = 393216};
    assert_int_equal(adi_profile_set_link(pf, &l), ADI_OK);
    l.down.mean = 1; /* a copy was taken */
    char *text;
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    assert_non_null(strstr(text, "\n[link]\n; the coordinator measured against\npeer = "
                                 "coordinator.lan:5577\n"));
    assert_non_null(strstr(text, "\nbandwidth_down = 2400000\n"));
    assert_int_equal(adi_profile_parse("p.ini", text, &back), ADI_OK);
    assert_int_equal(adi_profile_link(back, &got), ADI_OK);
    assert_memory_equal(&got->latency, &pf->link->latency, sizeof got->latency);
    assert_memory_equal(&got->down, &pf->link->down, sizeof got->down);
    assert_memory_equal(&got->up, &pf->link->up, sizeof got->up);
    assert_string_equal(got->peer, "coordinator.lan:5577");
    assert_true(got->input_bytes == 393216 && got->output_bytes == 393216);
    assert_int_equal(got->line, line_of(text, "[link]"));
    adi_profile_free(back);
    char *t = edit(text, "link", "bandwidth_up", "bandwidth_up = -3");
    refused(t, "p.ini:%d: [link] bandwidth_up: expected a number > 0, got '-3'", "= -3");
    free(t);
    t = edit(text, "link", "latency_samples", NULL);
    refused(t, "p.ini:%d: [link] latency_samples is missing", "[link]");
    free(t);
    t = edit(text, "link", "input_bytes", "input_bytes = 1.5");
    refused(t, "p.ini:%d: [link] input_bytes: ", "= 1.5");
    free(t);
    t = edit(text, "link", "peer", "peer = a\nsamples = 1");
    refused(t, "p.ini:%d: [link] samples: unknown key", "samples = 1");
    free(t);
    /* the writer refuses a link that would not read back */
    pf->link->down.mean = 0;
    char *bad = (char *)1;
    assert_int_equal(adi_profile_text(pf, &bad), ADI_EINPUT);
    assert_null(bad);
    free(text);
    adi_profile_free(pf);
}

/* Format 4: a kernel measured at several batch sizes (calibrate --batch
** 64,128,256 here) keeps each size's mean, std and count and the fitted
** law, round-trips bit for bit, and gives T(b) for b tasks; a malformed
** batch law is refused naming its line and key; format 3 reads as measured
** at its one batch. */
static void batch_sizes(void **state)
{
    (void)state;
    adi_profile *pf = sample_profile(), *back;
    adi_kernel_profile *conv = pf->kernel[ADI_KERNEL_CONV];
    /* one call on s images takes about 2 ms + 12.5 us s: 128 and 256 images */
    double big[2][6];
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 6; i++)
            big[j][i] = 2e-3 + 12.5e-6 * (128 << j) * (1 + 0.01 * (i - 2.5));
    assert_int_equal(adi_profile_add_batch(pf, ADI_KERNEL_CONV, 128, big[0], 6), ADI_OK);
    assert_int_equal(adi_profile_add_batch(pf, ADI_KERNEL_CONV, 256, big[1], 6), ADI_OK);
    const adi_batch_law *b = &conv->batch;
    assert_int_equal(b->n, 3);
    assert_true(b->size[0] == 64 && b->size[1] == 128 && b->size[2] == 256);
    assert_memory_equal(&b->mean[0], &conv->stats.mean, sizeof(double));
    assert_int_equal(b->count[0], 10);
    assert_int_equal(b->count[2], 6);
    /* refused: a size not above the last, a kernel not measured, too many */
    assert_int_equal(adi_profile_add_batch(pf, ADI_KERNEL_CONV, 256, big[1], 6), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "conv: batch sizes must increase: 256 after 256");
    adi_profile *empty = adi_profile_new();
    assert_int_equal(adi_profile_add_batch(empty, ADI_KERNEL_X2, 64, big[1], 6), ADI_EINPUT);
    adi_profile_free(empty);
    adi_batch_law keep = *b;
    for (size_t j = 3; j < ADI_BATCH_MAX; j++)
        assert_int_equal(adi_profile_add_batch(pf, ADI_KERNEL_CONV, 256 + j, big[1], 6), ADI_OK);
    assert_int_equal(adi_profile_add_batch(pf, ADI_KERNEL_CONV, 9999, big[1], 6), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "conv: at most 16 batch sizes");
    conv->batch = keep;

    char *text;
    assert_int_equal(adi_profile_text(pf, &text), ADI_OK);
    assert_non_null(strstr(text, "\nbatches = 64, 128, 256\n"));
    assert_non_null(strstr(text, "\nbatch_count = 10, 6, 6\n"));
    assert_non_null(strstr(strstr(text, "[x2]"), "\nbatches = 32\n")); /* one size: no law */
    assert_null(strstr(strstr(text, "[x2]"), "batch_mean"));
    assert_int_equal(adi_profile_parse("p.ini", text, &back), ADI_OK);
    same_kernel(conv, back->kernel[ADI_KERNEL_CONV]);
    same_kernel(pf->kernel[ADI_KERNEL_X2], back->kernel[ADI_KERNEL_X2]);
    char *again;
    assert_int_equal(adi_profile_text(back, &again), ADI_OK);
    assert_string_equal(text, again);
    free(again);
    /* T(b) of b tasks: 1 task is 64 images, 4 tasks 256; 5 were not measured */
    double t;
    const adi_batch_law *bl = &back->kernel[ADI_KERNEL_CONV]->batch;
    assert_int_equal(adi_batch_max_tasks(bl), 4);
    assert_int_equal(adi_batch_time(bl, 4, &t), ADI_OK);
    assert_int_equal(adi_batch_time(bl, 5, &t), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "a batch of 5 tasks is 320 images, but the batch sizes "
                        "measured are 64,128,256 (a task is 64): no extrapolation; measure it "
                        "with `calibrate --batch 64,128,256,320`");
    assert_int_equal(adi_batch_time(&back->kernel[ADI_KERNEL_X2]->batch, 1, &t), ADI_OK);
    assert_true(t == back->kernel[ADI_KERNEL_X2]->stats.mean);
    assert_int_equal(adi_batch_time(&back->kernel[ADI_KERNEL_X2]->batch, 2, &t), ADI_EINPUT);
    /* the summary names the law */
    char *sum = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&sum, &size);
    adi_profile_summary(back, f);
    fclose(f);
    assert_non_null(strstr(sum, "\nconv   batch law over 64, 128, 256 images: "));
    assert_null(strstr(sum, "x2     batch law"));
    free(sum);
    adi_profile_free(back);

    /* malformed batch laws: the key replaced, the message, the line it names */
    static const struct {
        const char *section, *key, *repl, *expect, *mark;
    } bad[] = {
        {"conv", "batch_std", "batch_std = 0.001, 0.002",
         "p.ini:%d: [conv] batch_std: 2 entries, but batches lists 3 sizes", "batch_std"},
        {"conv", "batches", "batches = 32, 128, 256",
         "p.ini:%d: [conv] batches: the first size is the task's own, batch = 64, got 32",
         "batches = 32"},
        {"conv", "batches", "batches = 64, 256, 128",
         "p.ini:%d: [conv] batches: batch sizes must increase: 128 after 256", "batches = 64"},
        {"conv", "batches", "batches = 64, 128, 0", "p.ini:%d: [conv] batches: entry 3: ",
         "batches = 64"},
        {"conv", "batches", "batches = 64, 128, 65537",
         "p.ini:%d: [conv] batches: entry 3: expected at most 65536, got '65537'", "batches = 64"},
        {"conv", "batches", "batches = 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
         "p.ini:%d: [conv] batches: more than 16 entries (one per batch size)", "batches = 1,"},
        {"conv", "batch_count", "batch_count = 9, 6, 6",
         "p.ini:%d: [conv] batch_mean: the first size's mean, std and count are the task's own",
         "batch_mean"},
        {"conv", "law", "law = cubic",
         "p.ini:%d: [conv] law: expected affine or interpolated, got 'cubic'", "cubic"},
        {"x2", "batches", "batches = 32\nlaw = affine",
         "p.ini:%d: [x2] law: only in a format 4 profile whose batches list several sizes",
         "law = affine"},
        {"conv", "batch_mean", NULL, "p.ini:%d: [conv] batch_mean is missing", "[conv]"},
    };
    char *u;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        u = edit(text, bad[i].section, bad[i].key, bad[i].repl);
        refused(u, bad[i].expect, bad[i].mark);
        free(u);
    }
    char *v = edit(text, "conv", "law", "law = affine");
    u = edit(v, "conv", "affine_intercept", "affine_intercept = -1");
    refused(u, "p.ini:%d: [conv] law: affine, but intercept + slope s is not positive",
            "law = affine");
    free(u);
    free(v);

    /* format 3, as calibrate wrote it before batch sizes: one size, the task's */
    v = edit(text, "profile", "format", "format = 3");
    static const char *const batch_keys[] = {"batches", "batch_mean", "batch_std", "batch_count",
                                             "law", "affine_intercept", "affine_slope",
                                             "affine_error", "interpolated_error"};
    for (size_t j = 0; j < sizeof batch_keys / sizeof *batch_keys; j++) {
        u = edit(v, "conv", batch_keys[j], NULL);
        free(v);
        v = u;
    }
    u = edit(v, "x2", "batches", NULL);
    free(v);
    v = u;
    assert_int_equal(adi_profile_parse("p.ini", v, &back), ADI_OK);
    assert_int_equal(back->format, 3);
    bl = &back->kernel[ADI_KERNEL_CONV]->batch;
    assert_true(bl->n == 1 && bl->size[0] == 64 && bl->count[0] == 10 && bl->law ==
                ADI_BATCH_INTERPOLATED);
    assert_memory_equal(&bl->mean[0], &back->kernel[ADI_KERNEL_CONV]->stats.mean, sizeof(double));
    adi_profile_free(back);
    u = edit(v, "x2", "channels", "channels = 3\nbatches = 32");
    refused(u, "p.ini:%d: [x2] batches: only in a format 4 profile", "batches = 32");
    free(u);
    free(v);
    free(text);
    adi_profile_free(pf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(round_trip, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(malformed_profiles, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(save_is_all_or_nothing, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test(sources_and_formats),
        cmocka_unit_test(only_what_reads_back),
        cmocka_unit_test(links),
        cmocka_unit_test(batch_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
