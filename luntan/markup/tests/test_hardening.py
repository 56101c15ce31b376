"""Markup hardening (issue 9): link schemes, colours and fonts, image sizes, deep quotes,
size caps and the render budget, per-post counts."""

import pytest

from luntan.markup import render

# -- item 6: link and image targets ----------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "[url]ftp://example.org/file[/url]",
        "[url=ftp://example.org/file]文件[/url]",
        "[img]ftp://example.org/a.png[/img]",
        "[url=irc://example.org/x]x[/url]",
        "[url=news:comp.lang]x[/url]",
        "[media=x]ftp://example.org/a.mp4[/media]",
    ],
)
def test_only_http_https_mailto_and_site_relative_targets_link(source):
    assert "href=" not in render(source) and "src=" not in render(source)


def test_markdown_ftp_link_loses_its_link():
    html = render("[文件](ftp://example.org/file) ![图](ftp://example.org/a.png)", "markdown")
    assert "href=" not in html and "src=" not in html
    assert "文件" in html


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[url]https://example.org/[/url]", "https://example.org/"),
        ("[url=http://example.org/]x[/url]", "http://example.org/"),
        ("[email]a@example.org[/email]", "mailto:a@example.org"),
        ("[url=mailto:a@example.org]x[/url]", "mailto:a@example.org"),
        ("[url=/p/1/]x[/url]", "/p/1/"),
    ],
)
def test_allowed_targets_still_link(source, href):
    assert f'href="{href}"' in render(source)


# -- item 8: colours and fonts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "css"),
    [
        ("Red", "red"),
        ("DarkOrange", "darkorange"),
        ("rebeccapurple", "rebeccapurple"),
        ("#abc", "#abc"),
        ("#A0B1C2", "#a0b1c2"),
        ("999999", "#999999"),
        ("rgb(255, 0, 0)", "rgb(255, 0, 0)"),
    ],
)
def test_named_css_colours_hex_and_rgb_are_accepted(arg, css):
    assert render(f"[color={arg}]字[/color]") == f'<span style="color:{css}">字</span>'


@pytest.mark.parametrize(
    "arg", ["notacolor", "redd", "inherit", "currentcolor", "transparent", "initial", "abcx"]
)
def test_unknown_colour_names_render_as_plain_text_inside(arg):
    html = render(f"[color={arg}]字[/color]")
    assert "<span" not in html and "字" in html
    assert "<span" not in render(f"[backcolor={arg}]字[/backcolor]")


@pytest.mark.parametrize(
    ("arg", "css"),
    [
        ("宋体", "宋体"),
        ("新宋体", "新宋体"),
        ("黑体", "黑体"),
        ("微软雅黑", "微软雅黑"),
        ("楷体", "楷体"),
        ("仿宋", "仿宋"),
        ("Arial", "Arial"),
        ("arial", "Arial"),
        ("Times New Roman", "Times New Roman"),
        ("Microsoft YaHei", "Microsoft YaHei"),
        ("Courier New", "Courier New"),
        ("Verdana", "Verdana"),
    ],
)
def test_fonts_from_the_allow_list_are_accepted(arg, css):
    assert render(f"[font={arg}]字[/font]") == f'<span style="font-family:{css}">字</span>'


@pytest.mark.parametrize(
    "arg", ["Comic Sans Evil", "Wingdings", "x", "Arial, Wingdings", "宋体2", "system-ui"]
)
def test_fonts_outside_the_allow_list_render_as_plain_text_inside(arg):
    html = render(f"[font={arg}]字[/font]")
    assert "<span" not in html and "font-family" not in html and "字" in html


# -- item 1: byte caps before parsing, render budget -----------------------------------------


def _no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parsed an input over the cap")

    monkeypatch.setattr("luntan.markup.core.bbcode_counts", refuse)
    monkeypatch.setattr("luntan.markup.core.markdown_counts", refuse)
    monkeypatch.setattr("luntan.markup.core.prepare_source", refuse)


