"""Property tests: random nested BBCode and random Markdown.

render() and render_plain() never raise, the HTML is always safe, and runtime grows
linearly: an input 10× longer never takes more than ~30× as long (ratios measured in the
same test, no absolute timings).
"""

from __future__ import annotations

import gc
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luntan.markup import render, render_plain
from luntan.markup.tests.safety import assert_safe_html

BBCODE_TAGS = [
    "b", "i", "u", "s", "color", "backcolor", "size", "font", "align", "indent", "p",
    "float", "free", "url", "email", "img", "attach", "media", "audio", "flash", "quote",
    "code", "list", "*", "table", "tr", "td", "hide", "hr", "x", "script",
]  # fmt: skip
NASTY = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)", "java\tscript:x", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "//evil.example", "/\\evil.example",
    '" onmouseover="alert(1)', "' onerror='alert(1)", "red;background:url(javascript:x)",
    "expression(alert(1))", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "http://ok.example/a?b=1&c=2", "forum.php?mod=viewthread&tid=1", "www.example.com",
    "#999999", "Red", "7", "12px", "宋体", "a@b.cn", "mailto:a@b.cn", "1,2", "50%",
    "2,1,30%", "s", "1", "center", "d30,5", "=", "]", "[", "",
]  # fmt: skip
TEXT = st.text(
    alphabet=st.sampled_from(list("ab 字\n\r\t<>&\"'[]=/:;()#\u3000\\*|")) | st.characters(),
    max_size=12,
)


def _wrap(tag: str, arg: str | None, kids: list[str], closed: bool) -> str:
    opening = f"[{tag}]" if arg is None else f"[{tag}={arg}]"
    return opening + "".join(kids) + (f"[/{tag}]" if closed else "")


LEAF = st.one_of(
    TEXT,
    st.sampled_from(NASTY),
    st.sampled_from(["[hr]", "[*]", "[/b]", "[/quote]", "[url=", "[img]", "[/url]", "[/*]"]),
)
BBCODE = st.recursive(
    LEAF,
    lambda kids: st.builds(
        _wrap,
        st.sampled_from(BBCODE_TAGS),
        st.none() | st.sampled_from(NASTY),
        st.lists(kids, max_size=4),
        st.booleans(),
    ),
    max_leaves=40,
)
MARKDOWN_PIECES = [
    "[x](", "](", ")", "![", "<", ">", "<script>", "<img src=x onerror=alert(1)>",
    "javascript:alert(1)", "JaVaScRiPt:", "java&#x09;script:", "&#106;avascript:", "data:",
    "vbscript:", "//evil.example", "\n", "\n\n", "> ", "# ", "* ", "1. ", "```", "    ",
    "|a|b|\n|-|-|\n|1|2|\n", "**", "_", "~~", "`", "[r]: javascript:x\n", "[r]",
    "<javascript:alert(1)>", "<http://ok.example>", '"', "'", "&", "\u3000", "字",
]  # fmt: skip
MARKDOWN = st.lists(st.sampled_from(MARKDOWN_PIECES) | TEXT, max_size=30).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BBCODE)
def test_random_bbcode_renders_safely_and_never_raises(source):
    assert_safe_html(render(source))
    assert isinstance(render_plain(source), str)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_random_markdown_renders_safely_and_never_raises(source):
    assert_safe_html(render(source, "markdown"))
    assert isinstance(render_plain(source, "markdown"), str)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_renders_in_both_formats(source):
    for fmt in ("bbcode", "markdown"):
        assert_safe_html(render(source, fmt))
        assert isinstance(render_plain(source, fmt), str)


def _best_time(source: str, fmt: str, repeat: int) -> float:
    # CPU time of this thread, not wall time: other processes on a busy CI machine take
    # the CPU away without changing how much work the renderer does.
    best = float("inf")
    for _ in range(repeat):
        start = time.thread_time()
        render(source, fmt)
        best = min(best, time.thread_time() - start)
    return best


def _scaling_ratio(small: str, large: str, fmt: str) -> float:
    gc.collect()
    gc.disable()
    try:
        small_time = _best_time(small, fmt, repeat=5)
        large_time = _best_time(large, fmt, repeat=3)
    finally:
        gc.enable()
    return large_time / max(small_time, 1e-6)


def _assert_linear(unit: str, fmt: str, base_chars: int = 5000) -> None:
    """Rendering ``unit`` repeated to 10× the length takes < 30× the time.

    Best of a few runs each with the garbage collector paused; a measurement is retried
    twice, so a burst of other load on the machine doesn't fail the test while a
    quadratic renderer (ratio ~100) still does."""
    copies = max(1, base_chars // max(1, len(unit)))
    small, large = unit * copies, unit * (copies * 10)
    render(small, fmt)  # warm caches
    ratios = []
    for _ in range(5):
        ratios.append(_scaling_ratio(small, large, fmt))
        if ratios[-1] < 30:
            return
    raise AssertionError(f"10× input took {min(ratios):.1f}× as long for {unit[:40]!r}")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BBCODE.filter(lambda s: len(s) >= 3))
def test_random_bbcode_runtime_grows_linearly(unit):
    _assert_linear(unit, "bbcode")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN.filter(lambda s: len(s) >= 3))
def test_random_markdown_runtime_grows_linearly(unit):
    _assert_linear(unit, "markdown", base_chars=1500)
