"""femtologging.config: configuring loggers and handlers in one step, as
``logging.config`` does for the standard library.

builder holds ConfigBuilder and its parts and apply_document, the one
path every configuration takes (a JSON document applied by the Go engine
all or nothing, docs/config-schema.md); dict_config, file_config and
basic_config translate dictConfig's dict, fileConfig's INI file and
basicConfig's arguments into that document. The public names are also
importable from ``femtologging``.
"""

from .basic_config import BasicConfig, basicConfig
from .builder import (DEFAULT_FLUSH_TIMEOUT_MS, DOCUMENT_VERSION, CallbackFilter, ConfigBuilder,
                      ConfiguredHandler, FormatterBuilder, LoggerConfigBuilder, apply_document)
from .dict_config import dictConfig
from .file_config import fileConfig

__all__ = [
    "DEFAULT_FLUSH_TIMEOUT_MS",
    "DOCUMENT_VERSION",
    "BasicConfig",
    "CallbackFilter",
    "ConfigBuilder",
    "ConfiguredHandler",
    "FormatterBuilder",
    "LoggerConfigBuilder",
    "apply_document",
    "basicConfig",
    "dictConfig",
    "fileConfig",
]
