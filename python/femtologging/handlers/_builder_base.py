"""Builder methods the handler builders (stream, file and its rotating
kinds, socket, syslog, HTTP, OTLP) share word for word: one definition,
so a fix or a new check reaches all of them."""

from typing import TypeVar

from .._validate import int_setting

_B = TypeVar("_B", bound="QueueBuilderMixin")


class QueueBuilderMixin:
    """with_capacity() and with_flush_timeout_ms(); the builder's __init__
    sets their defaults (self._capacity, self._flush_timeout_ms)."""

    def with_capacity(self: _B, capacity: int) -> _B:
        """Bound the handler's queue (default 1024)."""
        self._capacity = int_setting(capacity, "capacity", "capacity")
        return self

    def with_flush_timeout_ms(self: _B, timeout_ms: int) -> _B:
        """How long flush() waits by default (default 1000 ms)."""
        self._flush_timeout_ms = int_setting(timeout_ms, "flush timeout (ms)", "flush_timeout_ms")
        return self
