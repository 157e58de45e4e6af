"""The bridge from stdlib ``logging`` into femtologging.

Libraries log through stdlib ``logging``; this module routes their records
into the femtologging logger of the same name, so one application has one
stream of records (and one set of queues: per-logger ordering holds across
both APIs from one thread).

Two mechanisms:

- ``capture()``, the fast path. It replaces ``logging.Logger._log`` (which
  every ``logger.info()``/``log()``/``exception()`` call reaches after
  stdlib's own level check) and ``logging.Logger.handle`` (for records made
  elsewhere) with versions that, for captured loggers, apply the
  ``%``-arguments on the caller's thread and hand level, name and message
  straight to femtologging: no ``LogRecord`` is built per call, which is
  where a Handler-based bridge spends most of its time. ``release()`` puts
  the two original methods back.
- ``FemtoHandler``, a real ``logging.Handler`` for any stdlib logger (also
  from ``logging.config.dictConfig`` as
  ``"class": "femtologging.stdlib.FemtoHandler"``).

Importing femtologging also makes ``logging.Logger.addHandler`` refuse a
femtologging handler with a TypeError naming FemtoHandler; it would fail
at the first record otherwise.
"""

import logging
import sys
import threading
import traceback
from collections.abc import Mapping
from types import FrameType
from typing import Any, Dict, Iterable, Optional, Union

from .handlers._handler_base import NativeHandler
from ._handoff import emit, exc_text as _exc_text
from .logger import get_logger

__all__ = ["FemtoHandler", "capture", "is_captured", "release"]

# ---- names and levels ---------------------------------------------------------

#: stdlib level numbers femtologging knows as they are.
_LEVELS = {5: 5, 10: 10, 20: 20, 30: 30, 40: 40, 50: 50}
_KNOWN = (50, 40, 30, 20, 10, 5)


def _femto_level(levelno: int) -> int:
    """femtologging's level for a stdlib level number: the nearest known
    level at or below it (a custom 25 is INFO), TRACE below 5."""
    known = _LEVELS.get(levelno)
    if known is not None:
        return known
    for number in _KNOWN:
        if levelno >= number:
            return number
    return 5


_names_lock = threading.Lock()
_names: Dict[str, str] = {}  # stdlib logger name -> femtologging logger name


def _femto_name(name: str) -> str:
    """The femtologging logger name for a stdlib logger name.

    The stdlib root ("root", or "") is femtologging's root. Empty dotted
    parts, which femtologging's names forbid ("a..b", ".a"), are dropped.
    """
    femto = _names.get(name)
    if femto is None:
        parts = [p for p in str(name).split(".") if p]
        femto = ".".join(parts) or "root"
        with _names_lock:
            _names[name] = femto
    return femto


#: The one hand-off of stdlib records to femtologging (callback filters, then
#: _handoff.deliver, which puts exception and stack text, extra fields and
#: the caller in the record's own fields).
_emit = emit


# ---- what a record carries ------------------------------------------------------

# The attributes every LogRecord has; the others were passed as extra.
_STANDARD = frozenset(vars(logging.LogRecord("n", 20, "", 0, "", None, None))) | {
    "message", "asctime", "taskName"}
_STANDARD_COUNT = len(vars(logging.LogRecord("n", 20, "", 0, "", None, None)))


def _extra_of(record: logging.LogRecord) -> Optional[Dict[str, Any]]:
    """The extra fields of a LogRecord (attributes stdlib does not set)."""
    fields = vars(record)
    if len(fields) <= _STANDARD_COUNT:
        return None
    return {k: v for k, v in fields.items() if k not in _STANDARD} or None


def _stack_text(stacklevel: int) -> str:
    """The caller's stack as stdlib's stack_info renders it."""
    frame: Optional[FrameType] = sys._getframe(2)
    # Skip logging's own frames and stacklevel - 1 more, as findCaller does.
    while frame is not None and frame.f_code.co_filename == logging.__file__:
        frame = frame.f_back
    for _ in range(max(stacklevel, 1) - 1):
        if frame is None or frame.f_back is None:
            break
        frame = frame.f_back
    text = "".join(traceback.format_stack(frame)).rstrip("\n")
    return "Stack (most recent call last):\n" + text


def _message(msg: object, args: Any) -> str:
    """msg % args, as LogRecord.getMessage() would, on the caller's thread."""
    text = msg if type(msg) is str else str(msg)
    if not args:
        return text
    if len(args) == 1 and isinstance(args[0], Mapping) and args[0]:
        args = args[0]
    try:
        formatted: str = text % args
        return formatted
    except Exception:
        # stdlib reports the mistake (handleError) and loses the record;
        # here the record is kept, with its arguments shown as they came.
        _report("formatting the message failed")
        return f"{text} (arguments not applied: {args!r})"


