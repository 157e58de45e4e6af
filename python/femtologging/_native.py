"""The boundary with libfemtolog: the only module that touches cffi.

It loads the library on first use (not at import: a process that forks
before using femtologging must not have started the Go runtime), maps status
codes to exceptions, owns the two callbacks through which Go reaches Python
handlers and formatters, gives a forked child its own copy of the library
with its parent's configuration (or refuses every call there, under the
"error" fork policy), and flushes everything at interpreter exit.
"""

import atexit
import os
import sys
import threading
import time
import traceback

from . import _fastlog, _header, _utf8, errors
from .levels import CANONICAL_NAMES, FAST_LEVELS, parse_level

# Two things this module decides but does not keep: the fork guard (is
# this a forked child that must not use the library it inherited, and
# why) and the per-thread cache of the library's thread handle. Both live
# in _fastlog, whose log() reads them on every call; this module sets and
# reads them through _fastlog's functions (see "One fork guard and one
# thread cache" in docs/decisions.md).
_FORK_FINE = _fastlog.FORK_FINE
_FORK_REINIT_PENDING = _fastlog.FORK_REINIT_PENDING
_FORK_REFUSED = _fastlog.FORK_REFUSED

# The statuses other modules tell apart, from the header (through the
# generated _header.py: importing femtologging must not import the cffi
# module, let alone load the library).
OK = _header.FEMTOLOG_OK
RETRY = _header.FEMTOLOG_RETRY
FILTERED = _header.FEMTOLOG_FILTERED
NEED_CALLER = _header.FEMTOLOG_NEED_CALLER

#: How long the exit hook may spend flushing and closing everything.
EXIT_TIMEOUT_MS = 10_000

#: Longest single wait inside the library; between slices Python runs
#: signal handlers, so Ctrl-C interrupts a long flush() promptly.
WAIT_SLICE_MS = 50

_load_lock = threading.Lock()
_ffi = None
_lib = None
_owner_pid = None
_tls = threading.local()  # in_worker only: the thread handle is _fastlog's

# token -> (callable, wants_record). Tokens are never reused; entries live
# as long as the process because queued records may still reach them.
_callables = {}
_next_token = iter(range(1, 1 << 62)).__next__

# The two callbacks through which Go reaches Python handlers and
# formatters (ffi.callback objects, kept alive for the life of the
# process: Go holds their addresses, and so do forked children).
_handle_callback = None
_format_callback = None

_FORK_MESSAGE = (
    "femtologging cannot be used in a child of os.fork() made after the library "
    "was loaded in the parent: the fork policy is \"error\" "
    "(femtologging.set_fork_policy(\"reinit\") makes children work). Use the "
    "'spawn' or 'forkserver' start method (multiprocessing.set_start_method), or "
    "configure logging only after forking."
)


class _InheritedLibrary:
    """Stands in, in a forked child, for the library inherited from the
    parent, whose Go runtime is dead here. What a use does is the fork
    guard's decision (_load): load the child's own copy (_load_child), or
    raise why the child cannot log."""

    def __getattr__(self, name):
        _load()
        return getattr(_lib, name)


def library():
    """Return (ffi, lib), loading libfemtolog on first use."""
    lib = _lib
    if lib is None or lib.__class__ is _InheritedLibrary:
        _load()
    return _ffi, _lib


def _load():
    global _library_fd
    with _load_lock:
        if _fastlog.fork_state() == _FORK_REINIT_PENDING:
            _load_child()
            return
        _fastlog.check_fork()  # a refused child: raises why
        if _lib is not None:
            return
        if not os.path.isfile(LIBRARY_PATH):
            raise ImportError(f"femtologging: the bundled library {LIBRARY_PATH} is missing: reinstall femtologging")
        from . import _femtolog_cffi as module

        ffi = module.ffi
        # Loaded by absolute path: a copy on LD_LIBRARY_PATH or in the
        # working directory is never consulted. RTLD_LOCAL: every call goes
        # through this handle, nothing needs the symbols in the global scope.
        lib = ffi.dlopen(LIBRARY_PATH, ffi.RTLD_NOW | ffi.RTLD_LOCAL)  # starts the Go runtime
        # Kept open so that forked children copy this very file, even if
        # an upgrade replaces the one on disk meanwhile.
        _library_fd = os.open(LIBRARY_PATH, os.O_RDONLY | os.O_CLOEXEC)
        _install(ffi, lib)
        atexit.register(_at_exit)
        _register_child_exit()


