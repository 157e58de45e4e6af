"""A write cut short (EFBIG under RLIMIT_FSIZE, ENOSPC on a full disk)
keeps every whole record that fit: the file holds a contiguous prefix of
what was logged, only the records after it are counted as failed, and once
the fault clears what is logged next follows the prefix.

RLIMIT_FSIZE changes process state, so it runs in a child interpreter.
"""

import json
import subprocess
import sys
import textwrap

import pytest
from conftest import run_efbig_child, run_json_child

CHILD_TIMEOUT_S = 60

RECORD = "app [INFO] {:05d} " + "x" * 82  # 100 bytes with the newline
LIMIT_RECORDS = 1500  # well past the first 64 KiB buffer


def test_efbig_keeps_the_whole_records_that_fit_and_counts_the_rest(tmp_path):
    path = str(tmp_path / "app.log")
    # Room for LIMIT_RECORDS records and half of the next one.
    result, stderr = run_efbig_child(path, limit_bytes=LIMIT_RECORDS * 100 + 50, count=3000,
                                     template="{:05d} " + "x" * 82, policy="block")
    assert result["during"] is False
    assert result["after"] is True
    assert result["stats"] == {"delivered": LIMIT_RECORDS, "dropped": 0, "failed": 3000 - LIMIT_RECORDS}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert lines == [RECORD.format(i) for i in range(LIMIT_RECORDS)] + ["app [INFO] after the fault"]
    # One summary line when the handler closed, with the total and reason.
    summary = [line for line in stderr.splitlines() if ": in all: " in line]
    assert len(summary) == 1, stderr
    assert summary[0].startswith(f"femtologging: file {path}: in all: {3000 - LIMIT_RECORDS} failed (error: ")
    assert summary[0].endswith("file too large)"), summary


def test_efbig_through_a_logger_leaves_no_hole(tmp_path):
    # Records of growing length through a logger, flushed every 100: the
    # file is a prefix of what was logged, whatever batches the workers made.
    path = str(tmp_path / "app.log")
    result, _ = run_json_child("""
        import json, resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        from femtologging import get_logger
        from femtologging.handlers.file import FemtoFileHandler
        h = FemtoFileHandler(sys.argv[1], policy="block", flush_interval=100)
        logger = get_logger("app")
        logger.add_handler(h)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, hard))
        for i in range(5000):
            logger.log("INFO", str(i) * (1 + i // 1000))
        h.flush()
        stats = h.get_stats()
        h.close()
        print(json.dumps(stats))
    """, path)
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    expected = [f"app [INFO] {str(i) * (1 + i // 1000)}" for i in range(5000)]
    assert lines == expected[:len(lines)]
    assert sum(len(line) + 1 for line in expected[:len(lines) + 1]) > 60_000  # the next did not fit
    assert result == {"delivered": len(lines), "dropped": 0, "failed": 5000 - len(lines)}


def _unshare_mount_works():
    probe = "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"
    try:
        return subprocess.run(["unshare", "-m", "sh", "-c", probe], capture_output=True,
                              timeout=CHILD_TIMEOUT_S).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _unshare_mount_works(), reason="cannot mount a tmpfs in a private mount namespace here")
def test_full_tmpfs_keeps_a_prefix_and_resumes_after_space_is_freed(tmp_path):
    # A 64 KiB tmpfs, mounted in a mount namespace of the child's own (it
    # disappears with the child: nothing to clean up, nothing seen outside).
    child = tmp_path / "child.py"
    child.write_text(textwrap.dedent("""
        import json, os, sys
        from femtologging.handlers.file import FemtoFileHandler
        mnt = sys.argv[1]
        with open(os.path.join(mnt, "filler"), "wb") as f:
            f.write(b"\\0" * 16384)
        path = os.path.join(mnt, "app.log")
        h = FemtoFileHandler(path, policy="block")
        for i in range(2000):
            h.handle("app", "INFO", "{:05d} ".format(i) + "x" * 82)
        during = h.flush()
        stats = h.get_stats()
        os.remove(os.path.join(mnt, "filler"))  # the fault clears
        h.handle("app", "INFO", "after the fault")
        after = h.flush()
        h.close()
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        print(json.dumps({"during": during, "after": after, "stats": stats, "lines": lines}))
    """))
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = f"mount -t tmpfs -o size=64k tmpfs {mnt} && exec {sys.executable} {child} {mnt}"
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                          timeout=CHILD_TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["during"] is False and result["after"] is True
    lines, stats = result["lines"], result["stats"]
    kept = stats["delivered"]
    assert 0 < kept < 2000 and stats["failed"] == 2000 - kept
    assert lines == [RECORD.format(i) for i in range(kept)] + ["app [INFO] after the fault"]
    assert "no space left on device" in proc.stderr
