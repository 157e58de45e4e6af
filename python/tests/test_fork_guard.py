"""One fork guard and one thread cache (issue 10, item 1).

Whether this process is a forked child that must not use the library it
inherited, and each thread's library handle, are kept once, in _fastlog
(log() reads them on every call); _native sets and reads them through
_fastlog's functions. These tests check that the C path and the Python
paths see the same state, and that no other module keeps or touches it.
"""

import ast
import os
import threading

import pytest

from femtologging import _fastlog, _native, get_logger
from test_fork import snippet
from test_boundary_rules import PACKAGE, package_modules

# _fastlog's functions and constants for the guard and the cache: only
# _native may use them.
GUARD_AND_CACHE = {"fork_state", "set_fork_state", "check_fork", "thread_handle",
                   "thread_handle_if_registered", "FORK_FINE", "FORK_REINIT_PENDING", "FORK_REFUSED"}


# A snippet part: outcomes(calls) runs each (what, call) and says "ok" or
# "refused: <reason>" for it, as a child reports what its guard did.
OUTCOMES = """
    import femtologging

    def outcomes(calls):
        out = []
        for what, call in calls:
            try:
                call()
                out.append((what, "ok"))
            except femtologging.ForkedProcessError as exc:
                out.append((what, f"refused: {exc}"))
        return out
"""


def run_in_new_thread(fn):
    """fn() on a fresh thread; its result (or its exception, re-raised)."""
    result = {}

    def target():
        try:
            result["value"] = fn()
        except BaseException as exc:  # re-raised on the test's thread
            result["error"] = exc

    thread = threading.Thread(target=target, name="guard-test")
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "thread still running after 30 s"
    if "error" in result:
        raise result["error"]
    return result["value"]


class Recorder:
    def __init__(self):
        self.threads = []

    def handle_record(self, record):
        self.threads.append((record["thread_id"], record["thread_name"]))


@pytest.mark.parametrize("first", ["python", "c"])
def test_c_path_and_python_path_share_one_thread_handle(first):
    # A thread's first record through either path registers it once; the
    # other path then finds the same handle (two caches would register the
    # thread twice and each path would keep its own number).
    logger = get_logger(f"guard.thread.{first}")
    logger.set_level("INFO")
    recorder = Recorder()
    logger.add_handler(recorder)

    def work():
        before = _fastlog.thread_handle_if_registered()
        if first == "c":
            logger.info("from C")  # registers inside _fastlog
        else:
            _native.thread_handle()  # the Python paths' way in
        registered = _fastlog.thread_handle_if_registered()
        logger.info("again, from C")
        logger.info("through Python", stacklevel=1)  # _log_full: Python's log_ex
        return before, registered, _native.thread_handle(), _fastlog.thread_handle_if_registered()

    before, registered, python_sees, c_sees = run_in_new_thread(work)
    assert before == 0  # a new thread starts unregistered
    assert registered != 0
    assert python_sees == c_sees == registered
    assert logger.flush_handlers(timeout=10)
    assert len(recorder.threads) >= 2
    assert {name for _, name in recorder.threads} == {"guard-test"}


def test_a_new_thread_never_inherits_another_threads_handle():
    first = run_in_new_thread(_native.thread_handle)
    second = run_in_new_thread(lambda: (_fastlog.thread_handle_if_registered(), _native.thread_handle()))
    assert second[0] == 0 and second[1] not in (0, first)


def test_the_guard_is_fine_in_a_process_that_never_forked():
    get_logger("guard.fine").info("x")
    assert _fastlog.fork_state() == _fastlog.FORK_FINE
    assert _fastlog.check_fork() is None
    _native.check_process()


def test_set_fork_state_rejects_unknown_states_and_a_refusal_without_reason():
    with pytest.raises(ValueError, match="unknown state 7"):
        _fastlog.set_fork_state(7)
    with pytest.raises(TypeError, match="FORK_REFUSED takes a reason"):
        _fastlog.set_fork_state(_fastlog.FORK_REFUSED)
    with pytest.raises(TypeError, match="FORK_REFUSED takes a reason"):
        _fastlog.set_fork_state(_fastlog.FORK_FINE, "no reason wanted")
    assert _fastlog.fork_state() == _fastlog.FORK_FINE


