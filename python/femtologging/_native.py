"""The boundary with libfemtolog: the only module that touches cffi.

It loads the library on first use (not at import: a process that forks
before using femtologging must not have started the Go runtime), maps status
codes to exceptions, owns the two callbacks through which Go reaches Python
handlers and formatters, refuses every call in a forked child, and flushes
everything at interpreter exit.
"""

import atexit
import os
import sys
import threading
import time
import traceback

from . import _fastlog, _utf8, errors
from .levels import CANONICAL_NAMES, FAST_LEVELS, parse_level

#: How long the exit hook may spend flushing and closing everything.
EXIT_TIMEOUT_MS = 10_000

#: Longest single wait inside the library; between slices Python runs
#: signal handlers, so Ctrl-C interrupts a long flush() promptly.
WAIT_SLICE_MS = 50

_load_lock = threading.Lock()
_ffi = None
_lib = None
_owner_pid = None
_forked = False
_tls = threading.local()

# token -> (callable, wants_record). Tokens are never reused; entries live
# as long as the process because queued records may still reach them.
_callables = {}
_next_token = iter(range(1, 1 << 62)).__next__

_FORK_MESSAGE = (
    "femtologging cannot be used in a child of os.fork() made after the library "
    "was loaded in the parent: the Go runtime does not survive fork. Use the "
    "'spawn' or 'forkserver' start method (multiprocessing.set_start_method), or "
    "configure logging only after forking."
)


class _ForkedLibrary:
    """Stands in for the library in a forked child: every use raises."""

    def __getattr__(self, name):
        raise errors.ForkedProcessError(_FORK_MESSAGE)


def library():
    """Return (ffi, lib), loading libfemtolog on first use."""
    if _lib is None:
        _load()
    return _ffi, _lib


def _load():
    global _ffi, _lib, _owner_pid
    with _load_lock:
        if _lib is not None:
            return
        if _forked:
            raise errors.ForkedProcessError(_FORK_MESSAGE)
        bundled = _load_bundled_library()  # starts the Go runtime
        from . import _femtolog_cffi as module

        ffi, lib = module.ffi, module.lib
        _check_bound_to(bundled)
        if lib.femtolog_version() != lib.FEMTOLOG_VERSION:
            raise ImportError(
                f"libfemtolog version {lib.femtolog_version()} does not match the "
                f"extension's header version {lib.FEMTOLOG_VERSION}: reinstall femtologging"
            )
        ffi.def_extern(name="_femtolog_py_handle", error=-1)(_on_handle)
        ffi.def_extern(name="_femtolog_py_format", error=-1)(_on_format)
        _ffi, _owner_pid = ffi, os.getpid()
        _lib = lib
        # The accelerator calls the bundled library's functions directly
        # (cffi's addressof would give its own wrapper functions).
        _fastlog.configure(
            _address(bundled, "femtolog_logger_log"),
            _address(bundled, "femtolog_logger_try_log"),
            FAST_LEVELS,
            parse_level,
            thread_handle,
            errors.ForkedProcessError,
            _FORK_MESSAGE,
        )
        atexit.register(_at_exit)


#: The library this package was built with, installed beside this file.
LIBRARY_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libfemtolog.so")

# The handle of the bundled library: kept for the life of the process.
_bundled = None


def _load_bundled_library():
    """dlopen the bundled libfemtolog by absolute path, RTLD_GLOBAL.

    The cffi extension is not linked against the library (a DT_NEEDED
    entry is looked up on LD_LIBRARY_PATH first, so a stray copy there
    would win); its symbols resolve, when it is imported, to the copy
    loaded here, which puts them in the global scope. The C accelerator
    takes its two function addresses from this handle.
    """
    global _bundled
    import ctypes  # only to load and find addresses: every call goes through cffi

    if not os.path.isfile(LIBRARY_PATH):
        raise ImportError(f"femtologging: the bundled library {LIBRARY_PATH} is missing: reinstall femtologging")
    _bundled = ctypes.CDLL(LIBRARY_PATH, mode=os.RTLD_NOW | os.RTLD_GLOBAL)
    return _bundled


def _address(bundled, name):
    """The address of name in the bundled library."""
    import ctypes

    return ctypes.cast(getattr(bundled, name), ctypes.c_void_p).value


