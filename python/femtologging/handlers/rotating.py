"""FemtoRotatingFileHandler and RotatingFileHandlerBuilder: a file that
rolls over by size, keeping a fixed number of backups."""

import os  # noqa: F401 (used in string annotations)
from typing import Any, Dict, Optional

from ._builder_base import RetentionBuilderMixin
from ._retention import max_age_seconds, retention_fields
from .._validate import int_setting
from .file import DEFAULT_FLUSH_TIMEOUT_MS, FileHandlerBuilder, _OptionsFileHandler, checked_options
from .policy import HandlerOptions, _rotation_pair


class FemtoRotatingFileHandler(_OptionsFileHandler[HandlerOptions]):
    """A file handler that rolls the file over before a record would take it
    past max_bytes: live file -> path.1, path.1 ... path.N-1 shift up, the
    oldest beyond backup_count is deleted, a fresh file starts. A record is
    never split across files. If rotation fails the handler keeps appending,
    reports the reason on stderr (rate-limited) and retries later.
    """

    __slots__ = ()

    def __init__(self, path: "str | os.PathLike[str]", options: Optional[HandlerOptions] = None, *,
                 _flush_timeout_ms: int = DEFAULT_FLUSH_TIMEOUT_MS, _formatter: Any = None,
                 _level: Any = None) -> None:
        options = checked_options(options, HandlerOptions)
        max_bytes, backup_count = _rotation_pair(options.rotation)
        fields = {"max_bytes": max_bytes, "backup_count": backup_count,
                  **retention_fields(options.compression, max_age_seconds(options.max_age))}
        self._open_options("rotating_file", path, options, fields, _flush_timeout_ms, _formatter, _level)


class RotatingFileHandlerBuilder(FileHandlerBuilder, RetentionBuilderMixin):
    """FileHandlerBuilder plus with_max_bytes(), with_backup_count(),
    with_compression() and with_max_age()."""

    _kind = "rotating_file"

    def __init__(self, path: "str | os.PathLike[str]") -> None:
        super().__init__(path)
        self._max_bytes = 0
        self._backup_count = 0
        self._compression = None
        self._max_age = None

    def with_max_bytes(self, max_bytes: int) -> "RotatingFileHandlerBuilder":
        """Roll over before the live file would exceed this size; 0 = never."""
        self._max_bytes = int_setting(max_bytes, "max_bytes", "max_bytes")
        return self

    def with_backup_count(self, backup_count: int) -> "RotatingFileHandlerBuilder":
        """Keep this many rolled-over files (path.1 ... path.N)."""
        self._backup_count = int_setting(backup_count, "backup_count", "backup_count")
        return self

    def as_dict(self) -> Dict[str, Any]:
        spec = super().as_dict()
        spec["max_bytes"] = self._max_bytes
        spec["backup_count"] = self._backup_count
        spec.update(retention_fields(self._compression, max_age_seconds(self._max_age)))
        return spec

    def _handler_spec(self) -> dict:
        _rotation_pair((self._max_bytes, self._backup_count))
        return super()._handler_spec()

    def build(self) -> FemtoRotatingFileHandler:
        """Create the handler (opening the file) and start its worker."""
        options = HandlerOptions(self._capacity, self._flush_interval, self._policy,
                                 (self._max_bytes, self._backup_count),
                                 self._compression, self._max_age)
        return FemtoRotatingFileHandler(
            self._user_path, options,
            _flush_timeout_ms=self._flush_timeout_ms, _formatter=self._formatter,
            _level=self._level,
        )

