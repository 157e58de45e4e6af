"""Only femtologging/_native.py touches cffi (issue 10, item 2).

Every other module reaches libfemtolog through _native's façade (one
function per entry point, raising the mapped exception), so that statuses
are mapped in one place and the fork guard and lazy loading cannot be
bypassed. This reads the package's source with ast: no other module may
import the cffi module or cffi, call _native.library(), or use a name or
attribute called ffi/lib or a femtolog_*/FEMTOLOG_* attribute (a library
function or constant; the header's constants are read from the generated
plain-Python _header module instead). _ffi_build.py is the build-time script that makes
the cffi module from the header, and is the one other file allowed.
"""

import ast
import os

import pytest

PACKAGE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "femtologging"))
ALLOWED = {"_native.py", "_ffi_build.py"}
FORBIDDEN_MODULES = {"cffi", "_femtolog_cffi"}
FORBIDDEN_NAMES = {"ffi", "lib"}


def from_header(node):
    """_header.FEMTOLOG_X: the header's constants, generated at build time
    as plain Python (no cffi), are for every module."""
    return isinstance(node, ast.Name) and node.id == "_header"


def violations(source, filename="mod.py"):
    """(line, what) for each use of cffi outside _native in source."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[-1] in FORBIDDEN_MODULES or alias.name.split(".")[0] == "cffi":
                    found.append((node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module.split(".")[-1] in FORBIDDEN_MODULES or module.split(".")[0] == "cffi" \
                    or names & FORBIDDEN_MODULES:
                found.append((node.lineno, f"from {'.' * node.level}{module} import {', '.join(sorted(names))}"))
            if module.split(".")[-1] == "_native" and names & {"library", "_lib", "_ffi"}:
                found.append((node.lineno, f"from {module} import {', '.join(sorted(names))}"))
        elif isinstance(node, ast.Attribute):
            if node.attr in {"library", "_lib", "_ffi"} and isinstance(node.value, ast.Name) \
                    and node.value.id == "_native":
                found.append((node.lineno, f"_native.{node.attr}"))
            elif node.attr in FORBIDDEN_NAMES or node.attr.startswith("femtolog_") or (
                    node.attr.startswith("FEMTOLOG_") and not from_header(node.value)):
                found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append((node.lineno, node.id))
    return found


def package_modules():
    """Every module of the package, its subpackages' too (handlers/, config/),
    as a path relative to the package directory."""
    found = []
    for directory, subdirs, files in os.walk(PACKAGE):
        subdirs[:] = [d for d in subdirs if d != "__pycache__"]
        for name in files:
            path = os.path.relpath(os.path.join(directory, name), PACKAGE)
            if name.endswith(".py") and path not in ALLOWED:
                found.append(path)
    return sorted(found)


def test_the_package_has_modules_to_check():
    modules = package_modules()
    assert "logger.py" in modules and len(modules) > 20
    assert {"handlers/_handler_base.py", "config/builder.py"} <= set(modules)


@pytest.mark.parametrize("name", package_modules())
def test_only_native_touches_cffi(name):
    with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
        found = violations(f.read(), name)
    assert found == [], f"{name} uses cffi directly (go through _native's façade): {found}"


@pytest.mark.parametrize("source", [
    "from . import _native\nffi, lib = _native.library()\n",
    "from . import _native\n_native.library()\n",
    "from ._native import library\n",
    "from . import _femtolog_cffi\n",
    "from ._femtolog_cffi import ffi\n",
    "import femtologging._femtolog_cffi\n",
    "import cffi\n",
    "from . import _native\n_native._lib.femtolog_manager_reset()\n",
    "def f(x):\n    return x.FEMTOLOG_RETRY\n",
])
def test_the_rule_catches_each_way_in(source):
    assert violations(source) != []


def test_the_rule_allows_the_facade():
    assert violations("from . import _native\n_native.load()\n_native.logger_set_level(1, 20)\n"
                      "rc = _native.RETRY\nfrom . import _header\nx = _header.FEMTOLOG_LEVEL_INFO\n") == []


def test_no_module_is_named_after_a_stdlib_module():
    # A module called socket.py or syslog.py shadows the standard library's
    # for anything run with the package directory on sys.path, and
    # confuses readers of "import socket" inside the package.
    import sys

    names = set()
    for path in package_modules() + sorted(ALLOWED):
        parts = path[:-3].split(os.sep)  # a subpackage's name counts too
        names.update(part for part in parts if part != "__init__")
    assert {"logger", "handlers", "socket_handler", "config", "dict_config"} <= names
    assert sorted(name for name in names if name in sys.stdlib_module_names) == []


# ---- the header is the single definition ---------------------------------------


def test_levels_statuses_and_versions_come_from_the_header():
    from femtologging import _fastlog, _header, _native, levels

    ffi, lib = _native.library()
    assert _header.FEMTOLOG_VERSION == _fastlog.HEADER_VERSION == lib.femtolog_version()
    for name in ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"):
        assert getattr(levels, name) == getattr(lib, "FEMTOLOG_LEVEL_" + name)
    for name in ("OK", "RETRY", "FILTERED", "NEED_CALLER"):
        assert getattr(_native, name) == getattr(lib, "FEMTOLOG_" + name)


@pytest.mark.parametrize("module, attribute, what", [
    ("_fastlog", "HEADER_VERSION", "_fastlog header"),
    ("_header", "FEMTOLOG_VERSION", "_header.py"),
])
def test_a_part_built_from_another_header_is_refused_at_load(run_python, module, attribute, what):
    rc, out, err = run_python(f"""
        import femtologging
        from femtologging import {module}
        {module}.{attribute} = -1
        try:
            femtologging.get_logger("first.use")
        except ImportError as exc:
            print(exc)
    """)
    assert rc == 0, err
    assert f"does not match the package's {what} version -1" in out
