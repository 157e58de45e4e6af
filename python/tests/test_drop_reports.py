"""Drops and failures are reported in proportion to what was lost.

The first warning of an episode is printed at once; later ones (at most
one per 5 s per source, at the next event after the interval) carry
running totals; a handler that lost records
prints one summary line when it closes, and at exit every logger or
handler not summarized yet prints one, with totals and reasons. A Python
handler's failure reads as that handler's error.

The library's diagnostics go to the child's descriptor 2, so each case
runs in a fresh interpreter (run_python).
"""

import re

GATE = """
    import os, threading
    from femtologging import get_logger

    release, entered = threading.Event(), threading.Event()

    class Gate:
        def handle(self, logger, level, message):
            entered.set()
            release.wait(30)
"""


def femto_lines(err):
    return [line for line in err.splitlines() if line.startswith("femtologging: ")]


def test_a_burst_of_drops_ends_with_its_total_at_exit(run_python):
    rc, out, err = run_python(GATE + """
    logger = get_logger("burst")
    logger.add_handler(Gate())
    logger.log("INFO", "park")
    assert entered.wait(20)
    for i in range(100_000):
        logger.log("INFO", "m")
    print(logger.get_dropped())
    release.set()
    """)
    assert rc == 0, err
    dropped = int(out)
    assert dropped > 90_000
    lines = femto_lines(err)
    assert lines[0] == "femtologging: logger burst: queue full: record dropped (1 so far)", err
    assert lines[-1] == f"femtologging: logger burst: in all: {dropped} dropped (queue full)", err
    # The burst takes well under the 5 s interval; on a machine slow enough
    # to stretch it, a running total may come between, never anything else.
    for line in lines[1:-1]:
        assert re.fullmatch(r"femtologging: logger burst: queue full: record dropped \(\d+ so far\)", line), err


def test_close_of_a_handler_that_lost_records_prints_its_summary(run_python):
    rc, out, err = run_python(GATE + """
    from femtologging import StreamHandlerBuilder, QueueFullError

    def slow(record):
        release.wait(30)
        return record["message"]

    handler = StreamHandlerBuilder.stdout().with_capacity(1).with_formatter(slow).build()
    handler.handle("h", "INFO", "taken")
    handler.handle("h", "INFO", "queued")
    refused = 0
    for _ in range(20):
        try:
            handler.handle("h", "INFO", "no room")
        except QueueFullError:
            refused += 1
    release.set()
    handler.close()
    os.write(2, b"closed\\n")  # the summary must come before this
    quiet = StreamHandlerBuilder.stdout().build()
    quiet.handle("q", "INFO", "fine")
    quiet.close()
    print(refused, handler.get_stats(), flush=True)
    """)
    assert rc == 0, err
    refused = int(out.splitlines()[-1].split()[0])
    assert refused >= 19  # the worker may take "queued" before the burst
    lines = err.splitlines()
    summary = f"femtologging: stream stdout: in all: {refused} dropped (queue full)"
    assert summary in lines, err
    assert lines.index(summary) < lines.index("closed"), err
    # One line per handler: the handler that lost nothing printed none,
    # and exit does not repeat what close said.
    assert [line for line in lines if ": in all: " in line] == [summary], err


def test_a_python_handler_error_names_the_handler_and_the_exception(run_python):
    rc, out, err = run_python("""
    from femtologging import get_logger

    class Bad:
        def handle(self, logger, level, message):
            raise ValueError("boom")

    logger = get_logger("app")
    bad = Bad()
    logger.add_handler(bad)
    for _ in range(3):
        logger.log("INFO", "x")
    print(repr(bad))
    """)
    assert rc == 0, err
    name = f"handler {out.strip()}"
    assert "callback" not in err, err
    assert "Bad object at 0x" in name
    lines = femto_lines(err)
    assert f"femtologging: {name}: error: ValueError: boom (1 so far)" in lines, err
    assert lines[-1] == f"femtologging: {name}: in all: 3 failed (error: ValueError: boom)", err
    assert err.count("Traceback (most recent call last)") == 3  # each exception is still printed


def test_a_python_formatter_error_names_the_formatter(run_python):
    rc, out, err = run_python("""
    from femtologging import StreamHandlerBuilder

    def picky(record):
        raise KeyError("no such field")

    handler = StreamHandlerBuilder.stdout().with_formatter(picky).build()
    handler.handle("app", "INFO", "x")
    handler.flush()
    handler.close()
    """)
    assert rc == 0, err
    summary = [line for line in femto_lines(err) if ": in all: " in line]
    assert len(summary) == 1, err
    assert re.fullmatch(r"femtologging: stream stdout: in all: 1 failed \(error: formatter failed: "
                        r"formatter <function picky at 0x[0-9a-f]+>: KeyError: 'no such field'\)", summary[0]), err
    assert "returned 1" not in err, err


def test_a_program_that_lost_nothing_prints_nothing(run_python):
    rc, out, err = run_python("""
    from femtologging import FemtoStreamHandler, get_logger
    handler = FemtoStreamHandler.stdout()
    get_logger("app").add_handler(handler)
    for i in range(1000):
        get_logger("app").log("INFO", str(i))
    """)
    assert rc == 0, err
    assert femto_lines(err) == [], err
    assert out.splitlines() == [f"app [INFO] {i}" for i in range(1000)]
