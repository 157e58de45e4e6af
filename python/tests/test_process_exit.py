"""What happens at interpreter exit, each checked in a fresh interpreter:
the exit hook writes everything queued, runs callables while Python is
still alive, is bounded, and afterwards never calls into Python."""

import subprocess
import sys
import textwrap
import time

import pytest


ACCOUNTING = """
    import atexit, os, sys
    report = {}

    # Registered before the library loads, so it runs after femtologging's
    # own exit hook (atexit is last-in, first-out): it sees the final counts.
    @atexit.register
    def account():
        stats = report["handler"].get_stats()
        sys.stderr.write("ACCOUNT %d %d %d %d\\n" % (
            report["logger"].get_dropped(), stats["delivered"], stats["dropped"], stats["failed"]))
"""


def run_bulk(tmp_path, n, handler=None):
    """Log n records and exit without closing.

    handler is the Python expression that makes the handler, writing to
    the file `out` names; the default is a stdout stream handler (drop
    policy) with stdout sent to that file. Returns (lines written, logger
    dropped, handler delivered, handler dropped, handler failed), the
    counts read after the exit hook ran.
    """
    out_path = tmp_path / "out.log"
    if handler is None:
        handler = "FemtoStreamHandler.stdout()"
        stdout_path = out_path
    else:
        stdout_path = tmp_path / "stdout.log"
    code = ACCOUNTING + f"""
    from femtologging import FemtoFileHandler, FemtoStreamHandler, get_logger
    out = {str(out_path)!r}
    logger = get_logger("bulk")
    handler = {handler}
    logger.add_handler(handler)
    report.update(logger=logger, handler=handler)
    for i in range({n}):
        logger.log("INFO", "record %d" % i)
    # no flush(), no close(): the exit hook must write everything
    """
    script = tmp_path / "bulk.py"
    script.write_text(textwrap.dedent(code))
    with open(stdout_path, "wb") as stdout:  # a file: no reader to keep up with
        proc = subprocess.run(
            [sys.executable, str(script)], stdout=stdout, stderr=subprocess.PIPE, timeout=60
        )
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    written = out_path.read_bytes().decode().splitlines()
    (account,) = [line for line in err.splitlines() if line.startswith("ACCOUNT ")]
    return (written, *map(int, account.split()[1:]))


@pytest.mark.slow
def test_exit_without_close_accounts_for_every_record(tmp_path):
    n = 100_000
    written, logger_dropped, delivered, handler_dropped, failed = run_bulk(tmp_path, n)
    assert delivered == len(written)
    assert len(written) + logger_dropped + handler_dropped + failed == n
    # What was written is in order and intact: drops leave gaps, nothing else.
    numbers = [int(line.rsplit(" ", 1)[1]) for line in written]
    assert numbers == sorted(set(numbers))
    assert all(line == f"bulk [INFO] record {i}" for line, i in zip(written, numbers))


@pytest.mark.slow
def test_exit_without_close_loses_none_of_100000_records(tmp_path):
    # Issue 2, point 7: "a program that logs 100,000 records and exits
    # without closing loses none". That is a guarantee of the block policy
    # only: under "drop" a record may be dropped (and counted, see the test
    # above) whenever the worker is not scheduled within the 5 ms grace,
    # which a busy machine does not promise. With "block" the producer waits
    # for room, so losing any record here is a bug in the exit hook.
    n = 100_000
    written, logger_dropped, delivered, handler_dropped, failed = run_bulk(
        tmp_path, n, handler="FemtoFileHandler(out, policy='block')")
    assert (logger_dropped, handler_dropped, failed) == (0, 0, 0)
    assert delivered == n
    assert written == [f"bulk [INFO] record {i}" for i in range(n)]


