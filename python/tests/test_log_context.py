"""log_context(**fields): key-values that follow threads and asyncio tasks."""

import asyncio
import threading

import pytest

from femtologging import get_logger, log_context

from conftest import RecordCollector


@pytest.fixture
def logged():
    logger = get_logger("ctx")
    handler = RecordCollector()
    logger.add_handler(handler)
    return logger, handler


def test_fields_attach_nest_and_end_with_the_block(logged):
    logger, handler = logged
    with log_context(request="r1", user=7):
        logger.info("outer")
        with log_context(user=8, step=True):
            logger.info("inner", extra={"step": "extra wins"})
        logger.info("outer again")
    logger.info("outside")
    got = [(r["message"], r["key_values"]) for r in handler.wait_for(4)]
    assert got == [
        ("outer", {"request": "r1", "user": 7}),
        ("inner", {"request": "r1", "user": 8, "step": "extra wins"}),
        ("outer again", {"request": "r1", "user": 7}),
        ("outside", {}),
    ]


def test_fields_do_not_leak_into_other_threads(logged):
    logger, handler = logged
    inside, done = threading.Event(), threading.Event()

    def other():
        inside.wait(10)
        logger.info("other thread")
        done.set()

    t = threading.Thread(target=other)
    t.start()
    with log_context(request="mine"):
        inside.set()
        assert done.wait(10)
        logger.info("this thread")
    t.join(10)
    got = {r["message"]: r["key_values"] for r in handler.wait_for(2)}
    assert got == {"other thread": {}, "this thread": {"request": "mine"}}


def test_asyncio_tasks_keep_their_own_fields(logged):
    logger, handler = logged

    async def task(name, gate, other_gate):
        with log_context(task=name):
            gate.set()
            await other_gate.wait()  # both contexts are open at once
            logger.info(name)

    async def main():
        a, b = asyncio.Event(), asyncio.Event()
        await asyncio.gather(task("a", a, b), task("b", b, a))

    asyncio.run(main())
    got = {r["message"]: r["key_values"] for r in handler.wait_for(2)}
    assert got == {"a": {"task": "a"}, "b": {"task": "b"}}


def test_reserved_names_raise_keyerror():
    with pytest.raises(KeyError, match="Attempt to overwrite 'levelname'"):
        with log_context(levelname="x"):
            pass


def test_args_still_apply_inside_a_context(logged):
    logger, handler = logged
    with log_context(k=1):
        assert logger.info("n=%d", 5) == "ctx [INFO] n=5"
    record = handler.wait_for(1)[0]
    assert record["message"] == "n=5" and record["key_values"] == {"k": 1}
