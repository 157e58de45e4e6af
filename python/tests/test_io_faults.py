"""IO faults under file handlers: /dev/full, EFBIG (RLIMIT_FSIZE), an
unwritable directory, the directory removed under the handler. None may
crash or hang the process; failed records are counted, warned about
(rate-limited, naming the path and the error), flush() returns False, and
logging resumes once the fault clears.

Faults that change process state (rlimits, capabilities) and checks of the warnings
Go writes to the real stderr run in a child interpreter.
"""

import os
import shutil
import textwrap
import time

import pytest
from conftest import run_efbig_child, run_json_child

from femtologging.handlers.file import FemtoFileHandler


def warnings_about(stderr, path):
    return [line for line in stderr.splitlines() if line.startswith("femtologging:") and path in line]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_io_faults_dev_full_counts_failures_and_warns_once():
    result, stderr = run_json_child("""
        import json
        from femtologging.handlers.file import FemtoFileHandler
        h = FemtoFileHandler("/dev/full")
        for i in range(200):
            h.handle("app", "INFO", f"record {i}")
        ok = h.flush()
        h.close()
        print(json.dumps({"flush": ok, **h.get_stats()}))
    """)
    assert result == {"flush": False, "delivered": 0, "dropped": 0, "failed": 200}
    lines = warnings_about(stderr, "/dev/full")
    assert lines and "no space left on device" in lines[0]
    assert len(lines) <= 2, f"warnings are not rate-limited: {lines}"


def test_io_faults_efbig_fails_records_then_resumes(tmp_path):
    path = str(tmp_path / "app.log")
    result, stderr = run_efbig_child(path, limit_bytes=4096, count=100, template="x" * 100)
    assert result["during"] is False
    assert result["after"] is True
    stats = result["stats"]
    assert stats["failed"] > 0 and stats["delivered"] + stats["failed"] == 100
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    # Whole records only: the half record cut by the limit was removed.
    assert lines[:-1] == ["app [INFO] " + "x" * 100] * stats["delivered"]
    assert lines[-1] == "app [INFO] after the fault"
    warned = warnings_about(stderr, path)
    assert warned and "file too large" in warned[0]


# Root ignores file modes through two capabilities; without them root gets
# EACCES like any user. Dropping them (rather than switching to another
# user) keeps the child able to run the interpreter and package of this
# clone wherever it lives, even inside a directory only root may enter.
_DROP_DAC_CAPABILITIES = """
    import ctypes

    class _Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class _Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    def drop_dac_capabilities():
        # capset(2) changes the calling thread only, so this runs before the
        # package starts the Go runtime: every thread made later inherits it.
        libc = ctypes.CDLL(None, use_errno=True)
        header = _Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
        data = (_Data * 2)()
        if libc.capget(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capget failed")
        for bit in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            data[0].effective &= ~(1 << bit)
            data[0].permitted &= ~(1 << bit)
        if libc.capset(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capset failed")
"""


# clone_location: `make test` also runs it from a copy of the repository
# inside a directory only its owner may enter (scripts/test-clone.sh).
@pytest.mark.clone_location
def test_io_faults_unwritable_directory_raises_permission_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    path = str(locked / "app.log")
    try:
        if os.geteuid() != 0:
            with pytest.raises(PermissionError) as info:
                FemtoFileHandler(path)
            result = {"type": type(info.value).__name__, "message": str(info.value),
                      "filename": info.value.filename}
        else:
            result, _ = run_json_child(textwrap.dedent(_DROP_DAC_CAPABILITIES) + textwrap.dedent("""
                import json, os, sys
                drop_dac_capabilities()
                try:
                    open(os.path.join(os.path.dirname(sys.argv[1]), "probe"), "w").close()
                    print(json.dumps({"type": "the probe file was created: root still ignores modes"}))
                    sys.exit(0)
                except PermissionError:
                    pass
                from femtologging.handlers.file import FemtoFileHandler
                try:
                    FemtoFileHandler(sys.argv[1])
                    print(json.dumps({"type": None}))
                except OSError as e:
                    print(json.dumps({"type": type(e).__name__, "message": str(e),
                                      "filename": e.filename, "is_perm": isinstance(e, PermissionError)}))
            """), path)
            assert result.pop("is_perm", None) is True, result
        assert "PermissionError" in result["type"]
        assert path in result["message"] and "permission denied" in result["message"]
        assert result["filename"] == path
    finally:
        locked.chmod(0o755)  # so that pytest can remove tmp_path


@pytest.mark.slow
def test_io_faults_directory_removed_then_restored(tmp_path):
    directory = tmp_path / "logs"
    directory.mkdir()
    path = directory / "app.log"
    handler = FemtoFileHandler(path)
    handler.handle("app", "INFO", "before")
    assert handler.flush() is True
    shutil.rmtree(directory)
    # The handler notices within its check interval (1 s): records fail.
    deadline = time.monotonic() + 10
    while True:
        handler.handle("app", "INFO", "lost")
        if handler.flush() is False:
            break
        assert time.monotonic() < deadline, "records kept succeeding with the directory gone"
        time.sleep(0.05)  # pacing of the retry loop, not synchronisation
    assert handler.get_stats()["failed"] > 0
    directory.mkdir()
    deadline = time.monotonic() + 10
    while True:
        handler.handle("app", "INFO", "resumed")
        if handler.flush() is True and path.exists():
            break
        assert time.monotonic() < deadline, "logging did not resume after the directory came back"
        time.sleep(0.05)
    handler.close()
    assert path.read_text().splitlines()[-1] == "app [INFO] resumed"
