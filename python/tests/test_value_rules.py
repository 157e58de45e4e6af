"""The value rules of the handler settings live in Go only (issue 10).

A Python setter asks Go (femtolog_value_check, through _native.check_value)
with the very rule the configuration decoder applies to the field, so a
value is accepted or refused alike by the setter and by
femtolog_handler_create (the code every configuration path ends in), and
the setter's message carries Go's reason, with the value as the user wrote
it.
"""

import datetime

import pytest

from femtologging import (FileHandlerBuilder, HandlerConfigError, HandlerOptions, OverflowPolicy,
                          RotatingFileHandlerBuilder, TimedHandlerOptions,
                          TimedRotatingFileHandlerBuilder)
from femtologging.handlers._handler_base import NativeHandler

POLICIES = ["drop", "block", "timeout:5", "timeout:0250", "timeout:+5", "timeout:86400000",
            "timeout:86400001", "timeout:0", "timeout:-5", "timeout:", "timeout:1.5", "Block", "",
            "sometimes", "timeout: 5"]
CAPACITIES = [1, 1024, 1 << 20, (1 << 20) + 1, 0, -3]
INTERVALS = [1, 7, 0, -1]
BACKUPS = [0, 1, 7, -1]
WHENS = ["S", "m", "h", "D", "midnight", "MIDNIGHT", "w0", "W6", "W7", "fortnight", "", "W"]
AT_TIMES = ["00:00", "01:02:03", "23:59:59", "24:00", "12:60", "noon", "1:02", ""]
COMPRESSIONS = ["gzip", "none", "zip", "GZIP", ""]
MAX_AGES = [1, 0.5, 3600, 100 * 365 * 24 * 3600, 100 * 365 * 24 * 3600 + 1, -1]
ROTATIONS = [(0, 0), (100, 3), (100, 0), (0, 3), (-1, 3), (100, -1), (-1, -1), (10 ** 10, 1)]


def setter_verdict(call):
    """None if the setter accepted, else its HandlerConfigError message."""
    try:
        call()
    except HandlerConfigError as exc:
        return str(exc)
    return None


def decoder_verdict(spec):
    """None if femtolog_handler_create built the spec, else its message."""
    try:
        handler = NativeHandler(spec, 1000, "raw")
    except HandlerConfigError as exc:
        return str(exc)
    handler.close()
    return None


def assert_same_verdict(setter, decoder, same_reason=True):
    assert (setter is None) == (decoder is None), (setter, decoder)
    if setter is not None and same_reason:
        # The reason is Go's: the setter's message ends a clause with the
        # same words as the configuration's.
        reason_tail = " ".join(decoder.split()[-3:])
        assert reason_tail in setter, (setter, decoder)


def cases(kind, field, values, setter):
    return [pytest.param(kind, field, value, setter, id=f"{field}={value!r}") for value in values]


@pytest.mark.parametrize("kind, field, value, setter", [
    *cases("file", "policy", POLICIES, lambda p, v: FileHandlerBuilder(p).with_overflow_policy(v)),
    *cases("file", "policy", POLICIES, lambda p, v: HandlerOptions(policy=v)),
    *cases("file", "capacity", CAPACITIES, lambda p, v: HandlerOptions(capacity=v)),
    *cases("file", "flush_interval", INTERVALS, lambda p, v: FileHandlerBuilder(p).with_flush_interval(v)),
    *cases("timed_rotating_file", "interval", INTERVALS,
           lambda p, v: TimedRotatingFileHandlerBuilder(p).with_interval(v)),
    *cases("timed_rotating_file", "backup_count", BACKUPS, lambda p, v: TimedHandlerOptions(backup_count=v)),
    *cases("timed_rotating_file", "when", WHENS, lambda p, v: TimedRotatingFileHandlerBuilder(p).with_when(v)),
    *cases("timed_rotating_file", "at_time", AT_TIMES,
           lambda p, v: TimedRotatingFileHandlerBuilder(p).with_at_time(v)),
    *cases("rotating_file", "compression", COMPRESSIONS,
           lambda p, v: RotatingFileHandlerBuilder(p).with_compression(v)),
    *cases("rotating_file", "max_age_s", MAX_AGES, lambda p, v: RotatingFileHandlerBuilder(p).with_max_age(v)),
])
def test_a_setter_and_the_decoder_judge_a_value_alike(tmp_path, kind, field, value, setter):
    path = str(tmp_path / "rules.log")
    # max_age words its range for the setters, where None keeps every
    # backup (test_max_age_zero_is_refused_by_the_setters_only).
    assert_same_verdict(setter_verdict(lambda: setter(path, value)),
                        decoder_verdict({"kind": kind, "path": path, field: value}),
                        same_reason=field != "max_age_s")


