"""A small application that uses femtologging's whole public API.

`make typecheck` runs `mypy --strict` on it: every public name must be
annotated well enough for a strictly typed application. It also runs
(`python sample_app.py`), so the calls below are real.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any, Mapping, Optional

import femtologging
from femtologging import (
    CRITICAL,
    DEBUG,
    ERROR,
    INFO,
    TRACE,
    WARN,
    WARNING,
    BackoffConfig,
    BasicConfig,
    ConfigBuilder,
    ConfiguredHandler,
    FemtoFileHandler,
    FemtoLogger,
    FemtologgingError,
    FemtoRotatingFileHandler,
    FemtoSocketHandler,
    FemtoStreamHandler,
    FileHandlerBuilder,
    ForkedProcessError,
    FormatterBuilder,
    HandlerClosedError,
    HandlerConfigError,
    HandlerOptions,
    LevelFilterBuilder,
    LoggerConfigBuilder,
    NameFilterBuilder,
    OverflowPolicy,
    QueueFullError,
    RotatingFileHandlerBuilder,
    SocketHandlerBuilder,
    StaleHandleError,
    StdlibHandlerAdapter,
    StreamHandlerBuilder,
    basicConfig,
    dictConfig,
    fileConfig,
    get_logger,
    getLogger,
    reset_manager,
)
from femtologging.pytest_plugin import FemtoRecord, FemtoRecords
from femtologging.stdlib import FemtoHandler, capture, is_captured, release


class Collector:
    """A Python handler with handle_record."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def handle_record(self, record: Mapping[str, Any]) -> None:
        self.messages.append(str(record["message"]))


def redact(record: Mapping[str, Any]) -> bool | Mapping[str, Any]:
    if "password" in str(record["message"]):
        return False
    return {"service": "shop"}


def loggers(collector: Collector) -> None:
    log: FemtoLogger = get_logger("shop.checkout")
    assert getLogger("shop.checkout") is log
    line: Optional[str] = log.log("INFO", "order paid")
    log.log(WARNING, "stock low")
    for method in (log.trace, log.debug, log.info, log.warning, log.warn, log.error, log.critical):
        method("shorthand")
    enabled: bool = log.is_enabled_for("DEBUG") or log.isEnabledFor(INFO)
    log.set_level(DEBUG)
    log.setLevel("INFO")
    own: Optional[str] = log.get_level()
    number: Optional[int] = log.level
    effective: str = log.get_effective_level()
    effective_no: int = log.getEffectiveLevel()
    log.set_propagate(True)
    log.propagate = True
    parent: Optional[FemtoLogger] = log.parent
    log.add_handler(collector)
    log.addHandler(collector)
    removed: bool = log.remove_handler(collector) and log.removeHandler(collector)
    handlers: list[Any] = log.handlers
    log.clear_filters()
    log.clear_handlers()
    flushed: bool = log.flush_handlers(timeout=2.0)
    dropped: int = log.get_dropped() + log.get_handler_errors()
    print(line, enabled, own, number, effective, effective_no, parent, removed, handlers,
          flushed, dropped, log.name, TRACE, WARN, ERROR, CRITICAL)
    femtologging.trace("module-level")
    femtologging.debug("module-level")
    femtologging.info("module-level")
    femtologging.warning("module-level")
    femtologging.error("module-level")
    femtologging.critical("module-level")
    femtologging.log("INFO", "module-level")
    try:
        raise ValueError("example")
    except ValueError:
        femtologging.exception("module-level")


