"""Logger levels: root INFO by default, inheritance from the nearest
ancestor with a level, set_level/get_level/get_effective_level."""

import pytest

from femtologging import get_logger

LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"]


def test_root_level_defaults_to_info():
    root = get_logger("root")
    assert root.get_level() == "INFO"
    assert root.get_effective_level() == "INFO"


def test_new_logger_has_no_own_level_and_inherits_info():
    logger = get_logger("app.db")
    assert logger.get_level() is None
    assert logger.get_effective_level() == "INFO"


def test_default_info_filters_debug_and_passes_info():
    logger = get_logger("app")
    assert logger.log("DEBUG", "d") is None
    assert logger.log("INFO", "i") == "app [INFO] i"


@pytest.mark.parametrize("level", LEVELS)
def test_set_level_filters_below_and_passes_at_level(level):
    logger = get_logger("app")
    logger.set_level(level)
    assert logger.get_level() == level
    index = LEVELS.index(level)
    for below in LEVELS[:index]:
        assert logger.log(below, "m") is None, below
    for at_or_above in LEVELS[index:]:
        assert logger.log(at_or_above, "m") == f"app [{at_or_above}] m", at_or_above


@pytest.mark.parametrize("spelling", ["warning", "Warning", "WARNING", "warn", "wArN"])
def test_set_level_accepts_names_case_insensitively(spelling):
    logger = get_logger("app")
    logger.set_level(spelling)
    assert logger.get_level() == "WARN"


@pytest.mark.parametrize("bad", ["VERBOSE", "", "INFO ", "notset"])
def test_set_level_unknown_name_raises_value_error_naming_it(bad):
    logger = get_logger("app")
    with pytest.raises(ValueError) as info:
        logger.set_level(bad)
    assert repr(bad) in str(info.value)
    assert logger.get_effective_level() == "INFO"


@pytest.mark.parametrize("bad", [1.5, object(), b"INFO"])
def test_set_level_non_str_raises_type_error(bad):
    with pytest.raises(TypeError):
        get_logger("app").set_level(bad)


def test_child_inherits_from_nearest_ancestor_with_level():
    get_logger("root").set_level("ERROR")
    get_logger("a").set_level("DEBUG")
    leaf = get_logger("a.b.c")
    assert leaf.get_effective_level() == "DEBUG"
    assert leaf.log("DEBUG", "x") == "a.b.c [DEBUG] x"
    assert get_logger("other").get_effective_level() == "ERROR"


def test_parent_level_change_reaches_existing_children():
    # The child's threshold is cached on the Python side: a change made on
    # the parent afterwards must refresh it.
    child = get_logger("svc.worker")
    assert child.log("DEBUG", "before") is None
    get_logger("svc").set_level("DEBUG")
    assert child.get_effective_level() == "DEBUG"
    assert child.log("DEBUG", "after") == "svc.worker [DEBUG] after"
    get_logger("svc").set_level("CRITICAL")
    assert child.log("ERROR", "now filtered") is None


def test_root_level_change_reaches_children_created_earlier_and_later():
    early = get_logger("early.x")
    get_logger("root").set_level("WARNING")
    late = get_logger("late.y")
    for logger in (early, late):
        assert logger.get_effective_level() == "WARN"
        assert logger.log("INFO", "i") is None
        assert logger.log("WARNING", "w") is not None


def test_own_level_wins_over_ancestor_change():
    child = get_logger("a.b")
    child.set_level("ERROR")
    get_logger("a").set_level("TRACE")
    assert child.get_effective_level() == "ERROR"
    assert child.log("WARN", "w") is None


def test_set_level_none_restores_inheritance():
    get_logger("a").set_level("ERROR")
    child = get_logger("a.b")
    child.set_level("DEBUG")
    child.set_level(None)
    assert child.get_level() is None
    assert child.get_effective_level() == "ERROR"
    assert child.log("WARN", "w") is None


def test_root_level_cannot_be_unset():
    root = get_logger("root")
    with pytest.raises(ValueError) as info:
        root.set_level(None)
    assert "root" in str(info.value)
    assert root.get_level() == "INFO"


def test_filtered_record_does_not_reach_handlers(collector):
    logger = get_logger("app")
    logger.add_handler(collector)
    logger.set_level("WARN")
    logger.log("INFO", "filtered")
    logger.log("ERROR", "kept")
    assert collector.wait_for(1) == [("app", "ERROR", "kept")]


def test_ancestor_level_does_not_filter_propagated_records(collector):
    # As in the stdlib, a record is checked against the level of the logger
    # it was logged on only; ancestors' handlers then receive it whatever
    # the ancestors' own levels.
    get_logger("root").set_level("CRITICAL")
    get_logger("root").add_handler(collector)
    child = get_logger("noisy")
    child.set_level("DEBUG")
    child.log("DEBUG", "d")
    assert collector.wait_for(1) == [("noisy", "DEBUG", "d")]
