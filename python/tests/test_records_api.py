"""Rich records from Python: % arguments, exc_info, stack_info, stacklevel,
extra, exception(), and the record mapping Python handlers receive."""

import sys
import traceback

import pytest

from femtologging import FileHandlerBuilder, Formatter, get_logger

from conftest import RecordCollector


class CallerCollector(RecordCollector):
    """A handle_record handler that asks for the caller fields."""

    wants_caller_info = True


def attach(name="app", handler=None):
    logger = get_logger(name)
    handler = handler or RecordCollector()
    logger.add_handler(handler)
    return logger, handler


def test_args_are_applied_with_percent_and_returned():
    logger, handler = attach()
    assert logger.info("user %s id=%d", "ann", 42) == "app [INFO] user ann id=42"
    assert logger.log("WARNING", "%(who)s left", {"who": "bob"}) == "app [WARN] bob left"
    assert logger.error("pct %s%%", 5) == "app [ERROR] pct 5%"
    records = handler.wait_for(3)
    assert [r["message"] for r in records] == ["user ann id=42", "bob left", "pct 5%"]


def test_args_are_applied_on_the_callers_thread():
    logger, handler = attach()
    items = ["before"]
    logger.info("items %s", items)
    items.append("after")
    assert handler.wait_for(1)[0]["message"] == "items ['before']"


def test_disabled_calls_never_format_the_arguments():
    class Exploding:
        def __str__(self):
            raise AssertionError("formatted although disabled")

    logger, _ = attach()
    assert logger.debug("x %s", Exploding()) is None
    assert logger.log("DEBUG", "x %s", Exploding(), extra={"k": 1}) is None


def test_a_formatting_error_is_reported_and_the_record_still_logged(capfd):
    logger, handler = attach()
    line = logger.info("needs %d", "not a number")
    assert line.startswith("app [INFO] needs %d (formatting error: TypeError")
    assert "formatting error" in handler.wait_for(1)[0]["message"]
    err = capfd.readouterr().err
    assert "--- Logging error ---" in err and "Arguments: ('not a number',)" in err


def test_non_dict_mapping_argument_works_as_in_stdlib():
    from types import MappingProxyType

    logger, handler = attach()
    assert logger.info("%(a)s", MappingProxyType({"a": 1})) == "app [INFO] 1"


def raise_and_log(logger, **kwargs):
    try:
        try:
            {}["missing"]
        except KeyError as inner:
            raise ValueError("outer") from inner
    except ValueError as exc:
        logger.exception("failed %s", "op", **kwargs)
        return exc


def test_exception_text_matches_traceback_format_exception():
    logger, handler = attach()
    exc = raise_and_log(logger)
    record = handler.wait_for(1)[0]
    want = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip("\n")
    assert record["exc_info"] == want
    assert "The above exception was the direct cause" in record["exc_info"]
    assert record["message"] == "failed op" and record["level"] == "ERROR"


@pytest.mark.parametrize("form", ["instance", "tuple"])
def test_exc_info_takes_an_instance_or_a_tuple(form):
    logger, handler = attach()
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        caught = exc
    value = caught if form == "instance" else (type(caught), caught, caught.__traceback__)
    logger.warning("w", exc_info=value)
    want = "".join(traceback.format_exception(type(caught), caught, caught.__traceback__)).rstrip("\n")
    assert handler.wait_for(1)[0]["exc_info"] == want


def test_exc_info_true_outside_an_exception_is_stdlibs_nonetype_text():
    logger, handler = attach()
    logger.error("no exception", exc_info=True)
    assert handler.wait_for(1)[0]["exc_info"] == "NoneType: None"


def test_stack_info_matches_stdlib():
    import io
    import logging

    logger, handler = attach()

    def site():
        logger.info("here", stack_info=True)
        frame = sys._getframe(0)
        return frame.f_lineno - 2, frame

    lineno, frame = site()
    record = handler.wait_for(1)[0]
    text = record["stack_info"]
    assert text.startswith("Stack (most recent call last):\n")
    assert text.endswith(f'line {lineno}, in site\n    logger.info("here", stack_info=True)')
    # The frames above site() are exactly stdlib's.
    std = logging.getLogger("femto-test-stack")
    buf = io.StringIO()
    h = logging.StreamHandler(buf)
    std.addHandler(h)
    try:
        std.error("x", stack_info=True)
    finally:
        std.removeHandler(h)
    assert text.splitlines()[1] == buf.getvalue().splitlines()[2]


def test_caller_fields_only_for_handlers_that_ask():
    logger, plain = attach("plain")
    logger.info("no caller")
    assert "lineno" not in plain.wait_for(1)[0]
    logger2, wanting = attach("wanting", CallerCollector())
    logger2.info("with caller"); lineno = sys._getframe(0).f_lineno  # noqa: E702
    record = wanting.wait_for(1)[0]
    assert record["lineno"] == lineno
    assert record["funcName"] == "test_caller_fields_only_for_handlers_that_ask"
    assert record["filename"] == "test_records_api.py" and record["module"] == "test_records_api"
    assert record["pathname"] == __file__


def test_stacklevel_skips_wrapper_frames():
    logger, handler = attach("lvl", CallerCollector())

    def helper(msg):
        logger.info(msg, stacklevel=2)

    helper("via helper"); lineno = sys._getframe(0).f_lineno  # noqa: E702
    record = handler.wait_for(1)[0]
    assert record["lineno"] == lineno and record["funcName"] == "test_stacklevel_skips_wrapper_frames"


