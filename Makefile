# Build of the judge. `make` builds build/judge; `make test` installs missing
# build packages (as root), builds and runs every test; `make demo` grades the
# bundled example problems; `make asan` builds with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs the tests against that build.

PREFIX ?= /usr/local
BUILD ?= build
CC ?= cc
PKGS := zlib openssl jansson libseccomp libcap yaml-0.1 libzip libpcre2-8
VERSION := 0.1.0

MODULES := common problems sandbox executors packet judge
SRCS := $(foreach m,$(MODULES),$(wildcard $(m)/*.c $(m)/*/*.c))
OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SRCS))
LIB_OBJS := $(filter-out $(BUILD)/obj/judge/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/helpers/%,$(HELPER_SRCS))
BENCH_SRCS := $(wildcard tests/bench/bench_*.c)
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

# Recursive (=) so that pkg-config runs only after `deps` has installed
# whatever was missing.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wformat=2 -Wno-format-truncation -Wvla
ifeq ($(SANITIZE),1)
OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDOPT := -fsanitize=address,undefined
else
OPT := -O2 -g -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection
LDOPT := -Wl,-z,relro,-z,now
endif
CFLAGS_ALL = -std=c17 -D_GNU_SOURCE -fPIE $(OPT) $(WARN) -MMD -MP \
	-DJUDGE_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = -pie $(LDOPT) $(LDFLAGS)

# Short lines by default; `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps test unit demo asan bench install clean format format-check helpers

all: $(BUILD)/judge

deps:
	@./scripts/deps.sh

$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/judge: $(OBJS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(OBJS) $(PKG_LIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) | deps
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(CMOCKA_CFLAGS) $(LDFLAGS_ALL) -o $@ $< $(LIB_OBJS) \
		$(CMOCKA_LIBS) $(PKG_LIBS) -lm

$(BUILD)/bench/%: tests/bench/%.c $(LIB_OBJS) | deps
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(LIB_OBJS) $(PKG_LIBS) -lm

# Small programs the tests use (not sandboxed submissions).
$(BUILD)/helpers/%: tests/helpers/%.c | deps
	@mkdir -p $(dir $@)
	@echo "  HELPER  $@"
	$(Q)$(CC) -O2 -Wall -pthread -o $@ $<

# Benchmarks link the judge's modules, like the unit tests.
$(BUILD)/bench/%: tests/bench/%.c $(LIB_OBJS) | deps
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(LIB_OBJS) $(PKG_LIBS) -lm

helpers: $(HELPER_BINS)

unit: $(UNIT_BINS)

test: all unit helpers
	@BUILD=$(BUILD) ./tests/run.sh

demo: all
	@BUILD=$(BUILD) ./tests/demo.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=1 test

bench: all helpers $(BENCH_BINS)
	@BUILD=$(BUILD) ./tests/bench/run.sh

# Soak: the live judge against the fake bridge for SOAK_N submissions (a
# site's mix, with aborts, malformed packets and bridge restarts); fails if
# a submission goes wrong or memory, descriptors, children, temp files or
# sandbox-user processes grow. tests/run.sh runs a short one (SOAK_N=300).
SOAK_N ?= 2000
.PHONY: soak
soak: all helpers
	@JUDGE=$(CURDIR)/$(BUILD)/judge SOAK_N=$(SOAK_N) /usr/bin/python3 tests/soak/soak.py

# The DMOJ compatibility layer for Python checkers goes next to the binary's
# share folder, where the judge looks for it.
PYCOMPAT := $(shell find judge/checkers/pycompat -name '*.py' | sort)
# The systemd units name /usr/local/bin/judge; installed, they name this
# PREFIX's binary. They go where systemd looks for packaged units, not under
# PREFIX, which systemd does not search.
SYSTEMD_UNIT_DIR ?= /lib/systemd/system

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/judge $(DESTDIR)$(PREFIX)/bin/judge
	for f in $(PYCOMPAT:judge/checkers/pycompat/%=%); do \
		install -D -m 0644 judge/checkers/pycompat/$$f $(DESTDIR)$(PREFIX)/share/judge/pycompat/$$f || exit 1; \
	done
	install -D -m 0644 docs/judge.1 $(DESTDIR)$(PREFIX)/share/man/man1/judge.1
	install -d $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	for u in judge.service judge@.service; do \
		sed 's|/usr/local/bin/judge|$(PREFIX)/bin/judge|' scripts/systemd/$$u \
			> $(DESTDIR)$(SYSTEMD_UNIT_DIR)/$$u && \
		chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/$$u || exit 1; \
	done

# Every C file the repository holds, sources of test programs included, but
# the battery's hostile programs: they are templates whose @NAME@ placeholders
# are filled in before they compile, and reformatting splits them.
FORMAT_FILES = $(filter-out tests/sandbox/hostile/%,$(shell git ls-files '*.c' '*.h' 2>/dev/null || \
	find . -name '*.[ch]' -not -path './build*'))

format:
	clang-format -i $(FORMAT_FILES)

format-check: deps
	@clang-format --dry-run --Werror $(FORMAT_FILES)
	@echo "format: $(words $(FORMAT_FILES)) files formatted as .clang-format says"

clean:
	rm -rf build build-asan

# ---- fuzzing: `make fuzz [FUZZ_SECONDS=30]` ----
# libFuzzer harnesses (tests/fuzz/fuzz_*.c) for every parser of outside
# input. clang builds the modules into build-fuzz/ with coverage hooks
# (fuzzer-no-link) and ASan+UBSan, apart from build/ and build-asan/; each
# harness links libFuzzer. tests/fuzz/run.sh runs each one for FUZZ_SECONDS
# on a copy of its seed corpus and fails naming the harness and the input.
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
# clang has no -Wformat-truncation; seccomp.h's SCMP_A1_32 leaves fields
# to their zero default, which clang's -Wextra reports
FUZZ_CFLAGS = -std=c17 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
	$(filter-out -Wno-format-truncation,$(WARN)) -Wno-missing-field-initializers -MMD -MP \
	-DJUDGE_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS)
FUZZ_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(filter-out judge/main.c,$(SRCS)) \
	tests/fuzz/harness.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) | deps
	@echo "  FUZZER  $@"
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS) -lm

.PHONY: fuzz fuzz-build fuzz-clean
fuzz-build: $(FUZZ_OBJS) $(FUZZ_BINS)

clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_BUILD)

fuzz: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:=.d)

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(BENCH_BINS:=.d)
