# femtologging: `make demo` runs it, `make test` tests it, `make bench`
# measures it. Each target installs what it needs on a bare machine.
# `make install` puts the Python package into .venv; `make install
# PREFIX=/usr/local` (or DESTDIR=...) installs the C library instead.

export PATH := /usr/local/go/bin:$(PATH)
export GOFLAGS := -buildvcs=false

VENV := .venv
PY := $(VENV)/bin/python
BUILD := build
CFLAGS := -O2 -Wall -Wextra -Werror -Iinclude

# The package version is written once, in python/femtologging/__init__.py;
# the C library is libfemtolog.so.VERSION with SONAME libfemtolog.so.MAJOR.
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"$$/\1/p' python/femtologging/__init__.py)
SONAME := libfemtolog.so.$(firstword $(subst ., ,$(VERSION)))
LIB := $(BUILD)/libfemtolog.so
LIB_REAL := $(BUILD)/libfemtolog.so.$(VERSION)

# What the library and the Python package are built from: a change to any
# of them rebuilds; nothing changed, nothing is rebuilt or reinstalled.
GO_SOURCES := go.mod go.sum include/femtolog.h capi/exports.map scripts/build-lib.sh \
	$(shell find core capi -name '*.go' ! -name '*_test.go' -o -name '*.c' -o -name '*.h')
