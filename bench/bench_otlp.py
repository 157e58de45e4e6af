"""OTLP throughput: records/s from a Python producer to a real OpenTelemetry
Collector (test/otelcol: otlp receiver, file exporter) on 127.0.0.1,
counted in the collector's output.

Two clocks, both from the first log call: until the collector has
acknowledged every record (flush() returned, every record delivered), and
until its file exporter has written every record (the collector queues
between its receiver and exporter, and its JSON encoding is the slow part). The handler uses the "block" policy, so every record is
delivered; the run fails if any record is missing, dropped or duplicated.
The standard library has no OTLP handler (and the OpenTelemetry SDK is not
installed here), so there is no baseline row.

    .venv/bin/python bench/bench_otlp.py [--records N] [--json]
"""

import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import MESSAGE, femto_logger, network_parser, poll_count, use_test_support  # noqa: E402

use_test_support()
from otlp_collector import Collector, ensure_built  # noqa: E402


class OutputCounter:
    """Counts the records of the collector's output file as it grows,
    parsing each complete line once (re-reading the whole file at every
    poll would cost more than the run)."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.total = 0
        self.bodies = set()

    def poll(self):
        if not self.path.exists():
            return self.total
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        end = data.rfind(b"\n") + 1  # complete lines only
        self.offset += end
        for line in data[:end].splitlines():
            if not line.strip():
                continue
            for rl in json.loads(line).get("resourceLogs", []):
                for sl in rl.get("scopeLogs", []):
                    for lr in sl.get("logRecords", []):
                        self.total += 1
                        self.bodies.add(lr["body"]["stringValue"])
        return self.total


def run(n, compression, timeout):
    from femtologging import OTLPHandlerBuilder

    with tempfile.TemporaryDirectory() as tmp:
        collector = Collector(tmp)
        collector.start()
        try:
            handler = (OTLPHandlerBuilder().with_endpoint(collector.endpoint).with_service_name("bench")
                       .with_compression(compression).with_overflow_policy("block").build())
            logger = femto_logger(f"bench.otlp.{compression}", handler)
            info = logger.info
            start = time.perf_counter()
            for i in range(n):
                info(f"{MESSAGE} #{i}")
            logged = time.perf_counter() - start
            handler.flush(int(timeout * 1000))
            delivered_at = time.perf_counter() - start
            counter = OutputCounter(collector.outputs[-1])
            poll_count(counter.poll, n, timeout, interval=0.01)  # polling the exporter's file
            got, unique = counter.total, len(counter.bodies)
            elapsed = time.perf_counter() - start
            handler.close()
            stats = handler.get_stats()
        finally:
            collector.stop()
    return {"received": got, "unique": unique, "seconds": elapsed, "caller_seconds": logged,
            "delivered_seconds": delivered_at, "stats": stats, "logger_dropped": logger.get_dropped()}


def main():
    args = network_parser(__doc__, 100_000, "the collector").parse_args()
    ensure_built(verbose=True)
    results = {f"femtologging OTLP ({c})": run(args.records, c, args.timeout) for c in ("none", "gzip")}
    ok = True
    for r in results.values():
        r["records_per_s"] = r["received"] / r["seconds"]
        r["acknowledged_per_s"] = r["stats"]["delivered"] / r["delivered_seconds"]
        accounted = r["stats"]["delivered"] + r["stats"]["dropped"] + r["logger_dropped"]
        if not (r["received"] == r["unique"] == r["stats"]["delivered"] == args.records == accounted):
            ok = False
    if args.json:
        print(json.dumps({"otlp_http": results, "records": args.records}))
        return 0 if ok else 1
    print(f"OTLP/HTTP throughput to a local OpenTelemetry Collector, {args.records} records, "
          "counted in the collector's output:")
    for name, r in results.items():
        print(f"  {name:22s} {r['acknowledged_per_s']:>9,.0f} records/s acknowledged "
              f"(all after {r['delivered_seconds']:.3f} s; caller busy {r['caller_seconds']:.3f} s), "
              f"{r['records_per_s']:>8,.0f} records/s written by the collector "
              f"({r['received']} received, {r['unique']} distinct, after {r['seconds']:.3f} s); "
              f"stats {r['stats']}")
    if not ok:
        print("  FAILED: some record was not accounted for exactly once")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
