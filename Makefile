# femtologging: `make demo` runs it, `make test` tests it, `make bench`
# measures it. Each target installs what it needs on a bare machine.

export PATH := /usr/local/go/bin:$(PATH)
export GOFLAGS := -buildvcs=false

VENV := .venv
PY := $(VENV)/bin/python
BUILD := build
LIB := $(BUILD)/libfemtolog.so
CFLAGS := -O2 -Wall -Wextra -Werror -Iinclude

.PHONY: all bootstrap lib install demo test test-go test-python test-c fuzz bench clean

all: install

bootstrap:
	@./scripts/bootstrap.sh

# The shared library on its own, for C programs.
lib:
	go build -buildmode=c-shared -trimpath -o $(LIB) ./capi

# The Python package, built from source and installed offline into the venv.
install: bootstrap
	$(PY) -m pip install --quiet --no-build-isolation --no-index --no-deps --force-reinstall .

demo: install lib $(BUILD)/quickstart
	$(PY) examples/demo.py
	@echo "--- the same Quick start, from C:"
	./$(BUILD)/quickstart

test: install test-go test-python test-c fuzz test-c-config test-c-file test-c-socket
	@echo "make test: all suites passed"

test-go:
	go vet ./...
	go test -race -count=1 ./...

test-python: install
	cd python/tests && ../../$(PY) -m pytest -q -p no:cacheprovider .

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
	go test ./core/config -run '^$$' -fuzz '^FuzzBuildHandlerSpec$$' -fuzztime $(FUZZ_TIME)
	go test ./core/sink -run '^$$' -fuzz '^FuzzReadFrame$$' -fuzztime $(FUZZ_TIME)

bench: install $(BUILD)/bench_c
	@./scripts/bootstrap.sh --bench
	$(PY) bench/bench.py
	@echo "\n=== bench_c.c"
	./$(BUILD)/bench_c >/dev/null

$(BUILD)/bench_c: bench/bench_c.c include/femtolog.h lib
	cc $(CFLAGS) bench/bench_c.c -L$(BUILD) -lfemtolog -Wl,-rpath,'$$ORIGIN' -o $@

clean:
	rm -rf $(BUILD) dist *.egg-info python/*.egg-info python/femtologging/*.so python/femtologging/_femtolog_cffi.*

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
