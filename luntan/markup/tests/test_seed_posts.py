"""The seed thread's posts (shared/discuz/README.md) render as on the Discuz! page."""

from luntan.markup import quote_source, render, render_plain

FLOOR_2 = "该抓的不抓。\n只会做样子!"
FLOOR_3 = (
    "[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid=196831&ptid=17406]"
    "[color=#999999]王者典范 发表于 2011-6-10 13:56[/color][/url][/size]\n"
    "该抓的不抓。\n只会做样子![/quote]\n\n和谐 呵呵"
)
# Shaped like floor 1 (our own words): U+3000 indents, CR LF line ends from the full
# editor, an empty indented paragraph at the end.
OP_STYLE = (
    "\u3000本报讯 这是第一段,讲的是一件本地新闻。\r\n\r\n"
    "\u3000\u3000第二段继续说明情况,群众反映良好!\r\n\r\n"
    "\u3000\u3000"
)


def test_seed_quote_floor_renders_grey_header_with_link_to_quoted_floor():
    html = render(FLOOR_3)
    assert html.startswith('<blockquote class="quote"><div class="quote-header"><a ')
    assert 'href="/forum.php?mod=redirect&amp;goto=findpost&amp;pid=196831&amp;ptid=17406"' in html
    assert ">王者典范 发表于 2011-6-10 13:56</a></div>" in html
    assert "color" not in html  # grey comes from the quote-header class, not inline colour


def test_seed_quote_floor_shows_both_quoted_lines_then_the_reply():
    html = render(FLOOR_3)
    assert "</div>该抓的不抓。<br>只会做样子!</blockquote>" in html
    before, after = html.split("</blockquote>")
    assert "和谐 呵呵" not in before
    assert after.endswith("和谐 呵呵")


def test_seed_plain_reply_keeps_its_line_break():
    assert render(FLOOR_2) == "该抓的不抓。<br>只会做样子!"
    assert render("一定要和谐") == "一定要和谐"


def test_ideographic_indent_preserved():
    html = render(OP_STYLE)
    assert html.startswith("\u3000本报讯")
    assert "<br><br>\u3000\u3000第二段" in html
    assert html.endswith("<br><br>\u3000\u3000")


def test_crlf_and_lf_both_become_line_breaks():
    assert render("a\r\nb\nc") == "a<br>b<br>c"
    assert render("a\r\n\r\n\r\nb") == "a<br><br><br>b"


def test_ordinary_leading_spaces_are_kept_as_no_break_spaces():
    assert render("  two\n    four") == "&nbsp;&nbsp;two<br>&nbsp;&nbsp;&nbsp;&nbsp;four"
    assert render("a  b") == "a&nbsp; b"


def test_render_plain_of_op_style_text_keeps_the_chinese_text_and_indents():
    plain = render_plain(OP_STYLE)
    assert "本报讯 这是第一段,讲的是一件本地新闻。" in plain
    assert "\u3000\u3000第二段继续说明情况,群众反映良好!" in plain
    assert "\r" not in plain


def test_render_plain_of_seed_quote_floor_leaves_the_quote_out():
    assert render_plain(FLOOR_3) == "和谐 呵呵"


def test_quoting_the_seed_floor_2_gives_discuz_quote_format():
    source = quote_source("王者典范", "2011-6-10 13:56", "/p/196831/", FLOOR_2, "bbcode")
    assert source == (
        "[quote][size=2][url=/p/196831/][color=#999999]王者典范 发表于 2011-6-10 13:56"
        "[/color][/url][/size]\n该抓的不抓。\n只会做样子![/quote]\n"
    )


def test_luntan_quote_renders_like_the_imported_discuz_quote():
    source = quote_source("王者典范", "2011-6-10 13:56", "/p/196831/", FLOOR_2, "bbcode")
    html = render(source + "\n和谐 呵呵")
    assert html.startswith(
        '<blockquote class="quote"><div class="quote-header"><a href="/p/196831/"'
    )
    assert (
        ">王者典范 发表于 2011-6-10 13:56</a></div>该抓的不抓。<br>只会做样子!</blockquote>" in html
    )
    assert html.endswith("<br>和谐 呵呵")


def test_quoting_the_seed_quote_floor_leaves_its_nested_quote_out():
    source = quote_source("简阳新闻官", "2011-6-10 14:04", "/p/196832/", FLOOR_3, "bbcode")
    assert source.endswith("[/size]\n和谐 呵呵[/quote]\n")
    assert source.count("[quote]") == 1
