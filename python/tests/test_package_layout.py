"""The package reads like CPython's logging (issue 10, item 4): the core
at the top, the handlers in femtologging.handlers (as logging.handlers),
configuration in femtologging.config (as logging.config); every public
name is also importable from femtologging itself."""

import importlib

import pytest

import femtologging
import femtologging.config
import femtologging.handlers

GROUPS = {"femtologging.handlers": femtologging.handlers, "femtologging.config": femtologging.config}


def public_names_defined_in(package_name):
    """The names of femtologging.__all__ whose object a module of package_name defines."""
    return sorted(
        name for name in femtologging.__all__
        if (getattr(getattr(femtologging, name), "__module__", "") or "").startswith(package_name + ".")
    )


@pytest.mark.parametrize("package_name", sorted(GROUPS))
def test_each_group_exports_every_public_name_its_modules_define(package_name):
    package = GROUPS[package_name]
    defined = public_names_defined_in(package_name)
    assert defined, f"no public name of femtologging comes from {package_name}"
    assert [name for name in defined if name not in package.__all__] == []


@pytest.mark.parametrize("package_name", sorted(GROUPS))
def test_a_groups_names_are_the_objects_femtologging_exports(package_name):
    package = GROUPS[package_name]
    for name in package.__all__:
        value = getattr(package, name)
        if name in femtologging.__all__:
            assert getattr(femtologging, name) is value, name


def test_handlers_holds_every_handler_class_and_builder():
    handlers = set(femtologging.handlers.__all__)
    expected = {name for name in femtologging.__all__
                if name.startswith("Femto") and name.endswith("Handler")
                or name.endswith("HandlerBuilder")}
    expected -= {"FemtoHandler"}  # stdlib.FemtoHandler goes the other way (a logging.Handler)
    assert expected <= handlers
    assert {"OverflowPolicy", "HandlerOptions", "TimedHandlerOptions", "BackoffConfig",
            "RetryConfig"} <= handlers


def test_config_keeps_every_name_the_config_module_had():
    # femtologging.config was a module (ConfigBuilder and apply_document)
    # before it became a package: what it offered is still there.
    from femtologging.config import (DEFAULT_FLUSH_TIMEOUT_MS, DOCUMENT_VERSION,  # noqa: F401
                                     CallbackFilter, ConfigBuilder, ConfiguredHandler,
                                     FormatterBuilder, LoggerConfigBuilder, apply_document)

    for name in ("dictConfig", "fileConfig", "basicConfig", "BasicConfig", "ConfigBuilder"):
        assert getattr(femtologging.config, name) is getattr(femtologging, name)
    assert femtologging.config.apply_document is femtologging.config.builder.apply_document


@pytest.mark.parametrize("module", [
    "femtologging.handlers.stream", "femtologging.handlers.file", "femtologging.handlers.rotating",
    "femtologging.handlers.timed_rotating", "femtologging.handlers.socket_handler",
    "femtologging.handlers.syslog_handler", "femtologging.handlers.http_handler",
    "femtologging.handlers.otlp", "femtologging.handlers.policy",
    "femtologging.config.builder", "femtologging.config.basic_config",
    "femtologging.config.dict_config", "femtologging.config.file_config",
])
def test_each_module_lives_in_its_group(module):
    importlib.import_module(module)


@pytest.mark.parametrize("old", [
    "femtologging.stream", "femtologging.file", "femtologging.socket_handler",
    "femtologging.policy", "femtologging.dict_config", "femtologging._handler_base",
])
def test_no_flat_copy_is_left_behind(old):
    # One place per module: a stale copy at the top would be imported by
    # code that still uses the old path and silently diverge.
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(old)


def test_importing_the_groups_does_not_load_the_library(run_python):
    rc, out, err = run_python("""
        import sys
        import femtologging.config, femtologging.handlers
        print("femtologging._femtolog_cffi" in sys.modules)
    """)
    assert rc == 0, err
    assert out.strip() == "False"