@pytest.mark.parametrize("rotation", ROTATIONS, ids=repr)
def test_rotation_is_judged_alike_by_options_and_the_decoder(tmp_path, rotation):
    path = str(tmp_path / "rules.log")
    max_bytes, backup_count = rotation
    assert_same_verdict(
        setter_verdict(lambda: HandlerOptions(rotation=rotation)),
        decoder_verdict({"kind": "rotating_file", "path": path, "max_bytes": max_bytes,
                         "backup_count": backup_count}))
    builder = RotatingFileHandlerBuilder(path)
    assert_same_verdict(
        setter_verdict(lambda: builder.with_max_bytes(max_bytes).with_backup_count(backup_count)._handler_spec()),
        decoder_verdict({"kind": "rotating_file", "path": path, "max_bytes": max_bytes,
                         "backup_count": backup_count}))


def test_max_age_zero_is_refused_by_the_setters_only():
    # None keeps every backup in Python, as an absent max_age_s (or 0) does
    # in a spec; Go's "max_age" rule says so, not a Python one.
    with pytest.raises(HandlerConfigError, match=r"invalid max_age 0: want seconds greater than 0"):
        HandlerOptions(max_age=0)
    assert decoder_verdict({"kind": "rotating_file", "path": "/dev/null", "max_age_s": 0}) is None


def test_canonical_forms_come_from_go():
    assert OverflowPolicy.parse("timeout:0250") == OverflowPolicy.timeout(250)
    assert OverflowPolicy.parse("timeout:+5").timeout_ms == 5  # Go's strconv reads the sign
    assert (OverflowPolicy.parse("block").kind, OverflowPolicy.parse("block").timeout_ms) == ("block", None)
    assert TimedHandlerOptions(when="w3").when == "W3"
    spec = TimedRotatingFileHandlerBuilder("a.log").with_at_time("01:02").as_dict()
    assert spec["at_time"] == "01:02:00"
    assert HandlerOptions(compression="none").compression is None


@pytest.mark.parametrize("call, message", [
    (lambda: OverflowPolicy.parse("later"),
     "invalid overflow policy 'later': want \"drop\", \"block\" or \"timeout:N\" with N milliseconds from 1 "
     "to 86400000 (a day)"),
    (lambda: OverflowPolicy.parse(5), "invalid overflow policy 5: want \"drop\""),
    (lambda: OverflowPolicy.timeout(86400001), "invalid overflow policy 'timeout:86400001': want"),
    (lambda: RotatingFileHandlerBuilder("a.log").with_max_bytes(-1), "max_bytes must not be negative, got -1"),
    (lambda: HandlerOptions(rotation=(100, 0)),
     "rotation (max_bytes, backup_count) needs both greater than zero, or both zero to turn it off, got (100, 0)"),
    (lambda: HandlerOptions(capacity=(1 << 20) + 1), "capacity must be at most 1048576, got 1048577"),
    (lambda: TimedHandlerOptions(when="W7"), "invalid when 'W7': want S, M, H, D, MIDNIGHT or W0-W6"),
    (lambda: HandlerOptions(compression=object()), "invalid compression <object object at"),
    (lambda: HandlerOptions(max_age=float("nan")), "invalid max_age nan: want a number of seconds"),
    (lambda: HandlerOptions(max_age=datetime.timedelta(days=-1)),
     "invalid max_age datetime.timedelta(days=-1): want seconds greater than 0"),
])
def test_messages_name_the_value_as_written_and_give_gos_reason(call, message):
    with pytest.raises(HandlerConfigError) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize("call", [
    lambda: OverflowPolicy.timeout(1.5),
    lambda: RotatingFileHandlerBuilder("a.log").with_max_bytes("10"),
    lambda: HandlerOptions(rotation=(True, 1)),
    lambda: TimedHandlerOptions(when=3),
    lambda: HandlerOptions(max_age="1h"),
])
def test_python_types_are_still_checked_in_python(call):
    with pytest.raises(TypeError):
        call()
