"""Records made outside FemtoLogger.log keep their details in the record's
own fields: the stdlib bridge, callback filters, the adapter and the
pytest plugin read and write the record mapping's keys."""

import logging

import pytest

from femtologging import (
    ConfigBuilder,
    FemtoLogger,
    LoggerConfigBuilder,
    StdlibHandlerAdapter,
    get_logger,
    log_context,
    stdlib,
)
from femtologging.pytest_plugin import _Sink


@pytest.fixture(autouse=True)
def released():
    yield
    stdlib.release()
    lg = logging.getLogger("wire")
    lg.handlers.clear()
    lg.propagate = True


class CallerCollector:
    """A Python handler that asks for the caller fields."""

    wants_caller_info = True

    def __init__(self):
        self.records = []

    def handle_record(self, record):
        self.records.append(dict(record))


def flushed(logger, collector, n):
    assert logger.flush_handlers(5.0)
    assert len(collector.records) == n
    return collector.records


def test_femto_handler_carries_exception_extra_and_the_log_records_caller(record_collector):
    get_logger("wire").add_handler(record_collector)
    stdlib_logger = logging.getLogger("wire")
    stdlib_logger.addHandler(stdlib.FemtoHandler())
    stdlib_logger.propagate = False
    try:
        raise KeyError("k")
    except KeyError:
        stdlib_logger.error("lookup %s", "failed", exc_info=True, extra={"user": "ann", "n": 3})
    assert get_logger("wire").flush_handlers(5.0)
    (rec,) = record_collector.wait_for(1)
    assert rec["message"] == "lookup failed"  # the traceback is not appended
    assert rec["exc_info"].startswith("Traceback") and rec["exc_info"].endswith("KeyError: 'k'")
    assert rec["key_values"] == {"user": "ann", "n": 3}


def test_femto_handler_gives_the_log_records_caller_to_handlers_that_want_it():
    collector = CallerCollector()
    get_logger("wire").add_handler(collector)
    stdlib_logger = logging.getLogger("wire")
    stdlib_logger.addHandler(stdlib.FemtoHandler())
    stdlib_logger.propagate = False
    stdlib_logger.warning("here")
    line = stdlib_logger.findCaller()[1] - 1  # the warning() call, one line up
    (rec,) = flushed(get_logger("wire"), collector, 1)
    assert rec["pathname"] == __file__ and rec["lineno"] == line
    assert rec["funcName"] == "test_femto_handler_gives_the_log_records_caller_to_handlers_that_want_it"


def test_capture_finds_the_callers_frame_past_stdlib_logging():
    collector = CallerCollector()
    get_logger("wire").add_handler(collector)
    stdlib.capture(level="INFO")
    logging.getLogger("wire").info("captured"); line = logging.getLogger("wire").findCaller()[1]  # noqa: E702
    (rec,) = flushed(get_logger("wire"), collector, 1)
    assert (rec["pathname"], rec["lineno"]) == (__file__, line)


def test_capture_carries_stack_text_and_log_context(record_collector):
    get_logger("wire").add_handler(record_collector)
    stdlib.capture(level="INFO")
    with log_context(request="r-1"):
        logging.getLogger("wire").info("with stack", stack_info=True)
    assert get_logger("wire").flush_handlers(5.0)
    (rec,) = record_collector.wait_for(1)
    assert rec["message"] == "with stack"
    assert rec["stack_info"].startswith("Stack (most recent call last):")
    assert rec["key_values"] == {"request": "r-1"}


def test_filtered_loggers_level_methods_run_the_filters_and_keep_keywords(record_collector):
    seen = []

    def tag(record):
        seen.append(record["message"])
        return {"tagged": True}

    (ConfigBuilder().with_root_logger(LoggerConfigBuilder().with_level("DEBUG"))
        .with_filter("tag", tag)
        .with_logger("wire.f", LoggerConfigBuilder().with_filters(["tag"]))
        .build_and_init())
    log = get_logger("wire.f")
    assert type(log) is not FemtoLogger  # switched to the filtered class
    log.add_handler(record_collector)
    try:
        1 / 0
    except ZeroDivisionError:
        assert log.exception("failed %d", 7, extra={"k": "v"}) == "wire.f [ERROR] failed 7"
    log.info("plain")
    assert log.flush_handlers(5.0)
    first, second = record_collector.wait_for(2)
    assert seen == ["failed 7", "plain"]
    assert first["key_values"] == {"k": "v", "tagged": True}
    assert "ZeroDivisionError" in first["exc_info"]
    assert second["key_values"] == {"tagged": True}


def test_adapter_and_pytest_sink_read_the_record_mapping():
    got = []

    class Keep(logging.Handler):
        def emit(self, record):
            got.append(record)

    adapter = StdlibHandlerAdapter(Keep())
    mapping = {"logger": "a", "level": "ERROR", "levelno": 40, "message": "m", "timestamp": 1.5,
               "thread_id": 1, "thread_name": "T", "exc_info": "Traceback...\nE: x",
               "stack_info": "Stack (most recent call last):\n  x", "key_values": {"user": "ann"},
               "pathname": "/p/app.py", "filename": "app.py", "module": "app", "lineno": 9,
               "funcName": "run"}
    adapter.handle_record(mapping)
    (rec,) = got
    assert (rec.pathname, rec.lineno, rec.funcName) == ("/p/app.py", 9, "run")
    assert rec.exc_text == "Traceback...\nE: x" and rec.stack_info.startswith("Stack")
    assert rec.user == "ann"
    sink = _Sink()
    sink.handle_record(mapping)
    (item,) = sink.records
    assert item.exc_text == "Traceback...\nE: x" and item.stack_text.startswith("Stack")


@pytest.mark.parametrize("extra", [None, {"k": 1}])
def test_femto_handler_uses_the_log_records_caller_not_the_stack(extra):
    # A record made elsewhere (a socket receiver, a queue listener): its
    # caller is not on this thread's stack, plain record or not.
    collector = CallerCollector()
    get_logger("wire").add_handler(collector)
    record = logging.LogRecord("wire", logging.INFO, "/elsewhere/remote.py", 42, "from afar", None,
                               None, func="remote")
    for key, value in (extra or {}).items():
        setattr(record, key, value)
    stdlib.FemtoHandler().handle(record)
    (rec,) = flushed(get_logger("wire"), collector, 1)
    assert (rec["pathname"], rec["lineno"], rec["funcName"]) == ("/elsewhere/remote.py", 42, "remote")
    assert rec["key_values"] == (extra or {})
