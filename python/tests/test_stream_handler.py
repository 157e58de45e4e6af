"""FemtoStreamHandler: output, flush, close, queue capacity, diagnostics.

The Go worker writes to descriptor 1 or 2 as it is at write time, not to
sys.stdout: capfd (fd-level capture) sees it, capsys does not. A test that
lets a record be written after its end (say, by releasing a gate without
flushing) would print it wherever fd 2 points then, so every test flushes
what it logged.
"""

import io
import os
import sys
import textwrap
import threading
import time

import pytest

from conftest import WAIT_S, wait_event, wait_until

import femtologging
from femtologging import (
    FemtoStreamHandler,
    StreamHandlerBuilder,
    get_logger,
)


def lines(text):
    return text.splitlines()


# ---- construction and output -------------------------------------------------


@pytest.mark.parametrize(
    "make, stream",
    [
        (FemtoStreamHandler.stderr, "err"),
        (FemtoStreamHandler.stdout, "out"),
        (FemtoStreamHandler, "err"),
        (lambda: StreamHandlerBuilder.stderr().build(), "err"),
        (lambda: StreamHandlerBuilder.stdout().build(), "out"),
        (lambda: StreamHandlerBuilder().build(), "err"),
    ],
    ids=["stderr", "stdout", "plain", "builder-stderr", "builder-stdout", "builder-plain"],
)
def test_stream_handler_writes_default_layout_to_its_stream(capfd, closing, make, stream):
    handler = closing(make())
    logger = get_logger("demo.app")
    logger.add_handler(handler)
    logger.log("INFO", "hello from femtologging")
    assert handler.flush() is True
    captured = capfd.readouterr()
    assert lines(getattr(captured, stream)) == ["demo.app [INFO] hello from femtologging"]
    other = captured.out if stream == "err" else captured.err
    assert "hello" not in other


@pytest.mark.parametrize(
    "level, shown",
    [("TRACE", "TRACE"), ("DEBUG", "DEBUG"), ("INFO", "INFO"), ("WARN", "WARN"),
     ("WARNING", "WARN"), ("warning", "WARN"), ("ERROR", "ERROR"), ("CRITICAL", "CRITICAL")],
)
def test_stream_handler_prints_canonical_level(capfd, closing, level, shown):
    handler = closing(FemtoStreamHandler.stderr())
    logger = get_logger("lv")
    logger.set_level("TRACE")
    logger.add_handler(handler)
    returned = logger.log(level, "m")
    assert handler.flush() is True
    assert lines(capfd.readouterr().err) == [f"lv [{shown}] m"]
    assert returned == f"lv [{shown}] m"  # what log() returns is what is written


def test_stream_handler_keeps_order_and_utf8(capfd, closing):
    handler = closing(FemtoStreamHandler.stdout())
    logger = get_logger("u")
    logger.add_handler(handler)
    messages = [f"{i} ✓ ünï" for i in range(200)]
    for m in messages:
        logger.log("INFO", m)
    assert handler.flush() is True
    assert lines(capfd.readouterr().out) == [f"u [INFO] {m}" for m in messages]


def test_stream_handler_on_parent_writes_child_records(capfd, closing):
    handler = closing(FemtoStreamHandler.stderr())
    get_logger("root").add_handler(handler)
    get_logger("svc.api").log("ERROR", "e")
    assert handler.flush() is True
    assert lines(capfd.readouterr().err) == ["svc.api [ERROR] e"]


def test_handle_writes_directly_bypassing_loggers(capfd, closing):
    handler = closing(FemtoStreamHandler.stdout())
    assert handler.handle("direct", "WARNING", "no logger involved") is None
    assert handler.flush() is True
    assert lines(capfd.readouterr().out) == ["direct [WARN] no logger involved"]


def test_handle_rejects_bad_arguments(closing):
    handler = closing(FemtoStreamHandler.stderr())
    with pytest.raises(ValueError) as info:
        handler.handle("x", "LOUD", "m")
    assert "'LOUD'" in str(info.value)
    with pytest.raises(TypeError):
        handler.handle("x", "INFO", 42)
    with pytest.raises(TypeError):
        handler.handle(None, "INFO", "m")


def test_stats_count_delivered_records(capfd, closing):
    handler = closing(FemtoStreamHandler.stderr())
    for i in range(10):
        handler.handle("s", "INFO", str(i))
    assert handler.flush() is True
    assert handler.get_stats() == {"delivered": 10, "dropped": 0, "failed": 0}


# ---- flush -------------------------------------------------------------------


def test_flush_with_nothing_queued_returns_true(closing):
    assert closing(FemtoStreamHandler.stderr()).flush() is True


