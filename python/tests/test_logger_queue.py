"""The logger queue: capacity 1024, drops counted and reported (rate-limited)
on stderr, and per-thread order preserved.

To fill the queue deterministically the worker is held inside a Python
handler (a Gate) that blocks until the test releases it: the first record
parks the worker, the next 1024 fill the queue, and every further record
must be dropped.
"""

import threading

import pytest

from conftest import WAIT_S, Collector, park_worker

from femtologging import get_logger

CAPACITY = 1024


def test_get_dropped_starts_at_zero():
    assert get_logger("q").get_dropped() == 0


def test_full_queue_drops_and_counts_each_extra_record(gate, collector):
    logger = get_logger("q")
    logger.add_handler(gate)
    logger.add_handler(collector)
    park_worker(logger, gate)
    for i in range(CAPACITY):
        logger.log("INFO", f"queued {i}")
    assert logger.get_dropped() == 0
    extra = 37
    for i in range(extra):
        # A dropped record still passed the level check: log() says so.
        assert logger.log("INFO", f"dropped {i}") == f"q [INFO] dropped {i}"
    assert logger.get_dropped() == extra
    gate.release()
    records = collector.wait_for(1 + CAPACITY)
    assert [m for _, _, m in records] == ["park"] + [f"queued {i}" for i in range(CAPACITY)]


def test_queue_accepts_records_again_after_draining(gate, collector):
    logger = get_logger("q")
    logger.add_handler(gate)
    logger.add_handler(collector)
    park_worker(logger, gate)
    for i in range(CAPACITY + 5):
        logger.log("INFO", f"m{i}")
    assert logger.get_dropped() == 5
    gate.release()
    collector.wait_for(1 + CAPACITY)
    logger.log("INFO", "after")
    assert collector.wait_for(2 + CAPACITY)[-1] == ("q", "INFO", "after")
    assert logger.get_dropped() == 5


def test_filtered_records_are_not_counted_as_dropped(gate):
    logger = get_logger("q")
    logger.add_handler(gate)
    park_worker(logger, gate)
    for i in range(CAPACITY):
        logger.log("INFO", "fill")
    assert logger.log("DEBUG", "filtered") is None
    assert logger.get_dropped() == 0


def test_drops_are_per_logger(gate):
    full = get_logger("full")
    other = get_logger("other")
    full.add_handler(gate)
    park_worker(full, gate)
    for _ in range(CAPACITY + 3):
        full.log("INFO", "m")
    assert full.get_dropped() == 3
    assert other.get_dropped() == 0
    assert get_logger("root").get_dropped() == 0


def _parked_and_overfilled(extra):
    """The start of a subprocess snippet: logger "pressure" with its worker
    parked in a Gate (released by release.set()), its queue filled and
    extra records dropped."""
    return f"""
        import threading
        from femtologging import get_logger

        release, entered = threading.Event(), threading.Event()

        class Gate:
            def handle(self, logger, level, message):
                entered.set()
                release.wait(30)

        logger = get_logger("pressure")
        logger.add_handler(Gate())
        logger.log("INFO", "park")
        assert entered.wait(20)
        for i in range({CAPACITY} + {extra}):
            logger.log("INFO", "m")
    """


@pytest.mark.slow
def test_drop_warning_is_printed_once_per_interval(run_python):
    # In a subprocess: the library's diagnostics go to the stderr the
    # process had when it loaded the library, and their rate limit is
    # process-wide, so only a fresh process gives a clean view of them.
    code = _parked_and_overfilled(500) + """
        print("dropped", logger.get_dropped())
        release.set()
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.split() == ["dropped", "500"]
    warnings = [line for line in err.splitlines() if "queue full" in line]
    # One line at once; the program ends within the interval, so the next
    # is the summary at exit with the total.
    assert warnings == [
        "femtologging: logger pressure: queue full: record dropped (1 so far)",
        "femtologging: logger pressure: in all: 500 dropped (queue full)",
    ], err


@pytest.mark.slow
def test_drop_warning_after_the_interval_carries_the_cumulative_count(run_python):
    # The rate limit is 5 s per source: the second line comes only after
    # it, and counts every drop so far, including the unreported ones; the
    # summary at exit gives the total.
    code = _parked_and_overfilled(10) + """
        import time

        first = time.monotonic()
        while time.monotonic() - first < 5.2:  # the report interval itself
            time.sleep(0.05)
        for i in range(7):
            logger.log("INFO", "m")
        print("dropped", logger.get_dropped())
        release.set()
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.split() == ["dropped", "17"]
    warnings = [line for line in err.splitlines() if "queue full" in line]
    assert warnings == [
        "femtologging: logger pressure: queue full: record dropped (1 so far)",
        "femtologging: logger pressure: queue full: record dropped (11 so far)",
        "femtologging: logger pressure: in all: 17 dropped (queue full)",
    ], err