@pytest.mark.parametrize(
    ("kind", "cap"), [("post", 65_536), ("preview", 65_536), ("signature", 4_096), ("pm", 32_768)]
)
@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_inputs_over_the_byte_cap_are_refused_before_parsing(monkeypatch, kind, cap, fmt):
    from luntan.markup import MarkupLimitError, check_input

    check_input("字" * (cap // 3), fmt, kind)  # at the cap: fine
    _no_parsing(monkeypatch)
    with pytest.raises(MarkupLimitError) as refused:
        check_input("字" * (cap // 3 + 1), fmt, kind)
    assert refused.value.code == "too_large"
    message = refused.value.messages[0]
    assert f"{cap // 3 * 3 + 3} 字节" in message and f"最多 {cap} 字节" in message
    assert "一个汉字占 3 字节" in message


def test_the_byte_caps_are_settings(settings):
    from luntan.markup import MarkupLimitError, check_input

    settings.LUNTAN_MARKUP_MAX_BYTES = {"signature": 10}
    check_input("0123456789", "bbcode", "signature")
    with pytest.raises(MarkupLimitError):
        check_input("一二三四", "bbcode", "signature")
    check_input("一二三四", "bbcode", "post")  # the other kinds keep their defaults


def test_a_1_2_mb_preview_is_refused_with_a_message_not_rendered(monkeypatch):
    from luntan.markup import render_preview

    _no_parsing(monkeypatch)
    html = render_preview("[b]" * 400_000, "bbcode")
    assert html.startswith('<div class="markup-refused">内容太长：1200000 字节')


def test_too_many_tags_are_refused_as_input(settings):
    from luntan.markup import MarkupLimitError, check_input

    settings.LUNTAN_MARKUP_MAX_ELEMENTS = 100
    check_input("[b]x[/b]" * 100, "bbcode", "post")
    with pytest.raises(MarkupLimitError) as refused:
        check_input("[b]x[/b]" * 101, "bbcode", "post")
    assert refused.value.code == "too_complex"
    assert "格式标签太多：最多 100 个" in refused.value.messages[0]
    with pytest.raises(MarkupLimitError):
        check_input("**x** " * 60, "markdown", "post")


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("[b]x[/b]" * 101, "bbcode"),
        ("[quote]x[/quote]" * 101, "bbcode"),
        ("**x** " * 60, "markdown"),
    ],
)
def test_render_over_the_element_budget_degrades_to_text_with_a_notice(settings, source, fmt):
    settings.LUNTAN_MARKUP_MAX_ELEMENTS = 100
    html = render(source, fmt)
    assert html.startswith('<div class="markup-notice">内容过长或标签过多，以纯文本显示。</div>')
    assert "<strong>" not in html and "<blockquote" not in html
    assert "[b]x[/b]" in html or "**x**" in html or "[quote]" in html


def test_render_of_a_stored_source_over_the_byte_budget_is_text(settings, monkeypatch):
    settings.LUNTAN_MARKUP_RENDER_MAX_BYTES = 1_000
    monkeypatch.setattr("luntan.markup.core.bbcode_to_html", None)  # would raise if called
    html = render("[b]粗[/b]" * 200)
    assert html.startswith('<div class="markup-notice">')
    assert html.endswith("[b]粗[/b]")


def test_render_whose_html_is_over_the_budget_is_text(settings):
    settings.LUNTAN_MARKUP_RENDER_MAX_HTML_CHARS = 1_000
    html = render("\t" * 400)  # each tab is four &nbsp;
    assert html.startswith('<div class="markup-notice">')


# -- item 11: per-post caps on images and smilies ---------------------------------------------


def test_too_many_images_are_refused_and_the_message_says_what_counts():
    from luntan.markup import MarkupLimitError, check_input

    check_input("[img]https://example.org/a.png[/img]\n" * 30, "bbcode", "post")
    with pytest.raises(MarkupLimitError) as refused:
        check_input("[img]https://example.org/a.png[/img]\n" * 31, "bbcode", "post")
    assert refused.value.code == "too_many_images"
    message = refused.value.messages[0]
    assert "31 张" in message and "最多 30 张" in message and "[img]" in message
    with pytest.raises(MarkupLimitError):
        check_input("![图](https://example.org/a.png)\n" * 31, "markdown", "post")


def test_588_images_are_refused():
    from luntan.markup import MarkupLimitError, check_input

    with pytest.raises(MarkupLimitError):
        check_input("[img]https://example.org/a.png[/img]" * 588, "bbcode", "post")


def test_too_many_smilies_are_refused_counting_emoji_and_codes(settings):
    from luntan.markup import MarkupLimitError, check_input

    check_input("好" + "🙂" * 5 + "{:2_25:}" * 4 + "👨‍👩‍👧" + "© ® 123", "bbcode", "post")
    with pytest.raises(MarkupLimitError) as refused:
        check_input("🙂" * 6 + "{:2_25:}" * 5, "bbcode", "post")
    assert refused.value.code == "too_many_smilies"
    assert "11 个" in refused.value.messages[0] and "最多 10 个" in refused.value.messages[0]
    settings.LUNTAN_MARKUP_MAX_SMILIES = 0  # 0 turns the cap off
    check_input("🙂" * 100, "bbcode", "post")


# -- item 9: deep quotes -----------------------------------------------------------------------


def _chain(depth: int, header: bool = False) -> str:
    opening = "[quote][size=2][url=/p/{n}/][color=#999999]会员{n} 发表于 2024-1-1 10:00[/color][/url][/size]\n"
    source = "最里面"
    for n in range(depth):
        head = opening.format(n=n) if header else "[quote]"
        source = f"{head}{source}[/quote]\n第 {n} 层的回复"
    return source


@pytest.mark.parametrize("header", [False, True])
@pytest.mark.parametrize("depth", [4, 25, 500])
def test_deep_quotes_collapse_into_one_box_and_never_show_literal_tags(depth, header):
    from luntan.markup.bbcode.tags_blocks import QUOTE_COLLAPSE_DEPTH

    html = render(_chain(depth, header))
    for tag in ("[quote]", "[/quote]", "[size", "[url", "[color", "[/"):
        assert tag not in html
    assert html.count("<details") == 1 and html.count("展开更多引用") == 1
    assert '<details class="quote-more"><summary>展开更多引用</summary>' in html
    before_details = html[: html.index("<details")]
    assert before_details.count("<blockquote") == QUOTE_COLLAPSE_DEPTH
    # inside the box the quotes follow each other instead of nesting ever deeper
    inside = html[html.index("<details") :]
    nesting = max_nesting(inside, "blockquote")
    assert nesting == 1
    assert "最里面" in html and f"第 {depth - 1} 层的回复" in html


def max_nesting(html: str, tag: str) -> int:
    import re

    depth = deepest = 0
    for match in re.finditer(rf"<(/?){tag}\b", html):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


def test_three_nested_quotes_need_no_box():
    html = render(_chain(3, header=True))
    assert "<details" not in html and html.count("<blockquote") == 3


def test_unclosed_deep_quotes_stay_text():
    html = render("[quote]" * 30 + "x")
    assert "<" not in html


# -- item 10: excerpts cut on grapheme clusters -------------------------------------------------

FAMILY = "👨\u200d👩\u200d👧"


def test_quote_excerpt_never_splits_an_emoji_sequence():
    from luntan.markup import quote_excerpt

    excerpt = quote_excerpt("a" * 98 + FAMILY + "x" * 10, "bbcode")
    assert excerpt == "a" * 98 + FAMILY + " ..."
    excerpt = quote_excerpt("a" * 99 + FAMILY + "x", "bbcode")
    assert excerpt == "a" * 99 + " ..."
    flag = "🇨🇳"
    assert quote_excerpt("字" * 49 + flag + "尾", "bbcode") == "字" * 49 + flag + " ..."


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("一" * 24 + FAMILY + "尾巴", 26, "一" * 24 + FAMILY + "…"),
        ("一" * 23 + FAMILY + "尾巴", 26, "一" * 23 + FAMILY + "尾巴"),
        ("e\u0301" * 30, 5, "e\u0301" * 4 + "…"),
        ("短标题", 26, "短标题"),
    ],
)
def test_excerpt_counts_and_cuts_grapheme_clusters(text, length, expected):
    from luntan.markup import excerpt

    assert excerpt(text, length) == expected


# -- item 7: [img=w,h] clamped -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "width", "height"),
    [
        ("9999,9999", 600, 600),
        ("3000,1500", 600, 300),
        ("9999x10", 600, 1),
        ("600,400", 600, 400),
        ("100,50", 100, 50),
        ("300,9999", 72, 2400),
    ],
)
def test_image_sizes_are_clamped_keeping_the_aspect_ratio(arg, width, height):
    html = render(f"[img={arg}]https://example.org/a.png[/img]")
    assert f'width="{width}" height="{height}"' in html


def test_an_image_with_one_zero_size_gets_only_the_other_clamped():
    html = render("[img=9999,0]https://example.org/a.png[/img]")
    assert 'width="600"' in html and "height=" not in html
