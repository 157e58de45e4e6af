"""femtologging: an asynchronous logging runtime with a Go core.

``logger.log()`` hands the record to Go and returns at once; Go workers
format it and write it to streams (and, as they land, files, rotating files
and sockets). The native library is loaded on first use, not at import.
"""

from .errors import (
    FemtologgingError,
    ForkedProcessError,
    HandlerClosedError,
    HandlerConfigError,
    QueueFullError,
    StaleHandleError,
)
from .levels import CRITICAL, DEBUG, ERROR, INFO, TRACE, WARN, WARNING
from .logger import FemtoLogger, get_logger, reset_manager
from .stream import FemtoStreamHandler, StreamHandlerBuilder

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "TRACE",
    "WARN",
    "WARNING",
    "FemtoLogger",
    "FemtoStreamHandler",
    "FemtologgingError",
    "ForkedProcessError",
    "HandlerClosedError",
    "HandlerConfigError",
    "QueueFullError",
    "StaleHandleError",
    "StreamHandlerBuilder",
    "get_logger",
    "reset_manager",
]
