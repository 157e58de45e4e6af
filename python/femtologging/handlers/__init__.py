"""femtologging.handlers: the built-in handlers and their builders, as
``logging.handlers`` holds the standard library's.

Each handler is one module named after where its records go (stream,
file, rotating, timed_rotating, socket_handler, syslog_handler,
http_handler, otlp); a transport whose bare name is a standard-library
module (socket, syslog, http) keeps the ``_handler`` suffix so that no
module here shadows it. policy holds the settings every queued handler
takes (OverflowPolicy, HandlerOptions); _handler_base, _builder_base and
_retention are what the handlers share. Every name here is also
importable from ``femtologging``.
"""

from .file import FemtoFileHandler, FileHandlerBuilder
from .http_handler import FemtoHTTPHandler, HTTPHandlerBuilder, RetryConfig
from .otlp import FemtoOTLPHandler, OTLPHandlerBuilder
from .policy import HandlerOptions, OverflowPolicy
from .rotating import FemtoRotatingFileHandler, RotatingFileHandlerBuilder
from .socket_handler import BackoffConfig, FemtoSocketHandler, SocketHandlerBuilder
from .stream import FemtoStreamHandler, StreamHandlerBuilder
from .syslog_handler import FemtoSyslogHandler, SyslogHandlerBuilder
from .timed_rotating import (FemtoTimedRotatingFileHandler, TimedHandlerOptions,
                             TimedRotatingFileHandlerBuilder)

__all__ = [
    "BackoffConfig",
    "FemtoFileHandler",
    "FemtoHTTPHandler",
    "FemtoOTLPHandler",
    "FemtoRotatingFileHandler",
    "FemtoSocketHandler",
    "FemtoStreamHandler",
    "FemtoSyslogHandler",
    "FemtoTimedRotatingFileHandler",
    "FileHandlerBuilder",
    "HTTPHandlerBuilder",
    "HandlerOptions",
    "OTLPHandlerBuilder",
    "OverflowPolicy",
    "RetryConfig",
    "RotatingFileHandlerBuilder",
    "SocketHandlerBuilder",
    "StreamHandlerBuilder",
    "SyslogHandlerBuilder",
    "TimedHandlerOptions",
    "TimedRotatingFileHandlerBuilder",
]