def test_flush_waits_for_records_still_in_the_logger_queue(capfd, closing, gate):
    # A record sitting in the logger queue (its worker held by a Python
    # handler) is part of "everything queued": flush waits for it.
    handler = closing(StreamHandlerBuilder.stderr().with_flush_timeout_ms(5000).build())
    logger = get_logger("lq")
    logger.add_handler(gate)
    logger.add_handler(handler)
    logger.log("INFO", "held")
    wait_event(gate.entered)
    threading.Timer(0.2, gate.release).start()
    assert handler.flush() is True
    assert lines(capfd.readouterr().err) == ["lq [INFO] held"]


def test_flush_does_not_wait_for_loggers_that_do_not_feed_the_handler(capfd, closing, gate):
    # Logger "stuck" (held in a Python handler, a record queued behind it)
    # has nothing to do with this handler: flush() must not wait for it.
    stuck = get_logger("stuck")
    stuck.add_handler(gate)
    stuck.log("INFO", "park")
    wait_event(gate.entered)
    stuck.log("INFO", "queued behind the gate")
    # Waiting for "stuck" would run out the flush timeout: flush() is False.
    handler = closing(StreamHandlerBuilder.stderr().with_flush_timeout_ms(10_000).build())
    logger = get_logger("free")
    logger.add_handler(handler)
    logger.log("INFO", "m")
    assert handler.flush() is True
    assert lines(capfd.readouterr().err) == ["free [INFO] m"]


def test_flush_waits_for_child_created_after_handler_was_attached(capfd, closing, gate):
    # The child inherits the parent's handlers when it is created; its
    # queue is then part of what flush() waits for.
    handler = closing(StreamHandlerBuilder.stderr().with_flush_timeout_ms(5000).build())
    get_logger("p").add_handler(handler)
    child = get_logger("p.late")
    child.log("INFO", "first")
    get_logger("p.late").add_handler(gate)
    child.log("INFO", "held")
    wait_event(gate.entered)
    child.log("INFO", "behind")
    threading.Timer(0.2, gate.release).start()
    assert handler.flush() is True
    assert lines(capfd.readouterr().err) == ["p.late [INFO] first", "p.late [INFO] held", "p.late [INFO] behind"]


def test_flush_returns_false_when_worker_cannot_finish_in_time(capfd, closing, gate):
    handler = closing(StreamHandlerBuilder.stderr().with_formatter(gate).with_flush_timeout_ms(100).build())
    handler.handle("slow", "INFO", "m")
    wait_event(gate.entered)
    start = time.monotonic()
    assert handler.flush() is False
    elapsed = time.monotonic() - start
    # At least the timeout; the upper bound only catches a flush that
    # ignored it (a busy machine may be slow, never that slow).
    assert 0.09 <= elapsed < WAIT_S, elapsed
    gate.release()
    assert handler.flush() is True
    assert lines(capfd.readouterr().err) == ["slow [INFO] m"]


def test_flush_timeout_argument_overrides_default(capfd, closing, gate):
    # An argument longer than the 1 s default, checked as a lower bound
    # (a flush cannot give up early; an upper bound flakes under load).
    handler = closing(StreamHandlerBuilder.stderr().with_formatter(gate).build())
    handler.handle("slow", "INFO", "m")
    wait_event(gate.entered)
    start = time.monotonic()
    assert handler.flush(timeout_ms=1500) is False
    assert time.monotonic() - start >= 1.4  # the argument, not the 1 s default
    gate.release()
    assert handler.flush() is True
    assert lines(capfd.readouterr().err) == ["slow [INFO] m"]


def test_flush_returns_false_after_a_failed_record(capfd, closing):
    def picky(record):
        if record["message"] == "bad":
            raise ValueError("cannot format")
        return record["message"]

    handler = closing(StreamHandlerBuilder.stderr().with_formatter(picky).build())
    handler.handle("f", "INFO", "bad")
    handler.handle("f", "INFO", "good")
    assert handler.flush() is False  # something since the last flush failed
    assert handler.flush() is True  # and that was reported once
    err = capfd.readouterr().err
    assert "good" in lines(err)
    assert "ValueError: cannot format" in err
    assert handler.get_stats()["failed"] == 1


# ---- close -------------------------------------------------------------------


def test_close_writes_what_was_queued(capfd, gate):
    # The worker is held so that all records are still queued at close().
    handler = StreamHandlerBuilder.stdout().with_formatter(gate).build()
    for i in range(5):
        handler.handle("c", "INFO", str(i))
    wait_event(gate.entered)
    threading.Timer(0.1, gate.release).start()
    handler.close()
    assert lines(capfd.readouterr().out) == [f"c [INFO] {i}" for i in range(5)]


