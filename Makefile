# carnet — build, test, install.
#
#   make run      install missing build dependencies, build, open the coding
#                 screen on a demo study with the default codebook
#   make test     the whole test suite (unit tests plain and under ASan+UBSan,
#                 terminal tests, export read-back tests)
#   make install PREFIX=/usr DESTDIR=/tmp/pkg
#   make fuzz     build the libFuzzer harnesses (tests/fuzz/fuzz_*.c) with
#                 clang and run each for FUZZ_SECONDS (FUZZ=NAME... for some)
#
# Libraries are found with pkg-config.  The targets that need them re-enter
# make after `deps`, so that on a fresh Debian 12 machine `make run` and
# `make test` each work on their own.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    := $(PREFIX)/bin
DATADIR   := $(PREFIX)/share/carnet
LOCALEDIR := $(PREFIX)/share/locale
MANDIR    := $(PREFIX)/share/man/man1
PCDIR     := $(PREFIX)/share/pkgconfig

PKGS      := ncursesw sqlite3 xlsxwriter libpcre2-8 yaml-0.1 libxml-2.0 zlib
TEST_PKGS := cmocka

# Debian packages: to build, and in addition to test.
DEBS      := gcc make pkg-config gettext libncurses-dev libsqlite3-dev libxlsxwriter-dev \
             libpcre2-dev libyaml-dev libxml2-dev zlib1g-dev
TEST_DEBS := libcmocka-dev tmux sqlite3 python3 python3-openpyxl python3-yaml locales tzdata valgrind \
             libreoffice-calc-nogui
# and for `make bench` (GNU time for the peak memory, openpyxl for the baseline).
BENCH_DEBS := time python3 python3-openpyxl tzdata
# To fuzz (clang's libFuzzer and sanitizer runtimes).
FUZZ_DEBS := clang-14 libclang-rt-14-dev
# /usr/bin/python3 is Debian's, the one python3-openpyxl installs for.
PYTHON    ?= /usr/bin/python3

CC        ?= cc
CFLAGS    ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla
DEFS      := -D_GNU_SOURCE -DCARNET_VERSION='"$(VERSION)"' -DCARNET_DATADIR='"$(DATADIR)"' \
             -DCARNET_LOCALEDIR='"$(LOCALEDIR)"'
SAN       := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CC   ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ      ?=

# At-rest encryption with SQLCipher does not fit Debian 12's SQLCipher 3.4.1:
# see doc/privacy.md, "At-rest encryption".
ifeq ($(SQLCIPHER),1)
$(error SQLCIPHER=1 is not supported: Debian 12's SQLCipher 3.4.1 is built on SQLite 3.15.2, without the JSON \
functions, upsert and unixepoch() that carnet's store needs. See doc/privacy.md, "At-rest encryption")
endif

# Evaluated when used, after `deps` has run.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS))
TEST_LIBS   = $(shell pkg-config --libs $(TEST_PKGS))

SRC       := $(sort $(wildcard src/*/*.c))
LIB_SRC   := $(filter-out src/cli/main.c,$(SRC))
OBJ       := $(SRC:src/%.c=build/obj/%.o)
LIB_OBJ   := $(LIB_SRC:src/%.c=build/obj/%.o)
ASAN_OBJ  := $(SRC:src/%.c=build/asan/%.o)
ASAN_LIB  := $(LIB_SRC:src/%.c=build/asan/%.o)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
UNIT_ASAN := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
# One folder per language under po/, one .po file per module inside it
# (po/fr/core.po, po/fr/observe.po...), joined with msgcat at build time.
LANGS     := $(sort $(patsubst po/%/,%,$(dir $(wildcard po/*/*.po))))
MO        := $(LANGS:%=build/locale/%/LC_MESSAGES/carnet.mo)
# Fuzz harnesses: tests/fuzz/fuzz_NAME.c, built with clang and libFuzzer
# into build/fuzz/, and with gcc and ASan+UBSan into build/asan/replay/ to
# replay the kept inputs in `make check` (tests/fuzz/fuzz.h).
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_OBJ  := $(LIB_SRC:src/%.c=build/fuzz/obj/%.o)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/asan/replay/%)

.PHONY: all run test check deps deps-test install uninstall clean bench bench-keys fuzz fuzz-build fuzz-run pot

all: carnet $(MO)

carnet: $(OBJ)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -o $@ $(OBJ) $(PKG_LIBS) $(LDFLAGS)

build/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(WARN) $(CFLAGS) $(DEFS) -Isrc $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/asan/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC [asan] $<"
	@$(CC) $(WARN) -O1 -g $(SAN) $(DEFS) -Isrc $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/asan/carnet: $(ASAN_OBJ)
	@echo "  LD $@"
	@$(CC) $(SAN) -o $@ $(ASAN_OBJ) $(PKG_LIBS)

