"""compression and max_age: what both rotating handlers do with backups.

The rules (which compressions exist, the range of max_age) are Go's
(femtolog_value_check); this module converts Python values for them.
"""

import datetime

from .. import _native


def compression_value(compression):
    """None/"none" (no compression) or "gzip"; anything else is an error."""
    if compression is None:
        return None
    form = _native.check_value("compression", compression, "compression")
    return None if form == "none" else form


def max_age_seconds(max_age):
    """None, or a positive timedelta / number of seconds, as float seconds."""
    if max_age is None:
        return None
    if isinstance(max_age, datetime.timedelta):
        seconds = max_age.total_seconds()
    elif isinstance(max_age, (int, float)) and not isinstance(max_age, bool):
        seconds = float(max_age)
    else:
        raise TypeError(f"max_age must be a datetime.timedelta or seconds, not {type(max_age).__name__}")
    # "max_age", not the spec's "max_age_s": None keeps every backup here,
    # so 0 is refused.
    _native.check_value("max_age", seconds, "max_age", repr(max_age))
    return seconds


def retention_fields(compression, max_age):
    """The spec fields for validated compression and max_age values."""
    fields = {}
    if compression is not None:
        fields["compression"] = compression
    if max_age is not None:
        fields["max_age_s"] = max_age
    return fields
