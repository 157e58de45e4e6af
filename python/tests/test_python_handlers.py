"""Python objects as handlers: handle vs handle_record, the stability
contract, worker threads, exceptions, the record mapping, removal, and the
deadlock guard on flush()/close() from inside a handler."""

import threading
import time

import pytest

from conftest import WAIT_S, Collector, logger_with, wait_until

from femtologging import StreamHandlerBuilder, get_logger

RECORD_KEYS = {"logger", "level", "levelno", "message", "timestamp", "thread_id", "thread_name"}


# ---- capability --------------------------------------------------------------


def test_handle_receives_logger_level_message(collector):
    logger = logger_with("py.h", collector)
    logger.log("WARNING", "careful")
    assert collector.wait_for(1) == [("py.h", "WARN", "careful")]


def test_handle_record_receives_mapping(record_collector):
    logger = logger_with("py.h", record_collector)
    logger.log("ERROR", "bad")
    (record,) = record_collector.wait_for(1)
    assert RECORD_KEYS <= set(record)
    assert (record["logger"], record["level"], record["levelno"], record["message"]) == (
        "py.h", "ERROR", 40, "bad")


def test_handle_record_wins_over_handle():
    calls = []

    class Both:
        def handle(self, logger, level, message):
            calls.append("handle")

        def handle_record(self, record):
            calls.append("handle_record")

    logger = logger_with("py.h", Both())
    logger.log("INFO", "m")
    wait_until(lambda: calls)
    assert calls == ["handle_record"]


def test_non_callable_handle_record_falls_back_to_handle(collector):
    collector.handle_record = "not callable"
    logger = logger_with("py.h", collector)
    logger.log("INFO", "m")
    assert collector.wait_for(1) == [("py.h", "INFO", "m")]


def test_handle_record_added_after_add_handler_is_ignored(collector):
    logger = logger_with("py.h", collector)
    late = []
    collector.handle_record = late.append  # the stability contract: no effect
    logger.log("INFO", "m")
    assert collector.wait_for(1) == [("py.h", "INFO", "m")]
    assert late == []


def test_handle_record_removed_after_add_handler_is_still_used():
    seen = []

    class Removable:
        def __init__(self):
            self.handle_record = seen.append

        def handle(self, logger, level, message):
            seen.append(("handle", message))

    handler = Removable()
    logger = logger_with("py.h", handler)
    del handler.handle_record
    logger.log("INFO", "m")
    wait_until(lambda: seen)
    assert isinstance(seen[0], dict) and seen[0]["message"] == "m"


def test_handler_may_be_a_module_like_object_with_handle_function(collector):
    import types

    handler = types.SimpleNamespace(handle=collector.handle)
    logger = logger_with("py.h", handler)
    logger.log("INFO", "m")
    assert collector.wait_for(1) == [("py.h", "INFO", "m")]


class NoMethods:
    pass


class NonCallableHandle:
    handle = 42


@pytest.mark.parametrize("bad", [object(), NoMethods(), NonCallableHandle(), "handler", None, print])
def test_add_handler_without_capability_raises_type_error(bad):
    logger = get_logger("py.h")
    with pytest.raises(TypeError) as info:
        logger.add_handler(bad)
    assert repr(bad) in str(info.value)
    assert "handle" in str(info.value)
    assert logger.handlers == []


# ---- threads -----------------------------------------------------------------


def test_handler_runs_on_a_worker_thread_not_the_callers(collector):
    logger = logger_with("py.h", collector)
    logger.log("INFO", "m")
    collector.wait_for(1)
    assert collector.threads[0] != threading.get_ident()


def test_log_returns_while_handler_is_still_running(gate):
    # The caller never waits for a Python handler: logging while the
    # handler is blocked returns at once.
    logger = logger_with("py.h", gate)
    logger.log("INFO", "first")
    assert gate.entered.wait(WAIT_S)
    # log() in a thread, waited for with a bound: a log() that waited for
    # the blocked handler would never return (the gate opens only at the
    # end of the test). No timing assertion: a busy machine may be slow.
    result = []
    caller = threading.Thread(target=lambda: result.append(logger.log("INFO", "second")))
    caller.start()
    caller.join(WAIT_S)
    assert not caller.is_alive(), "log() waited for the blocked handler"
    assert result == ["py.h [INFO] second"]
    assert not gate.released.is_set()


# ---- exceptions --------------------------------------------------------------


