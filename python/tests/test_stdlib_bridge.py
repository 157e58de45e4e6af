"""femtologging.stdlib: capture()/release() (the fast path) and FemtoHandler."""

import logging
import logging.config

import pytest

import femtologging
from femtologging import FemtoStreamHandler, StdlibHandlerAdapter, get_logger, stdlib


@pytest.fixture
def root_records(record_collector):
    """Every record reaching femtologging's root logger."""
    get_logger("root").add_handler(record_collector)
    return record_collector


@pytest.fixture(autouse=True)
def stdlib_state():
    """Leave stdlib logging as the test found it, capture released."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    stdlib.release()
    root.setLevel(level)
    root.handlers[:] = handlers
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("t13"):
            lg = logging.getLogger(name)
            lg.handlers.clear()
            lg.filters.clear()
            lg.setLevel(logging.NOTSET)
            lg.propagate = True
            lg.disabled = False


def flushed(records, n):
    assert get_logger("root").flush_handlers(5.0)
    return records.wait_for(n)


def text_of(record):
    """All the text a record carries (message, exception and stack fields)."""
    return " ".join(str(v) for v in record.values())


class StdlibCollector(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_capture_routes_stdlib_records_to_the_femtologging_logger_of_the_same_name(root_records):
    stdlib.capture(level="DEBUG")
    logging.getLogger("t13.lib").info("x %s and %d", "a", 1)
    logging.getLogger().warning("from the stdlib root")
    logging.getLogger("t13.lib").info("mapping %(n)s", {"n": 7})
    got = flushed(root_records, 3)
    pairs = sorted((r["logger"], r["level"], r["message"]) for r in got)
    assert pairs == [
        ("root", "WARN", "from the stdlib root"),
        ("t13.lib", "INFO", "mapping 7"),
        ("t13.lib", "INFO", "x a and 1"),
    ]


def test_stdlib_level_check_runs_first(root_records):
    stdlib.capture()  # stdlib root stays at WARNING
    logging.getLogger("t13.quiet").info("stopped by stdlib's level")
    logging.getLogger("t13.quiet").error("passes")
    got = flushed(root_records, 1)
    assert [r["message"] for r in got] == ["passes"]


def test_femtologging_levels_apply_after_stdlib(root_records):
    stdlib.capture(level=logging.DEBUG)
    logging.getLogger("t13.lib").debug("stdlib lets it through, femtologging's INFO root does not")
    logging.getLogger("t13.lib").info("kept")
    assert [r["message"] for r in flushed(root_records, 1)] == ["kept"]


def test_the_fast_path_builds_no_log_record(root_records):
    made = []
    factory = logging.getLogRecordFactory()

    def counting(*args, **kwargs):
        made.append(1)
        return factory(*args, **kwargs)

    logging.setLogRecordFactory(counting)
    try:
        stdlib.capture(level="INFO")
        for i in range(100):
            logging.getLogger("t13.hot").info("n %d", i)
        try:
            raise KeyError("k")
        except KeyError:
            logging.getLogger("t13.hot").exception("with exc_info")
    finally:
        logging.setLogRecordFactory(factory)
    assert len(flushed(root_records, 101)) == 101
    assert made == []


def test_release_undoes_capture_exactly(root_records):
    original_log = logging.Logger.__dict__["_log"]
    original_handle = logging.Logger.__dict__["handle"]
    root = logging.getLogger()
    root.setLevel(logging.ERROR)
    sub = logging.getLogger("t13.sub")
    stdlib.capture(level="DEBUG", loggers=["t13.sub"])
    assert stdlib.is_captured()
    assert sub.level == logging.DEBUG and root.level == logging.ERROR
    assert logging.Logger.__dict__["_log"] is not original_log
    stdlib.release()
    assert not stdlib.is_captured()
    assert logging.Logger.__dict__["_log"] is original_log
    assert logging.Logger.__dict__["handle"] is original_handle
    assert sub.level == logging.NOTSET and root.level == logging.ERROR
    seen = StdlibCollector()
    sub.addHandler(seen)
    sub.error("back to stdlib")
    assert [r.getMessage() for r in seen.records] == ["back to stdlib"]
    get_logger("root").flush_handlers(5.0)
    assert root_records.count() == 0
    stdlib.release()  # harmless when nothing is captured


def test_capture_twice_is_harmless(root_records):
    root = logging.getLogger()
    root.setLevel(logging.CRITICAL)
    stdlib.capture(level="INFO")
    stdlib.capture(level="INFO")
    logging.getLogger("t13.twice").info("once")
    assert [r["message"] for r in flushed(root_records, 1)] == ["once"]
    stdlib.release()
    assert root.level == logging.CRITICAL  # the level from before the first capture
    assert logging.Logger._log is logging.Logger.__dict__["_log"]


def test_capture_named_subtrees_only(root_records):
    stdlib.capture(level="INFO", loggers=["t13.app"])
    seen = StdlibCollector()
    logging.getLogger().addHandler(seen)
    logging.getLogger("t13.app.db").info("captured child")
    logging.getLogger("t13.app").info("captured itself")
    logging.getLogger("t13.apple").warning("a prefix, not a subtree")
    got = flushed(root_records, 2)
    assert sorted(r["message"] for r in got) == ["captured child", "captured itself"]
    assert [r.getMessage() for r in seen.records] == ["a prefix, not a subtree"]


def test_records_made_elsewhere_and_handed_to_a_captured_logger(root_records):
    stdlib.capture(level="INFO")
    lg = logging.getLogger("t13.remote")
    lg.handle(logging.makeLogRecord({"name": "t13.remote", "levelno": 40, "levelname": "ERROR",
                                     "msg": "from %s", "args": ("afar",)}))
    assert [r["message"] for r in flushed(root_records, 1)] == ["from afar"]


def test_stdlib_logger_filters_and_disabled_still_apply(root_records):
    stdlib.capture(level="INFO")
    lg = logging.getLogger("t13.filtered")
    lg.addFilter(lambda record: "secret" not in record.getMessage())
    lg.info("public")
    lg.info("secret stuff")
    off = logging.getLogger("t13.off")
    off.disabled = True
    off.error("disabled logger")
    assert [r["message"] for r in flushed(root_records, 1)] == ["public"]


def test_exception_and_stack_text_are_carried(root_records):
    stdlib.capture(level="INFO")
    try:
        1 / 0
    except ZeroDivisionError:
        logging.getLogger("t13.exc").exception("failed")
    logging.getLogger("t13.exc").info("where", stack_info=True)
    first, second = sorted(flushed(root_records, 2), key=lambda r: r["level"] != "ERROR")
    assert first["level"] == "ERROR" and "ZeroDivisionError: division by zero" in text_of(first)
    assert "Stack (most recent call last)" in text_of(second)
    assert "test_exception_and_stack_text_are_carried" in text_of(second)


def test_bad_arguments_keep_the_record_and_report(root_records, capfd):
    stdlib.capture(level="INFO")
    logging.getLogger("t13.bad").info("%d apples", "three")
    (record,) = flushed(root_records, 1)
    assert record["message"] == "%d apples (arguments not applied: ('three',))"
    assert "formatting the message failed" in capfd.readouterr().err


def test_levels_and_names_femtologging_lacks_are_mapped(root_records):
    stdlib.capture(level=1)
    logging.getLogger("t13.odd..name").log(25, "between INFO and WARNING")
    logging.getLogger("t13.odd..name").log(55, "above CRITICAL")
    got = flushed(root_records, 2)
    assert sorted((r["logger"], r["level"]) for r in got) == [
        ("t13.odd.name", "CRITICAL"), ("t13.odd.name", "INFO")]


def test_one_thread_keeps_order_across_both_apis(root_records):
    stdlib.capture(level="INFO")
    femto, std = get_logger("t13.mixed"), logging.getLogger("t13.mixed")
    for i in range(200):
        (femto if i % 2 else std).info(f"{i}")
    got = flushed(root_records, 200)
    assert [r["message"] for r in got] == [str(i) for i in range(200)]


def test_capture_rejects_bad_arguments():
    with pytest.raises(TypeError, match="single str 'app'"):
        stdlib.capture(loggers="app")
    with pytest.raises(ValueError, match="invalid level 'LOUD'"):
        stdlib.capture(level="LOUD")
    with pytest.raises(TypeError, match="level must be"):
        stdlib.capture(level=2.5)
    assert not stdlib.is_captured()


# ---- FemtoHandler ----------------------------------------------------------------


def test_femto_handler_forwards_records_with_its_level_and_filters(root_records):
    lg = logging.getLogger("t13.handler")
    lg.setLevel(logging.DEBUG)
    lg.propagate = False
    handler = stdlib.FemtoHandler(logging.WARNING)
    handler.addFilter(lambda r: r.getMessage() != "drop me")
    lg.addHandler(handler)
    lg.info("below the handler's level")
    lg.warning("n=%d", 3)
    lg.error("drop me")
    try:
        raise ValueError("v")
    except ValueError:
        lg.exception("with traceback")
    got = flushed(root_records, 2)
    assert [r["message"].split("\n")[0] for r in got] == ["n=3", "with traceback"]
    assert "ValueError: v" in text_of(got[1])


def test_femto_handler_from_dict_config(root_records):
    logging.config.dictConfig({
        "version": 1,
        "incremental": False,
        "disable_existing_loggers": False,
        "handlers": {"femto": {"class": "femtologging.stdlib.FemtoHandler", "level": "INFO"}},
        "loggers": {"t13.dc": {"handlers": ["femto"], "level": "INFO", "propagate": False}},
    })
    logging.getLogger("t13.dc").info("configured by dictConfig")
    assert [r["message"] for r in flushed(root_records, 1)] == ["configured by dictConfig"]


def test_femto_handler_errors_follow_handle_error(root_records, capfd):
    lg = logging.getLogger("t13.err")
    lg.propagate = False
    lg.addHandler(stdlib.FemtoHandler())
    lg.error("%d", "not a number")
    assert "--- Logging error ---" in capfd.readouterr().err
    lg.error("still works")
    assert [r["message"] for r in flushed(root_records, 1)] == ["still works"]


# ---- mixing handler kinds ----------------------------------------------------------


def test_adding_a_femtologging_handler_to_a_stdlib_logger_names_femto_handler(closing):
    handler = closing(FemtoStreamHandler.stderr())
    with pytest.raises(TypeError, match=r"femtologging\.stdlib\.FemtoHandler"):
        logging.getLogger("t13.mix").addHandler(handler)
    assert handler not in logging.getLogger("t13.mix").handlers


def test_adding_a_stdlib_handler_to_a_femtologging_logger_names_the_adapter():
    with pytest.raises(TypeError, match="StdlibHandlerAdapter"):
        get_logger("t13.mix").add_handler(logging.StreamHandler())
    assert get_logger("t13.mix").handlers == []
    get_logger("t13.mix").add_handler(StdlibHandlerAdapter(logging.NullHandler()))


def test_import_installs_the_guard_once():
    guard = logging.Logger.__dict__["addHandler"]
    assert guard.__femtologging_guard__
    stdlib._install_add_handler_guard()
    assert logging.Logger.__dict__["addHandler"] is guard
    assert femtologging.stdlib is stdlib
