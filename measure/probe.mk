# measure/probe.mk — the probe build of calibrate, included by the
# Makefile for `make PROBE=1` (this machine) and `make CROSS=prefix-`
# (another, e.g. aarch64-linux-gnu- for a Raspberry Pi 4).
#
# The probe measures the kernels exactly as bin/calibrate does (measure.c,
# host.c, calibrate/session.c) and writes the measurement record; it links
# nothing but libc (with libm and pthreads): no GSL, SQLite, inih, nettle or
# BLAS (the conv GEMM is adi_gemm_plain). `calibrate --import RECORD` on a
# full build makes the profile. A cross build links statically, so the binary runs on a stock
# Raspberry Pi OS (or under qemu-aarch64) with nothing installed.

CC       := $(if $(CROSS),$(CROSS)gcc,$(CC))
TARGET   := $(if $(CROSS),$(patsubst %-,%,$(CROSS)),probe)
BUILD    ?= build-$(TARGET)
BINDIR   ?= $(BUILD)/bin
STATIC   ?= $(if $(CROSS),1,0)
PROBE_SRC := core/error.c core/units.c kernels/kernels.c kernels/buffers.c kernels/task.c \
             measure/record.c measure/record_file.c measure/measure.c measure/host.c \
             calibrate/session.c cli/args.c cli/calibrate.c
PROBE_OBJ := $(PROBE_SRC:%.c=$(BUILD)/%.o)
override CPPFLAGS += -DADI_PROBE
override CFLAGS   := $(CSTD) $(WARN) $(OPT) $(FPFLAGS) $(EXTRA_CFLAGS) $(CFLAGS)
override LDFLAGS  := $(if $(filter 1,$(STATIC)),-static) $(EXTRA_LDFLAGS) $(LDFLAGS)

.PHONY: all clean test check
all: $(BINDIR)/calibrate

$(BUILD)/%.o: %.c measure/probe.mk
	@mkdir -p $(@D)
	@printf '  %-6s %s\n' CC $<
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BINDIR)/calibrate: $(PROBE_OBJ)
	@mkdir -p $(@D)
	@printf '  %-6s %s\n' LINK $@
	@$(CC) $(LDFLAGS) $^ -lpthread -lm -o $@

test check:
	@echo "make $@: the probe build has no tests of its own; run make $@ (tests/test_cross.c runs this build under qemu-aarch64)" >&2; exit 2

clean:
	rm -rf $(BUILD)

-include $(PROBE_OBJ:.o=.d)
