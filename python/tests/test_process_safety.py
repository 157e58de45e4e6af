"""Process-level guarantees, each checked in a fresh interpreter: lazy
loading, fork refusal, no SIGPIPE, prompt Ctrl-C (exit: test_process_exit)."""

import signal
import subprocess

import pytest

from conftest import WAIT_S

LIBRARY = "libfemtolog.so"


# ---- lazy loading --------------------------------------------------------------


def test_import_does_not_load_the_library(run_python):
    code = f"""
        import sys
        import femtologging

        def loaded():
            with open("/proc/self/maps") as maps:
                return "{LIBRARY}" in maps.read()

        print("after import:", loaded(), "femtologging._femtolog_cffi" in sys.modules)
        femtologging.get_logger("first.use")
        print("after first use:", loaded())
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.splitlines() == ["after import: False False", "after first use: True"]


def test_builder_construction_does_not_load_the_library(run_python):
    # Making a builder is plain data; a setter that checks a value asks the
    # library (the value rules live in Go alone: docs/decisions.md, "Value
    # rules live in Go"), and so does build().
    code = f"""
        import femtologging
        def loaded():
            with open("/proc/self/maps") as maps:
                return "{LIBRARY}" in maps.read()
        builder = femtologging.StreamHandlerBuilder.stdout()
        spec = builder.as_dict()
        print(loaded())
        builder.with_capacity(8)
        print(loaded())
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.split() == ["False", "True"]


# ---- fork --------------------------------------------------------------------

FORK_CHILD = """
    import os, sys, femtologging
    from femtologging import FemtoStreamHandler, StreamHandlerBuilder, get_logger

    femtologging.set_fork_policy("error")  # the default, "reinit": test_fork.py
    logger = get_logger("parent.app")
    handler = FemtoStreamHandler.stderr()
    logger.add_handler(handler)
    logger.log("INFO", "parent before fork")

    calls = {
        "log": lambda: logger.log("INFO", "child"),
        "log disabled level": lambda: logger.log("DEBUG", "child"),
        "info": lambda: logger.info("child"),
        "get_logger existing": lambda: get_logger("parent.app").log("ERROR", "x"),
        "get_logger new": lambda: get_logger("child.new"),
        "set_level": lambda: logger.set_level("DEBUG"),
        "get_effective_level": lambda: logger.get_effective_level(),
        "set_propagate": lambda: logger.set_propagate(False),
        "add_handler": lambda: logger.add_handler(handler),
        "add python handler": lambda: logger.add_handler(type("H", (), {"handle": lambda *a: None})()),
        "get_dropped": lambda: logger.get_dropped(),
        "stream handler": lambda: FemtoStreamHandler.stderr(),
        "builder build": lambda: StreamHandlerBuilder.stdout().build(),
        "handle": lambda: handler.handle("x", "INFO", "m"),
        "flush": lambda: handler.flush(),
        "close": lambda: handler.close(),
        "get_stats": lambda: handler.get_stats(),
        "reset_manager": lambda: femtologging.reset_manager(),
    }

    pid = os.fork()
    if pid == 0:
        results = []
        for name, call in calls.items():
            try:
                call()
                results.append(f"{name}: no error")
            except RuntimeError as exc:
                results.append(f"{name}: {type(exc).__name__}: {exc}")
            except BaseException as exc:
                results.append(f"{name}: WRONG {type(exc).__name__}: {exc}")
        sys.stdout.write("\\n".join(results) + "\\n")
        sys.stdout.flush()
        CHILD_EXIT
    _, status = os.waitpid(pid, 0)
    print("child status", os.waitstatus_to_exitcode(status))
    logger.log("INFO", "parent after fork")
    print("parent flush", handler.flush())
"""


@pytest.mark.parametrize("child_exit", ["os._exit(0)", "sys.exit(0)"])
def test_forked_child_gets_runtime_error_from_every_call(run_python, child_exit):
    rc, out, err = run_python(FORK_CHILD.replace("CHILD_EXIT", child_exit), timeout=30)
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[-2:] == ["child status 0", "parent flush True"], out + err
    results = lines[:-2]
    assert len(results) == 18, out
    for line in results:
        name, _, outcome = line.partition(": ")
        assert outcome.startswith("ForkedProcessError: "), line
        assert "fork" in outcome and "spawn" in outcome and "forkserver" in outcome, line
    # The parent is unaffected by its child.
    assert "parent.app [INFO] parent after fork" in err


