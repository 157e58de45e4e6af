"""StdlibHandlerAdapter: any stdlib ``logging.Handler`` as a femtologging handler.

SysLogHandler, SMTPHandler or a third-party handler cannot be attached with
add_handler directly (their handle() takes a LogRecord). The adapter is a
Python handler (handle_record) that builds a proper LogRecord on the
worker thread and gives it to the wrapped handler, as a stdlib logger
would: the handler's level and filters apply, and its exceptions follow
handleError.
"""

import logging
import os
from typing import Any, Mapping

#: Record mapping keys that are not extra fields.
_RECORD_KEYS = frozenset({
    "logger", "level", "levelno", "message", "timestamp", "timestamp_ns", "thread_id",
    "thread_name", "key_values", "exc_info", "stack_info",
    "pathname", "filename", "module", "lineno", "funcName",
})


class StdlibHandlerAdapter:
    """Wraps a stdlib ``logging.Handler`` so a femtologging logger can use it.

    Attach it with ``logger.add_handler(StdlibHandlerAdapter(handler))``.
    It runs on the logger's worker thread. Each record becomes a
    ``logging.LogRecord`` with name, levelno/levelname, msg (the final
    message, no args), created/msecs, thread/threadName, process, exc_text,
    stack_info, the caller (pathname, lineno, funcName) when the record
    carries it, and the record's key-values as attributes; the handler's
    level and filters decide whether it is emitted.
    """

    __slots__ = ("handler",)

    def __init__(self, handler: logging.Handler) -> None:
        if not isinstance(handler, logging.Handler):
            raise TypeError(f"StdlibHandlerAdapter wraps a logging.Handler, not {handler!r}")
        self.handler = handler

    def __repr__(self) -> str:
        return f"StdlibHandlerAdapter({self.handler!r})"

    def handle_record(self, record: Mapping[str, Any]) -> None:
        """Build the LogRecord and hand it to the wrapped handler (on the worker)."""
        levelno = record["levelno"]
        handler = self.handler
        if levelno < handler.level:
            return
        log_record = make_log_record(record)
        try:
            handler.handle(log_record)
        except Exception:
            # stdlib's Handler.emit implementations report their own errors
            # through handleError; one that raises gets the same treatment.
            handler.handleError(log_record)

    def flush(self) -> None:
        """Flush the wrapped handler."""
        self.handler.flush()

    def close(self) -> None:
        """Close the wrapped handler."""
        self.handler.close()


def make_log_record(record: Mapping[str, Any]) -> logging.LogRecord:
    """A stdlib LogRecord carrying what a femtologging record mapping holds."""
    levelno = record["levelno"]
    rec = logging.LogRecord(
        record["logger"], levelno, record.get("pathname") or "", record.get("lineno") or 0,
        record["message"], None, None, func=record.get("funcName"),
        sinfo=record.get("stack_info") or None,
    )
    created = record.get("timestamp")
    if created is not None:
        rec.created = created
        rec.msecs = int((created - int(created)) * 1000) + 0.0
        rec.relativeCreated = (created - getattr(logging, "_startTime", created)) * 1000
    rec.thread = record.get("thread_id", rec.thread)
    rec.threadName = record.get("thread_name") or rec.threadName
    rec.process = os.getpid()
    rec.exc_text = record.get("exc_info") or None  # the rendered text
    for key, value in (record.get("key_values") or {}).items():
        if key not in rec.__dict__ and key not in _RECORD_KEYS:
            setattr(rec, key, value)
    return rec
