"""SIGTERM does not lose what was logged (issue 9, item 6).

Every test runs a child process: it logs, says "ready" on stdout, then
blocks reading stdin until the signal this test sends. Records logged
before the signal must reach the file, and the child must die by that same
signal (returncode -N), unless the application installed its own handler,
which must then be the one called.
"""

import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest
from conftest import default_signals

import femtologging

#: Bound on how long a child may take to start, log and die.
CHILD_TIMEOUT_S = 60

PRELUDE = textwrap.dedent(
    """
    import os, signal, sys, threading
    from femtologging import FemtoFileHandler, get_logger

    def log_records(path, n=1000, **options):
        handler = FemtoFileHandler(path, **options)
        logger = get_logger("sig")
        logger.add_handler(handler)
        for i in range(n):
            logger.log("INFO", f"record {i}")
        return handler

    def ready():
        print("ready", flush=True)

    def block():
        sys.stdin.read()  # until the parent closes stdin (or a signal ends us)
    """
)


def _start(body, *args):
    return subprocess.Popen(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(body), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_signals,
    )


def _signal_when_ready(proc, sig):
    """Wait for "ready", send sig, wait for the end; return (returncode, stdout, stderr)."""
    try:
        line = proc.stdout.readline()
        assert line == "ready\n", (line, proc.stderr.read() if proc.poll() is not None else "")
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=CHILD_TIMEOUT_S)
        return proc.returncode, out, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _assert_dies_by_signal_with_every_record(proc, sig, path):
    """Signal proc once ready: it must die by sig itself (the default
    action, after the flush) with every record logged before it in path."""
    rc, _, err = _signal_when_ready(proc, sig)
    assert rc == -sig, err
    assert _lines(path) == _expected()


def _lines(path):
    return path.read_text().splitlines() if path.exists() else []


def _expected(n=1000):
    return [f"sig [INFO] record {i}" for i in range(n)]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("flush_interval", [1, 1_000_000], ids=["default", "buffered"])
def test_records_logged_before_the_signal_are_written(tmp_path, sig, flush_interval):
    path = tmp_path / "out.log"
    proc = _start(
        """
        log_records(sys.argv[1], flush_interval=int(sys.argv[2]))
        ready()
        block()
        """,
        path,
        flush_interval,
    )
    _assert_dies_by_signal_with_every_record(proc, sig, path)


def test_sigint_under_python_default_handler_raises_keyboard_interrupt(tmp_path):
    path = tmp_path / "out.log"
    proc = _start(
        """
        log_records(sys.argv[1], flush_interval=1_000_000)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        try:
            ready()   # the signal may come as soon as this line is out
            block()
        except KeyboardInterrupt:
            print("KeyboardInterrupt", flush=True)
            raise
        """,
        path,
    )
    rc, out, err = _signal_when_ready(proc, signal.SIGINT)
    assert "KeyboardInterrupt" in out, (rc, err)
    # An uncaught KeyboardInterrupt: Python runs the exit hooks (our flush),
    # then dies by SIGINT itself.
    assert rc == -signal.SIGINT, err
    assert _lines(path) == _expected()


def test_sigint_at_its_default_action_flushes_then_dies_by_sigint(tmp_path):
    path = tmp_path / "out.log"
    proc = _start(
        """
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # before the library loads
        log_records(sys.argv[1], flush_interval=1_000_000)
        ready()
        block()
        """,
        path,
    )
    _assert_dies_by_signal_with_every_record(proc, signal.SIGINT, path)


@pytest.mark.parametrize("when", ["before", "after"])
def test_application_handler_is_called(tmp_path, when):
    path = tmp_path / "out.log"
    proc = _start(
        """
        def on_term(signum, frame):
            print("app handler", signum, flush=True)
            sys.exit(3)

        if sys.argv[2] == "before":
            signal.signal(signal.SIGTERM, on_term)
        log_records(sys.argv[1], flush_interval=1_000_000)   # loads the library
        if sys.argv[2] == "after":
            signal.signal(signal.SIGTERM, on_term)
        ready()
        block()
        """,
        path,
        when,
    )
    rc, out, err = _signal_when_ready(proc, signal.SIGTERM)
    assert f"app handler {int(signal.SIGTERM)}" in out, err
    assert rc == 3, err
    assert _lines(path) == _expected()  # sys.exit ran the exit hook


