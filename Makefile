# tradereport — build, test, demo. `make help` lists the targets.
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man/man1
DESTDIR  ?=
CC       ?= cc
CFLAGS   ?= -O2 -g
SANITIZE ?=
VERSION  := 0.1.0

PKGS     := sqlite3 xlsxwriter cairo libcrypto libarchive zlib libpq
CORE_PKGS := sqlite3 libcrypto libarchive zlib libpq
WRITER_PKGS := xlsxwriter cairo
LIBDIR   ?= $(PREFIX)/lib/tradereport
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes
# Debian packages: build + run, then the independent readers the tests use.
DEB_BUILD := build-essential pkg-config libcsv-dev libsqlite3-dev libxlsxwriter-dev libssl-dev \
             libcairo2-dev libarchive-dev zlib1g-dev libpq-dev \
             fonts-dejavu-core
DEB_TEST  := sqlite3 python3 python3-openpyxl poppler-utils zip unzip postgresql clang-format

ifneq ($(SANITIZE),)
BUILD    := build/san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
BIN      := $(BUILD)/tradereport
else
BUILD    := build/rel
SANFLAGS :=
BIN      := tradereport
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CORE_LIBS  = $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null) -lcsv -lm -pthread
WRITER_LIBS = $(shell pkg-config --libs $(WRITER_PKGS) 2>/dev/null) -lm
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) -Iinclude -I$(BUILD) $(PKG_CFLAGS) \
             -DTR_VERSION='"$(VERSION)"' -DTR_LIBDIR='"$(LIBDIR)"'
LIBS       = $(PKG_LIBS) -lcsv -lm -pthread