class Exploding:
    def __init__(self):
        self.calls = 0

    def handle(self, logger, level, message):
        self.calls += 1
        if message == "boom":
            raise ValueError(f"handler failed on {message!r}")


def test_handler_exception_is_printed_with_traceback_and_counted(capsys):
    handler = Exploding()
    logger = logger_with("py.h", handler)
    assert logger.get_handler_errors() == 0
    logger.log("INFO", "boom")
    wait_until(lambda: logger.get_handler_errors() == 1)
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "ValueError: handler failed on 'boom'" in err
    assert "in handle" in err  # the frame that raised


def test_worker_goes_on_after_handler_exception(collector):
    logger = get_logger("py.h")
    exploding = Exploding()
    logger.add_handler(exploding)
    logger.add_handler(collector)
    for message in ("ok1", "boom", "ok2", "boom", "ok3"):
        logger.log("INFO", message)
    # The failing handler does not stop later handlers or later records.
    assert [m for _, _, m in collector.wait_for(5)] == ["ok1", "boom", "ok2", "boom", "ok3"]
    assert exploding.calls == 5
    assert logger.get_handler_errors() == 2


def test_base_exception_in_handler_does_not_escape():
    class Exiting:
        def handle(self, logger, level, message):
            raise SystemExit(3)

    logger = logger_with("py.h", Exiting())
    witness = Collector()
    logger.add_handler(witness)
    logger.log("INFO", "m")
    witness.wait_for(1)
    assert logger.get_handler_errors() == 1


def test_handle_record_exception_is_counted():
    class Bad:
        def handle_record(self, record):
            raise KeyError(record["message"])

    logger = logger_with("py.h", Bad())
    logger.log("INFO", "m")
    wait_until(lambda: logger.get_handler_errors() == 1)


# ---- the record mapping ------------------------------------------------------


def test_record_mapping_values(record_collector):
    logger = get_logger("map.me")
    logger.set_level("TRACE")
    logger.add_handler(record_collector)
    caller = {}

    def log_from_named_thread():
        caller["ident"] = threading.get_ident()
        logger.log("warning", "payload")

    before = time.time()
    thread = threading.Thread(target=log_from_named_thread, name="producer-7")
    thread.start()
    thread.join(WAIT_S)
    after = time.time()
    (record,) = record_collector.wait_for(1)
    assert record["logger"] == "map.me"
    assert record["level"] == "WARN"
    assert record["levelno"] == 30
    assert record["message"] == "payload"
    assert isinstance(record["timestamp"], float)
    assert before - 0.5 <= record["timestamp"] <= after + 0.5
    assert record["thread_id"] == caller["ident"]
    assert record["thread_name"] == "producer-7"


@pytest.mark.parametrize("level, levelno", [("TRACE", 5), ("DEBUG", 10), ("INFO", 20), ("WARN", 30), ("ERROR", 40), ("CRITICAL", 50)])
def test_record_mapping_levelno(record_collector, level, levelno):
    logger = get_logger("map.me")
    logger.set_level("TRACE")
    logger.add_handler(record_collector)
    logger.log(level, "m")
    (record,) = record_collector.wait_for(1)
    assert (record["level"], record["levelno"]) == (level, levelno)


def test_record_timestamps_do_not_go_backwards(record_collector):
    logger = logger_with("map.me", record_collector)
    for i in range(50):
        logger.log("INFO", str(i))
    stamps = [r["timestamp"] for r in record_collector.wait_for(50)]
    assert stamps == sorted(stamps)


def test_record_thread_name_is_main_thread_for_main(record_collector):
    logger = logger_with("map.me", record_collector)
    logger.log("INFO", "m")
    (record,) = record_collector.wait_for(1)
    assert record["thread_name"] == threading.current_thread().name
    assert record["thread_id"] == threading.get_ident()


# ---- remove_handler and clear_handlers ---------------------------------------


def test_remove_handler_reports_whether_it_was_attached(collector):
    logger = logger_with("py.h", collector)
    assert logger.handlers == [collector]
    assert logger.remove_handler(collector) is True
    assert logger.remove_handler(collector) is False
    assert logger.remove_handler(Collector()) is False
    assert logger.handlers == []


