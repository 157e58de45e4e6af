"""What the installed package holds: its version, the built modules and
libfemtolog.so, no build leftovers, and a library that exports only the C
interface. (The source distribution and the C install are checked by
`make test-sdist` and `make test-install`.)"""

import importlib.metadata
import os
import re
import shutil
import subprocess

import pytest

import femtologging

PACKAGE_DIR = os.path.dirname(os.path.abspath(femtologging.__file__))


def test_version_is_the_installed_distributions():
    assert re.fullmatch(r"\d+\.\d+\.\d+", femtologging.__version__)
    assert importlib.metadata.version("femtologging") == femtologging.__version__


def test_installed_package_has_no_build_leftovers():
    files = set(os.listdir(PACKAGE_DIR))
    assert "libfemtolog.so" in files
    leftovers = {"_ffi_build.py", "_fastlog.c", "libfemtolog.h"} & files
    assert not leftovers, f"build leftovers installed in {PACKAGE_DIR}: {sorted(leftovers)}"
    assert not [f for f in files if f.endswith((".c", ".h"))]


@pytest.mark.skipif(shutil.which("nm") is None, reason="nm (binutils) is not installed")
def test_library_exports_only_the_c_interface():
    library = os.path.join(PACKAGE_DIR, "libfemtolog.so")
    out = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    names = [line.split()[-1] for line in out.splitlines() if line.strip()]
    assert "femtolog_logger_log" in names
    assert [n for n in names if not n.startswith("femtolog_")] == []