build/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(@D)
	@echo "  TEST $@"
	@$(CC) $(WARN) $(CFLAGS) $(DEFS) -Isrc -Itests/unit $(PKG_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(LIB_OBJ) \
	    $(PKG_LIBS) $(TEST_LIBS)

build/asan/tests/%: tests/unit/%.c $(ASAN_LIB)
	@mkdir -p $(@D)
	@echo "  TEST [asan] $@"
	@$(CC) $(WARN) -O1 -g $(SAN) $(DEFS) -Isrc -Itests/unit $(PKG_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(ASAN_LIB) \
	    $(PKG_LIBS) $(TEST_LIBS)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC [fuzz] $<"
	@$(FUZZ_CC) $(WARN) -O1 -g $(SAN) -fsanitize=fuzzer-no-link $(DEFS) -Isrc $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

# Named only by the pattern rule below: keep make from deleting them as
# intermediate files.
.SECONDARY: $(FUZZ_OBJ)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	@mkdir -p $(@D)
	@echo "  FUZZ $@"
	@$(FUZZ_CC) $(WARN) -O1 -g $(SAN) -fsanitize=fuzzer $(DEFS) -Isrc -Itests/fuzz $(PKG_CFLAGS) -o $@ $< \
	    $(FUZZ_OBJ) $(PKG_LIBS)

build/asan/replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(ASAN_LIB)
	@mkdir -p $(@D)
	@echo "  REPLAY [asan] $@"
	@$(CC) $(WARN) -O1 -g $(SAN) $(DEFS) -Isrc -Itests/fuzz $(PKG_CFLAGS) -o $@ $< tests/fuzz/replay.c \
	    $(ASAN_LIB) $(PKG_LIBS)

.SECONDEXPANSION:
build/locale/%/LC_MESSAGES/carnet.mo: $$(wildcard po/%/*.po)
	@mkdir -p $(@D)
	@echo "  MSGFMT $@"
	@msgcat --use-first -o $(@D)/all.po $^
	@msgfmt --check-format -o $@ $(@D)/all.po

# Keystroke latency of the coding screen, key to committed row
# (doc/performance.md).  Not part of `test`: it fsyncs thousands of times.
build/bench/bench_keys: bench/bench_keys.c $(LIB_OBJ)
	@mkdir -p $(@D)
	@echo "  BENCH $@"
	@$(CC) $(WARN) $(CFLAGS) $(DEFS) -Isrc $(PKG_CFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS)

bench-keys: build/bench/bench_keys
	@build/bench/bench_keys -n $(or $(BENCH_KEYS_N),2000)

bench: bench-keys

# The catalogue template, regenerated from the sources.
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -c -o build/carnet.pot $(SRC)

deps:
	@sh tests/deps.sh $(DEBS)

deps-test:
	@sh tests/deps.sh $(DEBS) $(TEST_DEBS)

fuzz:
	@sh tests/deps.sh $(DEBS) $(FUZZ_DEBS)
	@$(MAKE) --no-print-directory fuzz-run

fuzz-build: $(FUZZ_BIN)

fuzz-run: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ)

run: deps
	@$(MAKE) --no-print-directory all
	@./tests/demo-run.sh

test: deps-test
	@$(MAKE) --no-print-directory check

# Export benchmarks (not part of `test`): 10k, 100k and 1M demo
# interactions, carnet against openpyxl; see doc/performance.md.
bench:
	@sh tests/deps.sh $(DEBS) $(BENCH_DEBS)
	@$(MAKE) --no-print-directory all
	@PYTHON=$(PYTHON) sh bench/run.sh

# `check` assumes the dependencies are there.
check: all build/asan/carnet $(UNIT_BIN) $(UNIT_ASAN) $(REPLAY_BIN)
	@PYTHON=$(PYTHON) sh tests/run-all.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/codebooks $(DESTDIR)$(MANDIR) $(DESTDIR)$(PCDIR)
	install -m 0755 carnet $(DESTDIR)$(BINDIR)/carnet
	install -m 0644 codebooks/*.yaml codebooks/redaction.rules $(DESTDIR)$(DATADIR)/codebooks/
	install -m 0644 doc/carnet.1 $(DESTDIR)$(MANDIR)/carnet.1
	for mo in $(MO); do lang=$$(echo $$mo | cut -d/ -f3); \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
	    install -m 0644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/carnet.mo; done
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' carnet.pc.in > $(DESTDIR)$(PCDIR)/carnet.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/carnet $(DESTDIR)$(MANDIR)/carnet.1 $(DESTDIR)$(PCDIR)/carnet.pc
	rm -f $(DESTDIR)$(LOCALEDIR)/*/LC_MESSAGES/carnet.mo
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build carnet

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
