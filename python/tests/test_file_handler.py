"""FemtoFileHandler and FileHandlerBuilder: appending, flush_interval,
overflow policies, construction errors, builders."""

import threading
import time

import pytest

from femtologging.handlers._handler_base import NativeHandler
from femtologging.errors import HandlerConfigError
from femtologging.handlers.file import FemtoFileHandler, FileHandlerBuilder
from femtologging.logger import get_logger
from femtologging.handlers.policy import OverflowPolicy

DEADLINE_S = 10.0


def lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def wait_for(predicate, what):
    """Poll predicate until true; fail after DEADLINE_S."""
    deadline = time.monotonic() + DEADLINE_S
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.002)


class GatedFormatter:
    """A formatter that holds the worker until released, to fill the queue."""

    def __init__(self):
        self.started = threading.Event()
        self.gate = threading.Event()

    def __call__(self, record):
        self.started.set()
        self.gate.wait(DEADLINE_S)
        return f"{record['logger']} [{record['level']}] {record['message']}"


def gated_handler(path, policy, capacity=1):
    """A handler whose worker is stuck on record 0 and whose queue is full."""
    fmt = GatedFormatter()
    handler = (FileHandlerBuilder(path).with_capacity(capacity)
               .with_overflow_policy(policy).with_formatter(fmt).build())
    handler.handle("app", "INFO", "0")
    assert fmt.started.wait(DEADLINE_S)
    for i in range(capacity):
        handler.handle("app", "INFO", str(i + 1))
    return handler, fmt


def test_file_handler_appends_and_creates(tmp_path):
    path = tmp_path / "app.log"
    for text in ("first", "second"):
        with FemtoFileHandler(path) as handler:
            handler.handle("app", "INFO", text)
    assert lines(path) == ["app [INFO] first", "app [INFO] second"]


def test_file_handler_records_from_a_logger(tmp_path):
    path = tmp_path / "app.log"
    handler = FemtoFileHandler(str(path))
    logger = get_logger("svc.db")
    logger.add_handler(handler)
    assert logger.log("WARNING", "slow query") == "svc.db [WARN] slow query"
    assert handler.flush() is True
    assert lines(path) == ["svc.db [WARN] slow query"]
    handler.close()


@pytest.mark.parametrize("make_path, error", [
    (lambda d: d / "missing" / "app.log", FileNotFoundError),
    (lambda d: d, IsADirectoryError),
])
def test_file_handler_bad_path_raises_oserror_naming_it(tmp_path, make_path, error):
    path = make_path(tmp_path)
    with pytest.raises(error) as info:
        FemtoFileHandler(path)
    assert str(path) in str(info.value)
    assert info.value.filename == str(path)


@pytest.mark.parametrize("policy", ["sometimes", "timeout:0", "timeout:-5", "timeout:", "timeout:1.5",
                                    "Block", "", "timeout:99999999999"])
def test_file_handler_bad_policy_raises_value_error(tmp_path, policy):
    with pytest.raises(ValueError) as info:
        FemtoFileHandler(tmp_path / "app.log", policy=policy)
    message = str(info.value)
    assert repr(policy) in message
    assert '"drop", "block" or "timeout:N"' in message
    assert not (tmp_path / "app.log").exists()


def test_file_handler_go_validates_policy_too(tmp_path):
    spec = {"kind": "file", "path": str(tmp_path / "app.log"), "policy": "later"}
    with pytest.raises(HandlerConfigError, match=r'\$\.policy: invalid overflow policy "later": want'):
        NativeHandler(spec, 1000, "raw")


