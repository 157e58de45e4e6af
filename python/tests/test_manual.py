"""Keeps docs/manual.md honest.

- Every public name of the package (femtologging.__all__, the exception
  classes of femtologging.errors), every public attribute of the exported
  classes and every parameter of the public functions and methods is
  mentioned in the manual: a name added to the API without a word in the
  manual fails here.
- Every Python code block in the manual is marked, on the line before
  its fence, either `<!-- test: run -->` (run here, each in a fresh
  interpreter inside an empty temporary directory; it must exit with
  status 0) or `<!-- test: no-run: <reason> -->`. A `text` block marked
  `<!-- test: stdout -->` right after a run block is the exact standard
  output that block must print.
"""

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import WAIT_S, _child_env

import femtologging
from femtologging import errors

DOCS = Path(__file__).resolve().parents[2] / "docs"
MANUAL = DOCS / "manual.md"

_FENCE = re.compile(r"^```(\w*)")
_MARK = re.compile(r"^<!-- test: (run|stdout|no-run:[^>]*) -->$")

# Parameters every reader knows without a word in the manual.
_SELF = {"self", "cls"}


def _blocks(path):
    """(line number, language, marker or None, text) for every fenced block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        start = i
        mark = _MARK.match(lines[i - 1].strip()) if i > 0 else None
        body = []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise AssertionError(f"{path.name}:{start + 1}: code block is never closed")
        blocks.append((start + 1, fence.group(1), mark.group(1) if mark else None,
                       "\n".join(body) + "\n"))
        i += 1
    return blocks


def _runnable(path):
    """(line, code, expected stdout or None) for each block marked run."""
    blocks = _blocks(path)
    out = []
    for k, (line, lang, mark, text) in enumerate(blocks):
        if mark != "run":
            continue
        assert lang == "python", f"{path.name}:{line}: only python blocks can be marked run"
        expected = None
        if k + 1 < len(blocks) and blocks[k + 1][2] == "stdout":
            expected = blocks[k + 1][3]
        out.append((line, text, expected))
    return out


def _manual_text():
    return MANUAL.read_text(encoding="utf-8")


def _mentioned(word, text):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", text) is not None


def _public_classes():
    """The classes a user can reach: exported ones and the exception classes."""
    classes = {}
    for name in femtologging.__all__:
        value = getattr(femtologging, name)
        if inspect.isclass(value):
            classes[name] = value
    for name, value in vars(errors).items():
        if inspect.isclass(value) and issubclass(value, errors.FemtologgingError):
            classes[name] = value
    return classes


def _own_members(cls):
    """Public attributes cls has from femtologging's own classes (not object's)."""
    members = {}
    for base in cls.__mro__:
        if not base.__module__.startswith("femtologging"):
            continue
        for name, value in vars(base).items():
            if not name.startswith("_"):
                members.setdefault(name, value)
    return members


def _parameters(fn):
    """Names of fn's parameters a caller writes (not self, *args, private ones)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return []  # C methods without a signature (LoggerCore.log)
    return [
        p.name for p in signature.parameters.values()
        if p.name not in _SELF and not p.name.startswith("_")
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _api_words():
    """(what, word) for every name the manual must mention."""
    words = [(f"femtologging.{name}", name) for name in femtologging.__all__]
    for cls_name, cls in _public_classes().items():
        words.append((f"femtologging.errors.{cls_name}", cls_name))
        for name, value in _own_members(cls).items():
            words.append((f"{cls_name}.{name}", name))
            target = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
            if inspect.isfunction(target):
                words += [(f"{cls_name}.{name}({p})", p) for p in _parameters(target)]
        init = cls.__dict__.get("__init__")
        if init is not None and inspect.isfunction(init):
            words += [(f"{cls_name}({p})", p) for p in _parameters(init)]
    for name in femtologging.__all__:
        value = getattr(femtologging, name)
        if inspect.isfunction(value):
            words += [(f"{name}({p})", p) for p in _parameters(value)]
    return words


def test_manual_mentions_every_public_name():
    text = _manual_text()
    missing = sorted({what for what, word in _api_words() if not _mentioned(word, text)})
    assert not missing, f"docs/manual.md does not mention: {', '.join(missing)}"


def test_manual_covers_the_exception_classes_os_errors_included():
    text = _manual_text()
    for cls_name in _public_classes():
        if issubclass(getattr(errors, cls_name, object), errors.FemtologgingError):
            assert _mentioned(cls_name, text), cls_name
    # Created on demand by errors.os_error, so not found by the scan above.
    err = errors.os_error(2, "x")
    assert _mentioned(type(err).__name__, text)


def test_every_python_block_is_marked():
    unmarked = [
        f"{path.name}:{line}"
        for path in [MANUAL]
        for line, lang, mark, _ in _blocks(path)
        if lang == "python" and (mark is None or mark == "stdout")
    ]
    assert not unmarked, (
        "python blocks without <!-- test: run --> or <!-- test: no-run: reason --> "
        f"on the line before the fence: {unmarked}"
    )


def test_stdout_blocks_follow_a_run_block():
    blocks = _blocks(MANUAL)
    for k, (line, lang, mark, _) in enumerate(blocks):
        if mark == "stdout":
            assert k > 0 and blocks[k - 1][2] == "run", f"manual.md:{line}: stdout block without a run block before it"


def test_the_manual_has_runnable_examples():
    # Guards the parser: a marker format change must not turn every check off.
    assert len(_runnable(MANUAL)) >= 10


def _cases():
    for path in sorted(DOCS.glob("*.md")):
        for line, code, expected in _runnable(path):
            yield pytest.param(code, expected, id=f"{path.name}:{line}")


def _run_in_empty_dir(tmp_path, code, timeout):
    """Run code in a fresh interpreter whose working directory is empty
    (the script lives beside it); return (rc, stdout, stderr)."""
    script = tmp_path / "block.py"
    script.write_text(code, encoding="utf-8")
    workdir = tmp_path / "work"
    workdir.mkdir()
    proc = subprocess.Popen([sys.executable, str(script)], cwd=str(workdir), env=_child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=WAIT_S)
        raise AssertionError(f"block still running after {timeout}s; stderr={err.decode()[-4000:]!r}") from None
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


@pytest.mark.parametrize("code,expected", list(_cases()))
def test_runnable_block(tmp_path, code, expected):
    rc, out, err = _run_in_empty_dir(tmp_path, code, timeout=60.0)
    assert rc == 0, f"exit status {rc}\nstdout:\n{out}\nstderr:\n{err}"
    if expected is not None:
        assert out == expected, f"stdout differs\nstderr:\n{err}"
