"""Fail when a view or a form writes to the database itself (``make lint``).

luntan's rule (DESIGN.md, "Layers"): every write goes through one service function per use
case; views and forms parse input, check permissions, call a service and render. This check
reads every ``views.py``, ``views_*.py``, ``views/*.py``, ``forms.py`` and ``api`` endpoint
module under ``luntan/`` (tests and migrations excluded) and reports each call that writes
through the ORM:

* ``<anything>.save(...)`` (a model instance or a ModelForm),
* ``<queryset or manager>.create/update/delete/bulk_create/bulk_update/get_or_create/
  update_or_create(...)`` where the receiver goes through ``.objects`` or a queryset method
  (``filter``, ``exclude``, ``all``, ``select_related`` …),
* ``<instance>.delete()`` on anything but the cache and the session.

Usage: ``python tools/check_orm_writes.py [ROOT]`` (default ``luntan``). Prints one line per
write (``path:line: call``) and exits 1 when there is any, 0 otherwise.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

WRITE_METHODS = {
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
QUERYSET_METHODS = {
    "objects",
    "filter",
    "exclude",
    "all",
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "annotate",
    "order_by",
    "using",
    "select_for_update",
}
NOT_ORM = {"cache", "session", "caches", "storage"}


def _chain(node: ast.AST) -> list[str]:
    """Names along an attribute/call chain, outermost last: ``a.b().c`` → [a, b, c]."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            break
        else:
            break
    return list(reversed(names))


def writes_in(source: str) -> list[tuple[int, str]]:
    """Return ``(line, call text)`` for every ORM write call in ``source`` (Python code)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        receiver = _chain(node.func.value)
        if any(name in NOT_ORM for name in receiver):
            continue
        through_queryset = any(name in QUERYSET_METHODS for name in receiver)
        if method == "save" or (method == "delete" and not node.args and not node.keywords):
            found.append((node.lineno, ast.unparse(node)))
        elif method in WRITE_METHODS and through_queryset:
            found.append((node.lineno, ast.unparse(node)))
    return found


def checked_files(root: Path) -> list[Path]:
    """The view, form and API endpoint modules under ``root`` (no tests, no migrations)."""
    files = []
    for path in sorted(root.rglob("*.py")):
        parts = set(path.parts)
        if "tests" in parts or "migrations" in parts:
            continue
        name = path.name
        if (
            name in {"views.py", "forms.py"}
            or name.startswith(("views_", "forms_"))
            or "views" in parts
            or "forms" in parts
            or ("api" in parts and name not in {"__init__.py", "apps.py"})
        ):
            files.append(path)
    return files


def main(argv: list[str]) -> int:
    """Print every ORM write of a view or form under ``argv[0]``; 1 if any, else 0."""
    root = Path(argv[0] if argv else "luntan")
    bad = 0
    for path in checked_files(root):
        for line, call in writes_in(path.read_text(encoding="utf-8")):
            print(f"{path}:{line}: {call}  (writes in a view/form: call a service)")
            bad += 1
    if bad:
        print(f"{bad} ORM write(s) in views/forms; move them into the app's services.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
