"""Argument checks shared by the builders, with messages that name the value."""

import os
from collections.abc import Mapping

from . import _native
from .errors import HandlerConfigError


def int_setting(value, what, setting):
    """Return value if it is an int that Go's rule for setting (a field of
    the configuration schema, see _native.check_value) accepts; TypeError
    for a non-int, HandlerConfigError naming value otherwise. what names
    the setting in messages."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    _native.check_value(setting, value, what)
    return value


def positive_int(value, what):
    """Return value if it is an int > 0 (Go's "positive" rule, see
    int_setting); TypeError or HandlerConfigError otherwise."""
    return int_setting(value, what, "positive")


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
    _native.load()
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


def config_object(value, config_type, method):
    """value as a config_type (BackoffConfig, RetryConfig): one, or a mapping
    made into one; TypeError naming the builder method otherwise."""
    if isinstance(value, Mapping):
        value = config_type(value)
    if not isinstance(value, config_type):
        raise TypeError(f"{method} takes a {config_type.__name__}, not {type(value).__name__}")
    return value


#: The keys of a retry schedule: the one retry policy of the HTTP-based
#: handlers (http and otlp specs alike).
RETRY_KEYS = ("base_ms", "cap_ms", "deadline_ms")


def retry_values(values, what):
    """Validate a retry mapping: keys of RETRY_KEYS, each an int > 0.

    Returns the values as a new dict; what names the argument in errors.
    """
    if not isinstance(values, Mapping):
        raise TypeError(f"{what} must be a mapping, not {type(values).__name__}")
    unknown = sorted(str(k) for k in values if k not in RETRY_KEYS)
    if unknown:
        raise HandlerConfigError(
            f"unknown {what} key(s) {', '.join(map(repr, unknown))}: want {', '.join(RETRY_KEYS)}"
        )
    return {key: positive_int(value, f"retry {key}") for key, value in values.items()}


def tls_options(domain, insecure, ca_file):
    """Validate with_tls() arguments; return the spec's "tls" object.

    domain is None (the host's name) or a non-empty str, insecure a bool,
    ca_file None or a non-empty path.
    """
    if domain is not None and not isinstance(domain, str):
        raise TypeError(f"domain must be a str or None, not {type(domain).__name__}")
    if domain == "":
        raise HandlerConfigError("TLS domain must not be empty, got '' (use None for the host)")
    if not isinstance(insecure, bool):
        raise TypeError(f"insecure must be a bool, not {type(insecure).__name__}")
    if ca_file is not None:
        ca_file = os.fsdecode(os.fspath(ca_file))
        if not ca_file:
            raise HandlerConfigError("TLS ca_file must not be empty, got ''")
    return {"domain": domain, "insecure": insecure, "ca_file": ca_file}
