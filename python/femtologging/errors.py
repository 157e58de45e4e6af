"""Exceptions raised by femtologging.

Each one subclasses both :class:`FemtologgingError` and the builtin a caller
would expect, so ``except ValueError`` and ``except FemtologgingError`` both
work.
"""


class FemtologgingError(Exception):
    """Base class of every exception femtologging raises itself."""


class HandlerConfigError(FemtologgingError, ValueError):
    """A handler or configuration was given an invalid setting."""


class InvalidArgumentError(FemtologgingError, ValueError):
    """An argument had a valid type but an invalid value (a logger name, a level)."""


class QueueFullError(FemtologgingError, RuntimeError):
    """A handler's queue was full under the drop policy; the record was dropped."""


class HandlerClosedError(FemtologgingError, RuntimeError):
    """The handler was used after ``close()``."""


class StaleHandleError(FemtologgingError, RuntimeError):
    """The object belongs to a logger registry cleared by ``reset_manager()``."""


class ForkedProcessError(FemtologgingError, RuntimeError):
    """femtologging was used in a child of ``os.fork()`` after the parent loaded it."""


class FemtoTimeoutError(FemtologgingError, TimeoutError):
    """A bounded wait inside the library ran out."""


class InternalError(FemtologgingError, RuntimeError):
    """A bug inside the library, caught before it could crash the process."""


_OS_ERROR_CLASSES: dict = {}


def os_error(errno: int, message: str) -> OSError:
    """Build an OSError of the subclass errno implies (FileNotFoundError, ...).

    The class also subclasses FemtologgingError.
    """
    builtin = type(OSError(errno, message)) if errno else OSError
    cls = _OS_ERROR_CLASSES.get(builtin)
    if cls is None:
        cls = type("Femto" + builtin.__name__, (FemtologgingError, builtin), {})
        _OS_ERROR_CLASSES[builtin] = cls
    if errno:
        return cls(errno, message)
    return cls(message)