def _install(ffi, lib):
    """Make lib (the process's copy of the library) the one every call uses."""
    global _ffi, _lib, _owner_pid, _handle_callback, _format_callback
    # Three things were built from the header: the cffi module, _fastlog
    # and _header.py. Each must match the library it is about to call.
    for what, version in (("header", lib.FEMTOLOG_VERSION), ("_fastlog header", _fastlog.HEADER_VERSION),
                          ("_header.py", _header.FEMTOLOG_VERSION)):
        if lib.femtolog_version() != version:
            raise ImportError(
                f"libfemtolog version {lib.femtolog_version()} does not match the "
                f"package's {what} version {version}: reinstall femtologging"
            )
    if _handle_callback is None:
        _handle_callback = ffi.callback("femtolog_handle_fn", _on_handle, error=-1)
        _format_callback = ffi.callback("femtolog_format_fn", _on_format, error=-1)
    _ffi, _owner_pid = ffi, os.getpid()
    _lib = lib
    # The accelerator calls the library's functions directly, by address.
    # From now on its fork guard says FINE: this is the process's own copy.
    _fastlog.configure(
        int(ffi.cast("uintptr_t", lib.femtolog_logger_log)),
        int(ffi.cast("uintptr_t", lib.femtolog_logger_try_log)),
        FAST_LEVELS,
        parse_level,
        CANONICAL_NAMES,
        _register_thread,
        load,  # a forked child's first log() loads its own copy
        errors.ForkedProcessError,
    )
    from ._details import RESERVED

    _fastlog.configure_ex(int(ffi.cast("uintptr_t", lib.femtolog_logger_log_ex)), RESERVED)


#: The library this package was built with, installed beside this file.
LIBRARY_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libfemtolog.so")

# A read-only descriptor of the bundled library, opened at load.
_library_fd = None


# ---- fork (issue 12; docs/decisions.md "Fork") -------------------------------
#
# The Go runtime does not survive fork(). Just before a fork the parent asks
# its library for a description of its configuration (bounded: it copies
# the logger tree and handler specs) and makes sure a copy of the library
# file exists at an inode this process has not mapped (a memfd, made once
# and shared by all its children). A child loads that copy on first use (a
# fresh Go runtime) and restores the description into it: the same handles
# name the same loggers and handlers, so every Python object stays valid.

#: What a child does: "reinit" (load its own copy) or "error" (raise).
fork_policy = "reinit"
_snapshot = None  # the description taken just before the fork
_snapshot_error = None  # why there is none, for the child's error
_copy_fd = None  # a memfd copy of the library this process has not mapped
_fork_generation = 0  # forks this process descends from since import
_forking_thread = None  # the thread forking now when it is not the main one


def _make_copy():
    """A memfd holding a copy of the library (not mapped by this process)."""
    fd = os.memfd_create("libfemtolog.so", os.MFD_CLOEXEC)
    try:
        size = os.fstat(_library_fd).st_size
        offset = 0
        while offset < size:
            sent = os.sendfile(fd, _library_fd, offset, size - offset)
            if sent == 0:
                raise OSError(f"{LIBRARY_PATH}: short copy ({offset} of {size} bytes)")
            offset += sent
    except BaseException:
        os.close(fd)
        raise
    return fd


def _describe(lib, ffi):
    """The library's description of its configuration, for a child."""
    thread = _fastlog.thread_handle_if_registered()
    size = ffi.new("size_t *")
    cap = 16384
    while True:
        buf = ffi.new("uint8_t[]", cap)
        rc = lib.femtolog_fork_describe(buf, cap, size, thread)
        if rc < 0:
            raise errors.InternalError(f"femtolog_fork_describe: status {rc}: {last_error()}")
        if size[0] <= cap:
            return ffi.buffer(buf, size[0])[:]
        cap = size[0] + 4096  # changed meanwhile: again, with room


