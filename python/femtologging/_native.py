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
        from ._details import RESERVED

        _fastlog.configure_ex(_address(bundled, "femtolog_logger_log_ex"), RESERVED)
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
    takes its function addresses from this handle.
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
    for name in ("femtolog_version", "femtolog_logger_log", "femtolog_logger_try_log",
                 "femtolog_logger_log_ex"):
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


def create_callback_handler(fn, wants_record, wants_caller=False):
    """A Go callback handler calling fn; its handle."""
    _, user_data = register_callable(fn, wants_record)
    return out_u64(_lib.femtolog_handler_create_callback_ex, _lib._femtolog_py_handle, user_data,
                   _lib.FEMTOLOG_CALLBACK_CALLER if wants_caller else 0)


def create_callback_formatter(fn, wants_caller=False):
    """A Go formatter calling fn(mapping) -> str; its handle."""
    _, user_data = register_callable(fn, True)
    return out_u64(_lib.femtolog_formatter_create_callback_ex, _lib._femtolog_py_format, user_data,
                   _lib.FEMTOLOG_CALLBACK_CALLER if wants_caller else 0)


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
    """The mapping handed to handle_record() and formatter callables.

    Beside the basic fields: exc_info and stack_info (the rendered text, or
    None), key_values (extra= and log_context fields, typed) and, when the
    caller was captured, pathname, filename, module, lineno and funcName.
    """
    level = rec.level
    mapping = {
        "logger": _text(rec.logger, rec.logger_len),
        "level": CANONICAL_NAMES.get(level, str(level)),
        "levelno": level,
        "message": _text(rec.message, rec.message_len),
        "timestamp": rec.timestamp_ns / 1e9,
        "timestamp_ns": rec.timestamp_ns,
        "thread_id": rec.thread_id,
        "thread_name": _text(rec.thread_name, rec.thread_name_len),
        "exc_info": None,
        "stack_info": None,
        "key_values": {},
    }
    ex = rec.ex
    if ex != _ffi.NULL:
        if ex.exc_text_len:
            mapping["exc_info"] = _text(ex.exc_text, ex.exc_text_len)
        if ex.stack_text_len:
            mapping["stack_info"] = _text(ex.stack_text, ex.stack_text_len)
        mapping["key_values"] = {
            _text(kv.key, kv.key_len): _kv_value(kv) for kv in (ex.kvs[i] for i in range(ex.kv_count))
        }
        if ex.flags & _lib.FEMTOLOG_EX_CALLER:
            mapping["pathname"] = _text(ex.pathname, ex.pathname_len)
            mapping["filename"] = _text(ex.filename, ex.filename_len)
            mapping["module"] = _text(ex.module, ex.module_len)
            mapping["lineno"] = ex.lineno
            mapping["funcName"] = _text(ex.func_name, ex.func_name_len)
    return mapping


def _kv_value(kv):
    kind = kv.kind
    if kind == 0:
        return _text(kv.str, kv.str_len)
    if kind == 1:
        return int(kv.int_value)
    if kind == 2:
        return float(kv.float_value)
    if kind == 3:
        return bool(kv.int_value)
    return None


# ---- rich records ------------------------------------------------------------

#: femtolog_kv kinds by Python type (bool before int: it is an int).
_KV_KINDS = ((bool, 3), (int, 1), (float, 2), (str, 0))
_INT64 = (-(1 << 63), (1 << 63) - 1)


def _fill_kvs(kvs, pairs, keep):
    """Fill a femtolog_kv array from (key, value) pairs; keep holds the bytes."""
    for item, (key, value) in zip(kvs, pairs):
        kb = _utf8.encode(key)
        keep.append(kb)
        item.key, item.key_len = _ffi.from_buffer(kb), len(kb)
        if value is None:
            item.kind = 4
            continue
        kind = 0
        for typ, k in _KV_KINDS:
            if isinstance(value, typ):
                kind = k
                break
        if kind == 1 and not _INT64[0] <= value <= _INT64[1]:
            kind, value = 0, str(value)  # beyond int64: kept as its text
        item.kind = kind
        if kind == 0:
            vb = _utf8.encode(str(value))
            keep.append(vb)
            item.str, item.str_len = _ffi.from_buffer(vb), len(vb)
        elif kind == 2:
            item.float_value = value
        else:
            item.int_value = int(value)


