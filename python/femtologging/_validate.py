"""Argument checks shared by the builders, with messages that name the value."""

from .errors import HandlerConfigError


def positive_int(value, what):
    """Return value if it is an int > 0; TypeError or HandlerConfigError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if value <= 0:
        raise HandlerConfigError(f"{what} must be greater than zero, got {value}")
    return value


def formatter_spec(formatter, what="formatter"):
    """Validate a with_formatter() argument: "default", "json", a
    femtologging.Formatter or JSONFormatter, or a callable."""
    from .formatter import Formatter, JSONFormatter

    if isinstance(formatter, str):
        # Other ids name a ConfigBuilder formatter; a handler built on its
        # own with one fails in Go, naming the id.
        if not formatter.isidentifier() or formatter == "DEFAULT":
            raise HandlerConfigError(
                f"unknown {what} id {formatter!r}: want \"default\", \"json\", the id of a "
                "ConfigBuilder formatter, a femtologging.Formatter or a callable"
            )
        return formatter
    if isinstance(formatter, (Formatter, JSONFormatter)) or callable(formatter):
        return formatter
    raise TypeError(
        f"{what} must be \"default\", \"json\", a femtologging.Formatter or a callable, "
        f"not {type(formatter).__name__}"
    )


def formatter_json(formatter):
    """The spec value for a validated formatter, registering a callable with Go.

    A callable that sets wants_caller_info = True gets the caller fields.
    """
    from .formatter import Formatter, JSONFormatter

    if formatter is None or formatter == "default":
        return "default"
    if isinstance(formatter, str):
        return formatter  # "json" or a ConfigBuilder formatter id
    if isinstance(formatter, (Formatter, JSONFormatter)):
        return formatter._spec()
    from . import _native

    _native.library()
    wants_caller = bool(getattr(formatter, "wants_caller_info", False))
    return {"callback": _native.create_callback_formatter(formatter, wants_caller)}


def add_level(spec, level):
    """spec with the handler level set, when there is one."""
    if level is not None:
        spec["level"] = level
    return spec


def level_spec(level, what="level"):
    """A handler level for a spec: the canonical name (NOTSET: every record)."""
    from .levels import CANONICAL_NAMES, parse_level

    if isinstance(level, str) and level.upper() == "NOTSET" or level == 0:
        return "NOTSET"
    return CANONICAL_NAMES[parse_level(level)]