def test_signal_while_other_threads_log_heavily(tmp_path):
    marked, noise = tmp_path / "marked.log", tmp_path / "noise.log"
    proc = _start(
        """
        log_records(sys.argv[1], flush_interval=1_000_000)
        noise = FemtoFileHandler(sys.argv[2], policy="block", flush_interval=1_000_000)
        started = threading.Barrier(5)

        def spam(t):
            logger = get_logger(f"noise.t{t}")
            logger.add_handler(noise)
            started.wait()
            i = 0
            while True:
                logger.log("INFO", f"{t} {i}")
                i += 1

        for t in range(4):
            threading.Thread(target=spam, args=(t,), daemon=True).start()
        started.wait()
        ready()
        block()
        """,
        marked,
        noise,
    )
    _assert_dies_by_signal_with_every_record(proc, signal.SIGTERM, marked)
    # The noise file holds whole records, and for every thread a gapless
    # prefix of what it logged (block policy: nothing was dropped).
    text = noise.read_text()
    assert text == "" or text.endswith("\n")
    seen = {}
    for line in text.splitlines():
        name, _, rest = line.partition(" [INFO] ")
        thread, number = rest.split()
        assert name == f"noise.t{thread}"
        assert int(number) == seen.get(thread, -1) + 1, line
        seen[thread] = int(number)


def test_a_stuck_handler_does_not_keep_the_process_alive(tmp_path):
    path = tmp_path / "out.log"
    proc = _start(
        """
        stuck = threading.Event()

        class Stuck:
            def handle(self, logger, level, message):
                stuck.wait()   # never set: the flush can only time out

        get_logger("stuck").add_handler(Stuck())
        get_logger("stuck").log("INFO", "never written")
        log_records(sys.argv[1], flush_interval=1_000_000)
        ready()
        block()
        """,
        path,
    )
    _assert_dies_by_signal_with_every_record(proc, signal.SIGTERM, path)


def test_forked_child_dies_by_the_signal_at_once(tmp_path):
    proc = _start(
        """
        log_records(sys.argv[1], n=10)
        read_end, write_end = os.pipe()
        never_read, never_written = os.pipe()
        pid = os.fork()
        if pid == 0:
            # No flush goroutine exists here: the handler must act as the
            # default action would, at once.
            os.close(read_end)
            os.write(write_end, b"x")
            os.read(never_read, 1)   # blocks until the signal
            os._exit(0)
        os.close(write_end)
        os.read(read_end, 1)
        os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
        print("child signal", os.WTERMSIG(status) if os.WIFSIGNALED(status) else None, flush=True)
        ready()
        block()
        """,
        tmp_path / "out.log",
    )
    line = proc.stdout.readline()
    rc, out, err = _signal_when_ready(proc, signal.SIGTERM)
    assert line == f"child signal {int(signal.SIGTERM)}\n", err
    assert rc == -signal.SIGTERM


