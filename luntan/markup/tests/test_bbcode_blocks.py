"""quote, code, hide, list, table."""

from luntan.markup import render


def test_plain_quote_without_header():
    assert render("[quote]\n引用的话\n[/quote]\n回复") == (
        '<blockquote class="quote">引用的话</blockquote>回复'
    )


def test_quote_header_without_link_from_mobile_format():
    html = render("[quote][color=#999999]某人 发表于 2020-1-2 03:04[/color]\n正文[/quote]")
    assert html == (
        '<blockquote class="quote"><div class="quote-header">某人 发表于 2020-1-2 03:04</div>'
        "正文</blockquote>"
    )


def test_quote_header_with_unsafe_link_keeps_the_text_only():
    html = render(
        "[quote][size=2][url=javascript:alert(1)][color=#999999]甲 发表于 昨天"
        "[/color][/url][/size]\n文字[/quote]"
    )
    assert '<div class="quote-header">甲 发表于 昨天</div>' in html
    assert "javascript" not in html


def test_coloured_first_line_without_header_words_is_not_a_header():
    html = render("[quote][color=Red]红字[/color]\n其他[/quote]")
    assert "quote-header" not in html
    assert '<span style="color:red">红字</span>' in html


def test_nested_quotes():
    html = render("[quote]外[quote]内[/quote][/quote]")
    assert html == (
        '<blockquote class="quote">外<blockquote class="quote">内</blockquote></blockquote>'
    )


def test_code_block_keeps_brackets_literal():
    html = render("[code][b]不是粗体[/b] <script>x</script>[/code]")
    assert html == "<pre><code>[b]不是粗体[/b] &lt;script&gt;x&lt;/script&gt;</code></pre>"


def test_code_block_keeps_whitespace_and_line_breaks():
    html = render("看代码:\n[code]\nif x:\n    y = 1\r\n[/code]\n完")
    assert html == "看代码:<pre><code>if x:\n    y = 1</code></pre>完"


def test_unclosed_code_stays_text_and_later_tags_still_work():
    assert render("[code]x [b]y[/b]") == "[code]x <strong>y</strong>"


def test_hide_shows_a_box_without_the_hidden_content():
    for source in ("[hide]秘密[/hide]", "[hide=50]秘密[/hide]", "[hide=d30,20]秘密[/hide]"):
        html = render(source)
        assert html == '<div class="hide-box">本帖隐藏的内容</div>'
        assert "秘密" not in html


def test_unordered_and_ordered_lists():
    assert render("[list]\n[*]一\n[*]二\n[/list]") == "<ul><li>一</li><li>二</li></ul>"
    assert render("[list=1][*]一[*]二[/list]") == '<ol type="1"><li>一</li><li>二</li></ol>'
    assert render("[list=a][*]x[/list]") == '<ol type="a"><li>x</li></ol>'


def test_list_item_outside_a_list_stays_text():
    assert render("[*] 不是列表") == "[*] 不是列表"


def test_unclosed_list_stays_text():
    assert render("[list][*]a[*]b") == "[list][*]a[*]b"


def test_table_with_rows_and_cells():
    html = render(
        "[table=80%][tr][td]甲[/td][td=2,1]乙[/td][/tr]\n[tr=#eeeeee][td]丙[/td][/tr][/table]"
    )
    assert html == (
        '<table class="bbcode-table" width="80%"><tbody>'
        '<tr><td>甲</td><td colspan="2">乙</td></tr>'
        '<tr style="background-color:#eeeeee"><td>丙</td></tr>'
        "</tbody></table>"
    )


def test_table_width_is_capped_like_discuz():
    assert 'width="98%"' in render("[table=100%][tr][td]x[/td][/tr][/table]")
    assert 'width="98%"' in render("[table=900][tr][td]x[/td][/tr][/table]")
    assert 'width="500"' in render("[table=500][tr][td]x[/td][/tr][/table]")


def test_simple_table_uses_bars_and_lines():
    assert render("[table]\n甲|乙\n丙|丁\n[/table]") == (
        '<table class="bbcode-table"><tbody><tr><td>甲</td><td>乙</td></tr>'
        "<tr><td>丙</td><td>丁</td></tr></tbody></table>"
    )


def test_table_cell_outside_a_row_stays_text():
    assert render("[td]x[/td]") == "[td]x[/td]"
    assert render("[tr][td]x[/td][/tr]") == "[tr][td]x[/td][/tr]"