def test_one_guard_decides_for_log_and_for_every_other_call(run_python):
    # The child's states as log() (C) and the façade (Python) see them:
    # pending until the first use, fine after it (reinit); refused from the
    # fork on, with one reason for every path (error policy, and a child
    # whose parent could not describe its configuration).
    code = snippet(OUTCOMES, """
        import femtologging
        from femtologging import _fastlog, _native

        names = {_fastlog.FORK_FINE: "fine", _fastlog.FORK_REINIT_PENDING: "pending",
                 _fastlog.FORK_REFUSED: "refused"}
        logger = femtologging.get_logger("guard.child")

        def fork_and_report(label):
            pid = os.fork()
            if pid == 0:
                lines = [f"{label} at fork: {names[_fastlog.fork_state()]}"]
                lines += [f"{label} {what}: {result}" for what, result in outcomes((
                    ("log", lambda: logger.info("x")),
                    ("check_process", _native.check_process),
                    ("facade", lambda: logger.get_effective_level())))]
                lines.append(f"{label} after: {names[_fastlog.fork_state()]}")
                sys.stdout.write("\\n".join(lines) + "\\n")
                sys.stdout.flush()
                os._exit(0)
            assert reap(pid) == 0

        fork_and_report("reinit")
        femtologging.set_fork_policy("error")
        fork_and_report("error")
        femtologging.set_fork_policy("reinit")

        def no_description(lib, ffi):
            raise OSError("no room to describe")

        _native._describe = no_description
        fork_and_report("broken")
        print("parent:", names[_fastlog.fork_state()])
    """)
    rc, out, err = run_python(code)
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[:5] == ["reinit at fork: pending", "reinit log: ok", "reinit check_process: ok",
                         "reinit facade: ok", "reinit after: fine"], out
    error = lines[5:10]
    assert error[0] == "error at fork: refused" and error[4] == "error after: refused", out
    reasons = {line.partition(": refused: ")[2] for line in error[1:4]}
    assert len(reasons) == 1 and "spawn" in reasons.pop(), out
    broken = lines[10:15]
    assert broken[0] == "broken at fork: refused", out
    reasons = {line.partition(": refused: ")[2] for line in broken[1:4]}
    assert reasons == {"femtologging could not prepare this child of os.fork(): OSError: no room to describe"}, out
    assert lines[15:] == ["parent: fine"], out


def test_a_child_whose_own_copy_fails_to_load_is_refused_everywhere(run_python):
    code = snippet(OUTCOMES, """
        import femtologging
        from femtologging import _fastlog, _native

        logger = femtologging.get_logger("guard.load")
        pid = os.fork()
        if pid == 0:
            _native._make_copy = lambda: os.open("/dev/null", os.O_RDONLY)  # not a library
            _native._copy_fd = None
            out = [f"{what}: {result.removeprefix('refused: ')}" for what, result in outcomes((
                ("log", lambda: logger.info("x")), ("again", lambda: logger.info("y")),
                ("check_process", _native.check_process)))]
            out.append(f"state: {_fastlog.fork_state() == _fastlog.FORK_REFUSED}")
            sys.stdout.write("\\n".join(out) + "\\n")
            sys.stdout.flush()
            os._exit(0)
        assert reap(pid) == 0
    """)
    rc, out, err = run_python(code)
    assert rc == 0, err
    lines = out.splitlines()
    assert [line.partition(": ")[0] for line in lines] == ["log", "again", "check_process", "state"], out
    reasons = {line.partition(": ")[2] for line in lines[:3]}
    assert len(reasons) == 1, out  # one guard, one reason, for C and Python alike
    assert reasons.pop().startswith("femtologging could not load its own copy in this child of os.fork(): ")
    assert lines[3] == "state: True"


# ---- no second copy -------------------------------------------------------------


def guard_uses(source):
    """(line, what): uses of _fastlog's guard/cache functions, and module
    globals that would be a second guard or cache."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in GUARD_AND_CACHE:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_fastlog"):
            names = {alias.name for alias in node.names} & GUARD_AND_CACHE
            if names:
                found.append((node.lineno, f"from _fastlog import {', '.join(sorted(names))}"))
    return found


def second_copies(source):
    """(line, what): a module-level fork flag, or a thread handle kept on a
    threading.local (an attribute "handle" assigned on a non-self object)."""
    found = []
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and "fork" in target.id.lower() and \
                        isinstance(getattr(node, "value", None), ast.Constant) and \
                        isinstance(node.value.value, bool):
                    found.append((node.lineno, target.id))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and node.attr == "handle" \
                and not (isinstance(node.value, ast.Name) and node.value.id == "self"):
            found.append((node.lineno, f".{node.attr} ="))
    return found


@pytest.mark.parametrize("name", package_modules())
def test_only_native_uses_the_guard_and_the_cache(name):
    with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
        source = f.read()
    assert second_copies(source) == [], f"{name} keeps its own fork flag or thread handle"
    assert guard_uses(source) == [], f"{name} uses _fastlog's fork guard or thread cache: go through _native"


def test_native_keeps_no_copy_of_its_own():
    with open(os.path.join(PACKAGE, "_native.py"), encoding="utf-8") as f:
        assert second_copies(f.read()) == []


@pytest.mark.parametrize("source", [
    "_forked = False\n",
    "import threading\n_tls = threading.local()\ndef f():\n    _tls.handle = 3\n",
    "from . import _fastlog\n_fastlog.set_fork_state(_fastlog.FORK_REFUSED, 'x')\n",
    "from ._fastlog import thread_handle\n",
])
def test_the_rules_catch_each_copy(source):
    assert second_copies(source) + guard_uses(source) != []