def test_close_writes_records_from_logger_queue(capfd):
    handler = FemtoStreamHandler.stderr()
    logger = get_logger("cq")
    logger.add_handler(handler)
    for i in range(100):
        logger.log("INFO", str(i))
    handler.close()
    assert lines(capfd.readouterr().err) == [f"cq [INFO] {i}" for i in range(100)]


def test_close_is_idempotent(capfd):
    handler = FemtoStreamHandler.stderr()
    handler.handle("i", "INFO", "once")
    handler.close()
    handler.close()
    assert lines(capfd.readouterr().err) == ["i [INFO] once"]


def test_context_manager_closes(capfd):
    with FemtoStreamHandler.stdout() as handler:
        handler.handle("ctx", "INFO", "m")
    assert lines(capfd.readouterr().out) == ["ctx [INFO] m"]
    with pytest.raises(RuntimeError):
        handler.flush()


@pytest.mark.parametrize("use", [
    lambda h: h.flush(),
    lambda h: h.handle("x", "INFO", "m"),
])
def test_use_after_close_raises_clear_error(use):
    handler = FemtoStreamHandler.stderr()
    handler.close()
    with pytest.raises(RuntimeError) as info:
        use(handler)
    assert isinstance(info.value, femtologging.HandlerClosedError)
    assert "closed" in str(info.value)


def test_add_closed_handler_raises_clear_error():
    handler = FemtoStreamHandler.stderr()
    handler.close()
    logger = get_logger("late.attach")
    with pytest.raises(femtologging.HandlerClosedError) as info:
        logger.add_handler(handler)
    assert "closed" in str(info.value)
    assert logger.handlers == []


def test_logging_to_closed_handler_counts_drops_and_does_not_raise(capfd):
    handler = FemtoStreamHandler.stderr()
    logger = get_logger("closed")
    logger.add_handler(handler)
    handler.close()
    assert logger.log("INFO", "lost") == "closed [INFO] lost"
    wait_until(lambda: handler.get_stats()["dropped"] == 1)
    assert "lost" not in capfd.readouterr().err


def test_close_of_stdout_handler_keeps_process_stdout_open(capfd):
    FemtoStreamHandler.stdout().close()
    # Closing a handler never closes the process's fd 1.
    handler = FemtoStreamHandler.stdout()
    handler.handle("fd", "INFO", "still open")
    handler.close()
    assert lines(capfd.readouterr().out) == ["fd [INFO] still open"]


# ---- queue capacity -----------------------------------------------------------


def test_full_handler_queue_raises_on_direct_handle(capfd, closing, gate):
    handler = closing(StreamHandlerBuilder.stderr().with_capacity(2).with_formatter(gate).build())
    handler.handle("cap", "INFO", "taken by the worker")
    wait_event(gate.entered)
    handler.handle("cap", "INFO", "queued 1")
    handler.handle("cap", "INFO", "queued 2")
    with pytest.raises(RuntimeError) as info:
        handler.handle("cap", "INFO", "no room")
    assert isinstance(info.value, femtologging.QueueFullError)
    assert handler.get_stats()["dropped"] == 1
    gate.release()
    assert handler.flush() is True
    assert "cap [INFO] queued 2" in capfd.readouterr().err


def test_full_handler_queue_drops_logger_records_silently(capfd, closing, gate):
    handler = closing(StreamHandlerBuilder.stderr().with_capacity(1).with_formatter(gate).build())
    logger = get_logger("cap")
    logger.add_handler(handler)
    logger.log("INFO", "taken by the worker")
    wait_event(gate.entered)
    logger.log("INFO", "queued")
    for _ in range(3):
        assert logger.log("INFO", "dropped") == "cap [INFO] dropped"
    wait_until(lambda: handler.get_stats()["dropped"] == 3)
    gate.release()
    assert handler.flush() is True
    assert handler.get_stats()["delivered"] == 2


# ---- diagnostics ----------------------------------------------------------------


