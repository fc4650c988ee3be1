# SPDX-License-Identifier: GPL-2.0-or-later
# mhpbench — memory hotplug benchmark suite.
#   make        builds ./mhpbench (installing missing Debian packages first)
#   make run    builds everything, then runs bench/quick.job
#   make test   builds everything, then runs unit and integration tests (prove),
#               the unit tests also built with ASan+UBSan (build/asan/),
#               and the KVM tests (tests/kvm/) inside the lab host guest, a
#               TCG guest with nested KVM (scripts/labhost.sh)
#   make test-kvm  the KVM tests alone; their files are kept in
#               build/test-kvm/
#   make fuzz   builds the libFuzzer targets (clang) and runs each for
#               FUZZ_SECONDS (docs/fuzzing.md)

CC      ?= gcc
GIT_REV := $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
# CFLAGS is the user's (make CFLAGS='-O0 -g' works); the project's own
# flags live in MHP_CFLAGS so an override cannot drop them.
CFLAGS  ?= -O2 -g
# libpq: the PostgreSQL history (harness/analyze/history_pg.c); its header
# lives in /usr/include/postgresql on Debian.
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
MHP_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
           -Icommon -Iharness -MMD -MP $(PQ_CFLAGS)
LDLIBS  := -ljansson -linih -lgsl -lgslcblas -lsqlite3 -lpq -lpfm -lm
JOB     ?= bench/quick.job
BUILD   := build

HARNESS_SRC := $(wildcard harness/*.c harness/*/*.c) common/linebuf.c
HARNESS_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(HARNESS_SRC))
LIB_OBJ     := $(filter-out $(BUILD)/harness/main.o,$(HARNESS_OBJ))
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.t,$(UNIT_SRC))
# The fuzz targets, which test_fuzz_regress also links: it replays their
# seeds and past crashes (tests/fuzz/) in every `make test`.
FUZZ_LIB_SRC := $(wildcard tests/fuzz/fuzz_*.c) guest-images/agent/proto.c

# The same code built with ASan and UBSan (gcc; any UB is an error). The
# options make every report fail the test; LeakSanitizer runs at exit
# (it cannot run under ptrace, e.g. strace or gdb).
ASAN        := $(BUILD)/asan
SAN_CFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
               -fno-omit-frame-pointer
ASAN_OBJ    := $(patsubst %.c,$(ASAN)/obj/%.o,$(HARNESS_SRC))
ASAN_LIB_OBJ := $(filter-out $(ASAN)/obj/harness/main.o,$(ASAN_OBJ))
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,$(ASAN)/tests/%.t,$(UNIT_SRC))
SAN_ENV     := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
               UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# libFuzzer (clang): build/fuzz/fuzz_<target>, objects in build/fuzz/obj.
FUZZ        := $(BUILD)/fuzz
FUZZ_CC     ?= clang
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= qmp agent job linebuf
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer \
               -fsanitize=fuzzer-no-link,address,undefined \
               -fno-sanitize-recover=undefined
FUZZ_OBJ    := $(patsubst %.c,$(FUZZ)/obj/%.o,$(filter-out harness/main.c,$(HARNESS_SRC)) $(FUZZ_LIB_SRC))
FUZZ_BIN    := $(patsubst %,$(FUZZ)/fuzz_%,$(FUZZ_TARGETS))

.PHONY: all deps guest labhost run test test-kvm unit check-format check-layers format clean \
	distclean \
	asan fuzz fuzz-build fuzz-deps

all: deps mhpbench

# Runs every time: checks with dpkg-query, installs only what is missing.
deps:
	@./scripts/deps.sh

mhpbench: $(HARNESS_OBJ)
	$(CC) $(CFLAGS) $(MHP_CFLAGS) -o $@ $^ $(LDLIBS)

# The revision is baked in so every result can name the code that made it.
# The header is rewritten only when the revision changes, so a second make
# rebuilds nothing.
$(BUILD)/gitrev.h: FORCE
	@mkdir -p $(BUILD)
	@echo '#define MHP_GIT_REV "$(GIT_REV)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/harness/base/version.o: $(BUILD)/gitrev.h
$(BUILD)/harness/base/version.o: MHP_CFLAGS += -I$(BUILD)
FORCE:

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MHP_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.t: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MHP_CFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# The fuzz targets' own files, for the tests that replay their inputs.
$(BUILD)/tests/test_fuzz_regress.t: $(patsubst %.c,$(BUILD)/%.o,$(FUZZ_LIB_SRC))
$(ASAN)/tests/test_fuzz_regress.t: $(patsubst %.c,$(ASAN)/obj/%.o,$(FUZZ_LIB_SRC))
$(BUILD)/tests/fuzz/fuzz_agent.o $(ASAN)/obj/tests/fuzz/fuzz_agent.o \
$(FUZZ)/obj/tests/fuzz/fuzz_agent.o: MHP_CFLAGS += -Iguest-images/agent