def _before_fork():
    global _snapshot, _snapshot_error, _copy_fd, _forking_thread
    current = threading.current_thread()
    _forking_thread = None if current is threading.main_thread() else current
    lib = _lib
    if lib is None or _fastlog.fork_state() != _FORK_FINE:
        return  # a child that never used the library keeps its description
    _snapshot = _snapshot_error = None
    if fork_policy != "reinit":
        return
    try:
        if _copy_fd is None:
            _copy_fd = _make_copy()
        _snapshot = _describe(lib, _ffi)
    except Exception as exc:  # the fork goes ahead; the child says why it cannot log
        _snapshot_error = f"{type(exc).__name__}: {exc}"


def _after_fork_in_parent():
    global _snapshot, _forking_thread
    _snapshot = _forking_thread = None


def _after_fork_in_child():
    global _lib, _load_lock, _fork_generation
    # Another parent thread may have held the lock at the fork.
    _load_lock = threading.Lock()
    _fork_generation += 1
    # Forked from inside a handler: this thread is no worker of the child's.
    _tls.in_worker = False
    lib = _lib
    if lib is None or _fastlog.fork_state() != _FORK_FINE:
        return  # never loaded, or a child that never used it: as the parent
    _lib = _InheritedLibrary()
    if _snapshot is None:
        message = _FORK_MESSAGE
        if _snapshot_error is not None:
            message = (f"femtologging could not prepare this child of os.fork(): "
                       f"{_snapshot_error}")
        _fastlog.set_fork_state(_FORK_REFUSED, message)
        return
    _fastlog.set_fork_state(_FORK_REINIT_PENDING)
    if _forking_thread is not None:
        _end_with_this_thread(_forking_thread)


def _end_with_this_thread(thread):
    """Make a child forked from a thread other than the main one end when
    that thread's work ends.

    Such a child has no main() to return from: it ends when its last thread
    ends, and once it has loaded its own copy of the library, Go's threads
    never end. So the thread's last step (threading's ``_delete``, run in
    its ``finally``) is followed by the end a program has: wait for the
    child's other non-daemon threads, flush, exit with status 0. A child
    that never loaded the library ends as it would have anyway. A thread
    Python did not start (no ``_delete`` to follow) is left as it is."""
    delete = getattr(thread, "_delete", None)
    if delete is None or isinstance(thread, threading._DummyThread):
        return

    def delete_then_end():
        delete()
        if _lib is None or isinstance(_lib, _InheritedLibrary):
            return
        for other in threading.enumerate():
            if other is not thread and not other.daemon:
                other.join()
        try:
            _at_exit()
        finally:
            os._exit(0)

    thread._delete = delete_then_end


def _end_child_forked_in_callback():
    """A child forked inside a handler or formatter is about to return into
    its parent's Go runtime, which is dead here: end the child instead, as
    a process does when its work is done, after writing what it logged."""
    try:
        _at_exit()
    finally:
        os._exit(0)


def _load_child():
    """Load this child's own copy of the library and restore the parent's
    configuration into it. Called with _load_lock held."""
    global _snapshot, _copy_fd
    ffi = _ffi
    fd, _copy_fd = _copy_fd, None
    try:
        if fd is None:  # a grandchild whose parent had mapped the copy
            fd = _make_copy()
        try:
            lib = ffi.dlopen(f"/proc/self/fd/{fd}", ffi.RTLD_NOW | ffi.RTLD_LOCAL)
        finally:
            os.close(fd)  # the mapping stays; this process's children copy again
        rc = lib.femtolog_fork_restore(_snapshot, len(_snapshot))
        if rc < 0:
            raise errors.InternalError(
                f"femtolog_fork_restore: status {rc}: {ffi.string(lib.femtolog_last_error()).decode()}")
    except Exception as exc:
        message = (f"femtologging could not load its own copy in this child of os.fork(): "
                   f"{type(exc).__name__}: {exc}")
        _fastlog.set_fork_state(_FORK_REFUSED, message)
        raise errors.ForkedProcessError(message) from exc
    _snapshot = None
    _install(ffi, lib)
    _register_child_exit()


