"""pytest plugin: the ``femto_records`` fixture.

Registered through the ``pytest11`` entry point, so any test session in an
environment where femtologging is installed can use the fixture; it does
nothing (and loads nothing) unless a test asks for it.

The fixture attaches a Python handler to femtologging's root logger for
the duration of the test and, before the test reads what was logged,
flushes it: records still queued are waited for, so tests never sleep.
"""

import dataclasses
import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

import pytest

from .logger import FemtoLogger, get_logger

#: How long reading the records waits for queued ones, in seconds.
FLUSH_TIMEOUT_S = 10.0


@dataclasses.dataclass(frozen=True)
class FemtoRecord:
    """One captured record."""

    logger: str
    level: str
    levelno: int
    message: str
    key_values: Dict[str, Any]
    exc_text: Optional[str]
    thread_name: str
    stack_text: Optional[str] = None


class _Sink:
    """The Python handler on the root logger; runs on the worker thread."""

    __slots__ = ("lock", "records")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.records: List[FemtoRecord] = []

    def handle_record(self, record: Mapping[str, Any]) -> None:
        item = FemtoRecord(
            logger=record["logger"],
            level=record["level"],
            levelno=record["levelno"],
            message=record["message"],
            key_values=dict(record.get("key_values") or {}),
            exc_text=record.get("exc_info") or None,  # the rendered text
            thread_name=record.get("thread_name", ""),
            stack_text=record.get("stack_info") or None,
        )
        with self.lock:
            self.records.append(item)


class FemtoRecords:
    """What the ``femto_records`` fixture gives a test.

    Records logged on any femtologging logger that propagates to the root
    (and stdlib records, while ``femtologging.stdlib.capture()`` is on) are
    collected. Every read waits for records still queued first.
    """

    def __init__(self, root: FemtoLogger) -> None:
        self._root = root
        self._sink = _Sink()

    def _attach(self) -> None:
        self._root.add_handler(self._sink)

    def _detach(self) -> None:
        self._root.remove_handler(self._sink)

    def flush(self, timeout: float = FLUSH_TIMEOUT_S) -> bool:
        """Wait until everything logged so far was collected; True on success."""
        return self._root.flush_handlers(timeout)

    @property
    def records(self) -> List[FemtoRecord]:
        """The records collected so far, in arrival order (after a flush)."""
        self.flush()
        with self._sink.lock:
            return list(self._sink.records)

    @property
    def messages(self) -> List[str]:
        """The message of each record."""
        return [r.message for r in self.records]

    @property
    def text(self) -> str:
        """The records as default lines ("name [LEVEL] message"), one per line."""
        return "".join(f"{r.logger} [{r.level}] {r.message}\n" for r in self.records)

    def clear(self) -> None:
        """Forget the records collected so far (after waiting for queued ones)."""
        self.flush()
        with self._sink.lock:
            self._sink.records.clear()

    @contextmanager
    def at_level(self, level: Union[int, str], logger: Optional[str] = None) -> Iterator[None]:
        """Set a logger's own level (the root by default) inside a with
        block; its previous level comes back afterwards."""
        target = get_logger(logger or "root")
        previous = target.get_level()
        target.set_level(level)
        try:
            yield
        finally:
            target.set_level(previous)


@pytest.fixture
def femto_records() -> Iterator[FemtoRecords]:
    """Collect the femtologging records logged during the test."""
    records = FemtoRecords(get_logger("root"))
    records._attach()
    try:
        yield records
    finally:
        try:
            records._detach()
        except Exception:
            pass  # the test reset the manager: the handler went with it