# Unit tests of the guest agent's pure parts, built for the host.
AGENT_UNIT_T := test_ftrace_parse.t test_pfm_encode.t
$(BUILD)/tests/test_ftrace_parse.t: $(BUILD)/guest-images/agent/ftrace_parse.o
$(ASAN)/tests/test_ftrace_parse.t: $(ASAN)/obj/guest-images/agent/ftrace_parse.o
$(BUILD)/tests/test_pfm_encode.t: $(BUILD)/guest-images/agent/pmu_encode.o
$(ASAN)/tests/test_pfm_encode.t: $(ASAN)/obj/guest-images/agent/pmu_encode.o
$(BUILD)/tests/test_pfm_encode.t $(ASAN)/tests/test_pfm_encode.t: LDLIBS += -lpfm
$(addprefix $(BUILD)/tests/,$(AGENT_UNIT_T)) \
$(addprefix $(ASAN)/tests/,$(AGENT_UNIT_T)): MHP_CFLAGS += -Iguest-images/agent

# --- sanitizers: build/asan/mhpbench and build/asan/tests/*.t ---

asan: $(ASAN)/mhpbench $(ASAN_UNIT_BIN)

# mhpbench finds guest-images/ and plots/ beside its binary.
$(ASAN)/mhpbench: $(ASAN_OBJ)
	$(CC) $(CFLAGS) $(MHP_CFLAGS) $(SAN_CFLAGS) -o $@ $^ $(LDLIBS)
	@ln -sfn ../../guest-images $(ASAN)/guest-images
	@ln -sfn ../../plots $(ASAN)/plots

$(ASAN)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MHP_CFLAGS) $(SAN_CFLAGS) -c -o $@ $<

$(ASAN)/tests/%.t: tests/unit/%.c $(ASAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MHP_CFLAGS) $(SAN_CFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(ASAN)/obj/harness/base/version.o: $(BUILD)/gitrev.h
$(ASAN)/obj/harness/base/version.o: MHP_CFLAGS += -I$(BUILD)

# --- fuzzing (docs/fuzzing.md) ---

fuzz-deps: deps
	@./scripts/deps.sh --fuzz

fuzz-build: $(FUZZ_BIN)

# One target after the other, FUZZ_SECONDS each; crashes in
# build/fuzz/crashes/<target>/, the grown corpus in build/fuzz/corpus/.
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_DIR=$(FUZZ) tests/fuzz/run.sh $(FUZZ_TARGETS)

$(FUZZ)/obj/%.o: %.c | fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(MHP_CFLAGS) -c -o $@ $<

$(FUZZ)/obj/harness/base/version.o: $(BUILD)/gitrev.h
$(FUZZ)/obj/harness/base/version.o: MHP_CFLAGS += -I$(BUILD)

# Kept: they are only reached through the pattern rule below.
.SECONDARY: $(FUZZ_OBJ)

# tests/fuzz/entry.c is the libFuzzer entry point, once per target.
$(FUZZ)/fuzz_%: tests/fuzz/entry.c $(FUZZ_OBJ) | fuzz-deps
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(MHP_CFLAGS) -fsanitize=fuzzer \
		-DFUZZ_FN=fuzz_$* -o $@ $^ $(LDLIBS)

guest: deps
	@$(MAKE) -s --no-print-directory -C guest-images

run: all guest
	./mhpbench run $(JOB)

unit: all $(UNIT_BIN)

# cmocka binaries print TAP; integration tests are TAP shell scripts.
# tests/integration/errors-asan.t runs errors.t again against
# build/asan/mhpbench; tests/integration/kvm.t runs tests/kvm/ in the
# lab host guest.
test: check-layers all guest labhost $(UNIT_BIN) asan
	CMOCKA_MESSAGE_OUTPUT=tap $(SAN_ENV) prove --timer -e '' $(UNIT_BIN) \
		$(ASAN_UNIT_BIN) tests/integration/*.t

# The lab host guest of the KVM tests and the QEMU that runs it.
labhost: guest
	@$(MAKE) -s --no-print-directory -C guest-images labhost

# The KVM path alone: prove runs inside the lab host guest, where
# /dev/kvm exists (README, "Tests"); make test runs the same files
# (tests/integration/kvm.t).
test-kvm: all guest labhost
	@rm -rf $(BUILD)/test-kvm
	LABHOST_KEEP=$(BUILD)/test-kvm ./scripts/labhost.sh -t 7200 \
		prove --timer -e '' tests/kvm/*.t

# The one-way include rule between harness/'s folders (README, "Layout").
check-layers:
	@./scripts/check-layers.sh harness

FORMAT_SRC = harness/*.[ch] harness/*/*.[ch] common/*.[ch] \
	guest-images/agent/*.[ch] tests/unit/*.c tests/fuzz/*.[ch]

format:
	@./scripts/deps.sh --format
	clang-format -i $(FORMAT_SRC)

# What `make format` would change, as errors; changes nothing.
check-format:
	@./scripts/deps.sh --format
	clang-format --dry-run -Werror $(FORMAT_SRC)

clean:
	rm -rf $(BUILD) mhpbench

distclean: clean
	@$(MAKE) --no-print-directory -C guest-images clean

-include $(HARNESS_OBJ:.o=.d) $(ASAN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d) \
	$(patsubst %.c,$(BUILD)/%.d,$(FUZZ_LIB_SRC)) \
	$(patsubst %.c,$(ASAN)/obj/%.d,$(FUZZ_LIB_SRC))
