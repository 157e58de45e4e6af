"""OverflowPolicy compares equal to its string form; every exception the
package raises is importable from the top level (issue 9, item 8)."""

import errno
import inspect

import pytest

import femtologging
from femtologging import (
    FemtoFileHandler,
    FemtologgingError,
    HandlerOptions,
    OverflowPolicy,
    errors,
)


@pytest.mark.parametrize(
    "policy, text",
    [
        (OverflowPolicy.drop(), "drop"),
        (OverflowPolicy.block(), "block"),
        (OverflowPolicy.timeout(250), "timeout:250"),
    ],
)
def test_policy_equals_its_string_form(policy, text):
    assert policy == text
    assert text == policy
    assert not policy != text
    assert hash(policy) == hash(text)
    assert {text: 1}[policy] == 1
    assert policy == OverflowPolicy.parse(text)


def test_handler_options_policy_equals_the_argument():
    assert HandlerOptions(policy="block").policy == "block"
    assert HandlerOptions(policy="timeout:10").policy == "timeout:10"
    assert HandlerOptions().policy == "drop"


def test_policy_differs_from_other_strings_and_types():
    assert OverflowPolicy.block() != "drop"
    assert OverflowPolicy.timeout(250) != "timeout:251"
    # Only the canonical form: parse() accepts "timeout:0250", but an equal
    # string must hash alike, so equality follows str(policy).
    assert OverflowPolicy.timeout(250) != "timeout:0250"
    assert OverflowPolicy.block() != "BLOCK"
    assert OverflowPolicy.block() != 1
    assert OverflowPolicy.block() != OverflowPolicy.drop()


def _exception_classes(module):
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == module.__name__
    }


def test_every_exception_class_is_exported_from_the_top_level():
    classes = _exception_classes(errors)
    assert {"InvalidArgumentError", "FemtoFileNotFoundError", "FemtoPermissionError",
            "FemtoTimeoutError", "InternalError"} <= set(classes)
    for name, cls in classes.items():
        assert getattr(femtologging, name) is cls, name
        assert name in femtologging.__all__, name
        assert issubclass(cls, FemtologgingError), name


@pytest.mark.parametrize(
    "code, name, builtin",
    [
        (errno.ENOENT, "FemtoFileNotFoundError", FileNotFoundError),
        (errno.EACCES, "FemtoPermissionError", PermissionError),
        (errno.EISDIR, "FemtoIsADirectoryError", IsADirectoryError),
        (errno.ETIMEDOUT, "FemtoTimeoutError", TimeoutError),
        (errno.ECONNREFUSED, "FemtoConnectionRefusedError", ConnectionRefusedError),
        (errno.ENOSPC, "FemtoOSError", OSError),
        (0, "FemtoOSError", OSError),
    ],
)
def test_os_errors_are_the_exported_classes(code, name, builtin):
    exc = errors.os_error(code, "boom")
    assert type(exc) is getattr(femtologging, name)
    assert isinstance(exc, builtin)
    assert isinstance(exc, FemtologgingError)


def test_a_missing_directory_raises_the_exported_class(tmp_path):
    with pytest.raises(femtologging.FemtoFileNotFoundError) as info:
        FemtoFileHandler(tmp_path / "missing" / "app.log")
    assert isinstance(info.value, FileNotFoundError)


def test_readme_lists_every_exception_class():
    import pathlib

    readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in _exception_classes(errors):
        assert f"`{name}`" in readme, name
