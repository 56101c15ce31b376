"""Pathological inputs render in time linear in their size (ratios, not absolute times)."""

import pytest

from luntan.markup.tests.test_properties import _assert_linear


@pytest.mark.parametrize(
    "unit",
    [
        "[b]",  # deep nesting, never closed
        "[quote]",
        "[/quote]",
        "[url=",  # argument never closed
        "[url=[url=[url=",
        "[code]",  # raw tag never closed: the close search must not restart each time
        "[img]",
        "[list][*]",
        "[b][i][quote]x[/b]",  # mismatched closes
        "[table][tr][td]",
        "[quote][size=2][url=/p/1/][color=#999999]甲 发表于 今天[/color][/url][/size]\n",
        "字 <>&\n",
        # html5ever serialises long runs of these in quadratic time; the sanitiser
        # keeps text out of nh3 so they stay linear
        "a&",
        "·",
        "a\u00a0",
        "  ",
    ],
)
def test_pathological_bbcode_renders_in_linear_time(unit):
    _assert_linear(unit, "bbcode")


@pytest.mark.parametrize("unit", ["[", "*a", "> ", "![", "<", "`", "[x](", "|a"])
def test_pathological_markdown_renders_in_linear_time(unit):
    _assert_linear(unit, "markdown", base_chars=1500)  # markdown-it-py is ~10× slower
