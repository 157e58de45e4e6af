"""Syslog throughput: records/s from a Python producer to a local rsyslogd
over TCP, counted in rsyslog's output file.

femtologging's SyslogHandlerBuilder (RFC 5424, octet counting) against the
standard library's logging.handlers.SysLogHandler over TCP (one line per
message). The same rsyslogd configuration (python/tests/rsyslog_support.py)
parses both and writes one line per message; the clock runs from the first
log call until rsyslog has written every record.

    .venv/bin/python bench/bench_syslog.py [--records N] [--json]
"""

import logging
import logging.handlers
import os
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (femto_run, network_parser, poll_count, report_vs_stdlib, stdlib_run,  # noqa: E402
                    use_test_support)

use_test_support()
from rsyslog_support import Rsyslog, available  # noqa: E402


def run_femtologging(n, timeout):
    from femtologging import SyslogHandlerBuilder

    with tempfile.TemporaryDirectory() as d, Rsyslog(d) as rs:
        # The block policy: every record is delivered, as stdlib's
        # synchronous handler delivers every record.
        handler = SyslogHandlerBuilder().with_tcp("127.0.0.1", rs.tcp_port).with_app_name("bench") \
            .with_overflow_policy("block").build()
        stats, result = femto_run("bench.syslog", handler, n,
                                  lambda dropped: poll_count(rs.count, n - dropped, timeout))
    assert stats["delivered"] + result["dropped"] == n, stats
    return result


def run_stdlib(n, timeout):
    with tempfile.TemporaryDirectory() as d, Rsyslog(d) as rs:
        handler = logging.handlers.SysLogHandler(("127.0.0.1", rs.tcp_port), socktype=socket.SOCK_STREAM)
        handler.append_nul = False  # rsyslog frames plain TCP by line feeds
        handler.setFormatter(logging.Formatter("bench: %(message)s\n"))
        return stdlib_run("bench.stdlib.syslog", handler, n, lambda: poll_count(rs.count, n, timeout))


def main():
    args = network_parser(__doc__, 100_000, "rsyslog").parse_args()
    if not available():
        print("rsyslogd is not installed (scripts/bootstrap.sh): skipped")
        return 0
    results = {
        "femtologging SyslogHandlerBuilder": run_femtologging(args.records, args.timeout),
        "stdlib logging.handlers.SysLogHandler": run_stdlib(args.records, args.timeout),
    }
    return report_vs_stdlib(
        results, args.json, "syslog_tcp",
        f"syslog over TCP to a local rsyslogd, {args.records} records, counted in rsyslog's output:",
        "written", records=args.records)


if __name__ == "__main__":
    sys.exit(main())