def test_remove_handler_affects_only_later_records(gate, collector):
    logger = logger_with("py.h", gate)
    logger.add_handler(collector)
    witness = Collector()
    logger.add_handler(witness)
    logger.log("INFO", "queued-1")  # parks the worker in the gate
    assert gate.entered.wait(WAIT_S)
    logger.log("INFO", "queued-2")
    logger.remove_handler(collector)
    logger.log("INFO", "after-removal")
    gate.release()
    witness.wait_for(3)
    assert [m for _, _, m in collector.records] == ["queued-1", "queued-2"]


def test_clear_handlers_affects_only_later_records(gate, collector):
    logger = logger_with("py.h", gate)
    logger.add_handler(collector)
    logger.log("INFO", "queued-1")
    assert gate.entered.wait(WAIT_S)
    logger.log("INFO", "queued-2")
    logger.clear_handlers()
    assert logger.handlers == []
    witness = Collector()
    logger.add_handler(witness)
    logger.log("INFO", "after-clear")
    gate.release()
    assert witness.wait_for(1) == [("py.h", "INFO", "after-clear")]
    assert [m for _, _, m in collector.records] == ["queued-1", "queued-2"]


def test_same_handler_on_two_loggers_sees_both(collector):
    get_logger("one").add_handler(collector)
    get_logger("two").add_handler(collector)
    get_logger("one").log("INFO", "a")
    get_logger("two").log("INFO", "b")
    assert sorted(collector.wait_for(2)) == [("one", "INFO", "a"), ("two", "INFO", "b")]


# ---- flush()/close() from inside a handler -----------------------------------


@pytest.mark.parametrize("operation", ["flush", "close"])
def test_flush_or_close_from_handler_fails_fast(closing, operation):
    # A flush timeout far beyond WAIT_S: a flush that waited instead of
    # failing would miss done.wait below (no timing assertion needed).
    stream = closing(StreamHandlerBuilder.stderr().with_flush_timeout_ms(120_000).build())
    outcome = {}
    done = threading.Event()

    class Reentrant:
        def handle(self, logger, level, message):
            try:
                getattr(stream, operation)()
                outcome["result"] = "no error"
            except RuntimeError as exc:
                outcome["result"] = exc
            done.set()

    logger = logger_with("py.h", stream)
    logger.add_handler(Reentrant())
    logger.log("INFO", "m")
    assert done.wait(WAIT_S), "handler deadlocked in " + operation
    assert isinstance(outcome["result"], RuntimeError), outcome
    assert operation in str(outcome["result"]) and "deadlock" in str(outcome["result"])
    assert stream.flush() is True  # the handler still works from application code


def test_flush_from_formatter_fails_fast(closing):
    outcome = {}
    done = threading.Event()
    holder = {}

    def formatter(record):
        try:
            holder["handler"].flush()
            outcome["result"] = "no error"
        except RuntimeError as exc:
            outcome["result"] = exc
        done.set()
        return record["message"]

    handler = closing(StreamHandlerBuilder.stderr().with_formatter(formatter).build())
    holder["handler"] = handler
    handler.handle("x", "INFO", "m")
    assert done.wait(WAIT_S), "formatter deadlocked in flush"
    assert isinstance(outcome["result"], RuntimeError), outcome


def test_python_handler_that_needs_the_gil_never_deadlocks_a_full_queue(run_python):
    # log() first tries a call into Go that never waits, holding the GIL;
    # only a full queue takes the call that waits, with the GIL released.
    # Here the only worker that can make room needs the GIL for every
    # record (a Python handler doing Python work), and "block" makes the
    # callers wait for room: if a waiting call held the GIL, this hangs.
    rc, out, err = run_python(
        """
        import threading
        from femtologging import FemtoFileHandler, get_logger

        class Busy:
            def __init__(self):
                self.count = 0
            def handle(self, logger, level, message):
                sum(range(300))  # Python work: holds the GIL
                self.count += 1

        busy = Busy()
        logger = get_logger("app")
        logger.add_handler(busy)
        file = FemtoFileHandler("app.log", capacity=16, policy="block")
        logger.add_handler(file)

        def produce():
            for i in range(10_000):
                logger.log("INFO", f"m{i}")

        threads = [threading.Thread(target=produce) for _ in range(2)]
        for t in threads:
            t.start()
        produce()
        for t in threads:
            t.join()
        assert file.flush(timeout_ms=20_000)
        file.close()
        print(busy.count, logger.get_dropped(), sum(1 for _ in open("app.log")))
        """,
        timeout=60.0,
    )
    assert rc == 0, err
    assert out.split() == ["30000", "0", "30000"]
