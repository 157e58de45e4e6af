"""Callback filters: Python callables a configuration gives a logger.

A callback filter is ``f(record) -> bool | Mapping``. It runs on the
caller's thread, before the record is queued, for records logged on that
logger: a false result drops the record, a mapping keeps it and adds its
items to the record's key-values, anything else true keeps it. An
exception is reported on stderr (with its traceback, at most once per
filter every 5 seconds, with a count) and the record is kept.

Loggers without callback filters keep the C hot path: only a logger that
has some is switched (``__class__``) to FilteredLogger, whose log() runs
them first.
"""

import sys
import threading
import time
import traceback
from collections.abc import Mapping
from typing import Any, Dict, List, Optional

from .levels import CANONICAL_NAMES, parse_level
from .logger import FemtoLogger, _apply_args, _callback_filters

#: At most one report per failing filter in this many seconds.
REPORT_INTERVAL_S = 5.0

_reports_lock = threading.Lock()
_reports: Dict[int, List[Any]] = {}  # id(filter) -> [next report time, failures not yet reported, filter]


def run_filters(logger: FemtoLogger, levelno: int, message: str,
                extra: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """Run logger's callback filters; None when one rejected the record,
    else the key-values they added (a dict, maybe empty)."""
    filters = _callback_filters.get(logger._name)
    added: Dict[str, Any] = {}
    if not filters:
        return added
    key_values: Dict[str, Any] = dict(extra) if extra else {}
    record = {
        "logger": logger._name,
        "level": CANONICAL_NAMES[levelno],
        "levelno": levelno,
        "message": message,
        "key_values": key_values,
    }
    for fn in filters:
        try:
            verdict = fn(record)
        except Exception:
            _report(fn)
            continue  # a failing filter keeps the record
        if isinstance(verdict, Mapping):
            added.update(verdict)
            key_values.update(verdict)
        elif not verdict:
            return None
    return added


def _report(fn: Any) -> None:
    now = time.monotonic()
    with _reports_lock:
        entry = _reports.get(id(fn))
        if entry is None or entry[2] is not fn:  # ids of dead filters are reused
            entry = _reports[id(fn)] = [0.0, 0, fn]
        entry[1] += 1
        if now < entry[0]:
            return
        entry[0] = now + REPORT_INTERVAL_S
        count, entry[1] = entry[1], 0
    try:
        sys.stderr.write(f"femtologging: callback filter {fn!r} raised "
                         f"({count} time(s) since the last report); the record was kept:\n")
        traceback.print_exc()
    except Exception:
        pass  # stderr itself is broken


class FilteredLogger(FemtoLogger):
    """A FemtoLogger whose log() runs its callback filters first."""

    __slots__ = ()

    def log(self, level: "int | str", message: str, *args: Any, **kwargs: Any) -> Optional[str]:
        levelno = parse_level(level)
        if levelno < self._threshold:
            return None
        if not isinstance(message, str):
            raise TypeError(f"message must be a str, not {type(message).__name__}")
        text = _apply_args(message, args) if args else message
        added = run_filters(self, levelno, text, kwargs.get("extra"))
        if added is None:
            return None
        if added:
            kwargs["extra"] = {**(kwargs.get("extra") or {}), **added}
            return FemtoLogger._log_full(self, levelno, text, (), kwargs)
        # Not super(): another thread may switch this logger's class back
        # to FemtoLogger while this call runs (a new configuration). The
        # arguments are applied already (a message with none is not %-ed).
        return FemtoLogger.log(self, levelno, text, **kwargs)

    # LoggerCore's level methods go straight to C; here they must reach the
    # log() above.
    def trace(self, message: str, *args: Any, **kwargs: Any) -> Optional[str]:
        return self.log(5, message, *args, **kwargs)

    def debug(self, message: str, *args: Any, **kwargs: Any) -> Optional[str]:
        return self.log(10, message, *args, **kwargs)

    def info(self, message: str, *args: Any, **kwargs: Any) -> Optional[str]:
        return self.log(20, message, *args, **kwargs)

    def warning(self, message: str, *args: Any, **kwargs: Any) -> Optional[str]:
        return self.log(30, message, *args, **kwargs)

    warn = warning

    def error(self, message: str, *args: Any, **kwargs: Any) -> Optional[str]:
        return self.log(40, message, *args, **kwargs)

    def critical(self, message: str, *args: Any, **kwargs: Any) -> Optional[str]:
        return self.log(50, message, *args, **kwargs)
