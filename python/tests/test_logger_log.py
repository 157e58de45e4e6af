"""FemtoLogger.log and friends: return values, level names, shorthands,
is_enabled_for, and errors that name the bad value."""

import threading

import pytest

from conftest import WAIT_S

from femtologging import get_logger
from femtologging.levels import parse_level

SPELLINGS = [
    ("TRACE", "TRACE"),
    ("DEBUG", "DEBUG"),
    ("INFO", "INFO"),
    ("WARN", "WARN"),
    ("WARNING", "WARN"),
    ("ERROR", "ERROR"),
    ("CRITICAL", "CRITICAL"),
]


@pytest.fixture
def everything():
    """A logger that lets every level through."""
    logger = get_logger("demo.app")
    logger.set_level("TRACE")
    return logger


@pytest.mark.parametrize("name, canonical", SPELLINGS)
def test_log_returns_formatted_line(everything, name, canonical):
    assert everything.log(name, "hello") == f"demo.app [{canonical}] hello"


@pytest.mark.parametrize("name, canonical", SPELLINGS)
@pytest.mark.parametrize("case", [str.lower, str.capitalize, str.swapcase, lambda s: s[0] + s[1:].lower()])
def test_log_level_names_are_case_insensitive(everything, name, canonical, case):
    spelling = case(name)
    assert everything.log(spelling, "m") == f"demo.app [{canonical}] m"


def test_log_returns_none_when_filtered():
    assert get_logger("demo.app").log("DEBUG", "hidden") is None


def test_log_without_handlers_still_returns_line():
    logger = get_logger("lonely")
    assert logger.handlers == []
    assert logger.log("INFO", "m") == "lonely [INFO] m"


@pytest.mark.parametrize("message", ["", "ünïcødé ✓ 日本", "multi\nline", "tab\tsep", "x" * 100_000])
def test_log_message_round_trips_to_handler(everything, collector, message):
    everything.add_handler(collector)
    assert everything.log("INFO", message) == f"demo.app [INFO] {message}"
    assert collector.wait_for(1) == [("demo.app", "INFO", message)]


@pytest.mark.parametrize("name, message", [("démo.app", "ascii"), ("demo.app", "ascii"), ("démo.app", "ünï")])
def test_log_returned_line_for_ascii_and_non_ascii_names_and_messages(name, message):
    # ASCII lines take a shortcut in C; the others the general path.
    line = get_logger(name).log("ERROR", message)
    assert line == f"{name} [ERROR] {message}"
    assert line.isascii() == (name + message).isascii()


def test_log_message_with_nul_byte_is_not_truncated(everything, collector):
    # Strings cross the C boundary as (pointer, length), never NUL-terminated.
    everything.add_handler(collector)
    everything.log("INFO", "before\x00after")
    assert collector.wait_for(1) == [("demo.app", "INFO", "before\x00after")]


def test_log_accepts_str_subclass(everything, collector):
    class Text(str):
        pass

    everything.add_handler(collector)
    assert everything.log("INFO", Text("sub")) == "demo.app [INFO] sub"
    assert collector.wait_for(1) == [("demo.app", "INFO", "sub")]


@pytest.mark.parametrize("bad", ["VERBOSE", "", "INF", "WARNINGS", "info ", "NOTSET", "FATAL"])
def test_log_unknown_level_raises_value_error_naming_it(everything, bad):
    with pytest.raises(ValueError) as info:
        everything.log(bad, "m")
    assert repr(bad) in str(info.value)


def test_log_unknown_level_raises_even_when_logger_filters_everything():
    # A typo in a level must not hide behind a high threshold.
    logger = get_logger("quiet")
    logger.set_level("CRITICAL")
    with pytest.raises(ValueError):
        logger.log("VERBOSE", "m")


@pytest.mark.parametrize("bad", [None, 1.5, b"INFO", ["INFO"]])
def test_log_non_str_level_raises_type_error(everything, bad):
    with pytest.raises(TypeError) as info:
        everything.log(bad, "m")
    assert type(bad).__name__ in str(info.value)


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["m"], 3.0])
def test_log_non_str_message_raises_type_error_naming_type(everything, bad):
    with pytest.raises(TypeError) as info:
        everything.log("INFO", bad)
    assert type(bad).__name__ in str(info.value)


