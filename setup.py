"""Build: compile the Go core into libfemtolog.so, then the cffi extension
that links against it. Both land inside the femtologging package, so an
installed package works from any directory with nothing else on the system.
"""

import os
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))
LIBRARY = "libfemtolog.so"
# Modules of the package directory that only the build runs: not shipped.
BUILD_ONLY_MODULES = {"_ffi_build"}


class BuildGoThenExtension(build_ext):
    """Build libfemtolog.so (scripts/build-lib.sh) before the extensions."""

    def run(self):
        package_dir = os.path.join(os.path.abspath(self.build_lib), "femtologging")
        target = os.path.join(package_dir, LIBRARY)
        # No SONAME: the extensions find this private copy by its file name.
        try:
            subprocess.check_call(["bash", os.path.join(ROOT, "scripts", "build-lib.sh"), target])
        except subprocess.CalledProcessError as e:
            raise RuntimeError(
                f"error: building {LIBRARY} failed (scripts/build-lib.sh exited with "
                f"{e.returncode}); the Go toolchain's messages are above"
            ) from None
        for ext in self.extensions:
            ext.library_dirs.append(package_dir)
        if self.inplace:  # `setup.py build_ext --inplace`: next to the sources
            shutil.copy2(target, os.path.join(ROOT, "python", "femtologging", LIBRARY))
        super().run()


class BuildPyWithoutBuildScripts(build_py):
    """Leave the build-only modules (the cffi build script) out of the wheel."""

    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if m[1] not in BUILD_ONLY_MODULES]


# FemtoLogger.log's hot path in C (see _fastlog.c for why). It does not
# link libfemtolog: the library's log function is handed to it at load time.
FASTLOG = Extension(
    "femtologging._fastlog",
    sources=["python/femtologging/_fastlog.c"],
    include_dirs=["include"],
    extra_compile_args=["-O2"],
)

setup(
    ext_modules=[FASTLOG],
    cffi_modules=["python/femtologging/_ffi_build.py:ffibuilder"],
    cmdclass={"build_ext": BuildGoThenExtension, "build_py": BuildPyWithoutBuildScripts},
    zip_safe=False,
)