def _check_bound_to(bundled):
    """Refuse to run when the global scope resolves our symbols elsewhere.

    The cffi extension binds its symbols in the global scope, where only a
    library loaded before ours (LD_PRELOAD, or one an earlier extension
    loaded with RTLD_GLOBAL) can take precedence. Two Go runtimes in one
    process would share no state, so fail clearly instead.
    """
    import ctypes

    scope = ctypes.CDLL(None)
    for name in ("femtolog_version", "femtolog_logger_log", "femtolog_logger_try_log"):
        if _address(scope, name) != _address(bundled, name):
            raise ImportError(
                f"femtologging: {name} resolves to another copy of libfemtolog than the "
                f"bundled {LIBRARY_PATH} (LD_PRELOAD?); refusing to mix two copies"
            )


def _after_fork_in_child():
    global _lib, _forked
    if _lib is None:
        return  # never loaded in the parent: the child may load its own
    _forked = True
    _lib = _ForkedLibrary()
    _fastlog.mark_forked()


os.register_at_fork(after_in_child=_after_fork_in_child)


def check_process():
    """Raise in a forked child; cheap enough for every non-hot call."""
    if _forked:
        raise errors.ForkedProcessError(_FORK_MESSAGE)


# ---- statuses --------------------------------------------------------------


def last_error():
    return _ffi.string(_lib.femtolog_last_error()).decode("utf-8", "replace")


def raise_for(rc, context=""):
    """Raise the exception that matches a negative status."""
    lib = _lib
    message = last_error()
    if context:
        message = f"{context}: {message}"
    if rc == lib.FEMTOLOG_ERR_INVALID:
        raise errors.InvalidArgumentError(message)
    if rc == lib.FEMTOLOG_ERR_HANDLE:
        raise errors.StaleHandleError(message)
    if rc == lib.FEMTOLOG_ERR_CONFIG:
        raise errors.HandlerConfigError(message)
    if rc == lib.FEMTOLOG_ERR_FULL:
        raise errors.QueueFullError(message)
    if rc == lib.FEMTOLOG_ERR_CLOSED:
        raise errors.HandlerClosedError(message)
    if rc == lib.FEMTOLOG_ERR_IO:
        raise errors.os_error(lib.femtolog_last_errno(), message)
    if rc == lib.FEMTOLOG_ERR_TIMEOUT:
        raise errors.FemtoTimeoutError(message)
    raise errors.InternalError(f"status {rc}: {message}")


def check(rc, context=""):
    """Return rc when it is not an error; raise otherwise."""
    if rc < 0:
        raise_for(rc, context)
    return rc


def out_u64(call, *args, context=""):
    """Call a function whose first parameter is a uint64_t out-parameter."""
    out = _ffi.new("uint64_t *")
    check(call(out, *args), context)
    return int(out[0])


def out_int(call, *args, context=""):
    """Call a function whose first parameter is an int out-parameter."""
    out = _ffi.new("int *")
    check(call(out, *args), context)
    return int(out[0])


# ---- threads ---------------------------------------------------------------


def thread_handle():
    """The calling thread's registered identity (name copied once per thread)."""
    try:
        return _tls.handle
    except AttributeError:
        pass
    current = threading.current_thread()
    name = _utf8.encode(current.name)
    handle = out_u64(_lib.femtolog_thread_register, threading.get_ident(), name, len(name))
    _tls.handle = handle
    return handle


def in_worker():
    """True when running inside a handler or formatter called by a Go worker."""
    return getattr(_tls, "in_worker", False)


def refuse_in_worker(what):
    if getattr(_tls, "in_worker", False):
        raise RuntimeError(
            f"{what} called from a handler or formatter running on a femtologging "
            "worker would wait for that same worker and deadlock; call it from "
            "application code instead"
        )


# ---- waiting in slices -----------------------------------------------------


