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


def set_signal_flush_timeout(timeout_ms: int) -> None:
    """Bound the flush a fatal signal triggers (0 < timeout_ms <= one hour).

    0 removes femtologging's signal handlers for good (the default action
    is restored where nothing else was installed since). The bounds are
    the library's (femtolog_signals_set_flush_timeout): a bad value raises
    ValueError naming it.
    """
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, int):
        raise TypeError(f"signal flush timeout (ms) must be an int, not {type(timeout_ms).__name__}")
    _native.load()
    _native.check_process()
    _native.signals_set_flush_timeout(timeout_ms)