def _report(what: str) -> None:
    if logging.raiseExceptions:
        try:
            sys.stderr.write(f"--- femtologging.stdlib: {what}\n")
            traceback.print_exc()
        except Exception:
            pass


# ---- FemtoHandler ------------------------------------------------------------------


class FemtoHandler(logging.Handler):
    """A stdlib ``logging.Handler`` that hands each record to femtologging.

    The record goes to the femtologging logger of the same name (the stdlib
    root to ``get_logger("root")``) with its level, its message (arguments
    applied), exception and stack text, extra fields (as key-values) and
    caller (pathname, lineno, funcName, ...); what femtologging does with it
    (levels, filters, handlers, propagation) is femtologging's
    configuration. The handler's own formatter is not used.
    """

    def __init__(self, level: Union[int, str] = logging.NOTSET) -> None:
        super().__init__(level)

    def createLock(self) -> None:
        # emit() only queues the record, which is thread-safe: no lock.
        self.lock = None

    def handle(self, record: logging.LogRecord) -> Any:
        """Apply this handler's filters, then emit (without a lock)."""
        if not self.filters:
            self.emit(record)
            return True
        verdict = self.filter(record)
        if isinstance(verdict, logging.LogRecord):
            record = verdict
        if verdict:
            self.emit(record)
        return verdict

    def emit(self, record: logging.LogRecord) -> None:
        """Queue record on the femtologging logger of the same name."""
        try:
            exc_text = record.exc_text
            if exc_text is None and record.exc_info:
                exc_text = _exc_text(record.exc_info)
            _emit(get_logger(_femto_name(record.name)), _femto_level(record.levelno),
                  record.getMessage(), exc_text, record.stack_info, _extra_of(record),
                  (record.pathname, record.filename, record.module, record.lineno, record.funcName))
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)


# ---- capture() / release(): the fast path ----------------------------------------

_lock = threading.RLock()
_original_log = None     # logging.Logger._log before capture()
_original_handle = None  # logging.Logger.handle before capture()
_subtrees = None         # None: every logger; else a tuple of names
_saved_levels: Dict[logging.Logger, int] = {}  # stdlib logger -> its level before capture(level=...)
# stdlib logger name -> femtologging name, or "" for a logger not captured.
_route: Dict[str, str] = {}


def _route_of(name: str) -> str:
    route = _route.get(name)
    if route is None:
        captured = _subtrees is None or any(
            name == tree or name.startswith(tree + ".") for tree in _subtrees)
        route = _femto_name(name) if captured else ""
        _route[name] = route
    return route


def _captured_log(self: logging.Logger, level: int, msg: object, args: Any,
                  exc_info: Any = None, extra: Optional[Mapping[str, object]] = None,
                  stack_info: bool = False, stacklevel: int = 1) -> None:
    """logging.Logger._log while capture() is on.

    stdlib's level check already ran (in info(), log(), ...). A captured
    logger with no filters of its own goes straight to femtologging; any
    other takes stdlib's own path (a logger with filters builds its record,
    which the patched handle() then forwards).
    """
    route = _route.get(self.name)
    if route is None:
        route = _route_of(self.name)
    if not route or self.filters or _original_log is None:
        (_original_log or _saved_original_log)(
            self, level, msg, args, exc_info, extra, stack_info, stacklevel)
        return None
    if self.disabled:
        return None
    try:
        _emit(get_logger(route), _LEVELS.get(level) or _femto_level(level),
              _message(msg, args), _exc_text(exc_info) if exc_info else None,
              _stack_text(stacklevel) if stack_info else None, extra)
    except Exception:
        _report("a record could not be handed to femtologging")
    return None


def _captured_handle(self: logging.Logger, record: logging.LogRecord) -> None:
    """logging.Logger.handle while capture() is on: records made elsewhere."""
    route = _route.get(self.name)
    if route is None:
        route = _route_of(self.name)
    if not route or _original_handle is None:
        (_original_handle or _saved_original_handle)(self, record)
        return None
    if self.disabled:
        return None
    verdict = self.filter(record)
    if not verdict:
        return None
    if isinstance(verdict, logging.LogRecord):
        record = verdict
    FemtoHandler.emit(_RECORD_EMITTER, record)
    return None


