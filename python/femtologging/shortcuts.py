"""Module-level logging on the root logger, and getLogger, as stdlib has them.

``femtologging.info("ready")`` is ``get_logger("root").info("ready")``.
"""

from typing import Any, Dict, Optional, Tuple

from .logger import FemtoLogger, get_logger

#: stdlib's spelling of get_logger.
getLogger = get_logger


def _root() -> FemtoLogger:
    return get_logger("root")


def _call(method: str, message: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[str]:
    # Arguments beyond the message are passed on only when given, so these
    # functions take exactly what the logger methods take.
    line: Optional[str] = getattr(_root(), method)(message, *args, **kwargs)
    return line


def trace(message: str, *args: Any, **kwargs: Any) -> Optional[str]:
    """Log message at TRACE on the root logger."""
    return _call("trace", message, args, kwargs)


def debug(message: str, *args: Any, **kwargs: Any) -> Optional[str]:
    """Log message at DEBUG on the root logger."""
    return _call("debug", message, args, kwargs)


def info(message: str, *args: Any, **kwargs: Any) -> Optional[str]:
    """Log message at INFO on the root logger."""
    return _call("info", message, args, kwargs)


def warning(message: str, *args: Any, **kwargs: Any) -> Optional[str]:
    """Log message at WARN on the root logger."""
    return _call("warning", message, args, kwargs)


def error(message: str, *args: Any, **kwargs: Any) -> Optional[str]:
    """Log message at ERROR on the root logger."""
    return _call("error", message, args, kwargs)


def critical(message: str, *args: Any, **kwargs: Any) -> Optional[str]:
    """Log message at CRITICAL on the root logger."""
    return _call("critical", message, args, kwargs)


def log(level: "int | str", message: str, *args: Any, **kwargs: Any) -> Optional[str]:
    """Log message at level on the root logger."""
    return _root().log(level, message, *args, **kwargs)


def exception(message: str, *args: Any, exc_info: Any = True, **kwargs: Any) -> Optional[str]:
    """Log message at ERROR on the root logger with the exception being
    handled (or exc_info: an exception or a sys.exc_info() tuple); call it
    from an except block. Takes log()'s other keywords too."""
    return _root().exception(message, *args, exc_info=exc_info, **kwargs)


__all__ = ["critical", "debug", "error", "exception", "getLogger", "info", "log", "trace",
           "warning"]
