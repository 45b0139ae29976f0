/*
** tests/test_mcu.c — the Cortex-M4 firmware (measure/mcu, built by the
** Makefile into $ADISIM_MCU_DIR when arm-none-eabi-gcc is there):
**
**   - it fits: arm-none-eabi-size's RAM sections (.data, .bss and the
**     stack) stay within 256 KiB, with a stack region of its own, and the
**     stack it really used (painted words overwritten) is inside that region;
**   - under qemu-system-arm -M mps2-an386 -icount shift=0 it runs to the
**     end, its self-check passes, and its checksums are this x86-64 build's
**     (x2 on the host's 32 images; conv on the stem with the plain GEMM);
**   - its counts are instructions, exact: a second run counts the same;
**     without -icount it refuses (SysTick then follows the host's clock);
**   - `calibrate --import` makes an emulated profile of its record:
**     instructions x cpi / clock_hz, the assumption written down, and
**     --cpi/--clock change exactly that.
**
** Skips (saying why) when the firmware or QEMU is missing; as root, make
** installs them first (tools/install-cross-deps.sh), so in CI it runs.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "helpers.h"

#include "profile/import.h"
#include "core/error.h"

static char elf[1024], uart_elf[1024];

/* The firmware images, as absolute paths (the tests cd into a temporary
** directory); 0 when they or the tools are missing. */
static int have_firmware(void)
{
    const char *d = getenv("ADISIM_MCU_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%.900s/calibrate-m4.elf", d && *d ? d : "measure/mcu/build");
    char *abs = realpath(path, NULL);
    if (!abs || system("command -v qemu-system-arm >/dev/null") != 0 ||
        system("command -v arm-none-eabi-size >/dev/null") != 0) {
        print_message("skipped: no firmware (%s) or no qemu-system-arm / arm-none-eabi-size; as "
                      "root `make test` installs them (tools/install-cross-deps.sh) and builds it "
                      "with `make -C measure/mcu`\n", path);
        free(abs);
        return 0;
    }
    snprintf(elf, sizeof elf, "%.1000s", abs);
    snprintf(uart_elf, sizeof uart_elf, "%.*s-uart.elf", (int)strlen(abs) - 4, abs);
    free(abs);
    return 1;
}

/* The bytes arm-none-eabi-size -A puts in RAM (0x20000000 on), and the
** stack section's size. */
static void ram_use(const char *image, unsigned long *ram, unsigned long *stack)
{
    char cmd[1200], *out;
    snprintf(cmd, sizeof cmd, "arm-none-eabi-size -A '%.1100s'", image);
    assert_int_equal(run_command(cmd, &out, NULL), 0);
    *ram = *stack = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64];
        unsigned long size, addr;
        if (sscanf(line, "%63s %lu %lu", name, &size, &addr) != 3)
            continue;
        if (addr >= 0x20000000ul && addr < 0x20000000ul + (64ul << 20))
            *ram += size;
        if (strcmp(name, ".stack") == 0)
            *stack = size;
    }
    free(out);
}

static void fits_in_256_kib(void **state)
{
    (void)state;
    if (!have_firmware()) {
        skip();
        return;
    }
    char cmd[2100], *out;
    snprintf(cmd, sizeof cmd, "arm-none-eabi-size '%.1000s' '%.1000s'", elf, uart_elf);
    assert_int_equal(run_command(cmd, &out, NULL), 0);
    print_message("%s", out); /* text, data, bss (the stack included) */
    free(out);
    const char *images[2] = {elf, uart_elf};
    for (int i = 0; i < 2; i++) {
        unsigned long ram, stack;
        ram_use(images[i], &ram, &stack);
        print_message("%s: %lu bytes of RAM of 262144 (stack %lu)\n", images[i], ram, stack);
        assert_true(ram <= 256ul * 1024);
        assert_true(stack >= 4096 && stack < ram);
    }
}

/* Runs the firmware under QEMU with args (semihosting's command line); its
** output goes to temp_dir()/name. Returns QEMU's exit status. */
static int qemu(const char *name, const char *args, int icount)
{
    char cmd[2600], a[300] = "calibrate-m4,arg=";
    size_t n = strlen(a);
    for (const char *p = args; *p && n + 6 < sizeof a; p++) { /* a space: the next ,arg= */
        if (*p == ' ')
            n += (size_t)snprintf(a + n, sizeof a - n, ",arg=");
        else
            a[n++] = *p;
        a[n] = '\0';
    }
    snprintf(cmd, sizeof cmd, "cd '%.400s' && timeout 120 qemu-system-arm -M mps2-an386 "
             "-nographic %s -chardev file,id=rec,path=%.100s -semihosting-config enable=on,"
             "target=native,chardev=rec,arg=%s -kernel '%.1000s'", temp_dir(),
             icount ? "-icount shift=0" : "", name, a, elf);
    return run_command(cmd, NULL, NULL);
}

static char *file_in(const char *name)
{
    return read_file(path_in(name));
}

static int calibrate(const char *args, char **err)
{
    return run_program_in(temp_dir(), NULL, "calibrate", args, NULL, err);
}

