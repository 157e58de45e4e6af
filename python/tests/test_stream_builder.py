"""StreamHandlerBuilder: fluent settings, validation naming the bad value,
the agreed spec, and formatter callables.

Output is read with capfd: the Go worker writes to fd 1 or 2 directly.
"""

import threading
import time

import pytest

from conftest import wait_event

from femtologging import HandlerConfigError, StreamHandlerBuilder, get_logger


def lines(text):
    return text.splitlines()


@pytest.mark.parametrize("method, value", [
    ("with_capacity", 10),
    ("with_flush_timeout_ms", 250),
    ("with_flush_after_ms", 250),
    ("with_formatter", "default"),
    ("with_formatter", lambda record: "x"),
])
def test_builder_methods_return_the_builder(method, value):
    builder = StreamHandlerBuilder.stderr()
    assert getattr(builder, method)(value) is builder


def test_builder_spec_has_the_agreed_schema():
    builder = StreamHandlerBuilder.stdout().with_capacity(7).with_flush_after_ms(300)
    assert builder._handler_spec() == {
        "kind": "stream", "target": "stdout", "capacity": 7,
        "flush_timeout_ms": 300, "formatter": "default",
    }
    assert StreamHandlerBuilder.stderr()._handler_spec() == {
        "kind": "stream", "target": "stderr", "capacity": 1024,
        "flush_timeout_ms": 1000, "formatter": "default",
    }


def test_builder_callable_formatter_becomes_callback_spec():
    spec = StreamHandlerBuilder.stderr().with_formatter(lambda r: "x")._handler_spec()
    assert set(spec["formatter"]) == {"callback"}
    assert isinstance(spec["formatter"]["callback"], int)


def test_builder_flush_timeout_sets_flush_default(capfd, closing, gate):
    # A setting longer than the 1 s default, checked as a lower bound: a
    # flush cannot give up early, while an upper bound fails on a busy
    # machine.
    handler = closing(StreamHandlerBuilder.stderr().with_formatter(gate).with_flush_after_ms(1500).build())
    handler.handle("t", "INFO", "m")
    wait_event(gate.entered)
    start = time.monotonic()
    assert handler.flush() is False
    assert time.monotonic() - start >= 1.4  # the 1500 ms setting, not the 1 s default
    gate.release()
    assert handler.flush(timeout_ms=10_000) is True  # written inside this test's capture
    assert capfd.readouterr().err == "t [INFO] m\n"


@pytest.mark.parametrize("method", ["with_capacity", "with_flush_timeout_ms", "with_flush_after_ms"])
@pytest.mark.parametrize("value", [0, -1, -1024])
def test_builder_rejects_non_positive_numbers_naming_them(method, value):
    with pytest.raises(HandlerConfigError) as info:
        getattr(StreamHandlerBuilder.stderr(), method)(value)
    assert isinstance(info.value, ValueError)
    assert str(value) in str(info.value)


@pytest.mark.parametrize("method", ["with_capacity", "with_flush_timeout_ms", "with_flush_after_ms"])
@pytest.mark.parametrize("value", ["10", 1.5, None, True])
def test_builder_rejects_non_int_with_type_error(method, value):
    with pytest.raises(TypeError) as info:
        getattr(StreamHandlerBuilder.stderr(), method)(value)
    assert type(value).__name__ in str(info.value)


@pytest.mark.parametrize("ident", ["", "DEFAULT", "not an id", "a.b"])
def test_builder_unknown_formatter_id_raises_handler_config_error(ident):
    with pytest.raises(HandlerConfigError) as info:
        StreamHandlerBuilder.stderr().with_formatter(ident)
    assert repr(ident) in str(info.value)


@pytest.mark.parametrize("bad", [42, None, b"default"])
def test_builder_non_callable_formatter_raises_type_error(bad):
    with pytest.raises(TypeError):
        StreamHandlerBuilder.stderr().with_formatter(bad)


def test_builder_rejects_unknown_target():
    with pytest.raises(ValueError) as info:
        StreamHandlerBuilder("stdlog")
    assert "'stdlog'" in str(info.value)


def test_builder_default_formatter_writes_default_layout(capfd, closing):
    handler = closing(StreamHandlerBuilder.stdout().with_formatter("default").build())
    handler.handle("d", "ERROR", "m")
    assert handler.flush() is True
    assert lines(capfd.readouterr().out) == ["d [ERROR] m"]


def test_formatter_callable_receives_mapping_and_its_line_is_written(capfd, closing):
    seen = []

    def formatter(record):
        seen.append((dict(record), threading.get_ident()))
        return f"{record['levelno']}|{record['logger']}|{record['message']}|{record['thread_name']}"

    handler = closing(StreamHandlerBuilder.stdout().with_formatter(formatter).build())
    logger = get_logger("fmt")
    logger.add_handler(handler)
    logger.log("WARNING", "w")
    assert handler.flush() is True
    assert lines(capfd.readouterr().out) == [f"30|fmt|w|{threading.current_thread().name}"]
    ((record, ident),) = seen
    assert {"logger", "level", "levelno", "message", "timestamp", "thread_id", "thread_name"} <= set(record)
    assert record["level"] == "WARN"
    assert isinstance(record["timestamp"], float)
    assert ident != threading.get_ident()  # on the handler worker, not the caller


def test_formatter_returning_non_str_counts_a_failure(capfd, closing):
    handler = closing(StreamHandlerBuilder.stderr().with_formatter(lambda record: 42).build())
    handler.handle("n", "INFO", "m")
    assert handler.flush() is False
    assert handler.get_stats()["failed"] == 1
    assert "formatter must return str" in capfd.readouterr().err


def test_formatter_exception_does_not_stop_the_worker(capfd, closing):
    def flaky(record):
        if record["message"].startswith("bad"):
            raise RuntimeError("flaky formatter")
        return record["message"]

    handler = closing(StreamHandlerBuilder.stderr().with_formatter(flaky).build())
    for m in ["ok1", "bad1", "ok2", "bad2", "ok3"]:
        handler.handle("f", "INFO", m)
    handler.flush()
    err = capfd.readouterr().err
    assert [line for line in lines(err) if line.startswith("ok")] == ["ok1", "ok2", "ok3"]
    assert err.count("RuntimeError: flaky formatter") == 2
    assert handler.get_stats() == {"delivered": 3, "dropped": 0, "failed": 2}


def test_builder_absurd_capacity_is_a_config_error_not_an_abort(run_python):
    # In a subprocess: before the bound, Go tried to allocate the whole
    # queue up front and the out-of-memory abort killed the interpreter.
    code = """
        from femtologging import HandlerConfigError, StreamHandlerBuilder
        try:
            StreamHandlerBuilder.stderr().with_capacity(10_000_000_000).build()
            print("built")
        except HandlerConfigError as exc:
            print("HandlerConfigError:", exc)
    """
    rc, out, err = run_python(code)
    assert rc == 0, err[-2000:]
    assert out.startswith("HandlerConfigError:"), out
    assert "10000000000" in out
