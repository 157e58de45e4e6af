"""dictConfig filters: stdlib's filters section ({"name": ...}) and filter
ids on loggers, the root and handlers, checked against CPython's own
logging running the same configuration."""

import logging
import logging.config

import pytest

from config_helpers import fresh_manager  # noqa: F401
from femtologging import HandlerConfigError, get_logger
from femtologging.config.dict_config import dictConfig, handler_spec, to_document

pytestmark = pytest.mark.usefixtures("fresh_manager")

FORMAT = "%(name)s %(levelname)s %(message)s"


def cookbook_config(tmp_path, prefix):
    """A logging-cookbook-shaped configuration with a filters section, a
    handler filter and a logger filter; prefix keeps the logger names apart
    from everything else the stdlib run touches."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT}},
        "filters": {
            "db_only": {"name": f"{prefix}.db"},
            "everything": {},
            "api_only": {"name": f"{prefix}.svc.api"},
        },
        "handlers": {
            "db_file": {"class": "logging.FileHandler", "filename": str(tmp_path / "db.log"),
                        "formatter": "plain", "filters": ["db_only"]},
            "all_file": {"class": "logging.FileHandler", "filename": str(tmp_path / "all.log"),
                         "formatter": "plain", "level": "INFO", "filters": ["everything"]},
        },
        "loggers": {
            prefix: {"level": "DEBUG", "handlers": ["db_file", "all_file"], "propagate": False},
            # A logger filter sees only records logged on that logger:
            # "svc" itself is rejected, its children's records pass.
            f"{prefix}.svc": {"level": "DEBUG", "handlers": ["all_file"], "filters": ["api_only"],
                              "propagate": False},
        },
        "root": {"level": "WARNING", "handlers": [], "filters": ["everything"]},
    }


def log_sample(get, prefix):
    get(f"{prefix}.db").debug("db debug")
    get(f"{prefix}.db.pool").info("pool info")
    get(f"{prefix}.dbx").info("dbx is not under db")
    get(prefix).warning("top warning")
    get(f"{prefix}.svc").info("svc itself")
    get(f"{prefix}.svc.api").info("api child")
    get(f"{prefix}.svc.other").info("other child passes: logger filters skip propagated records")


def stdlib_run(tmp_path, prefix):
    """Run the configuration through CPython's logging, then undo it."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, root.filters[:]
    try:
        logging.config.dictConfig(cookbook_config(tmp_path, prefix))
        log_sample(logging.getLogger, prefix)
    finally:
        for name in (prefix, f"{prefix}.svc"):
            logger = logging.getLogger(name)
            for handler in logger.handlers:
                handler.close()
            logger.handlers.clear()
            logger.filters.clear()
        root.handlers[:], root.filters[:] = saved[0], saved[2]
        root.setLevel(saved[1])
    return {name: (tmp_path / name).read_text().splitlines() for name in ("db.log", "all.log")}


def test_dict_config_filters_match_stdlib(tmp_path):
    ours, theirs = tmp_path / "femto", tmp_path / "stdlib"
    ours.mkdir()
    theirs.mkdir()
    prefix = "dcf"
    want = stdlib_run(theirs, prefix)
    # The expectations the stdlib run must meet, so the comparison is not
    # vacuous.
    assert want["db.log"] == ["dcf.db DEBUG db debug", "dcf.db.pool INFO pool info"]
    assert "dcf.svc INFO svc itself" not in want["all.log"]
    assert "dcf.svc.api INFO api child" in want["all.log"]

    dictConfig(cookbook_config(ours, prefix))
    log_sample(get_logger, prefix)
    for name in (prefix, f"{prefix}.svc"):
        assert get_logger(name).flush_handlers(timeout=5.0)
    # Each logger has its own queue: records of different loggers may
    # interleave in any order, so compare the sets of lines.
    got = {name: sorted((ours / name).read_text().splitlines()) for name in ("db.log", "all.log")}
    assert got == {name: sorted(lines) for name, lines in want.items()}


NAMES = ["", "a", "a.b", "root", "a.b.c"]
LOGGERS = ["a", "a.b", "a.bc", "a.b.c", "a.b.c.d", "ab", "b.a.b", "x", "root"]


