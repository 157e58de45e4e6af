"""FemtoLogger, get_logger and reset_manager.

The hot path is FemtoLogger.log: the level check runs here on a cached
integer (a disabled call never enters Go); an enabled call makes exactly one
call into Go with ints and one bytes object; the returned string is built
here.
"""

import sys
import threading
import time
from collections.abc import Mapping as _Mapping
from typing import Any, Dict, Iterable, List, Optional, Tuple

from . import _details, _native, _utf8
from .context import current_fields
from ._fastlog import LoggerCore
from .handlers._handler_base import NativeHandler
from .errors import StaleHandleError
from .levels import CANONICAL_NAMES, parse_level

_registry = {}  # name -> FemtoLogger, mirrors the Go manager
_registry_lock = threading.Lock()

# A caller known before log() runs (a stdlib LogRecord's): _handoff.deliver
# sets it on this thread around one plain FemtoLogger.log call, so that the
# record keeps the C path and _log_full takes this caller if a handler
# asks for one (FEMTOLOG_NEED_CALLER) instead of walking the stack.
_known_caller = threading.local()


# handle -> the Python object that handle stands for: a built-in handler,
# a configured one, or a Python object behind a callback handler. Go owns
# which handlers a logger has (femtolog_logger_get_handlers); this only
# maps its handles back to objects. Entries live as long as the process,
# like the handles themselves (and a Python handler's callable, which
# _native keeps anyway); an entry is replaced when a configuration adopts
# the handle again.
_handler_objects = {}


def remember_handler(handle: int, handler: Any) -> None:
    """Let logger.handlers show handler for handle."""
    _handler_objects[handle] = handler


def _capability(handler):
    """Look up, once, how the worker will call a Python handler.

    handle_record(record) wins over handle(logger, level, message); later
    changes to the object are not seen (the handler stability contract).
    """
    _refuse_stdlib_handler(handler)
    method = getattr(handler, "handle_record", None)
    if callable(method):
        return method, True
    method = getattr(handler, "handle", None)
    if callable(method):
        return method, False
    raise TypeError(
        f"handler {handler!r} must be a femtologging handler or have a callable "
        "handle(logger, level, message) or handle_record(record) method"
    )


