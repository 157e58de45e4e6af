"""What SIGTERM, SIGHUP and SIGINT do to records already logged.

When the library loads, it installs a handler for each of those signals
still at its default action (a handler the application installed, before
or after, is never replaced and always called). On such a signal, what was
logged before it is written to its destinations, within the signal flush
timeout (1 s by default), and the process then dies by the same signal, as
it would have without femtologging. Python's own SIGINT handler
(KeyboardInterrupt) is kept: the exit hook flushes then. docs/decisions.md
says why it works this way.
"""

from . import _native
from ._validate import positive_int
from .errors import HandlerConfigError

#: The longest flush a signal may trigger: one hour, in milliseconds.
_MAX_TIMEOUT_MS = 3600 * 1000


def set_signal_flush_timeout(timeout_ms: int) -> None:
    """Bound the flush a fatal signal triggers (timeout_ms > 0).

    0 removes femtologging's signal handlers for good (the default action
    is restored where nothing else was installed since).
    """
    if timeout_ms != 0:
        timeout_ms = positive_int(timeout_ms, "signal flush timeout (ms)")
        if timeout_ms > _MAX_TIMEOUT_MS:
            raise HandlerConfigError(
                f"signal flush timeout {timeout_ms} ms: must be at most {_MAX_TIMEOUT_MS} (1 hour)"
            )
    _native.load()
    _native.check_process()
    _native.signals_set_flush_timeout(timeout_ms)
