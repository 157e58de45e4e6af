"""FemtoStreamHandler and StreamHandlerBuilder: records to stdout or stderr."""

from typing import Any, Dict

from ._builder_base import FormatterBuilderMixin, LevelBuilderMixin, QueueBuilderMixin
from ._handler_base import NativeHandler
from .._validate import add_level, formatter_json

DEFAULT_CAPACITY = 1024
DEFAULT_FLUSH_TIMEOUT_MS = 1000


class FemtoStreamHandler(NativeHandler):
    """Writes records to stderr (the default) or stdout from a Go worker.

    The worker writes to descriptor 2 (or 1) as it is at write time, with
    the write system call: a later ``os.dup2`` redirection (pytest's
    ``capfd``, a daemon redirecting its output) is followed, ``sys.stdout``
    and ``sys.stderr`` are bypassed (so ``capsys`` does not see the
    records), and a closed pipe (``python app.py | head -1``) is a counted
    write error, never SIGPIPE.
    """

    __slots__ = ()

    def __init__(self, _target: str = "stderr", _capacity: int = DEFAULT_CAPACITY,
                 _flush_timeout_ms: int = DEFAULT_FLUSH_TIMEOUT_MS, _formatter: Any = None,
                 _level: Any = None) -> None:
        if _target not in ("stderr", "stdout"):
            raise ValueError(f"stream target must be 'stderr' or 'stdout', got {_target!r}")
        spec = {
            "kind": "stream",
            "target": _target,
            "capacity": _capacity,
            "flush_timeout_ms": _flush_timeout_ms,
            "formatter": formatter_json(_formatter),
        }
        add_level(spec, _level)
        super().__init__(spec, _flush_timeout_ms, _target)

    @classmethod
    def stderr(cls) -> "FemtoStreamHandler":
        """A handler writing to standard error."""
        return cls("stderr")

    @classmethod
    def stdout(cls) -> "FemtoStreamHandler":
        """A handler writing to standard output."""
        return cls("stdout")


class StreamHandlerBuilder(QueueBuilderMixin, LevelBuilderMixin, FormatterBuilderMixin):
    """Fluent construction of a FemtoStreamHandler with custom settings."""

    def __init__(self, target: str = "stderr") -> None:
        if target not in ("stderr", "stdout"):
            raise ValueError(f"stream target must be 'stderr' or 'stdout', got {target!r}")
        self._target = target
        self._capacity = DEFAULT_CAPACITY
        self._flush_timeout_ms = DEFAULT_FLUSH_TIMEOUT_MS
        self._formatter = "default"
        self._level = None

    @classmethod
    def stderr(cls) -> "StreamHandlerBuilder":
        return cls("stderr")

    @classmethod
    def stdout(cls) -> "StreamHandlerBuilder":
        return cls("stdout")

    #: Alias kept for code written against earlier releases.
    with_flush_after_ms = QueueBuilderMixin.with_flush_timeout_ms

    def _handler_spec(self) -> dict:
        """The JSON spec for femtolog_handler_create (callables registered with Go)."""
        spec = self.as_dict()
        spec["formatter"] = formatter_json(self._formatter)
        return spec

    def as_dict(self) -> Dict[str, Any]:
        """The builder's settings as plain data."""
        return {
            "kind": "stream",
            "target": self._target,
            "capacity": self._capacity,
            "flush_timeout_ms": self._flush_timeout_ms,
            "formatter": self._formatter,
            **({"level": self._level} if self._level is not None else {}),
        }

    def build(self) -> FemtoStreamHandler:
        """Create the handler and start its worker."""
        return FemtoStreamHandler(
            self._target, self._capacity, self._flush_timeout_ms, self._formatter, self._level
        )

    def __repr__(self):
        return f"StreamHandlerBuilder({self.as_dict()!r})"