class FemtoLogger(LoggerCore):
    """A named logger. Obtain one with get_logger(name), never directly.

    log() itself is implemented in C (LoggerCore, in _fastlog.c): it checks
    the level against a cached integer, so a disabled call never enters Go,
    and makes exactly one call into Go for an enabled one. Everything but a
    plain success comes back to the Python methods below.
    """

    __slots__ = ("_name",)

    def __init__(self, name: str, handle: int) -> None:
        _native.load()
        self._name = name
        self._bind(handle, name)
        self._refresh_threshold()

    def __repr__(self):
        return f"<FemtoLogger {self._name!r}>"

    @property
    def name(self) -> str:
        return self._name

    # ---- what the C hot path hands back -----------------------------------
    #
    # log(level, message) -> str | None is inherited from LoggerCore: it
    # returns "{logger} [{LEVEL}] {message}" when the record passes the
    # level check (and the logger's filters), None when it is filtered out.
    # The paths below return the same line through LoggerCore._line, so
    # that its layout is written once (in _fastlog.c).

    def _log_slow(self, levelno, message):
        """log() for messages the C path does not take (lone surrogates)."""
        data = _utf8.encode(message)
        rc = _native.logger_log(self._handle, levelno, data)
        return self._slow_status(rc, levelno, message)

    def _slow_status(self, rc, levelno, message):
        """Everything but a plain success: filters, drops, blocking, errors."""
        if rc == _native.RETRY and _native.in_worker():
            # A handler logging under the block policy would wait for room
            # that only its own (busy) worker can make.
            raise RuntimeError(
                f"logger {self._name!r}: queue full under the block policy while logging "
                "from inside a handler; waiting would deadlock the worker"
            )
        if rc == _native.RETRY:
            # Block policy: wait in slices so that Ctrl-C is delivered.
            rc = _native.wait_for_room(rc, _native.logger_log, self._handle, levelno, _utf8.encode(message))
        if rc == _native.FILTERED:
            return None
        if rc < 0:
            _native.raise_for(rc, f"logger {self._name!r}")
        # FEMTOLOG_OK, or FEMTOLOG_DROPPED: the record passed the checks and
        # the drop was counted (get_dropped) and reported on stderr.
        return self._line(levelno, message)

    # trace/debug/info/warning/warn/error/critical(message, *args, **kw) are
    # LoggerCore's too, so that a plain info("msg") costs no Python frame.

    def exception(self, message: str, *args: Any, exc_info: Any = True, **kwargs: Any) -> Optional[str]:
        """error() with the exception being handled (exc_info=True)."""
        return self.log("ERROR", message, *args, exc_info=exc_info, **kwargs)

    def _log_full(self, levelno: int, message: str, args: Tuple[Any, ...],
                  kwargs: Optional[Dict[str, Any]]) -> Optional[str]:
        """log() for calls with keywords, a log_context in force, arguments C
        could not apply, or handlers that want the caller.

        Arguments are applied with % as stdlib does, on this thread; the
        exception and stack are rendered here. A formatting error is reported
        on stderr as stdlib's handleError does, and the record is still
        logged with the error noted.
        """
        exc_info, stack_info, stacklevel, extra = None, False, 1, None
        if kwargs:
            for key in kwargs:
                if key not in ("exc_info", "stack_info", "stacklevel", "extra"):
                    raise TypeError(f"log() got an unexpected keyword argument {key!r}")
            exc_info = kwargs.get("exc_info")
            stack_info = kwargs.get("stack_info", False)
            stacklevel = kwargs.get("stacklevel", 1)
            extra = kwargs.get("extra")
        text = _apply_args(message, args) if args else message
        pairs = list(current_fields())
        if extra is not None:
            if not hasattr(extra, "items"):
                raise TypeError(f"extra must be a mapping, not {type(extra).__name__}")
            pairs.extend(_details.check_fields(extra, "extra"))
        exc_text = _details.exc_text(exc_info) if exc_info else None
        caller = stack_text = None
        if stack_info:
            caller, stack_text = _details.find_caller(True, stacklevel)
        return self._log_details(levelno, text, exc_text, stack_text, caller, pairs, stacklevel,
                                 getattr(_known_caller, "caller", None))

    def _log_details(self, levelno: int, text: str, exc_text: Optional[str],
                     stack_text: Optional[str], caller: Optional[Tuple[Any, ...]],
                     pairs: List[Tuple[str, Any]], stacklevel: int = 1,
                     known_caller: Optional[Tuple[Any, ...]] = None) -> Optional[str]:
        """Queue a record with its details (text final, arguments applied).

        caller is (pathname, filename, module, lineno, funcName) or None;
        when None and a handler wants it, known_caller is used if given
        (a stdlib LogRecord's), else it is found stacklevel frames up from
        the first frame outside femtologging and stdlib logging.
        """
        data = _utf8.encode(text)
        rc = _native.log_ex(self._handle, levelno, data, exc_text, stack_text, caller, pairs, True)
        if rc == _native.NEED_CALLER:
            caller = known_caller or _details.find_caller(False, stacklevel)[0]
            rc = _native.log_ex(self._handle, levelno, data, exc_text, stack_text, caller, pairs, True)
        if rc == _native.RETRY and not _native.in_worker():
            # Block policy: wait in slices (the call releases the GIL).
            rc = _native.wait_for_room(rc, _native.log_ex, self._handle, levelno, data, exc_text,
                                       stack_text, caller, pairs, False)
        if rc == _native.OK:
            return self._line(levelno, text)
        return self._slow_status(rc, levelno, text)

    def is_enabled_for(self, level: "int | str") -> bool:
        """Whether a record at level would pass this logger's level check."""
        return parse_level(level) >= self._threshold

    isEnabledFor = is_enabled_for

    # ---- levels and propagation -------------------------------------------

    def set_level(self, level: "int | str | None") -> None:
        """Set this logger's own level; None makes it inherit its parent's again."""
        levelno = 0 if level is None else parse_level(level)
        _native.logger_set_level(self._handle, levelno, f"logger {self._name!r}")
        refresh_thresholds()

    def get_level(self) -> Optional[str]:
        """This logger's own level name, or None when it inherits."""
        return CANONICAL_NAMES.get(_native.logger_get_level(self._handle))

    def get_effective_level(self) -> str:
        """The level records are checked against: own, or the nearest ancestor's."""
        return CANONICAL_NAMES[_native.logger_get_effective_level(self._handle)]

    def set_propagate(self, propagate: bool) -> None:
        """Stop (False) or resume (True, the default) delivery to ancestors' handlers."""
        if not isinstance(propagate, bool):
            raise TypeError(f"propagate must be a bool, not {type(propagate).__name__}")
        _native.logger_set_propagate(self._handle, propagate)

    @property
    def propagate(self) -> bool:
        """Whether records go on to the ancestors' handlers; assigning calls set_propagate."""
        return _native.logger_get_propagate(self._handle)

    @propagate.setter
    def propagate(self, value: bool) -> None:
        self.set_propagate(value)

    def _refresh_threshold(self):
        try:
            self._threshold = _native.logger_get_effective_level(self._handle)
        except StaleHandleError:
            pass  # a logger from before reset_manager(): log() reports it

    # ---- handlers ----------------------------------------------------------

    def add_handler(self, handler: Any) -> None:
        """Attach a built-in handler, or any object with a callable
        handle(logger, level, message) or handle_record(record).

        Python handlers run on this logger's worker thread, never the
        caller's. Their capability is looked up now, once.
        """
        _native.load()
        _native.check_process()
        handle = handler_handle(handler)
        _native.logger_add_handler(self._handle, handle)

    def remove_handler(self, handler: Any) -> bool:
        """Detach handler; True if it was attached. Queued records still reach it."""
        for handle in _native.logger_handlers(self._handle):
            if _handler_objects.get(handle) is handler:
                return _native.logger_remove_handler(self._handle, handle)
        return False

    def clear_handlers(self) -> None:
        """Detach every handler. Queued records still reach them."""
        _native.logger_clear_handlers(self._handle)

    @property
    def handlers(self) -> List[Any]:
        """The handlers attached to this logger, in order (asked of Go)."""
        return [_handler_objects[h] for h in _native.logger_handlers(self._handle) if h in _handler_objects]

    def get_dropped(self) -> int:
        """Records discarded because this logger's queue was full or shutting down."""
        return _native.logger_get_dropped(self._handle)

    def get_handler_errors(self) -> int:
        """Exceptions raised by this logger's Python handlers so far."""
        total = 0
        for handle in _native.logger_handlers(self._handle):
            if handle in _handler_objects and not isinstance(_handler_objects[handle], NativeHandler):
                total += _native.handler_stats(handle)["failed"]
        return total

    # ---- API parity with stdlib logging (issue 13) -------------------------
    #
    # Additive only: properties and camelCase aliases users of stdlib expect.
    # Nothing here is on the log path.

    @property
    def level(self) -> "int | None":
        """This logger's own level number (e.g. 20), or None when it inherits."""
        number = _native.logger_get_level(self._handle)
        return number if number in CANONICAL_NAMES else None

    @property
    def parent(self) -> "FemtoLogger | None":
        """The logger one dot up ("a" for "a.b"; the root for "a"); None for the root."""
        if self._name == "root":
            return None
        head, dot, _ = self._name.rpartition(".")
        return get_logger(head if dot else "root")

    def clear_filters(self) -> None:
        """Remove every filter of this logger: configured ones and callback filters."""
        _native.logger_clear_filters(self._handle, f"logger {self._name!r}")
        set_callback_filters(self, ())

    def flush_handlers(self, timeout: float = 1.0) -> bool:
        """Flush every handler reachable from this logger (its own, then its
        ancestors' while propagation is on); wait at most timeout seconds in
        all. True when everything queued so far was written."""
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
            raise ValueError(f"timeout must be a number of seconds >= 0, got {timeout!r}")
        _native.check_process()
        _native.refuse_in_worker("flush_handlers()")
        _native.load()
        handles = []
        logger = self
        while logger is not None:
            handles.extend(h for h in _native.logger_handlers(logger._handle) if h not in handles)
            if not logger.propagate:
                break
            logger = logger.parent
        deadline = time.monotonic() + timeout
        ok = True
        for handle in handles:
            ticket = _native.handler_flush_begin(handle)
            ok = _native.wait_ticket(ticket, max(0.0, deadline - time.monotonic())) and ok
        return ok

    setLevel = set_level

    def getEffectiveLevel(self) -> int:
        """The effective level as a number (stdlib's spelling and type)."""
        return parse_level(self.get_effective_level())

    addHandler = add_handler
    removeHandler = remove_handler

    # ---- end of API parity -------------------------------------------------


