"""femtologging: an asynchronous logging runtime with a Go core.

``logger.log()`` hands the record to Go and returns at once; Go workers
format it and write it to streams, files, rotating files and sockets. The
native library is loaded on first use, not at import.
"""

from .basic_config import BasicConfig, basicConfig
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
from .file_config import fileConfig
from .filters import LevelFilterBuilder, NameFilterBuilder
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
    "BasicConfig",
    "ConfigBuilder",
    "ConfiguredHandler",
    "FemtoLogger",
    "FemtoStreamHandler",
    "FemtologgingError",
    "ForkedProcessError",
    "FormatterBuilder",
    "HandlerClosedError",
    "HandlerConfigError",
    "LevelFilterBuilder",
    "LoggerConfigBuilder",
    "NameFilterBuilder",
    "QueueFullError",
    "StaleHandleError",
    "StreamHandlerBuilder",
    "basicConfig",
    "dictConfig",
    "fileConfig",
    "get_logger",
    "reset_manager",
]
