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