def test_exit_runs_formatter_callables_for_queued_records(run_python):
    code = """
        from femtologging import StreamHandlerBuilder, get_logger
        handler = StreamHandlerBuilder.stdout().with_formatter(
            lambda r: "F:" + r["message"]).build()
        logger = get_logger("exit.fmt")
        logger.add_handler(handler)
        for i in range(50):
            logger.log("INFO", str(i))
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.splitlines() == [f"F:{i}" for i in range(50)]


def test_exit_delivers_to_python_handlers(run_python):
    code = """
        import sys
        from femtologging import get_logger

        class Echo:
            def handle(self, logger, level, message):
                sys.stdout.write(message + "\\n")

        logger = get_logger("exit.py")
        logger.add_handler(Echo())
        for i in range(300):
            logger.log("INFO", str(i))
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.splitlines() == [str(i) for i in range(300)]


def test_exit_with_stuck_handler_is_bounded(run_python):
    # A formatter that never returns must not hang the exit forever: the
    # hook gives up at its deadline.
    code = """
        import threading
        import femtologging._native as native
        native.EXIT_TIMEOUT_MS = 500
        from femtologging import StreamHandlerBuilder
        stuck = threading.Event()
        handler = StreamHandlerBuilder.stdout().with_formatter(
            lambda r: stuck.wait(60) and "never").build()
        handler.handle("stuck", "INFO", "m")
    """
    start = time.monotonic()
    rc, out, err = run_python(code, timeout=30)
    assert time.monotonic() - start < 20
    assert "femtologging: at exit" in err


def test_exit_while_daemon_threads_keep_logging_is_clean(run_python):
    # Daemon threads still log while the interpreter shuts down: the exit
    # hook stops callbacks into Python before Python goes away, so late
    # records are dropped and counted, never delivered into a dying
    # interpreter.
    code = """
        import threading
        from femtologging import StreamHandlerBuilder, get_logger
        logger = get_logger("daemon")
        logger.add_handler(type("H", (), {"handle": lambda self, *a: None})())
        logger.add_handler(StreamHandlerBuilder.stdout().with_formatter(lambda r: r["message"]).build())
        started = threading.Event()

        def spam():
            i = 0
            while True:
                logger.log("INFO", "m%d" % i)
                i += 1
                if i == 1000:
                    started.set()

        for _ in range(3):
            threading.Thread(target=spam, daemon=True).start()
        assert started.wait(20)
    """
    for _ in range(3):
        rc, out, err = run_python(code)
        assert rc == 0, err[-2000:]
        assert "Fatal Python error" not in err and "panic" not in err


def test_logging_after_the_exit_hook_is_dropped_not_delivered(run_python):
    code = """
        import atexit
        from femtologging import get_logger

        # Registered before the library loads: runs after its exit hook.
        @atexit.register
        def late():
            print("late log returns", logger.log("INFO", "late"))
            print("late dropped", logger.get_dropped())

        class Echo:
            def handle(self, logger, level, message):
                print("delivered", message, flush=True)

        logger = get_logger("late")
        logger.add_handler(Echo())
        logger.log("INFO", "early")
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.splitlines() == ["delivered early", "late log returns late [INFO] late", "late dropped 1"]


def test_calls_after_shutdown_fail_cleanly(run_python):
    code = """
        import json
        from femtologging import _native, get_logger
        ffi, lib = _native.library()
        logger = get_logger("late")
        class Sink:
            def handle(self, *a):
                print("delivered after shutdown", flush=True)
        logger.add_handler(Sink())
        print("shutdown", lib.femtolog_shutdown(1000) == lib.FEMTOLOG_OK)
        print("again", lib.femtolog_shutdown(1000) == lib.FEMTOLOG_OK)
        out = ffi.new("uint64_t *")
        spec = json.dumps({"kind": "stream"}).encode()
        rc = lib.femtolog_handler_create(out, spec, len(spec))
        print("create", rc == lib.FEMTOLOG_ERR_CLOSED, ffi.string(lib.femtolog_last_error()).decode())
        print("log", logger.log("INFO", "late") == "late [INFO] late", logger.get_dropped())
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "shutdown True"
    assert lines[1] == "again True"
    assert lines[2].startswith("create True library shut down")
    assert lines[3] == "log True 1"
    assert "delivered after shutdown" not in out