def _register_child_exit():
    """multiprocessing's children (any start method) end with os._exit: no
    atexit hook runs. Their last step is threading._shutdown(), whose exit
    hooks run first (multiprocessing's own finalizers would not do: a child
    clears them when it starts). The main process keeps the atexit hook
    alone, which runs after the program's own atexit hooks."""
    register = getattr(threading, "_register_atexit", None)
    try:
        if register is not None and _in_multiprocessing_child():
            register(_at_exit)
    except Exception:
        pass  # shutting down already, or multiprocessing changed: atexit remains


def _in_multiprocessing_child():
    process = sys.modules.get("multiprocessing.process")
    if process is None:
        return False
    if type(process.current_process()).__name__ != "_MainProcess":  # the class is not exported
        return True  # running a Process's target (any start method)
    # A spawn or forkserver child importing the main module (multiprocessing
    # marks the process "inheriting" meanwhile).
    return bool(getattr(process.current_process(), "_inheriting", False))


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)


#: check_process(): raise in a forked child that cannot use the library
#: (ForkedProcessError saying why); cheap enough for every non-hot call.
check_process = _fastlog.check_fork


# ---- statuses --------------------------------------------------------------


def last_error():
    return _ffi.string(_lib.femtolog_last_error()).decode("utf-8", "replace")


def raise_for(rc, context="", wording=None):
    """Raise the exception that matches a negative status.

    wording, when given, makes the message from the library's (see
    check_value); context otherwise leads it.
    """
    lib = _lib
    message = last_error()
    if wording is not None:
        message = wording(message)
    elif context:
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


#: thread_handle(): the calling thread's registered identity, registered
#: (its name copied) on its first use. The one cache of it is _fastlog's,
#: per OS thread, which log() reads without calling Python.
thread_handle = _fastlog.thread_handle


def _register_thread():
    """Register the calling thread with the library; its new handle.
    Called by _fastlog once per thread (the one cache is there)."""
    name = _utf8.encode(threading.current_thread().name)
    return out_u64(_loaded().femtolog_thread_register, threading.get_ident(), name, len(name))


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


# ---- the block policy ------------------------------------------------------


def wait_for_room(rc, call, *args):
    """The block policy's retry loop, the package's only one: while rc is
    RETRY (the queue stayed full for one wait slice inside Go, with the GIL
    released), call(*args) again; return the first other status.

    Between slices Python runs signal handlers, so Ctrl-C interrupts a
    blocked call. _fastlog.c makes at most one waiting call itself and
    hands a RETRY it gets back to FemtoLogger._slow_status, which ends here.
    """
    retry = _loaded().FEMTOLOG_RETRY
    while rc == retry:
        rc = call(*args)
    return rc


# ---- the façade: one function per entry point the package uses -----------
#
# Every other module reaches the library through these (a test,
# test_boundary_rules.py, keeps it so). Each loads the library on first use
# and raises the mapped exception through raise_for; a function that
# returns a status instead (logger_log, log_ex) says so.


def _loaded():
    """The process's copy of the library, loaded on first use."""
    lib = _lib
    if lib is None or lib.__class__ is _InheritedLibrary:
        _load()
        lib = _lib
    return lib


def load():
    """Load libfemtolog now (starts the Go runtime); a no-op once loaded."""
    _loaded()


def logger_get(name):
    """The handle of the logger called name (UTF-8 bytes), made if new."""
    return out_u64(_loaded().femtolog_logger_get, name, len(name))


def logger_log(handle, levelno, data):
    """femtolog_logger_log for a plain record; returns the status, raises nothing."""
    return _loaded().femtolog_logger_log(handle, levelno, data, len(data), thread_handle())


def logger_set_level(handle, levelno, context=""):
    check(_loaded().femtolog_logger_set_level(handle, levelno), context)


def logger_get_level(handle):
    """The logger's own level number (0: it inherits)."""
    return out_int(_loaded().femtolog_logger_get_level, handle)


