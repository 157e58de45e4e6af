"""FemtoTimedRotatingFileHandler, TimedHandlerOptions and
TimedRotatingFileHandlerBuilder: validation, a real-time rollover with
when="S", deletion compared with CPython's own getFilesToDelete,
compression of both rotating kinds, dictConfig and fileConfig."""

import datetime
import gzip
import logging.handlers
import os
import re

import pytest

from conftest import wait_until
from femtologging import (FemtoTimedRotatingFileHandler, HandlerConfigError, TimedHandlerOptions,
                          TimedRotatingFileHandlerBuilder, dictConfig, fileConfig)
from femtologging.config.dict_config import to_document
from femtologging.logger import get_logger
from femtologging.handlers.policy import HandlerOptions
from femtologging.handlers.rotating import FemtoRotatingFileHandler, RotatingFileHandlerBuilder


def test_timed_options_defaults_and_validation():
    o = TimedHandlerOptions()
    assert (o.when, o.interval, o.backup_count, o.utc, o.at_time) == ("MIDNIGHT", 1, 7, False, None)
    assert TimedHandlerOptions(when="w3").when == "W3"
    with pytest.raises(HandlerConfigError, match="invalid when 'W7'"):
        TimedHandlerOptions(when="W7")
    with pytest.raises(HandlerConfigError, match="interval must be greater than zero, got 0"):
        TimedHandlerOptions(interval=0)
    with pytest.raises(HandlerConfigError, match="backup_count must not be negative, got -1"):
        TimedHandlerOptions(backup_count=-1)
    with pytest.raises(TypeError, match="at_time must be a datetime.time"):
        TimedHandlerOptions(at_time=3)
    with pytest.raises(HandlerConfigError, match="invalid compression 'zip'"):
        TimedHandlerOptions(compression="zip")
    with pytest.raises(HandlerConfigError, match="invalid max_age"):
        TimedHandlerOptions(max_age=datetime.timedelta(0))
    with pytest.raises(TypeError, match="options must be a TimedHandlerOptions"):
        FemtoTimedRotatingFileHandler("x.log", HandlerOptions())


def test_timed_builder_as_dict(tmp_path):
    b = (TimedRotatingFileHandlerBuilder(tmp_path / "a.log").with_when("w6").with_interval(2)
         .with_backup_count(4).with_utc().with_at_time(datetime.time(3, 30))
         .with_compression("gzip").with_max_age(datetime.timedelta(days=30)))
    d = b.as_dict()
    assert d["kind"] == "timed_rotating_file"
    assert {k: d[k] for k in ("when", "interval", "backup_count", "utc", "at_time", "compression", "max_age_s")} == {
        "when": "W6", "interval": 2, "backup_count": 4, "utc": True, "at_time": "03:30:00",
        "compression": "gzip", "max_age_s": 30 * 86400.0}
    handler = b.build()
    assert handler.options.when == "W6"
    handler.close()


def test_timed_handler_rolls_over_every_second_in_real_time(tmp_path):
    """One real-time test: records keep coming until two rollovers happened;
    every record is in exactly one file, named by CPython's "S" suffix."""
    path = tmp_path / "app.log"
    handler = FemtoTimedRotatingFileHandler(path, TimedHandlerOptions(when="s", backup_count=0))
    sent = []

    def backups():
        return sorted(n for n in os.listdir(tmp_path) if n != "app.log")

    def log_one():
        sent.append(f"m{len(sent)}")
        handler.handle("t", "INFO", sent[-1])
        handler.flush()
        return len(backups()) >= 2

    wait_until(log_one, timeout=20, message="two rollovers with when='S'")
    handler.close()
    names = backups()
    for name in names:
        assert re.fullmatch(r"app\.log\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}(\.\d+)?", name), name
    got = []
    for name in names + ["app.log"]:
        got += [line.split("] ", 1)[1] for line in (tmp_path / name).read_text().splitlines()]
    assert got == sent


