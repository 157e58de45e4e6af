"""Runtime reconfiguration while other threads log (issue 13).

Four threads log without pause while the main thread applies 50
configurations, alternating ConfigBuilder and dictConfig, each with a new
file handler (policy "block", so nothing may be dropped), a different root
level and, for the ConfigBuilder ones, built-in and callback filters.
Every INFO record must be in exactly one configuration's file, no record in
two, and every replaced handler must end up closed.
"""

import collections
import threading

import pytest
from conftest import WAIT_S, wait_until

from femtologging import (
    ConfigBuilder,
    FileHandlerBuilder,
    HandlerClosedError,
    LoggerConfigBuilder,
    NameFilterBuilder,
    dictConfig,
    get_logger,
)

THREADS = 4
CONFIGURATIONS = 50
#: Each thread stops after this many INFO records even if the loop is not done.
MAX_PER_THREAD = 50_000


def configure(i, path, calls):
    level = "DEBUG" if i % 2 else "INFO"
    if i % 2 == 0:
        builder = (ConfigBuilder()
                   .with_handler("h", FileHandlerBuilder(str(path)).with_overflow_policy("block"))
                   .with_filter("rc", NameFilterBuilder().with_prefix("rc."))
                   .with_filter("count", lambda record: calls.append(1) or True)
                   .with_root_logger(LoggerConfigBuilder().with_level(level).with_handlers(["h"])))
        for k in range(THREADS):
            builder.with_logger(f"rc.t{k}", LoggerConfigBuilder().with_filters(["rc", "count"]))
        builder.build_and_init()
    else:
        dictConfig({
            "version": 1,
            "handlers": {"h": {"class": "logging.FileHandler",
                               "kwargs": {"filename": str(path), "policy": "block"}}},
            "root": {"level": level, "handlers": ["h"]},
            "loggers": {f"rc.t{k}": {} for k in range(THREADS)},
        })


@pytest.mark.slow
def test_reconfiguring_while_four_threads_log_loses_and_duplicates_nothing(tmp_path):
    stop = threading.Event()
    counts = [0] * THREADS
    errors = []
    calls = []

    def work(k):
        logger = get_logger(f"rc.t{k}")
        try:
            while not stop.is_set() and counts[k] < MAX_PER_THREAD:
                logger.debug(f"d{k}-{counts[k]}")
                logger.info(f"t{k}-{counts[k]}")
                counts[k] += 1
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    paths = [tmp_path / f"cfg{i}.log" for i in range(CONFIGURATIONS)]
    configure(0, paths[0], calls)
    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    replaced = []
    try:
        for i in range(1, CONFIGURATIONS):
            before = list(counts)
            # Reconfigure only while every thread is logging.
            wait_until(lambda: all(c > b for c, b in zip(counts, before)) or errors
                       or any(c >= MAX_PER_THREAD for c in counts))
            replaced.extend(get_logger("root").handlers)
            configure(i, paths[i], calls)
    finally:
        stop.set()
        for t in threads:
            t.join(WAIT_S)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    current = get_logger("root").handlers
    assert get_logger("root").flush_handlers(WAIT_S)

    # The replaced handlers were flushed (their records are in the files,
    # counted below) and closed.
    def closed(handler):
        try:
            handler.handle("probe", "INFO", "probe")  # written, and skipped below, if open
        except HandlerClosedError:
            return True
        return False

    wait_until(lambda: all(closed(h) for h in replaced), message="replaced handlers closed")
    for h in current:
        h.close()

    seen = collections.Counter()
    for path in paths:
        assert path.exists(), path
        for line in path.read_text().splitlines():
            key = line.rsplit(" ", 1)[1]
            if key != "probe":
                seen[key] += 1
    duplicated = [key for key, n in seen.items() if n != 1]
    assert not duplicated, duplicated[:10]
    for k in range(THREADS):
        missing = [i for i in range(counts[k]) if f"t{k}-{i}" not in seen]
        assert not missing, f"thread {k}: {len(missing)} INFO records lost, e.g. {missing[:5]}"
    assert sum(1 for key in seen if key.startswith("d")) > 0  # DEBUG configurations took effect
    assert calls  # the callback filters ran
    assert all(get_logger(f"rc.t{k}").get_dropped() == 0 for k in range(THREADS))
