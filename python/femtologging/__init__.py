"""femtologging: an asynchronous logging runtime with a Go core.

``logger.log()`` hands the record to Go and returns at once; Go workers
format it and write it to streams, files, rotating files and sockets. The
native library is loaded on first use, not at import.
"""

# The package's version, and the one place it is written: pyproject.toml
# reads it (setuptools "dynamic"), the Makefile names the C library after it.
__version__ = "0.1.0"

from . import stdlib
from .adapter import StdlibHandlerAdapter
from .basic_config import BasicConfig, basicConfig
from .context import log_context
from .formatter import Formatter, JSONFormatter
from .config import ConfigBuilder, ConfiguredHandler, FormatterBuilder, LoggerConfigBuilder
from .dict_config import dictConfig
from .errors import (  # every exception the package raises
    FemtoBlockingIOError,
    FemtoBrokenPipeError,
    FemtoChildProcessError,
    FemtoConnectionAbortedError,
    FemtoConnectionError,
    FemtoConnectionRefusedError,
    FemtoConnectionResetError,
    FemtoFileExistsError,
    FemtoFileNotFoundError,
    FemtoInterruptedError,
    FemtoIsADirectoryError,
    FemtoNotADirectoryError,
    FemtoOSError,
    FemtoPermissionError,
    FemtoProcessLookupError,
    FemtoTimeoutError,
    FemtologgingError,
    ForkedProcessError,
    HandlerClosedError,
    HandlerConfigError,
    InternalError,
    InvalidArgumentError,
    QueueFullError,
    StaleHandleError,
)
from .file import FemtoFileHandler, FileHandlerBuilder
from .file_config import fileConfig
from .fork import get_fork_policy, set_fork_policy
from .filters import LevelFilterBuilder, NameFilterBuilder
from .http_handler import FemtoHTTPHandler, HTTPHandlerBuilder, RetryConfig
from .levels import CRITICAL, DEBUG, ERROR, INFO, TRACE, WARN, WARNING
from .logger import FemtoLogger, get_logger, reset_manager
from .otlp import FemtoOTLPHandler, OTLPHandlerBuilder
from .policy import HandlerOptions, OverflowPolicy
from .signals import set_signal_flush_timeout
from .rotating import FemtoRotatingFileHandler, RotatingFileHandlerBuilder
from .socket_handler import BackoffConfig, FemtoSocketHandler, SocketHandlerBuilder
from .shortcuts import critical, debug, error, exception, getLogger, info, log, trace, warning
from .stream import FemtoStreamHandler, StreamHandlerBuilder
from .timed_rotating import (FemtoTimedRotatingFileHandler, TimedHandlerOptions,
                             TimedRotatingFileHandlerBuilder)
from .syslog_handler import FemtoSyslogHandler, SyslogHandlerBuilder

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
    "FemtoBlockingIOError",
    "FemtoBrokenPipeError",
    "FemtoChildProcessError",
    "FemtoConnectionAbortedError",
    "FemtoConnectionError",
    "FemtoConnectionRefusedError",
    "FemtoConnectionResetError",
    "FemtoFileExistsError",
    "FemtoFileHandler",
    "FemtoHTTPHandler",
    "FemtoFileNotFoundError",
    "FemtoInterruptedError",
    "FemtoIsADirectoryError",
    "FemtoLogger",
    "FemtoNotADirectoryError",
    "FemtoOSError",
    "FemtoPermissionError",
    "FemtoProcessLookupError",
    "FemtoOTLPHandler",
    "FemtoRotatingFileHandler",
    "FemtoSocketHandler",
    "FemtoStreamHandler",
    "FemtoTimedRotatingFileHandler",
    "FemtoSyslogHandler",
    "FemtoTimeoutError",
    "FemtologgingError",
    "ForkedProcessError",
    "FileHandlerBuilder",
    "Formatter",
    "FormatterBuilder",
    "HTTPHandlerBuilder",
    "JSONFormatter",
    "HandlerClosedError",
    "HandlerConfigError",
    "HandlerOptions",
    "InternalError",
    "InvalidArgumentError",
    "LevelFilterBuilder",
    "LoggerConfigBuilder",
    "NameFilterBuilder",
    "OTLPHandlerBuilder",
    "OverflowPolicy",
    "QueueFullError",
    "RetryConfig",
    "RotatingFileHandlerBuilder",
    "SocketHandlerBuilder",
    "StaleHandleError",
    "StdlibHandlerAdapter",
    "StreamHandlerBuilder",
    "TimedHandlerOptions",
    "TimedRotatingFileHandlerBuilder",
    "SyslogHandlerBuilder",
    "basicConfig",
    "critical",
    "debug",
    "error",
    "exception",
    "getLogger",
    "info",
    "log",
    "trace",
    "warning",
    "dictConfig",
    "fileConfig",
    "get_logger",
    "log_context",
    "reset_manager",
    "set_signal_flush_timeout",
    "get_fork_policy",
    "set_fork_policy",
]
