"""Text formatting tags: b i u s color backcolor size font align indent hr p float."""

import pytest

from luntan.markup import render


def test_bold_italic_underline_strike():
    assert render("[b]粗[/b][i]斜[/i][u]下[/u][s]删[/s]") == (
        "<strong>粗</strong><em>斜</em><u>下</u><s>删</s>"
    )


def test_tag_names_are_case_insensitive():
    assert render("[B]x[/b] [COLOR=Red]y[/COLOR]") == (
        '<strong>x</strong> <span style="color:red">y</span>'
    )


@pytest.mark.parametrize(
    ("arg", "css"),
    [
        ("#999999", "#999999"),
        ("#FF0000", "#ff0000"),
        ("#abc", "#abc"),
        ("999999", "#999999"),  # old posts often omit the #
        ("DarkOrange", "darkorange"),
        ("rgb(255, 0, 0)", "rgb(255, 0, 0)"),
        ("rgba(0,0,0,0.5)", "rgba(0, 0, 0, 0.5)"),
    ],
)
def test_color_accepts_hex_names_and_rgb(arg, css):
    html = render(f"[color={arg}]字[/color]")
    assert html == f'<span style="color:{css}">字</span>'


@pytest.mark.parametrize(
    "arg", ["red;background:url(x)", "expression(alert(1))", "#12", "rgb(1,2)", "", "红色"]
)
def test_invalid_color_leaves_the_tag_as_text(arg):
    html = render(f"[color={arg}]字[/color]")
    assert "<span" not in html
    assert html.endswith("字[/color]")


def test_backcolor_sets_the_background():
    assert render("[backcolor=Yellow]亮[/backcolor]") == (
        '<span style="background-color:yellow">亮</span>'
    )


@pytest.mark.parametrize(
    ("arg", "css"),
    [("1", "10px"), ("2", "13px"), ("7", "48px"), ("9", "48px"), ("0", "10px"),
     ("14px", "14px"), ("200px", "72px"), ("1px", "8px"), ("10.5pt", "10.5pt"),
     ("99pt", "54pt")],
)  # fmt: skip
def test_size_maps_one_to_seven_and_clamps_px(arg, css):
    assert render(f"[size={arg}]字[/size]") == f'<span style="font-size:{css}">字</span>'


@pytest.mark.parametrize("arg", ["big", "12em", "-1", "100", "12px;color:red"])
def test_invalid_size_stays_text(arg):
    assert "<span" not in render(f"[size={arg}]字[/size]")


def test_font_accepts_chinese_and_latin_family_names():
    assert render("[font=微软雅黑]字[/font]") == '<span style="font-family:微软雅黑">字</span>'
    html = render("[font=Times New Roman]x[/font]")
    assert html.startswith('<span style="font-family:Times New Roman')


@pytest.mark.parametrize("arg", ["Arial;color:red", "x'y", 'a"b', "a\\b", "a{b}", "123"])
def test_font_with_css_syntax_stays_text(arg):
    assert "<span" not in render(f"[font={arg}]字[/font]")


def test_align_makes_an_aligned_block():
    assert render("上\n[align=center]中[/align]\n下") == (
        '上<div style="text-align:center">中</div>下'
    )
    assert "[align=middle]" in render("[align=middle]x[/align]")


def test_indent_and_hr():
    assert render("[indent]缩进[/indent]") == '<blockquote class="indent">缩进</blockquote>'
    assert render("上\n[hr]\n下") == "上<hr>下"


def test_discuz_paragraph_tag_keeps_alignment_only():
    assert render("[p=30, 2, left]段落[/p]") == '<p style="text-align:left">段落</p>'


def test_float_uses_a_class():
    assert render("[float=left]图[/float]") == '<span class="float-left">图</span>'


def test_edit_notice_renders_as_pstatus():
    html = render("[i=s] 本帖最后由 王者典范 于 2011-6-10 14:00 编辑 [/i]\n\n正文")
    assert (
        html == '<i class="pstatus"> 本帖最后由 王者典范 于 2011-6-10 14:00 编辑 </i><br><br>正文'
    )


def test_free_tag_is_stripped_but_its_text_kept():
    assert render("[free]免费内容[/free]") == "免费内容"


def test_smilies_stay_readable_text():
    assert render(":) :lol {:2_25:}") == ":) :lol {:2_25:}"
