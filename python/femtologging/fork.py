"""What a child of ``os.fork()`` gets: the fork policy.

The Go runtime inside libfemtolog does not survive ``fork()``. Under the
default policy, ``"reinit"``, a forked child (``os.fork``, multiprocessing's
fork start method, pre-forking servers such as gunicorn) loads its own copy
of the library the first time it uses femtologging and restores into it
the configuration its parent had at the moment of the fork: the same
loggers, levels, propagation, filters and handlers, with fresh queues and
workers. Records the parent had queued are written by the parent only.
Under ``"error"``, every call in such a child raises ForkedProcessError.
docs/manual.md ("Fork") and docs/decisions.md say how and at what cost.
"""

from . import _native

#: The policies set_fork_policy accepts.
FORK_POLICIES = ("reinit", "error")


def set_fork_policy(policy: str) -> None:
    """Choose what forked children get: ``"reinit"`` (default) or ``"error"``.

    It applies to forks made after the call, and is inherited by children.
    """
    if policy not in FORK_POLICIES:
        raise ValueError(f"fork policy {policy!r}: want one of {', '.join(map(repr, FORK_POLICIES))}")
    _native.fork_policy = policy


def get_fork_policy() -> str:
    """The current fork policy: ``"reinit"`` or ``"error"``."""
    return _native.fork_policy
