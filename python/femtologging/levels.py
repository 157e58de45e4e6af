"""Level names and numbers (CPython's numbering).

The numbers are the header's FEMTOLOG_LEVEL_* (include/femtolog.h), through
_header.py, which the build generates from it.
"""

from . import _header
from .errors import InvalidArgumentError

TRACE = _header.FEMTOLOG_LEVEL_TRACE
DEBUG = _header.FEMTOLOG_LEVEL_DEBUG
INFO = _header.FEMTOLOG_LEVEL_INFO
WARN = _header.FEMTOLOG_LEVEL_WARN
WARNING = WARN
ERROR = _header.FEMTOLOG_LEVEL_ERROR
CRITICAL = _header.FEMTOLOG_LEVEL_CRITICAL

#: Canonical name of each level number; WARNING prints as WARN.
CANONICAL_NAMES = {
    TRACE: "TRACE",
    DEBUG: "DEBUG",
    INFO: "INFO",
    WARN: "WARN",
    ERROR: "ERROR",
    CRITICAL: "CRITICAL",
}

_BY_UPPER_NAME = {
    "TRACE": TRACE,
    "DEBUG": DEBUG,
    "INFO": INFO,
    "WARN": WARN,
    "WARNING": WARN,
    "ERROR": ERROR,
    "CRITICAL": CRITICAL,
}

#: Fast lookup for the spellings people actually write ("INFO", "info",
#: "Info"): parse_level tries it first, and _fastlog's log() uses the same
#: table (handed over by _native); anything else takes parse_level's rules.
FAST_LEVELS = {}
for _name, _number in _BY_UPPER_NAME.items():
    FAST_LEVELS[_name] = _number
    FAST_LEVELS[_name.lower()] = _number
    FAST_LEVELS[_name.capitalize()] = _number
del _name, _number

_VALID = "TRACE, DEBUG, INFO, WARN, WARNING, ERROR, CRITICAL"


def parse_level(level: object) -> int:
    """Return the level number of a case-insensitive name (or a known number).

    Raises ValueError naming the value for an unknown level, TypeError for a
    value that is neither a str nor an int. The package's one level lookup
    (log()'s C path looks in FAST_LEVELS, then calls this).
    """
    if type(level) is str:
        number = FAST_LEVELS.get(level)
        if number is not None:
            return number
    if isinstance(level, str):
        number = _BY_UPPER_NAME.get(level.upper())
        if number is None:
            raise InvalidArgumentError(f"invalid level {level!r}: want one of {_VALID}")
        return number
    if isinstance(level, int) and not isinstance(level, bool):
        if level not in CANONICAL_NAMES:
            raise InvalidArgumentError(
                f"invalid level {level!r}: want one of {_VALID} or {', '.join(map(str, CANONICAL_NAMES))}"
            )
        return level
    raise TypeError(f"level must be a str such as 'INFO', not {type(level).__name__}")


def level_name(number: int) -> str:
    """Return the canonical name of a level number."""
    return CANONICAL_NAMES[number]
