"""Reliability of the rotating file handler under load and faults: every
record exactly once and in per-thread order across rotations, bounded file
sizes, the newest records kept, oversize records, failing renames."""

import glob
import json
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import log_from_threads, skip_without_append_only

from femtologging.logger import get_logger
from femtologging.handlers.policy import HandlerOptions
from femtologging.handlers.rotating import FemtoRotatingFileHandler

MIB = 1 << 20
THREADS, PER_THREAD = 4, 250_000


def read_rotated(path):
    """{file: [(thread, index), ...]} and the files oldest first."""
    names = sorted(glob.glob(f"{path}.*"), key=lambda n: -int(n.rsplit(".", 1)[1])) + [str(path)]
    records = []
    for name in names:
        with open(name, encoding="utf-8") as f:
            for line in f:
                prefix, _, rest = line.rstrip("\n").partition("] ")
                assert prefix == "load [INFO", f"malformed line {line!r} in {name}"
                t, i = rest.split()
                records.append((int(t), int(i)))
    return names, records


def run_load(path, backup_count):
    handler = FemtoRotatingFileHandler(
        path, HandlerOptions(policy="block", flush_interval=64, rotation=(MIB, backup_count)))
    logger = get_logger("load")
    logger.add_handler(handler)
    log_from_threads(logger, THREADS, PER_THREAD)
    assert handler.flush(timeout_ms=60_000) is True
    handler.close()
    assert logger.get_dropped() == 0
    assert handler.get_stats() == {"delivered": THREADS * PER_THREAD, "dropped": 0, "failed": 0}
    return read_rotated(path)


@pytest.mark.slow
def test_rotating_reliability_every_record_once_in_order(tmp_path):
    path = tmp_path / "load.log"
    names, records = run_load(path, backup_count=1000)
    assert len(records) == THREADS * PER_THREAD
    for name in names:
        assert os.path.getsize(name) <= MIB, f"{name} is over max_bytes"
    seen = [[] for _ in range(THREADS)]
    for t, i in records:
        seen[t].append(i)
    for t in range(THREADS):
        assert seen[t] == list(range(PER_THREAD)), f"thread {t}: records missing, doubled or reordered"


@pytest.mark.slow
def test_rotating_reliability_keeps_newest_in_backup_count_plus_one_files(tmp_path):
    path = tmp_path / "load.log"
    names, records = run_load(path, backup_count=3)
    assert names == [f"{path}.3", f"{path}.2", f"{path}.1", str(path)]
    for name in names[:-1]:
        # A rolled-over file was filled to within one record of the limit.
        assert MIB - 40 < os.path.getsize(name) <= MIB
    seen = [[] for _ in range(THREADS)]
    for t, i in records:
        seen[t].append(i)
    assert any(seen), "nothing kept"
    for t in range(THREADS):
        # What survives of each thread is its newest records, contiguous
        # and in order, up to its last one. A thread that finished early
        # may have had all of its records rotated away: that is allowed.
        if seen[t]:
            first = seen[t][0]
            assert seen[t] == list(range(first, PER_THREAD)), f"thread {t}: kept records are not the newest run"


def test_rotating_reliability_oversize_record_through_logger(tmp_path):
    path = tmp_path / "big.log"
    handler = FemtoRotatingFileHandler(path, HandlerOptions(rotation=(1024, 5)))
    logger = get_logger("big")
    logger.add_handler(handler)
    logger.log("INFO", "small 1")
    logger.log("INFO", "X" * 5000)
    logger.log("INFO", "small 2")
    assert handler.flush() is True
    handler.close()
    assert open(f"{path}.2").read() == "big [INFO] small 1\n"
    assert open(f"{path}.1").read() == "big [INFO] " + "X" * 5000 + "\n"
    assert open(path).read() == "big [INFO] small 2\n"


def test_rotating_reliability_failed_rename_keeps_appending_then_recovers(tmp_path):
    path = tmp_path / "app.log"
    skip_without_append_only(path)
    code = textwrap.dedent("""
        import json, os, subprocess, sys, time
        from femtologging.handlers.policy import HandlerOptions
        from femtologging.handlers.rotating import FemtoRotatingFileHandler
        path = sys.argv[1]
        h = FemtoRotatingFileHandler(path, HandlerOptions(rotation=(200, 3)))
        subprocess.run(["chattr", "+a", path], check=True)
        try:
            for i in range(40):
                h.handle("app", "INFO", f"stuck {i:02d}")  # 20 bytes each: 800 > 200
            stuck_ok = h.flush()
            stuck = {"size": os.path.getsize(path), "rolled": os.path.exists(path + ".1")}
        finally:
            subprocess.run(["chattr", "-a", path], check=True)
        deadline = time.monotonic() + 10
        while not os.path.exists(path + ".1") and time.monotonic() < deadline:
            h.handle("app", "INFO", "retry")
            h.flush()
            time.sleep(0.05)  # pacing: the handler retries once a second
        h.close()
        print(json.dumps({"stuck_ok": stuck_ok, **stuck, "recovered": os.path.exists(path + ".1")}))
    """)
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60)
    subprocess.run(["chattr", "-a", str(path)], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result == {"stuck_ok": True, "size": 800, "rolled": False, "recovered": True}
    warned = [l for l in proc.stderr.splitlines() if "rotation failed" in l]
    assert warned and str(path) in warned[0] and "operation not permitted" in warned[0]
    assert len(warned) <= 3, f"rotation failures are not rate-limited: {warned}"
    assert open(f"{path}.1").read().splitlines()[:40] == [f"app [INFO] stuck {i:02d}" for i in range(40)]
