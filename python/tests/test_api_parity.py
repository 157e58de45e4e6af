"""Names and behaviour users of stdlib logging expect (issue 13)."""

import inspect
from pathlib import Path

import pytest
from conftest import park_worker

import femtologging
from femtologging import (
    ConfigBuilder,
    FemtoFileHandler,
    LevelFilterBuilder,
    LoggerConfigBuilder,
    get_logger,
)


def test_get_logger_alias():
    assert femtologging.getLogger is femtologging.get_logger
    assert femtologging.getLogger("parity.a") is get_logger("parity.a")


def test_module_level_functions_log_on_the_root(record_collector):
    get_logger("root").add_handler(record_collector)
    get_logger("root").set_level("TRACE")
    assert femtologging.info("i") == "root [INFO] i"
    femtologging.trace("t")
    femtologging.debug("d")
    femtologging.warning("w")
    femtologging.error("e")
    femtologging.critical("c")
    femtologging.log("WARN", "l")
    try:
        raise RuntimeError("bad thing")
    except RuntimeError:
        line = femtologging.exception("failed %s", "here")
    assert line == "root [ERROR] failed here"  # the traceback is the record's exc_info
    assert get_logger("root").flush_handlers(5.0)
    got = record_collector.wait_for(8)
    assert [(r["level"], r["message"].split("\n")[0]) for r in got] == [
        ("INFO", "i"), ("TRACE", "t"), ("DEBUG", "d"), ("WARN", "w"), ("ERROR", "e"),
        ("CRITICAL", "c"), ("WARN", "l"), ("ERROR", "failed here")]
    assert got[-1]["message"] == "failed here"
    assert got[-1]["exc_info"].startswith("Traceback") and "RuntimeError: bad thing" in got[-1]["exc_info"]


def test_exception_outside_an_except_block_and_when_disabled():
    assert femtologging.exception("no exception") == "root [ERROR] no exception"
    get_logger("root").set_level("CRITICAL")
    assert femtologging.exception("filtered") is None


def test_level_parent_name_propagate():
    logger = get_logger("parity.a.b")
    assert logger.name == "parity.a.b"
    assert logger.level is None
    logger.set_level("DEBUG")
    assert logger.level == femtologging.DEBUG
    assert logger.parent is get_logger("parity.a")
    assert get_logger("parity").parent is get_logger("root")
    assert get_logger("root").parent is None
    assert logger.propagate is True
    logger.propagate = False
    assert logger.propagate is False
    with pytest.raises(TypeError):
        logger.propagate = "no"


def test_camel_case_aliases(record_collector):
    logger = get_logger("parity.camel")
    logger.setLevel(femtologging.WARNING)
    assert logger.getEffectiveLevel() == 30
    assert get_logger("root").getEffectiveLevel() == 20
    logger.addHandler(record_collector)
    assert logger.isEnabledFor("ERROR") and not logger.isEnabledFor(20)
    logger.warning("w")
    assert logger.removeHandler(record_collector) is True
    assert logger.handlers == []


def test_clear_filters_removes_configured_and_callback_filters(record_collector):
    (ConfigBuilder()
     .with_filter("max_info", LevelFilterBuilder().with_max_level("INFO"))
     .with_filter("no_secrets", lambda record: "secret" not in record["message"])
     .with_logger("parity.f", LoggerConfigBuilder().with_filters(["max_info", "no_secrets"]))
     .with_root_logger(LoggerConfigBuilder().with_level("INFO"))
     .build_and_init())
    logger = get_logger("parity.f")
    logger.add_handler(record_collector)
    assert logger.error("above the max") is None
    assert logger.info("a secret") is None
    logger.clear_filters()
    assert logger.error("above the max") is not None
    assert logger.info("a secret") is not None
    assert logger.flush_handlers(5.0)
    assert [r["message"] for r in record_collector.wait_for(2)] == ["above the max", "a secret"]


def test_flush_handlers_reaches_ancestors_handlers_and_stops_at_propagate(tmp_path, closing):
    own = closing(FemtoFileHandler(tmp_path / "own.log"))
    parent = closing(FemtoFileHandler(tmp_path / "parent.log"))
    root = closing(FemtoFileHandler(tmp_path / "root.log"))
    get_logger("parity.flush").add_handler(own)
    get_logger("parity").add_handler(parent)
    get_logger("root").add_handler(root)
    logger = get_logger("parity.flush")
    for i in range(500):
        logger.info(f"r{i}")
    assert logger.flush_handlers(timeout=10.0) is True
    for name in ("own", "parent", "root"):
        assert len((tmp_path / f"{name}.log").read_text().splitlines()) == 500
    logger.propagate = False
    logger.info("only own")
    assert logger.flush_handlers(10.0)
    assert (tmp_path / "own.log").read_text().splitlines()[-1].endswith("only own")
    assert len((tmp_path / "root.log").read_text().splitlines()) == 500


def test_flush_handlers_without_handlers_and_bad_timeouts():
    assert get_logger("parity.none").flush_handlers() is True
    for bad in (-1, "1", True, None):
        with pytest.raises(ValueError, match="timeout"):
            get_logger("parity.none").flush_handlers(bad)


def test_flush_handlers_reports_a_timeout(gate):
    logger = get_logger("parity.slow")
    logger.add_handler(gate)
    park_worker(logger, gate)
    logger.info("behind the gate")
    assert logger.flush_handlers(timeout=0.05) is False
    gate.release()
    assert logger.flush_handlers(timeout=10.0) is True


def test_clear_filters_on_a_stale_logger():
    logger = get_logger("parity.stale")
    femtologging.reset_manager()
    with pytest.raises(femtologging.StaleHandleError):
        logger.clear_filters()


def test_log_has_a_signature():
    params = inspect.signature(get_logger("parity.sig").log).parameters
    assert list(params)[:2] == ["level", "message"]


def test_the_typed_sample_application_runs(run_python):
    app = Path(__file__).parent / "test_typing" / "sample_app.py"
    rc, out, err = run_python(app.read_text(), timeout=60)
    assert rc == 0, err[-3000:]
