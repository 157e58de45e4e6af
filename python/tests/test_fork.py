"""Fork that works (issue 12): a child of os.fork() logs with the
configuration its parent had at the fork; set_fork_policy("error") keeps
the refusal. Every scenario runs in a fresh interpreter (run_python) whose
children are waited for with a deadline and killed past it."""

import os
import re
import signal
import textwrap

import pytest

import femtologging
from femtologging import get_fork_policy, set_fork_policy

# Prepended to every snippet: reap(pid) waits for a child, bounded.
PRELUDE = """
import os, sys, time

def reap(pid, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            raise SystemExit(f"child {pid} still running after {timeout}s: killed")
        time.sleep(0.002)  # polling a child's exit: there is nothing to wait on
"""


def snippet(*parts):
    return PRELUDE + "".join(textwrap.dedent(part) for part in parts)


def file_logger(name):
    """A snippet part: fh, a FemtoFileHandler on sys.argv[1], and logger,
    the logger name writing to it."""
    return f"""
        from femtologging import FemtoFileHandler, get_logger
        fh = FemtoFileHandler(sys.argv[1])
        logger = get_logger({name!r})
        logger.add_handler(fh)
    """


def test_fork_policy_default_and_choices():
    assert get_fork_policy() == "reinit"
    try:
        set_fork_policy("error")
        assert get_fork_policy() == "error"
    finally:
        set_fork_policy("reinit")
    with pytest.raises(ValueError, match="fork policy 'sometimes'"):
        set_fork_policy("sometimes")
    assert femtologging.get_fork_policy() == "reinit"


CONFIGURED = """
import femtologging
from femtologging import (ConfigBuilder, FemtoFileHandler, FileHandlerBuilder, FormatterBuilder,
                          LevelFilterBuilder, LoggerConfigBuilder, NameFilterBuilder,
                          StreamHandlerBuilder, get_logger)

class Collect:
    def __init__(self, tag):
        self.tag = tag
    def handle(self, logger, level, message):
        sys.stdout.write(f"{self.tag} pid={os.getpid()} {logger} {level} {message}\\n")
        sys.stdout.flush()

(ConfigBuilder()
 .with_handler("file", FileHandlerBuilder(sys.argv[1]).with_formatter(lambda r: f"{r['logger']}|{r['level']}|{r['message']}"))
 .with_handler("out", StreamHandlerBuilder.stdout())
 .with_filter("upto_info", LevelFilterBuilder().with_max_level("INFO"))
 .with_filter("app_only", NameFilterBuilder().with_prefix("app"))
 .with_logger("app.filtered", LoggerConfigBuilder().with_level("DEBUG").with_handlers(["out"])
              .with_filters(["upto_info", "app_only"]).with_propagate(False))
 .with_logger("app", LoggerConfigBuilder().with_level("WARNING").with_handlers(["file"]))
 .with_root_logger(LoggerConfigBuilder().with_level("ERROR"))
 .build_and_init())
direct = FemtoFileHandler(sys.argv[2])
get_logger("app.direct").add_handler(direct)
get_logger("app.direct").add_handler(Collect("py"))
get_logger("app.direct").set_level("DEBUG")
get_logger("app.direct").set_propagate(False)
"""


