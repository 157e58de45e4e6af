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
    """Validate a with_formatter() argument: "default" or a callable."""
    if isinstance(formatter, str):
        if formatter != "default":
            raise HandlerConfigError(
                f"unknown {what} id {formatter!r}: only \"default\" or a callable is supported"
            )
        return formatter
    if callable(formatter):
        return formatter
    raise TypeError(f"{what} must be \"default\" or a callable, not {type(formatter).__name__}")


def formatter_json(formatter):
    """The spec value for a validated formatter, registering a callable with Go."""
    if formatter is None or formatter == "default":
        return "default"
    from . import _native

    ffi, lib = _native.library()
    _, user_data = _native.register_callable(formatter, True)
    handle = _native.out_u64(
        lib.femtolog_formatter_create_callback, _native.format_callback(), user_data
    )
    return {"callback": handle}
