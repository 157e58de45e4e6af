"""compression and max_age: what both rotating handlers do with backups."""

import datetime
import math

from ..errors import HandlerConfigError

#: The longest max_age the Go core accepts (about 100 years), in seconds.
_MAX_AGE_LIMIT = 100 * 365 * 24 * 3600


def compression_value(compression):
    """None/"none" (no compression) or "gzip"; anything else is an error."""
    if compression is None or compression == "none":
        return None
    if compression == "gzip":
        return "gzip"
    raise HandlerConfigError(f"invalid compression {compression!r}: want \"gzip\" or None")


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
    if math.isnan(seconds) or seconds <= 0 or seconds > _MAX_AGE_LIMIT:
        raise HandlerConfigError(
            f"invalid max_age {max_age!r}: want a duration greater than zero and at most 100 years"
        )
    return seconds


def retention_fields(compression, max_age):
    """The spec fields for validated compression and max_age values."""
    fields = {}
    if compression is not None:
        fields["compression"] = compression
    if max_age is not None:
        fields["max_age_s"] = max_age
    return fields
