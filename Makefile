# galen: one non-recursive Makefile. `make help` lists the targets.
#
# Settings ------------------------------------------------------------------
MODE    ?= release
WERROR  ?= 0
CC      ?= gcc
BUILD   := build/$(MODE)
VERSION := 0.1.0

PKGS     := sqlite3 libmicrohttpd libxml-2.0 libcjson libzstd libsodium zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm -lpthread
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wundef -Wwrite-strings -Wstrict-prototypes \
        -Wmissing-prototypes -Wold-style-definition -Wvla -Wformat=2 \
        -Wimplicit-fallthrough
CFLAGS_BASE := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
        -DGALEN_VERSION='"$(VERSION)"' $(WARN) $(PKG_CFLAGS) -MMD -MP
ifeq ($(WERROR),1)
CFLAGS_BASE += -Werror
endif
ifeq ($(MODE),asan)
CFLAGS_MODE := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
LDFLAGS_MODE := -fsanitize=address,undefined
else ifeq ($(MODE),debug)
CFLAGS_MODE := -O0 -g
else
CFLAGS_MODE := -O2 -g
endif
CFLAGS  := $(CFLAGS_BASE) $(CFLAGS_MODE) $(EXTRA_CFLAGS)
LDFLAGS := $(LDFLAGS_MODE) $(EXTRA_LDFLAGS)

# Sources -------------------------------------------------------------------
# The folders are the layers (docs/architecture.md); scripts/check_includes.py
# holds the include rule that `make lint` enforces.
LAYERS    := base text index search content import answer eval service api
LIB_SRC   := $(foreach l,$(LAYERS),$(wildcard lib/$(l)/*.c))
APP_SRC   := $(wildcard cli/*.c) $(wildcard httpd/*.c)
TEST_SRC  := $(wildcard tests/unit/test_*.c)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
BENCH_SRC := $(wildcard bench/bench_*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
APP_OBJ  := $(APP_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libgalen.a
# The web server's handlers, linked into the tests and fuzzers that drive
# the router in-process.
HTTPD_SRC := $(wildcard httpd/*.c)
HTTPD_LIB := $(BUILD)/libgalen_httpd.a
GALEN    := $(BUILD)/galen
TESTS    := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
REPLAYS  := $(FUZZ_SRC:fuzz/fuzz_%.c=$(BUILD)/fuzz/replay_%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

# Targets -------------------------------------------------------------------
.PHONY: all check unit integration replay asan valgrind fuzz bench format \
        format-check lint clean help

.SECONDARY:

all: $(GALEN) $(BUILD)/galen.pc

help:
	@echo "make [MODE=release|asan|debug] [WERROR=1] TARGET"
	@echo "  all           build libgalen.a and the galen tool (default)"
	@echo "  check         unit tests, fuzz corpus replay, integration tests"
	@echo "  unit          cmocka unit tests only"
	@echo "  integration   tests/integration/*.sh against the built tool"
	@echo "  asan          check under AddressSanitizer + UBSan (build/asan)"
	@echo "  valgrind      unit tests under valgrind"
	@echo "  fuzz          build libFuzzer targets with clang (build/fuzz)"
	@echo "  bench         build the benchmark drivers"
	@echo "  format        clang-format every source file in place"
	@echo "  format-check  fail if any file is not clang-formatted"
	@echo "  lint          include rule check, then cppcheck over lib/ cli/ httpd/"
	@echo "  clean         remove build/"
	@echo "  (V=1 shows full compiler command lines)"

V ?= 0
ifeq ($(V),0)
Q := @
endif

# Include paths per part: the library sees its own layers; the apps see the
# public headers, lib/base and their own folders; tests, fuzzers and
# benchmarks see everything.
INC_LIB  := -Iinclude -Ilib
INC_APP  := -Iinclude -Ilib/base -Icli -Ihttpd
INC_TEST := -Iinclude -Ilib -Ilib/base -Icli -Ihttpd

$(BUILD)/lib/%.o: INC := $(INC_LIB)
$(BUILD)/cli/%.o $(BUILD)/httpd/%.o: INC := $(INC_APP)
$(BUILD)/tests/%.o $(BUILD)/fuzz/%.o $(BUILD)/bench/%.o: INC := $(INC_TEST)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(INC) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(HTTPD_LIB): $(HTTPD_SRC:%.c=$(BUILD)/%.o)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(GALEN): $(APP_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(APP_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/galen.pc: Makefile
	@mkdir -p $(dir $@)
	@printf 'prefix=/usr/local\nincludedir=$${prefix}/include\nlibdir=$${prefix}/lib\n\nName: galen\nDescription: offline evidence-grounded medical answer engine\nVersion: $(VERSION)\nRequires.private: $(PKGS)\nCflags: -I$${includedir}\nLibs: -L$${libdir} -lgalen\nLibs.private: -lstemmer -lm -lpthread\n' > $@

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(HTTPD_LIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(HTTPD_LIB) $(LIB) $(PKG_LIBS) $(CMOCKA_LIBS)

$(BUILD)/fuzz/replay_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/replay.o $(HTTPD_LIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

unit: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; $$t; done

replay: $(REPLAYS)
	@set -e; for r in $(REPLAYS); do \
	  n=$${r##*/replay_}; echo "== replay $$n"; $$r fuzz/corpus/$$n; done

integration: $(GALEN)
	@set -e; for s in tests/integration/*.sh; do \
	  [ -f "$$s" ] || continue; [ "$${s##*/}" = lib.sh ] && continue; \
	  echo "== $$s"; GALEN=$(abspath $(GALEN)) bash $$s; done

# Sequential so the logs of the three stages do not interleave under -j.
check: $(TESTS) $(REPLAYS) $(GALEN)
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory replay
	$(MAKE) --no-print-directory integration

asan:
	$(MAKE) MODE=asan check

valgrind: $(TESTS)
	@set -e; for t in $(TESTS); do \
	  valgrind -q --error-exitcode=1 --leak-check=full $$t; done

FUZZ_CFLAGS := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
               -DGALEN_VERSION='"$(VERSION)"' \
               $(INC_TEST) $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined
fuzz: $(FUZZ_SRC:fuzz/fuzz_%.c=build/fuzz/fuzz_%)

build/fuzz/fuzz_%: fuzz/fuzz_%.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)

build/fuzz/fuzz_http: fuzz/fuzz_http.c $(LIB_SRC) $(HTTPD_SRC)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(HTTPD_SRC) $(PKG_LIBS)

bench: $(GALEN) $(BENCHES)

# Every C file and header in the tree.
FORMAT_SRC := $(LIB_SRC) $(APP_SRC) $(TEST_SRC) $(FUZZ_SRC) $(BENCH_SRC) \
        fuzz/replay.c $(wildcard lib/*/*.h include/galen/*.h cli/*.h httpd/*.h \
        tests/unit/*.h fuzz/*.h)

format:
	clang-format -i $(FORMAT_SRC)

format-check:
	clang-format --dry-run -Werror $(FORMAT_SRC)

lint:
	python3 scripts/check_includes.py
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	  --suppress=missingIncludeSystem \
	  --suppress-xml=scripts/cppcheck-suppressions.xml \
	  $(INC_TEST) lib cli httpd

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d) \
         $(FUZZ_SRC:%.c=$(BUILD)/%.d) $(BUILD)/fuzz/replay.d $(BENCH_SRC:%.c=$(BUILD)/%.d)