def _set_text(ex, field, text, keep):
    if text:
        data = _utf8.encode(text)
        keep.append(data)
        setattr(ex, field, _ffi.from_buffer(data))
        setattr(ex, field + "_len", len(data))


def log_ex(handle, levelno, data, exc_text, stack_text, caller, pairs, no_wait):
    """femtolog_logger_log_ex for a record with details; returns the status.

    caller is (pathname, filename, module, lineno, funcName) or None; pairs
    are (key, value) with str keys and str/int/float/bool/None values.
    """
    ffi, lib = _ffi, _lib
    ex = ffi.new("femtolog_record_ex *")
    keep = []
    if no_wait:
        ex.flags = lib.FEMTOLOG_EX_NO_WAIT
    _set_text(ex, "exc_text", exc_text, keep)
    _set_text(ex, "stack_text", stack_text, keep)
    if caller is not None:
        ex.flags |= lib.FEMTOLOG_EX_CALLER
        pathname, filename, module, lineno, func_name = caller
        _set_text(ex, "pathname", pathname, keep)
        _set_text(ex, "filename", filename, keep)
        _set_text(ex, "module", module, keep)
        _set_text(ex, "func_name", func_name, keep)
        ex.lineno = max(0, min(int(lineno or 0), 0x7FFFFFFF))
    if pairs:
        kvs = ffi.new("femtolog_kv[]", len(pairs))
        _fill_kvs(kvs, pairs, keep)
        ex.kvs, ex.kv_count = kvs, len(pairs)
    return lib.femtolog_logger_log_ex(handle, levelno, data, len(data), thread_handle(), ex)


def format_record(spec, record):
    """Format one record (a dict of record fields) with a formatter spec.

    Used by Formatter.format: the same Go code the handlers run.
    """
    import json

    ffi, lib = library()
    spec_data = json.dumps(_utf8.clean_document(spec)).encode("utf-8")
    keep = []
    rec = ffi.new("femtolog_record *")
    ex = ffi.new("femtolog_record_ex *")
    rec.ex = ex

    def text(field, value):
        data = _utf8.encode(value or "")
        keep.append(data)
        setattr(rec, field, ffi.from_buffer(data))
        setattr(rec, field + "_len", len(data))

    text("logger", record.get("name", ""))
    text("message", record.get("message", ""))
    text("thread_name", record.get("threadName", ""))
    rec.level = int(record.get("levelno", 20))
    rec.timestamp_ns = int(record.get("timestamp_ns", 0))
    rec.thread_id = int(record.get("thread", 0)) & ((1 << 64) - 1)
    _set_text(ex, "exc_text", record.get("exc_text"), keep)
    _set_text(ex, "stack_text", record.get("stack_info"), keep)
    if record.get("pathname") is not None:
        ex.flags |= lib.FEMTOLOG_EX_CALLER
        for field, key in (("pathname", "pathname"), ("filename", "filename"),
                           ("module", "module"), ("func_name", "funcName")):
            _set_text(ex, field, record.get(key), keep)
        ex.lineno = int(record.get("lineno") or 0)
    pairs = list((record.get("key_values") or {}).items())
    if pairs:
        kvs = ffi.new("femtolog_kv[]", len(pairs))
        _fill_kvs(kvs, pairs, keep)
        ex.kvs, ex.kv_count = kvs, len(pairs)
    size = ffi.new("size_t *")
    buf = ffi.new("char[]", 256)
    rc = lib.femtolog_format_record(buf, 256, size, spec_data, len(spec_data), rec)
    if rc == 0 and size[0] > 256:
        buf = ffi.new("char[]", size[0])
        rc = lib.femtolog_format_record(buf, size[0], size, spec_data, len(spec_data), rec)
    if rc == lib.FEMTOLOG_ERR_INVALID:
        raise ValueError(last_error())
    check(rc, "format")
    return ffi.unpack(buf, size[0]).decode("utf-8", "replace")


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