@pytest.mark.parametrize("kwargs, error", [
    ({"capacity": 0}, ValueError), ({"capacity": "8"}, TypeError),
    ({"flush_interval": 0}, ValueError), ({"flush_interval": 1.5}, TypeError),
])
def test_file_handler_bad_numbers_raise(tmp_path, kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        FemtoFileHandler(tmp_path / "app.log", **kwargs)


def test_file_handler_flush_interval_counts_records(tmp_path):
    path = tmp_path / "app.log"
    handler = FemtoFileHandler(path, flush_interval=3)
    for i in range(3):
        handler.handle("app", "INFO", str(i))
    # Three records written: the flush is due without flush() being called.
    wait_for(lambda: len(lines(path)) == 3, "the first three records")
    assert lines(path) == ["app [INFO] 0", "app [INFO] 1", "app [INFO] 2"]
    for i in range(3, 5):
        handler.handle("app", "INFO", str(i))
    assert handler.flush() is True
    assert len(lines(path)) == 5
    handler.close()


def test_file_handler_close_writes_everything_and_is_idempotent(tmp_path):
    path = tmp_path / "app.log"
    handler = FemtoFileHandler(path, capacity=4096, flush_interval=1000)
    for i in range(3000):
        handler.handle("app", "INFO", str(i))
    handler.close()
    handler.close()
    assert lines(path) == [f"app [INFO] {i}" for i in range(3000)]
    assert handler.get_stats() == {"delivered": 3000, "dropped": 0, "failed": 0}


def test_file_handler_drop_policy_direct_handle_raises_runtime_error(tmp_path):
    handler, fmt = gated_handler(tmp_path / "app.log", "drop")
    with pytest.raises(RuntimeError, match="queue full"):
        handler.handle("app", "INFO", "dropped")
    fmt.gate.set()
    handler.close()
    assert lines(tmp_path / "app.log") == ["app [INFO] 0", "app [INFO] 1"]
    assert handler.get_dropped() == 1


def test_file_handler_timeout_policy_waits_then_raises(tmp_path):
    handler, fmt = gated_handler(tmp_path / "app.log", OverflowPolicy.timeout(80))
    start = time.monotonic()
    with pytest.raises(RuntimeError):
        handler.handle("app", "INFO", "dropped")
    assert time.monotonic() - start >= 0.07
    fmt.gate.set()
    handler.close()
    assert handler.get_dropped() == 1


def test_file_handler_block_policy_waits_for_room(tmp_path):
    handler, fmt = gated_handler(tmp_path / "app.log", "block")
    done = threading.Event()

    def producer():
        handler.handle("app", "INFO", "2")
        done.set()

    thread = threading.Thread(target=producer)
    thread.start()
    assert not done.wait(0.2), "handle() returned while the queue was full"
    fmt.gate.set()
    thread.join(DEADLINE_S)
    assert done.is_set()
    handler.close()
    assert lines(tmp_path / "app.log") == ["app [INFO] 0", "app [INFO] 1", "app [INFO] 2"]
    assert handler.get_dropped() == 0


def test_file_handler_drop_policy_through_logger_counts_without_raising(tmp_path):
    handler, fmt = gated_handler(tmp_path / "app.log", "drop")
    logger = get_logger("app")
    logger.add_handler(handler)
    for i in range(50):
        logger.log("INFO", f"x{i}")  # never raises: drops are counted
    wait_for(lambda: handler.get_dropped() + logger.get_dropped() >= 40, "drops to be counted")
    fmt.gate.set()
    handler.close()


def test_file_handler_block_policy_through_logger_drops_nothing(tmp_path):
    path = tmp_path / "app.log"
    handler = FemtoFileHandler(path, capacity=2, policy="block")
    logger = get_logger("app")
    logger.add_handler(handler)

    def produce(tid):
        for i in range(5000):
            logger.log("INFO", f"{tid} {i}")

    threads = [threading.Thread(target=produce, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert handler.flush(timeout_ms=30_000) is True
    handler.close()
    assert len(lines(path)) == 20_000
    assert logger.get_dropped() == 0
    assert handler.get_stats() == {"delivered": 20_000, "dropped": 0, "failed": 0}


def test_file_handler_builder_methods_chain_and_describe(tmp_path):
    path = tmp_path / "app.log"
    builder = FileHandlerBuilder(path)
    assert builder.with_capacity(64) is builder
    assert builder.with_flush_interval(5) is builder
    assert builder.with_flush_after_records(7) is builder
    assert builder.with_overflow_policy(OverflowPolicy.timeout(250)) is builder
    assert builder.with_flush_timeout_ms(300) is builder
    assert builder.with_formatter("default") is builder
    assert builder._handler_spec() == {
        "kind": "file", "path": str(path), "capacity": 64, "flush_interval": 7,
        "policy": "timeout:250", "flush_timeout_ms": 300, "formatter": "default",
    }
    assert "timeout:250" in repr(builder)


def test_file_handler_builder_formatter_callable_shapes_lines(tmp_path):
    path = tmp_path / "app.log"
    handler = (FileHandlerBuilder(path)
               .with_formatter(lambda r: f"{r['level']}|{r['logger']}|{r['message']}")
               .build())
    handler.handle("svc", "ERROR", "boom")
    handler.close()
    assert lines(path) == ["ERROR|svc|boom"]


@pytest.mark.parametrize("call, error", [
    (lambda b: b.with_overflow_policy("never"), ValueError),
    (lambda b: b.with_overflow_policy(OverflowPolicy), ValueError),
    (lambda b: b.with_formatter("not an id"), ValueError),
    (lambda b: b.with_formatter(42), TypeError),
    (lambda b: b.with_flush_interval(-1), ValueError),
])
def test_file_handler_builder_rejects_bad_settings(tmp_path, call, error):
    with pytest.raises(error):
        call(FileHandlerBuilder(tmp_path / "app.log"))


def test_overflow_policy_compares_by_value_and_prints_readably():
    assert OverflowPolicy.drop() == OverflowPolicy.drop()
    assert OverflowPolicy.timeout(5) == OverflowPolicy.parse("timeout:5")
    assert OverflowPolicy.timeout(5) != OverflowPolicy.timeout(6)
    assert OverflowPolicy.block() != OverflowPolicy.drop()
    assert len({OverflowPolicy.block(), OverflowPolicy.parse("block")}) == 1
    assert repr(OverflowPolicy.timeout(250)) == "OverflowPolicy.timeout(250)"
    assert repr(OverflowPolicy.block()) == "OverflowPolicy.block()"
    assert str(OverflowPolicy.timeout(250)) == "timeout:250"
    assert OverflowPolicy.timeout(9).timeout_ms == 9 and OverflowPolicy.drop().kind == "drop"


@pytest.mark.parametrize("ms, error", [(0, ValueError), (-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_overflow_policy_timeout_rejects_bad_ms(ms, error):
    with pytest.raises(error):
        OverflowPolicy.timeout(ms)
