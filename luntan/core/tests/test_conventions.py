"""The project's conventions, checked over the source tree: views and forms write nothing
themselves (``tools/check_orm_writes.py``, run by ``make lint`` too) and links are built
from URL names, never path literals."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "luntan"


def _checker():
    spec = importlib.util.spec_from_file_location(
        "check_orm_writes", ROOT / "tools" / "check_orm_writes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_write_checker_finds_orm_writes_and_ignores_the_rest():
    found = _checker().writes_in(
        "def view(request):\n"
        "    Post.objects.filter(pk=1).update(views=2)\n"
        "    form.save()\n"
        "    Word.objects.create(find='x')\n"
        "    post.delete()\n"
        "    request.session.update({'a': 1})\n"
        "    cache.delete('k')\n"
        "    widget.attrs.update({'a': 1})\n"
        "    initial.update(subject='s')\n"
    )
    assert [line for line, _call in found] == [2, 3, 4, 5]


def test_no_view_or_form_writes_to_the_database():
    checker = _checker()
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in checker.checked_files(PACKAGE)
        for line, call in checker.writes_in(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


_TEMPLATE_PATH = re.compile(r'(?:href|action|src|hx-(?:get|post))="/(?!static/)')


def test_templates_link_through_url_names():
    offenders = []
    for path in PACKAGE.rglob("*.html"):
        if "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _TEMPLATE_PATH.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
