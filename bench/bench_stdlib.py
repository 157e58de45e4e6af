"""stdlib bridge benchmark (issue 13): stdlib logging calls into femtologging.

The call measured is what a library does:
``logging.getLogger("lib").info("msg %d %d", t, i)``. Each scenario runs in
a fresh child interpreter; the file is read back and every record counted
(any loss fails the run).

  stdlib-file         stdlib's own logging.FileHandler (the baseline)
  capture             femtologging.stdlib.capture() -> FemtoFileHandler
  femto-handler       femtologging.stdlib.FemtoHandler -> FemtoFileHandler

All write "lib [INFO] msg t i"; femtologging's file handler uses policy
"block" (nothing may drop) and flush_interval 1, as stdlib flushes every
record. end-to-end: records / time from the first call until flush and
close returned. Targets (issue 13), from 1 thread: capture >= 4x stdlib,
FemtoHandler >= 1.2x. Usage: python bench/bench_stdlib.py [--records N]
"""

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import STDLIB_FORMAT, child_main, child_result, run_child, run_threads  # noqa: E402

LOGGER = "lib"
PREFIX = f"{LOGGER} [INFO] msg "
TARGETS = {"capture": 4.0, "femto-handler": 1.2}


def setup(kind, path):
    import logging

    std = logging.getLogger(LOGGER)
    std.setLevel(logging.INFO)
    if kind == "stdlib-file":
        handler = logging.FileHandler(path)
        handler.setFormatter(logging.Formatter(STDLIB_FORMAT))
        std.addHandler(handler)
        std.propagate = False

        def finish():
            handler.close()
            return {"dropped": 0, "failed": 0}

        return std, finish

    from femtologging import FemtoFileHandler, get_logger, stdlib

    femto = FemtoFileHandler(path, flush_interval=1, policy="block")
    get_logger(LOGGER).add_handler(femto)
    if kind == "capture":
        stdlib.capture(level="INFO", loggers=[LOGGER])
    else:
        std.propagate = False
        std.addHandler(stdlib.FemtoHandler())

    def finish():
        femto.flush(timeout_ms=120_000)
        femto.close()
        stats = femto.get_stats()
        return {"dropped": stats["dropped"] + get_logger(LOGGER).get_dropped(),
                "failed": stats["failed"]}

    return std, finish


def child(kind, threads, records, path, result_path):
    logger, finish = setup(kind, path)
    info = logger.info
    per_thread = records // threads
    for i in range(200):  # warm-up: load the library, start the workers
        info("warm %d", i)
    start = run_threads(threads, per_thread, lambda t, i: info("msg %d %d", t, i))
    produced = time.perf_counter() - start
    outcome = finish()
    elapsed = time.perf_counter() - start
    with open(result_path, "w") as f:
        json.dump(child_result(threads, per_thread, produced, elapsed, **outcome), f)


def count(path, threads):
    nxt, bad = [0] * threads, 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.startswith(PREFIX):
                continue
            t, i = map(int, line[len(PREFIX):].split())
            if nxt[t] == i:
                nxt[t] += 1
            else:
                bad += 1
    return sum(nxt), bad


def run(kind, threads, records):
    with tempfile.TemporaryDirectory(prefix="femto-bench-") as tmp:
        path, result_path = os.path.join(tmp, "bench.log"), os.path.join(tmp, "result.json")
        result = run_child(__file__, kind, threads, records, path, result_path)
        result["counted"], result["out_of_order"] = count(path, threads)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000, help="records per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per scenario (best kept)")
    args = parser.parse_args()
    print(f"stdlib bridge: logging.getLogger({LOGGER!r}).info('msg %d %d', t, i), "
          f"{args.records} records per run, best of {args.repeats}")
    print(f"{'scenario':<16}{'threads':>8}{'caller ns/call':>16}{'end-to-end rec/s':>18}"
          f"{'counted':>10}{'dropped':>9}")
    lost = False
    best = {}
    for threads in (1, 4):
        for kind in ("stdlib-file", "capture", "femto-handler"):
            runs = [run(kind, threads, args.records) for _ in range(args.repeats)]
            r = max(runs, key=lambda x: x["records_per_s"])
            best[(kind, threads)] = r
            ok = all(x["counted"] == x["expected"] and x["out_of_order"] == 0
                     and x["dropped"] == 0 and x["failed"] == 0 for x in runs)
            lost |= not ok
            print(f"{kind:<16}{threads:>8}{r['caller_ns']:>16.0f}{r['records_per_s']:>18,.0f}"
                  f"{r['counted']:>10}{r['dropped']:>9}{'' if ok else '  LOST RECORDS'}")
    print("ratios (end to end, against stdlib-file):")
    for threads in (1, 4):
        base = best[("stdlib-file", threads)]["records_per_s"]
        for kind in ("capture", "femto-handler"):
            ratio = best[(kind, threads)]["records_per_s"] / base
            target = f" (target >= {TARGETS[kind]}x: {'met' if ratio >= TARGETS[kind] else 'NOT met'})" \
                if threads == 1 else ""
            print(f"  {threads} thread(s): {kind} / stdlib-file = {ratio:.1f}x{target}")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    if not child_main(child):
        main()