def handlers(directory: str) -> None:
    stream = FemtoStreamHandler.stderr()
    out = FemtoStreamHandler.stdout()
    built = (StreamHandlerBuilder.stderr().with_capacity(64).with_flush_timeout_ms(500)
             .with_formatter(lambda record: f"{record['message']}").build())
    plain = FemtoFileHandler(os.path.join(directory, "a.log"), capacity=128, flush_interval=4,
                             policy="block")
    from_builder = (FileHandlerBuilder(os.path.join(directory, "b.log")).with_capacity(16)
                    .with_flush_interval(2).with_overflow_policy(OverflowPolicy.timeout(50))
                    .with_flush_timeout_ms(100).build())
    rotating = FemtoRotatingFileHandler(
        os.path.join(directory, "c.log"),
        options=HandlerOptions(capacity=32, rotation=(1024, 2), policy=OverflowPolicy.drop()))
    rotating_built = (RotatingFileHandlerBuilder(os.path.join(directory, "d.log"))
                      .with_max_bytes(4096).with_backup_count(1).build())
    socket_builder = (SocketHandlerBuilder().with_tcp("127.0.0.1", 9)
                      .with_backoff(BackoffConfig({"base_ms": 10, "deadline_ms": 100})))
    socket_handler: FemtoSocketHandler = socket_builder.build()
    for handler in (stream, out, built, plain, from_builder, rotating, rotating_built,
                    socket_handler):
        handler.handle("app", "INFO", "direct")
        ok: bool = handler.flush()
        stats: dict[str, int] = handler.get_stats()
        print(ok, stats, handler.get_dropped())
        handler.close()
    print(rotating.path, rotating.options, OverflowPolicy.block().kind,
          OverflowPolicy.parse("timeout:5").timeout_ms)


def configuration(directory: str, collector: Collector) -> None:
    basicConfig(level="INFO", stream=None, force=True)
    basicConfig(BasicConfig(level="WARNING", force=True))
    (ConfigBuilder()
     .with_handler("file", FileHandlerBuilder(os.path.join(directory, "cfg.log")))
     .with_filter("info_and_below", LevelFilterBuilder().with_max_level("INFO"))
     .with_filter("shop_only", NameFilterBuilder().with_prefix("shop"))
     .with_filter("redact", redact)
     .with_formatter("plain", FormatterBuilder().with_format("%(message)s").with_datefmt("%H"))
     .with_logger("shop", LoggerConfigBuilder().with_level("DEBUG").with_handlers(["file"])
                  .with_filters(["info_and_below", "redact"]).with_propagate(False))
     .with_root_logger(LoggerConfigBuilder().with_level(INFO))
     .with_default_level("INFO")
     .with_disable_existing_loggers(False)
     .build_and_init())
    configured = get_logger("shop").handlers[0]
    if isinstance(configured, ConfiguredHandler):
        print(configured.kind, configured.handler_id)
    dictConfig({"version": 1, "root": {"level": "INFO"}})
    ini = os.path.join(directory, "logging.ini")
    with open(ini, "w", encoding="utf-8") as f:
        f.write("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                "[logger_root]\nlevel=INFO\nhandlers=\n")
    fileConfig(ini, defaults=None, disable_existing_loggers=True, encoding="utf-8")


def stdlib_bridge(collector: Collector) -> None:
    get_logger("root").add_handler(collector)
    capture(level="INFO", loggers=["requests"])
    logging.getLogger("requests").info("GET %s", "/")
    assert is_captured()
    release()
    lg = logging.getLogger("urllib3")
    lg.addHandler(FemtoHandler(level=logging.INFO))
    get_logger("root").add_handler(StdlibHandlerAdapter(logging.NullHandler()))


def errors() -> None:
    for cls in (FemtologgingError, ForkedProcessError, HandlerClosedError, HandlerConfigError,
                QueueFullError, StaleHandleError):
        assert issubclass(cls, Exception)


def records(records: FemtoRecords) -> list[FemtoRecord]:
    with records.at_level("DEBUG", logger="shop"):
        get_logger("shop").debug("x")
    print(records.messages, records.text)
    records.clear()
    return records.records


def main() -> None:
    collector = Collector()
    with tempfile.TemporaryDirectory() as directory:
        loggers(collector)
        handlers(directory)
        configuration(directory, collector)
        stdlib_bridge(collector)
        errors()
        reset_manager()


if __name__ == "__main__":
    main()
