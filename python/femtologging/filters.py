"""Filter builders for ConfigBuilder.with_filter().

A logger's filters run in the order its LoggerConfigBuilder lists them,
before the record is queued, and only for records logged on that logger.
"""

from typing import Any, Dict

from .levels import CANONICAL_NAMES, parse_level


class LevelFilterBuilder:
    """Passes records at or below a maximum level (e.g. keep INFO and below)."""

    def __init__(self) -> None:
        self._max_level = None

    def with_max_level(self, level: "int | str") -> "LevelFilterBuilder":
        """Pass only records whose level is at most level (a name or number)."""
        self._max_level = CANONICAL_NAMES[parse_level(level)]
        return self

    def as_dict(self) -> Dict[str, Any]:
        """The filter as plain data, as it appears in the configuration."""
        spec = {"kind": "level"}
        if self._max_level is not None:
            spec["max_level"] = self._max_level
        return spec

    def __repr__(self):
        return f"LevelFilterBuilder({self.as_dict()!r})"


class NameFilterBuilder:
    """Passes records whose logger name starts with a prefix."""

    def __init__(self) -> None:
        self._prefix = None

    def with_prefix(self, prefix: str) -> "NameFilterBuilder":
        """Pass only records of loggers whose dotted name starts with prefix."""
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, not {type(prefix).__name__}")
        self._prefix = prefix
        return self

    def as_dict(self) -> Dict[str, Any]:
        """The filter as plain data, as it appears in the configuration."""
        spec = {"kind": "name"}
        if self._prefix is not None:
            spec["prefix"] = self._prefix
        return spec

    def __repr__(self):
        return f"NameFilterBuilder({self.as_dict()!r})"
