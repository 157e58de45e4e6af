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
