"""Reports imported names that a Python module never uses.

    python scripts/check_imports.py PATH...   (files or directories)

Debian's linters are not installed by the project's bootstrap, and only
this one check is wanted, so it is written here with `ast`. A name counts
as used when the module reads it anywhere (including `a.b` for `import
a.b`), or lists it in `__all__`. A package's `__init__.py` re-exports what
it imports, so it is skipped; an import kept on purpose for its side
effect (a pytest fixture, say) carries a `# noqa: F401` comment saying why.
Exits 1 and prints file:line: name for each unused import.
"""

import ast
import os
import sys


def python_files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for directory, subdirs, files in os.walk(path):
            subdirs[:] = sorted(d for d in subdirs if d not in ("__pycache__", ".venv", "build"))
            yield from (os.path.join(directory, f) for f in sorted(files) if f.endswith(".py"))


def unused_imports(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    tree = ast.parse(source, filename=path)
    lines = source.splitlines()
    imported = {}  # bound name -> line
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if "noqa" in lines[node.lineno - 1] or (
                isinstance(node, ast.ImportFrom) and node.module == "__future__"
            ):
                continue
            for alias in node.names:
                if alias.name == "*":
                    continue
                name = alias.asname or alias.name.split(".")[0]
                imported.setdefault(name, node.lineno)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    for node in ast.walk(tree):  # names exported through __all__
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            used.update(
                e.value for e in getattr(node.value, "elts", []) if isinstance(e, ast.Constant)
            )
    return sorted((line, name) for name, line in imported.items() if name not in used)


def main(paths):
    found = 0
    for path in python_files(paths):
        if os.path.basename(path) == "__init__.py":
            continue
        for line, name in unused_imports(path):
            print(f"{path}:{line}: {name!r} imported but unused")
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["."]))
