"""OverflowPolicy (what a producer does when a handler queue is full) and
HandlerOptions (the settings of a rotating file handler)."""

from typing import Any, Optional, Tuple

from .. import _native
from .._validate import int_setting
from ..errors import HandlerConfigError


class OverflowPolicy:
    """Drop, block, or wait up to a timeout when a queue is full.

    Build one with OverflowPolicy.drop(), .block() or .timeout(ms), or parse
    the string form with OverflowPolicy.parse("timeout:250"). Policies are
    immutable and compare equal by value, and to their string form:
    OverflowPolicy.block() == "block", OverflowPolicy.timeout(250) ==
    "timeout:250" (the hash is the string's, so both find the same dict
    entry). Only the canonical string is equal: "timeout:0250" is not.
    """

    __slots__ = ("_kind", "_timeout_ms")

    def __init__(self, _kind: str = "drop", _timeout_ms: Optional[int] = None) -> None:
        self._kind = _kind
        self._timeout_ms = _timeout_ms

    @classmethod
    def drop(cls) -> "OverflowPolicy":
        """Discard the record when the queue is full (the default)."""
        return cls("drop")

    @classmethod
    def block(cls) -> "OverflowPolicy":
        """Make the producer wait for room, back to the caller of log()."""
        return cls("block")

    @classmethod
    def timeout(cls, ms: int) -> "OverflowPolicy":
        """Wait up to ms milliseconds for room, then drop as drop() does."""
        if isinstance(ms, bool) or not isinstance(ms, int):
            raise TypeError(f"overflow policy timeout (ms) must be an int, not {type(ms).__name__}")
        return cls._checked(f"timeout:{ms}")

    @classmethod
    def parse(cls, value: "str | OverflowPolicy") -> "OverflowPolicy":
        """Accept an OverflowPolicy or one of "drop", "block", "timeout:N".

        Anything else raises ValueError (HandlerConfigError) naming the value
        and listing the valid forms.
        """
        if isinstance(value, OverflowPolicy):
            return value
        # A non-str goes to Go as null, which it refuses with the forms.
        return cls._checked(value if isinstance(value, str) else None, repr(value))

    @classmethod
    def _checked(cls, text, shown=None):
        """The policy text names, judged by Go's grammar (the one the
        configuration uses), from Go's canonical form of it."""
        form = _native.check_value("policy", text, "overflow policy", shown)
        return cls(form["kind"], form["timeout_ms"])

    @property
    def kind(self) -> str:
        """"drop", "block" or "timeout"."""
        return self._kind

    @property
    def timeout_ms(self) -> Optional[int]:
        """The wait of a timeout policy in milliseconds; None otherwise."""
        return self._timeout_ms

    def __str__(self):
        if self._kind == "timeout":
            return f"timeout:{self._timeout_ms}"
        return self._kind

    def __repr__(self):
        if self._kind == "timeout":
            return f"OverflowPolicy.timeout({self._timeout_ms})"
        return f"OverflowPolicy.{self._kind}()"

    def __eq__(self, other):
        # HandlerOptions(policy="block").policy == "block": the options
        # mirror the file handler's arguments, which are strings.
        if isinstance(other, str):
            return str(self) == other
        if not isinstance(other, OverflowPolicy):
            return NotImplemented
        return (self._kind, self._timeout_ms) == (other._kind, other._timeout_ms)

    def __hash__(self):
        # Equal to its string form, so it must hash like it.
        return hash(str(self))


def _rotation_pair(rotation):
    """Validate rotation=(max_bytes, backup_count) with Go's rules: both >
    0 (rotation on) or both 0 (off)."""
    if not isinstance(rotation, (tuple, list)) or len(rotation) != 2:
        raise HandlerConfigError(
            f"rotation must be a pair (max_bytes, backup_count), got {rotation!r}"
        )
    max_bytes, backup_count = rotation
    int_setting(max_bytes, "rotation max_bytes", "max_bytes")
    int_setting(backup_count, "rotation backup_count", "backup_count")
    _native.check_value("rotation", {"max_bytes": max_bytes, "backup_count": backup_count},
                        "rotation (max_bytes, backup_count)", repr(tuple(rotation)))
    return (max_bytes, backup_count)


class HandlerOptions:
    """Settings of FemtoRotatingFileHandler.

    capacity, flush_interval (records) and policy mirror FemtoFileHandler;
    rotation=(max_bytes, backup_count) turns size rotation on when both are
    greater than zero and off with (0, 0). compression="gzip" compresses
    backups (path.1.gz ...) in the background; max_age (a timedelta or
    seconds) deletes backups older than that.
    """

    __slots__ = ("capacity", "flush_interval", "policy", "rotation", "compression", "max_age")

    def __init__(self, capacity: int = 1024, flush_interval: int = 1,
                 policy: "str | OverflowPolicy" = "drop", rotation: Tuple[int, int] = (0, 0),
                 compression: Optional[str] = None, max_age: Any = None) -> None:
        from ._retention import compression_value, max_age_seconds

        self.capacity = int_setting(capacity, "capacity", "capacity")
        self.flush_interval = int_setting(flush_interval, "flush_interval", "flush_interval")
        self.policy = OverflowPolicy.parse(policy)
        self.rotation = _rotation_pair(rotation)
        self.compression = compression_value(compression)
        max_age_seconds(max_age)
        self.max_age = max_age

    def __repr__(self):
        extra = ""
        if self.compression is not None:
            extra += f", compression={self.compression!r}"
        if self.max_age is not None:
            extra += f", max_age={self.max_age!r}"
        return (
            f"HandlerOptions(capacity={self.capacity}, flush_interval={self.flush_interval}, "
            f"policy={str(self.policy)!r}, rotation={self.rotation!r}{extra})"
        )

    def __eq__(self, other):
        if not isinstance(other, HandlerOptions):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self.__slots__)

    __hash__ = None