def test_extra_values_are_typed_and_others_stringified_now():
    class Thing:
        def __init__(self):
            self.state = "early"

        def __str__(self):
            return f"Thing({self.state})"

    logger, handler = attach()
    thing = Thing()
    logger.info("m", extra={"s": "x", "i": 3, "f": 1.5, "b": False, "n": None, "o": thing, "big": 1 << 70})
    thing.state = "late"
    kv = handler.wait_for(1)[0]["key_values"]
    assert kv == {"s": "x", "i": 3, "f": 1.5, "b": False, "n": None, "o": "Thing(early)", "big": str(1 << 70)}
    assert type(kv["b"]) is bool and type(kv["i"]) is int


@pytest.mark.parametrize("key", ["message", "asctime", "levelname", "lineno", "msg", "args"])
def test_reserved_extra_keys_raise_keyerror_like_stdlib(key):
    logger, _ = attach()
    with pytest.raises(KeyError, match=f"Attempt to overwrite '{key}' in LogRecord"):
        logger.info("m", extra={key: 1})


def test_unknown_keyword_is_a_type_error():
    logger, _ = attach()
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        logger.info("m", colour="red")


def test_file_handler_writes_format_with_exception(tmp_path, closing):
    path = tmp_path / "app.log"
    handler = closing(FileHandlerBuilder(path).with_formatter(
        Formatter("%(levelname)s %(name)s:%(funcName)s: %(message)s [%(user)s]")).build())
    logger = get_logger("svc")
    logger.add_handler(handler)
    exc = raise_and_log(logger, extra={"user": "ann"})
    assert handler.flush()
    text = path.read_text()
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    assert text == f"ERROR svc:raise_and_log: failed op [ann]\n{tb}"


def test_handler_level_skips_lower_records(tmp_path, closing):
    path = tmp_path / "warn.log"
    handler = closing(FileHandlerBuilder(path).with_level("WARNING").build())
    logger = get_logger("lv")
    logger.add_handler(handler)
    logger.info("skipped")
    logger.warning("kept")
    assert handler.flush()
    assert path.read_text() == "lv [WARN] kept\n"
    assert handler.get_stats()["dropped"] == 0


def test_callable_formatter_gets_the_rich_mapping_and_may_ask_for_the_caller(tmp_path, closing):
    def fmt(record):
        kv = ",".join(f"{k}={v}" for k, v in sorted(record["key_values"].items()))
        return f"{record['message']}|{record.get('funcName')}|{kv}|{record['exc_info'] is not None}"

    fmt.wants_caller_info = True
    path = tmp_path / "cb.log"
    handler = closing(FileHandlerBuilder(path).with_formatter(fmt).build())
    logger = get_logger("cbfmt")
    logger.add_handler(handler)
    logger.info("hi %s", "there", extra={"a": 1, "b": None})
    assert handler.flush()
    assert path.read_text() == (
        "hi there|test_callable_formatter_gets_the_rich_mapping_and_may_ask_for_the_caller|a=1,b=None|False\n")


@pytest.mark.parametrize("fmt, args", [
    ("user %s id=%d", ("ann", 42)), ("%d%%", (-7,)), ("100%% %s", ("x",)), ("%s", (12,)),
    ("%d", (True,)), ("%s", (False,)), ("%d", (1 << 80,)), ("%s and %s", ("é", "ü")),
    ("é %s", ("a",)), ("%s", ((1, 2),)), ("%i %5s", (3, "ab")), ("%s", ("",)), ("", ()),
    ("%d", (-(1 << 63),)), ("%s", (None,)), ("%r", ("q",)),
])
def test_arguments_give_exactly_pythons_percent(fmt, args):
    logger, handler = attach()
    expected = fmt % args
    assert logger.info(fmt, *args) == f"app [INFO] {expected}"
    assert handler.wait_for(1)[0]["message"] == expected


@pytest.mark.parametrize("fmt, args", [("%s %s", ("one",)), ("%s", ("a", "b")), ("trail %", ("x",)),
                                       ("%d", ("text",))])
def test_argument_mismatches_are_noted_not_raised(fmt, args, capfd):
    logger, handler = attach()
    line = logger.info(fmt, *args)
    assert "(formatting error:" in line
    assert "--- Logging error ---" in capfd.readouterr().err


def test_a_threads_first_call_with_extra_carries_its_name():
    import threading

    logger, handler = attach()
    t = threading.Thread(target=lambda: logger.info("from thread", extra={"a": 1}), name="worker-x")
    t.start()
    t.join(10)
    record = handler.wait_for(1)[0]
    assert record["thread_name"] == "worker-x" and record["key_values"] == {"a": 1}


def test_timed_rotating_builder_takes_a_handler_level(tmp_path):
    from femtologging import TimedRotatingFileHandlerBuilder, get_logger

    path = tmp_path / "timed.log"
    handler = TimedRotatingFileHandlerBuilder(str(path)).with_level("WARNING").build()
    log = get_logger("merge.timed_level")
    log.add_handler(handler)
    log.info("skipped by the handler")
    log.warning("kept")
    handler.close()
    assert path.read_text() == "merge.timed_level [WARN] kept\n"
