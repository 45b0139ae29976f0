# adisim — one non-recursive Makefile.
#
#   make              build the programs in bin/ (a missing package is named,
#                     with the command that installs it; nothing is installed)
#   make deps         install the Debian packages the build and tests need (root)
#   make deps-cross   install the aarch64 and Cortex-M4 toolchains and emulators
#   make deps-bench   install SimGrid and SimPy (the peers; SimGrid's network
#                     model is compared with adisim's in the tests) and valgrind
#   make test         build and run every test (unit and end-to-end; the cross
#                     tests skip, saying why, when their toolchains are missing)
#   make check        the deps-* targets, `test` with the MPI build, then the same
#                     suite under ASan + UBSan: what CI runs (.ci/run)
#   make SANITIZE=1   the sanitizer build, in build-san/ (ASan, UBSan with
#                     float-cast-overflow)
#   make fuzz         the libFuzzer harnesses of tests/fuzz (clang; installs it),
#                     FUZZ_TIME seconds each (default 60), from the committed corpora
#   make PROBE=1      calibrate alone, linking only libc (build-probe/bin/calibrate):
#                     it writes measurement records for `calibrate --import`
#   make CROSS=aarch64-linux-gnu-   the same for another target, static
#                     (build-aarch64-linux-gnu/bin/calibrate; a Raspberry Pi 4)
#   make -C measure/mcu   the Cortex-M4 firmware (see measure/mcu/Makefile)
#   make demo         the main job end to end: calibrate, simulate (see README)
#   make man          the manual pages (help2man), in $(BUILD)/man
#   make install      the programs as $(PREFIX)/bin/adisim-NAME, and their man pages
#   make uninstall    removes what install put there
#   make clean
#
# User CPPFLAGS, CFLAGS and LDFLAGS (on the command line or in the
# environment) are appended to the project's, e.g. make CFLAGS=-O3.
# A fresh Debian 12 machine needs `make deps` (or README's `make demo`).

# ---- settings ---------------------------------------------------------------
CC       ?= cc
PREFIX   ?= /usr/local
VERSION  := 0.1.0
PKGS     := gsl sqlite3 inih nettle
TEST_PKGS:= cmocka
CSTD     := -std=c11
WARN     := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wundef -Wcast-qual
OPT      ?= -O2 -g
# No FMA contraction: the same expression gives the same bits everywhere
# (results must be bit-identical across runs, threads and processes).
FPFLAGS  := -ffp-contract=off -fno-fast-math
override CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DADI_VERSION='"$(VERSION)"' -I.
SANITIZE ?= 0
# The BLAS behind GSL's CBLAS interface (the conv kernel's GEMM): auto picks
# OpenBLAS when pkg-config finds it, else GSL's own CBLAS; openblas or gsl
# force one; accelerate links macOS's Accelerate framework ahead of GSL's
# CBLAS (written for macOS, not tested on this Linux machine). Changing it
# regenerates $(BUILD)/config.mk and rebuilds.
BLAS     ?= auto
# make V=1 shows the full commands
V        ?= 0
# A cross compiler's prefix (aarch64-linux-gnu-) builds the probe for it.
CROSS    ?=
PROBE    ?= $(if $(CROSS),1,0)
ifeq ($(shell uname -s),Darwin)
override CPPFLAGS += -D_DARWIN_C_SOURCE
endif

ifeq ($(PROBE),1)
include measure/probe.mk
else
# BUILD and BINDIR may be overridden to keep several builds side by side.
# make MPI=1 builds the MPI-enabled programs into build-mpi/bin.
MPI      ?= 0
ifeq ($(MPI),1)
CC       := mpicc
override CPPFLAGS += -DADI_MPI
BUILD    ?= build-mpi
endif
ifeq ($(SANITIZE),1)
BUILD    ?= build-san
BINDIR   ?= $(BUILD)/bin
# float-cast-overflow: UBSan leaves it out, and a double out of an integer's
# range is undefined behaviour (gcc and clang both have it)
SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
else ifeq ($(SANITIZE),fuzz)
# make fuzz: clang, its libFuzzer and sanitizers (the harnesses link with
# -fsanitize=fuzzer; the library only takes the coverage instrumentation)
CC       := clang
BUILD    ?= build-fuzz
BINDIR   ?= $(BUILD)/bin
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined,float-cast-overflow \
            -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD    ?= build