def _sig_caught(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("SigCgt:"):
                return int(line.split()[1], 16)
    raise AssertionError("no SigCgt line")


def test_handlers_installed_only_where_default_and_removable(tmp_path):
    proc = _start(
        """
        signal.signal(signal.SIGHUP, signal.SIG_IGN)   # ignored: stays ignored
        log_records(sys.argv[1], n=1)
        print("loaded", flush=True)
        sys.stdin.readline()
        femtologging_set = __import__("femtologging").set_signal_flush_timeout
        femtologging_set(0)
        ready()
        block()
        """,
        tmp_path / "out.log",
    )
    bit = lambda sig: 1 << (int(sig) - 1)  # noqa: E731
    try:
        assert proc.stdout.readline() == "loaded\n"
        caught = _sig_caught(proc.pid)
        assert caught & bit(signal.SIGTERM)
        assert not caught & bit(signal.SIGHUP)
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == "ready\n"
        assert not _sig_caught(proc.pid) & bit(signal.SIGTERM)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=CHILD_TIMEOUT_S)
        assert proc.returncode == -signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_set_signal_flush_timeout_rejects_bad_values():
    with pytest.raises(ValueError, match="-1"):
        femtologging.set_signal_flush_timeout(-1)
    with pytest.raises(ValueError, match="10000000000"):
        femtologging.set_signal_flush_timeout(10_000_000_000)
    with pytest.raises(ValueError, match="3600001"):
        femtologging.set_signal_flush_timeout(3_600_001)  # the library's bound: an hour
    with pytest.raises(ValueError, match=str(2**70)):
        femtologging.set_signal_flush_timeout(2**70)
    with pytest.raises(TypeError):
        femtologging.set_signal_flush_timeout("1000")
    femtologging.set_signal_flush_timeout(3_600_000)
    femtologging.set_signal_flush_timeout(1000)


# ---- C programs -------------------------------------------------------------

C_PROGRAM = r"""
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "femtolog.h"

static volatile sig_atomic_t handled;
static void on_term(int sig) { handled = sig; }

static void install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
}

#define SYM(name) typeof(&name) p_##name = (typeof(&name))dlsym(lib, #name)

int main(int argc, char **argv) {
    const char *mode = argv[1], *path = argv[3];
    if (strcmp(mode, "before") == 0) install();
    void *lib = dlopen(argv[2], RTLD_NOW);
    if (lib == NULL) { fprintf(stderr, "%s\n", dlerror()); return 10; }
    SYM(femtolog_version); SYM(femtolog_logger_get); SYM(femtolog_handler_create);
    SYM(femtolog_logger_add_handler); SYM(femtolog_logger_log); SYM(femtolog_shutdown);
    p_femtolog_version(); /* waits for the Go runtime to finish loading */
    if (strcmp(mode, "after") == 0) install();
    uint64_t logger, handler;
    char spec[4096];
    snprintf(spec, sizeof spec,
             "{\"kind\": \"file\", \"path\": \"%s\", \"flush_interval\": 1000000}", path);
    if (p_femtolog_logger_get(&logger, "sig", 3) != 0 ||
        p_femtolog_handler_create(&handler, spec, strlen(spec)) != 0 ||
        p_femtolog_logger_add_handler(logger, handler) != 0) return 11;
    char msg[64];
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(msg, sizeof msg, "record %d", i);
        p_femtolog_logger_log(logger, FEMTOLOG_LEVEL_INFO, msg, (size_t)n, 0);
    }
    raise(SIGTERM);
    /* Only an application handler lets us get here; wait for it, bounded. */
    for (int i = 0; i < 5000 && !handled; i++) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    printf("handled %d\n", (int)handled);
    p_femtolog_shutdown(5000);
    return 0;
}
"""


@pytest.fixture(scope="module")
def c_program(tmp_path_factory):
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler")
    include = os.path.join(os.path.dirname(__file__), "..", "..", "include")
    directory = tmp_path_factory.mktemp("csig")
    source, program = directory / "sig.c", directory / "sig"
    source.write_text(C_PROGRAM)
    subprocess.run(
        [compiler, "-O1", "-Wall", "-I", include, str(source), "-o", str(program), "-ldl"],
        check=True, timeout=CHILD_TIMEOUT_S,
    )
    return str(program)


@pytest.mark.parametrize("mode", ["default", "before", "after"])
def test_c_program(tmp_path, c_program, mode):
    from femtologging import _native

    path = tmp_path / "out.log"
    proc = subprocess.run([c_program, mode, _native.LIBRARY_PATH, str(path)],
                          capture_output=True, text=True, timeout=CHILD_TIMEOUT_S,
                          preexec_fn=default_signals)
    if mode == "default":
        # What a C program gets: what it logged is written, then it dies by
        # the signal as it would have.
        assert proc.returncode == -signal.SIGTERM, proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == f"handled {int(signal.SIGTERM)}\n"
    assert _lines(path) == _expected()
