"""The one place where records made outside FemtoLogger.log enter femtologging.

The stdlib bridge (capture() and FemtoHandler), the stdlib handler
adapter's callers, the module-level exception(), and loggers whose callback
filters enriched a record all end in deliver() (emit() runs the logger's
callback filters first). The record keeps what it came with in its own
fields: the exception and stack text, the extra fields as key-values (with
those of a log_context in force), and the caller when the source knew it
(a stdlib LogRecord does); when it did not and a handler wants the caller,
it is found as FemtoLogger.log finds it.
"""

import sys
import traceback
from typing import TYPE_CHECKING, Any, Mapping, Optional, Tuple

if TYPE_CHECKING:
    from .logger import FemtoLogger


def exc_text(exc_info: Any) -> Optional[str]:
    """Render exc_info (True, an exception, or a sys.exc_info() tuple) as
    stdlib does, on the caller's thread; None when there is no exception."""
    if not exc_info:
        return None
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    elif not isinstance(exc_info, tuple):
        exc_info = sys.exc_info()
    if exc_info[0] is None:
        return None
    return "".join(traceback.format_exception(*exc_info)).rstrip("\n")


def emit(logger: "FemtoLogger", levelno: int, message: str, exc_text: Optional[str] = None,
         stack_text: Optional[str] = None, extra: Optional[Mapping[str, Any]] = None,
         caller: Optional[Tuple[str, str, str, int, str]] = None) -> Optional[str]:
    """Run logger's callback filters (as its own log() would), then deliver()."""
    if _callback_filters.get(logger._name):
        added = run_filters(logger, levelno, message, extra)
        if added is None:
            return None
        if added:
            extra = {**(extra or {}), **added}
    return deliver(logger, levelno, message, exc_text, stack_text, extra, caller)


def deliver(logger: "FemtoLogger", levelno: int, message: str, exc_text: Optional[str] = None,
            stack_text: Optional[str] = None, extra: Optional[Mapping[str, Any]] = None,
            caller: Optional[Tuple[str, str, str, int, str]] = None) -> Optional[str]:
    """Queue one record on logger (a FemtoLogger), bypassing its callback filters.

    levelno is one of femtologging's level numbers; message is final text
    (arguments already applied on the caller's thread); exc_text and
    stack_text are rendered text; extra's items become key-values (values
    that are not str/int/float/bool/None are kept as their str()); caller
    is (pathname, filename, module, lineno, funcName) when known. Returns
    what log() returns: the default line, or None when the record was
    filtered out.
    """
    if levelno < logger._threshold:
        return None
    if not exc_text and not stack_text and not extra:
        # A plain record: the C path (the level goes in by name, which the
        # C path matches by identity; a number would take a parse_level()).
        # FemtoLogger.log, not logger.log: a FilteredLogger's log() would
        # run its callback filters a second time.
        if caller is None:
            return FemtoLogger.log(logger, CANONICAL_NAMES[levelno], message)
        _known_caller.caller = caller  # taken only if a handler wants it
        try:
            return FemtoLogger.log(logger, CANONICAL_NAMES[levelno], message)
        finally:
            _known_caller.caller = None
    pairs = list(current_fields())
    if extra:
        pairs.extend((str(k), _details._plain(v)) for k, v in extra.items())
    # The caller goes in only when a handler asks for it (NEED_CALLER).
    return FemtoLogger._log_details(logger, levelno, message, exc_text or None,
                                    stack_text or None, None, pairs, known_caller=caller)


from . import _details  # noqa: E402
from ._callback_filters import run_filters  # noqa: E402  (it imports deliver)
from .context import current_fields  # noqa: E402
from .levels import CANONICAL_NAMES  # noqa: E402
from .logger import FemtoLogger, _callback_filters, _known_caller  # noqa: E402,F811
