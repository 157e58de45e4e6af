"""What a rich log call adds to a record, computed on the caller's thread.

The exception and stack text are rendered here exactly as stdlib's
Formatter would render them (traceback.format_exception, print_stack),
because the objects they describe may change or vanish once log() returns.
Caller information is found the way stdlib's Logger.findCaller finds it,
skipping femtologging's own frames.
"""

import os
import sys
import traceback

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

#: LogRecord attributes that extra= must not overwrite (stdlib raises
#: KeyError for them), plus "message" and "asctime", as stdlib's makeRecord.
RESERVED = frozenset({
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module",
    "exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs",
    "relativeCreated", "thread", "threadName", "processName", "process", "taskName",
    "message", "asctime",
})

_KEPT_TYPES = (str, int, float, bool, type(None))


def exc_text(exc_info):
    """The text stdlib's Formatter.formatException gives for exc_info.

    exc_info is True (the exception being handled), an exception instance,
    or a (type, value, traceback) tuple; stdlib's rules.
    """
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    elif not isinstance(exc_info, tuple):
        exc_info = sys.exc_info()
    text = "".join(traceback.format_exception(*exc_info))
    return text[:-1] if text.endswith("\n") else text


def _internal(frame):
    filename = frame.f_code.co_filename
    if filename.startswith(_PACKAGE_DIR) or ("importlib" in filename and "_bootstrap" in filename):
        return True
    # stdlib logging's own frames, as its findCaller skips them: records
    # from the stdlib bridge (femtologging.stdlib) come through them.
    logging = sys.modules.get("logging")
    return logging is not None and filename == getattr(logging, "__file__", None)


def find_caller(stack_info=False, stacklevel=1):
    """(pathname, filename, module, lineno, funcName), stack text or None.

    As stdlib's findCaller: the stacklevel-th frame outside femtologging;
    with stack_info, "Stack (most recent call last):" and that frame's stack.
    """
    frame = sys._getframe(0)
    while stacklevel > 0:
        following = frame.f_back
        if following is None:
            break
        frame = following
        if not _internal(frame):
            stacklevel -= 1
    code = frame.f_code
    pathname = code.co_filename
    filename = os.path.basename(pathname)
    module = os.path.splitext(filename)[0]
    stack = None
    if stack_info:
        stack = "Stack (most recent call last):\n" + "".join(traceback.format_stack(frame))
        if stack.endswith("\n"):
            stack = stack[:-1]
    return (pathname, filename, module, frame.f_lineno, code.co_name), stack


def _plain(value):
    """value if its exact type is kept typed, else str(value), made now on the
    caller's thread (the object may change once log() returns)."""
    if type(value) in _KEPT_TYPES:
        return value
    try:
        return str(value)
    except Exception as exc:  # never an exception out of log() for a bad __str__
        return f"<unprintable {type(value).__name__}: {exc!r}>"


def check_fields(fields, what):
    """Validate key-value fields (extra= or log_context); return (key, value) pairs.

    Keys must be str and must not be reserved LogRecord attributes
    (KeyError, as stdlib raises for extra).
    """
    pairs = []
    for key, value in fields.items():
        if not isinstance(key, str):
            raise TypeError(f"{what} keys must be str, not {type(key).__name__} ({key!r})")
        if key in RESERVED:
            raise KeyError(f"Attempt to overwrite {key!r} in LogRecord")
        pairs.append((key, _plain(value)))
    return pairs
