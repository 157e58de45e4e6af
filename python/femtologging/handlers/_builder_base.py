"""Builder methods the handler builders (stream, file and its rotating
kinds, socket, syslog, HTTP, OTLP) share word for word: one definition,
so a fix or a new check reaches all of them."""

from typing import Any, TypeVar

from ._retention import compression_value, max_age_seconds
from .._validate import formatter_spec, int_setting, level_spec
from .policy import OverflowPolicy

_B = TypeVar("_B", bound="QueueBuilderMixin")
_P = TypeVar("_P", bound="PolicyBuilderMixin")
_L = TypeVar("_L", bound="LevelBuilderMixin")
_F = TypeVar("_F", bound="FormatterBuilderMixin")
_R = TypeVar("_R", bound="RetentionBuilderMixin")


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


class PolicyBuilderMixin:
    """with_overflow_policy(); the builder's __init__ sets the default
    (self._policy = OverflowPolicy.drop())."""

    def with_overflow_policy(self: _P, policy: "str | OverflowPolicy") -> _P:
        """What a producer does when the queue is full (as it is while a
        remote end is down): OverflowPolicy.drop() (default), .block() or
        .timeout(ms); the string forms "drop", "block", "timeout:N" are
        accepted too."""
        self._policy = OverflowPolicy.parse(policy)
        return self


class LevelBuilderMixin:
    """with_level(); the builder's __init__ sets self._level = None."""

    def with_level(self: _L, level: "int | str") -> _L:
        """The handler's own level, as stdlib handlers have: records below it
        are skipped by this handler only (default NOTSET: every record)."""
        self._level = level_spec(level)
        return self


class FormatterBuilderMixin:
    """with_formatter() of the text handlers; the builder's __init__ sets
    self._formatter = "default"."""

    def with_formatter(self: _F, formatter: Any) -> _F:
        """Format records with a femtologging.Formatter, "json", a callable
        (mapping -> str) or "default"."""
        self._formatter = formatter_spec(formatter)
        return self


class RetentionBuilderMixin:
    """with_compression() and with_max_age() of the rotating kinds; the
    builder's __init__ sets self._compression = self._max_age = None."""

    def with_compression(self: _R, compression: "str | None") -> _R:
        """"gzip" compresses backups (path.1.gz ...) in the background; None
        (or "none") turns it off."""
        self._compression = compression_value(compression)
        return self

    def with_max_age(self: _R, max_age: Any) -> _R:
        """Delete backups older than this timedelta (or seconds)."""
        max_age_seconds(max_age)
        self._max_age = max_age
        return self