def _apply_args(message: str, args: Tuple[Any, ...]) -> str:
    """message % args as stdlib's LogRecord.getMessage applies them.

    A failure is reported on stderr the way stdlib's handleError reports
    it, and the record keeps the unformatted message with the error noted:
    log() itself never raises for it.
    """
    values = args
    if len(args) == 1 and isinstance(args[0], _Mapping) and args[0]:
        values = args[0]
    try:
        return message % values
    except Exception as exc:
        try:
            import traceback

            sys.stderr.write("--- Logging error ---\n")
            traceback.print_exc(file=sys.stderr)
            sys.stderr.write(f"Message: {message!r}\nArguments: {args!r}\n")
        except Exception:
            pass
        return f"{message} (formatting error: {type(exc).__name__}: {exc}; arguments: {args!r})"


def _refuse_stdlib_handler(handler: object) -> None:
    """A stdlib logging.Handler needs the adapter: its handle() takes a LogRecord."""
    logging = sys.modules.get("logging")
    if logging is not None and isinstance(handler, logging.Handler):
        raise TypeError(
            f"{handler!r} is a stdlib logging.Handler; wrap it as "
            "femtologging.StdlibHandlerAdapter(handler) to attach it to a femtologging logger"
        )


# Callback filters (ConfigBuilder.with_filter with a callable): name -> the
# callables, in order. A logger that has some is switched to a subclass
# whose log() runs them on the caller's thread; the others keep the C path.
_callback_filters: Dict[str, Tuple[Any, ...]] = {}


