"""Helpers shared by the benchmark scenarios."""

import os
import sys
import threading
import time

#: The line layout stdlib uses to match femtologging's default text.
STDLIB_FORMAT = "%(name)s [%(levelname)s] %(message)s"


def report_stream():
    """A file object on the original stdout, for the tables.

    Scenarios that write records to fd 1 redirect it to /dev/null first, so
    the tables must go somewhere else.
    """
    return os.fdopen(os.dup(1), "w", buffering=1)


def silence_stdout():
    """Point fd 1 at /dev/null (the destination of the stream scenarios)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w")


def best_ns_per_call(loops, repeats=7):
    """Time each (loop, calls) of the dict loops; the fastest run's ns per call.

    Every round runs each loop once, in turn, so that figures meant to be
    compared (the floor and the enabled call) see the same machine; the
    minimum of the rounds is the figure least disturbed by the rest of it.
    """
    best = {name: float("inf") for name in loops}
    for _ in range(repeats):
        for name, (loop, calls) in loops.items():
            start = time.perf_counter()
            loop(calls)
            best[name] = min(best[name], (time.perf_counter() - start) / calls * 1e9)
    return best


def peak_rss_kib():
    """This process's peak resident set size so far, in KiB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def print_table(out, title, rows, headers):
    """A plain text table."""
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    print(f"\n{title}", file=out)
    print("  ".join(str(h).ljust(w) for h, w in zip(headers, widths)), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)), file=out)


def run_threads(threads, per_thread, call):
    """Run call(thread_index, i) per_thread times on each of threads threads.

    The threads start together behind a barrier; returns the perf_counter
    time at which they were released, once every thread has finished.
    """
    barrier = threading.Barrier(threads + 1)

    def work(t):
        barrier.wait()
        for i in range(per_thread):
            call(t, i)

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in pool:
        thread.join()
    return start


# --- Network scenarios (socket, syslog, HTTP, OTLP) -------------------------

#: The record every network scenario logs: one typical access-log line.
MESSAGE = "request served: GET /api/v1/items status=200 bytes=5120"

#: The repository root, for the receivers and test support the scenarios use.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def network_parser(doc, records, waits_for):
    """The options of every network scenario: --records (default records),
    --timeout (seconds to wait for waits_for) and --json."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--records", type=int, default=records)
    parser.add_argument("--timeout", type=float, default=120.0, help=f"seconds to wait for {waits_for}")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    return parser


def use_test_support():
    """Make python/tests importable: the scenarios start the same real
    servers (rsyslogd, the OpenTelemetry Collector) as the tests."""
    tests = os.path.join(ROOT, "python", "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)


def femto_logger(name, handler):
    """A femtologging logger writing only to handler."""
    from femtologging import get_logger

    logger = get_logger(name)
    logger.set_propagate(False)
    logger.add_handler(handler)
    return logger


def stdlib_logger(name, handler):
    """A stdlib logger at INFO writing only to handler."""
    import logging

    logger = logging.getLogger(name)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return logger


def log_messages(info, n):
    """Call info(MESSAGE) n times; (perf_counter at the start, seconds the
    caller was busy)."""
    start = time.perf_counter()
    for _ in range(n):
        info(MESSAGE)
    return start, time.perf_counter() - start


def femto_dropped(handler, logger):
    """(handler stats, records lost on the way: dropped or failed by the
    handler, or dropped by the logger)."""
    stats = handler.get_stats()
    return stats, stats["dropped"] + stats["failed"] + logger.get_dropped()


def poll_count(count, n, timeout, interval=0.005):
    """Poll count() until it reaches n or timeout seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while (c := count()) < n and time.monotonic() < deadline:
        time.sleep(interval)  # poll interval
    return c


def print_vs_stdlib(title, results, verb):
    """The femtologging-against-stdlib throughput lines of the network
    scenarios; adds records_per_s to every result. A result with a
    "records" key says how many were sent ("N of M <verb>")."""
    print(title)
    for name, r in results.items():
        sent = f" of {r['records']}" if "records" in r else ""
        print(f"  {name:40s} {r['records_per_s']:>12,.0f} records/s "
              f"({r['received']}{sent} {verb} in {r['seconds']:.3f} s; caller busy {r['caller_seconds']:.3f} s; "
              f"{r['dropped']} dropped)")
    femto, std = results.values()
    print(f"  femtologging / stdlib: {femto['records_per_s'] / std['records_per_s']:.1f}x")


def add_rates(results):
    """records_per_s for every result: received over the end-to-end seconds."""
    for r in results.values():
        r["records_per_s"] = r["received"] / r["seconds"]


def femto_run(name, handler, n, arrived, flush_ms=None):
    """Log n records through handler (on logger name), flush it (with
    flush_ms, when the default flush timeout may be too short) and close
    it; arrived(dropped) waits for the far end and returns its count.
    (handler stats, result) with the clock from the first log call until
    the far end has every record."""
    logger = femto_logger(name, handler)
    start, logged = log_messages(logger.info, n)
    if flush_ms is not None:
        handler.flush(flush_ms)
    handler.close()
    stats, dropped = femto_dropped(handler, logger)
    received = arrived(dropped)
    elapsed = time.perf_counter() - start
    return stats, {"received": received, "seconds": elapsed, "caller_seconds": logged, "dropped": dropped}


def stdlib_run(name, handler, n, arrived):
    """femto_run() for a stdlib handler: log n records on logger name,
    remove and close the handler; arrived() waits for the far end and
    returns its count. Records it never got count as dropped."""
    logger = stdlib_logger(name, handler)
    start, logged = log_messages(logger.info, n)
    logger.removeHandler(handler)
    handler.close()
    received = arrived()
    elapsed = time.perf_counter() - start
    return {"received": received, "seconds": elapsed, "caller_seconds": logged, "dropped": n - received}


def report_vs_stdlib(results, as_json, json_key, title, verb, **json_extra):
    """Add the rates, then print the results as one JSON object (under
    json_key, plus json_extra) or as print_vs_stdlib() lines; main()'s exit
    status."""
    import json

    add_rates(results)
    if as_json:
        print(json.dumps({json_key: results, **json_extra}))
    else:
        print_vs_stdlib(title, results, verb)
    return 0


# --- Child-interpreter scenarios (stdlib bridge, timed rotation) ------------

def run_child(script, kind, threads, records, path, result_path):
    """Run script's --child mode in a fresh interpreter; the result it wrote."""
    import json
    import subprocess

    cmd = [sys.executable, script, "--child", kind, str(threads), str(records), path, result_path]
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
    if proc.returncode != 0:
        raise SystemExit(f"{kind}: child failed:\n{proc.stderr[-2000:]}")
    with open(result_path) as f:
        return json.load(f)


def child_main(child):
    """The entry point of a child-interpreter scenario: True if this
    process is the child (and it ran), False if main() should run."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, threads, records, path, result_path = sys.argv[2:7]
        child(kind, int(threads), int(records), path, result_path)
        return True
    return False


def child_result(threads, per_thread, produced, elapsed, **outcome):
    """What a child reports: caller cost, end-to-end rate, records expected."""
    total = per_thread * threads
    return {"caller_ns": produced * 1e9 / total, "records_per_s": total / elapsed,
            "expected": total, **outcome}