def test_timed_deletion_matches_cpython_get_files_to_delete(tmp_path):
    """Backups beyond backup_count: the same files CPython would delete (our
    sink also deletes at start, CPython only at its next rollover). No
    "app.logx.2020-01-01" here: CPython 3.11 counts it as a backup of
    app.log, 3.13 (and we) do not."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for d in (ours, theirs):
        d.mkdir()
        for name in ["app.log", "app.log.2026-01-03", "app.log.2026-01-01", "app.log.2025-12-31",
                     "app.log.2026-01-02", "app.log.2026-01-04", "app.log.notes", "other.log.2020-01-01",
                     "app.log.2026-01-02_10"]:
            (d / name).write_text("x\n")
    stdlib = logging.handlers.TimedRotatingFileHandler(theirs / "app.log", when="D", backupCount=2, delay=True)
    for name in stdlib.getFilesToDelete():
        os.remove(name)
    stdlib.close()
    handler = FemtoTimedRotatingFileHandler(ours / "app.log", TimedHandlerOptions(when="D", backup_count=2))
    want = sorted(os.listdir(theirs))
    wait_until(lambda: sorted(os.listdir(ours)) == want, message=f"our backups to become {want}")
    handler.close()


def test_timed_handler_compresses_backups(tmp_path):
    path = tmp_path / "app.log"
    old = tmp_path / "app.log.2026-01-01"
    old.write_text("old backup\n")
    handler = FemtoTimedRotatingFileHandler(path, TimedHandlerOptions(when="D", compression="gzip"))
    wait_until(lambda: not old.exists(), message="the backup compressed")
    assert gzip.decompress((tmp_path / "app.log.2026-01-01.gz").read_bytes()) == b"old backup\n"
    handler.close()


def test_rotating_handler_compresses_and_ages_out(tmp_path):
    path = tmp_path / "app.log"
    handler = (RotatingFileHandlerBuilder(path).with_max_bytes(20).with_backup_count(3)
               .with_compression("gzip").build())
    for i in range(5):
        handler.handle("r", "INFO", f"m{i}")  # "r [INFO] mN\n" is 12 bytes: one per file
    handler.flush()
    wait_until(lambda: sorted(os.listdir(tmp_path)) == ["app.log", "app.log.1.gz", "app.log.2.gz", "app.log.3.gz"],
               message="three compressed backups")
    assert [gzip.decompress((tmp_path / f"app.log.{n}.gz").read_bytes()) for n in (1, 2, 3)] == [
        b"r [INFO] m3\n", b"r [INFO] m2\n", b"r [INFO] m1\n"]
    handler.close()
    # max_age: every backup is older than 1 ms by now.
    for n in (1, 2, 3):
        os.utime(tmp_path / f"app.log.{n}.gz", (0, 0))
    handler = FemtoRotatingFileHandler(path, HandlerOptions(rotation=(20, 3), max_age=datetime.timedelta(days=1)))
    wait_until(lambda: os.listdir(tmp_path) == ["app.log"], message="old backups deleted")
    handler.close()


def flush_root():
    handlers = get_logger("root").handlers
    assert handlers
    for handler in handlers:
        assert handler.flush()


def test_dict_config_timed_rotating_handler(tmp_path):
    path = str(tmp_path / "app.log")
    config = {
        "version": 1,
        "handlers": {"t": {"class": "logging.handlers.TimedRotatingFileHandler",
                           "args": (path, "midnight"),
                           "kwargs": {"interval": 2, "backupCount": 5, "utc": True,
                                      "atTime": datetime.time(1, 2, 3), "compression": "gzip",
                                      "max_age": 3600}}},
        "root": {"level": "INFO", "handlers": ["t"]},
    }
    spec = to_document(config)["handlers"]["t"]
    assert spec == {"kind": "timed_rotating_file", "path": path, "when": "midnight", "interval": 2,
                    "backup_count": 5, "utc": True, "at_time": "01:02:03", "compression": "gzip",
                    "max_age_s": 3600.0}
    # stdlib's defaults: hourly, every backup kept.
    plain = to_document({"version": 1, "handlers": {"t": {"class": "TimedRotatingFileHandler", "args": (path,)}},
                         "root": {"handlers": ["t"]}})["handlers"]["t"]
    assert (plain["when"], plain["backup_count"]) == ("h", 0)
    dictConfig(config)
    get_logger("app").log("INFO", "through dictConfig")
    flush_root()
    assert open(path, encoding="utf-8").read() == "app [INFO] through dictConfig\n"


def test_dict_config_timed_rotating_rejects_bad_values(tmp_path):
    base = {"version": 1, "root": {"handlers": ["t"]}}
    for kwargs, match in [({"when": "fortnight"}, "when"), ({"atTime": "25:00"}, "at_time"),
                          ({"errors": "replace"}, "errors"), ({"compression": "xz"}, "compression")]:
        config = dict(base, handlers={"t": {"class": "TimedRotatingFileHandler",
                                            "args": (str(tmp_path / "a.log"),), "kwargs": kwargs}})
        with pytest.raises(ValueError, match=match):
            dictConfig(config)


def test_file_config_timed_rotating_handler(tmp_path):
    path = tmp_path / "app.log"
    ini = tmp_path / "logging.ini"
    ini.write_text(f"""
[loggers]
keys=root
[handlers]
keys=timed
[logger_root]
level=INFO
handlers=timed
[handler_timed]
class=handlers.TimedRotatingFileHandler
args=({str(path)!r}, 'D', 1, 3)
kwargs={{'utc': True, 'compression': 'gzip'}}
""")
    fileConfig(ini)
    get_logger("ini").log("INFO", "through fileConfig")
    flush_root()
    assert path.read_text() == "ini [INFO] through fileConfig\n"


def test_dict_config_rotating_handler_compression_and_max_age():
    spec = to_document({"version": 1, "root": {"handlers": ["r"]}, "handlers": {"r": {
        "class": "logging.handlers.RotatingFileHandler", "args": ("a.log", "a", 100, 3),
        "kwargs": {"compression": "gzip", "max_age": datetime.timedelta(hours=1)}}}})["handlers"]["r"]
    assert spec == {"kind": "rotating_file", "path": "a.log", "max_bytes": 100, "backup_count": 3,
                    "compression": "gzip", "max_age_s": 3600.0}
    with pytest.raises(ValueError, match="invalid max_age -1"):
        to_document({"version": 1, "root": {"handlers": ["r"]}, "handlers": {"r": {
            "class": "RotatingFileHandler", "args": ("a.log",), "kwargs": {"max_age": -1}}}})


def test_rotating_options_carry_compression_and_max_age():
    o = HandlerOptions(rotation=(10, 2), compression="gzip", max_age=60)
    assert (o.compression, o.max_age) == ("gzip", 60)
    assert "compression='gzip'" in repr(o)
    assert HandlerOptions() == HandlerOptions(compression=None)
    with pytest.raises(HandlerConfigError, match="invalid compression 'bz2'"):
        HandlerOptions(compression="bz2")
