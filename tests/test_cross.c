/*
** tests/test_cross.c — calibrate for aarch64 (a Raspberry Pi 4, Apple
** silicon): the probe build from `make CROSS=aarch64-linux-gnu-`
** ($ADISIM_CROSS_CALIBRATE; the Makefile builds it when the toolchain is
** there) runs under qemu-aarch64 and its kernels compute what the x86-64
** build computes: the self-check passes on the target, and its checksums
** equal those of this build's kernels (conv with the plain GEMM both use;
** x2 also equals bin/calibrate's, whose OpenBLAS does not touch x2). The
** binary is a static aarch64 executable, so a stock Pi runs it.
**
** qemu-user's times are the emulator's, not a Pi's: the record says it ran
** under an emulator, and the import refuses to make a profile of it. So no
** time is asserted here, only correctness and honesty.
**
** Skips (saying why) when the build is missing: as root, make installs the
** toolchain and qemu-user first (tools/install-cross-deps.sh), so in CI this
** test runs.
*/
#include "helpers.h"

#include "profile/import.h"
#include "core/error.h"

#include <elf.h>

static const char *cross_calibrate(void)
{
    const char *b = getenv("ADISIM_CROSS_CALIBRATE");
    if (!b || !*b || access(b, X_OK) != 0 || system("command -v qemu-aarch64 >/dev/null") != 0) {
        print_message("skipped: no aarch64 calibrate (%s) or no qemu-aarch64; as root `make "
                      "test` installs them (tools/install-cross-deps.sh) and builds it with "
                      "`make CROSS=aarch64-linux-gnu-`\n", b && *b ? b : "ADISIM_CROSS_CALIBRATE unset");
        return NULL;
    }
    return b;
}

static void static_aarch64_executable(void **state)
{
    (void)state;
    const char *bin = cross_calibrate();
    if (!bin) {
        skip();
        return;
    }
    FILE *f = fopen(bin, "rb");
    assert_non_null(f);
    Elf64_Ehdr eh;
    assert_int_equal(fread(&eh, sizeof eh, 1, f), 1);
    assert_memory_equal(eh.e_ident, ELFMAG, SELFMAG);
    assert_int_equal(eh.e_ident[EI_CLASS], ELFCLASS64);
    assert_int_equal(eh.e_machine, EM_AARCH64);
    /* no program interpreter: nothing to install on the Pi */
    for (int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        assert_int_equal(fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize), SEEK_SET), 0);
        assert_int_equal(fread(&ph, sizeof ph, 1, f), 1);
        assert_int_not_equal(ph.p_type, PT_INTERP);
    }
    fclose(f);
}

/* Runs the aarch64 calibrate under qemu-aarch64 in temp_dir(), with env (NULL: none)
** set; returns its exit status. */
static int run_cross(const char *bin, const char *args, char **err, const char *env)
{
    char cmd[2048], here[1024];
    if (bin[0] == '/')
        snprintf(cmd, sizeof cmd, "cd '%s' && %s qemu-aarch64 '%s' %s", temp_dir(), env ? env : "", bin,
                 args);
    else if (getcwd(here, sizeof here))
        snprintf(cmd, sizeof cmd, "cd '%s' && %s qemu-aarch64 '%s/%s' %s", temp_dir(), env ? env : "",
                 here, bin, args);
    else
        return -1;
    return run_command(cmd, NULL, err);
}

static int run_host(const char *program, const char *args, char **out, char **err)
{
    return run_program_in(temp_dir(), NULL, program, args, out, err);
}

static void kernels_match_x86_64(void **state)
{
    (void)state;
    const char *bin = cross_calibrate();
    if (!bin) {
        skip();
        return;
    }
    char *err;
    /* conv on the stem with 2 images (a quick task even emulated), x2 on the
    ** default batch of 32 */
    assert_int_equal(run_cross(bin, "--device pi4 --kernel conv --shape stem --batch 2 --quick "
                               "--out conv.record", &err, NULL), 0);
    assert_non_null(strstr(err, "calibrate: wrote the measurement record conv.record"));
    assert_non_null(strstr(err, "calibrate: note: this ran under qemu-user"));
    free(err);
    assert_int_equal(run_cross(bin, "--device pi4 --kernel x2 --quick --out x2.record", NULL, NULL), 0);
    adi_record *conv = load_record("conv.record"), *x2 = load_record("x2.record");

    const adi_record_kernel *c = conv->kernel[ADI_KERNEL_CONV], *x = x2->kernel[ADI_KERNEL_X2];
    assert_non_null(c);
    assert_non_null(x);
    assert_null(conv->kernel[ADI_KERNEL_X2]);
    /* checked on the target, and right */
    assert_true(c->checked >= 64 * 32 * 32 && c->wrong == 0);
    assert_true(x->checked == 32 * 3 * 32 * 32 && x->wrong == 0);
    /* the outputs are this x86-64 build's, bit for bit */
    adi_conv_shape stem = {2, 3, 64, 32, 32};
    assert_true(c->checksum == reference_conv_checksum(&stem));
    assert_true(x->checksum == reference_x2_checksum(32));
    /* and bin/calibrate's own x2 (x2 involves no BLAS) */
    assert_int_equal(run_host("calibrate", "--device host --kernel x2 --quick --out host.ini -q",
                              NULL, NULL), 0);
    char path[700], hex[17];
    snprintf(path, sizeof path, "%s/host.ini", temp_dir());
    adi_profile *host;
    assert_int_equal(adi_profile_load(path, &host), ADI_OK);
    assert_string_equal(host->kernel[ADI_KERNEL_X2]->checksum, adi_format_hex64(x->checksum, hex));
    adi_profile_free(host);

    /* what it says about itself */
    assert_non_null(strstr(conv->os, " aarch64"));
    assert_string_equal(conv->blas, "adi_gemm_plain (plain C, no BLAS)");
    assert_int_equal(conv->unit, ADI_UNIT_NS);
    assert_non_null(strstr(conv->emulator, "qemu-user"));
    assert_string_equal(c->layer, "stem");
    assert_true(c->work == 2ull * 2 * 64 * 1024 * 27);

    /* an emulator's clock is not the device's: no profile from it */
    assert_int_equal(run_host("calibrate", "--import conv.record --out pi4.ini", NULL, &err), 2);
    assert_non_null(strstr(err, "calibrate: conv.record: the times were taken under qemu-user"));
    assert_non_null(strstr(err, "this record is good for checking the kernels only"));
    snprintf(path, sizeof path, "%s/pi4.ini", temp_dir());
    assert_int_not_equal(access(path, F_OK), 0);
    free(err);
    adi_record_free(conv);
    adi_record_free(x2);

    /* QEMU emulating a real core (its MIDR is a Cortex-A72's) is still caught:
    ** the ARM program sees this x86 machine's /proc/cpuinfo */
    assert_int_equal(run_cross(bin, "--device pi4 --kernel x2 --quick --reps 3 --out a72.record",
                               NULL, "QEMU_CPU=cortex-a72"), 0);
    adi_record *a72 = load_record("a72.record");
    assert_non_null(strstr(a72->emulator, "/proc/cpuinfo describes an x86 CPU"));
    adi_record_free(a72);

    /* the probe build measures only */
    assert_int_equal(run_cross(bin, "--import x2.record", &err, NULL), 2);
    assert_non_null(strstr(err, "need the full build"));
    free(err);
    assert_int_equal(run_cross(bin, "--version", NULL, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(static_aarch64_executable),
        cmocka_unit_test_setup_teardown(kernels_match_x86_64, temp_dir_setup, temp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
