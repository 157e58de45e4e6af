"""Logger names: one logger per name, validation, dotted parents, root, reset."""

import statistics
import threading
import time

import pytest

from conftest import WAIT_S, Collector

import femtologging
from femtologging import FemtoLogger, StaleHandleError, get_logger, reset_manager


def test_get_logger_same_name_returns_same_object():
    assert get_logger("app.db") is get_logger("app.db")


def test_get_logger_distinct_names_return_distinct_loggers():
    assert get_logger("app") is not get_logger("app.db")


def test_get_logger_returns_femtologger_with_its_name():
    logger = get_logger("demo.app")
    assert isinstance(logger, FemtoLogger)
    assert logger.name == "demo.app"


def test_get_logger_root_is_named_root():
    assert get_logger("root").name == "root"


@pytest.mark.parametrize(
    "name, why",
    [
        ("", "empty"),
        (".app", "start"),
        ("app.", "end"),
        ("a..b", "consecutive"),
        ("..", "start"),
        (".", "start"),
        ("a.b..c.d", "consecutive"),
    ],
)
def test_get_logger_invalid_name_raises_value_error_naming_it(name, why):
    with pytest.raises(ValueError) as info:
        get_logger(name)
    message = str(info.value)
    assert repr(name) in message or f'"{name}"' in message, message
    assert why in message, message


def test_get_logger_invalid_name_is_a_femtologging_error():
    with pytest.raises(femtologging.FemtologgingError):
        get_logger("a..b")


@pytest.mark.parametrize("name", [None, 42, b"app", ["app"]])
def test_get_logger_non_str_name_raises_type_error(name):
    with pytest.raises(TypeError) as info:
        get_logger(name)
    assert type(name).__name__ in str(info.value)


@pytest.mark.parametrize("name", ["a", "a.b.c.d.e", "app-1_x", "ünïcødé.日本", "with space", "x" * 1000])
def test_get_logger_accepts_unusual_valid_names(name, collector):
    logger = get_logger(name)
    logger.add_handler(collector)
    assert logger.log("INFO", "hi") == f"{name} [INFO] hi"
    assert collector.wait_for(1) == [(name, "INFO", "hi")]


def test_get_logger_creates_dotted_parents_on_demand(collector):
    child = get_logger("api.v1.users")
    # The parents exist already: a handler attached to them now sees the
    # child's records, which they could not if they had been created later
    # outside the child's chain.
    get_logger("api").add_handler(collector)
    child.log("INFO", "x")
    assert collector.wait_for(1) == [("api.v1.users", "INFO", "x")]


def test_get_logger_parent_of_top_level_name_is_root(collector):
    get_logger("root").add_handler(collector)
    get_logger("toplevel").log("ERROR", "e")
    assert collector.wait_for(1) == [("toplevel", "ERROR", "e")]


def test_get_logger_concurrent_first_calls_return_one_logger():
    results = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait(WAIT_S)
        results.append(get_logger("race.one"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S)
    assert len(results) == 8
    assert all(r is results[0] for r in results)


def test_reset_manager_gives_fresh_loggers():
    before = get_logger("app")
    before.set_level("ERROR")
    reset_manager()
    after = get_logger("app")
    assert after is not before
    assert after.get_effective_level() == "INFO"


def test_reset_manager_makes_old_logger_stale():
    old = get_logger("app")
    reset_manager()
    with pytest.raises(StaleHandleError) as info:
        old.log("ERROR", "late")
    assert "stale" in str(info.value)
    assert isinstance(info.value, RuntimeError)


def test_reset_manager_forgets_handlers(collector):
    get_logger("app").add_handler(collector)
    reset_manager()
    fresh = get_logger("app")
    assert fresh.handlers == []
    witness = Collector()
    fresh.add_handler(witness)
    fresh.log("INFO", "after reset")
    # Had the old handler survived, it would sit before the witness in the
    # dispatch list and have the record by the time the witness does.
    witness.wait_for(1)
    assert collector.count() == 0


def test_logger_creation_cost_does_not_grow_with_loggers_seen():
    # Every new name registers a handle; the table was copied per
    # registration, so the n-th new logger cost O(n) (2.4 ms at 20,000).
    def timed_batch(prefix, n):
        times = []
        for i in range(n):
            start = time.perf_counter()
            get_logger(f"{prefix}.{i}")
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    first = timed_batch("first", 300)
    for i in range(6000):
        get_logger(f"filler.{i}")
    last = timed_batch("last", 300)
    assert last < max(5 * first, 50e-6), f"median get_logger: first {first * 1e6:.1f} us, last {last * 1e6:.1f} us"
