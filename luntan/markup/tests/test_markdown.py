"""Markdown posts (CommonMark + tables + strikethrough, single line breaks kept)."""

from luntan.markup import render, render_plain

REL = 'rel="nofollow noopener ugc"'


def test_markdown_paragraphs_and_single_line_breaks():
    assert render("第一行\n第二行\n\n新段落", "markdown") == (
        "<p>第一行<br>\n第二行</p>\n<p>新段落</p>\n"
    )


def test_markdown_emphasis_strikethrough_and_code():
    html = render("**粗** *斜* ~~删~~ `代码`", "markdown")
    assert html == "<p><strong>粗</strong> <em>斜</em> <s>删</s> <code>代码</code></p>\n"


def test_markdown_raw_html_is_escaped_not_passed_through():
    html = render("<b>不是粗体</b>", "markdown")
    assert html == "<p>&lt;b&gt;不是粗体&lt;/b&gt;</p>\n"


def test_markdown_links_get_rel_and_relative_links_become_root_relative():
    html = render("[帖子](forum.php?mod=viewthread&tid=1) [外站](https://example.com)", "markdown")
    assert f'<a href="/forum.php?mod=viewthread&amp;tid=1" {REL}>帖子</a>' in html
    assert f'<a href="https://example.com" {REL}>外站</a>' in html


def test_markdown_javascript_link_keeps_its_text_without_the_link():
    html = render("**粗体** [链接](javascript:alert(1)) <script>x</script>", "markdown")
    assert html == "<p><strong>粗体</strong> 链接 &lt;script&gt;x&lt;/script&gt;</p>\n"
    assert "javascript:" not in html


def test_markdown_image_with_unsafe_source_shows_its_alt_text():
    html = render("![图片说明](data:image/png;base64,iVBORw0KGgo=)", "markdown")
    assert html == "<p>图片说明</p>\n"


def test_markdown_images_are_lazy():
    html = render("![图](https://example.com/a.png)", "markdown")
    assert html == '<p><img src="https://example.com/a.png" alt="图" loading="lazy"></p>\n'


def test_markdown_tables():
    html = render("|甲|乙|\n|-|:-:|\n|1|2|", "markdown")
    assert "<table>" in html
    assert '<th style="text-align:center">乙</th>' in html
    assert '<td style="text-align:center">2</td>' in html


def test_markdown_fenced_code_keeps_brackets_and_drops_language_class():
    html = render("```python\n[b]x[/b] <i>\n```", "markdown")
    assert html == "<pre><code>[b]x[/b] &lt;i&gt;\n</code></pre>\n"


def test_markdown_keeps_ideographic_indent():
    assert render("\u3000\u3000段落", "markdown") == "<p>\u3000\u3000段落</p>\n"


def test_markdown_plain_text_leaves_block_quotes_and_markup_out():
    source = "> 引用别人\n\n# 标题\n\n**正文** [链接](https://example.com)\n\n- 一\n- 二"
    assert render_plain(source, "markdown") == "标题\n\n正文 链接\n\n一\n\n二"


def test_bbcode_is_not_parsed_in_markdown_posts():
    assert render("[b]x[/b]", "markdown") == "<p>[b]x[/b]</p>\n"