def logger_get_effective_level(handle):
    return out_int(_loaded().femtolog_logger_get_effective_level, handle)


def logger_set_propagate(handle, propagate):
    check(_loaded().femtolog_logger_set_propagate(handle, int(propagate)))


def logger_get_propagate(handle):
    return bool(out_int(_loaded().femtolog_logger_get_propagate, handle))


def logger_add_handler(handle, handler):
    check(_loaded().femtolog_logger_add_handler(handle, handler))


def logger_remove_handler(handle, handler):
    """Detach handler; True if it was attached."""
    return bool(out_int(_loaded().femtolog_logger_remove_handler, handle, handler))


def logger_clear_handlers(handle):
    check(_loaded().femtolog_logger_clear_handlers(handle))


def logger_handler_count(handle):
    """How many handlers Go dispatches this logger's records to."""
    lib = _loaded()
    out = _ffi.new("size_t *")
    check(lib.femtolog_logger_get_handler_count(out, handle))
    return int(out[0])


def logger_handlers(handle):
    """The handles of the handlers Go dispatches this logger's records to, in order."""
    lib = _loaded()
    size = _ffi.new("size_t *")
    capacity = 8  # a first guess; retried with the size Go reports
    while True:
        out = _ffi.new("femtolog_handler_t[]", capacity)
        check(lib.femtolog_logger_get_handlers(out, capacity, size, handle))
        if size[0] <= capacity:
            return [int(out[i]) for i in range(size[0])]
        capacity = size[0]


def logger_get_dropped(handle):
    return out_u64(_loaded().femtolog_logger_get_dropped, handle)


def logger_clear_filters(handle, context=""):
    check(_loaded().femtolog_logger_clear_filters(handle), context)


def manager_reset():
    check(_loaded().femtolog_manager_reset())


def handler_create(spec):
    """A Go handler built from spec (JSON bytes); its handle."""
    return out_u64(_loaded().femtolog_handler_create, spec, len(spec))


def handler_handle(handle, name, levelno, text):
    """Queue one record on a handler directly; under the block policy, wait
    for room (each call waits one slice, releasing the GIL)."""
    call = _loaded().femtolog_handler_handle
    args = (handle, name, len(name), levelno, text, len(text), thread_handle())
    check(wait_for_room(call(*args), call, *args))


def handler_flush_begin(handle):
    """Start flushing a handler; the ticket to pass to wait_ticket."""
    return out_u64(_loaded().femtolog_handler_flush_begin, handle)


def handler_close_begin(handle):
    """Start closing a handler; the ticket to pass to wait_ticket."""
    return out_u64(_loaded().femtolog_handler_close_begin, handle)


def handler_stats(handle):
    """A handler's counts: {"delivered", "dropped", "failed"}."""
    lib = _loaded()
    out = _ffi.new("femtolog_handler_stats *")
    check(lib.femtolog_handler_get_stats(out, handle))
    return {"delivered": out.delivered, "dropped": out.dropped, "failed": out.failed}


def config_apply(document, context=""):
    """Apply a dictConfig-schema document (JSON bytes) in Go."""
    check(_loaded().femtolog_config_apply(document, len(document)), context)


def config_get_handler(handler_id):
    """The handle of the configured handler handler_id (UTF-8 bytes)."""
    return out_u64(_loaded().femtolog_config_get_handler, handler_id, len(handler_id))


def ini_translate(text, defaults, disable_existing_loggers, context=""):
    """Translate fileConfig INI text (bytes) to dictConfig JSON bytes, in Go."""
    lib = _loaded()
    size = _ffi.new("size_t *")
    capacity = 8192  # a first guess; one retry with the size Go asks for
    while True:
        buf = _ffi.new("uint8_t[]", capacity)
        rc = lib.femtolog_ini_translate(buf, capacity, size, text, len(text), defaults, len(defaults),
                                        int(disable_existing_loggers))
        check(rc, context)
        if size[0] <= capacity:
            return _ffi.buffer(buf, size[0])[:]
        capacity = size[0]


