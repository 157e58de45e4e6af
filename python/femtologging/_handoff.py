"""The one place where records made outside FemtoLogger.log enter femtologging.

The stdlib bridge (capture() and FemtoHandler), the module-level
exception(), and loggers whose callback filters enriched a record all end
in deliver() (emit() runs the logger's callback filters first). It carries level, logger and the final message today; the
exception and stack text are appended to the message and the extra fields
are not carried yet, because records do not hold them. When records gain
key-values and exception/stack text, deliver() is the only function to
change.
"""

import sys
import traceback
from typing import TYPE_CHECKING, Any, Mapping, Optional

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
         stack_text: Optional[str] = None, extra: Optional[Mapping[str, Any]] = None
         ) -> Optional[str]:
    """Run logger's callback filters (as its own log() would), then deliver()."""
    if _callback_filters.get(logger._name):
        added = run_filters(logger, levelno, message, extra)
        if added is None:
            return None
        if added:
            extra = {**(extra or {}), **added}
    return deliver(logger, levelno, message, exc_text, stack_text, extra)


def deliver(logger: "FemtoLogger", levelno: int, message: str, exc_text: Optional[str] = None,
            stack_text: Optional[str] = None, extra: Optional[Mapping[str, Any]] = None
            ) -> Optional[str]:
    """Queue one record on logger (a FemtoLogger), bypassing its callback filters.

    levelno is one of femtologging's level numbers; message is final text
    (arguments already applied on the caller's thread). Returns what log()
    returns: the default line, or None when the record was filtered out.
    """
    if exc_text:
        message = f"{message}\n{exc_text}"
    if stack_text:
        message = f"{message}\n{stack_text}"
    # FemtoLogger.log, not logger.log: a FilteredLogger's log() would run
    # its callback filters a second time.
    # The level goes in by name: the C path matches the interned names by
    # identity, while a number would take a Python parse_level() call.
    return FemtoLogger.log(logger, CANONICAL_NAMES[levelno], message)


from ._callback_filters import run_filters  # noqa: E402  (it imports deliver)
from .levels import CANONICAL_NAMES  # noqa: E402
from .logger import FemtoLogger, _callback_filters  # noqa: E402,F811
