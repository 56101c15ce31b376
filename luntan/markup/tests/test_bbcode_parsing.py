"""How the parser treats unknown, unbalanced and deeply nested tags."""

import pytest

from luntan.markup import render
from luntan.markup.bbcode import MAX_DEPTH


def test_unknown_tag_stays_text():
    assert render("[foo]bar[/foo] [b=1]x[/b]") == "[foo]bar[/foo] [b=1]x[/b]"


def test_text_is_html_escaped():
    assert render("<b>&amp; \"引号\" 'x'</b>") == (
        "&lt;b&gt;&amp;amp; &quot;引号&quot; &#x27;x&#x27;&lt;/b&gt;"
    )


def test_unclosed_tag_stays_text():
    assert render("[b]没有结束") == "[b]没有结束"


def test_stray_closing_tag_stays_text():
    assert render("文字[/b][/quote]") == "文字[/b][/quote]"


def test_mismatched_tags_keep_the_outer_pair_and_show_the_inner_as_text():
    assert render("[b][i]x[/b][/i]") == "<strong>[i]x</strong>[/i]"


def test_closing_tag_with_an_argument_is_text():
    assert render("[b]x[/b=1]") == "[b]x[/b=1]"


def test_brackets_that_are_not_tags_stay_text():
    assert render("数组 a[0] 和 [ ] 以及 [url=") == "数组 a[0] 和 [ ] 以及 [url="


def test_nesting_depth_is_bounded_and_tags_too_deep_are_dropped_not_shown():
    source = "[b]" * (MAX_DEPTH + 5) + "x" + "[/b]" * (MAX_DEPTH + 5)
    html = render(source)
    assert html.count("<strong>") == MAX_DEPTH
    assert "[b]" not in html and "[/b]" not in html and "x" in html


def test_tags_too_deep_and_never_closed_stay_text():
    html = render("[b]" * MAX_DEPTH + "[i]" * 3 + "x" + "[/b]" * MAX_DEPTH)
    assert html.count("<strong>") == MAX_DEPTH and html.count("[i]") == 3


def test_tags_without_content_work_at_any_depth():
    html = render("[b]" * (MAX_DEPTH + 2) + "[img]/a.png[/img][hr]" + "[/b]" * (MAX_DEPTH + 2))
    assert '<img src="/a.png"' in html and "<hr>" in html and "[" not in html


@pytest.mark.parametrize(
    "source", ["[b]" * 50000, "[quote]" * 10000, "[url=" * 20000, "[/b]" * 20000]
)
def test_pathological_input_renders_as_text(source):
    html = render(source)
    assert "<" not in html


def test_nul_separated_special_thread_data_is_not_shown():
    assert render('正文\x00\x00\x00a:1:{i:0;s:1:"x";}') == "正文"


def test_control_characters_and_lone_surrogates_do_not_break_rendering():
    html = render("a\x01b\x0cc\ud800d")
    assert html == "abc\ufffdd"


def test_unknown_format_is_a_value_error():
    with pytest.raises(ValueError, match="unknown markup format"):
        render("x", "html")