def test_child_has_the_parents_loggers_levels_filters_and_handlers(run_python, tmp_path):
    code = snippet(CONFIGURED, """
        get_logger("app").log("WARNING", "parent")
        pid = os.fork()
        if pid == 0:
            print("levels", get_logger("app").get_level(), get_logger("app.direct").get_level(),
                  get_logger("root").get_level(), get_logger("app.direct").propagate, flush=True)
            get_logger("app").log("WARNING", "child warn")
            get_logger("app").log("INFO", "child info, below app's level")
            get_logger("app.sub").log("ERROR", "child via propagation")
            get_logger("app.filtered").log("DEBUG", "child filtered debug")
            get_logger("app.filtered").log("ERROR", "child above the filter's max")
            get_logger("app.direct").log("DEBUG", "child direct")
            get_logger("app").flush_handlers()
            direct.flush()
            get_logger("app.filtered").flush_handlers()
            femtologging.get_logger("app.direct").flush_handlers()
            os._exit(0)
        print("child exit", reap(pid), flush=True)
        get_logger("app").log("WARNING", "parent after")
        get_logger("app").flush_handlers()
        direct.flush()
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "cfg.log"), str(tmp_path / "direct.log")))
    assert rc == 0, err
    lines = out.splitlines()
    assert "levels WARN DEBUG ERROR False" in lines, out
    assert "child exit 0" in lines
    assert "app.filtered [DEBUG] child filtered debug" in lines
    assert not any("above the filter" in line for line in lines)
    child_py = [line for line in lines if line.startswith("py ")]
    assert len(child_py) == 1 and "app.direct DEBUG child direct" in child_py[0], out
    assert f"pid={os.getpid()}" not in child_py[0]
    # Different loggers, different queues: order only within each.
    assert sorted((tmp_path / "cfg.log").read_text().splitlines()) == sorted([
        "app|WARN|parent", "app|WARN|child warn", "app.sub|ERROR|child via propagation", "app|WARN|parent after"])
    assert (tmp_path / "direct.log").read_text().splitlines() == ["app.direct [DEBUG] child direct"]
    assert "femtologging" not in err, err


def test_every_call_works_in_a_child(run_python):
    from test_process_safety import FORK_CHILD

    code = FORK_CHILD.replace('femtologging.set_fork_policy("error")', "").replace("CHILD_EXIT", "os._exit(0)")
    rc, out, err = run_python(code, timeout=30)
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[-2:] == ["child status 0", "parent flush True"], out + err
    assert lines[:-2] and all(line.endswith(": no error") for line in lines[:-2]), out
    assert len(lines[:-2]) == 18
    # The child's records went to its own stderr, through its own worker.
    assert err.count("parent.app [INFO] child") >= 2
    assert err.count("parent.app [INFO] parent before fork") == 1


def test_error_policy_is_inherited_by_grandchildren(run_python):
    code = snippet("""
        import femtologging
        femtologging.set_fork_policy("error")
        femtologging.get_logger("a").log("INFO", "x")
        pid = os.fork()
        if pid == 0:
            pid2 = os.fork()
            if pid2 == 0:
                try:
                    femtologging.get_logger("a").log("INFO", "y")
                except femtologging.ForkedProcessError as exc:
                    print("grandchild:", type(exc).__name__, flush=True)
                os._exit(0)
            reap(pid2)
            os._exit(0)
        reap(pid)
    """)
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.splitlines() == ["grandchild: ForkedProcessError"]


def test_records_queued_in_the_parent_are_written_once_by_the_parent(run_python, tmp_path):
    # A gated Python handler holds the logger's worker, so the parent's
    # records sit on its queue at the fork; the child's runtime never sees them.
    code = snippet("""
        import threading
        from femtologging import FemtoFileHandler, get_logger
        gate = threading.Event()
        class Gate:
            def handle(self, logger, level, message):
                gate.wait(30)
        logger = get_logger("q")
        logger.add_handler(Gate())
        fh = FemtoFileHandler(sys.argv[1])
        logger.add_handler(fh)
        for i in range(500):
            logger.log("INFO", f"parent {i}")
        pid = os.fork()
        if pid == 0:
            gate.set()  # the child's copy of the gate: its own records pass
            for i in range(100):
                logger.log("INFO", f"child {i}")
            logger.flush_handlers(timeout=10)
            fh.flush()
            os._exit(0)
        print("child", reap(pid), flush=True)
        gate.set()
        logger.flush_handlers(timeout=10)
        fh.flush()
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "q.log"),))
    assert rc == 0, err
    lines = (tmp_path / "q.log").read_text().splitlines()
    assert sorted(lines) == sorted([f"q [INFO] parent {i}" for i in range(500)] +
                                   [f"q [INFO] child {i}" for i in range(100)])