PY_SOURCES := setup.py pyproject.toml MANIFEST.in $(wildcard python/femtologging/*.py python/femtologging/*/*.py \
	python/femtologging/*.c)
INSTALLED := $(VENV)/.femtologging-installed

# `make test` runs these targets in order, one line of output each (see
# scripts/stage.sh; full output in build/logs/). A new suite: add it here.
TEST_STAGES := lint test-go otelcol test-python test-c test-c-config test-c-file test-c-socket test-c-fork \
	typecheck fuzz test-install test-sdist test-clone

.PHONY: all bootstrap setup python lib install install-c uninstall demo test test-go test-python \
	test-c fuzz bench clean lint test-install test-sdist test-clone

all: python

bootstrap:
	@./scripts/bootstrap.sh

# The Python package, built from source and installed offline into the
# venv; again only when a source changed.
python: $(INSTALLED)

$(INSTALLED): $(GO_SOURCES) $(PY_SOURCES) | bootstrap
	@echo "install: building femtologging $(VERSION) into $(VENV)"
	@# setuptools reuses build/lib.*: a file it no longer builds would ship.
	@rm -rf $(BUILD)/lib.* $(BUILD)/bdist.*
	@mkdir -p $(BUILD)/logs
	@$(PY) -m pip install --quiet --no-build-isolation --no-index --no-deps --force-reinstall . \
		>$(BUILD)/logs/pip-install.log 2>&1 || { \
		echo "install: FAILED: pip could not build or install the package; the errors:" >&2; \
		grep -E '(^|[ :])(error|Error|fatal)[ :]|\.(go|c|h|py):[0-9]+' $(BUILD)/logs/pip-install.log \
			| grep -v '^ *File "' | head -n 30 >&2; \
		echo "install: the whole output is in $(BUILD)/logs/pip-install.log" >&2; exit 1; }
	@touch $@

# The shared library on its own, for C programs, under its installed names.
lib: $(LIB)

$(LIB_REAL): $(GO_SOURCES)
	@./scripts/build-lib.sh $@ $(SONAME)

$(LIB): $(LIB_REAL)
	@ln -sf $(notdir $(LIB_REAL)) $(BUILD)/$(SONAME)
	@ln -sf $(SONAME) $@

# ---- make install / uninstall ---------------------------------------------

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

ifneq ($(filter command line environment,$(origin PREFIX) $(origin DESTDIR)),)
install: install-c
else
install: python
endif

# libfemtolog.so.VERSION, its SONAME and development links, the header and
# a pkg-config file, under $(DESTDIR)$(PREFIX).
install-c: $(LIB)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(LIB_REAL) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIB_REAL)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libfemtolog.so
	install -m 0644 include/femtolog.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
		scripts/femtolog.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/femtolog.pc
	@echo "install: libfemtolog $(VERSION) installed under $(DESTDIR)$(PREFIX)"

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libfemtolog.so $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libfemtolog.so.$(VERSION) $(DESTDIR)$(INCLUDEDIR)/femtolog.h \
		$(DESTDIR)$(PKGCONFIGDIR)/femtolog.pc

demo: python $(BUILD)/quickstart
	$(PY) examples/demo.py
	@echo "--- the same Quick start, from C:"
	./$(BUILD)/quickstart

# ---- make test ------------------------------------------------------------

test:
	@./scripts/stage.sh setup $(MAKE) --no-print-directory setup
	@for stage in $(TEST_STAGES); do \
		./scripts/stage.sh $$stage $(MAKE) --no-print-directory $$stage || exit 1; \
	done
	@echo "make test: every stage passed"
	@echo "stages: $(words setup $(TEST_STAGES)) passed, 0 failed"

# What every stage needs: the package in the venv and the C library; and
# a check that asking again rebuilds nothing (the stamp works).
setup: lib python
	@again=$$($(MAKE) --no-print-directory python 2>&1); case "$$again" in *"install: building"*) \
		echo "setup: FAILED: make python rebuilt the package although no source changed" >&2; exit 1;; esac
	@echo "femtologging $(VERSION) in $(VENV), $(LIB) -> $(notdir $(LIB_REAL)); up to date"

lint: python
	@PY=$(PY) ./scripts/lint.sh

test-go:
	go test -race -count=1 ./...
	@echo "go test -race: every package passed"

test-python: python otelcol
	cd python/tests && ../../$(PY) -m pytest -q -p no:cacheprovider .

# Installs the C library into a temporary prefix (and a DESTDIR), checks
# the layout and exports, and builds the quick start with pkg-config.
test-install: lib
	./scripts/test-install.sh

# Builds the source distribution, installs it into a fresh venv from
# another directory, and checks the wheel's contents.
test-sdist: python
	PY=$(PY) ./scripts/test-sdist.sh

# Runs the tests that depend on where the repository lives from a copy
# of the working tree inside a 0700 directory (issue 16).
test-clone:
	./scripts/test-clone.sh

$(BUILD)/quickstart: examples/quickstart.c include/femtolog.h lib
	cc $(CFLAGS) examples/quickstart.c -L$(BUILD) -lfemtolog -Wl,-rpath,'$$ORIGIN' -o $@

# Runs the C Quick start and checks what it printed.
test-c: $(BUILD)/quickstart
	./$(BUILD)/quickstart >$(BUILD)/quickstart.out 2>$(BUILD)/quickstart.err
	grep -qx 'demo.app \[INFO\] hello from femtologging' $(BUILD)/quickstart.err
	grep -q '^bad name: status -1: invalid logger name "a..b"' $(BUILD)/quickstart.out
	grep -q '^bad level: status -1: invalid level 7' $(BUILD)/quickstart.out
	grep -q '^bad handle: status -2: unknown or stale handle' $(BUILD)/quickstart.out
	grep -qx '{"level":"WARNING","logger":"demo.kv","message":"login failed","exception":"Error: disk full","fields":{"user":"ann","attempt":3,"ok":true}}' $(BUILD)/quickstart.out
	@echo "C example: 1 passed, 0 failed"

# Each fuzz target for a few seconds: enough to catch regressions in CI.
FUZZ_TIME ?= 3s
fuzz:
	go test ./core -run '^$$' -fuzz '^FuzzParseLevel$$' -fuzztime $(FUZZ_TIME)
	go test ./core -run '^$$' -fuzz '^FuzzValidateName$$' -fuzztime $(FUZZ_TIME)
	go test ./core -run '^$$' -fuzz '^FuzzParsePolicy$$' -fuzztime $(FUZZ_TIME)
	go test ./core -run '^$$' -fuzz '^FuzzStringFormatter$$' -fuzztime $(FUZZ_TIME)
	go test ./core/config -run '^$$' -fuzz '^FuzzConfigDecode$$' -fuzztime $(FUZZ_TIME)
	go test ./core/config -run '^$$' -fuzz '^FuzzINITranslate$$' -fuzztime $(FUZZ_TIME)
	go test ./core/config -run '^$$' -fuzz '^FuzzCheckValue$$' -fuzztime $(FUZZ_TIME)
	go test ./core/config -run '^$$' -fuzz '^FuzzBuildHandlerSpec$$' -fuzztime $(FUZZ_TIME)
	go test ./core/encode -run '^$$' -fuzz '^FuzzReadFrame$$' -fuzztime $(FUZZ_TIME)
	go test ./core/sink -run '^$$' -fuzz '^FuzzOTLPResponse$$' -fuzztime $(FUZZ_TIME)
	go test ./core/config -run '^$$' -fuzz '^FuzzParseKeyValueList$$' -fuzztime $(FUZZ_TIME)

bench: python otelcol $(BUILD)/bench_c
	@./scripts/bootstrap.sh --bench
	$(PY) bench/bench.py
	@echo "\n=== bench_c.c"
	./$(BUILD)/bench_c >/dev/null

$(BUILD)/bench_c: bench/bench_c.c include/femtolog.h lib
	cc $(CFLAGS) bench/bench_c.c -L$(BUILD) -lfemtolog -Wl,-rpath,'$$ORIGIN' -o $@

clean:
	rm -rf $(BUILD) dist *.egg-info python/*.egg-info python/femtologging/*.so python/femtologging/_femtolog_cffi.* $(INSTALLED)

# ---- Configuration from C (issue 5) ----------------------------------------

.PHONY: test-c-config

$(BUILD)/config_example: examples/config_example.c include/femtolog.h lib
	cc $(CFLAGS) examples/config_example.c -L$(BUILD) -lfemtolog -Wl,-rpath,'$$ORIGIN' -o $@

# Runs the C configuration example and checks what it printed.
test-c-config: $(BUILD)/config_example
	./$(BUILD)/config_example >$(BUILD)/config_example.out 2>$(BUILD)/config_example.err
	grep -q '^bad config: status -3: $$.loggers\["app.db"\].handlers\[0\]: unknown handler id "uot"' $(BUILD)/config_example.out
	grep -qx 'root level after the failed apply: 20' $(BUILD)/config_example.out
	grep -qx 'app.db \[DEBUG\] configured from C' $(BUILD)/config_example.out
	grep -qx 'root INFO: filtered' $(BUILD)/config_example.out
	grep -qx 'root \[ERROR\] root error' $(BUILD)/config_example.err
	grep -q '^ini: {"version":1,"disable_existing_loggers":true,.*"root":{"level":"INFO","handlers":\["console"\]}}' $(BUILD)/config_example.out
	@echo "C config example: 1 passed, 0 failed"
# ---- File handlers from C (issue 3) ----------------------------------------

.PHONY: test-c-file

$(BUILD)/file_example: examples/file_example.c include/femtolog.h lib
	cc $(CFLAGS) examples/file_example.c -L$(BUILD) -lfemtolog -Wl,-rpath,'$$ORIGIN' -o $@

# Runs the C file example in a fresh directory and checks its output and
# the files it wrote: every record there, rotation kept 3 backups, errors
# reported with the right statuses.
test-c-file: $(BUILD)/file_example
	rm -rf $(BUILD)/cfile && mkdir -p $(BUILD)/cfile
	./$(BUILD)/file_example $(BUILD)/cfile >$(BUILD)/cfile/out.txt 2>$(BUILD)/cfile/err.txt
	grep -qx 'plain: delivered 101 dropped 0 failed 0' $(BUILD)/cfile/out.txt
	grep -qx 'rotating: delivered 100 dropped 0 failed 0' $(BUILD)/cfile/out.txt
	grep -qx 'timed: delivered 5 dropped 0 failed 0' $(BUILD)/cfile/out.txt
	grep -q '^bad policy: status -3: $$.policy: invalid overflow policy "sometimes"' $(BUILD)/cfile/out.txt
	grep -q '^missing dir: status -6 errno ENOENT: $$.path: open /nonexistent-femtolog-dir/plain.log' $(BUILD)/cfile/out.txt
	grep -q '^dev full flush: status -6' $(BUILD)/cfile/out.txt
	test "$$(wc -l <$(BUILD)/cfile/plain.log)" -eq 101
	grep -qx 'c.direct \[ERROR\] direct call' $(BUILD)/cfile/plain.log
	test "$$(cat $(BUILD)/cfile/rotating.log*  | wc -l)" -lt 100
	test -f $(BUILD)/cfile/rotating.log.3 && test ! -f $(BUILD)/cfile/rotating.log.4
	tail -n 1 $(BUILD)/cfile/rotating.log | grep -qx 'c.files \[INFO\] record 099'
	test "$$(wc -l <$(BUILD)/cfile/timeout.log)" -eq 5
	grep -q '/dev/full.*no space left on device' $(BUILD)/cfile/err.txt
	@echo "C file example: 1 passed, 0 failed"

# --- Socket handler (issue 4) ---------------------------------------------

.PHONY: test-c-socket receiver

$(BUILD)/femtolog-receiver: $(wildcard cmd/femtolog-receiver/*.go core/sink/*.go)
	go build -trimpath -o $@ ./cmd/femtolog-receiver

receiver: $(BUILD)/femtolog-receiver

$(BUILD)/socket_example: examples/socket_example.c include/femtolog.h lib
	cc $(CFLAGS) examples/socket_example.c -L$(BUILD) -lfemtolog -Wl,-rpath,'$$ORIGIN' -o $@

# Runs the C socket example against the receiver (it exits once it has the
# 100 records; every wait is bounded), then against a peer that vanishes.
test-c-socket: $(BUILD)/socket_example $(BUILD)/femtolog-receiver
	@rm -f $(BUILD)/recv.sock $(BUILD)/recv.ready $(BUILD)/socket_example.log
	@./$(BUILD)/femtolog-receiver -unix $(BUILD)/recv.sock -out $(BUILD)/socket_example.log \
		-ready $(BUILD)/recv.ready -expect 100 2>$(BUILD)/receiver.err & pid=$$!; \
	for i in $$(seq 100); do [ -f $(BUILD)/recv.ready ] && break; sleep 0.05; done; \
	./$(BUILD)/socket_example unix $(BUILD)/recv.sock >$(BUILD)/socket_example.out 2>&1; rc=$$?; \
	for i in $$(seq 100); do kill -0 $$pid 2>/dev/null || break; sleep 0.05; done; \
	kill $$pid 2>/dev/null; wait $$pid; \
	cat $(BUILD)/socket_example.out; [ $$rc -eq 0 ]
	grep -q '^delivered 100 dropped 0 failed 0$$' $(BUILD)/socket_example.out
	grep -q '^TLS over unix: status -3: $$.tls: TLS needs the TCP transport, not the Unix socket "/tmp/x.sock"' $(BUILD)/socket_example.out
	test "$$(grep -c ' c.socket \[INFO\] from C ' $(BUILD)/socket_example.log)" -eq 100
	grep -q 'femtolog-receiver: 100 records' $(BUILD)/receiver.err
	./$(BUILD)/socket_example peer-gone 2>/dev/null | tee $(BUILD)/peer_gone.out
	grep -q '^peer-gone: survived, every record accounted$$' $(BUILD)/peer_gone.out
	@echo "C socket example: 2 passed, 0 failed"

# ---- Typing (issue 13) --------------------------------------------------------

.PHONY: typecheck

# mypy --strict on a sample application that uses the whole public API,
# against the installed package (its py.typed and stubs), not the sources.
typecheck: python
	cd python/tests/test_typing && ../../../$(PY) -m mypy --strict --no-incremental --cache-dir=/dev/null sample_app.py

# --- OTLP handler (issue 14) ----------------------------------------------

.PHONY: otelcol

# The OpenTelemetry Collector the OTLP tests run (test/otelcol: its own Go
# module, never linked into the library). Built once into build/ and
# rebuilt only when its sources change; the first build downloads and
# compiles the collector's modules: about 3 minutes on 2 cores.
otelcol: python
	@$(PY) python/tests/otlp_collector.py --build

# ---- Fork from C (issue 12) -------------------------------------------------

.PHONY: test-c-fork

$(BUILD)/fork_example: examples/fork_example.c include/femtolog.h lib
	cc $(CFLAGS) examples/fork_example.c -L$(BUILD) -lfemtolog -ldl -Wl,-rpath,'$$ORIGIN' -o $@

# Runs the C fork example: the child logs through a private copy of the
# library with its parent's configuration; every line exactly once (the
# parent's first record may still be queued at the fork: the parent
# writes it, whenever).
test-c-fork: $(BUILD)/fork_example
	rm -f $(BUILD)/fork_example.log
	./$(BUILD)/fork_example $(BUILD)/fork_example.log >$(BUILD)/fork_example.out
	grep -qx 'child exit 0' $(BUILD)/fork_example.out
	{ echo 'c.fork [INFO] parent before'; echo 'c.fork [INFO] parent after'; \
	  for i in 0 1 2 3 4 5 6 7 8 9; do echo "c.fork [INFO] child $$i"; done; } | sort >$(BUILD)/fork_example.want
	sort $(BUILD)/fork_example.log | cmp - $(BUILD)/fork_example.want
	@echo "C fork example: 1 passed, 0 failed"
