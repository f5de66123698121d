# galen: one non-recursive Makefile. `make help` lists the targets.
#
# Settings ------------------------------------------------------------------
MODE    ?= release
WERROR  ?= 0
CC      ?= gcc
BUILD   := build/$(MODE)
VERSION := 0.1.0
SOVERSION := 0

# Installation (make install / uninstall). The installed galen looks for its
# lexicon, red-flag rules and web files in $(SHAREDIR), compiled in.
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
SHAREDIR   ?= $(PREFIX)/share/galen
MANDIR     ?= $(PREFIX)/share/man
PCDIR      ?= $(LIBDIR)/pkgconfig

# libgalen's own dependencies (galen.pc lists them); the web server adds
# libmicrohttpd.
# libpq's header only: the PostgreSQL store loads libpq.so.5 when it opens
# one (lib/content/db_pg.c), so nothing links it.
LIB_PKGS     := sqlite3 libxml-2.0 libcjson libzstd libsodium zlib yaml-0.1
LIB_PRIVATE  := -lstemmer -lm -lpthread
PKGS     := $(LIB_PKGS) libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libpq 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(LIB_PRIVATE)
LIB_LIBS   := $(shell pkg-config --libs $(LIB_PKGS) 2>/dev/null) $(LIB_PRIVATE)
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
# Unit tests, fuzzers, benchmarks and the galen tool link the internal
# archive, which keeps every library symbol linkable. The installed
# libgalen.a and libgalen.so export galen_* only (GALEN_API,
# include/galen/export.h); the rest is compiled -fvisibility=hidden.
LIB      := $(BUILD)/libgalen_internal.a
LIB_A    := $(BUILD)/libgalen.a
SO_REAL  := libgalen.so.$(VERSION)
SO_NAME  := libgalen.so.$(SOVERSION)
LIB_SO   := $(BUILD)/$(SO_REAL)
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
        format-check lint clean help install uninstall FORCE

.SECONDARY:

all: $(GALEN) $(LIB_A) $(LIB_SO) $(BUILD)/galen.pc

help:
	@echo "make [MODE=release|asan|debug] [WERROR=1] TARGET"
	@echo "  all           build libgalen (.a, .so), galen.pc and galen (default)"
	@echo "  install       install into \$$(DESTDIR)\$$(PREFIX) (default /usr/local)"
	@echo "  uninstall     remove what install put there"
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
# One set of library objects serves the .a and the .so.
LIB_CFLAGS := -fPIC -fvisibility=hidden
$(BUILD)/lib/%.o: CFLAGS += $(LIB_CFLAGS)
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

# The installed archive: one relocatable object in which every hidden symbol
# is made local, so that only galen_* is left to clash with a program's own.
$(BUILD)/libgalen.o: $(LIB_OBJ)
	$(Q)ld -r -o $@.tmp $^
	$(Q)objcopy --localize-hidden $@.tmp $@
	$(Q)rm -f $@.tmp

$(LIB_A): $(BUILD)/libgalen.o
	$(Q)rm -f $@
	$(Q)ar rcs $@ $<

$(LIB_SO): $(LIB_OBJ)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(SO_NAME) -Wl,--no-undefined \
	  -o $@ $^ $(LIB_LIBS)
	$(Q)ln -sf $(SO_REAL) $(BUILD)/$(SO_NAME)
	$(Q)ln -sf $(SO_NAME) $(BUILD)/libgalen.so

