"""Build: compile the Go core into libfemtolog.so, then the cffi extension
that links against it. Both land inside the femtologging package, so an
installed package works from any directory with nothing else on the system.
"""

import os
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))
LIBRARY = "libfemtolog.so"


def go_command():
    go = shutil.which("go") or "/usr/local/go/bin/go"
    if not os.path.exists(go):
        raise RuntimeError("the Go toolchain is needed to build femtologging (go not found)")
    return go


class BuildGoThenExtension(build_ext):
    """Run `go build -buildmode=c-shared` before compiling the extension."""

    def run(self):
        package_dir = os.path.join(os.path.abspath(self.build_lib), "femtologging")
        os.makedirs(package_dir, exist_ok=True)
        target = os.path.join(package_dir, LIBRARY)
        subprocess.check_call(
            [go_command(), "build", "-buildmode=c-shared", "-trimpath", "-o", target, "./capi"],
            cwd=ROOT,
        )
        for ext in self.extensions:
            ext.library_dirs.append(package_dir)
        if self.inplace:  # `setup.py build_ext --inplace`: next to the sources
            shutil.copy2(target, os.path.join(ROOT, "python", "femtologging", LIBRARY))
        super().run()


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
    cmdclass={"build_ext": BuildGoThenExtension},
    zip_safe=False,
)
