"""Checks the promises of include/femtolog.h that a compiler cannot:

- every function's comment states what it returns ("Statuses:", or
  "Never fails", or "Returns ..." for the few that return no status); a
  declaration right after another shares that one's comment;
- every string the library only reads is `FEMTOLOG_IN char *` (const for
  callers), never a bare `char *` (a buffer it writes is named out or out_*);
- handles are passed with their kind's typedef, never as bare uint64_t
  (a thread_id is the caller's own number, not a handle).

    python scripts/check_header.py [include/femtolog.h]
"""

import re
import sys

HANDLE_KINDS = ("logger", "handler", "formatter", "thread", "ticket")


def problems(text):
    found = []
    # Each declaration with the comment block just above it (if any).
    decl = re.compile(r"(/\*(?:(?!\*/).)*\*/\s*)?((?:int|const char \*)\s*(femtolog_\w+)\(([^;]*)\);)", re.S)
    last_comment = ""
    last_end = -1
    for match in decl.finditer(text):
        comment, _, name, params = match.groups()
        if comment is None and match.start() - last_end <= 1:
            comment = last_comment  # grouped with the declaration above
        comment = comment or ""
        if not re.search(r"Statuses|Never fails|Returns", comment):
            found.append(f"{name}: its comment does not list the statuses it returns")
        for param in (p.strip() for p in params.split(",")):
            # A buffer the library writes is named out or out_*.
            if re.match(r"(?:const\s+)?char\s*\*", param) and not re.match(r"char\s*\*\s*out(?:_\w+)?$", param):
                found.append(f"{name}: parameter {param!r}: read-only strings are FEMTOLOG_IN char *")
            kind = re.match(r"uint64_t\s*\*?\s*(?:out_)?(\w+)$", param)
            if kind and kind.group(1) in HANDLE_KINDS:
                found.append(f"{name}: parameter {param!r}: use femtolog_{kind.group(1)}_t")
        last_comment, last_end = comment, match.end()
    return found


def main(path):
    with open(path, encoding="utf-8") as f:
        found = problems(f.read())
    for problem in found:
        print(f"{path}: {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "include/femtolog.h"))
