# mhpbench — memory hotplug benchmark suite.
#   make        builds ./mhpbench (installing missing Debian packages first)
#   make run    builds everything, then runs bench/quick.job
#   make test   builds everything, then runs unit and integration tests (prove)

CC      ?= gcc
GIT_REV := $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
# CFLAGS is the user's (make CFLAGS='-O0 -g' works); the project's own
# flags live in MHP_CFLAGS so an override cannot drop them.
CFLAGS  ?= -O2 -g
MHP_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
           -Icommon -Iharness -MMD -MP
LDLIBS  := -ljansson -linih -lgsl -lgslcblas -lsqlite3 -lm
JOB     ?= bench/quick.job
BUILD   := build

HARNESS_SRC := $(wildcard harness/*.c) common/linebuf.c
HARNESS_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(HARNESS_SRC))
LIB_OBJ     := $(filter-out $(BUILD)/harness/main.o,$(HARNESS_OBJ))
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.t,$(UNIT_SRC))

.PHONY: all deps guest run test unit check-format format clean distclean

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
$(BUILD)/harness/version.o: $(BUILD)/gitrev.h
$(BUILD)/harness/version.o: MHP_CFLAGS += -I$(BUILD)
FORCE:

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MHP_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.t: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MHP_CFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS) -lcmocka

guest: deps
	@$(MAKE) -s --no-print-directory -C guest-images

run: all guest
	./mhpbench run $(JOB)

unit: all $(UNIT_BIN)

# cmocka binaries print TAP; integration tests are TAP shell scripts.
test: all guest $(UNIT_BIN)
	CMOCKA_MESSAGE_OUTPUT=tap prove -e '' $(UNIT_BIN) tests/integration/*.t

format:
	clang-format -i harness/*.[ch] common/*.[ch] guest-images/agent/*.[ch] tests/unit/*.c

clean:
	rm -rf $(BUILD) mhpbench

distclean: clean
	@$(MAKE) --no-print-directory -C guest-images clean

-include $(HARNESS_OBJ:.o=.d)
