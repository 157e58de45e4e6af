"""FemtoFileHandler and FileHandlerBuilder: records appended to a file."""

import os
from typing import Any, Dict, Generic, TypeVar

_B = TypeVar("_B", bound="FileHandlerBuilder")
_O = TypeVar("_O")

from ._builder_base import FormatterBuilderMixin, LevelBuilderMixin, PolicyBuilderMixin, QueueBuilderMixin
from ._handler_base import NativeHandler
from .._validate import add_level, formatter_json, int_setting
from ..errors import HandlerConfigError
from .policy import OverflowPolicy

DEFAULT_CAPACITY = 1024
DEFAULT_FLUSH_INTERVAL = 1
DEFAULT_FLUSH_TIMEOUT_MS = 1000


def _log_path(path):
    """The absolute path a handler opens: later chdir() must not move the log."""
    try:
        text = os.fspath(path)
    except TypeError:
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}") from None
    if not isinstance(text, str):
        raise TypeError(f"path must be a str, not {type(text).__name__}")
    if not text:
        raise HandlerConfigError("path must not be empty")
    return os.path.abspath(text)


class _FileHandlerBase(NativeHandler):
    """Creation shared by the file kinds: an OSError carries the path."""

    __slots__ = ("_path",)

    def _open(self, spec, flush_timeout_ms, user_path):
        self._path = spec["path"]
        try:
            super().__init__(spec, flush_timeout_ms, repr(self._path))
        except OSError as exc:
            # Go's message names the path ("open /x/app.log: permission
            # denied"); filename makes it available as the stdlib's own
            # OSErrors do.
            message = (exc.strerror or str(exc)).removeprefix("$.path: ")
            raise type(exc)(exc.errno, message, os.fspath(user_path)) from None

    @property
    def path(self) -> str:
        """The absolute path of the live log file."""
        return self._path


class FemtoFileHandler(_FileHandlerBase):
    """Appends records to a file from a Go worker, creating it if absent.

    flush_interval counts records between flushes of the write buffer (not
    seconds). policy is "drop" (a full queue discards the record; a direct
    handle() call raises RuntimeError), "block" (the producer waits, back to
    the thread calling logger.log()) or "timeout:N" (waits up to N ms, then
    drops). A missing or unwritable directory raises OSError naming the path.
    """

    __slots__ = ()

    def __init__(self, path: "str | os.PathLike[str]", capacity: int = DEFAULT_CAPACITY,
                 flush_interval: int = DEFAULT_FLUSH_INTERVAL,
                 policy: "str | OverflowPolicy" = "drop", *,
                 _flush_timeout_ms: int = DEFAULT_FLUSH_TIMEOUT_MS, _formatter: Any = None,
                 _level: Any = None) -> None:
        spec = file_spec("file", path, capacity, flush_interval, policy,
                         _flush_timeout_ms, formatter_json(_formatter))
        add_level(spec, _level)
        self._open(spec, _flush_timeout_ms, path)


def file_spec(kind, path, capacity, flush_interval, policy, flush_timeout_ms, formatter):
    """The JSON spec of a file kind, every argument validated here first."""
    return {
        "kind": kind,
        "path": _log_path(path),
        "capacity": int_setting(capacity, "capacity", "capacity"),
        "flush_interval": int_setting(flush_interval, "flush_interval", "flush_interval"),
        "policy": str(OverflowPolicy.parse(policy)),
        "flush_timeout_ms": int_setting(flush_timeout_ms, "flush timeout (ms)", "flush_timeout_ms"),
        "formatter": formatter,
    }


def checked_options(options, options_type):
    """options, or options_type's defaults for None: the options argument of
    the rotating handlers; TypeError naming the type wanted otherwise."""
    if options is None:
        return options_type()
    if not isinstance(options, options_type):
        raise TypeError(f"options must be a {options_type.__name__}, not {type(options).__name__}")
    return options


def options_file_spec(kind, path, options, flush_timeout_ms, formatter):
    """file_spec() with the queue settings of a rotating handler's options."""
    return file_spec(kind, path, options.capacity, options.flush_interval, options.policy,
                     flush_timeout_ms, formatter_json(formatter))


class _OptionsFileHandler(_FileHandlerBase, Generic[_O]):
    """Creation shared by the rotating kinds, whose settings come as one
    options object (_O: HandlerOptions or TimedHandlerOptions)."""

    __slots__ = ("_options",)

    def _open_options(self, kind, path, options, fields, flush_timeout_ms, formatter, level):
        """Open the handler: the options' queue settings plus the kind's own
        spec fields (rotation, schedule, retention)."""
        spec = options_file_spec(kind, path, options, flush_timeout_ms, formatter)
        spec.update(fields)
        add_level(spec, level)
        self._options = options
        self._open(spec, flush_timeout_ms, path)

    @property
    def options(self) -> _O:
        """The options the handler was created with."""
        return self._options


class FileHandlerBuilder(QueueBuilderMixin, PolicyBuilderMixin, LevelBuilderMixin,
                         FormatterBuilderMixin):
    """Fluent construction of a FemtoFileHandler."""

    _kind = "file"

    def __init__(self, path: "str | os.PathLike[str]") -> None:
        self._user_path = path
        self._path = _log_path(path)
        self._capacity = DEFAULT_CAPACITY
        self._flush_interval = DEFAULT_FLUSH_INTERVAL
        self._policy = OverflowPolicy.drop()
        self._flush_timeout_ms = DEFAULT_FLUSH_TIMEOUT_MS
        self._formatter = "default"
        self._level = None

    def with_flush_interval(self: _B, records: int) -> _B:
        """Flush the write buffer every this many records (default 1)."""
        self._flush_interval = int_setting(records, "flush_interval", "flush_interval")
        return self

    #: The same setting, named for what it counts.
    with_flush_after_records = with_flush_interval

    with_flush_after_ms = QueueBuilderMixin.with_flush_timeout_ms

    def as_dict(self) -> Dict[str, Any]:
        """The builder's settings as plain data."""
        return {
            "kind": self._kind,
            "path": self._path,
            "capacity": self._capacity,
            "flush_interval": self._flush_interval,
            "policy": str(self._policy),
            "flush_timeout_ms": self._flush_timeout_ms,
            "formatter": self._formatter,
            **({"level": self._level} if self._level is not None else {}),
        }

    def _handler_spec(self) -> dict:
        """The JSON spec for femtolog_handler_create (callables registered with Go)."""
        spec = self.as_dict()
        spec["formatter"] = formatter_json(self._formatter)
        return spec

    def build(self) -> FemtoFileHandler:
        """Create the handler (opening the file) and start its worker."""
        return FemtoFileHandler(
            self._user_path, self._capacity, self._flush_interval, self._policy,
            _flush_timeout_ms=self._flush_timeout_ms, _formatter=self._formatter,
            _level=self._level,
        )

    def __repr__(self):
        return f"{type(self).__name__}({self.as_dict()!r})"
