"""Helpers shared by the configuration tests (test_*config*.py)."""

import threading
import time

import pytest

from femtologging import get_logger, reset_manager

#: Every wait in these tests is bounded by this.
DEADLINE_S = 5.0


class Collector:
    """A Python handler that keeps what it is given."""

    def __init__(self):
        self._lock = threading.Lock()
        self._records = []

    def handle(self, logger, level, message):
        with self._lock:
            self._records.append((logger, level, message))

    @property
    def records(self):
        with self._lock:
            return list(self._records)


def wait_for(predicate, what="condition"):
    """Poll predicate until it holds or the deadline passes."""
    deadline = time.monotonic() + DEADLINE_S
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.002)


def deliver_marker(logger_name, collector):
    """Log a marker at CRITICAL on logger_name and wait until collector sees it."""
    marker = f"marker-{time.monotonic_ns()}"
    get_logger(logger_name).log("CRITICAL", marker)
    wait_for(lambda: any(r[2] == marker for r in collector.records), f"marker on {logger_name}")
    return marker


@pytest.fixture
def fresh_manager():
    reset_manager()
    yield
    reset_manager()
