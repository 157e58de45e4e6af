"""Shared fixtures: a fresh logger registry per test, bounded polling, Python
handlers that record or block, and a runner for snippets in a subprocess.

Waiting rule: never sleep to synchronise. Poll a condition with a deadline
(wait_until) or wait on an Event with a timeout; every wait is bounded.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import femtologging

#: Upper bound of any single wait in the suite; generous for a loaded machine.
WAIT_S = 10.0


def wait_until(predicate, timeout=WAIT_S, interval=0.002, message=None):
    """Poll predicate until it returns a truthy value, which is returned.

    Fails the test (AssertionError) when timeout runs out, naming message or
    the predicate, so a hang shows up as a clear failure, not a stuck run.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message or predicate!r}")
        time.sleep(interval)  # the poll interval, not a synchronisation


def wait_event(event, timeout=WAIT_S, message=None):
    """Wait for a threading.Event with a bound; fail the test if it never fires."""
    if not event.wait(timeout):
        raise AssertionError(f"timed out after {timeout}s waiting for {message or event!r}")


class _Records:
    """What both collectors share: a locked list of what arrived."""

    def __init__(self):
        self._lock = threading.Lock()
        self.records = []

    def count(self):
        with self._lock:
            return len(self.records)

    def wait_for(self, n, timeout=WAIT_S):
        """Wait until at least n records arrived; return a copy of them."""
        wait_until(lambda: self.count() >= n, timeout, message=f"{n} records in {self!r}")
        with self._lock:
            return list(self.records)


class Collector(_Records):
    """A thread-safe Python handler using handle(logger, level, message)."""

    def __init__(self):
        super().__init__()
        self.threads = []

    def handle(self, logger, level, message):
        with self._lock:
            self.records.append((logger, level, message))
            self.threads.append(threading.get_ident())


class RecordCollector(_Records):
    """A thread-safe Python handler using handle_record(record)."""

    def handle_record(self, record):
        with self._lock:
            self.records.append(dict(record))


class Gate:
    """Blocks whoever calls it until released, to hold a worker still.

    entered fires when the first caller arrives, so a test knows the worker
    is parked inside the callable (its queue then empty) before it fills
    the queue. Usable as a Python handler (handle) and as a formatter
    (called with the record mapping). release() must be called (the gate
    fixture does it at teardown) or the worker stays blocked.
    """

    def __init__(self, timeout=WAIT_S):
        self.entered = threading.Event()
        self.released = threading.Event()
        self.timeout = timeout
        self.calls = 0

    def _block(self):
        self.calls += 1
        self.entered.set()
        self.released.wait(self.timeout)

    def handle(self, logger, level, message):
        self._block()

    def __call__(self, record):
        self._block()
        return f"{record['logger']} [{record['level']}] {record['message']}"

    def release(self):
        self.released.set()


