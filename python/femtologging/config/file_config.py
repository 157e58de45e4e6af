"""fileConfig: CPython-style INI files, parsed and translated in Go.

The Go side (gopkg.in/ini.v1, femtolog_ini_translate) turns the INI text
into the restricted dictConfig schema; dictConfig's translation and the one
configuration engine do the rest.
"""

import json
import os
from typing import Any, Mapping, Optional

from .. import _native, _utf8
from .builder import apply_document
from .dict_config import to_document

def fileConfig(fname: Any, defaults: Optional[Mapping[str, str]] = None,
               disable_existing_loggers: bool = True, encoding: Optional[str] = None) -> None:
    """Configure logging from an INI file in the format of logging.config.fileConfig.

    fname is a path or an open text file. defaults is a mapping added to
    [DEFAULT], so %(name)s works across the file and it. [formatters] and
    [formatter_*] sections (format, datefmt, style, read raw as stdlib
    does) and formatter= / level= in [handler_*] sections are honoured;
    the formats run natively. A bad item raises ValueError naming its
    section; a missing or unreadable file raises OSError naming it.
    Nothing changes on error.
    """
    text, name = _read(fname, encoding)
    if not isinstance(disable_existing_loggers, bool):
        raise TypeError("disable_existing_loggers must be a bool")
    translated = translate_ini(text, defaults, disable_existing_loggers, context=f"fileConfig {name!r}")
    try:
        document = to_document(translated)
    except ValueError as exc:
        raise type(exc)(f"fileConfig {name!r}: {exc}") from None
    apply_document(document, context=f"fileConfig {name!r}")


def _read(fname, encoding):
    if hasattr(fname, "read"):
        return fname.read(), getattr(fname, "name", "<file>")
    if not isinstance(fname, (str, bytes, os.PathLike)):
        raise TypeError(f"fileConfig: fname must be a path or a file, not {type(fname).__name__}")
    # open() raises FileNotFoundError/PermissionError naming the file.
    with open(fname, encoding=encoding or "utf-8") as f:
        return f.read(), os.fsdecode(fname)


def translate_ini(text, defaults=None, disable_existing_loggers=True, context="fileConfig") -> dict:
    """Translate INI text to the dictConfig schema (through Go), as a dict."""
    _native.load()
    _native.check_process()
    if defaults is None:
        defaults = {}
    if not hasattr(defaults, "items"):
        raise TypeError(f"defaults must be a mapping, not {type(defaults).__name__}")
    data = _utf8.encode(text)
    extra = json.dumps(_utf8.clean_document({str(k): str(v) for k, v in defaults.items()})).encode("utf-8")
    return json.loads(_native.ini_translate(data, extra, disable_existing_loggers, context))