$(HTTPD_LIB): $(HTTPD_SRC:%.c=$(BUILD)/%.o)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(GALEN): $(APP_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(APP_OBJ) $(LIB) $(PKG_LIBS)

# Files whose content follows the install paths are rewritten only when it
# changes, so a new PREFIX rebuilds them and nothing else.
define update_if_changed
	$(Q)mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(1) > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
endef

$(BUILD)/sharedir.stamp: FORCE
	$(call update_if_changed,'$(SHAREDIR)')

# A change of compiler flags (such as -fvisibility) rebuilds the objects.
# Expanded here, not in the recipe, where a target's own flags would leak in.
CFLAGS_ALL := $(CC) $(filter-out -Werror,$(CFLAGS)) $(LIB_CFLAGS) $(INC_LIB) $(INC_APP)
$(BUILD)/cflags.stamp: FORCE
	$(call update_if_changed,'$(CFLAGS_ALL)')
$(LIB_OBJ) $(APP_OBJ): $(BUILD)/cflags.stamp

# cli/cli.c compiles in where the installed data files live.
$(BUILD)/cli/cli.o: $(BUILD)/sharedir.stamp
$(BUILD)/cli/cli.o: CFLAGS += -DCLI_SHARE_DIR='"$(SHAREDIR)"'

$(BUILD)/galen.pc: FORCE
	$(call update_if_changed,'prefix=$(PREFIX)' \
	  'includedir=$(INCLUDEDIR:$(PREFIX)/%=$${prefix}/%)' \
	  'libdir=$(LIBDIR:$(PREFIX)/%=$${prefix}/%)' '' 'Name: galen' \
	  'Description: offline evidence-grounded medical answer engine' \
	  'Version: $(VERSION)' 'Requires.private: $(LIB_PKGS)' \
	  'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lgalen' \
	  'Libs.private: $(LIB_PRIVATE)')

# Installation ----------------------------------------------------------------
SHARE_FILES := data/lexicon.tsv data/redflags.txt data/companions.tsv \
               data/answer-model.tsv
WEB_FILES   := $(wildcard web/*)
PACK_FILES  := $(wildcard data/pack/*.md)
HEADERS     := $(wildcard include/galen/*.h)
MAN1        := man/galen.1
MAN3        := man/libgalen.3

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PCDIR) \
	  $(DESTDIR)$(INCLUDEDIR)/galen $(DESTDIR)$(SHAREDIR)/web \
	  $(DESTDIR)$(SHAREDIR)/pack $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 755 $(GALEN) $(DESTDIR)$(BINDIR)/galen
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/$(SO_REAL)
	ln -sf $(SO_REAL) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libgalen.so
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/libgalen.a
	install -m 644 $(BUILD)/galen.pc $(DESTDIR)$(PCDIR)/galen.pc
	install -m 644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/galen/
	install -m 644 $(SHARE_FILES) LICENSE $(DESTDIR)$(SHAREDIR)/
	install -m 644 $(WEB_FILES) $(DESTDIR)$(SHAREDIR)/web/
	install -m 644 $(PACK_FILES) $(DESTDIR)$(SHAREDIR)/pack/
	sed 's|@SHAREDIR@|$(SHAREDIR)|g' $(MAN1) > $(DESTDIR)$(MANDIR)/man1/galen.1
	sed 's|@SHAREDIR@|$(SHAREDIR)|g' $(MAN3) > $(DESTDIR)$(MANDIR)/man3/libgalen.3

# Removes exactly the files install wrote, then the folders that are galen's
# own; shared folders (bin, lib, man1, ...) stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/galen $(DESTDIR)$(PCDIR)/galen.pc \
	  $(DESTDIR)$(LIBDIR)/$(SO_REAL) $(DESTDIR)$(LIBDIR)/$(SO_NAME) \
	  $(DESTDIR)$(LIBDIR)/libgalen.so $(DESTDIR)$(LIBDIR)/libgalen.a \
	  $(DESTDIR)$(MANDIR)/man1/galen.1 $(DESTDIR)$(MANDIR)/man3/libgalen.3 \
	  $(HEADERS:include/galen/%=$(DESTDIR)$(INCLUDEDIR)/galen/%) \
	  $(SHARE_FILES:data/%=$(DESTDIR)$(SHAREDIR)/%) \
	  $(DESTDIR)$(SHAREDIR)/LICENSE \
	  $(WEB_FILES:web/%=$(DESTDIR)$(SHAREDIR)/web/%) \
	  $(PACK_FILES:data/pack/%=$(DESTDIR)$(SHAREDIR)/pack/%)
	-rmdir $(DESTDIR)$(INCLUDEDIR)/galen $(DESTDIR)$(SHAREDIR)/web \
	  $(DESTDIR)$(SHAREDIR)/pack $(DESTDIR)$(SHAREDIR)

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

integration: $(GALEN) $(LIB_A) $(LIB_SO)
	@set -e; for s in tests/integration/*.sh; do \
	  [ -f "$$s" ] || continue; [ "$${s##*/}" = lib.sh ] && continue; \
	  echo "== $$s"; GALEN=$(abspath $(GALEN)) bash $$s; done

# Sequential so the logs of the three stages do not interleave under -j.
check: $(TESTS) $(REPLAYS) $(GALEN) $(LIB_A) $(LIB_SO)
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

build/fuzz/fuzz_http build/fuzz/fuzz_json_body: build/fuzz/fuzz_%: fuzz/fuzz_%.c \
        $(LIB_SRC) $(HTTPD_SRC)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(HTTPD_SRC) $(PKG_LIBS)

bench: $(GALEN) $(BENCHES)

# Every C file and header in the tree.
FORMAT_SRC := $(LIB_SRC) $(APP_SRC) $(TEST_SRC) $(FUZZ_SRC) $(BENCH_SRC) \
        fuzz/replay.c $(wildcard lib/*/*.h include/galen/*.h cli/*.h httpd/*.h \
        tests/unit/*.h fuzz/*.h tests/integration/*.c)

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

FORCE:

-include $(LIB_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d) \
         $(FUZZ_SRC:%.c=$(BUILD)/%.d) $(BUILD)/fuzz/replay.d $(BENCH_SRC:%.c=$(BUILD)/%.d)
