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


def _formatter():
    spec = importlib.util.spec_from_file_location(
        "format_templates", ROOT / "tools" / "format_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _visible_text(html: str) -> str:
    """What a reader sees of ``html`` in normal flow, near enough: the text with runs of
    white space next to a block tag dropped (they make no line box)."""
    blocks = "div|table|thead|tbody|tr|td|th|ul|li|nav|section|header|footer|dl|dt|dd"
    html = re.sub(rf"\s*(</?(?:{blocks})\b[^>]*>)\s*", r"\1", html)
    return html


def test_the_template_formatter_breaks_only_between_block_tags():
    fmt = _formatter()
    inline = (frozenset({"logout"}), frozenset({"h3"}))
    source = (
        '<div class="bm"><h3>标题</h3><table><tr><td><a href="#">张三</a><em>李四</em></td>'
        "<td>{% if x %}<span>甲</span>{% endif %}</td></tr></table>"
        '<form class="logout"><button>退出</button></form>'
        "{% blocktranslate %}第 {{ n }} 页{% endblocktranslate %}</div>\n"
    )
    out = fmt.format_template(source, inline)
    assert "<table>\n    <tr>\n      <td>" in out  # block tags on their own lines
    assert '<a href="#">张三</a><em>李四</em>' in out  # inline neighbours stay joined
    assert "<h3>标题</h3>" in out and '<form class="logout"><button>' in out
    assert "{% blocktranslate %}第 {{ n }} 页{% endblocktranslate %}" in out
    assert _visible_text(out) == _visible_text(source)  # nothing a reader sees changed
    assert fmt.format_template(out, inline) == out  # a second run changes nothing


def test_every_template_is_laid_out_by_the_formatter():
    """``make lint`` runs ``tools/format_templates.py --check``; this says the same in the
    suite: run the formatter after editing a template."""
    fmt = _formatter()
    inline = fmt.inline_selectors(ROOT)
    unformatted = [
        str(p.relative_to(ROOT))
        for p in sorted(PACKAGE.glob("**/templates/**/*.html"))
        if fmt.format_template(p.read_text(encoding="utf-8"), inline)
        != p.read_text(encoding="utf-8")
    ]
    assert unformatted == [], "run: python tools/format_templates.py"