def log_from_threads(logger, threads, per_thread):
    """Each thread logs "t i" for i in order; returns when all are done."""

    def produce(t):
        log = logger.log
        for i in range(per_thread):
            log("INFO", f"{t} {i}")

    workers = [threading.Thread(target=produce, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(300)
        assert not w.is_alive(), "a producer thread is stuck"


def run_json_child(code, *args, timeout=60, preexec_fn=None):
    """Run code (dedented) in a fresh interpreter with args as sys.argv[1:];
    it must exit 0 and print its result as JSON on its last line.
    Returns (result, stderr)."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, preexec_fn=preexec_fn,
    )
    assert proc.returncode == 0, f"child failed ({proc.returncode}):\n{proc.stderr}"
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


_EFBIG_CHILD = """
    import json, resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
    from femtologging.handlers.file import FemtoFileHandler
    path, policy, limit, count, template = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    h = FemtoFileHandler(path, policy=policy)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    for i in range(count):
        h.handle("app", "INFO", template.format(i))
    during = h.flush()
    stats = h.get_stats()
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    h.handle("app", "INFO", "after the fault")
    after = h.flush()
    h.close()
    print(json.dumps({"during": during, "after": after, "stats": stats}))
"""


def run_efbig_child(path, limit_bytes, count, template, policy="drop"):
    """In a child (RLIMIT_FSIZE is process state): a FemtoFileHandler on
    path logs template.format(i) for i < count with the file size limited
    to limit_bytes (EFBIG past it), then logs "after the fault" with the
    limit lifted. Returns ({"during": flush() under the limit, "after":
    flush() after it, "stats": get_stats() under the limit}, stderr)."""
    return run_json_child(_EFBIG_CHILD, path, policy, limit_bytes, count, template)


def skip_without_append_only(path):
    """Create path and skip the test unless ``chattr +a`` works on it here
    (an append-only file cannot be renamed: the rotation-failure tests)."""
    path.touch()
    probe = subprocess.run(["chattr", "+a", str(path)], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"chattr +a is not supported here: {probe.stderr.decode(errors='replace').strip()}")
    subprocess.run(["chattr", "-a", str(path)], check=True)


def logger_with(name, *handlers):
    """femtologging.get_logger(name) with handlers added, in order."""
    logger = femtologging.get_logger(name)
    for handler in handlers:
        logger.add_handler(handler)
    return logger


def park_worker(logger, gate):
    """Log one record and wait until logger's worker is stuck in gate (one
    of its handlers) with an empty queue behind it."""
    logger.log("INFO", "park")
    wait_event(gate.entered, message="worker parked in the gate")


@pytest.fixture(autouse=True)
def fresh_manager():
    """Every test starts with an empty logger registry (root at INFO), and
    leaves none behind: handlers a test attached are closed with it."""
    femtologging.reset_manager()
    yield
    femtologging.reset_manager()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """(ca_file, cert_file, key_file): a CA and a server certificate for
    127.0.0.1 and localhost, made once per test module; skips the test
    where the openssl command is missing."""
    from socket_support import make_certificates

    made = make_certificates(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("the openssl command is not installed")
    return made


@pytest.fixture
def collector():
    return Collector()


@pytest.fixture
def record_collector():
    return RecordCollector()


@pytest.fixture
def gate():
    """A Gate that is always released at teardown, so no worker stays stuck."""
    g = Gate()
    yield g
    g.release()


@pytest.fixture
def closing():
    """Register built-in handlers to close at teardown: close(h) returns h."""
    handlers = []

    def register(handler):
        handlers.append(handler)
        return handler

    yield register
    for handler in handlers:
        handler.close()


def _child_env(extra=None):
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"  # a hang killed by the timeout shows its stacks
    if extra:
        env.update(extra)
    return env


@pytest.fixture
def run_python(tmp_path):
    """Run a Python snippet in a fresh interpreter; return (rc, stdout, stderr).

    The snippet is dedented. The child is killed if it outlives timeout (the
    test then fails with what it printed so far), so no process is left
    behind.
    """

    def run(code, timeout=30.0, env=None, args=()):
        script = tmp_path / "snippet.py"
        script.write_text(textwrap.dedent(code))
        proc = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_child_env(env),
            cwd=str(tmp_path),
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(
                f"snippet still running after {timeout}s; stdout={out.decode()!r} "
                f"stderr={err.decode()[-4000:]!r}"
            ) from None
        return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    return run


def default_signals():
    """Give a child the default action for the signals the tests send.

    A test run started with SIGINT or SIGHUP ignored (nohup, some CI
    runners, a shell's background job) would otherwise pass that on to its
    children: Python would not install its KeyboardInterrupt handler and
    femtologging would rightly leave an ignored signal alone. Use as
    Popen's preexec_fn.
    """
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


@pytest.fixture
def spawn_python(tmp_path):
    """Start a Python snippet as a Popen (for signals and pipelines).

    Returns start(code, **popen_kwargs) -> Popen. Every child still running
    at teardown is killed and reaped.
    """
    procs = []

    def start(code, env=None, **kwargs):
        script = tmp_path / f"app{len(procs)}.py"
        script.write_text(textwrap.dedent(code))
        kwargs.setdefault("cwd", str(tmp_path))
        kwargs.setdefault("preexec_fn", default_signals)
        proc = subprocess.Popen([sys.executable, str(script)], env=_child_env(env), **kwargs)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=WAIT_S)
        for stream in (proc.stdout, proc.stderr, proc.stdin):
            if stream is not None:
                stream.close()