def test_handler_drops_and_failures_are_reported_once_per_interval(run_python):
    # In a subprocess: the library's diagnostics go to the stderr the
    # process had when the library loaded, with a process-wide rate limit.
    code = """
        import threading, time
        from femtologging import QueueFullError, StreamHandlerBuilder, get_logger
        entered, release = threading.Event(), threading.Event()

        def slow(record):
            if record["message"] == "fail":
                raise ValueError("formatter refuses")
            entered.set()
            release.wait(20)
            return record["message"]

        handler = StreamHandlerBuilder.stdout().with_capacity(1).with_formatter(slow).build()
        handler.handle("h", "INFO", "taken by the worker")
        assert entered.wait(20)
        handler.handle("h", "INFO", "queued")
        refused = 0
        for _ in range(50):
            try:
                handler.handle("h", "INFO", "no room")
            except QueueFullError:
                refused += 1
        logger = get_logger("via.logger")
        logger.add_handler(handler)
        for _ in range(50):
            logger.log("INFO", "no room either")
        deadline = time.monotonic() + 20  # until the logger worker handed them over
        while handler.get_stats()["dropped"] < 100 and time.monotonic() < deadline:
            time.sleep(0.001)
        release.set()
        assert handler.flush()
        for _ in range(5):
            handler.handle("h", "INFO", "fail")
            handler.flush()  # capacity 1: one at a time
        print(refused, handler.get_stats(), flush=True)
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.splitlines() == [
        "taken by the worker", "queued", "50 {'delivered': 2, 'dropped': 100, 'failed': 5}"]
    full = [line for line in err.splitlines() if line.startswith("femtologging: stream stdout: queue full")]
    assert full == ["femtologging: stream stdout: queue full: record dropped (1 so far)"], err
    failures = [line for line in err.splitlines() if line.startswith("femtologging: stream stdout: error")]
    assert len(failures) == 1, err
    assert "formatter <function slow" in failures[0] and "ValueError: formatter refuses" in failures[0], failures
    summary = [line for line in err.splitlines() if line.startswith("femtologging: stream stdout: in all: ")]
    assert len(summary) == 1, err
    assert summary[0].startswith("femtologging: stream stdout: in all: 100 dropped (queue full), 5 failed "
                                 "(error: formatter failed: formatter <function slow"), summary
    assert summary[0].endswith(": ValueError: formatter refuses)"), summary
    assert err.count("\nValueError: formatter refuses\n") == 5  # each traceback is printed


# ---- following descriptor 1/2 as it is at write time -------------------------


class _Redirect:
    """os.dup2 a file onto fd for the duration, as capfd or a daemon does."""

    def __init__(self, fd, path):
        self.fd, self.path = fd, path

    def __enter__(self):
        self.saved = os.dup(self.fd)
        target = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.dup2(target, self.fd)
        finally:
            os.close(target)
        return self

    def __exit__(self, *exc):
        os.dup2(self.saved, self.fd)
        os.close(self.saved)


def _flush_all(*names):
    for name in names:
        for handler in get_logger(name).handlers:
            assert handler.flush()


def _direct(target):
    handler = getattr(FemtoStreamHandler, target)()

    def emit():
        handler.handle("app", "INFO", "redirected")
        assert handler.flush()
    return emit, handler.close


def _via_config(configure):
    def make(target):
        configure(target)

        def emit():
            get_logger("app").log("INFO", "redirected")
            _flush_all("root")
        return emit, lambda: None
    return make


def _basic(target):
    femtologging.basicConfig(level="INFO", stream=getattr(sys, target), force=True)


def _dict(target):
    femtologging.dictConfig({
        "version": 1,
        "handlers": {"h": {"class": "logging.StreamHandler", "args": f"(sys.{target},)"}},
        "root": {"level": "INFO", "handlers": ["h"]},
    })


def _ini(target):
    femtologging.fileConfig(io.StringIO(textwrap.dedent(f"""
        [loggers]
        keys = root
        [handlers]
        keys = h
        [formatters]
        keys =
        [logger_root]
        level = INFO
        handlers = h
        [handler_h]
        class = StreamHandler
        args = (sys.{target},)
        """)))


@pytest.mark.parametrize("make", [_direct, _via_config(_basic), _via_config(_dict), _via_config(_ini)],
                         ids=["handler", "basicConfig", "dictConfig", "fileConfig"])
@pytest.mark.parametrize("target, fd", [("stdout", 1), ("stderr", 2)])
def test_stream_handler_follows_dup2_made_after_it_was_built(tmp_path, make, target, fd):
    emit, close = make(target)  # built while fd is pytest's capture file
    try:
        with _Redirect(fd, tmp_path / "redirected"):
            emit()
    finally:
        close()
        femtologging.logger.reset_manager()
    assert (tmp_path / "redirected").read_text() == "app [INFO] redirected\n"


@pytest.fixture
def early_stderr_handler():
    """A handler built before capfd starts (fixtures run in argument order)."""
    handler = FemtoStreamHandler.stderr()
    yield handler
    handler.close()


def test_stream_handler_built_before_capfd_is_seen_by_capfd(early_stderr_handler, capfd):
    handler = early_stderr_handler
    with _Redirect(2, os.devnull):
        handler.handle("app", "INFO", "to devnull")
        assert handler.flush()
    handler.handle("app", "INFO", "captured")
    assert handler.flush()
    assert capfd.readouterr().err == "app [INFO] captured\n"


def test_stream_handler_output_is_not_seen_by_capsys(capsys):
    handler = FemtoStreamHandler.stdout()
    try:
        handler.handle("app", "INFO", "below sys.stdout")
        assert handler.flush()
        assert capsys.readouterr().out == ""  # written at descriptor level
    finally:
        handler.close()
