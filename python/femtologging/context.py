"""log_context(**fields): key-values attached to every record logged inside.

The fields live in a ContextVar, so they follow the code that set them:
each thread starts without them, and each asyncio task sees the fields of
the context it was created in (tasks copy the context), never those of a
sibling task. Contexts nest; an inner field overrides an outer one of the
same name, and extra= on a call overrides both.
"""

import contextlib
import contextvars

from . import _fastlog
from ._details import check_fields

#: A tuple of (key, value) pairs, outermost first; empty outside any context.
_fields = contextvars.ContextVar("femtologging_log_context", default=())
_announced = False


def current_fields():
    """The (key, value) pairs in force for the current context."""
    return _fields.get()


@contextlib.contextmanager
def log_context(**fields):
    """Attach fields to every record logged in the with block.

    Values of type str, int, float, bool and None are kept typed; anything
    else is converted with str() now. Reserved LogRecord attribute names
    ("message", "levelname", ...) raise KeyError, as extra= does.
    """
    global _announced
    pairs = tuple(check_fields(fields, "log_context"))
    if not _announced:
        # Until the first context, log() does not even look the variable up.
        _fastlog.set_context_var(_fields)
        _announced = True
    token = _fields.set(_fields.get() + pairs)
    try:
        yield
    finally:
        _fields.reset(token)
