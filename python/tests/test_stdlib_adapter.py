"""StdlibHandlerAdapter: stdlib logging.Handler objects on femtologging loggers."""

import logging
import os
import threading
import time

import pytest
from conftest import wait_until

from femtologging import StdlibHandlerAdapter, get_logger


class Keeper(logging.Handler):
    """A stdlib handler that keeps what it emits, and the thread it ran on."""

    def __init__(self, level=logging.NOTSET):
        super().__init__(level)
        self.records = []
        self.threads = []
        self.errors = []
        self.flushed = self.closed = False

    def emit(self, record):
        self.records.append(record)
        self.threads.append(threading.get_ident())

    def handleError(self, record):
        self.errors.append(record)

    def flush(self):
        self.flushed = True

    def close(self):
        self.closed = True
        super().close()


def test_the_wrapped_handler_gets_a_proper_log_record():
    keeper = Keeper()
    logger = get_logger("adapt.app")
    logger.add_handler(StdlibHandlerAdapter(keeper))
    before = time.time()
    logger.warning("disk at 91%")
    assert logger.flush_handlers(5.0)
    (record,) = keeper.records
    assert isinstance(record, logging.LogRecord)
    assert (record.name, record.levelno, record.levelname) == ("adapt.app", 30, "WARNING")
    assert record.msg == record.getMessage() == "disk at 91%"
    assert before - 1 <= record.created <= time.time() + 1
    assert record.thread == threading.get_ident()
    assert record.threadName == threading.current_thread().name
    assert record.process == os.getpid()
    assert record.exc_text is None
    assert keeper.threads[0] != threading.get_ident()  # ran on a worker
    formatted = logging.Formatter("%(name)s %(levelname)s %(message)s").format(record)
    assert formatted == "adapt.app WARNING disk at 91%"


def test_the_handler_level_and_filters_decide():
    keeper = Keeper(logging.ERROR)
    keeper.addFilter(lambda r: "noise" not in r.getMessage())
    logger = get_logger("adapt.level")
    logger.add_handler(StdlibHandlerAdapter(keeper))
    logger.warning("below the handler's level")
    logger.error("noise")
    logger.error("kept")
    assert logger.flush_handlers(5.0)
    assert [r.getMessage() for r in keeper.records] == ["kept"]


def test_exceptions_follow_handle_error():
    class Broken(Keeper):
        def emit(self, record):
            raise OSError("the mail server is down")

    broken = Broken()
    logger = get_logger("adapt.broken")
    logger.add_handler(StdlibHandlerAdapter(broken))
    logger.error("first")
    logger.error("second")
    assert logger.flush_handlers(5.0)
    assert [r.getMessage() for r in broken.errors] == ["first", "second"]
    assert logger.get_handler_errors() == 0  # handled by handleError, not raised


def test_flush_and_close_reach_the_wrapped_handler():
    keeper = Keeper()
    adapter = StdlibHandlerAdapter(keeper)
    adapter.flush()
    adapter.close()
    assert keeper.flushed and keeper.closed
    assert repr(adapter).startswith("StdlibHandlerAdapter(<Keeper")


def test_only_logging_handlers_can_be_wrapped():
    with pytest.raises(TypeError, match="wraps a logging.Handler"):
        StdlibHandlerAdapter(print)


def test_caplog_sees_femtologging_records_through_the_adapter(caplog):
    get_logger("root").add_handler(StdlibHandlerAdapter(caplog.handler))
    get_logger("adapt.caplog").error("visible to caplog")
    assert get_logger("adapt.caplog").flush_handlers(5.0)
    wait_until(lambda: caplog.records)
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("adapt.caplog", "ERROR", "visible to caplog")]
