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


class FemtoOSError(FemtologgingError, OSError):
    """An input/output failure reported by the library (errno when known).

    The library raises the subclass that matches the errno, as the builtin
    OSError does: FemtoFileNotFoundError, FemtoPermissionError, ...
    """


class FemtoBlockingIOError(FemtoOSError, BlockingIOError):
    """EAGAIN and friends, as BlockingIOError."""


class FemtoChildProcessError(FemtoOSError, ChildProcessError):
    """ECHILD, as ChildProcessError."""


class FemtoConnectionError(FemtoOSError, ConnectionError):
    """A connection failure, as ConnectionError."""


class FemtoBrokenPipeError(FemtoConnectionError, BrokenPipeError):
    """EPIPE or ESHUTDOWN, as BrokenPipeError."""


class FemtoConnectionAbortedError(FemtoConnectionError, ConnectionAbortedError):
    """ECONNABORTED, as ConnectionAbortedError."""


class FemtoConnectionRefusedError(FemtoConnectionError, ConnectionRefusedError):
    """ECONNREFUSED, as ConnectionRefusedError."""


class FemtoConnectionResetError(FemtoConnectionError, ConnectionResetError):
    """ECONNRESET, as ConnectionResetError."""


class FemtoFileExistsError(FemtoOSError, FileExistsError):
    """EEXIST, as FileExistsError."""


class FemtoFileNotFoundError(FemtoOSError, FileNotFoundError):
    """ENOENT (a missing file or directory), as FileNotFoundError."""


class FemtoInterruptedError(FemtoOSError, InterruptedError):
    """EINTR, as InterruptedError."""


class FemtoIsADirectoryError(FemtoOSError, IsADirectoryError):
    """EISDIR, as IsADirectoryError."""


class FemtoNotADirectoryError(FemtoOSError, NotADirectoryError):
    """ENOTDIR, as NotADirectoryError."""


class FemtoPermissionError(FemtoOSError, PermissionError):
    """EACCES or EPERM, as PermissionError."""


class FemtoProcessLookupError(FemtoOSError, ProcessLookupError):
    """ESRCH, as ProcessLookupError."""


#: The builtin OSError subclass errno implies -> the class raised for it.
_OS_ERROR_CLASSES = {
    OSError: FemtoOSError,
    BlockingIOError: FemtoBlockingIOError,
    ChildProcessError: FemtoChildProcessError,
    ConnectionError: FemtoConnectionError,
    BrokenPipeError: FemtoBrokenPipeError,
    ConnectionAbortedError: FemtoConnectionAbortedError,
    ConnectionRefusedError: FemtoConnectionRefusedError,
    ConnectionResetError: FemtoConnectionResetError,
    FileExistsError: FemtoFileExistsError,
    FileNotFoundError: FemtoFileNotFoundError,
    InterruptedError: FemtoInterruptedError,
    IsADirectoryError: FemtoIsADirectoryError,
    NotADirectoryError: FemtoNotADirectoryError,
    PermissionError: FemtoPermissionError,
    ProcessLookupError: FemtoProcessLookupError,
    # ETIMEDOUT is a FemtoTimeoutError like every other timeout, so one
    # class answers ``except femtologging.FemtoTimeoutError``.
    TimeoutError: FemtoTimeoutError,
}


def os_error(errno: int, message: str) -> OSError:
    """Build the OSError of the subclass errno implies (FemtoFileNotFoundError, ...).

    Every class also subclasses FemtologgingError.
    """
    if not errno:
        return FemtoOSError(message)
    builtin = type(OSError(errno, message))
    return _OS_ERROR_CLASSES.get(builtin, FemtoOSError)(errno, message)