def test_fork_from_a_non_main_thread_while_others_log(run_python, tmp_path):
    code = snippet(file_logger("t"), """
        import threading
        stop = threading.Event()
        def busy(n):
            i = 0
            while not stop.is_set():
                logger.log("INFO", f"busy{n} {i}")
                i += 1
        busy_threads = [threading.Thread(target=busy, args=(n,)) for n in range(2)]
        for t in busy_threads:
            t.start()
        codes = []
        def forker():
            for k in range(5):
                pid = os.fork()
                if pid == 0:
                    logger.log("INFO", f"child {k} from a thread")
                    fh.flush()
                    os._exit(0)
                codes.append(reap(pid))
        t = threading.Thread(target=forker, name="forker")
        t.start()
        t.join(60)
        stop.set()
        for b in busy_threads:
            b.join(10)
        print("codes", codes, flush=True)
        fh.flush()
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "t.log"),), timeout=90)
    assert rc == 0, err
    assert "codes [0, 0, 0, 0, 0]" in out
    text = (tmp_path / "t.log").read_text()
    for k in range(5):
        assert text.count(f"t [INFO] child {k} from a thread\n") == 1
    # whole lines only: each is "t [INFO] busyN i" or a child's
    assert all(line.startswith("t [INFO] ") for line in text.splitlines())


def test_child_of_a_thread_ends_when_its_work_ends(run_python, tmp_path):
    # A child forked from a non-main thread has no main() to return from:
    # it ends with its last thread, and Go's threads in its own copy of the
    # library never end. Returning from the thread's function (no
    # os._exit) must still end it, after its other non-daemon threads and
    # with what it logged written: here the child's last record comes from
    # a thread it started, still running when the forking thread returns.
    code = snippet(file_logger("t"), """
        import threading
        logger.log("INFO", "parent")
        pids = []
        def forker():
            pid = os.fork()
            if pid == 0:
                logger.log("INFO", "child from a thread")
                forking = threading.current_thread()
                def late():
                    deadline = time.monotonic() + 30
                    while forking in threading.enumerate() and time.monotonic() < deadline:
                        time.sleep(0.001)  # polling: the forking thread's end has no event
                    logger.log("INFO", "child's own thread, after the forking one returned")
                threading.Thread(target=late).start()
                return  # the child's forking thread ends normally
            pids.append(pid)
        t = threading.Thread(target=forker)
        t.start()
        t.join(30)
        print("child", reap(pids[0]), flush=True)
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "t.log"),), timeout=90)
    assert rc == 0, err
    assert "child 0" in out, (out, err)
    lines = (tmp_path / "t.log").read_text().splitlines()
    assert lines.count("t [INFO] child from a thread") == 1
    assert lines.count("t [INFO] child's own thread, after the forking one returned") == 1