SRC      := $(wildcard src/*/*.c)
OBJ      := $(patsubst src/%.c,$(BUILD)/%.o,$(SRC)) $(BUILD)/sql_embed.o $(BUILD)/schema_doc.o $(BUILD)/hs_data.o
LIBOBJ   := $(filter-out $(BUILD)/cli/main.o,$(OBJ))
SQL      := $(sort $(wildcard sql/*.sql)) $(sort $(wildcard sql/views/*.sql)) \
            $(sort $(wildcard sql/checks/*.sql)) $(sort $(wildcard sql/refresh/*.sql)) \
            $(sort $(wildcard sql/pg/views/*.sql))
# The report writers (libxlsxwriter, Cairo) are a shared object beside the binary, loaded by
# `report` and `nightly` only (src/report/writers.c); the binary itself does not link those
# libraries. src/render/ is exactly that object's own code; it draws the briefing model
# (src/report/briefing.c, fmt.c), which both sides link.
WRITER_ONLY := $(wildcard src/render/*.c)
WRITER_SRC := $(WRITER_ONLY) src/report/fmt.c src/report/briefing.c src/core/err.c
WRITER_OBJ := $(patsubst src/%.c,$(BUILD)/pic/%.o,$(WRITER_SRC))
WRITERS    := $(dir $(BIN))tradereport-writers.so
MAIN_OBJ   := $(filter-out $(patsubst src/%.c,$(BUILD)/%.o,$(WRITER_ONLY)),$(OBJ))
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(patsubst tests/unit/%.c,$(BUILD)/unit/%.o,$(UNIT_SRC))
UNIT_BIN := $(BUILD)/unit_tests

.PHONY: all deps test unit cli demo install uninstall clean fmt hooks help bench render
all: $(BIN) $(WRITERS)

help:
	@echo "make            build ./tradereport"
	@echo "make deps       install missing Debian packages (as root) or print the command"
	@echo "make demo       deps + build + import fixtures/ + reports/RUS-IRN.xlsx and .pdf"
	@echo "make render     make demo, then every page of its PDF and workbook as PNG in build/render"
	@echo "make test       every test suite; ends with 'N passed, N failed'"
	@echo "make SANITIZE=address,undefined test   the same under ASan/UBSan"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)"
	@echo "make faults     fault injection: kill -9, signals, disk full, I/O errors, OOM, damage"
	@echo "make fuzz       libFuzzer on every importer, FUZZ_SECONDS (60) each; fuzz-long: an hour"
	@echo "make valgrind   the suites under valgrind memcheck"
	@echo "make reliability   the figures of doc/reliability.md"
	@echo "make fmt        clang-format every C file of src/, include/ and tests/unit/"
	@echo "make hooks      check commit messages (subject <= 72 characters, a body)"

$(BUILD)/%.o: src/%.c $(wildcard include/tr/*.h) | $(BUILD)/sql_embed.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The SQL files become C arrays; the installed binary needs nothing beside it.
$(BUILD)/sql_embed.c $(BUILD)/sql_embed.h &: $(SQL) tools/embed_sql.sh include/tr/factkey.h include/tr/baseline.h
	@mkdir -p $(BUILD)
	sh tools/embed_sql.sh $(BUILD) $(SQL)

$(BUILD)/sql_embed.o: $(BUILD)/sql_embed.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The schema as users read it (tradereport schema, help views, README's schema section).
$(BUILD)/schema_doc.c: sql/schema_doc.tsv tools/embed_schema_doc.sh
	@mkdir -p $(BUILD)
	sh tools/embed_schema_doc.sh $@ sql/schema_doc.tsv

$(BUILD)/schema_doc.o: $(BUILD)/schema_doc.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The HS reference data (data/hs/*.csv) is parsed once here, not at run time: tools/hs_compile.c
# checks every row, computes the concordance groups and writes C arrays (include/tr/hs_data.h).
HS_DATA := $(sort $(wildcard data/hs/*.csv))
$(BUILD)/hs_compile: tools/hs_compile.c
	@mkdir -p $(BUILD)
	$(CC) $(WARN) -O2 -o $@ $< -lcsv

$(BUILD)/hs_data.c: $(BUILD)/hs_compile $(HS_DATA)
	$(BUILD)/hs_compile $@.tmp $(HS_DATA) && mv $@.tmp $@

# no debug information: data only, and valgrind would read 4 MB of it at every start
$(BUILD)/hs_data.o: $(BUILD)/hs_data.c include/tr/hs_data.h
	$(CC) $(ALL_CFLAGS) -O0 -g0 -c -o $@ $<

# A new database is a copy of a template made here (include/tr/db_template.h): the maker links
# the library objects without the image, so it builds the file from sql/ and writes every HS
# reference row; the image object embeds the result (no debug information, data only).
TEMPLATE     := $(BUILD)/template.db
TEMPLATE_OBJ := $(BUILD)/store/db_template_image.o
$(BUILD)/db_template: tools/db_template.c $(LIBOBJ)
	$(CC) $(ALL_CFLAGS) -o $@ tools/db_template.c $(LIBOBJ) $(LIBS)

$(TEMPLATE): $(BUILD)/db_template
	rm -f $@ $@.tmp $@.tmp.lock
	$(BUILD)/db_template $@.tmp && mv $@.tmp $@

$(TEMPLATE_OBJ): src/store/db_template_image.S $(TEMPLATE)
	$(CC) -c -DTR_TEMPLATE_FILE='"$(TEMPLATE)"' -o $@ $<

$(BUILD)/pic/%.o: src/%.c $(wildcard include/tr/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(WRITERS): $(WRITER_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -shared -o $@ $(WRITER_OBJ) $(WRITER_LIBS)

# the writers are built with the binary: every target that makes one makes both
$(BIN): $(MAIN_OBJ) $(TEMPLATE_OBJ) | $(WRITERS)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(MAIN_OBJ) $(TEMPLATE_OBJ) $(CORE_LIBS)

$(BUILD)/unit/%.o: tests/unit/%.c tests/unit/tr_test.h $(wildcard include/tr/*.h) | $(BUILD)/sql_embed.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -c -o $@ $<

$(UNIT_BIN): $(LIBOBJ) $(UNIT_OBJ) $(TEMPLATE_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(UNIT_OBJ) $(LIBOBJ) $(TEMPLATE_OBJ) $(LIBS)

# Installs what a bare Debian machine lacks; as non-root it prints the command instead.
deps:
	@missing=""; for p in $(DEB_BUILD) $(DEB_TEST); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; \
	elif [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: missing$$missing; run: sudo apt-get install -y$$missing"; exit 1; fi

# Sanitizer runs fail on the first report; fontconfig's process-long caches are suppressed.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
          LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# deps first: on a bare machine the build needs the -dev packages (as root they are installed)
test: deps
	@$(MAKE) --no-print-directory $(BIN) $(UNIT_BIN)
	@$(SAN_ENV) TR_BIN=$(abspath $(BIN)) UNIT_BIN=$(abspath $(UNIT_BIN)) sh tests/run_all.sh

unit: $(UNIT_BIN)
	$(UNIT_BIN)

# Every realistic fixture, in an order where corrections follow what they correct
# (fixtures/demo-files.txt, shared with tests/cli/test_fixtures_tree.sh).
DEMO_FILES = $(shell cat fixtures/demo-files.txt)

demo: deps
	$(MAKE) $(BIN)
	rm -f demo.db demo.db-wal demo.db-shm
	./$(BIN) init --db demo.db
	./$(BIN) import --db demo.db $(DEMO_FILES)
	./$(BIN) report --db demo.db --pair RUS:IRN --out reports
	@ls -l reports/RUS-IRN.xlsx reports/RUS-IRN.pdf

# Every page of the demo briefing as PNG (the workbook as LibreOffice prints it), to look at.
render: demo
	@command -v soffice > /dev/null || $(MAKE) --no-print-directory deps DEB_TEST=libreoffice-calc DEB_BUILD=
	sh tools/render.sh reports/RUS-IRN.xlsx reports/RUS-IRN.pdf build/render

build/bench_gen: tools/bench_gen.c
	@mkdir -p build
	$(CC) -O2 -std=c11 -Wall -o $@ $< -lm

# Speed and memory against sqlite3 .import and a python loader, measured in the same run.
bench: $(BIN) build/bench_gen
	sh tools/bench.sh
	sh tools/bench_queries.sh
	sh tools/bench_release.sh

install: $(BIN) $(WRITERS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(LIBDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/tradereport
	install -m 644 $(WRITERS) $(DESTDIR)$(LIBDIR)/tradereport-writers.so
	install -m 644 doc/tradereport.1 $(DESTDIR)$(MANDIR)/tradereport.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tradereport $(DESTDIR)$(MANDIR)/tradereport.1 \
	    $(DESTDIR)$(LIBDIR)/tradereport-writers.so
	-rmdir $(DESTDIR)$(LIBDIR) 2>/dev/null

# formats the C files with .clang-format; the tree is kept as it writes it
# (tests/cli/test_layout.sh checks every file)
fmt:
	clang-format -i $$(git ls-files 'src/*.[ch]' 'include/*.h' 'tests/unit/*.[ch]')

# commit messages as doc/development.md asks (subject <= 72 characters, a body): this clone's
# git runs tools/git-hooks/commit-msg
hooks:
	git config core.hooksPath tools/git-hooks

clean:
	rm -rf build tradereport tradereport-writers.so demo.db demo.db-wal demo.db-shm

# ---- reliability (doc/reliability.md): fault injection, fuzzing, valgrind, the figures ----
# Each builds its own binaries under build/<name>/, never ./tradereport.
.PHONY: libobjs faults fuzz fuzz-build fuzz-long valgrind reliability
FAULTS_DIR   := build/faults
FUZZ_DIR     := build/fuzz
VG_DIR       := build/valgrind
FUZZ_SECONDS ?= 60
FUZZ_LONG_SECONDS ?= 3600

# with the template image, so that the fuzz targets' databases are copied as users' are
libobjs: $(LIBOBJ) $(TEMPLATE_OBJ)

$(FAULTS_DIR)/inject.so: tests/faults/inject.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -O2 -g -fPIC -shared -o $@ $< -ldl

# kill -9, signals, disk full, read errors, read-only, concurrency, out of memory, damage
faults: $(FAULTS_DIR)/inject.so build/bench_gen
	@$(MAKE) --no-print-directory BUILD=$(FAULTS_DIR) BIN=$(FAULTS_DIR)/tradereport SANITIZE= \
	    $(FAULTS_DIR)/tradereport
	@TR_BIN=$(abspath $(FAULTS_DIR)/tradereport) INJECT=$(abspath $(FAULTS_DIR)/inject.so) \
	    BENCH_GEN=$(abspath build/bench_gen) sh tests/faults/run.sh

# one libFuzzer target per input format (tests/fuzz/targets.tsv), clang with ASan and UBSan
fuzz-build:
	@$(MAKE) --no-print-directory CC=clang BUILD=$(FUZZ_DIR)/obj BIN=$(FUZZ_DIR)/obj/tradereport \
	    SANITIZE=fuzzer-no-link,address,undefined CFLAGS='-O1 -g' libobjs
	@FUZZ_DIR=$(FUZZ_DIR) LIBS='$(LIBS)' PKG_CFLAGS='$(PKG_CFLAGS)' sh tests/fuzz/build.sh

fuzz: fuzz-build
	@FUZZ_DIR=$(FUZZ_DIR) sh tests/fuzz/run.sh $(FUZZ_SECONDS)

fuzz-long: fuzz-build
	@FUZZ_DIR=$(FUZZ_DIR) sh tests/fuzz/run.sh $(FUZZ_LONG_SECONDS)

# every suite of `make test` with each tradereport run under valgrind --leak-check=full
valgrind:
	@$(MAKE) --no-print-directory BUILD=$(VG_DIR) BIN=$(VG_DIR)/tradereport SANITIZE= \
	    CFLAGS='-O1 -g' $(VG_DIR)/tradereport $(VG_DIR)/unit_tests
	@VG_DIR=$(abspath $(VG_DIR)) sh tests/faults/valgrind.sh

# the figures README quotes; runs what has no result yet (RERUN=1: everything)
reliability:
	@sh tools/reliability.sh
