"""Reliability of the timed rotating handler: under load with when="S"
every record is in exactly one file, in per-thread order across files,
with no torn line; a failed rename or compression is counted, reported,
retried, and the live file keeps every record meanwhile.

The load test (4 threads x 250,000 records) took 2.4 s here; set
FEMTOLOG_TIMED_RELIABILITY_PER_THREAD to change its size.
"""

import gzip
import os
import re
import time

import pytest

from conftest import log_from_threads, run_json_child, skip_without_append_only
from femtologging import FemtoTimedRotatingFileHandler, TimedHandlerOptions
from femtologging.logger import get_logger

THREADS = 4
PER_THREAD = int(os.environ.get("FEMTOLOG_TIMED_RELIABILITY_PER_THREAD", "250000"))
_BACKUP = re.compile(r"load\.log\.(\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2})(?:\.(\d+))?")
_LINE = re.compile(r"load \[INFO\] (\d+) (\d+)")


def files_oldest_first(directory):
    """The backups by period then collision number, then the live file."""
    backups = []
    for name in os.listdir(directory):
        m = _BACKUP.fullmatch(name)
        if m:
            backups.append((m.group(1), int(m.group(2) or 0), name))
        else:
            assert name == "load.log", f"unexpected file {name}"
    return [name for *_, name in sorted(backups)] + ["load.log"]


@pytest.mark.slow
def test_timed_reliability_every_record_once_in_order(tmp_path):
    handler = FemtoTimedRotatingFileHandler(
        tmp_path / "load.log",
        TimedHandlerOptions(when="S", backup_count=0, policy="block", flush_interval=64))
    logger = get_logger("load")
    logger.add_handler(handler)
    start = time.monotonic()
    log_from_threads(logger, THREADS, PER_THREAD)
    elapsed = time.monotonic() - start
    assert handler.flush(timeout_ms=60_000) is True
    handler.close()
    assert logger.get_dropped() == 0
    assert handler.get_stats() == {"delivered": THREADS * PER_THREAD, "dropped": 0, "failed": 0}
    names = files_oldest_first(tmp_path)
    # The first rollover is at most a second after the handler opened: a
    # longer run must have crossed it.
    assert elapsed < 1.0 or len(names) >= 2, f"no rollover in {elapsed:.1f} s: {names}"
    next_index = [0] * THREADS
    for name in names:
        with open(tmp_path / name, encoding="utf-8") as f:
            for line in f:
                m = _LINE.fullmatch(line.rstrip("\n"))
                assert m and line.endswith("\n"), f"torn or malformed line {line!r} in {name}"
                t, i = int(m.group(1)), int(m.group(2))
                assert i == next_index[t], f"thread {t}: got record {i}, want {next_index[t]} (in {name})"
                next_index[t] += 1
    assert next_index == [PER_THREAD] * THREADS


def test_timed_failed_rename_keeps_appending_reports_and_retries(tmp_path):
    path = tmp_path / "app.log"
    skip_without_append_only(path)
    # An append-only live file cannot be renamed: rollovers fail while it is
    # set. The snippet logs across at least two rollover times, clears it,
    # and logs until a rollover succeeded. Its pacing sleeps only space out
    # records; every wait has a deadline.
    result, stderr = run_json_child("""
        import json, os, subprocess, sys, time
        from femtologging import FemtoTimedRotatingFileHandler, TimedHandlerOptions
        path = sys.argv[1]
        h = FemtoTimedRotatingFileHandler(path, TimedHandlerOptions(when="S", backup_count=0))
        subprocess.run(["chattr", "+a", path], check=True)
        sent = []
        try:
            end = time.monotonic() + 2.5
            while time.monotonic() < end:
                sent.append(f"stuck {len(sent)}")
                h.handle("app", "INFO", sent[-1])
                h.flush()
                time.sleep(0.02)
            stuck = {"backups": len(os.listdir(os.path.dirname(path))) - 1}
        finally:
            subprocess.run(["chattr", "-a", path], check=True)
        deadline = time.monotonic() + 10
        while len(os.listdir(os.path.dirname(path))) < 2 and time.monotonic() < deadline:
            sent.append(f"retry {len(sent)}")
            h.handle("app", "INFO", sent[-1])
            h.flush()
            time.sleep(0.02)
        h.close()
        got = []
        for name in sorted(os.listdir(os.path.dirname(path))):
            with open(os.path.join(os.path.dirname(path), name)) as f:
                got += [l.split("] ", 1)[1] for l in f.read().splitlines()]
        print(json.dumps({**stuck, "recovered": len(os.listdir(os.path.dirname(path))) >= 2,
                          "all_there": sorted(got) == sorted(sent), "n": len(sent)}))
    """, path)
    assert result["backups"] == 0 and result["recovered"] and result["all_there"], result
    warned = [l for l in stderr.splitlines() if "rotation failed" in l]
    assert warned and str(path) in warned[0] and "will retry" in warned[0], stderr
    assert len(warned) <= 3, f"rotation failures are not rate-limited: {warned}"


def test_timed_failed_compression_keeps_backup_reports_and_retries(tmp_path):
    backup = tmp_path / "app.log.2026-01-01_00-00-00"
    backup.write_text("yesterday\n")
    # A non-empty directory where the temporary .gz goes: compression fails
    # as on a full disk, until the snippet removes it.
    blocker = tmp_path / "app.log.2026-01-01_00-00-00.gz.tmp"
    (blocker / "x").mkdir(parents=True)
    result, stderr = run_json_child("""
        import json, os, shutil, sys, time
        from femtologging import FemtoTimedRotatingFileHandler, TimedHandlerOptions
        path, backup, blocker = sys.argv[1:]
        h = FemtoTimedRotatingFileHandler(path, TimedHandlerOptions(when="S", backup_count=0, compression="gzip"))
        deadline = time.monotonic() + 10
        h.handle("app", "INFO", "first")
        h.flush()
        kept = os.path.exists(backup)
        shutil.rmtree(blocker)
        # The next rollover (when="S") wakes the background work again.
        while not os.path.exists(backup + ".gz") and time.monotonic() < deadline:
            h.handle("app", "INFO", "more")
            h.flush()
            time.sleep(0.05)
        h.close()
        print(json.dumps({"kept": kept, "compressed": os.path.exists(backup + ".gz"),
                          "original_gone": not os.path.exists(backup)}))
    """, tmp_path / "app.log", backup, blocker)
    assert result == {"kept": True, "compressed": True, "original_gone": True}
    assert gzip.decompress((tmp_path / "app.log.2026-01-01_00-00-00.gz").read_bytes()) == b"yesterday\n"
    assert "compressing a backup failed" in stderr, stderr


def test_timed_second_process_on_the_same_file_is_reported(tmp_path):
    path = tmp_path / "app.log"
    handler = FemtoTimedRotatingFileHandler(path, TimedHandlerOptions(when="H"))
    try:
        result, stderr = run_json_child("""
            import json, sys
            from femtologging import FemtoTimedRotatingFileHandler, TimedHandlerOptions
            h = FemtoTimedRotatingFileHandler(sys.argv[1], TimedHandlerOptions(when="H"))
            h.handle("other", "INFO", "from the second process")
            h.close()
            print(json.dumps({"ok": True}))
        """, path)
    finally:
        handler.close()
    assert result == {"ok": True}
    warned = [l for l in stderr.splitlines() if "used by two handlers" in l]
    assert warned and str(path) in warned[0] and "unsupported" in warned[0], stderr