def wait_ticket(ticket, timeout_s):
    """Wait for a flush/close ticket in short slices; True when it finished OK.

    Returns False when the timeout ran out or some record failed; Ctrl-C
    raises KeyboardInterrupt between slices and releases the ticket.
    """
    lib = _lib
    deadline = time.monotonic() + timeout_s
    finished = False
    try:
        while True:
            left_ms = int((deadline - time.monotonic()) * 1000)
            rc = lib.femtolog_ticket_wait(ticket, max(0, min(WAIT_SLICE_MS, left_ms)))
            if rc == lib.FEMTOLOG_OK:
                finished = True
                return True
            if rc == lib.FEMTOLOG_ERR_IO:
                finished = True
                return False
            if rc != lib.FEMTOLOG_PENDING:
                finished = True
                raise_for(rc)
            if left_ms <= 0:
                return False
    finally:
        if not finished:
            lib.femtolog_ticket_release(ticket)


# ---- callbacks from Go -----------------------------------------------------


def register_callable(fn, wants_record):
    """Give fn a token Go can pass back through user_data."""
    token = _next_token()
    _callables[token] = (fn, wants_record)
    return token, _ffi.cast("void *", token)


def _text(ptr, size):
    if size == 0:
        return ""
    return _ffi.unpack(ptr, size).decode("utf-8", "replace")


def record_mapping(rec):
    """The mapping handed to handle_record() and formatter callables."""
    level = rec.level
    return {
        "logger": _text(rec.logger, rec.logger_len),
        "level": CANONICAL_NAMES.get(level, str(level)),
        "levelno": level,
        "message": _text(rec.message, rec.message_len),
        "timestamp": rec.timestamp_ns / 1e9,
        "timestamp_ns": rec.timestamp_ns,
        "thread_id": rec.thread_id,
        "thread_name": _text(rec.thread_name, rec.thread_name_len),
    }


def _report_exception(kind, fn):
    """Print a callback's exception with its traceback, as stdlib handleError does."""
    try:
        sys.stderr.write(f"femtologging: {kind} {fn!r} raised:\n")
        traceback.print_exc()
    except Exception:
        pass  # stderr itself is broken: the failure is still counted in Go


def _on_handle(user_data, rec):
    token = int(_ffi.cast("uintptr_t", user_data))
    fn, wants_record = _callables[token]
    _tls.in_worker = True
    try:
        if wants_record:
            fn(record_mapping(rec))
        else:
            level = rec.level
            fn(
                _text(rec.logger, rec.logger_len),
                CANONICAL_NAMES.get(level, str(level)),
                _text(rec.message, rec.message_len),
            )
        return 0
    except BaseException as exc:
        handler = getattr(fn, "__self__", fn)
        _report_exception("handler", handler)
        _describe_failure("handler", handler, exc)
        return 1
    finally:
        _tls.in_worker = False


def _describe_failure(kind, obj, exc):
    """Tell Go which handler or formatter failed and how, for its warnings."""
    try:
        name = repr(obj)
        if type(obj).__name__ not in name:
            name = f"{type(obj).__qualname__} {name}"
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        name_b = f"{kind} {name}".encode("utf-8", "backslashreplace")
        what_b = what.encode("utf-8", "backslashreplace")
        _lib.femtolog_callback_error(name_b, len(name_b), what_b, len(what_b))
    except Exception:
        pass  # a repr that raises: Go reports the bare return code instead


def _on_format(user_data, rec, out):
    token = int(_ffi.cast("uintptr_t", user_data))
    fn, _ = _callables[token]
    _tls.in_worker = True
    try:
        line = fn(record_mapping(rec))
        if not isinstance(line, str):
            raise TypeError(f"formatter must return str, not {type(line).__name__}")
        data = _utf8.encode(line + "\n")
        if _lib.femtolog_buffer_append(out, data, len(data)) != 0:
            raise MemoryError("could not append the formatted line")
        return 0
    except BaseException as exc:
        _report_exception("formatter", fn)
        _describe_failure("formatter", fn, exc)
        return 1
    finally:
        _tls.in_worker = False


# ---- exit ------------------------------------------------------------------


def _at_exit():
    """Flush and close every handler before the interpreter goes away.

    After this, Go never calls into Python again; records logged later are
    counted as dropped and reported on stderr.
    """
    if _forked or _lib is None or os.getpid() != _owner_pid:
        return
    rc = _lib.femtolog_shutdown(EXIT_TIMEOUT_MS)
    if rc < 0:
        try:
            sys.stderr.write(f"femtologging: at exit: {last_error()}\n")
        except Exception:
            pass