# The methods capture() replaced, kept after release() for a wrapper that
# someone installed over ours (it still calls us; we pass through).
_saved_original_log = logging.Logger._log
_saved_original_handle = logging.Logger.handle
_RECORD_EMITTER = FemtoHandler()


def _keep_for_passthrough(log: Any, handle: Any) -> None:
    global _saved_original_log, _saved_original_handle
    _saved_original_log, _saved_original_handle = log, handle


def capture(level: Optional[Union[int, str]] = None,
            loggers: Optional[Iterable[str]] = None) -> None:
    """Route records made through stdlib ``logging`` into femtologging.

    loggers: None for every stdlib logger, or names whose subtrees are
    captured ("" or "root" means every logger). level: when given, set on
    the captured stdlib loggers (the root when capturing everything) so
    that stdlib's level check, which still runs first, lets such records
    through; release() restores the levels. Calling capture() again
    replaces the loggers and level; release() still restores the state
    from before the first call.
    """
    global _original_log, _original_handle, _subtrees
    trees = None
    if loggers is not None:
        if isinstance(loggers, str):
            raise TypeError(f"loggers must be a list of names, not a single str {loggers!r}")
        names = []
        for name in loggers:
            if not isinstance(name, str):
                raise TypeError(f"logger names must be str, got {name!r}")
            names.append(name)
        trees = None if any(t in ("", "root") for t in names) else tuple(names)
    levelno = None
    if level is not None:
        levelno = _stdlib_level(level)
    with _lock:
        if _original_log is None:
            _original_log = logging.Logger.__dict__["_log"]
            _original_handle = logging.Logger.__dict__["handle"]
            _keep_for_passthrough(_original_log, _original_handle)
            setattr(logging.Logger, "_log", _captured_log)
            setattr(logging.Logger, "handle", _captured_handle)
        _subtrees = trees
        _route.clear()
        if levelno is not None:
            targets = [logging.getLogger()] if trees is None else [logging.getLogger(t) for t in trees]
            for target in targets:
                _saved_levels.setdefault(target, target.level)
                target.setLevel(levelno)


def release() -> None:
    """Undo capture(): stdlib's own methods and levels come back. Harmless
    when nothing is captured."""
    global _original_log, _original_handle, _subtrees
    with _lock:
        if _original_log is None:
            return
        # Put back only what is still ours; a wrapper installed over ours
        # keeps calling us, and we now pass everything through.
        if logging.Logger.__dict__.get("_log") is _captured_log:
            setattr(logging.Logger, "_log", _original_log)
        if logging.Logger.__dict__.get("handle") is _captured_handle:
            setattr(logging.Logger, "handle", _original_handle)
        _original_log = _original_handle = None
        _subtrees = None
        _route.clear()
        for target, old in _saved_levels.items():
            target.setLevel(old)
        _saved_levels.clear()


def is_captured() -> bool:
    """Whether capture() is in effect."""
    return _original_log is not None


def _stdlib_level(level: object) -> int:
    if isinstance(level, bool) or not isinstance(level, (int, str)):
        raise TypeError(f"level must be an int or a level name, not {type(level).__name__}")
    if isinstance(level, int):
        return level
    number = logging.getLevelName(level.upper())
    if level.upper() in ("WARN", "TRACE"):
        number = {"WARN": 30, "TRACE": 5}[level.upper()]
    if not isinstance(number, int):
        raise ValueError(f"invalid level {level!r}: want a stdlib level name or number")
    return number


# ---- mixing handler kinds: a clear TypeError at add time -------------------------


def _guarded_add_handler(self: logging.Logger, hdlr: logging.Handler) -> None:
    if isinstance(hdlr, NativeHandler):
        raise TypeError(
            f"{hdlr!r} is a femtologging handler and cannot be added to a stdlib "
            "logger; add femtologging.stdlib.FemtoHandler() to the stdlib logger "
            "instead (or use femtologging.stdlib.capture()) and attach the "
            "femtologging handler to a femtologging logger"
        )
    return _unguarded_add_handler(self, hdlr)


def _install_add_handler_guard() -> None:
    global _unguarded_add_handler
    current = logging.Logger.__dict__["addHandler"]
    if getattr(current, "__femtologging_guard__", False):
        return
    _unguarded_add_handler = current
    setattr(_guarded_add_handler, "__femtologging_guard__", True)
    _guarded_add_handler.__doc__ = current.__doc__
    setattr(logging.Logger, "addHandler", _guarded_add_handler)


_unguarded_add_handler = logging.Logger.addHandler
_install_add_handler_guard()