BINDIR   ?= $(if $(filter 1,$(MPI)),$(BUILD)/bin,bin)
SANFLAGS :=
endif

# ---- sources ----------------------------------------------------------------
# Lowest layer first; a module includes only from its own layer and below,
# and no include cycle joins modules (HACKING.md draws the picture;
# tools/check-layers.sh, run by make test, checks both).
LIB_DIRS := core kernels measure sim model policy profile scenario check store sweep exec report plots calibrate
LIB_SRC  := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libadisim.a
# cli/args.c is the option helper every program links (cli/args.h), not a program
CLI_COMMON := $(BUILD)/cli/args.o
PROGRAMS := $(sort $(filter-out args,$(basename $(notdir $(wildcard cli/*.c)))))
BINS     := $(PROGRAMS:%=$(BINDIR)/%)
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# tests/fuzz: one harness per reader, replayed over its committed corpus in
# `make test` (replay.c's main), fuzzed by `make fuzz` (libFuzzer's)
FUZZ_NAMES := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
REPLAYS  := $(FUZZ_NAMES:%=$(BUILD)/tests/replay_%)
FUZZERS  := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_TIME ?= 60
BENCH_SRC:= $(wildcard bench/bench_*.c)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
FLOOR    := $(BUILD)/bench/floor/floor

# ---- flags from pkg-config (build/config.mk is made before anything else) ---
ifeq ($(filter clean,$(MAKECMDGOALS)),)
include $(BUILD)/config.mk
endif

override CPPFLAGS += $(BLAS_CPPFLAGS)
override CFLAGS   := $(CSTD) $(WARN) $(OPT) $(FPFLAGS) $(SANFLAGS) $(PKG_CFLAGS) $(EXTRA_CFLAGS) $(CFLAGS)
override LDFLAGS  := $(SANFLAGS) $(EXTRA_LDFLAGS) $(LDFLAGS)
LDLIBS   := $(PKG_LIBS) -lpthread -lm

# The programs that run kernels get the fast BLAS (see config.mk below), and
# so do the tests, which exercise the kernels with the BLAS users get.
$(BINDIR)/calibrate $(BINDIR)/execute $(BUILD)/bench/bench_conv: LDLIBS := $(BLAS_LIBS) $(LDLIBS)

ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n'
endif

# ---- rules ------------------------------------------------------------------
.PHONY: all test check demo bench bench-peers fidelity man install uninstall clean deps deps-cross deps-bench \
        cross-targets fuzz FORCE
.SECONDARY:
all: $(BINS)

# GSL links against a CBLAS of our choice. Programs that run the kernels
# (calibrate, the conv benchmark) put OpenBLAS first when it is there, so its
# cblas_sgemm serves gsl_blas_sgemm; the others keep GSL's own CBLAS, because
# loading OpenBLAS costs every process about 3 ms of start-up (its threads
# and buffers) and they multiply no large matrices.
# Goals that set the machine up install what is missing; the others only say.
SETUP_GOALS := deps demo check
$(BUILD)/config.mk: tools/install-deps.sh Makefile $(if $(filter-out $(BLAS),$(CONFIG_BLAS)),FORCE)
	@mkdir -p $(@D)
	@tools/install-deps.sh $(if $(filter $(SETUP_GOALS),$(MAKECMDGOALS)),,--check)
	@case "$(BLAS)" in auto|openblas|gsl|accelerate) ;; *) echo "BLAS must be auto, openblas, gsl or accelerate" >&2; exit 1;; esac; \
	 if [ "$(BLAS)" = accelerate ]; then \
	     blas="accelerate (macOS)"; openblas=0; libs="-framework Accelerate"; \
	 elif [ "$(BLAS)" != gsl ] && pkg-config --exists openblas; then \
	     blas="openblas $$(pkg-config --modversion openblas)"; openblas=1; \
	     libs="$$(pkg-config --libs openblas)"; \
	 elif [ "$(BLAS)" = openblas ]; then \
	     echo "BLAS=openblas: pkg-config cannot find openblas" >&2; exit 1; \
	 else \
	     blas="gslcblas $$(pkg-config --modversion gsl)"; openblas=0; libs=""; \
	 fi; \
	 echo "  BLAS   $$blas (the conv kernel's GEMM; make BLAS=gsl|openblas|accelerate to choose)"; \
	 { echo "CONFIG_BLAS := $(BLAS)"; \
	   echo "BLAS_NAME := $$blas"; \
	   echo "BLAS_CPPFLAGS := -DADI_BLAS='\"$$blas\"' -DADI_BLAS_OPENBLAS=$$openblas"; \
	   echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))"; \
	   echo "BLAS_LIBS := $$libs"; \
	   echo "PKG_LIBS := $$(pkg-config --libs $(PKGS))"; \
	   echo "GSL_LIBS := $$(pkg-config --libs gsl)"; \
	   echo "TEST_CFLAGS := $$(pkg-config --cflags $(TEST_PKGS))"; \
	   echo "TEST_LIBS := $$(pkg-config --libs $(TEST_PKGS))"; } > $@.tmp
	@mv $@.tmp $@

deps:
	@tools/install-deps.sh
deps-cross:
	@tools/install-cross-deps.sh
# SimGrid and SimPy: the peers of make bench-peers, and SimGrid's network
# model, which the tests compare the network reference with where installed;
# valgrind, for bench_floor's and bench_db's instruction counts; strace, for
# bench_db's system calls
deps-bench:
	@tools/install-bench-deps.sh

$(BUILD)/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

$(BINDIR)/%: $(BUILD)/cli/%.o $(CLI_COMMON) $(LIB)
	@mkdir -p $(@D)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(TEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) $^ $(TEST_LIBS) $(BLAS_LIBS) $(LDLIBS) -o $@

# the option helper's test links the helper (cli/args.o) as the programs do
$(BUILD)/tests/test_args: $(BUILD)/tests/test_args.o $(CLI_COMMON) $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) $^ $(TEST_LIBS) $(LDLIBS) -o $@

$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/fuzz/fuzz_%.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) $^ $(BLAS_LIBS) $(LDLIBS) -o $@

$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(LIB)
	@mkdir -p $(@D)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) -fsanitize=fuzzer $^ $(BLAS_LIBS) $(LDLIBS) -o $@

# Each harness for FUZZ_TIME seconds, on a copy of its corpus (new inputs go
# to $(BUILD)/corpus/NAME; minimise them into tests/fuzz/corpus/NAME with
# `$(BUILD)/fuzz/fuzz_NAME -merge=1 tests/fuzz/corpus/NAME $(BUILD)/corpus/NAME`).
ifeq ($(SANITIZE),fuzz)
fuzz: $(FUZZERS)
	@set -e; for n in $(FUZZ_NAMES); do \
	    mkdir -p $(BUILD)/corpus/$$n; cp tests/fuzz/corpus/$$n/* $(BUILD)/corpus/$$n/; \
	    echo "== fuzz_$$n for $(FUZZ_TIME) s"; \
	    (cd $(BUILD)/corpus && ../fuzz/fuzz_$$n -max_total_time=$(FUZZ_TIME) -max_len=4096 \
	        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 $$n 2>&1 | \
	        grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|cov:" | tail -4); \
	done
else
fuzz:
	@tools/install-fuzz-deps.sh
	@$(MAKE) --no-print-directory SANITIZE=fuzz MPI=0 fuzz
endif

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Benchmarks are measurements, not tests: run them on a quiet machine.
# bench_peers runs only under `make bench-peers`, which installs its peers.
bench: $(BENCHES) $(FLOOR) $(BINS)
	@for b in $(filter-out %/bench_peers,$(BENCHES)); do $$b; done

# The yardstick (bench/floor/floor.h): the minimal greedy-pull kernel, a
# program of its own that links only adisim's ziggurat (and GSL, which the
# ziggurat's slow path names), for bench_floor to time beside bin/simulate;
# tests/test_floor checks that it gives adisim's results bit for bit.
$(FLOOR): $(BUILD)/bench/floor/main.o $(BUILD)/bench/floor/floor.o $(BUILD)/sim/ziggurat.o
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) $^ $(GSL_LIBS) -lpthread -lm -o $@
$(BUILD)/tests/test_floor: $(BUILD)/bench/floor/floor.o

PEERS := $(BUILD)/bench/adisim_peer $(BUILD)/bench/simgrid_peer
$(BUILD)/bench/adisim_peer: $(BUILD)/bench/peers/adisim_peer.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
$(BUILD)/bench/simgrid_peer: bench/peers/simgrid_peer.cpp $(BUILD)/bench/.peer-deps
	$(say) CXX $<
	$(Q)$(CXX) -O2 -std=c++17 $< $$(pkg-config --cflags --libs simgrid) -o $@
$(BUILD)/bench/.peer-deps: tools/install-bench-deps.sh
	@mkdir -p $(@D)
	@tools/install-bench-deps.sh && touch $@

# adisim against SimGrid, SimPy and a Python heapq loop (see bench/bench_peers.c),
# then the network's reference against SimGrid's model of the same stars
# (bench/peers/net_compare.c). BENCH_ARGS=--quick for a short run.
bench-peers: $(BUILD)/bench/bench_peers $(PEERS) $(NET_PEERS) $(BUILD)/bench/simgrid_net_peer
	$(BUILD)/bench/bench_peers --bin $(BUILD)/bench $(BENCH_ARGS)
	$(BUILD)/bench/net_compare --bin $(BUILD)/bench $(BENCH_ARGS)

# The network's peers (bench/peers/README.md, "Network jobs"): the plain
# reference on sim/flow.h, SimGrid's model of the same star and their
# comparison, which tests/test_net_peers.c runs where SimGrid is installed
# (without it, the test skips and `make test` installs nothing).
HAVE_SIMGRID := $(shell pkg-config --exists simgrid 2>/dev/null && command -v $(CXX) >/dev/null && echo 1)
NET_PEERS := $(BUILD)/bench/net_ref $(BUILD)/bench/net_compare
$(NET_PEERS): $(BUILD)/bench/%: $(BUILD)/bench/peers/%.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
$(BUILD)/bench/simgrid_net_peer: bench/peers/simgrid_net_peer.cpp | $(if $(HAVE_SIMGRID),,$(BUILD)/bench/.peer-deps)
	$(say) CXX $<
	$(Q)$(CXX) -O2 -std=c++17 $< $$(pkg-config --cflags --libs simgrid) -o $@

# The other targets calibrate runs on (tests/test_cross.c, tests/test_mcu.c):
# the aarch64 probe and the Cortex-M4 firmware, built when
# tools/install-cross-deps.sh finds (or, as root, installs) their toolchains
# and emulators; without them (not root) those tests skip and say why. The
# sub-makes get their own BUILD: a sanitizer or MPI run must not leak into them.
CROSS_AARCH64 := build-aarch64-linux-gnu/bin/calibrate
MCU_DIR       := measure/mcu/build
cross-targets:
	@rc=0; tools/install-cross-deps.sh --check || rc=$$?; \
	 if [ $$rc = 0 ]; then \
	     $(MAKE) --no-print-directory CROSS=aarch64-linux-gnu- SANITIZE=0 MPI=0 \
	         BUILD=build-aarch64-linux-gnu BINDIR=build-aarch64-linux-gnu/bin && \
	     $(MAKE) --no-print-directory -s -C measure/mcu O=build VERSION=$(VERSION); \
	 elif [ $$rc != 3 ]; then exit $$rc; fi

# Every test binary runs from the repository root with ADISIM_BIN naming the
# programs under test; a failing test stops `make test`.
# ADISIM_MPI_BIN, when set, names an MPI build for tests/test_mpi.c;
# ADISIM_NET_PEERS the folder of net_ref, net_compare and simgrid_net_peer;
# ADISIM_CROSS_CALIBRATE and ADISIM_MCU_DIR the cross targets above.
test: $(TESTS) $(REPLAYS) $(BINS) cross-targets $(NET_PEERS) $(if $(HAVE_SIMGRID),$(BUILD)/bench/simgrid_net_peer)
	@tools/check-layers.sh
	@set -e; for t in $(TESTS); do \
	    echo "== $$t"; ADISIM_BIN=$(BINDIR) ADISIM_CROSS_CALIBRATE=$(CROSS_AARCH64) ADISIM_NET_PEERS=$(BUILD)/bench \
	    ADISIM_MCU_DIR=$(MCU_DIR) ASAN_OPTIONS=detect_leaks=1 $$t; done
	@set -e; for n in $(FUZZ_NAMES); do \
	    echo "== $(BUILD)/tests/replay_$$n tests/fuzz/corpus/$$n"; \
	    ASAN_OPTIONS=detect_leaks=1 $(BUILD)/tests/replay_$$n tests/fuzz/corpus/$$n; done
	@echo "all tests passed ($(BUILD))"

# The whole suite, the sanitizer build's, and the MPI build against both.
check: deps deps-cross deps-bench
	$(MAKE) MPI=1 BUILD=$(BUILD)-mpi BINDIR=$(BUILD)-mpi/bin all
	$(MAKE) ADISIM_MPI_BIN=$(BUILD)-mpi/bin test
	$(MAKE) SANITIZE=1 BUILD=$(BUILD)-san BINDIR=$(BUILD)-san/bin test
	+@tools/check-install.sh $(BUILD)

# The main job: measure this machine, simulate a pool of it, then the ablation.
demo: deps
	$(MAKE) all
	@mkdir -p profiles
	$(BINDIR)/calibrate --device local --out profiles/local.ini --db results.db
	$(BINDIR)/simulate scenarios/calibrated.ini
	$(BINDIR)/simulate scenarios/ablation.ini
	$(BINDIR)/plot --scenario ablation --out figures/ablation

# The simulator against reality on this machine (README: "Against reality"):
# calibrate one copy and two copies at once, then execute the scenarios.
# The simulator against real executions on this machine (README: "Against
# reality"), about 4 minutes. The mixed pool's slow device is the probe
# build's plain C GEMM (build-probe/bin/calibrate) on the same task.
fidelity: all
	@mkdir -p profiles
	$(BINDIR)/calibrate --device local --kernel conv --out profiles/local.ini --quiet
	$(BINDIR)/calibrate --device local-t2 --kernel conv --threads 2 --out profiles/local-t2.ini --quiet
	@# the mixed pool: each device timed beside the other, as they run in it
	@# (the slow one alone first: --beside reads its task from its profile)
	$(BINDIR)/calibrate --device local-plain --kernel conv --shape stem --gemm plain --out profiles/local-plain.ini --quiet
	$(BINDIR)/calibrate --device local-stem --kernel conv --shape stem --beside profiles/local-plain.ini --out profiles/local-stem.ini --quiet
	$(BINDIR)/calibrate --device local-plain --kernel conv --shape stem --gemm plain --beside profiles/local-stem.ini --out profiles/local-plain.ini --quiet
	$(BINDIR)/execute scenarios/execute_one.ini
	$(BINDIR)/execute scenarios/execute_pool.ini
	$(BINDIR)/execute scenarios/execute_mixed.ini
	$(BINDIR)/execute scenarios/execute_policies.ini

# Manual pages: one per program from its --help and --version (help2man), and
# adisim-scenario(5) from the key table (bin/simulate --list-keys).
MANDIR   := $(BUILD)/man
MAN1     := $(PROGRAMS:%=$(MANDIR)/adisim-%.1)
MAN5     := $(MANDIR)/adisim-scenario.5
man: $(MAN1) $(MAN5)
$(MANDIR)/adisim-%.1: $(BINDIR)/% tools/man-program.sh
	@mkdir -p $(@D)
	$(say) MAN $@
	$(Q)tools/man-program.sh $< $(VERSION) > $@.tmp && mv $@.tmp $@
$(MAN5): $(BINDIR)/simulate tools/man-scenario.sh
	@mkdir -p $(@D)
	$(say) MAN $@
	$(Q)tools/man-scenario.sh $(BINDIR)/simulate $(VERSION) > $@.tmp && mv $@.tmp $@

# Installed names carry the prefix: adisim-simulate, adisim-plot, ...
install: all man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5
	@for p in $(PROGRAMS); do \
	    install -m 755 $(BINDIR)/$$p $(DESTDIR)$(PREFIX)/bin/adisim-$$p || exit 1; done
	install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5

uninstall:
	rm -f $(PROGRAMS:%=$(DESTDIR)$(PREFIX)/bin/adisim-%) \
	    $(PROGRAMS:%=$(DESTDIR)$(PREFIX)/share/man/man1/adisim-%.1) \
	    $(DESTDIR)$(PREFIX)/share/man/man5/adisim-scenario.5

clean:
	rm -rf $(BUILD) $(BUILD)-san $(BUILD)-mpi build build-san build-mpi build-fuzz bin build-probe \
	    build-aarch64-linux-gnu measure/mcu/build

-include $(LIB_OBJ:.o=.d) $(TESTS:=.d) $(BENCHES:=.d) $(BUILD)/cli/*.d $(BUILD)/tests/fuzz/*.d \
    $(BUILD)/bench/peers/*.d $(BUILD)/bench/floor/*.d
endif