def test_log_type_error_sends_nothing(everything, collector):
    everything.add_handler(collector)
    with pytest.raises(TypeError):
        everything.log("INFO", 42)
    everything.log("INFO", "next")
    assert collector.wait_for(1) == [("demo.app", "INFO", "next")]


SHORTHANDS = [
    ("trace", "TRACE"),
    ("debug", "DEBUG"),
    ("info", "INFO"),
    ("warning", "WARN"),
    ("warn", "WARN"),
    ("error", "ERROR"),
    ("critical", "CRITICAL"),
]


@pytest.mark.parametrize("method, canonical", SHORTHANDS)
def test_shorthand_returns_what_log_returns(everything, collector, method, canonical):
    everything.add_handler(collector)
    assert getattr(everything, method)("m") == everything.log(canonical, "m")
    assert collector.wait_for(2) == [("demo.app", canonical, "m")] * 2


@pytest.mark.parametrize("method", ["trace", "debug"])
def test_shorthand_returns_none_when_filtered(method):
    assert getattr(get_logger("demo.app"), method)("m") is None


@pytest.mark.parametrize("method", [m for m, _ in SHORTHANDS])
def test_shorthand_non_str_message_raises_type_error(everything, method):
    with pytest.raises(TypeError):
        getattr(everything, method)(7)


@pytest.mark.parametrize("name, canonical", SPELLINGS)
def test_is_enabled_for_matches_log(name, canonical):
    logger = get_logger("demo.app")
    logger.set_level("WARN")
    expected = logger.log(name, "probe") is not None
    assert logger.is_enabled_for(name) is expected
    assert logger.is_enabled_for(name.lower()) is expected


def test_is_enabled_for_follows_level_changes():
    logger = get_logger("a.b")
    assert logger.is_enabled_for("DEBUG") is False
    get_logger("a").set_level("DEBUG")
    assert logger.is_enabled_for("DEBUG") is True


def test_is_enabled_for_alias_is_enabled_for():
    logger = get_logger("demo.app")
    assert logger.isEnabledFor("INFO") is True
    assert logger.isEnabledFor("debug") is False


def test_is_enabled_for_unknown_level_raises_value_error():
    with pytest.raises(ValueError) as info:
        get_logger("demo.app").is_enabled_for("LOUD")
    assert "'LOUD'" in str(info.value)


def test_is_enabled_for_non_str_raises_type_error():
    with pytest.raises(TypeError):
        get_logger("demo.app").is_enabled_for(None)


def test_log_from_many_threads_returns_lines(collector):
    logger = get_logger("mt")
    logger.add_handler(collector)
    results = []
    lock = threading.Lock()

    def worker(i):
        line = logger.log("INFO", f"t{i}")
        with lock:
            results.append(line)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S)
    assert sorted(results) == sorted(f"mt [INFO] t{i}" for i in range(16))
    assert sorted(m for _, _, m in collector.wait_for(16)) == sorted(f"t{i}" for i in range(16))


# ---- one default line (issue 10, item 1) --------------------------------------
#
# The line log() returns is laid out once on the Python side, in _fastlog's
# LoggerCore (Go's TextFormatter writes the same line to handlers): the
# Python paths return it through LoggerCore._line.


@pytest.mark.parametrize("name, canonical", SPELLINGS)
def test_c_and_python_paths_return_the_same_line(everything, name, canonical):
    fast = everything.log(name, "same line")
    # A keyword takes the Python path (_log_full -> _log_details -> _line);
    # a lone surrogate takes _log_slow -> _slow_status -> _line.
    slow = everything.log(name, "same line", stacklevel=1)
    surrogate = everything.log(name, "same \udc80")
    assert fast == slow == f"demo.app [{canonical}] same line"
    assert surrogate == f"demo.app [{canonical}] same \udc80"
    assert everything._line(parse_level(name), "x") == f"demo.app [{canonical}] x"


def test_line_refuses_a_level_without_a_name(everything):
    with pytest.raises(ValueError, match="no line for level 25"):
        everything._line(25, "x")
    with pytest.raises(TypeError, match="message must be a str"):
        everything._line(20, b"x")
