"""Rich records scenario (issue 11): the caller's cost of plain, argument,
disabled, extra and exc_info calls, and end to end to a file with a stdlib
format string and with JSON lines, beside stdlib logging doing the same.

Usage: python bench/bench_records.py [--caller-calls N] [--records N]
Each figure is the best of 7 interleaved rounds (common.best_ns_per_call).
"""

import argparse
import json
import logging
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import best_ns_per_call, print_table, report_stream, silence_stdout  # noqa: E402

FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


class PyJSONFormatter(logging.Formatter):
    """What a stdlib user writes for JSON lines: json.dumps of the fields."""

    def format(self, record):
        fields = {k: v for k, v in record.__dict__.items() if k in ("user", "request", "attempt")}
        return json.dumps({
            "time": self.formatTime(record), "level": record.levelname, "logger": record.name,
            "message": record.getMessage(), "thread": record.thread, "process": record.process,
            "fields": fields,
        })


def femto_caller_costs(calls):
    import femtologging
    from femtologging import FemtoStreamHandler, get_logger

    femtologging.reset_manager()
    logger = get_logger("bench.records")
    logger.add_handler(FemtoStreamHandler.stdout())  # fd 1 is /dev/null
    info, log, debug = logger.info, logger.log, logger.debug
    extra = {"user": "ann", "request": "r-1", "attempt": 3}
    try:
        raise ValueError("boom")
    except ValueError as exc:
        error = exc

    def plain_info(n):
        for _ in range(n):
            info("request handled")

    def plain_log(n):
        for _ in range(n):
            log("INFO", "request handled")

    def args(n):
        for _ in range(n):
            info("user %s id=%d", "ann", 42)

    def disabled_args(n):
        for _ in range(n):
            debug("user %s id=%d", "ann", 42)

    def with_extra(n):
        for _ in range(n):
            info("request handled", extra=extra)

    def with_exc(n):
        for _ in range(n):
            logger.error("failed", exc_info=error)

    return best_ns_per_call({
        "info(msg)": (plain_info, calls), "log(INFO, msg)": (plain_log, calls),
        "info(msg, 2 args)": (args, calls), "debug(msg, 2 args) disabled": (disabled_args, calls),
        "info(msg, extra=3 fields)": (with_extra, calls // 4), "error(exc_info=exc)": (with_exc, calls // 20),
    })


def stdlib_caller_costs(calls):
    logger = logging.getLogger("bench.records")
    logger.handlers.clear()
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(open(os.devnull, "w"))
    handler.setFormatter(logging.Formatter("%(name)s [%(levelname)s] %(message)s"))
    logger.addHandler(handler)

    def plain_info(n, info=logger.info):
        for _ in range(n):
            info("request handled")

    def args(n, info=logger.info):
        for _ in range(n):
            info("user %s id=%d", "ann", 42)

    calls //= 4
    return best_ns_per_call({"info(msg)": (plain_info, calls), "info(msg, 2 args)": (args, calls)})


def end_to_end(kind, records, tmp):
    """Records/s from the first call until everything is on disk (1 thread)."""
    path = os.path.join(tmp, f"{kind}.log")
    extra = {"user": "ann", "request": "r-1", "attempt": 3}
    if kind.startswith("femto"):
        import femtologging
        from femtologging import FileHandlerBuilder, Formatter, get_logger

        femtologging.reset_manager()
        fmt = Formatter(FORMAT) if kind == "femto-format" else "json"
        handler = FileHandlerBuilder(path).with_overflow_policy("block").with_formatter(fmt).build()
        logger = get_logger(f"bench.e2e.{kind}")
        logger.add_handler(handler)

        def finish():
            assert handler.flush(timeout_ms=120_000)
            handler.close()
    else:
        handler = logging.FileHandler(path)
        handler.setFormatter(logging.Formatter(FORMAT) if kind == "stdlib-format" else PyJSONFormatter())
        logger = logging.getLogger(f"bench.e2e.{kind}")
        logger.handlers.clear()
        logger.propagate = False
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        finish = handler.close
    info = logger.info
    start = time.perf_counter()
    if kind.endswith("format"):
        for i in range(records):
            info("request %d handled", i)
    else:
        for i in range(records):
            info("request handled", extra=extra)
    finish()
    elapsed = time.perf_counter() - start
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    assert lines == records, f"{kind}: {lines} lines, want {records}"
    return records / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--caller-calls", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=100_000)
    opts = parser.parse_args()
    out = report_stream()
    silence_stdout()
    femto = femto_caller_costs(opts.caller_calls)
    std = stdlib_caller_costs(opts.caller_calls)
    rows = [(name, f"{ns:.0f}", f"{std[name]:.0f}" if name in std else "") for name, ns in femto.items()]
    print_table(out, "caller ns/call (best of 7; handler: stream to /dev/null)", rows,
                ["call", "femtologging", "stdlib"])
    ratio = femto["info(msg, 2 args)"] / femto["info(msg)"]
    print(f"args / plain: {ratio:.2f}x (target <= 1.6x)", file=out)
    with tempfile.TemporaryDirectory(prefix="femto-records-") as tmp:
        rates = {k: end_to_end(k, opts.records, tmp)
                 for k in ("femto-format", "stdlib-format", "femto-json", "stdlib-json")}
    rows = [
        (f"format {FORMAT!r}", f"{rates['femto-format']:,.0f}", f"{rates['stdlib-format']:,.0f}",
         f"{rates['femto-format'] / rates['stdlib-format']:.1f}x (target >= 10x)"),
        ("extra (3 fields) + JSON lines", f"{rates['femto-json']:,.0f}", f"{rates['stdlib-json']:,.0f}",
         f"{rates['femto-json'] / rates['stdlib-json']:.1f}x (target >= 8x)"),
    ]
    print_table(out, f"end to end to a file, 1 thread, {opts.records:,} records (records/s)", rows,
                ["scenario", "femtologging", "stdlib", "ratio"])


if __name__ == "__main__":
    main()