def set_callback_filters(logger: "FemtoLogger", filters: Iterable[Any]) -> None:
    """Give logger these callback filters (replacing any), or none."""
    from ._callback_filters import FilteredLogger

    filters = tuple(filters)
    if filters:
        _callback_filters[logger._name] = filters
        logger.__class__ = FilteredLogger
    else:
        _callback_filters.pop(logger._name, None)
        logger.__class__ = FemtoLogger


def handler_handle(handler: Any) -> int:
    """The Go handle that dispatches records to handler.

    A built-in handler has its own; a Python object gets a new callback
    handler, with its capability (handle_record or handle) looked up now,
    once: the handler stability contract.
    """
    if isinstance(handler, NativeHandler):
        handle = handler._handle
    else:
        method, wants_record = _capability(handler)
        _native.load()
        # A handler that sets wants_caller_info = True gets pathname, lineno
        # and the other caller fields in its record mapping; loggers feeding
        # it then capture the caller (a frame walk per record).
        wants_caller = bool(getattr(handler, "wants_caller_info", False))
        handle = _native.create_callback_handler(method, wants_record, wants_caller)
    remember_handler(handle, handler)
    return handle


def registered_loggers() -> Dict[str, "FemtoLogger"]:
    """A snapshot of the registry: name -> FemtoLogger."""
    return dict(_registry)


def get_logger(name: str) -> FemtoLogger:
    """Return the one FemtoLogger called name, creating it and its parents.

    Names must not be empty, start or end with '.', contain '..' or
    control characters (ValueError naming the name). Lone surrogates are
    written as escapes: get_logger("a\udc80").name == "a\\udc80". The
    root logger is get_logger("root").
    """
    logger = _registry.get(name)
    if logger is not None:
        return logger
    if not isinstance(name, str):
        raise TypeError(f"logger name must be a str, not {type(name).__name__}")
    name = _utf8.clean(name)
    _native.load()
    _native.check_process()
    with _registry_lock:
        logger = _registry.get(name)
        if logger is None:
            handle = _native.logger_get(_utf8.encode(name))
            logger = FemtoLogger(name, handle)
            _registry[name] = logger
    return logger


def refresh_thresholds() -> None:
    """Re-read every logger's effective level after a level changed anywhere."""
    for logger in list(_registry.values()):
        logger._refresh_threshold()


def reset_manager() -> None:
    """Forget every logger (for tests; not thread-safe).

    Records already queued are still delivered; handlers stay open. Loggers
    obtained before the reset raise StaleHandleError when used.
    """
    _native.load()
    _native.check_process()
    with _registry_lock:
        _native.manager_reset()
        _registry.clear()
        _callback_filters.clear()
