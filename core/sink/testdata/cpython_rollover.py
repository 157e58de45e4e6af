"""Reference values for the timed rotation differential test
(timed_differential_test.go): CPython's own TimedRotatingFileHandler.

Reads {"configs": [...], "times": [...]} on stdin, writes one JSON object
per config: for each time t, the rollover computed from t and the backup
name suffixes of that rollover done 1 s and 90 min late (the name
depends on the daylight saving state when the rollover is done).

CPython 3.13 changed computeRollover for MIDNIGHT and W*: a rollover exactly at atTime is
tomorrow's, interval > 1 counts, and the DST correction applies to every
daily rollover. On an older interpreter the stdlib value is reported as
"stdlib" and the 3.13 rule, applied here on top of the stdlib handler's
own unit, interval and weekday, as "rollover"; on 3.13+ both are stdlib.
"""

import datetime
import json
import logging.handlers
import os
import sys
import tempfile
import time

DAY = 24 * 60 * 60


def rule_313(h, t):
    """CPython 3.13's computeRollover, restated on h's parsed settings."""
    if h.when != "MIDNIGHT" and not h.when.startswith("W"):
        return t + h.interval
    tm = time.gmtime(t) if h.utc else time.localtime(t)
    at = DAY if h.atTime is None else (h.atTime.hour * 60 + h.atTime.minute) * 60 + h.atTime.second
    left = at - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec)
    weekday = tm.tm_wday
    if left <= 0:
        left += DAY
        weekday = (weekday + 1) % 7
    out = t + left
    if h.when.startswith("W"):
        out += ((h.dayOfWeek - weekday) % 7) * DAY + h.interval - 7 * DAY
    else:
        out += h.interval - DAY
    if not h.utc and tm.tm_isdst != time.localtime(out).tm_isdst:
        if tm.tm_isdst:
            out += 3600
        elif time.localtime(out - 3600).tm_isdst:
            out -= 3600
    return out


def suffix(h, rollover_at, now):
    """The name suffix doRollover gives (the same in 3.11 and 3.13)."""
    t = rollover_at - h.interval
    if h.utc:
        tt = time.gmtime(t)
    else:
        tt = time.localtime(t)
        dst_now = time.localtime(now).tm_isdst
        if dst_now != tt.tm_isdst:
            tt = time.localtime(t + (3600 if dst_now else -3600))
    return time.strftime(h.suffix, tt)


def main():
    job = json.load(sys.stdin)
    new = sys.version_info >= (3, 13)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "app.log")
        for c in job["configs"]:
            at = None
            if c["at"] is not None:
                at = datetime.time(*c["at"])
            h = logging.handlers.TimedRotatingFileHandler(
                path, when=c["when"], interval=c["interval"], utc=c["utc"], atTime=at, delay=True)
            rows = []
            for t in job["times"]:
                std = h.computeRollover(t)
                r = std if new else rule_313(h, t)
                rows.append([r, std, suffix(h, r, r + 1), suffix(h, r, r + 5400)])
            h.close()
            print(json.dumps({"config": c, "rows": rows}))
    print(json.dumps({"version": list(sys.version_info[:3])}))


main()
