"""The bundled libfemtolog.so cannot be substituted (issue 9, item 3).

A copy of the library on LD_LIBRARY_PATH or in the working directory must
never be mapped: the package loads the one installed beside it, by
absolute path, for both the cffi extension and the C accelerator.
"""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import femtologging
from femtologging import _native

BUNDLED = os.path.join(os.path.dirname(os.path.abspath(femtologging.__file__)), "libfemtolog.so")

CHILD = textwrap.dedent(
    """
    import os
    import femtologging

    logger = femtologging.get_logger("loading.check")
    assert logger.log("INFO", "hello") == "loading.check [INFO] hello"   # the C accelerator
    assert logger.get_effective_level() == "INFO"                        # cffi
    mapped = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) == 6 and "libfemtolog" in fields[5]:
                mapped.add(fields[5].strip())
    for path in sorted(mapped):
        print("MAPPED", path)
    print("BUNDLED", os.path.join(os.path.dirname(femtologging.__file__), "libfemtolog.so"))
    """
)


def _run(cwd, ld_library_path):
    env = dict(os.environ, LD_LIBRARY_PATH=ld_library_path)
    env.pop("LD_PRELOAD", None)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    mapped = {line[7:] for line in proc.stdout.splitlines() if line.startswith("MAPPED ")}
    bundled = next(line[8:] for line in proc.stdout.splitlines() if line.startswith("BUNDLED "))
    return mapped, bundled


def _decoy(directory):
    directory.mkdir()
    # A working copy: were it loaded, everything would seem fine.
    shutil.copy(BUNDLED, directory / "libfemtolog.so")
    return directory


def _same_file(a, b):
    return os.path.realpath(a) == os.path.realpath(b)


def test_decoy_on_ld_library_path_is_never_mapped(tmp_path):
    decoy = _decoy(tmp_path / "ld")
    work = tmp_path / "work"
    work.mkdir()
    mapped, bundled = _run(work, str(decoy))
    assert mapped, "libfemtolog was not mapped at all"
    assert all(_same_file(path, bundled) for path in mapped), mapped
    assert not any(str(decoy) in path for path in mapped)


@pytest.mark.parametrize("ld_library_path", [".", ":"], ids=["dot", "empty-entry"])
def test_decoy_in_the_working_directory_is_never_mapped(tmp_path, ld_library_path):
    work = _decoy(tmp_path / "work")
    mapped, bundled = _run(work, ld_library_path)
    assert mapped
    assert all(_same_file(path, bundled) for path in mapped), mapped
    assert not any(str(work) in path for path in mapped)


def test_bundled_library_sits_beside_the_package():
    assert os.path.isabs(_native.LIBRARY_PATH)
    assert _same_file(_native.LIBRARY_PATH, BUNDLED)
