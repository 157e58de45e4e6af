"""Formatter and JSONFormatter: stdlib-compatible formats run natively in Go.

A Formatter is a description (format string, datefmt, style): handlers
given one format their records in their Go worker, never calling Python.
The format string is validated when the Formatter is made (ValueError, as
stdlib's validate=True), by the native library, which making one loads. Formatter.format() renders one record through the
same Go code, for previews and tests.
"""

import time

from . import _native
from .errors import HandlerConfigError

_STYLES = ("%", "{", "$")


class Formatter:
    """Format records as logging.Formatter(fmt, datefmt, style) would.

    fmt uses stdlib's attribute names (%(asctime)s, {levelname:<8},
    $message, ...) plus any extra/log_context key; datefmt is a strftime
    pattern for asctime (default "%Y-%m-%d %H:%M:%S,mmm"); times are local
    unless utc=True. Exception and stack text follow the message on lines of
    their own, as in stdlib.
    """

    __slots__ = ("_fmt", "_datefmt", "_style", "_validate", "_utc")

    def __init__(self, fmt=None, datefmt=None, style="%", validate=True, *, utc=False):
        if style not in _STYLES:
            raise ValueError(f"Style must be one of: {','.join(_STYLES)}")
        for value, what in ((fmt, "fmt"), (datefmt, "datefmt")):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{what} must be a str or None, not {type(value).__name__}")
        self._fmt, self._datefmt, self._style = fmt, datefmt, style
        self._validate, self._utc = bool(validate), bool(utc)
        # Compiled once in Go now: a bad format fails here, not when a
        # handler is built. A missing field or a mistyped value is only
        # known when a record is formatted, as in stdlib.
        try:
            _native.format_record(self._spec(), {"name": "x", "levelno": 20})
        except HandlerConfigError as exc:
            raise ValueError(f"Invalid format {fmt!r} for {style!r} style: {exc}") from None
        except ValueError:
            pass

    @property
    def fmt(self):
        return self._fmt

    @property
    def datefmt(self):
        return self._datefmt

    @property
    def style(self):
        return self._style

    def _spec(self) -> dict:
        """The handler spec's "formatter" value for this formatter."""
        spec = {"style": self._style, "validate": self._validate, "utc": self._utc}
        if self._fmt is not None:
            spec["format"] = self._fmt
        if self._datefmt is not None:
            spec["datefmt"] = self._datefmt
        return spec

    def format(self, record) -> str:
        """Format one record (a stdlib LogRecord or a mapping of its attributes)
        through the native formatter; the line without its final newline.

        Raises ValueError for a field the record lacks or a value that does
        not suit its conversion (where stdlib's format raises).
        """
        return _native.format_record(self._spec(), _record_fields(record))[:-1]

    def __repr__(self):
        return f"Formatter(fmt={self._fmt!r}, datefmt={self._datefmt!r}, style={self._style!r})"


class JSONFormatter:
    """One JSON object per record and line (schema: docs/json-lines.md).

    fields selects keys among time, level, logger, message, thread,
    thread_name, process, pathname, filename, module, func_name, lineno,
    exception, stack, fields (the key-values); the default is all but the
    caller keys, which cost a frame walk per record. utc=True writes times
    in UTC ("Z"), otherwise local time with its offset.
    """

    __slots__ = ("_fields", "_utc")

    def __init__(self, fields=None, utc=True):
        if fields is not None:
            if isinstance(fields, str):
                raise TypeError("fields must be a list of str, not a single str")
            fields = list(fields)
        self._fields, self._utc = fields, bool(utc)
        try:
            _native.format_record(self._spec(), {"name": "x", "levelno": 20})  # validates
        except HandlerConfigError as exc:
            raise ValueError(f"JSONFormatter: {exc}") from None

    def _spec(self) -> dict:
        spec = {"utc": self._utc}
        if self._fields is not None:
            spec["fields"] = self._fields
        return {"json": spec}

    def format(self, record) -> str:
        """The JSON line for one record (a LogRecord or a mapping), without the newline."""
        return _native.format_record(self._spec(), _record_fields(record))[:-1]

    def __repr__(self):
        return f"JSONFormatter(fields={self._fields!r}, utc={self._utc!r})"


def _record_fields(record):
    """A mapping of record attributes from a LogRecord or a mapping."""
    if isinstance(record, dict):
        fields = dict(record)
    else:
        fields = dict(vars(record))
        fields["message"] = record.getMessage()
        from ._details import RESERVED

        fields["key_values"] = {
            k: v for k, v in fields.items()
            if k not in RESERVED and not k.startswith("_") and type(v) in (str, int, float, bool, type(None))
        }
    if "timestamp_ns" not in fields:
        created = fields.get("created")
        fields["timestamp_ns"] = int(round(created * 1e9)) if created is not None else time.time_ns()
    if isinstance(fields.get("levelno"), int) is False:
        fields["levelno"] = 20
    return fields