def test_child_gives_back_the_parents_dead_go_heap(run_python, tmp_path):
    # The parent's copy is dead in the child; the child's copy gives back
    # the pages of its Go heap and of the parts of its image nothing reads
    # again when it restores the description (capi/fork_memory.go), so
    # forks of forks do not keep every ancestor's copy resident.
    code = snippet(file_logger("t"), """
        import json, re
        from femtologging import _native

        def resident_kb(ranges):
            # Resident kB of the mappings that hold ranges, less what lies
            # outside the ranges in them (at most that much may stay).
            total, holding = 0, 0
            with open("/proc/self/smaps") as f:
                for line in f:
                    m = re.match(r"([0-9a-f]+)-([0-9a-f]+) ", line)
                    if m:
                        start, end = int(m.group(1), 16), int(m.group(2), 16)
                        inside = sum(min(end, r["end"]) - max(start, r["start"]) for r in ranges
                                     if r["start"] < end and start < r["end"])
                        holding = inside > 0
                        outside_kb = (end - start - inside) // 1024
                    elif holding and line.startswith("Rss:"):
                        total += max(0, int(line.split()[1]) - outside_kb)
            return total

        for i in range(2000):
            logger.log("INFO", f"parent {i}")
        fh.flush()
        pid = os.fork()
        if pid == 0:
            described = json.loads(_native._snapshot)
            heap, image = described["heap"], described["image"]
            before = resident_kb(heap), resident_kb(image)
            logger.log("INFO", "child")  # loads the child's copy, which restores
            fh.flush()
            print("heap", len(heap), before[0], resident_kb(heap), flush=True)
            print("image", len(image), before[1], resident_kb(image), flush=True)
            os._exit(0)
        print("child", reap(pid), flush=True)
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "t.log"),), timeout=90)
    assert rc == 0, err
    assert "child 0" in out, (out, err)
    mappings, before, after = map(int, re.search(r"heap (\d+) (\d+) (\d+)", out).groups())
    assert mappings >= 1
    assert before > 0, out  # the parent's heap pages, inherited
    assert after == 0, out
    # The relocated read-only data was copied at the fork, so resident
    # before; code and read-only data are clean pages, resident only if
    # touched. Counted: what is resident beyond the pages kept.
    ranges, before, after = map(int, re.search(r"image (\d+) (\d+) (\d+)", out).groups())
    assert ranges >= 3
    assert before > 0, out
    assert after == 0, out
    assert (tmp_path / "t.log").read_text().count("t [INFO] child\n") == 1


def test_signals_pass_through_the_dead_copies_of_a_grandchild(run_python, tmp_path):
    # A grandchild has two dead copies whose memory its ancestors' and its
    # own copy gave back; their signal handlers are still in the chain.
    # A crash in C code must still kill by SIGSEGV (not hang, not another
    # signal), and SIGPIPE must stay ignored as Python set it.
    code = snippet(file_logger("s"), """
        import ctypes
        logger.log("INFO", "parent")

        def in_grandchild(fn):
            pid = os.fork()
            if pid == 0:
                logger.log("INFO", "child")
                inner = os.fork()
                if inner == 0:
                    logger.log("INFO", "grandchild")
                    fh.flush()
                    fn()
                    os._exit(0)
                code = reap(inner)
                os._exit(0 if code == 0 else 100 + abs(code) % 100)
            return reap(pid)

        def crash():
            ctypes.string_at(0)

        def broken_pipe():
            r, w = os.pipe()
            os.close(r)
            try:
                os.write(w, b"x")
            except BrokenPipeError:
                os._exit(7)

        print("crash", in_grandchild(crash), flush=True)
        print("pipe", in_grandchild(broken_pipe), flush=True)
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "s.log"),), timeout=90)
    assert rc == 0, err
    assert f"crash {100 + signal.SIGSEGV}" in out, (out, err)
    assert "pipe 107" in out, (out, err)
    assert (tmp_path / "s.log").read_text().count("s [INFO] grandchild\n") == 2


def test_fork_from_inside_a_python_handler(run_python, tmp_path):
    # The child runs on what was a Go worker thread of the parent; it logs
    # through its own copy, and when the handler returns it ends (it cannot
    # go back into the parent's runtime).
    code = snippet(file_logger("child"), """
        import threading
        result = {}
        done = threading.Event()
        class Forking:
            def handle(self, logger, level, message):
                pid = os.fork()
                if pid == 0:
                    get_logger("child").log("INFO", "logged in a child forked by a handler")
                    return  # back into the dead runtime: the library ends the child
                result["code"] = reap(pid)
                done.set()
        get_logger("p").add_handler(Forking())
        get_logger("p").log("INFO", "fork now")
        print("handler done", done.wait(30), result, flush=True)
        fh.flush()
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "h.log"),))
    assert rc == 0, err
    assert "handler done True {'code': 0}" in out, out + err
    assert (tmp_path / "h.log").read_text() == "child [INFO] logged in a child forked by a handler\n"


def _caught_signals(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("SigCgt:"):
                return int(line.split()[1], 16)
    return 0


def test_child_flushes_on_sigterm_with_its_own_signal_handlers(run_python, tmp_path):
    code = snippet(file_logger("s"), """
        import signal
        get_logger("s").log("INFO", "parent")
        pid = os.fork()
        if pid == 0:
            for i in range(200):
                get_logger("s").log("INFO", f"child {i}")
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(30)  # never reached: the signal ends the child
            os._exit(3)
        print("child", reap(pid), flush=True)
        fh.flush()
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "s.log"),))
    assert rc == 0, err
    assert f"child {-signal.SIGTERM}" in out
    lines = (tmp_path / "s.log").read_text().splitlines()
    assert lines == ["s [INFO] parent"] + [f"s [INFO] child {i}" for i in range(200)]


