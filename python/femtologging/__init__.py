"""femtologging: an asynchronous logging runtime with a Go core.

``logger.log()`` hands the record to Go and returns at once; Go workers
format it and write it to streams, files, rotating files and sockets. The
native library is loaded on first use, not at import.
"""

from .basic_config import BasicConfig, basicConfig
from .context import log_context
from .formatter import Formatter, JSONFormatter
from .config import ConfigBuilder, ConfiguredHandler, FormatterBuilder, LoggerConfigBuilder
from .dict_config import dictConfig
from .errors import (
    FemtologgingError,
    ForkedProcessError,
    HandlerClosedError,
    HandlerConfigError,
    QueueFullError,
    StaleHandleError,
)
from .file import FemtoFileHandler, FileHandlerBuilder
from .file_config import fileConfig
from .filters import LevelFilterBuilder, NameFilterBuilder
from .levels import CRITICAL, DEBUG, ERROR, INFO, TRACE, WARN, WARNING
from .logger import FemtoLogger, get_logger, reset_manager
from .policy import HandlerOptions, OverflowPolicy
from .rotating import FemtoRotatingFileHandler, RotatingFileHandlerBuilder
from .socket import BackoffConfig, FemtoSocketHandler, SocketHandlerBuilder
from .stream import FemtoStreamHandler, StreamHandlerBuilder

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "TRACE",
    "WARN",
    "WARNING",
    "BackoffConfig",
    "BasicConfig",
    "ConfigBuilder",
    "ConfiguredHandler",
    "FemtoFileHandler",
    "FemtoLogger",
    "FemtoRotatingFileHandler",
    "FemtoSocketHandler",
    "FemtoStreamHandler",
    "FemtologgingError",
    "ForkedProcessError",
    "FileHandlerBuilder",
    "Formatter",
    "FormatterBuilder",
    "JSONFormatter",
    "HandlerClosedError",
    "HandlerConfigError",
    "HandlerOptions",
    "LevelFilterBuilder",
    "LoggerConfigBuilder",
    "NameFilterBuilder",
    "OverflowPolicy",
    "QueueFullError",
    "RotatingFileHandlerBuilder",
    "SocketHandlerBuilder",
    "StaleHandleError",
    "StreamHandlerBuilder",
    "basicConfig",
    "dictConfig",
    "fileConfig",
    "get_logger",
    "log_context",
    "reset_manager",
]
