"""Timed rotating file benchmark (issue 15): writing through
FemtoTimedRotatingFileHandler must cost what writing through
FemtoFileHandler costs between rollovers (within 10%).

Each run is a fresh child interpreter (as in bench_file.py), policy
"block", flush_interval 1, 4 threads then 1. Compared, in interleaved
rounds (best of --rounds, so both see the same machine):

  femto-file          FemtoFileHandler
  femto-timed         FemtoTimedRotatingFileHandler, when="midnight": no
                      rollover during the run (the "between rollovers" case)
  femto-timed-S       when="S": a rollover every second, for reference

Every record is read back from the live file and the backups, in order
per thread (any loss fails the run). Usage: python bench/bench_timed.py
[--records N] [--rounds R]
"""

import argparse
import json
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import child_main, child_result, run_child, run_threads  # noqa: E402

LOGGER = "bench.timed"
_LINE = re.compile(r"bench\.timed \[INFO\] msg (\d+) (\d+)")
_BACKUP = re.compile(r"bench\.log\.([\d_-]+)(?:\.(\d+))?")


def child(kind, threads, records, path, result_path):
    from femtologging import FemtoFileHandler, FemtoTimedRotatingFileHandler, TimedHandlerOptions
    from femtologging.logger import get_logger

    if kind == "femto-file":
        handler = FemtoFileHandler(path, policy="block")
    else:
        when = "S" if kind == "femto-timed-S" else "midnight"
        handler = FemtoTimedRotatingFileHandler(path, TimedHandlerOptions(when=when, backup_count=0, policy="block"))
    logger = get_logger(LOGGER)
    logger.add_handler(handler)
    log = logger.log
    for i in range(200):
        log("INFO", f"warm {i}")
    per_thread = records // threads
    start = run_threads(threads, per_thread, lambda t, i: log("INFO", f"msg {t} {i}"))
    produced = time.perf_counter() - start
    ok = handler.flush(timeout_ms=120_000)
    handler.close()
    elapsed = time.perf_counter() - start
    with open(result_path, "w") as f:
        json.dump(child_result(threads, per_thread, produced, elapsed, flush_ok=ok,
                               dropped=handler.get_stats()["dropped"]), f)


def count(directory, threads):
    """Records "msg t i" across the backups (oldest first) and the live file."""
    backups = sorted((m.group(1), int(m.group(2) or 0), n) for n in os.listdir(directory)
                     if (m := _BACKUP.fullmatch(n)))
    nxt, bad = [0] * threads, 0
    for name in [b[2] for b in backups] + ["bench.log"]:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            for line in f:
                m = _LINE.fullmatch(line.rstrip("\n"))
                if not m:
                    continue
                t, i = int(m.group(1)), int(m.group(2))
                if nxt[t] == i:
                    nxt[t] += 1
                else:
                    bad += 1
    return sum(nxt), bad, len(backups)


def run(kind, threads, records):
    with tempfile.TemporaryDirectory(prefix="femto-bench-") as tmp:
        path = os.path.join(tmp, "bench.log")
        result_path = os.path.join(tmp, "..", os.path.basename(tmp) + ".json")
        result = run_child(__file__, kind, threads, records, path, result_path)
        os.remove(result_path)
        result["counted"], result["out_of_order"], result["backups"] = count(tmp, threads)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    kinds = ["femto-file", "femto-timed", "femto-timed-S"]
    print(f"timed rotating file scenario: {args.records} records per run, best of {args.rounds} "
          f"interleaved rounds, policy \"block\", flush_interval 1")
    print(f"{'handler':<16}{'threads':>8}{'caller ns/call':>16}{'end-to-end rec/s':>18}{'backups':>9}{'counted':>10}")
    lost = False
    for threads in (4, 1):
        best = {k: None for k in kinds}
        for _ in range(args.rounds):
            for kind in kinds:
                r = run(kind, threads, args.records)
                lost |= r["counted"] != r["expected"] or r["out_of_order"] or r["dropped"] or not r["flush_ok"]
                if best[kind] is None or r["records_per_s"] > best[kind]["records_per_s"]:
                    best[kind] = r
        for kind in kinds:
            r = best[kind]
            print(f"{kind:<16}{threads:>8}{r['caller_ns']:>16.0f}{r['records_per_s']:>18,.0f}"
                  f"{r['backups']:>9}{r['counted']:>10}")
        ratio = best["femto-timed"]["records_per_s"] / best["femto-file"]["records_per_s"]
        caller = best["femto-timed"]["caller_ns"] / best["femto-file"]["caller_ns"]
        print(f"  {threads} thread(s): timed/file end-to-end = {ratio:.2f}, caller cost = {caller:.2f} "
              f"(target: within 10%)")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    if not child_main(child):
        main()