def test_dict_config_name_filter_is_logging_filter(tmp_path):
    """Each filter name against each logger name: the records a handler
    with {"name": N} writes are exactly those logging.Filter(N) passes."""
    handlers = {f"h{i}": {"class": "FileHandler", "filename": str(tmp_path / f"h{i}.log"),
                          "formatter": "plain", "filters": [f"f{i}"]} for i in range(len(NAMES))}
    dictConfig({
        "version": 1,
        "formatters": {"plain": {"format": "%(name)s"}},
        "filters": {f"f{i}": {"name": n} for i, n in enumerate(NAMES)},
        "handlers": handlers,
        "root": {"level": "INFO", "handlers": list(handlers)},
    })
    for name in LOGGERS:
        get_logger(name).info("m")
    assert get_logger("root").flush_handlers(timeout=5.0)
    for i, n in enumerate(NAMES):
        stdlib_filter = logging.Filter(n)
        want = [name for name in LOGGERS
                if stdlib_filter.filter(logging.LogRecord(name, logging.INFO, __file__, 1, "m", None, None))]
        got = (tmp_path / f"h{i}.log").read_text().splitlines()
        assert sorted(got) == sorted(want), f"filter name {n!r}"


def test_dict_config_filters_translate_to_the_document():
    doc = to_document({
        "version": 1,
        "filters": {"db": {"name": "app.db"}, "all": {}},
        "handlers": {"h": {"class": "StreamHandler", "filters": ["db", "all"]}},
        "loggers": {"app": {"filters": ["all"]}},
        "root": {"filters": ["db"]},
    })
    assert doc["filters"] == {"db": {"kind": "name", "name": "app.db"}, "all": {"kind": "name", "name": ""}}
    assert doc["handlers"]["h"]["filters"] == ["db", "all"]
    assert doc["loggers"]["app"]["filters"] == ["all"]
    assert doc["root"]["filters"] == ["db"]


@pytest.mark.parametrize("change, message", [
    ({"filters": {"special": {"()": "myapp.SpecialFilter", "foo": "bar"}}},
     r"filters\.special: '\(\)' factories are not supported for filter 'special'"),
    ({"filters": {"f": {"name": "a", "level": 1}}}, r"filters\.f: unsupported key\(s\) \['level'\]"),
    ({"filters": {"f": {"name": 3}}}, r"filters\.f\.name must be a str, got 3"),
    ({"filters": {"f": "app"}}, r"filters\.f must be a dict"),
    ({"filters": ["f"]}, "filters must be a dict"),
    ({"loggers": {"app": {"filters": ["nope"]}}}, r"loggers\.app\.filters: unknown filter id 'nope'"),
    ({"root": {"filters": ["nope"]}}, r"root\.filters: unknown filter id 'nope'"),
    ({"root": {"filters": "f"}}, r"root\.filters must be a list of filter ids"),
    ({"handlers": {"h": {"class": "StreamHandler", "filters": ["f", "nope"]}}, "filters": {"f": {}}},
     r"handlers\.h\.filters: unknown filter id 'nope'"),
    ({"handlers": {"h": {"class": "StreamHandler", "filters": [logging.Filter("a")]}}},
     r"handlers\.h\.filters: .*only ids of the filters section"),
])
def test_dict_config_bad_filters(change, message):
    cfg = {"version": 1, "root": {"level": "INFO"}, **change}
    with pytest.raises(ValueError, match=message):
        dictConfig(cfg)


def test_dict_config_bad_filter_changes_nothing(tmp_path):
    """An unknown filter id fails the whole configuration before any
    handler is built: the file is never created."""
    with pytest.raises(ValueError, match="unknown filter id 'nope'"):
        dictConfig({"version": 1,
                    "handlers": {"f": {"class": "FileHandler", "filename": str(tmp_path / "x.log")}},
                    "loggers": {"app": {"handlers": ["f"], "filters": ["nope"]}},
                    "root": {}})
    assert not (tmp_path / "x.log").exists()


def test_handler_spec_filter_ids_need_the_filters_section():
    with pytest.raises(ValueError, match="unknown filter id 'db'"):
        handler_spec("h", {"class": "StreamHandler", "filters": ["db"]})
    spec = handler_spec("h", {"class": "StreamHandler", "filters": []})
    assert "filters" not in spec


def test_engine_reports_unknown_handler_filter_id():
    """The engine checks handler filter ids too (for documents not made by
    dictConfig), naming the JSON path."""
    from femtologging.config import apply_document
    with pytest.raises(HandlerConfigError, match=r'\$\.handlers\.h\.filters\[0\]: unknown filter id "nope"'):
        apply_document({"version": 1, "handlers": {"h": {"kind": "stream", "filters": ["nope"]}},
                        "root": {"handlers": ["h"]}})
