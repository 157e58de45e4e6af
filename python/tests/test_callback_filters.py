"""Callback filters: Python callables given to ConfigBuilder.with_filter."""

import logging
import threading

import pytest

from femtologging import (
    ConfigBuilder,
    FemtoLogger,
    LevelFilterBuilder,
    LoggerConfigBuilder,
    get_logger,
    stdlib,
)


def configure(filters, logger="cb.app", **more):
    builder = ConfigBuilder().with_root_logger(LoggerConfigBuilder().with_level("DEBUG"))
    for filter_id, f in filters.items():
        builder.with_filter(filter_id, f)
    builder.with_logger(logger, LoggerConfigBuilder().with_filters(list(filters)))
    for name, spec in more.items():
        builder.with_logger(name, spec)
    builder.build_and_init()
    return get_logger(logger)


def messages(logger, collector, n):
    assert logger.flush_handlers(5.0)
    return [r["message"] for r in collector.wait_for(n)]


def test_false_drops_true_and_mappings_keep(record_collector):
    seen = []

    def first(record):
        seen.append(dict(record, key_values=dict(record["key_values"])))
        if "drop" in record["message"]:
            return False
        if "enrich" in record["message"]:
            return {"user": "ada"}
        return True

    def second(record):
        seen.append(dict(record["key_values"]))
        return True

    logger = configure({"first": first, "second": second})
    logger.add_handler(record_collector)
    assert logger.info("keep me") == "cb.app [INFO] keep me"
    assert logger.info("drop me") is None
    assert logger.warning("enrich me") == "cb.app [WARN] enrich me"
    assert messages(logger, record_collector, 2) == ["keep me", "enrich me"]
    assert seen[0] == {"logger": "cb.app", "level": "INFO", "levelno": 20,
                       "message": "keep me", "key_values": {}}
    # The second filter saw what the first one added.
    assert seen[-1] == {"user": "ada"}


def test_filters_run_on_the_callers_thread_and_after_the_level_check():
    threads = []
    logger = configure({"t": lambda record: threads.append(threading.get_ident()) or True})
    logger.set_level("INFO")
    logger.debug("below the level: filters not called")
    logger.info("called")
    assert threads == [threading.get_ident()]


def test_an_exception_is_reported_and_the_record_kept(record_collector, capfd):
    def broken(record):
        raise KeyError("oops")

    logger = configure({"broken": broken})
    logger.add_handler(record_collector)
    logger.info("one")
    logger.info("two")
    assert messages(logger, record_collector, 2) == ["one", "two"]
    err = capfd.readouterr().err
    assert "callback filter" in err and "KeyError: 'oops'" in err
    assert err.count("callback filter") == 1  # rate-limited


def test_built_in_and_callback_filters_together(record_collector):
    logger = configure({
        "max_info": LevelFilterBuilder().with_max_level("INFO"),
        "no_x": lambda record: "x" not in record["message"],
    })
    logger.add_handler(record_collector)
    assert logger.error("above INFO") is None
    assert logger.info("has x") is None
    assert logger.info("fine") is not None
    assert messages(logger, record_collector, 1) == ["fine"]


def test_only_loggers_with_callback_filters_leave_the_c_path():
    logger = configure({"t": lambda record: True})
    assert type(logger) is not FemtoLogger and isinstance(logger, FemtoLogger)
    assert type(get_logger("cb.other")) is FemtoLogger
    ConfigBuilder().with_root_logger(LoggerConfigBuilder()).with_logger(
        "cb.app", LoggerConfigBuilder()).build_and_init()
    assert type(logger) is FemtoLogger  # a new configuration replaced the filters
    assert logger.info("no filters") is not None


def test_disable_existing_loggers_clears_callback_filters():
    logger = configure({"t": lambda record: False})
    assert logger.info("dropped") is None
    (ConfigBuilder().with_root_logger(LoggerConfigBuilder())
     .with_disable_existing_loggers(True).build_and_init())
    assert logger.info("kept") is not None


def test_captured_stdlib_records_pass_the_callback_filters(record_collector):
    logger = configure({"no_secret": lambda record: "secret" not in record["message"]},
                       logger="cb.lib")
    get_logger("root").add_handler(record_collector)
    stdlib.capture(level="INFO", loggers=["cb.lib"])
    try:
        logging.getLogger("cb.lib").info("a %s", "secret")
        logging.getLogger("cb.lib").info("public %d", 1)
    finally:
        stdlib.release()
    assert messages(logger, record_collector, 1) == ["public 1"]


def test_with_filter_rejects_what_is_neither_builder_nor_callable():
    with pytest.raises(TypeError, match="neither a filter builder nor a callable"):
        ConfigBuilder().with_filter("bad", 42)


def test_as_dict_shows_the_callable():
    def keep(record):
        return True

    doc = ConfigBuilder().with_filter("keep", keep).as_dict()
    assert doc["filters"] == {"keep": keep}


def test_filtered_logger_checks_its_arguments():
    logger = configure({"t": lambda record: True})
    with pytest.raises(ValueError, match="invalid level"):
        logger.log("LOUD", "x")
    with pytest.raises(TypeError, match="message must be a str"):
        logger.info(42)
