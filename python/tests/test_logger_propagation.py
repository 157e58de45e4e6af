"""Propagation: records reach each ancestor's handlers exactly once, until a
logger with propagate off stops them."""

import pytest

from conftest import Collector

from femtologging import get_logger


MARKER = "--settle--"


class Recorder(Collector):
    """A Collector that ignores settle() markers."""

    def handle(self, logger, level, message):
        if message != MARKER:
            super().handle(logger, level, message)


def chain(*names):
    """Attach a fresh Recorder to each named logger; return them by name."""
    collectors = {}
    for name in names:
        collectors[name] = Recorder()
        get_logger(name).add_handler(collectors[name])
    return collectors


def settle(logger_name):
    """Wait until every record logged so far on logger_name has been handed
    to all its handlers, ancestors' included.

    Each logger's worker delivers its records in order, one at a time, to
    the whole dispatch list; so when a marker logged afterwards reaches a
    witness, every earlier record of that logger has been fully delivered.
    """
    witness = Collector()
    logger = get_logger(logger_name)
    logger.add_handler(witness)
    logger.log("CRITICAL", MARKER)
    witness.wait_for(1)
    logger.remove_handler(witness)


def test_propagate_defaults_to_true():
    assert get_logger("a.b").propagate is True


def test_record_reaches_each_ancestor_handler_exactly_once():
    cs = chain("root", "a", "a.b", "a.b.c")
    get_logger("a.b.c").log("INFO", "m")
    for name, c in cs.items():
        assert c.wait_for(1) == [("a.b.c", "INFO", "m")], name
    settle("a.b.c")
    for name, c in cs.items():
        assert c.count() == 1, name


def test_record_does_not_reach_descendants_or_siblings():
    cs = chain("a", "a.b", "a.c")
    get_logger("a").log("INFO", "parent")
    get_logger("a.c").log("INFO", "sibling")
    # Two loggers, two workers: no order between them.
    assert sorted(cs["a"].wait_for(2)) == [("a", "INFO", "parent"), ("a.c", "INFO", "sibling")]
    settle("a")
    settle("a.c")
    assert cs["a.b"].count() == 0
    assert cs["a.c"].records == [("a.c", "INFO", "sibling")]


def test_set_propagate_false_stops_delivery_to_ancestors():
    cs = chain("root", "a", "a.b")
    b = get_logger("a.b")
    b.set_propagate(False)
    assert b.propagate is False
    b.log("INFO", "local")
    assert cs["a.b"].wait_for(1) == [("a.b", "INFO", "local")]
    settle("a.b")
    assert cs["a"].count() == 0
    assert cs["root"].count() == 0


def test_propagate_off_in_the_middle_stops_above_it():
    cs = chain("root", "a", "a.b", "a.b.c")
    get_logger("a.b").set_propagate(False)
    get_logger("a.b.c").log("INFO", "m")
    assert cs["a.b.c"].wait_for(1)
    assert cs["a.b"].wait_for(1) == [("a.b.c", "INFO", "m")]
    settle("a.b.c")
    assert cs["a"].count() == 0
    assert cs["root"].count() == 0


def test_set_propagate_true_resumes_delivery():
    cs = chain("root", "a")
    a = get_logger("a")
    a.set_propagate(False)
    a.set_propagate(True)
    assert a.propagate is True
    a.log("INFO", "m")
    assert cs["root"].wait_for(1) == [("a", "INFO", "m")]


def test_handler_added_to_ancestor_later_reaches_existing_child():
    child = get_logger("x.y.z")
    c = Collector()
    get_logger("x").add_handler(c)
    child.log("INFO", "m")
    assert c.wait_for(1) == [("x.y.z", "INFO", "m")]


def test_child_created_after_ancestor_handler_propagates_to_it():
    c = Collector()
    get_logger("x").add_handler(c)
    get_logger("x.new").log("INFO", "m")
    assert c.wait_for(1) == [("x.new", "INFO", "m")]


def test_logger_with_no_handlers_still_propagates():
    c = Collector()
    get_logger("root").add_handler(c)
    get_logger("empty.chain.leaf").log("WARNING", "w")
    assert c.wait_for(1) == [("empty.chain.leaf", "WARN", "w")]


def test_handlers_run_own_first_then_ancestors_in_order():
    order = []

    class Named:
        def __init__(self, name):
            self.name = name

        def handle(self, logger, level, message):
            if message != MARKER:
                order.append(self.name)

    get_logger("root").add_handler(Named("root"))
    get_logger("a").add_handler(Named("a"))
    get_logger("a.b").add_handler(Named("a.b-1"))
    get_logger("a.b").add_handler(Named("a.b-2"))
    get_logger("a.b").log("INFO", "m")
    settle("a.b")
    assert order == ["a.b-1", "a.b-2", "a", "root"]


@pytest.mark.parametrize("bad", [0, 1, None, "False"])
def test_set_propagate_non_bool_raises_type_error(bad):
    logger = get_logger("a")
    with pytest.raises(TypeError) as info:
        logger.set_propagate(bad)
    assert type(bad).__name__ in str(info.value)
    assert logger.propagate is True
