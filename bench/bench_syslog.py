"""Syslog throughput: records/s from a Python producer to a local rsyslogd
over TCP, counted in rsyslog's output file.

femtologging's SyslogHandlerBuilder (RFC 5424, octet counting) against the
standard library's logging.handlers.SysLogHandler over TCP (one line per
message). The same rsyslogd configuration (python/tests/rsyslog_support.py)
parses both and writes one line per message; the clock runs from the first
log call until rsyslog has written every record.

    .venv/bin/python bench/bench_syslog.py [--records N] [--json]
"""

import json
import logging
import logging.handlers
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (add_rates, femto_dropped, femto_logger, log_messages, network_parser,  # noqa: E402
                    poll_count, print_vs_stdlib, stdlib_logger, use_test_support)

use_test_support()
from rsyslog_support import Rsyslog, available  # noqa: E402


def run_femtologging(n, timeout):
    from femtologging import SyslogHandlerBuilder

    with tempfile.TemporaryDirectory() as d, Rsyslog(d) as rs:
        # The block policy: every record is delivered, as stdlib's
        # synchronous handler delivers every record.
        handler = SyslogHandlerBuilder().with_tcp("127.0.0.1", rs.tcp_port).with_app_name("bench") \
            .with_overflow_policy("block").build()
        logger = femto_logger("bench.syslog", handler)
        start, logged = log_messages(logger.info, n)
        handler.close()
        stats, dropped = femto_dropped(handler, logger)
        received = poll_count(rs.count, n - dropped, timeout)
        elapsed = time.perf_counter() - start
    assert stats["delivered"] + dropped == n, stats
    return {"received": received, "seconds": elapsed, "caller_seconds": logged, "dropped": dropped}


def run_stdlib(n, timeout):
    with tempfile.TemporaryDirectory() as d, Rsyslog(d) as rs:
        handler = logging.handlers.SysLogHandler(("127.0.0.1", rs.tcp_port), socktype=socket.SOCK_STREAM)
        handler.append_nul = False  # rsyslog frames plain TCP by line feeds
        handler.setFormatter(logging.Formatter("bench: %(message)s\n"))
        logger = stdlib_logger("bench.stdlib.syslog", handler)
        start, logged = log_messages(logger.info, n)
        logger.removeHandler(handler)
        handler.close()
        received = poll_count(rs.count, n, timeout)
        elapsed = time.perf_counter() - start
    return {"received": received, "seconds": elapsed, "caller_seconds": logged, "dropped": n - received}


def main():
    args = network_parser(__doc__, 100_000, "rsyslog").parse_args()
    if not available():
        print("rsyslogd is not installed (scripts/bootstrap.sh): skipped")
        return 0
    results = {
        "femtologging SyslogHandlerBuilder": run_femtologging(args.records, args.timeout),
        "stdlib logging.handlers.SysLogHandler": run_stdlib(args.records, args.timeout),
    }
    add_rates(results)
    if args.json:
        print(json.dumps({"syslog_tcp": results, "records": args.records}))
        return 0
    print_vs_stdlib(f"syslog over TCP to a local rsyslogd, {args.records} records, counted in rsyslog's output:",
                    results, "written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