def test_records_from_one_thread_keep_their_order(collector):
    logger = get_logger("order")
    logger.add_handler(collector)
    n = 500
    for i in range(n):
        logger.log("INFO", str(i))
    assert [int(m) for _, _, m in collector.wait_for(n)] == list(range(n))


def test_each_thread_order_is_kept_under_contention():
    logger = get_logger("order")
    collector = Collector()
    logger.add_handler(collector)
    threads_n, per_thread = 8, 100  # 800 records: below capacity, no drops
    barrier = threading.Barrier(threads_n)

    def worker(t):
        barrier.wait(WAIT_S)
        for i in range(per_thread):
            logger.log("INFO", f"{t}:{i}")

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S)
    records = collector.wait_for(threads_n * per_thread)
    assert logger.get_dropped() == 0
    seen = {t: [] for t in range(threads_n)}
    for _, _, message in records:
        t, i = map(int, message.split(":"))
        seen[t].append(i)
    for t in range(threads_n):
        assert seen[t] == list(range(per_thread)), f"thread {t} out of order"


def test_order_is_kept_for_every_handler_of_the_chain():
    parent, child = Collector(), Collector()
    get_logger("a").add_handler(parent)
    get_logger("a.b").add_handler(child)
    logger = get_logger("a.b")
    for i in range(300):
        logger.log("INFO", str(i))
    for c in (child, parent):
        assert [int(m) for _, _, m in c.wait_for(300)] == list(range(300))


@pytest.mark.xfail(
    reason="each logger has its own worker, so a handler shared by two loggers "
    "(root's) can receive one thread's records out of order; issue 2 point 3 "
    "may mean per logger only: reported, not decided",
    strict=False,
)
def test_one_thread_order_is_kept_across_loggers_for_a_shared_handler():
    shared = Collector()
    get_logger("root").add_handler(shared)
    loggers = [get_logger("net"), get_logger("app")]
    n = 1000
    for i in range(n):
        loggers[i % 2].log("INFO", str(i))
    assert [int(m) for _, _, m in shared.wait_for(n)] == list(range(n))


@pytest.mark.slow
def test_burst_of_large_messages_does_not_pin_memory(run_python):
    # Queue slots recycle their message buffers; a burst of 256 KiB
    # messages must not leave every slot holding 256 KiB for good (it kept
    # ~500 MiB resident here before).
    code = """
        import os, sys
        from femtologging import FemtoStreamHandler, get_logger

        def rss_mib():
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmRSS"):
                        return int(line.split()[1]) // 1024

        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the handler's output
        handler = FemtoStreamHandler.stdout()
        logger = get_logger("big")
        logger.add_handler(handler)
        before = rss_mib()
        big = "x" * (256 * 1024)
        for i in range(3000):
            logger.log("INFO", big)
            if i % 100 == 0:
                # Bound what is in flight (~25 MiB), so the measure is what
                # stays behind, not what a busy machine let queue up. The
                # ring still cycles through all its slots: a buffer kept by
                # every slot would show as hundreds of MiB.
                handler.flush()
        assert handler.flush()
        print("growth", rss_mib() - before, "written", handler.get_stats()["delivered"],
              file=sys.stderr)
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    (report,) = [line.split() for line in err.splitlines() if line.startswith("growth ")]
    growth, written = int(report[1]), int(report[3])
    assert written > 1000
    assert growth < 150, f"resident memory grew by {growth} MiB"