def test_fork_before_first_use_leaves_child_free_to_use_library(run_python):
    code = """
        import os, sys
        import femtologging
        pid = os.fork()
        if pid == 0:
            h = femtologging.FemtoStreamHandler.stdout()
            femtologging.get_logger("child").add_handler(h)
            femtologging.get_logger("child").log("INFO", "from child")
            h.close()
            sys.stdout.flush()
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        print("child status", os.waitstatus_to_exitcode(status))
    """
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.splitlines() == ["child [INFO] from child", "child status 0"]


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_the_remedy_named_by_the_fork_error_works(run_python, method):
    # The parent has loaded the library; a child started the way the error
    # message recommends uses femtologging normally.
    code = f"""
        import multiprocessing, sys
        from femtologging import FemtoStreamHandler, get_logger

        def child():
            handler = FemtoStreamHandler.stdout()
            get_logger("child").add_handler(handler)
            get_logger("child").log("INFO", "from a {method} child")
            handler.close()

        if __name__ == "__main__":
            get_logger("parent").log("INFO", "library loaded")
            process = multiprocessing.get_context("{method}").Process(target=child)
            process.start()
            process.join(20)
            print("exitcode", process.exitcode, flush=True)
    """
    rc, out, err = run_python(code, timeout=60)
    assert rc == 0, err
    assert out.splitlines() == [f"child [INFO] from a {method} child", "exitcode 0"]


# ---- SIGPIPE -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("target", ["stdout", "stderr"])
def test_pipe_to_head_never_kills_with_sigpipe(spawn_python, tmp_path, target):
    # Like `python app.py | head -1` (and `2>&1 | head -1` for stderr): the
    # app keeps logging after the reader is gone, until a flush reports the
    # failed writes, then leaves more for the exit hook. The library's own
    # diagnostics about the failed writes go to the same broken pipe.
    app = spawn_python(
        f"""
        import time
        from femtologging import FemtoStreamHandler, get_logger
        handler = FemtoStreamHandler.{target}()
        logger = get_logger("pipe")
        logger.add_handler(handler)
        deadline = time.monotonic() + 20
        broken = False
        while not broken and time.monotonic() < deadline:
            for i in range(1000):
                logger.log("INFO", "line %d" % i)
            broken = not handler.flush()
        for i in range(1000):
            logger.log("INFO", "after the reader left")
        with open("result.txt", "w") as result:  # stdout and stderr are the pipe
            result.write("broken pipe seen: %s" % broken)
        """,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    head = subprocess.Popen(["head", "-1"], stdin=app.stdout, stdout=subprocess.PIPE)
    app.stdout.close()  # only head holds the read end now
    try:
        first, _ = head.communicate(timeout=WAIT_S)
    finally:
        if head.poll() is None:
            head.kill()
            head.wait()
    rc = app.wait(timeout=30)
    assert first.decode().splitlines() == ["pipe [INFO] line 0"]
    assert rc != -signal.SIGPIPE, "killed by SIGPIPE"
    assert rc == 0
    assert (tmp_path / "result.txt").read_text() == "broken pipe seen: True"


# ---- Ctrl-C ------------------------------------------------------------------


CTRL_C_APP = """
import sys, threading, time
import femtologging.handlers._handler_base
from femtologging import StreamHandlerBuilder
femtologging.handlers._handler_base.CLOSE_TIMEOUT_S = 60  # as long as flush's
release = threading.Event()

def slow(record):
    release.wait(60)  # holds the worker until the app releases it
    return record["message"]

def announce_when_waiting(main):
    # Say "waiting" only once the main thread is inside the wait, so
    # the parent's SIGINT cannot arrive before it began.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(main)
        while frame is not None:
            if frame.f_code.co_name == "wait_ticket":
                print("waiting", flush=True)
                return
            frame = frame.f_back
        time.sleep(0.001)
    print("wait never started", flush=True)

handler = (StreamHandlerBuilder.stderr().with_formatter(slow)
           .with_flush_timeout_ms(60_000).build())
handler.handle("slow", "INFO", "m")
threading.Thread(target=announce_when_waiting,
                 args=(threading.get_ident(),), daemon=True).start()
start = time.monotonic()
try:
    handler.OPERATION()
    print("returned", flush=True)
except KeyboardInterrupt:
    print("interrupted after %.3f" % (time.monotonic() - start), flush=True)
finally:
    release.set()
if "OPERATION" == "close":
    # The interrupted close still happens, in the background: the
    # library itself (not only the Python object) refuses records.
    from femtologging import _native
    _, lib = _native.library()
    rc = lib.femtolog_handler_handle(handler._handle, b"x", 1, 20, b"m", 1, 0)
    print("closed" if rc == lib.FEMTOLOG_ERR_CLOSED else "still open: %d" % rc)
"""


@pytest.mark.slow
@pytest.mark.parametrize("operation", ["flush", "close"])
def test_ctrl_c_interrupts_long_wait_promptly(spawn_python, operation):
    app = spawn_python(
        CTRL_C_APP.replace("OPERATION", operation),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert app.stdout.readline() == b"waiting\n"
    app.send_signal(signal.SIGINT)
    # WAIT_S, far below the app's 60 s flush timeout, is the bound that
    # catches a wait Ctrl-C did not interrupt; no timing assertion beyond it.
    out, err = app.communicate(timeout=WAIT_S)
    assert app.returncode == 0, err.decode()
    assert out.decode().startswith("interrupted after"), out.decode() + err.decode()
    if operation == "close":
        assert out.decode().splitlines()[1] == "closed"