def check_value(setting, value, what, shown=None):
    """Validate one setting's value with the rule Go's configuration decoder
    applies to that field (femtolog_value_check) and return Go's canonical
    form of it (decoded JSON). The value rules live in Go only.

    setting is the field as the configuration schema names it ("policy",
    "max_bytes", "when", ...); value is JSON-able (anything else is sent as
    null, which every rule refuses, so the message still lists the valid
    forms). A value Go refuses raises HandlerConfigError, worded here from
    Go's reason: what is the setting as the caller's API names it, shown
    the value as the user gave it (repr(value) by default).
    """
    import json

    lib = _loaded()
    name = setting.encode("ascii")
    try:
        data = json.dumps(value).encode("utf-8")
    except (TypeError, ValueError):
        data = b"null"
    size = _ffi.new("size_t *")
    capacity = 128  # every canonical form fits; one retry otherwise
    while True:
        buf = _ffi.new("uint8_t[]", capacity)
        rc = lib.femtolog_value_check(buf, capacity, size, name, len(name), data, len(data))
        if rc < 0:
            raise_for(rc, wording=_value_wording(what, repr(value) if shown is None else shown))
        if size[0] <= capacity:
            return json.loads(_ffi.buffer(buf, size[0])[:])
        capacity = size[0]


def _value_wording(what, shown):
    """The message for a value Go refused, from its reason: a reason that
    lists the valid forms ("want ...") reads "invalid policy 'x': want
    ...", a bound ("must ...") reads "max_bytes must not be negative, got
    -1"."""

    def word(reason):
        if reason.startswith("want "):
            return f"invalid {what} {shown}: {reason}"
        return f"{what} {reason}, got {shown}"

    return word


def signals_set_flush_timeout(timeout_ms):
    lib = _loaded()
    try:
        rc = lib.femtolog_signals_set_flush_timeout(timeout_ms)
    except OverflowError:  # the library's rule could not even see it
        raise errors.InvalidArgumentError(
            f"signal flush timeout {timeout_ms} ms: not a 64-bit integer") from None
    check(rc)


# ---- callbacks from Go -----------------------------------------------------


def create_callback_handler(fn, wants_record, wants_caller=False):
    """A Go callback handler calling fn; its handle."""
    _, user_data = register_callable(fn, wants_record)
    return out_u64(_lib.femtolog_handler_create_callback_ex, _handle_callback, user_data,
                   _lib.FEMTOLOG_CALLBACK_CALLER if wants_caller else 0)


def create_callback_formatter(fn, wants_caller=False):
    """A Go formatter calling fn(mapping) -> str; its handle."""
    _, user_data = register_callable(fn, True)
    return out_u64(_lib.femtolog_formatter_create_callback_ex, _format_callback, user_data,
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


def _callback_begins():
    """Mark this thread as running a callback for a Go worker (a blocking
    log(), flush or close from inside would wait for this very worker: see
    in_worker) and return the fork generation, for _callback_ends."""
    _tls.in_worker = True
    return _fork_generation


def _callback_ends(generation):
    """The callback is done: unmark the thread, and end a child forked
    inside it (it would return into the parent's runtime, dead here)."""
    _tls.in_worker = False
    if _fork_generation != generation:
        _end_child_forked_in_callback()


def _on_handle(user_data, rec):
    token = int(_ffi.cast("uintptr_t", user_data))
    fn, wants_record = _callables[token]
    generation = _callback_begins()
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
        _callback_ends(generation)


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
    generation = _callback_begins()
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
        _callback_ends(generation)


# ---- exit ------------------------------------------------------------------


def _at_exit():
    """Flush and close every handler before the interpreter goes away.

    After this, Go never calls into Python again; records logged later are
    counted as dropped and reported on stderr.
    """
    if _lib is None or _fastlog.fork_state() != _FORK_FINE or os.getpid() != _owner_pid:
        return
    rc = _lib.femtolog_shutdown(EXIT_TIMEOUT_MS)
    if rc < 0:
        try:
            sys.stderr.write(f"femtologging: at exit: {last_error()}\n")
        except Exception:
            pass