def test_removed_signal_handlers_stay_removed_in_the_child(run_python):
    code = snippet("""
        import femtologging
        def term_caught():
            with open("/proc/self/status") as f:
                mask = next(int(l.split()[1], 16) for l in f if l.startswith("SigCgt:"))
            return bool(mask & (1 << (15 - 1)))
        femtologging.get_logger("x").log("INFO", "load")
        print("parent before", term_caught())
        pid = os.fork()
        if pid == 0:
            femtologging.get_logger("x").log("INFO", "child loads its copy")
            print("child with handlers", term_caught(), flush=True)
            os._exit(0)
        reap(pid)
        femtologging.set_signal_flush_timeout(0)
        pid = os.fork()
        if pid == 0:
            femtologging.get_logger("x").log("INFO", "child loads its copy")
            print("child without", term_caught(), flush=True)
            os._exit(0)
        reap(pid)
    """)
    rc, out, err = run_python(code)
    assert rc == 0, err
    assert out.splitlines() == ["parent before True", "child with handlers True", "child without False"]


def test_restore_refuses_a_library_in_use_and_a_bad_description():
    from femtologging import _native

    femtologging.get_logger("restore.check")
    ffi, lib = _native.library()
    snapshot = _native._describe(lib, ffi)
    assert snapshot.startswith(b'{"version":1,')
    rc = lib.femtolog_fork_restore(snapshot, len(snapshot))
    assert rc == lib.FEMTOLOG_ERR_INVALID
    assert "issued no handle yet" in _native.last_error()
    rc = lib.femtolog_fork_restore(b"[1]", 3)
    assert rc == lib.FEMTOLOG_ERR_INVALID
    assert "not a fork description" in _native.last_error()
    size = ffi.new("size_t *")
    assert lib.femtolog_fork_describe(ffi.NULL, 0, size, 0) == lib.FEMTOLOG_OK and size[0] > 0
    assert lib.femtolog_fork_describe(ffi.NULL, 0, ffi.NULL, 0) == lib.FEMTOLOG_ERR_INVALID


def test_child_socket_handler_opens_its_own_connection(run_python):
    from socket_support import FrameServer

    with FrameServer() as server:
        code = snippet("""
            from femtologging import SocketHandlerBuilder, get_logger
            sock = SocketHandlerBuilder().with_tcp("127.0.0.1", int(sys.argv[1])).build()
            get_logger("net").add_handler(sock)
            get_logger("net").log("INFO", "parent before")
            sock.flush(timeout_ms=10000)
            pid = os.fork()
            if pid == 0:
                get_logger("net").log("INFO", "child")
                sock.flush(timeout_ms=10000)
                os._exit(0)
            print("child", reap(pid), flush=True)
            get_logger("net").log("INFO", "parent after")
            sock.flush(timeout_ms=10000)
        """)
        rc, out, err = run_python(code, args=(str(server.port),))
        assert rc == 0, err
        assert "child 0" in out
        server.wait_for(lambda m: len(m) >= 3, timeout=10)
        assert sorted(server.messages()) == ["child", "parent after", "parent before"]
        with server._lock:
            assert len(server._conns) == 2  # the parent's connection and the child's own


def test_child_keeps_what_dict_config_set_up(run_python, tmp_path):
    code = snippet("""
        import femtologging
        femtologging.dictConfig({
            "version": 1,
            "handlers": {"f": {"class": "logging.FileHandler", "filename": sys.argv[2]}},
            "loggers": {"svc": {"level": "WARNING", "handlers": ["f"], "propagate": False}},
            "incremental": False, "disable_existing_loggers": False,
            "root": {"level": "DEBUG"},
        })
        pid = os.fork()
        if pid == 0:
            femtologging.get_logger("svc").log("INFO", "below svc's level")
            femtologging.get_logger("svc").log("ERROR", "svc error in child")
            femtologging.get_logger("svc").flush_handlers()
            os._exit(0)
        print("child", reap(pid), flush=True)
    """)
    rc, out, err = run_python(code, args=("unused", str(tmp_path / "dict.log")))
    assert rc == 0, err
    assert "child 0" in out
    assert (tmp_path / "dict.log").read_text() == "svc [ERROR] svc error in child\n"
