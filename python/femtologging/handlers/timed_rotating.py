"""FemtoTimedRotatingFileHandler, TimedHandlerOptions and
TimedRotatingFileHandlerBuilder: a file that rolls over by time, with the
rules of CPython 3.13's logging.handlers.TimedRotatingFileHandler."""

import datetime

from ._builder_base import RetentionBuilderMixin
from ._retention import compression_value, max_age_seconds, retention_fields
from .. import _native
from .._validate import int_setting
from ..errors import HandlerConfigError
from .file import DEFAULT_FLUSH_TIMEOUT_MS, FileHandlerBuilder, _OptionsFileHandler, checked_options
from .policy import OverflowPolicy

def _when(when):
    """when, upper case, if Go's schedule knows the unit."""
    if not isinstance(when, str):
        raise TypeError(f"when must be a str, not {type(when).__name__}")
    return _native.check_value("when", when, "when")


def _at_time(at_time):
    """None, a datetime.time, or "HH:MM[:SS]", as the spec's "HH:MM:SS"."""
    if at_time is None:
        return None
    if isinstance(at_time, str):
        return _native.check_value("at_time", at_time, "at_time")
    if not isinstance(at_time, datetime.time):
        raise TypeError(f"at_time must be a datetime.time, not {type(at_time).__name__}")
    if at_time.tzinfo is not None:
        # A zone-aware time has no spelling in the spec.
        raise HandlerConfigError(f"at_time {at_time!r}: must not carry a tzinfo (utc= chooses the zone)")
    return at_time.strftime("%H:%M:%S")


class TimedHandlerOptions:
    """Settings of FemtoTimedRotatingFileHandler.

    when is "S", "M", "H", "D", "midnight" or "W0"-"W6" (case-insensitive,
    W0 is Monday), interval multiplies it, backup_count backups are kept
    (0 keeps all), utc uses UTC instead of local time for day boundaries
    and names, at_time (a datetime.time) moves a midnight or weekly
    rollover to that time of day. compression="gzip" compresses backups in
    the background; max_age (timedelta or seconds) deletes older backups.
    capacity, flush_interval and policy are those of FemtoFileHandler.
    """

    __slots__ = ("when", "interval", "backup_count", "utc", "at_time", "capacity",
                 "flush_interval", "policy", "compression", "max_age")

    def __init__(self, when="midnight", interval=1, backup_count=7, utc=False, at_time=None,
                 capacity=1024, flush_interval=1, policy="drop", compression=None, max_age=None):
        self.when = _when(when)
        self.interval = int_setting(interval, "interval", "interval")
        self.backup_count = int_setting(backup_count, "backup_count", "backup_count")
        if not isinstance(utc, bool):
            raise TypeError(f"utc must be a bool, not {type(utc).__name__}")
        self.utc = utc
        _at_time(at_time)
        self.at_time = at_time
        self.capacity = int_setting(capacity, "capacity", "capacity")
        self.flush_interval = int_setting(flush_interval, "flush_interval", "flush_interval")
        self.policy = OverflowPolicy.parse(policy)
        self.compression = compression_value(compression)
        max_age_seconds(max_age)
        self.max_age = max_age

    def _fields(self):
        """The spec fields of the schedule and retention."""
        fields = {"when": self.when, "interval": self.interval,
                  "backup_count": self.backup_count, "utc": self.utc}
        at = _at_time(self.at_time)
        if at is not None:
            fields["at_time"] = at
        fields.update(retention_fields(self.compression, max_age_seconds(self.max_age)))
        return fields

    def __repr__(self):
        fields = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.__slots__ if f != "policy")
        return f"TimedHandlerOptions({fields}, policy={str(self.policy)!r})"

    def __eq__(self, other):
        if not isinstance(other, TimedHandlerOptions):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self.__slots__)

    __hash__ = None


class FemtoTimedRotatingFileHandler(_OptionsFileHandler[TimedHandlerOptions]):
    """A file handler that rolls the file over by time: the live file is
    renamed to path.<start of its period> (path.2026-12-07,
    path.2026-12-07_13 ... by unit) and a fresh one starts. Rollover times,
    names and deletion by backup_count follow CPython 3.13's
    TimedRotatingFileHandler, DST included; an existing backup is never
    overwritten (the new one becomes name.1). A failed rename is reported
    on stderr (rate-limited) and retried while records go on to the live
    file. Two handlers on one file are unsupported and reported.
    """

    __slots__ = ()

    def __init__(self, path, options=None, *, _flush_timeout_ms=DEFAULT_FLUSH_TIMEOUT_MS,
                 _formatter=None, _level=None):
        options = checked_options(options, TimedHandlerOptions)
        self._open_options("timed_rotating_file", path, options, options._fields(), _flush_timeout_ms,
                           _formatter, _level)


class TimedRotatingFileHandlerBuilder(FileHandlerBuilder, RetentionBuilderMixin):
    """FileHandlerBuilder plus with_when(), with_interval(),
    with_backup_count(), with_utc(), with_at_time(), with_compression()
    and with_max_age()."""

    _kind = "timed_rotating_file"

    def __init__(self, path):
        super().__init__(path)
        self._timed = {"when": "MIDNIGHT", "interval": 1, "backup_count": 7, "utc": False,
                       "at_time": None}
        self._compression = None
        self._max_age = None

    def with_when(self, when: str):
        """S, M, H, D, midnight (default) or W0-W6, case-insensitive."""
        self._timed["when"] = _when(when)
        return self

    def with_interval(self, interval: int):
        """Roll over every this many units (default 1)."""
        self._timed["interval"] = int_setting(interval, "interval", "interval")
        return self

    def with_backup_count(self, backup_count: int):
        """Keep this many backups (default 7; 0 keeps all)."""
        self._timed["backup_count"] = int_setting(backup_count, "backup_count", "backup_count")
        return self

    def with_utc(self, utc: bool = True):
        """Use UTC instead of local time for day boundaries and names."""
        if not isinstance(utc, bool):
            raise TypeError(f"utc must be a bool, not {type(utc).__name__}")
        self._timed["utc"] = utc
        return self

    def with_at_time(self, at_time):
        """Roll a midnight or weekly file over at this datetime.time."""
        _at_time(at_time)
        self._timed["at_time"] = at_time
        return self

    def _options(self) -> TimedHandlerOptions:
        return TimedHandlerOptions(capacity=self._capacity, flush_interval=self._flush_interval,
                                   policy=self._policy, compression=self._compression,
                                   max_age=self._max_age, **self._timed)

    def as_dict(self) -> dict:
        spec = super().as_dict()
        spec.update(self._options()._fields())
        return spec

    def build(self) -> FemtoTimedRotatingFileHandler:
        """Create the handler (opening the file) and start its worker."""
        return FemtoTimedRotatingFileHandler(
            self._user_path, self._options(),
            _flush_timeout_ms=self._flush_timeout_ms, _formatter=self._formatter,
            _level=self._level,
        )
