"""Syslog throughput: records/s from a Python producer to a local rsyslogd
over TCP, counted in rsyslog's output file.

femtologging's SyslogHandlerBuilder (RFC 5424, octet counting) against the
standard library's logging.handlers.SysLogHandler over TCP (one line per
message). The same rsyslogd configuration (python/tests/rsyslog_support.py)
parses both and writes one line per message; the clock runs from the first
log call until rsyslog has written every record.

    .venv/bin/python bench/bench_syslog.py [--records N] [--json]
"""

import argparse
import json
import logging
import logging.handlers
import pathlib
import socket
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python" / "tests"))

from rsyslog_support import Rsyslog, available  # noqa: E402

MESSAGE = "request served: GET /api/v1/items status=200 bytes=5120"


def wait_count(rs, n, timeout):
    deadline = time.monotonic() + timeout
    while rs.count() < n and time.monotonic() < deadline:
        time.sleep(0.005)  # poll interval
    return rs.count()


def run_femtologging(n, timeout):
    from femtologging import SyslogHandlerBuilder, get_logger

    with tempfile.TemporaryDirectory() as d, Rsyslog(d) as rs:
        # The block policy: every record is delivered, as stdlib's
        # synchronous handler delivers every record.
        handler = SyslogHandlerBuilder().with_tcp("127.0.0.1", rs.tcp_port).with_app_name("bench") \
            .with_overflow_policy("block").build()
        logger = get_logger("bench.syslog")
        logger.set_propagate(False)
        logger.add_handler(handler)
        info = logger.info
        start = time.perf_counter()
        for _ in range(n):
            info(MESSAGE)
        logged = time.perf_counter() - start
        handler.close()
        stats = handler.get_stats()
        dropped = stats["dropped"] + stats["failed"] + logger.get_dropped()
        received = wait_count(rs, n - dropped, timeout)
        elapsed = time.perf_counter() - start
    assert stats["delivered"] + dropped == n, stats
    return {"received": received, "seconds": elapsed, "caller_seconds": logged, "dropped": dropped}


def run_stdlib(n, timeout):
    with tempfile.TemporaryDirectory() as d, Rsyslog(d) as rs:
        handler = logging.handlers.SysLogHandler(("127.0.0.1", rs.tcp_port), socktype=socket.SOCK_STREAM)
        handler.append_nul = False  # rsyslog frames plain TCP by line feeds
        handler.setFormatter(logging.Formatter("bench: %(message)s\n"))
        logger = logging.getLogger("bench.stdlib.syslog")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        info = logger.info
        start = time.perf_counter()
        for _ in range(n):
            info(MESSAGE)
        logged = time.perf_counter() - start
        logger.removeHandler(handler)
        handler.close()
        received = wait_count(rs, n, timeout)
        elapsed = time.perf_counter() - start
    return {"received": received, "seconds": elapsed, "caller_seconds": logged, "dropped": n - received}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for rsyslog")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()
    if not available():
        print("rsyslogd is not installed (scripts/bootstrap.sh): skipped")
        return 0
    results = {
        "femtologging SyslogHandlerBuilder": run_femtologging(args.records, args.timeout),
        "stdlib logging.handlers.SysLogHandler": run_stdlib(args.records, args.timeout),
    }
    for r in results.values():
        r["records_per_s"] = r["received"] / r["seconds"]
    if args.json:
        print(json.dumps({"syslog_tcp": results, "records": args.records}))
        return 0
    print(f"syslog over TCP to a local rsyslogd, {args.records} records, counted in rsyslog's output:")
    for name, r in results.items():
        print(f"  {name:40s} {r['records_per_s']:>12,.0f} records/s "
              f"({r['received']} written in {r['seconds']:.3f} s; caller busy {r['caller_seconds']:.3f} s; "
              f"{r['dropped']} dropped)")
    femto, std = results.values()
    print(f"  femtologging / stdlib: {femto['records_per_s'] / std['records_per_s']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
