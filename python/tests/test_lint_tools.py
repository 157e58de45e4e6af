"""The repository's own lint checks (scripts/check_imports.py,
scripts/check_header.py, run by `make lint`) catch what they promise, so
that a clean `make lint` means something."""

import importlib.util
import os
import textwrap

import pytest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(SCRIPTS, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_imports = load("check_imports")
check_header = load("check_header")


def unused(tmp_path, source, name="mod.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return sorted(n for _, n in check_imports.unused_imports(str(path)))


def test_check_imports_reports_unused_and_keeps_used(tmp_path):
    assert unused(tmp_path, """
        import os
        import sys, json
        import logging.handlers
        from collections import OrderedDict as OD, deque
        print(sys.argv, logging.handlers, deque)
    """) == ["OD", "json", "os"]


def test_check_imports_honours_all_and_noqa(tmp_path):
    assert unused(tmp_path, """
        from __future__ import annotations
        from os import path
        from fixtures import fresh  # noqa: F401 (autouse fixture)
        __all__ = ["path"]
    """) == []


def test_check_imports_main_fails_on_a_finding_and_skips_init(tmp_path, capsys):
    (tmp_path / "__init__.py").write_text("import os\n")
    assert check_imports.main([str(tmp_path)]) == 0
    (tmp_path / "bad.py").write_text("import os\n")
    assert check_imports.main([str(tmp_path)]) == 1
    assert "bad.py:1: 'os' imported but unused" in capsys.readouterr().out


HEADER_OK = """
/* Does a thing. Statuses: OK, ERR_HANDLE. */
int femtolog_thing(femtolog_logger_t logger, FEMTOLOG_IN char *name, size_t name_len);

/* Two steps of one thing. Statuses of both: OK. */
int femtolog_a_begin(femtolog_ticket_t *out_ticket, femtolog_handler_t handler);
int femtolog_a_end(femtolog_ticket_t ticket);

/* Returns the version. Never fails. */
int femtolog_version(void);

/* Fills a buffer the caller owns. Statuses: OK. */
int femtolog_fill(char *out, size_t out_cap, FEMTOLOG_IN char *spec, size_t spec_len);
"""


def test_check_header_accepts_the_real_header_and_a_good_one():
    with open(os.path.join(SCRIPTS, "..", "include", "femtolog.h"), encoding="utf-8") as f:
        assert check_header.problems(f.read()) == []
    assert check_header.problems(HEADER_OK) == []


@pytest.mark.parametrize("declaration, problem", [
    ("/* Does a thing. */\nint femtolog_x(int a);", "does not list the statuses"),
    ("/* Statuses: OK. */\nint femtolog_x(char *name, size_t n);", "FEMTOLOG_IN char *"),
    ("/* Statuses: OK. */\nint femtolog_x(const char *name, size_t n);", "FEMTOLOG_IN char *"),
    ("/* Statuses: OK. */\nint femtolog_x(uint64_t handler);", "femtolog_handler_t"),
    ("/* Statuses: OK. */\nint femtolog_x(uint64_t *out_logger);", "femtolog_logger_t"),
])
def test_check_header_reports_each_broken_promise(declaration, problem):
    found = check_header.problems(declaration)
    assert len(found) == 1 and problem in found[0], found