static void runs_checks_and_imports(void **state)
{
    (void)state;
    if (!have_firmware()) {
        skip();
        return;
    }
    assert_int_equal(qemu("x2.record", "--kernel x2 --reps 6", 1), 0);
    assert_int_equal(qemu("conv.record", "--kernel conv --batch 2 --reps 2 --device m4b", 1), 0);
    adi_record *x2 = load_record("x2.record"), *conv = load_record("conv.record");
    const adi_record_kernel *x = x2->kernel[ADI_KERNEL_X2], *c = conv->kernel[ADI_KERNEL_CONV];
    assert_non_null(x);
    assert_non_null(c);
    assert_null(x2->kernel[ADI_KERNEL_CONV]);
    assert_string_equal(conv->device, "m4b");
    /* right, and this build's outputs bit for bit */
    assert_true(x->wrong == 0 && x->checked == 32 * 3 * 32 * 32);
    assert_true(c->wrong == 0 && c->checked > 2 * 64 * 1024 / 14);
    assert_true(x->checksum == reference_x2_checksum(32));
    adi_conv_shape stem = {2, 3, 64, 32, 32};
    assert_true(c->checksum == reference_conv_checksum(&stem));
    /* instructions, counted by the emulator; 24-bit SysTick at 40 per tick */
    assert_int_equal(x2->unit, ADI_UNIT_INSTRUCTIONS);
    assert_non_null(strstr(x2->emulator, "qemu-system-arm -icount"));
    assert_non_null(strstr(x2->cpu, "Cortex-M4"));
    assert_int_equal(x->reps, 6);
    for (size_t i = 0; i < x->reps; i++) {
        /* 98304 floats doubled: a few instructions each, within 1 tick of
        ** each other (each image's interval is rounded to whole ticks) */
        assert_true(x->counts[i] > 3 * 98304 && x->counts[i] < 12 * 98304);
        assert_true(x->counts[i] + 32 * 40 >= x->counts[0] && x->counts[i] <= x->counts[0] + 32 * 40);
    }
    /* conv: 2 x 64 x 1024 x 27 multiply-adds, several instructions each */
    assert_true(c->counts[0] > 3 * 3538944ull && c->counts[0] < 20 * 3538944ull);
    /* the stack it used is inside its region */
    char *text = file_in("x2.record");
    const char *st = strstr(text, "; stack: ");
    assert_non_null(st);
    unsigned long used, size;
    assert_int_equal(sscanf(st, "; stack: %lu of %lu bytes used", &used, &size), 2);
    assert_true(used > 0 && used < size);
    free(text);

    /* exact: a second run counts the same instructions */
    assert_int_equal(qemu("again.record", "--kernel x2 --reps 6", 1), 0);
    adi_record *again = load_record("again.record");
    assert_memory_equal(again->kernel[ADI_KERNEL_X2]->counts, x->counts,
                        x->reps * sizeof *x->counts);
    adi_record_free(again);

    /* the import: an emulated profile, its time estimated and said to be */
    char *err;
    assert_int_equal(calibrate("--import x2.record --out m4.ini", &err), 0);
    assert_non_null(strstr(err, "calibrate: wrote m4.ini (times estimated, not measured)"));
    free(err);
    char path[700];
    snprintf(path, sizeof path, "%s/m4.ini", temp_dir());
    adi_profile *pf;
    assert_int_equal(adi_profile_load(path, &pf), ADI_OK);
    assert_int_equal(pf->source, ADI_SOURCE_EMULATED);
    assert_true(pf->cpi == 1.5 && pf->clock_hz == 168e6);
    const adi_kernel_profile *kp = pf->kernel[ADI_KERNEL_X2];
    double sum = 0;
    for (size_t i = 0; i < x->reps; i++) {
        assert_true(kp->samples[i] == (double)x->counts[i] * (1.5 / 168e6));
        sum += (double)x->counts[i];
    }
    assert_close(kp->instructions, sum / (double)x->reps, 1e-15);
    assert_non_null(strstr(kp->task, "streamed"));
    char *ini = read_file(path);
    assert_non_null(strstr(ini, "NOT MEASURED"));
    free(ini);
    adi_profile_free(pf);
    assert_int_equal(calibrate("--import x2.record --cpi 2 --clock 84e6 --out slow.ini -q", NULL), 0);
    snprintf(path, sizeof path, "%s/slow.ini", temp_dir());
    assert_int_equal(adi_profile_load(path, &pf), ADI_OK);
    assert_true(pf->kernel[ADI_KERNEL_X2]->samples[0] == (double)x->counts[0] * (2 / 84e6));
    adi_profile_free(pf);
    /* a profile of the conv record too */
    assert_int_equal(calibrate("--import conv.record --out conv.ini -q", NULL), 0);
    adi_record_free(x2);
    adi_record_free(conv);
}

static void refuses_what_it_cannot_do(void **state)
{
    (void)state;
    if (!have_firmware()) {
        skip();
        return;
    }
    /* without -icount SysTick follows the host's clock: no instruction counts */
    assert_int_not_equal(qemu("free.record", "--kernel x2 --reps 2", 0), 0);
    char *text = file_in("free.record");
    assert_non_null(strstr(text, "SysTick is not instruction-exact"));
    assert_non_null(strstr(text, "run QEMU with -icount shift=0"));
    assert_null(strstr(text, "[record]"));
    free(text);
    /* a bad option: a message, a failing exit, no record */
    assert_int_not_equal(qemu("bad.record", "--reps 0", 1), 0);
    text = file_in("bad.record");
    assert_non_null(strstr(text, "calibrate-m4: bad option or value at '--reps'"));
    assert_null(strstr(text, "[record]"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fits_in_256_kib),
        cmocka_unit_test_setup_teardown(runs_checks_and_imports, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(refuses_what_it_cannot_do, temp_dir_setup, temp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
