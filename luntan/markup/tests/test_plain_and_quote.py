"""render_plain() for snippets/search and quote_source() for quote replies."""

import pytest

from luntan.markup import quote_excerpt, quote_source, render, render_plain


def test_render_plain_strips_tags_and_keeps_text():
    source = "[b]粗体[/b]和[color=Red]红字[/color],[url=http://e.com]链接[/url] [img]http://e.com/a.png[/img]"
    assert render_plain(source) == "粗体和红字,链接"


def test_render_plain_leaves_quotes_out():
    assert render_plain("[quote]别人说的[/quote]\n我说的") == "我说的"


def test_render_plain_never_reveals_hidden_content():
    plain = render_plain("公开\n[hide]秘密[/hide]\n[hide=100]更秘密[/hide]")
    assert "秘密" not in plain
    assert "**** 本内容被作者隐藏 ****" in plain


def test_render_plain_drops_the_edit_notice():
    assert render_plain("[i=s] 本帖最后由 甲 于 2011-6-10 14:00 编辑 [/i]\n\n正文") == "正文"


def test_render_plain_keeps_code_lists_and_tables_for_search():
    source = (
        "[code]print(1)[/code][list][*]一[*]二[/list][table][tr][td]甲[/td][td]乙[/td][/tr][/table]"
    )
    assert render_plain(source) == "print(1)\n一\n二\n甲 乙"


def test_render_plain_keeps_unknown_tags_as_text():
    assert render_plain("[foo]x[/foo] [b]未闭合") == "[foo]x[/foo] [b]未闭合"


def test_render_plain_never_raises_on_odd_input():
    for source in ("", "[", "[/", "\x00", "\ud800", "[quote]" * 100, "[code]"):
        assert isinstance(render_plain(source), str)
        assert isinstance(render_plain(source, "markdown"), str)


def test_quote_excerpt_is_cut_to_100_display_units_like_discuz():
    # a CJK character counts 2 (cutstr() on a UTF-8 site): 50 characters fit
    excerpt = quote_excerpt("字" * 80, "bbcode")
    assert excerpt == "字" * 50 + " ..."
    assert quote_excerpt("a" * 120, "bbcode") == "a" * 100 + " ..."


def test_short_quote_excerpt_is_not_cut():
    assert quote_excerpt("字" * 40, "bbcode") == "字" * 40


def test_quote_excerpt_keeps_at_most_three_lines():
    assert quote_excerpt("一\n二\n三\n四\n五", "bbcode") == "一\n二\n三 ..."


def test_quote_excerpt_leaves_out_nested_quotes_hidden_content_code_and_images():
    source = (
        "[quote]旧引用[/quote]\n[hide]秘密[/hide]\n[code]x = 1[/code]\n"
        "[img]http://e.com/a.png[/img]回复内容{:2_25:}"
    )
    excerpt = quote_excerpt(source, "bbcode")
    assert excerpt == "**** 本内容被作者隐藏 ****\n回复内容"


def test_quoting_a_post_never_leaks_hidden_content():
    source = quote_source("甲", "2020-1-1 00:00", "/p/1/", "[hide]秘密[/hide]", "bbcode")
    assert "秘密" not in source
    assert "秘密" not in render(source)


def test_quote_source_round_trips_to_a_rendered_header():
    source = quote_source("雄州老杨", "2011-6-10 15:29", "/p/196833/", "一定要和谐", "bbcode")
    html = render(source)
    assert html == (
        '<blockquote class="quote"><div class="quote-header">'
        '<a href="/p/196833/" rel="nofollow noopener ugc">雄州老杨 发表于 2011-6-10 15:29</a>'
        "</div>一定要和谐</blockquote>"
    )


def test_quote_source_of_a_markdown_post_uses_its_plain_text():
    source = quote_source("甲", "2020-1-1 00:00", "/p/9/", "**粗体** 文字\n\n> 旧引用", "markdown")
    assert source.endswith("[/size]\n粗体 文字[/quote]\n")


def test_literal_tags_in_the_quoted_text_cannot_close_the_quote_early():
    # "[/quote]" was plain text in the quoted post (no open quote)
    source = quote_source("[b]甲", "今天", "/p/2/", "看这个 [/quote] 标签", "bbcode")
    html = render(source + "我的回复")
    assert html.count("<blockquote") == 1
    assert html.endswith("</blockquote>我的回复")
    assert "看这个 ［/quote] 标签" in html
    assert "［b]甲 发表于 今天" in html


def test_quote_source_rejects_unknown_format():
    with pytest.raises(ValueError):
        quote_source("甲", "今天", "/p/1/", "x", "html")


def test_text_around_a_left_out_quote_stays_on_separate_lines():
    assert render_plain("前面\n[quote]引用[/quote]\n后面") == "前面\n后面"


def test_link_without_text_keeps_its_url_in_plain_text():
    assert render_plain("[url=http://example.com][/url]") == "http://example.com"
